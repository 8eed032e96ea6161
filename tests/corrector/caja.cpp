/// \file caja.cpp
/// \brief Una caja como un contenedor de Docker, para probar el corrector tal como corre en
///        Gradescope (tests/corrector/caja.sh): root dentro, pero sin poder crear espacios de
///        nombres.
///
/// Solo root. Lo que hace, como Docker (runc) con su configuración por defecto:
///  - espacios de nombres propios de PID, montajes, red (solo loopback, levantado), UTS, IPC y
///    cgroup; la orden corre como hija de un init (PID 1) que recoge huérfanos y, cuando la orden
///    acaba, mata todo lo que quede (como al parar el contenedor);
///  - un sistema de ficheros armado como el de un contenedor: raíz tmpfs; /usr, /bin, /lib...
///    del sistema, de solo lectura; /etc, una carpeta propia escribible (--etc: setup.sh crea ahí
///    su usuario y sigue en la siguiente caja, como en la imagen de Gradescope); /proc nuevo,
///    /sys de solo lectura, /dev mínimo, /tmp, /var/tmp, /dev/shm y /autograder (--autograder);
///  - solo las capacidades por defecto de Docker (también en el conjunto límite: no se pueden
///    recuperar): CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP,
///    NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE y SETFCAP (ni SYS_ADMIN ni
///    SYS_PTRACE);
///  - un filtro seccomp como el perfil por defecto de Docker en lo que importa aquí: EPERM para
///    unshare, setns, mount, umount2, pivot_root, la API nueva de montajes y clone con
///    cualquier CLONE_NEW*; ENOSYS para clone3 (glibc vuelve a clone); EPERM para otras que
///    Docker niega (bpf, keyctl, perf_event_open, userfaultfd...).
///
/// Uso: caja --autograder DIR --etc DIR [--env CLAVE=VALOR]... -- ORDEN [ARGUMENTO...]
/// Sale con el código de la orden (o 128+señal).
#include "base/opciones.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fallar(const std::string& que) {
    std::cerr << "caja: " << que << ": " << std::strerror(errno) << "\n";
    _exit(125);
}

void o_fallar(bool bien, const std::string& que) {
    if (!bien) fallar(que);
}

/// Monta `origen` (del sistema) en `destino` (dentro de la nueva raíz), de solo lectura si se pide.
void enlazar(const std::string& origen, const std::string& destino, bool solo_lectura) {
    o_fallar(mount(origen.c_str(), destino.c_str(), nullptr, MS_BIND | MS_REC, nullptr) == 0,
             "mount --bind " + origen);
    if (solo_lectura)
        o_fallar(mount(nullptr, destino.c_str(), nullptr,
                       MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) == 0,
                 "remount ro " + destino);
}

