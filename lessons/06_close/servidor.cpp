/// \file
/// \brief Lección 06 · close — servidor: libera la comunicación de forma ordenada.
///
/// Último paso del servidor: «cierre de la comunicación y del socket, por medio de la función
/// close()». Como propone el texto, el socket con nombre se cierra en cuanto hay un cliente (ya
/// no se aceptan más), y la conexión se cierra cuando el cliente termina de enviar.
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
// El protocolo (docs/protocolo.md): el cliente envía líneas de texto terminadas en '\n' y el
// servidor le devuelve cada byte que recibe, tal cual y en orden. El servidor no busca los '\n':
// TCP es un flujo de bytes y un read() no es un mensaje (puede traer media línea o varias), así
// que reenvía lo que llegue, con memoria constante y para líneas de cualquier longitud. Es el
// cliente quien junta los bytes hasta el '\n'; una línea de más de 1 MiB es un error. Cuando el
// cliente cierra su lado, read() devuelve 0 (fin de fichero) y la conversación termina.
// [05-protocolo]

// [05-escribir-todo]
/// Escribe los `n` bytes de `datos` en `fd` con write(2), que puede escribir menos de lo pedido
/// (escritura parcial) o ser interrumpido por una señal (EINTR): repite hasta terminar.
/// Lanza std::system_error si write() falla (EPIPE si el otro extremo ya cerró).
void escribir_todo(int fd, const char* datos, std::size_t n) {
    while (n > 0) {
        const ssize_t escritos = write(fd, datos, n);
        if (escritos == -1 && errno == EINTR) continue;  // interrumpido antes de escribir nada
        sockets::comprobar("write()", escritos);
        datos += escritos;  // lo que falta empieza donde acabó esta escritura
        n -= static_cast<std::size_t>(escritos);
    }
}
// [05-escribir-todo]

// [05-atender]
/// Atiende a un cliente: con read(2) y escribir_todo() le devuelve cada byte que envía, hasta
/// que cierra su lado (read() devuelve 0). Devuelve cuántos bytes devolvió.
/// Lanza std::system_error si read() o write() fallan (ECONNRESET, EPIPE...).
std::size_t atender(int conexion) {
    char bufer[16 * 1024];
    std::size_t total = 0;
    for (;;) {
        const ssize_t leidos = read(conexion, bufer, sizeof bufer);  // lo que haya, hasta 16 KiB
        if (leidos == -1 && errno == EINTR) continue;  // interrumpido por una señal: otra vez
        sockets::comprobar("read()", leidos);
        if (leidos == 0) return total;  // fin de fichero: el cliente ya no enviará más
        escribir_todo(conexion, bufer, static_cast<std::size_t>(leidos));
        total += static_cast<std::size_t>(leidos);
    }
}
// [05-atender]

// [05-sigpipe]
/// Ignora la señal SIGPIPE en todo el proceso, con sigaction(2): escribir a un cliente que ya
/// cerró pasa a ser un error (EPIPE) que se explica. Lanza std::system_error si sigaction() falla.
void ignorar_sigpipe() {
    // Si el otro extremo ya cerró, el primer write() funciona y él responde con un RST; el
    // siguiente provoca SIGPIPE (no si el otro solo hizo shutdown(SHUT_WR)), que por defecto
    // mata al proceso sin decir nada. Ignorada, write() devuelve -1 con EPIPE y lo explicamos.
    struct sigaction ignorar {};
    ignorar.sa_handler = SIG_IGN;
    sigemptyset(&ignorar.sa_mask);
    sockets::comprobar("sigaction()", sigaction(SIGPIPE, &ignorar, nullptr));
}
// [05-sigpipe]

/// El servidor, paso a paso: cada lección le añade una etapa.
/// Lanza std::system_error si falla una llamada al sistema.
void servir(std::uint16_t puerto) {
    // [05-sigpipe-llamada]
    ignorar_sigpipe();  // lo primero: desde aquí, escribir a quien ya cerró es un error EPIPE
    // [05-sigpipe-llamada]

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

    // [06-cerrar-escucha]
    // TODO(etapa 06): Objetivo: como propone el texto, nada más aceptar al cliente el servidor
    // TODO(etapa 06): cierra el socket con nombre (el de escucha): no aceptará a nadie más, y la
    // TODO(etapa 06): conexión sigue abierta. Compruébalo e imprime:
    // TODO(etapa 06):   [servidor] close(): socket de escucha cerrado; no se aceptan más clientes
    // TODO(etapa 06): Lee: docs/06_close.md, sección «Cerrar el socket con nombre tras accept»;
    // TODO(etapa 06): man 2 close.
    // [06-cerrar-escucha]

    // [06-cerrar-conexion]
    // TODO(etapa 06): Objetivo: cuando atender() vuelve, el cliente ya cerró su lado (read()
    // TODO(etapa 06): devolvió 0). Guarda cuántos bytes devolvió atender(), cierra la conexión,
    // TODO(etapa 06): compruébalo e imprime (N son esos bytes; «1 byte de eco» si N es 1):
    // TODO(etapa 06):   [servidor] close(): conexión cerrada (N bytes de eco)
    // TODO(etapa 06): El cierre del socket de escucha del final sobra (ya lo cerraste nada más
    // TODO(etapa 06): aceptar): bórralo.
    // TODO(etapa 06): Lee: docs/06_close.md, sección «Cerrar la conexión al final».
    atender(conexion);  // eco hasta que el cliente cierre su lado
    sockets::comprobar("close()", close(conexion));  // la conexión con este cliente
    sockets::comprobar("close()", close(escucha));  // todo descriptor abierto se cierra
    // [06-cerrar-conexion]
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
