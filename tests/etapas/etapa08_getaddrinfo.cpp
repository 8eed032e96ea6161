/// \file etapa08_getaddrinfo.cpp
/// \brief Etapa 08 · getaddrinfo e IPv6: el cliente acepta un nombre, una IPv4 o una IPv6 (con
///        corchetes o sin ellos), lo resuelve con getaddrinfo() y prueba cada dirección hasta que
///        una conecta; el servidor atiende a IPv4 e IPv6 con un solo socket (IPV6_V6ONLY a 0) y
///        narra cada cliente en su propia familia.
///
/// Nada de DNS: los nombres salen de un /etc/hosts que pone la prueba, visible solo para el
/// cliente (Opciones::ficheros, en sus propios espacios de nombres). Donde no se pueden crear
/// espacios de nombres esas pruebas se omiten con el motivo, y donde no hay IPv6 en loopback, las
/// de ::1.
#include "arnes/arnes.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>

namespace {

using arnes::Conexion;
using arnes::Escucha;
using arnes::Llamada;
using arnes::Ms;
using arnes::Opciones;
using arnes::Programa;
using arnes::visible;

const arnes::Lectura kLeerResolver{arnes::secciones::l08_resolver, "man 3 getaddrinfo"};
const arnes::Lectura kLeerCorchetes{arnes::secciones::l08_corchetes, "man 3 getaddrinfo"};
const arnes::Lectura kLeerIntentos{arnes::secciones::l08_intentos, "man 3 getaddrinfo (EXAMPLES)"};
const arnes::Lectura kLeerGai{arnes::secciones::l08_gai_strerror, "man 3 gai_strerror"};
const arnes::Lectura kLeerDoble{arnes::secciones::l08_doble_pila, "man 7 ipv6 (IPV6_V6ONLY)"};
const arnes::Lectura kLeerMapeadas{arnes::secciones::l08_mapeadas, "man 7 ipv6, man 3 inet_ntop"};
const arnes::Lectura kLeerSinIpv6{arnes::secciones::l08_sin_ipv6, "man 2 socket (EAFNOSUPPORT)"};

/// Los ficheros que ve el cliente en sus propios espacios de nombres: el /etc/hosts de la prueba
/// y un nsswitch.conf que solo mira ese fichero (nada de DNS). Si existen, también un gai.conf
/// vacío (el orden por omisión de RFC 6724) y el socket de nscd tapado (su caché no ve el hosts
/// de la prueba).
std::vector<std::pair<std::string, std::string>> ficheros_de_nombres(const std::string& hosts) {
    std::vector<std::pair<std::string, std::string>> f{{"/etc/hosts", hosts},
                                                       {"/etc/nsswitch.conf", "hosts: files\n"}};
    std::error_code e;
    if (std::filesystem::exists("/etc/gai.conf", e)) f.emplace_back("/etc/gai.conf", "");
    for (const char* nscd : {"/run/nscd/socket", "/var/run/nscd/socket"})
        if (std::filesystem::exists(nscd, e)) f.emplace_back(nscd, "");
    return f;
}

/// «127.0.0.1:5000» o «[::1]:5000», como lo escribe la lección.
std::string extremo(const arnes::Direccion& d) {
    const std::string p = std::to_string(d.puerto);
    return d.familia == AF_INET6 ? "[" + d.ip + "]:" + p : d.ip + ":" + p;
}

/// Los connect() de un socket TCP del cliente, en orden. getaddrinfo() hace los suyos para
/// ordenar las direcciones (sockets UDP) y para preguntar a nscd (AF_UNIX), y el descriptor de
/// uno de ellos puede volver a usarse después: se sigue el tipo de cada descriptor en la traza.
std::vector<Llamada> connects_tcp(const Programa& p) {
    std::map<long, bool> tcp;  // descriptor abierto → ¿es un socket TCP?
    std::vector<Llamada> r;
    for (const auto& l : p.llamadas()) {
        if (l.nombre == "socket" && l.terminada && l.resultado >= 0)
            tcp[l.resultado] = (l.args[1] & 0xf) == SOCK_STREAM && (l.args[0] == AF_INET || l.args[0] == AF_INET6);
        else if (l.nombre == "close")
            tcp.erase(l.args[0]);
        else if (l.nombre == "connect" && tcp[l.args[0]])
            r.push_back(l);
    }
    return r;
}

/// El cliente frente a nombres y direcciones.
class Nombres : public arnes::PruebaDeEtapa {
protected:
    Nombres() : PruebaDeEtapa(arnes::etapas::k08) {
        // Un nombre con varias líneas en /etc/hosts da todas sus direcciones solo con «multi on»
        // (man 5 host.conf). Casi todas las distribuciones lo traen en /etc/host.conf; un
        // arenero sin /etc, no. La variable, que los programas heredan, vale en todas partes.
        setenv("RESOLV_MULTI", "on", 1);
    }

