/// \file
/// \brief Lección 09 · poll — cliente: igual que en la lección 08.
///
/// El cliente no cambia: no sabe (ni necesita saber) que ahora un solo proceso atiende a todos
/// los clientes con poll(). Sigue aceptando un nombre, una IPv4 o una IPv6 (getaddrinfo()).
/// Las marcas `// [NN-nombre]` rodean el código de la etapa NN.
#include "sockets_comun.h"

namespace {

// [08-texto]
/// «IP:PUERTO» de una dirección IPv4 y «[IP]:PUERTO» de una IPv6, para mostrarla: inet_ntop(3)
/// y ntohs(3). Una IPv6 «mapeada» (::ffff:a.b.c.d: un cliente IPv4 que llegó a un socket IPv6)
/// se muestra como la IPv4 que es. Los corchetes separan la IPv6 (que lleva «:») del puerto.
std::string texto_de(const sockaddr* direccion) {
    char ip[INET6_ADDRSTRLEN];  // cabe la IPv6 más larga con su '\0' (y cualquier IPv4)
    // sockaddr es el tipo genérico: según sa_family es una sockaddr_in o una sockaddr_in6.
    if (direccion->sa_family == AF_INET6) {
        const auto* d6 = reinterpret_cast<const sockaddr_in6*>(direccion);
        const std::string puerto = std::to_string(ntohs(d6->sin6_port));
        if (IN6_IS_ADDR_V4MAPPED(&d6->sin6_addr)) {  // ::ffff:a.b.c.d: los 4 últimos bytes
            if (inet_ntop(AF_INET, &d6->sin6_addr.s6_addr[12], ip, sizeof ip) == nullptr)
                sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET y este tamaño
            return std::string(ip) + ":" + puerto;
        }
        if (inet_ntop(AF_INET6, &d6->sin6_addr, ip, sizeof ip) == nullptr)
            sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET6 y este tamaño
        return "[" + std::string(ip) + "]:" + puerto;
    }
    const auto* d4 = reinterpret_cast<const sockaddr_in*>(direccion);
    if (inet_ntop(AF_INET, &d4->sin_addr, ip, sizeof ip) == nullptr)
        sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET y este tamaño
    return std::string(ip) + ":" + std::to_string(ntohs(d4->sin_port));
}
// [08-texto]

// [05-protocolo]
// El protocolo (docs/protocolo.md): el cliente envía líneas de texto terminadas en '\n' y el
// servidor le devuelve cada byte que recibe, tal cual y en orden. TCP es un flujo de bytes y un
// read() no es un mensaje: la respuesta puede llegar a trozos (o junto con la siguiente), así
// que el cliente junta los bytes hasta el '\n'. Una línea de más de 1 MiB (enviada o recibida)
// es un error. Un fin de fichero antes de la respuesta completa también.
constexpr std::size_t kLineaMaxima = 1024 * 1024;  // 1 MiB, sin contar el '\n'
// [05-protocolo]

// [05-escribir-todo]
/// Escribe los `n` bytes de `datos` en `fd` con write(2), que puede escribir menos de lo pedido
/// (escritura parcial) o ser interrumpido por una señal (EINTR): repite hasta terminar.
/// Lanza std::system_error si write() falla (EPIPE si el otro extremo ya cerró).
void escribir_todo(int fd, const char* datos, std::size_t n) {
    while (n > 0) {
        const ssize_t escritos = write(fd, datos, n);
        if (escritos == -1 && errno == EINTR) continue;  // interrumpido antes de escribir nada
        sockets::comprobar("write()", escritos);
        datos += escritos;  // lo que falta empieza donde acabó esta escritura
        n -= static_cast<std::size_t>(escritos);
    }
}
// [05-escribir-todo]

// [05-leer-linea]
/// Lee de `fd` con read(2) hasta completar una línea y la deja en `linea`, sin el '\n'. Lo que
/// llegue de más se guarda en `pendiente` para la llamada siguiente. Devuelve false si el otro
/// extremo cerró sin empezar otra línea; lanza std::runtime_error si cerró a media línea o si la
/// línea pasa de kLineaMaxima, y std::system_error si read() falla (ECONNRESET...).
bool leer_linea(int fd, std::string& pendiente, std::string& linea) {
    std::size_t fin = pendiente.find('\n');
    while (fin == std::string::npos) {
        if (pendiente.size() > kLineaMaxima)
            throw std::runtime_error("la respuesta del servidor pasa de 1 MiB sin '\\n'");
        char bufer[16 * 1024];
        const ssize_t leidos = read(fd, bufer, sizeof bufer);  // lo que haya, hasta 16 KiB
        if (leidos == -1 && errno == EINTR) continue;  // interrumpido por una señal: otra vez
        sockets::comprobar("read()", leidos);
        if (leidos == 0) {  // fin de fichero: el servidor cerró su lado
            if (pendiente.empty()) return false;
            throw std::runtime_error("el servidor cerró la conexión antes de responder");
        }
        const std::size_t antes = pendiente.size();
        pendiente.append(bufer, static_cast<std::size_t>(leidos));
        fin = pendiente.find('\n', antes);  // el '\n' solo puede estar en lo recién llegado
    }
    linea.assign(pendiente, 0, fin);
    pendiente.erase(0, fin + 1);  // se queda lo que sigue al '\n'
    return true;
}
// [05-leer-linea]

// [08-conectar]
/// Resuelve `host` con getaddrinfo(3) y prueba cada dirección de la lista, en su orden, hasta
/// que una conecta: un socket(2) de su familia y connect(2); si falla, cierra ese socket y pasa a
/// la siguiente. `host` es un nombre («localhost»), una IPv4 («127.0.0.1») o una IPv6 («::1»,
/// también entre corchetes: «[::1]»). Devuelve el descriptor conectado. Lanza
/// std::runtime_error si el nombre no se resuelve (con el error de getaddrinfo() en español) y
/// std::system_error con el errno del último intento si no conecta ninguna dirección.
int conectar(std::string host, std::uint16_t puerto) {
    // Una IPv6 se escribe entre corchetes junto a un puerto («[::1]:8080», como en una URL):
    // getaddrinfo() la quiere sin ellos.
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);

