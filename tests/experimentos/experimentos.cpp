/// \file experimentos.cpp
/// \brief Experimentos con TCP en este núcleo: lo que las páginas afirman sobre estados, colas y
///        cierres, comprobado por loopback.
///
/// No prueban ningún programa del alumno: hacen las llamadas ellos mismos y miran qué hace el
/// núcleo (lo que devuelve cada llamada y el estado de cada conexión en /proc/net/tcp). Cada
/// página que cuenta uno de estos comportamientos enlaza con su prueba y dice qué observó aquí
/// y qué hacen otros sistemas (docs/estados_tcp.md, docs/colas.md; la nota de
/// docs/dev/experimentos.md los reúne). Si una falla, el núcleo se comporta de otra manera y la
/// página correspondiente ya no dice la verdad en esta máquina.
#include "arnes/arnes.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

using namespace arnes;

namespace {

// --- Lo que dice /proc/net/tcp -------------------------------------------------------------

/// Una línea de /proc/net/tcp: el estado de una conexión (o de un socket de escucha) y su
/// temporizador, como los enseña `ss -tano`.
struct EnProc {
    std::string estado;          ///< «ESTABLISHED», «TIME_WAIT»...
    int temporizador = 0;        ///< 0 ninguno, 1 retransmisión, 2 keepalive, 3 TIME_WAIT.
    double segundos = 0;         ///< Lo que le queda al temporizador.
    unsigned long cola_rx = 0;   ///< Bytes por leer; en LISTEN, conexiones en la cola de accept().
};

/// El nombre del estado (el número hexadecimal de la columna «st», net/tcp_states.h).
std::string nombre_estado(int st) {
    static const char* const nombres[] = {"?",          "ESTABLISHED", "SYN_SENT",  "SYN_RECV",
                                          "FIN_WAIT1",  "FIN_WAIT2",   "TIME_WAIT", "CLOSE",
                                          "CLOSE_WAIT", "LAST_ACK",    "LISTEN",    "CLOSING"};
    return st > 0 && st < 12 ? nombres[st] : "?";
}

/// La entrada de 127.0.0.1:local ↔ 127.0.0.1:remoto (remoto 0: un socket de escucha), o nada si
/// el núcleo ya no la tiene (una conexión cerrada del todo desaparece de la tabla).
std::optional<EnProc> en_proc(int local, int remoto) {
    std::ifstream tcp("/proc/net/tcp");
    std::string linea;
    std::getline(tcp, linea);  // cabecera
    while (std::getline(tcp, linea)) {
        // «sl local rem st tx:rx tr:cuando ...»; las direcciones, «0100007F:9C40» en hexadecimal.
        std::istringstream is(linea);
        std::string sl, dir_local, dir_remota, st, colas, temporizador;
        if (!(is >> sl >> dir_local >> dir_remota >> st >> colas >> temporizador)) continue;
        const auto puerto = [](const std::string& d) {
            return std::stoi(d.substr(d.find(':') + 1), nullptr, 16);
        };
        if (dir_local.rfind("0100007F:", 0) != 0 || puerto(dir_local) != local ||
            puerto(dir_remota) != remoto)
            continue;
        EnProc e;
        e.estado = nombre_estado(std::stoi(st, nullptr, 16));
        e.cola_rx = std::stoul(colas.substr(colas.find(':') + 1), nullptr, 16);
        e.temporizador = std::stoi(temporizador.substr(0, temporizador.find(':')), nullptr, 16);
        // El tiempo que falta va en «ticks» del reloj de usuario (USER_HZ, normalmente 100/s).
        const auto ticks = std::stoul(temporizador.substr(temporizador.find(':') + 1), nullptr, 16);
        e.segundos = static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
        return e;
    }
    return std::nullopt;
}

/// «TIME_WAIT», o «ya no está» si la conexión desapareció de la tabla.
std::string estado_en_proc(int local, int remoto) {
    auto e = en_proc(local, remoto);
    return e ? e->estado : "ya no está";
}

/// Espera (sondeando /proc/net/tcp, como mucho kPlazo) a que la conexión tenga ese estado;
/// `estado` vacío: a que desaparezca.
bool llega_a(int local, int remoto, const std::string& estado) {
    return esperar_que([&] {
        auto e = en_proc(local, remoto);
        return estado.empty() ? !e : e && e->estado == estado;
    });
}

// --- Sockets de la prueba, con llamadas a la vista -----------------------------------------

/// Un socket de escucha en 127.0.0.1 (puerto elegido por el núcleo) con una cola de `cola`.
struct Servidor {
    Conexion escucha;  // solo para que se cierre solo: aquí no se habla
    int puerto = 0;

