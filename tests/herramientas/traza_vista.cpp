/// \file traza_vista.cpp
/// \brief `sockets_traza_vista`: lo que ve `./tutorial traza N`. Lanza el servidor o el cliente
///        del alumno con el trazador del arnés frente a un interlocutor de prueba, dibuja en dos
///        columnas sus llamadas (izquierda) y lo que hace la prueba (derecha), y después hace lo
///        mismo con la solución y marca el primer punto en que la secuencia del alumno se separa.
///
/// Uso: sockets_traza_vista --programa servidor|cliente --alumno DIR --referencia DIR
///                          [--leccion N] [--titulo TEXTO] [--color si|no|auto]
///   DIR: la carpeta con los ejecutables `servidor` y `cliente` de la lección.
///   N: el número de la lección (etapas.tsv): dice si un servidor que sigue vivo al final es lo
///      normal (desde la etapa de fork sigue aceptando clientes) o un síntoma.
/// Las llamadas seguidas idénticas salen en una sola línea con su cuenta («×37 098 veces») y cada
/// dibujo tiene un tope de líneas (dice cuántas se quedaron sin mostrar).
/// Sale con 0 si no hay desvío, 1 si lo hay, 2 si los argumentos no valen, 3 si falta un
/// programa y 77 si no se puede trazar (ptrace no permitido).
#include "arnes/arnes.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

using namespace arnes;
using namespace std::chrono_literals;

namespace {

bool g_color = false;
std::string color(const char* c, const std::string& s) { return g_color ? std::string(c) + s + "\033[0m" : s; }
constexpr const char* kAlumno = "\033[36m";
constexpr const char* kPrueba = "\033[33m";
constexpr const char* kTenue = "\033[2m";
constexpr const char* kMarca = "\033[1;31m";
constexpr const char* kBien = "\033[32m";

/// Una fila del dibujo.
struct Evento {
    bool de_la_prueba = false;  ///< false: una llamada del programa; true: algo que hizo la prueba.
    std::string rol;            ///< «» (proceso principal) o «hijo 1», «hijo 2»...
    std::string texto;          ///< «accept(3) = 4 ← 127.0.0.1:5000»
    std::string clave;          ///< Para comparar: «accept», «exit(0)»... (vacía: no cuenta)
    std::string flecha;         ///< «→» (hacia la prueba), «←» (hacia el programa) o vacía
    long posicion = 0;          ///< Eventos de la prueba: cuántas llamadas había ya en la traza.
};

/// Columnas de pantalla de un texto UTF-8 (un carácter, una columna).
std::size_t ancho(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}
std::string recortar(const std::string& s, std::size_t max) {
    if (ancho(s) <= max) return s;
    std::string r;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80 && ++n > max - 1) break;
        r += s[i];
    }
    return r + "…";
}
std::string rellenar(const std::string& s, std::size_t w) {
    const std::size_t a = ancho(s);
    return a >= w ? s : s + std::string(w - a, ' ');
}
std::string extracto(const std::string& datos) { return visible(datos, 16); }

/// Un número con los millares separados por un espacio, como se escribe en español
/// («37 098»); los de cuatro cifras, juntos («5000»).
std::string con_millares(std::size_t n) {
    std::string s = std::to_string(n);
    if (s.size() <= 4) return s;
    for (std::size_t i = s.size(); i > 3; i -= 3) s.insert(i - 3, " ");
    return s;
}

/// «127.0.0.1:5000», o «[::1]:5000» para una IPv6 (la IPv6 ya lleva «:»).
std::string extremo(const Direccion& d) {
    const std::string puerto = std::to_string(d.puerto);
    return d.familia == AF_INET6 ? "[" + d.ip + "]:" + puerto : d.ip + ":" + puerto;
}

std::string resultado(const Llamada& l) {
    if (!l.terminada) return " … (bloqueada)";
    if (l.resultado < 0) return " = -1 " + nombre_errno(static_cast<int>(-l.resultado));
    return " = " + std::to_string(l.resultado);
}

