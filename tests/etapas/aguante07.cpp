/// \file aguante07.cpp
/// \brief Etapa 07 · aguante: el servidor con fork frente a muchos clientes y clientes que se
///        portan mal. Quinientos a la vez, reinicios a mitad de mensaje, uno lento, los que se van
///        sin leer y un reinicio del servidor en el mismo puerto. Todas sin traza (cientos de
///        procesos trazados irían demasiado lentos), con plazos amplios y veredictos por orden de
///        los hechos, nunca por lo que tarda algo.
///
/// Lo que ya prueban otras suites no se repite aquí: 8 MiB de eco (Eco.DevuelveOchoMiBIntactos),
/// cinco hijos que terminan a la vez (Fork.CincoClientesQueTerminanALaVezNoDejanZombis), una
/// señal durante accept() (Fork.SigueAceptandoTrasLaSenalDeUnHijo), los descriptores del padre
/// tras 200 conexiones (Fork.LosDescriptoresDelPadreNoCrecen) y el cliente frente a un servidor
/// que cierra sin responder o responde a trozos (ClienteEco.*).
#include "arnes/arnes.h"

#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace {

using arnes::Conexion;
using arnes::Ms;
using arnes::Opciones;
using arnes::visible;

const arnes::Lectura kLeerFork{arnes::secciones::l07_hijo, "man 2 fork"};
const arnes::Lectura kLeerCola{arnes::secciones::l03_cola, "man 2 listen (SOMAXCONN)"};
const arnes::Lectura kLeerZombis{arnes::secciones::l07_zombis, "man 2 waitpid"};
const arnes::Lectura kLeerReuse{arnes::secciones::l02_reuseaddr, "man 7 socket (SO_REUSEADDR)"};

/// Cuántos clientes a la vez caben en los límites de esta prueba: 500, o menos si el límite de
/// descriptores (uno por cliente) o el de procesos del usuario (el servidor crea un hijo por
/// cliente) no da para tantos, como en el arenero del corrector.
int clientes_que_caben() {
    long n = 500;
    rlimit l{};
    if (getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur != RLIM_INFINITY)
        n = std::min(n, static_cast<long>(l.rlim_cur) - 64);
    if (getrlimit(RLIMIT_NPROC, &l) == 0 && l.rlim_cur != RLIM_INFINITY)
        n = std::min(n, static_cast<long>(l.rlim_cur) / 2);
    return static_cast<int>(std::max(n, 20L));
}

/// El servidor con fork, sin traza y con vida para las pruebas largas.
class Aguante : public arnes::PruebaDeEtapa {
protected:
    Aguante() : PruebaDeEtapa(arnes::etapas::k07) {}

    static Opciones sin_traza() {
        Opciones o;
        o.trazar = false;
        o.limite = Ms(50000);
        return o;
    }

    /// Envía `linea` y devuelve el eco recibido ("" si no llegó a tiempo).
    static std::string eco(Conexion& c, const std::string& linea, Ms plazo = arnes::kPlazo) {
        if (!c.valida() || !c.enviar(linea, plazo)) return "";
        return c.recibir_linea(plazo);
    }

    /// Tras los malos clientes: el padre sigue vivo y un cliente nuevo recibe su eco.
    void sigue_atendiendo(const std::string& antes) {
        Conexion c = Conexion::conectar(puerto_);
        const std::string r = eco(c, "¿sigues ahí?\n");
        EXPECT_EQ(r, "¿sigues ahí?\n") << informe(
            {antes + "; después, un cliente nuevo envía «¿sigues ahí?»",
             "que el padre siga vivo y el cliente nuevo reciba su eco",
             (c.valida() ? "recibió " + visible(r) : "connect(): " + arnes::texto_errno(c.error())) +
                 "\n" + srv_->resumen(),
             "lo que le pase a un cliente solo afecta a su hijo: el hijo explica el error y "
             "termina; el padre sigue en accept() (SIGPIPE ignorada desde la lección 05)",
             kLeerFork});
        // Los hijos que terminaron con error también se recogen.
        const bool sin_zombis = arnes::esperar_que([&] { return srv_->zombis().empty(); });
        EXPECT_TRUE(sin_zombis) << informe(
            {antes, "ningún hijo zombi al terminar todos",
             "zombis: " + std::to_string(srv_->zombis().size()) + "\n" + srv_->resumen(),
             "el manejador de SIGCHLD recoge a todos los hijos, también a los que salen con 1",
             kLeerZombis});
    }

    int puerto_ = 0;
};