    explicit Servidor(int cola) {
        escucha = Conexion(socket(AF_INET, SOCK_STREAM, 0));
        sockaddr_in dir{};
        dir.sin_family = AF_INET;
        dir.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t largo = sizeof dir;
        if (!escucha.valida() ||
            bind(escucha.fd(), reinterpret_cast<sockaddr*>(&dir), sizeof dir) != 0 ||
            listen(escucha.fd(), cola) != 0 ||
            getsockname(escucha.fd(), reinterpret_cast<sockaddr*>(&dir), &largo) != 0)
            escucha.cerrar();
        puerto = ntohs(dir.sin_port);
    }
    int fd() const { return escucha.fd(); }
};

/// connect() a 127.0.0.1:puerto. Bloqueante: vuelve cuando el saludo terminó (o con error).
/// No bloqueante: vuelve enseguida (EINPROGRESS) y el saludo sigue en el núcleo.
Conexion conectar(int puerto, bool bloqueante = true) {
    int fd = socket(AF_INET, SOCK_STREAM | (bloqueante ? 0 : SOCK_NONBLOCK), 0);
    sockaddr_in dir{};
    dir.sin_family = AF_INET;
    dir.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    dir.sin_port = htons(static_cast<std::uint16_t>(puerto));
    if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&dir), sizeof dir) != 0 &&
        !(errno == EINPROGRESS && !bloqueante)) {
        close(fd);
        fd = -1;
    }
    return Conexion(fd);
}

/// accept() en la escucha; el descriptor conectado, o inválido (con errno) si no había nadie.
Conexion aceptar(const Servidor& s) {
    const int fd = accept4(s.fd(), nullptr, nullptr, SOCK_NONBLOCK);  // sin esperar
    return Conexion(fd);
}

/// Una conexión por loopback ya aceptada: el socket de escucha, los dos extremos y sus puertos.
/// `lista` es false (y la prueba lo dice) si no se pudo escuchar o conectar.
struct Par {
    Servidor s{5};
    Conexion cliente, servidor;
    int p_cliente = 0, p_servidor = 0;
    bool lista = false;

    Par() {
        if (!s.escucha.valida()) return;
        cliente = conectar(s.puerto);
        servidor = aceptar(s);
        lista = cliente.valida() && servidor.valida();
        if (lista) {
            p_cliente = cliente.local().puerto;
            p_servidor = servidor.local().puerto;
        }
    }
};
constexpr const char* kSinPar = "no se pudo escuchar o conectar por 127.0.0.1";

/// El texto de un errno para los informes: «conexión reiniciada por el otro extremo (ECONNRESET)».
std::string como_errno(int e) { return texto_errno(e); }

/// Lo que devolvió una llamada: «4» o «-1 con EPIPE (…)».
std::string resultado(ssize_t r, int e) {
    return r >= 0 ? std::to_string(r) : "-1 con " + como_errno(e);
}

/// Lo que se observó, para quien mira la salida de la prueba (ctest -V): es la evidencia que
/// citan las páginas.
void anotar(const std::string& que) { std::cout << "  · observado: " << que << std::endl; }

const Lectura kLeerTimeWait{secciones::l02_reuseaddr, "man 7 tcp; docs/estados_tcp.md"};
const Lectura kLeerCola{secciones::l03_cola, "man 2 listen; docs/colas.md"};
const Lectura kLeerAceptar{secciones::l04_aceptar, "man 2 accept"};
const Lectura kLeerConectar{secciones::l04_conectar, "man 2 connect; docs/colas.md"};
const Lectura kLeerSigpipe{secciones::l05_sigpipe, "man 7 signal, man 2 write (EPIPE)"};
const Lectura kLeerCierre{secciones::l06_close_conexion, "man 2 close, man 7 tcp"};

const std::string kPistaPagina =
    "este núcleo se comporta de otra manera que el que se describe: revisa la página (y lo que "
    "dice de otros sistemas) antes de fiarte de ella en esta máquina";

}  // namespace

// --- TIME_WAIT -----------------------------------------------------------------------------

