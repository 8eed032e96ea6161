/// \file etapa07_fork.cpp
/// \brief Etapa 07 · fork: un hijo por cliente. El padre sigue aceptando, cierra el descriptor
///        conectado y conserva la escucha; el hijo cierra la escucha, atiende y termina; un
///        manejador de SIGCHLD recoge a los hijos (waitpid en bucle) y accept() se reintenta si
///        la señal lo interrumpe (EINTR).
#include "arnes/arnes.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <optional>
#include <regex>

namespace {

using arnes::Conexion;
using arnes::Llamada;
using arnes::Ms;
using arnes::Opciones;
using arnes::Programa;
using arnes::visible;

const arnes::Lectura kLeerFork{arnes::secciones::l07_hijo, "man 2 fork"};
const arnes::Lectura kLeerZombis{arnes::secciones::l07_zombis, "man 2 waitpid, man 7 signal"};
const arnes::Lectura kLeerEintr{arnes::secciones::l07_eintr, "man 7 signal (SA_RESTART), man 2 accept"};
const arnes::Lectura kLeerDescriptores{arnes::secciones::l07_quien_cierra, "man 2 close, man 2 fork"};
/// Las llamadas con las que un proceso crea otro.
const char* const kFork = "fork|vfork|clone|clone3";

std::string lista_pids(const std::vector<pid_t>& pids) {
    if (pids.empty()) return "ninguno";
    std::string r;
    for (pid_t p : pids) r += (r.empty() ? "" : ", ") + std::to_string(p);
    return r;
}

/// El servidor con fork.
class Fork : public arnes::PruebaDeEtapa {
protected:
    Fork() : PruebaDeEtapa(arnes::etapas::k07) {}

    /// Opciones sin traza: la traza (ptrace) cambia cómo se entregan SIGCHLD y las esperas.
    static Opciones sin_traza() {
        Opciones o;
        o.trazar = false;
        return o;
    }

    /// Envía `linea` por `c` y devuelve el eco recibido ("" si no llegó en `plazo`).
    static std::string eco(Conexion& c, const std::string& linea, Ms plazo = arnes::kPlazo) {
        if (!c.valida() || !c.enviar(linea, plazo)) return "";
        return c.recibir_linea(plazo);
    }

    /// Los hijos que el padre creó, según la traza (fork/clone del padre ya vueltos). Espera
    /// (hasta kPlazo) a que sean al menos `al_menos`: el hijo puede atender a su cliente antes de
    /// que la traza vea volver al padre de fork(), sobre todo con la máquina cargada.
    std::vector<Llamada> forks_del_padre(std::size_t al_menos) const {
        std::vector<Llamada> r;
        arnes::esperar_que([&] {
            r.clear();
            for (const auto& l : srv_->llamadas(kFork))
                if (l.pid == srv_->pid() && l.terminada && l.resultado > 0) r.push_back(l);
            return r.size() >= al_menos;
        });
        return r;
    }

    /// Espera a que el padre vuelva a entrar en accept() después de la llamada número `orden`
    /// (entrar basta: no hace falta que vuelva). nullopt e informe si no llega.
    std::optional<Llamada> padre_en_accept_tras(long orden, const std::string& entrada) {
        const pid_t padre = srv_->pid();
        auto a = srv_->esperar_llamada(
            [&](const Llamada& l) {
                return l.pid == padre && l.orden > orden &&
                       (l.nombre == "accept" || l.nombre == "accept4");
            },
            arnes::kPlazo, false);
        if (!a)
            ADD_FAILURE() << informe({entrada, "que el padre vuelva a accept() tras crear al hijo",
                                      "no volvió; últimas llamadas:\n" +
                                          arnes::enumerar(srv_->llamadas()) + "\n" + srv_->resumen(),
                                      "tras fork(), el padre cierra el conectado y vuelve a accept()",
                                      kLeerFork});
        return a;
    }

    /// Si el padre cerró su socket de escucha (traza), anota el síntoma «padre_cierra_escucha» y
    /// devuelve la pista; si no, "".
    std::string padre_cerro_escucha() const {
        const auto escuchas = srv_->llamadas("listen");
        if (escuchas.empty()) return "";
        const long escucha = escuchas.front().args[0];
        for (const auto& l : srv_->llamadas("close"))
            if (l.pid == srv_->pid() && l.args[0] == escucha && l.orden > escuchas.front().orden) {
                arnes::sintoma("padre_cierra_escucha");
                return "el padre cerró su socket de escucha (" + l.texto() +
                       "), como el servidor de la lección 06: sin él no puede aceptar a nadie más. "
                       "Con fork() es el HIJO quien cierra la escucha; el padre la conserva";
            }
        return "";
    }

