/// \file etapa05_read_write.cpp
/// \brief Etapa 05 · read y write: el servidor devuelve (eco) cada byte que recibe y el cliente
///        imprime cada línea que le vuelve. Lecturas y escrituras parciales, SIGPIPE, RST.
///
/// Estas pruebas corren contra las lecciones 05, 06 y 07: el servidor de la 05 y la 06 atiende a
/// un cliente y termina; el de la 07 crea un hijo por cliente y no termina nunca. Cada prueba
/// hace de interlocutor sin suponer más de lo que las tres versiones comparten.
#include "arnes/arnes.h"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

namespace {

using arnes::Cierre;
using arnes::Conexion;
using arnes::Escucha;
using arnes::Informe;
using arnes::Ms;
using arnes::Opciones;
using arnes::Programa;
using arnes::visible;

/// La etapa de este fichero (sus dos fijaciones la comparten).
constexpr const arnes::Etapa& kEtapa = arnes::etapas::k05;

const arnes::Lectura kLeerEco{arnes::secciones::l05_eco, "man 2 read, man 2 write"};
const arnes::Lectura kLeerParciales{arnes::secciones::l05_parciales, "man 2 read, man 2 write"};
const arnes::Lectura kLeerSigpipe{arnes::secciones::l05_sigpipe, "man 7 signal, man 2 write (EPIPE)"};
const arnes::Lectura kLeerCliente{arnes::secciones::l05_cliente, "man 2 read"};

/// Las líneas «[cliente] eco: ...» de una salida, sin el prefijo.
std::vector<std::string> ecos_impresos(const std::string& salida) {
    std::vector<std::string> r;
    std::istringstream is(salida);
    std::string linea;
    const std::string prefijo = "[cliente] eco: ";
    while (std::getline(is, linea))
        if (linea.rfind(prefijo, 0) == 0) r.push_back(linea.substr(prefijo.size()));
    return r;
}

std::string unir(const std::vector<std::string>& v) {
    if (v.empty()) return "(ninguna línea «[cliente] eco: …»)";
    std::string r;
    for (const auto& s : v) r += (r.empty() ? "" : ", ") + visible(s);
    return r;
}

/// Los descriptores que devolvió `llamada` («accept|accept4») o que recibió («connect»), con el
/// orden de esa llamada: las lecturas y escrituras que cuentan son las posteriores (antes, el
/// mismo número pudo ser un fichero del cargador dinámico).
std::map<long, long> sockets_de(const Programa& p, const char* llamada, bool devuelto) {
    std::map<long, long> r;
    for (const auto& l : p.llamadas(llamada))
        if (!devuelto || (l.terminada && l.resultado >= 0))
            r.emplace(devuelto ? l.resultado : l.args[0], l.orden);
    return r;
}

/// ¿Es `l` una lectura o escritura de uno de esos sockets, posterior a la llamada que lo dio?
bool en_socket(const std::map<long, long>& sockets, const arnes::Llamada& l) {
    const auto s = sockets.find(l.args[0]);
    return s != sockets.end() && l.orden > s->second && l.terminada;
}

/// La pista del síntoma «eco_de_mas», o `si_no`: si el servidor pidió escribir más bytes de los
/// que acababa de leer (su búfer entero, no los n que devolvió read()), según la traza, o el eco
/// trae bytes nulos que nunca se enviaron, anota el síntoma y lo dice.
std::string pista_eco_de_mas(const std::string& enviado, const std::string& recibido,
                             const Programa& srv, const std::string& si_no) {
    const auto nulos = [](const std::string& s) {
        return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\0'));
    };
    const auto conexiones = sockets_de(srv, "accept|accept4", true);
    std::map<std::pair<pid_t, long>, long> leido;  // último read() > 0 de cada proceso y descriptor
    std::string prueba;  // la escritura que lo muestra
    for (const auto& l : srv.llamadas(std::string(arnes::kLecturas) + "|" + arnes::kEscrituras)) {
        if (!en_socket(conexiones, l) || l.provocado) continue;
        const auto k = std::make_pair(l.pid, l.args[0]);
        if (arnes::coincide_nombre(arnes::kLecturas, l.nombre)) {
            if (l.resultado > 0) leido[k] = l.resultado;
        } else if (leido.count(k) > 0 && l.args[2] > leido[k]) {
            prueba = "read() devolvió " + std::to_string(leido[k]) + " y después se llamó a " +
                     l.texto();
            break;
        }
    }
    if (prueba.empty() && nulos(recibido) <= nulos(enviado)) return si_no;
    arnes::sintoma("eco_de_mas");
    std::string r = "el servidor escribe más bytes de los que leyó";
    if (nulos(recibido) > nulos(enviado))
        r = "el eco trae " +
            arnes::cuenta(nulos(recibido) - nulos(enviado), "byte nulo", "bytes nulos") +
            " ('\\0') que nunca se enviaron";
    if (!prueba.empty()) r += ": " + prueba;
    return r + ".\nEscribe solo los n bytes que devolvió read(), no sizeof bufer: lo que hay "
               "detrás en el búfer nunca llegó del cliente";
}

/// La pista del síntoma «append_sin_cuenta», o `si_no`: si el cliente imprimió en sus líneas de
/// eco más bytes de los que sus read() trajeron del socket (o bytes nulos), anota el síntoma y
/// lo dice: append(bufer) sin la cuenta copia hasta el primer '\0', restos o basura incluidos.
std::string pista_append_sin_cuenta(const Programa& cli, const std::vector<std::string>& ecos,
                                    const std::string& si_no) {
    std::size_t impresos = 0, leidos = 0;
    bool nulos = false;
    for (const auto& e : ecos) {
        impresos += e.size() + 1;  // y su '\n'
        nulos = nulos || e.find('\0') != std::string::npos;
    }
    const auto conectados = sockets_de(cli, "connect", false);
    for (const auto& l : cli.llamadas(arnes::kLecturas))
        if (en_socket(conectados, l) && l.resultado > 0)
            leidos += static_cast<std::size_t>(l.resultado);
    const bool de_mas = cli.trazado() && impresos > leidos;
    if (!de_mas && !nulos) return si_no;
    arnes::sintoma("append_sin_cuenta");
    return (de_mas ? "el cliente imprimió " + arnes::cuenta(impresos, "byte", "bytes") +
                         " de eco (con sus saltos de línea), pero sus read() del socket solo "
                         "trajeron " + std::to_string(leidos)
                   : std::string("las líneas de eco traen bytes nulos ('\\0') que nadie envió")) +
           ": la línea junta bytes del búfer que read() no leyó. append(bufer) copia hasta el "
           "primer '\\0' (restos de lecturas anteriores o basura); pasa la cuenta que devolvió "
           "read(): append(bufer, leidos)";
}

/// Base de las pruebas del servidor: lo lanza con «servidor 0» y espera a que escuche.
class EtapaServidor : public arnes::PruebaDeEtapa {
protected:
    EtapaServidor() : PruebaDeEtapa(kEtapa) {}

    /// Conecta un cliente de la prueba; si no puede, informa y devuelve una conexión inválida.
    Conexion conectar(int puerto) {
        Conexion c = Conexion::conectar(puerto);
        if (!c.valida())
            ADD_FAILURE() << informe(
                {"conectar a 127.0.0.1:" + std::to_string(puerto),
                 "que el servidor acepte la conexión",
                 "connect() falló: " + arnes::texto_errno(c.error()) + "\n" + srv_->resumen(), "",
                 arnes::secciones::l04_aceptar});
        return c;
    }