// Solo el extremo que cierra primero pasa por FIN_WAIT2 y se queda en TIME_WAIT; el otro pasa
// por CLOSE_WAIT y, al cerrar él, desaparece sin TIME_WAIT. Se comprueba en los dos sentidos.
TEST(TimeWait, SoloLoGuardaQuienCierraPrimero) {
    for (const bool cierra_el_servidor : {true, false}) {
        SCOPED_TRACE(cierra_el_servidor ? "cierra primero el servidor" : "cierra primero el cliente");
        Par c;
        ASSERT_TRUE(c.lista) << kSinPar;
        Conexion& primero = cierra_el_servidor ? c.servidor : c.cliente;
        Conexion& segundo = cierra_el_servidor ? c.cliente : c.servidor;
        const int yo = cierra_el_servidor ? c.p_servidor : c.p_cliente;
        const int otro = cierra_el_servidor ? c.p_cliente : c.p_servidor;
        const std::string quien = cierra_el_servidor ? "el servidor" : "el cliente";
        const std::string entrada =
            quien + " cierra primero (close()); el otro lee el fin de fichero y cierra después";

        const auto estados = [&] {
            return "quien cerró primero: " + estado_en_proc(yo, otro) + "; el otro: " +
                   estado_en_proc(otro, yo);
        };

        primero.cerrar();  // envía FIN; el otro responde ACK
        EXPECT_TRUE(llega_a(yo, otro, "FIN_WAIT2") && llega_a(otro, yo, "CLOSE_WAIT"))
            << redactar(etapas::k06, {entrada, "quien cerró primero, en FIN_WAIT2; el otro, en CLOSE_WAIT",
                                      estados(), kPistaPagina, kLeerCierre});
        segundo.cerrar();  // el segundo FIN; el primero responde con el último ACK
        EXPECT_TRUE(llega_a(yo, otro, "TIME_WAIT") && llega_a(otro, yo, ""))
            << redactar(etapas::k02, {entrada, "quien cerró primero, en TIME_WAIT; el otro ya no está",
                                      estados(), kPistaPagina, kLeerTimeWait});
        anotar(quien + " cerró primero. Al final, " + estados());
    }
}

// En Linux TIME_WAIT dura 60 s fijos: el temporizador de la conexión (columna «tm->when» de
// /proc/net/tcp, el «timer:(timewait,…)» de ss -o) marca 60 s recién entrada, sin esperarlos.
TEST(TimeWait, DuraSesentaSegundosEnLinux) {
    Par c;
    ASSERT_TRUE(c.lista) << kSinPar;
    c.servidor.cerrar();
    ASSERT_TRUE(llega_a(c.p_cliente, c.p_servidor, "CLOSE_WAIT")) << "el FIN del servidor no llegó";
    c.cliente.cerrar();
    ASSERT_TRUE(llega_a(c.p_servidor, c.p_cliente, "TIME_WAIT")) << "el servidor no llegó a TIME_WAIT";
    const auto e = en_proc(c.p_servidor, c.p_cliente);
    ASSERT_TRUE(e.has_value()) << "la conexión en TIME_WAIT desapareció antes de leerla";

    char texto[64];
    std::snprintf(texto, sizeof texto, "%.2f s", e->segundos);
    // Entre 50 y 60 s: el temporizador arrancó hace un instante (holgura para una máquina
    // ocupada); un sistema con 2·MSL de 30 s o de 240 s se sale de la horquilla.
    EXPECT_TRUE(e->temporizador == 3 && e->segundos > 50.0 && e->segundos <= 60.0)
        << redactar(etapas::k02,
                    {"el servidor cierra primero y el cliente después; se lee /proc/net/tcp",
                     "el temporizador de TIME_WAIT (tipo 3) con unos 60 s por delante",
                     "temporizador de tipo " + std::to_string(e->temporizador) + " con " + texto,
                     kPistaPagina, kLeerTimeWait});
    anotar(std::string("TIME_WAIT con ") + texto + " por delante (temporizador de tipo " +
           std::to_string(e->temporizador) + ")");
}

// --- Las colas de listen() y connect() -------------------------------------------------------

