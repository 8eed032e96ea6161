/// \file etapa09_poll.cpp
/// \brief Etapa 09 · poll: un solo proceso atiende a todos los clientes. Sockets no bloqueantes,
///        un poll() por vuelta que espera sin plazo, una cola de salida por cliente con tope
///        (contrapresión), ningún cliente deja a los demás sin turno, y el que se va o corta se
///        despide limpiamente. Sin fork().
///
/// Las pruebas de la etapa 07 que dependen de fork() (Fork.*) no se ejecutan desde esta lección
/// (filas «retira» de etapas.tsv): esta etapa comprueba lo nuevo.
#include "arnes/arnes.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace {

using arnes::Conexion;
using arnes::Llamada;
using arnes::Ms;
using arnes::Opciones;
using arnes::visible;

const arnes::Lectura kLeerBucle{arnes::secciones::l09_bucle, "man 2 poll"};
const arnes::Lectura kLeerNoBloqueante{arnes::secciones::l09_no_bloqueante, "man 2 fcntl (O_NONBLOCK), man 7 socket"};
const arnes::Lectura kLeerTurnos{arnes::secciones::l09_turnos, "man 2 poll"};
const arnes::Lectura kLeerCola{arnes::secciones::l09_contrapresion, "man 2 write (EAGAIN), man 2 poll"};
const arnes::Lectura kLeerDespedir{arnes::secciones::l09_despedir, "man 2 close, man 7 tcp"};
const arnes::Lectura kLeerLimite{arnes::secciones::l09_limite, "man 2 getrlimit"};
/// Las llamadas con las que un proceso crea otro (un hilo lleva CLONE_THREAD: no cuenta).
const char* const kProcesos = "fork|vfork|clone|clone3";

/// Los procesos que creó el programa, según la traza.
std::vector<Llamada> procesos_creados(const arnes::Programa& p) {
    std::vector<Llamada> r;
    for (const auto& l : p.llamadas(kProcesos))
        if (l.nombre != "clone" || (l.args[0] & 0x00010000 /* CLONE_THREAD */) == 0) r.push_back(l);
    return r;
}

/// Cuántos bytes envía el cliente que no lee: 8 MiB, o más si esta máquina deja crecer el búfer
/// de envío de un socket (tcp_wmem) tanto que el núcleo se los tragaría todos.
std::size_t bytes_de_la_riada() {
    std::ifstream f("/proc/sys/net/ipv4/tcp_wmem");
    std::size_t minimo = 0, inicial = 0, maximo = 0;
    f >> minimo >> inicial >> maximo;
    return std::max<std::size_t>(8 * 1024 * 1024, 2 * maximo + 1024 * 1024);
}

/// El búfer de recepción del cliente que no lee: pequeño, pero no menos que un segmento de
/// loopback (64 KiB): con menos, TCP lo trata como una ventana cerrada y avanza a sondeos.
constexpr int kRecepcionPequena = 64 * 1024;

/// El servidor con poll.
class Poll : public arnes::PruebaDeEtapa {
protected:
    Poll() : PruebaDeEtapa(arnes::etapas::k09) {}

    static Opciones sin_traza(Ms limite = Ms(20000)) {
        Opciones o;
        o.trazar = false;
        o.limite = limite;
        return o;
    }

    /// Envía `linea` y devuelve el eco («» si no llegó en `plazo`).
    static std::string eco(Conexion& c, const std::string& linea, Ms plazo = arnes::kPlazo) {
        if (!c.valida() || !c.enviar(linea, plazo)) return "";
        return c.recibir(linea.size(), plazo);
    }

