/// \file traza.cpp
/// \brief El trazador: sigue con ptrace las llamadas al sistema del programa y de sus hijos,
///        decodifica direcciones y datos, retiene llamadas y recorta escrituras.
///
/// Todas las llamadas a ptrace() ocurren en el hilo vigía del Programa, que es el que hizo
/// fork() y por tanto el trazador. waitpid(-1, __WALL | __WNOTHREAD) solo ve a sus propios
/// procesos trazados, así que varios Programa trazados conviven en la misma prueba.
#include "arnes/interno.h"

#include <arpa/inet.h>
#include <elf.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace arnes {

namespace {

/// Nombres de las llamadas al sistema de esta arquitectura.
struct NombreLlamada {
    long nr;
    const char* nombre;
};
const NombreLlamada kNombres[] = {
#include "arnes/nombres_llamadas.inc"
};

/// Manejador vacío: solo sirve para que waitpid() vuelva con EINTR.
extern "C" void despertar(int) {}

/// Lee `n` bytes de la memoria del proceso trazado (menos si parte no es legible).
std::string leer_memoria(pid_t pid, unsigned long direccion, std::size_t n) {
    std::string datos(n, '\0');
    if (n == 0 || direccion == 0) return {};
    iovec local{datos.data(), n};
    iovec remoto{reinterpret_cast<void*>(direccion), n};
    ssize_t leidos = process_vm_readv(pid, &local, 1, &remoto, 1, 0);
    if (leidos < 0 && errno == EPERM) {
        // Modo contenedor del corrector: somos root sin CAP_SYS_PTRACE y el programa es de otro
        // usuario; process_vm_readv() lo prohíbe, pero el trazador puede leer palabra a palabra.
        std::size_t i = 0;
        for (; i < n; i += sizeof(long)) {
            errno = 0;
            long palabra = ptrace(PTRACE_PEEKDATA, pid, reinterpret_cast<void*>(direccion + i), nullptr);
            if (errno != 0) break;
            std::memcpy(datos.data() + i, &palabra, std::min(sizeof(long), n - i));
        }
        leidos = static_cast<ssize_t>(std::min(i, n));
    }
    datos.resize(leidos > 0 ? static_cast<std::size_t>(leidos) : 0);
    return datos;
}

/// Decodifica una sockaddr de `largo` bytes en la memoria del proceso.
std::optional<Direccion> leer_direccion(pid_t pid, unsigned long direccion, std::size_t largo) {
    largo = std::min(largo, sizeof(sockaddr_storage));
    std::string bytes = leer_memoria(pid, direccion, largo);
    if (bytes.size() < sizeof(sa_family_t)) return std::nullopt;
    sockaddr_storage ss{};
    std::memcpy(&ss, bytes.data(), bytes.size());
    Direccion d;
    d.familia = ss.ss_family;
    char ip[INET6_ADDRSTRLEN] = "";
    if (ss.ss_family == AF_INET && bytes.size() >= sizeof(sockaddr_in)) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
        d.ip = ip;
        d.puerto = ntohs(in->sin_port);
        d.puerto_crudo = in->sin_port;  // sin convertir: si olvidó htons(), aquí está su número
    } else if (ss.ss_family == AF_INET6 && bytes.size() >= sizeof(sockaddr_in6)) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        d.ip = ip;
        d.puerto = ntohs(in6->sin6_port);
        d.puerto_crudo = in6->sin6_port;
    } else if (ss.ss_family == AF_UNIX) {
        const auto* un = reinterpret_cast<const sockaddr_un*>(&ss);
        std::size_t n = bytes.size() - offsetof(sockaddr_un, sun_path);
        d.ip = std::string(un->sun_path, strnlen(un->sun_path, n));
    }
    return d;
}

/// Los pollfd de un poll()/ppoll() (como mucho 256) leídos de la memoria del proceso.
std::vector<Sondeo> leer_sondeos(pid_t pid, unsigned long direccion, unsigned long n) {
    const std::size_t cuantos = std::min<unsigned long>(n, 256);
    const std::string bytes = leer_memoria(pid, direccion, cuantos * sizeof(pollfd));
    std::vector<Sondeo> r;
    for (std::size_t i = 0; (i + 1) * sizeof(pollfd) <= bytes.size(); ++i) {
        pollfd p{};
        std::memcpy(&p, bytes.data() + i * sizeof(pollfd), sizeof p);
        r.push_back({p.fd, p.events, p.revents});
    }
    return r;
}

/// ¿El descriptor `fd` del proceso `pid` es un socket? (/proc/PID/fd/N → «socket:[...]»)
bool es_socket(pid_t pid, long fd) {
    char destino[64] = "";
    std::string enlace = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    ComoAlumno como;  // modo contenedor: el programa es de otro usuario
    ssize_t n = readlink(enlace.c_str(), destino, sizeof destino - 1);
    return n > 0 && std::strncmp(destino, "socket:[", 8) == 0;
}

