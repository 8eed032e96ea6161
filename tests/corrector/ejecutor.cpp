/// \file ejecutor.cpp
/// \brief El ejecutor del corrector: corre las pruebas de una entrega (varias a la vez), vigila
///        a sus procesos (memoria, parados, huérfanos) y no deja a ninguno vivo al acabar.
///
/// Es de confianza, como los ejecutables de pruebas, y corre en uno de dos modos
/// (docs/dev/corrector.md):
///  - arenero: dentro de bubblewrap, como PID 1 de su espacio de PID (bwrap --as-pid-1). Los
///    programas del alumno tienen el mismo uid, pero el núcleo no entrega a un PID 1 las señales
///    de su propio espacio que no maneja (ni SIGKILL ni SIGSTOP): un kill(-1) del alumno no
///    puede pararlo ni matarlo. Lanza cada prueba con SOCKETS_OCULTAR (el arnés aísla a los
///    programas en espacios de nombres propios).
///  - contenedor (--usuario UID:GID): root sin espacios de nombres (Docker, Gradescope). Lanza
///    cada prueba con SOCKETS_USUARIO: el arnés (root) pasa a cada programa del alumno a ese
///    usuario sin privilegios, que no puede ni señalar ni trazar a root.
/// Cada 50 ms mira a los procesos de la entrega (arenero: todos menos él y las pruebas;
/// contenedor: los de ese uid) y:
///  - si entre todos pasan de --memoria MiB de memoria residente, los mata (fin «memoria»);
///  - si una prueba está parada (SIGSTOP de un programa del alumno), los mata y la continúa
///    (fin «detenido»): la prueba ve a sus programas muertos y lo cuenta;
///  - mata a los huérfanos: un proceso que le ha tocado como hijo (es «subreaper» o PID 1) y no
///    es una prueba viene de una prueba ya acabada (un demonio con doble fork y setsid).
/// Al acabar mata todo lo que quede de la entrega y espera a que no quede nadie.
/// Atajo de la nota (docs/dev/corrector.md, «La nota»): una lección vale 0 si no pasa ninguna
/// prueba de su propia etapa, falle lo que falle lo demás. Así que las pruebas de otras etapas de
/// una lección esperan a que acaben todas las de su etapa (la lista las trae antes) y, si ninguna
/// terminó bien (código 0: superada u omitida), no se ejecutan (fin «sin_avance»). Una entrega
/// que se cuelga en todo no gasta su tiempo en las cientos de pruebas que ya no cambian su nota.
///
/// Uso: ejecutor --lista F --pruebas DIR --programas DIR --veredictos DIR --arbol NOMBRE
///               [--ocultar RUTA[:RUTA]] [--usuario UID:GID --casa DIR] [--a-la-vez N]
///               [--limite-prueba S] [--limite-total S] [--memoria MiB] [--atascos si|no]
///      ejecutor --barrer-usuario UID:GID   (mata todos los procesos de ese usuario y sale)
/// La lista tiene una línea por prueba: «NN<TAB>KK<TAB>carpeta<TAB>ejecutable<TAB>Suite.Prueba».
/// Escribe en DIR/ejecutor.tsv una línea por prueba: «id<TAB>fin» (terminó, límite, memoria,
/// detenido, sin_tiempo, sin_avance) y al final «#fin<TAB>completo|límite_total».
#include "base/opciones.h"
#include "base/procesos.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Reloj = std::chrono::steady_clock;

struct Prueba {
    std::string leccion, etapa, carpeta, ejecutable, nombre;
    bool propia() const { return etapa == leccion; }  ///< de la etapa de su lección
};

/// Las pruebas de la etapa propia de una lección: cuántas hay, cuántas faltan por acabar y
/// cuántas acabaron bien.
struct Propias {
    int total = 0;
    int pendientes = 0;
    int bien = 0;
};

/// Las opciones del ejecutor (base/opciones.h: `--clave valor` o `--clave=valor`).
const std::vector<base::Opcion> kOpciones = {
    {"lista", true},       {"pruebas", true},     {"programas", true}, {"veredictos", true},
    {"arbol", true},       {"ocultar", true},     {"casa", true},      {"limite-prueba", true},
    {"limite-total", true}, {"a-la-vez", true},   {"memoria", true},   {"atascos", true},
    {"usuario", true},     {"barrer-usuario", true}};

using base::Proceso;

/// Todos los procesos visibles (con su uid y su memoria, de base/procesos.h), salvo nosotros.
std::vector<Proceso> procesos() {
    std::vector<Proceso> r = base::procesos(base::Detalle::kConMemoria);
    r.erase(std::remove_if(r.begin(), r.end(), [](const Proceso& p) { return p.pid == getpid(); }), r.end());
    return r;
}