    /// Conecta y comprueba un eco; informa si falla (la conexión queda inválida).
    Conexion atendido(int puerto, const std::string& linea, const std::string& contexto) {
        Conexion c = Conexion::conectar(puerto);
        const std::string r = eco(c, linea);
        if (r != linea) {
            ADD_FAILURE() << informe(
                {contexto + "; un cliente conecta y envía " + visible(linea), "su eco " + visible(linea),
                 (c.valida() ? "recibió " + visible(r) : "connect(): " + arnes::texto_errno(c.error())) +
                     "\n" + srv_->resumen(),
                 "en cada vuelta, poll() sobre la escucha y todos los clientes: acepta a los nuevos y "
                 "atiende lo que tenga cada uno, sin quedarte esperando a ninguno",
                 kLeerBucle});
            return Conexion();
        }
        return c;
    }

    /// Hace fallar con `error` la primera llamada de `llamadas` (la que dice `cual`) y comprueba
    /// que el servidor lo explica en stderr (una línea con `nombre` y el error), despide solo a ese
    /// cliente y da su eco al siguiente.
    void despide_solo_al_que_falla(const char* llamadas, int error, const std::string& nombre,
                                   const std::string& cual) {
        Opciones o;
        o.fallos = {arnes::Fallo{llamadas, error}};
        ARNES_REQUIERE_CAMBIOS();
        const int puerto = arrancar(o);
        if (puerto == 0) return;
        ARNES_REQUIERE_TRAZA(*srv_);
        Conexion primero = Conexion::conectar(puerto);
        primero.enviar("primero\n");
        const auto fallida = srv_->esperar_llamada([](const Llamada& l) { return l.provocado && l.terminada; });
        const auto cierre = primero.esperar_cierre();
        Conexion segundo = Conexion::conectar(puerto);
        const std::string r = eco(segundo, "segundo\n");
        // Lo que el servidor escribió en stderr llega a la prueba por un tubo, un momento después:
        // se espera a verlo (como mucho el plazo), no se mira una sola vez.
        const std::string nombre_error = arnes::nombre_errno(error);
        std::string linea;
        arnes::esperar_que([&] {
            linea = arnes::primera_linea(srv_->errores(), std::regex(nombre + ".*" + nombre_error));
            return !linea.empty();
        });
        EXPECT_TRUE(fallida && cierre != arnes::Cierre::kPlazo && !linea.empty() && r == "segundo\n" && srv_->vivo())
            << informe({srv_->orden() + "\n(la prueba hizo fallar " + cual + " con " + nombre_error +
                            "; después llega otro cliente)",
                        "que el servidor lo explique en stderr (una línea con «" + nombre + "» y «" +
                            arnes::texto_errno(error) + "»), cierre ese cliente y dé su eco al segundo",
                        std::string(fallida ? "" : "no se vio el " + nombre + "() provocado; ") +
                            (cierre == arnes::Cierre::kPlazo ? "el primero no vio cerrarse su conexión; " : "") +
                            "el segundo recibió " + visible(r) + "\n" + srv_->resumen(),
                        "el error de un cliente no es el del servidor: atrapa la excepción de ese cliente, "
                        "explícala («[servidor] error: … (cliente IP:P)») y despídelo solo a él",
                        kLeerDespedir});
    }

    /// Cuántos descriptores tiene abiertos el servidor (espera, un plazo como mucho, a que bajen a
    /// `hasta`).
    std::size_t descriptores_tras_despedir(std::size_t hasta) {
        arnes::esperar_que([&] { return srv_->descriptores().size() <= hasta; });
        return srv_->descriptores().size();
    }
};