// connect() vuelve en cuanto el núcleo del servidor completa el saludo, sin que nadie haya
// llamado a accept(): el cliente ya está en ESTABLISHED y la conexión espera en la cola.
TEST(Colas, ConnectVuelveAntesDeAccept) {
    Servidor s(5);
    ASSERT_TRUE(s.escucha.valida()) << "no se pudo escuchar en 127.0.0.1";
    Conexion cliente = conectar(s.puerto);  // bloqueante; nadie llama a accept()
    EXPECT_TRUE(cliente.valida())
        << redactar(etapas::k04, {"connect() bloqueante a un socket que escucha y nunca acepta",
                                  "connect() devuelve 0", "connect() falló: " + como_errno(errno),
                                  kPistaPagina, kLeerConectar});
    ASSERT_TRUE(cliente.valida());
    const int p_cliente = cliente.local().puerto;
    const auto c = en_proc(p_cliente, s.puerto);
    const auto l = en_proc(s.puerto, 0);
    const std::string visto = std::string("el cliente en ") + (c ? c->estado : "ningún estado") +
                              "; en la cola de accept() " +
                              (l ? cuenta(l->cola_rx, "conexión", "conexiones")
                                 : std::string("nadie (no se ve la escucha)"));
    EXPECT_TRUE(c && c->estado == "ESTABLISHED" && l && l->cola_rx == 1)
        << redactar(etapas::k04, {"connect() bloqueante a un socket que escucha y nunca acepta",
                                  "el cliente en ESTABLISHED y 1 conexión en la cola de accept()",
                                  visto, kPistaPagina, kLeerConectar});
    anotar("connect() devolvió 0 sin accept(): " + visto);
}

// Con listen(fd, 0) cabe una conexión completa; el siguiente cliente se queda en SYN_SENT (el
// núcleo descarta su SYN) hasta que un accept() hace sitio y su SYN repetido completa el saludo.
TEST(Colas, QuienNoCabeEsperaEnSynSentHastaQueAcceptHaceSitio) {
    Servidor s(0);
    ASSERT_TRUE(s.escucha.valida()) << "no se pudo escuchar en 127.0.0.1";
    Conexion primero = conectar(s.puerto);
    ASSERT_TRUE(primero.valida()) << "el primer cliente no conectó con una cola de 0";
    Conexion segundo = conectar(s.puerto, /*bloqueante=*/false);
    ASSERT_TRUE(segundo.valida()) << "connect() no bloqueante falló: " << como_errno(errno);
    const int p_segundo = segundo.local().puerto;
    const std::string antes = estado_en_proc(p_segundo, s.puerto);
    EXPECT_EQ(antes, "SYN_SENT")
        << redactar(etapas::k03, {"listen(fd, 0): un cliente ya completó el saludo; llega otro",
                                  "el segundo, en SYN_SENT (su SYN se descarta: la cola está llena)",
                                  "el segundo, en " + antes, kPistaPagina, kLeerCola});

    const auto inicio = std::chrono::steady_clock::now();
    Conexion aceptado = aceptar(s);  // hace sitio en la cola
    ASSERT_TRUE(aceptado.valida()) << "accept() no encontró al primer cliente en la cola";
    const bool establecido = esperar_que([&] {
        return estado_en_proc(p_segundo, s.puerto) == "ESTABLISHED";
    }, Ms(8000));  // el SYN se repite al cabo de 1 s (luego 3 s, 7 s...)
    const auto ms = std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - inicio);
    EXPECT_TRUE(establecido)
        << redactar(etapas::k03, {"listen(fd, 0), un cliente en la cola y otro en SYN_SENT; accept()",
                                  "el segundo llega a ESTABLISHED cuando repite su SYN",
                                  "el segundo sigue en " + estado_en_proc(p_segundo, s.puerto),
                                  kPistaPagina, kLeerCola});
    anotar("con listen(fd, 0) el segundo cliente esperó en " + antes + "; tras accept() llegó a " +
           estado_en_proc(p_segundo, s.puerto) + " a los " + std::to_string(ms.count()) + " ms");
}

// Cerrar el socket de escucha no solo libera el puerto: las conexiones que esperaban en su cola
// reciben un RST y su read() da ECONNRESET.
TEST(Colas, CerrarLaEscuchaReiniciaLasConexionesDeLaCola) {
    Servidor s(5);
    ASSERT_TRUE(s.escucha.valida()) << "no se pudo escuchar en 127.0.0.1";
    Conexion cliente = conectar(s.puerto);
    ASSERT_TRUE(cliente.valida()) << "no se pudo conectar por 127.0.0.1";
    s.escucha.cerrar();  // con el cliente en la cola, sin aceptarlo
    pollfd p{cliente.fd(), POLLIN, 0};
    poll(&p, 1, static_cast<int>(kPlazo.count()));
    char c;
    const ssize_t r = read(cliente.fd(), &c, 1);
    const int e = errno;
    EXPECT_TRUE(r == -1 && e == ECONNRESET)
        << redactar(etapas::k06, {"un cliente espera en la cola; el servidor cierra la escucha",
                                  "read() en el cliente: -1 con ECONNRESET",
                                  "read() en el cliente: " + resultado(r, e), kPistaPagina,
                                  secciones::l06_close_escucha});
    anotar("read() del cliente que esperaba en la cola: " + resultado(r, e));
}