/// El sistema de ficheros de la caja en `raiz` (un directorio vacío), en un espacio de montajes
/// solo suyo: el proceso que la lanzó sigue en el de fuera, ve `raiz` vacío y lo borra al final
/// (si lo compartieran, pivot_root le cambiaría también a él la raíz y el directorio quedaría).
void armar_raiz(const std::string& raiz, const std::string& etc, const std::string& autograder) {
    o_fallar(unshare(CLONE_NEWNS) == 0, "unshare montajes");
    o_fallar(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0, "mount --make-rprivate /");
    o_fallar(mount("tmpfs", raiz.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=64m") == 0,
             "tmpfs raíz");
    for (const char* d : {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"}) {
        const std::string sistema = std::string("/") + d, dentro = raiz + "/" + d;
        struct stat st {};
        if (lstat(sistema.c_str(), &st) != 0) continue;
        if (S_ISLNK(st.st_mode)) {
            char destino[4096];
            ssize_t n = readlink(sistema.c_str(), destino, sizeof destino - 1);
            o_fallar(n > 0, "readlink " + sistema);
            destino[n] = '\0';
            o_fallar(symlink(destino, dentro.c_str()) == 0, "symlink " + dentro);
        } else if (S_ISDIR(st.st_mode)) {
            mkdir(dentro.c_str(), 0755);
            enlazar(sistema, dentro, true);
        }
    }
    for (const char* d : {"etc", "proc", "sys", "dev", "tmp", "var", "run", "root", "autograder", "home", "opt"})
        mkdir((raiz + "/" + d).c_str(), 0755);
    chmod((raiz + "/root").c_str(), 0700);
    enlazar(etc, raiz + "/etc", false);
    enlazar(autograder, raiz + "/autograder", false);
    if (access("/opt/cmake-3.22", F_OK) == 0) {  // para probar setup.sh con CMake 3.22
        mkdir((raiz + "/opt/cmake-3.22").c_str(), 0755);
        enlazar("/opt/cmake-3.22", raiz + "/opt/cmake-3.22", true);
    }
    o_fallar(mount("tmpfs", (raiz + "/tmp").c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") == 0, "tmpfs /tmp");
    o_fallar(mount("tmpfs", (raiz + "/var").c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=755") == 0, "tmpfs /var");
    for (const char* d : {"var/tmp", "var/lib", "var/log", "var/mail", "var/cache"})
        mkdir((raiz + "/" + d).c_str(), 0755);
    chmod((raiz + "/var/tmp").c_str(), 01777);
    o_fallar(mount("proc", (raiz + "/proc").c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0, "proc");
    o_fallar(mount("sysfs", (raiz + "/sys").c_str(), "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0,
             "sysfs");
    o_fallar(mount("tmpfs", (raiz + "/dev").c_str(), "tmpfs", MS_NOSUID, "mode=755") == 0, "tmpfs /dev");
    for (const char* d : {"null", "zero", "full", "random", "urandom", "tty"}) {
        const std::string dentro = raiz + "/dev/" + d;
        int fd = open(dentro.c_str(), O_CREAT | O_WRONLY, 0666);
        o_fallar(fd >= 0, "crear " + dentro);
        close(fd);
        enlazar(std::string("/dev/") + d, dentro, false);
    }
    mkdir((raiz + "/dev/shm").c_str(), 01777);
    o_fallar(mount("tmpfs", (raiz + "/dev/shm").c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") == 0, "tmpfs /dev/shm");
    mkdir((raiz + "/dev/pts").c_str(), 0755);
    for (auto [enlace, destino] : {std::pair{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"},
                                   {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}})
        o_fallar(symlink(destino, (raiz + "/dev/" + enlace).c_str()) == 0, std::string("symlink /dev/") + enlace);
    // pivot_root(".", "."): la raíz vieja queda debajo de la nueva y se desmonta.
    o_fallar(chdir(raiz.c_str()) == 0, "chdir raíz");
    o_fallar(syscall(SYS_pivot_root, ".", ".") == 0, "pivot_root");
    o_fallar(umount2(".", MNT_DETACH) == 0, "umount raíz vieja");
    o_fallar(chdir("/") == 0, "chdir /");
}

/// Levanta la interfaz de loopback del espacio de red nuevo.
void levantar_loopback() {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    o_fallar(s >= 0, "socket");
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    o_fallar(ioctl(s, SIOCGIFFLAGS, &ifr) == 0, "SIOCGIFFLAGS lo");
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
    o_fallar(ioctl(s, SIOCSIFFLAGS, &ifr) == 0, "SIOCSIFFLAGS lo");
    close(s);
}

#if defined(__x86_64__)
constexpr unsigned kArquitectura = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kArquitectura = AUDIT_ARCH_AARCH64;
#else
#error "caja.cpp: arquitectura sin filtro seccomp"
#endif

/// El filtro seccomp (BPF clásico) de la caja.
void instalar_filtro() {
    constexpr unsigned kNuevos = 0x7E020000;  // CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
    const std::vector<long> prohibidas = {
        SYS_unshare,  SYS_setns,          SYS_mount,      SYS_umount2,     SYS_pivot_root,
        SYS_fsopen,   SYS_fsconfig,       SYS_fsmount,    SYS_move_mount,  SYS_open_tree,
        SYS_fspick,   SYS_mount_setattr,  SYS_bpf,        SYS_keyctl,      SYS_add_key,
        SYS_request_key, SYS_perf_event_open, SYS_userfaultfd, SYS_kexec_load, SYS_init_module,
        SYS_finit_module, SYS_delete_module, SYS_open_by_handle_at, SYS_acct, SYS_swapon,
        SYS_swapoff,  SYS_reboot};
    const auto ret = [](unsigned v) {
        sock_filter r = BPF_STMT(BPF_RET | BPF_K, v);
        return r;
    };
    const unsigned eperm = SECCOMP_RET_ERRNO | EPERM, enosys = SECCOMP_RET_ERRNO | ENOSYS;
    std::vector<sock_filter> f;
    f.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
    f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kArquitectura, 1, 0));
    f.push_back(ret(eperm));  // otra arquitectura (llamadas de 32 bits): nada
    f.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
#if defined(__x86_64__)
    f.push_back(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1));  // ABI x32
    f.push_back(ret(eperm));
#endif
    for (long nr : prohibidas) {
        f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(nr), 0, 1));
        f.push_back(ret(eperm));
    }
    f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1));
    f.push_back(ret(enosys));
    f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3));
    f.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args)));  // flags (32 bits bajos)
    f.push_back(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, kNuevos, 0, 1));
    f.push_back(ret(eperm));
    f.push_back(ret(SECCOMP_RET_ALLOW));
    sock_fprog prog{static_cast<unsigned short>(f.size()), f.data()};
    o_fallar(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0, "seccomp");
}

