/// \file etapa02_bind.cpp
/// \brief Etapa 02 · bind: el servidor activa SO_REUSEADDR, enlaza su socket a un puerto (en
///        orden de red), narra el puerto de verdad (getsockname) y explica un puerto ocupado.
///
/// Las pruebas no dependen de que el servidor acabe: en las lecciones 03–07 sigue escuchando y
/// el destructor del Programa lo mata al final de cada prueba.
#include "arnes/arnes.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <regex>
#include <string>

namespace {

using arnes::Escucha;
using arnes::Informe;
using arnes::Llamada;
using arnes::Ms;
using arnes::Opciones;
using arnes::Programa;

const arnes::Lectura kLeerBind{arnes::secciones::l02_enlazar, "man 2 bind"};
const arnes::Lectura kLeerReuse{arnes::secciones::l02_reuseaddr, "man 2 setsockopt, man 7 socket"};
const arnes::Lectura kLeerOrden{arnes::secciones::l02_htons, "man 3 htons, man 7 ip"};
const arnes::Lectura kLeerGetsockname{arnes::secciones::l02_puerto_cero, "man 2 getsockname"};
const arnes::Lectura kLeerError{arnes::secciones::l02_ocupado, "man 2 bind"};

/// Un puerto libre cuyos dos bytes son distintos: así, olvidar htons() cambia el número.
int puerto_asimetrico() {
    int p = arnes::puerto_libre();
    while (p != 0 && (p >> 8) == (p & 0xff)) p = arnes::puerto_libre();
    return p;
}

/// El puerto con sus dos bytes al revés (lo que se ve si falta htons() o ntohs()).
int al_reves(int puerto) { return ((puerto & 0xff) << 8) | ((puerto >> 8) & 0xff); }

/// El puerto narrado en la línea «bind(): ... puerto N», si apareció.
std::optional<int> puerto_narrado(Programa& p) {
    static const std::regex patron("bind\\(\\).*puerto ([0-9]+)");
    auto n = p.esperar_salida(patron);
    if (!n) return std::nullopt;
    return static_cast<int>(std::min(std::strtol(n->c_str(), nullptr, 10), 999999L));
}

class Bind : public arnes::PruebaDeEtapa {
protected:
    Bind() : PruebaDeEtapa(arnes::etapas::k02) {}

    /// La primera llamada socket() terminada (ASSERT en quien llama si no hay).
    std::optional<Llamada> socket_de(Programa& p) { return p.esperar_llamada("socket"); }

    /// El informe de ese ASSERT: no se vio ningún socket() terminado.
    std::string sin_socket(Programa& p) const {
        return informe({p.orden(), "una llamada a socket() que cree el socket del servidor",
                        "no se vio ninguna llamada a socket()\núltimas llamadas:\n" +
                            arnes::enumerar(p.llamadas()) + "\n" + p.resumen(),
                        "completa antes la etapa 01: socket(AF_INET, SOCK_STREAM, 0)",
                        {arnes::secciones::l01_crear, "man 2 socket"}});
    }