// --- accept() de una conexión que ya se reinició ---------------------------------------------

// En Linux, si el cliente manda un RST mientras su conexión espera en la cola, accept() la
// devuelve igual (no da ECONNABORTED) y es el primer read() el que da ECONNRESET.
TEST(Reinicio, AcceptDevuelveLaConexionYElPrimerReadDaEconnreset) {
    Servidor s(5);
    ASSERT_TRUE(s.escucha.valida()) << "no se pudo escuchar en 127.0.0.1";
    Conexion cliente = conectar(s.puerto);
    ASSERT_TRUE(cliente.valida()) << "no se pudo conectar por 127.0.0.1";
    const int p_cliente = cliente.local().puerto;
    ASSERT_TRUE(llega_a(s.puerto, p_cliente, "ESTABLISHED")) << "la conexión no llegó a la cola";
    cliente.reiniciar();  // SO_LINGER {1, 0} y close(): RST en vez de FIN
    // El RST llegó cuando la conexión del servidor desaparece de la tabla (pasa a CLOSE).
    ASSERT_TRUE(llega_a(s.puerto, p_cliente, "")) << "el RST del cliente no llegó";

    Conexion aceptado = aceptar(s);
    const int e_accept = errno;
    EXPECT_TRUE(aceptado.valida())
        << redactar(etapas::k04, {"el cliente espera en la cola y la abandona con un RST; accept()",
                                  "en Linux, accept() devuelve la conexión",
                                  "accept(): -1 con " + como_errno(e_accept),
                                  "otros sistemas dan ECONNABORTED o la descartan: " + kPistaPagina,
                                  kLeerAceptar});
    ASSERT_TRUE(aceptado.valida());
    char c;
    const ssize_t r = read(aceptado.fd(), &c, 1);
    const int e = errno;
    EXPECT_TRUE(r == -1 && e == ECONNRESET)
        << redactar(etapas::k04, {"accept() devolvió una conexión que el cliente ya reinició; read()",
                                  "read(): -1 con ECONNRESET", "read(): " + resultado(r, e),
                                  kPistaPagina, kLeerAceptar});
    anotar("accept() devolvió el descriptor " + std::to_string(aceptado.fd()) +
           "; el primer read(): " + resultado(r, e));
}

// --- Escribir a quien ya cerró --------------------------------------------------------------

namespace {

/// Una conexión por loopback en la que el otro extremo ya ha llamado a close() y su FIN llegó
/// (la nuestra está en CLOSE_WAIT). `nuestra` es la que escribe.
struct OtroCerro {
    Par par;
    Conexion& nuestra = par.cliente;
    int p_nuestra = par.p_cliente, p_otra = par.p_servidor;
    bool lista = false;

    OtroCerro() {
        if (!par.lista) return;
        par.servidor.cerrar();  // sin datos pendientes: envía FIN
        lista = llega_a(p_nuestra, p_otra, "CLOSE_WAIT");
    }
};

}  // namespace

// La primera escritura en una conexión cuyo otro extremo cerró funciona (devuelve los bytes) y
// no da SIGPIPE; el otro extremo, que ya no puede leer, responde con un RST.
TEST(Sigpipe, LaPrimeraEscrituraTrasElCierreDelOtroFuncionaYProvocaUnRst) {
    std::signal(SIGPIPE, SIG_IGN);  // por si acaso: aquí la señal no debe llegar
    OtroCerro c;
    ASSERT_TRUE(c.lista) << "no se pudo preparar la conexión (el FIN del otro no llegó)";
    const ssize_t r = write(c.nuestra.fd(), "hola", 4);
    const int e = errno;
    EXPECT_EQ(r, 4) << redactar(etapas::k05, {"el otro extremo cerró (close()); primer write() de 4 bytes",
                                              "write() devuelve 4", "write(): " + resultado(r, e),
                                              kPistaPagina, kLeerSigpipe});
    // El RST llegó cuando nuestra conexión desaparece de la tabla.
    EXPECT_TRUE(llega_a(c.p_nuestra, c.p_otra, ""))
        << redactar(etapas::k05, {"el otro extremo cerró; escribimos 4 bytes",
                                  "el otro responde con un RST y la conexión desaparece",
                                  "la conexión sigue en " + estado_en_proc(c.p_nuestra, c.p_otra),
                                  kPistaPagina, kLeerSigpipe});
    anotar("primer write() tras el close() del otro: " + resultado(r, e) + "; después, la conexión " +
           estado_en_proc(c.p_nuestra, c.p_otra) + " (el otro respondió con un RST)");
}

