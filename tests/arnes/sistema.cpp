/// \file sistema.cpp
/// \brief El sistema alrededor de la prueba: esperas por sondeo, herramientas del PATH (nc,
///        socat), sockets en escucha según /proc y descriptores de otro proceso (pidfd).
#include "arnes/interno.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace arnes {

bool esperar_que(const std::function<bool()>& condicion, Ms plazo) {
    Espera espera(Reloj::now() + plazo);  // acaba antes si los programas se atascan
    while (true) {
        if (condicion()) return true;
        if (!espera.sigue()) return condicion();
        std::this_thread::sleep_for(Ms(10));
    }
}

std::string ruta_herramienta(const std::string& nombre) {
    const char* camino = std::getenv("PATH");
    std::string resto = camino != nullptr ? camino : "/usr/local/bin:/usr/bin:/bin";
    std::istringstream is(resto);
    std::string carpeta;
    while (std::getline(is, carpeta, ':')) {
        if (carpeta.empty()) continue;
        std::string ruta = carpeta;
        ruta.append("/").append(nombre);
        if (access(ruta.c_str(), X_OK) == 0) return ruta;
    }
    return "";
}

bool hay_escucha_en(int puerto) {
    // Cada línea de /proc/net/tcp (y de tcp6, los sockets IPv6, también los de doble pila):
    // «sl local_address rem_address st ...», con la dirección en hexadecimal («0100007F:9C40») y
    // el estado 0A = LISTEN.
    for (const char* tabla : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream tcp(tabla);
        std::string linea;
        std::getline(tcp, linea);  // cabecera
        while (std::getline(tcp, linea)) {
            std::istringstream is(linea);
            std::string sl, local, remota, estado;
            if (!(is >> sl >> local >> remota >> estado)) continue;
            auto dos_puntos = local.rfind(':');
            if (dos_puntos == std::string::npos || estado != "0A") continue;
            if (std::stoi(local.substr(dos_puntos + 1), nullptr, 16) == puerto) return true;
        }
    }
    return false;
}

bool hay_ipv6(std::string* motivo) {
    // Un socket IPv6 enlazado a ::1: si se puede, hay IPv6 en loopback.
    static const std::string problema = [] {
        const int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return "socket(AF_INET6): " + texto_errno(errno);
        sockaddr_in6 d{};
        d.sin6_family = AF_INET6;
        d.sin6_addr = in6addr_loopback;
        const bool bien = bind(fd, reinterpret_cast<sockaddr*>(&d), sizeof d) == 0;
        const int error = errno;
        close(fd);
        return bien ? std::string() : "bind(::1): " + texto_errno(error);
    }();
    if (motivo != nullptr) *motivo = problema;
    return problema.empty();
}

EnElNavegador en_el_navegador(const std::string& url, const std::string& expresion, Ms plazo) {
    EnElNavegador r;
    const std::string python = ruta_herramienta("python3");
    const std::string guion = ARNES_NAVEGADOR;  // tests/arnes/navegador.py (CMake)
    if (python.empty() || access(guion.c_str(), R_OK) != 0) {
        r.omitida = true;
        r.motivo = python.empty() ? "no está python3" : "no encuentro " + guion;
        return r;
    }
    Opciones o;
    o.trazar = false;
    o.limite = plazo;
    Programa p(python, {guion, url, expresion}, o);
    const auto fin = p.esperar_fin(plazo);
    std::string salida = p.salida();
    while (!salida.empty() && salida.back() == '\n') salida.pop_back();
    if (fin && !fin->por_senal && fin->codigo == 77) {
        r.omitida = true;
        r.motivo = salida;
    } else if (!fin || fin->por_senal || fin->codigo != 0) {
        r.motivo = (fin ? "el navegador " + fin->texto() : std::string("el navegador no terminó a tiempo")) +
                   (salida.empty() ? "" : ": " + salida) +
                   (p.errores().empty() ? "" : "\n" + visible(p.errores(), 300));
    } else {
        std::istringstream lineas(salida);
        for (std::string l; std::getline(lineas, l);) {
            const std::size_t tab = l.find('\t');
            if (tab != std::string::npos) r.valores[l.substr(0, tab)] = l.substr(tab + 1);
        }
    }
    return r;
}

int copiar_descriptor(pid_t pid, int fd) {
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
    // Por syscall(): la cabecera <sys/pidfd.h> de glibc 2.36 no declara extern "C".
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) return -1;
    int copia;
    {
        // Modo contenedor: pidfd_getfd() compara el uid REAL (no el de ficheros) con el del
        // programa; este hilo toma el del alumno solo durante la llamada.
        ComoAlumno como(ComoAlumno::kTambienReal);
        copia = static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, 0));
    }
    int error = errno;
    close(pidfd);
    errno = error;
    return copia;
#else
    // Sin pidfd en esta arquitectura o en estas cabeceras: quien llama omite su comprobación.
    (void)pid;
    (void)fd;
    errno = ENOSYS;
    return -1;
#endif
}

std::optional<int> opcion_de_socket(pid_t pid, int fd, int nivel, int opcion) {
    int copia = copiar_descriptor(pid, fd);
    if (copia < 0) return std::nullopt;
    int valor = 0;
    socklen_t largo = sizeof valor;
    int r = getsockopt(copia, nivel, opcion, &valor, &largo);
    close(copia);
    if (r != 0) return std::nullopt;
    return valor;
}

}  // namespace arnes
