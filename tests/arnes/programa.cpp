/// \file programa.cpp
/// \brief Programa: la API con la que una prueba lanza un programa, espera su fin o sus
///        llamadas, lo retiene y lo suelta, y lo resume para un informe.
///
/// Un Programa es su Estado (interno.h), que comparten tres hilos: el de la prueba (esta API),
/// el vigía (lanzamiento.cpp: fork, exec, traza o espera) y el lector (captura.cpp: stdout,
/// stderr y límite). La higiene en /proc (grupo, hijos, zombis, descriptores) está en
/// higiene.cpp; el aislamiento, en aislamiento.cpp; el trazador, tras su interfaz traza.h.
#include "arnes/interno.h"

#include "arnes/higiene.h"
#include "base/texto.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <utility>

namespace arnes {

namespace {

/// El testigo (interno.h): ninguno hasta que el main() de las pruebas lo pone.
Testigo g_testigo;

/// Escapa un argumento para mostrarlo en «entrada:» si tiene espacios o está vacío.
std::string citar(const std::string& arg) {
    if (!arg.empty() && arg.find_first_of(" \t\n'\"") == std::string::npos) return arg;
    std::string r = "'";
    for (char c : arg) r += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    return r + "'";
}

/// Las últimas `n` líneas de `texto`, sangradas con dos espacios.
std::string ultimas_lineas(const std::string& texto, std::size_t n) {
    if (texto.empty()) return "  (nada)\n";
    std::vector<std::string> lineas;
    std::istringstream is(texto);
    for (std::string l; std::getline(is, l);) lineas.push_back(l);
    std::string r;
    std::size_t desde = lineas.size() > n ? lineas.size() - n : 0;
    if (desde > 0) r += "  (… " + cuenta(desde, "línea", "líneas") + " antes)\n";
    for (std::size_t i = desde; i < lineas.size(); ++i) r += "  " + lineas[i] + "\n";
    return r;
}

/// Lo que el veredicto de la prueba cuenta de este programa (con `m` tomado, antes de matarlo).
ProgramaVisto visto_con_candado(const Programa::Estado& e, const std::string& orden) {
    ProgramaVisto v;
    v.orden = orden;
    // Su stderr: el principio y, sobre todo, el final, donde queda la línea de error con la que
    // terminó (nunca se corta esa). Sin partir un carácter UTF-8.
    constexpr std::size_t kPrincipio = 1024, kFinal = 3072;
    const std::string& err = e.errores;
    if (err.size() <= kPrincipio + kFinal) {
        v.errores = err;
    } else {
        const std::size_t a = base::corte_atras(err, kPrincipio);
        const std::size_t b = base::corte_adelante(err, err.size() - kFinal);
        v.errores = err.substr(0, a) + "\n… (" + cuenta(b - a, "byte", "bytes") + " de stderr sin mostrar)\n" +
                    err.substr(b);
    }
    v.descartado = e.descartado;
    for (const auto& l : e.tr.llamadas) v.provocados += l.provocado ? 1 : 0;
    if (e.pid <= 0) {
        v.estado = "no_lanzado";
        v.descripcion = "no se pudo lanzar";
    } else if (!e.fin) {
        v.estado = "vivo";
        v.descripcion = "seguía vivo al acabar la prueba";
        v.donde = donde_con_candado(e, 0);
    } else if (e.fin->por_arnes) {
        v.estado = e.por_limite ? "límite" : "vivo";
        v.senal = e.fin->senal;
        v.descripcion = e.por_limite ? "el arnés lo mató al vencer su plazo de " +
                                           std::to_string(e.opciones.limite.count()) + " ms"
                                     : "la prueba lo paró";
        v.donde = e.donde_al_morir;
    } else if (e.fin->por_senal) {
        v.estado = "señal";
        v.senal = e.fin->senal;
        v.descripcion = e.fin->texto();
    } else {
        v.estado = "terminó";
        v.codigo = e.fin->codigo;
        v.descripcion = e.fin->texto();
    }
    return v;
}

}  // namespace

std::string donde_con_candado(const Programa::Estado& e, pid_t pid) {
    if (pid == 0) pid = e.pid;
    if (pid <= 0) return "";
    if (pid == e.pid && e.fin) return "";
    if (e.trazado && !e.traza_terminada) {
        if (std::find(e.tr.trazados.begin(), e.tr.trazados.end(), pid) == e.tr.trazados.end()) return "";
        for (auto it = e.tr.llamadas.rbegin(); it != e.tr.llamadas.rend(); ++it)
            if (it->pid == pid) {
                if (!it->terminada) return it->texto();
                break;
            }
    }
    return donde_segun_proc(pid);
}

Programa::Programa(std::string ruta, std::vector<std::string> args, Opciones opciones)
    : estado_(std::make_shared<Estado>()) {
    preparar_proceso_de_prueba();
    Estado& e = *estado_;
    e.ruta = std::move(ruta);
    e.args = std::move(args);
    e.opciones = std::move(opciones);
    e.inicio = Reloj::now();
    e.limite = e.inicio + e.opciones.limite;
    e.tr.retener = e.opciones.retener_en;
    e.tr.fallos = e.opciones.fallos;
    e.tr.escritura_maxima = e.opciones.escritura_maxima;
    e.despertador = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    e.vigia = std::thread(vigilar, &e);
    {
        std::unique_lock<std::mutex> candado(e.m);
        e.cv.wait(candado, [&] { return e.lanzado; });
    }
    e.lector = std::thread(leer, &e);
    registrar_programa(&e);
}

Programa::~Programa() {
    Estado& e = *estado_;
    olvidar_programa(&e);
    {
        std::unique_lock<std::mutex> candado(e.m);
        // Si terminó solo, lo que escribió antes de acabar (su línea de error) puede seguir en los
        // tubos: se espera a que el lector los vacíe, para que el veredicto la tenga entera.
        if (e.fin && !e.fin->por_arnes)
            e.cv.wait_for(candado, Ms{500}, [&] { return e.drenado_tras_fin || e.lector_terminado; });
        if (g_testigo.programa != nullptr) g_testigo.programa(visto_con_candado(e, orden()));
        if (!e.vigia_terminado && !e.matado) {
            e.matado = true;
            e.ms_muerte = e.ms_desde_inicio();
        }
        e.matar_todo_con_candado();
    }
    if (e.vigia.joinable()) e.vigia.join();
    {
        std::lock_guard<std::mutex> candado(e.m);
        e.parar = true;
    }
    e.despertar_lector();
    if (e.lector.joinable()) e.lector.join();
    vaciar_grupo(e.pid, Ms{2000});
    for (int fd : {e.fd_entrada, e.fd_salida, e.fd_errores, e.despertador})
        if (fd >= 0) close(fd);
    // ./tutorial traza ejecuta la prueba que falla para ver sus llamadas: se las deja en un fichero.
    if (const char* volcado = std::getenv("SOCKETS_TRAZA_VOLCADO");
        volcado != nullptr && *volcado != '\0' && g_testigo.traza != nullptr)
        g_testigo.traza(volcado, orden(), e.pid, e.tr.llamadas,
                        e.fin ? e.fin->texto() : "seguía vivo y lo paró la prueba");
}

void poner_testigo(const Testigo& testigo) { g_testigo = testigo; }

pid_t Programa::pid() const { return estado_->pid; }

std::string Programa::orden() const {
    std::string r = estado_->ruta.substr(estado_->ruta.rfind('/') + 1);
    for (const auto& a : estado_->args) r += " " + citar(a);
    return r;
}

bool Programa::trazado() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->trazado;
}