    /// Conecta, comprueba un eco e informa si falla; devuelve la conexión (inválida si falló).
    Conexion atendido(int puerto, const std::string& linea, const std::string& contexto) {
        Conexion c = Conexion::conectar(puerto);
        const std::string r = eco(c, linea);
        if (r != linea) {
            ADD_FAILURE() << informe({contexto + "; un cliente conecta y envía " + visible(linea),
                                      "recibir el eco " + visible(linea),
                                      (c.valida() ? "se recibió " + visible(r)
                                                  : "connect(): " + arnes::texto_errno(c.error())) +
                                          "\n" + srv_->resumen(),
                                      "el padre debe volver a accept() en cuanto crea el hijo",
                                      kLeerFork});
            return Conexion();
        }
        return c;
    }

};

// Con tres clientes conectados a la vez, el último recibe su eco sin esperar a los otros dos:
// un servidor en serie (sin fork) no pasa.
TEST_F(Fork, AtiendeAVariosClientesALaVez) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion c1 = Conexion::conectar(puerto), c2 = Conexion::conectar(puerto),
             c3 = Conexion::conectar(puerto);
    const std::string r3 = eco(c3, "soy el tercero\n");
    const std::string cerro = r3 == "soy el tercero\n" ? "" : padre_cerro_escucha();
    ASSERT_TRUE((r3) == ("soy el tercero\n")) << informe(
        {"conectar tres clientes sin enviar nada; el tercero envía «soy el tercero»",
         "que el tercero reciba su eco aunque el primero y el segundo sigan conectados",
         "recibió " + visible(r3) + "; hijos: " + lista_pids(srv_->hijos()) + "\n" +
             srv_->resumen(),
         !cerro.empty() ? cerro
                        : "tras accept(), fork(): el hijo atiende al cliente y el padre vuelve "
                          "enseguida a accept() a por el siguiente",
         cerro.empty() ? kLeerFork : kLeerDescriptores});
    EXPECT_TRUE((eco(c2, "soy el segundo\n")) == ("soy el segundo\n")) << informe(
        {"después, el segundo envía «soy el segundo»", "su eco", srv_->resumen(), "", kLeerFork});
    EXPECT_TRUE((eco(c1, "soy el primero\n")) == ("soy el primero\n")) << informe(
        {"después, el primero envía «soy el primero»", "su eco", srv_->resumen(), "", kLeerFork});
}

// Un cliente que conecta y no envía nada no bloquea a los demás.
TEST_F(Fork, UnClienteMudoNoBloqueaALosDemas) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion mudo = Conexion::conectar(puerto);
    ASSERT_TRUE(mudo.valida()) << informe({"conectar", "conectar", srv_->resumen(), "", kLeerFork});
    Conexion otro = Conexion::conectar(puerto);
    const std::string r = eco(otro, "¿me atiendes?\n");
    EXPECT_TRUE((r) == ("¿me atiendes?\n")) << informe(
        {"un cliente conecta y no envía nada; otro conecta y envía «¿me atiendes?»",
         "que el segundo reciba su eco", "recibió " + visible(r) + "\n" + srv_->resumen(),
         "si el mismo proceso que acepta se queda en read() esperando al cliente mudo, nadie "
         "atiende a los demás: cada cliente necesita su propio hijo",
         kLeerFork});
}

