/// \file etapa10_http.cpp
/// \brief Etapa 10 · un servidor web (HTTP/1.0): `servidor PUERTO CARPETA` sirve los ficheros de
///        la carpeta a GET y HEAD, con su línea de estado, Content-Type, Content-Length y
///        Connection: close; responde 400, 403, 404, 405, 414 y 431 a lo que no puede servir; no
///        sale nunca de la carpeta; junta peticiones que llegan a trozos; cierra sin cortar la
///        respuesta aunque la petición traiga un cuerpo; y sigue atendiendo a todos desde un solo
///        proceso (el bucle de la lección 09).
///
/// Las pruebas hablan HTTP por un socket (la petición exacta, la respuesta byte a byte) y con
/// curl. La del navegador está en completo10_navegador.cpp (nivel completo).
#include "arnes/arnes.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

namespace {

using arnes::Conexion;
using arnes::Llamada;
using arnes::Ms;
using arnes::Opciones;
using arnes::visible;
namespace fs = std::filesystem;

const arnes::Lectura kLeerPeticion{arnes::secciones::l10_peticion, "RFC 1945, sección 5"};
const arnes::Lectura kLeerRespuesta{arnes::secciones::l10_respuesta, "RFC 1945, sección 6"};
const arnes::Lectura kLeerTipos{arnes::secciones::l10_tipos, "RFC 1945, sección 10.5"};
const arnes::Lectura kLeerRutas{arnes::secciones::l10_rutas, "man 3 realpath"};
const arnes::Lectura kLeerErrores{arnes::secciones::l10_errores, "RFC 1945, sección 9"};
const arnes::Lectura kLeerCierre{arnes::secciones::l10_cierre, "man 2 shutdown, RFC 1945, sección 7.2.2"};

/// Una respuesta HTTP tal como llegó, y partida: estado, cabeceras y cuerpo.
struct Respuesta {
    std::string cruda;                            ///< todos los bytes recibidos
    std::string estado;                           ///< «HTTP/1.0 200 OK»
    std::map<std::string, std::string> cabeceras; ///< nombre en minúsculas → valor
    std::string cuerpo;                           ///< lo que sigue a la línea en blanco
    bool bien_formada = false;                    ///< tenía línea en blanco tras las cabeceras
    arnes::Cierre cierre = arnes::Cierre::kNinguno;

    std::string cabecera(const std::string& nombre) const {
        auto i = cabeceras.find(nombre);
        return i == cabeceras.end() ? "" : i->second;
    }
    /// «HTTP/1.0 404 Not Found» → 404 (0 si no se entiende).
    int codigo() const {
        std::smatch m;
        static const std::regex patron(R"(^HTTP/\d\.\d (\d{3}))");
        return std::regex_search(estado, m, patron) ? std::stoi(m[1]) : 0;
    }
    /// Para los informes: el estado, las cabeceras y el principio del cuerpo.
    std::string texto() const {
        if (cruda.empty()) return "(no llegó nada)";
        const std::size_t fin = cruda.find("\r\n\r\n");
        return visible(cruda.substr(0, fin == std::string::npos ? 300 : fin + 4), 300) +
               (cuerpo.empty() ? "" : "\n  cuerpo: " + arnes::cuenta(cuerpo.size(), "byte", "bytes") +
                                          ", empieza por " + visible(cuerpo, 40));
    }
};

/// Parte los bytes de una respuesta.
Respuesta partir(std::string cruda, arnes::Cierre cierre) {
    Respuesta r;
    r.cruda = std::move(cruda);
    r.cierre = cierre;
    const std::size_t fin = r.cruda.find("\r\n\r\n");
    if (fin == std::string::npos) return r;
    r.bien_formada = true;
    r.cuerpo = r.cruda.substr(fin + 4);
    std::istringstream lineas(r.cruda.substr(0, fin));
    std::getline(lineas, r.estado);
    if (!r.estado.empty() && r.estado.back() == '\r') r.estado.pop_back();
    for (std::string l; std::getline(lineas, l);) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
        const std::size_t dos_puntos = l.find(':');
        if (dos_puntos == std::string::npos) continue;
        std::string nombre = l.substr(0, dos_puntos);
        for (char& c : nombre) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.cabeceras[nombre] = l.substr(l.find_first_not_of(' ', dos_puntos + 1) == std::string::npos
                                           ? l.size()
                                           : l.find_first_not_of(' ', dos_puntos + 1));
    }
    return r;
}