std::string Programa::motivo_sin_traza() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->motivo_sin_traza;
}

std::optional<Fin> Programa::esperar_fin(Ms plazo) {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    Espera espera(Reloj::now() + plazo);
    espera.esperar_a(candado, e.cv, [&] { return e.fin.has_value(); });
    // Un instante más para que el lector recoja lo que el programa escribió antes de acabar.
    if (e.fin)
        e.cv.wait_until(candado, std::max(espera.fin(), Reloj::now() + Ms{500}),
                        [&] { return e.drenado_tras_fin || e.lector_terminado; });
    return e.fin;
}

bool Programa::vivo() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->pid > 0 && !estado_->fin;
}

void Programa::senal(int numero) {
    std::lock_guard<std::mutex> candado(estado_->m);
    if (estado_->pid > 0 && !estado_->fin) kill(estado_->pid, numero);
}

void Programa::matar() {
    Estado& e = *estado_;
    {
        std::unique_lock<std::mutex> candado(e.m);
        if (!e.vigia_terminado && !e.matado) {
            e.donde_al_morir = donde_con_candado(e, 0);
            e.matado = true;
            e.ms_muerte = e.ms_desde_inicio();
        }
        e.matar_todo_con_candado();
        e.cv.wait_for(candado, Ms{5000}, [&] { return e.vigia_terminado; });
    }
    vaciar_grupo(e.pid, Ms{2000});
}

std::vector<Llamada> Programa::llamadas() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->tr.llamadas;
}

std::vector<Llamada> Programa::llamadas(std::string_view nombre) const {
    std::lock_guard<std::mutex> candado(estado_->m);
    std::vector<Llamada> r;
    for (const auto& l : estado_->tr.llamadas)
        if (coincide_nombre(nombre, l.nombre)) r.push_back(l);
    return r;
}

std::optional<Llamada> Programa::esperar_llamada(
    const std::function<bool(const Llamada&)>& condicion, Ms plazo, bool terminada) {
    Estado& e = *estado_;
    Espera espera(Reloj::now() + plazo);
    std::unique_lock<std::mutex> candado(e.m);
    std::size_t siguiente = 0;             // primera llamada aún sin mirar
    std::vector<std::size_t> pendientes;   // llamadas vistas sin terminar: se vuelven a mirar
    auto buscar = [&]() -> std::optional<Llamada> {
        for (auto it = pendientes.begin(); it != pendientes.end();) {
            const Llamada& l = e.tr.llamadas[*it];
            if (!l.terminada) {
                ++it;
                continue;
            }
            if (condicion(l)) return l;
            it = pendientes.erase(it);
        }
        for (; siguiente < e.tr.llamadas.size(); ++siguiente) {
            const Llamada& l = e.tr.llamadas[siguiente];
            if (terminada && !l.terminada)
                pendientes.push_back(siguiente);
            else if (condicion(l))
                return l;
        }
        return std::nullopt;
    };
    while (true) {
        if (auto l = buscar()) return l;
        if (e.traza_terminada || !espera.esperar(candado, e.cv)) {
            if (auto l = buscar()) return l;  // lo que llegó en el último tramo
            return std::nullopt;
        }
    }
}

