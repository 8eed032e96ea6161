/// \file etapa04_accept.cpp
/// \brief Etapa 04 · accept y connect: el servidor acepta en su socket de escucha y narra quién
///        llegó; el cliente conecta al puerto pedido (en orden de red), narra los dos extremos y
///        explica una conexión rechazada.
///
/// En las lecciones 05–07 el servidor hace eco hasta EOF y el cliente envía su mensaje: la
/// prueba cierra la escritura (servidor) o hace de servidor de eco (cliente) para que acaben.
#include "arnes/arnes.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>
#include <sys/socket.h>

#include <regex>
#include <string>

namespace {

using arnes::Conexion;
using arnes::Direccion;
using arnes::Escucha;
using arnes::Informe;
using arnes::Llamada;
using arnes::Ms;
using arnes::Programa;
using arnes::PuertoCerrado;

const arnes::Lectura kLeerAccept{arnes::secciones::l04_aceptar, "man 2 accept"};
const arnes::Lectura kLeerConnect{arnes::secciones::l04_conectar, "man 2 connect"};
const arnes::Lectura kLeerOrden{arnes::secciones::l04_conectar, "man 3 htons, man 7 ip"};
const arnes::Lectura kLeerRechazo{arnes::secciones::l04_sin_servidor, "man 2 connect (ECONNREFUSED)"};

/// «127.0.0.1:5000»
std::string extremo(const Direccion& d) { return d.ip + ":" + std::to_string(d.puerto); }

/// La pista del síntoma si se reconoció alguno (no vacía); si no, la de la prueba.
std::string pista_o(const std::string& sintoma, const std::string& pista) {
    return sintoma.empty() ? pista : sintoma;
}

/// Si el cliente no llegó a conectarse porque su connect() recibió el puerto sin htons(), la
/// pista de ese síntoma; si no, "".
std::string sin_htons_en_connect(const Programa& p, bool conectado, int puerto) {
    const auto conexiones = p.llamadas("connect");
    return conectado || conexiones.empty() ? ""
                                           : arnes::pista_sin_htons(conexiones.front(), puerto);
}

class Accept : public arnes::PruebaDeEtapa {
protected:
    Accept() : PruebaDeEtapa(arnes::etapas::k04) {}

    /// Lanza `servidor 0`, espera a que escuche y le conecta un cliente. Deja un informe si algo
    /// de eso falla (y devuelve una conexión inválida).
    Conexion conectar_al_servidor(std::unique_ptr<Programa>& p) {
        p = servidor({"0"});
        auto puerto = p->esperar_escucha();
        if (!puerto) {
            ADD_FAILURE() << informe(
                {p->orden(), "la línea «listen(): escuchando en el puerto N …» (etapa 03)",
                 "no apareció\n" + p->resumen(), "completa antes la etapa 03",
                 arnes::secciones::l03_escuchar});
            return Conexion();
        }
        Conexion c = Conexion::conectar(*puerto);
        if (!c.valida())
            ADD_FAILURE() << informe({p->orden() + "\nconectar a 127.0.0.1:" + std::to_string(*puerto),
                                      "que la conexión se establezca",
                                      "connect() falló: " + arnes::texto_errno(c.error()) + "\n" +
                                          p->resumen(),
                                      "completa antes la etapa 03", arnes::secciones::l03_escuchar});
        return c;
    }

    /// Lanza `servidor 0` retenido a la entrada de accept() desde el primer instante y devuelve
    /// esa llamada (sin ejecutar: ningún cliente ha llegado). Si no llega, deja un informe.
    std::optional<Llamada> retenido_en_accept(std::unique_ptr<Programa>& p) {
        arnes::Opciones o;
        o.retener_en = "accept|accept4";
        p = servidor({"0"}, o);
        if (!p->trazado()) return std::nullopt;
        if (p->esperar_retenido()) {
            const auto as = p->llamadas("accept|accept4");
            if (!as.empty()) return as.back();
        }
        ADD_FAILURE() << informe({p->orden(), "una llamada a accept() tras listen()",
                                  "no se vio ningún accept()\núltimas llamadas:\n" +
                                      arnes::enumerar(p->llamadas()) + "\n" + p->resumen(),
                                  "tras listen(), llama a accept(fd_escucha, …)", kLeerAccept});
        return std::nullopt;
    }