/// Bytes de prueba con todos los valores de 0 a 255 (un fichero binario).
std::string binario(std::size_t n) {
    std::string r(n, '\0');
    for (std::size_t i = 0; i < n; ++i) r[i] = static_cast<char>((i * 131 + i / 256) % 256);
    return r;
}

/// El servidor web con una carpeta de prueba.
class Http : public arnes::PruebaDeEtapa {
protected:
    Http() : PruebaDeEtapa(arnes::etapas::k10) {
        char plantilla[] = "/tmp/sockets-web-XXXXXX";
        fuera_ = mkdtemp(plantilla) != nullptr ? plantilla : "";
        carpeta_ = fuera_ + "/sitio";
        fs::create_directories(carpeta_ + "/css");
        fs::create_directories(carpeta_ + "/sub");
        escribir("index.html", "<!DOCTYPE html>\n<title>Hola</title><h1>Hola</h1>\n");
        escribir("css/estilo.css", "h1 { color: rgb(1, 2, 3); }\n");
        escribir("texto.txt", "hola, HTTP\n");
        escribir("datos.bin", binario(300 * 1024));
        escribir("raro.xyz", "¿qué será?\n");
        escribir("sub/index.html", "<p>sub</p>\n");
        std::ofstream(fuera_ + "/secreto.txt") << "SECRETO fuera de la carpeta\n";
        std::error_code e;
        fs::create_symlink(fuera_ + "/secreto.txt", carpeta_ + "/enlace.txt", e);
    }
    ~Http() override {
        srv_.reset();  // el servidor, antes de borrar su carpeta
        std::error_code e;
        if (!fuera_.empty()) fs::remove_all(fuera_, e);
    }

    void escribir(const std::string& ruta, const std::string& contenido) {
        std::ofstream(carpeta_ + "/" + ruta, std::ios::binary) << contenido;
    }

    /// Lanza «servidor 0 CARPETA» y devuelve su puerto (0, con informe, si no llegó a escuchar).
    int arrancar_web(Opciones o = {}) {
        srv_ = servidor({"0", carpeta_}, std::move(o));
        auto puerto = srv_->esperar_escucha();
        if (!puerto) {
            ADD_FAILURE() << informe({srv_->orden(), "la línea «[servidor] listen(): escuchando en el puerto N»",
                                      srv_->resumen(),
                                      "el servidor recibe ahora PUERTO y CARPETA: que acepte los dos",
                                      arnes::secciones::l10_partida});
            return 0;
        }
        return *puerto;
    }

    /// Envía `peticion` tal cual y recibe la respuesta hasta que el servidor cierra.
    Respuesta pedir(int puerto, const std::string& peticion, const std::string& ip = "127.0.0.1") {
        Conexion c = Conexion::conectar(ip, puerto);
        if (!c.valida()) return {};
        c.enviar(peticion);
        arnes::Cierre como = arnes::Cierre::kNinguno;
        std::string r = c.recibir_todo(arnes::kPlazo, &como);
        return partir(std::move(r), como);
    }