    /// Lanza «cliente HOST PUERTO hola» con ese /etc/hosts (y traza).
    std::unique_ptr<Programa> con_hosts(const std::string& hosts, const std::string& host, int puerto) {
        Opciones o;
        o.ficheros = ficheros_de_nombres(hosts);
        auto p = cliente({host, std::to_string(puerto), "hola"}, o);
        p->cerrar_entrada();
        return p;
    }

    /// Una escucha en `ip` (escucha_) y el mismo puerto, sin nadie, en `ip_cerrada` (cerrado_:
    /// el connect() del cliente a ella falla). Con muchas pruebas a la vez, el puerto que el
    /// núcleo da a la escucha puede estar en uso en la otra IP: se prueba con otro, hasta 50
    /// veces, y solo si ninguno vale se omite la prueba (quien llama mira IsSkipped()).
    void pareja(const std::string& ip, const std::string& ip_cerrada) {
        for (int intento = 0; intento < 50; ++intento) {
            escucha_ = std::make_unique<Escucha>(ip);
            if (escucha_->fd() < 0) GTEST_SKIP() << "no se puede escuchar en " << ip << " en esta máquina";
            cerrado_ = std::make_unique<arnes::PuertoCerrado>(ip_cerrada, escucha_->puerto());
            if (cerrado_->puerto() != 0) return;
        }
        GTEST_SKIP() << "ningún puerto de " << ip << " estaba libre también en " << ip_cerrada << " (50 intentos)";
    }
    std::unique_ptr<Escucha> escucha_;
    std::unique_ptr<arnes::PuertoCerrado> cerrado_;

    static std::string entrada(const Programa& p, const std::string& hosts, const std::string& escucha) {
        return p.orden() + "\n(con este /etc/hosts: " + visible(hosts, 80) + "; la prueba escucha en " +
               escucha + ")";
    }

