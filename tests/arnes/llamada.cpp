/// \file llamada.cpp
/// \brief Cómo se escribe una llamada observada en un informe (Llamada::texto(): «bind(3,
///        {AF_INET, 0.0.0.0:5000}, 16) = 0»), con los nombres de opciones, eventos y
///        direcciones, como la escribe el alumno y no como la ve el núcleo. Sin ptrace: solo
///        texto (el trazador está en traza.cpp).
#include "arnes/interno.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <csignal>
#include <cstdio>
#include <cstring>

namespace arnes {

namespace {

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

namespace {

/// Una llamada de sockets como la escribe el alumno, sin el resultado; "" si no es de estas.
/// `nota` recibe el nombre en el núcleo cuando no es el que escribe el alumno.
std::string escrita_de_sockets(const Llamada& l, std::string& nota) {
    const std::string& n = l.nombre;
    const auto& args = l.args;
    const std::string a0 = std::to_string(args[0]);
    // La traza guarda como mucho kMaxDatos bytes (y de writev/readv, solo el primer búfer).
    const bool recortados = l.resultado > 0 && l.datos.size() < static_cast<std::size_t>(l.resultado);
    if (n == "socket")
        return "socket(" + nombre_familia(args[0]) + ", " + nombre_tipo(args[1]) + ", " +
               std::to_string(args[2]) + ")";
    if (n == "bind" || n == "connect")
        return n + "(" + a0 + ", " + texto_direccion(l.direccion, args[1]) + ", " +
               std::to_string(args[2]) + ")";
    if (n == "listen") return "listen(" + a0 + ", " + std::to_string(args[1]) + ")";
    if (n == "accept" || n == "accept4" || n == "getsockname" || n == "getpeername") {
        if (!l.terminada) return n + "(" + a0 + ", …)";
        return n + "(" + a0 + ", " + texto_direccion(l.direccion, args[1]) + ", …)";
    }
    if (n == "setsockopt" || n == "getsockopt") {
        std::string valor = "…";
        if (n == "setsockopt" && l.datos.size() == sizeof(int)) {
            int v = 0;
            std::memcpy(&v, l.datos.data(), sizeof v);
            valor = "[" + std::to_string(v) + "]";
        }
        return n + "(" + a0 + ", " + texto_nivel(args[1]) + ", " + nombre_opcion(args[1], args[2]) +
               ", " + valor + ", " + std::to_string(args[4]) + ")";
    }
    if (n == "poll" || n == "ppoll")
        return n + "(" + texto_sondeos(l.sondeos, l.terminada) + ", " + std::to_string(args[1]) + ", " +
               (l.espera_ms == -2 ? std::string("…") : std::to_string(l.espera_ms)) + ")";
    if (n == "read" || n == "recv" || n == "recvfrom" || n == "readv") {
        // recv() de glibc es recvfrom sin dirección en el núcleo: se escribe como el alumno.
        const std::string como = n == "recvfrom" && args[4] == 0 ? "recv" : n;
        if (como != n) nota = " (" + n + " en el núcleo)";
        if (!l.terminada) return como + "(" + a0 + ", …)";
        return como + "(" + a0 + ", " + (l.resultado >= 0 ? citar_datos(l.datos, recortados) : "…") +
               ", " + std::to_string(args[2]) + ")";
    }
    if (n == "write" || n == "send" || n == "sendto" || n == "writev") {
        const std::string como = n == "sendto" && args[4] == 0 ? "send" : n;
        if (como != n) nota = " (" + n + " en el núcleo)";
        return como + "(" + a0 + ", " +
               (l.terminada && l.resultado > 0 ? citar_datos(l.datos, recortados) : "…") + ", " +
               std::to_string(args[2]) + ")";
    }
    if (n == "shutdown") {
        const char* como[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
        return "shutdown(" + a0 + ", " +
               (args[1] >= 0 && args[1] <= 2 ? como[args[1]] : std::to_string(args[1])) + ")";
    }
    return "";
}

/// «sigaction(SIGCHLD, {manejador, SA_RESTART})», como lo escribe el alumno.
std::string escrita_sigaction(const Llamada& l) {
    const std::string senal = nombre_senal(static_cast<int>(l.args[0]));
    if (!l.accion && l.args[1] != 0) return "sigaction(" + senal + ", …)";
    std::string que = "…";
    if (l.accion) {
        que = l.accion->manejador == 0   ? "SIG_DFL"
              : l.accion->manejador == 1 ? "SIG_IGN"
                                         : "manejador";
        if (l.accion->banderas & SA_RESTART) que += ", SA_RESTART";
    } else if (l.args[1] == 0) {
        que = "NULL";
    }
    return "sigaction(" + senal + ", {" + que + "})";
}

/// Las demás llamadas (descriptores, procesos, señales) como las escribe el alumno, sin el
/// resultado. `nota` recibe el nombre en el núcleo cuando no es el que escribe el alumno.
std::string escrita_de_procesos(const Llamada& l, std::string& nota) {
    const std::string& n = l.nombre;
    const auto& args = l.args;
    const std::string a0 = std::to_string(args[0]);
    if (n == "fcntl") {
        const char* ordenes[] = {"F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL"};
        std::string r = "fcntl(" + a0 + ", " + (args[1] >= 0 && args[1] <= 4 ? ordenes[args[1]] : std::to_string(args[1]));
        if (args[1] == F_SETFL) r += std::string(", ") + ((args[2] & O_NONBLOCK) != 0 ? "…|O_NONBLOCK" : "sin O_NONBLOCK");
        return r + ")";
    }
    if (n == "close" || n == "exit" || n == "dup") return n + "(" + a0 + ")";
    if (n == "exit_group") {
        // Lo que el alumno escribe: _exit() (o exit(), o return en main(), que acaban en ella).
        nota = " (exit_group en el núcleo)";
        return "_exit(" + a0 + ")";
    }
    if (n == "wait4") {
        const long opciones = args[2];
        nota = " (wait4 en el núcleo)";
        return "waitpid(" + a0 + ", …, " + (opciones == WNOHANG ? "WNOHANG" : std::to_string(opciones)) + ")";
    }
    if (n == "rt_sigaction") {
        nota = " (rt_sigaction en el núcleo)";
        return escrita_sigaction(l);
    }
    if (n == "dup2" || n == "dup3") return n + "(" + a0 + ", " + std::to_string(args[1]) + ")";
    if (n == "fork" || n == "vfork") return n + "()";
    if (n == "clone" && (args[0] & CLONE_THREAD) == 0) {
        nota = " (clone en el núcleo)";
        return "fork()";  // glibc hace fork() con clone (un hilo lleva CLONE_THREAD)
    }
    if (n == "kill") return "kill(" + a0 + ", " + nombre_senal(static_cast<int>(args[1])) + ")";
    return n + "(…)";
}

}  // namespace

std::string Llamada::texto() const {
    std::string nota;  // el nombre en el núcleo, si no es el que escribe el alumno
    std::string r = escrita_de_sockets(*this, nota);
    if (r.empty()) r = escrita_de_procesos(*this, nota);
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

}  // namespace arnes
