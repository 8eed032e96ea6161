/// \file traza_vista.cpp
/// \brief `sockets traza`: lo que ve `./tutorial traza N`. Lanza el servidor o el cliente
///        del alumno con el trazador del arnés, dibuja en dos columnas sus llamadas (izquierda) y
///        lo que hace la prueba (derecha), hace lo mismo con la solución y marca el primer punto
///        en que la secuencia del alumno se separa de la suya.
///
/// Uso: sockets traza [--programa servidor|cliente] --alumno DIR --referencia DIR
///                          [--leccion N] [--titulo TEXTO] [--color si|no|auto]
///                          [--veredictos DIR] [--escenario FICHERO]
///   DIR: la carpeta con los ejecutables `servidor` y `cliente` de la lección.
///   N: el número de la lección (etapas.tsv): dice si un servidor que sigue vivo al final es lo
///      normal (desde la etapa de fork sigue aceptando clientes) o un síntoma.
///   --veredictos: los veredictos del alumno (<build>/veredictos/lessons): mientras alguna
///      prueba de la lección falla, nunca dice que las llamadas «siguen la misma secuencia».
///   --escenario: la primera prueba que falla, en JSON (`sockets traza --build=DIR` la elige
///      como `sockets leccion` y la pasa sin fichero, orden_traza_con): en vez del escenario propio (conectar, «hola», cerrar), se ejecuta esa
///      prueba, con el programa del alumno y con el de la solución, y se comparan sus llamadas.
///      Sin --programa, el programa es el de esa prueba (el cliente si es del cliente); con el
///      otro, el escenario propio.
/// Las llamadas se comparan con los argumentos que importan: el papel de cada descriptor
/// (escucha, conexión), el puerto (el pedido u otro: un htons() olvidado se ve), la dirección,
/// el addrlen de accept(), las opciones de sigaction(), y las líneas que narra en stdout.
/// Las llamadas seguidas idénticas salen en una sola línea con su cuenta («×37 098 veces») y cada
/// dibujo tiene un tope de líneas (dice cuántas se quedaron sin mostrar).
/// Sale con 0 si no hay desvío, 1 si lo hay, 2 si los argumentos no valen, 3 si falta un
/// programa y 77 si no se puede trazar (ptrace no permitido).
#include "arnes/ejecucion.h"
#include "base/opciones.h"
#include "base/registro.h"
#include "base/texto.h"
#include "ordenes.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

using base::ancho;     // columnas de pantalla de un texto UTF-8 (un carácter, una columna)
using base::rellenar;
using base::recortar_ancho;
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
    if (l.reiniciada) return " (interrumpida por una señal; el núcleo la repite)";
    // El programa ve EINTR (nunca los códigos internos del núcleo, como ERESTARTSYS).
    if (l.resultado < 0) return " = -1 " + nombre_errno(static_cast<int>(-l.resultado));
    return " = " + std::to_string(l.resultado);
}

/// Lo que la traza sabe del programa para comparar con argumentos: el puerto que pidió en su
/// línea de órdenes (servidor PUERTO) y el del servidor al que conecta (cliente HOST PUERTO).
struct Contexto {
    int puerto_pedido = -1;
};

/// La narración de una escritura en stdout: «[servidor] listen():» (hasta el primer «):»).
std::string narracion(const std::string& datos) {
    const auto fin = datos.find("):");
    if (fin == std::string::npos || fin > 60) return "";
    return datos.substr(0, fin + 2);
}

/// Lo que se sabe de los procesos mientras se recorre la traza: el papel de cada descriptor de
/// cada proceso («escucha», «conexión») y el rol de cada proceso («» el principal, «hijo 1»...).
struct Papeles {
    std::map<pid_t, std::map<long, std::string>> sockets;  // descriptor -> papel
    std::map<pid_t, std::string> roles;
    int hijos = 0;
    /// Un proceso nuevo, «hijo N», con los descriptores que `de_su_padre` tiene AHORA.
    void nuevo_hijo(pid_t pid, const std::map<long, std::string>& de_su_padre) {
        roles[pid] = "hijo " + std::to_string(++hijos);
        sockets[pid] = de_su_padre;
    }
};

