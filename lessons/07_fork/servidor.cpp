/// \file
/// \brief Lección 07 · fork — servidor: un proceso hijo por cliente; el padre sigue aceptando.
///
/// El texto lo señala como lo más común: «lanzar un proceso hijo, una vez realizada la conexión,
/// que se ocupe del intercambio de información con el proceso cliente mientras el proceso padre
/// servidor sigue aceptando conexiones». fork(2) duplica el proceso; el padre recoge a los hijos
/// que terminan (SIGCHLD y waitpid(2)) para que no queden zombis. Funciona hasta que lo maten.
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

// [07-recoger-hijos]
// TODO(etapa 07): Paso 3 de 4 · recoger a los hijos. Un manejador de señal documentado con ///,
// TODO(etapa 07): llamado recoger_hijos, que recoge a TODOS los hijos que hayan terminado sin
// TODO(etapa 07): bloquearse nunca (una sola SIGCHLD puede avisar de varios), y que deja errno como
// TODO(etapa 07): lo encontró (el manejador interrumpe al programa en cualquier punto).
// TODO(etapa 07): Pruebas: Fork.CincoClientesQueTerminanALaVezNoDejanZombis,
// TODO(etapa 07): Fork.ElManejadorNoEsperaALosHijosVivos.
// TODO(etapa 07): Lee: docs/07_fork.md, sección «SIGCHLD y zombis»; man 2 waitpid (WNOHANG), man 7
// TODO(etapa 07): signal-safety.
// [07-recoger-hijos]

// [07-sigchld]
// TODO(etapa 07): Paso 3 de 4 (continúa) · instalar el manejador. Una función documentada con ///,
// TODO(etapa 07): instalar_recoger_hijos, sin parámetros, que instala recoger_hijos para SIGCHLD
// TODO(etapa 07): con sigaction(2), SIN la opción SA_RESTART: así, cuando termine un hijo,
// TODO(etapa 07): accept() volverá con -1 y EINTR en vez de seguir esperando (el paso 2 ya lo
// TODO(etapa 07): reintenta). Compruébalo con sockets::comprobar().
// TODO(etapa 07): Lee: docs/07_fork.md, secciones «SIGCHLD y zombis» y «EINTR»; man 2
// TODO(etapa 07): sigaction.
// [07-sigchld]

// [07-hijo]
// TODO(etapa 07): Paso 1 de 4 · el trabajo del hijo. Una función documentada con ///,
// TODO(etapa 07): atender_en_hijo, que recibe el socket de escucha y la conexión y devuelve el
// TODO(etapa 07): código de salida del hijo: cierra su copia del socket de escucha (solo el padre
// TODO(etapa 07): acepta), hace el eco con atender(), cierra la conexión e imprime «[servidor]
// TODO(etapa 07): close(): conexión cerrada (N bytes de eco)» (como en la lección 06: «1 byte» si N
// TODO(etapa 07): es 1). Si algo lanza una excepción, escribe
// TODO(etapa 07): «[servidor] error: …» en std::cerr y devuelve EXIT_FAILURE; si no, EXIT_SUCCESS.
// TODO(etapa 07): Pruebas: Fork.ElHijoCierraLaEscucha, Fork.UnHijoQueFallaNoTumbaAlPadre.
// TODO(etapa 07): Lee: docs/07_fork.md, sección «Quién cierra qué».
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

// [07-cola]
// TODO(etapa 07): Paso 4 de 4 · muchos clientes a la vez. Con un hijo por cliente llegan muchos
// TODO(etapa 07): clientes a la vez y en la cola de 5 no caben. Una función documentada con ///,
// TODO(etapa 07): ampliar_cola, que recibe el socket de escucha y vuelve a llamar a listen() sobre
// TODO(etapa 07): él con SOMAXCONN (solo cambia el tamaño de la cola), y lo comprueba con
// TODO(etapa 07): sockets::comprobar(). La línea de listen() dijo «cola de 5»: narra la cola nueva,
// TODO(etapa 07): para que la salida siga siendo verdad:
// TODO(etapa 07):   [servidor] listen(): cola ampliada a N (SOMAXCONN)
// TODO(etapa 07): Pruebas: Aguante.CientosDeClientesALaVezRecibenSuEco y las demás Aguante.*
// TODO(etapa 07): (piden los pasos anteriores hechos: hijos que terminan y se recogen).
// TODO(etapa 07): Lee: docs/07_fork.md, «Cuánto cuesta un fork por conexión»; man 2 listen.
// [07-cola]

