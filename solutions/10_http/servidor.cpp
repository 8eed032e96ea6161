/// \file
/// \brief Lección 10 · http — servidor: un servidor web (HTTP/1.0) de los ficheros de una carpeta.
///
/// El bucle de poll() de la lección 09, con otro protocolo: en vez de devolver cada byte, el
/// servidor junta la petición de cada cliente hasta la línea en blanco que cierra su cabecera
/// (`GET /index.html HTTP/1.0`), busca el fichero en la CARPETA (sin salir nunca de ella) y
/// responde con una línea de estado, unas cabeceras (Content-Type, Content-Length,
/// Connection: close) y el fichero. Después cierra su lado y espera a que el cliente cierre el
/// suyo. El protocolo es el de RFC 1945 (docs/10_http.md).
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

// [10-protocolo]
// El protocolo (docs/10_http.md), HTTP/1.0: el cliente envía una petición, una línea
// «MÉTODO RUTA VERSIÓN» y unas cabeceras «Nombre: valor», una por línea, terminadas por una
// línea en blanco; el servidor responde con una línea de estado («HTTP/1.0 200 OK»), sus
// cabeceras, una línea en blanco y el cuerpo (el fichero), y cierra la conexión: el fin de
// fichero marca el final del cuerpo. Las líneas acaban en «\r\n»; se admite también «\n» solo.
// Una conexión, una petición.
constexpr std::size_t kLineaMaxima = 4 * 1024;     // la primera línea: con más, 414
constexpr std::size_t kCabeceraMaxima = 16 * 1024;  // la cabecera entera: con más, 431

/// Dónde acaba la cabecera de `peticion`: justo tras la línea en blanco («\r\n\r\n», o «\n\n»
/// de un cliente que no manda «\r»). std::string::npos si aún no ha llegado.
std::size_t fin_de_cabecera(const std::string& peticion) {
    const std::size_t crlf = peticion.find("\r\n\r\n"), lf = peticion.find("\n\n");
    if (crlf == std::string::npos && lf == std::string::npos) return std::string::npos;
    return crlf < lf ? crlf + 4 : lf + 2;
}
// [10-protocolo]

// [10-cliente]
/// En qué punto de la conversación está un cliente.
enum class Fase {
    kPeticion,   ///< Llega su petición: se lee hasta la línea en blanco.
    kRespuesta,  ///< Se le envía la respuesta: cabeceras y fichero.
    kDespedida,  ///< Respuesta enviada y shutdown(SHUT_WR) hecho: se lee (y tira) lo que aún
                 ///< envíe hasta su fin de fichero, para cerrar sin cortar la respuesta.
};

/// Lo que el servidor recuerda de cada cliente entre una vuelta del bucle y la siguiente.
struct Cliente {
    int fd = -1;                ///< El descriptor conectado (no bloqueante).
    std::string direccion;      ///< «127.0.0.1:PUERTO» o «[::1]:PUERTO», para narrar.
    Fase fase = Fase::kPeticion;
    std::string peticion;       ///< Lo recibido de la petición, hasta la línea en blanco.
    std::string salida;         ///< Lo que falta por enviar de lo ya preparado de la respuesta.
    int fichero = -1;           ///< El fichero que se envía, mientras quede algo por leer.
    bool fin = false;           ///< El cliente cerró su lado (read() devolvió 0).
    bool error = false;         ///< Falló una llamada con él (ya explicado en stderr).
    std::size_t enviados = 0;   ///< Bytes de respuesta enviados, para narrar el cierre.
    std::size_t tirados = 0;    ///< Bytes leídos y tirados en la despedida.
};

/// En la despedida se tira como mucho esto; si el cliente sigue enviando, se le cierra.
constexpr std::size_t kMaximoDespedida = 1024 * 1024;

/// Qué esperar de `c` en el próximo poll(): POLLIN mientras llega la petición o en la despedida
/// (hasta su fin de fichero); POLLOUT mientras se le envía la respuesta.
short eventos_de(const Cliente& c) {
    if (c.fase == Fase::kRespuesta) return POLLOUT;
    return c.fin ? 0 : POLLIN;
}