// Cinco hijos que terminan a la vez no dejan zombis (<defunct>): el manejador de SIGCHLD recoge
// con waitpid(-1, …, WNOHANG) en bucle. La prueba retiene al padre a la entrada de fork() (para
// un sexto cliente) hasta que los cinco han terminado: sus cinco SIGCHLD se funden en una.
TEST_F(Fork, CincoClientesQueTerminanALaVezNoDejanZombis) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    std::vector<Conexion> cs;
    for (int i = 0; i < 5; ++i) {
        Conexion c = atendido(puerto, "cliente " + std::to_string(i + 1) + "\n",
                              "cinco clientes conectados a la vez");
        if (!c.valida()) return;
        cs.push_back(std::move(c));
    }
    const auto cinco = forks_del_padre(5);
    srv_->retener_en(kFork);
    Conexion sexto = Conexion::conectar(puerto);
    const bool retenido = srv_->esperar_retenido();
    const long sexto_fork = retenido ? srv_->llamadas(kFork).back().orden : 0;
    for (auto& c : cs) c.cerrar();  // los cinco hijos terminan mientras el padre está parado
    bool terminaron = true;
    for (const auto& f : cinco) terminaron = srv_->esperar_terminado(static_cast<pid_t>(f.resultado)) && terminaron;
    srv_->soltar();
    ASSERT_FALSE(!retenido || cinco.size() != 5 || !terminaron)
        << informe({"cinco clientes reciben su eco; llega un sexto; los cinco cierran",
                    "cinco fork() del padre, un sexto fork() para el sexto cliente y que los cinco "
                    "hijos terminen al cerrar su cliente",
                    "fork() del padre: " + std::to_string(cinco.size()) +
                        (retenido ? "" : "; no hubo sexto fork()") +
                        (terminaron ? "" : "; algún hijo no terminó") + "\n" + srv_->resumen(),
                    "un hijo por cliente, que termina cuando su cliente cierra", kLeerFork});
    // Cuando el padre vuelve a accept(), su manejador de SIGCHLD ya se ejecutó.
    if (!padre_en_accept_tras(sexto_fork, "seis clientes; los cinco primeros cierran"))
        return;
    const auto zombis = srv_->zombis();
    EXPECT_TRUE(zombis.empty()) << informe(
        {"cinco clientes reciben su eco y cierran a la vez (sus cinco SIGCHLD llegan juntas "
         "mientras el padre está ocupado con un sexto cliente)",
         "ningún zombi: el padre recoge a los cinco hijos terminados",
         "hijos zombis (<defunct>): " + lista_pids(zombis) + "\n" + srv_->resumen(),
         "las señales SIGCHLD no se encolan: si llegan cinco a la vez, el manejador se ejecuta "
         "una sola vez. Recoge a todos los terminados con "
         "while (waitpid(-1, nullptr, WNOHANG) > 0) {} en vez de un solo wait()",
         kLeerZombis});
}

// Cuando SIGCHLD interrumpe accept() (EINTR), el servidor lo reintenta y sigue atendiendo. La
// prueba espera (traza) a que el padre esté dentro de accept() y solo entonces deja terminar al
// hijo: la señal llega siempre con accept() en curso.
TEST_F(Fork, SigueAceptandoTrasLaSenalDeUnHijo) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = atendido(puerto, "primero\n", "servidor recién arrancado");
    if (!c.valida()) return;
    const auto forks = forks_del_padre(1);
    ASSERT_FALSE(forks.empty()) << informe({"un cliente recibe su eco", "un fork() del padre",
                                            arnes::enumerar(srv_->llamadas()),
                                            "tras accept(), fork()", kLeerFork});
    auto en_accept = padre_en_accept_tras(forks.back().orden, "un cliente recibe su eco");
    if (!en_accept) return;
    c.cerrar();  // su hijo termina: SIGCHLD al padre, que está en accept()
    srv_->esperar_terminado(static_cast<pid_t>(forks.back().resultado));
    // accept() vuelve interrumpida (salvo con SIGCHLD ignorada, que no interrumpe nada).
    srv_->esperar_llamada([&](const Llamada& l) { return l.orden == en_accept->orden; });
    Conexion c2 = Conexion::conectar(puerto);
    const std::string r = eco(c2, "segundo\n");
    auto fin = srv_->esperar_fin(Ms(0));
    EXPECT_TRUE((r) == ("segundo\n")) << informe(
        {"un cliente recibe su eco y se va mientras el padre espera en accept() (su hijo "
         "termina: SIGCHLD); luego llega otro",
         "que el segundo cliente reciba su eco",
         "recibió " + visible(r) +
             (fin ? "; el servidor " + fin->texto() : "; el servidor sigue vivo") + "\n" +
             srv_->resumen(),
         "una señal interrumpe la llamada lenta en curso: accept() devuelve -1 con errno == "
         "EINTR. No es un error: vuelve a llamar a accept()",
         kLeerEintr});
}