    /// Comprueba que `p`, con el nombre «doble» que lleva primero a `cerrada` (nadie escucha) y
    /// después a `abierta`, prueba la primera, cierra ese socket y conecta con la segunda.
    void comprueba_el_paso(Programa& p, arnes::Atencion& a, const std::string& hosts,
                           const std::string& cerrada, const std::string& abierta) {
        const auto intentos = connects_tcp(p);
        const std::string observado = (a.conectado ? "conectó con la prueba" : "no llegó a la prueba") +
                                      std::string("; sus connect():\n") + arnes::enumerar(intentos) +
                                      "\n" + p.resumen();
        const std::string e = entrada(p, hosts, abierta + " y nadie en " + cerrada);
        if (!intentos.empty() && intentos.front().direccion &&
            extremo(*intentos.front().direccion) == abierta)
            GTEST_SKIP() << "getaddrinfo() de este sistema da primero " << abierta
                         << " y no la que falla: no se puede ver si el cliente pasa a la siguiente.";
        const bool solo_la_primera = intentos.size() == 1 && !a.conectado;
        if (solo_la_primera) arnes::sintoma("solo_la_primera");
        EXPECT_TRUE(a.conectado && a.recibido == "hola\n") << informe(
            {e, "que el cliente pruebe " + cerrada + " (rechazada), pase a " + abierta + " y envíe «hola»",
             observado,
             solo_la_primera
                 ? "getaddrinfo() devuelve una lista: si connect() falla con una dirección, cierra "
                   "ese socket y prueba la siguiente (ai_next) antes de rendirte"
                 : "recorre la lista de getaddrinfo() con ai_next: un socket() y un connect() por "
                   "dirección, hasta que una conecte",
             kLeerIntentos});
    }
};

// «cliente localhost P» resuelve el nombre con getaddrinfo(), no con una regla fija: el
// /etc/hosts de la prueba dice que localhost es 127.0.0.2, y ahí escucha la prueba.
TEST_F(Nombres, ResuelveElNombreConGetaddrinfo) {
    ARNES_REQUIERE_ESPACIOS();
    Escucha escucha("127.0.0.2");
    if (escucha.fd() < 0) GTEST_SKIP() << "no se puede escuchar en 127.0.0.2 en esta máquina";
    const std::string hosts = "127.0.0.2 localhost\n";
    auto p = con_hosts(hosts, "localhost", escucha.puerto());
    auto a = arnes::atender_cliente(escucha, *p);
    auto fin = p->esperar_fin();
    EXPECT_TRUE(a.conectado && a.recibido == "hola\n" && fin && fin->codigo == 0) << informe(
        {entrada(*p, hosts, "127.0.0.2:" + std::to_string(escucha.puerto())),
         "que el cliente pregunte a getaddrinfo() por «localhost», conecte con 127.0.0.2 y envíe «hola»",
         std::string(a.conectado ? "conectó y envió " + visible(a.recibido) : "no llegó a la prueba") +
             "; connect():\n" + arnes::enumerar(connects_tcp(*p)) + "\n" + p->resumen(),
         "no traduzcas los nombres tú: getaddrinfo(host, puerto, &pistas, &lista) mira /etc/hosts "
         "(y el DNS) y devuelve las direcciones que correspondan",
         kLeerResolver});
}

// Con un nombre que lleva a dos direcciones y la primera no responde, el cliente cierra ese
// socket y conecta con la segunda (127.0.0.1 rechazada; 127.0.0.3 escucha).
TEST_F(Nombres, PruebaLaSiguienteDireccionSiUnaFalla) {
    ARNES_REQUIERE_ESPACIOS();
    pareja("127.0.0.3", "127.0.0.1");  // en 127.0.0.1 nadie escucha
    if (IsSkipped()) return;
    Escucha& escucha = *escucha_;
    const std::string hosts = "127.0.0.1 doble\n127.0.0.3 doble\n";
    auto p = con_hosts(hosts, "doble", escucha.puerto());
    ARNES_REQUIERE_TRAZA(*p);
    auto a = arnes::atender_cliente(escucha, *p);
    p->esperar_fin();
    const std::string puerto = std::to_string(escucha.puerto());
    comprueba_el_paso(*p, a, hosts, "127.0.0.1:" + puerto, "127.0.0.3:" + puerto);
}

// Lo mismo entre familias: «doble6» es ::1 (nadie escucha) y 127.0.0.1 (la prueba). El cliente
// crea un socket AF_INET6 para la primera y uno AF_INET para la segunda.
TEST_F(Nombres, PasaDeIpv6AIpv4SiIpv6NoResponde) {
    ARNES_REQUIERE_ESPACIOS();
    ARNES_REQUIERE_IPV6();
    pareja("127.0.0.1", "::1");  // en ::1 nadie escucha
    if (IsSkipped()) return;
    Escucha& escucha = *escucha_;
    const std::string hosts = "::1 doble6\n127.0.0.1 doble6\n";
    auto p = con_hosts(hosts, "doble6", escucha.puerto());
    ARNES_REQUIERE_TRAZA(*p);
    auto a = arnes::atender_cliente(escucha, *p);
    p->esperar_fin();
    const std::string puerto = std::to_string(escucha.puerto());
    comprueba_el_paso(*p, a, hosts, "[::1]:" + puerto, "127.0.0.1:" + puerto);
}

// El socket de un intento que falla se cierra: tras probar dos direcciones, el cliente no deja
// abierto el socket de la primera (cada connect() fallido va seguido de su close()).
TEST_F(Nombres, CierraElSocketDeCadaIntentoFallido) {
    ARNES_REQUIERE_ESPACIOS();
    pareja("127.0.0.3", "127.0.0.1");  // en 127.0.0.1 nadie escucha
    if (IsSkipped()) return;
    Escucha& escucha = *escucha_;
    const std::string hosts = "127.0.0.1 doble\n127.0.0.3 doble\n";
    auto p = con_hosts(hosts, "doble", escucha.puerto());
    ARNES_REQUIERE_TRAZA(*p);
    auto a = arnes::atender_cliente(escucha, *p);
    p->esperar_fin();
    const auto intentos = connects_tcp(*p);
    if (intentos.size() < 2)
        GTEST_SKIP() << "el cliente no llegó a probar dos direcciones (lo mira "
                        "Nombres.PruebaLaSiguienteDireccionSiUnaFalla)";
    const auto cierres = p->llamadas("close");
    std::string sin_cerrar;
    for (std::size_t i = 0; i + 1 < intentos.size(); ++i) {
        const Llamada& fallido = intentos[i];
        const Llamada& siguiente = intentos[i + 1];
        bool cerrado_a_tiempo = false;
        for (const auto& c : cierres)
            if (c.args[0] == fallido.args[0] && c.orden > fallido.orden && c.orden < siguiente.orden)
                cerrado_a_tiempo = true;
        if (!cerrado_a_tiempo) sin_cerrar += (sin_cerrar.empty() ? "" : ", ") + fallido.texto();
    }
    EXPECT_TRUE(sin_cerrar.empty()) << informe(
        {entrada(*p, hosts, "127.0.0.3 y nadie en 127.0.0.1"),
         "close() del socket de cada connect() fallido antes de probar la siguiente dirección",
         "sin cerrar antes del siguiente intento: " + sin_cerrar + "\nconnect():\n" +
             arnes::enumerar(intentos) + (a.conectado ? "" : "\n(no llegó a conectar)"),
         "un socket que no pudo conectar no sirve para otra dirección (y puede ser de otra "
         "familia): ciérralo con close() y crea uno nuevo para la siguiente",
         kLeerIntentos});
}

// Un nombre que no está en /etc/hosts (y sin DNS): el cliente termina con código 1 y explica el
// error de getaddrinfo() en español, sin crear ningún socket.
TEST_F(Nombres, UnNombreDesconocidoTerminaConUnoYLoExplica) {
    ARNES_REQUIERE_ESPACIOS();
    const std::string hosts = "127.0.0.1 localhost\n";
    auto p = con_hosts(hosts, "nadie.prueba", arnes::puerto_libre());
    auto fin = p->esperar_fin();
    const std::string err = p->errores();
    const bool explica = err.find("getaddrinfo") != std::string::npos &&
                         err.find("EAI_NONAME") != std::string::npos;
    EXPECT_TRUE(fin && !fin->por_senal && fin->codigo == 1 && explica) << informe(
        {entrada(*p, hosts, "ninguna parte") + "\n(nadie.prueba no está en /etc/hosts)",
         "que termine con código 1 y explique en stderr el error de getaddrinfo() («…(EAI_NONAME)»)",
         (fin ? fin->texto() : std::string("no terminó")) + "\n" + p->resumen(),
         fin && fin->codigo == 2
             ? "un nombre que no existe no es un error de uso (2): hasta preguntarle a "
               "getaddrinfo() no se sabe. Sale con 1 y explica su código con sockets::texto_gai()"
             : "getaddrinfo() no usa errno: devuelve un código EAI_* distinto de 0. "
               "sockets::texto_gai(codigo) lo explica en español (como gai_strerror())",
         kLeerGai});
}

// «cliente ::1 P» y «cliente [::1] P»: una IPv6 literal, sin corchetes y con ellos (como se
// escribe junto a un puerto). Conecta las dos veces y narra «[::1]:P».
TEST_F(Nombres, ConectaAUnaIpv6ConCorchetesYSinEllos) {
    ARNES_REQUIERE_IPV6();
    bool sin_ellos_conecta = false;  // el síntoma de los corchetes, solo si «::1» sí conecta
    for (const std::string host : {"::1", "[::1]"}) {
        Escucha escucha("::1");
        ASSERT_GE(escucha.fd(), 0);
        auto p = cliente({host, std::to_string(escucha.puerto()), "hola"});
        p->cerrar_entrada();
        auto a = arnes::atender_cliente(escucha, *p);
        auto fin = p->esperar_fin();
        const std::string e = p->orden() + "\n(la prueba escucha en [::1]:" + std::to_string(escucha.puerto()) + ")";
        const bool corchetes = host[0] == '[';
        if (!corchetes) sin_ellos_conecta = a.conectado;
        if (corchetes && !a.conectado && sin_ellos_conecta) arnes::sintoma("sin_corchetes");
        EXPECT_TRUE(a.conectado && a.recibido == "hola\n" && fin && fin->codigo == 0) << informe(
            {e, "que conecte con [::1]:" + std::to_string(escucha.puerto()) + ", envíe «hola» y termine con 0",
             std::string(a.conectado ? "conectó y envió " + visible(a.recibido) : "no llegó a conectar") +
                 "\n" + p->resumen(),
             corchetes
                 ? "«[::1]» es una IPv6 entre corchetes: quítaselos antes de dársela a getaddrinfo()"
                 : "getaddrinfo() con ai_family = AF_UNSPEC entiende también las IPv6; el socket, "
                   "de la familia que diga la dirección (ai_family), no AF_INET fijo",
             corchetes ? kLeerCorchetes : kLeerResolver});
        if (!a.conectado) continue;
        const std::string esperado = "[cliente] connect(): conectado a " + extremo(a.local) + " desde " +
                                     extremo(a.remota);
        EXPECT_NE(p->salida().find(esperado), std::string::npos) << informe(
            {e, "la línea «" + esperado + "»", p->resumen(),
             "una IPv6 se narra entre corchetes, «[::1]:PUERTO», porque ya lleva «:» dentro: "
             "texto_de() necesita el caso AF_INET6 (sockaddr_in6, inet_ntop(AF_INET6, …))",
             kLeerCorchetes});
    }
}

/// El servidor frente a las dos familias.
class DoblePila : public arnes::PruebaDeEtapa {
protected:
    DoblePila() : PruebaDeEtapa(arnes::etapas::k08) {}

