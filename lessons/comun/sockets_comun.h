/// \file
/// \brief Código común a todas las lecciones: leer los argumentos, explicar un errno en español y
///        comprobar() las llamadas al sistema.
///
/// No es una etapa: como `unp.h` en el libro de Stevens, cada programa lo incluye y el alumno no
/// lo toca. También incluye las cabeceras del sistema que usan las lecciones, para que cada
/// listado empiece directamente por lo que enseña.
#pragma once

#include <arpa/inet.h>     // inet_pton(), inet_ntop(), htons(), ntohs()
#include <fcntl.h>         // fcntl(), O_NONBLOCK (lección 09), open() (lección 10)
#include <netdb.h>         // getaddrinfo(), freeaddrinfo(), gai_strerror() (lección 08)
#include <netinet/in.h>    // sockaddr_in, sockaddr_in6, INADDR_ANY, in6addr_any
#include <poll.h>          // poll() (lección 09)
#include <signal.h>        // sigaction(), SIGPIPE, SIGCHLD
#include <sys/resource.h>  // getrlimit(), setrlimit() (lección 09)
#include <sys/socket.h>    // socket(), bind(), listen(), accept(), connect(), shutdown()
#include <sys/stat.h>      // fstat() (lección 10)
#include <sys/types.h>
#include <sys/wait.h>      // waitpid()
#include <unistd.h>        // read(), write(), close(), fork(), _exit()

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>  // PATH_MAX (lección 10)
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace sockets {

/// Código de salida cuando los argumentos no son válidos (0: bien; 1: falló una llamada).
inline constexpr int kSalidaUso = 2;

/// Error en los argumentos de la orden: main() lo atrapa, muestra el uso y sale con código 2.
class ErrorDeUso : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Un errno habitual: su nombre simbólico y su explicación en español.
struct ErrnoConocido {
    int numero;
    const char* nombre;
    const char* texto;
};

/// Los errno que estas lecciones pueden encontrar (la tabla es portable: POSIX, sin extensiones).
inline constexpr ErrnoConocido kErrnoConocidos[] = {
    {EADDRINUSE, "EADDRINUSE", "la dirección ya está en uso"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL", "no se puede asignar la dirección pedida"},
    {ECONNREFUSED, "ECONNREFUSED", "conexión rechazada"},
    {ECONNRESET, "ECONNRESET", "conexión reiniciada por el otro extremo"},
    {ECONNABORTED, "ECONNABORTED", "conexión abortada"},
    {EPIPE, "EPIPE", "tubería rota: el otro extremo ya no lee"},
    {EACCES, "EACCES", "permiso denegado"},
    {EPERM, "EPERM", "operación no permitida"},
    {ETIMEDOUT, "ETIMEDOUT", "se agotó el tiempo de espera"},
    {EINTR, "EINTR", "llamada interrumpida por una señal"},
    {EBADF, "EBADF", "descriptor de fichero no válido"},
    {EMFILE, "EMFILE", "demasiados ficheros abiertos en el proceso"},
    {ENFILE, "ENFILE", "demasiados ficheros abiertos en el sistema"},
    {ENETUNREACH, "ENETUNREACH", "la red es inalcanzable"},
    {EHOSTUNREACH, "EHOSTUNREACH", "no hay ruta hasta el equipo"},
    {EINVAL, "EINVAL", "argumento no válido"},
    {EAFNOSUPPORT, "EAFNOSUPPORT", "familia de direcciones no admitida"},
    {ENOTSOCK, "ENOTSOCK", "el descriptor no es un socket"},
    {ENOTCONN, "ENOTCONN", "el socket no está conectado"},
    {EISCONN, "EISCONN", "el socket ya está conectado"},
    {ENOBUFS, "ENOBUFS", "no queda espacio en los búferes"},
    {ENOMEM, "ENOMEM", "no hay memoria suficiente"},
    {EAGAIN, "EAGAIN", "recurso no disponible por ahora, inténtalo de nuevo"},
    {ECHILD, "ECHILD", "no hay procesos hijos"},
};

/// Texto en español de un errno, siempre con su nombre: «conexión rechazada (ECONNREFUSED)».
/// Para los poco habituales se usa strerror(3) y el número.
inline std::string texto_errno(int error) {
    for (const ErrnoConocido& conocido : kErrnoConocidos)
        if (conocido.numero == error)
            return std::string(conocido.texto) + " (" + conocido.nombre + ")";
    return std::string(std::strerror(error)) + " (errno " + std::to_string(error) + ")";
}

/// Un error de getaddrinfo(3) (un código EAI_*): su nombre y su explicación en español.
struct ErrorDeNombreConocido {
    int codigo;
    const char* nombre;
    const char* texto;
};

/// Los códigos de getaddrinfo() que define POSIX (sin EAI_SYSTEM, que se explica con errno).
inline constexpr ErrorDeNombreConocido kErroresDeNombre[] = {
    {EAI_NONAME, "EAI_NONAME", "ese nombre no corresponde a ninguna dirección conocida"},
    {EAI_AGAIN, "EAI_AGAIN", "el servidor de nombres no responde ahora; inténtalo más tarde"},
    {EAI_FAIL, "EAI_FAIL", "fallo irrecuperable al buscar el nombre"},
    {EAI_FAMILY, "EAI_FAMILY", "familia de direcciones no admitida"},
    {EAI_SOCKTYPE, "EAI_SOCKTYPE", "tipo de socket no admitido"},
    {EAI_SERVICE, "EAI_SERVICE", "el servicio (el puerto) no vale para este tipo de socket"},
    {EAI_BADFLAGS, "EAI_BADFLAGS", "opciones (ai_flags) no válidas"},
    {EAI_MEMORY, "EAI_MEMORY", "no hay memoria suficiente"},
    {EAI_OVERFLOW, "EAI_OVERFLOW", "el búfer para el resultado es demasiado pequeño"},
};

/// Lo que gai_strerror(3) diría de un código de getaddrinfo(), en español y con su nombre:
/// «ese nombre no corresponde a ninguna dirección conocida (EAI_NONAME)». Con EAI_SYSTEM el
/// motivo es el errno; un código poco habitual se explica con gai_strerror() y su número.
inline std::string texto_gai(int codigo) {
    if (codigo == EAI_SYSTEM) return texto_errno(errno) + " (EAI_SYSTEM)";
    for (const ErrorDeNombreConocido& conocido : kErroresDeNombre)
        if (conocido.codigo == codigo)
            return std::string(conocido.texto) + " (" + conocido.nombre + ")";
    return std::string(gai_strerror(codigo)) + " (EAI " + std::to_string(codigo) + ")";
}

/// Categoría de error que redacta en español; equivale a la genérica, así que
/// `e.code() == std::errc::connection_refused` sigue funcionando.
class CategoriaErrno : public std::error_category {
public:
    const char* name() const noexcept override { return "errno"; }
    std::string message(int error) const override { return texto_errno(error); }
    std::error_condition default_error_condition(int error) const noexcept override {
        return std::generic_category().default_error_condition(error);
    }
};

/// La única instancia de CategoriaErrno.
inline const std::error_category& categoria_errno() {
    static const CategoriaErrno categoria;
    return categoria;
}

/// Si `rv` es -1, lanza std::system_error con el errno actual; su what() nombra la llamada:
/// «bind(): la dirección ya está en uso (EADDRINUSE)». Cualquier otro valor no hace nada.
inline void comprobar(const char* llamada, long rv) {
    if (rv == -1) throw std::system_error(errno, categoria_errno(), llamada);
}

/// Como comprobar(const char*, long), con una descripción montada: «connect() a 127.0.0.1:5000».
inline void comprobar(const std::string& llamada, long rv) { comprobar(llamada.c_str(), rv); }

/// Lee un puerto TCP: solo cifras, de 0 a 65535 (0: que el núcleo elija uno libre).
/// Lanza ErrorDeUso con el motivo si no lo es.
inline std::uint16_t leer_puerto(const std::string& texto) {
    const std::string motivo = "puerto no válido «" + texto + "»: ";
    if (texto.empty()) throw ErrorDeUso(motivo + "está vacío");
    unsigned long valor = 0;
    for (const char c : texto) {
        if (c < '0' || c > '9') throw ErrorDeUso(motivo + "solo puede llevar cifras (0-9)");
        valor = valor * 10 + static_cast<unsigned long>(c - '0');
        if (valor > 65535) throw ErrorDeUso(motivo + "debe estar entre 0 y 65535");
    }
    return static_cast<std::uint16_t>(valor);
}

/// Lee la dirección IPv4 del servidor: cuatro números con puntos (inet_pton(3)) o «localhost»
/// (127.0.0.1). Devuelve la dirección ya en orden de red; lanza ErrorDeUso si no es válida.
inline in_addr leer_host(const std::string& texto) {
    in_addr direccion{};
    const std::string cuatro_numeros = (texto == "localhost") ? "127.0.0.1" : texto;
    if (inet_pton(AF_INET, cuatro_numeros.c_str(), &direccion) != 1)
        throw ErrorDeUso("host no válido «" + texto +
                         "»: escribe una dirección IPv4 como 127.0.0.1, o localhost");
    return direccion;
}

/// Explica en stderr un error de uso y cómo se llama al programa; devuelve kSalidaUso (2).
/// Ejemplo: «[servidor] error: falta el puerto» y «uso: servidor PUERTO».
inline int uso(const char* programa, const char* argumentos, const ErrorDeUso& error) {
    std::cerr << "[" << programa << "] error: " << error.what() << '\n'
              << "uso: " << programa << ' ' << argumentos << std::endl;
    return kSalidaUso;
}

}  // namespace sockets
