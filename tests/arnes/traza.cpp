/// \file traza.cpp
/// \brief El trazador: sigue con ptrace las llamadas al sistema del programa y de sus hijos,
///        decodifica direcciones y datos, retiene llamadas y recorta escrituras.
///
/// Todas las llamadas a ptrace() ocurren en el hilo que hizo fork() (el vigía del Programa, ver
/// lanzamiento.cpp), que por tanto es el trazador. waitpid(-1, __WALL | __WNOTHREAD) solo ve a
/// sus propios procesos trazados, así que varios Programa trazados conviven en la misma prueba.
///
/// No conoce al Programa: trabaja para un DuenoDeTraza (traza.h), que le da el proceso
/// principal, el candado y la Traza donde anota. Cómo se escribe una llamada para un informe
/// (Llamada::texto) está en llamada.cpp.
#include "arnes/traza.h"

#include "arnes/aislamiento.h"

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
void decidir_interrumpida(const Traza& tr, Llamada& l, long codigo, int senal) {
    bool eintr = false;
    if (senal > 0 && -codigo != kERESTARTNOINTR) {
        const auto a = tr.acciones.find(senal);
        const bool manejador = a != tr.acciones.end() && a->second.manejador > 1;
        eintr = manejador && (-codigo != kERESTARTSYS || (a->second.banderas & SA_RESTART) == 0);
    }
    if (eintr)
        l.resultado = -EINTR;
    else
        l.reiniciada = true;
    l.terminada = true;  // hasta ahora no se sabía cómo volvía: quien la espere la ve ya decidida
}

