/// \file interlocutor.cpp
/// \brief El interlocutor: sockets TCP de la prueba en 127.0.0.1. Todo es no bloqueante con
///        poll() y plazos: ninguna operación puede colgar la prueba.
#include "arnes/interno.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace arnes {

namespace {

/// Milisegundos que quedan hasta `fin` para poll(): 0 si ya pasó, y nunca más de lo que cabe en
/// un int.
int quedan(Reloj::time_point fin) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(fin - Reloj::now()).count();
    return static_cast<int>(std::clamp<long long>(ms, 0, 1 << 30));
}

/// Espera `eventos` en `fd` hasta `fin`. false si venció el plazo.
/// (En tramos: si los programas de la prueba se atascan, el plazo vence ya; ver atasco.cpp.)
bool esperar(int fd, short eventos, Reloj::time_point fin) {
    Espera espera(fin);
    while (true) {
        pollfd p{fd, eventos, 0};
        int r = poll(&p, 1, espera.ms_tramo());
        if (r > 0) return true;
        if (r < 0 && errno != EINTR) return false;
        if (r == 0 && !espera.sigue()) return false;
    }
}

/// Un recv() que reintenta tras EINTR y espera con poll() tras EAGAIN hasta `fin`: la única
/// escalera de errores de las lecturas. Devuelve los bytes leídos (> 0); si no, 0 o -1 y anota
/// en `como` cómo acabó (kOrdenado: EOF; kPlazo; kReinicio: ECONNRESET o EPIPE; kNinguno: otro
/// error) y en `error` el errno de un error.
ssize_t recibir_con_plazo(int fd, char* buf, std::size_t n, int flags, Reloj::time_point fin,
                          int& error, Cierre& como) {
    while (true) {
        ssize_t k = recv(fd, buf, n, flags);
        if (k > 0) return k;
        if (k == 0) {
            como = Cierre::kOrdenado;
            return 0;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
            if (esperar(fd, POLLIN, fin)) continue;
            como = Cierre::kPlazo;
            return -1;
        }
        error = errno;
        como = (errno == ECONNRESET || errno == EPIPE) ? Cierre::kReinicio : Cierre::kNinguno;
        return -1;
    }
}

/// Socket TCP no bloqueante y con cierre en exec (los programas lanzados no lo heredan).
int socket_tcp(int familia = AF_INET) {
    preparar_proceso_de_prueba();
    return socket(familia, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

/// Convierte una sockaddr (IPv4 o IPv6) de la prueba en Direccion.
Direccion a_direccion(const sockaddr_storage& dir) {
    Direccion d;
    d.familia = dir.ss_family;
    char ip[INET6_ADDRSTRLEN] = "";
    if (dir.ss_family == AF_INET6) {
        const auto& d6 = reinterpret_cast<const sockaddr_in6&>(dir);
        inet_ntop(AF_INET6, &d6.sin6_addr, ip, sizeof ip);
        d.puerto = ntohs(d6.sin6_port);
        d.puerto_crudo = d6.sin6_port;
    } else {
        const auto& d4 = reinterpret_cast<const sockaddr_in&>(dir);
        inet_ntop(AF_INET, &d4.sin_addr, ip, sizeof ip);
        d.puerto = ntohs(d4.sin_port);
        d.puerto_crudo = d4.sin_port;
    }
    d.ip = ip;
    return d;
}

/// La dirección ip:puerto, con la IP escrita como IPv4 o como IPv6 («::1»). false si no es
/// ninguna de las dos.
bool direccion_de(const std::string& ip, int puerto, sockaddr_storage& dir, socklen_t& largo) {
    dir = {};
    auto& d4 = reinterpret_cast<sockaddr_in&>(dir);
    auto& d6 = reinterpret_cast<sockaddr_in6&>(dir);
    if (inet_pton(AF_INET, ip.c_str(), &d4.sin_addr) == 1) {
        d4.sin_family = AF_INET;
        d4.sin_port = htons(static_cast<std::uint16_t>(puerto));
        largo = sizeof d4;
        return true;
    }
    if (inet_pton(AF_INET6, ip.c_str(), &d6.sin6_addr) == 1) {
        d6.sin6_family = AF_INET6;
        d6.sin6_port = htons(static_cast<std::uint16_t>(puerto));
        largo = sizeof d6;
        return true;
    }
    return false;
}

/// Enlaza un socket nuevo a ip:puerto (0: uno libre) y devuelve {fd, puerto} ({-1, 0} si falla).
std::pair<int, int> enlazar_efimero(const std::string& ip = "127.0.0.1", int puerto = 0) {
    sockaddr_storage dir{};
    socklen_t largo = 0;
    if (!direccion_de(ip, puerto, dir, largo)) return {-1, 0};
    int fd = socket_tcp(dir.ss_family);
    if (fd < 0) return {-1, 0};
    // Conversión a sockaddr*: la API de sockets es genérica sobre la familia.
    if (bind(fd, reinterpret_cast<sockaddr*>(&dir), largo) != 0) {
        close(fd);
        return {-1, 0};
    }
    largo = sizeof dir;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&dir), &largo) != 0) {
        close(fd);
        return {-1, 0};
    }
    return {fd, a_direccion(dir).puerto};
}

}  // namespace

