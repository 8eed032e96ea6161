/// \file etapa06_close.cpp
/// \brief Etapa 06 · close: liberación ordenada de la conexión. El servidor cierra el socket con
///        nombre (el de escucha) en cuanto acepta y el conectado al final; el cliente cierra solo
///        su escritura con shutdown(SHUT_WR) y lee hasta el fin de fichero.
///
/// Estas pruebas corren contra las lecciones 06 y 07. En la 06 el mismo proceso que aceptó cierra
/// la escucha y atiende; en la 07 el padre conserva la escucha y es el HIJO quien la cierra nada
/// más nacer y atiende. Por eso las pruebas hablan de «el proceso que atiende al cliente» (el que
/// hace read() sobre el descriptor aceptado), que en la 06 es el principal y en la 07 el hijo.
#include "arnes/arnes.h"

#include <sys/socket.h>

#include <algorithm>
#include <regex>
#include <sstream>

namespace {

using arnes::Conexion;
using arnes::Escucha;
using arnes::Llamada;
using arnes::Ms;
using arnes::Opciones;
using arnes::Programa;
using arnes::visible;
using arnes::coincide_nombre;

/// La etapa de este fichero (sus dos fijaciones la comparten).
constexpr const arnes::Etapa& kEtapa = arnes::etapas::k06;

const arnes::Lectura kLeerCierre{arnes::secciones::l06_close_conexion, "man 2 close"};
const arnes::Lectura kLeerEscucha{arnes::secciones::l06_close_escucha, "man 2 close, man 2 accept"};
const arnes::Lectura kLeerShutdown{arnes::secciones::l06_shutdown, "man 2 shutdown, man 2 read"};

bool es_lectura(const std::string& nombre) { return coincide_nombre(arnes::kLecturas, nombre); }

std::string texto_cierre(arnes::Cierre c) {
    switch (c) {
        case arnes::Cierre::kOrdenado:
            return "un fin de fichero ordenado (FIN)";
        case arnes::Cierre::kReinicio:
            return "un reinicio de la conexión (RST, ECONNRESET)";
        case arnes::Cierre::kPlazo:
            return "nada: la conexión siguió abierta hasta vencer el plazo";
        default:
            return "un error de la conexión";
    }
}

/// El servidor de la etapa 06: lo lanza con «servidor 0» y espera a que escuche.
class Cierre : public arnes::PruebaDeEtapa {
protected:
    Cierre() : PruebaDeEtapa(kEtapa) {}

    /// Conecta y comprueba un primer eco: al volver, el servidor ya aceptó y está atendiendo.
    Conexion conectar_y_saludar(int puerto, const std::string& linea) {
        Conexion c = Conexion::conectar(puerto);
        std::string r;
        if (c.valida() && c.enviar(linea)) r = c.recibir_linea();
        if (r != linea) {
            ADD_FAILURE() << informe({"conectar y enviar " + visible(linea),
                                      "recibir el eco " + visible(linea) + " (etapa 05)",
                                      (c.valida() ? "se recibió " + visible(r)
                                                  : "connect(): " + arnes::texto_errno(c.error())) +
                                          "\n" + srv_->resumen(),
                                      "primero haz pasar las pruebas de la etapa 05",
                                      arnes::secciones::l05_eco});
            return Conexion();
        }
        return c;
    }