/// Los registros generales que el trazador cambia: el tercer argumento de una llamada (a la
/// entrada: el tamaño de read/write) o su resultado (a la salida).
enum class Registro { kTercerArgumento, kResultado };

/// Escribe `valor` en ese registro del proceso parado en una llamada. false si no se puede.
/// x86-64: rdx y rax; aarch64: x2 y x0 (NT_PRSTATUS).
bool poner_registro(pid_t pid, Registro cual, long valor) {
    const auto v = static_cast<unsigned long long>(valor);
#if defined(__x86_64__)
    user_regs_struct regs{};
    if (ptrace(PTRACE_GETREGS, pid, nullptr, &regs) != 0) return false;
    (cual == Registro::kTercerArgumento ? regs.rdx : regs.rax) = v;
    return ptrace(PTRACE_SETREGS, pid, nullptr, &regs) == 0;
#elif defined(__aarch64__)
    user_regs_struct regs{};
    iovec io{&regs, sizeof regs};
    if (ptrace(PTRACE_GETREGSET, pid, reinterpret_cast<void*>(NT_PRSTATUS), &io) != 0)
        return false;
    regs.regs[cual == Registro::kTercerArgumento ? 2 : 0] = v;
    return ptrace(PTRACE_SETREGSET, pid, reinterpret_cast<void*>(NT_PRSTATUS), &io) == 0;
#else
    (void)pid;
    (void)cual;
    (void)v;
    return false;
#endif
}

}  // namespace

bool trazador_cambia_llamadas() {
    const char* sin = std::getenv("ARNES_SIN_CAMBIOS");
    if (sin != nullptr && std::string(sin) == "1") return false;  // para probar la omisión
#if defined(__x86_64__) || defined(__aarch64__)
    return true;
#else
    return false;
#endif
}