/// ¿Se puede despedir ya a `c`? Si falló, si cerró sin completar la petición o, tras la
/// respuesta, cuando cierra su lado (o envía demasiado).
bool terminado(const Cliente& c) {
    if (c.error) return true;
    if (c.fase == Fase::kRespuesta) return false;
    return c.fin || c.tirados > kMaximoDespedida;
}
// [10-cliente]

// [09-no-bloqueante]
/// Pone `fd` en modo no bloqueante con fcntl(2): desde ahora read(), write() y accept() sobre él
/// nunca esperan; si no hay nada que hacer vuelven con -1 y errno EAGAIN (o EWOULDBLOCK).
/// Lanza std::system_error si fcntl() falla.
void no_bloqueante(int fd) {
    const int opciones = fcntl(fd, F_GETFL);  // las opciones que ya tiene el descriptor
    sockets::comprobar("fcntl()", opciones);
    sockets::comprobar("fcntl()", fcntl(fd, F_SETFL, opciones | O_NONBLOCK));  // y una más
}

/// ¿El errno de una llamada no bloqueante que devolvió -1 solo dice «ahora no hay nada»?
bool ahora_no(int error) { return error == EAGAIN || error == EWOULDBLOCK || error == EINTR; }
// [09-no-bloqueante]

// [10-respuesta]
/// El tipo de contenido (Content-Type) de un fichero según su extensión: así sabe el navegador si
/// es una página, una hoja de estilo o una imagen. Si no se conoce, unos bytes sin más.
std::string tipo_de(const std::string& ruta) {
    static const std::pair<const char*, const char*> kTipos[] = {
        {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"}, {".json", "application/json"},
        {".png", "image/png"},                 {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},               {".gif", "image/gif"},
        {".svg", "image/svg+xml"},             {".ico", "image/x-icon"},
    };
    const std::size_t punto = ruta.rfind('.');
    if (punto != std::string::npos && ruta.find('/', punto) == std::string::npos) {
        std::string extension = ruta.substr(punto);
        for (char& ch : extension)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        for (const auto& [sufijo, tipo] : kTipos)
            if (extension == sufijo) return tipo;
    }
    return "application/octet-stream";
}

/// Prepara en c.salida la línea de estado y las cabeceras de la respuesta (y pasa a enviarla):
/// «HTTP/1.0 200 OK», su tipo, su longitud en bytes y que la conexión se cerrará.
/// Narra la petición y su estado: «[servidor] 127.0.0.1:5000: «GET / HTTP/1.0» → 200 OK».
void cabeceras(Cliente& c, const std::string& estado, const std::string& tipo,
               std::size_t longitud, const std::string& extra = "") {
    std::string linea =
        c.peticion.substr(0, std::min<std::size_t>(c.peticion.find_first_of("\r\n"), 80));
    for (char& ch : linea)  // la petición la escribe el cliente: nada de caracteres de control
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
    std::cout << "[servidor] " << c.direccion << ": «" << linea << "» → " << estado << std::endl;
    c.salida = "HTTP/1.0 " + estado + "\r\n" +
               "Content-Type: " + tipo + "\r\n" +
               "Content-Length: " + std::to_string(longitud) + "\r\n" +
               extra +
               "Connection: close\r\n" +
               "\r\n";  // la línea en blanco: aquí acaban las cabeceras
    c.fase = Fase::kRespuesta;
}

/// Una respuesta de error: el estado («404 Not Found») y una página corta que lo explica en
/// español. Con HEAD, solo las cabeceras.
void error_http(Cliente& c, bool con_cuerpo, const std::string& estado,
                const std::string& explicacion, const std::string& extra = "") {
    const std::string pagina = "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
                               "<title>" + estado + "</title></head>\n<body><h1>" + estado +
                               "</h1><p>" + explicacion + "</p></body></html>\n";
    cabeceras(c, estado, "text/html; charset=utf-8", pagina.size(), extra);
    if (con_cuerpo) c.salida += pagina;
}
// [10-respuesta]

// [10-ruta]
/// La ruta de la petición («/css/estilo.css», «/mi%20foto.png») como ruta relativa dentro de la
/// carpeta («css/estilo.css», «mi foto.png»): sin la consulta («?…»), con los «%XX» traducidos a
/// sus bytes y «index.html» si acaba en «/». nullopt si no vale: no empieza por «/», un «%» sin
/// dos cifras hexadecimales, un byte 0 o un tramo «..» (que subiría por encima de la carpeta;
/// también escrito «%2e%2e»).
std::optional<std::string> ruta_segura(const std::string& uri) {
    if (uri.empty() || uri[0] != '/') return std::nullopt;  // ni «http://…» ni rutas relativas
    const std::string camino = uri.substr(0, uri.find_first_of("?#"));
    std::string decodificada;
    for (std::size_t i = 0; i < camino.size(); ++i) {
        if (camino[i] != '%') {
            decodificada += camino[i];
            continue;
        }
        if (i + 2 >= camino.size() || !std::isxdigit(static_cast<unsigned char>(camino[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(camino[i + 2])))
            return std::nullopt;
        decodificada += static_cast<char>(std::stoi(camino.substr(i + 1, 2), nullptr, 16));
        i += 2;
    }
    // Tramo a tramo, después de decodificar: «..» no pasa, «.» y los vacíos («//») no cuentan.
    std::string relativa;
    std::istringstream tramos(decodificada);
    for (std::string tramo; std::getline(tramos, tramo, '/');) {
        if (tramo == ".." || tramo.find('\0') != std::string::npos) return std::nullopt;
        if (tramo.empty() || tramo == ".") continue;
        relativa += (relativa.empty() ? "" : "/") + tramo;
    }
    if (decodificada.back() == '/')
        relativa += (relativa.empty() ? "" : "/") + std::string("index.html");
    return relativa;
}
// [10-ruta]

// [10-responder]
/// Responde a la petición que ya está en c.peticion (o que no cabe): interpreta la primera línea,
/// busca el fichero en `carpeta` (su ruta real, sin enlaces) y prepara la respuesta en c.salida
/// (y c.fichero). Un error del cliente es una respuesta (400, 404…), no una excepción. Lanza
/// std::system_error si falla una llamada al sistema de otro modo.
void responder(Cliente& c, const std::string& carpeta) {
    const std::string linea = c.peticion.substr(0, c.peticion.find('\n'));
    if (linea.size() > kLineaMaxima)
        return error_http(c, true, "414 URI Too Long",
                          "La primera línea de la petición es demasiado larga.");
    if (std::min(fin_de_cabecera(c.peticion), c.peticion.size()) > kCabeceraMaxima)
        return error_http(c, true, "431 Request Header Fields Too Large",
                          "La cabecera de la petición es demasiado larga.");
    // «MÉTODO RUTA VERSIÓN», separados por espacios (y «\r» al final, si lo trae).
    std::istringstream partes(linea);
    std::string metodo, uri, version, sobra;
    partes >> metodo >> uri >> version;
    const bool con_cuerpo = metodo != "HEAD";  // HEAD: las mismas cabeceras, sin cuerpo
    if (version.compare(0, 5, "HTTP/") != 0 || partes >> sobra)
        return error_http(c, true, "400 Bad Request",
                          "La petición no tiene la forma «MÉTODO RUTA HTTP/1.0».");
    if (metodo != "GET" && metodo != "HEAD")
        return error_http(c, con_cuerpo, "405 Method Not Allowed",
                          "Este servidor solo sirve ficheros: GET y HEAD.", "Allow: GET, HEAD\r\n");
    const auto relativa = ruta_segura(uri);
    if (!relativa)
        return error_http(c, con_cuerpo, "400 Bad Request",
                          "Esa ruta no vale: tiene que empezar por «/» y no puede subir con «..».");
    // realpath(3) sigue los enlaces simbólicos hasta la ruta real, que tiene que seguir dentro de
    // la carpeta: un enlace puede apuntar fuera de ella.
    char real[PATH_MAX];
    const std::string pedida = carpeta + "/" + *relativa;
    if (realpath(pedida.c_str(), real) == nullptr)  // no existe (o no se puede llegar a él)
        return error_http(c, con_cuerpo, "404 Not Found", "No existe ningún fichero con esa ruta.");
    if (std::string(real).compare(0, carpeta.size() + 1, carpeta + "/") != 0)
        return error_http(c, con_cuerpo, "403 Forbidden",
                          "Ese fichero está fuera de la carpeta que se sirve.");
    const int fichero = open(real, O_RDONLY);
    if (fichero == -1 && errno == EACCES)
        return error_http(c, con_cuerpo, "403 Forbidden", "No se puede leer ese fichero.");
    sockets::comprobar("open()", fichero);
    struct stat datos {};
    if (fstat(fichero, &datos) == -1 || !S_ISREG(datos.st_mode)) {  // una carpeta…: no se sirve
        sockets::comprobar("close()", close(fichero));
        return error_http(c, con_cuerpo, "404 Not Found",
                          "Eso no es un fichero (¿una carpeta? pide su «/»).");
    }
    cabeceras(c, "200 OK", tipo_de(real), static_cast<std::size_t>(datos.st_size));
    if (con_cuerpo)
        c.fichero = fichero;  // se leerá a trozos según se envía
    else
        sockets::comprobar("close()", close(fichero));
}
// [10-responder]

// [10-leer]
/// Un read(2), uno solo, de lo que haya enviado `c` (poll() avisó de que hay algo). Mientras llega
/// la petición, se junta hasta la línea en blanco que cierra la cabecera (puede llegar a trozos,
/// o con un cuerpo detrás, que no se usa) y entonces se responde; en la despedida, lo que llegue
/// se tira. read() devuelve 0 en el fin de fichero (c.fin). Lanza std::system_error si read()
/// falla (ECONNRESET...).
void leer(Cliente& c, const std::string& carpeta) {
    char bufer[16 * 1024];
    const ssize_t leidos = read(c.fd, bufer, sizeof bufer);
    if (leidos == -1 && ahora_no(errno)) return;  // falsa alarma: en otra vuelta
    sockets::comprobar("read()", leidos);
    if (leidos == 0) c.fin = true;  // fin de fichero: el cliente ya no enviará más
    if (c.fase == Fase::kDespedida) c.tirados += static_cast<std::size_t>(leidos);
    if (c.fase != Fase::kPeticion) return;
    c.peticion.append(bufer, static_cast<std::size_t>(leidos));
    // Se responde con la cabecera entera, con más de lo que cabe o si el cliente ya cerró.
    const bool completa = fin_de_cabecera(c.peticion) != std::string::npos;
    const bool demasiado = std::min(c.peticion.find('\n'), c.peticion.size()) > kLineaMaxima ||
                           c.peticion.size() > kCabeceraMaxima;
    if (completa || demasiado || (c.fin && !c.peticion.empty())) responder(c, carpeta);
}
// [10-leer]

// [10-escribir]
/// Un write(2), uno solo, de la respuesta de `c`; si lo preparado ya se envió, antes se lee el
/// siguiente trozo del fichero. Puede escribir solo una parte o nada (EAGAIN); lo que falte, en
/// otra vuelta. Con todo enviado, shutdown(SHUT_WR): el cliente ve el fin de fichero, que en
/// HTTP/1.0 marca el final del cuerpo. Lanza std::system_error si falla una llamada (EPIPE…).
void escribir(Cliente& c) {
    if (c.salida.empty() && c.fichero != -1) {
        char bufer[64 * 1024];
        const ssize_t leidos = read(c.fichero, bufer, sizeof bufer);
        sockets::comprobar("read()", leidos);
        c.salida.assign(bufer, static_cast<std::size_t>(leidos));
        if (leidos == 0) {  // el fichero ya se envió entero
            sockets::comprobar("close()", close(c.fichero));
            c.fichero = -1;
        }
    }
    if (!c.salida.empty()) {
        const ssize_t escritos = write(c.fd, c.salida.data(), c.salida.size());
        if (escritos == -1 && ahora_no(errno)) return;  // nada escrito: en otra vuelta
        sockets::comprobar("write()", escritos);
        c.salida.erase(0, static_cast<std::size_t>(escritos));
        c.enviados += static_cast<std::size_t>(escritos);
    }
    if (c.salida.empty() && c.fichero == -1) {  // respuesta enviada: solo queda despedirse
        sockets::comprobar("shutdown()", shutdown(c.fd, SHUT_WR));
        c.fase = Fase::kDespedida;
    }
}
// [10-escribir]

// [09-aceptar]
/// Acepta a todos los clientes que esperan en la cola de `escucha` (no bloqueante: accept()
/// devuelve -1 y EAGAIN cuando no queda ninguno), cada uno con su socket no bloqueante.
/// Devuelve false si se quedó sin descriptores (EMFILE o ENFILE): entonces el cliente sigue en la
/// cola, y hasta que se vaya otro no tiene sentido volver a intentarlo. Lanza std::system_error
/// si accept() falla por otro motivo.
bool aceptar_clientes(int escucha, std::vector<Cliente>& clientes) {
    for (;;) {
        sockaddr_storage direccion{};  // cabe una dirección de cualquier familia
        socklen_t largo = sizeof direccion;  // entrada: tamaño del hueco; salida: lo usado
        const int conexion = accept(escucha, reinterpret_cast<sockaddr*>(&direccion), &largo);
        if (conexion == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;  // ninguno
        if (conexion == -1 && (errno == EINTR || errno == ECONNABORTED)) continue;  // el siguiente
        if (conexion == -1 && (errno == EMFILE || errno == ENFILE)) {
            std::cerr << "[servidor] aviso: accept(): " << sockets::texto_errno(errno)
                      << "; no acepto a nadie más hasta que se vaya un cliente" << std::endl;
            return false;
        }
        sockets::comprobar("accept()", conexion);
        Cliente c;
        c.fd = conexion;
        c.direccion = texto_de(reinterpret_cast<const sockaddr*>(&direccion));
        std::cout << "[servidor] accept(): cliente " << c.direccion << " en el descriptor "
                  << conexion << std::endl;
        clientes.push_back(std::move(c));
        no_bloqueante(conexion);  // como la escucha: ninguna llamada con él esperará
    }
}
// [09-aceptar]

// [05-sigpipe]
/// Ignora la señal SIGPIPE en todo el proceso, con sigaction(2): escribir a un cliente que ya
/// cerró pasa a ser un error (EPIPE) que se explica. Lanza std::system_error si sigaction() falla.
void ignorar_sigpipe() {
    // Si el otro extremo ya cerró, el primer write() funciona y él responde con un RST; el
    // siguiente provoca SIGPIPE (no si el otro solo hizo shutdown(SHUT_WR)), que por defecto
    // mata al proceso sin decir nada. Ignorada, write() devuelve -1 con EPIPE y lo explicamos.
    struct sigaction ignorar {};
    ignorar.sa_handler = SIG_IGN;
    sigemptyset(&ignorar.sa_mask);
    sockets::comprobar("sigaction()", sigaction(SIGPIPE, &ignorar, nullptr));
}
// [05-sigpipe]

// [08-socket]
/// Crea el socket de escucha y devuelve su descriptor: IPv6 o, si el sistema no tiene IPv6, IPv4
/// (y entonces pone `solo_ipv4` a true). Lanza std::system_error si socket() falla.
int crear_escucha(bool& solo_ipv4) {
    // Un solo socket para las dos familias: IPv6. Si este sistema no tiene IPv6 (un núcleo sin
    // él da EAFNOSUPPORT), el servidor se queda con IPv4, como hasta la lección 07.
    solo_ipv4 = false;
    int escucha = socket(AF_INET6, SOCK_STREAM, 0);  // IPv6 y flujo de bytes (TCP)
    if (escucha == -1 && errno == EAFNOSUPPORT) {
        solo_ipv4 = true;
        escucha = socket(AF_INET, SOCK_STREAM, 0);  // IPv4, como en la lección 01
    }
    sockets::comprobar("socket()", escucha);  // -1 y errno si no pudo
    std::cout << "[servidor] socket(): descriptor " << escucha
              << (solo_ipv4 ? " (solo IPv4: este sistema no tiene IPv6)" : " (IPv6 e IPv4)")
              << std::endl;
    return escucha;
}
// [08-socket]

// [08-bind]
/// Enlaza `escucha` a `puerto` en cualquier dirección de su familia (IPv6, con IPV6_V6ONLY a 0 para
/// aceptar también IPv4; o IPv4 si `solo_ipv4`) y devuelve el puerto real (con 0, el que eligió el
/// núcleo). Lanza std::system_error si falla setsockopt(), bind() o getsockname().
std::uint16_t enlazar(int escucha, std::uint16_t puerto, bool solo_ipv4) {
    // SO_REUSEADDR: al reiniciar el servidor, su puerto puede seguir ocupado por conexiones
    // viejas en TIME_WAIT (las guarda el extremo que cerró primero, 60 s en Linux, por si llegan
    // segmentos rezagados). Sin esta opción bind() fallaría con EADDRINUSE hasta que caduquen.
    const int si = 1;
    sockets::comprobar("setsockopt()",
                       setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si));

    // sockaddr_storage tiene sitio para una dirección de cualquier familia: aquí se rellena como
    // sockaddr_in6 («::», cualquier dirección IPv6) o, sin IPv6, como sockaddr_in (INADDR_ANY).
    sockaddr_storage direccion{};
    socklen_t largo = 0;
    if (solo_ipv4) {
        auto& d4 = reinterpret_cast<sockaddr_in&>(direccion);
        d4.sin_family = AF_INET;
        d4.sin_addr.s_addr = htonl(INADDR_ANY);  // cualquier interfaz de esta máquina
        d4.sin_port = htons(puerto);             // el puerto, en orden de red (big endian)
        largo = sizeof d4;
    } else {
        // IPV6_V6ONLY a 0: el socket IPv6 acepta también clientes IPv4 (doble pila). Su valor
        // por omisión depende del sistema (en Linux, de /proc/sys/net/ipv6/bindv6only; en otros
        // es 1): se fija siempre, antes de bind().
        const int no = 0;
        sockets::comprobar("setsockopt()",
                           setsockopt(escucha, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no));
        auto& d6 = reinterpret_cast<sockaddr_in6&>(direccion);
        d6.sin6_family = AF_INET6;
        d6.sin6_addr = in6addr_any;  // «::», cualquier dirección (y con ella, cualquier IPv4)
        d6.sin6_port = htons(puerto);
        largo = sizeof d6;
    }
    // bind() acepta cualquier familia con el tipo genérico sockaddr: de ahí la conversión (cast).
    sockets::comprobar("bind()",
                       bind(escucha, reinterpret_cast<const sockaddr*>(&direccion), largo));

    // Con PUERTO 0 el núcleo eligió un puerto libre: getsockname() dice cuál es el real.
    largo = sizeof direccion;
    sockets::comprobar("getsockname()",
                       getsockname(escucha, reinterpret_cast<sockaddr*>(&direccion), &largo));
    const std::uint16_t puerto_real =
        ntohs(solo_ipv4 ? reinterpret_cast<const sockaddr_in&>(direccion).sin_port
                        : reinterpret_cast<const sockaddr_in6&>(direccion).sin6_port);
    std::cout << "[servidor] bind(): socket enlazado al puerto " << puerto_real << std::endl;
    return puerto_real;
}
// [08-bind]

// [07-cola]
/// Agranda a SOMAXCONN la cola de conexiones de `escucha`, que ya escucha (listen(2) de nuevo), y
/// lo narra. Lanza std::system_error si listen() falla.
void ampliar_cola(int escucha) {
    // Cuando llegan muchos clientes a la vez, la cola de 5 de la lección 03 se
    // llena: el núcleo descarta el saludo de quien no cabe y su connect() lo repite 1 s después.
    // listen() sobre un socket que ya escucha solo cambia el tamaño de su cola; SOMAXCONN es el
    // máximo que admite la llamada (el núcleo aún lo recorta a net.core.somaxconn). Se narra: la
    // línea de listen() decía «cola de 5» (docs/07_fork.md, «Cuánto cuesta un fork por conexión»).
    sockets::comprobar("listen()", listen(escucha, SOMAXCONN));
    std::cout << "[servidor] listen(): cola ampliada a " << SOMAXCONN << " (SOMAXCONN)"
              << std::endl;
}
// [07-cola]

// [10-bucle]
/// El bucle de poll(2) de la lección 09, ahora sirviendo los ficheros de `carpeta`: en cada vuelta
/// espera a que pase algo y atiende solo eso, sin esperar a nadie. No vuelve nunca; lanza
/// std::system_error si poll() o close() fallan.
void atender_con_poll(int escucha, const std::string& carpeta) {
    no_bloqueante(escucha);  // accept() solo se llama cuando poll() dice que hay alguien
    std::vector<Cliente> clientes;
    std::vector<pollfd> vigilados;  // lo que mira poll(): la escucha y un socket por cliente
    bool aceptar = true;            // false mientras no quedan descriptores libres (EMFILE)
    for (;;) {  // una vuelta: esperar a que pase algo y atender lo que pasó, sin esperar a nadie
        vigilados.clear();
        vigilados.push_back({escucha, static_cast<short>(aceptar ? POLLIN : 0), 0});
        for (const Cliente& c : clientes) vigilados.push_back({c.fd, eventos_de(c), 0});
        // poll() duerme hasta que alguno de los vigilados esté listo; -1: sin plazo. En cada
        // pollfd deja en revents lo que pasó (POLLIN, POLLOUT, y POLLHUP o POLLERR si se cortó).
        const int listos = poll(vigilados.data(), vigilados.size(), -1);
        if (listos == -1 && errno == EINTR) continue;  // una señal: otra vuelta
        sockets::comprobar("poll()", listos);

        // Cada cliente con algo: como mucho un read() y un write() por vuelta, así ninguno deja
        // sin turno a los demás. Un error con uno (se fue, cortó) solo lo despide a él.
        for (std::size_t i = 0; i < clientes.size(); ++i) {
            Cliente& c = clientes[i];
            const short pasa = vigilados[i + 1].revents;
            if (pasa == 0) continue;
            try {
                if ((pasa & (POLLIN | POLLHUP | POLLERR)) != 0 && (eventos_de(c) & POLLIN) != 0)
                    leer(c, carpeta);
                if (c.fase == Fase::kRespuesta) escribir(c);  // sin esperar a otra vuelta
            } catch (const std::exception& e) {
                std::cerr << "[servidor] error: " << e.what() << " (cliente " << c.direccion << ")"
                          << std::endl;
                c.error = true;
            }
        }

        // Despedir a los que terminaron: close() y fuera de la lista.
        for (auto c = clientes.begin(); c != clientes.end();) {
            if (!terminado(*c)) {
                ++c;
                continue;
            }
            if (c->fichero != -1) sockets::comprobar("close()", close(c->fichero));
            sockets::comprobar("close()", close(c->fd));
            std::cout << "[servidor] close(): conexión con " << c->direccion << " cerrada ("
                      << c->enviados
                      << (c->enviados == 1 ? " byte de respuesta)" : " bytes de respuesta)")
                      << std::endl;
            c = clientes.erase(c);
            aceptar = true;  // queda un descriptor libre
        }

        // Clientes nuevos en la cola de la escucha.
        if ((vigilados[0].revents & POLLIN) != 0) aceptar = aceptar_clientes(escucha, clientes);
    }
}
// [10-bucle]

// [10-servir]
/// El servidor, paso a paso: cada lección le añade una etapa. Sirve los ficheros de `carpeta`
/// (una ruta real, sin enlaces). Lanza std::system_error si falla una llamada al sistema.
void servir(std::uint16_t puerto, const std::string& carpeta) {
    // [10-servir]
    // [05-sigpipe-llamada]
    ignorar_sigpipe();  // lo primero: desde aquí, escribir a quien ya cerró es un error EPIPE
    // [05-sigpipe-llamada]

    // [08-escucha-llamada]
    bool solo_ipv4 = false;  // sin IPv6, crear_escucha() lo pone a true y todo sigue en IPv4
    const int escucha = crear_escucha(solo_ipv4);
    const std::uint16_t puerto_real = enlazar(escucha, puerto, solo_ipv4);
    // [08-escucha-llamada]

    // [03-listen]
    // listen() vuelve pasivo al socket: desde ahora el núcleo completa por su cuenta el saludo de
    // TCP con cada cliente que llegue y guarda la conexión en la cola hasta que la pidamos.
    constexpr int kCola = 5;  // cuántas conexiones completas pueden esperar en la cola
    sockets::comprobar("listen()", listen(escucha, kCola));
    std::cout << "[servidor] listen(): escuchando en el puerto " << puerto_real << " (cola de "
              << kCola << ")" << std::endl;
    // [03-listen]

    // [09-limite]
    // Un proceso para todos los clientes: un descriptor por cliente, todos en este proceso. El
    // límite blando de descriptores abiertos (ulimit -n: 1024 en muchos sistemas) se sube hasta
    // el duro (el que puede subir un usuario sin privilegios), con un tope razonable.
    constexpr rlim_t kDescriptores = 65536;
    rlimit limite{};
    sockets::comprobar("getrlimit()", getrlimit(RLIMIT_NOFILE, &limite));
    if (limite.rlim_cur < std::min(limite.rlim_max, kDescriptores)) {
        limite.rlim_cur = std::min(limite.rlim_max, kDescriptores);
        sockets::comprobar("setrlimit()", setrlimit(RLIMIT_NOFILE, &limite));
    }
    std::cout << "[servidor] setrlimit(): hasta " << limite.rlim_cur
              << " descriptores abiertos, uno por cliente" << std::endl;
    // [09-limite]

    // [07-cola-llamada]
    ampliar_cola(escucha);  // antes de aceptar: llegarán muchos clientes a la vez
    // [07-cola-llamada]

    // [10-bucle-llamada]
    atender_con_poll(escucha, carpeta);  // no vuelve: hasta que maten al servidor
    // [10-bucle-llamada]
}

}  // namespace

// [10-main]
/// Punto de entrada: `servidor PUERTO [CARPETA]` (CARPETA, por omisión la actual: la que se
/// sirve). Devuelve 0 si todo fue bien, 1 si falló una llamada al sistema y 2 si los argumentos
/// no son válidos.
int main(int argc, char* argv[]) {
    try {
        if (argc < 2) throw sockets::ErrorDeUso("falta el PUERTO");
        if (argc > 3) throw sockets::ErrorDeUso("sobran argumentos");
        const std::uint16_t puerto = sockets::leer_puerto(argv[1]);  // 0: lo elige el núcleo
        const std::string pedida = argc == 3 ? argv[2] : ".";
        // Su ruta real (absoluta y sin enlaces): con ella se comprueba que lo pedido está dentro.
        char real[PATH_MAX];
        struct stat datos {};
        if (realpath(pedida.c_str(), real) == nullptr || stat(real, &datos) == -1)
            throw sockets::ErrorDeUso("carpeta no válida «" + pedida + "»: " +
                                      sockets::texto_errno(errno));
        if (!S_ISDIR(datos.st_mode))
            throw sockets::ErrorDeUso("«" + pedida + "» no es una carpeta");
        // Si la carpeta es «/», se pasa vacía: así «carpeta + "/"» no es «//».
        servir(puerto, std::string(real) == "/" ? "" : real);
        return EXIT_SUCCESS;
    } catch (const sockets::ErrorDeUso& e) {
        return sockets::uso("servidor", "PUERTO [CARPETA]", e);  // código 2
        // [10-main]
    } catch (const std::exception& e) {
        std::cerr << "[servidor] error: " << e.what() << std::endl;
        return EXIT_FAILURE;
    }
}
