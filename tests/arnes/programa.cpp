/// \file programa.cpp
/// \brief Programa: lanza un proceso en su propio grupo, captura su salida, hace cumplir el
///        límite de tiempo, lo recoge y mira su higiene en /proc.
#include "arnes/interno.h"
#include "base/procesos.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

namespace arnes {

namespace {

/// Mata (SIGKILL) a cada proceso vivo del grupo `pgid`, uno a uno y por su pidfd: abierto el
/// pidfd, se comprueba que ese proceso sigue en el grupo, y la señal va a él y solo a él. Nunca
/// se usa kill(-pgid): cuando el líder ya está recogido y el grupo se vacía, otro proceso puede
/// heredar ese número (fuera de un espacio de PID propio, uno de cualquiera) y la señal le
/// llegaría. Sin pidfd_open() (Linux anterior a 5.3), kill() a cada miembro visto.
void matar_grupo(pid_t pgid) {
    if (pgid <= 0) return;
    for (const auto& p : base::miembros_del_grupo(pgid)) {
        if (p.estado == 'Z') continue;
        const int fd = static_cast<int>(syscall(SYS_pidfd_open, p.pid, 0));
        if (fd < 0) {
            if (errno == ENOSYS) kill(p.pid, SIGKILL);
            continue;  // ESRCH: ya no existe
        }
        const auto ahora = base::proceso(p.pid);  // el pidfd ya fija a quién va la señal
        if (ahora && ahora->pgrp == pgid) syscall(SYS_pidfd_send_signal, fd, SIGKILL, nullptr, 0);
        close(fd);
    }
}

/// Mata el grupo y espera (como mucho `plazo`) a que se vacíe, recogiendo a los zombis que nos
/// hayan tocado como «subreaper». Solo se usa en matar() y en el destructor.
void vaciar_grupo(pid_t pgid, Ms plazo) {
    if (pgid <= 0) return;
    const auto fin = Reloj::now() + plazo;
    while (true) {
        auto grupo = base::miembros_del_grupo(pgid);
        if (grupo.empty()) return;
        matar_grupo(pgid);
        for (const auto& p : grupo)
            if (p.estado == 'Z' && p.ppid == getpid()) waitpid(p.pid, nullptr, WNOHANG);
        if (Reloj::now() > fin) return;
        // Solo aquí se duerme: esperamos al núcleo, que no avisa cuando un grupo se vacía.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

/// Escapa un argumento para mostrarlo en «entrada:» si tiene espacios o está vacío.
std::string citar(const std::string& arg) {
    if (!arg.empty() && arg.find_first_of(" \t\n'\"") == std::string::npos) return arg;
    std::string r = "'";
    for (char c : arg) r += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    return r + "'";
}

/// Las últimas `n` líneas de `texto`, sangradas con dos espacios.
std::string ultimas_lineas(const std::string& texto, std::size_t n) {
    if (texto.empty()) return "  (nada)\n";
    std::vector<std::string> lineas;
    std::istringstream is(texto);
    for (std::string l; std::getline(is, l);) lineas.push_back(l);
    std::string r;
    std::size_t desde = lineas.size() > n ? lineas.size() - n : 0;
    if (desde > 0) r += "  (… " + cuenta(desde, "línea", "líneas") + " antes)\n";
    for (std::size_t i = desde; i < lineas.size(); ++i) r += "  " + lineas[i] + "\n";
    return r;
}

/// Lee todo lo disponible (el descriptor es no bloqueante) y lo añade a `destino` respetando el
/// tope. Si llega a EOF (o a un error) cierra el descriptor y lo deja a -1.
void vaciar(int& fd, std::string& destino, std::size_t tope, std::size_t& descartado,
            bool& cerrado) {
    char buf[65536];
    while (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            close(fd);
            fd = -1;
            cerrado = true;
            return;
        }
        std::size_t cuantos = static_cast<std::size_t>(n);
        std::size_t caben = destino.size() < tope ? tope - destino.size() : 0;
        std::size_t tomados = std::min(caben, cuantos);
        destino.append(buf, tomados);
        descartado += cuantos - tomados;
    }
}

/// Lee /proc/sys/kernel/yama/ptrace_scope (-1 si no hay Yama).
int ambito_yama() {
    std::ifstream f("/proc/sys/kernel/yama/ptrace_scope");
    int ambito = -1;
    if (!(f >> ambito)) return -1;
    return ambito;
}

/// Hilo lector: vacía stdout/stderr sin parar y mata el grupo cuando vence el límite.
void leer(Programa::Estado* e) {
    while (true) {
        int timeout = -1;
        {
            std::lock_guard<std::mutex> candado(e->m);
            if (e->parar) break;
            if (e->fd_salida < 0 && e->fd_errores < 0 && e->vigia_terminado) break;
            if (!e->matado && !e->vigia_terminado) {
                auto resta = std::chrono::duration_cast<std::chrono::milliseconds>(e->limite -
                                                                                   Reloj::now());
                timeout = static_cast<int>(std::max<long long>(0, resta.count()));
            }
        }
        pollfd fds[3] = {{e->fd_salida, POLLIN, 0}, {e->fd_errores, POLLIN, 0},
                         {e->despertador, POLLIN, 0}};
        int listos = poll(fds, 3, timeout);
        if (listos < 0 && errno != EINTR) break;
        std::lock_guard<std::mutex> candado(e->m);
        if (listos == 0 && !e->matado && !e->vigia_terminado && Reloj::now() >= e->limite) {
            // Venció el límite: se anota dónde estaba y se mata el grupo entero.
            e->donde_al_morir = donde_con_candado(*e, 0);
            e->matado = true;
            e->por_limite = true;
            e->ms_muerte = e->ms_desde_inicio();
            e->matar_todo_con_candado();
        }
        if (listos > 0 && fds[2].revents != 0) {
            std::uint64_t valor;
            if (read(e->despertador, &valor, sizeof valor) < 0) { /* no importa */ }
        }
        // Tras el fin del principal, lo que escribió ya está en los tubos: se vacían del todo
        // para que esperar_fin() vuelva con su salida completa.
        bool tras_fin = e->fin && !e->drenado_tras_fin;
        if (tras_fin || (listos > 0 && fds[0].revents != 0))
            vaciar(e->fd_salida, e->salida, e->opciones.max_salida, e->descartado,
                   e->salida_cerrada);
        if (tras_fin || (listos > 0 && fds[1].revents != 0))
            vaciar(e->fd_errores, e->errores, e->opciones.max_salida, e->descartado,
                   e->errores_cerrada);
        if (tras_fin) e->drenado_tras_fin = true;
        ++e->vueltas_lector;
        e->cv.notify_all();
    }
    std::lock_guard<std::mutex> candado(e->m);
    e->lector_terminado = true;
    e->cv.notify_all();
}

/// Aislamiento del programa probado cuando corrige el corrector (tests/corrector/, ver
/// docs/dev/corrector.md). Dos modos, según lo que pida el ejecutor:
///  - SOCKETS_OCULTAR=RUTA[:RUTA...] (modo arenero, dentro de bubblewrap): el programa no debe
///    ver esas carpetas (donde el arnés escribe los veredictos) ni /proc (por donde llegaría a
///    los ficheros abiertos de los demás procesos). El hijo entra en un espacio de nombres de
///    usuario y de montajes propios y monta un tmpfs vacío de solo lectura encima de cada ruta.
///    Como el proceso que prueba no tiene privilegios en ese espacio tras execve, no puede
///    desmontarlos.
///  - SOCKETS_USUARIO=UID:GID (modo contenedor: root sin espacios de nombres, como Gradescope):
///    el hijo deja de ser root y pasa a ese usuario sin privilegios (sin grupos suplementarios),
///    con los límites de cada proceso de una entrega. Los veredictos y todo lo de confianza son
///    de root y ese usuario no puede tocarlos.
/// Todo se prepara antes de fork: el hijo no puede reservar memoria.
/// Tope de espacio de direcciones de cada programa de una entrega al corregir.
constexpr rlim_t kMemoriaEntrega = rlim_t{1} << 30;

struct Aislamiento {
    bool activo = false;   ///< SOCKETS_OCULTAR: espacios de nombres
    std::vector<std::string> rutas;
    std::string mapa_uid, mapa_gid;
    bool usuario = false;  ///< SOCKETS_USUARIO: cambio de usuario
    uid_t uid = 0;
    gid_t gid = 0;
    bool pedido() const { return activo || usuario; }
};

const Aislamiento& aislamiento() {
    static const Aislamiento a = [] {
        Aislamiento r;
        const char* u = std::getenv("SOCKETS_USUARIO");
        unsigned long uid = 0, gid = 0;
        char sobra = 0;
        if (u != nullptr && std::sscanf(u, "%lu:%lu%c", &uid, &gid, &sobra) == 2 && uid > 0 && gid > 0) {
            r.usuario = true;
            r.uid = static_cast<uid_t>(uid);
            r.gid = static_cast<gid_t>(gid);
        }
        const char* v = std::getenv("SOCKETS_OCULTAR");
        if (v == nullptr || *v == '\0') return r;
        r.activo = true;
        std::string resto = v;
        std::size_t inicio = 0;
        while (inicio <= resto.size()) {
            std::size_t fin = resto.find(':', inicio);
            if (fin == std::string::npos) fin = resto.size();
            if (fin > inicio) r.rutas.push_back(resto.substr(inicio, fin - inicio));
            inicio = fin + 1;
        }
        r.rutas.push_back("/proc");
        r.mapa_uid = std::to_string(getuid()) + " " + std::to_string(getuid()) + " 1\n";
        r.mapa_gid = std::to_string(getgid()) + " " + std::to_string(getgid()) + " 1\n";
        return r;
    }();
    return a;
}

/// Escribe `texto` en `ruta` (solo llamadas seguras tras fork). false si falla.
bool escribir_en(const char* ruta, const std::string& texto) {
    int fd = open(ruta, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool bien = write(fd, texto.data(), texto.size()) == static_cast<ssize_t>(texto.size());
    close(fd);
    return bien;
}

/// En el hijo, modo contenedor: los límites de cada proceso de la entrega (los mismos que el
/// arenero pone con prlimit) y el cambio a su usuario. Llamadas directas al núcleo: tras fork
/// en un proceso con hilos no se puede usar el setuid() de glibc (avisa a todos los hilos).
bool pasar_a_usuario(const Aislamiento& a) {
    // RLIMIT_NPROC cuenta todos los procesos del usuario (en el arenero, los de cada espacio de
    // usuarios): una prueba de la lección 07 abre 500 clientes a la vez, cada uno con su hijo.
    const std::pair<int, rlim_t> topes[] = {{RLIMIT_NPROC, 2048},      {RLIMIT_CPU, 30},
                                            {RLIMIT_FSIZE, 32u << 20}, {RLIMIT_NOFILE, 256},
                                            {RLIMIT_CORE, 0}};
    for (const auto& [recurso, valor] : topes) {
        const rlimit r{valor, valor};
        if (setrlimit(recurso, &r) != 0) return false;
    }
    return syscall(SYS_setgroups, 0, nullptr) == 0 &&
           syscall(SYS_setresgid, a.gid, a.gid, a.gid) == 0 &&
           syscall(SYS_setresuid, a.uid, a.uid, a.uid) == 0 && getuid() == a.uid;
}

/// En el hijo, al corregir: un filtro seccomp que niega ptrace(), process_vm_readv() y
/// process_vm_writev() al programa del alumno y a todos sus descendientes (no se puede quitar).
/// Así no puede trazar ni leer ni escribir la memoria de nadie, ni siquiera la de una prueba
/// en el instante en que arranca, antes de declararse no volcable. (El arnés lo traza igual:
/// PTRACE_TRACEME ya está hecho.) no_new_privs: sin él, solo root podría instalar el filtro.
bool negar_trazas() {
#if defined(__x86_64__)
    constexpr unsigned arquitectura = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
    constexpr unsigned arquitectura = AUDIT_ARCH_AARCH64;
#else
    return true;  // sin filtro en otras arquitecturas (el corrector es para Linux x86-64 y aarch64)
#endif
#if defined(__x86_64__) || defined(__aarch64__)
    constexpr unsigned eperm = SECCOMP_RET_ERRNO | EPERM;
    sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arquitectura, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, eperm),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ptrace, 3, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_readv, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_writev, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, eperm),
    };
    sock_fprog prog{static_cast<unsigned short>(sizeof f / sizeof f[0]), f};
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0;
#endif
}

/// Los ficheros propios de un programa (Opciones::ficheros), ya escritos antes de fork en
/// ficheros temporales: cada temporal se monta encima de su ruta en el hijo. Los temporales se
/// borran al destruirse (el montaje conserva el contenido mientras el programa lo use).
struct Montajes {
    std::vector<std::pair<std::string, std::string>> pares;  ///< {temporal, ruta del sistema}
    std::string mapa_uid, mapa_gid;
    bool error = false;  ///< No se pudo escribir algún temporal.
    std::string aviso;   ///< Para el hijo, si falta una ruta: no hay dónde montar su fichero.
    explicit Montajes(const std::vector<std::pair<std::string, std::string>>& ficheros) {
        for (const auto& [ruta, contenido] : ficheros) {
            if (access(ruta.c_str(), F_OK) != 0 && aviso.empty())
                aviso = "[arnés] no existe " + ruta + ": no hay dónde montar el fichero propio del "
                        "programa (un arenero sin /etc completo)\n";
            std::string plantilla = "/tmp/arnes-fichero-XXXXXX";
            const int fd = mkstemp(plantilla.data());
            if (fd < 0) {
                error = true;
                continue;
            }
            const bool escrito =
                write(fd, contenido.data(), contenido.size()) == static_cast<ssize_t>(contenido.size());
            close(fd);
            chmod(plantilla.c_str(), 0644);
            pares.emplace_back(plantilla, ruta);
            error = error || !escrito;
        }
        mapa_uid = std::to_string(getuid()) + " " + std::to_string(getuid()) + " 1\n";
        mapa_gid = std::to_string(getgid()) + " " + std::to_string(getgid()) + " 1\n";
    }
    ~Montajes() {
        for (const auto& par : pares) unlink(par.first.c_str());
    }
    Montajes(const Montajes&) = delete;
    Montajes& operator=(const Montajes&) = delete;
};

/// En el hijo: espacios de nombres de usuario y de montajes propios (con `mapa_uid` y
/// `mapa_gid`). Solo llamadas seguras tras fork. false si algo falla.
bool espacios_propios(const std::string& mapa_uid, const std::string& mapa_gid) {
    // El proceso de pruebas se declara no volcable (veredicto.cpp) y el hijo lo hereda: así su
    // /proc/self sería de root y no podría escribir su uid_map. execve() lo restablecería de
    // todos modos; aquí se adelanta.
    prctl(PR_SET_DUMPABLE, 1);
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0) {
        if (!escribir_en("/proc/self/setgroups", "deny") || !escribir_en("/proc/self/uid_map", mapa_uid) ||
            !escribir_en("/proc/self/gid_map", mapa_gid))
            return false;
    } else if (!(errno == EPERM && geteuid() == 0 && unshare(CLONE_NEWNS) == 0)) {
        // (Root puede tener su espacio de montajes sin uno de usuario: así en un chroot, donde el
        // núcleo no deja crear espacios de usuario.)
        return false;
    }
    return mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}