// [07-fork]
// TODO(etapa 07): Paso 1 de 4 (continúa) · un hijo por cliente. Una función documentada con ///,
// TODO(etapa 07): atender_con_fork, que recibe el socket de escucha y no vuelve nunca: un bucle
// TODO(etapa 07): sin fin en el que
// TODO(etapa 07):   - Acepta como ahora servir() (el código de aceptar de más abajo).
// TODO(etapa 07):   - Crea un proceso hijo que atiende a ese cliente con atender_en_hijo() y
// TODO(etapa 07):     termina con su código sin volver nunca al bucle (ni ejecutar los
// TODO(etapa 07):     destructores del padre: man 2 _exit).
// TODO(etapa 07):   - El padre comprueba la creación del hijo, cierra SU copia de la conexión
// TODO(etapa 07):     e imprime (PID es el hijo; IP:P, el cliente con texto_de()):
// TODO(etapa 07):       [servidor] fork(): el hijo PID atiende a IP:P
// TODO(etapa 07):     Pruebas: Fork.AtiendeAVariosClientesALaVez,
// TODO(etapa 07):     Fork.ElPadreCierraElDescriptorConectado.
// TODO(etapa 07): Lee: docs/07_fork.md, secciones «Un hijo por cliente» y «Quién cierra qué»;
// TODO(etapa 07): man 2 fork.
// TODO(etapa 07): Paso 2 de 4 · EINTR. Una señal que llega mientras accept() espera la
// TODO(etapa 07): interrumpe: vuelve con -1 y errno EINTR (en el paso 3 pasará cada vez que
// TODO(etapa 07): termine un hijo). No es un error: como con ECONNABORTED (ese cliente se fue),
// TODO(etapa 07): vuelve a llamar a accept().
// TODO(etapa 07): Pruebas: Fork.ReintentaUnAcceptInterrumpido,
// TODO(etapa 07): Fork.SigueAceptandoTrasLaSenalDeUnHijo.
// TODO(etapa 07): Lee: docs/07_fork.md, sección «EINTR»; man 7 signal, man 2 accept.
// [07-fork]

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

    // [07-sigchld-llamada]
    // TODO(etapa 07): Paso 3 de 4 (continúa) · tras listen(), llama a instalar_recoger_hijos().
    // [07-sigchld-llamada]

    // [07-cola-llamada]
    // TODO(etapa 07): Paso 4 de 4 (continúa) · aquí, antes de aceptar, llama a ampliar_cola().
    // [07-cola-llamada]

    // [07-fork-llamada]
    // TODO(etapa 07): Paso 1 de 4 (continúa) · cambia todo lo que sigue (el padre ya no cierra la
    // TODO(etapa 07): escucha ni hace el eco) por una llamada a atender_con_fork(escucha).
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
    // Variante del texto: el socket con nombre ya no hace falta, porque este servidor no
    // aceptará a un segundo cliente. Cerrarlo libera el puerto; la conexión sigue abierta.
    sockets::comprobar("close()", close(escucha));
    std::cout << "[servidor] close(): socket de escucha cerrado; no se aceptan más clientes"
              << std::endl;
    // El eco termina cuando read() devuelve 0: el cliente cerró su lado (shutdown o close).
    // Entonces cerramos el nuestro y el cliente verá a su vez el fin de fichero.
    const std::size_t bytes = atender(conexion);
    sockets::comprobar("close()", close(conexion));
    std::cout << "[servidor] close(): conexión cerrada (" << bytes
              << (bytes == 1 ? " byte de eco)" : " bytes de eco)")
              << std::endl;
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
