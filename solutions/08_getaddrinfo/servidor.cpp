/// \file
/// \brief Lección 08 · getaddrinfo — servidor: un solo socket para IPv4 e IPv6.
///
/// El servidor de la lección 07 (un hijo por cliente) escucha ahora en `::`, la dirección
/// comodín de IPv6, con la opción IPV6_V6ONLY a 0: el mismo socket acepta clientes IPv6 (::1) e
/// IPv4 (127.0.0.1), que le llegan como direcciones IPv6 mapeadas (::ffff:127.0.0.1) y que
/// narra en su propia familia. Si el sistema no tiene IPv6, escucha solo en IPv4.
/// Las marcas `// [NN-nombre]` rodean el código de la etapa NN.
#include "sockets_comun.h"

namespace {

// [08-texto]
/// «IP:PUERTO» de una dirección IPv4 y «[IP]:PUERTO» de una IPv6, para mostrarla: inet_ntop(3)
/// y ntohs(3). Una IPv6 «mapeada» (::ffff:a.b.c.d: un cliente IPv4 que llegó a un socket IPv6)
/// se muestra como la IPv4 que es. Los corchetes separan la IPv6 (que lleva «:») del puerto.
std::string texto_de(const sockaddr* direccion) {
    char ip[INET6_ADDRSTRLEN];  // cabe la IPv6 más larga con su '\0' (y cualquier IPv4)
    // sockaddr es el tipo genérico: según sa_family es una sockaddr_in o una sockaddr_in6.
    if (direccion->sa_family == AF_INET6) {
        const auto* d6 = reinterpret_cast<const sockaddr_in6*>(direccion);
        const std::string puerto = std::to_string(ntohs(d6->sin6_port));
        if (IN6_IS_ADDR_V4MAPPED(&d6->sin6_addr)) {  // ::ffff:a.b.c.d: los 4 últimos bytes
            if (inet_ntop(AF_INET, &d6->sin6_addr.s6_addr[12], ip, sizeof ip) == nullptr)
                sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET y este tamaño
            return std::string(ip) + ":" + puerto;
        }
        if (inet_ntop(AF_INET6, &d6->sin6_addr, ip, sizeof ip) == nullptr)
            sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET6 y este tamaño
        return "[" + std::string(ip) + "]:" + puerto;
    }
    const auto* d4 = reinterpret_cast<const sockaddr_in*>(direccion);
    if (inet_ntop(AF_INET, &d4->sin_addr, ip, sizeof ip) == nullptr)
        sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET y este tamaño
    return std::string(ip) + ":" + std::to_string(ntohs(d4->sin_port));
}
// [08-texto]

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

// [07-recoger-hijos]
/// Manejador de SIGCHLD: recoge con waitpid(2) a todos los hijos que ya terminaron, para que no
/// queden zombis. Las señales no se acumulan (cinco hijos que acaban a la vez pueden dar una sola
/// SIGCHLD): por eso el bucle, con WNOHANG para no esperar a los que siguen vivos.
void recoger_hijos(int /*senal*/) {
    const int errno_guardado = errno;  // waitpid() cambia errno; el código interrumpido lo lee
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    errno = errno_guardado;
}
// [07-recoger-hijos]

// [07-sigchld]
/// Instala recoger_hijos() como manejador de SIGCHLD con sigaction(2), para que ningún hijo que
/// termina se quede zombi. Lanza std::system_error si sigaction() falla.
void instalar_recoger_hijos() {
    // Sin SA_RESTART, a propósito: cuando un hijo termina y llega SIGCHLD, accept() vuelve con -1
    // y EINTR, y el bucle lo reintenta (con SA_RESTART lo reintentaría el núcleo sin avisar).
    struct sigaction recoger {};
    recoger.sa_handler = recoger_hijos;
    sigemptyset(&recoger.sa_mask);
    recoger.sa_flags = 0;
    sockets::comprobar("sigaction()", sigaction(SIGCHLD, &recoger, nullptr));
}
// [07-sigchld]

// [07-hijo]
/// El trabajo del proceso hijo: cierra su copia del socket de escucha (solo el padre acepta),
/// hace el eco con su cliente y cierra la conexión. Devuelve su código de salida: 0 bien,
/// 1 si algo falló (tras explicarlo en stderr).
int atender_en_hijo(int escucha, int conexion) {
    try {
        sockets::comprobar("close()", close(escucha));
        const std::size_t bytes = atender(conexion);
        sockets::comprobar("close()", close(conexion));
        std::cout << "[servidor] close(): conexión cerrada (" << bytes
                  << (bytes == 1 ? " byte de eco)" : " bytes de eco)") << std::endl;
        return EXIT_SUCCESS;
    } catch (const std::exception& e) {
        std::cerr << "[servidor] error: " << e.what() << std::endl;
        return EXIT_FAILURE;
    }
}
// [07-hijo]

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

// [08-socket]
/// Crea el socket de escucha y devuelve su descriptor: IPv6 o, si el sistema no tiene IPv6, IPv4
/// (y entonces pone `solo_ipv4` a true). Lanza std::system_error si socket() falla.
int crear_escucha(bool& solo_ipv4) {
    // Un solo socket para las dos familias: IPv6. Si este sistema no tiene IPv6 (un núcleo sin
    // él da EAFNOSUPPORT), el servidor se queda con IPv4, como hasta la lección 07.
    solo_ipv4 = false;
    int escucha = socket(AF_INET6, SOCK_STREAM, 0);  // IPv6 y flujo de bytes (TCP)
    if (escucha == -1 && errno == EAFNOSUPPORT) {
        solo_ipv4 = true;
        escucha = socket(AF_INET, SOCK_STREAM, 0);  // IPv4, como en la lección 01
    }
    sockets::comprobar("socket()", escucha);  // -1 y errno si no pudo
    std::cout << "[servidor] socket(): descriptor " << escucha
              << (solo_ipv4 ? " (solo IPv4: este sistema no tiene IPv6)" : " (IPv6 e IPv4)")
              << std::endl;
    return escucha;
}
// [08-socket]

// [08-bind]
/// Enlaza `escucha` a `puerto` en cualquier dirección de su familia (IPv6, con IPV6_V6ONLY a 0 para
/// aceptar también IPv4; o IPv4 si `solo_ipv4`) y devuelve el puerto real (con 0, el que eligió el
/// núcleo). Lanza std::system_error si falla setsockopt(), bind() o getsockname().
std::uint16_t enlazar(int escucha, std::uint16_t puerto, bool solo_ipv4) {
    // SO_REUSEADDR: al reiniciar el servidor, su puerto puede seguir ocupado por conexiones
    // viejas en TIME_WAIT (las guarda el extremo que cerró primero, 60 s en Linux, por si llegan
    // segmentos rezagados). Sin esta opción bind() fallaría con EADDRINUSE hasta que caduquen.
    const int si = 1;
    sockets::comprobar("setsockopt()",
                       setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si));