/// En el hijo: sus ficheros propios (Opciones::ficheros) y, si corrige el corrector, el
/// aislamiento: tmpfs encima de cada ruta (arenero) o el usuario del alumno (contenedor). false si
/// algo falla (y entonces el programa no debe ejecutarse).
bool aislar(const Aislamiento& a, const Montajes& m) {
    // Un tope de memoria para el programa de la entrega (y sus hijos), no para el arnés: así el
    // arnés puede estar compilado con ASan, que reserva terabytes de memoria virtual.
    const rlimit memoria{kMemoriaEntrega, kMemoriaEntrega};
    if (a.usuario) {
        // Contenedor: sin espacios de nombres no hay ficheros propios (las pruebas que los
        // necesitan se omiten antes: espacios_permitidos()).
        return m.pares.empty() && setrlimit(RLIMIT_AS, &memoria) == 0 && pasar_a_usuario(a) &&
               negar_trazas();
    }
    if (!a.activo && m.pares.empty()) return true;
    if (m.error) return false;
    if (!espacios_propios(a.activo ? a.mapa_uid : m.mapa_uid, a.activo ? a.mapa_gid : m.mapa_gid))
        return false;
    for (const auto& [temporal, ruta] : m.pares)
        if (mount(temporal.c_str(), ruta.c_str(), nullptr, MS_BIND, nullptr) != 0) return false;
    if (!a.activo) return true;
    for (const auto& r : a.rutas)
        if (mount("tmpfs", r.c_str(), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  "size=4k,mode=000") != 0)
            return false;
    return setrlimit(RLIMIT_AS, &memoria) == 0 && negar_trazas();
}

}  // namespace