    /// El proceso que atiende a la conexión aceptada `conectado`: el que hace read() sobre ella.
    std::optional<Llamada> primera_lectura(long conectado) const {
        for (const auto& l : srv_->llamadas(arnes::kLecturas))
            if (l.args[0] == conectado) return l;
        return std::nullopt;
    }

};

// El cliente que cierra su escritura recibe todo su eco y después un fin de fichero ordenado.
TEST_F(Cierre, ElClienteVeUnFinOrdenadoTrasSuEco) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion c = Conexion::conectar(puerto);
    ASSERT_TRUE(c.valida()) << informe(
        {"conectar a 127.0.0.1:" + std::to_string(puerto), "conectar",
         arnes::texto_errno(c.error()) + "\n" + srv_->resumen(), "", arnes::secciones::l04_aceptar});
    const std::string datos = "primera línea\nsegunda línea\nhasta luego\n";
    c.enviar(datos);
    c.cerrar_escritura();
    arnes::Cierre como = arnes::Cierre::kNinguno;
    const std::string r = c.recibir_todo(arnes::kPlazo, &como);
    if (r == datos && como == arnes::Cierre::kOrdenado) return;
    // Por qué un RST: SO_LINGER con 0 segundos (close() corta), o cerrar con datos sin leer.
    std::string pista;
    if (como == arnes::Cierre::kReinicio && srv_->trazado()) {
        auto linger = arnes::primera(srv_->llamadas("setsockopt"), [](const Llamada& l) {
            return l.args[1] == SOL_SOCKET && l.args[2] == SO_LINGER;
        });
        if (linger) {
            arnes::sintoma("cierre_con_reinicio");
            pista = "el servidor llamó a " + linger->texto() + ": con SO_LINGER y 0 segundos, close() "
                    "descarta lo pendiente y corta con RST. Cierra con un close() normal, sin SO_LINGER";
        }
    }
    if (pista.empty())
        pista = como == arnes::Cierre::kPlazo
                    ? "cuando read() devuelve 0 el cliente ya no enviará nada: cierra el descriptor "
                      "conectado con close() para que el cliente vea el fin"
                : como == arnes::Cierre::kReinicio
                    ? "lee todo lo que envió el cliente antes de cerrar: cerrar con datos sin leer "
                      "hace que el núcleo envíe RST en vez de FIN"
                    : "el eco devuelve cada byte hasta el fin de fichero; después, close()";
    ADD_FAILURE() << informe(
        {"enviar tres líneas y cerrar la escritura (shutdown(SHUT_WR))",
         "recibir el eco de las tres líneas y después un fin de fichero ordenado",
         "se recibió " + visible(r) + " y luego " + texto_cierre(como) +
             (r == datos ? "" : "\n" + arnes::primera_diferencia(datos, r)) + "\n" + srv_->resumen(),
         pista, kLeerCierre});
}

// El proceso que atiende cierra el socket de escucha justo tras accept(), antes de leer nada.
TEST_F(Cierre, CierraLaEscuchaJustoTrasAccept) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = conectar_y_saludar(puerto, "¿cerraste la escucha?\n");
    if (!c.valida()) return;
    auto escuchas = srv_->llamadas("listen");
    auto aceptadas = srv_->llamadas("accept|accept4");
    ASSERT_FALSE(escuchas.empty() || aceptadas.empty() || !aceptadas.front().terminada)
        << informe({"conectar y recibir un eco", "listen() y accept() en la traza",
                    arnes::enumerar(srv_->llamadas(), 10), "", arnes::secciones::l04_aceptar});
    const Llamada& aceptada = aceptadas.front();
    const long escucha = escuchas.front().args[0];
    const long conectado = aceptada.resultado;
    auto lectura = primera_lectura(conectado);
    ASSERT_TRUE(lectura) << informe(
        {"conectar y recibir un eco",
         "un read() sobre el descriptor aceptado " + std::to_string(conectado),
         arnes::enumerar(srv_->llamadas(arnes::kLecturas)), "", arnes::secciones::l05_eco});
    // En la 06 el que atiende es el principal; en la 07, el hijo que hizo ese read().
    const pid_t atiende = lectura->pid;
    bool cerrada = false;
    for (const auto& l : srv_->llamadas("close"))
        if (l.pid == atiende && l.args[0] == escucha && l.orden > aceptada.orden &&
            l.orden < lectura->orden)
            cerrada = true;
    if (!cerrada) acabar_y_esperar_cierre(c, atiende, escucha, aceptada);
    EXPECT_TRUE(cerrada) << informe(
        {"conectar y enviar una línea",
         "close(" + std::to_string(escucha) +
             ") (el socket de escucha) por el proceso que atiende "
             "(pid " +
             std::to_string(atiende) + ") entre " + aceptada.texto() + " y su primer " +
             lectura->texto(),
         cierres_tras(*srv_, escuchas.front()),
         "como dice el texto, «se cerrará el descriptor del socket servidor con nombre en cuanto "
         "realice una conexión»: llama a close() sobre el socket de escucha nada más aceptar (en "
         "la lección 07, en el hijo)",
         kLeerEscucha});
}

