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
    // TODO(etapa 02): da nombre al socket: enlázalo al puerto con bind(2). Comprueba cada llamada
    // TODO(etapa 02): con sockets::comprobar("llamada()", ...).
    // TODO(etapa 02):   1. Activa SO_REUSEADDR, para poder reiniciar el servidor aunque el puerto
    // TODO(etapa 02):      aún tenga conexiones en TIME_WAIT:
    // TODO(etapa 02):        const int si = 1;
    // TODO(etapa 02):        setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si)
    // TODO(etapa 02):   2. Rellena un sockaddr_in direccion{} con sin_family = AF_INET,
    // TODO(etapa 02):      sin_addr.s_addr = htonl(INADDR_ANY) y sin_port = htons(puerto), y
    // TODO(etapa 02):      enlaza:
    // TODO(etapa 02):        bind(escucha, reinterpret_cast<const sockaddr*>(&direccion),
    // TODO(etapa 02):             sizeof direccion)
    // TODO(etapa 02):   3. Con PUERTO 0 el puerto lo elige el núcleo: pregúntale cuál con
    // TODO(etapa 02):      getsockname(escucha, ...) sobre la misma direccion (socklen_t largo =
    // TODO(etapa 02):      sizeof direccion) y guárdalo en orden del host:
    // TODO(etapa 02):        const std::uint16_t puerto_real = ntohs(direccion.sin_port);
    // TODO(etapa 02):   4. Imprime, con std::endl:
    // TODO(etapa 02):        [servidor] bind(): socket enlazado al puerto N
    // TODO(etapa 02): Después borra la línea (void)puerto de abajo.
    (void)puerto;  // todavía sin usar: bind() lo usará en la lección 02
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