bool espacios_permitidos(std::string* motivo) {
    // Se prueba una vez, en un hijo que hace lo mismo que hará el de un programa con ficheros
    // propios (unshare, mapas de uid y gid, montajes privados) y dice por dónde falló.
    static const std::string problema = [] {
        const std::string uid = std::to_string(getuid()) + " " + std::to_string(getuid()) + " 1\n";
        const std::string gid = std::to_string(getgid()) + " " + std::to_string(getgid()) + " 1\n";
        const pid_t p = fork();
        if (p == 0) _exit(espacios_propios(uid, gid) ? 0 : (errno == 0 ? 255 : errno));
        if (p < 0) return "fork(): " + texto_errno(errno);
        int st = 0;
        while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
        }
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return std::string();
        if (WIFEXITED(st) && WEXITSTATUS(st) != 255)
            return "unshare(CLONE_NEWUSER | CLONE_NEWNS) o sus montajes: " + texto_errno(WEXITSTATUS(st));
        return std::string("no se pudieron crear");
    }();
    if (motivo != nullptr) *motivo = problema;
    return problema.empty();
}

namespace {

/// Código del hijo entre fork() y execv(): solo llamadas seguras tras fork en un proceso con
/// hilos. Nunca vuelve.
[[noreturn]] void hijo(const char* ruta, char* const* argv, char* const* envp, int entrada,
                       int salida, int errores, int aviso, bool trazar, const Montajes& montajes) {
    setpgid(0, 0);
    dup2(entrada, 0);
    dup2(salida, 1);
    dup2(errores, 2);
    // El proceso de pruebas ignora SIGPIPE (y eso se heredaría con exec): se restauran todas.
    struct sigaction por_defecto {};
    por_defecto.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; ++s)
        if (s != SIGKILL && s != SIGSTOP) sigaction(s, &por_defecto, nullptr);
    sigset_t nada;
    sigemptyset(&nada);
    sigprocmask(SIG_SETMASK, &nada, nullptr);