    addrinfo pistas{};                 // lo que buscamos (los «hints» del manual), todo a cero
    pistas.ai_family = AF_UNSPEC;      // IPv4 o IPv6: las que tenga el nombre
    pistas.ai_socktype = SOCK_STREAM;  // TCP
    pistas.ai_flags = AI_NUMERICSERV;  // el servicio es un número de puerto: sin /etc/services
    // Sin AI_ADDRCONFIG a propósito: con él, una máquina sin IPv6 fuera de loopback (lo más
    // común) no devolvería ::1 ni para «localhost» (docs/08_getaddrinfo.md).
    const std::string servicio = std::to_string(puerto);
    addrinfo* primera = nullptr;
    const int codigo = getaddrinfo(host.c_str(), servicio.c_str(), &pistas, &primera);
    // getaddrinfo() no usa errno: devuelve un código EAI_* (0 si fue bien) que explica
    // gai_strerror(3); sockets::texto_gai() lo dice en español.
    if (codigo != 0)
        throw std::runtime_error("getaddrinfo(«" + host + "»): " + sockets::texto_gai(codigo));
    // La lista es memoria de getaddrinfo(): la devuelve freeaddrinfo(3), también si algo lanza.
    const std::unique_ptr<addrinfo, void (*)(addrinfo*)> lista(primera, freeaddrinfo);

    std::string direcciones;
    for (const addrinfo* d = lista.get(); d != nullptr; d = d->ai_next)
        direcciones += (direcciones.empty() ? "" : ", ") + texto_de(d->ai_addr);
    std::cout << "[cliente] getaddrinfo(): " << host << " → " << direcciones << std::endl;

    std::string intento;  // la última llamada que falló, para el mensaje de error
    int error = 0;        // y su errno
    for (const addrinfo* d = lista.get(); d != nullptr; d = d->ai_next) {
        // El socket, de la familia de esta dirección (AF_INET o AF_INET6).
        const int conexion = socket(d->ai_family, d->ai_socktype, d->ai_protocol);
        if (conexion == -1) {  // esta familia no está en el sistema: la siguiente dirección
            intento = "socket()";
            error = errno;
            continue;
        }
        std::cout << "[cliente] socket(): descriptor " << conexion << std::endl;
        // connect() hace el saludo de tres pasos de TCP: vuelve cuando la conexión está hecha, o
        // con -1 y el motivo (ECONNREFUSED si en ese puerto no escucha nadie).
        if (connect(conexion, d->ai_addr, d->ai_addrlen) == 0) {
            // El núcleo dio al socket del cliente una dirección y un puerto efímero.
            sockaddr_storage local{};
            socklen_t largo = sizeof local;
            sockets::comprobar("getsockname()",
                               getsockname(conexion, reinterpret_cast<sockaddr*>(&local), &largo));
            std::cout << "[cliente] connect(): conectado a " << texto_de(d->ai_addr) << " desde "
                      << texto_de(reinterpret_cast<const sockaddr*>(&local)) << std::endl;
            return conexion;
        }
        intento = "connect() a " + texto_de(d->ai_addr);
        error = errno;
        std::cout << "[cliente] connect(): " << texto_de(d->ai_addr) << " no responde ("
                  << sockets::texto_errno(error) << ")"
                  << (d->ai_next != nullptr ? "; pruebo la siguiente dirección" : "") << std::endl;
        sockets::comprobar("close()", close(conexion));  // el socket de un intento fallido
    }
    throw std::system_error(error, sockets::categoria_errno(), intento);
}
// [08-conectar]

