/// \file atasco.cpp
/// \brief El vigilante de atascos: mientras una prueba espera algo de sus programas, ¿pueden
///        esos programas avanzar todavía? Si no, la espera acaba ya (el resultado es el mismo
///        que al vencer el plazo) y el informe dice dónde estaban atascados.
///
/// Solo actúa cuando el corrector lo pide (SOCKETS_ATASCOS=1, ver docs/dev/corrector.md): una
/// entrega que se cuelga en todas sus pruebas no debe gastar el plazo entero de cada espera.
/// Dos reglas, ninguna medida en tiempo de reloj «a ojo»:
///  - bloqueados: todos los hilos de todos los programas vivos de la prueba están en una llamada
///    que solo despierta con algo de fuera (accept, read, wait4, pause... o poll sin plazo), o
///    parados por SIGSTOP, y nada ha cambiado (ni una llamada, ni un byte, ni CPU) durante 1 s
///    seguido de espera: la prueba está esperando y no va a hacer nada, así que nada los
///    despertará. Con carga, un programa bloqueado sigue bloqueado: no es uno lento.
///  - gira en vacío: un programa trazado ha gastado 0,3 s de CPU (tiempo de CPU, no de reloj)
///    durante la espera sin hacer más llamadas que dormir; la solución necesita milisegundos.
/// No hay atasco si algún programa está retenido por la prueba, en marcha o en una llamada con
/// plazo (nanosleep, poll con plazo...): puede despertar solo.
#include "arnes/interno.h"
#include "base/procesos.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