    /// Conecta desde `ip`, comprueba un eco y devuelve la conexión (inválida si falló, con informe).
    Conexion eco_desde(const std::string& ip, int puerto, const std::string& linea, const arnes::Lectura& leer) {
        Conexion c = Conexion::conectar(ip, puerto);
        const std::string r = c.valida() ? c.eco(linea) : "";
        if (r != linea) {
            ADD_FAILURE() << informe(
                {srv_->orden() + "\nconectar desde " + ip + " y enviar " + visible(linea),
                 "que el servidor lo acepte (un solo socket para las dos familias) y devuelva el eco",
                 (c.valida() ? "se recibió " + visible(r) : "connect(): " + arnes::texto_errno(c.error())) +
                     "\n" + srv_->resumen(),
                 "escucha en un socket AF_INET6 enlazado a in6addr_any («::») con IPV6_V6ONLY a 0 "
                 "(setsockopt antes de bind()): así acepta clientes IPv6 e IPv4",
                 leer});
            return Conexion();
        }
        return c;
    }

    /// Espera la línea «accept(): cliente X» de la conexión `c` y dice si X es `esperado`.
    void narra(const Conexion& c, const std::string& esperado, const std::string& pista,
               const arnes::Lectura& leer) {
        const std::string linea = "[servidor] accept(): cliente " + esperado + " ";
        srv_->esperar_salida(std::regex("accept\\(\\): cliente .*:" + std::to_string(c.local().puerto) + " "));
        const std::string visto = arnes::primera_linea(
            srv_->salida(), std::regex("accept\\(\\): cliente .*:" + std::to_string(c.local().puerto) + " "));
        EXPECT_NE(srv_->salida().find(linea), std::string::npos) << informe(
            {srv_->orden() + "\nun cliente conecta desde " + esperado,
             "la línea «" + linea + "en el descriptor N»",
             visto.empty() ? "ninguna línea de accept() con ese puerto\n" + srv_->resumen() : "«" + visto + "»",
             pista, leer});
    }
};

// Un cliente IPv4 y otro IPv6 reciben su eco del mismo servidor.
TEST_F(DoblePila, AtiendeAClientesIpv4EIpv6) {
    ARNES_REQUIERE_IPV6();
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion c4 = eco_desde("127.0.0.1", puerto, "desde IPv4\n", kLeerDoble);
    Conexion c6 = eco_desde("::1", puerto, "desde IPv6\n", kLeerDoble);
}

// El servidor escucha en un solo socket AF_INET6, con IPV6_V6ONLY puesto a 0 antes de bind() y
// enlazado a «::» (traza y la opción leída del socket mismo).
TEST_F(DoblePila, UnSoloSocketIpv6ConV6onlyA0) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    ARNES_REQUIERE_TRAZA(*srv_);
    const auto sockets = srv_->llamadas("socket");
    const auto b = srv_->esperar_llamada("bind");
    ASSERT_FALSE(sockets.empty() || !b) << informe(
        {srv_->orden(), "socket() y bind()", arnes::enumerar(srv_->llamadas()), "", kLeerDoble});
    const Llamada& s = sockets.front();
    std::optional<Llamada> v6only;
    for (const auto& l : srv_->llamadas("setsockopt"))
        if (l.args[0] == s.resultado && l.args[1] == IPPROTO_IPV6 && l.args[2] == IPV6_V6ONLY &&
            l.orden < b->orden)
            v6only = l;
    int valor = -1;
    if (v6only && v6only->datos.size() == sizeof valor) std::memcpy(&valor, v6only->datos.data(), sizeof valor);
    const auto en_el_socket = arnes::opcion_de_socket(srv_->pid(), static_cast<int>(s.resultado),
                                                     IPPROTO_IPV6, IPV6_V6ONLY);
    const bool bien = s.args[0] == AF_INET6 && v6only && valor == 0 && b->args[0] == s.resultado &&
                      b->direccion && b->direccion->familia == AF_INET6 && b->direccion->ip == "::" &&
                      (!en_el_socket || *en_el_socket == 0);
    if (!bien && s.args[0] == AF_INET6 && (!v6only || valor != 0)) arnes::sintoma("sin_v6only");
    EXPECT_TRUE(bien) << informe(
        {srv_->orden(),
         "socket(AF_INET6, SOCK_STREAM, 0), setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, [0], 4) y "
         "bind(fd, {AF_INET6, [::]:0}, 28), por este orden",
         s.texto() + "\n" + (v6only ? v6only->texto() : std::string("ningún setsockopt(IPV6_V6ONLY) antes de bind()")) +
             "\n" + b->texto(),
         s.args[0] != AF_INET6
             ? "un solo socket para las dos familias: AF_INET6 (los clientes IPv4 llegan como "
               "direcciones mapeadas)"
             : "IPV6_V6ONLY vale 1 en unos sistemas y 0 en otros: ponlo a 0 tú, con setsockopt(), "
               "antes de bind(); y enlaza a in6addr_any",
         kLeerDoble});
}