// 500 clientes conectados a la vez (menos si los límites de la prueba no dan): cada uno envía su
// línea con todos abiertos y todos reciben la suya. Con una cola de listen() de 5 no llegan a
// conectar en el plazo (cada SYN que no cabe espera 1 s o más a repetirse).
TEST_F(Aguante, CientosDeClientesALaVezRecibenSuEco) {
    puerto_ = arrancar(sin_traza());
    if (puerto_ == 0) return;
    const int kClientes = clientes_que_caben();
    const std::string cuantos = std::to_string(kClientes);
    const auto limite = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::vector<Conexion> clientes;
    while (static_cast<int>(clientes.size()) < kClientes && std::chrono::steady_clock::now() < limite) {
        clientes.push_back(Conexion::conectar(puerto_, Ms(8000)));
        if (!clientes.back().valida()) break;
    }
    ASSERT_FALSE(clientes.empty());
    const int conectados = static_cast<int>(clientes.size()) - (clientes.back().valida() ? 0 : 1);
    ASSERT_EQ(conectados, kClientes) << informe(
        {"conectar " + cuantos + " clientes seguidos sin que ninguno envíe nada (20 s como mucho)",
         "los " + cuantos + " conectados: el núcleo completa el saludo y los guarda en la cola",
         "conectaron " + std::to_string(conectados) + " (el último: " +
             (clientes.back().valida() ? std::string("no llegó a tiempo")
                                       : "connect(): " + arnes::texto_errno(clientes.back().error())) +
             ")\n" + srv_->resumen(),
         "con muchos clientes a la vez, una cola de listen() de 5 se llena; vuelve a llamar a "
         "listen(escucha, SOMAXCONN) antes del bucle (docs/07_fork.md, «Cuánto cuesta un fork por "
         "conexión»)",
         kLeerCola});
    for (int i = 0; i < kClientes; ++i)
        clientes[i].enviar("cliente " + std::to_string(i) + "\n", Ms(8000));
    int atendidos = 0, primero_mal = -1;
    std::string mal;
    // Un plazo para todas las respuestas juntas (30 s): un servidor en serie no se eterniza.
    const auto hasta = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (int i = 0; i < kClientes; ++i) {
        const std::string esperado = "cliente " + std::to_string(i) + "\n";
        const auto queda = std::chrono::duration_cast<Ms>(hasta - std::chrono::steady_clock::now());
        const std::string r = clientes[i].recibir_linea(std::max(queda, Ms(1)));
        if (r == esperado) {
            ++atendidos;
        } else if (primero_mal < 0) {
            primero_mal = i;
            mal = r;
        }
    }
    EXPECT_EQ(atendidos, kClientes) << informe(
        {cuantos + " clientes conectados a la vez; cada uno envía «cliente N» con todos abiertos",
         "que los " + cuantos + " reciban su propia línea",
         arnes::cuenta(static_cast<std::size_t>(atendidos), "atendido", "atendidos") + "; el cliente " +
             std::to_string(primero_mal) +
             " recibió " + visible(mal) + "\n" + srv_->resumen(),
         "un hijo por cliente: el padre vuelve a accept() en cuanto crea al hijo, sin esperarle",
         kLeerFork});
}

// 50 clientes envían media línea y cortan la conexión con RST (SO_LINGER 0): sus hijos ven
// ECONNRESET y terminan; el padre sigue atendiendo y no quedan zombis.
TEST_F(Aguante, CincuentaReiniciosAMitadDeMensajeNoLoTumban) {
    puerto_ = arrancar(sin_traza());
    if (puerto_ == 0) return;
    const std::string media = "esta línea se corta a mit";
    int devueltos = 0;
    for (int i = 0; i < 50; ++i) {
        Conexion c = Conexion::conectar(puerto_);
        // Se espera el eco de la media línea: así su hijo está leyendo cuando llega el RST.
        if (c.valida() && c.enviar(media) && c.recibir(media.size()) == media) ++devueltos;
        c.reiniciar();
    }
    EXPECT_EQ(devueltos, 50) << informe(
        {"50 clientes, uno tras otro: envían " + visible(media) + " sin '\\n', esperan su eco y "
         "cortan con RST",
         "el eco de los bytes recibidos en los 50 (el servidor no espera a la línea entera)",
         std::to_string(devueltos) + " de 50\n" + srv_->resumen(),
         "el eco devuelve lo que llega, sin esperar el '\\n'", kLeerFork});
    sigue_atendiendo("50 clientes cortaron con RST a mitad de mensaje");
}