/// Como root: mata todos los procesos de `uid` (un hijo que pasa a ese usuario y hace
/// kill(-1, SIGKILL) hasta que no queda ninguno; kill(-1) no le alcanza a él mismo).
void barrer_usuario(uid_t uid, gid_t gid) {
    pid_t hijo = fork();
    if (hijo == 0) {
        if (syscall(SYS_setgroups, 0, nullptr) != 0 || syscall(SYS_setresgid, gid, gid, gid) != 0 ||
            syscall(SYS_setresuid, uid, uid, uid) != 0)
            _exit(1);
        for (int intento = 0; intento < 2000; ++intento) {
            kill(-1, SIGKILL);
            bool queda = false;
            for (const auto& p : procesos())
                if (p.uid == uid && p.estado != 'Z') queda = true;
            if (!queda) _exit(0);
            usleep(5000);
        }
        _exit(1);
    }
    if (hijo > 0)
        while (waitpid(hijo, nullptr, 0) < 0 && errno == EINTR) {
        }
}

/// Lee «UID:GID».
bool leer_usuario(const std::string& texto, uid_t& uid, gid_t& gid) {
    unsigned long u = 0, g = 0;
    char sobra = 0;
    if (std::sscanf(texto.c_str(), "%lu:%lu%c", &u, &g, &sobra) != 2 || u == 0 || g == 0) return false;
    uid = static_cast<uid_t>(u);
    gid = static_cast<gid_t>(g);
    return true;
}

/// Una prueba en marcha.
struct EnMarcha {
    std::size_t indice = 0;
    Reloj::time_point fin;       ///< su límite
    std::string motivo;          ///< fin anotado por el vigilante («memoria», «detenido»)
    bool matada = false;         ///< la matamos por su límite
};

class Ejecutor {
public:
    explicit Ejecutor(const base::Opciones& o) {
        lista_ = o.valor("lista");
        pruebas_ = o.valor("pruebas");
        programas_ = o.valor("programas");
        veredictos_ = o.valor("veredictos");
        arbol_ = o.valor("arbol", "entrega");
        ocultar_ = o.valor("ocultar");
        casa_ = o.valor("casa", "/tmp");
        limite_prueba_ = std::atoi(o.valor("limite-prueba", "20").c_str());
        limite_total_ = std::atoi(o.valor("limite-total", "300").c_str());
        a_la_vez_ = std::max(1, std::atoi(o.valor("a-la-vez", "1").c_str()));
        memoria_kib_ = std::atol(o.valor("memoria", "1024").c_str()) * 1024;
        atascos_ = o.valor("atascos", "si") != "no";
        const std::string usuario = o.valor("usuario");
        contenedor_ = !usuario.empty() && leer_usuario(usuario, uid_, gid_);
        valido_ = !lista_.empty() && !pruebas_.empty() && !programas_.empty() &&
                  !veredictos_.empty() && (usuario.empty() || contenedor_);
    }

    bool valido() const { return valido_; }

