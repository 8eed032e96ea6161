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

/// Nombre simbólico de un errno («EADDRINUSE»), o «errno N» si la biblioteca no lo conoce.
inline std::string nombre_errno(int error) {
    const char* nombre = strerrorname_np(error);  // extensión de glibc (2.32 o posterior)
    return nombre != nullptr ? nombre : "errno " + std::to_string(error);
}

/// Texto en español de un errno, siempre con su nombre: «conexión rechazada (ECONNREFUSED)».
/// Para los poco habituales se usa strerror(3).
inline std::string texto_errno(int error) {
    const char* texto = nullptr;
    switch (error) {
        case EADDRINUSE: texto = "la dirección ya está en uso"; break;
        case EADDRNOTAVAIL: texto = "no se puede asignar la dirección pedida"; break;
        case ECONNREFUSED: texto = "conexión rechazada"; break;
        case ECONNRESET: texto = "conexión reiniciada por el otro extremo"; break;
        case ECONNABORTED: texto = "conexión abortada"; break;
        case EPIPE: texto = "tubería rota: el otro extremo ya no lee"; break;
        case EACCES: texto = "permiso denegado"; break;
        case EPERM: texto = "operación no permitida"; break;
        case ETIMEDOUT: texto = "se agotó el tiempo de espera"; break;
        case EINTR: texto = "llamada interrumpida por una señal"; break;
        case EBADF: texto = "descriptor de fichero no válido"; break;
        case EMFILE: texto = "demasiados ficheros abiertos en el proceso"; break;
        case ENFILE: texto = "demasiados ficheros abiertos en el sistema"; break;
        case ENETUNREACH: texto = "la red es inalcanzable"; break;
        case EHOSTUNREACH: texto = "no hay ruta hasta el equipo"; break;
        case EINVAL: texto = "argumento no válido"; break;
        case EAFNOSUPPORT: texto = "familia de direcciones no admitida"; break;
        case ENOTSOCK: texto = "el descriptor no es un socket"; break;
        case ENOTCONN: texto = "el socket no está conectado"; break;
        case EISCONN: texto = "el socket ya está conectado"; break;
        case ENOBUFS: texto = "no queda espacio en los búferes"; break;
        case ENOMEM: texto = "no hay memoria suficiente"; break;
        case EAGAIN: texto = "recurso no disponible por ahora, inténtalo de nuevo"; break;
        case ECHILD: texto = "no hay procesos hijos"; break;
        default: texto = std::strerror(error); break;
    }
    return std::string(texto) + " (" + nombre_errno(error) + ")";
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