    /// Comprueba que `r` es un 200 con ese tipo y ese cuerpo, con Content-Length exacto y
    /// Connection: close.
    void es_el_fichero(const Respuesta& r, const std::string& peticion, const std::string& tipo,
                       const std::string& cuerpo) {
        const std::string entrada = srv_->orden() + "\npetición: " + visible(peticion, 120);
        EXPECT_TRUE(r.codigo() == 200 && r.estado.rfind("HTTP/1.", 0) == 0) << informe(
            {entrada, "«HTTP/1.0 200 OK»", r.texto() + "\n" + srv_->resumen(),
             r.cruda.empty() ? "lee la petición hasta la línea en blanco y responde: primero la "
                               "línea de estado, «HTTP/1.0 200 OK\\r\\n»"
                             : "la primera línea de la respuesta es «HTTP/1.0 200 OK»",
             kLeerRespuesta});
        if (r.codigo() != 200) return;
        EXPECT_EQ(r.cabecera("content-type"), tipo) << informe(
            {entrada, "«Content-Type: " + tipo + "»", r.texto(),
             "el tipo sale de la extensión del fichero", kLeerTipos});
        EXPECT_EQ(r.cabecera("content-length"), std::to_string(cuerpo.size())) << informe(
            {entrada, "«Content-Length: " + std::to_string(cuerpo.size()) + "»: el tamaño del fichero",
             r.texto(), "Content-Length es el tamaño del cuerpo en bytes (fstat()), sin las cabeceras",
             kLeerRespuesta});
        EXPECT_EQ(r.cabecera("connection"), "close") << informe(
            {entrada, "«Connection: close»", r.texto(),
             "HTTP/1.0: una petición por conexión; dilo con «Connection: close»", kLeerRespuesta});
        EXPECT_TRUE(r.cuerpo == cuerpo && r.cierre == arnes::Cierre::kOrdenado) << informe(
            {entrada, "el fichero (" + arnes::cuenta(cuerpo.size(), "byte", "bytes") +
                          ") tras la línea en blanco, y después el fin de fichero",
             r.texto() + (r.cierre == arnes::Cierre::kOrdenado ? "" : "\n(y la conexión no acabó con un fin de fichero)"),
             "tras las cabeceras, una línea en blanco y el fichero entero; después, shutdown(SHUT_WR) "
             "o close(): en HTTP/1.0 el fin de fichero marca el final",
             kLeerRespuesta});
    }

    /// Comprueba que `r` rechaza la petición (400, 403 o 404) sin llevar nada de lo que hay fuera
    /// de la carpeta; si lo lleva, anota el síntoma «sale_de_la_carpeta».
    void rechazada(const Respuesta& r, const std::string& peticion, const std::string& pista) {
        const bool filtra = r.cruda.find("SECRETO") != std::string::npos;
        if (filtra) arnes::sintoma("sale_de_la_carpeta");
        const int c = r.codigo();
        EXPECT_TRUE((c == 400 || c == 403 || c == 404) && !filtra) << informe(
            {srv_->orden() + "\npetición: " + visible(peticion, 120),
             "una negativa («400 Bad Request», «403 Forbidden» o «404 Not Found»), sin nada de lo que "
             "hay fuera de la carpeta",
             r.texto() + "\n" + srv_->resumen(), pista, kLeerRutas});
    }

    /// Comprueba que `r` tiene el código `codigo` y no lleva nada de `prohibido`.
    void es_el_error(const Respuesta& r, const std::string& peticion, int codigo, const std::string& pista,
                     const arnes::Lectura& leer, const std::string& prohibido = "SECRETO") {
        const bool filtra = !prohibido.empty() && r.cruda.find(prohibido) != std::string::npos;
        EXPECT_TRUE(r.codigo() == codigo && !filtra) << informe(
            {srv_->orden() + "\npetición: " + visible(peticion, 120),
             "«HTTP/1.0 " + std::to_string(codigo) + " …»" + (prohibido.empty() ? "" : ", sin nada de lo que hay fuera de la carpeta"),
             r.texto() + "\n" + srv_->resumen(), pista, leer});
    }

    std::string fuera_;    ///< carpeta temporal de la prueba
    std::string carpeta_;  ///< la que sirve el servidor: fuera_/sitio
};

// GET de un fichero de texto: «HTTP/1.0 200 OK», Content-Type, Content-Length exacto,
// Connection: close, el fichero tal cual y el fin de fichero.
TEST_F(Http, SirveUnFicheroConSusCabeceras) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::string peticion = "GET /texto.txt HTTP/1.0\r\n\r\n";
    es_el_fichero(pedir(puerto, peticion), peticion, "text/plain; charset=utf-8", "hola, HTTP\n");
}