    /// Espera el primer bind() terminado; si no llega, deja un informe y devuelve nullopt.
    std::optional<Llamada> bind_de(Programa& p) {
        auto b = p.esperar_llamada("bind");
        if (!b)
            ADD_FAILURE() << informe(
                {p.orden(), "una llamada a bind() que enlace el socket a un puerto",
                 "no se vio ninguna llamada a bind()\núltimas llamadas:\n" +
                     arnes::enumerar(p.llamadas()) + "\n" + p.resumen(),
                 "tras socket(), rellena un sockaddr_in (AF_INET, INADDR_ANY, htons(puerto)) y "
                 "pásalo a bind()",
                 kLeerBind});
        return b;
    }
};

// El servidor activa SO_REUSEADDR (valor 1) en su socket antes de llamar a bind().
TEST_F(Bind, ActivaSoReuseaddrAntesDeBind) {
    Opciones o;
    o.retener_en = "bind";  // se detiene a la entrada de bind(): ahí se mira la opción
    auto p = servidor({"0"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    auto s = socket_de(*p);
    ASSERT_TRUE(s && s->resultado >= 0)
        << informe({p->orden(), "un socket() que funcione",
                    s ? s->texto() : "no se vio ninguna llamada a socket()", "",
                    {arnes::secciones::l01_crear, "man 2 socket"}});
    const long fd = s->resultado;
    ASSERT_TRUE(p->esperar_retenido()) << informe(
        {p->orden(), "una llamada a bind()", "no se vio ninguna llamada a bind()\n" + p->resumen(),
         "enlaza el socket con bind() después de socket()", kLeerBind});
    auto opciones = p->llamadas("setsockopt");
    auto reuse = arnes::primera(opciones, [fd](const Llamada& l) {
        return l.args[0] == fd && l.args[1] == SOL_SOCKET && l.args[2] == SO_REUSEADDR;
    });
    auto valor = arnes::opcion_de_socket(p->pid(), static_cast<int>(fd), SOL_SOCKET, SO_REUSEADDR);
    p->soltar();
    const std::string hecho = "llamadas antes de bind():\n" + arnes::enumerar(p->llamadas(), 6);
    ASSERT_TRUE(reuse) << informe(
        {p->orden(),
         "setsockopt(" + std::to_string(fd) +
             ", SOL_SOCKET, SO_REUSEADDR, &si, sizeof si) "
             "con si = 1, antes de bind()",
         "no se vio ese setsockopt() antes de bind()\n" + hecho,
         "sin SO_REUSEADDR, al reiniciar el servidor bind() falla con EADDRINUSE mientras "
         "las conexiones anteriores siguen en TIME_WAIT; actívalo justo después de socket()",
         kLeerReuse});
    EXPECT_GE(reuse->resultado, 0) << informe(
        {p->orden(), "que setsockopt(SO_REUSEADDR) funcione", reuse->texto(),
         "el cuarto argumento es la dirección de un int con valor 1 y el quinto sizeof ese int",
         kLeerReuse});
    if (valor) {
        EXPECT_NE(*valor, 0) << informe(
            {p->orden(), "SO_REUSEADDR activado (valor distinto de 0) al llamar a bind()",
             reuse->texto() + ", pero la opción vale 0 en el socket",
             "pasa la dirección de un int que valga 1: int si = 1; setsockopt(..., &si, sizeof si)",
             kLeerReuse});
    }
}

// bind() enlaza el socket que creó socket() a una dirección IPv4, y funciona.
TEST_F(Bind, EnlazaElSocketQueCreo) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    auto s = socket_de(*p);
    auto b = bind_de(*p);
    if (!b) return;
    ASSERT_TRUE(s.has_value()) << sin_socket(*p);
    EXPECT_TRUE((b->args[0]) == (s->resultado)) << informe(
        {p->orden(), "bind(" + std::to_string(s->resultado) + ", …): el descriptor que devolvió "
                     "socket()",
         "socket() devolvió " + std::to_string(s->resultado) + " pero se llamó " + b->texto(),
         "pasa a bind() la variable donde guardaste el resultado de socket()", kLeerBind});
    const bool ipv4 = b->direccion && b->direccion->familia == AF_INET;
    EXPECT_TRUE(ipv4) << informe(
        {p->orden(), "una dirección con sin_family = AF_INET", b->texto(),
         "rellena sockaddr_in con sin_family = AF_INET (y pon a cero la estructura antes)",
         kLeerBind});
    EXPECT_TRUE((b->resultado) == (0)) << informe(
        {p->orden(), "que bind() devuelva 0", b->texto(),
         "revisa la dirección que pasas y su tamaño: sizeof(sockaddr_in)", kLeerBind});
}

// bind() enlaza «cualquier dirección IPv4 de esta máquina» (INADDR_ANY, 0.0.0.0), no una sola:
// así se puede conectar por cualquier interfaz (127.0.0.1, la de la red...). Desde la lección 08
// el servidor escucha en un socket IPv6 de doble pila: su «cualquiera» es in6addr_any («::»).
TEST_F(Bind, EnlazaCualquierDireccionDeLaMaquina) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    auto b = bind_de(*p);
    if (!b) return;
    const bool cualquiera = b->direccion && ((b->direccion->familia == AF_INET && b->direccion->ip == "0.0.0.0") ||
                                            (b->direccion->familia == AF_INET6 && b->direccion->ip == "::"));
    EXPECT_TRUE(cualquiera) << informe(
        {p->orden(), "bind() con la dirección 0.0.0.0 (INADDR_ANY: cualquier dirección de esta máquina)",
         b->texto(),
         b->direccion && b->direccion->ip.rfind("127.", 0) == 0
             ? "con 127.0.0.1 solo se puede conectar desde esta misma máquina; el servidor escucha "
               "en todas sus direcciones: sin_addr.s_addr = htonl(INADDR_ANY)"
             : "sin_addr.s_addr = htonl(INADDR_ANY): la dirección «cualquiera» (y pon a cero la "
               "estructura antes)",
         kLeerBind});
}

// bind() recibe el puerto pedido en orden de red: htons(P), no P tal cual.
TEST_F(Bind, UsaElPuertoEnOrdenDeRed) {
    const int puerto = puerto_asimetrico();
    auto p = servidor({std::to_string(puerto)});
    ARNES_REQUIERE_TRAZA(*p);
    auto b = bind_de(*p);
    if (!b) return;
    ASSERT_TRUE(b->direccion.has_value()) << informe(
        {p->orden(), "una dirección IPv4 en bind()", b->texto(), "", kLeerBind});
    const auto& d = *b->direccion;
    std::string pista = arnes::pista_sin_htons(*b, puerto);
    if (pista.empty()) pista = "el puerto de sockaddr_in va en orden de red: sin_port = htons(puerto)";
    EXPECT_TRUE((d.puerto) == (puerto)) << informe(
        {p->orden(), "bind() con el puerto " + std::to_string(puerto) + " (sin_port = htons(" +
                         std::to_string(puerto) + "))",
         b->texto() + "\n(el programa enlazó el puerto " + std::to_string(d.puerto) + ")",
         pista, kLeerOrden});
}

// Con «servidor P», la línea de bind() narra el puerto P.
TEST_F(Bind, NarraElPuertoPedido) {
    const int puerto = puerto_asimetrico();
    auto p = servidor({std::to_string(puerto)});
    auto narrado = puerto_narrado(*p);
    ASSERT_TRUE(narrado) << informe(
        {p->orden(),
         "una línea «[servidor] bind(): socket enlazado al puerto " + std::to_string(puerto) + "»",
         "no apareció ninguna línea «bind(): … puerto N»\n" + p->resumen(),
         "tras bind() escribe el puerto y termina la línea con std::endl", kLeerBind});
    if (*narrado == puerto) return;
    // El síntoma antes que la prueba: si bind() ya recibió el puerto sin htons(), la narración
    // solo cuenta lo que pasó (el servidor escucha de verdad en el puerto con los bytes al revés).
    auto b = p->esperar_llamada("bind");
    const std::string sin_htons = b ? arnes::pista_sin_htons(*b, puerto) : "";
    if (sin_htons.empty() && *narrado == al_reves(puerto)) arnes::sintoma("narra_sin_ntohs");
    ADD_FAILURE() << informe(
        {p->orden(), "«bind(): socket enlazado al puerto " + std::to_string(puerto) + "»",
         "el servidor narró el puerto " + std::to_string(*narrado) +
             (b ? "\n" + b->texto() : "") + "\n" + p->resumen(),
         !sin_htons.empty() ? sin_htons
         : *narrado == al_reves(puerto)
             ? "ese número es el puerto con los bytes al revés: narra ntohs(sin_port), no "
               "sin_port"
             : "narra el puerto en orden de host: ntohs(dir.sin_port) tras getsockname()",
         !sin_htons.empty() ? kLeerOrden : kLeerGetsockname});
}

// Con «servidor 0» el núcleo elige el puerto y el servidor narra ese puerto (getsockname), no 0.
TEST_F(Bind, ConPuertoCeroNarraElPuertoQueEligioElNucleo) {
    // Un puerto con sus dos bytes iguales (49601 = 0xC1C1) se lee igual al revés: con él no se
    // distingue si el servidor narra con ntohs() o sin él. Si el núcleo elige uno así, se vuelve a
    // arrancar (como mucho 5 veces).
    for (int intento = 0; intento < 5; ++intento) {
        auto p = servidor({"0"});
        ARNES_REQUIERE_TRAZA(*p);
        auto narrado = puerto_narrado(*p);
        ASSERT_TRUE(narrado) << informe(
            {p->orden(), "una línea «[servidor] bind(): socket enlazado al puerto N»",
             "no apareció ninguna línea «bind(): … puerto N»\n" + p->resumen(),
             "tras bind() escribe el puerto y termina la línea con std::endl", kLeerBind});
        auto s = socket_de(*p);
        ASSERT_TRUE(s.has_value()) << sin_socket(*p);
        const long fd = s->resultado;
        auto g = arnes::primera(p->llamadas("getsockname"), [fd](const Llamada& l) {
            return l.args[0] == fd && l.terminada && l.resultado == 0 && l.direccion;
        });
        ASSERT_TRUE(g) << informe(
            {p->orden(),
             "getsockname(" + std::to_string(fd) +
                 ", …) tras bind() para saber qué puerto "
                 "eligió el núcleo",
             "no se vio ningún getsockname() que funcionara; el servidor narró el puerto " +
                 std::to_string(*narrado) + "\núltimas llamadas:\n" + arnes::enumerar(p->llamadas()),
             "con el puerto 0 el núcleo elige uno libre al hacer bind(); pregúntale cuál con "
             "getsockname() y narra ntohs(dir.sin_port)",
             kLeerGetsockname});
        const int elegido = g->direccion->puerto;
        if (al_reves(elegido) == elegido && intento + 1 < 5) continue;  // otra vez: no distingue
        if (*narrado != elegido && *narrado == al_reves(elegido)) arnes::sintoma("narra_sin_ntohs");
        EXPECT_TRUE((*narrado) == (elegido)) << informe(
            {p->orden(), "«bind(): socket enlazado al puerto " + std::to_string(elegido) +
                             "», el puerto que eligió el núcleo",
             "el servidor narró el puerto " + std::to_string(*narrado) + ", pero " + g->texto(),
             *narrado == 0 ? "narras el puerto que pediste (0); narra el que devuelve getsockname()"
             : *narrado == al_reves(elegido)
                 ? "ese número es el puerto con los bytes al revés: sin_port está en orden de red; "
                   "narra ntohs(dir.sin_port)"
                 : "narra ntohs(dir.sin_port) de la dirección que rellenó getsockname()",
             kLeerGetsockname});
        return;
    }
}

// Si el puerto ya está ocupado, el servidor termina con código 1 y explica el error de bind().
TEST_F(Bind, ConElPuertoOcupadoTerminaConUnoYLoExplica) {
    Escucha ocupante;  // la prueba escucha en el puerto: nadie más puede enlazarlo
    auto p = servidor({std::to_string(ocupante.puerto())});
    p->cerrar_entrada();
    auto fin = p->esperar_fin();
    const std::string entrada = p->orden() + "\n(con el puerto " +
                                std::to_string(ocupante.puerto()) +
                                " ya ocupado por un socket de la prueba que escucha en él)";
    const std::string esperado =
        "que bind() falle con EADDRINUSE y el servidor termine con código 1, explicando en "
        "stderr «[servidor] error: bind(): la dirección ya está en uso (EADDRINUSE)»";
    ASSERT_TRUE(fin) << informe(
        {entrada, esperado, "no terminó\n" + p->resumen(),
         "comprueba el resultado de bind(): si es -1, informa del error y termina", kLeerError});
    const std::string err = p->errores();
    const bool nombra_bind = err.find("bind()") != std::string::npos;
    const bool explica = err.find("en uso") != std::string::npos ||
                         err.find("EADDRINUSE") != std::string::npos;
    if (!fin->por_senal && fin->codigo == 1 && nombra_bind && explica) return;
    // Sin htons(), bind() pidió otro puerto (libre): no hay error que comprobar, sino eso.
    auto b = p->esperar_llamada("bind");
    const std::string sin_htons = b ? arnes::pista_sin_htons(*b, ocupante.puerto()) : "";
    ADD_FAILURE() << informe(
        {entrada, esperado, (b ? b->texto() + "\n" : "") + p->resumen(),
         !sin_htons.empty() ? sin_htons
         : fin->por_senal   ? arnes::pista_por_senal(*fin, "un error de bind() se comprueba, se "
                                                       "explica y se sale con código 1")
         : fin->codigo != 1 ? "si bind() devuelve -1, el servidor no puede seguir: explica el "
                              "error en stderr y sal con código 1"
         : !nombra_bind ? "el mensaje de error debe nombrar la llamada que falló: «bind(): …»"
                        : "el mensaje debe explicar el errno en español: «la dirección ya está en "
                          "uso (EADDRINUSE)»; usa comprobar() de sockets_comun.h",
         sin_htons.empty() ? kLeerError : kLeerOrden});
}

}  // namespace