    // sockaddr_storage tiene sitio para una dirección de cualquier familia: aquí se rellena como
    // sockaddr_in6 («::», cualquier dirección IPv6) o, sin IPv6, como sockaddr_in (INADDR_ANY).
    sockaddr_storage direccion{};
    socklen_t largo = 0;
    if (solo_ipv4) {
        auto& d4 = reinterpret_cast<sockaddr_in&>(direccion);
        d4.sin_family = AF_INET;
        d4.sin_addr.s_addr = htonl(INADDR_ANY);  // cualquier interfaz de esta máquina
        d4.sin_port = htons(puerto);             // el puerto, en orden de red (big endian)
        largo = sizeof d4;
    } else {
        // IPV6_V6ONLY a 0: el socket IPv6 acepta también clientes IPv4 (doble pila). Su valor
        // por omisión depende del sistema (en Linux, de /proc/sys/net/ipv6/bindv6only; en otros
        // es 1): se fija siempre, antes de bind().
        const int no = 0;
        sockets::comprobar("setsockopt()",
                           setsockopt(escucha, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no));
        auto& d6 = reinterpret_cast<sockaddr_in6&>(direccion);
        d6.sin6_family = AF_INET6;
        d6.sin6_addr = in6addr_any;  // «::», cualquier dirección (y con ella, cualquier IPv4)
        d6.sin6_port = htons(puerto);
        largo = sizeof d6;
    }
    // bind() acepta cualquier familia con el tipo genérico sockaddr: de ahí la conversión (cast).
    sockets::comprobar("bind()",
                       bind(escucha, reinterpret_cast<const sockaddr*>(&direccion), largo));

    // Con PUERTO 0 el núcleo eligió un puerto libre: getsockname() dice cuál es el real.
    largo = sizeof direccion;
    sockets::comprobar("getsockname()",
                       getsockname(escucha, reinterpret_cast<sockaddr*>(&direccion), &largo));
    const std::uint16_t puerto_real =
        ntohs(solo_ipv4 ? reinterpret_cast<const sockaddr_in&>(direccion).sin_port
                        : reinterpret_cast<const sockaddr_in6&>(direccion).sin6_port);
    std::cout << "[servidor] bind(): socket enlazado al puerto " << puerto_real << std::endl;
    return puerto_real;
}
// [08-bind]