    /// Tras un incidente (un cliente que se va a lo bruto), comprueba que el servidor no murió
    /// por una señal: o sigue atendiendo a otro cliente (lección 07) o termina con código 0 o 1
    /// (lecciones 05 y 06, que atienden a un solo cliente).
    void comprobar_que_sobrevive(int puerto, const std::string& incidente, const std::string& pista,
                                 const arnes::Lectura& leer) {
        // Otro cliente: un servidor que sigue vivo y acepta (07) le devuelve el eco.
        // Plazos holgados: en una máquina cargada un servidor correcto puede tardar; uno que ya
        // terminó (05, 06) rechaza o corta la conexión enseguida, sin agotarlos.
        Conexion otro = Conexion::conectar(puerto);
        if (otro.valida() && otro.enviar("¿sigues ahí?\n") &&
            otro.recibir_linea() == "¿sigues ahí?\n")
            return;
        auto fin = srv_->esperar_fin();
        ASSERT_TRUE(fin) << informe({incidente + "; después, otro cliente envió «¿sigues ahí?»",
                                     "que el servidor atienda al nuevo cliente o termine con "
                                     "código 0 o 1",
                                     "ni atendió al nuevo cliente ni terminó; está bloqueado en " +
                                         srv_->donde_esta() + "\n" + srv_->resumen(),
                                     "un error de read()/write() con el cliente (ECONNRESET, "
                                     "EPIPE) no debe dejar al servidor colgado",
                                     leer});
        ASSERT_FALSE(fin->por_senal && !fin->por_arnes)
            << informe({incidente, "que el servidor siga vivo o termine con código 0 o 1",
                        "el servidor " + fin->texto() + "\n" + srv_->resumen(), pista, leer});
        EXPECT_TRUE(!fin->por_senal && (fin->codigo == 0 || fin->codigo == 1)) << informe(
            {incidente, "que el servidor termine con código 0 o 1",
             "el servidor " + fin->texto() + "\n" + srv_->resumen(),
             "ante un error de la conexión, avisa en stderr y termina con código 1", leer});
        if (!fin->por_senal && fin->codigo == 1) {
            EXPECT_FALSE(srv_->errores().empty())
                << informe({incidente, "un mensaje de error en stderr («[servidor] error: …»)",
                            "terminó con código 1 sin decir nada en stderr",
                            "usa comprobar() o explica el error antes de salir", leer});
        }
    }

};

/// El servidor de eco (lecciones 05+).
class Eco : public EtapaServidor {
protected:
    /// Arranca el servidor con una escritura alterada por la prueba (`fallo`: corta o fallida),
    /// hace el eco de `linea` y comprueba que llega entero. `que_hizo` dice qué hizo la prueba.
    void eco_con_escritura_alterada(const arnes::Fallo& fallo, const std::string& linea,
                                    const std::string& que_hizo, const std::string& pista) {
        arnes::Opciones o;
        o.fallos = {fallo};
        ARNES_REQUIERE_CAMBIOS();
        const int puerto = arrancar(o);
        if (puerto == 0) return;
        ARNES_REQUIERE_TRAZA(*srv_);
        Conexion c = conectar(puerto);
        if (!c.valida()) return;
        const std::string r = c.eco(linea);
        c.cerrar_escritura();
        EXPECT_TRUE(r == linea) << informe(
            {"enviar " + visible(linea) + "\n(" + que_hizo + ")", "recibir el eco completo: " + visible(linea),
             "se recibió " + visible(r) + "\n" + arnes::primera_diferencia(linea, r) + "\nescrituras del servidor:\n" +
                 arnes::enumerar(srv_->llamadas(arnes::kEscrituras), 6) + "\n" + srv_->resumen(),
             pista_eco_de_mas(linea, r, *srv_, pista), kLeerParciales});
    }
};

// El servidor devuelve una línea exactamente como llegó.
TEST_F(Eco, DevuelveUnaLinea) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    const std::string linea = "hola, servidor de eco\n";
    c.enviar(linea);
    const std::string r = c.recibir_linea();
    EXPECT_TRUE((r) == (linea)) << informe(
        {"conectar y enviar " + visible(linea), "recibir de vuelta " + visible(linea),
         "se recibió " + visible(r) + "\n" + arnes::primera_diferencia(linea, r) + "\n" + srv_->resumen(),
         pista_eco_de_mas(linea, r, *srv_,
                          "tras accept(), lee del descriptor conectado con read() y escribe lo "
                          "leído con write()"),
         kLeerEco});
}

// Un mensaje que llega byte a byte (cada byte en su propio segmento) vuelve entero: una sola
// lectura no es un mensaje.
TEST_F(Eco, DevuelveLoQueLlegaByteAByte) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    const std::string linea = "llega de uno en uno\n";
    c.enviar_byte_a_byte(linea);
    const std::string r = c.recibir(linea.size());
    EXPECT_TRUE((r) == (linea)) << informe(
        {"enviar " + visible(linea) + " byte a byte (" +
             arnes::cuenta(linea.size(), "segmento", "segmentos") + " TCP de 1 byte)",
         "recibir de vuelta los " + std::to_string(linea.size()) + " bytes",
         "se recibió " + visible(r) + "\n" + arnes::primera_diferencia(linea, r) + "\n" +
             srv_->resumen(),
         pista_eco_de_mas(linea, r, *srv_,
                          "TCP es un flujo de bytes: un read() devuelve lo que haya llegado, quizá "
                          "un solo byte. Repite read() + write() en un bucle hasta que read() "
                          "devuelva 0 (fin de fichero)"),
         kLeerParciales});
}

// 8 MiB enviados de golpe vuelven intactos, byte a byte, y en orden.
TEST_F(Eco, DevuelveOchoMiBIntactos) {
    Opciones o;
    o.trazar = false;  // sin traza: solo cuenta el comportamiento y va más rápido
    o.limite = Ms(30000);
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    const std::string datos = arnes::datos_de_prueba(8u << 20);
    const std::string r = c.eco(datos, Ms(20000));
    EXPECT_TRUE(r == datos) << informe(
        {"enviar 8 MiB (8388608 bytes en líneas de 1000) mientras se lee el eco",
         "recibir de vuelta los 8388608 bytes, idénticos y en orden",
         arnes::primera_diferencia(datos, r) + "\n" + srv_->resumen(),
         pista_eco_de_mas(datos, r, *srv_,
                          "cada read() puede traer cualquier trozo: escribe exactamente los n "
                          "bytes que devolvió (no sizeof del búfer, no strlen) y sigue leyendo "
                          "hasta el fin de fichero"),
         kLeerParciales});
}

