/// \file etapa01_socket.cpp
/// \brief Etapa 01 · socket(): el servidor y el cliente abren un socket TCP/IPv4, narran su
///        descriptor, abren uno solo, lo cierran y terminan bien.
///
/// Cada prueba lleva al programa por lo que necesitan las lecciones siguientes (un cliente para
/// el servidor que ya acepta, un servidor de eco para el cliente que ya conecta), así que vale
/// igual para la lección 01 que para la 07.
#include "arnes/arnes.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <regex>
#include <string>

namespace {

using arnes::Cierre;
using arnes::Conexion;
using arnes::Escucha;
using arnes::Informe;
using arnes::Llamada;
using arnes::Ms;
using arnes::Programa;

const arnes::Lectura kLeerSocket{arnes::secciones::l01_crear, "man 2 socket"};
const arnes::Lectura kLeerCierre{arnes::secciones::l01_cerrar, "man 2 close"};

/// ¿Es esta llamada un socket() TCP/IPv4 bien pedido? (SOCK_CLOEXEC/SOCK_NONBLOCK se admiten.)
bool es_socket_tcp(const Llamada& l) {
    const long tipo = l.args[1] & ~static_cast<long>(SOCK_CLOEXEC | SOCK_NONBLOCK);
    return l.args[0] == AF_INET && tipo == SOCK_STREAM &&
           (l.args[2] == 0 || l.args[2] == IPPROTO_TCP);
}

/// El número que el programa narró en «socket(): descriptor N», si lo narró.
std::optional<int> descriptor_narrado(Programa& p) {
    static const std::regex patron("socket\\(\\): descriptor ([0-9]+)");
    auto n = p.esperar_salida(patron);
    if (!n) return std::nullopt;
    return static_cast<int>(std::min(std::strtol(n->c_str(), nullptr, 10), 999999L));
}

/// Lleva al servidor de cualquier lección hasta que suelte su socket: cierra su stdin (la
/// lección 03 espera EOF), y si escucha, le conecta un cliente que cierra la escritura enseguida
/// (las lecciones 04–07 aceptan, hacen eco hasta EOF y cierran).
void llevar_servidor_hasta_el_final(Programa& p) {
    p.cerrar_entrada();
    auto puerto = p.esperar_escucha();
    if (!puerto) return;  // lecciones 01–02: ya acabó (o no llega a escuchar)
    Conexion c = Conexion::conectar(*puerto);
    if (!c.valida()) return;
    c.cerrar_escritura();
    c.esperar_cierre();
}

class Socket : public arnes::PruebaDeEtapa {
protected:
    Socket() : PruebaDeEtapa(arnes::etapas::k01) {}

    /// Comprueba que la primera llamada socket() de `p` es TCP/IPv4 y funcionó.
    void comprobar_primer_socket(Programa& p, const std::string& quien) {
        auto s = p.esperar_llamada("socket");
        ASSERT_TRUE(s) << informe(
            {p.orden(), "que el " + quien + " llame a socket(AF_INET, SOCK_STREAM, 0)",
             "no se vio ninguna llamada a socket()\n" + p.resumen(),
             "crea el socket con socket(AF_INET, SOCK_STREAM, 0) al principio de " +
                 std::string(quien == "servidor" ? "servir()" : "conversar()"),
             kLeerSocket});
        EXPECT_TRUE(es_socket_tcp(*s)) << informe(
            {p.orden(), "socket(AF_INET, SOCK_STREAM, 0): un socket TCP sobre IPv4",
             "la primera llamada a socket() fue " + s->texto(),
             "AF_INET es la familia IPv4 y SOCK_STREAM el tipo de TCP (un flujo de bytes "
             "fiable); el tercer argumento puede ser 0 (el protocolo por defecto, TCP)",
             kLeerSocket});
        EXPECT_GE(s->resultado, 0) << informe(
            {p.orden(), "que socket() devuelva un descriptor (un número >= 0)",
             s->texto(),
             "revisa los argumentos: con AF_INET y SOCK_STREAM el núcleo siempre da un "
             "descriptor",
             kLeerSocket});
    }