namespace arnes {

namespace {

constexpr auto kQuieto = std::chrono::milliseconds(1000);  // regla «bloqueados»
constexpr auto kTramo = std::chrono::milliseconds(100);    // cada cuánto miran las esperas
constexpr long kGiroMs = 300;                              // regla «gira en vacío» (CPU)
// Si entre dos muestras pasa más que esto, la prueba no estaba esperando: se empieza de nuevo.
constexpr auto kHueco = std::chrono::milliseconds(300);

struct Vigilante {
    std::mutex m;
    std::set<Programa::Estado*> vivos;
    std::string firma;               // lo visto en la última muestra
    Reloj::time_point quieto_desde;  // desde cuándo la firma no cambia
    Reloj::time_point ultima;        // la última muestra
    struct Giro {
        long cpu_inicio = 0;           // ms de CPU al empezar la ventana
        std::size_t llamadas = 0;      // llamadas ya vistas
    };
    std::map<const Programa::Estado*, Giro> giro;
};

Vigilante& vigilante() {
    static Vigilante v;
    return v;
}

bool activo() {
    static const bool a = [] {
        const char* v = std::getenv("SOCKETS_ATASCOS");
        return v != nullptr && std::string(v) == "1";
    }();
    return a;
}

/// ¿Esta llamada (bloqueada) solo vuelve si algo de fuera la despierta? Las que tienen plazo o
/// no se conocen, no: podrían volver solas.
bool sin_plazo(long nr, const std::array<long, 6>& a) {
    const std::string n = nombre_llamada(nr);
    static const std::set<std::string> esperan = {
        "read",    "readv",     "pread64", "preadv",    "recvfrom", "recvmsg", "accept",
        "accept4", "connect",   "write",   "writev",    "sendto",   "sendmsg", "sendfile",
        "wait4",   "waitid",    "pause",   "rt_sigsuspend",         "msgrcv",  "msgsnd",
        "semop",   "flock",     "open",    "openat",    "splice"};
    if (esperan.count(n) != 0) return true;
    if (n == "poll") return a[2] < 0;
    if (n == "ppoll" || n == "pselect6" || n == "select") return (n == "ppoll" ? a[2] : a[4]) == 0;
    if (n == "epoll_wait" || n == "epoll_pwait") return a[3] < 0;
    if (n == "futex") return ((a[1] & 127) == 0 || (a[1] & 127) == 9) && a[3] == 0;
    return false;
}

/// Una llamada de «dormir»: no es avanzar.
bool es_dormir(const std::string& n) {
    return n == "nanosleep" || n == "clock_nanosleep" || n == "sched_yield" || n == "restart_syscall";
}

struct Hilo {
    char estado = '?';
    long cpu_ms = 0;
};

/// Estado y CPU (ms) de un hilo, de /proc/PID/task/TID/stat.
std::optional<Hilo> leer_hilo(pid_t pid, const std::string& tid) {
    const auto c = base::campos_de_stat("/proc/" + std::to_string(pid) + "/task/" + tid + "/stat");
    if (c.size() < 13 || c[0].empty()) return std::nullopt;
    static const long hz = sysconf(_SC_CLK_TCK);
    Hilo h;
    h.estado = c[0][0];
    h.cpu_ms = (std::atol(c[11].c_str()) + std::atol(c[12].c_str())) * 1000 / (hz > 0 ? hz : 100);
    return h;
}

std::vector<std::string> hilos_de(pid_t pid) {
    std::vector<std::string> r;
    DIR* d = opendir(("/proc/" + std::to_string(pid) + "/task").c_str());
    if (d == nullptr) return r;
    while (dirent* e = readdir(d))
        if (e->d_name[0] != '.') r.emplace_back(e->d_name);
    closedir(d);
    std::sort(r.begin(), r.end());
    return r;
}

/// Lo que se ve ahora de un programa (con `e.m` tomado). Devuelve false si el programa puede
/// avanzar solo (en marcha, retenido, en una llamada con plazo). `firma` recibe lo que debe
/// seguir igual; `donde`, dónde está; `cpu`, sus ms de CPU; `en_llamada`, si algún hilo estaba
/// en una llamada que no es dormir (para la regla «gira en vacío» sin traza).
bool mirar(const Programa::Estado& e, std::string& firma, std::string& donde, long& cpu,
           bool& en_llamada) {
    if (!e.tr.retenidos.empty()) return false;  // la prueba lo tiene parado: manda ella
    const bool trazado = e.trazado && !e.traza_terminada;
    std::vector<pid_t> procesos = e.tr.trazados;
    if (!trazado) {
        procesos.clear();
        for (const auto& p : base::miembros_del_grupo(e.pid)) procesos.push_back(p.pid);
    }
    std::sort(procesos.begin(), procesos.end());
    bool atascable = true;
    firma += "#" + std::to_string(e.pid) + ":" + std::to_string(e.tr.llamadas.size()) + ":" +
             std::to_string(e.salida.size() + e.errores.size());
    for (pid_t pid : procesos) {
        for (const auto& tid : hilos_de(pid)) {
            std::optional<Hilo> h;
            {
                ComoAlumno como;  // /proc de un programa de otro usuario (modo contenedor)
                h = leer_hilo(pid, tid);
            }
            if (!h || h->estado == 'Z' || h->estado == 'X') continue;
            cpu += h->cpu_ms;
            firma += "|" + tid + h->estado + std::to_string(h->cpu_ms);
            if (h->estado == 'T') {  // parado por una señal: nadie lo va a continuar
                if (donde.empty()) donde = "parado (SIGSTOP)";
                continue;
            }
            if (h->estado != 'S' && h->estado != 'D') {  // en marcha o en una parada de la traza
                atascable = false;
                continue;
            }
            // ¿En qué llamada? Trazado: la última que entró y no ha vuelto; si no, /proc.
            long nr = -1;
            std::array<long, 6> args{};
            const pid_t t = static_cast<pid_t>(std::atol(tid.c_str()));
            if (trazado) {
                for (auto it = e.tr.llamadas.rbegin(); it != e.tr.llamadas.rend(); ++it)
                    if (it->pid == t) {
                        if (!it->terminada) {
                            nr = it->nr;
                            args = it->args;
                            if (donde.empty()) donde = it->texto();
                        }
                        break;
                    }
            } else {
                ComoAlumno como;
                std::ifstream f("/proc/" + std::to_string(pid) + "/task/" + tid + "/syscall");
                std::string primero;
                if (f >> primero && primero != "running") {
                    nr = std::strtol(primero.c_str(), nullptr, 10);
                    for (auto& a : args) {
                        std::string x;
                        if (f >> x) a = static_cast<long>(std::strtoul(x.c_str(), nullptr, 16));
                    }
                    if (donde.empty() && nr >= 0) donde = nombre_llamada(nr) + "(…)";
                }
            }
            if (nr >= 0 && !es_dormir(nombre_llamada(nr))) en_llamada = true;
            firma += ":" + std::to_string(nr);
            for (long a : args) firma += "," + std::to_string(a);
            if (nr < 0 || !sin_plazo(nr, args)) atascable = false;
        }
    }
    return atascable;
}

}  // namespace

void registrar_programa(Programa::Estado* e) {
    if (!activo()) return;
    std::lock_guard<std::mutex> c(vigilante().m);
    vigilante().vivos.insert(e);
}

void olvidar_programa(Programa::Estado* e) {
    if (!activo()) return;
    std::lock_guard<std::mutex> c(vigilante().m);
    vigilante().vivos.erase(e);
    vigilante().giro.erase(e);
}

bool programas_atascados() {
    if (!activo()) return false;
    Vigilante& v = vigilante();
    std::lock_guard<std::mutex> c(v.m);
    const auto ahora = Reloj::now();
    const bool ventana_nueva = ahora - v.ultima > kHueco;
    v.ultima = ahora;
    if (ventana_nueva) {
        v.firma.clear();
        v.giro.clear();
    }
    std::string firma, motivo;
    bool todos_atascados = true, alguno = false;
    std::vector<Programa::Estado*> afectados;
    for (Programa::Estado* e : v.vivos) {
        std::lock_guard<std::mutex> ce(e->m);
        if (!e->lanzado || e->pid <= 0 || e->fin || e->vigia_terminado) continue;
        alguno = true;
        afectados.push_back(e);
        std::string donde;
        long cpu = 0;
        bool en_llamada = false;
        if (!mirar(*e, firma, donde, cpu, en_llamada)) todos_atascados = false;
        else if (motivo.empty() && !donde.empty()) motivo = "bloqueado en " + donde;
        // Regla «gira en vacío»: la ventana de CPU vuelve a empezar cada vez que el programa
        // avanza (una llamada que no es dormir: vista en la traza o, sin traza, en /proc).
        const bool trazado = e->trazado && !e->traza_terminada;
        auto [it, nuevo] = v.giro.try_emplace(e);
        bool avanzo = nuevo || (!trazado && en_llamada);
        for (std::size_t i = it->second.llamadas; trazado && i < e->tr.llamadas.size(); ++i)
            avanzo = avanzo || !es_dormir(e->tr.llamadas[i].nombre);
        it->second.llamadas = e->tr.llamadas.size();
        if (avanzo) it->second.cpu_inicio = cpu;
        if (cpu - it->second.cpu_inicio >= kGiroMs) {
            e->atasco = "gastó " + std::to_string(cpu - it->second.cpu_inicio) +
                        " ms de CPU sin hacer otra llamada que dormir: gira en vacío";
            return true;
        }
    }
    if (!alguno || !todos_atascados) {
        v.firma.clear();
        return false;
    }
    if (firma != v.firma) {
        v.firma = firma;
        v.quieto_desde = ahora;
        return false;
    }
    if (ahora - v.quieto_desde < kQuieto) return false;
    const std::string texto = "llevaba " + std::to_string(kQuieto.count()) + " ms " +
                              (motivo.empty() ? std::string("parado") : motivo) +
                              " sin que nada pudiera despertarlo (la prueba esperaba)";
    for (Programa::Estado* e : afectados) {
        std::lock_guard<std::mutex> ce(e->m);
        e->atasco = texto;
    }
    return true;
}

Espera::Espera(Reloj::time_point fin) : fin_(fin), revisado_(Reloj::now()) {}

int Espera::ms_tramo() const {
    const auto hasta = activo() ? std::min(fin_, revisado_ + kTramo) : fin_;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(hasta - Reloj::now()).count();
    return static_cast<int>(std::clamp<long long>(ms, 0, 1 << 30));
}

bool Espera::sigue() {
    const auto ahora = Reloj::now();
    if (ahora >= fin_) return false;
    if (activo() && ahora - revisado_ >= kTramo) {
        revisado_ = ahora;
        if (programas_atascados()) {
            fin_ = ahora;
            return false;
        }
    }
    return true;
}

bool Espera::esperar(std::unique_lock<std::mutex>& candado, std::condition_variable& cv) {
    cv.wait_until(candado, activo() ? std::min(fin_, revisado_ + kTramo) : fin_);
    if (!activo() || Reloj::now() - revisado_ < kTramo) return Reloj::now() < fin_;
    candado.unlock();
    const bool queda = sigue();
    candado.lock();
    return queda;
}

}  // namespace arnes