// Un cliente IPv4 se narra como IPv4, «127.0.0.1:P», no como la IPv6 mapeada «::ffff:127.0.0.1».
TEST_F(DoblePila, NarraUnClienteIpv4ComoIpv4) {
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion c = eco_desde("127.0.0.1", puerto, "hola\n", kLeerMapeadas);
    if (!c.valida()) return;
    srv_->esperar_salida(std::regex("accept\\(\\): cliente .*:" + std::to_string(c.local().puerto) + " "));
    const bool mapeada = srv_->salida().find("accept(): cliente ::ffff:127.0.0.1:") != std::string::npos ||
                         srv_->salida().find("accept(): cliente [::ffff:127.0.0.1]:") != std::string::npos;
    if (mapeada) arnes::sintoma("mapeada");
    const std::string pista =
        mapeada ? "un cliente IPv4 llega al socket IPv6 como ::ffff:127.0.0.1: si IN6_IS_ADDR_V4MAPPED, "
                  "narra los cuatro últimos bytes como IPv4 (inet_ntop(AF_INET, &s6_addr[12], …))"
                : "narra la dirección que dejó accept() (sockaddr_storage), en su familia";
    narra(c, "127.0.0.1:" + std::to_string(c.local().puerto), pista, kLeerMapeadas);
}