// Si write() escribe menos de lo pedido (escritura parcial), el servidor escribe el resto.
TEST_F(Eco, CompletaLasEscriturasParciales) {
    Opciones o;
    o.escritura_maxima = 100;  // el arnés recorta cada write() a un socket a 100 bytes
    ARNES_REQUIERE_CAMBIOS();
    o.limite = Ms(20000);
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    const std::string datos = arnes::datos_de_prueba(20000, 500);
    c.enviar(datos);
    const std::string r = c.recibir(datos.size(), Ms(8000));
    std::string escrituras;
    auto ws = srv_->llamadas(arnes::kEscrituras);
    std::vector<arnes::Llamada> parciales;
    for (const auto& w : ws)
        if (w.terminada && w.resultado > 0 && w.resultado < w.args[2]) parciales.push_back(w);
    EXPECT_TRUE(r == datos) << informe(
        {"enviar 20000 bytes con cada write() del servidor recortado a 100 bytes (escrituras "
         "parciales forzadas por el arnés)",
         "recibir de vuelta los 20000 bytes",
         arnes::primera_diferencia(datos, r) + ".\nÚltimas escrituras del "
             "servidor (el tercer argumento es lo pedido, tras «=» lo escrito):\n" +
             arnes::enumerar(ws, 6) + "\n" + srv_->resumen(),
         pista_eco_de_mas(datos, r, *srv_,
                          "write() devuelve cuántos bytes escribió, que pueden ser menos de los "
                          "pedidos: repite write() con el resto (puntero + escritos, n - "
                          "escritos) hasta escribirlo todo"),
         kLeerParciales});
}

// Un cliente que envía mucho y cierra sin leer el eco no mata al servidor con SIGPIPE.
TEST_F(Eco, SobreviveAUnClienteQueCierraSinLeer) {
    Opciones o;
    o.escritura_maxima = 100;  // muchas escrituras pequeñas: alguna llega tras el cierre
    ARNES_REQUIERE_CAMBIOS();
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    // Se retiene al servidor antes de su primera escritura: así el cliente cierra sin tener
    // nada pendiente de leer (cierre ordenado, FIN) y las escrituras del servidor llegan a un
    // socket ya cerrado: la primera provoca un RST y la siguiente, EPIPE + SIGPIPE.
    srv_->retener_en(arnes::kEscrituras);
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    const std::string datos = arnes::datos_de_prueba(64 * 1024, 100);
    c.enviar(datos);
    const bool retenido = srv_->esperar_retenido();
    c.cerrar();  // sin leer nada
    srv_->soltar();
    ASSERT_TRUE(retenido) << informe({"enviar 64 KiB y esperar a que el servidor escriba",
                                      "que el servidor llame a write() para devolver el eco",
                                      "no llegó a escribir nada\n" + srv_->resumen(), "",
                                      kLeerEco});
    comprobar_que_sobrevive(
        puerto, "enviar 64 KiB y cerrar la conexión sin leer el eco",
        "escribir en un socket cuyo otro extremo ya cerró da EPIPE y, además, la señal SIGPIPE, "
        "que por defecto mata al proceso. Ignórala al empezar con sigaction(2) y SIG_IGN; así "
        "write() devuelve -1 con EPIPE y tu código decide",
        kLeerSigpipe);
}

// Un cliente que corta la conexión con RST a mitad de un mensaje no tumba al servidor.
TEST_F(Eco, SobreviveAUnReinicioAMitadDeMensaje) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    c.enviar("esta línea se corta a mit");
    c.recibir(25, Ms(1000));  // el eco de lo enviado (si llega)
    c.reiniciar();            // RST: SO_LINGER 0 y close()
    comprobar_que_sobrevive(
        puerto, "enviar «esta línea se corta a mit» y reiniciar la conexión (RST)",
        "read() puede devolver -1 con ECONNRESET y write() EPIPE: trátalos como errores de esa "
        "conexión (mensaje y salida ordenada), nunca como un fallo que rompa el proceso",
        kLeerEco);
}

// El servidor lee y escribe en el descriptor que devolvió accept(), no en el de escucha.
TEST_F(Eco, LeeYEscribeEnElDescriptorAceptado) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    c.enviar("¿por dónde?\n");
    const std::string r = c.recibir_linea();
    auto aceptada = srv_->esperar_llamada("accept|accept4");
    auto escuchas = srv_->llamadas("listen");
    ASSERT_FALSE(!aceptada || aceptada->resultado < 0 || escuchas.empty())
        << informe({"conectar y enviar «¿por dónde?»",
                    "listen() y luego un accept() que devuelva un descriptor",
                    "llamadas observadas:\n" + arnes::enumerar(srv_->llamadas(), 10), "",
                    arnes::secciones::l04_aceptar});
    const long escucha = escuchas.front().args[0];
    const long conectado = aceptada->resultado;
    auto datos_tras = [&](long orden) {
        std::vector<arnes::Llamada> v;
        for (const auto& l :
             srv_->llamadas(std::string(arnes::kLecturas) + "|" + arnes::kEscrituras))
            if (l.orden > orden && l.args[0] != 1 && l.args[0] != 2) v.push_back(l);
        return v;
    };
    for (const auto& l : datos_tras(aceptada->orden)) {
        ASSERT_FALSE(l.args[0] == escucha) << informe(
            {"conectar y enviar «¿por dónde?»",
             "read()/write() sobre el descriptor conectado " + std::to_string(conectado) +
                 " (el que devolvió accept())",
             "el servidor usó el descriptor de escucha " + std::to_string(escucha) + ": " +
                 l.texto(),
             "el socket de escucha solo sirve para aceptar; los datos del cliente van por el "
             "descriptor que devuelve accept()",
             kLeerEco});
    }
    // Las llamadas pueden estar aún volviendo: se esperan (terminadas) con un plazo.
    auto con_datos = [&](const char* nombres) {
        const std::string alternativas = nombres;
        return srv_
            ->esperar_llamada(
                [&](const arnes::Llamada& l) {
                    return l.orden > aceptada->orden && l.args[0] == conectado && l.resultado > 0 &&
                           ("|" + alternativas + "|").find("|" + l.nombre + "|") !=
                               std::string::npos;
                },
                Ms(2000))
            .has_value();
    };
    const bool leyo = con_datos(arnes::kLecturas);
    const bool escribio = con_datos(arnes::kEscrituras);
    EXPECT_TRUE(leyo && escribio) << informe(
        {"conectar y enviar «¿por dónde?» (se recibió " + visible(r) + ")",
         "un read() y un write() con éxito sobre el descriptor " + std::to_string(conectado) +
             ", el que devolvió " + aceptada->texto(),
         std::string(leyo ? "" : "ningún read() con datos en ese descriptor. ") +
             (escribio ? "" : "ningún write() con datos en ese descriptor. ") +
             "Lecturas y escrituras observadas:\n" +
             arnes::enumerar(datos_tras(aceptada->orden), 8),
         "guarda el valor que devuelve accept() y úsalo en read() y write()", kLeerEco});
}