// «GET /» sirve index.html, y «GET /sub/» el index.html de la subcarpeta.
TEST_F(Http, LaRaizSirveIndexHtml) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::string raiz = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
    es_el_fichero(pedir(puerto, raiz), raiz, "text/html; charset=utf-8",
                  "<!DOCTYPE html>\n<title>Hola</title><h1>Hola</h1>\n");
    const std::string sub = "GET /sub/ HTTP/1.0\r\n\r\n";
    es_el_fichero(pedir(puerto, sub), sub, "text/html; charset=utf-8", "<p>sub</p>\n");
}

// El tipo de cada fichero sale de su extensión; uno desconocido es application/octet-stream.
TEST_F(Http, ContentTypeSegunLaExtension) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::pair<std::string, std::string> casos[] = {
        {"/index.html", "text/html; charset=utf-8"}, {"/css/estilo.css", "text/css; charset=utf-8"},
        {"/raro.xyz", "application/octet-stream"}};
    for (const auto& [ruta, tipo] : casos) {
        const std::string peticion = "GET " + ruta + " HTTP/1.0\r\n\r\n";
        const Respuesta r = pedir(puerto, peticion);
        EXPECT_EQ(r.cabecera("content-type"), tipo) << informe(
            {srv_->orden() + "\npetición: " + visible(peticion), "«Content-Type: " + tipo + "»", r.texto(),
             "una tabla de extensiones: .html → text/html; charset=utf-8, .css → text/css…; si no "
             "se conoce, application/octet-stream",
             kLeerTipos});
    }
}

// HEAD: las mismas cabeceras que GET (con el Content-Length del fichero) y ningún byte de cuerpo.
TEST_F(Http, HeadDaLasCabecerasSinCuerpo) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::string peticion = "HEAD /index.html HTTP/1.0\r\n\r\n";
    const Respuesta r = pedir(puerto, peticion);
    const std::string largo = std::to_string(std::string("<!DOCTYPE html>\n<title>Hola</title><h1>Hola</h1>\n").size());
    EXPECT_TRUE(r.codigo() == 200 && r.cabecera("content-length") == largo && r.bien_formada &&
                r.cuerpo.empty() && r.cierre == arnes::Cierre::kOrdenado)
        << informe({srv_->orden() + "\npetición: " + visible(peticion),
                    "«HTTP/1.0 200 OK», «Content-Length: " + largo + "» y ningún byte tras la línea en blanco",
                    r.texto(),
                    "HEAD pide las cabeceras que daría GET, sin el cuerpo: el mismo Content-Length, "
                    "pero no envíes el fichero",
                    kLeerRespuesta});
}

// Con curl: un fichero binario de 300 KiB llega byte a byte, con su estado y sus cabeceras.
TEST_F(Http, CurlRecibeUnFicheroBinarioIntacto) {
    const std::string curl = arnes::ruta_herramienta("curl");
    if (curl.empty()) GTEST_SKIP() << "no está curl (sudo apt-get install -y curl): esta prueba se omite";
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    Opciones o;
    o.trazar = false;
    o.max_salida = 1 << 21;
    arnes::Programa p(curl, {"-sS", "-i", "--max-time", "8", "http://127.0.0.1:" + std::to_string(puerto) + "/datos.bin"}, o);
    const auto fin = p.esperar_fin(Ms(10000));
    const Respuesta r = partir(p.salida(), arnes::Cierre::kOrdenado);
    const std::string esperado = binario(300 * 1024);
    EXPECT_TRUE(fin && fin->codigo == 0 && r.codigo() == 200 && r.cuerpo == esperado &&
                r.cabecera("content-length") == std::to_string(esperado.size()) &&
                r.cabecera("content-type") == "application/octet-stream")
        << informe({p.orden(), "código 0, «200 OK», «Content-Length: " + std::to_string(esperado.size()) +
                                   "», «Content-Type: application/octet-stream» y los 300 KiB exactos",
                    (fin ? "curl " + fin->texto() : std::string("curl no terminó")) + "\n" + r.texto() +
                        "\nstderr de curl: " + visible(p.errores(), 200) + "\n" + srv_->resumen(),
                    "el fichero se envía a trozos (read() del fichero, write() al socket) hasta el "
                    "final, sin perder ninguno: un byte 0 es un byte más",
                    kLeerRespuesta});
}

