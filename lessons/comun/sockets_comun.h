/// \file
/// \brief Código común a todas las lecciones: leer los argumentos, explicar un errno en español y
///        comprobar() las llamadas al sistema.
///
/// No es una etapa: como `unp.h` en el libro de Stevens, cada programa lo incluye y el alumno no
/// lo toca. También incluye las cabeceras del sistema que usan las lecciones, para que cada
/// listado empiece directamente por lo que enseña.
#pragma once

#include <arpa/inet.h>   // inet_pton(), inet_ntop(), htons(), ntohs()
#include <netinet/in.h>  // sockaddr_in, INADDR_ANY
#include <signal.h>      // sigaction(), SIGPIPE, SIGCHLD
#include <sys/socket.h>  // socket(), bind(), listen(), accept(), connect(), shutdown()
#include <sys/types.h>
#include <sys/wait.h>    // waitpid()
#include <unistd.h>      // read(), write(), close(), fork(), _exit()

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

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