// El manejador de SIGCHLD se instala con sigaction(2) y SIN SA_RESTART (el TODO del paso 3): así
// una señal que interrumpe accept() se ve (EINTR) y el bucle la reintenta (docs/07_fork.md,
// «EINTR»). signal() de glibc pide SA_RESTART; SIG_IGN no recoge nada con waitpid().
TEST_F(Fork, InstalaElManejadorDeSigchldSinSaRestart) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    // El manejador se instala antes del bucle: cuando el padre entra en accept(), ya está.
    srv_->esperar_llamada(
        [&](const Llamada& l) { return l.pid == srv_->pid() && (l.nombre == "accept" || l.nombre == "accept4"); },
        arnes::kPlazo, false);
    std::optional<Llamada> a;
    for (const auto& l : srv_->llamadas("rt_sigaction"))
        if (l.pid == srv_->pid() && l.args[0] == SIGCHLD && l.accion) a = l;  // la última pedida
    const bool manejador = a && a->accion->manejador > 1;  // ni SIG_DFL (0) ni SIG_IGN (1)
    const bool restart = a && (a->accion->banderas & SA_RESTART) != 0;
    if (a && a->accion->de_signal(SIGCHLD)) arnes::sintoma("signal_en_vez_de_sigaction");
    EXPECT_TRUE(manejador && !restart) << informe(
        {srv_->orden(), "sigaction(SIGCHLD, &accion, nullptr) con accion.sa_handler = recoger_hijos y "
                        "sin SA_RESTART en sa_flags, antes del bucle de accept()",
         (a ? a->texto() : std::string("no se vio ninguna sigaction(SIGCHLD, …)")) +
             "\nllamadas a sigaction():\n" + arnes::enumerar(srv_->llamadas("rt_sigaction"), 6),
         !a ? "instala recoger_hijos para SIGCHLD con sigaction(2) antes del bucle"
         : !manejador ? "SIGCHLD necesita un manejador (recoger_hijos) que recoja a los hijos con "
                        "waitpid(); SIG_IGN o SIG_DFL no es lo que pide la lección"
         : a->accion->de_signal(SIGCHLD)
             ? "eso es signal(), que pone SA_RESTART: usa sigaction(2) con sa_flags = 0 (sin "
               "SA_RESTART) y sigemptyset(&accion.sa_mask)"
             : "quita SA_RESTART de sa_flags: la lección quiere ver el EINTR de accept() y "
               "reintentarlo ella (sa_flags = 0)",
         kLeerEintr});
}

// Un hijo que termina mientras otro sigue atendiendo no bloquea al padre: el manejador de
// SIGCHLD no espera a los hijos vivos (WNOHANG), así que un tercer cliente es atendido.
TEST_F(Fork, ElManejadorNoEsperaALosHijosVivos) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion primero = atendido(puerto, "me quedo\n", "servidor recién arrancado");
    if (!primero.valida()) return;
    Conexion segundo = atendido(puerto, "me voy\n", "con el primer cliente conectado");
    if (!segundo.valida()) return;
    const auto forks = forks_del_padre(2);
    ASSERT_FALSE(forks.size() != 2)
        << informe({"dos clientes reciben su eco", "dos fork() del padre",
                    arnes::enumerar(srv_->llamadas()), "un hijo por cliente", kLeerFork});
    const pid_t hijo = static_cast<pid_t>(forks.back().resultado);
    segundo.cerrar();  // su hijo termina; el del primero sigue vivo
    srv_->esperar_terminado(hijo);
    // El padre lo recoge (waitpid devuelve su pid) y, con WNOHANG, no espera al otro.
    srv_->esperar_llamada([&](const Llamada& l) {
        return l.pid == srv_->pid() && l.nombre == "wait4" && l.resultado == hijo;
    });
    Conexion tercero = Conexion::conectar(puerto);
    const std::string r = eco(tercero, "¿y yo?\n");
    EXPECT_TRUE((r) == ("¿y yo?\n")) << informe(
        {"dos clientes reciben su eco; el segundo se va (su hijo termina) y el primero sigue "
         "conectado; llega un tercero",
         "que el tercero reciba su eco",
         "recibió " + visible(r) + "; el padre está en " + srv_->donde_esta() + "\n" +
             srv_->resumen(),
         "en el manejador de SIGCHLD, waitpid() sin WNOHANG espera a que termine el hijo que "
         "sigue vivo, y mientras tanto el padre no acepta a nadie: "
         "while (waitpid(-1, nullptr, WNOHANG) > 0) {}",
         kLeerZombis});
}

