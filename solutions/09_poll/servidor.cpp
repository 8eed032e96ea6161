/// \file
/// \brief Lección 09 · poll — servidor: un solo proceso atiende a todos los clientes a la vez.
///
/// En vez de un hijo por cliente (lección 07), un bucle: poll(2) espera a que cualquiera de los
/// sockets tenga algo (un cliente nuevo en la cola, bytes que leer, sitio para escribir) y el
/// servidor atiende solo eso, sin esperar nunca a nadie: todos los sockets son no bloqueantes
/// (fcntl(2), O_NONBLOCK). Lo que no se pudo devolver a un cliente espera en su cola de salida;
/// si se llena, se deja de leerle (contrapresión). Ni fork(), ni hijos, ni SIGCHLD.
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

// [09-cliente]
/// Lo que el servidor recuerda de cada cliente entre una vuelta del bucle y la siguiente: con un
/// solo proceso para todos, nadie puede quedarse esperando a un cliente, así que lo que falta
/// por hacer con él se apunta aquí.
struct Cliente {
    int fd = -1;                ///< El descriptor conectado (no bloqueante).
    std::string direccion;      ///< «127.0.0.1:PUERTO» o «[::1]:PUERTO», para narrar.
    std::string pendiente;      ///< Bytes recibidos que aún no se le han devuelto (su eco).
    bool fin = false;           ///< Envió su fin de fichero: ya no se le lee más.
    bool error = false;         ///< Falló una llamada con él (ya explicado en stderr).
    std::size_t devueltos = 0;  ///< Bytes de eco devueltos, para narrar el cierre.
};

/// Como mucho esto por devolver a un cliente. Con la cola de salida llena se deja de leer lo que
/// envía hasta que lea su eco (contrapresión): así un cliente que envía sin leer no llena la
/// memoria del servidor ni le quita el turno a los demás.
constexpr std::size_t kMaximoPendiente = 64 * 1024;

/// Qué esperar de `c` en el próximo poll(): POLLIN (hay algo que leer) mientras quepa más en su
/// cola de salida y no haya terminado; POLLOUT (se puede escribir) mientras la cola tenga algo.
short eventos_de(const Cliente& c) {
    short eventos = 0;
    if (!c.fin && c.pendiente.size() < kMaximoPendiente) eventos |= POLLIN;
    if (!c.pendiente.empty()) eventos |= POLLOUT;
    return eventos;
}

/// ¿Se puede despedir ya a `c`? Tras su fin de fichero, cuando ya tiene todo su eco; o si falló.
bool terminado(const Cliente& c) { return c.error || (c.fin && c.pendiente.empty()); }
// [09-cliente]

// [09-no-bloqueante]
/// Pone `fd` en modo no bloqueante con fcntl(2): desde ahora read(), write() y accept() sobre él
/// nunca esperan; si no hay nada que hacer vuelven con -1 y errno EAGAIN (o EWOULDBLOCK).
/// Lanza std::system_error si fcntl() falla.
void no_bloqueante(int fd) {
    const int opciones = fcntl(fd, F_GETFL);  // las opciones que ya tiene el descriptor
    sockets::comprobar("fcntl()", opciones);
    sockets::comprobar("fcntl()", fcntl(fd, F_SETFL, opciones | O_NONBLOCK));  // y una más
}

/// ¿El errno de una llamada no bloqueante que devolvió -1 solo dice «ahora no hay nada»?
bool ahora_no(int error) { return error == EAGAIN || error == EWOULDBLOCK || error == EINTR; }
// [09-no-bloqueante]

// [09-leer]
/// Un read(2), uno solo, de lo que haya enviado `c` (poll() avisó de que hay algo): los bytes van
/// a su cola de salida, que es el eco. Lee como mucho lo que cabe en la cola. read() devuelve 0
/// en el fin de fichero (c.fin). Lanza std::system_error si read() falla (ECONNRESET...).
void leer(Cliente& c) {
    char bufer[16 * 1024];
    const std::size_t cabe = std::min(sizeof bufer, kMaximoPendiente - c.pendiente.size());
    const ssize_t leidos = read(c.fd, bufer, cabe);
    if (leidos == -1 && ahora_no(errno)) return;  // falsa alarma: en otra vuelta
    sockets::comprobar("read()", leidos);
    if (leidos == 0) c.fin = true;  // fin de fichero: el cliente ya no enviará más
    c.pendiente.append(bufer, static_cast<std::size_t>(leidos));
}
// [09-leer]

// [09-escribir]
/// Un write(2), uno solo, de la cola de salida de `c`: puede escribir solo una parte (escritura
/// parcial) o nada (EAGAIN: el búfer del socket en el núcleo está lleno porque el cliente no lee);
/// lo que falte, en otra vuelta. Lanza std::system_error si write() falla (EPIPE, ECONNRESET).
void escribir(Cliente& c) {
    const ssize_t escritos = write(c.fd, c.pendiente.data(), c.pendiente.size());
    if (escritos == -1 && ahora_no(errno)) return;  // nada escrito: en otra vuelta
    sockets::comprobar("write()", escritos);
    c.pendiente.erase(0, static_cast<std::size_t>(escritos));  // lo escrito sale de la cola
    c.devueltos += static_cast<std::size_t>(escritos);
}
// [09-escribir]