Conexion::Conexion(int fd) : fd_(fd) {}

Conexion::~Conexion() { cerrar(); }

Conexion::Conexion(Conexion&& otra) noexcept : fd_(otra.fd_), error_(otra.error_) {
    otra.fd_ = -1;
}

Conexion& Conexion::operator=(Conexion&& otra) noexcept {
    if (this != &otra) {
        cerrar();
        fd_ = otra.fd_;
        error_ = otra.error_;
        otra.fd_ = -1;
    }
    return *this;
}

Conexion Conexion::conectar(int puerto, Ms plazo) { return conectar("127.0.0.1", puerto, plazo); }

Conexion Conexion::conectar(const std::string& ip, int puerto, Ms plazo) {
    Conexion c;
    sockaddr_storage dir{};
    socklen_t largo_dir = 0;
    if (!direccion_de(ip, puerto, dir, largo_dir)) {
        c.error_ = EINVAL;
        return c;
    }
    int fd = socket_tcp(dir.ss_family);
    if (fd < 0) {
        c.error_ = errno;
        return c;
    }
    if (connect(fd, reinterpret_cast<sockaddr*>(&dir), largo_dir) != 0) {
        if (errno != EINPROGRESS) {
            c.error_ = errno;
            close(fd);
            return c;
        }
        if (!esperar(fd, POLLOUT, Reloj::now() + plazo)) {
            c.error_ = ETIMEDOUT;
            close(fd);
            return c;
        }
        int error = 0;
        socklen_t largo = sizeof error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &largo);
        if (error != 0) {
            c.error_ = error;
            close(fd);
            return c;
        }
    }
    c.fd_ = fd;
    return c;
}