bool es_una_de(const std::string& n, std::initializer_list<const char*> v) {
    for (const char* x : v)
        if (n == x) return true;
    return false;
}

/// El descriptor de una llamada (su primer argumento) en el proceso que la hace.
struct DescriptorVisto {
    long fd = -1;
    std::string papel;  ///< «escucha», «conexión» o vacío (no es un socket que se siga)
    std::string texto;  ///< «3 escucha»
};

DescriptorVisto descriptor_de(const Llamada& l, const std::map<long, std::string>& mios) {
    DescriptorVisto d;
    d.fd = l.args[0];
    const auto it = mios.find(d.fd);
    if (it != mios.end()) d.papel = it->second;
    d.texto = std::to_string(d.fd) + (d.papel.empty() ? "" : " " + d.papel);
    return d;
}

/// Dónde hace bind() o connect(), para el texto («127.0.0.1:5000 (el puerto pedido)») y para la
/// clave («127.0.0.1, el puerto pedido»): el puerto pedido, el del servidor, uno sin htons() u otro.
std::pair<std::string, std::string> donde_enlaza(const Llamada& l, const Contexto& ctx) {
    if (!l.direccion) return {"…", "?"};
    std::string donde = extremo(*l.direccion);
    const int p = l.direccion->puerto;
    const std::string que = ctx.puerto_pedido < 0     ? std::to_string(p)
                            : p == ctx.puerto_pedido ? (l.nombre == "bind" ? "el puerto pedido" : "el puerto del servidor")
                            : l.direccion->puerto_crudo == ctx.puerto_pedido ? "el puerto sin htons()"
                                                                              : "otro puerto";
    if (que != std::to_string(p)) donde += " (" + que + ")";
    return {donde, l.direccion->ip + ", " + que};
}

/// socket, setsockopt, bind, connect, getsockname, listen y accept: rellena `e` y anota los
/// descriptores nuevos en `mios`. false si `l` no es una de ellas.
bool evento_de_conexion(const Llamada& l, const DescriptorVisto& d, std::map<long, std::string>& mios,
                        const std::string& quien, const Contexto& ctx, Evento& e) {
    const std::string& n = l.nombre;
    if (n == "socket") {
        const std::string tipo = nombre_tipo(l.args[1]);
        e.clave = "socket(" + nombre_familia(l.args[0]) + ", " + tipo + ")";
        e.texto = "socket(" + nombre_familia(l.args[0]) + ", " + tipo + ")" + resultado(l);
        if (l.terminada && l.resultado >= 0) mios[l.resultado] = quien == "servidor" ? "escucha" : "conexión";
    } else if (n == "setsockopt") {
        const std::string op = nombre_opcion(l.args[1], l.args[2]);
        e.clave = "setsockopt(" + d.papel + ", " + op + ")";
        e.texto = "setsockopt(" + d.texto + ", " + op + ")" + resultado(l);
    } else if (n == "bind" || n == "connect") {
        const auto [donde, clave_donde] = donde_enlaza(l, ctx);
        e.clave = n + "(" + d.papel + ", " + clave_donde + ")";
        e.texto = n + "(" + d.texto + ", " + donde + ")" + resultado(l);
        if (n == "connect") e.flecha = "→";
    } else if (n == "getsockname") {
        e.clave = "getsockname(" + d.papel + ")";
        e.texto = "getsockname(" + d.texto + ")" + resultado(l);
    } else if (n == "listen") {
        e.clave = "listen(" + d.papel + ")";
        e.texto = "listen(" + d.texto + ", " + std::to_string(l.args[1]) + ")" + resultado(l);
    } else if (es_una_de(n, {"accept", "accept4"})) {
        const long largo = l.largo_entrada;
        const bool hueco = l.args[2] == 0 || largo == static_cast<long>(sizeof(sockaddr_in)) ||
                           largo == static_cast<long>(sizeof(sockaddr_in6)) ||
                           largo == static_cast<long>(sizeof(sockaddr_storage));
        e.clave = "accept(" + d.papel + (hueco ? "" : ", addrlen sin iniciar") + ")";
        e.texto = "accept(" + d.texto + (hueco ? "" : ", addrlen = " + std::to_string(largo) + "?") + ")" + resultado(l);
        if (l.terminada && l.resultado >= 0) {
            mios[l.resultado] = "conexión";
            e.texto += " conexión";
            if (l.direccion) e.texto += " ← " + extremo(*l.direccion);
        }
    } else {
        return false;
    }
    return true;
}

