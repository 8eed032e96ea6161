/// \file
/// \brief Lección 05 · read y write — servidor: devuelve (eco) todo lo que recibe.
///
/// Quinto paso del servidor: «escribir y recibir datos del cliente, por medio de las funciones
/// write() y read()», las mismas que con un fichero. Ambos lados deben saber qué esperan: aquí,
/// un protocolo de eco por líneas (docs/protocolo.md). Este servidor atiende a un cliente hasta
/// que cierra su lado, cierra y termina.
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

// [05-protocolo]
// TODO(etapa 05): lee docs/protocolo.md y resume aquí el protocolo en un comentario: el cliente
// TODO(etapa 05): envía líneas terminadas en '\n' y el servidor le devuelve cada byte que recibe,
// TODO(etapa 05): tal cual (eco).
// [05-protocolo]

// [05-escribir-todo]
// TODO(etapa 05): escribe la función que envía un bloque entero, documentada con ///:
// TODO(etapa 05):   void escribir_todo(int fd, const char* datos, std::size_t n)
// TODO(etapa 05): Mientras n > 0, llama a write(fd, datos, n), que puede escribir MENOS de lo
// TODO(etapa 05): pedido:
// TODO(etapa 05):   - si devuelve -1 con errno == EINTR (lo interrumpió una señal), repite;
// TODO(etapa 05):   - si no, compruébalo con sockets::comprobar("write()", escritos);
// TODO(etapa 05):   - avanza datos y resta de n lo que sí se escribió (escritura parcial).
// [05-escribir-todo]

// [05-atender]
// TODO(etapa 05): escribe el eco, documentado con ///:
// TODO(etapa 05):   std::size_t atender(int conexion)
// TODO(etapa 05): En un bucle, read(conexion, bufer, sizeof bufer) sobre un char bufer[16 * 1024]:
// TODO(etapa 05):   - -1 con errno == EINTR: repite; otro -1: sockets::comprobar("read()", leidos);
// TODO(etapa 05):   - 0: fin de fichero (el cliente cerró su lado): devuelve el total de bytes
// TODO(etapa 05):     devueltos;
// TODO(etapa 05):   - n > 0: escribir_todo(conexion, bufer, n) y suma n al total. Un read() no es
// TODO(etapa 05):     un mensaje: no esperes a tener una línea entera, reenvía lo que llegue.
// [05-atender]

/// El servidor, paso a paso: cada lección le añade una etapa.
/// Lanza std::system_error si falla una llamada al sistema.
void servir(std::uint16_t puerto) {
    // [05-sigpipe]
    // TODO(etapa 05): ignora la señal SIGPIPE: así, escribir en una conexión que el otro lado ya
    // TODO(etapa 05): cerró da el error EPIPE (que se explica) en vez de matar al proceso en
    // TODO(etapa 05): silencio:
    // TODO(etapa 05):   struct sigaction ignorar {};
    // TODO(etapa 05):   ignorar.sa_handler = SIG_IGN;
    // TODO(etapa 05):   sigemptyset(&ignorar.sa_mask);
    // TODO(etapa 05):   sockets::comprobar("sigaction()", sigaction(SIGPIPE, &ignorar, nullptr));
    // [05-sigpipe]

    // [01-socket]
    const int escucha = socket(AF_INET, SOCK_STREAM, 0);  // IPv4 y flujo de bytes (TCP)
    sockets::comprobar("socket()", escucha);               // -1 y errno si no pudo
    std::cout << "[servidor] socket(): descriptor " << escucha << std::endl;
    // [01-socket]

    // [02-bind]
    // SO_REUSEADDR: al reiniciar el servidor, su puerto puede seguir ocupado por conexiones
    // viejas en TIME_WAIT (quien cierra primero las guarda un par de minutos por si llegan
    // segmentos rezagados). Sin esta opción bind() fallaría con EADDRINUSE hasta que caduquen.
    const int si = 1;
    sockets::comprobar("setsockopt()",
                       setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si));

    sockaddr_in direccion{};                        // dirección IPv4, todo a cero
    direccion.sin_family = AF_INET;
    direccion.sin_addr.s_addr = htonl(INADDR_ANY);  // cualquier interfaz de esta máquina
    direccion.sin_port = htons(puerto);             // el puerto, en orden de red (big endian)
    // bind() acepta cualquier familia mediante el tipo genérico sockaddr: de ahí el molde.
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

    // [04-accept]
    // accept() saca de la cola la siguiente conexión (o espera a que llegue una) y devuelve un
    // descriptor NUEVO para hablar con ese cliente; en `cliente` deja su dirección.
    sockaddr_in cliente{};
    socklen_t largo_cliente = sizeof cliente;  // entrada: tamaño del hueco; salida: lo usado
    int conexion = accept(escucha, reinterpret_cast<sockaddr*>(&cliente), &largo_cliente);
    // ECONNABORTED: el cliente que estaba en la cola se fue (RST) antes de que lo aceptáramos.
    // No es un fallo del servidor: se pide el siguiente.
    while (conexion == -1 && errno == ECONNABORTED)
        conexion = accept(escucha, reinterpret_cast<sockaddr*>(&cliente), &largo_cliente);
    sockets::comprobar("accept()", conexion);
    std::cout << "[servidor] accept(): cliente " << texto_de(cliente) << " en el descriptor "
              << conexion << std::endl;
    // [04-accept]

    // [05-eco]
    // TODO(etapa 05): atiende al cliente antes de cerrar su conexión:
    // TODO(etapa 05):   atender(conexion);
    // [05-eco]

    // [04-cerrar]
    sockets::comprobar("close()", close(conexion));  // la conexión con este cliente
    // [04-cerrar]

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