// Un cliente IPv6 se narra entre corchetes: «[::1]:P».
TEST_F(DoblePila, NarraUnClienteIpv6EntreCorchetes) {
    ARNES_REQUIERE_IPV6();
    const int puerto = arrancar();
    if (puerto == 0) return;
    Conexion c = eco_desde("::1", puerto, "hola\n", kLeerDoble);
    if (!c.valida()) return;
    narra(c, "[::1]:" + std::to_string(c.local().puerto),
          "una IPv6 se narra entre corchetes, porque ya lleva «:»: «[::1]:PUERTO» "
          "(inet_ntop(AF_INET6, …) y ntohs(sin6_port))",
          kLeerMapeadas);
}

// Donde no hay IPv6 (la prueba hace fallar el primer socket() con EAFNOSUPPORT), el servidor
// escucha en IPv4 y atiende a 127.0.0.1.
TEST_F(DoblePila, SinIpv6EscuchaEnIpv4) {
    Opciones o;
    o.fallos = {arnes::Fallo{"socket", EAFNOSUPPORT}};
    ARNES_REQUIERE_CAMBIOS();
    // Sin arrancar(): si no llega a escuchar, el informe es el de esta prueba (qué hacer sin IPv6),
    // no el genérico de «llegar a listen()».
    srv_ = servidor({"0"}, o);
    const int puerto = srv_->esperar_escucha().value_or(0);
    ARNES_REQUIERE_TRAZA(*srv_);
    const auto sockets = srv_->llamadas("socket");
    const std::string sockets_texto = arnes::enumerar(sockets);
    ASSERT_NE(puerto, 0) << informe(
        {srv_->orden() + "\n(la prueba hizo fallar su primer socket() con EAFNOSUPPORT, como en "
                         "un sistema sin IPv6)",
         "que cree un socket AF_INET y escuche en IPv4", "socket():\n" + sockets_texto + "\n" + srv_->resumen(),
         "si socket(AF_INET6, …) falla con EAFNOSUPPORT, el sistema no tiene IPv6: crea el "
         "socket con AF_INET y enlázalo a INADDR_ANY, como hasta la lección 07",
         kLeerSinIpv6});
    Conexion c = eco_desde("127.0.0.1", puerto, "sin IPv6\n", kLeerSinIpv6);
}

}  // namespace