// La segunda escritura, ya con el RST recibido, provoca SIGPIPE: con la señal ignorada write()
// devuelve -1 con EPIPE, y con la acción por defecto el proceso muere (en un hijo, aquí).
TEST(Sigpipe, LaSegundaEscrituraDaEpipeOMataConSigpipe) {
    std::signal(SIGPIPE, SIG_IGN);
    {
        OtroCerro c;
        ASSERT_TRUE(c.lista) << "no se pudo preparar la conexión (el FIN del otro no llegó)";
        const ssize_t r1 = write(c.nuestra.fd(), "hola", 4);
        ASSERT_TRUE(r1 == 4 && llega_a(c.p_nuestra, c.p_otra, ""))
            << "la primera escritura no provocó el RST (ver la prueba anterior)";
        const ssize_t r2 = write(c.nuestra.fd(), "hola", 4);
        const int e = errno;
        EXPECT_TRUE(r2 == -1 && e == EPIPE)
            << redactar(etapas::k05, {"SIGPIPE ignorada; el otro cerró y respondió con RST; segundo write()",
                                      "write(): -1 con EPIPE", "write(): " + resultado(r2, e),
                                      kPistaPagina, kLeerSigpipe});
        anotar("segundo write() con SIGPIPE ignorada: " + resultado(r2, e));
    }
    {
        // Lo mismo en un hijo con SIGPIPE por defecto: cuenta por una tubería hasta dónde llegó.
        OtroCerro c;
        ASSERT_TRUE(c.lista) << "no se pudo preparar la conexión (el FIN del otro no llegó)";
        int tubo[2];
        ASSERT_EQ(pipe(tubo), 0);
        const pid_t hijo = fork();
        ASSERT_NE(hijo, -1) << "fork() falló";
        if (hijo == 0) {
            std::signal(SIGPIPE, SIG_DFL);
            close(tubo[0]);
            if (write(c.nuestra.fd(), "hola", 4) == 4) (void)!write(tubo[1], "1", 1);
            // Esperar al RST: la conexión desaparece de /proc/net/tcp.
            if (llega_a(c.p_nuestra, c.p_otra, "")) (void)!write(tubo[1], "R", 1);
            (void)!write(c.nuestra.fd(), "hola", 4);  // aquí llega SIGPIPE
            (void)!write(tubo[1], "2", 1);            // solo si sobrevivió
            _exit(0);
        }
        close(tubo[1]);
        std::string pasos;
        char b;
        while (read(tubo[0], &b, 1) == 1) pasos += b;
        close(tubo[0]);
        int estado = 0;
        waitpid(hijo, &estado, 0);
        const bool por_sigpipe = WIFSIGNALED(estado) && WTERMSIG(estado) == SIGPIPE;
        const std::string visto =
            "pasos del hijo «" + pasos + "» (1: primer write bien, R: llegó el RST, 2: sobrevivió " +
            "al segundo); " + (por_sigpipe ? "murió por SIGPIPE"
                                           : WIFSIGNALED(estado) ? "murió por otra señal"
                                                                 : "terminó sin señal");
        EXPECT_TRUE(pasos == "1R" && por_sigpipe)
            << redactar(etapas::k05, {"un hijo con SIGPIPE por defecto escribe dos veces a quien cerró",
                                      "el primer write() funciona; el segundo lo mata con SIGPIPE",
                                      visto, kPistaPagina, kLeerSigpipe});
        anotar("con SIGPIPE por defecto: " + visto);
    }
}