namespace {

/// Cambia el tercer argumento (el tamaño) de la llamada en curso, a la entrada.
bool cambiar_tamano(pid_t pid, long tamano) {
    return poner_registro(pid, Registro::kTercerArgumento, tamano);
}

/// Anula la llamada en curso, a la entrada: cambia su número por -1 (ninguna llamada), así que el
/// núcleo no la ejecuta y a la salida devuelve -ENOSYS (que poner_resultado() sustituye).
/// x86-64: orig_rax; aarch64: el registro NT_ARM_SYSTEM_CALL.
bool anular_llamada(pid_t pid) {
#if defined(__x86_64__)
    user_regs_struct regs{};
    if (ptrace(PTRACE_GETREGS, pid, nullptr, &regs) != 0) return false;
    regs.orig_rax = static_cast<unsigned long long>(-1LL);
    return ptrace(PTRACE_SETREGS, pid, nullptr, &regs) == 0;
#elif defined(__aarch64__)
    int nr = -1;
    iovec io{&nr, sizeof nr};
    return ptrace(PTRACE_SETREGSET, pid, reinterpret_cast<void*>(NT_ARM_SYSTEM_CALL), &io) == 0;
#else
    (void)pid;
    return false;
#endif
}

/// Cambia el valor que devuelve la llamada en curso, a la salida (-errno para un error).
bool poner_resultado(pid_t pid, long valor) {
    return poner_registro(pid, Registro::kResultado, valor);
}

bool es(const std::string& nombre, std::initializer_list<const char*> nombres) {
    for (const char* n : nombres)
        if (nombre == n) return true;
    return false;
}

/// Lo que el trazador sabe de cada proceso trazado.
struct Trazado {
    long pendiente = -1;            ///< Índice de su llamada en curso en `llamadas` (o -1).
    bool espera_sigstop = false;    ///< Recién nacido: su primer SIGSTOP se traga.
    int error_provocado = 0;        ///< Su llamada en curso se anuló: a la salida, -este errno.
    long interrumpida = -1;         ///< Índice de su última llamada que una señal interrumpió
                                    ///< (resultado interno ERESTART*) y aún sin decidir si el
                                    ///< programa la ve volver con EINTR o el núcleo la repite.
    long codigo_interno = 0;        ///< Ese resultado interno (-512…-516).
};

/// Los códigos internos del núcleo para una llamada interrumpida por una señal
/// (include/linux/errno.h): el programa nunca los ve.
constexpr long kERESTARTSYS = 512, kERESTARTNOINTR = 513, kERESTARTNOHAND = 514,
               kERESTART_RESTARTBLOCK = 516;
bool es_reinicio_interno(long resultado) { return resultado <= -kERESTARTSYS && resultado >= -kERESTART_RESTARTBLOCK; }

/// Lecturas y escrituras con descriptor, y close(): para Opciones::fallos solo cuentan si el
/// descriptor es un socket (no las del cargador dinámico, ni las de stdin/stdout).
bool es_de_socket(const std::string& nombre) {
    return es(nombre, {"read", "write", "recv", "send", "recvfrom", "sendto", "recvmsg",
                       "sendmsg", "readv", "writev", "close"});
}

/// Lee la struct sigaction del núcleo (handler, flags, restorer, mask) en la memoria del
/// proceso. x86-64 y aarch64 la ordenan igual (con sa_restorer).
std::optional<AccionSenal> leer_accion(pid_t pid, unsigned long direccion) {
    const std::string b = leer_memoria(pid, direccion, 4 * sizeof(unsigned long));
    if (b.size() < 4 * sizeof(unsigned long)) return std::nullopt;
    AccionSenal a;
    std::memcpy(&a.manejador, b.data(), sizeof(unsigned long));
    std::memcpy(&a.banderas, b.data() + sizeof(unsigned long), sizeof(unsigned long));
    std::memcpy(&a.mascara, b.data() + 3 * sizeof(unsigned long), sizeof(unsigned long));
    return a;
}

/// Decide qué vio el programa de su llamada interrumpida `l` (resultado interno `codigo`) ahora
/// que se sabe qué pasó después: llegó la señal `senal` (0: ninguna, el proceso volvió a entrar
/// en una llamada, así que el núcleo la repitió). Las reglas del núcleo (signal.c,
/// handle_signal): con manejador, ERESTARTNOHAND y ERESTART_RESTARTBLOCK dan EINTR y ERESTARTSYS
/// también salvo con SA_RESTART; sin manejador (o ERESTARTNOINTR), la llamada se repite.
void decidir_interrumpida(const Programa::Estado& e, Llamada& l, long codigo, int senal) {
    bool eintr = false;
    if (senal > 0 && -codigo != kERESTARTNOINTR) {
        const auto a = e.acciones.find(senal);
        const bool manejador = a != e.acciones.end() && a->second.manejador > 1;
        eintr = manejador && (-codigo != kERESTARTSYS || (a->second.banderas & SA_RESTART) == 0);
    }
    if (eintr)
        l.resultado = -EINTR;
    else
        l.reiniciada = true;
    l.terminada = true;  // hasta ahora no se sabía cómo volvía: quien la espere la ve ya decidida
}

/// Aplica Opciones::fallos a la llamada que entra (anulándola o recortándola) y lo anota en `l`.
/// Con `m` tomado.
void provocar_fallos(Programa::Estado& e, pid_t pid, Trazado& t, Llamada& l) {
    const auto& fallos = e.opciones.fallos;
    if (fallos.empty()) return;
    e.fallos_vistos.resize(fallos.size(), 0);
    bool socket_comprobado = false, en_socket = false;
    bool hecho = false;
    for (std::size_t i = 0; i < fallos.size(); ++i) {
        const Fallo& f = fallos[i];
        if (!coincide_nombre(f.llamada, l.nombre)) continue;
        if (es_de_socket(l.nombre)) {
            if (!socket_comprobado) {
                en_socket = es_socket(pid, l.args[0]);
                socket_comprobado = true;
            }
            if (!en_socket) continue;
        }
        if (++e.fallos_vistos[i] != f.vez || hecho) continue;
        hecho = true;
        if (f.error != 0) {
            if (anular_llamada(pid)) {
                t.error_provocado = f.error;
                l.provocado = true;
            }
        } else if (f.cuenta > 0 && l.args[2] > f.cuenta) {
            l.provocado = cambiar_tamano(pid, f.cuenta);  // args[] guarda lo que pidió
        }
    }
}

/// Entrada de una llamada: se anota y, si toca, se recorta o se retiene. Devuelve true si el
/// proceso queda retenido (no hay que reanudarlo). Con `m` tomado.
bool entrada(Programa::Estado& e, pid_t pid, Trazado& t, const __ptrace_syscall_info& info) {
    Llamada l;
    l.orden = static_cast<long>(e.llamadas.size() + e.llamadas_descartadas);
    l.pid = pid;
    l.nr = static_cast<long>(info.entry.nr);
    l.nombre = nombre_llamada(l.nr);
    for (std::size_t i = 0; i < 6; ++i) l.args[i] = static_cast<long>(info.entry.args[i]);
    if (es(l.nombre, {"bind", "connect"}))
        l.direccion = leer_direccion(pid, info.entry.args[1], info.entry.args[2]);
    if (l.nombre == "rt_sigaction" && l.args[1] != 0) {
        l.accion = leer_accion(pid, info.entry.args[1]);
        if (l.accion && l.args[0] > 0) e.acciones[static_cast<int>(l.args[0])] = *l.accion;
    }
    if (t.interrumpida >= 0) {  // volvió a entrar en una llamada sin que llegara señal: se repitió
        decidir_interrumpida(e, e.llamadas[static_cast<std::size_t>(t.interrumpida)], t.codigo_interno, 0);
        t.interrumpida = -1;
    }
    if (l.nombre == "setsockopt" && l.args[4] > 0)
        l.datos = leer_memoria(pid, info.entry.args[3], std::min<unsigned long>(info.entry.args[4], kMaxDatos));
    if (es(l.nombre, {"poll", "ppoll"})) {
        l.sondeos = leer_sondeos(pid, info.entry.args[0], info.entry.args[1]);
        if (l.nombre == "poll") {
            l.espera_ms = static_cast<int>(l.args[2]);  // un int: negativo es sin plazo
        } else if (l.args[2] == 0) {
            l.espera_ms = -1;  // ppoll con NULL: sin plazo
        } else {
            const std::string plazo = leer_memoria(pid, info.entry.args[2], sizeof(timespec));
            timespec ts{};
            if (plazo.size() == sizeof ts) {
                std::memcpy(&ts, plazo.data(), sizeof ts);
                l.espera_ms = static_cast<long>(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
            }
        }
    }
    if (es(l.nombre, {"accept", "accept4"}) && l.args[2] != 0) {
        std::string largo = leer_memoria(pid, info.entry.args[2], sizeof(socklen_t));
        socklen_t n = 0;
        if (largo.size() == sizeof n) std::memcpy(&n, largo.data(), sizeof n);
        if (largo.size() == sizeof n) l.largo_entrada = static_cast<long>(n);
    }
    if (e.opciones.escritura_maxima > 0 && es(l.nombre, {"write", "send", "sendto"}) &&
        l.args[2] > e.opciones.escritura_maxima && es_socket(pid, l.args[0]))
        cambiar_tamano(pid, e.opciones.escritura_maxima);  // args[] guarda lo que pidió
    provocar_fallos(e, pid, t, l);
    bool retener = !e.retener.empty() && coincide_nombre(e.retener, l.nombre);
    if (e.llamadas.size() < kMaxLlamadas) {
        t.pendiente = static_cast<long>(e.llamadas.size());
        e.llamadas.push_back(std::move(l));
    } else {
        t.pendiente = -1;
        ++e.llamadas_descartadas;
    }
    if (retener) e.retenidos.push_back(pid);
    e.cv.notify_all();
    return retener;
}

/// Salida de una llamada: resultado, dirección devuelta y datos. Con `m` tomado.
void salida(Programa::Estado& e, pid_t pid, Trazado& t, const __ptrace_syscall_info& info) {
    long resultado = static_cast<long>(info.exit.rval);
    if (t.error_provocado != 0) {  // anulada a la entrada: el programa verá -1 y este errno
        if (poner_resultado(pid, -static_cast<long>(t.error_provocado)))
            resultado = -static_cast<long>(t.error_provocado);
        t.error_provocado = 0;
    }
    if (t.pendiente < 0) return;
    Llamada& l = e.llamadas[static_cast<std::size_t>(t.pendiente)];
    l.resultado = resultado;
    // Interrumpida por una señal: si el programa la ve volver con EINTR o el núcleo la repite se
    // sabe en la próxima parada de este proceso; hasta entonces sigue «sin terminar».
    l.terminada = !es_reinicio_interno(resultado);
    if (!l.terminada) {
        t.interrumpida = t.pendiente;
        t.codigo_interno = resultado;
    }
    t.pendiente = -1;
    const auto a = [&](std::size_t i) { return static_cast<unsigned long>(l.args[i]); };
    if (es(l.nombre, {"accept", "accept4", "getsockname", "getpeername"}) && l.resultado >= 0 &&
        l.args[1] != 0 && l.args[2] != 0) {
        std::string largo = leer_memoria(pid, a(2), sizeof(socklen_t));
        if (largo.size() == sizeof(socklen_t)) {
            socklen_t n;
            std::memcpy(&n, largo.data(), sizeof n);
            l.direccion = leer_direccion(pid, a(1), n);
        }
    }
    if (es(l.nombre, {"poll", "ppoll"}) && l.resultado >= 0) {
        const auto despues = leer_sondeos(pid, a(0), l.sondeos.size());
        for (std::size_t i = 0; i < despues.size() && i < l.sondeos.size(); ++i)
            l.sondeos[i].devueltos = despues[i].devueltos;
    }
    if (l.resultado > 0) {
        std::size_t n = std::min(kMaxDatos, static_cast<std::size_t>(l.resultado));
        if (es(l.nombre, {"write", "send", "sendto", "read", "recv", "recvfrom"})) {
            l.datos = leer_memoria(pid, a(1), n);
        } else if (l.nombre == "writev" || l.nombre == "readv") {
            std::string iov = leer_memoria(pid, a(1), sizeof(iovec));
            if (iov.size() == sizeof(iovec)) {
                iovec primero;
                std::memcpy(&primero, iov.data(), sizeof primero);
                l.datos = leer_memoria(pid, reinterpret_cast<unsigned long>(primero.iov_base),
                                       std::min(n, primero.iov_len));
            }
        }
    }
    e.cv.notify_all();
}

/// Atiende lo que la prueba pidió al vigía (por ahora, soltar a los retenidos).
void atender_peticiones(Programa::Estado& e) {
    std::lock_guard<std::mutex> candado(e.m);
    if (!e.peticion_soltar) return;
    for (pid_t p : e.retenidos) ptrace(PTRACE_SYSCALL, p, nullptr, nullptr);
    e.retenidos.clear();
    e.peticion_soltar = false;
    e.cv.notify_all();
}

/// Texto de una cadena de datos al estilo de strace, cortado a `maximo` caracteres (sin partir
/// ninguno: el UTF-8 válido pasa tal cual). `recortados`: la traza solo guardó el principio de
/// los datos de la llamada.
std::string citar_datos(const std::string& datos, bool recortados, std::size_t maximo = 40) {
    std::string r = "\"";
    std::size_t i = 0;
    for (std::size_t n = 0; i < datos.size() && n < maximo; ++n) {
        const std::size_t usados = caracter_visible(datos, i, r, true, recortados);
        if (usados == 0) break;
        i += usados;
    }
    r += "\"";
    if (i < datos.size() || recortados) r += "…";
    return r;
}

std::string texto_direccion(const std::optional<Direccion>& d, long puntero) {
    if (!d) return puntero == 0 ? "NULL" : "…";
    std::string r = "{" + nombre_familia(d->familia);
    if (d->familia == AF_INET) r += ", " + d->ip + ":" + std::to_string(d->puerto);
    if (d->familia == AF_INET6) r += ", [" + d->ip + "]:" + std::to_string(d->puerto);
    if (d->familia == AF_UNIX) r += ", \"" + d->ip + "\"";
    return r + "}";
}

/// «[{3, POLLIN}, {4, POLLIN|POLLOUT}]» (y «…» si hay más de 6).
std::string texto_sondeos(const std::vector<Sondeo>& sondeos, bool terminada) {
    std::string r = "[";
    for (std::size_t i = 0; i < sondeos.size() && i < 6; ++i) {
        r += (i ? ", {" : "{") + std::to_string(sondeos[i].fd) + ", " + nombre_eventos(sondeos[i].eventos);
        if (terminada && sondeos[i].devueltos != 0) r += " → " + nombre_eventos(sondeos[i].devueltos);
        r += "}";
    }
    return r + (sondeos.size() > 6 ? ", …]" : "]");
}

std::string texto_nivel(long nivel) {
    if (nivel == SOL_SOCKET) return "SOL_SOCKET";
    if (nivel == IPPROTO_TCP) return "IPPROTO_TCP";
    if (nivel == IPPROTO_IP) return "IPPROTO_IP";
    if (nivel == IPPROTO_IPV6) return "IPPROTO_IPV6";
    return std::to_string(nivel);
}

}  // namespace

std::string nombre_opcion(long nivel, long opcion) {
    if (nivel == SOL_SOCKET) {
        switch (opcion) {
            case SO_REUSEADDR: return "SO_REUSEADDR";
            case SO_REUSEPORT: return "SO_REUSEPORT";
            case SO_KEEPALIVE: return "SO_KEEPALIVE";
            case SO_LINGER: return "SO_LINGER";
            case SO_RCVBUF: return "SO_RCVBUF";
            case SO_SNDBUF: return "SO_SNDBUF";
            case SO_ERROR: return "SO_ERROR";
            case SO_TYPE: return "SO_TYPE";
            default: break;
        }
    }
    if (nivel == IPPROTO_IPV6 && opcion == IPV6_V6ONLY) return "IPV6_V6ONLY";
    return std::to_string(opcion);
}

int senal_despertador() { return SIGRTMIN + 3; }

void instalar_despertador() {
    struct sigaction sa {};
    sa.sa_handler = despertar;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // sin SA_RESTART: waitpid() debe volver con EINTR
    sigaction(senal_despertador(), &sa, nullptr);
}

std::string nombre_eventos(short eventos) {
    static const std::pair<short, const char*> kEventos[] = {
        {POLLIN, "POLLIN"},   {POLLPRI, "POLLPRI"}, {POLLOUT, "POLLOUT"},
        {POLLERR, "POLLERR"}, {POLLHUP, "POLLHUP"}, {POLLNVAL, "POLLNVAL"}};
    std::string r;
    for (const auto& [bit, nombre] : kEventos)
        if ((eventos & bit) != 0) r += (r.empty() ? "" : "|") + std::string(nombre);
    const short resto = static_cast<short>(eventos & ~(POLLIN | POLLPRI | POLLOUT | POLLERR | POLLHUP | POLLNVAL));
    if (resto != 0) r += (r.empty() ? "" : "|") + std::to_string(resto);
    return r.empty() ? "0" : r;
}

std::string nombre_llamada(long nr) {
    for (const auto& n : kNombres)
        if (n.nr == nr) return n.nombre;
    return "nr" + std::to_string(nr);
}

bool coincide_nombre(std::string_view alternativas, std::string_view nombre) {
    while (true) {
        auto barra = alternativas.find('|');
        if (alternativas.substr(0, barra) == nombre) return true;
        if (barra == std::string_view::npos) return false;
        alternativas.remove_prefix(barra + 1);
    }
}

std::optional<Llamada> primera(const std::vector<Llamada>& llamadas,
                               const std::function<bool(const Llamada&)>& condicion) {
    for (const auto& l : llamadas)
        if (condicion(l)) return l;
    return std::nullopt;
}

std::optional<std::string> preparar_traza(pid_t pid) {
    long opciones = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
    std::string motivo;
    if (ptrace(PTRACE_SETOPTIONS, pid, nullptr, reinterpret_cast<void*>(opciones)) != 0) {
        motivo = "ptrace(PTRACE_SETOPTIONS) falló: " + texto_errno(errno);
    } else {
        __ptrace_syscall_info info{};
        if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, reinterpret_cast<void*>(sizeof info), &info) <= 0)
            motivo = "el núcleo no ofrece PTRACE_GET_SYSCALL_INFO (" + texto_errno(errno) + ")";
    }
    if (motivo.empty()) return std::nullopt;
    ptrace(PTRACE_DETACH, pid, nullptr, nullptr);  // sigue sin traza (se traga el SIGSTOP)
    return motivo;
}

