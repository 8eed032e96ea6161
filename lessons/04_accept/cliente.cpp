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
// TODO(etapa 04): Objetivo: una función documentada con ///, llamada texto_de, que recibe una
// TODO(etapa 04): dirección IPv4 (una sockaddr_in, por referencia constante) y devuelve un
// TODO(etapa 04): std::string «IP:PUERTO», por ejemplo «127.0.0.1:5000»: la IP convertida a texto y
// TODO(etapa 04): el puerto en el orden del host. Si la conversión de la IP falla, lanza la
// TODO(etapa 04): excepción con sockets::comprobar(): ojo, inet_ntop() no devuelve -1 al fallar,
// TODO(etapa 04): sino un puntero nulo (mira su man); comprobar() espera el -1 de las llamadas.
// TODO(etapa 04): Lee: docs/04_accept.md, sección «Mostrar una dirección»; man 3 inet_ntop, man 3
// TODO(etapa 04): ntohs.
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
    // TODO(etapa 04): Objetivo: conectar el socket con el servidor HOST:PUERTO (host ya viene en
    // TODO(etapa 04): orden de red; el puerto no). Al acabar debe imprimir (IP:P es el servidor;
    // TODO(etapa 04): IP:Q, el extremo de tu socket, con el puerto efímero que le dio el núcleo;
    // TODO(etapa 04): los dos con texto_de()):
    // TODO(etapa 04):   [cliente] connect(): conectado a IP:P desde IP:Q
    // TODO(etapa 04):   1. Si la conexión falla, el error debe decir «connect() a IP:P»: prepara
    // TODO(etapa 04):      ese texto ANTES de llamar, para que nada cambie errno entre la llamada y
    // TODO(etapa 04):      la comprobación. Lee: docs/04_accept.md, secciones «Conectar con el
    // TODO(etapa 04):      servidor» y «Si no hay servidor»; man 2 connect.
    // TODO(etapa 04):   2. Para saber tu propio extremo, pregúntaselo al núcleo (la misma llamada
    // TODO(etapa 04):      que usó el servidor en la lección 02; man 2 getsockname).
    // TODO(etapa 04): Después borra las dos líneas (void) de abajo.
    (void)host;  // sin usar hasta la etapa 04, la de connect()
    (void)puerto;
    // [04-connect]

    (void)mensaje;  // sin usar hasta la etapa 05, que lo envía

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