// --- Fallos provocados ---
namespace {

// Si setsockopt() falla (ENOMEM provocado), el servidor lo explica y termina con código 1.
TEST_F(Bind, UnSetsockoptFallidoTerminaConUnoYLoExplica) {
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"setsockopt", ENOMEM}};
    ARNES_REQUIERE_CAMBIOS();
    auto p = servidor({"0"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    auto t = arnes::tras_el_fallo(*p, "setsockopt", "setsockopt", ENOMEM);
    EXPECT_TRUE(t.bien()) << informe(
        {p->orden() + "\n(la prueba hizo fallar su setsockopt(SO_REUSEADDR) con ENOMEM)",
         arnes::que_lo_explique("servidor", "setsockopt", ENOMEM),
         t.observado,
         "comprueba también setsockopt(): sockets::comprobar(\"setsockopt()\", setsockopt(…)); "
         "main() explica la excepción en stderr y sale con código 1",
         kLeerReuse});
}

// Si bind() falla aunque el puerto sea 0 (EADDRINUSE provocado), el servidor lo explica y sale con 1.
TEST_F(Bind, UnBindFallidoTerminaConUnoYLoExplica) {
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"bind", EADDRINUSE}};
    ARNES_REQUIERE_CAMBIOS();
    auto p = servidor({"0"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    auto t = arnes::tras_el_fallo(*p, "bind", "bind", EADDRINUSE);
    EXPECT_TRUE(t.bien()) << informe(
        {p->orden() + "\n(la prueba hizo fallar su bind() con EADDRINUSE, aunque pidió el "
                      "puerto 0)",
         "que el servidor termine con código 1 y explique en stderr qué falló: una línea con "
         "«bind» y «" + arnes::texto_errno(EADDRINUSE) + "»",
         t.observado,
         "bind() puede fallar con cualquier puerto: compruébalo siempre con "
         "sockets::comprobar(\"bind()\", …); main() explica la excepción en stderr y sale con "
         "código 1. Ni getsockname() ni nada más tiene sentido tras un bind() fallido",
         kLeerError});
}

}  // namespace
