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
    // SO_REUSEADDR: al reiniciar el servidor, su puerto puede seguir ocupado por conexiones
    // viejas en TIME_WAIT (las guarda el extremo que cerró primero, 60 s en Linux, por si llegan
    // segmentos rezagados). Sin esta opción bind() fallaría con EADDRINUSE hasta que caduquen.
    const int si = 1;
    sockets::comprobar("setsockopt()",
                       setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si));

    sockaddr_in direccion{};                        // dirección IPv4, todo a cero
    direccion.sin_family = AF_INET;
    direccion.sin_addr.s_addr = htonl(INADDR_ANY);  // cualquier interfaz de esta máquina
    direccion.sin_port = htons(puerto);             // el puerto, en orden de red (big endian)
    // bind() acepta cualquier familia con el tipo genérico sockaddr: de ahí la conversión (cast).
    sockets::comprobar("bind()", bind(escucha, reinterpret_cast<const sockaddr*>(&direccion),
                                      sizeof direccion));

    // Con PUERTO 0 el núcleo eligió un puerto libre: getsockname() dice cuál es el real.
    socklen_t largo = sizeof direccion;
    sockets::comprobar("getsockname()",
                       getsockname(escucha, reinterpret_cast<sockaddr*>(&direccion), &largo));
    const std::uint16_t puerto_real = ntohs(direccion.sin_port);  // de orden de red al del host
    std::cout << "[servidor] bind(): socket enlazado al puerto " << puerto_real << std::endl;
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
