/// \file
/// \brief Lección 01 · socket — servidor: abre un socket TCP y lo cierra.
///
/// Primer paso del servidor: «realizar la apertura de un socket, mediante la función socket()».
/// socket(2) solo prepara un descriptor de fichero; aún no tiene nombre (dirección y puerto) ni
/// conexión. Cada lección añade una etapa a este mismo programa: las marcas `// [NN-nombre]`
/// rodean el código de la etapa NN.
#include "sockets_comun.h"

namespace {

/// El servidor, paso a paso: cada lección le añade una etapa.
/// Lanza std::system_error si falla una llamada al sistema.
void servir(std::uint16_t puerto) {
    // [01-socket]
    const int escucha = socket(AF_INET, SOCK_STREAM, 0);  // IPv4 y flujo de bytes (TCP)
    sockets::comprobar("socket()", escucha);               // -1 y errno si no pudo
    std::cout << "[servidor] socket(): descriptor " << escucha << std::endl;
    // [01-socket]

    (void)puerto;  // sin usar hasta la etapa 02, la de bind()

    // [01-cerrar]
    sockets::comprobar("close()", close(escucha));  // todo descriptor abierto se cierra
    // [01-cerrar]
}

}  // namespace

/// Punto de entrada: `servidor PUERTO`. Devuelve 0 si todo fue bien, 1 si falló una llamada al
/// sistema y 2 si los argumentos no son válidos.
int main(int argc, char* argv[]) {
    try {
        if (argc < 2) throw sockets::ErrorDeUso("falta el PUERTO");
        if (argc > 2) throw sockets::ErrorDeUso("sobran argumentos");
        const std::uint16_t puerto = sockets::leer_puerto(argv[1]);  // 0: lo elige el núcleo
        servir(puerto);
        return EXIT_SUCCESS;
    } catch (const sockets::ErrorDeUso& e) {
        return sockets::uso("servidor", "PUERTO", e);  // código 2
    } catch (const std::exception& e) {
        std::cerr << "[servidor] error: " << e.what() << std::endl;
        return EXIT_FAILURE;
    }
}