void bucle_de_traza(Programa::Estado& e) {
    std::map<pid_t, Trazado> procesos;
    procesos[e.pid] = Trazado{};
    while (true) {
        atender_peticiones(e);
        int st = 0;
        pid_t p = waitpid(-1, &st, __WALL | __WNOTHREAD);
        if (p < 0) {
            if (errno == EINTR) continue;
            break;  // ECHILD: no queda nadie
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            std::lock_guard<std::mutex> candado(e.m);
            procesos.erase(p);
            e.trazados.erase(std::remove(e.trazados.begin(), e.trazados.end(), p),
                             e.trazados.end());
            e.retenidos.erase(std::remove(e.retenidos.begin(), e.retenidos.end(), p),
                              e.retenidos.end());
            if (p == e.pid) registrar_fin(e, st);
            e.cv.notify_all();
            continue;
        }
        if (!WIFSTOPPED(st)) continue;
        auto [it, nuevo] = procesos.try_emplace(p);
        Trazado& t = it->second;
        if (nuevo) {  // su SIGSTOP llegó antes que el aviso de fork del padre
            std::lock_guard<std::mutex> candado(e.m);
            e.trazados.push_back(p);
        }
        const int senal = WSTOPSIG(st);
        const int evento = st >> 16;
        int reinyectar = 0;
        if (senal == (SIGTRAP | 0x80)) {
            __ptrace_syscall_info info{};
            if (ptrace(PTRACE_GET_SYSCALL_INFO, p, reinterpret_cast<void*>(sizeof info), &info) >
                0) {
                std::lock_guard<std::mutex> candado(e.m);
                if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
                    if (entrada(e, p, t, info)) continue;  // retenido: no se reanuda
                } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
                    salida(e, p, t, info);
                }
            }
        } else if (evento == PTRACE_EVENT_FORK || evento == PTRACE_EVENT_VFORK ||
                   evento == PTRACE_EVENT_CLONE) {
            unsigned long hijo = 0;
            ptrace(PTRACE_GETEVENTMSG, p, nullptr, &hijo);
            auto [h, hijo_nuevo] = procesos.try_emplace(static_cast<pid_t>(hijo));
            if (hijo_nuevo) {
                h->second.espera_sigstop = true;
                std::lock_guard<std::mutex> candado(e.m);
                e.trazados.push_back(static_cast<pid_t>(hijo));
            }
        } else if (evento != 0) {
            // PTRACE_EVENT_EXEC y demás: nada que anotar.
        } else if (senal == SIGSTOP && (nuevo || t.espera_sigstop)) {
            t.espera_sigstop = false;  // el SIGSTOP con el que nace un hijo trazado: se traga
        } else {
            siginfo_t si;
            if (ptrace(PTRACE_GETSIGINFO, p, nullptr, &si) == 0) {
                reinyectar = senal;  // una señal de verdad: se entrega
                if (t.interrumpida >= 0) {
                    std::lock_guard<std::mutex> candado(e.m);
                    decidir_interrumpida(e, e.llamadas[static_cast<std::size_t>(t.interrumpida)],
                                         t.codigo_interno, senal);
                    t.interrumpida = -1;
                    e.cv.notify_all();
                }
            }
            // si falla, es una parada de grupo: se reanuda sin señal
        }
        ptrace(PTRACE_SYSCALL, p, nullptr, reinterpret_cast<void*>(static_cast<long>(reinyectar)));
    }
}

