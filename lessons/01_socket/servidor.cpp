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
    // TODO(etapa 01): Objetivo: el servidor abre un socket TCP sobre IPv4 y guarda el descriptor
    // TODO(etapa 01): que le da el sistema en una constante llamada «escucha» (las etapas
    // TODO(etapa 01): siguientes la usan con ese nombre).
    // TODO(etapa 01): Si la llamada falla devuelve -1 y deja el motivo en errno: compruébalo con
    // TODO(etapa 01): sockets::comprobar() (lessons/comun/sockets_comun.h), que lanza una excepción
    // TODO(etapa 01): con el motivo.
    // TODO(etapa 01): Debe imprimir esta línea, con el descriptor de verdad en lugar de N
    // TODO(etapa 01): (termínala con std::endl):
    // TODO(etapa 01):   [servidor] socket(): descriptor N
    // TODO(etapa 01): Lee: docs/01_socket.md, sección «Crear el socket»; man 2 socket (qué familia
    // TODO(etapa 01): es IPv4 y qué tipo es un flujo de bytes TCP).
    // [01-socket]

    (void)puerto;  // sin usar hasta la etapa 02, la de bind()

    // [01-cerrar]
    // TODO(etapa 01): Objetivo: antes de terminar, el servidor cierra su socket, y comprueba
    // TODO(etapa 01): también ese cierre.
    // TODO(etapa 01): Lee: docs/01_socket.md, sección «Cerrar el socket»; man 2 close.
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