/// Traduce la traza a eventos: solo las llamadas de sockets, procesos, señales y espera (poll)
/// que enseña el curso, y las lecturas y escrituras sobre sockets (no las de la consola).
std::vector<Evento> eventos_del_programa(const std::vector<Llamada>& traza, pid_t principal) {
    std::vector<Evento> r;
    std::map<pid_t, std::set<long>> sockets;
    std::map<pid_t, std::string> roles;
    roles[principal] = "";
    int hijos = 0;
    auto es = [](const std::string& n, std::initializer_list<const char*> v) {
        for (const char* x : v)
            if (n == x) return true;
        return false;
    };
    for (const Llamada& l : traza) {
        if (!roles.count(l.pid)) {
            roles[l.pid] = "hijo " + std::to_string(++hijos);
            sockets[l.pid] = sockets[principal];
        }
        auto& mios = sockets[l.pid];
        const long fd = l.args[0];
        Evento e;
        e.rol = roles[l.pid];
        e.posicion = l.orden;
        const std::string& n = l.nombre;
        if (n == "socket") {
            e.clave = "socket";
            e.texto = "socket(" + nombre_familia(l.args[0]) + ", " + nombre_tipo(l.args[1] & 0xf) + ")" + resultado(l);
            if (l.terminada && l.resultado >= 0) mios.insert(l.resultado);
        } else if (n == "setsockopt") {
            e.clave = "setsockopt";
            e.texto = "setsockopt(" + std::to_string(fd) + ", …)" + resultado(l);
        } else if (n == "bind" || n == "connect") {
            e.clave = n;
            std::string d = l.direccion ? extremo(*l.direccion) : "…";
            e.texto = n + "(" + std::to_string(fd) + ", " + d + ")" + resultado(l);
            if (n == "connect") e.flecha = "→";
        } else if (n == "getsockname") {
            e.clave = n;
            e.texto = "getsockname(" + std::to_string(fd) + ")" + resultado(l);
        } else if (n == "listen") {
            e.clave = n;
            e.texto = "listen(" + std::to_string(fd) + ", " + std::to_string(l.args[1]) + ")" + resultado(l);
        } else if (es(n, {"accept", "accept4"})) {
            e.clave = "accept";
            e.texto = "accept(" + std::to_string(fd) + ")" + resultado(l);
            if (l.terminada && l.resultado >= 0) {
                mios.insert(l.resultado);
                if (l.direccion) e.texto += " ← " + extremo(*l.direccion);
            }
        } else if (es(n, {"read", "recv", "recvfrom", "recvmsg", "readv"}) && mios.count(fd)) {
            e.clave = "read";
            e.texto = "read(" + std::to_string(fd) + ")" + resultado(l);
            if (l.terminada && l.resultado > 0) e.texto += " " + extracto(l.datos);
            if (l.terminada && l.resultado == 0) e.texto += " (fin de fichero)";
        } else if (es(n, {"write", "send", "sendto", "sendmsg", "writev"}) && mios.count(fd)) {
            e.clave = "write";
            e.texto = "write(" + std::to_string(fd) + ", " + extracto(l.datos) + ")" + resultado(l);
            e.flecha = "→";
        } else if (n == "shutdown" && mios.count(fd)) {
            e.clave = "shutdown";
            e.texto = "shutdown(" + std::to_string(fd) + (l.args[1] == 1 ? ", SHUT_WR" : "") + ")" + resultado(l) + "  FIN";
            e.flecha = "→";
        } else if (n == "close" && mios.count(fd)) {
            e.clave = "close";
            e.texto = "close(" + std::to_string(fd) + ")" + resultado(l);
            mios.erase(fd);
        } else if (es(n, {"clone", "clone3", "fork", "vfork"})) {
            e.clave = "fork";
            e.texto = "fork()" + resultado(l);
            // El hijo hereda los descriptores que el padre tiene AHORA (el padre puede cerrar
            // su copia de la conexión antes de que el hijo haga su primera llamada).
            const pid_t hijo = static_cast<pid_t>(l.resultado);
            if (l.terminada && l.resultado > 0 && !roles.count(hijo)) {
                roles[hijo] = "hijo " + std::to_string(++hijos);
                sockets[hijo] = mios;
            }
        } else if (n == "rt_sigaction" && (l.args[0] == SIGPIPE || l.args[0] == SIGCHLD) && l.args[1] != 0) {
            e.clave = "sigaction(" + nombre_senal(static_cast<int>(l.args[0])) + ")";
            e.texto = "sigaction(" + nombre_senal(static_cast<int>(l.args[0])) + ", …)" + resultado(l);
        } else if (es(n, {"poll", "ppoll"})) {
            // Un servidor de un solo proceso (lección 09): cada vuelta de su bucle empieza aquí.
            e.clave = "poll";
            e.texto = "poll(" + cuenta(l.sondeos.size(), "descriptor", "descriptores") + ")" + resultado(l);
        } else if (n == "fcntl" && l.args[1] == F_SETFL && mios.count(fd)) {
            e.clave = "fcntl";
            e.texto = "fcntl(" + std::to_string(fd) + ", F_SETFL, " +
                      ((l.args[2] & O_NONBLOCK) != 0 ? "…|O_NONBLOCK" : "…") + ")" + resultado(l);
        } else if (es(n, {"wait4", "waitid"})) {
            e.clave = "waitpid";
            e.texto = "waitpid(…)" + resultado(l);
        } else if (es(n, {"exit_group", "exit"})) {
            // exit() y volver de main() acaban en _exit(), que el núcleo ve como exit_group.
            e.clave = "_exit(" + std::to_string(l.args[0]) + ")";
            e.texto = "_exit(" + std::to_string(l.args[0]) + ")";
        } else {
            continue;
        }
        r.push_back(std::move(e));
    }
    return r;
}