std::string donde_segun_proc(pid_t pid) {
    const std::string base = "/proc/" + std::to_string(pid);
    ComoAlumno como;  // modo contenedor: el programa es de otro usuario
    {
        std::ifstream stat(base + "/stat");
        std::string linea;
        if (!std::getline(stat, linea)) return "";
        auto cierre = linea.rfind(')');
        if (cierre != std::string::npos && cierre + 2 < linea.size() && linea[cierre + 2] == 'Z')
            return "";
    }
    std::ifstream syscall_f(base + "/syscall");
    std::string primero, arg0;
    if (syscall_f >> primero) {
        if (primero == "running") return "en ejecución";
        long nr = std::strtol(primero.c_str(), nullptr, 10);
        if (nr >= 0) {
            std::string texto = nombre_llamada(nr) + "(";
            if (syscall_f >> arg0) texto += std::to_string(std::strtol(arg0.c_str(), nullptr, 16));
            return texto + ", …)";
        }
    }
    std::ifstream wchan(base + "/wchan");
    std::string funcion;
    if (wchan >> funcion && funcion != "0") return "el núcleo (" + funcion + ")";
    return "";
}

std::string donde_con_candado(const Programa::Estado& e, pid_t pid) {
    if (pid == 0) pid = e.pid;
    if (pid <= 0) return "";
    if (pid == e.pid && e.fin) return "";
    if (e.trazado && !e.traza_terminada) {
        if (std::find(e.trazados.begin(), e.trazados.end(), pid) == e.trazados.end()) return "";
        for (auto it = e.llamadas.rbegin(); it != e.llamadas.rend(); ++it)
            if (it->pid == pid) {
                if (!it->terminada) return it->texto();
                break;
            }
    }
    return donde_segun_proc(pid);
}