// Sin necesidad de traza: el proceso que atiende ya no tiene abierto el socket de escucha.
TEST_F(Cierre, QuienAtiendeNoConservaLaEscucha) {
    Opciones o;
    o.trazar = false;
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    auto narrado =
        srv_->esperar_salida(std::regex(R"(\[servidor\] socket\(\): descriptor (\d+))"), Ms(100));
    if (!narrado) GTEST_SKIP() << "el servidor no narra «[servidor] socket(): descriptor N»";
    const int escucha =
        static_cast<int>(std::min(std::strtol(narrado->c_str(), nullptr, 10), 999999L));
    Conexion c = conectar_y_saludar(puerto, "¿quién me atiende?\n");
    if (!c.valida()) return;
    // En la 07 atiende el hijo (el único, con un solo cliente); en la 06, el principal.
    const auto hijos = srv_->hijos();
    const pid_t atiende = hijos.empty() ? srv_->pid() : hijos.front();
    const auto fds = srv_->descriptores(atiende);
    EXPECT_TRUE((std::count(fds.begin(), fds.end(), escucha)) == (0)) << informe(
        {"conectar y recibir un eco (el servidor ya está atendiendo)",
         "que el proceso que atiende (pid " + std::to_string(atiende) + ", " +
             (hijos.empty() ? "el principal" : "el hijo") + ") ya no tenga abierto el descriptor " +
             std::to_string(escucha) + " (el de escucha, según «socket(): descriptor " +
             std::to_string(escucha) + "»)",
         "sigue abierto\n" + srv_->resumen(),
         "quien atiende a un cliente no necesita el socket con nombre: ciérralo con close() "
         "justo después de accept()",
         kLeerEscucha});
}

// El proceso que atiende cierra el descriptor conectado al final, tras leer el fin de fichero.
TEST_F(Cierre, CierraElConectadoAlFinal) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = conectar_y_saludar(puerto, "adiós\n");
    if (!c.valida()) return;
    c.cerrar_escritura();
    auto aceptada = srv_->esperar_llamada("accept|accept4");
    ASSERT_FALSE(!aceptada || aceptada->resultado < 0)
        << informe({"conectar", "un accept() con éxito", arnes::enumerar(srv_->llamadas()), "",
                    arnes::secciones::l04_aceptar});
    const long conectado = aceptada->resultado;
    // El fin de fichero: un read() del descriptor conectado que devuelve 0.
    auto fin_de_fichero = srv_->esperar_llamada([&](const Llamada& l) {
        return es_lectura(l.nombre) && l.args[0] == conectado && l.resultado == 0;
    });
    ASSERT_TRUE(fin_de_fichero) << informe(
        {"enviar «adiós», recibir el eco y cerrar la escritura (shutdown(SHUT_WR))",
         "un read() sobre el descriptor " + std::to_string(conectado) +
             " que devuelva 0 "
             "(fin de fichero)",
         "lecturas observadas:\n" + arnes::enumerar(srv_->llamadas(arnes::kLecturas)) + "\n" +
             srv_->resumen(),
         "sigue leyendo hasta que read() devuelva 0", kLeerCierre});
    auto cierre = srv_->esperar_llamada([&](const Llamada& l) {
        return l.nombre == "close" && l.args[0] == conectado && l.pid == fin_de_fichero->pid &&
               l.orden > fin_de_fichero->orden;
    });
    EXPECT_TRUE(cierre.has_value()) << informe(
        {"enviar «adiós», recibir el eco y cerrar la escritura",
         "close(" + std::to_string(conectado) + ") después de " + fin_de_fichero->texto(),
         cierres_tras(*srv_, *aceptada) + "\n" + srv_->resumen(),
         "cuando read() devuelve 0, cierra el descriptor conectado con close(): así el cliente "
         "ve el fin de la conversación",
         kLeerCierre});
}