/// Aplica Opciones::fallos a la llamada que entra (anulándola o recortándola) y lo anota en `l`.
/// Con el candado tomado.
void provocar_fallos(Traza& tr, pid_t pid, Trazado& t, Llamada& l) {
    const auto& fallos = tr.fallos;
    if (fallos.empty()) return;
    tr.fallos_vistos.resize(fallos.size(), 0);
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
        if (++tr.fallos_vistos[i] != f.vez || hecho) continue;
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
/// proceso queda retenido (no hay que reanudarlo). Con el candado tomado.
bool entrada(DuenoDeTraza& d, pid_t pid, Trazado& t, const __ptrace_syscall_info& info) {
    Traza& tr = d.traza();
    Llamada l;
    l.orden = static_cast<long>(tr.llamadas.size() + tr.descartadas);
    l.pid = pid;
    l.nr = static_cast<long>(info.entry.nr);
    l.nombre = nombre_llamada(l.nr);
    for (std::size_t i = 0; i < 6; ++i) l.args[i] = static_cast<long>(info.entry.args[i]);
    if (es(l.nombre, {"bind", "connect"}))
        l.direccion = leer_direccion(pid, info.entry.args[1], info.entry.args[2]);
    if (l.nombre == "rt_sigaction" && l.args[1] != 0) {
        l.accion = leer_accion(pid, info.entry.args[1]);
        if (l.accion && l.args[0] > 0) tr.acciones[static_cast<int>(l.args[0])] = *l.accion;
    }
    if (t.interrumpida >= 0) {  // volvió a entrar en una llamada sin que llegara señal: se repitió
        decidir_interrumpida(tr, tr.llamadas[static_cast<std::size_t>(t.interrumpida)], t.codigo_interno, 0);
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
    if (tr.escritura_maxima > 0 && es(l.nombre, {"write", "send", "sendto"}) &&
        l.args[2] > tr.escritura_maxima && es_socket(pid, l.args[0]))
        cambiar_tamano(pid, tr.escritura_maxima);  // args[] guarda lo que pidió
    provocar_fallos(tr, pid, t, l);
    bool retener = !tr.retener.empty() && coincide_nombre(tr.retener, l.nombre);
    if (tr.llamadas.size() < kMaxLlamadas) {
        t.pendiente = static_cast<long>(tr.llamadas.size());
        tr.llamadas.push_back(std::move(l));
    } else {
        t.pendiente = -1;
        ++tr.descartadas;
    }
    if (retener) tr.retenidos.push_back(pid);
    d.avisar();
    return retener;
}

/// Salida de una llamada: resultado, dirección devuelta y datos. Con el candado tomado.
void salida(DuenoDeTraza& d, pid_t pid, Trazado& t, const __ptrace_syscall_info& info) {
    Traza& tr = d.traza();
    long resultado = static_cast<long>(info.exit.rval);
    if (t.error_provocado != 0) {  // anulada a la entrada: el programa verá -1 y este errno
        if (poner_resultado(pid, -static_cast<long>(t.error_provocado)))
            resultado = -static_cast<long>(t.error_provocado);
        t.error_provocado = 0;
    }
    if (t.pendiente < 0) return;
    Llamada& l = tr.llamadas[static_cast<std::size_t>(t.pendiente)];
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
    d.avisar();
}

/// Atiende lo que la prueba pidió al vigía (por ahora, soltar a los retenidos).
void atender_peticiones(DuenoDeTraza& d) {
    std::lock_guard<std::mutex> candado(d.candado());
    Traza& tr = d.traza();
    if (!tr.peticion_soltar) return;
    for (pid_t p : tr.retenidos) ptrace(PTRACE_SYSCALL, p, nullptr, nullptr);
    tr.retenidos.clear();
    tr.peticion_soltar = false;
    d.avisar();
}

}  // namespace

int senal_despertador() { return SIGRTMIN + 3; }

void instalar_despertador() {
    struct sigaction sa {};
    sa.sa_handler = despertar;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // sin SA_RESTART: waitpid() debe volver con EINTR
    sigaction(senal_despertador(), &sa, nullptr);
}

std::string nombre_llamada(long nr) {
    for (const auto& n : kNombres)
        if (n.nr == nr) return n.nombre;
    return "nr" + std::to_string(nr);
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

void bucle_de_traza(DuenoDeTraza& d) {
    Traza& tr = d.traza();
    std::map<pid_t, Trazado> procesos;
    procesos[d.principal()] = Trazado{};
    while (true) {
        atender_peticiones(d);
        int st = 0;
        pid_t p = waitpid(-1, &st, __WALL | __WNOTHREAD);
        if (p < 0) {
            if (errno == EINTR) continue;
            break;  // ECHILD: no queda nadie
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            std::lock_guard<std::mutex> candado(d.candado());
            procesos.erase(p);
            tr.trazados.erase(std::remove(tr.trazados.begin(), tr.trazados.end(), p),
                             tr.trazados.end());
            tr.retenidos.erase(std::remove(tr.retenidos.begin(), tr.retenidos.end(), p),
                              tr.retenidos.end());
            if (p == d.principal()) d.fin_del_principal(st);
            d.avisar();
            continue;
        }
        if (!WIFSTOPPED(st)) continue;
        auto [it, nuevo] = procesos.try_emplace(p);
        Trazado& t = it->second;
        if (nuevo) {  // su SIGSTOP llegó antes que el aviso de fork del padre
            std::lock_guard<std::mutex> candado(d.candado());
            tr.trazados.push_back(p);
        }
        const int senal = WSTOPSIG(st);
        const int evento = st >> 16;
        int reinyectar = 0;
        if (senal == (SIGTRAP | 0x80)) {
            __ptrace_syscall_info info{};
            if (ptrace(PTRACE_GET_SYSCALL_INFO, p, reinterpret_cast<void*>(sizeof info), &info) >
                0) {
                std::lock_guard<std::mutex> candado(d.candado());
                if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
                    if (entrada(d, p, t, info)) continue;  // retenido: no se reanuda
                } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
                    salida(d, p, t, info);
                }
            }
        } else if (evento == PTRACE_EVENT_FORK || evento == PTRACE_EVENT_VFORK ||
                   evento == PTRACE_EVENT_CLONE) {
            unsigned long hijo = 0;
            ptrace(PTRACE_GETEVENTMSG, p, nullptr, &hijo);
            auto [h, hijo_nuevo] = procesos.try_emplace(static_cast<pid_t>(hijo));
            if (hijo_nuevo) {
                h->second.espera_sigstop = true;
                std::lock_guard<std::mutex> candado(d.candado());
                tr.trazados.push_back(static_cast<pid_t>(hijo));
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
                    std::lock_guard<std::mutex> candado(d.candado());
                    decidir_interrumpida(tr, tr.llamadas[static_cast<std::size_t>(t.interrumpida)],
                                         t.codigo_interno, senal);
                    t.interrumpida = -1;
                    d.avisar();
                }
            }
            // si falla, es una parada de grupo: se reanuda sin señal
        }
        ptrace(PTRACE_SYSCALL, p, nullptr, reinterpret_cast<void*>(static_cast<long>(reinyectar)));
    }
}

}  // namespace arnes