// Tres clientes conectados a la vez reciben su eco en cualquier orden, y el servidor no crea
// ningún proceso (traza: ni fork() ni clone()).
TEST_F(Poll, AtiendeAVariosClientesSinCrearProcesos) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c1 = Conexion::conectar(puerto), c2 = Conexion::conectar(puerto),
             c3 = Conexion::conectar(puerto);
    const std::string r3 = eco(c3, "soy el tercero\n"), r1 = eco(c1, "soy el primero\n"),
                      r2 = eco(c2, "soy el segundo\n");
    EXPECT_TRUE(r1 == "soy el primero\n" && r2 == "soy el segundo\n" && r3 == "soy el tercero\n")
        << informe({"tres clientes conectados a la vez; hablan el tercero, el primero y el segundo",
                    "los tres ecos, cada uno cuando le toca",
                    "el tercero recibió " + visible(r3) + ", el primero " + visible(r1) +
                        ", el segundo " + visible(r2) + "\n" + srv_->resumen(),
                    "un solo proceso que nunca espera a un cliente: poll() dice quién tiene algo y solo a "
                    "ese se le lee o escribe",
                    kLeerBucle});
    const auto creados = procesos_creados(*srv_);
    EXPECT_TRUE(creados.empty()) << informe(
        {"tres clientes conectados a la vez",
         "ningún fork() ni clone(): un solo proceso atiende a todos",
         arnes::cuenta(creados.size(), "proceso creado", "procesos creados") + ":\n" + arnes::enumerar(creados),
         "en esta lección el servidor no crea hijos: en vez de accept() + fork(), un bucle con poll() "
         "que vigila la escucha y a todos los clientes",
         kLeerBucle});
}

// La escucha y cada socket conectado son no bloqueantes (O_NONBLOCK, leído de los sockets del
// servidor con pidfd_getfd).
TEST_F(Poll, LosSocketsSonNoBloqueantes) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = atendido(puerto, "hola\n", "servidor recién arrancado");
    if (!c.valida()) return;
    const auto escuchas = srv_->llamadas("listen");
    const auto aceptadas = srv_->llamadas("accept|accept4");
    std::optional<Llamada> aceptada = arnes::primera(aceptadas, [](const Llamada& l) { return l.resultado >= 0; });
    ASSERT_FALSE(escuchas.empty() || !aceptada) << informe(
        {"un cliente recibe su eco", "listen() y un accept() que devuelva su descriptor",
         arnes::enumerar(srv_->llamadas()), "", arnes::secciones::l04_aceptar});
    std::string bloqueantes;
    for (const long fd : {escuchas.front().args[0], aceptada->resultado}) {
        const int copia = arnes::copiar_descriptor(srv_->pid(), static_cast<int>(fd));
        if (copia < 0) GTEST_SKIP() << "no se pudo copiar el descriptor " << fd << " (pidfd_getfd)";
        const int opciones = fcntl(copia, F_GETFL);
        close(copia);
        if ((opciones & O_NONBLOCK) == 0)
            bloqueantes += (bloqueantes.empty() ? "" : " y ") + std::string(fd == escuchas.front().args[0] ? "la escucha" : "el del cliente") +
                           " (" + std::to_string(fd) + ")";
    }
    EXPECT_TRUE(bloqueantes.empty()) << informe(
        {"un cliente recibe su eco; la prueba mira las opciones de los sockets del servidor",
         "O_NONBLOCK en la escucha y en el socket del cliente", "sin O_NONBLOCK: " + bloqueantes,
         "poll() dice que se puede leer o escribir, no cuánto: un read(), write() o accept() "
         "bloqueante puede quedarse esperando y parar a todos. fcntl(fd, F_SETFL, opciones | "
         "O_NONBLOCK) en cada socket",
         kLeerNoBloqueante});
}