// Un segundo cliente no lo atiende el proceso ocupado con el primero.
//  - Servidor sin fork (lección 06): con la escucha cerrada, connect() del segundo se rechaza
//    (ECONNREFUSED); como mucho queda en una cola que nadie atiende (RST o silencio).
//  - Servidor con fork (lección 07): la escucha sigue abierta en el padre, así que el segundo SÍ
//    es atendido, pero por OTRO proceso (otro hijo), nunca por el que atiende al primero.
TEST_F(Cierre, UnSegundoClienteNoLoAtiendeElProcesoOcupado) {
    Opciones o;
    o.trazar = false;
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    Conexion primero = conectar_y_saludar(puerto, "soy el primero\n");
    if (!primero.valida()) return;
    const bool crea_hijos = !srv_->hijos().empty();
    Conexion segundo = Conexion::conectar(puerto, Ms(1000));
    if (!crea_hijos) {
        // Variante del texto: sin fork, la escucha está cerrada mientras se atiende al primero.
        if (segundo.valida()) {
            segundo.enviar("soy el segundo\n");
            const std::string r = segundo.recibir_linea(Ms(500));
            EXPECT_TRUE(r.empty()) << informe(
                {"con el primer cliente aún conectado, conectar un segundo y enviar «soy el "
                 "segundo»",
                 "que el segundo sea rechazado (ECONNREFUSED): el socket de escucha ya está "
                 "cerrado",
                 "el segundo recibió " + visible(r) + "\n" + srv_->resumen(),
                 "un servidor sin fork atiende a un solo cliente: cierra la escucha tras accept()",
                 kLeerEscucha});
        } else {
            EXPECT_TRUE((segundo.error()) == (ECONNREFUSED))
                << informe({"conectar un segundo cliente", "ECONNREFUSED",
                            arnes::texto_errno(segundo.error()), "", kLeerEscucha});
        }
    } else {
        // Variante con fork (lección 07): el segundo lo atiende otro hijo.
        std::string r;
        if (segundo.valida() && segundo.enviar("soy el segundo\n")) r = segundo.recibir_linea();
        const auto hijos = srv_->hijos();
        EXPECT_TRUE(r == "soy el segundo\n" && hijos.size() >= 2) << informe(
            {"servidor con fork: con el primer cliente aún conectado, conectar un segundo",
             "que el segundo reciba su eco de otro hijo (dos hijos vivos)",
             "el segundo recibió " + visible(r) + "; hijos: " + std::to_string(hijos.size()) +
                 "\n" + srv_->resumen(),
             "el padre sigue aceptando; cada hijo atiende a un solo cliente", arnes::secciones::l07_hijo});
    }
    // El primero sigue atendido como si nada.
    primero.enviar("sigo aquí\n");
    const std::string r = primero.recibir_linea();
    EXPECT_TRUE((r) == ("sigo aquí\n")) << informe(
        {"tras el intento del segundo cliente, el primero envía "
         "«sigo aquí»",
         "su eco", "se recibió " + visible(r) + "\n" + srv_->resumen(), "", kLeerEscucha});
}

/// El cliente de la etapa 06, frente a un servidor de la prueba.
class ClienteCierre : public arnes::PruebaDeEtapa {
protected:
    ClienteCierre() : PruebaDeEtapa(kEtapa) {}

    /// Hace de servidor de eco para `lineas` líneas; devuelve cómo terminó el cliente su envío.
    arnes::Cierre servir(Conexion& c, int lineas) {
        for (int i = 0; i < lineas; ++i) {
            const std::string l = c.recibir_linea();
            if (l.empty()) break;
            c.enviar(l);
        }
        return c.esperar_cierre();
    }
};