/// Una ejecución completa: las llamadas del programa y lo que hizo la prueba, ya mezclados.
struct Corrida {
    std::vector<Evento> eventos;
    std::string fin;       ///< «terminó con código 0», «lo paró la prueba»...
    bool sintoma = false;  ///< El final no es el de la lección (un servidor que no terminó).
};

/// La lección de la traza (--leccion; 0 si no se dijo).
int g_leccion = 0;

/// ¿Desde la lección `n` el servidor sigue aceptando clientes y no termina? Lo es desde la
/// etapa de fork (etapas.tsv), la que crea un hijo por cliente; antes termina tras su cliente.
bool servidor_sin_fin(int n) {
    for (const Etapa* e : etapas::kTodas)
        if (std::string(e->nombre) == "fork") return n >= e->numero;
    return false;
}

/// Si el programa acabó repitiendo sin parar la misma llamada (un bucle que no ve el fin de
/// fichero, por ejemplo), «dando vueltas: repetía read(4) = 0 (fin de fichero) (×8649 veces
/// seguidas)»; si no, vacío. Con una sola muestra de dónde está, uno así parece bloqueado.
std::string dando_vueltas(const std::vector<Evento>& eventos) {
    constexpr std::size_t kVueltas = 100;
    std::size_t i = eventos.size();
    while (i > 0 && eventos[i - 1].texto.find("(bloqueada)") != std::string::npos) --i;  // la última, a medias
    if (i == 0) return "";
    const Evento& ultimo = eventos[i - 1];
    std::size_t n = 0;
    while (i > 0 && eventos[i - 1].texto == ultimo.texto && eventos[i - 1].rol == ultimo.rol) --i, ++n;
    if (n < kVueltas) return "";
    return ", dando vueltas: repetía " + ultimo.texto + " sin parar (" + con_millares(n) + " veces seguidas)";
}

