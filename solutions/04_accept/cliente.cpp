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
/// «IP:PUERTO» de una dirección IPv4, para mostrarla: inet_ntop(3) y ntohs(3).
std::string texto_de(const sockaddr_in& direccion) {
    char ip[INET_ADDRSTRLEN];  // cabe «255.255.255.255» con su '\0'
    if (inet_ntop(AF_INET, &direccion.sin_addr, ip, sizeof ip) == nullptr)
        sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET y este tamaño
    return std::string(ip) + ":" + std::to_string(ntohs(direccion.sin_port));
}
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
    sockaddr_in servidor{};             // la dirección del socket con nombre del servidor
    servidor.sin_family = AF_INET;
    servidor.sin_addr = host;           // ya en orden de red: así la dejó inet_pton()
    servidor.sin_port = htons(puerto);  // el puerto, en orden de red (big endian)
    const std::string llamada = "connect() a " + texto_de(servidor);  // para el mensaje de error
    // connect() hace el saludo de tres pasos de TCP: vuelve cuando la conexión está hecha, o con
    // -1 y ECONNREFUSED si en ese puerto no escucha nadie.
    sockets::comprobar(llamada, connect(conexion, reinterpret_cast<const sockaddr*>(&servidor),
                                        sizeof servidor));

    // El núcleo dio al socket del cliente una dirección y un puerto efímero: getsockname().
    sockaddr_in local{};
    socklen_t largo = sizeof local;
    sockets::comprobar("getsockname()",
                       getsockname(conexion, reinterpret_cast<sockaddr*>(&local), &largo));
    std::cout << "[cliente] connect(): conectado a " << texto_de(servidor) << " desde "
              << texto_de(local) << std::endl;
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
