/// \file lanzamiento.cpp
/// \brief El lanzador: el hilo vigía de cada Programa hace fork y execve del programa en su
///        propio grupo de procesos, con sus tubos de stdin, stdout y stderr, aislado
///        (aislamiento.h), y después lo traza (traza.h) o solo lo espera, hasta recogerlo.
///
/// El hilo vigía es el que hace fork(), así que es el trazador de su hijo: todo ptrace() ocurre
/// en él. Entre fork y execve el hijo solo hace llamadas seguras tras fork (el proceso de
/// pruebas tiene hilos): argv, envp, los tubos y el aislamiento se preparan antes. El Estado del
/// Programa es el dueño de la traza (DuenoDeTraza): el trazador anota en él sin conocerlo.
#include "arnes/interno.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <utility>

namespace arnes {

namespace {

/// Lee /proc/sys/kernel/yama/ptrace_scope (-1 si no hay Yama).
int ambito_yama() {
    std::ifstream f("/proc/sys/kernel/yama/ptrace_scope");
    int ambito = -1;
    if (!(f >> ambito)) return -1;
    return ambito;
}

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
    if (!aislar(montajes)) {
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
        e.fin_del_principal(st);
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
        if (r == pid && (WIFEXITED(st) || WIFSIGNALED(st))) e.fin_del_principal(st);
        if (r < 0 && !e.fin) e.fin = Fin{};  // no debería pasar: ECHILD
        recogido = e.fin.has_value();
        e.cv.notify_all();
    }
}

}  // namespace

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

    preparar_aislamiento();  // se prepara antes de fork
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
        if (trazado) e->tr.trazados.push_back(pid);
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
        e->tr.trazados.clear();
        e->tr.retenidos.clear();
        e->cv.notify_all();
    }
    e->despertar_lector();
}

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

void Programa::Estado::fin_del_principal(int estado_wait) {
    if (fin) return;
    Fin f;
    if (WIFSIGNALED(estado_wait)) {
        f.por_senal = true;
        f.senal = WTERMSIG(estado_wait);
        f.por_arnes = matado && f.senal == SIGKILL;
    } else {
        f.codigo = WEXITSTATUS(estado_wait);
    }
    fin = f;
    momento_fin = Reloj::now();
    cv.notify_all();
    despertar_lector();  // que vacíe los tubos (ver drenado_tras_fin)
}

}  // namespace arnes