    /// Comprueba que la línea «socket(): descriptor N» dice el descriptor que devolvió socket().
    void comprobar_narracion(Programa& p, const std::string& quien) {
        auto narrado = descriptor_narrado(p);
        auto s = p.esperar_llamada("socket");
        ASSERT_TRUE(narrado) << informe(
            {p.orden(), "una línea «[" + quien + "] socket(): descriptor N» en la salida estándar",
             "no apareció esa línea\n" + p.resumen(),
             "escribe el descriptor que devuelve socket() y termina la línea con std::endl "
             "para que salga enseguida",
             kLeerSocket});
        ASSERT_TRUE(s.has_value()) << informe(
            {p.orden(), "una llamada a socket()", "no se vio ninguna\n" + p.resumen(), "",
             kLeerSocket});
        EXPECT_TRUE((*narrado) == (s->resultado)) << informe(
            {p.orden(), "«socket(): descriptor " + std::to_string(s->resultado) +
                            "», el número que devolvió socket()",
             "el programa escribió «socket(): descriptor " + std::to_string(*narrado) +
                 "», pero la llamada fue " + s->texto(),
             "guarda el valor que devuelve socket() en una variable y escribe esa variable",
             kLeerSocket});
    }

    /// Comprueba que `p` cerró (close) el descriptor que le dio su primer socket().
    void comprobar_cierre(Programa& p, const std::string& quien, const std::string& como) {
        auto s = p.esperar_llamada("socket");
        ASSERT_TRUE(s.has_value() && s->resultado >= 0) << informe(
            {p.orden(), "un socket() que funcione", s ? s->texto() : "no se vio ninguna llamada a socket()",
             "", kLeerSocket});
        const long fd = s->resultado;
        const long desde = s->orden;  // antes de exec, el arnés también cierra descriptores
        auto cierre = p.esperar_llamada([fd, desde](const Llamada& l) {
            return l.nombre == "close" && l.args[0] == fd && l.orden > desde;
        });
        EXPECT_TRUE(cierre.has_value()) << informe(
            {p.orden() + "\n" + como,
             "close(" + std::to_string(fd) + "): el " + quien +
                 " devuelve al sistema el descriptor de su socket",
             "no se vio close(" + std::to_string(fd) + ")\núltimas llamadas:\n" +
                 arnes::enumerar(p.llamadas()) + "\n" + p.resumen(),
             "un descriptor es un recurso limitado: ciérralo con close() cuando ya no lo "
             "necesites, también antes de salir de main()",
             kLeerCierre});
    }
};

// El servidor abre un socket TCP sobre IPv4 y socket() le devuelve un descriptor.
TEST_F(Socket, ServidorCreaUnSocketTcpIPv4) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    comprobar_primer_socket(*p, "servidor");
}

// La línea «socket(): descriptor N» del servidor dice el descriptor que devolvió socket().
TEST_F(Socket, ServidorNarraElDescriptorQueRecibio) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    comprobar_narracion(*p, "servidor");
}

// El servidor abre un único socket (el de escucha) antes de empezar a atender.
TEST_F(Socket, ServidorCreaUnSoloSocket) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();   // la lección 03 (y su esqueleto) espera EOF antes de acabar
    p->esperar_escucha();  // o hasta que acabe (lecciones 01–02)
    auto sockets = p->llamadas("socket");
    EXPECT_TRUE((sockets.size()) == (1u)) << informe(
        {p->orden(), "una sola llamada a socket(): el servidor necesita un único socket para "
                     "escuchar",
         arnes::cuenta(sockets.size(), "llamada", "llamadas") + " a socket():\n" + arnes::enumerar(sockets),
         sockets.empty() ? "crea el socket con socket(AF_INET, SOCK_STREAM, 0)"
                         : "llama a socket() una sola vez y usa ese descriptor en todo el programa",
         kLeerSocket});
}

// El servidor cierra su socket con close() (al acabar, o tras atender a un cliente).
TEST_F(Socket, ServidorCierraSuSocket) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    llevar_servidor_hasta_el_final(*p);
    comprobar_cierre(*p, "servidor",
                     "(la prueba cerró su entrada estándar y, si escuchaba, le conectó un "
                     "cliente que cerró la escritura enseguida)");
}