// Sin nada que hacer, el servidor duerme en poll() sin plazo; y cada poll() vuelve con algo que
// atender (nunca con 0 por un plazo vencido): un cliente envía una línea byte a byte, con una
// pausa de 1 ms entre uno y otro, y la prueba mira cada poll() de la traza.
TEST_F(Poll, DuermeEnPollSinDarVueltas) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion a = atendido(puerto, "hola\n", "servidor recién arrancado");
    Conexion b = atendido(puerto, "adiós\n", "con otro cliente conectado");
    if (!a.valida() || !b.valida()) return;
    const long desde = static_cast<long>(srv_->llamadas().size());
    const std::string linea = "despacito y sin prisa\n";
    const bool enviado = a.enviar_byte_a_byte(linea);
    const std::string r = enviado ? a.recibir(linea.size()) : "";
    // Tras el último eco, la vuelta siguiente: el servidor entra en poll() y ahí se queda.
    auto ultima = srv_->esperar_llamada(
        [&](const Llamada& l) { return l.orden >= desde && (l.nombre == "poll" || l.nombre == "ppoll") && !l.terminada; },
        arnes::kPlazo, false);
    ASSERT_TRUE(r == linea && ultima) << informe(
        {"dos clientes conectados; uno envía " + visible(linea) + " byte a byte",
         "su eco, y el servidor esperando en poll()",
         "recibió " + visible(r) + "; últimas llamadas:\n" + arnes::enumerar(srv_->llamadas()),
         "el bucle: poll(), y atender lo que haya pasado", kLeerBucle});
    std::vector<Llamada> vacias;
    for (const auto& l : srv_->llamadas("poll|ppoll"))
        if (l.orden >= desde && l.terminada && l.resultado == 0) vacias.push_back(l);
    const bool duerme = ultima->espera_ms < 0 || ultima->espera_ms >= 1000;
    EXPECT_TRUE(duerme && vacias.empty()) << informe(
        {"dos clientes conectados; uno envía " + visible(linea) + " byte a byte (1 ms entre bytes)",
         "cada poll() vuelve con algo que atender y, sin nada que hacer, poll() sin plazo (-1)",
         "el último: " + ultima->texto() + "\n" +
             (vacias.empty() ? std::string("ningún poll() vacío")
                             : arnes::cuenta(vacias.size(), "poll() volvió", "poll() volvieron") +
                                   " con 0 (plazo vencido sin nada que hacer):\n" + arnes::enumerar(vacias, 4)),
         "poll(…, -1) duerme hasta que pase algo; con plazo 0 (o muy corto) el bucle da vueltas "
         "sin parar y gasta la CPU aunque no haya clientes",
         kLeerBucle});
}

// Dos clientes envían sus líneas byte a byte, alternándose: cada uno recibe la suya entera y sin
// mezclar (cada cliente tiene su propia cola de salida).
TEST_F(Poll, ClientesByteAByteIntercaladosRecibenSuEco) {
    const int puerto = arrancar(sin_traza());
    if (puerto == 0) return;
    Conexion a = Conexion::conectar(puerto), b = Conexion::conectar(puerto);
    const std::string la = "aaaa aaaa aaaa\n", lb = "bbbb bbbb bbbb\n";
    for (std::size_t i = 0; i < la.size(); ++i) {
        a.enviar(la.substr(i, 1));
        b.enviar(lb.substr(i, 1));
    }
    const std::string ra = a.recibir(la.size()), rb = b.recibir(lb.size());
    EXPECT_TRUE(ra == la && rb == lb) << informe(
        {"dos clientes envían " + visible(la) + " y " + visible(lb) + " byte a byte, un byte de cada uno por turno",
         "que cada uno reciba su propia línea entera",
         "el primero recibió " + visible(ra) + ", el segundo " + visible(rb) + "\n" + srv_->resumen(),
         "nunca esperes a que un cliente complete su línea: cada read() devuelve lo que haya, y "
         "cada cliente guarda lo suyo en su propia cola de salida",
         kLeerTurnos});
}

