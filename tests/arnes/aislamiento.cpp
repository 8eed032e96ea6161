/// \file aislamiento.cpp
/// \brief El aislamiento de un programa lanzado (ver aislamiento.h): sus ficheros propios en un
///        espacio de montajes propio y, al corregir, lo que el programa del alumno no debe ver
///        (arenero) o el usuario sin privilegios con el que corre (contenedor).
///
/// Las funciones que corren en el hijo (entre fork y execve de un proceso con hilos) solo hacen
/// llamadas seguras tras fork: nada de reservar memoria ni de glibc que avise a otros hilos.
#include "arnes/aislamiento.h"

#include "arnes/ejecucion.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>

namespace arnes {

namespace {

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

}  // namespace

void preparar_aislamiento() { aislamiento(); }

Montajes::Montajes(const std::vector<std::pair<std::string, std::string>>& ficheros) {
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

Montajes::~Montajes() {
    for (const auto& par : pares) unlink(par.first.c_str());
}

bool aislar(const Montajes& m) {
    const Aislamiento& a = aislamiento();  // ya leído antes de fork: aquí no reserva memoria
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

}  // namespace arnes
