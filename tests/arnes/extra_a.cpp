/// \file extra_a.cpp
/// \brief Ayudas del arnés para las pruebas de las etapas 01–04: hacer de servidor de eco para
///        el cliente del alumno, copiar un descriptor del programa trazado y buscar en la traza.
#include "arnes/arnes.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace arnes {

namespace {

using Reloj = std::chrono::steady_clock;

/// Milisegundos que quedan hasta `fin` (0 si ya pasó), para poll().
int quedan(Reloj::time_point fin) {
    auto ms = std::chrono::duration_cast<Ms>(fin - Reloj::now()).count();
    return ms <= 0 ? 0 : static_cast<int>(ms > 1000000 ? 1000000 : ms);
}

}  // namespace

Atencion atender_cliente(Escucha& escucha, Programa& cliente, Ms plazo) {
    Atencion a;
    const auto fin = Reloj::now() + plazo;
    // Se acepta en porciones cortas: si el cliente acaba sin conectar (lecciones 01–03), no se
    // espera el plazo entero.
    Conexion c;
    while (!c.valida() && Reloj::now() < fin) {
        bool seguia_vivo = cliente.vivo();
        c = escucha.aceptar(Ms(20));
        if (!c.valida() && !seguia_vivo) return a;  // terminó y no había nadie en la cola
    }
    if (!c.valida()) return a;
    a.conectado = true;
    a.local = c.local();
    a.remota = c.remota();
    // Eco hasta EOF (o error o plazo), como lo haría el servidor de la lección 05.
    char bufer[4096];
    while (true) {
        pollfd p{c.fd(), POLLIN, 0};
        int r = poll(&p, 1, quedan(fin));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            a.cierre = Cierre::kPlazo;
            break;
        }
        ssize_t n = recv(c.fd(), bufer, sizeof bufer, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n < 0) {
            a.cierre = errno == ECONNRESET ? Cierre::kReinicio : Cierre::kPlazo;
            break;
        }
        if (n == 0) {
            a.cierre = Cierre::kOrdenado;
            break;
        }
        std::string_view trozo(bufer, static_cast<std::size_t>(n));
        a.recibido += trozo;
        if (!c.enviar(trozo, Ms(quedan(fin)))) break;
    }
    c.cerrar();
    return a;
}

int copiar_descriptor(pid_t pid, int fd) {
    // Por syscall(): la cabecera <sys/pidfd.h> de glibc 2.36 no declara extern "C".
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) return -1;
    int copia = static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, 0));
    int error = errno;
    close(pidfd);
    errno = error;
    return copia;
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

std::optional<Llamada> primera(const std::vector<Llamada>& llamadas,
                               const std::function<bool(const Llamada&)>& condicion) {
    for (const auto& l : llamadas)
        if (condicion(l)) return l;
    return std::nullopt;
}

std::string primera_linea(const std::string& texto, const std::regex& patron) {
    std::size_t desde = 0;
    while (desde < texto.size()) {
        std::size_t hasta = texto.find('\n', desde);
        if (hasta == std::string::npos) hasta = texto.size();
        std::string linea = texto.substr(desde, hasta - desde);
        if (std::regex_search(linea, patron)) return linea;
        desde = hasta + 1;
    }
    return "";
}

}  // namespace arnes