std::string Llamada::texto() const {
    const std::string& n = nombre;
    const std::string a0 = std::to_string(args[0]);
    // La traza guarda como mucho kMaxDatos bytes (y de writev/readv, solo el primer búfer).
    const bool recortados = resultado > 0 && datos.size() < static_cast<std::size_t>(resultado);
    std::string r;
    std::string nota;  // el nombre en el núcleo, si no es el que escribe el alumno
    if (n == "socket") {
        r = "socket(" + nombre_familia(args[0]) + ", " + nombre_tipo(args[1]) + ", " +
            std::to_string(args[2]) + ")";
    } else if (n == "bind" || n == "connect") {
        r = n + "(" + a0 + ", " + texto_direccion(direccion, args[1]) + ", " +
            std::to_string(args[2]) + ")";
    } else if (n == "listen") {
        r = "listen(" + a0 + ", " + std::to_string(args[1]) + ")";
    } else if (n == "accept" || n == "accept4" || n == "getsockname" || n == "getpeername") {
        if (!terminada)
            r = n + "(" + a0 + ", …)";
        else
            r = n + "(" + a0 + ", " + texto_direccion(direccion, args[1]) + ", …)";
    } else if (n == "setsockopt" || n == "getsockopt") {
        std::string valor = "…";
        if (n == "setsockopt" && datos.size() == sizeof(int)) {
            int v = 0;
            std::memcpy(&v, datos.data(), sizeof v);
            valor = "[" + std::to_string(v) + "]";
        }
        r = n + "(" + a0 + ", " + texto_nivel(args[1]) + ", " + nombre_opcion(args[1], args[2]) +
            ", " + valor + ", " + std::to_string(args[4]) + ")";
    } else if (n == "poll" || n == "ppoll") {
        r = n + "(" + texto_sondeos(sondeos, terminada) + ", " + std::to_string(args[1]) + ", " +
            (espera_ms == -2 ? std::string("…") : std::to_string(espera_ms)) + ")";
    } else if (n == "fcntl") {
        const char* ordenes[] = {"F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL"};
        r = "fcntl(" + a0 + ", " + (args[1] >= 0 && args[1] <= 4 ? ordenes[args[1]] : std::to_string(args[1]));
        if (args[1] == F_SETFL) r += std::string(", ") + ((args[2] & O_NONBLOCK) != 0 ? "…|O_NONBLOCK" : "sin O_NONBLOCK");
        r += ")";
    } else if (n == "read" || n == "recv" || n == "recvfrom" || n == "readv") {
        // recv() de glibc es recvfrom sin dirección en el núcleo: se escribe como el alumno.
        const std::string como = n == "recvfrom" && args[4] == 0 ? "recv" : n;
        if (como != n) nota = " (" + n + " en el núcleo)";
        r = como + "(" + a0 + ", " +
            (terminada && resultado >= 0 ? citar_datos(datos, recortados) : "…") + ", " +
            std::to_string(args[2]) + ")";
        if (!terminada) r = como + "(" + a0 + ", …)";
    } else if (n == "write" || n == "send" || n == "sendto" || n == "writev") {
        const std::string como = n == "sendto" && args[4] == 0 ? "send" : n;
        if (como != n) nota = " (" + n + " en el núcleo)";
        r = como + "(" + a0 + ", " +
            (terminada && resultado > 0 ? citar_datos(datos, recortados) : "…") + ", " +
            std::to_string(args[2]) + ")";
    } else if (n == "close" || n == "exit" || n == "dup") {
        r = n + "(" + a0 + ")";
    } else if (n == "exit_group") {
        // Lo que el alumno escribe: _exit() (o exit(), o return en main(), que acaban en ella).
        r = "_exit(" + a0 + ")";
        nota = " (exit_group en el núcleo)";
    } else if (n == "wait4") {
        const long opciones = args[2];
        r = "waitpid(" + a0 + ", …, " + (opciones == WNOHANG ? "WNOHANG" : std::to_string(opciones)) + ")";
        nota = " (wait4 en el núcleo)";
    } else if (n == "rt_sigaction") {
        std::string que = "…";
        if (accion) {
            que = accion->manejador == 0   ? "SIG_DFL"
                  : accion->manejador == 1 ? "SIG_IGN"
                                           : "manejador";
            if (accion->banderas & SA_RESTART) que += ", SA_RESTART";
        } else if (args[1] == 0) {
            que = "NULL";
        }
        r = "sigaction(" + nombre_senal(static_cast<int>(args[0])) + ", {" + que + "})";
        if (!accion && args[1] != 0) r = "sigaction(" + nombre_senal(static_cast<int>(args[0])) + ", …)";
        nota = " (rt_sigaction en el núcleo)";
    } else if (n == "shutdown") {
        const char* como[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
        r = "shutdown(" + a0 + ", " +
            (args[1] >= 0 && args[1] <= 2 ? como[args[1]] : std::to_string(args[1])) + ")";
    } else if (n == "dup2" || n == "dup3") {
        r = n + "(" + a0 + ", " + std::to_string(args[1]) + ")";
    } else if (n == "fork" || n == "vfork") {
        r = n + "()";
    } else if (n == "clone" && (args[0] & CLONE_THREAD) == 0) {
        r = "fork()";  // glibc hace fork() con clone (un hilo lleva CLONE_THREAD)
        nota = " (clone en el núcleo)";
    } else if (n == "kill") {
        r = "kill(" + a0 + ", " + nombre_senal(static_cast<int>(args[1])) + ")";
    } else {
        r = n + "(…)";
    }
    const std::string marca = nota + (provocado ? " [provocado por la prueba]" : "");
    if (!terminada && es_reinicio_interno(resultado)) return r + " (interrumpida por una señal)" + marca;
    if (!terminada) return r + marca;
    if (reiniciada) return r + " (interrumpida por una señal; el núcleo la repite)" + marca;
    if (resultado < 0 && resultado >= -4095) {
        int error = static_cast<int>(-resultado);
        return r + " = -1 " + texto_errno(error) + marca;
    }
    return r + " = " + std::to_string(resultado) + marca;
}

bool AccionSenal::de_signal(int senal) const {
    return manejador > 0 && (banderas & SA_RESTART) != 0 && senal >= 1 && senal <= 64 &&
           mascara == (1UL << (senal - 1));
}

std::string pista_sin_htons(const Llamada& l, int puerto) {
    if (!l.direccion || l.direccion->puerto_crudo != puerto || l.direccion->puerto == puerto)
        return "";
    sintoma("sin_htons");
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%04x", static_cast<unsigned>(l.direccion->puerto));
    return l.nombre + "() recibió el puerto " + hex + " = " + std::to_string(l.direccion->puerto) +
           "; pediste " + std::to_string(puerto) + ": falta htons(). sin_port guarda los dos " +
           "bytes en orden de red (el más significativo primero): sin_port = htons(puerto)";
}

}  // namespace arnes