// [07-cola]
/// Agranda a SOMAXCONN la cola de conexiones de `escucha`, que ya escucha (listen(2) de nuevo), y
/// lo narra. Lanza std::system_error si listen() falla.
void ampliar_cola(int escucha) {
    // Cuando llegan muchos clientes a la vez, la cola de 5 de la lección 03 se
    // llena: el núcleo descarta el saludo de quien no cabe y su connect() lo repite 1 s después.
    // listen() sobre un socket que ya escucha solo cambia el tamaño de su cola; SOMAXCONN es el
    // máximo que admite la llamada (el núcleo aún lo recorta a net.core.somaxconn). Se narra: la
    // línea de listen() decía «cola de 5» (docs/07_fork.md, «Cuánto cuesta un fork por conexión»).
    sockets::comprobar("listen()", listen(escucha, SOMAXCONN));
    std::cout << "[servidor] listen(): cola ampliada a " << SOMAXCONN << " (SOMAXCONN)"
              << std::endl;
}
// [07-cola]

// [08-aceptar]
/// Acepta clientes sin fin y crea con fork(2) un hijo para cada uno: el hijo lo atiende
/// (atender_en_hijo()) mientras el padre vuelve enseguida a accept(). No vuelve nunca; lanza
/// std::system_error si falla accept(), fork() o close().
void atender_con_fork(int escucha) {
    for (;;) {  // un cliente tras otro, hasta que maten al servidor
        // Un cliente IPv6 no cabe en una sockaddr_in: sockaddr_storage tiene sitio para todas.
        sockaddr_storage cliente{};
        socklen_t largo_cliente = sizeof cliente;  // entrada: tamaño del hueco; salida: lo usado
        const int conexion =
            accept(escucha, reinterpret_cast<sockaddr*>(&cliente), &largo_cliente);
        if (conexion == -1 && errno == EINTR) continue;  // lo interrumpió SIGCHLD: otra vez
        if (conexion == -1 && errno == ECONNABORTED) continue;  // ese cliente se fue: el siguiente
        sockets::comprobar("accept()", conexion);
        const std::string quien = texto_de(reinterpret_cast<const sockaddr*>(&cliente));
        std::cout << "[servidor] accept(): cliente " << quien << " en el descriptor "
                  << conexion << std::endl;

        // fork() duplica el proceso, descriptores incluidos: vuelve dos veces, con 0 en el hijo
        // y con el PID del hijo en el padre.
        const pid_t hijo = fork();
        if (hijo == 0) _exit(atender_en_hijo(escucha, conexion));  // el hijo no vuelve al bucle
        sockets::comprobar("fork()", hijo);  // si falla, el servidor termina con el error
        sockets::comprobar("close()", close(conexion));  // el padre no habla con el cliente
        std::cout << "[servidor] fork(): el hijo " << hijo << " atiende a " << quien << std::endl;
    }
}
// [08-aceptar]

/// El servidor, paso a paso: cada lección le añade una etapa.
/// Lanza std::system_error si falla una llamada al sistema.
void servir(std::uint16_t puerto) {
    // [05-sigpipe-llamada]
    ignorar_sigpipe();  // lo primero: desde aquí, escribir a quien ya cerró es un error EPIPE
    // [05-sigpipe-llamada]

    // [08-escucha-llamada]
    bool solo_ipv4 = false;  // sin IPv6, crear_escucha() lo pone a true y todo sigue en IPv4
    const int escucha = crear_escucha(solo_ipv4);
    const std::uint16_t puerto_real = enlazar(escucha, puerto, solo_ipv4);
    // [08-escucha-llamada]

    // [03-listen]
    // listen() vuelve pasivo al socket: desde ahora el núcleo completa por su cuenta el saludo de
    // TCP con cada cliente que llegue y guarda la conexión en la cola hasta que la pidamos.
    constexpr int kCola = 5;  // cuántas conexiones completas pueden esperar en la cola
    sockets::comprobar("listen()", listen(escucha, kCola));
    std::cout << "[servidor] listen(): escuchando en el puerto " << puerto_real << " (cola de "
              << kCola << ")" << std::endl;
    // [03-listen]

    // [07-sigchld-llamada]
    instalar_recoger_hijos();  // desde aquí, cada hijo que termina interrumpe accept() (EINTR)
    // [07-sigchld-llamada]

    // [07-cola-llamada]
    ampliar_cola(escucha);  // antes de aceptar: llegarán muchos clientes a la vez
    // [07-cola-llamada]

    // [07-fork-llamada]
    atender_con_fork(escucha);  // no vuelve: un cliente tras otro, hasta que maten al servidor
    // [07-fork-llamada]
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
