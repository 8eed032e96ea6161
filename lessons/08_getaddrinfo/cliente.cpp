/// \file
/// \brief Lección 08 · getaddrinfo — cliente: HOST puede ser un nombre, una IPv4 o una IPv6.
///
/// getaddrinfo(3) traduce el nombre (`localhost`, o los de /etc/hosts) o la dirección escrita a
/// una lista de direcciones, IPv4 e IPv6, en el orden en que conviene probarlas; el cliente
/// prueba una tras otra hasta que una conecta y libera la lista con freeaddrinfo(3). Lo demás
/// (el eco y el cierre ordenado) es lo de la lección 07.
/// Las marcas `// [NN-nombre]` rodean el código de la etapa NN.
#include "sockets_comun.h"

namespace {

// [08-texto]
// TODO(etapa 08): Paso 1 de 2 · narrar las dos familias. texto_de() recibe la dirección genérica
// TODO(etapa 08): (const sockaddr*) y, según su familia, escribe «IP:PUERTO» para IPv4 y
// TODO(etapa 08): «[IP]:PUERTO» para IPv6.
// TODO(etapa 08): Lee: docs/08_getaddrinfo.md, sección «IPv6 entre corchetes».
/// «IP:PUERTO» de una dirección IPv4, para mostrarla: inet_ntop(3) y ntohs(3).
std::string texto_de(const sockaddr_in& direccion) {
    char ip[INET_ADDRSTRLEN];  // cabe «255.255.255.255» con su '\0'
    if (inet_ntop(AF_INET, &direccion.sin_addr, ip, sizeof ip) == nullptr)
        sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET y este tamaño
    return std::string(ip) + ":" + std::to_string(ntohs(direccion.sin_port));
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
// TODO(etapa 08): Paso 1 de 2 · resolver y conectar. Una función documentada con ///, conectar, que
// TODO(etapa 08): recibe el HOST tal como lo escribió el usuario y el puerto, y devuelve el
// TODO(etapa 08): descriptor ya conectado:
// TODO(etapa 08):   - HOST es un nombre («localhost»), una IPv4 o una IPv6, con corchetes («[::1]»)
// TODO(etapa 08):     o sin ellos: quítale los corchetes.
// TODO(etapa 08):   - Pide a getaddrinfo() las direcciones TCP del HOST, de las dos familias (sin
// TODO(etapa 08):     AI_ADDRCONFIG), y narra la lista: «[cliente] getaddrinfo(): HOST → DIR1,
// TODO(etapa 08):     DIR2».
// TODO(etapa 08):   - Si getaddrinfo() falla, lanza una excepción con su error en español
// TODO(etapa 08):     (sockets::texto_gai()): el programa terminará con código 1.
// TODO(etapa 08):   - Prueba las direcciones en su orden: un socket de su familia (narrado como
// TODO(etapa 08):     antes) y connect(); si falla, narra el motivo, cierra ese socket y pasa a la
// TODO(etapa 08):     siguiente. Si no conecta ninguna, lanza std::system_error con el último
// TODO(etapa 08):     error.
// TODO(etapa 08):   - Con la primera que conecta, narra «[cliente] connect(): conectado a DIR desde
// TODO(etapa 08):     DIR_LOCAL» (getsockname()) y devuelve su descriptor.
// TODO(etapa 08):   - La lista se devuelve con freeaddrinfo(), pase lo que pase (también si algo
// TODO(etapa 08):     lanza).
// TODO(etapa 08): Pruebas: Nombres.ResuelveElNombreConGetaddrinfo,
// TODO(etapa 08): Nombres.PruebaLaSiguienteDireccionSiUnaFalla,
// TODO(etapa 08): Nombres.PasaDeIpv6AIpv4SiIpv6NoResponde,
// TODO(etapa 08): Nombres.CierraElSocketDeCadaIntentoFallido,
// TODO(etapa 08): Nombres.UnNombreDesconocidoTerminaConUnoYLoExplica,
// TODO(etapa 08): Nombres.ConectaAUnaIpv6ConCorchetesYSinEllos.
// TODO(etapa 08): Lee: docs/08_getaddrinfo.md, secciones «Resolver un nombre: getaddrinfo()», «Una
// TODO(etapa 08): dirección tras otra» y «Cuando el nombre no existe: gai_strerror()»; man 3
// TODO(etapa 08): getaddrinfo, man 3 gai_strerror.
// [08-conectar]

// [08-conversar]
// TODO(etapa 08): Paso 1 de 2 (continúa) · el HOST como texto. conversar() recibe el HOST tal como
// TODO(etapa 08): llegó (un std::string), no una IPv4 ya leída: quien lo entiende ahora es
// TODO(etapa 08): getaddrinfo().
/// El cliente, paso a paso: habla con el servidor `host`:`puerto` y le envía `mensaje` o, si es
/// nullptr, cada línea de la entrada estándar. Lanza std::system_error si falla una llamada.
void conversar(in_addr host, std::uint16_t puerto, const char* mensaje) {
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
    // TODO(etapa 08): Paso 1 de 2 (continúa) · el socket lo da conectar(). Sustituye la creación
    // TODO(etapa 08): del socket y el connect() de aquí por una llamada a tu conectar().
    const int conexion = socket(AF_INET, SOCK_STREAM, 0);  // IPv4 y flujo de bytes (TCP)
    sockets::comprobar("socket()", conexion);               // -1 y errno si no pudo
    std::cout << "[cliente] socket(): descriptor " << conexion << std::endl;

    sockaddr_in servidor{};             // la dirección del socket con nombre del servidor
    servidor.sin_family = AF_INET;
    servidor.sin_addr = host;           // ya en orden de red: así la dejó inet_pton()
    servidor.sin_port = htons(puerto);  // el puerto, en orden de red (big endian)
    const std::string llamada = "connect() a " + texto_de(servidor);  // para el mensaje de error
    // connect() hace el saludo de tres pasos de TCP: vuelve cuando la conexión está hecha, o con
    // -1 y ECONNREFUSED si en ese puerto no escucha nadie.
    sockets::comprobar(llamada, connect(conexion, reinterpret_cast<const sockaddr*>(&servidor),
                                        sizeof servidor));

    // El núcleo dio al socket del cliente una dirección y un puerto efímero: getsockname().
    sockaddr_in local{};
    socklen_t largo = sizeof local;
    sockets::comprobar("getsockname()",
                       getsockname(conexion, reinterpret_cast<sockaddr*>(&local), &largo));
    std::cout << "[cliente] connect(): conectado a " << texto_de(servidor) << " desde "
              << texto_de(local) << std::endl;
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
        // TODO(etapa 08): Paso 1 de 2 (continúa) · sin leer_host(). Pasa a conversar() el HOST tal
        // TODO(etapa 08): cual: leer_host() solo sabía de IPv4 y de «localhost»; getaddrinfo() sabe
        // TODO(etapa 08): de nombres y de las dos familias.
        const in_addr host = sockets::leer_host(argv[1]);             // IPv4 o localhost
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