// Cuando el cliente cierra su lado (FIN), read() devuelve 0 y el servidor sale de su bucle de eco.
// Un bucle que no mira el 0 vuelve a llamar a read(), que devuelve 0 otra vez, para siempre: el
// eco funciona, pero el servidor gira sin fin. Se ve en la traza: dos read() == 0 seguidos sobre
// la misma conexión y en el mismo proceso (sin esperas: la traza dice qué hizo tras el primero).
TEST_F(Eco, TerminaElBucleCuandoElClienteCierra) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    c.eco("hasta luego\n");
    auto aceptada = srv_->esperar_llamada("accept|accept4");
    c.cerrar_escritura();  // FIN: el siguiente read() del servidor devuelve 0
    if (!aceptada || aceptada->resultado < 0) return;  // Eco.LeeYEscribeEnElDescriptorAceptado
    const long fd = aceptada->resultado;
    std::map<pid_t, int> tras_el_fin;  // lecturas de la conexión desde el primer read() == 0
    auto decisiva = srv_->esperar_llamada(
        [&](const arnes::Llamada& l) {
            const bool lectura = l.orden > aceptada->orden && l.args[0] == fd &&
                                 arnes::coincide_nombre(arnes::kLecturas, l.nombre);
            if (lectura && (l.resultado == 0 || tras_el_fin.count(l.pid) > 0))
                return ++tras_el_fin[l.pid] >= 2;  // leyó otra vez tras el fin de fichero
            return tras_el_fin.count(l.pid) > 0;   // tras el 0 hizo otra cosa: salió del bucle
        },
        Ms(8000));
    // Sin decisión (el servidor terminó, o no llegó a leer el 0 a tiempo) no hay nada que decir.
    if (!decisiva || tras_el_fin[decisiva->pid] < 2) return;
    arnes::sintoma("bucle_sin_fin_de_fichero");
    std::vector<arnes::Llamada> lecturas;
    for (const auto& l : srv_->llamadas(arnes::kLecturas))
        if (l.pid == decisiva->pid && l.args[0] == fd && l.orden > aceptada->orden)
            lecturas.push_back(l);
    ADD_FAILURE() << informe(
        {"conectar, enviar «hasta luego\\n», recibir el eco y cerrar la escritura (FIN)",
         "que, cuando read() devuelva 0 (fin de fichero), el servidor salga del bucle de eco y no "
         "vuelva a leer del descriptor " + std::to_string(fd),
         "read() devolvió 0 y el servidor volvió a llamar a read() sobre el descriptor " +
             std::to_string(fd) + ":\n" + arnes::enumerar(lecturas, 4) + "\n" + srv_->resumen(),
         "read() devuelve 0 = fin de fichero: el cliente cerró su lado y no enviará nada más. "
         "Leer otra vez devuelve 0 otra vez, para siempre: el bucle gira sin fin. Cuando read() "
         "devuelva 0, sal del bucle (return o break)",
         kLeerEco});
}

/// El cliente de eco (lecciones 05+), frente a un servidor de la prueba.
class ClienteEco : public arnes::PruebaDeEtapa {
protected:
    ClienteEco() : PruebaDeEtapa(kEtapa) {}

    /// Acepta al cliente; si no llega, informa y devuelve una conexión inválida.
    Conexion aceptar(Escucha& e, Programa& cli) {
        Conexion c = e.aceptar();
        if (!c.valida())
            ADD_FAILURE() << informe({cli.orden(), "que el cliente se conecte al servidor",
                                      "no se conectó\n" + cli.resumen(), "", arnes::secciones::l04_conectar});
        return c;
    }
};

// El cliente envía su MENSAJE con '\n' e imprime «[cliente] eco: MENSAJE»; termina con código 0.
TEST_F(ClienteEco, ImprimeElEcoDelMensaje) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "hola eco"});
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    const std::string linea = c.recibir_linea();
    EXPECT_TRUE((linea) == ("hola eco\n")) << informe(
        {cli->orden(), "que el cliente envíe «hola eco\\n» (el mensaje y un salto de línea)",
         "el servidor recibió " + visible(linea) + "\n" + cli->resumen(),
         "el protocolo es por líneas: envía el mensaje seguido de '\\n'", arnes::secciones::s00_protocolo});
    c.enviar(linea);
    c.cerrar();
    auto fin = cli->esperar_fin();
    const auto ecos = ecos_impresos(cli->salida());
    EXPECT_TRUE(ecos.size() == 1 && ecos[0] == "hola eco")
        << informe({cli->orden() + "; el servidor devuelve «hola eco\\n» y cierra",
                    "una línea «[cliente] eco: hola eco»",
                    "se imprimió: " + unir(ecos) + "\n" + cli->resumen(),
                    pista_append_sin_cuenta(*cli, ecos,
                                            "lee la respuesta con read() hasta tener la línea "
                                            "completa y luego imprímela"),
                    kLeerCliente});
    EXPECT_TRUE(fin && !fin->por_senal && fin->codigo == 0) << informe(
        {cli->orden() + "; el servidor devuelve «hola eco\\n» y cierra", "que termine con código 0",
         (fin ? "el cliente " + fin->texto()
              : "sigue en marcha, bloqueado en " + cli->donde_esta()) +
             "\n" + cli->resumen(),
         "cuando ya tiene su respuesta y el servidor cierra, el cliente termina bien",
         kLeerCliente});
}

// Sin MENSAJE, el cliente envía cada línea de su entrada estándar e imprime cada eco, en orden.
TEST_F(ClienteEco, EnviaCadaLineaDeLaEntrada) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto())});
    cli->escribir_entrada("uno\ndos\ntres\n");
    cli->cerrar_entrada();
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    std::string recibidas;
    for (int i = 0; i < 3; ++i) {
        const std::string l = c.recibir_linea();
        if (l.empty()) break;
        recibidas += l;
        c.enviar(l);
    }
    c.esperar_cierre();  // el cliente cierra (o cierra su escritura) al acabar su entrada
    c.cerrar();
    auto fin = cli->esperar_fin();
    EXPECT_TRUE((recibidas) == ("uno\ndos\ntres\n")) << informe(
        {"cliente 127.0.0.1 PUERTO, con «uno», «dos», «tres» en la entrada estándar",
         "que el servidor reciba «uno\\ndos\\ntres\\n»",
         "recibió " + visible(recibidas) + "\n" + cli->resumen(),
         "sin MENSAJE, lee la entrada estándar línea a línea (std::getline) y envía cada una "
         "con su '\\n'",
         arnes::secciones::s00_protocolo});
    const auto ecos = ecos_impresos(cli->salida());
    EXPECT_TRUE((ecos) == ((std::vector<std::string>{"uno", "dos", "tres"}))) << informe(
        {"cliente 127.0.0.1 PUERTO, con «uno», «dos», «tres» en la entrada estándar",
         "tres líneas: «[cliente] eco: uno», «… dos», «… tres»",
         "se imprimió: " + unir(ecos) + "\n" + cli->resumen(),
         pista_append_sin_cuenta(*cli, ecos,
                                 "imprime una línea «[cliente] eco: …» por cada línea que vuelva"),
         kLeerCliente});
    EXPECT_TRUE(fin && !fin->por_senal && fin->codigo == 0) << informe(
        {"entrada estándar «uno\\ndos\\ntres\\n» y fin de fichero",
         "que el cliente termine con código 0",
         (fin ? "el cliente " + fin->texto()
              : "sigue en marcha, bloqueado en " + cli->donde_esta()) +
             "\n" + cli->resumen(),
         "al acabar la entrada estándar (std::getline falla) el cliente termina", kLeerCliente});
}