// Con curl -I (HEAD): el estado y las cabeceras, y curl termina bien.
TEST_F(Http, CurlHeadRecibeSoloLasCabeceras) {
    const std::string curl = arnes::ruta_herramienta("curl");
    if (curl.empty()) GTEST_SKIP() << "no está curl (sudo apt-get install -y curl): esta prueba se omite";
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    Opciones o;
    o.trazar = false;
    arnes::Programa p(curl, {"-sS", "-I", "--max-time", "8", "http://127.0.0.1:" + std::to_string(puerto) + "/css/estilo.css"}, o);
    const auto fin = p.esperar_fin(Ms(10000));
    const Respuesta r = partir(p.salida(), arnes::Cierre::kOrdenado);
    EXPECT_TRUE(fin && fin->codigo == 0 && r.codigo() == 200 && r.cuerpo.empty() &&
                r.cabecera("content-length") == "28" && r.cabecera("content-type") == "text/css; charset=utf-8")
        << informe({p.orden(), "código 0, «200 OK», «Content-Type: text/css; charset=utf-8» y «Content-Length: 28»",
                    (fin ? "curl " + fin->texto() : std::string("curl no terminó")) + "\n" + r.texto() +
                        "\nstderr de curl: " + visible(p.errores(), 200),
                    "HEAD: las cabeceras de GET, sin cuerpo", kLeerRespuesta});
}

// Una petición que llega byte a byte (cada byte en su segmento) se junta hasta la línea en
// blanco y se responde. El resto no sale hasta que la traza muestra que el servidor ya leyó el
// primer byte: su primera lectura trae «G» y nada más aunque la máquina esté ocupada (sin esa
// espera, un servidor que tarda en leer lo encontraría todo junto y un error pasaría).
TEST_F(Http, JuntaUnaPeticionQueLlegaATrozos) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::string peticion = "GET /texto.txt HTTP/1.0\r\nUser-Agent: prueba\r\n\r\n";
    const std::size_t antes = srv_->llamadas().size();
    Conexion c = Conexion::conectar(puerto);
    c.enviar(peticion.substr(0, 1));
    srv_->esperar_llamada([&](const Llamada& l) {  // sin traza, no espera: vuelve enseguida
        return static_cast<std::size_t>(l.orden) >= antes && l.resultado > 0 &&
               arnes::coincide_nombre(arnes::kLecturas, l.nombre);
    });
    c.enviar_byte_a_byte(peticion.substr(1));
    arnes::Cierre como = arnes::Cierre::kNinguno;
    const Respuesta r = partir(c.recibir_todo(arnes::kPlazo, &como), como);
    EXPECT_TRUE(r.codigo() == 200 && r.cuerpo == "hola, HTTP\n") << informe(
        {srv_->orden() + "\n" + visible(peticion) + " enviada byte a byte",
         "«200 OK» y el fichero, una vez llegada la línea en blanco", r.texto() + "\n" + srv_->resumen(),
         "un read() no es una petición: junta lo que llegue en la cola de entrada del cliente y "
         "responde solo cuando esté la línea en blanco (\\r\\n\\r\\n)",
         kLeerPeticion});
}