/// Lecturas y escrituras en los sockets, la narración en stdout, shutdown y close: rellena `e`
/// (close() olvida el descriptor en `mios`). false si `l` no es una de ellas.
bool evento_de_datos(const Llamada& l, const DescriptorVisto& d, std::map<long, std::string>& mios, Evento& e) {
    const std::string& n = l.nombre;
    const bool mio = mios.count(d.fd) != 0;
    if (coincide_nombre(kLecturas, n) && mio) {
        e.clave = "read(" + d.papel + ")";
        e.texto = "read(" + std::to_string(d.fd) + ")" + resultado(l);
        if (l.terminada && l.resultado > 0) e.texto += " " + extracto(l.datos);
        if (l.terminada && l.resultado == 0) e.texto += " (fin de fichero)";
    } else if (coincide_nombre(kEscrituras, n) && mio) {
        e.clave = "write(" + d.papel + ")";
        e.texto = "write(" + std::to_string(d.fd) + ", " + extracto(l.datos) + ")" + resultado(l);
        e.flecha = "→";
    } else if (coincide_nombre(kEscrituras, n) && d.fd == 1 && !narracion(l.datos).empty()) {
        // La narración: su orden respecto a las llamadas importa («escuchando» tras listen()).
        e.clave = "narra «" + narracion(l.datos) + "»";
        std::string linea = l.datos.substr(0, l.datos.find('\n'));
        e.texto = "narra " + visible(linea, 34);
    } else if (n == "shutdown" && mio) {
        const std::string como = l.args[1] == SHUT_WR ? "SHUT_WR" : l.args[1] == SHUT_RD ? "SHUT_RD" : "SHUT_RDWR";
        e.clave = "shutdown(" + d.papel + ", " + como + ")";
        e.texto = "shutdown(" + d.texto + ", " + como + ")" + resultado(l) + "  FIN";
        e.flecha = "→";
    } else if (n == "close" && (mio || (l.terminada && l.resultado == -EBADF))) {
        e.clave = "close(" + (d.papel.empty() ? std::string("ya cerrado") : d.papel) + ")";
        e.texto = "close(" + d.texto + ")" + resultado(l);
        mios.erase(d.fd);
    } else {
        return false;
    }
    return true;
}