    char estado[1 + sizeof(int)] = {'N'};
    int error = 0;
    if (trazar) {
        if (ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0)
            estado[0] = 'T';
        else
            error = errno;
    }
    std::memcpy(estado + 1, &error, sizeof error);
    if (write(aviso, estado, sizeof estado) < 0) { /* el padre lo verá como fallo */ }
    if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
        for (int fd = 3; fd < 1024; ++fd) close(fd);
    if (!aislar(aislamiento(), montajes)) {
        const char mensaje[] = "[arnés] no se pudo aislar el programa (SOCKETS_OCULTAR o "
                               "SOCKETS_USUARIO) ni darle sus ficheros propios\n";
        if (write(2, mensaje, sizeof mensaje - 1) < 0) { /* nada más que hacer */ }
        if (!montajes.aviso.empty() && write(2, montajes.aviso.data(), montajes.aviso.size()) < 0) {
        }
        _exit(126);
    }
    if (estado[0] == 'T') raise(SIGSTOP);  // el trazador fija sus opciones aquí
    execve(ruta, argv, envp);
    const char mensaje[] = "[arnés] execve() falló: no se pudo ejecutar el programa\n";
    if (write(2, mensaje, sizeof mensaje - 1) < 0) { /* nada más que hacer */ }
    _exit(127);
}

/// Un descriptor propio (RAII, solo movible): se cierra al destruirse salvo que se suelte.
class Descriptor {
public:
    Descriptor() = default;
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) close(fd_);
    }
    Descriptor(Descriptor&& otro) noexcept : fd_(otro.soltar()) {}
    Descriptor& operator=(Descriptor&& otro) noexcept {
        if (this != &otro) {
            if (fd_ >= 0) close(fd_);
            fd_ = otro.soltar();
        }
        return *this;
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;

    int get() const { return fd_; }
    /// Deja de ser su dueño y lo devuelve (quien lo recibe lo cerrará).
    int soltar() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    /// Lo cierra ya.
    void cerrar() { Descriptor().swap(*this); }
    void swap(Descriptor& otro) noexcept { std::swap(fd_, otro.fd_); }

private:
    int fd_ = -1;
};

/// Un tubo (pipe2(2) con O_CLOEXEC): extremo de lectura y de escritura.
struct Tubo {
    Descriptor lectura, escritura;
};

/// Los cuatro tubos entre el arnés y el hijo: stdin, stdout, stderr y el aviso del hijo (si
/// PTRACE_TRACEME funcionó). Si uno no se puede abrir, los ya abiertos se cierran solos.
struct Tubos {
    Tubo entrada, salida, errores, aviso;
};

/// Abre los cuatro tubos; 0 si pudo, si no el errno de pipe2() (y no queda ninguno abierto).
int abrir_tubos(Tubos& t) {
    for (Tubo* tubo : {&t.entrada, &t.salida, &t.errores, &t.aviso}) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) {
            const int error = errno;
            t = Tubos{};
            return error;
        }
        tubo->lectura = Descriptor(fds[0]);
        tubo->escritura = Descriptor(fds[1]);
    }
    return 0;
}

/// ¿Se traza el programa? false, con el motivo en `motivo`, si la prueba lo pidió, si
/// ARNES_SIN_TRAZA=1 o si Yama prohíbe ptrace.
bool decidir_traza(const Opciones& opciones, std::string& motivo) {
    if (!opciones.trazar) {
        motivo = "la prueba pidió ejecutarlo sin traza";
        return false;
    }
    const char* sin_traza = std::getenv("ARNES_SIN_TRAZA");
    if (sin_traza != nullptr && std::string(sin_traza) == "1") {
        motivo = "la variable ARNES_SIN_TRAZA=1 pide no trazar";
        return false;
    }
    if (ambito_yama() >= 3) {
        motivo = "Yama prohíbe ptrace (kernel.yama.ptrace_scope = 3)";
        return false;
    }
    return true;
}

/// argv y envp del programa, preparados antes de fork (el hijo no puede reservar memoria). Se
/// construye en su sitio y no se copia ni se mueve: argv y envp apuntan a sus propias cadenas.
class OrdenDeEjecucion {
public:
    OrdenDeEjecucion(const Programa::Estado& e, bool trazar) {
        textos_.push_back(e.ruta);
        textos_.insert(textos_.end(), e.args.begin(), e.args.end());
        // El entorno, igual que el nuestro salvo una cosa: un programa compilado con ASan, al
        // salir, busca fugas con LeakSanitizer, que necesita ptrace y falla si ya lo trazamos
        // nosotros (código 1). Con traza se le pide que no busque fugas.
        bool hay_asan = false;
        for (char** v = environ; *v != nullptr; ++v) {
            variables_.emplace_back(*v);
            if (trazar && variables_.back().rfind("ASAN_OPTIONS=", 0) == 0) {
                variables_.back() += ":detect_leaks=0";
                hay_asan = true;
            }
        }
        if (trazar && !hay_asan) variables_.emplace_back("ASAN_OPTIONS=detect_leaks=0");
        for (auto& t : textos_) argv_.push_back(t.data());
        argv_.push_back(nullptr);
        for (auto& v : variables_) envp_.push_back(v.data());
        envp_.push_back(nullptr);
    }
    OrdenDeEjecucion(const OrdenDeEjecucion&) = delete;
    OrdenDeEjecucion& operator=(const OrdenDeEjecucion&) = delete;

    const char* ruta() const { return argv_[0]; }
    char* const* argv() const { return argv_.data(); }
    char* const* envp() const { return envp_.data(); }

private:
    std::vector<std::string> textos_, variables_;
    std::vector<char*> argv_, envp_;
};