// Un cliente envía 8 MiB y no lee su eco; otro cliente que llega después recibe el suyo a
// tiempo, y cuando el primero por fin lee, recibe sus 8 MiB intactos.
TEST_F(Poll, OchoMiBSinLeerNoRetrasanAOtroCliente) {
    const int puerto = arrancar(sin_traza(Ms(40000)));
    if (puerto == 0) return;
    const std::string datos = arnes::datos_de_prueba(bytes_de_la_riada());
    Conexion grande = Conexion::conectar(puerto);
    grande.reducir_recepcion(kRecepcionPequena);  // no lee: que el camino de vuelta se llene antes
    std::atomic<bool> enviado{false}, acabado{false};
    std::thread emisor([&] {
        enviado = grande.enviar(datos, Ms(30000));
        acabado = true;
    });
    // El otro llega cuando el grande ya ha llenado el camino: el servidor duerme en write() (un
    // socket bloqueante, atascado para siempre) o en poll() sin leerle (el emisor ya no avanza o
    // terminó). Un servidor con un hijo por cliente espera en accept().
    arnes::esperar_que(
        [&] {
            const std::string donde = srv_->donde_esta();
            pollfd p{grande.fd(), POLLOUT, 0};
            const bool parado = acabado || poll(&p, 1, 0) == 0;
            return donde.rfind("write", 0) == 0 || donde.rfind("accept", 0) == 0 ||
                   (parado && (donde.rfind("poll", 0) == 0 || donde.rfind("ppoll", 0) == 0));
        },
        Ms(20000));
    Conexion otro = Conexion::conectar(puerto);
    const std::string r = eco(otro, "¿y yo?\n");
    EXPECT_EQ(r, "¿y yo?\n") << informe(
        {"un cliente envía 8 MiB y no lee el eco; después conecta otro y envía «¿y yo?»",
         "que el segundo reciba su eco a tiempo (4 s)",
         "recibió " + visible(r) + "\n" + srv_->resumen(),
         "si el socket del grande es bloqueante, write() espera a que lea, y mientras nadie más es "
         "atendido. Sockets no bloqueantes: lo que no se puede escribir se queda en su cola de "
         "salida, y poll() sigue con los demás",
         kLeerCola});
    const std::string recibido = grande.recibir(datos.size(), Ms(30000));
    emisor.join();
    EXPECT_TRUE(enviado && recibido == datos) << informe(
        {"el cliente de los 8 MiB se pone a leer", "sus 8 MiB de eco, intactos y en orden",
         std::string(enviado ? "" : "no pudo enviarlo todo; ") + "recibió " +
             arnes::cuenta(recibido.size(), "byte", "bytes") +
             (recibido.size() == datos.size() ? " distintos de los enviados" : "") + "\n" + srv_->resumen(),
         "tras un write() parcial, lo que falta sigue en la cola: quita de ella solo lo escrito",
         kLeerCola});
}

// Contrapresión: mientras un cliente envía sin leer y su cola de salida está llena, el servidor
// deja de leerle (traza: un poll() en el que su socket no pide POLLIN).
TEST_F(Poll, DejaDeLeerAQuienNoLeeSuEco) {
    Opciones o;
    o.limite = Ms(60000);
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    const std::string datos = arnes::datos_de_prueba(bytes_de_la_riada());
    Conexion c = Conexion::conectar(puerto);
    c.reducir_recepcion(kRecepcionPequena);
    std::thread emisor([&] { c.enviar(datos, Ms(50000)); });
    // El servidor lo aceptó: su descriptor es el que devolvió accept().
    auto aceptada = srv_->esperar_llamada([](const Llamada& l) {
        return (l.nombre == "accept" || l.nombre == "accept4") && l.terminada && l.resultado >= 0;
    });
    std::optional<Llamada> sin_leer;
    const bool usa_poll = srv_->esperar_llamada("poll|ppoll").has_value();  // sin poll(), no hay qué mirar
    if (aceptada && usa_poll)
        sin_leer = srv_->esperar_llamada(
            [&](const Llamada& l) {
                if (l.nombre != "poll" && l.nombre != "ppoll") return false;
                for (const auto& s : l.sondeos)
                    if (s.fd == aceptada->resultado && (s.eventos & POLLIN) == 0) return true;
                return false;
            },
            Ms(20000), false);
    // Y ya puede leer: el emisor termina.
    const std::string recibido = c.recibir(datos.size(), Ms(40000));
    emisor.join();
    std::string ejemplo;
    for (const auto& l : srv_->llamadas("poll|ppoll")) ejemplo = l.texto();
    EXPECT_TRUE(sin_leer.has_value()) << informe(
        {"un cliente envía 8 MiB sin leer el eco (con un búfer de recepción pequeño)",
         "que, con su cola de salida llena, el servidor deje de pedir POLLIN para él",
         !usa_poll  ? "el servidor no llamó nunca a poll()\n" + srv_->resumen()
         : aceptada ? "su socket (" + std::to_string(aceptada->resultado) + ") siempre con POLLIN; el último poll(): " + ejemplo
                    : "no se vio el accept() de ese cliente\n" + srv_->resumen(),
         "si sigues leyendo lo que no puedes devolver, la cola crece sin fin (8 MiB, 8 GiB…). Con la "
         "cola llena, quita POLLIN de sus eventos: el cliente tendrá que leer antes de enviar más",
         kLeerCola});
    EXPECT_EQ(recibido.size(), datos.size()) << informe(
        {"el cliente de los 8 MiB se pone a leer", "sus 8 MiB de eco",
         arnes::cuenta(recibido.size(), "byte", "bytes"), "", kLeerCola});
}

