/// \file
/// \brief Lección 01 · socket — cliente: abre un socket TCP y lo cierra.
///
/// Primer paso del cliente: «realizar la apertura de un socket, como el servidor, por medio de
/// la función socket()». Es un socket sin nombre: al conectar, el núcleo le asignará
/// una dirección y un puerto. Cada lección añade una etapa a este mismo programa: las marcas
/// `// [NN-nombre]` rodean el código de la etapa NN.
#include "sockets_comun.h"

namespace {

/// El cliente, paso a paso: habla con el servidor `host`:`puerto` y le envía `mensaje` o, si es
/// nullptr, cada línea de la entrada estándar. Lanza std::system_error si falla una llamada.
void conversar(in_addr host, std::uint16_t puerto, const char* mensaje) {
    // [01-socket]
    const int conexion = socket(AF_INET, SOCK_STREAM, 0);  // IPv4 y flujo de bytes (TCP)
    sockets::comprobar("socket()", conexion);               // -1 y errno si no pudo
    std::cout << "[cliente] socket(): descriptor " << conexion << std::endl;
    // [01-socket]

    (void)host;  // sin usar hasta la etapa 04, la de connect()
    (void)puerto;

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
