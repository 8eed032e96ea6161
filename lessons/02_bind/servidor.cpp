/// \file
/// \brief Lección 02 · bind — servidor: da nombre (puerto) a su socket con bind().
///
/// Segundo paso del servidor: «avisar al sistema operativo de que hemos abierto un socket y
/// queremos que asocie nuestro programa a dicho socket», con bind(2). Aquí se indica el número
/// de servicio (el puerto). El sistema aún no atiende conexiones: eso llegará con listen().
/// Las marcas `// [NN-nombre]` rodean el código de la etapa NN.
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

    // [02-bind]
    // TODO(etapa 02): Objetivo: dar nombre al socket: cualquier dirección IPv4 de esta máquina y el
    // TODO(etapa 02): PUERTO de la línea de órdenes. Al acabar la etapa debe imprimir (N es el
    // TODO(etapa 02): puerto de verdad: con PUERTO 0 lo elige el núcleo, y tienes que
    // TODO(etapa 02): preguntárselo):
    // TODO(etapa 02):   [servidor] bind(): socket enlazado al puerto N
    // TODO(etapa 02): Lo que hace falta, en orden (comprueba cada llamada con
    // TODO(etapa 02): sockets::comprobar()):
    // TODO(etapa 02):   1. Permitir reutilizar la dirección (la opción SO_REUSEADDR) ANTES de
    // TODO(etapa 02):      enlazar, para poder reiniciar el servidor aunque queden conexiones
    // TODO(etapa 02):      viejas en TIME_WAIT. Lee: sección «SO_REUSEADDR»; man 2 setsockopt, man
    // TODO(etapa 02):      7 socket.
    // TODO(etapa 02):   2. Enlazar el socket a una dirección IPv4 (familia, dirección «cualquiera»
    // TODO(etapa 02):      y puerto; los dos últimos en orden de red). Lee: secciones «Enlazar el
    // TODO(etapa 02):      socket a un puerto» y «El orden de red: htons()»; man 2 bind, man 7 ip,
    // TODO(etapa 02):      man 3 htons.
    // TODO(etapa 02):   3. Preguntar al núcleo qué puerto quedó y pasarlo al orden del host.
    // TODO(etapa 02):      Guárdalo en una constante llamada «puerto_real» (la lección 03 la usa).
    // TODO(etapa 02):      Lee: sección «El puerto 0 y getsockname()»; man 2 getsockname.
    // TODO(etapa 02): Las secciones son de docs/02_bind.md. Cuando ya uses el puerto, borra la
    // TODO(etapa 02): línea (void) de abajo.
    (void)puerto;  // sin usar hasta la etapa 02, la de bind()
    // [02-bind]

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