// El servidor que termina por sí solo lo hace con código 0 (éxito), sin morir por una señal.
TEST_F(Socket, ServidorTerminaConCodigoCero) {
    auto p = servidor({"0"});
    llevar_servidor_hasta_el_final(*p);
    if (!p->llamadas("fork|vfork|clone|clone3").empty())
        return;  // lección 07: el servidor concurrente no termina nunca, y así debe ser
    auto fin = p->esperar_fin();
    const std::string entrada =
        p->orden() + "\n(la prueba cerró su entrada estándar y, si escuchaba, le conectó un "
                     "cliente que cerró la escritura enseguida)";
    if (!fin) {
        if (!p->trazado()) GTEST_SKIP() << "Sin traza no se distingue un servidor colgado de uno "
                                           "concurrente (lección 07): " << p->motivo_sin_traza();
        ADD_FAILURE() << informe(
            {entrada, "que el servidor termine con código 0",
             "no terminó\n" + p->resumen(),
             "tras su último paso el servidor cierra el socket y sale de main() con return 0",
             kLeerSocket});
        return;
    }
    EXPECT_TRUE(!fin->por_senal && fin->codigo == 0) << informe(
        {entrada, "que el servidor termine con código 0 (éxito)", p->resumen(),
         fin->por_senal ? arnes::pista_por_senal(*fin, "busca el fallo con gdb o con los "
                                                  "sanitizadores (-DSOCKETS_SANITIZADORES=ON)")
                        : "main() debe acabar con return 0 cuando todo fue bien; los códigos 1 "
                          "y 2 son para errores",
         kLeerSocket});
}

// El cliente abre un socket TCP sobre IPv4 y socket() le devuelve un descriptor.
TEST_F(Socket, ClienteCreaUnSocketTcpIPv4) {
    Escucha escucha;
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"});
    ARNES_REQUIERE_TRAZA(*p);
    comprobar_primer_socket(*p, "cliente");
    arnes::atender_cliente(escucha, *p);
}

// La línea «socket(): descriptor N» del cliente dice el descriptor que devolvió socket().
TEST_F(Socket, ClienteNarraElDescriptorQueRecibio) {
    Escucha escucha;
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"});
    ARNES_REQUIERE_TRAZA(*p);
    arnes::atender_cliente(escucha, *p);
    comprobar_narracion(*p, "cliente");
}

// El cliente abre un único socket en toda su vida: con él conecta, escribe y lee.
TEST_F(Socket, ClienteCreaUnSoloSocket) {
    Escucha escucha;
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"});
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    arnes::atender_cliente(escucha, *p);
    p->esperar_fin();
    auto sockets = p->llamadas("socket");
    EXPECT_TRUE((sockets.size()) == (1u)) << informe(
        {p->orden() + "\n(la prueba escuchaba en ese puerto y devolvía lo recibido)",
         "una sola llamada a socket()",
         arnes::cuenta(sockets.size(), "llamada", "llamadas") + " a socket():\n" + arnes::enumerar(sockets) +
             "\n" + p->resumen(),
         sockets.empty() ? "crea el socket con socket(AF_INET, SOCK_STREAM, 0)"
                         : "llama a socket() una sola vez y usa ese descriptor en todo el programa",
         kLeerSocket});
}

// El cliente cierra su socket con close() antes de terminar.
TEST_F(Socket, ClienteCierraSuSocket) {
    Escucha escucha;
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"});
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    arnes::atender_cliente(escucha, *p);
    p->esperar_fin();
    comprobar_cierre(*p, "cliente",
                     "(la prueba escuchaba en ese puerto, devolvía lo recibido y cerraba al "
                     "recibir EOF)");
}

// El cliente termina por sí solo con código 0 cuando todo va bien.
TEST_F(Socket, ClienteTerminaConCodigoCero) {
    Escucha escucha;
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"});
    p->cerrar_entrada();
    auto atencion = arnes::atender_cliente(escucha, *p);
    auto fin = p->esperar_fin();
    const std::string entrada =
        p->orden() + "\n(la prueba escuchaba en ese puerto, devolvía lo recibido y cerraba al "
                     "recibir EOF)";
    ASSERT_TRUE(fin) << informe(
        {entrada, "que el cliente termine con código 0", "no terminó\n" + p->resumen(),
         atencion.conectado ? "¿espera algo que nunca llega? La prueba ya cerró la conexión"
                            : "tras crear y cerrar el socket, sal de main() con return 0",
         kLeerSocket});
    EXPECT_TRUE(!fin->por_senal && fin->codigo == 0) << informe(
        {entrada, "que el cliente termine con código 0 (éxito)", p->resumen(),
         fin->por_senal ? arnes::pista_por_senal(*fin, "busca el fallo con gdb o con los "
                                                  "sanitizadores (-DSOCKETS_SANITIZADORES=ON)")
                        : "main() debe acabar con return 0 cuando todo fue bien; los códigos 1 "
                          "y 2 son para errores",
         kLeerSocket});
}

}  // namespace

