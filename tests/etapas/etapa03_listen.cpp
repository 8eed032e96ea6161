/// \file etapa03_listen.cpp
/// \brief Etapa 03 · listen: el servidor pone a escuchar su socket enlazado, narra un puerto en
///        el que de verdad se puede conectar y su cola guarda a los clientes antes de accept().
///
/// En las lecciones 04–07 el servidor ya acepta: las pruebas que necesitan la cola intacta lo
/// retienen a la entrada de accept() (retener_en) desde el primer instante.
#include "arnes/arnes.h"

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

namespace {

using arnes::Conexion;
using arnes::Informe;
using arnes::Llamada;
using arnes::Ms;
using arnes::Opciones;
using arnes::Programa;

const arnes::Lectura kLeerListen{arnes::secciones::l03_escuchar, "man 2 listen"};
const arnes::Lectura kLeerCola{arnes::secciones::l03_cola, "man 2 listen"};

/// Si el programa escribió «escuchando … puerto N» antes de que listen() volviera, anota el
/// síntoma «anuncia_antes_de_listen» y devuelve la pista; si no, "".
std::string anunciado_antes_de_listen(const Programa& p) {
    const auto todas = p.llamadas();
    auto anuncio = arnes::primera(todas, [](const Llamada& l) {
        return l.args[0] == 1 && l.datos.find("escuchando") != std::string::npos &&
               arnes::coincide_nombre(arnes::kEscrituras, l.nombre);
    });
    auto l = arnes::primera(todas, [](const Llamada& x) { return x.nombre == "listen" && x.terminada; });
    if (!anuncio || (l && l->orden < anuncio->orden)) return "";
    arnes::sintoma("anuncia_antes_de_listen");
    return "el servidor escribió «escuchando … puerto N» " +
           std::string(l ? "antes de llamar a listen() (" + l->texto() + " vino después)"
                         : "sin haber llamado a listen()") +
           ": quien lee esa línea conecta enseguida y, si el puerto aún no escucha, recibe "
           "ECONNREFUSED. Narra la línea justo después de que listen() devuelva 0";
}

class Listen : public arnes::PruebaDeEtapa {
protected:
    Listen() : PruebaDeEtapa(arnes::etapas::k03) {}

    /// Espera la línea «escuchando … puerto N»; si no llega, deja un informe.
    std::optional<int> escucha_de(Programa& p) {
        auto puerto = p.esperar_escucha();
        if (!puerto)
            ADD_FAILURE() << informe(
                {p.orden(), "una línea «[servidor] listen(): escuchando en el puerto N (cola de K)»",
                 "no apareció\n" + p.resumen(),
                 "tras listen() narra el puerto (el de getsockname()) y termina la línea con "
                 "std::endl",
                 kLeerListen});
        return puerto;
    }
};

// listen() se llama, con una cola mayor que 0, sobre el socket ya enlazado con bind().
TEST_F(Listen, EscuchaEnElSocketEnlazado) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    auto l = p->esperar_llamada("listen");
    ASSERT_TRUE(l) << informe(
        {p->orden(), "una llamada listen(fd, cola) tras bind()",
         "no se vio ninguna llamada a listen()\núltimas llamadas:\n" +
             arnes::enumerar(p->llamadas()) + "\n" + p->resumen(),
         "tras bind(), llama a listen() con el mismo descriptor y una cola (por ejemplo 5)",
         kLeerListen});
    auto b = arnes::primera(p->llamadas("bind"), [](const Llamada& x) {
        return x.terminada && x.resultado == 0;
    });
    ASSERT_TRUE(b) << informe(
        {p->orden(), "bind() antes de listen()",
         "no se vio un bind() que funcionara antes de " + l->texto(),
         "sin bind() el núcleo enlaza un puerto cualquiera al escuchar: nadie sabría dónde "
         "conectar. Enlaza primero, escucha después",
         kLeerListen});
    EXPECT_TRUE((l->args[0]) == (b->args[0])) << informe(
        {p->orden(), "listen(" + std::to_string(b->args[0]) + ", …): el socket enlazado",
         b->texto() + "\n" + l->texto(),
         "escucha en el mismo descriptor que enlazaste con bind()", kLeerListen});
    EXPECT_LT(b->orden, l->orden) << informe(
        {p->orden(), "bind() antes de listen()", l->texto() + "\n" + b->texto(),
         "el orden es socket() → bind() → listen()", kLeerListen});
    EXPECT_GT(l->args[1], 0) << informe(
        {p->orden(), "una cola mayor que 0 en listen()", l->texto(),
         "el segundo argumento de listen() es cuántas conexiones pendientes guarda la cola; "
         "usa por ejemplo 5",
         kLeerCola});
    EXPECT_TRUE((l->resultado) == (0)) << informe(
        {p->orden(), "que listen() devuelva 0", l->texto(), "", kLeerListen});
}