/// Qué se dice de un programa que seguía vivo cuando la prueba ya había terminado con él.
std::string texto_vivo(const std::string& quien, const std::string& donde, const std::string& vueltas,
                       bool& sintoma) {
    const std::string estaba = !vueltas.empty() ? vueltas
                               : donde.empty()  ? ""
                               : donde == "en ejecución" ? ", en ejecución (no bloqueado)"
                                                         : ", bloqueado en " + donde;
    sintoma = true;
    if (quien == "servidor" && g_leccion > 0 && servidor_sin_fin(g_leccion)) {
        sintoma = false;
        return "seguía vivo" + estaba + ": en la lección " + std::to_string(g_leccion) +
               " el servidor sigue aceptando clientes y no termina; lo paró la prueba";
    }
    if (quien == "servidor" && g_leccion > 0)
        return "seguía vivo" + estaba + ": en la lección " + std::to_string(g_leccion) +
               " el servidor termina tras atender a su único cliente; este no terminó y lo paró la prueba";
    return "seguía vivo" + estaba + " y lo paró la prueba";
}

Evento de_la_prueba(const Programa& p, std::string texto, std::string flecha = "") {
    Evento e;
    e.de_la_prueba = true;
    e.texto = std::move(texto);
    e.flecha = std::move(flecha);
    e.posicion = static_cast<long>(p.llamadas().size());
    return e;
}

std::string texto_cierre(Cierre c, const std::string& quien) {
    switch (c) {
    case Cierre::kOrdenado: return "ve el FIN del " + quien + " (fin de fichero)";
    case Cierre::kReinicio: return "el " + quien + " cortó con RST (ECONNRESET)";
    default: return "el " + quien + " no cierra";
    }
}