/// El programa no llegó a ejecutarse: se anota como terminado con código 127 y `porque` en su
/// stderr, y se despierta a quien espera el lanzamiento.
void anotar_no_lanzado(Programa::Estado& e, const std::string& porque) {
    std::lock_guard<std::mutex> candado(e.m);
    e.errores = "[arnés] " + porque + "\n";
    e.fin = Fin{false, 127, 0, false};
    e.momento_fin = Reloj::now();
    e.salida_cerrada = e.errores_cerrada = e.drenado_tras_fin = true;
    e.motivo_sin_traza = "el programa no llegó a ejecutarse";
    e.lanzado = e.traza_terminada = e.vigia_terminado = true;
    e.cv.notify_all();
}

/// Tras fork: lee el aviso del hijo y, si hizo PTRACE_TRACEME, espera su SIGSTOP y prepara la
/// traza. true si queda trazado; si no, `motivo` dice por qué.
bool empezar_traza(Programa::Estado& e, pid_t pid, Descriptor aviso, bool trazar,
                   std::string& motivo) {
    char estado[1 + sizeof(int)] = {'N'};
    ssize_t leidos;
    do leidos = read(aviso.get(), estado, sizeof estado);
    while (leidos < 0 && errno == EINTR);
    aviso.cerrar();
    if (leidos != static_cast<ssize_t>(sizeof estado) || estado[0] != 'T') {
        if (trazar) {
            int error = 0;
            std::memcpy(&error, estado + 1, sizeof error);
            motivo = "ptrace(PTRACE_TRACEME) falló: " + texto_errno(error);
        }
        return false;
    }
    int st = 0;
    pid_t r;
    do r = waitpid(pid, &st, __WALL);
    while (r < 0 && errno == EINTR);
    if (r == pid && WIFSTOPPED(st)) {
        if (auto problema = preparar_traza(pid)) {
            motivo = *problema;
            return false;
        }
        ptrace(PTRACE_SYSCALL, pid, nullptr, nullptr);
        return true;
    }
    if (r == pid) {
        // Murió antes de llegar a exec (no debería pasar).
        std::lock_guard<std::mutex> candado(e.m);
        registrar_fin(e, st);
        motivo = "el programa terminó antes de poder trazarlo";
    }
    return false;
}

/// Sin traza: espera (waitpid) a que el proceso principal termine y lo anota.
void recoger_sin_traza(Programa::Estado& e, pid_t pid) {
    bool recogido;
    {
        std::lock_guard<std::mutex> candado(e.m);
        recogido = e.fin.has_value();
    }
    while (!recogido) {
        int st = 0;
        pid_t r = waitpid(pid, &st, 0);
        if (r < 0 && errno == EINTR) continue;
        std::lock_guard<std::mutex> candado(e.m);
        if (r == pid && (WIFEXITED(st) || WIFSIGNALED(st))) registrar_fin(e, st);
        if (r < 0 && !e.fin) e.fin = Fin{};  // no debería pasar: ECHILD
        recogido = e.fin.has_value();
        e.cv.notify_all();
    }
}

/// Hilo vigía: hace fork (así es el trazador de su hijo), traza o espera, y lo recoge. Los pasos:
/// decidir si se traza, preparar argv y envp, abrir los tubos, fork, empezar la traza, publicar
/// el lanzamiento (los extremos de los tubos pasan al Estado), trazar o esperar, y anotar el fin.
void vigilar(Programa::Estado* e) {
    e->hilo_vigia = pthread_self();
    std::string motivo;
    const bool trazar = decidir_traza(e->opciones, motivo);
    const OrdenDeEjecucion orden(*e, trazar);
    if (access(e->ruta.c_str(), X_OK) != 0)
        return anotar_no_lanzado(*e, "no se puede ejecutar " + e->ruta + ": " + texto_errno(errno));
    Tubos tubos;
    if (int error = abrir_tubos(tubos))
        return anotar_no_lanzado(*e, "pipe2() falló: " + texto_errno(error));

    aislamiento();  // se prepara antes de fork
    const Montajes montajes(e->opciones.ficheros);  // y los ficheros propios, también
    pid_t pid = fork();
    if (pid == 0)
        hijo(orden.ruta(), orden.argv(), orden.envp(), tubos.entrada.lectura.get(),
             tubos.salida.escritura.get(), tubos.errores.escritura.get(),
             tubos.aviso.escritura.get(), trazar, montajes);
    const int error_fork = errno;
    // Los extremos del hijo ya no hacen falta aquí.
    for (Descriptor* d : {&tubos.entrada.lectura, &tubos.salida.escritura,
                          &tubos.errores.escritura, &tubos.aviso.escritura})
        d->cerrar();
    if (pid < 0) return anotar_no_lanzado(*e, "fork() falló: " + texto_errno(error_fork));
    setpgid(pid, pid);  // también aquí, para que el grupo exista ya al volver (puede fallar: da igual)
    for (const Descriptor* d : {&tubos.entrada.escritura, &tubos.salida.lectura,
                                &tubos.errores.lectura})
        fcntl(d->get(), F_SETFL, O_NONBLOCK);

    const bool trazado = empezar_traza(*e, pid, std::move(tubos.aviso.lectura), trazar, motivo);
    {
        std::lock_guard<std::mutex> candado(e->m);
        e->pid = pid;
        e->fd_entrada = tubos.entrada.escritura.soltar();
        e->fd_salida = tubos.salida.lectura.soltar();
        e->fd_errores = tubos.errores.lectura.soltar();
        e->trazado = trazado;
        e->motivo_sin_traza = trazado ? "" : motivo;
        if (trazado) e->trazados.push_back(pid);
        e->lanzado = true;
        e->cv.notify_all();
    }

    if (trazado)
        bucle_de_traza(*e);
    else
        recoger_sin_traza(*e, pid);
    {
        std::lock_guard<std::mutex> candado(e->m);
        e->traza_terminada = true;
        e->vigia_terminado = true;
        e->trazados.clear();
        e->retenidos.clear();
        e->cv.notify_all();
    }
    e->despertar_lector();
}

}  // namespace

