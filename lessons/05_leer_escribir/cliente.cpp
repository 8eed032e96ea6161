/// \file
/// \brief Lección 05 · read y write — cliente: envía líneas y muestra su eco.
///
/// Tercer paso del cliente: «escribir y recibir datos del servidor por medio de las funciones
/// write() y read()». Con el protocolo de eco por líneas (docs/protocolo.md), envía cada línea
/// y lee hasta tener su respuesta completa, aunque llegue a trozos.
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
// TODO(etapa 05): lee docs/protocolo.md y resume aquí el protocolo en un comentario. Una línea de
// TODO(etapa 05): más de 1 MiB es un error; declara el límite:
// TODO(etapa 05):   constexpr std::size_t kLineaMaxima = 1024 * 1024;
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

// [05-leer-linea]
// TODO(etapa 05): escribe la función que junta una línea de respuesta, documentada con ///:
// TODO(etapa 05):   bool leer_linea(int fd, std::string& pendiente, std::string& linea)
// TODO(etapa 05): Añade a pendiente lo que devuelva read() (sobre un char bufer[16 * 1024]) hasta
// TODO(etapa 05): que contenga un '\n'. Entonces copia a linea lo que va antes del '\n', borra de
// TODO(etapa 05): pendiente eso y el '\n', y devuelve true: lo que quede es el principio de la
// TODO(etapa 05): línea siguiente.
// TODO(etapa 05):   - read() da -1 con EINTR: repite; otro -1: sockets::comprobar("read()",
// TODO(etapa 05):     leidos);
// TODO(etapa 05):   - read() da 0 (el servidor cerró): si pendiente está vacío, devuelve false; si
// TODO(etapa 05):     no, lanza std::runtime_error("el servidor cerró la conexión antes de
// TODO(etapa 05):     responder");
// TODO(etapa 05):   - pendiente pasa de kLineaMaxima sin '\n': lanza std::runtime_error.
// [05-leer-linea]

/// El cliente, paso a paso: habla con el servidor `host`:`puerto` y le envía `mensaje` o, si es
/// nullptr, cada línea de la entrada estándar. Lanza std::system_error si falla una llamada.
void conversar(in_addr host, std::uint16_t puerto, const char* mensaje) {
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

    // [05-eco]
    // TODO(etapa 05): envía las líneas y muestra su eco:
    // TODO(etapa 05):   1. Las líneas salen de MENSAJE si lo hay (un std::istringstream con mensaje
    // TODO(etapa 05):      + '\n') o, si mensaje es nullptr, de std::cin. Declara std::string
    // TODO(etapa 05):      pendiente, linea y eco.
    // TODO(etapa 05):   2. Por cada línea (std::getline): si pasa de kLineaMaxima, lanza
    // TODO(etapa 05):      std::runtime_error; si no, añádele '\n' y envíala con
    // TODO(etapa 05):      escribir_todo(conexion, linea.data(), linea.size()).
    // TODO(etapa 05):   3. Lee su respuesta con leer_linea(conexion, pendiente, eco); si devuelve
    // TODO(etapa 05):      false, lanza std::runtime_error("el servidor cerró la conexión antes de
    // TODO(etapa 05):      responder").
    // TODO(etapa 05):   4. Imprime, con std::endl:
    // TODO(etapa 05):        [cliente] eco: LÍNEA
    // TODO(etapa 05): Después borra la línea (void)mensaje de abajo.
    (void)mensaje;  // todavía sin usar: se enviará en la lección 05
    // [05-eco]

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
