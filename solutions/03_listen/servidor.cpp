/// \file
/// \brief Lección 03 · listen — servidor: pide al sistema que empiece a atender conexiones.
///
/// Tercer paso del servidor: «avisar al sistema de que comience a atender dicha conexión de red»,
/// con listen(2). Desde ese momento el núcleo completa las conexiones que lleguen y, si llegan
/// más rápido de lo que las pedimos, hace una «cola» con ellas. Todavía no las pedimos (eso es
/// accept(), en la lección 04): el servidor espera al fin de su entrada estándar y cierra.
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

    // [03-listen]
    // listen() vuelve pasivo al socket: desde ahora el núcleo completa por su cuenta el saludo de
    // TCP con cada cliente que llegue y guarda la conexión en la cola hasta que la pidamos.
    constexpr int kCola = 5;  // cuántas conexiones completas pueden esperar en la cola
    sockets::comprobar("listen()", listen(escucha, kCola));
    std::cout << "[servidor] listen(): escuchando en el puerto " << puerto_real << " (cola de "
              << kCola << ")" << std::endl;
    // [03-listen]

    // [03-esperar]
    // Aún no llamamos a accept(), pero los clientes ya pueden conectar: el núcleo los deja en la
    // cola. Pruébalo desde otra terminal con «nc 127.0.0.1 PUERTO» (nc conecta aunque nadie le
    // conteste) y mira la conexión con «ss -tn». Esperamos al fin de la entrada (Ctrl+D).
    std::cin.ignore(std::numeric_limits<std::streamsize>::max());  // lee y descarta hasta EOF
    // [03-esperar]

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