// Una petición con cuerpo (960 KiB: mucho más de lo que lee un read(), menos que el MiB que el
// servidor de la página tira como mucho al despedirse): POST recibe 405 y GET el fichero; el
// cliente puede enviar su cuerpo entero y la conexión acaba con fines de fichero, sin RST: el
// servidor lee (y tira) el cuerpo antes de cerrar.
TEST_F(Http, UnaPeticionConCuerpoSeRespondeSinCortar) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::string cuerpo(960 * 1024, 'x');  // menos que 1 MiB: lo que el servidor tira al despedirse
    for (const std::string metodo : {"POST", "GET"}) {
        const std::string cabecera = metodo + " /texto.txt HTTP/1.0\r\nContent-Length: " +
                                     std::to_string(cuerpo.size()) + "\r\n\r\n";
        Conexion c = Conexion::conectar(puerto);
        bool enviado = false;
        std::thread emisor([&] {
            enviado = c.enviar(cabecera + cuerpo, Ms(15000));
            c.cerrar_escritura();
        });
        arnes::Cierre como = arnes::Cierre::kNinguno;
        const Respuesta r = partir(c.recibir_todo(Ms(15000), &como), como);
        emisor.join();
        // El cliente ya cerró su lado: el servidor ve su fin de fichero y cierra. Si cerró antes,
        // con parte del cuerpo sin leer, su núcleo envió un RST, que deja aquí su error.
        const int al_cerrarse = c.error_al_cerrarse(Ms(5000));
        const int esperado = metodo == "POST" ? 405 : 200;
        const bool cortada = !enviado || como == arnes::Cierre::kReinicio || al_cerrarse > 0;
        EXPECT_TRUE(r.codigo() == esperado && enviado && como == arnes::Cierre::kOrdenado &&
                    al_cerrarse == 0) << informe(
            {srv_->orden() + "\n" + visible(cabecera, 120) + " seguida de 960 KiB de cuerpo",
             "que el cliente envíe su cuerpo entero, reciba «" + std::to_string(esperado) +
                 "» y después un fin de fichero ordenado, sin RST",
             r.texto() + (enviado ? "" : "\nel cliente no pudo enviar su cuerpo entero: " + arnes::texto_errno(c.error())) +
                 (como == arnes::Cierre::kReinicio ? "\nla conexión acabó con RST (ECONNRESET)" : "") +
                 (enviado && como != arnes::Cierre::kReinicio && al_cerrarse > 0
                      ? "\nel cliente recibió la respuesta entera, pero después llegó un RST: " +
                            arnes::texto_errno(al_cerrarse)
                      : "") +
                 (al_cerrarse == -1 ? "\nla conexión seguía sin cerrarse 5 s después de que el cliente cerrara su lado" : "") +
                 "\n" + srv_->resumen(),
             cortada ? "close() con bytes sin leer en el socket envía RST: el cliente pierde lo que aún "
                       "enviaba (y a veces la respuesta). Tras la respuesta, shutdown(SHUT_WR) y lee (y "
                       "tira) lo que llegue hasta su fin de fichero; entonces close()"
                     : "lee la cabecera hasta la línea en blanco; lo que venga detrás (el cuerpo) no "
                       "cambia la respuesta",
             kLeerCierre});
    }
}

// Las rutas que suben por encima de la carpeta se rechazan (la página dice 400; también vale 403 o
// 404): «..», también escrito «%2e%2e», y nunca se sirve lo de fuera.
TEST_F(Http, RechazaLasRutasQueSuben) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    for (const std::string ruta : {"/../secreto.txt", "/%2e%2e/secreto.txt", "/sub/../../secreto.txt",
                                   "/%2E%2E%2Fsecreto.txt", "/sub/%2e%2e/%2e%2e/secreto.txt"}) {
        const std::string peticion = "GET " + ruta + " HTTP/1.0\r\n\r\n";
        rechazada(pedir(puerto, peticion), peticion,
                  "traduce los %XX primero y mira después cada tramo de la ruta: un «..» subiría "
                  "por encima de la carpeta. Rechaza la petición (400) antes de abrir nada");
    }
}

// Un enlace simbólico de la carpeta que apunta fuera de ella no se sigue (403; también vale 404).
TEST_F(Http, NoSigueEnlacesQueSalenDeLaCarpeta) {
    if (!fs::is_symlink(carpeta_ + "/enlace.txt")) GTEST_SKIP() << "no se pudo crear el enlace simbólico de la prueba";
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::string peticion = "GET /enlace.txt HTTP/1.0\r\n\r\n";
    rechazada(pedir(puerto, peticion), peticion,
              "la ruta puede estar dentro y el fichero, fuera: realpath() resuelve los enlaces; si "
              "la ruta real no empieza por la carpeta (real) + «/», 403");
}