    /// Espera el primer accept()/accept4() terminado; si no llega, deja un informe.
    std::optional<Llamada> accept_de(Programa& p, const std::string& entrada) {
        auto a = p.esperar_llamada("accept|accept4");
        if (!a)
            ADD_FAILURE() << informe(
                {entrada, "una llamada a accept() que devuelva la conexión de la prueba",
                 "no se vio ningún accept() terminado\núltimas llamadas:\n" +
                     arnes::enumerar(p.llamadas()) + "\n" + p.resumen(),
                 "tras listen(), llama a accept(fd_escucha, …): se bloquea hasta que llega un "
                 "cliente y devuelve un descriptor nuevo para hablar con él",
                 kLeerAccept});
        return a;
    }
};

// accept() (o accept4()) se llama sobre el socket de escucha y devuelve un descriptor nuevo.
TEST_F(Accept, ServidorAceptaEnElSocketDeEscucha) {
    std::unique_ptr<Programa> p;
    Conexion c = conectar_al_servidor(p);
    ARNES_REQUIERE_TRAZA(*p);
    if (!c.valida()) return;
    const std::string entrada = p->orden() + "\n(la prueba conecta un cliente)";
    auto a = accept_de(*p, entrada);
    if (!a) return;
    auto l = p->esperar_llamada("listen");
    ASSERT_TRUE(l.has_value()) << informe(
        {entrada, "un listen() sobre el socket antes de accept()",
         "se vio " + a->texto() + " pero ninguna llamada a listen()\n" + p->resumen(),
         "completa antes la etapa 03: listen() sobre el socket enlazado",
         arnes::secciones::l03_escuchar});
    EXPECT_TRUE((a->args[0]) == (l->args[0])) << informe(
        {entrada, "accept(" + std::to_string(l->args[0]) + ", …): el socket que escucha",
         l->texto() + "\n" + a->texto(),
         "accept() se llama sobre el socket de escucha, el mismo de bind() y listen()",
         kLeerAccept});
    EXPECT_TRUE(a->resultado >= 0 && a->resultado != l->args[0]) << informe(
        {entrada, "que accept() devuelva un descriptor nuevo (>= 0) para la conexión",
         a->texto(),
         "el socket de escucha sigue escuchando; la conversación con el cliente va por el "
         "descriptor que devuelve accept()",
         kLeerAccept});
}

// La línea «accept(): cliente IP:PUERTO en el descriptor C» dice quién se conectó de verdad.
TEST_F(Accept, ServidorNarraLaDireccionDelCliente) {
    std::unique_ptr<Programa> p;
    Conexion c = conectar_al_servidor(p);
    if (!c.valida()) return;
    const Direccion yo = c.local();
    const std::string entrada =
        p->orden() + "\n(la prueba conecta un cliente desde " + extremo(yo) + ")";
    static const std::regex patron(
        "accept\\(\\): cliente ([0-9.]+:[0-9]+) en el descriptor ([0-9]+)");
    std::smatch m;
    auto linea = p->esperar_salida(std::regex("accept\\(\\): cliente"));
    std::string texto = linea ? arnes::primera_linea(p->salida(), patron) : "";
    ASSERT_FALSE(texto.empty() || !std::regex_search(texto, m, patron)) << informe(
        {entrada, "una línea «[servidor] accept(): cliente " + extremo(yo) + " en el descriptor N»",
         "no apareció\n" + p->resumen(),
         "tras accept(), narra la dirección que rellenó (inet_ntop y ntohs) y el descriptor "
         "que devolvió",
         kLeerAccept});
    const std::string narrado = m[1];
    const std::string pista =
        narrado.rfind(yo.ip + ":", 0) == 0
            ? "el puerto del cliente llega en orden de red: narra ntohs(dir.sin_port)"
            : "narra la dirección que accept() rellena en su segundo argumento (inet_ntop)";
    EXPECT_TRUE((narrado) == (extremo(yo))) << informe(
        {entrada, "«accept(): cliente " + extremo(yo) + " …»", "«" + texto + "»", pista,
         kLeerAccept});
    if (p->trazado()) {
        auto a = p->esperar_llamada("accept|accept4");
        if (a) {
            EXPECT_TRUE(std::strtol(m.str(2).c_str(), nullptr, 10) == a->resultado) << informe(
                {entrada, "«… en el descriptor " + std::to_string(a->resultado) +
                              "», el que devolvió accept()",
                 "«" + texto + "», pero " + a->texto(),
                 "narra el valor que devuelve accept(), no el del socket de escucha",
                 kLeerAccept});
        }
    }
}

// accept() recibe en *addrlen el tamaño del hueco para la dirección del cliente (traza: el valor
// al que apunta su tercer argumento a la entrada), no 0 ni basura.
TEST_F(Accept, ServidorDaAAcceptElTamanoDelHueco) {
    std::unique_ptr<Programa> p;
    auto a = retenido_en_accept(p);
    ARNES_REQUIERE_TRAZA(*p);
    if (!a) return;
    p->soltar();
    if (a->args[1] == 0) GTEST_SKIP() << "accept() sin hueco para la dirección (NULL, NULL)";
    const long largo = a->largo_entrada;
    EXPECT_TRUE(largo == sizeof(sockaddr_in) || largo == sizeof(sockaddr_in6) ||
                largo == sizeof(sockaddr_storage))
        << informe({p->orden() + "\n(la prueba mira los argumentos de accept() al entrar)",
                    "*addrlen == sizeof del sockaddr que pasas (" +
                        std::to_string(sizeof(sockaddr_in)) + " para sockaddr_in, " +
                        std::to_string(sizeof(sockaddr_storage)) + " para sockaddr_storage)",
                    a->texto() + " con *addrlen = " +
                        (largo < 0 ? std::string("(ilegible)") : std::to_string(largo)),
                    "addrlen es de entrada y salida: antes de accept() pon en él el tamaño del "
                    "hueco, socklen_t largo = sizeof cliente; si no lo inicializas vale lo que "
                    "hubiera en la pila y accept() puede no rellenar la dirección",
                    kLeerAccept});
}

// El socket de escucha es bloqueante: accept() espera a que llegue un cliente en vez de volver
// con EAGAIN (se comprueba O_NONBLOCK en una copia del descriptor, con accept() retenido).
TEST_F(Accept, ServidorEsperaEnAcceptAQueLlegueUnCliente) {
    std::unique_ptr<Programa> p;
    auto a = retenido_en_accept(p);
    ARNES_REQUIERE_TRAZA(*p);
    if (!a) return;
    const int copia = arnes::copiar_descriptor(a->pid, static_cast<int>(a->args[0]));
    const int opciones = copia >= 0 ? fcntl(copia, F_GETFL) : -1;
    if (copia >= 0) close(copia);
    p->soltar();
    if (opciones < 0) GTEST_SKIP() << "no se pudo copiar el descriptor (pidfd_getfd)";
    if (opciones & O_NONBLOCK) arnes::sintoma("escucha_no_bloqueante");
    EXPECT_FALSE(opciones & O_NONBLOCK) << informe(
        {p->orden() + "\n(aún no ha llegado ningún cliente)",
         "un socket de escucha bloqueante: accept() espera al primer cliente",
         "el descriptor " + std::to_string(a->args[0]) + " de " + a->texto() +
             " tiene O_NONBLOCK: accept() volverá enseguida con -1 y EAGAIN si la cola está "
             "vacía",
         "crea el socket con socket(AF_INET, SOCK_STREAM, 0), sin SOCK_NONBLOCK, y no le pongas "
         "O_NONBLOCK con fcntl()",
         kLeerAccept});
}

// El servidor cierra la conexión que aceptó (close() del descriptor que devolvió accept()) cuando
// termina con su cliente: en la lección 04 antes de salir; desde la 05, tras el fin de fichero;
// en la 07, el padre nada más crear al hijo.
TEST_F(Accept, ServidorCierraLaConexionAceptada) {
    std::unique_ptr<Programa> p;
    Conexion c = conectar_al_servidor(p);
    ARNES_REQUIERE_TRAZA(*p);
    if (!c.valida()) return;
    const std::string entrada = p->orden() + "\n(la prueba conecta un cliente y cierra su escritura)";
    auto a = accept_de(*p, entrada);
    if (!a || a->resultado < 0) return;
    c.cerrar_escritura();  // lecciones 05+: el eco acaba
    const long fd = a->resultado;
    auto cierre = p->esperar_llamada([&](const Llamada& l) {
        return l.nombre == "close" && l.args[0] == fd && l.orden > a->orden;
    });
    EXPECT_TRUE(cierre.has_value()) << informe(
        {entrada, "close(" + std::to_string(fd) + "): cerrar la conexión que devolvió " + a->texto(),
         arnes::cierres_tras(*p, *a) + "\n" + p->resumen(),
         "la conexión con el cliente es otro descriptor, y también se cierra: "
         "sockets::comprobar(\"close()\", close(conexion)) cuando acabas con ese cliente (el de "
         "escucha se sigue cerrando al final)",
         kLeerAccept});
}

// El servidor no llama a accept() hasta que listen() ha funcionado.
TEST_F(Accept, ServidorNoAceptaAntesDeListen) {
    std::unique_ptr<Programa> p;
    Conexion c = conectar_al_servidor(p);
    ARNES_REQUIERE_TRAZA(*p);
    if (!c.valida()) return;
    const std::string entrada = p->orden() + "\n(la prueba conecta un cliente)";
    if (!accept_de(*p, entrada)) return;
    auto todas = p->llamadas();
    auto primer_accept = arnes::primera(todas, [](const Llamada& l) {
        return l.nombre == "accept" || l.nombre == "accept4";
    });
    auto listen_bien = arnes::primera(todas, [](const Llamada& l) {
        return l.nombre == "listen" && l.terminada && l.resultado == 0;
    });
    ASSERT_TRUE(primer_accept.has_value()) << informe(
        {entrada, "una llamada a accept() en la traza",
         "no se vio ninguna llamada a accept()\n" + arnes::enumerar(todas, 10),
         "tras listen(), llama a accept() sobre el socket de escucha", kLeerAccept});
    EXPECT_TRUE(listen_bien && listen_bien->orden < primer_accept->orden) << informe(
        {entrada, "socket() → bind() → listen() → accept(), en ese orden",
         "el primer accept() llegó " +
             std::string(listen_bien ? "antes que listen()" : "sin un listen() que funcionara") +
             ":\n" + arnes::enumerar(todas, 10),
         "accept() solo funciona sobre un socket que ya escucha; antes devuelve EINVAL",
         kLeerAccept});
}

// El cliente llama a connect() con su socket y la dirección 127.0.0.1:P en orden de red.
TEST_F(Accept, ClienteConectaAlPuertoEnOrdenDeRed) {
    Escucha escucha;
    const int puerto = escucha.puerto();
    auto p = cliente({"127.0.0.1", std::to_string(puerto), "hola"});
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    arnes::atender_cliente(escucha, *p);
    auto con = p->esperar_llamada("connect");
    ASSERT_TRUE(con) << informe(
        {p->orden() + "\n(la prueba escucha en ese puerto)",
         "connect(fd, {AF_INET, 127.0.0.1:" + std::to_string(puerto) + "}, 16)",
         "no se vio ninguna llamada a connect()\núltimas llamadas:\n" +
             arnes::enumerar(p->llamadas()) + "\n" + p->resumen(),
         "tras socket(), rellena un sockaddr_in con la IP (inet_pton) y htons(puerto) y "
         "llama a connect()",
         kLeerConnect});
    auto s = p->esperar_llamada("socket");
    ASSERT_TRUE(s.has_value()) << informe(
        {p->orden() + "\n(la prueba escucha en ese puerto)", "un socket() antes de connect()",
         "se vio " + con->texto() + " pero ninguna llamada a socket()\n" + p->resumen(),
         "completa antes la etapa 01: socket(AF_INET, SOCK_STREAM, 0)",
         {arnes::secciones::l01_crear, "man 2 socket"}});
    const std::string entrada = p->orden() + "\n(la prueba escucha en 127.0.0.1:" +
                                std::to_string(puerto) + ")";
    const std::string esperado = "connect(" + std::to_string(s->resultado) + ", {AF_INET, 127.0.0.1:" +
                                 std::to_string(puerto) + "}, 16) = 0";
    EXPECT_TRUE((con->args[0]) == (s->resultado)) << informe(
        {entrada, esperado, con->texto(), "conecta con el descriptor que devolvió socket()",
         kLeerConnect});
    ASSERT_TRUE(con->direccion.has_value())
        << informe({entrada, esperado, con->texto(), "", kLeerConnect});
    const Direccion& d = *con->direccion;
    EXPECT_TRUE(d.familia == AF_INET && d.ip == "127.0.0.1") << informe(
        {entrada, esperado, con->texto(),
         "sin_family = AF_INET y sin_addr con la IP que devuelve leer_host() (ya en orden de red)",
         kLeerConnect});
    EXPECT_TRUE((d.puerto) == (puerto)) << informe(
        {entrada, esperado, con->texto(),
         pista_o(arnes::pista_sin_htons(*con, puerto),
                 "sin_port = htons(puerto), con el puerto de la línea de órdenes"),
         kLeerOrden});
    // Con el descriptor, la dirección o el puerto mal, connect() falla por eso mismo: otro
    // informe con el mismo «observado» no diría nada nuevo.
    if (HasFailure()) return;
    EXPECT_TRUE((con->resultado) == (0)) << informe({entrada, esperado, con->texto(), "", kLeerConnect});
}

// El cliente conecta a la IP que recibe como HOST, no a una fija: la prueba escucha en
// 127.0.0.2 (Linux lleva todo 127.0.0.0/8 a la interfaz de loopback).
TEST_F(Accept, ClienteConectaAlHostIndicado) {
    Escucha escucha("127.0.0.2");
    if (escucha.fd() < 0) GTEST_SKIP() << "no se puede escuchar en 127.0.0.2";
    auto p = cliente({"127.0.0.2", std::to_string(escucha.puerto()), "hola"});
    p->cerrar_entrada();
    auto atencion = arnes::atender_cliente(escucha, *p);
    const auto conexiones = p->llamadas("connect");
    // El síntoma antes que la prueba: sin htons(), connect() fue a otro puerto, no a otra IP.
    const std::string sin_htons = sin_htons_en_connect(*p, atencion.conectado, escucha.puerto());
    EXPECT_TRUE(atencion.conectado) << informe(
        {p->orden() + "\n(la prueba escucha en 127.0.0.2:" + std::to_string(escucha.puerto()) +
             ")",
         "que el cliente se conecte a 127.0.0.2:" + std::to_string(escucha.puerto()),
         "no llegó ninguna conexión; " +
             (conexiones.empty() ? std::string("no se vio ningún connect()")
                                 : conexiones.front().texto()) +
             "\n" + p->resumen(),
         pista_o(sin_htons, "rellena sin_addr con la IP del argumento HOST (leer_host() / "
                            "inet_pton()), no con 127.0.0.1 ni INADDR_LOOPBACK fijos"),
         sin_htons.empty() ? kLeerConnect : kLeerOrden});
}

// La línea «connect(): conectado a A desde B» dice los dos extremos reales de la conexión.
TEST_F(Accept, ClienteNarraAmbosExtremos) {
    Escucha escucha;
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"});
    p->cerrar_entrada();
    auto atencion = arnes::atender_cliente(escucha, *p);
    const std::string entrada = p->orden() + "\n(la prueba escucha en 127.0.0.1:" +
                                std::to_string(escucha.puerto()) + ")";
    const std::string sin_htons = sin_htons_en_connect(*p, atencion.conectado, escucha.puerto());
    ASSERT_TRUE(atencion.conectado) << informe(
        {entrada, "que el cliente se conecte a la prueba",
         "no llegó ninguna conexión\n" + p->resumen(),
         pista_o(sin_htons, "tras socket(), llama a connect() con 127.0.0.1 y htons(puerto)"),
         sin_htons.empty() ? kLeerConnect : kLeerOrden});
    // Desde el cliente: conectado a <extremo de la prueba> desde <extremo del cliente>.
    const std::string esperado = "«[cliente] connect(): conectado a " + extremo(atencion.local) +
                                 " desde " + extremo(atencion.remota) + "»";
    static const std::regex patron(
        "connect\\(\\): conectado a ([0-9.]+:[0-9]+) desde ([0-9.]+:[0-9]+)");
    p->esperar_salida(std::regex("connect\\(\\): conectado"));
    std::string texto = arnes::primera_linea(p->salida(), patron);
    std::smatch m;
    ASSERT_FALSE(texto.empty() || !std::regex_search(texto, m, patron)) << informe(
        {entrada, esperado, "no apareció esa línea\n" + p->resumen(),
         "tras connect(), narra el servidor y tu propia dirección (getsockname())", kLeerConnect});
    EXPECT_TRUE((m[1].str()) == (extremo(atencion.local))) << informe(
        {entrada, esperado, "«" + texto + "»",
         "el primer extremo es el servidor: la IP y el puerto a los que conectaste", kLeerConnect});
    EXPECT_TRUE((m[2].str()) == (extremo(atencion.remota))) << informe(
        {entrada, esperado, "«" + texto + "»",
         "el segundo extremo es el tuyo: pregúntalo con getsockname() tras connect() y narra "
         "ntohs(sin_port); el núcleo eligió ese puerto al conectar",
         kLeerConnect});
}

// Sin servidor en el puerto, el cliente termina con código 1 y explica que connect() fue rechazada.
TEST_F(Accept, ClienteSinServidorTerminaConUnoYLoExplica) {
    PuertoCerrado cerrado;
    auto p = cliente({"127.0.0.1", std::to_string(cerrado.puerto()), "hola"});
    p->cerrar_entrada();
    auto fin = p->esperar_fin();
    const std::string entrada =
        p->orden() + "\n(nadie escucha en ese puerto: connect() recibe ECONNREFUSED)";
    const std::string esperado =
        "que el cliente termine con código 1 y explique en stderr «[cliente] error: connect(): "
        "conexión rechazada (ECONNREFUSED)»";
    ASSERT_TRUE(fin) << informe({entrada, esperado, "no terminó\n" + p->resumen(),
                                 "comprueba el resultado de connect(): si es -1, informa y "
                                 "termina",
                                 kLeerRechazo});
    const std::string err = p->errores();
    const bool nombra = err.find("connect()") != std::string::npos;
    const bool explica = err.find("rechazada") != std::string::npos;
    EXPECT_TRUE(!fin->por_senal && fin->codigo == 1 && nombra && explica) << informe(
        {entrada, esperado, p->resumen(),
         fin->por_senal ? arnes::pista_por_senal(*fin, "comprueba el resultado de connect()")
         : fin->codigo != 1 ? "si connect() devuelve -1 el cliente no puede seguir: explica el "
                              "error en stderr y sal con código 1"
         : !nombra ? "el mensaje de error debe nombrar la llamada que falló: «connect(): …»"
                   : "explica el errno en español («conexión rechazada (ECONNREFUSED)»); usa "
                     "comprobar() de sockets_comun.h",
         kLeerRechazo});
}

// Cuando el cliente termina no deja ningún proceso suyo vivo.
TEST_F(Accept, ClienteNoDejaProcesosAlTerminar) {
    Escucha escucha;
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"});
    p->cerrar_entrada();
    arnes::atender_cliente(escucha, *p);
    auto fin = p->esperar_fin();
    const std::string entrada = p->orden() + "\n(la prueba escucha en 127.0.0.1:" +
                                std::to_string(escucha.puerto()) + " y devuelve lo recibido)";
    ASSERT_TRUE(fin.has_value()) << informe(
        {entrada, "que el cliente termine", "no terminó\n" + p->resumen(),
         "tras conectar (y, en lecciones siguientes, recibir el eco), cierra y sal de main()",
         kLeerConnect});
    std::vector<pid_t> quedan;
    arnes::esperar_que([&] { return (quedan = p->procesos_del_grupo()).empty(); }, Ms(500));
    std::string lista;
    for (pid_t q : quedan) lista += (lista.empty() ? "" : ", ") + std::to_string(q);
    EXPECT_TRUE(quedan.empty()) << informe(
        {entrada, "ningún proceso del cliente vivo tras su final",
         "quedan los procesos " + lista + "\n" + p->resumen(),
         "el cliente no necesita procesos hijos: no llames a fork()", kLeerConnect});
}

}  // namespace