// --- Fallos provocados ---
namespace {

const arnes::Lectura kLeerErrores{arnes::secciones::l01_crear,
                                  "lessons/comun/sockets_comun.h (comprobar); man 2 socket (ERRORS)"};

// Si socket() falla (EMFILE, provocado por la prueba), el servidor lo explica y termina con 1.
TEST_F(Socket, ServidorSinSocketTerminaConUnoYLoExplica) {
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"socket", EMFILE}};
    ARNES_REQUIERE_CAMBIOS();
    auto p = servidor({"0"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    auto t = arnes::tras_el_fallo(*p, "socket", "socket", EMFILE);
    EXPECT_TRUE(t.bien()) << informe(
        {p->orden() + "\n(la prueba hizo fallar su primer socket() con EMFILE)",
         "que el servidor termine con código 1 y explique en stderr qué falló: una línea con "
         "«socket» y «" + arnes::texto_errno(EMFILE) + "»",
         t.observado,
         "socket() devuelve -1 si no puede crear el socket: compruébalo con "
         "sockets::comprobar(\"socket()\", escucha) nada más llamarla; main() explica la "
         "excepción en stderr y sale con código 1",
         kLeerErrores});
}

// Si socket() falla (EMFILE, provocado por la prueba), el cliente lo explica y termina con 1.
TEST_F(Socket, ClienteSinSocketTerminaConUnoYLoExplica) {
    Escucha escucha;
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"socket", EMFILE}};
    ARNES_REQUIERE_CAMBIOS();
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    auto t = arnes::tras_el_fallo(*p, "socket", "socket", EMFILE);
    arnes::atender_cliente(escucha, *p, Ms(500));  // por si conecta a pesar de todo
    EXPECT_TRUE(t.bien()) << informe(
        {p->orden() + "\n(la prueba hizo fallar su primer socket() con EMFILE)",
         "que el cliente termine con código 1 y explique en stderr qué falló: una línea con "
         "«socket» y «" + arnes::texto_errno(EMFILE) + "»",
         t.observado,
         "socket() devuelve -1 si no puede crear el socket: compruébalo con "
         "sockets::comprobar(\"socket()\", conexion) nada más llamarla; main() explica la "
         "excepción en stderr y sale con código 1",
         kLeerErrores});
}

}  // namespace

// --- close() también se comprueba ---
namespace {

// Si el close() de su socket falla (EBADF provocado), el servidor lo explica y termina con 1:
// «comprueba también ese cierre» (el TODO de la lección 01). En la lección 07, quien lo explica y
// sale con 1 es el proceso que hizo ese close() (el padre o el hijo).
TEST_F(Socket, ServidorCompruebaElCierreDeSuSocket) {
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"close", EBADF}};  // el primer close() de un socket
    ARNES_REQUIERE_CAMBIOS();
    auto p = servidor({"0"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    llevar_servidor_hasta_el_final(*p);
    auto t = arnes::tras_el_fallo(*p, "close", "close", EBADF);
    EXPECT_TRUE(t.bien()) << informe(
        {p->orden() + "\n(la prueba hizo fallar el primer close() de un socket con EBADF; cerró su "
                      "entrada estándar y, si escuchaba, le conectó un cliente que cerró enseguida)",
         arnes::que_lo_explique("proceso que cerraba", "close", EBADF),
         t.observado,
         "close() también puede fallar: compruébalo como las demás llamadas, "
         "sockets::comprobar(\"close()\", close(fd)); main() explica la excepción y sale con 1",
         kLeerCierre});
}

// Si el close() de su socket falla (EBADF provocado), el cliente lo explica y termina con 1.
TEST_F(Socket, ClienteCompruebaElCierreDeSuSocket) {
    Escucha escucha;
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"close", EBADF}};
    ARNES_REQUIERE_CAMBIOS();
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    arnes::atender_cliente(escucha, *p);
    auto t = arnes::tras_el_fallo(*p, "close", "close", EBADF);
    EXPECT_TRUE(t.bien()) << informe(
        {p->orden() + "\n(la prueba hizo fallar el close() de su socket con EBADF; escuchaba en ese "
                      "puerto y devolvía lo recibido)",
         arnes::que_lo_explique("cliente", "close", EBADF),
         t.observado,
         "close() también puede fallar: compruébalo, sockets::comprobar(\"close()\", "
         "close(conexion)); main() explica la excepción y sale con 1",
         kLeerCierre});
}

}  // namespace