// El padre cierra su copia del descriptor conectado: cuando el hijo cierra la suya, el cliente
// ve el fin de fichero (si el padre la conservara, la conexión seguiría abierta).
TEST_F(Fork, ElPadreCierraElDescriptorConectado) {
    const int puerto = arrancar(sin_traza());
    if (puerto == 0) return;
    Conexion c = atendido(puerto, "hola\n", "servidor recién arrancado");
    if (!c.valida()) return;
    c.cerrar_escritura();
    arnes::Cierre como = arnes::Cierre::kNinguno;
    const std::string resto = c.recibir_todo(arnes::kPlazo, &como);
    EXPECT_TRUE(como == arnes::Cierre::kOrdenado) << informe(
        {"un cliente recibe su eco y cierra la escritura (shutdown(SHUT_WR))",
         "un fin de fichero (el hijo cierra y termina)",
         como == arnes::Cierre::kPlazo
             ? "la conexión siguió abierta; hijos: " + lista_pids(srv_->hijos()) +
                   "; descriptores del padre: " + std::to_string(srv_->descriptores().size()) +
                   "\n" + srv_->resumen()
             : "se recibió " + visible(resto) + " y la conexión acabó de otra forma",
         "tras fork() el descriptor conectado está abierto en los dos procesos; la conexión solo "
         "se cierra cuando lo cierran ambos. El padre debe cerrar el suyo nada más crear el hijo",
         kLeerDescriptores});
}

// 200 conexiones seguidas no hacen crecer los descriptores abiertos del padre.
TEST_F(Fork, LosDescriptoresDelPadreNoCrecen) {
    Opciones o = sin_traza();
    o.limite = Ms(40000);
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    {
        Conexion c = atendido(puerto, "calentando\n", "servidor recién arrancado");
        if (!c.valida()) return;
    }
    arnes::esperar_que([&] { return srv_->hijos().empty(); });
    const std::size_t antes = srv_->descriptores().size();
    const auto fin = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int hechas = 0;
    for (; hechas < 200 && std::chrono::steady_clock::now() < fin; ++hechas) {
        Conexion c = Conexion::conectar(puerto);
        if (eco(c, "x\n") != "x\n") break;
    }
    ASSERT_TRUE((hechas) == (200)) << informe(
        {"200 conexiones seguidas (conectar, eco de «x», cerrar)", "las 200 atendidas",
         "la conexión " + std::to_string(hechas + 1) + " no recibió su eco\n" + srv_->resumen(), "",
         kLeerFork});
    arnes::esperar_que([&] { return srv_->descriptores().size() <= antes; });
    const std::size_t despues = srv_->descriptores().size();
    EXPECT_LE(despues, antes) << informe(
        {"200 conexiones seguidas (conectar, eco de «x», cerrar)",
         "los mismos descriptores abiertos en el padre antes y después (" + std::to_string(antes) +
             ")",
         "antes: " + std::to_string(antes) + ", después: " + std::to_string(despues),
         "cada accept() crea un descriptor en el padre; si no lo cierra tras fork(), se acumulan "
         "hasta agotar el límite (EMFILE)",
         kLeerDescriptores});
}