// Al acabar su entrada, el cliente cierra su escritura pero espera a que el servidor cierre:
// no termina hasta entonces, y entonces termina con código 0 y con todos los ecos impresos.
TEST_F(ClienteCierre, EsperaElCierreDelServidor) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto())});
    cli->escribir_entrada("uno\ndos\n");
    cli->cerrar_entrada();
    Conexion c = e.aceptar();
    ASSERT_TRUE(c.valida()) << informe(
        {cli->orden(), "que se conecte", cli->resumen(), "", arnes::secciones::l04_conectar});
    const arnes::Cierre como = servir(c, 2);
    const std::string entrada =
        "entrada estándar «uno\\ndos\\n» y fin; el servidor devuelve cada línea";
    ASSERT_FALSE(como != arnes::Cierre::kOrdenado)
        << informe({entrada, "que el servidor vea un fin de fichero ordenado del cliente",
                    "vio " + texto_cierre(como) + "\n" + cli->resumen(),
                    "al acabar la entrada, llama a shutdown(fd, SHUT_WR)", kLeerShutdown});
    // El servidor aún no ha cerrado: el cliente debe seguir esperando su fin de fichero. Con
    // traza decide lo primero que hace tras shutdown(): leer (bien) o cerrar/terminar (mal).
    const auto con = cli->llamadas("connect");
    std::optional<Llamada> siguiente;
    std::optional<arnes::Fin> antes;
    if (cli->trazado() && !con.empty()) {
        const long fd = con.front().args[0];
        bool cortado = false;  // ya vio su shutdown()
        siguiente = cli->esperar_llamada(
            [&](const Llamada& l) {
                if (l.orden <= con.front().orden) return false;
                if (l.nombre == "exit" || l.nombre == "exit_group") return true;
                if (l.args[0] != fd) return false;
                if (l.nombre == "shutdown") cortado = true;
                return l.nombre == "close" || (cortado && es_lectura(l.nombre));
            },
            arnes::kPlazo, false);
    } else {
        antes = cli->esperar_fin(Ms(300));
    }
    const bool espera = siguiente ? es_lectura(siguiente->nombre) : !antes.has_value();
    EXPECT_TRUE(espera) << informe(
        {entrada + "; el servidor todavía no cierra",
         "que el cliente siga esperando (leyendo) hasta que el servidor cierra",
         (siguiente ? "tras su último envío, el cliente llamó a " + siguiente->texto()
                    : "el cliente " + (antes ? antes->texto() : std::string("no hizo nada"))) +
             " sin esperar al servidor\n" + cli->resumen(),
         "tras shutdown(SHUT_WR) sigue leyendo hasta que read() devuelva 0: lo que el servidor "
         "aún tenga que enviar llega después de tu último write()",
         kLeerShutdown});
    c.cerrar();
    auto fin = cli->esperar_fin();
    std::vector<std::string> ecos;
    std::istringstream is(cli->salida());
    for (std::string l; std::getline(is, l);)
        if (l.rfind("[cliente] eco: ", 0) == 0) ecos.push_back(l.substr(15));
    EXPECT_TRUE(fin && !fin->por_senal && fin->codigo == 0 &&
                ecos == std::vector<std::string>({"uno", "dos"}))
        << informe({entrada + "; luego el servidor cierra ordenadamente",
                    "«[cliente] eco: uno», «[cliente] eco: dos» y código 0",
                    (fin ? "el cliente " + fin->texto()
                         : "sigue en marcha, bloqueado en " + cli->donde_esta()) +
                        "\n" + cli->resumen(),
                    "read() == 0 tras shutdown(SHUT_WR) es el cierre limpio: termina con código 0",
                    kLeerShutdown});
}