// Un eco que llega byte a byte se imprime entero, en una sola línea.
TEST_F(ClienteEco, JuntaUnEcoQueLlegaByteAByte) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "despacito y en orden"});
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    const std::string linea = c.recibir_linea();
    c.enviar_byte_a_byte(linea);
    c.cerrar();
    cli->esperar_fin();
    const auto ecos = ecos_impresos(cli->salida());
    EXPECT_TRUE(ecos.size() == 1 && ecos[0] == "despacito y en orden") << informe(
        {cli->orden() + "; el servidor devuelve la línea byte a byte",
         "una sola línea «[cliente] eco: despacito y en orden»",
         "se imprimió: " + unir(ecos) + "\n" + cli->resumen(),
         pista_append_sin_cuenta(*cli, ecos,
                                 "un read() puede traer un solo byte: acumula lo leído hasta "
                                 "encontrar '\\n' y solo entonces imprime la línea"),
         kLeerParciales});
}

// Un eco que llega en trozos cada vez más cortos se junta con la cuenta de cada read(): la
// prueba envía el trozo siguiente solo cuando el cliente ya leyó el anterior (traza), así que
// los bytes viejos que queden en el búfer se verían.
TEST_F(ClienteEco, JuntaUnEcoQueLlegaEnTrozosMenguantes) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "despacito y en orden"});
    ARNES_REQUIERE_TRAZA(*cli);
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    const std::string linea = c.recibir_linea();
    auto con = cli->esperar_llamada("connect");
    ASSERT_FALSE(!con || linea != "despacito y en orden\n") << informe(
        {cli->orden(), "que el cliente conecte y envíe su línea",
         "recibió " + visible(linea) + "\n" + cli->resumen(), "", arnes::secciones::s00_protocolo});
    const long fd = con->args[0];
    std::size_t enviados = 0;
    for (const std::string trozo : {"despacito y en ", "orden", "\n"}) {
        c.enviar(trozo);
        enviados += trozo.size();
        std::size_t leidos = 0;  // bytes que el cliente ha leído ya de su socket
        cli->esperar_llamada([&](const arnes::Llamada& l) {
            if (l.orden > con->orden && l.args[0] == fd && l.resultado > 0 &&
                std::string(arnes::kLecturas).find(l.nombre) != std::string::npos)
                leidos += static_cast<std::size_t>(l.resultado);
            return leidos >= enviados;
        });
    }
    c.cerrar();
    auto fin = cli->esperar_fin();
    const auto ecos = ecos_impresos(cli->salida());
    EXPECT_TRUE(ecos.size() == 1 && ecos[0] == "despacito y en orden" && fin && !fin->por_senal &&
                fin->codigo == 0)
        << informe({cli->orden() + "; el servidor devuelve la línea en tres trozos, de 15, 5 y 1 "
                                   "bytes, cada uno cuando el cliente ya leyó el anterior",
                    "una sola línea «[cliente] eco: despacito y en orden» y código 0",
                    "se imprimió: " + unir(ecos) + "\n" + cli->resumen(),
                    pista_append_sin_cuenta(
                        *cli, ecos,
                        "read() devuelve cuántos bytes dejó en el búfer; lo que hay detrás son "
                        "restos de lecturas anteriores. Añade solo esos: append(bufer, leidos), "
                        "no append(bufer) (no hay '\\0') ni sizeof bufer"),
                    kLeerParciales});
}

// Si el servidor cierra sin responder, el cliente lo dice en stderr y termina con código 1.
TEST_F(ClienteEco, FallaSiElServidorCierraSinResponder) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "¿hay alguien?"});
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    c.recibir_linea();
    c.cerrar();  // cierre ordenado, sin eco
    auto fin = cli->esperar_fin();
    const std::string entrada = cli->orden() + "; el servidor lee la línea y cierra sin responder";
    ASSERT_TRUE(fin) << informe(
        {entrada, "que el cliente termine con código 1",
         "sigue en marcha, bloqueado en " + cli->donde_esta() + "\n" + cli->resumen(),
         "read() devuelve 0 cuando el servidor cierra: es el fin de la "
         "conversación, no hay que seguir esperando",
         kLeerCliente});
    EXPECT_TRUE(!fin->por_senal && fin->codigo == 1 && !cli->errores().empty()) << informe(
        {entrada, "código 1 y un mensaje en stderr (el servidor cerró antes de responder)",
         "el cliente " + fin->texto() + "\n" + cli->resumen(),
         "si read() devuelve 0 antes de que llegue la respuesta completa, es un error: avisa en "
         "stderr y termina con código 1",
         kLeerCliente});
}

// El cliente ignora SIGPIPE: si escribe en una conexión que el servidor ya cerró, write() da
// EPIPE y el cliente lo explica y termina con código 1, en vez de morir sin decir nada. Para que
// escriba dos veces tras el cierre (la primera aún «funciona» y provoca el RST; la segunda es la
// que da EPIPE y SIGPIPE), la prueba deja que el write() de la segunda línea escriba solo 2 bytes.
TEST_F(ClienteEco, SobreviveAEscribirEnUnaConexionCerrada) {
    Escucha e;
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{arnes::kEscrituras, 0, 2, 2}};
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto())}, o);
    ARNES_REQUIERE_TRAZA(*cli);
    ARNES_REQUIERE_CAMBIOS();
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;  // aceptar() ya informó
    cli->escribir_entrada("uno\n");
    c.enviar(c.recibir_linea());
    const bool eco = cli->esperar_salida(std::regex(R"(\[cliente\] eco: uno)")).has_value();
    ASSERT_TRUE(eco) << informe({"cliente 127.0.0.1 PUERTO, con «uno» en la entrada estándar",
                                 "que imprima «[cliente] eco: uno»", cli->resumen(),
                                 "por cada línea: envíala, espera su eco e imprímelo", kLeerCliente});
    c.cerrar();  // el servidor se va: lo que le llegue ahora lo contesta su núcleo con RST
    cli->escribir_entrada("dos\n");
    cli->cerrar_entrada();
    auto fin = cli->esperar_fin();
    const std::string entrada =
        "cliente 127.0.0.1 PUERTO; «uno» recibe su eco, el servidor cierra y después llega «dos» "
        "por la entrada estándar\n(la prueba dejó que el write() de «dos» escribiera solo 2 bytes)";
    ASSERT_TRUE(fin.has_value()) << informe(
        {entrada, "que el cliente termine con código 1",
         "sigue en marcha\n" + cli->resumen(),
         "escribir en una conexión que el otro extremo cerró da EPIPE: es un error, explícalo y "
         "termina",
         kLeerSigpipe});
    EXPECT_TRUE(!fin->por_senal && fin->codigo == 1 && !cli->errores().empty()) << informe(
        {entrada, "código 1 y un mensaje en stderr (escribir tras el cierre da EPIPE)",
         "el cliente " + fin->texto() + "\nescrituras del cliente:\n" +
             arnes::enumerar(cli->llamadas(arnes::kEscrituras), 6) + "\n" + cli->resumen(),
         fin->por_senal && fin->senal == SIGPIPE
             ? "lo mató SIGPIPE: ignórala al empezar con sigaction(2) y SIG_IGN; así write() "
               "devuelve -1 con EPIPE y tu código lo explica"
             : "un write() que falla es un error: sockets::comprobar() lo convierte en excepción y "
               "main() lo explica en stderr y sale con código 1",
         kLeerSigpipe});
}