// El hijo cierra el socket de escucha nada más nacer (traza: close(escucha) por el hijo, antes
// de leer del cliente).
TEST_F(Fork, ElHijoCierraLaEscucha) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = atendido(puerto, "hijo, ¿cerraste?\n", "servidor trazado");
    if (!c.valida()) return;
    auto escuchas = srv_->llamadas("listen");
    auto aceptada = srv_->esperar_llamada("accept|accept4");
    ASSERT_FALSE(escuchas.empty() || !aceptada)
        << informe({"conectar", "listen() y accept()", arnes::enumerar(srv_->llamadas()), "",
                    arnes::secciones::l04_aceptar});
    const long escucha = escuchas.front().args[0];
    const pid_t padre = srv_->pid();
    std::optional<Llamada> lectura;
    for (const auto& l : srv_->llamadas(arnes::kLecturas))
        if (l.args[0] == aceptada->resultado && !lectura) lectura = l;
    ASSERT_FALSE(!lectura || lectura->pid == padre) << informe(
        {"conectar y recibir un eco", "que un hijo (no el padre) lea del cliente",
         lectura ? "lo atendió el propio padre: " + lectura->texto()
                 : "nadie leyó del descriptor " + std::to_string(aceptada->resultado),
         "tras accept(), llama a fork(); en el hijo (fork() == 0) atiende al cliente", kLeerFork});
    bool cerrada = false;
    for (const auto& l : srv_->llamadas("close"))
        if (l.pid == lectura->pid && l.args[0] == escucha && l.orden < lectura->orden)
            cerrada = true;
    if (!cerrada) acabar_y_esperar_cierre(c, lectura->pid, escucha, *aceptada);
    EXPECT_TRUE(cerrada) << informe(
        {"conectar y recibir un eco",
         "close(" + std::to_string(escucha) + ") por el hijo (pid " + std::to_string(lectura->pid) +
             ") antes de su primer " + lectura->texto(),
         cierres_tras(*srv_, escuchas.front()),
         "el hijo hereda una copia del socket de escucha que no necesita: ciérrala nada más "
         "nacer (y así solo el padre puede aceptar)",
         kLeerDescriptores});
}

// El padre conserva el socket de escucha: no lo cierra y sigue aceptando a más clientes.
TEST_F(Fork, ElPadreConservaLaEscucha) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    {
        Conexion c1 = atendido(puerto, "uno\n", "servidor trazado");
        if (!c1.valida()) return;
    }
    Conexion c2 = atendido(puerto, "dos\n", "el primer cliente ya se fue");
    auto escuchas = srv_->llamadas("listen");
    if (escuchas.empty()) return;
    const long escucha = escuchas.front().args[0];
    const std::string cerro = padre_cerro_escucha();
    EXPECT_TRUE(cerro.empty()) << informe(
        {"dos clientes, uno tras otro",
         "que el padre (pid " + std::to_string(srv_->pid()) + ") nunca cierre el descriptor de escucha " +
             std::to_string(escucha),
         "llamadas a close() del padre:\n" + arnes::enumerar(srv_->llamadas("close"), 6),
         cerro + " (en la lección 06, sin fork, sí la cerraba el principal)", kLeerDescriptores});
}

// Cuando su cliente se va, el hijo termina (exit): no vuelve al bucle del padre a aceptar. Lo
// primero que hace el hijo tras el cierre, exit o accept(), decide (traza).
TEST_F(Fork, ElHijoTerminaCuandoSuClienteSeVa) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = atendido(puerto, "me voy enseguida\n", "servidor recién arrancado");
    if (!c.valida()) return;
    const auto forks = forks_del_padre(1);
    ASSERT_FALSE(forks.empty()) << informe({"un cliente recibe su eco", "un fork() del padre",
                                            arnes::enumerar(srv_->llamadas()),
                                            "tras accept(), fork()", kLeerFork});
    const pid_t hijo = static_cast<pid_t>(forks.back().resultado);
    c.cerrar();
    auto siguiente = srv_->esperar_llamada(
        [&](const Llamada& l) {
            return l.pid == hijo && (l.nombre == "exit" || l.nombre == "exit_group" || l.nombre == "accept" ||
                                   l.nombre == "accept4");
        },
        arnes::kPlazo, false);
    const bool sale = siguiente ? siguiente->nombre.rfind("exit", 0) == 0
                                : srv_->esperar_terminado(hijo, Ms(0));
    EXPECT_TRUE(sale) << informe(
        {"un cliente recibe su eco y cierra",
         "que su hijo (pid " + std::to_string(hijo) + ") termine con _exit()",
         (siguiente ? "el hijo llamó a " + siguiente->texto()
                    : "el hijo sigue vivo, en " + srv_->donde_esta(hijo)) +
             "\n" + srv_->resumen(),
         "cuando read() devuelve 0, el hijo cierra su descriptor y termina con _exit(0); si no, "
         "vuelve al bucle del padre y se pone a aceptar clientes como si fuera el servidor",
         kLeerFork});
}

}  // namespace