// El puerto narrado en «escuchando … puerto N» acepta conexiones de verdad.
TEST_F(Listen, ElPuertoNarradoAceptaConexiones) {
    auto p = servidor({"0"});
    auto puerto = escucha_de(*p);
    if (!puerto) return;
    Conexion c = Conexion::conectar(*puerto);
    if (c.valida()) return;
    // El síntoma antes que la prueba: si narró antes de listen(), la conexión llegó a un puerto
    // que aún no escuchaba (la traza dice en qué orden).
    const std::string antes = p->trazado() ? anunciado_antes_de_listen(*p) : "";
    ADD_FAILURE() << informe(
        {p->orden() + "\nconectar a 127.0.0.1:" + std::to_string(*puerto) + " (el puerto narrado)",
         "que la conexión se establezca: el servidor escucha en ese puerto",
         "connect() falló: " + arnes::texto_errno(c.error()) + "\n" + p->resumen(),
         !antes.empty() ? antes
         : c.error() == ECONNREFUSED
             ? "nadie escucha en ese puerto: ¿llamaste a listen()? ¿narras el puerto de "
               "getsockname() en orden de host (ntohs)?"
             : "¿escucha el servidor en el puerto que narra?",
         kLeerListen});
}

// El servidor anuncia «escuchando … puerto N» después de listen(), no antes: un cliente que
// conecte al leer la línea no puede encontrar el puerto aún cerrado (traza: orden de las llamadas).
TEST_F(Listen, AnunciaElPuertoDespuesDeListen) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    auto anuncio = p->esperar_llamada([](const Llamada& l) {
        return l.args[0] == 1 && l.datos.find("escuchando") != std::string::npos &&
               std::string(arnes::kEscrituras).find(l.nombre) != std::string::npos;
    });
    auto l = p->esperar_llamada("listen");
    ASSERT_FALSE(!anuncio || !l) << informe(
        {p->orden(), "listen() y una escritura en stdout con «escuchando … puerto N»",
         "últimas llamadas:\n" + arnes::enumerar(p->llamadas()) + "\n" + p->resumen(),
         "tras listen() narra el puerto y termina la línea con std::endl", kLeerListen});
    if (l->orden < anuncio->orden) return;
    ADD_FAILURE() << informe(
        {p->orden(), "listen() antes de escribir «escuchando … puerto N»",
         "llamadas en este orden:\n" + arnes::enumerar(std::vector<Llamada>{*anuncio, *l}),
         anunciado_antes_de_listen(*p), kLeerListen});
}

// Una línea en la entrada estándar no hace terminar al servidor: sin accept() todavía (lección
// 03) espera al fin de la entrada (Ctrl+D); desde la lección 04 espera a su cliente en accept().
// Decide la traza, sin esperas: cuando ya leyó todo lo que se le escribió, o está otra vez en
// read() de la entrada (o en accept()), o cierra y termina.
TEST_F(Listen, EsperaElFinDeSuEntradaEstandar) {
    auto p = servidor({"0"});
    ARNES_REQUIERE_TRAZA(*p);
    if (!escucha_de(*p)) return;
    const std::string linea = "una línea, pero no el final\n";
    p->escribir_entrada(linea);
    enum class Hace { nada, espera_entrada, espera_cliente, termina };
    Hace hace = Hace::nada;
    std::optional<Llamada> decisiva;
    const pid_t pid = p->pid();
    arnes::esperar_que([&] {
        std::size_t leidos = 0;
        bool escucha = false;  // solo cuenta lo que hace después de listen()
        long fd_escucha = -1;  // y solo el close() de ese socket (el runtime de ASan abre y cierra otros)
        for (const auto& l : p->llamadas()) {
            if (l.pid != pid) continue;
            if (l.nombre == "listen") {
                escucha = true;
                fd_escucha = l.args[0];
            }
            if (!escucha) continue;
            const bool de_la_entrada = arnes::coincide_nombre(arnes::kLecturas, l.nombre) && l.args[0] == 0;
            if (de_la_entrada && l.terminada && l.resultado > 0) leidos += static_cast<std::size_t>(l.resultado);
            if (de_la_entrada && !l.terminada && leidos >= linea.size()) hace = Hace::espera_entrada;
            // Esperar a un cliente: bloqueado en accept() o, desde la lección 09, en poll() (o
            // select()) sobre el socket de escucha.
            else if (arnes::coincide_nombre("accept|accept4|poll|ppoll|select|pselect6|epoll_wait|epoll_pwait",
                                            l.nombre) &&
                     !l.terminada)
                hace = Hace::espera_cliente;
            else if ((l.nombre == "close" && l.args[0] == fd_escucha) || l.nombre == "exit_group" || l.nombre == "exit")
                hace = Hace::termina;
            else continue;
            decisiva = l;
            return true;
        }
        return !p->vivo();
    });
    if (hace == Hace::espera_entrada || hace == Hace::espera_cliente) {
        p->cerrar_entrada();
        return;
    }
    if (hace == Hace::termina) arnes::sintoma("no_espera_fin_de_entrada");
    ADD_FAILURE() << informe(
        {p->orden() + "\n(la prueba escribió «una línea, pero no el final» en su entrada estándar, "
                      "sin cerrarla)",
         "que el servidor siga esperando: lee y descarta su entrada hasta el fin (Ctrl+D), y solo "
         "entonces cierra",
         (decisiva ? "tras leer esa línea, " + decisiva->texto() + " sin esperar al fin de la entrada"
                   : std::string("no se vio qué hacía tras leer esa línea")) +
             "\nllamadas del servidor tras listen():\n" + arnes::enumerar(p->llamadas(), 8) + "\n" +
             p->resumen(),
         "lee hasta el FIN, no una línea ni un carácter: std::cin.ignore() con el máximo de "
         "std::streamsize (std::numeric_limits) descarta todo hasta el fin de fichero; get() o "
         "getline() vuelven en cuanto tienen un carácter o una línea",
         kLeerListen});
}

