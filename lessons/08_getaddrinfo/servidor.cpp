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
// TODO(etapa 08): Paso 2 de 2 · narrar cualquier familia. texto_de() tiene que recibir la dirección
// TODO(etapa 08): genérica (const sockaddr*) y escribir las dos familias: «127.0.0.1:PUERTO» para
// TODO(etapa 08): IPv4 y «[::1]:PUERTO» para IPv6 (entre corchetes: la IPv6 ya lleva «:»). Un
// TODO(etapa 08): cliente IPv4 llega al socket IPv6 «mapeado» (::ffff:127.0.0.1): nárralo como la
// TODO(etapa 08): IPv4 que es.
// TODO(etapa 08): Pruebas: DoblePila.NarraUnClienteIpv4ComoIpv4,
// TODO(etapa 08): DoblePila.NarraUnClienteIpv6EntreCorchetes.
// TODO(etapa 08): Lee: docs/08_getaddrinfo.md, sección «Direcciones IPv4 mapeadas»; man 7 ipv6, man
// TODO(etapa 08): 3 inet_ntop.
/// «IP:PUERTO» de una dirección IPv4, para mostrarla: inet_ntop(3) y ntohs(3).
std::string texto_de(const sockaddr_in& direccion) {
    char ip[INET_ADDRSTRLEN];  // cabe «255.255.255.255» con su '\0'
    if (inet_ntop(AF_INET, &direccion.sin_addr, ip, sizeof ip) == nullptr)
        sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET y este tamaño
    return std::string(ip) + ":" + std::to_string(ntohs(direccion.sin_port));
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
// TODO(etapa 08): Paso 2 de 2 · un socket para las dos familias. Una función documentada con ///,
// TODO(etapa 08): crear_escucha, que crea el socket de escucha y devuelve su descriptor. Es IPv6:
// TODO(etapa 08): uno solo atiende también a los clientes IPv4. Si el sistema no tiene IPv6
// TODO(etapa 08): (socket() falla con EAFNOSUPPORT), sigue con un socket IPv4, como hasta ahora,
// TODO(etapa 08): y lo dice en el bool que recibe por referencia (solo_ipv4). La narración empieza
// TODO(etapa 08): igual: «[servidor] socket(): descriptor N» (detrás puedes decir qué familias
// TODO(etapa 08): atiende).
// TODO(etapa 08): Pruebas: DoblePila.UnSoloSocketIpv6ConV6onlyA0,
// TODO(etapa 08): DoblePila.SinIpv6EscuchaEnIpv4.
// TODO(etapa 08): Lee: docs/08_getaddrinfo.md, secciones «Un socket para IPv4 e IPv6» y «Si el
// TODO(etapa 08): sistema no tiene IPv6»; man 7 ipv6, man 2 socket.
// [08-socket]

// [08-bind]
// TODO(etapa 08): Paso 2 de 2 (continúa) · enlazar a «::». Una función documentada con ///,
// TODO(etapa 08): enlazar, que recibe el socket de escucha, el puerto pedido y solo_ipv4, lo
// TODO(etapa 08): enlaza y devuelve el puerto real. Antes de bind(), pon a 0 la opción IPV6_V6ONLY
// TODO(etapa 08): del socket IPv6 (su valor por omisión cambia de un sistema a otro) y enlázalo a
// TODO(etapa 08): la dirección comodín de IPv6 con el puerto pedido; sin IPv6, a INADDR_ANY como
// TODO(etapa 08): ahora. Una sockaddr_storage tiene sitio para las dos familias. SO_REUSEADDR y la
// TODO(etapa 08): narración del puerto real (getsockname()) no cambian.
// TODO(etapa 08): Pruebas: DoblePila.UnSoloSocketIpv6ConV6onlyA0,
// TODO(etapa 08): DoblePila.AtiendeAClientesIpv4EIpv6.
// TODO(etapa 08): Lee: docs/08_getaddrinfo.md, sección «Un socket para IPv4 e IPv6»; man 7 ipv6
// TODO(etapa 08): (IPV6_V6ONLY).
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
// TODO(etapa 08): Paso 2 de 2 (continúa) · aceptar a cualquiera. La dirección de un cliente
// TODO(etapa 08): IPv6 no cabe en una sockaddr_in: dale a accept() un hueco donde quepa
// TODO(etapa 08): cualquier familia y narra al cliente con tu nuevo texto_de() (en las dos
// TODO(etapa 08): líneas, accept() y fork()).
// TODO(etapa 08): Pruebas: DoblePila.AtiendeAClientesIpv4EIpv6,
// TODO(etapa 08): DoblePila.NarraUnClienteIpv6EntreCorchetes.
// TODO(etapa 08): Lee: docs/08_getaddrinfo.md, sección «Direcciones IPv4 mapeadas»; man 2
// TODO(etapa 08): accept.
/// Acepta clientes sin fin y crea con fork(2) un hijo para cada uno: el hijo lo atiende
/// (atender_en_hijo()) mientras el padre vuelve enseguida a accept(). No vuelve nunca; lanza
/// std::system_error si falla accept(), fork() o close().
void atender_con_fork(int escucha) {
    for (;;) {  // un cliente tras otro, hasta que maten al servidor
        sockaddr_in cliente{};
        socklen_t largo_cliente = sizeof cliente;  // entrada: tamaño del hueco; salida: lo usado
        const int conexion =
            accept(escucha, reinterpret_cast<sockaddr*>(&cliente), &largo_cliente);
        if (conexion == -1 && errno == EINTR) continue;  // lo interrumpió SIGCHLD: otra vez
        if (conexion == -1 && errno == ECONNABORTED) continue;  // ese cliente se fue: el siguiente
        sockets::comprobar("accept()", conexion);
        std::cout << "[servidor] accept(): cliente " << texto_de(cliente) << " en el descriptor "
                  << conexion << std::endl;

        // fork() duplica el proceso, descriptores incluidos: vuelve dos veces, con 0 en el hijo
        // y con el PID del hijo en el padre.
        const pid_t hijo = fork();
        if (hijo == 0) _exit(atender_en_hijo(escucha, conexion));  // el hijo no vuelve al bucle
        sockets::comprobar("fork()", hijo);  // si falla, el servidor termina con el error
        sockets::comprobar("close()", close(conexion));  // el padre no habla con el cliente
        std::cout << "[servidor] fork(): el hijo " << hijo << " atiende a " << texto_de(cliente)
                  << std::endl;
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
    // TODO(etapa 08): Paso 2 de 2 (continúa) · usar tus funciones. Cambia lo que sigue (crear el
    // TODO(etapa 08): socket IPv4 y enlazarlo) por una variable bool solo_ipv4 y las llamadas a
    // TODO(etapa 08): crear_escucha() y enlazar(): el descriptor y el puerto real, con los mismos
    // TODO(etapa 08): nombres (escucha y puerto_real), para que el resto de servir() no cambie.
    // TODO(etapa 08): Prueba: DoblePila.AtiendeAClientesIpv4EIpv6.
    const int escucha = socket(AF_INET, SOCK_STREAM, 0);  // IPv4 y flujo de bytes (TCP)
    sockets::comprobar("socket()", escucha);               // -1 y errno si no pudo
    std::cout << "[servidor] socket(): descriptor " << escucha << std::endl;

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