Corrida correr(const std::string& dir, const std::string& quien) {
    Opciones o;
    o.trazar = true;
    o.limite = Ms(20000);
    std::vector<Evento> prueba;
    std::unique_ptr<Programa> p;
    const std::string mensaje = "hola\n";
    if (quien == "servidor") {
        p = std::make_unique<Programa>(dir + "/servidor", std::vector<std::string>{"0"}, o);
        if (!p->trazado()) {
            std::cerr << "No se puede trazar el programa: " << p->motivo_sin_traza() << "\n";
            std::exit(77);
        }
        if (auto puerto = p->esperar_escucha(Ms(3000))) {
            Conexion c = Conexion::conectar(*puerto, Ms(2000));
            prueba.push_back(de_la_prueba(*p, "connect() a 127.0.0.1:" + std::to_string(*puerto) +
                                                  (c.valida() ? "" : " = " + nombre_errno(c.error())), "←"));
            if (c.valida()) {
                c.enviar(mensaje);
                prueba.push_back(de_la_prueba(*p, "envía " + extracto(mensaje), "←"));
                const std::string r = c.recibir_linea(Ms(1500));
                prueba.push_back(de_la_prueba(*p, r.empty() ? "no recibe respuesta" : "recibe " + extracto(r)));
                c.cerrar_escritura();
                prueba.push_back(de_la_prueba(*p, "shutdown(SHUT_WR)  FIN", "←"));
                const Cierre cc = c.esperar_cierre(Ms(1500));
                prueba.push_back(de_la_prueba(*p, texto_cierre(cc, "servidor")));
                c.cerrar();
                prueba.push_back(de_la_prueba(*p, "close()"));
            }
        } else {
            prueba.push_back(de_la_prueba(*p, "espera «escuchando en el puerto N»… no llega"));
        }
        p->cerrar_entrada();  // la lección 03 espera al fin de su entrada estándar
    } else {
        Escucha escucha;
        p = std::make_unique<Programa>(dir + "/cliente",
                                       std::vector<std::string>{"127.0.0.1", std::to_string(escucha.puerto()), "hola"}, o);
        if (!p->trazado()) {
            std::cerr << "No se puede trazar el programa: " << p->motivo_sin_traza() << "\n";
            std::exit(77);
        }
        prueba.push_back(de_la_prueba(*p, "escucha en 127.0.0.1:" + std::to_string(escucha.puerto())));
        Conexion c;
        const auto hasta = std::chrono::steady_clock::now() + 4s;
        while (!c.valida() && p->vivo() && std::chrono::steady_clock::now() < hasta) c = escucha.aceptar(Ms(200));
        if (!c.valida()) c = escucha.aceptar(Ms(100));  // por si conectó y terminó enseguida
        if (c.valida()) {
            prueba.push_back(de_la_prueba(*p, "accept() = conexión del cliente"));
            for (;;) {
                const std::string d = c.recibir_linea(Ms(1500));
                if (d.empty()) break;
                prueba.push_back(de_la_prueba(*p, "recibe " + extracto(d)));
                c.enviar(d);
                prueba.push_back(de_la_prueba(*p, "envía " + extracto(d) + " (eco)", "←"));
            }
            const Cierre cc = c.esperar_cierre(Ms(300));
            prueba.push_back(de_la_prueba(*p, texto_cierre(cc, "cliente")));
            c.cerrar();
            prueba.push_back(de_la_prueba(*p, "close()  FIN", "←"));
        } else {
            prueba.push_back(de_la_prueba(*p, "nadie se conecta"));
        }
    }
    Corrida r;
    if (auto fin = p->esperar_fin(Ms(quien == "servidor" ? 1500 : 3000))) {
        r.fin = fin->texto();
        r.sintoma = fin->por_senal || fin->codigo != 0;
    } else {
        std::this_thread::sleep_for(200ms);
        const std::string donde = p->donde_esta();
        p->matar();
        // Solo las llamadas del proceso principal: un hijo que gira no es el servidor.
        std::vector<Evento> principal;
        for (auto& e : eventos_del_programa(p->llamadas(), p->pid()))
            if (e.rol.empty()) principal.push_back(std::move(e));
        r.fin = texto_vivo(quien, donde, dando_vueltas(principal), r.sintoma);
    }
    // Mezclar: cada evento de la prueba va antes de la primera llamada que empezó después.
    auto programa = eventos_del_programa(p->llamadas(), p->pid());
    std::size_t j = 0;
    for (auto& e : programa) {
        while (j < prueba.size() && prueba[j].posicion <= e.posicion) r.eventos.push_back(prueba[j++]);
        r.eventos.push_back(e);
    }
    while (j < prueba.size()) r.eventos.push_back(prueba[j++]);
    return r;
}

/// La secuencia que se compara de un rol: claves seguidas iguales cuentan una vez (el número
/// de read()/write() depende de cómo lleguen los datos). Guarda el índice del evento.
std::vector<std::pair<std::string, std::size_t>> secuencia(const Corrida& c, bool hijo) {
    std::vector<std::pair<std::string, std::size_t>> r;
    for (std::size_t i = 0; i < c.eventos.size(); ++i) {
        const Evento& e = c.eventos[i];
        if (e.de_la_prueba || e.clave.empty()) continue;
        // waitpid() lo hace el manejador de SIGCHLD cuando llega la señal, en cualquier punto
        // del bucle: su sitio depende del reparto de la CPU, no del programa. No se compara.
        if (e.clave == "waitpid") continue;
        if (hijo ? e.rol != "hijo 1" : !e.rol.empty()) continue;
        if (!r.empty() && r.back().first == e.clave) continue;
        r.emplace_back(e.clave, i);
    }
    return r;
}

struct Desvio {
    bool hay = false;
    std::size_t despues_de = 0;  ///< La marca va tras este evento del alumno (o al principio).
    bool al_principio = false;
    std::string texto;
};