// La cola de listen() guarda a tres clientes que conectan antes de que el servidor llame a accept().
TEST_F(Listen, LaColaGuardaTresClientesAntesDeAccept) {
    Opciones o;
    o.retener_en = "accept|accept4";  // lecciones 04–07: accept() no saca a nadie de la cola
    auto p = servidor({"0"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    auto puerto = escucha_de(*p);
    if (!puerto) return;
    std::vector<Conexion> clientes;
    for (int i = 0; i < 3; ++i) {
        clientes.push_back(Conexion::conectar(*puerto, Ms(1500)));
        const Conexion& c = clientes.back();
        ASSERT_TRUE(c.valida()) << informe(
            {p->orden() + "\nconectar 3 clientes a 127.0.0.1:" + std::to_string(*puerto) +
                 " sin que el servidor haya llamado a accept()",
             "que los 3 se conecten: el núcleo completa la conexión y la deja en la cola",
             "el cliente " + std::to_string(i + 1) + " no pudo conectar: " +
                 (c.error() == 0 ? std::string("se agotó el plazo")
                                 : arnes::texto_errno(c.error())) +
                 "\n" + arnes::enumerar(p->llamadas("listen")) + "\n" + p->resumen(),
             "la cola de listen() guarda las conexiones pendientes; con listen(fd, 5) caben "
             "varias. Con una cola de 0 o 1 se llena enseguida",
             kLeerCola});
    }
    auto aceptadas = arnes::primera(p->llamadas("accept|accept4"),
                                    [](const Llamada& l) { return l.terminada; });
    EXPECT_FALSE(aceptadas.has_value()) << informe(
        {p->orden(), "ningún accept() terminado (la prueba retiene accept())",
         aceptadas ? aceptadas->texto() : "", "", kLeerCola});
}

}  // namespace

// --- Fallos provocados ---
namespace {

// Si listen() falla (EADDRINUSE provocado), el servidor lo explica y termina con código 1.
TEST_F(Listen, UnListenFallidoTerminaConUnoYLoExplica) {
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"listen", EADDRINUSE}};
    ARNES_REQUIERE_CAMBIOS();
    auto p = servidor({"0"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    auto t = arnes::tras_el_fallo(*p, "listen", "listen", EADDRINUSE);
    EXPECT_TRUE(t.bien()) << informe(
        {p->orden() + "\n(la prueba hizo fallar su listen() con EADDRINUSE, como cuando otro "
                      "socket ya escucha en ese puerto)",
         "que el servidor termine con código 1 y explique en stderr qué falló: una línea con "
         "«listen» y «" + arnes::texto_errno(EADDRINUSE) + "»",
         t.observado,
         "compruébalo con sockets::comprobar(\"listen()\", listen(escucha, kCola)); sin "
         "listen() no hay cola ni clientes, así que el servidor no puede seguir: main() explica "
         "la excepción en stderr y sale con código 1",
         kLeerListen});
}

}  // namespace