// Un cliente lento (un byte cada 100 ms) no retrasa a los demás: diez clientes reciben su eco
// mientras su línea sigue a medias; al final, también él recibe la suya entera.
TEST_F(Aguante, UnClienteLentoNoRetrasaALosDemas) {
    puerto_ = arrancar(sin_traza());
    if (puerto_ == 0) return;
    const std::string lenta = "voy despacio\n";  // más de 10 bytes: sigue a medias tras los 10
    Conexion lento = Conexion::conectar(puerto_);
    ASSERT_TRUE(lento.valida()) << informe({"conectar un cliente", "que conecte",
                                            "connect(): " + arnes::texto_errno(lento.error()),
                                            "", kLeerFork});
    std::size_t enviados = 0;
    const auto un_byte_lento = [&] {
        lento.enviar(lenta.substr(enviados++, 1));
        std::this_thread::sleep_for(Ms(100));  // el ritmo del cliente lento, no un veredicto
    };
    int atendidos = 0;
    for (int i = 0; i < 10; ++i) {
        un_byte_lento();
        Conexion c = Conexion::conectar(puerto_);
        const std::string linea = "rápido " + std::to_string(i) + "\n";
        if (eco(c, linea) == linea) ++atendidos;
    }
    EXPECT_EQ(atendidos, 10) << informe(
        {"un cliente envía " + visible(lenta) + " a un byte cada 100 ms; entre byte y byte, otro "
         "cliente conecta y envía «rápido N»",
         "que los 10 rápidos reciban su eco mientras la línea lenta sigue a medias",
         std::to_string(atendidos) + " de 10\n" + srv_->resumen(),
         "cada cliente con su hijo: el que espera los bytes del lento es solo su hijo", kLeerFork});
    while (enviados < lenta.size()) un_byte_lento();
    const std::string r = lento.recibir(lenta.size());
    EXPECT_EQ(r, lenta) << informe({"el cliente lento termina de enviar su línea",
                                    "su eco completo: " + visible(lenta), "recibió " + visible(r),
                                    "el hijo devuelve cada byte según llega", kLeerFork});
}

// 50 clientes envían 256 KiB y cierran sin leer nada: sus hijos fallan al escribir (EPIPE o
// ECONNRESET) y terminan; el padre sigue atendiendo y no quedan zombis.
TEST_F(Aguante, ClientesQueSeVanSinLeerNoLoTumban) {
    puerto_ = arrancar(sin_traza());
    if (puerto_ == 0) return;
    const std::string datos = arnes::datos_de_prueba(256 * 1024);
    for (int i = 0; i < 50; ++i) {
        Conexion c = Conexion::conectar(puerto_);
        if (!c.valida()) break;
        c.enviar(datos, Ms(2000));  // puede quedarse a medias si el hijo ya no lee: da igual
        c.cerrar();                 // con datos sin leer, close() envía RST
    }
    sigue_atendiendo("50 clientes envían 256 KiB cada uno y cierran sin leer el eco");
}

// Parar el servidor (SIGKILL al padre) con un hijo aún atendiendo y arrancar otro en el mismo
// puerto enseguida: bind() funciona gracias a SO_REUSEADDR (la conexión del hijo sigue usando el
// puerto), y el hijo viejo sigue atendiendo a su cliente.
TEST_F(Aguante, ReiniciaEnElMismoPuertoNadaMasPararlo) {
    puerto_ = arrancar(sin_traza());
    if (puerto_ == 0) return;
    Conexion viejo = Conexion::conectar(puerto_);
    ASSERT_EQ(eco(viejo, "antes\n"), "antes\n")
        << informe({"conectar y enviar «antes»", "su eco", srv_->resumen(), "", kLeerFork});
    srv_->senal(SIGKILL);  // solo al padre: el hijo sigue con su cliente
    const auto fin = srv_->esperar_fin();
    ASSERT_TRUE(fin.has_value()) << informe({"enviar SIGKILL al padre", "que termine",
                                             srv_->resumen(), "", kLeerFork});

    auto nuevo = servidor({std::to_string(puerto_)}, sin_traza());
    const auto p = nuevo->esperar_escucha();
    ASSERT_TRUE(p && *p == puerto_) << informe(
        {"matar al padre (SIGKILL) con un hijo aún atendiendo a su cliente y arrancar enseguida " +
             nuevo->orden(),
         "«escuchando en el puerto " + std::to_string(puerto_) + "»",
         nuevo->resumen(),
         "la conexión del hijo viejo aún usa el puerto: sin SO_REUSEADDR antes de bind() el "
         "servidor nuevo no puede reiniciarse hasta que termine (EADDRINUSE)",
         kLeerReuse});
    Conexion c = Conexion::conectar(puerto_);
    const std::string r = eco(c, "después\n");
    EXPECT_EQ(r, "después\n") << informe({nuevo->orden() + "; un cliente envía «después»", "su eco",
                                          "recibió " + visible(r) + "\n" + nuevo->resumen(), "",
                                          kLeerFork});
    const std::string r_viejo = eco(viejo, "sigo aquí\n");
    EXPECT_EQ(r_viejo, "sigo aquí\n") << informe(
        {"el cliente del servidor anterior envía «sigo aquí» tras el reinicio",
         "su eco: su hijo no depende del padre", "recibió " + visible(r_viejo),
         "el hijo atiende a su cliente hasta el final aunque el padre ya no exista", kLeerFork});
}

}  // namespace