/// fork (el hijo hereda los descriptores que el padre tiene AHORA: el padre puede cerrar su copia
/// de la conexión antes de que el hijo haga su primera llamada), sigaction de SIGPIPE y SIGCHLD,
/// poll, fcntl(F_SETFL), waitpid y _exit: rellena `e`. false si `l` no es una de ellas.
bool evento_de_proceso(const Llamada& l, const std::map<long, std::string>& mios, Papeles& papeles, Evento& e) {
    const std::string& n = l.nombre;
    if (es_una_de(n, {"clone", "clone3", "fork", "vfork"})) {
        e.clave = "fork()";
        e.texto = "fork()" + resultado(l);
        const pid_t hijo = static_cast<pid_t>(l.resultado);
        if (l.terminada && l.resultado > 0 && !papeles.roles.count(hijo)) papeles.nuevo_hijo(hijo, mios);
    } else if (n == "rt_sigaction" && (l.args[0] == SIGPIPE || l.args[0] == SIGCHLD) && l.args[1] != 0) {
        const int senal = static_cast<int>(l.args[0]);
        std::string que = "…";
        if (l.accion) {
            que = l.accion->manejador == 0 ? "SIG_DFL" : l.accion->manejador == 1 ? "SIG_IGN" : "manejador";
            if (l.accion->de_signal(senal)) que += ", con signal()";
            else if (l.accion->banderas & SA_RESTART) que += ", SA_RESTART";
        }
        e.clave = "sigaction(" + nombre_senal(senal) + ", " + que + ")";
        e.texto = e.clave + resultado(l);
    } else if (es_una_de(n, {"poll", "ppoll"})) {
        // Un servidor de un solo proceso (lección 09): cada vuelta de su bucle empieza aquí.
        e.clave = "poll";
        e.texto = "poll(" + cuenta(l.sondeos.size(), "descriptor", "descriptores") + ")" + resultado(l);
    } else if (n == "fcntl" && l.args[1] == F_SETFL && mios.count(l.args[0]) != 0) {
        e.clave = "fcntl";
        e.texto = "fcntl(" + std::to_string(l.args[0]) + ", F_SETFL, " +
                  ((l.args[2] & O_NONBLOCK) != 0 ? "…|O_NONBLOCK" : "…") + ")" + resultado(l);
    } else if (es_una_de(n, {"wait4", "waitid"})) {
        e.clave = "waitpid";
        e.texto = "waitpid(…)" + resultado(l);
    } else if (es_una_de(n, {"exit_group", "exit"})) {
        // exit() y volver de main() acaban en _exit(), que el núcleo ve como exit_group.
        e.clave = "_exit(" + std::to_string(l.args[0]) + ")";
        e.texto = "_exit(" + std::to_string(l.args[0]) + ")";
    } else {
        return false;
    }
    return true;
}

/// Lo que se añade a la clave de una llamada que falló: « → ENAME» (no EINTR, que depende del
/// momento; nunca en _exit()).
std::string clave_de_error(const Llamada& l) {
    if (es_una_de(l.nombre, {"exit_group", "exit"})) return "";
    if (l.terminada && l.resultado < 0 && l.resultado != -EINTR && !l.reiniciada)
        return " → " + nombre_errno(static_cast<int>(-l.resultado));
    return "";
}