std::optional<Llamada> Programa::esperar_llamada(std::string_view nombre, Ms plazo) {
    std::string nombres(nombre);
    return esperar_llamada([&](const Llamada& l) { return coincide_nombre(nombres, l.nombre); },
                           plazo, true);
}

void Programa::retener_en(std::string_view nombre) {
    std::lock_guard<std::mutex> candado(estado_->m);
    estado_->tr.retener = std::string(nombre);
}

bool Programa::esperar_retenido(Ms plazo) {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    Espera espera(Reloj::now() + plazo);
    espera.esperar_a(candado, e.cv, [&] { return !e.tr.retenidos.empty() || e.traza_terminada; });
    return !e.tr.retenidos.empty();
}

void Programa::soltar() {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    e.tr.retener.clear();
    if (e.tr.retenidos.empty() || e.traza_terminada) return;
    e.tr.peticion_soltar = true;
    // El vigía puede estar bloqueado en waitpid(): se le despierta con una señal, y se insiste
    // por si llegó justo antes de que entrara en waitpid().
    const auto fin = Reloj::now() + Ms{2000};
    while (e.tr.peticion_soltar && !e.traza_terminada && Reloj::now() < fin) {
        pthread_kill(e.hilo_vigia, senal_despertador());
        e.cv.wait_for(candado, Ms{5}, [&] { return !e.tr.peticion_soltar || e.traza_terminada; });
    }
}

bool Programa::esperar_terminado(pid_t pid, Ms plazo) {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    Espera espera(Reloj::now() + plazo);
    return espera.esperar_a(candado, e.cv, [&] {
        return e.traza_terminada ||
               std::find(e.tr.trazados.begin(), e.tr.trazados.end(), pid) == e.tr.trazados.end();
    });
}

std::string Programa::donde_esta(pid_t pid) const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return donde_con_candado(*estado_, pid);
}

std::string Programa::resumen() const {
    Estado& e = *estado_;
    std::unique_lock<std::mutex> candado(e.m);
    // Lo que el programa ya escribió puede seguir en los tubos, sin leer. Se despierta al lector
    // dos veces, esperando cada vez a que termine una vuelta (la primera pudo empezar antes de que
    // llegaran esos datos; la segunda empieza después y los recoge), 250 ms como mucho cada una.
    // Así el informe no dice «stdout: (nada)» de un programa que sí escribió.
    for (int i = 0; i < 2 && !e.lector_terminado && e.pid > 0; ++i) {
        const auto vuelta = e.vueltas_lector;
        e.despertar_lector();
        e.cv.wait_for(candado, std::chrono::milliseconds(250),
                      [&] { return e.vueltas_lector > vuelta || e.lector_terminado; });
    }
    std::ostringstream os;
    os << orden() << ": ";
    if (e.pid <= 0) {
        os << "no se pudo lanzar";
    } else if (!e.fin) {
        std::string donde = donde_con_candado(e, 0);
        os << "el programa seguía vivo a los " << e.ms_desde_inicio() << " ms";
        if (donde == "en ejecución")
            os << ", en ejecución (no estaba bloqueado)";
        else if (!donde.empty())
            os << ", bloqueado en " << donde;
    } else if (e.fin->por_arnes) {
        if (e.por_limite)
            os << "el arnés lo mató tras " << e.ms_muerte << " ms (límite de "
               << e.opciones.limite.count() << " ms)";
        else
            os << "la prueba lo mató a los " << e.ms_muerte << " ms";
        if (e.donde_al_morir == "en ejecución")
            os << "; estaba en ejecución (no bloqueado)";
        else if (!e.donde_al_morir.empty())
            os << "; estaba bloqueado en " << e.donde_al_morir;
    } else {
        os << e.fin->texto() << " a los " << e.ms_desde_inicio(e.momento_fin) << " ms";
    }
    os << "\n";
    if (!e.trazado && e.opciones.trazar) os << "(sin traza: " << e.motivo_sin_traza << ")\n";
    if (!e.atasco.empty())
        os << "(el arnés dejó de esperarlo antes del plazo: " << e.atasco << ")\n";
    os << "stdout:\n" << ultimas_lineas(e.salida, 12);
    os << "stderr:\n" << ultimas_lineas(e.errores, 12);
    if (e.descartado > 0)
        os << "(" << (e.descartado == 1 ? "se descartó " : "se descartaron ")
           << cuenta(e.descartado, "byte", "bytes") << " de salida por pasar del tope)\n";
    std::string r = os.str();
    if (!r.empty() && r.back() == '\n') r.pop_back();
    return r;
}

}  // namespace arnes