// [08-conversar]
/// El cliente, paso a paso: habla con el servidor `host`:`puerto` (un nombre o una dirección) y
/// le envía `mensaje` o, si es nullptr, cada línea de la entrada estándar. Lanza
/// std::system_error si falla una llamada y std::runtime_error si el nombre no se resuelve.
void conversar(const std::string& host, std::uint16_t puerto, const char* mensaje) {
    // [08-conversar]
    // [05-sigpipe]
    // Si el otro extremo ya cerró, el primer write() funciona y él responde con un RST; el
    // siguiente provoca SIGPIPE (no si el otro solo hizo shutdown(SHUT_WR)), que por defecto
    // mata al proceso sin decir nada. Ignorada, write() devuelve -1 con EPIPE y lo explicamos.
    struct sigaction ignorar {};
    ignorar.sa_handler = SIG_IGN;
    sigemptyset(&ignorar.sa_mask);
    sockets::comprobar("sigaction()", sigaction(SIGPIPE, &ignorar, nullptr));
    // [05-sigpipe]

    // [08-socket]
    // Resolver el nombre y conectar con la primera dirección que responda.
    const int conexion = conectar(host, puerto);
    // [08-socket]

    // [05-eco]
    // Con MENSAJE se envía «MENSAJE\n»; sin él, cada línea de la entrada estándar. Tras cada
    // línea se espera su eco completo antes de enviar la siguiente.
    std::istringstream del_argumento(mensaje != nullptr ? std::string(mensaje) + '\n' : "");
    std::istream& entrada = (mensaje != nullptr) ? del_argumento : std::cin;
    std::string pendiente;  // bytes recibidos que aún no forman una línea completa
    std::string linea;
    std::string eco;
    while (std::getline(entrada, linea)) {
        if (linea.size() > kLineaMaxima)
            throw std::runtime_error("una línea de la entrada pasa de 1 MiB (el máximo)");
        linea += '\n';  // el '\n' marca el fin de la línea en el protocolo
        escribir_todo(conexion, linea.data(), linea.size());
        if (!leer_linea(conexion, pendiente, eco))
            throw std::runtime_error("el servidor cerró la conexión antes de responder");
        std::cout << "[cliente] eco: " << eco << std::endl;
    }
    // [05-eco]

    // [06-cerrar]
    // Cierre ordenado: shutdown(SHUT_WR) envía al servidor el fin de fichero («no enviaré más»)
    // pero deja abierta la lectura. Leemos hasta que read() devuelva 0: el servidor ha cerrado
    // también. Un error (ECONNRESET) no es un cierre ordenado: sale como excepción.
    sockets::comprobar("shutdown()", shutdown(conexion, SHUT_WR));
    while (leer_linea(conexion, pendiente, eco))  // respuestas que aún faltaran por llegar
        std::cout << "[cliente] eco: " << eco << std::endl;
    std::cout << "[cliente] close(): el servidor cerró la conexión ordenadamente" << std::endl;
    // [06-cerrar]

    // [01-cerrar]
    sockets::comprobar("close()", close(conexion));  // todo descriptor abierto se cierra
    // [01-cerrar]
}

}  // namespace

/// Punto de entrada: `cliente HOST PUERTO [MENSAJE]`. Devuelve 0 si todo fue bien, 1 si falló
/// una llamada al sistema y 2 si los argumentos no son válidos.
int main(int argc, char* argv[]) {
    try {
        if (argc < 3) throw sockets::ErrorDeUso("faltan argumentos");
        if (argc > 4) throw sockets::ErrorDeUso("sobran argumentos");
        // [08-host]
        const std::string host = argv[1];  // un nombre, una IPv4 o una IPv6: getaddrinfo() dirá
        // [08-host]
        const std::uint16_t puerto = sockets::leer_puerto(argv[2]);  // 0..65535
        const char* mensaje = (argc == 4) ? argv[3] : nullptr;       // nullptr: leer de stdin
        conversar(host, puerto, mensaje);
        return EXIT_SUCCESS;
    } catch (const sockets::ErrorDeUso& e) {
        return sockets::uso("cliente", "HOST PUERTO [MENSAJE]", e);  // código 2
    } catch (const std::system_error& e) {
        std::cerr << "[cliente] error: " << e.what();
        if (e.code() == std::errc::connection_refused)
            std::cerr << " — ¿está el servidor en marcha?";  // una pista, no solo el síntoma
        std::cerr << std::endl;
        return EXIT_FAILURE;
    } catch (const std::exception& e) {
        std::cerr << "[cliente] error: " << e.what() << std::endl;
        return EXIT_FAILURE;
    }
}