/// Traduce la traza a eventos: solo las llamadas de sockets, procesos, señales y espera (poll)
/// que enseña el curso, las lecturas y escrituras sobre sockets y la narración (las líneas «[servidor] …():»
/// de stdout). Cada evento lleva su clave de comparación, con los argumentos que importan: el
/// papel del descriptor (escucha, conexión), el puerto (el pedido u otro), el addrlen de accept(),
/// las opciones de sigaction() y el error, si falló (salvo EINTR, que depende del momento).
std::vector<Evento> eventos_del_programa(const std::vector<Llamada>& traza, pid_t principal,
                                         const std::string& quien, const Contexto& ctx) {
    std::vector<Evento> r;
    Papeles papeles;
    papeles.roles[principal] = "";
    for (const Llamada& l : traza) {
        if (!papeles.roles.count(l.pid)) papeles.nuevo_hijo(l.pid, papeles.sockets[principal]);
        auto& mios = papeles.sockets[l.pid];
        const DescriptorVisto d = descriptor_de(l, mios);
        Evento e;
        e.rol = papeles.roles[l.pid];
        e.posicion = l.orden;
        if (!evento_de_conexion(l, d, mios, quien, ctx, e) && !evento_de_datos(l, d, mios, e) &&
            !evento_de_proceso(l, mios, papeles, e))
            continue;
        if (l.reiniciada) e.clave.clear();  // el programa no la vio volver: el núcleo la repite
        else if (!e.clave.empty()) e.clave += clave_de_error(l);
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

/// Un puerto libre cuyos dos bytes son distintos: así un htons() olvidado cambia el número.
int puerto_asimetrico() {
    int p = puerto_libre();
    for (int i = 0; i < 20 && p != 0 && (p >> 8) == (p & 0xff); ++i) p = puerto_libre();
    return p;
}

/// Lanza `ruta` con traza; si no se puede trazar, la herramienta sale con 77 (ptrace no permitido).
std::unique_ptr<Programa> lanzar_trazado(const std::string& ruta, std::vector<std::string> args) {
    Opciones o;
    o.trazar = true;
    o.limite = Ms(20000);
    auto p = std::make_unique<Programa>(ruta, std::move(args), o);
    if (!p->trazado()) {
        std::cerr << "No se puede trazar el programa: " << p->motivo_sin_traza() << "\n";
        std::exit(77);
    }
    return p;
}

/// El escenario propio con el servidor del alumno: la prueba hace de cliente (conecta, envía
/// «hola», lee la respuesta, cierra su escritura y espera el cierre del servidor).
std::vector<Evento> hablar_con_el_servidor(Programa& p) {
    std::vector<Evento> prueba;
    const std::string mensaje = "hola\n";
    if (auto puerto = p.esperar_escucha(Ms(3000))) {
        Conexion c = Conexion::conectar(*puerto, Ms(2000));
        prueba.push_back(de_la_prueba(p, "connect() a 127.0.0.1:" + std::to_string(*puerto) +
                                             (c.valida() ? "" : " = " + nombre_errno(c.error())), "←"));
        if (c.valida()) {
            c.enviar(mensaje);
            prueba.push_back(de_la_prueba(p, "envía " + extracto(mensaje), "←"));
            const std::string r = c.recibir_linea(Ms(1500));
            prueba.push_back(de_la_prueba(p, r.empty() ? "no recibe respuesta" : "recibe " + extracto(r)));
            c.cerrar_escritura();
            prueba.push_back(de_la_prueba(p, "shutdown(SHUT_WR)  FIN", "←"));
            const Cierre cc = c.esperar_cierre(Ms(1500));
            prueba.push_back(de_la_prueba(p, texto_cierre(cc, "servidor")));
            c.cerrar();
            prueba.push_back(de_la_prueba(p, "close()"));
        }
    } else {
        prueba.push_back(de_la_prueba(p, "espera «escuchando en el puerto N»… no llega"));
    }
    p.cerrar_entrada();  // la lección 03 espera al fin de su entrada estándar
    return prueba;
}

/// El escenario propio con el cliente del alumno: la prueba hace de servidor de eco en `escucha`.
std::vector<Evento> hablar_con_el_cliente(Programa& p, Escucha& escucha) {
    std::vector<Evento> prueba;
    prueba.push_back(de_la_prueba(p, "escucha en 127.0.0.1:" + std::to_string(escucha.puerto())));
    Conexion c;
    const auto hasta = std::chrono::steady_clock::now() + 4s;
    while (!c.valida() && p.vivo() && std::chrono::steady_clock::now() < hasta) c = escucha.aceptar(Ms(200));
    if (!c.valida()) c = escucha.aceptar(Ms(100));  // por si conectó y terminó enseguida
    if (!c.valida()) {
        prueba.push_back(de_la_prueba(p, "nadie se conecta"));
        return prueba;
    }
    prueba.push_back(de_la_prueba(p, "accept() = conexión del cliente"));
    for (;;) {
        const std::string d = c.recibir_linea(Ms(1500));
        if (d.empty()) break;
        prueba.push_back(de_la_prueba(p, "recibe " + extracto(d)));
        c.enviar(d);
        prueba.push_back(de_la_prueba(p, "envía " + extracto(d) + " (eco)", "←"));
    }
    const Cierre cc = c.esperar_cierre(Ms(300));
    prueba.push_back(de_la_prueba(p, texto_cierre(cc, "cliente")));
    c.cerrar();
    prueba.push_back(de_la_prueba(p, "close()  FIN", "←"));
    return prueba;
}

Corrida correr(const std::string& dir, const std::string& quien) {
    std::vector<Evento> prueba;
    std::unique_ptr<Programa> p;
    Contexto ctx;
    if (quien == "servidor") {
        // Un puerto de verdad (no 0): así se ve si bind() lo recibe en orden de red.
        ctx.puerto_pedido = puerto_asimetrico();
        p = lanzar_trazado(dir + "/servidor", {std::to_string(ctx.puerto_pedido)});
        prueba = hablar_con_el_servidor(*p);
    } else {
        Escucha escucha;
        ctx.puerto_pedido = escucha.puerto();
        p = lanzar_trazado(dir + "/cliente", {"127.0.0.1", std::to_string(escucha.puerto()), "hola"});
        prueba = hablar_con_el_cliente(*p, escucha);
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
        for (auto& e : eventos_del_programa(p->llamadas(), p->pid(), quien, ctx))
            if (e.rol.empty()) principal.push_back(std::move(e));
        r.fin = texto_vivo(quien, donde, dando_vueltas(principal), r.sintoma);
    }
    // Mezclar: cada evento de la prueba va antes de la primera llamada que empezó después.
    auto programa = eventos_del_programa(p->llamadas(), p->pid(), quien, ctx);
    std::size_t j = 0;
    for (auto& e : programa) {
        while (j < prueba.size() && prueba[j].posicion <= e.posicion) r.eventos.push_back(prueba[j++]);
        r.eventos.push_back(e);
    }
    while (j < prueba.size()) r.eventos.push_back(prueba[j++]);
    return r;
}

/// Ejecuta la prueba del escenario (su orden de CTest, sin los --sockets-*: no escribe
/// veredictos) con los programas de `dir`, y lee las llamadas que dejó el arnés en el volcado
/// (SOCKETS_TRAZA_VOLCADO) del primer programa `quien` que lanzó. Sin volcado: corrida vacía y
/// `fin` dice por qué.
Corrida correr_escenario(const std::string& dir, const std::string& quien, const nlohmann::json& escenario) {
    Corrida r;
    std::vector<std::string> argv;
    for (const auto& a : escenario.value("comando", nlohmann::json::array()))
        if (a.is_string() && a.get<std::string>().rfind("--sockets-", 0) != 0) argv.push_back(a.get<std::string>());
    if (argv.empty()) {
        r.fin = "no se sabe cómo ejecutar la prueba " + escenario.value("caso", std::string());
        return r;
    }
    char plantilla[] = "/tmp/sockets-traza-XXXXXX";
    const int fd = mkstemp(plantilla);
    if (fd < 0) {
        r.fin = "no se pudo crear el fichero del volcado";
        return r;
    }
    close(fd);
    const std::string volcado = plantilla;
    {
        // La prueba, sin trazar (ella traza sus programas), con los programas de `dir`.
        setenv("SOCKETS_PROGRAMAS", dir.c_str(), 1);
        setenv("SOCKETS_TRAZA_VOLCADO", volcado.c_str(), 1);
        Opciones o;
        o.trazar = false;
        o.limite = Ms(90000);
        Programa prueba(argv.front(), std::vector<std::string>(argv.begin() + 1, argv.end()), o);
        prueba.esperar_fin(Ms(90000));
        unsetenv("SOCKETS_TRAZA_VOLCADO");
    }
    std::ifstream f(volcado);
    std::string linea;
    while (std::getline(f, linea)) {
        const auto j = nlohmann::json::parse(linea, nullptr, false);
        if (!j.is_object()) continue;
        const std::string orden = j.value("orden", std::string());
        if (orden.substr(0, orden.find(' ')) != quien) continue;
        std::vector<Llamada> llamadas;
        for (const auto& x : j.value("llamadas", nlohmann::json::array())) {
            Llamada l;
            l.orden = x.value("orden", 0L);
            l.pid = x.value("pid", 0);
            l.nombre = x.value("nombre", std::string());
            const auto args = x.value("args", nlohmann::json::array());
            for (std::size_t i = 0; i < 6 && i < args.size(); ++i) l.args[i] = args[i].get<long>();
            l.terminada = x.value("terminada", false);
            l.resultado = x.value("resultado", 0L);
            l.datos = x.value("datos", std::string());
            l.provocado = x.value("provocado", false);
            l.reiniciada = x.value("reiniciada", false);
            l.largo_entrada = x.value("largo_entrada", -1L);
            if (x.contains("direccion")) {
                const auto& d = x["direccion"];
                l.direccion = Direccion{d.value("familia", -1), d.value("ip", std::string()), d.value("puerto", -1),
                                        d.value("puerto_crudo", -1)};
            }
            if (x.contains("accion")) {
                const auto& a = x["accion"];
                l.accion = AccionSenal{a.value("manejador", 0UL), a.value("banderas", 0UL), a.value("mascara", 0UL)};
            }
            llamadas.push_back(std::move(l));
        }
        // El puerto que pidió: «servidor PUERTO» o «cliente HOST PUERTO».
        Contexto ctx;
        std::istringstream palabras(orden);
        std::vector<std::string> pal;
        for (std::string w; palabras >> w;) pal.push_back(w);
        const std::size_t i = quien == "servidor" ? 1 : 2;
        if (i < pal.size() && !pal[i].empty() && pal[i].find_first_not_of("0123456789") == std::string::npos &&
            pal[i].size() <= 5)
            ctx.puerto_pedido = std::stoi(pal[i]);
        r.eventos = eventos_del_programa(llamadas, static_cast<pid_t>(j.value("pid", 0)), quien, ctx);
        r.fin = j.value("fin", std::string());
        r.sintoma = r.fin.find("código 0") == std::string::npos;
        break;
    }
    std::remove(volcado.c_str());
    if (r.fin.empty()) r.fin = "la prueba no lanzó el " + quien;
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
        if (e.clave.rfind("waitpid", 0) == 0) continue;
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
                recortar_ancho((e.rol.empty() ? "" : "[" + e.rol + "] ") + e.texto, kIzq - 1 - ancho(veces)) + veces;
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

/// Las pruebas de la lección `n` que fallan según los veredictos de `dir` (<build>/veredictos/
/// lessons, con L<NN>/E<KK>/<Suite>.<Prueba>.json), en orden de etapa y nombre; vacío sin `dir`.
std::vector<std::string> pruebas_que_fallan(const std::string& dir, int n) {
    std::vector<std::pair<int, std::string>> r;
    if (dir.empty() || n <= 0) return {};
    char ll[8];
    std::snprintf(ll, sizeof ll, "L%02d", n);
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir + "/" + ll, ec)) {
        if (!e.is_regular_file() || e.path().extension() != ".json") continue;
        base::Registro j;
        std::string error;
        if (base::leer_registro(e.path().string(), j, error) != base::Leido::bien || base::superada(j)) continue;
        r.push_back({j.etapa, j.suite + "." + j.prueba});
    }
    std::sort(r.begin(), r.end());
    std::vector<std::string> nombres;
    for (const auto& [etapa, nombre] : r) nombres.push_back(nombre);
    return nombres;
}

int uso(const std::string& m) {
    std::cerr << "sockets traza: " << m << "\n"
              << "uso: sockets traza --programa servidor|cliente --alumno DIR --referencia DIR "
                 "[--leccion N] [--titulo TEXTO] [--color si|no|auto] [--veredictos DIR] [--escenario F]\n";
    return 2;
}

}  // namespace