Desvio comparar(const Corrida& alumno, const Corrida& ref) {
    for (bool hijo : {false, true}) {
        const auto a = secuencia(alumno, hijo), b = secuencia(ref, hijo);
        const std::string quien = hijo ? "el primer hijo" : "el proceso principal";
        for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
            if (i < a.size() && i < b.size() && a[i].first == b[i].first) continue;
            Desvio d;
            d.hay = true;
            if (i < a.size()) {
                d.despues_de = a[i].second;
                d.al_principio = false;
                d.texto = "aquí te separas de la solución (" + quien + "): tú haces " + a[i].first +
                          (i < b.size() ? "; la solución, " + b[i].first : "; la solución ya no hace nada más");
            } else {
                d.al_principio = a.empty();
                d.despues_de = a.empty() ? 0 : a.back().second;
                d.texto = "aquí te separas de la solución (" + quien + "): la solución sigue con " + b[i].first +
                          " y tu programa no";
            }
            // Con la marca en el propio evento (i < a.size()) se dibuja antes de él.
            if (i < a.size()) d.al_principio = true, d.despues_de = a[i].second;
            return d;
        }
    }
    return {};
}

/// Una línea del dibujo: los eventos [primero, ultimo] de la corrida, iguales y seguidos.
struct Fila {
    std::size_t primero = 0, ultimo = 0;
    std::size_t veces() const { return ultimo - primero + 1; }
};

bool iguales(const Evento& a, const Evento& b) {
    return a.de_la_prueba == b.de_la_prueba && a.rol == b.rol && a.texto == b.texto && a.flecha == b.flecha;
}

/// Junta los eventos seguidos idénticos (un servidor que gira en read() = 0 hace miles) en una
/// fila con su cuenta. La marca del desvío nunca queda dentro de una fila juntada.
std::vector<Fila> filas_de(const Corrida& c, const Desvio* d) {
    std::vector<Fila> r;
    for (std::size_t i = 0; i < c.eventos.size(); ++i) {
        const bool corta_antes = d && d->hay && d->al_principio && d->despues_de == i;
        const bool corta_despues = d && d->hay && !d->al_principio && !r.empty() && d->despues_de == r.back().ultimo;
        if (!r.empty() && !corta_antes && !corta_despues && iguales(c.eventos[r.back().ultimo], c.eventos[i]))
            r.back().ultimo = i;
        else
            r.push_back({i, i});
    }
    return r;
}

/// Tope del dibujo: las primeras kCabeza filas, las últimas kCola y unas pocas alrededor de la
/// marca; en medio, una línea que dice cuántas no se muestran.
constexpr std::size_t kCabeza = 60, kCola = 15, kAlrededor = 4;

void dibujar(const Corrida& c, const Desvio* d) {
    constexpr std::size_t kIzq = 46, kMedio = 10;
    std::cout << "  " << rellenar("programa", kIzq) << rellenar("", kMedio) << "prueba\n";
    std::cout << "  " << color(kTenue, std::string(kIzq + kMedio + 34, '-')) << "\n";
    auto marca = [&] { std::cout << "  " << color(kMarca, "◆ " + d->texto) << "\n"; };
    if (d && d->hay && !d->al_principio && c.eventos.empty()) marca();
    const std::vector<Fila> filas = filas_de(c, d);
    // Qué filas se ven: cabeza, cola y las de alrededor de la marca.
    std::vector<bool> ver(filas.size(), filas.size() <= kCabeza + kCola);
    for (std::size_t f = 0; f < filas.size(); ++f) {
        if (f < kCabeza || f + kCola >= filas.size()) ver[f] = true;
        if (d && d->hay && filas[f].primero <= d->despues_de && d->despues_de <= filas[f].ultimo)
            for (std::size_t g = f > kAlrededor ? f - kAlrededor : 0; g < std::min(filas.size(), f + kAlrededor + 1); ++g)
                ver[g] = true;
    }
    std::size_t ocultas = 0;
    auto decir_ocultas = [&] {
        if (ocultas == 0) return;
        std::cout << "  " << color(kTenue, "⋮ (" + con_millares(ocultas) + (ocultas == 1 ? " línea" : " líneas") +
                                               " más, sin mostrar)") << "\n";
        ocultas = 0;
    };
    for (std::size_t f = 0; f < filas.size(); ++f) {
        const std::size_t i = filas[f].primero;
        const Evento& e = c.eventos[i];
        if (!ver[f]) {
            ++ocultas;
            continue;
        }
        decir_ocultas();
        if (d && d->hay && d->al_principio && d->despues_de == i) marca();
        const std::string veces =
            filas[f].veces() > 1 ? "  ×" + con_millares(filas[f].veces()) + " veces" : "";
        std::string izq, medio, der;
        if (e.de_la_prueba) {
            der = color(kPrueba, e.texto + veces);
            if (e.flecha == "←") medio = color(kTenue, " ◀─────── ");
        } else {
            const std::string t =
                recortar((e.rol.empty() ? "" : "[" + e.rol + "] ") + e.texto, kIzq - 1 - ancho(veces)) + veces;
            izq = color(kAlumno, t) + std::string(kIzq - std::min(kIzq, ancho(t)), ' ');
            if (e.flecha == "→") medio = color(kTenue, " ───────▶ ");
        }
        if (izq.empty()) izq = std::string(kIzq, ' ');
        if (medio.empty()) medio = std::string(kMedio, ' ');
        std::string linea = "  " + izq + medio + der;
        while (!linea.empty() && linea.back() == ' ') linea.pop_back();
        std::cout << linea << "\n";
        if (d && d->hay && !d->al_principio && d->despues_de == filas[f].ultimo) marca();
    }
    decir_ocultas();
    std::cout << "  " << color(c.sintoma ? kMarca : kTenue, "(" + c.fin + ")") << "\n";
}