/// Deja solo las capacidades por defecto de Docker, también en el conjunto límite.
void quitar_capacidades() {
    const std::vector<int> de_docker = {CAP_CHOWN,  CAP_DAC_OVERRIDE,     CAP_FOWNER,   CAP_FSETID,
                                        CAP_KILL,   CAP_SETGID,           CAP_SETUID,   CAP_SETPCAP,
                                        CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_SYS_CHROOT, CAP_MKNOD,
                                        CAP_AUDIT_WRITE, CAP_SETFCAP};
    std::uint64_t conjunto = 0;
    for (int c : de_docker) conjunto |= std::uint64_t{1} << c;
    for (int c = 0; c <= 63; ++c)
        if ((conjunto & (std::uint64_t{1} << c)) == 0 && prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
            o_fallar(prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0, "PR_CAPBSET_DROP");
    __user_cap_header_struct cabecera{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct datos[2]{};
    for (int i = 0; i < 2; ++i) {
        const auto palabra = static_cast<std::uint32_t>(conjunto >> (32 * i));
        datos[i].effective = datos[i].permitted = palabra;
        datos[i].inheritable = 0;
    }
    o_fallar(syscall(SYS_capset, &cabecera, datos) == 0, "capset");
}

/// El PID 1 de la caja: lanza la orden, recoge a todos y, cuando la orden acaba, mata lo que
/// quede. Devuelve el código de la orden.
int init(const std::vector<std::string>& orden, const std::vector<std::string>& entorno) {
    pid_t hijo = fork();
    o_fallar(hijo >= 0, "fork");
    if (hijo == 0) {
        std::vector<char*> av, ev;
        for (const auto& a : orden) av.push_back(const_cast<char*>(a.c_str()));
        av.push_back(nullptr);
        for (const auto& e : entorno) ev.push_back(const_cast<char*>(e.c_str()));
        ev.push_back(nullptr);
        setsid();
        execvpe(av[0], av.data(), ev.data());
        std::cerr << "caja: no se pudo ejecutar " << orden[0] << ": " << std::strerror(errno) << "\n";
        _exit(127);
    }
    int codigo = 125;
    while (true) {
        int st = 0;
        pid_t r = waitpid(-1, &st, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        if (r == hijo) {
            codigo = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            break;
        }
    }
    kill(-1, SIGKILL);
    while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
    return codigo;
}

}  // namespace

int main(int argc, char** argv) {
    std::string autograder, etc;
    std::vector<std::string> entorno = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                        "HOME=/root", "LANG=C.UTF-8", "HOSTNAME=caja"};
    base::Opciones o;
    std::string error;
    if (!base::leer_opciones(argc, argv, {{"autograder", true}, {"etc", true}, {"env", true}}, o, error)) {
        std::cerr << "caja: " << error << "\n";
        return 2;
    }
    autograder = o.valor("autograder");
    etc = o.valor("etc");
    for (const auto& e : o.todos("env")) entorno.push_back(e);
    const std::vector<std::string>& orden = o.resto;
    if (orden.empty() || autograder.empty() || etc.empty()) {
        std::cerr << "uso: caja --autograder DIR --etc DIR [--env CLAVE=VALOR]... -- ORDEN...\n";
        return 2;
    }
    if (geteuid() != 0) {
        std::cerr << "caja: hay que ser root (arma un contenedor)\n";
        return 77;
    }
    char plantilla[] = "/tmp/caja.XXXXXX";
    o_fallar(mkdtemp(plantilla) != nullptr, "mkdtemp");
    const std::string raiz = plantilla;
    o_fallar(unshare(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP) == 0,
             "unshare");
    pid_t pid1 = fork();
    o_fallar(pid1 >= 0, "fork");
    if (pid1 == 0) {
        armar_raiz(raiz, etc, autograder);
        o_fallar(sethostname("caja", 4) == 0, "sethostname");
        levantar_loopback();
        if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
            for (int fd = 3; fd < 1024; ++fd) close(fd);
        instalar_filtro();      // antes de soltar CAP_SYS_ADMIN (sin él haría falta no_new_privs)
        quitar_capacidades();
        _exit(init(orden, entorno));
    }
    int st = 0;
    while (waitpid(pid1, &st, 0) < 0 && errno == EINTR) {
    }
    if (rmdir(raiz.c_str()) != 0) std::cerr << "caja: no pude borrar " << raiz << ": " << std::strerror(errno) << "\n";
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