void preparar_proceso_de_prueba() {
    static std::once_flag una_vez;
    std::call_once(una_vez, [] {
        std::signal(SIGPIPE, SIG_IGN);
        // Los huérfanos de un programa (hijos cuyo padre murió) pasan a ser nuestros y no del
        // init del sistema, que quizá no los recoge: así ningún zombi sobrevive a la prueba.
        prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
        instalar_despertador();
    });
}

// Llamadas directas al núcleo: cambian solo este hilo (las de glibc cambiarían todos).
ComoAlumno::ComoAlumno(Alcance alcance) {
    const Aislamiento& a = aislamiento();
    if (!a.usuario || geteuid() != 0) return;
    if (alcance == kTambienReal) {
        real_ = syscall(SYS_setresgid, a.gid, -1, -1) == 0 && syscall(SYS_setresuid, a.uid, -1, -1) == 0;
    }
    syscall(SYS_setfsgid, a.gid);
    syscall(SYS_setfsuid, a.uid);
    cambiado_ = true;
}

ComoAlumno::~ComoAlumno() {
    if (!cambiado_) return;
    syscall(SYS_setfsuid, 0);
    syscall(SYS_setfsgid, 0);
    if (real_) {
        syscall(SYS_setresuid, 0, -1, -1);
        syscall(SYS_setresgid, 0, -1, -1);
    }
}

void registrar_fin(Programa::Estado& e, int estado_wait) {
    if (e.fin) return;
    Fin fin;
    if (WIFSIGNALED(estado_wait)) {
        fin.por_senal = true;
        fin.senal = WTERMSIG(estado_wait);
        fin.por_arnes = e.matado && fin.senal == SIGKILL;
    } else {
        fin.codigo = WEXITSTATUS(estado_wait);
    }
    e.fin = fin;
    e.momento_fin = Reloj::now();
    e.cv.notify_all();
    e.despertar_lector();  // que vacíe los tubos (ver drenado_tras_fin)
}

void Programa::Estado::despertar_lector() const {
    std::uint64_t uno = 1;
    if (despertador >= 0 && write(despertador, &uno, sizeof uno) < 0) { /* ya estaba despierto */ }
}

void Programa::Estado::matar_todo_con_candado() {
    if (pid <= 0) return;
    matar_grupo(pid);
    // (Los trazados salen de la lista, con este candado, en cuanto el trazador los recoge: su
    // número no puede ser aún de otro.)
    for (pid_t p : trazados) kill(p, SIGKILL);
}

Programa::Programa(std::string ruta, std::vector<std::string> args, Opciones opciones)
    : estado_(std::make_shared<Estado>()) {
    preparar_proceso_de_prueba();
    Estado& e = *estado_;
    e.ruta = std::move(ruta);
    e.args = std::move(args);
    e.opciones = std::move(opciones);
    e.inicio = Reloj::now();
    e.limite = e.inicio + e.opciones.limite;
    e.retener = e.opciones.retener_en;
    e.despertador = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    e.vigia = std::thread(vigilar, &e);
    {
        std::unique_lock<std::mutex> candado(e.m);
        e.cv.wait(candado, [&] { return e.lanzado; });
    }
    e.lector = std::thread(leer, &e);
    registrar_programa(&e);
}

namespace {

/// Lo que el veredicto de la prueba cuenta de este programa (con `m` tomado, antes de matarlo).
ProgramaVisto visto_con_candado(const Programa::Estado& e, const std::string& orden) {
    ProgramaVisto v;
    v.orden = orden;
    // Su stderr: el principio y, sobre todo, el final, donde queda la línea de error con la que
    // terminó (nunca se corta esa). Sin partir un carácter UTF-8.
    constexpr std::size_t kPrincipio = 1024, kFinal = 3072;
    const std::string& err = e.errores;
    if (err.size() <= kPrincipio + kFinal) {
        v.errores = err;
    } else {
        std::size_t a = kPrincipio, b = err.size() - kFinal;
        while (a > 0 && (static_cast<unsigned char>(err[a]) & 0xC0) == 0x80) --a;
        while (b < err.size() && (static_cast<unsigned char>(err[b]) & 0xC0) == 0x80) ++b;
        v.errores = err.substr(0, a) + "\n… (" + cuenta(b - a, "byte", "bytes") + " de stderr sin mostrar)\n" +
                    err.substr(b);
    }
    v.descartado = e.descartado;
    for (const auto& l : e.llamadas) v.provocados += l.provocado ? 1 : 0;
    if (e.pid <= 0) {
        v.estado = "no_lanzado";
        v.descripcion = "no se pudo lanzar";
    } else if (!e.fin) {
        v.estado = "vivo";
        v.descripcion = "seguía vivo al acabar la prueba";
        v.donde = donde_con_candado(e, 0);
    } else if (e.fin->por_arnes) {
        v.estado = e.por_limite ? "límite" : "vivo";
        v.senal = e.fin->senal;
        v.descripcion = e.por_limite ? "el arnés lo mató al vencer su plazo de " +
                                           std::to_string(e.opciones.limite.count()) + " ms"
                                     : "la prueba lo paró";
        v.donde = e.donde_al_morir;
    } else if (e.fin->por_senal) {
        v.estado = "señal";
        v.senal = e.fin->senal;
        v.descripcion = e.fin->texto();
    } else {
        v.estado = "terminó";
        v.codigo = e.fin->codigo;
        v.descripcion = e.fin->texto();
    }
    return v;
}

}  // namespace