bool Conexion::enviar(std::string_view datos, Ms plazo) {
    if (fd_ < 0) return false;
    const auto fin = Reloj::now() + plazo;
    while (!datos.empty()) {
        ssize_t n = send(fd_, datos.data(), datos.size(), MSG_NOSIGNAL);
        if (n > 0) {
            datos.remove_prefix(static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            if (!esperar(fd_, POLLOUT, fin)) {
                error_ = ETIMEDOUT;
                return false;
            }
        } else {
            error_ = errno;
            return false;
        }
    }
    return true;
}

bool Conexion::enviar_byte_a_byte(std::string_view datos, Ms plazo) {
    if (fd_ < 0) return false;
    int si = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &si, sizeof si);
    const auto fin = Reloj::now() + plazo;
    for (std::size_t i = 0; i < datos.size(); ++i) {
        if (!enviar(datos.substr(i, 1), std::chrono::duration_cast<Ms>(fin - Reloj::now())))
            return false;
        // Una pausa breve: el otro extremo lee cada byte por separado.
        if (i + 1 < datos.size()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

std::string Conexion::recibir(std::size_t n, Ms plazo) {
    std::string r;
    const auto fin = Reloj::now() + plazo;
    char buf[65536];
    Cierre como = Cierre::kNinguno;
    while (fd_ >= 0 && r.size() < n) {
        ssize_t k = recibir_con_plazo(fd_, buf, std::min(sizeof buf, n - r.size()), 0, fin, error_, como);
        if (k <= 0) break;
        r.append(buf, static_cast<std::size_t>(k));
    }
    return r;
}

std::string Conexion::recibir_linea(Ms plazo) {
    std::string r;
    const auto fin = Reloj::now() + plazo;
    char buf[4096];
    Cierre como = Cierre::kNinguno;
    while (fd_ >= 0) {
        // Se mira sin consumir (MSG_PEEK) para no tragarse lo que venga tras el '\n'.
        ssize_t k = recibir_con_plazo(fd_, buf, sizeof buf, MSG_PEEK, fin, error_, como);
        if (k <= 0) break;
        std::size_t n = static_cast<std::size_t>(k);
        const char* nl = static_cast<const char*>(std::memchr(buf, '\n', n));
        std::size_t tomar = nl != nullptr ? static_cast<std::size_t>(nl - buf) + 1 : n;
        ssize_t t = recv(fd_, buf, tomar, 0);
        if (t > 0) r.append(buf, static_cast<std::size_t>(t));
        if (nl != nullptr) break;
    }
    return r;
}

std::string Conexion::recibir_todo(Ms plazo, Cierre* como) {
    std::string r;
    Cierre cierre = Cierre::kNinguno;
    const auto fin = Reloj::now() + plazo;
    char buf[65536];
    while (fd_ >= 0) {
        ssize_t k = recibir_con_plazo(fd_, buf, sizeof buf, 0, fin, error_, cierre);
        if (k <= 0) break;
        r.append(buf, static_cast<std::size_t>(k));
    }
    if (como != nullptr) *como = cierre;
    return r;
}

std::string Conexion::eco(std::string_view datos, Ms plazo) {
    std::string r;
    if (fd_ < 0) return r;
    Espera espera(Reloj::now() + plazo);
    std::size_t enviados = 0;
    char buf[65536];
    while (r.size() < datos.size()) {
        short eventos = POLLIN;
        if (enviados < datos.size()) eventos |= POLLOUT;
        pollfd p{fd_, eventos, 0};
        int listos = poll(&p, 1, espera.ms_tramo());
        if (listos < 0 && errno == EINTR) continue;
        if (listos == 0 && espera.sigue()) continue;
        if (listos <= 0) break;  // plazo (o programas atascados)
        if ((p.revents & POLLOUT) != 0 && enviados < datos.size()) {
            ssize_t n = send(fd_, datos.data() + enviados, datos.size() - enviados, MSG_NOSIGNAL);
            if (n > 0) enviados += static_cast<std::size_t>(n);
            else if (n < 0 && errno != EAGAIN && errno != EINTR) {
                error_ = errno;
                enviados = datos.size();  // no se puede enviar más; se sigue leyendo lo que llegue
            }
        }
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            ssize_t n = recv(fd_, buf, sizeof buf, 0);
            if (n > 0) {
                r.append(buf, static_cast<std::size_t>(n));
            } else if (n == 0) {
                break;  // EOF
            } else if (errno != EAGAIN && errno != EINTR) {
                error_ = errno;
                break;
            }
        }
    }
    return r;
}

Cierre Conexion::esperar_cierre(Ms plazo) {
    Cierre como = Cierre::kNinguno;
    recibir_todo(plazo, &como);
    return como;
}

void Conexion::reducir_recepcion(int bytes) {
    if (fd_ >= 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

int Conexion::error_al_cerrarse(Ms plazo) {
    if (fd_ < 0) return -1;
    const auto limite = std::chrono::steady_clock::now() + plazo;
    for (;;) {
        tcp_info info{};
        socklen_t largo = sizeof info;
        if (getsockopt(fd_, IPPROTO_TCP, TCP_INFO, &info, &largo) == -1) return -1;
        if (info.tcpi_state == TCP_CLOSE || info.tcpi_state == TCP_TIME_WAIT) {
            int error = 0;
            largo = sizeof error;
            getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &largo);
            return error != 0 ? error : error_;  // error_: el que ya vio enviar() o recibir()
        }
        if (std::chrono::steady_clock::now() >= limite) return -1;
        // Aún LAST_ACK o FIN_WAIT: falta un segmento del otro lado (en local, microsegundos).
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void Conexion::cerrar_escritura() {
    if (fd_ >= 0) shutdown(fd_, SHUT_WR);
}

void Conexion::reiniciar() {
    if (fd_ < 0) return;
    linger l{1, 0};  // cerrar con linger 0 envía RST en vez de FIN
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    cerrar();
}

void Conexion::cerrar() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
}

Direccion Conexion::local() const {
    sockaddr_storage dir{};
    socklen_t largo = sizeof dir;
    if (fd_ < 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&dir), &largo) != 0) return {};
    return a_direccion(dir);
}

Direccion Conexion::remota() const {
    sockaddr_storage dir{};
    socklen_t largo = sizeof dir;
    if (fd_ < 0 || getpeername(fd_, reinterpret_cast<sockaddr*>(&dir), &largo) != 0) return {};
    return a_direccion(dir);
}

Escucha::Escucha(int cola) : Escucha("127.0.0.1", cola) {}

Escucha::Escucha(const std::string& ip, int cola) {
    auto [fd, puerto] = enlazar_efimero(ip);
    if (fd >= 0 && listen(fd, cola) != 0) {
        close(fd);
        fd = -1;
        puerto = 0;
    }
    fd_ = fd;
    puerto_ = puerto;
}

Escucha::~Escucha() {
    if (fd_ >= 0) close(fd_);
}

Conexion Escucha::aceptar(Ms plazo) {
    if (fd_ < 0) return Conexion();
    const auto fin = Reloj::now() + plazo;
    while (true) {
        int fd = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) return Conexion(fd);
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN || !esperar(fd_, POLLIN, fin)) return Conexion();
    }
}