int uso(const std::string& m) {
    std::cerr << "sockets_traza_vista: " << m << "\n"
              << "uso: sockets_traza_vista --programa servidor|cliente --alumno DIR --referencia DIR "
                 "[--leccion N] [--titulo TEXTO] [--color si|no|auto]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> arg{{"color", "auto"}, {"titulo", ""}};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--", 0) != 0 || i + 1 >= argc) return uso("argumento no válido: " + a);
        arg[a.substr(2)] = argv[++i];
    }
    const std::string quien = arg["programa"];
    if (quien != "servidor" && quien != "cliente") return uso("--programa es servidor o cliente");
    if (arg["alumno"].empty() || arg["referencia"].empty()) return uso("faltan --alumno y --referencia");
    if (!arg["leccion"].empty()) {
        const std::string& n = arg["leccion"];
        if (n.size() > 2 || n.find_first_not_of("0123456789") != std::string::npos)
            return uso("--leccion es un número de lección");
        g_leccion = std::stoi(n);
    }
    const char* nc = std::getenv("NO_COLOR");
    g_color = arg["color"] == "si" ||
              (arg["color"] == "auto" && isatty(STDOUT_FILENO) && (nc == nullptr || *nc == '\0'));
    for (const auto& d : {arg["alumno"], arg["referencia"]})
        if (!std::filesystem::exists(d + "/" + quien)) {
            std::cerr << "No encuentro el programa " << d << "/" << quien << " (¿compila?)\n";
            return 3;
        }

    const Corrida alumno = correr(arg["alumno"], quien);
    const Corrida ref = correr(arg["referencia"], quien);
    const Desvio d = comparar(alumno, ref);

    const std::string t = arg["titulo"].empty() ? "" : " · " + arg["titulo"];
    std::cout << color("\033[1m", "Tu " + quien + t) << "  (izquierda: sus llamadas al sistema; derecha: "
              << (quien == "servidor" ? "un cliente" : "un servidor de eco") << " de prueba)\n";
    dibujar(alumno, &d);
    std::cout << "\n" << color("\033[1m", "La solución") << "\n";
    dibujar(ref, nullptr);
    std::cout << "\n";
    if (d.hay) {
        std::cout << color(kMarca, "◆ ") << d.texto << "\n";
        return 1;
    }
    std::cout << color(kBien, "✓ ") << "Tus llamadas siguen la misma secuencia que la solución.\n";
    return 0;
}