/// Interoperabilidad con herramientas estándar (nc, socat): el protocolo es texto plano.
class Interoperabilidad : public EtapaServidor {
protected:
    /// Lanza una herramienta del sistema bajo el arnés (se mata al acabar la prueba).
    std::unique_ptr<Programa> herramienta(const std::string& ruta, std::vector<std::string> args) {
        Opciones o;
        o.trazar = false;
        return std::make_unique<Programa>(ruta, std::move(args), o);
    }
};

// El servidor devuelve la línea que le envía netcat (nc -N, OpenBSD).
TEST_F(Interoperabilidad, ElServidorLeRespondeANetcat) {
    const std::string nc = arnes::ruta_herramienta("nc");
    if (nc.empty()) GTEST_SKIP() << "nc no está instalado (apt-get install netcat-openbsd)";
    std::error_code error;
    if (std::filesystem::canonical(nc, error).string().find("openbsd") == std::string::npos)
        GTEST_SKIP() << "el nc instalado no es el de OpenBSD (hace falta la opción -N)";
    const int puerto = arrancar();
    if (puerto == 0) return;
    auto n = herramienta(nc, {"-N", "127.0.0.1", std::to_string(puerto)});
    n->escribir_entrada("hola desde netcat\n");
    n->cerrar_entrada();  // -N: al acabar la entrada, nc hace shutdown(SHUT_WR)
    auto r = n->esperar_salida(std::regex("hola desde netcat"));
    EXPECT_TRUE(r.has_value()) << informe(
        {"nc -N 127.0.0.1 " + std::to_string(puerto) + " con «hola desde netcat» en la entrada",
         "que nc imprima el eco «hola desde netcat»",
         "nc: " + n->resumen() + "\n" + srv_->resumen(),
         "el servidor debe devolver cada byte tal cual, sin añadir ni quitar nada", kLeerEco});
}

// El servidor devuelve la línea que le envía socat.
TEST_F(Interoperabilidad, ElServidorLeRespondeASocat) {
    const std::string socat = arnes::ruta_herramienta("socat");
    if (socat.empty()) GTEST_SKIP() << "socat no está instalado (apt-get install socat)";
    const int puerto = arrancar();
    if (puerto == 0) return;
    auto s = herramienta(socat, {"-", "TCP:127.0.0.1:" + std::to_string(puerto)});
    s->escribir_entrada("hola desde socat\n");
    auto r = s->esperar_salida(std::regex("hola desde socat"));
    s->cerrar_entrada();
    EXPECT_TRUE(r.has_value()) << informe(
        {"socat - TCP:127.0.0.1:" + std::to_string(puerto) + " con «hola desde socat»",
         "que socat imprima el eco «hola desde socat»",
         "socat: " + s->resumen() + "\n" + srv_->resumen(),
         "el servidor debe devolver cada byte tal cual, sin añadir ni quitar nada", kLeerEco});
}

// El cliente recibe sus ecos de un servidor de eco hecho con socat (TCP-LISTEN … PIPE).
TEST_F(Interoperabilidad, ElClienteHablaConSocat) {
    const std::string socat = arnes::ruta_herramienta("socat");
    if (socat.empty()) GTEST_SKIP() << "socat no está instalado (apt-get install socat)";
    std::unique_ptr<Programa> s;
    int puerto = 0;
    for (int intento = 0; intento < 5 && puerto == 0; ++intento) {
        const int p = arnes::puerto_libre();
        s = herramienta(socat,
                        {"TCP-LISTEN:" + std::to_string(p) + ",bind=127.0.0.1,reuseaddr", "PIPE"});
        // Espera a que socat escuche; si el puerto se lo quitó otro entretanto, socat termina
        // con error y se prueba con otro.
        if (arnes::esperar_que([&] { return arnes::hay_escucha_en(p) || !s->vivo(); }) && s->vivo())
            puerto = p;
    }
    if (puerto == 0) GTEST_SKIP() << "socat no llegó a escuchar: " << s->resumen();
    auto cli = cliente({"127.0.0.1", std::to_string(puerto), "hola socat"});
    auto fin = cli->esperar_fin();
    const auto ecos = ecos_impresos(cli->salida());
    EXPECT_TRUE(ecos.size() == 1 && ecos[0] == "hola socat" && fin && !fin->por_senal &&
                fin->codigo == 0)
        << informe({cli->orden() + " frente a «socat TCP-LISTEN:" + std::to_string(puerto) +
                        ",bind=127.0.0.1,reuseaddr PIPE»",
                    "«[cliente] eco: hola socat» y código 0",
                    "se imprimió: " + unir(ecos) + "\n" + cli->resumen(),
                    pista_append_sin_cuenta(*cli, ecos,
                                            "el cliente solo debe depender del protocolo de "
                                            "líneas, no de nuestro servidor"),
                    kLeerCliente});
}

}  // namespace

// --- Fallos provocados ---
namespace {

const arnes::Lectura kLeerErroresEco{
    arnes::secciones::l05_eco, "lessons/comun/sockets_comun.h (comprobar); man 2 read, man 2 write (ERRORS)"};

// Una sola escritura corta (provocada: 1 byte) del servidor no se pierde: el eco llega entero.
TEST_F(Eco, CompletaUnaEscrituraCortaProvocada) {
    eco_con_escritura_alterada(arnes::Fallo{arnes::kEscrituras, 0, 1, 1}, "una escritura corta no es un error\n",
                               "la prueba dejó que el primer write() del servidor escribiera solo 1 byte",
                               "write() devuelve cuántos bytes escribió, que pueden ser menos de los "
                               "pedidos: repite con el resto hasta escribirlo todo (escribir_todo())");
}

// Si read() falla (ECONNRESET provocado), quien atiende lo explica y termina con código 1.
TEST_F(Eco, UnReadFallidoTerminaConUnoYLoExplica) {
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{arnes::kLecturas, ECONNRESET}};
    ARNES_REQUIERE_CAMBIOS();
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    c.enviar("hola\n");
    auto t = arnes::tras_el_fallo(*srv_, arnes::kLecturas, "", ECONNRESET);
    EXPECT_TRUE(t.bien()) << informe(
        {"conectar y enviar «hola\\n»\n(la prueba hizo fallar la primera lectura del servidor "
         "con ECONNRESET)",
         "que el proceso que atiende termine con código 1 y explique en stderr qué falló: una "
         "línea con «read» (o «recv») y «" + arnes::texto_errno(ECONNRESET) + "»",
         t.observado,
         "read() devuelve -1 si la conexión se rompe: compruébalo con "
         "sockets::comprobar(\"read()\", leidos) (salvo EINTR, que se repite); nunca uses "
         "leidos como tamaño si es -1",
         kLeerErroresEco});
}

// Si write() falla (EPIPE provocado), quien atiende lo explica y termina con código 1.
TEST_F(Eco, UnWriteFallidoTerminaConUnoYLoExplica) {
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{arnes::kEscrituras, EPIPE}};
    ARNES_REQUIERE_CAMBIOS();
    const int puerto = arrancar(o);
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    Conexion c = conectar(puerto);
    if (!c.valida()) return;
    c.enviar("hola\n");
    auto t = arnes::tras_el_fallo(*srv_, arnes::kEscrituras, "", EPIPE);
    EXPECT_TRUE(t.bien()) << informe(
        {"conectar y enviar «hola\\n»\n(la prueba hizo fallar la primera escritura del "
         "servidor con EPIPE)",
         "que el proceso que atiende termine con código 1 y explique en stderr qué falló: una "
         "línea con «write» (o «send») y «" + arnes::texto_errno(EPIPE) + "»",
         t.observado,
         "write() devuelve -1 si el otro extremo ya no lee: compruébalo con "
         "sockets::comprobar(\"write()\", escritos) (salvo EINTR, que se repite); un -1 sin "
         "comprobar descuadra la cuenta de lo que falta por escribir",
         kLeerErroresEco});
}