// Una ruta como «/etc/passwd» es relativa a la carpeta (404 si no está ahí), nunca la del sistema;
// y lo que no empieza por «/» (una URI absoluta, «etc/passwd») es una petición mal formada.
TEST_F(Http, LasRutasSonRelativasALaCarpeta) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    for (const std::string ruta : {"/etc/passwd", "//etc/passwd"}) {
        const std::string peticion = "GET " + ruta + " HTTP/1.0\r\n\r\n";
        es_el_error(pedir(puerto, peticion), peticion, 404,
                    "la ruta de la petición se busca dentro de la carpeta: carpeta + «/» + ruta", kLeerRutas,
                    "root:");
    }
    for (const std::string ruta : {"etc/passwd", "http://localhost/texto.txt"}) {
        const std::string peticion = "GET " + ruta + " HTTP/1.0\r\n\r\n";
        es_el_error(pedir(puerto, peticion), peticion, 400,
                    "a un servidor (que no es un proxy) la ruta le llega empezando por «/»: si no, 400",
                    kLeerRutas, "root:");
    }
}

// Un fichero que no existe: 404, con una página corta en el cuerpo; una carpeta sin «/»: 404.
TEST_F(Http, LoQueNoExisteDa404) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    for (const std::string ruta : {"/no-existe.html", "/css/nada.css", "/sub"}) {
        const std::string peticion = "GET " + ruta + " HTTP/1.0\r\n\r\n";
        const Respuesta r = pedir(puerto, peticion);
        es_el_error(r, peticion, 404, "si open() no encuentra el fichero (o no es un fichero), «404 Not Found»",
                    kLeerErrores);
        EXPECT_EQ(r.cabecera("content-length"), std::to_string(r.cuerpo.size())) << informe(
            {srv_->orden() + "\npetición: " + visible(peticion), "un Content-Length que sea el tamaño de su cuerpo",
             r.texto(), "también las respuestas de error llevan Content-Length (el de su página)", kLeerErrores});
    }
}

// Otros métodos (POST, PUT, DELETE…): 405, con «Allow: GET, HEAD».
TEST_F(Http, OtrosMetodosDan405ConAllow) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    for (const std::string metodo : {"POST", "PUT", "DELETE", "get"}) {
        const std::string peticion = metodo + " /texto.txt HTTP/1.0\r\n\r\n";
        const Respuesta r = pedir(puerto, peticion);
        EXPECT_TRUE(r.codigo() == 405 && r.cabecera("allow") == "GET, HEAD") << informe(
            {srv_->orden() + "\npetición: " + visible(peticion), "«405 Method Not Allowed» y «Allow: GET, HEAD»",
             r.texto(), "este servidor solo sirve ficheros: a cualquier otro método (y los métodos "
                        "distinguen mayúsculas) 405, diciendo cuáles admite con Allow",
             kLeerErrores});
    }
}

// Peticiones mal formadas: 400, y el servidor sigue atendiendo a la siguiente.
TEST_F(Http, UnaPeticionMalFormadaDa400YSigueSirviendo) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    for (const std::string& peticion : {std::string("hola\r\n\r\n"), std::string("GET /texto.txt\r\n\r\n"),
                                       std::string("GET /texto.txt FTP/1.0\r\n\r\n"),
                                       std::string("GET /a b HTTP/1.0\r\n\r\n"), std::string("\r\n\r\n")}) {
        es_el_error(pedir(puerto, peticion), peticion, 400,
                    "la primera línea es «MÉTODO RUTA HTTP/x.y», tres partes separadas por un espacio: "
                    "si no, 400",
                    kLeerErrores, "");
    }
    const std::string buena = "GET /texto.txt HTTP/1.0\r\n\r\n";
    es_el_fichero(pedir(puerto, buena), buena, "text/plain; charset=utf-8", "hola, HTTP\n");
}