// --- Fallos provocados ---
namespace {

// Un accept() interrumpido (EINTR provocado, sin señal) se reintenta y el cliente se atiende.
TEST_F(Fork, ReintentaUnAcceptInterrumpido) {
    Opciones o;
    o.fallos = {arnes::Fallo{"accept|accept4", EINTR}};
    ARNES_REQUIERE_CAMBIOS();
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = Conexion::conectar(puerto);
    const std::string r = eco(c, "tras EINTR\n");
    auto provocada = arnes::primera(srv_->llamadas("accept|accept4"),
                                    [](const Llamada& l) { return l.provocado; });
    EXPECT_TRUE(r == "tras EINTR\n" && srv_->vivo()) << informe(
        {srv_->orden() + "\n(la prueba hizo fallar su primer accept() con EINTR, como cuando "
                         "llega SIGCHLD; luego un cliente envió «tras EINTR»)",
         "que el servidor vuelva a llamar a accept(), atienda al cliente (su eco) y siga vivo",
         "se recibió " + visible(r) + (provocada ? "" : "\n(no se vio el accept() provocado)") +
             "\nllamadas a accept():\n" + arnes::enumerar(srv_->llamadas("accept|accept4")) +
             "\n" + srv_->resumen(),
         "accept() devuelve -1 con errno == EINTR cuando una señal la interrumpe: no es un "
         "error, vuelve a llamarla (continue)",
         kLeerEintr});
}

// Si fork() falla (EAGAIN provocado), el servidor lo explica y termina con código 1, y el
// cliente que esperaba no se queda colgado.
TEST_F(Fork, UnForkFallidoTerminaConUnoYLoExplica) {
    Opciones o;
    o.fallos = {arnes::Fallo{"fork|vfork|clone|clone3", EAGAIN}};
    ARNES_REQUIERE_CAMBIOS();
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = Conexion::conectar(puerto);
    c.enviar("hola\n");
    auto t = arnes::tras_el_fallo(*srv_, "fork|vfork|clone|clone3", "fork", EAGAIN);
    std::string recibido;
    arnes::Cierre como = arnes::Cierre::kNinguno;
    if (t.bien()) recibido = c.recibir_todo(Ms(2000), &como);
    const bool sin_colgar = como == arnes::Cierre::kOrdenado || como == arnes::Cierre::kReinicio;
    EXPECT_TRUE(t.bien() && sin_colgar) << informe(
        {srv_->orden() + "\n(un cliente conecta y envía «hola»; la prueba hizo fallar el "
                         "fork() del servidor con EAGAIN)",
         "que el servidor termine con código 1, explique en stderr qué falló (una línea con "
         "«fork» y «" + arnes::texto_errno(EAGAIN) + "») y el cliente vea cerrarse su conexión",
         t.observado + (t.bien() && !sin_colgar ? "\nel cliente no vio cerrarse la conexión" : ""),
         "fork() devuelve -1 si no puede crear el proceso: compruébalo con "
         "sockets::comprobar(\"fork()\", hijo) antes de usar hijo (un -1 no es el PID de "
         "nadie)",
         kLeerFork});
}

// Un hijo cuyo write() falla (EPIPE provocado) termina con código 1 y el padre sigue atendiendo.
TEST_F(Fork, UnHijoQueFallaNoTumbaAlPadre) {
    Opciones o;
    o.fallos = {arnes::Fallo{arnes::kEscrituras, EPIPE}};
    ARNES_REQUIERE_CAMBIOS();
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion primero = Conexion::conectar(puerto);
    primero.enviar("primero\n");
    auto t = arnes::tras_el_fallo(*srv_, arnes::kEscrituras, "", EPIPE);
    const bool en_hijo = t.llamada && t.llamada->pid != srv_->pid();
    Conexion segundo = Conexion::conectar(puerto, Ms(1000));
    const std::string r = eco(segundo, "segundo\n", Ms(2000));
    EXPECT_TRUE(t.bien() && en_hijo && r == "segundo\n") << informe(
        {"un cliente envía «primero» (la prueba hizo fallar la escritura de su eco con EPIPE); "
         "después otro cliente envía «segundo»",
         "que el hijo del primero termine con código 1 explicando el error (una línea con "
         "«write» (o «send») y «" + arnes::texto_errno(EPIPE) + "») y que el segundo reciba su eco",
         t.observado + "\nel segundo cliente recibió " + visible(r),
         "el error de una conexión es asunto del hijo que la atiende: que lo explique y termine "
         "con _exit(1), mientras el padre sigue en accept()",
         kLeerFork});
}

}  // namespace