// [09-aceptar]
/// Acepta a todos los clientes que esperan en la cola de `escucha` (no bloqueante: accept()
/// devuelve -1 y EAGAIN cuando no queda ninguno), cada uno con su socket no bloqueante.
/// Devuelve false si se quedó sin descriptores (EMFILE o ENFILE): entonces el cliente sigue en la
/// cola, y hasta que se vaya otro no tiene sentido volver a intentarlo. Lanza std::system_error
/// si accept() falla por otro motivo.
bool aceptar_clientes(int escucha, std::vector<Cliente>& clientes) {
    for (;;) {
        sockaddr_storage direccion{};  // cabe una dirección de cualquier familia
        socklen_t largo = sizeof direccion;  // entrada: tamaño del hueco; salida: lo usado
        const int conexion = accept(escucha, reinterpret_cast<sockaddr*>(&direccion), &largo);
        if (conexion == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;  // ninguno
        if (conexion == -1 && (errno == EINTR || errno == ECONNABORTED)) continue;  // el siguiente
        if (conexion == -1 && (errno == EMFILE || errno == ENFILE)) {
            std::cerr << "[servidor] aviso: accept(): " << sockets::texto_errno(errno)
                      << "; no acepto a nadie más hasta que se vaya un cliente" << std::endl;
            return false;
        }
        sockets::comprobar("accept()", conexion);
        Cliente c;
        c.fd = conexion;
        c.direccion = texto_de(reinterpret_cast<const sockaddr*>(&direccion));
        std::cout << "[servidor] accept(): cliente " << c.direccion << " en el descriptor "
                  << conexion << std::endl;
        clientes.push_back(std::move(c));
        no_bloqueante(conexion);  // como la escucha: ninguna llamada con él esperará
    }
}
// [09-aceptar]

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

// [09-bucle]
/// El bucle de poll(2): un solo proceso atiende a todos los clientes a la vez. En cada vuelta
/// espera a que pase algo (un cliente nuevo, bytes que leer, sitio para escribir) y atiende solo
/// eso, sin esperar a nadie. No vuelve nunca; lanza std::system_error si poll() o close() fallan.
void atender_con_poll(int escucha) {
    no_bloqueante(escucha);  // accept() solo se llama cuando poll() dice que hay alguien
    std::vector<Cliente> clientes;
    std::vector<pollfd> vigilados;  // lo que mira poll(): la escucha y un socket por cliente
    bool aceptar = true;            // false mientras no quedan descriptores libres (EMFILE)
    for (;;) {  // una vuelta: esperar a que pase algo y atender lo que pasó, sin esperar a nadie
        vigilados.clear();
        vigilados.push_back({escucha, static_cast<short>(aceptar ? POLLIN : 0), 0});
        for (const Cliente& c : clientes) vigilados.push_back({c.fd, eventos_de(c), 0});
        // poll() duerme hasta que alguno de los vigilados esté listo; -1: sin plazo. En cada
        // pollfd deja en revents lo que pasó (POLLIN, POLLOUT, y POLLHUP o POLLERR si se cortó).
        const int listos = poll(vigilados.data(), vigilados.size(), -1);
        if (listos == -1 && errno == EINTR) continue;  // una señal: otra vuelta
        sockets::comprobar("poll()", listos);

        // Cada cliente con algo: como mucho un read() y un write() por vuelta, así ninguno deja
        // sin turno a los demás. Un error con uno (se fue, cortó) solo lo despide a él.
        for (std::size_t i = 0; i < clientes.size(); ++i) {
            Cliente& c = clientes[i];
            const short pasa = vigilados[i + 1].revents;
            if (pasa == 0) continue;
            try {
                if ((pasa & (POLLIN | POLLHUP | POLLERR)) != 0 && (eventos_de(c) & POLLIN) != 0)
                    leer(c);
                if (!c.pendiente.empty()) escribir(c);  // sin esperar a otra vuelta
            } catch (const std::exception& e) {
                std::cerr << "[servidor] error: " << e.what() << " (cliente " << c.direccion << ")"
                          << std::endl;
                c.error = true;
            }
        }

        // Despedir a los que terminaron: close() y fuera de la lista.
        for (auto c = clientes.begin(); c != clientes.end();) {
            if (!terminado(*c)) {
                ++c;
                continue;
            }
            sockets::comprobar("close()", close(c->fd));
            std::cout << "[servidor] close(): conexión con " << c->direccion << " cerrada ("
                      << c->devueltos << (c->devueltos == 1 ? " byte de eco)" : " bytes de eco)")
                      << std::endl;
            c = clientes.erase(c);
            aceptar = true;  // queda un descriptor libre
        }

        // Clientes nuevos en la cola de la escucha.
        if ((vigilados[0].revents & POLLIN) != 0) aceptar = aceptar_clientes(escucha, clientes);
    }
}
// [09-bucle]

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

    // [09-limite]
    // Un proceso para todos los clientes: un descriptor por cliente, todos en este proceso. El
    // límite blando de descriptores abiertos (ulimit -n: 1024 en muchos sistemas) se sube hasta
    // el duro (el que puede subir un usuario sin privilegios), con un tope razonable.
    constexpr rlim_t kDescriptores = 65536;
    rlimit limite{};
    sockets::comprobar("getrlimit()", getrlimit(RLIMIT_NOFILE, &limite));
    if (limite.rlim_cur < std::min(limite.rlim_max, kDescriptores)) {
        limite.rlim_cur = std::min(limite.rlim_max, kDescriptores);
        sockets::comprobar("setrlimit()", setrlimit(RLIMIT_NOFILE, &limite));
    }
    std::cout << "[servidor] setrlimit(): hasta " << limite.rlim_cur
              << " descriptores abiertos, uno por cliente" << std::endl;
    // [09-limite]

    // [07-cola-llamada]
    ampliar_cola(escucha);  // antes de aceptar: llegarán muchos clientes a la vez
    // [07-cola-llamada]

    // [09-bucle-llamada]
    atender_con_poll(escucha);  // no vuelve: todos los clientes, hasta que maten al servidor
    // [09-bucle-llamada]
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