// El cliente usa shutdown(SHUT_WR) sobre su socket tras su último write() y lee después hasta
// el fin de fichero (un read() que devuelve 0).
TEST_F(ClienteCierre, CierraSoloLaEscrituraConShutdown) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "último mensaje"});
    ARNES_REQUIERE_TRAZA(*cli);
    Conexion c = e.aceptar();
    ASSERT_TRUE(c.valida()) << informe(
        {cli->orden(), "que se conecte", cli->resumen(), "", arnes::secciones::l04_conectar});
    servir(c, 1);
    c.cerrar();
    cli->esperar_fin();
    auto conexiones = cli->llamadas("connect");
    ASSERT_FALSE(conexiones.empty())
        << informe({cli->orden(), "un connect()", arnes::enumerar(cli->llamadas()), "",
                    arnes::secciones::l04_aceptar});
    const long fd = conexiones.front().args[0];
    std::optional<Llamada> shut, ultimo_write, eof_tras_shut, cierre_antes;
    for (const auto& l : cli->llamadas()) {
        if (l.args[0] != fd || l.orden <= conexiones.front().orden) continue;
        if (l.nombre == "shutdown" && l.args[1] == SHUT_WR && !shut) shut = l;
        if (l.nombre == "close" && !shut && !cierre_antes) cierre_antes = l;
        if (!shut && coincide_nombre(arnes::kEscrituras, l.nombre))
            ultimo_write = l;
        if (shut && es_lectura(l.nombre) && l.terminada && l.resultado == 0) eof_tras_shut = l;
    }
    std::vector<Llamada> sobre_fd;
    for (const auto& l : cli->llamadas())
        if (l.args[0] == fd && l.orden > conexiones.front().orden) sobre_fd.push_back(l);
    const std::string observadas = "llamadas sobre el descriptor " + std::to_string(fd) + ":\n" +
                                   arnes::enumerar(sobre_fd, 10);
    EXPECT_TRUE(shut.has_value() && !cierre_antes) << informe(
        {cli->orden() + "; el servidor devuelve la línea y cierra",
         "shutdown(" + std::to_string(fd) + ", SHUT_WR) tras el último write() y antes de close()",
         observadas,
         "con close() el cliente ya no podría leer la respuesta; shutdown(fd, SHUT_WR) envía el "
         "fin (FIN) al servidor y deja abierta la lectura",
         kLeerShutdown});
    if (shut) {
        EXPECT_TRUE(eof_tras_shut.has_value()) << informe(
            {cli->orden() + "; el servidor devuelve la línea y cierra",
             "tras " + shut->texto() + ", lecturas hasta un read() que devuelva 0", observadas,
             "sigue leyendo tras shutdown(): el fin de la conversación lo marca el servidor",
             kLeerShutdown});
    }
}

// Un servidor que corta con RST no es un cierre limpio: el cliente termina con código 1.
TEST_F(ClienteCierre, DistingueUnReinicioDeUnCierre) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "hola"});
    Conexion c = e.aceptar();
    ASSERT_TRUE(c.valida()) << informe(
        {cli->orden(), "que se conecte", cli->resumen(), "", arnes::secciones::l04_conectar});
    const std::string l = c.recibir_linea();
    c.enviar(l);
    c.esperar_cierre();  // el cliente cierra su escritura y se queda leyendo
    c.reiniciar();       // RST en vez de FIN
    auto fin = cli->esperar_fin();
    EXPECT_TRUE(fin && !fin->por_senal && fin->codigo == 1 && !cli->errores().empty()) << informe(
        {cli->orden() + "; el servidor devuelve la línea, espera el fin de fichero del cliente y "
                        "corta con RST (SO_LINGER 0)",
         "código 1 y un mensaje en stderr: ECONNRESET no es un cierre limpio",
         (fin ? "el cliente " + fin->texto()
              : "sigue en marcha, bloqueado en " + cli->donde_esta()) +
             "\n" + cli->resumen(),
         "read() == 0 es el fin ordenado (código 0); read() == -1 con ECONNRESET es un error "
         "(código 1)",
         kLeerShutdown});
}

}  // namespace