// Una primera línea de más de 4 KiB: 414; una cabecera de más de 16 KiB: 431. Y se sigue.
TEST_F(Http, LasPeticionesDemasiadoLargasDan414Y431) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::string larga = "GET /" + std::string(8 * 1024, 'a') + " HTTP/1.0\r\n\r\n";
    es_el_error(pedir(puerto, larga), "GET /aaaa… (8 KiB) HTTP/1.0", 414,
                "una primera línea de más de 4 KiB no se sigue juntando: «414 URI Too Long»", kLeerErrores, "");
    std::string muchas = "GET /texto.txt HTTP/1.0\r\n";
    for (int i = 0; i < 400; ++i) muchas += "X-Relleno-" + std::to_string(i) + ": " + std::string(60, 'r') + "\r\n";
    muchas += "\r\n";
    es_el_error(pedir(puerto, muchas), "GET /texto.txt HTTP/1.0 con 400 cabeceras (unos 30 KiB)", 431,
                "una cabecera de más de 16 KiB no se sigue juntando: «431 Request Header Fields Too "
                "Large» (si no, un cliente puede llenar la memoria del servidor)",
                kLeerErrores, "");
    const std::string buena = "GET /texto.txt HTTP/1.0\r\n\r\n";
    es_el_fichero(pedir(puerto, buena), buena, "text/plain; charset=utf-8", "hola, HTTP\n");
}

// Un cliente que envía media petición y se calla no retrasa a otro; y el servidor no crea
// procesos (traza): es el bucle de poll() de la lección 09.
TEST_F(Http, UnClienteLentoNoRetrasaAOtroYNoHayProcesos) {
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion lento = Conexion::conectar(puerto);
    lento.enviar("GET /texto.tx");
    const std::string peticion = "GET /texto.txt HTTP/1.0\r\n\r\n";
    const Respuesta r = pedir(puerto, peticion);
    EXPECT_EQ(r.codigo(), 200) << informe(
        {"un cliente envía «GET /texto.tx» y se calla; otro pide " + visible(peticion),
         "que el segundo reciba su «200 OK»", r.texto() + "\n" + srv_->resumen(),
         "nada de esperar a la petición entera de un cliente: el bucle de poll() de la lección 09, "
         "que junta lo de cada uno en su cola",
         kLeerPeticion});
    std::vector<Llamada> creados;
    for (const auto& l : srv_->llamadas("fork|vfork|clone|clone3"))
        if (l.nombre != "clone" || (l.args[0] & 0x00010000) == 0) creados.push_back(l);
    EXPECT_TRUE(creados.empty()) << informe(
        {"dos clientes", "ningún fork() ni clone(): un solo proceso con poll()",
         arnes::enumerar(creados), "el servidor web es el de la lección 09 con otro protocolo", kLeerPeticion});
}

// Por IPv6 también: «GET» desde ::1 (el socket de doble pila de la lección 08).
TEST_F(Http, AtiendePorIpv6) {
    ARNES_REQUIERE_IPV6();
    const int puerto = arrancar_web();
    if (puerto == 0) return;
    const std::string peticion = "GET /texto.txt HTTP/1.0\r\n\r\n";
    es_el_fichero(pedir(puerto, peticion, "::1"), peticion, "text/plain; charset=utf-8", "hola, HTTP\n");
}

// «servidor 0 CARPETA» con una carpeta que no existe: error de uso (código 2) que lo explica.
TEST_F(Http, UnaCarpetaQueNoExisteEsUnErrorDeUso) {
    Opciones o;
    o.trazar = false;
    auto p = servidor({"0", fuera_ + "/no-existe"}, o);
    p->cerrar_entrada();
    const auto fin = p->esperar_fin(Ms(3000));
    EXPECT_TRUE(fin && !fin->por_senal && fin->codigo == 2 && p->errores().find("uso:") != std::string::npos)
        << informe({p->orden(), "que termine enseguida con código 2 y explique el uso («uso: servidor PUERTO [CARPETA]»)",
                    (fin ? fin->texto() : std::string("no terminó")) + "\n" + p->resumen(),
                    "comprueba la carpeta al principio (realpath() y que sea una carpeta): si no vale, "
                    "sockets::ErrorDeUso",
                    {arnes::secciones::s00_uso_servidor, "man 3 realpath"}});
}

}  // namespace