// Un otro extremo que solo cerró su escritura (shutdown(SHUT_WR)) sigue leyendo: escribirle no
// provoca RST, ni EPIPE, ni SIGPIPE, y recibe todo.
TEST(Sigpipe, UnOtroQueSoloCerroSuEscrituraNoProvocaNada) {
    std::signal(SIGPIPE, SIG_IGN);
    Par c;
    ASSERT_TRUE(c.lista) << kSinPar;
    Conexion &nuestra = c.cliente, &otra = c.servidor;
    const int p_nuestra = c.p_cliente, p_otra = c.p_servidor;
    shutdown(otra.fd(), SHUT_WR);  // «no enviaré más», pero sigue leyendo
    ASSERT_TRUE(llega_a(p_nuestra, p_otra, "CLOSE_WAIT")) << "el FIN del otro no llegó";
    const ssize_t r1 = write(nuestra.fd(), "hola", 4);
    const ssize_t r2 = write(nuestra.fd(), "hola", 4);
    const int e = errno;
    const std::string recibido = otra.recibir(8);
    const std::string estado = estado_en_proc(p_nuestra, p_otra);
    EXPECT_TRUE(r1 == 4 && r2 == 4 && recibido == "holahola" && estado == "CLOSE_WAIT")
        << redactar(etapas::k06, {"el otro hizo shutdown(SHUT_WR); escribimos dos veces",
                                  "los dos write() devuelven 4, el otro lee «holahola» y la conexión "
                                  "sigue en CLOSE_WAIT",
                                  "write(): " + resultado(r1, e) + " y " + resultado(r2, e) +
                                      "; el otro leyó " + visible(recibido) + "; conexión en " + estado,
                                  kPistaPagina, secciones::l06_shutdown});
    anotar("tras shutdown(SHUT_WR) del otro: write() " + resultado(r1, e) + " y " +
           resultado(r2, e) + ", el otro leyó " + visible(recibido) + ", conexión en " + estado);
}

// --- close() con datos sin leer ---------------------------------------------------------------

// close() con datos recibidos y sin leer no envía FIN sino RST: el otro extremo no ve el fin de
// fichero sino ECONNRESET (y quien cerró no pasa por TIME_WAIT). Leyendo antes hasta el final,
// el mismo close() envía FIN y el otro lee 0.
TEST(Cierre, CloseConDatosSinLeerEnviaRst) {
    for (const bool leer_antes : {false, true}) {
        SCOPED_TRACE(leer_antes ? "leyendo antes todo" : "sin leer");
        Par par;
        ASSERT_TRUE(par.lista) << kSinPar;
        Conexion &cliente = par.cliente, &servidor = par.servidor;
        const int p_servidor = par.p_servidor, p_cliente = par.p_cliente;
        ASSERT_EQ(write(cliente.fd(), "hola", 4), 4);
        ASSERT_TRUE(esperar_que([&] {  // los 4 bytes ya están en el búfer de recepción del servidor
            int n = 0;
            return ioctl(servidor.fd(), FIONREAD, &n) == 0 && n == 4;
        })) << "los datos no llegaron al servidor";
        if (leer_antes) {
            EXPECT_EQ(servidor.recibir(4), "hola");
        }
        servidor.cerrar();

        pollfd p{cliente.fd(), POLLIN, 0};
        poll(&p, 1, static_cast<int>(kPlazo.count()));
        char c;
        const ssize_t r = read(cliente.fd(), &c, 1);
        const int e = errno;
        const std::string queda = estado_en_proc(p_servidor, p_cliente);
        if (leer_antes) {
            EXPECT_EQ(r, 0) << redactar(etapas::k06, {"el servidor lee los 4 bytes y cierra",
                                                      "read() en el cliente: 0 (fin de fichero)",
                                                      "read(): " + resultado(r, e), kPistaPagina,
                                                      kLeerCierre});
            anotar("leyendo antes, el close() del servidor da en el cliente read() = " +
                   resultado(r, e));
        } else {
            EXPECT_TRUE(r == -1 && e == ECONNRESET && queda == "ya no está")
                << redactar(etapas::k06, {"el cliente envía 4 bytes; el servidor cierra sin leerlos",
                                          "read() en el cliente: -1 con ECONNRESET (llegó un RST), y "
                                          "el servidor sin TIME_WAIT",
                                          "read(): " + resultado(r, e) + "; el servidor: " + queda,
                                          kPistaPagina, kLeerCierre});
            anotar("con 4 bytes sin leer, el close() del servidor da en el cliente read() = " +
                   resultado(r, e) + "; el servidor: " + queda);
        }
    }
}
