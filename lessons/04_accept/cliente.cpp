/// \file
/// \brief Lección 04 · connect — cliente: se conecta al servidor.
///
/// Segundo paso del cliente: «solicitar conexión con el servidor por medio de la función
/// connect()», dándole la dirección IP del servidor y el número de servicio (puerto). connect(2)
/// espera a que el servidor (su núcleo) complete la conexión, o falla si allí no escucha nadie.
/// Las marcas `// [NN-nombre]` rodean el código de la etapa NN.
#include "sockets_comun.h"

namespace {

// [04-texto]
// TODO(etapa 04): escribe la función que muestra una dirección como «IP:PUERTO», documentada con
// TODO(etapa 04): ///:
// TODO(etapa 04):   std::string texto_de(const sockaddr_in& direccion)
// TODO(etapa 04): La IP, con inet_ntop(AF_INET, &direccion.sin_addr, ip, sizeof ip) sobre un char
// TODO(etapa 04): ip[INET_ADDRSTRLEN] (si devuelve nullptr: sockets::comprobar("inet_ntop()", -1)).
// TODO(etapa 04): El puerto, con ntohs(direccion.sin_port).
// [04-texto]

/// El cliente, paso a paso: habla con el servidor `host`:`puerto` y le envía `mensaje` o, si es
/// nullptr, cada línea de la entrada estándar. Lanza std::system_error si falla una llamada.
void conversar(in_addr host, std::uint16_t puerto, const char* mensaje) {
    // [01-socket]
    const int conexion = socket(AF_INET, SOCK_STREAM, 0);  // IPv4 y flujo de bytes (TCP)
    sockets::comprobar("socket()", conexion);               // -1 y errno si no pudo
    std::cout << "[cliente] socket(): descriptor " << conexion << std::endl;
    // [01-socket]

    // [04-connect]
    // TODO(etapa 04): conecta con el servidor con connect(2):
    // TODO(etapa 04):   1. Rellena un sockaddr_in servidor{} con sin_family = AF_INET, sin_addr =
    // TODO(etapa 04):      host (ya está en orden de red) y sin_port = htons(puerto).
    // TODO(etapa 04):   2. Prepara el texto del error ANTES de llamar, para que nada cambie errno
    // TODO(etapa 04):      entre connect() y la comprobación:
    // TODO(etapa 04):        const std::string llamada = "connect() a " + texto_de(servidor);
    // TODO(etapa 04):   3. Conecta y compruébalo:
    // TODO(etapa 04):        sockets::comprobar(llamada, connect(conexion,
    // TODO(etapa 04):            reinterpret_cast<const sockaddr*>(&servidor), sizeof servidor));
    // TODO(etapa 04):   4. Con getsockname(conexion, ...) sobre un sockaddr_in local, averigua la
    // TODO(etapa 04):      dirección y el puerto efímero que el núcleo dio a tu socket.
    // TODO(etapa 04):   5. Imprime, con std::endl (IP:P es texto_de(servidor); IP:Q es
    // TODO(etapa 04):      texto_de(local)):
    // TODO(etapa 04):        [cliente] connect(): conectado a IP:P desde IP:Q
    // TODO(etapa 04): Después borra las dos líneas (void) de abajo.
    (void)host;  // todavía sin usar: connect() los usará en la lección 04
    (void)puerto;
    // [04-connect]

    (void)mensaje;  // todavía sin usar: se enviará en la lección 05

    // [01-cerrar]
    sockets::comprobar("close()", close(conexion));  // todo descriptor abierto se cierra
    // [01-cerrar]
}

}  // namespace

/// Punto de entrada: `cliente HOST PUERTO [MENSAJE]`. Devuelve 0 si todo fue bien, 1 si falló
/// una llamada al sistema y 2 si los argumentos no son válidos.
int main(int argc, char* argv[]) {
    try {
        if (argc < 3) throw sockets::ErrorDeUso("faltan argumentos");
        if (argc > 4) throw sockets::ErrorDeUso("sobran argumentos");
        const in_addr host = sockets::leer_host(argv[1]);             // IPv4 o localhost
        const std::uint16_t puerto = sockets::leer_puerto(argv[2]);  // 0..65535
        const char* mensaje = (argc == 4) ? argv[3] : nullptr;       // nullptr: leer de stdin
        conversar(host, puerto, mensaje);
        return EXIT_SUCCESS;
    } catch (const sockets::ErrorDeUso& e) {
        return sockets::uso("cliente", "HOST PUERTO [MENSAJE]", e);  // código 2
    } catch (const std::system_error& e) {
        std::cerr << "[cliente] error: " << e.what();
        if (e.code() == std::errc::connection_refused)
            std::cerr << " — ¿está el servidor en marcha?";  // una pista, no solo el síntoma
        std::cerr << std::endl;
        return EXIT_FAILURE;
    } catch (const std::exception& e) {
        std::cerr << "[cliente] error: " << e.what() << std::endl;
        return EXIT_FAILURE;
    }
}