Programa::~Programa() {
    Estado& e = *estado_;
    olvidar_programa(&e);
    {
        std::unique_lock<std::mutex> candado(e.m);
        // Si terminó solo, lo que escribió antes de acabar (su línea de error) puede seguir en los
        // tubos: se espera a que el lector los vacíe, para que el veredicto la tenga entera.
        if (e.fin && !e.fin->por_arnes)
            e.cv.wait_for(candado, Ms{500}, [&] { return e.drenado_tras_fin || e.lector_terminado; });
        anotar_programa(visto_con_candado(e, orden()));
        if (!e.vigia_terminado && !e.matado) {
            e.matado = true;
            e.ms_muerte = e.ms_desde_inicio();
        }
        e.matar_todo_con_candado();
    }
    if (e.vigia.joinable()) e.vigia.join();
    {
        std::lock_guard<std::mutex> candado(e.m);
        e.parar = true;
    }
    e.despertar_lector();
    if (e.lector.joinable()) e.lector.join();
    vaciar_grupo(e.pid, Ms{2000});
    for (int fd : {e.fd_entrada, e.fd_salida, e.fd_errores, e.despertador})
        if (fd >= 0) close(fd);
    // ./tutorial traza ejecuta la prueba que falla para ver sus llamadas: se las deja en un fichero.
    if (const char* volcado = std::getenv("SOCKETS_TRAZA_VOLCADO"); volcado != nullptr && *volcado != '\0')
        volcar_traza(volcado, orden(), e.pid, e.llamadas, e.fin ? e.fin->texto() : "seguía vivo y lo paró la prueba");
}

pid_t Programa::pid() const { return estado_->pid; }

std::string Programa::orden() const {
    std::string r = estado_->ruta.substr(estado_->ruta.rfind('/') + 1);
    for (const auto& a : estado_->args) r += " " + citar(a);
    return r;
}

bool Programa::trazado() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->trazado;
}

std::string Programa::motivo_sin_traza() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->motivo_sin_traza;
}

void Programa::escribir_entrada(std::string_view datos) {
    Estado& e = *estado_;
    std::lock_guard<std::mutex> candado_entrada(e.m_entrada);
    int fd;
    {
        std::lock_guard<std::mutex> candado(e.m);
        fd = e.fd_entrada;
    }
    if (fd < 0) return;
    const auto fin = Reloj::now() + kPlazo;
    while (!datos.empty()) {
        ssize_t n = write(fd, datos.data(), datos.size());
        if (n > 0) {
            datos.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN) return;  // EPIPE: el programa ya no lee
        auto resta = std::chrono::duration_cast<std::chrono::milliseconds>(fin - Reloj::now());
        if (resta.count() <= 0) return;
        pollfd p{fd, POLLOUT, 0};
        poll(&p, 1, static_cast<int>(resta.count()));
    }
}

void Programa::cerrar_entrada() {
    Estado& e = *estado_;
    std::lock_guard<std::mutex> candado_entrada(e.m_entrada);
    std::lock_guard<std::mutex> candado(e.m);
    if (e.fd_entrada >= 0) close(e.fd_entrada);
    e.fd_entrada = -1;
}

std::string Programa::salida() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->salida;
}

std::string Programa::errores() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->errores;
}

std::size_t Programa::descartado() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->descartado;
}

std::optional<std::string> Programa::esperar_salida(const std::regex& patron, Ms plazo) {
    Estado& e = *estado_;
    Espera espera(Reloj::now() + plazo);
    std::unique_lock<std::mutex> candado(e.m);
    std::size_t desde = 0;  // primera línea aún sin mirar
    auto probar = [&](const std::string& linea) -> std::optional<std::string> {
        std::smatch m;
        if (!std::regex_search(linea, m, patron)) return std::nullopt;
        return m.size() > 1 ? m[1].str() : m[0].str();
    };
    while (true) {
        for (auto fin_linea = e.salida.find('\n', desde); fin_linea != std::string::npos;
             fin_linea = e.salida.find('\n', desde)) {
            auto acierto = probar(e.salida.substr(desde, fin_linea - desde));
            desde = fin_linea + 1;
            if (acierto) return acierto;
        }
        if (e.salida_cerrada) {
            if (desde < e.salida.size()) return probar(e.salida.substr(desde));
            return std::nullopt;
        }
        if (!espera.esperar(candado, e.cv)) {
            // Última oportunidad con lo que haya llegado justo ahora.
            for (auto fin_linea = e.salida.find('\n', desde); fin_linea != std::string::npos;
                 fin_linea = e.salida.find('\n', desde)) {
                auto acierto = probar(e.salida.substr(desde, fin_linea - desde));
                desde = fin_linea + 1;
                if (acierto) return acierto;
            }
            return std::nullopt;
        }
    }
}

std::optional<int> Programa::esperar_escucha(Ms plazo) {
    static const std::regex patron("escuchando.*puerto ([0-9]+)");
    auto puerto = esperar_salida(patron, plazo);
    if (!puerto) return std::nullopt;
    return std::stoi(*puerto);
}

std::optional<Fin> Programa::esperar_fin(Ms plazo) {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    Espera espera(Reloj::now() + plazo);
    espera.esperar_a(candado, e.cv, [&] { return e.fin.has_value(); });
    // Un instante más para que el lector recoja lo que el programa escribió antes de acabar.
    if (e.fin)
        e.cv.wait_until(candado, std::max(espera.fin(), Reloj::now() + Ms{500}),
                        [&] { return e.drenado_tras_fin || e.lector_terminado; });
    return e.fin;
}

bool Programa::vivo() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->pid > 0 && !estado_->fin;
}

void Programa::senal(int numero) {
    std::lock_guard<std::mutex> candado(estado_->m);
    if (estado_->pid > 0 && !estado_->fin) kill(estado_->pid, numero);
}

void Programa::matar() {
    Estado& e = *estado_;
    {
        std::unique_lock<std::mutex> candado(e.m);
        if (!e.vigia_terminado && !e.matado) {
            e.donde_al_morir = donde_con_candado(e, 0);
            e.matado = true;
            e.ms_muerte = e.ms_desde_inicio();
        }
        e.matar_todo_con_candado();
        e.cv.wait_for(candado, Ms{5000}, [&] { return e.vigia_terminado; });
    }
    vaciar_grupo(e.pid, Ms{2000});
}

std::vector<Llamada> Programa::llamadas() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->llamadas;
}

std::vector<Llamada> Programa::llamadas(std::string_view nombre) const {
    std::lock_guard<std::mutex> candado(estado_->m);
    std::vector<Llamada> r;
    for (const auto& l : estado_->llamadas)
        if (coincide_nombre(nombre, l.nombre)) r.push_back(l);
    return r;
}