// --- Fallos provocados ---
namespace {

// Un accept() que falla con ECONNABORTED (provocado) se reintenta y el cliente se atiende igual.
TEST_F(Accept, ServidorReintentaUnAcceptAbortado) {
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"accept|accept4", ECONNABORTED}};
    ARNES_REQUIERE_CAMBIOS();
    auto p = servidor({"0"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    const std::string entrada =
        p->orden() + "\n(la prueba hizo fallar su primer accept() con ECONNABORTED, como cuando "
                     "el cliente de la cola se va antes de ser aceptado; luego conectó un "
                     "cliente)";
    auto puerto = p->esperar_escucha();
    ASSERT_TRUE(puerto) << informe({entrada, "la línea «listen(): escuchando en el puerto N …»",
                                    "no apareció\n" + p->resumen(), "completa antes la etapa 03",
                                    arnes::secciones::l03_escuchar});
    Conexion c = Conexion::conectar(*puerto);
    auto aceptada = p->esperar_llamada([](const Llamada& l) {
        return (l.nombre == "accept" || l.nombre == "accept4") && !l.provocado &&
               l.resultado >= 0;
    });
    const bool narrada =
        aceptada && c.valida() && p->esperar_salida(std::regex("accept\\(\\): cliente 127\\.0\\.0\\.1:" +
                                                   std::to_string(c.local().puerto) + "\\b"))
                          .has_value();
    c.cerrar_escritura();  // lecciones 05+: fin del eco
    c.esperar_cierre();
    EXPECT_TRUE(aceptada && narrada) << informe(
        {entrada,
         "que el servidor vuelva a llamar a accept(), acepte al cliente y lo narre: "
         "«[servidor] accept(): cliente 127.0.0.1:" +
             (c.valida() ? std::to_string(c.local().puerto) : std::string("P")) + " …»",
         "llamadas a accept():\n" + arnes::enumerar(p->llamadas("accept|accept4")) + "\n" +
             p->resumen(),
         "ECONNABORTED no es un fallo del servidor sino de un cliente que se rindió en la cola: "
         "si accept() devuelve -1 con errno == ECONNABORTED, vuelve a llamarla (un while); "
         "cualquier otro -1 sí se comprueba con sockets::comprobar()",
         kLeerAccept});
}

// Si connect() falla (ECONNREFUSED provocado, con un servidor escuchando), el cliente termina
// con código 1 y lo explica.
TEST_F(Accept, ClienteConConnectFallidoTerminaConUnoYLoExplica) {
    Escucha escucha;
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{"connect", ECONNREFUSED}};
    ARNES_REQUIERE_CAMBIOS();
    auto p = cliente({"127.0.0.1", std::to_string(escucha.puerto()), "hola"}, o);
    ARNES_REQUIERE_TRAZA(*p);
    p->cerrar_entrada();
    auto t = arnes::tras_el_fallo(*p, "connect", "connect", ECONNREFUSED);
    arnes::atender_cliente(escucha, *p, Ms(500));  // por si conecta a pesar de todo
    EXPECT_TRUE(t.bien()) << informe(
        {p->orden() + "\n(la prueba escuchaba en ese puerto, pero hizo fallar el connect() del "
                      "cliente con ECONNREFUSED)",
         "que el cliente termine con código 1 y explique en stderr qué falló: una línea con "
         "«connect» y «" + arnes::texto_errno(ECONNREFUSED) + "»",
         t.observado,
         "comprueba connect() con sockets::comprobar(llamada, connect(…)): si devuelve -1, el "
         "cliente no tiene con quién hablar; main() explica la excepción y sale con código 1",
         kLeerRechazo});
}

}  // namespace