    int correr() {
        leer_lista();
        estado_.open(veredictos_ + "/ejecutor.tsv", std::ios::trunc);
        fin_total_ = Reloj::now() + std::chrono::seconds(limite_total_);
        const auto fin_total = fin_total_;
        barrer_todo();
        std::size_t siguiente = 0;
        while (siguiente < todas_.size() || !en_marcha_.empty()) {
            while (siguiente < todas_.size() && en_marcha_.size() < static_cast<std::size_t>(a_la_vez_)) {
                if (Reloj::now() >= fin_total) {
                    agotado_ = true;
                    for (; siguiente < todas_.size(); ++siguiente) anotar(siguiente, "sin_tiempo");
                    break;
                }
                const Prueba& p = todas_[siguiente];
                const Propias& propias = propias_[p.leccion];
                // Espera a que acaben las de su etapa (si no queda ninguna en marcha, es que vienen
                // después en la lista: entonces no hay atajo, se ejecuta).
                if (!p.propia() && propias.pendientes > 0 && !en_marcha_.empty()) break;
                if (!p.propia() && propias.pendientes == 0 && propias.bien == 0 && propias.total > 0) {
                    anotar(siguiente++, "sin_avance");  // la lección vale 0 se ejecute o no
                    continue;
                }
                lanzar(siguiente++, std::min(Reloj::now() + std::chrono::seconds(limite_prueba_), fin_total));
            }
            if (en_marcha_.empty()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            recoger();
            vigilar();
        }
        barrer_todo();
        estado_ << "#fin\t" << (agotado_ ? "límite_total" : "completo") << "\n" << std::flush;
        return 0;
    }

private:
    void leer_lista() {
        std::ifstream f(lista_);
        std::string linea;
        while (std::getline(f, linea)) {
            std::istringstream c(linea);
            Prueba p;
            if (std::getline(c, p.leccion, '\t') && std::getline(c, p.etapa, '\t') &&
                std::getline(c, p.carpeta, '\t') && std::getline(c, p.ejecutable, '\t') &&
                std::getline(c, p.nombre)) {
                todas_.push_back(p);
                if (p.propia()) {
                    ++propias_[p.leccion].total;
                    ++propias_[p.leccion].pendientes;
                }
            }
        }
    }

    std::string id(std::size_t i) const {
        const Prueba& p = todas_[i];
        return arbol_ + "/L" + p.leccion + "/E" + p.etapa + "/" + p.nombre;
    }

    void anotar(std::size_t i, const std::string& fin) { estado_ << id(i) << "\t" << fin << "\n" << std::flush; }

    void lanzar(std::size_t i, Reloj::time_point fin) {
        const Prueba& p = todas_[i];
        const std::string carpeta = veredictos_ + "/L" + p.leccion + "/E" + p.etapa;
        mkdir((veredictos_ + "/L" + p.leccion).c_str(), 0700);
        mkdir(carpeta.c_str(), 0700);
        std::vector<std::string> args = {
            pruebas_ + "/" + p.ejecutable,   "--gtest_filter=" + p.nombre,
            "--sockets-arbol=" + arbol_,     "--sockets-leccion=" + p.leccion,
            "--sockets-etapa=" + p.etapa,    "--sockets-veredictos=" + carpeta};
        std::vector<std::string> entorno = {
            "PATH=/usr/bin:/bin", "HOME=" + casa_, "LANG=C.UTF-8", "TMPDIR=/tmp",
            std::string("SOCKETS_ATASCOS=") + (atascos_ ? "1" : "0"),  // deja de esperar a los atascados
            "SOCKETS_PROGRAMAS=" + programas_ + "/" + p.carpeta};
        if (contenedor_) entorno.push_back("SOCKETS_USUARIO=" + std::to_string(uid_) + ":" + std::to_string(gid_));
        else if (!ocultar_.empty()) entorno.push_back("SOCKETS_OCULTAR=" + ocultar_);
        std::vector<char*> av, ev;
        for (auto& a : args) av.push_back(a.data());
        av.push_back(nullptr);
        for (auto& e : entorno) ev.push_back(e.data());
        ev.push_back(nullptr);
        pid_t pid = fork();
        if (pid == 0) {
            int nulo = open("/dev/null", O_RDWR);
            if (nulo >= 0) {
                dup2(nulo, 0);
                dup2(nulo, 1);
                dup2(nulo, 2);
            }
            if (chdir(casa_.c_str()) != 0 && chdir("/") != 0) _exit(127);
            signal(SIGPIPE, SIG_DFL);
            execve(av[0], av.data(), ev.data());
            _exit(127);
        }
        if (pid < 0) {
            anotar(i, "terminó");  // sin veredicto: cuenta como no ejecutada
            if (p.propia()) --propias_[p.leccion].pendientes;
            return;
        }
        EnMarcha m;
        m.indice = i;
        m.fin = fin;
        en_marcha_[pid] = m;
    }

    /// Recoge a los hijos que acabaron (pruebas o huérfanos que nos tocaron) y mata a las
    /// pruebas que pasan de su límite.
    void recoger() {
        while (true) {
            int st = 0;
            pid_t r = waitpid(-1, &st, WNOHANG);
            if (r <= 0) break;
            auto it = en_marcha_.find(r);
            if (it == en_marcha_.end()) continue;
            const EnMarcha& m = it->second;
            anotar(m.indice, !m.motivo.empty() ? m.motivo : m.matada ? "límite" : "terminó");
            const Prueba& p = todas_[m.indice];
            if (p.propia()) {
                Propias& propias = propias_[p.leccion];
                --propias.pendientes;
                if (m.motivo.empty() && !m.matada && WIFEXITED(st) && WEXITSTATUS(st) == 0) ++propias.bien;
            }
            en_marcha_.erase(it);
        }
        const auto ahora = Reloj::now();
        for (auto& [pid, m] : en_marcha_)
            if (ahora >= m.fin && !m.matada) {
                m.matada = true;
                agotado_ = agotado_ || ahora >= fin_total_;
                kill(pid, SIGKILL);
            }
    }

    /// ¿Es `p` un proceso de la entrega (no de confianza)?
    bool de_la_entrega(const Proceso& p) const {
        if (p.estado == 'Z') return false;
        if (contenedor_) return p.uid == uid_;
        return p.pid != 1 && en_marcha_.count(p.pid) == 0;
    }

    /// Mata a todos los procesos de la entrega (no a las pruebas) y espera a que no quede
    /// ninguno.
    void matar_entrega() {
        if (contenedor_) {
            barrer_usuario(uid_, gid_);
            return;
        }
        for (int intento = 0; intento < 500; ++intento) {
            bool queda = false;
            // (Los zombis no cuentan: los recoge su padre, o recoger() si eran huérfanos nuestros.
            // Aquí no se recoge a nadie: podría ser una prueba y perderíamos su fin.)
            for (const auto& p : procesos())
                if (de_la_entrega(p)) {
                    kill(p.pid, SIGKILL);
                    queda = true;
                }
            if (!queda) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

    /// Al empezar y al acabar: no queda nadie de la entrega (ni pruebas).
    void barrer_todo() {
        if (contenedor_) {
            barrer_usuario(uid_, gid_);
        } else {
            for (int intento = 0; intento < 500; ++intento) {
                kill(-1, SIGKILL);  // en el espacio de PID del arenero: todos menos nosotros
                while (waitpid(-1, nullptr, WNOHANG) > 0) {
                }
                bool queda = false;
                for (const auto& p : procesos())
                    if (p.estado != 'Z') queda = true;
                if (!queda) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
    }

    /// Memoria, pruebas paradas y huérfanos.
    void vigilar() {
        const auto todos = procesos();
        long rss = 0;
        std::vector<pid_t> paradas;
        for (const auto& p : todos) {
            if (en_marcha_.count(p.pid) != 0) {
                if (p.estado == 'T') paradas.push_back(p.pid);
                continue;
            }
            if (!de_la_entrega(p)) continue;
            rss += p.rss_kib;
            // Un huérfano: le tocó al ejecutor y no es una prueba. Viene de una prueba que ya
            // acabó (las vivas son «subreaper» de los suyos).
            if (p.ppid == getpid()) kill(p.pid, SIGKILL);
        }
        if (rss > memoria_kib_) {
            std::cerr << "memoria: los procesos de la entrega sumaban " << rss / 1024 << " MiB (tope "
                      << memoria_kib_ / 1024 << " MiB): se matan\n";
            matar_entrega();
            for (auto& [pid, m] : en_marcha_) m.motivo = "memoria";
        }
        if (!paradas.empty()) {
            std::cerr << "detenido: " << paradas.size() << " prueba(s) parada(s) por una señal\n";
            matar_entrega();
            for (pid_t pid : paradas) {
                en_marcha_[pid].motivo = "detenido";
                kill(pid, SIGCONT);
            }
        }
    }

    std::map<std::string, Propias> propias_;  ///< por lección («07»)
    std::string lista_, pruebas_, programas_, veredictos_, arbol_, ocultar_, casa_;
    int limite_prueba_ = 20, limite_total_ = 300, a_la_vez_ = 1;
    long memoria_kib_ = 1 << 20;
    bool contenedor_ = false, valido_ = false, agotado_ = false, atascos_ = true;
    Reloj::time_point fin_total_;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
    std::vector<Prueba> todas_;
    std::map<pid_t, EnMarcha> en_marcha_;
    std::ofstream estado_;
};

}  // namespace

int main(int argc, char** argv) {
    prctl(PR_SET_DUMPABLE, 0UL, 0UL, 0UL, 0UL);
    prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
    signal(SIGPIPE, SIG_IGN);
    base::Opciones o;
    std::string error;
    if (!base::leer_opciones(argc, argv, kOpciones, o, error)) {
        std::cerr << "ejecutor: " << error << "\n";
        return 2;
    }
    const std::string barrer = o.valor("barrer-usuario");
    if (!barrer.empty()) {
        uid_t uid = 0;
        gid_t gid = 0;
        if (!leer_usuario(barrer, uid, gid) || geteuid() != 0) {
            std::cerr << "ejecutor: --barrer-usuario necesita UID:GID (no 0) y ser root\n";
            return 2;
        }
        barrer_usuario(uid, gid);
        return 0;
    }
    Ejecutor e(o);
    if (!e.valido()) {
        std::cerr << "ejecutor: faltan opciones (ver el comentario de tests/corrector/ejecutor.cpp)\n";
        return 2;
    }
    return e.correr();
}