int puerto_libre() {
    auto [fd, puerto] = enlazar_efimero();
    if (fd >= 0) close(fd);
    return puerto;
}

PuertoCerrado::PuertoCerrado() {
    auto [fd, puerto] = enlazar_efimero();  // enlazado sin listen(): conectar da ECONNREFUSED
    fd_ = fd;
    puerto_ = puerto;
}

PuertoCerrado::PuertoCerrado(const std::string& ip, int puerto) {
    auto [fd, p] = enlazar_efimero(ip, puerto);
    fd_ = fd;
    puerto_ = p;
}

PuertoCerrado::~PuertoCerrado() {
    if (fd_ >= 0) close(fd_);
}

std::string datos_de_prueba(std::size_t n, std::size_t ancho) {
    if (ancho < 2) ancho = 2;
    std::string r(n, '\0');
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t linea = i / ancho, columna = i % ancho;
        if (columna == ancho - 1 || i == n - 1)
            r[i] = '\n';
        else
            r[i] = static_cast<char>('a' + (linea * 7 + columna * 3) % 26);
    }
    return r;
}

Atencion atender_cliente(Escucha& escucha, Programa& cliente, Ms plazo) {
    Atencion a;
    const auto fin = Reloj::now() + plazo;
    // Se acepta en porciones cortas: si el cliente acaba sin conectar (lecciones 01–03), no se
    // espera el plazo entero.
    Conexion c;
    Espera espera(fin);  // si el cliente se atasca sin conectar, se deja de esperar
    while (!c.valida() && espera.sigue()) {
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
    int error = 0;
    while (true) {
        ssize_t n = recibir_con_plazo(c.fd(), bufer, sizeof bufer, 0, fin, error, a.cierre);
        if (n <= 0) break;
        std::string_view trozo(bufer, static_cast<std::size_t>(n));
        a.recibido += trozo;
        if (!c.enviar(trozo, Ms(quedan(fin)))) break;
    }
    c.cerrar();
    return a;
}

}  // namespace arnes