// Si read() falla en el cliente (ECONNRESET provocado), lo explica y termina con código 1.
TEST_F(ClienteEco, UnReadFallidoTerminaConUnoYLoExplica) {
    Escucha e;
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{arnes::kLecturas, ECONNRESET}};
    ARNES_REQUIERE_CAMBIOS();
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "hola"}, o);
    ARNES_REQUIERE_TRAZA(*cli);
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    c.enviar(c.recibir_linea());
    auto t = arnes::tras_el_fallo(*cli, arnes::kLecturas, "", ECONNRESET);
    EXPECT_TRUE(t.bien()) << informe(
        {cli->orden() + "\n(la prueba devolvió el eco, pero hizo fallar la primera lectura del "
                        "cliente con ECONNRESET)",
         "que el cliente termine con código 1 y explique en stderr qué falló: una línea con "
         "«read» (o «recv») y «" + arnes::texto_errno(ECONNRESET) + "»",
         t.observado,
         "compruébalo con sockets::comprobar(\"read()\", leidos) (salvo EINTR, que se "
         "repite): un -1 no es un fin de fichero ni un tamaño",
         kLeerCliente});
}

// Si write() falla en el cliente (EPIPE provocado), lo explica y termina con código 1.
TEST_F(ClienteEco, UnWriteFallidoTerminaConUnoYLoExplica) {
    Escucha e;
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{arnes::kEscrituras, EPIPE}};
    ARNES_REQUIERE_CAMBIOS();
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "hola"}, o);
    ARNES_REQUIERE_TRAZA(*cli);
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    auto t = arnes::tras_el_fallo(*cli, arnes::kEscrituras, "", EPIPE);
    EXPECT_TRUE(t.bien()) << informe(
        {cli->orden() + "\n(la prueba hizo fallar la primera escritura del cliente con EPIPE)",
         "que el cliente termine con código 1 y explique en stderr qué falló: una línea con "
         "«write» (o «send») y «" + arnes::texto_errno(EPIPE) + "»",
         t.observado,
         "compruébalo con sockets::comprobar(\"write()\", escritos) (salvo EINTR, que se "
         "repite): un -1 sin comprobar descuadra la cuenta de lo que falta por escribir",
         kLeerParciales});
}

// Una sola escritura corta (provocada: 2 bytes) del cliente no se pierde: la línea llega entera.
TEST_F(ClienteEco, CompletaUnaEscrituraCortaProvocada) {
    Escucha e;
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{arnes::kEscrituras, 0, 1, 2}};
    ARNES_REQUIERE_CAMBIOS();
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "hola eco"}, o);
    ARNES_REQUIERE_TRAZA(*cli);
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    const std::string linea = c.recibir_linea();
    c.enviar(linea);
    c.cerrar();
    auto fin = cli->esperar_fin();
    const auto ecos = ecos_impresos(cli->salida());
    EXPECT_TRUE(linea == "hola eco\n" && ecos.size() == 1 && ecos[0] == "hola eco" && fin &&
                !fin->por_senal && fin->codigo == 0)
        << informe({cli->orden() + "\n(la prueba dejó que el primer write() del cliente "
                                   "escribiera solo 2 bytes)",
                    "que el servidor reciba «hola eco\\n» entero y el cliente imprima "
                    "«[cliente] eco: hola eco» y termine con código 0",
                    "el servidor recibió " + visible(linea) + "; se imprimió: " + unir(ecos) +
                        "\nescrituras del cliente:\n" +
                        arnes::enumerar(cli->llamadas(arnes::kEscrituras), 6) + "\n" +
                        cli->resumen(),
                    "write() puede escribir menos de lo pedido: repite con el resto hasta "
                    "escribirlo todo (escribir_todo())",
                    kLeerParciales});
}

}  // namespace

// --- Lo que piden los TODO y docs/protocolo.md ---
namespace {

/// La línea más larga del protocolo (docs/protocolo.md, «Líneas demasiado largas»): 1 MiB.
constexpr std::size_t kLineaMaxima = 1024 * 1024;

/// Comprueba que `p` ignoró SIGPIPE con sigaction(2) y no con signal(): el informe, si no.
std::string sigpipe_con_sigaction(const Programa& p, bool& bien) {
    std::optional<arnes::Llamada> a;
    for (const auto& l : p.llamadas("rt_sigaction"))
        if (l.args[0] == SIGPIPE && l.accion) a = l;  // la última acción pedida
    bien = a && a->accion->manejador != reinterpret_cast<unsigned long>(SIG_DFL) &&
           !a->accion->de_signal(SIGPIPE);
    if (bien) return "";
    if (!a) return "no se vio ninguna sigaction(SIGPIPE, …) (con acción nueva)";
    if (a->accion->de_signal(SIGPIPE)) {
        arnes::sintoma("signal_en_vez_de_sigaction");
        return a->texto() + ": la huella de signal(), que pide SA_RESTART y bloquea la propia señal";
    }
    return a->texto() + ": SIGPIPE vuelve a su acción por defecto (matar al proceso)";
}

// El servidor ignora SIGPIPE con sigaction(2), como pide su TODO, no con signal(): la traza ve su
// rt_sigaction(SIGPIPE, {SIG_IGN}) (signal() de glibc deja su huella: SA_RESTART y la propia
// señal en sa_mask).
TEST_F(Eco, IgnoraSigpipeConSigaction) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    bool bien = false;
    const std::string visto = sigpipe_con_sigaction(*srv_, bien);
    EXPECT_TRUE(bien) << informe(
        {srv_->orden(), "sigaction(SIGPIPE, &ignorar, nullptr) con ignorar.sa_handler = SIG_IGN, al empezar",
         visto + "\nllamadas a sigaction():\n" + arnes::enumerar(srv_->llamadas("rt_sigaction"), 6),
         "usa sigaction(2), como pide el TODO: struct sigaction ignorar {}; ignorar.sa_handler = "
         "SIG_IGN; sigemptyset(&ignorar.sa_mask); y compruébala con sockets::comprobar(). signal() "
         "cambia de comportamiento según el sistema; sigaction() dice exactamente lo que hace",
         kLeerSigpipe});
}

// El cliente ignora SIGPIPE con sigaction(2), no con signal() (como el servidor).
TEST_F(ClienteEco, IgnoraSigpipeConSigaction) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "hola"});
    ARNES_REQUIERE_TRAZA(*cli);
    cli->cerrar_entrada();
    arnes::atender_cliente(e, *cli);
    cli->esperar_fin();
    bool bien = false;
    const std::string visto = sigpipe_con_sigaction(*cli, bien);
    EXPECT_TRUE(bien) << informe(
        {cli->orden(), "sigaction(SIGPIPE, &ignorar, nullptr) con ignorar.sa_handler = SIG_IGN, al empezar",
         visto + "\nllamadas a sigaction():\n" + arnes::enumerar(cli->llamadas("rt_sigaction"), 6),
         "usa sigaction(2), como pide el TODO: struct sigaction ignorar {}; ignorar.sa_handler = "
         "SIG_IGN; sigemptyset(&ignorar.sa_mask); y compruébala con sockets::comprobar()",
         kLeerSigpipe});
}