// Tras el fin de fichero de un cliente, el servidor le devuelve antes todo lo pendiente y solo
// después cierra. La prueba deja que cada write() del servidor escriba como mucho 100 bytes: al
// llegar el fin de fichero aún queda eco en la cola.
TEST_F(Poll, DevuelveTodoAntesDeCerrarTrasElFin) {
    Opciones o;
    o.escritura_maxima = 100;
    o.limite = Ms(30000);
    ARNES_REQUIERE_CAMBIOS();
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    const std::string datos = arnes::datos_de_prueba(10 * 1024, 100);
    Conexion c = Conexion::conectar(puerto);
    c.enviar(datos);
    c.cerrar_escritura();
    arnes::Cierre como = arnes::Cierre::kNinguno;
    const std::string recibido = c.recibir_todo(Ms(20000), &como);
    EXPECT_TRUE(recibido == datos && como == arnes::Cierre::kOrdenado) << informe(
        {srv_->orden() + "\n(cada write() del servidor escribe como mucho 100 bytes)\nun cliente "
                         "envía 10 KiB y cierra su escritura enseguida",
         "los 10 KiB de eco y después el fin de fichero",
         "recibió " + arnes::cuenta(recibido.size(), "byte", "bytes") +
             (como == arnes::Cierre::kOrdenado ? " y el fin de fichero" : "") + "\n" + srv_->resumen(),
         "read() = 0 dice que el cliente no enviará más, no que ya tenga su eco: deja de leerle, "
         "pero despídelo solo cuando su cola de salida esté vacía",
         kLeerDespedir});
}

// Un cliente que envía media línea y corta con RST se despide limpio: su descriptor se cierra
// (el servidor vuelve a los descriptores de antes) y otro cliente sigue recibiendo su eco.
TEST_F(Poll, DespideAQuienCortaConRst) {
    const int puerto = arrancar(sin_traza());
    if (puerto == 0) return;
    const std::size_t antes = srv_->descriptores().size();  // sin clientes, esperando en poll()
    for (int i = 0; i < 20; ++i) {
        Conexion c = Conexion::conectar(puerto);
        c.enviar("media lín");
        c.recibir(9);
        c.reiniciar();
    }
    Conexion otro = atendido(puerto, "¿sigues ahí?\n", "20 clientes cortaron con RST a mitad de línea");
    otro.cerrar();
    const std::size_t despues = descriptores_tras_despedir(antes);
    EXPECT_LE(despues, antes) << informe(
        {"20 clientes envían media línea, reciben su eco y cortan con RST; otro viene y se va",
         "los mismos descriptores abiertos en el servidor que antes (" + std::to_string(antes) + ")",
         "antes: " + std::to_string(antes) + ", después: " + std::to_string(despues) + "\n" + srv_->resumen(),
         "un read() o write() con ECONNRESET (o POLLERR/POLLHUP en revents) despide a ese cliente: "
         "close() de su socket y fuera de la lista; si no, el descriptor se queda para siempre",
         kLeerDespedir});
}