std::optional<Llamada> Programa::esperar_llamada(
    const std::function<bool(const Llamada&)>& condicion, Ms plazo, bool terminada) {
    Estado& e = *estado_;
    Espera espera(Reloj::now() + plazo);
    std::unique_lock<std::mutex> candado(e.m);
    std::size_t siguiente = 0;             // primera llamada aún sin mirar
    std::vector<std::size_t> pendientes;   // llamadas vistas sin terminar: se vuelven a mirar
    auto buscar = [&]() -> std::optional<Llamada> {
        for (auto it = pendientes.begin(); it != pendientes.end();) {
            const Llamada& l = e.llamadas[*it];
            if (!l.terminada) {
                ++it;
                continue;
            }
            if (condicion(l)) return l;
            it = pendientes.erase(it);
        }
        for (; siguiente < e.llamadas.size(); ++siguiente) {
            const Llamada& l = e.llamadas[siguiente];
            if (terminada && !l.terminada)
                pendientes.push_back(siguiente);
            else if (condicion(l))
                return l;
        }
        return std::nullopt;
    };
    while (true) {
        if (auto l = buscar()) return l;
        if (e.traza_terminada || !espera.esperar(candado, e.cv)) {
            if (auto l = buscar()) return l;  // lo que llegó en el último tramo
            return std::nullopt;
        }
    }
}

std::optional<Llamada> Programa::esperar_llamada(std::string_view nombre, Ms plazo) {
    std::string nombres(nombre);
    return esperar_llamada([&](const Llamada& l) { return coincide_nombre(nombres, l.nombre); },
                           plazo, true);
}

void Programa::retener_en(std::string_view nombre) {
    std::lock_guard<std::mutex> candado(estado_->m);
    estado_->retener = std::string(nombre);
}

bool Programa::esperar_retenido(Ms plazo) {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    Espera espera(Reloj::now() + plazo);
    espera.esperar_a(candado, e.cv, [&] { return !e.retenidos.empty() || e.traza_terminada; });
    return !e.retenidos.empty();
}

void Programa::soltar() {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    e.retener.clear();
    if (e.retenidos.empty() || e.traza_terminada) return;
    e.peticion_soltar = true;
    // El vigía puede estar bloqueado en waitpid(): se le despierta con una señal, y se insiste
    // por si llegó justo antes de que entrara en waitpid().
    const auto fin = Reloj::now() + Ms{2000};
    while (e.peticion_soltar && !e.traza_terminada && Reloj::now() < fin) {
        pthread_kill(e.hilo_vigia, senal_despertador());
        e.cv.wait_for(candado, Ms{5}, [&] { return !e.peticion_soltar || e.traza_terminada; });
    }
}

bool Programa::esperar_terminado(pid_t pid, Ms plazo) {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    Espera espera(Reloj::now() + plazo);
    return espera.esperar_a(candado, e.cv, [&] {
        return e.traza_terminada ||
               std::find(e.trazados.begin(), e.trazados.end(), pid) == e.trazados.end();
    });
}

std::string Programa::donde_esta(pid_t pid) const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return donde_con_candado(*estado_, pid);
}

std::vector<int> Programa::descriptores(pid_t pid) const {
    if (pid == 0) pid = estado_->pid;
    ComoAlumno como;  // modo contenedor: el programa es de otro usuario
    return base::descriptores_de(pid);
}

std::vector<pid_t> Programa::hijos() const { return base::hijos_de(estado_->pid); }

std::vector<pid_t> Programa::zombis() const { return base::zombis_de(estado_->pid); }

std::vector<pid_t> Programa::procesos_del_grupo() const {
    std::vector<pid_t> r;
    for (const auto& p : base::miembros_del_grupo(estado_->pid)) r.push_back(p.pid);
    return r;
}

std::string Programa::resumen() const {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    // Lo que el programa ya escribió puede seguir en los tubos, sin leer. Se despierta al lector
    // dos veces, esperando cada vez a que termine una vuelta (la primera pudo empezar antes de que
    // llegaran esos datos; la segunda empieza después y los recoge), 250 ms como mucho cada una.
    // Así el informe no dice «stdout: (nada)» de un programa que sí escribió.
    for (int i = 0; i < 2 && !e.lector_terminado && e.pid > 0; ++i) {
        const auto vuelta = e.vueltas_lector;
        e.despertar_lector();
        e.cv.wait_for(candado, std::chrono::milliseconds(250),
                      [&] { return e.vueltas_lector > vuelta || e.lector_terminado; });
    }
    std::ostringstream os;
    os << orden() << ": ";
    if (e.pid <= 0) {
        os << "no se pudo lanzar";
    } else if (!e.fin) {
        std::string donde = donde_con_candado(e, 0);
        os << "el programa seguía vivo a los " << e.ms_desde_inicio() << " ms";
        if (donde == "en ejecución")
            os << ", en ejecución (no estaba bloqueado)";
        else if (!donde.empty())
            os << ", bloqueado en " << donde;
    } else if (e.fin->por_arnes) {
        if (e.por_limite)
            os << "el arnés lo mató tras " << e.ms_muerte << " ms (límite de "
               << e.opciones.limite.count() << " ms)";
        else
            os << "la prueba lo mató a los " << e.ms_muerte << " ms";
        if (e.donde_al_morir == "en ejecución")
            os << "; estaba en ejecución (no bloqueado)";
        else if (!e.donde_al_morir.empty())
            os << "; estaba bloqueado en " << e.donde_al_morir;
    } else {
        os << e.fin->texto() << " a los " << e.ms_desde_inicio(e.momento_fin) << " ms";
    }
    os << "\n";
    if (!e.trazado && e.opciones.trazar) os << "(sin traza: " << e.motivo_sin_traza << ")\n";
    if (!e.atasco.empty())
        os << "(el arnés dejó de esperarlo antes del plazo: " << e.atasco << ")\n";
    os << "stdout:\n" << ultimas_lineas(e.salida, 12);
    os << "stderr:\n" << ultimas_lineas(e.errores, 12);
    if (e.descartado > 0)
        os << "(" << (e.descartado == 1 ? "se descartó " : "se descartaron ")
           << cuenta(e.descartado, "byte", "bytes") << " de salida por pasar del tope)\n";
    std::string r = os.str();
    if (!r.empty() && r.back() == '\n') r.pop_back();
    return r;
}

}  // namespace arnes