int orden_traza(int argc, char** argv) { return orden_traza_con(argc, argv, ""); }

int orden_traza_con(int argc, char** argv, const std::string& escenario_dado) {
    base::Opciones opciones;
    std::string error;
    if (!base::leer_opciones(argc, argv,
                             {{"programa", true}, {"alumno", true}, {"referencia", true}, {"leccion", true},
                              {"titulo", true}, {"color", true}, {"veredictos", true}, {"escenario", true}},
                             opciones, error))
        return uso(error);
    std::map<std::string, std::string> arg{{"color", "auto"}, {"titulo", ""}};
    for (const auto& [clave, valores] : opciones.valores) arg[clave] = valores.back();
    // El escenario (la primera prueba que falla) decide el programa si no se pide uno.
    nlohmann::json escenario;
    if (!escenario_dado.empty()) {
        escenario = nlohmann::json::parse(escenario_dado, nullptr, false);
    } else if (!arg["escenario"].empty()) {
        std::ifstream f(arg["escenario"]);
        escenario = nlohmann::json::parse(f, nullptr, false);
    }
    std::string quien = arg["programa"];
    if (quien.empty()) quien = escenario.is_object() && escenario.value("programa", std::string()) == "cliente" ? "cliente" : "servidor";
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

    // El escenario: el de la primera prueba que falla (si lo hay y es de este programa) o el propio.
    if (!escenario.is_object() || escenario.value("programa", std::string()) != quien) escenario = nullptr;
    const bool de_prueba = escenario.is_object();
    const Corrida alumno = de_prueba ? correr_escenario(arg["alumno"], quien, escenario) : correr(arg["alumno"], quien);
    const Corrida ref = de_prueba ? correr_escenario(arg["referencia"], quien, escenario) : correr(arg["referencia"], quien);
    const Desvio d = comparar(alumno, ref);
    const auto fallan = pruebas_que_fallan(arg["veredictos"], g_leccion);

    const std::string t = arg["titulo"].empty() ? "" : " · " + arg["titulo"];
    if (de_prueba) {
        std::cout << color("\033[1m", "Tu " + quien + t) << "  en la prueba que falla primero, "
                  << escenario.value("caso", std::string()) << " (izquierda: sus llamadas al sistema)\n";
        const std::string entrada = escenario.value("entrada", std::string());
        if (!entrada.empty()) std::cout << "  " << color(kTenue, "la prueba: " + entrada.substr(0, entrada.find('\n'))) << "\n";
    } else {
        std::cout << color("\033[1m", "Tu " + quien + t) << "  (izquierda: sus llamadas al sistema; derecha: "
                  << (quien == "servidor" ? "un cliente" : "un servidor de eco") << " de prueba)\n";
    }
    dibujar(alumno, &d);
    std::cout << "\n" << color("\033[1m", "La solución") << (de_prueba ? " en la misma prueba" : "") << "\n";
    dibujar(ref, nullptr);
    std::cout << "\n";
    if (d.hay) {
        std::cout << color(kMarca, "◆ ") << d.texto << "\n";
        return 1;
    }
    // Sin desvío en las llamadas pero con pruebas que fallan: lo que falla no se ve en esta
    // secuencia (un dato, un tiempo, lo que hace la prueba). Nunca «la misma secuencia».
    if (!fallan.empty()) {
        std::cout << color(kMarca, "◆ ") << "En este escenario tus llamadas no se separan de las de la solución, "
                  << "pero " << (fallan.size() == 1 ? "falla 1 prueba" : "fallan " + std::to_string(fallan.size()) + " pruebas")
                  << " (" << fallan.front() << "): lo que mira no se ve en el orden de las llamadas. Lee su informe: "
                  << "./tutorial check " << g_leccion << "\n";
        return 1;
    }
    std::cout << color(kBien, "✓ ") << "Tus llamadas siguen la misma secuencia que la solución.\n";
    return 0;
}