// Clientes que envían 256 KiB y cierran sin leer: el servidor falla al escribirles (EPIPE o
// ECONNRESET), los despide y sigue atendiendo, sin quedarse con sus descriptores.
TEST_F(Poll, DespideAQuienSeVaSinLeer) {
    const int puerto = arrancar(sin_traza(Ms(40000)));
    if (puerto == 0) return;
    const std::size_t antes = srv_->descriptores().size();  // sin clientes, esperando en poll()
    const std::string datos = arnes::datos_de_prueba(256 * 1024);
    for (int i = 0; i < 20; ++i) {
        Conexion c = Conexion::conectar(puerto);
        c.enviar(datos, Ms(2000));
        c.cerrar();  // con datos sin leer, close() envía RST
    }
    Conexion otro = atendido(puerto, "¿sigues ahí?\n", "20 clientes se fueron sin leer su eco");
    otro.cerrar();
    const std::size_t despues = descriptores_tras_despedir(antes);
    const bool vivo = srv_->vivo();
    EXPECT_TRUE(vivo && despues <= antes) << informe(
        {"20 clientes envían 256 KiB cada uno y cierran sin leer; otro viene y se va",
         "que el servidor siga vivo y vuelva a los descriptores de antes (" + std::to_string(antes) + ")",
         std::string(vivo ? "" : "el servidor terminó; ") + "después: " + std::to_string(despues) +
             "\n" + srv_->resumen(),
         "EPIPE o ECONNRESET al escribir a un cliente que se fue es asunto de ese cliente: "
         "despídelo (close) y sigue con los demás (SIGPIPE sigue ignorada, lección 05)",
         kLeerDespedir});
}

// Si un read() falla (ECONNRESET provocado), el servidor lo explica en stderr, despide a ese
// cliente y sigue atendiendo a otro.
TEST_F(Poll, UnReadFallidoDespideSoloAEseCliente) {
    despide_solo_al_que_falla(arnes::kLecturas, ECONNRESET, "read", "el primer read() de un cliente");
}

// Si un write() falla (EPIPE provocado), lo mismo: se explica, se despide a ese cliente y el
// siguiente recibe su eco.
TEST_F(Poll, UnWriteFallidoDespideSoloAEseCliente) {
    despide_solo_al_que_falla(arnes::kEscrituras, EPIPE, "write", "el write() del eco del primer cliente");
}

/// Sube el límite blando de descriptores de este proceso hasta `n`, si el duro lo permite, y
/// devuelve el que queda.
rlim_t subir_limite_propio(rlim_t n) {
    rlimit l{};
    if (getrlimit(RLIMIT_NOFILE, &l) != 0) return 0;
    if (l.rlim_cur < n) {
        l.rlim_cur = std::min(n, l.rlim_max);
        setrlimit(RLIMIT_NOFILE, &l);
        getrlimit(RLIMIT_NOFILE, &l);
    }
    return l.rlim_cur;
}