// Una respuesta de más de 1 MiB sin '\n' es un error: el cliente lo explica y termina con código
// 1, en vez de juntar bytes sin fin (docs/protocolo.md, «Líneas demasiado largas»). La prueba
// envía 1 MiB + 64 KiB sin salto de línea y decide por la traza: si el cliente ya lo ha leído
// todo y sigue esperando en read(), no tiene límite.
TEST_F(ClienteEco, NoJuntaUnaRespuestaDeMasDeUnMiB) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "hola"});
    ARNES_REQUIERE_TRAZA(*cli);
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    c.recibir_linea();
    const std::string enorme(kLineaMaxima + 64 * 1024, 'x');
    c.enviar(enorme, Ms(2000));  // si el cliente ya se fue, lo que falte no importa
    const auto con = cli->llamadas("connect");
    const long fd = con.empty() ? -1 : con.front().args[0];
    bool sin_limite = false;
    arnes::esperar_que([&] {
        if (!cli->vivo()) return true;
        std::size_t leidos = 0;
        for (const auto& l : cli->llamadas(arnes::kLecturas)) {
            if (l.args[0] != fd) continue;
            if (l.terminada && l.resultado > 0) leidos += static_cast<std::size_t>(l.resultado);
            if (!l.terminada && leidos >= enorme.size()) sin_limite = true;
        }
        return sin_limite;
    });
    auto fin = cli->esperar_fin(Ms(sin_limite ? 0 : 1000));
    const std::string entrada = cli->orden() + "; el servidor responde 1 MiB + 64 KiB de «x» sin '\\n' y no cierra";
    EXPECT_TRUE(fin && !fin->por_senal && fin->codigo == 1 && !cli->errores().empty()) << informe(
        {entrada, "código 1 y un mensaje en stderr: una respuesta de más de 1 MiB sin '\\n' es un error",
         (fin ? "el cliente " + fin->texto()
              : sin_limite ? "leyó los " + std::to_string(enorme.size()) + " bytes y sigue esperando en read(): "
                             "junta la respuesta sin límite"
                           : "sigue en marcha, en " + cli->donde_esta()) +
             "\n" + cli->resumen(),
         "al juntar la respuesta, si «pendiente» pasa de kLineaMaxima (1 MiB) sin '\\n', lanza un "
         "error: un servidor que nunca envía el salto de línea no puede llenar tu memoria",
         kLeerCliente});
}

// Una línea de más de 1 MiB en la entrada estándar es un error: el cliente la rechaza (código 1 y
// un mensaje) sin enviarla al servidor.
TEST_F(ClienteEco, NoEnviaUnaLineaDeMasDeUnMiB) {
    Escucha e;
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto())});
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    const std::string linea = std::string(kLineaMaxima + 1, 'y') + "\n";
    std::thread escritor([&] {
        cli->escribir_entrada(linea);
        cli->cerrar_entrada();
    });
    // Hace de servidor de eco: lo que llegue (nada, si el cliente rechaza la línea) vuelve.
    const std::string llego = c.recibir(linea.size(), Ms(4000));
    if (!llego.empty()) c.enviar(llego, Ms(2000));
    c.cerrar();
    escritor.join();
    auto fin = cli->esperar_fin();
    const std::string entrada = "cliente 127.0.0.1 PUERTO, con una línea de 1 MiB + 1 byte en la entrada estándar";
    EXPECT_TRUE(fin && !fin->por_senal && fin->codigo == 1 && !cli->errores().empty() &&
                llego.size() < linea.size())
        << informe({entrada,
                    "código 1 y un mensaje en stderr, sin enviar la línea: pasa de 1 MiB (kLineaMaxima)",
                    "el servidor recibió " + arnes::cuenta(llego.size(), "byte", "bytes") + "; " +
                        (fin ? "el cliente " + fin->texto() : "el cliente sigue en marcha") + "\n" + cli->resumen(),
                    "antes de enviar cada línea, mira su tamaño: si pasa de kLineaMaxima, lanza un "
                    "error (std::runtime_error) en vez de enviarla",
                    arnes::secciones::s00_protocolo});
}

}  // namespace

// --- EINTR: una señal que interrumpe una llamada no es un error ---
namespace {

// Un write() del servidor interrumpido (EINTR provocado, como si una señal lo cortara antes de
// escribir nada) se repite: el eco llega entero (el TODO de escribir_todo: «puede volver con -1 y
// EINTR si la interrumpe una señal; eso no es un error: se repite»).
TEST_F(Eco, ReintentaUnaEscrituraInterrumpida) {
    eco_con_escritura_alterada(arnes::Fallo{arnes::kEscrituras, EINTR}, "una señal no es un error\n",
                               "la prueba hizo que el primer write() del servidor volviera con -1 y EINTR, "
                               "como si una señal lo interrumpiera",
                               "EINTR no es un error: en escribir_todo(), si write() devuelve -1 con errno "
                               "== EINTR, vuelve a llamarla (continue) antes de comprobarla con "
                               "sockets::comprobar()");
}

// Un read() del cliente interrumpido (EINTR provocado) se repite: el cliente imprime el eco y
// termina con 0 (el TODO de leer_linea: «read() con -1 y EINTR se repite»).
TEST_F(ClienteEco, ReintentaUnaLecturaInterrumpida) {
    Escucha e;
    arnes::Opciones o;
    o.fallos = {arnes::Fallo{arnes::kLecturas, EINTR}};
    ARNES_REQUIERE_CAMBIOS();
    auto cli = cliente({"127.0.0.1", std::to_string(e.puerto()), "hola eco"}, o);
    ARNES_REQUIERE_TRAZA(*cli);
    Conexion c = aceptar(e, *cli);
    if (!c.valida()) return;
    c.enviar(c.recibir_linea());
    c.cerrar();
    auto fin = cli->esperar_fin();
    const auto ecos = ecos_impresos(cli->salida());
    EXPECT_TRUE(ecos.size() == 1 && ecos[0] == "hola eco" && fin && !fin->por_senal && fin->codigo == 0)
        << informe({cli->orden() + "\n(la prueba devolvió el eco, pero hizo que el primer read() del "
                                   "cliente volviera con -1 y EINTR, como si una señal lo interrumpiera)",
                    "«[cliente] eco: hola eco» y código 0",
                    "se imprimió: " + unir(ecos) + "\n" + (fin ? "el cliente " + fin->texto() : std::string("sigue en marcha")) +
                        "\nlecturas del cliente:\n" + arnes::enumerar(cli->llamadas(arnes::kLecturas), 6) + "\n" +
                        cli->resumen(),
                    "EINTR no es un error: en leer_linea(), si read() devuelve -1 con errno == EINTR, "
                    "vuelve a llamarla (continue) antes de comprobarla con sockets::comprobar()",
                    kLeerCliente});
}

}  // namespace