// Mil clientes conectados a la vez: cada uno envía su línea con todos abiertos y todos reciben
// la suya. (La prueba sube su propio límite de descriptores para tener mil sockets.)
TEST_F(Poll, MilClientesALaVezRecibenSuEco) {
    constexpr int kClientes = 1000;
    if (subir_limite_propio(kClientes + 100) < kClientes + 100)
        GTEST_SKIP() << "el límite de descriptores de esta máquina (ulimit -Hn) no llega a "
                     << kClientes + 100 << ": la prueba no puede abrir mil clientes; se omite, no se da por buena";
    const int puerto = arrancar(sin_traza(Ms(60000)));
    if (puerto == 0) return;
    std::vector<Conexion> clientes;
    const auto limite = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (static_cast<int>(clientes.size()) < kClientes && std::chrono::steady_clock::now() < limite) {
        clientes.push_back(Conexion::conectar(puerto, Ms(8000)));
        if (!clientes.back().valida()) break;
    }
    const int conectados = static_cast<int>(clientes.size()) - (clientes.back().valida() ? 0 : 1);
    ASSERT_EQ(conectados, kClientes) << informe(
        {"conectar 1000 clientes seguidos sin que ninguno envíe nada", "los 1000 conectados",
         "conectaron " + std::to_string(conectados) + " (el siguiente: connect(): " +
             arnes::texto_errno(clientes.back().error()) + ")\n" + srv_->resumen(),
         "la cola de listen() con SOMAXCONN, y aceptar a todos los que esperan en cada vuelta",
         kLeerLimite});
    for (int i = 0; i < kClientes; ++i) clientes[i].enviar("cliente " + std::to_string(i) + "\n", Ms(8000));
    int atendidos = 0, primero_mal = -1;
    std::string mal;
    const auto hasta = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (int i = 0; i < kClientes; ++i) {
        const std::string esperado = "cliente " + std::to_string(i) + "\n";
        const auto queda = std::chrono::duration_cast<Ms>(hasta - std::chrono::steady_clock::now());
        const std::string r = clientes[i].recibir(esperado.size(), std::max(queda, Ms(1)));
        if (r == esperado) ++atendidos;
        else if (primero_mal < 0) primero_mal = i, mal = r;
    }
    const std::string errores = srv_->errores();
    if (errores.find("EMFILE") != std::string::npos) arnes::sintoma("sin_descriptores");
    EXPECT_EQ(atendidos, kClientes) << informe(
        {"1000 clientes conectados a la vez; cada uno envía «cliente N» con todos abiertos",
         "que los 1000 reciban su propia línea",
         arnes::cuenta(static_cast<std::size_t>(atendidos), "atendido", "atendidos") + "; el cliente " +
             std::to_string(primero_mal) + " recibió " + visible(mal) + "\n" + srv_->resumen(),
         errores.find("EMFILE") != std::string::npos
             ? "accept() dio EMFILE: el proceso se quedó sin descriptores. Sube su límite blando "
               "(RLIMIT_NOFILE) hasta el duro al arrancar"
             : "todos en el mismo poll(): un pollfd por cliente, y a cada uno un read() y un write() "
               "por vuelta",
         kLeerLimite});
}

// El servidor sube su propio límite de descriptores abiertos: la prueba lo arranca con un límite
// blando de 256 y mira su /proc/PID/limits.
TEST_F(Poll, SubeSuLimiteDeDescriptores) {
    rlimit propio{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &propio), 0);
    if (propio.rlim_max <= 256) GTEST_SKIP() << "el límite duro de esta máquina ya es de 256 o menos";
    rlimit bajo = propio;
    bajo.rlim_cur = 256;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &bajo), 0);
    const int puerto = arrancar(sin_traza());
    setrlimit(RLIMIT_NOFILE, &propio);  // la prueba vuelve al suyo: el servidor ya heredó el bajo
    if (puerto == 0) return;
    const rlim_t esperado = std::min<rlim_t>(propio.rlim_max, 4096);
    // El servidor narra «escuchando» tras el primer listen() y sube el límite después: se espera
    // (como mucho el plazo de siempre) a verlo subido, sin dar por malo lo que aún no ha hecho.
    long blando = -1;
    arnes::esperar_que([&] {
        std::ifstream limites("/proc/" + std::to_string(srv_->pid()) + "/limits");
        for (std::string l; std::getline(limites, l);)
            if (l.rfind("Max open files", 0) == 0) std::istringstream(l.substr(14)) >> blando;
        return blando >= static_cast<long>(esperado) || !srv_->vivo();
    });
    EXPECT_GE(blando, static_cast<long>(esperado)) << informe(
        {srv_->orden() + "\n(arrancado con un límite blando de 256 descriptores; el duro es " +
             std::to_string(propio.rlim_max) + ")",
         "que el servidor suba su límite blando (al menos a " + std::to_string(esperado) + ")",
         "su límite blando es " + std::to_string(blando) + "\n" + srv_->resumen(),
         "cada cliente es un descriptor de este único proceso: con getrlimit()/setrlimit() sobre "
         "RLIMIT_NOFILE, sube el blando hasta el duro (con un tope, como 65536)",
         kLeerLimite});
}

}  // namespace
