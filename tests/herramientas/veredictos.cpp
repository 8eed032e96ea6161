/// \file veredictos.cpp
/// \brief sockets: lo que ./tutorial y el meta-test saben de una ejecución de las
///        pruebas, leído de datos y nunca de la consola: la lista de pruebas que registró CTest
///        (`ctest --show-only=json-v1`), el registro JSON de cada prueba y la tabla de etapas.
///
///     sockets ORDEN [--opción=valor...]
///
/// Órdenes (detalle en docs/dev/veredictos.md y en `sockets ayuda`):
///   leccion    lo que imprime «./tutorial check N»
///   progreso   la tabla de «./tutorial progress»
///   recuento   las pruebas que deben pasar en «./tutorial test» (todo salvo lecciones y roto-*)
///   resumen    el resumen entero de «./tutorial test» y su código (resumen.cpp)
///   meta       las comprobaciones (a)-(c) del meta-test
///   limpieza   informes sin inglés de GoogleTest ni UTF-8 escapado, y ningún fallo sin informe
///   borrar     borra los registros de las pruebas de la lista (antes de ejecutarlas)
///   ejecutar   ejecuta una orden como prueba y escribe su registro (pruebas que no son GoogleTest)
///
/// Una prueba registrada sin registro, o con el registro aún «interrumpida», no pasó: su proceso
/// murió o CTest lo mató. Se dice así, nunca como superada.
///
/// Aquí, lo común (presentacion.h) y las órdenes cortas; leccion.cpp, meta.cpp, resumen.cpp y
/// ejecutar.cpp tienen las suyas, y lectura.cpp lee la lista de pruebas y los registros.
#include "presentacion.h"

#include "escaleras.h"
#include "ordenes.h"

#include "base/opciones.h"
#include "base/parche.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace veredictos {

// --- presentación --------------------------------------------------------------------------

Colores c;

void poner_colores(const std::string& modo) {
    bool si = false;
    if (modo == "si" || modo == "siempre") {
        si = true;
    } else if (modo == "auto" || modo.empty()) {
        const char* no = std::getenv("NO_COLOR");
        si = isatty(1) != 0 && (no == nullptr || *no == '\0');
    }
    if (si) c = {"\033[32m", "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[0m"};
}

std::string dos_cifras(int n) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", n);
    return b;
}

/// Sangra cada línea de `s` (sin línea vacía al final).
std::string sangrar(const std::string& s, const std::string& sangria) {
    std::string r;
    std::istringstream in(sin_control(s));
    std::string linea;
    while (std::getline(in, linea)) r += sangria + linea + "\n";
    return r;
}

std::vector<std::string> lineas(const std::string& s) {
    std::vector<std::string> r;
    std::istringstream in(sin_control(s));
    std::string l;
    while (std::getline(in, l)) r.push_back(l);
    return r;
}

bool empieza(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

Callado::Callado() {
    std::cout.flush();
    std::cout.setstate(std::ios::badbit);
}
Callado::~Callado() { std::cout.clear(); }

// --- argumentos ----------------------------------------------------------------------------


[[noreturn]] void uso(const std::string& mensaje) {
    std::cerr << "sockets: " << mensaje << "\n(sockets ayuda: las órdenes)\n";
    std::exit(2);
}

/// Las opciones de todas las órdenes (cada una mira las suyas); `--` deja el resto a «ejecutar».
const std::vector<base::Opcion> kOpciones = {
    {"build", true},        {"pruebas", true},       {"raiz", true},
    {"color", true},        {"arbol", true},         {"leccion", true},    {"todas", false},
    {"siguiente", true},    {"no-compila", true},
    {"corrector", true},    {"rubrica", true},       {"pistas", true},     {"sin-comprobar", false},
    {"v", false},           {"nombre", true},        {"sockets-arbol", true}, {"sockets-registro", true},
    {"docs", true},         {"falta", true},         {"completo", false},  {"sanitizadores", false}};

Argumentos leer_argumentos(int argc, char** argv) {
    Argumentos a;
    if (argc < 2) uso("falta la orden");
    a.orden = argv[1];
    std::string error;
    if (!base::leer_opciones(argc - 1, argv + 1, kOpciones, a, error)) uso(sin_control(error));
    return a;
}

// --- contexto: tabla, pruebas y registros ----------------------------------------------------

/// Ejecuta `argv` y devuelve su salida estándar (para ctest --show-only).
bool capturar(const std::vector<std::string>& argv, std::string& salida, std::string& error) {
    int tubo[2];
    if (pipe(tubo) != 0) {
        error = "pipe: " + std::string(std::strerror(errno));
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        error = "fork: " + std::string(std::strerror(errno));
        return false;
    }
    if (pid == 0) {
        dup2(tubo[1], 1);
        close(tubo[0]);
        close(tubo[1]);
        int nulo = open("/dev/null", O_WRONLY);
        if (nulo >= 0) dup2(nulo, 2);
        std::vector<char*> v;
        for (const auto& s : argv) v.push_back(const_cast<char*>(s.c_str()));
        v.push_back(nullptr);
        execvp(v[0], v.data());
        _exit(127);
    }
    close(tubo[1]);
    char buf[65536];
    ssize_t n;
    while ((n = read(tubo[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) salida.append(buf, static_cast<std::size_t>(n));
    close(tubo[0]);
    int estado = 0;
    while (waitpid(pid, &estado, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(estado) || WEXITSTATUS(estado) != 0) {
        error = argv[0] + " " + argv[1] + " … terminó con error";
        return false;
    }
    return true;
}


/// Carga la tabla, la lista de pruebas (--pruebas=FICHERO, o ctest --show-only en --build) y
/// los registros. Sale con 2 y un mensaje en español si algo de eso no se puede leer.
Contexto cargar(const Argumentos& a, bool con_tabla) {
    Contexto ctx;
    std::string error;
    ctx.build = a.valor("build");
    if (con_tabla) ctx.tabla = base::tabla();  // la de etapas.tsv al configurar (base/etapas.h)
    std::vector<std::string> listas;  // --pruebas puede repetirse: las listas se juntan
    if (a.hay("pruebas")) {
        for (const auto& f : a.todos("pruebas")) {
            listas.emplace_back();
            if (!leer_fichero(f, 256u * 1024 * 1024, listas.back(), error)) uso("la lista de pruebas: " + error);
        }
    } else if (!ctx.build.empty()) {
        listas.emplace_back();
        if (!capturar({"ctest", "--test-dir", ctx.build, "--show-only=json-v1"}, listas.back(), error))
            uso(error);
    } else {
        uso("di de dónde sale la lista de pruebas: --pruebas=FICHERO o --build=CARPETA");
    }
    for (const auto& lista_json : listas)
        if (!leer_lista(lista_json, ctx.pruebas, error)) uso(error);
    leer_registros(ctx.pruebas);
    return ctx;
}

// --- informes ------------------------------------------------------------------------------

std::string titulo_etapa(const Contexto& ctx, int etapa) {
    const Etapa* e = ctx.tabla.etapa(etapa);
    return e != nullptr ? e->titulo : "etapa " + dos_cifras(etapa);
}

/// La cabecera de un informe que redacta esta herramienta (cuando no hay informe en el registro).
std::string cabecera(const Contexto& ctx, const Prueba& p) {
    if (p.etapa < 0) return "✗ " + p.nombre;
    return "✗ Etapa " + dos_cifras(p.etapa) + " · " + titulo_etapa(ctx, p.etapa);
}

std::string como_verla(const Contexto& ctx, const Prueba& p) {
    std::string regex = p.nombre;
    std::string escapado;
    for (char ch : regex) {
        if (std::strchr(".[]()*+?^$|\\{}", ch) != nullptr) escapado += '\\';
        escapado += ch;
    }
    return "ctest --test-dir " + (ctx.build.empty() ? std::string("build/…") : ctx.build) +
           " -R '^" + escapado + "$' --output-on-failure";
}

/// Lo que se dice de una prueba sin informe propio (sin registro, interrumpida, ilegible…).
std::string informe_redactado(const Contexto& ctx, const Prueba& p) {
    std::string s = cabecera(ctx, p) + "\n";
    switch (p.estado) {
        case Estado::sin_registro:
            s += "  la prueba no dejó veredicto: su proceso murió antes de escribirlo, o no llegó a\n"
                 "  ejecutarse. No cuenta como superada.\n";
            s += "  pista:     ejecútala sola para ver qué pasa: " + como_verla(ctx, p) + "\n";
            break;
        case Estado::interrumpida:
            s += "  la prueba empezó y no terminó: su proceso murió, o CTest lo mató al vencer el\n"
                 "  límite de tiempo de la prueba. No cuenta como superada.\n";
            s += "  pista:     ¿se queda tu programa esperando sin fin, o lo mata una señal? "
                 "Ejecútala sola: " +
                 como_verla(ctx, p) + "\n";
            break;
        case Estado::ilegible:
            s += "  el registro de la prueba no se puede leer (" + sin_control(p.problema) +
                 "): no cuenta como superada.\n  registro:  " + p.registro + "\n";
            break;
        case Estado::sin_veredicto:
            s += "  esta prueba no escribe registro de veredicto (su registro en CMake no le pasa\n"
                 "  --sockets-veredictos): es un error del tutorial, no tuyo.\n";
            break;
        default: {
            const auto& sin = p.datos.fallos_sin_informe;
            s += "  la prueba falló sin informe en español (un error de la prueba, no tuyo):\n";
            for (const auto& f : sin) s += sangrar(f, "    ");
            if (sin.empty()) s += "    (el registro no trae ningún informe)\n";
        }
    }
    return s;
}

/// Los informes de una prueba fallida (texto ya redactado por el arnés).
std::vector<std::string> informes(const Contexto& ctx, const Prueba& p) {
    std::vector<std::string> r;
    if (p.estado == Estado::fallida) {
        for (const auto& i : p.datos.informes)
            if (!i.texto.empty()) r.push_back(i.texto);
    }
    if (r.empty()) r.push_back(informe_redactado(ctx, p));
    return r;
}

/// El primer informe del registro (uno vacío si no hay).
const base::InformeRegistro& primer_informe(const Prueba& p) {
    static const base::InformeRegistro vacio;
    return p.datos.informes.empty() ? vacio : p.datos.informes[0];
}

/// La etapa del primer informe (la de la prueba si no hay informe).
int etapa_del_informe(const Prueba& p) {
    return p.datos.informes.empty() ? p.etapa : p.datos.informes[0].etapa;
}

/// Un programa que acabó mal: murió por una señal, el arnés lo mató por plazo o salió con código
/// distinto de 0. nullptr si ninguno.
/// El código con que está saliendo un programa que la prueba dejó parado justo en
/// exit_group(N) (estado «vivo», donde «_exit(N) (exit_group en el núcleo)»; los registros
/// antiguos, «exit_group(N)»); -1 si no es el caso.
int saliendo_con(const base::ProgramaRegistro& prog) {
    const std::string& donde = prog.donde;
    for (const char* llamada : {"_exit(", "exit_group(", "exit("}) {
        const std::string l = llamada;
        if (prog.estado != "vivo" || !empieza(donde, l)) continue;
        const std::string n = donde.substr(l.size(), donde.find(')') - l.size());
        if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos) return -1;
        return std::atoi(n.c_str());
    }
    return -1;
}

const base::ProgramaRegistro* programa_anormal(const Prueba& p, bool con_errores) {
    for (const auto& prog : p.datos.programas) {
        const std::string& e = prog.estado;
        const bool anormal = e == "señal" || e == "límite" ||
                             (e == "terminó" && prog.codigo != 0) || saliendo_con(prog) > 0;
        if (!anormal) continue;
        if (con_errores && prog.errores.find_first_not_of(" \n\t") == std::string::npos)
            continue;
        return &prog;
    }
    return nullptr;
}

std::string como_acabo(const base::ProgramaRegistro& prog) {
    std::string s = "tu programa (" + sin_control(prog.orden) + ") ";
    if (saliendo_con(prog) > 0) return s + "terminó con código " + std::to_string(saliendo_con(prog));
    if (prog.estado == "límite") s += "se colgó: ";
    return s + sin_control(prog.descripcion);
}

std::string pista_corta(const Contexto& ctx, const Prueba& p) {
    if (p.estado == Estado::fallida) {
        std::string pista = sin_control(primer_informe(p).pista);
        std::replace(pista.begin(), pista.end(), '\n', ' ');  // una sola línea
        if (!pista.empty()) return "pista: " + pista;
        // Sin pista: la primera línea de lo observado.
        auto observado = lineas(primer_informe(p).observado);
        if (!observado.empty()) return "observado: " + observado[0];
        if (!p.datos.fallos_sin_informe.empty())
            return "falló sin informe en español (un error de la prueba, no tuyo)";
        return "falló sin informe";
    }
    switch (p.estado) {
        case Estado::sin_registro: return "no dejó veredicto: su proceso murió o no llegó a ejecutarse";
        case Estado::interrumpida: return "no terminó: su proceso murió o CTest lo mató por tiempo";
        case Estado::ilegible: return "su registro no se puede leer (" + sin_control(p.problema) + ")";
        case Estado::sin_veredicto: return "no escribe registro de veredicto (error del tutorial)";
        default: (void)ctx; return "";
    }
}

/// «tu programa terminó con: …»: las últimas líneas de su stderr si acabó mal (la del error con
/// que terminó es la última: nunca se corta). Vacío si el primer informe ya la cita (el informe
/// de la causa, tests/arnes/causa.cpp).
std::string termino_con(const Prueba& p) {
    const base::ProgramaRegistro* prog = programa_anormal(p, true);
    if (prog == nullptr) return "";
    std::vector<std::string> llenas;
    for (const auto& l : lineas(prog->errores))
        if (l.find_first_not_of(" \t") != std::string::npos) llenas.push_back(l);
    if (llenas.empty()) return "";
    if (primer_informe(p).observado.find(llenas.back()) != std::string::npos) return "";
    std::string r;
    for (std::size_t k = llenas.size() > 3 ? llenas.size() - 3 : 0; k < llenas.size(); ++k)
        r += (r.empty() ? "" : "\n                          ") + llenas[k];
    return r;
}

/// Ordena los fallos: la causa primero. Si la etapa propia (`propia`) tiene algún fallo, sus
/// fallos van delante, por pasos (etapas.tsv) si los tiene; después, los de las demás etapas de
/// menor a mayor. Dentro de cada paso, primero las pruebas que reconocieron un síntoma (lo que
/// hace mal el programa: campo «sintomas»), que dicen la causa y no solo la consecuencia.
std::vector<const Prueba*> ordenar_fallos(const Tabla& tabla, std::vector<const Prueba*> fallos,
                                          int propia) {
    bool hay_propia = std::any_of(fallos.begin(), fallos.end(),
                                  [&](const Prueba* p) { return p->etapa == propia; });
    std::stable_sort(fallos.begin(), fallos.end(), [&](const Prueba* x, const Prueba* y) {
        auto clave = [&](const Prueba* p) {
            return std::make_tuple(hay_propia && p->etapa != propia ? 1 : 0, p->etapa,
                                   tabla.paso_de(p->etapa, p->caso),
                                   p->datos.sintomas.empty() ? 1 : 0, p->orden);
        };
        return clave(x) < clave(y);
    });
    return fallos;
}

/// Por paso de la etapa `n` (etapas.tsv): {pruebas, fallidas, omitidas} de las pruebas de esa etapa.
std::map<int, std::array<int, 3>> cuenta_por_paso(const Tabla& tabla,
                                                   const std::vector<const Prueba*>& pruebas, int n) {
    std::map<int, std::array<int, 3>> r;
    for (const Prueba* p : pruebas) {
        if (p->etapa != n) continue;
        auto& k = r[tabla.paso_de(n, p->caso)];
        ++k[0];
        if (!pasa(p->estado)) ++k[1];
        else if (p->estado == Estado::omitida) ++k[2];
    }
    return r;
}

/// El paso en el que está el alumno: el primero con fallos (0 si ninguno o si no hay pasos).
int paso_actual(const Tabla& tabla, const std::vector<const Prueba*>& pruebas, int n) {
    auto cuenta = cuenta_por_paso(tabla, pruebas, n);
    for (int k = 1; k <= tabla.pasos_de(n); ++k)
        if (cuenta[k][1] > 0) return k;
    return 0;
}

std::vector<const Prueba*> de_la_leccion(const Contexto& ctx, const std::string& arbol, int n) {
    std::vector<const Prueba*> r;
    for (const auto& p : ctx.pruebas)
        if (p.arbol == arbol && p.leccion == n) r.push_back(&p);
    return r;
}

std::string leer_donde(const Contexto& ctx, const Prueba& p, int leccion) {
    const base::Leer& leer = primer_informe(p).leer;
    std::string pagina = sin_control(leer.pagina);
    std::string seccion = sin_control(leer.seccion);
    std::string man = sin_control(leer.man);
    if (pagina.empty()) {
        const Etapa* e = ctx.tabla.etapa(p.etapa > 0 ? p.etapa : leccion);
        if (e != nullptr) pagina = e->pagina;
    }
    std::string s = c.N + (pagina.empty() ? std::string("docs/") : pagina) + c.F;
    if (!seccion.empty()) s += ", sección «" + seccion + "»";
    if (!man.empty()) s += "; " + man;
    return s;
}

// --- progreso --------------------------------------------------------------------------------

int orden_progreso(const Argumentos& a, CuentasProgreso* cuentas) {
    Contexto ctx = cargar(a);
    const std::string arbol = a.valor("arbol", "lessons");
    std::set<int> no_compila;
    if (a.hay("no-compila"))
        for (const auto& v : a.todos("no-compila")) no_compila.insert(std::atoi(v.c_str()));

    std::cout << "   Lección  Etapa              Pruebas   Estado\n";
    const Etapa* toca = nullptr;
    int lecciones = 0, superadas = 0;
    for (const auto& e : ctx.tabla.etapas) {
        if (!e.tiene_leccion()) continue;
        ++lecciones;
        int total = 0, fallan = 0, sin_probar = 0;
        for (const Prueba* p : de_la_leccion(ctx, arbol, e.numero)) {
            ++total;
            if (!pasa(p->estado)) ++fallan;
            if (p->estado == Estado::sin_registro) ++sin_probar;
        }
        std::string estado;
        bool bien = false;
        if (no_compila.count(e.numero) != 0)
            estado = c.R + "✗ no compila" + c.F;
        else if (total == 0)
            estado = c.R + "✗ sin pruebas" + c.F;
        else if (sin_probar == total)  // nunca probada, o reiniciada (./tutorial reset)
            estado = c.T + "· sin probar" + c.F;
        else if (fallan > 0)
            estado = c.R + "✗" + c.F;
        else {
            estado = c.V + "✓" + c.F;
            bien = true;
            ++superadas;
        }
        std::string linea = rellenar(e.nn, 8) + " " + rellenar(e.titulo, 18) + " " +
                            rellenar(sin_probar == total && total > 0 ? std::string("-")
                                                                      : std::to_string(total - fallan) + "/" + std::to_string(total),
                                     9) +
                            " " + estado;
        if (toca == nullptr && !bien) {
            toca = &e;
            std::cout << c.N << "→  " << linea << c.N << "   ← te toca esta" << c.F << "\n";
        } else {
            std::cout << "   " << linea << "\n";
        }
    }
    if (cuentas != nullptr) *cuentas = {superadas, lecciones, toca != nullptr ? toca->numero : 0};
    std::cout << "\n";
    if (toca != nullptr) {
        std::cout << "Siguiente paso: ./tutorial check " << toca->numero << "   (lee " << toca->pagina
                  << ")\n";
        return 1;
    }
    std::cout << c.V << "✓" << c.F << " " << c.N << "¡Todas las lecciones superadas!" << c.F << "\n";
    return 0;
}

// --- recuento --------------------------------------------------------------------------------

/// ¿Debe pasar? Todo salvo el trabajo del alumno (lecciones) y las entregas rotas (roto-*), que
/// juzga el meta-test.
bool debe_pasar(const Prueba& p) { return p.arbol != "lessons" && !empieza(p.arbol, "roto-"); }

std::string nombre_grupo(const std::string& arbol) {
    if (arbol == "arnes") return "arnés (autoprueba)";
    if (arbol == "docs") return "documentación";
    if (arbol == "solutions") return "soluciones (solutions/)";
    if (arbol == "lessons") return "tus lecciones (lessons/)";
    return arbol;
}

int orden_recuento(const Argumentos& a) {
    Contexto ctx = cargar(a, false);
    std::vector<std::string> grupos;
    std::map<std::string, std::pair<int, std::vector<const Prueba*>>> g;  // total, fallos
    int fallan = 0;
    for (const auto& p : ctx.pruebas) {
        if (!debe_pasar(p)) continue;
        if (g.count(p.arbol) == 0) grupos.push_back(p.arbol);
        auto& k = g[p.arbol];
        ++k.first;
        if (!pasa(p.estado)) {
            ++fallan;
            k.second.push_back(&p);
        }
    }
    const Prueba* primera = nullptr;
    for (const auto& n : grupos) {
        const auto& [total, malas] = g[n];
        if (malas.empty()) {
            std::cout << c.V << "✓" << c.F << " " << nombre_grupo(n) << ": " << total
                      << (total == 1 ? " prueba superada" : " pruebas superadas") << "\n";
            continue;
        }
        std::cout << c.R << "✗" << c.F << " " << nombre_grupo(n) << ": fallan " << malas.size()
                  << " de " << total << "\n";
        for (std::size_t k = 0; k < malas.size() && k < 10; ++k)
            std::cout << "    " << malas[k]->nombre << c.T << " — " << pista_corta(ctx, *malas[k])
                      << c.F << "\n";
        if (malas.size() > 10) std::cout << "    … y " << malas.size() - 10 << " más\n";
        if (primera == nullptr) primera = malas[0];
    }
    if (grupos.empty()) {
        std::cout << c.R << "✗" << c.F << " no se ejecutó ninguna prueba que deba pasar\n";
        fallan = 1;
    }
    if (primera != nullptr) {
        std::cout << "  La primera (" << primera->nombre << "):\n";
        auto ls = lineas(informes(ctx, *primera)[0]);
        for (std::size_t k = 0; k < ls.size() && k < 30; ++k) std::cout << "    " << ls[k] << "\n";
    }
    return fallan == 0 ? 0 : 1;
}

// --- limpieza --------------------------------------------------------------------------------

/// Frases de GoogleTest (en inglés) que no deben llegar a un informe.
const char* const kIngles[] = {"Value of:",   "Expected:",     "Actual:",         "Which is:",
                               "Expected equality", "Failure", "to be true",     "to be false",
                               "Unknown error", "Success",     "C++ exception",   "thrown in the test body",
                               "Google Test", "Death test",    "Mock function"};

int orden_limpieza(const Argumentos& a) { return limpieza(cargar(a, false)); }

int limpieza(const Contexto& ctx) {
    int registros = 0, problemas = 0;
    auto mal = [&](const Prueba& p, const std::string& s) {
        if (problemas < 200) std::cout << "  " << c.R << "✗" << c.F << " " << p.nombre << ": " << s << "\n";
        ++problemas;
    };
    for (const auto& p : ctx.pruebas) {
        if (!p.leido) continue;
        ++registros;
        int k = 0;
        for (const auto& i : p.datos.informes) {
            ++k;
            std::set<std::string> vistos;
            for (const std::string* campo : {&i.texto, &i.entrada, &i.esperado, &i.observado, &i.pista}) {
                const std::string& t = *campo;
                for (const char* frase : kIngles)
                    if (t.find(frase) != std::string::npos && vistos.insert(frase).second)
                        mal(p, "el informe " + std::to_string(k) + " tiene inglés de GoogleTest: «" + frase + "»");
                const std::string u = base::utf8_escapado(t);
                if (!u.empty() && vistos.insert("\\x").second)
                    mal(p, "el informe " + std::to_string(k) + " escribe UTF-8 como bytes escapados: «" + u + "»");
            }
        }
        for (const auto& f : p.datos.fallos_sin_informe) {
            std::string t = f;
            auto salto = t.find('\n');
            if (salto != std::string::npos) t = t.substr(0, salto) + " …";
            mal(p, "fallo sin informe en español: " + sin_control(t.substr(0, 300)));
        }
    }
    if (problemas > 200) std::cout << "  … y " << problemas - 200 << " problemas más\n";
    if (problemas == 0) {
        std::cout << c.V << "✓" << c.F << " limpieza: " << registros
                  << " registros sin inglés de GoogleTest, sin UTF-8 escapado y sin fallos sin informe\n";
        return 0;
    }
    std::cout << c.R << "✗" << c.F << " limpieza: " << problemas << " problemas en los informes de "
              << registros << " registros\n";
    return 1;
}

// --- borrar ----------------------------------------------------------------------------------

int orden_borrar(const Argumentos& a) {
    Contexto ctx = cargar(a, false);
    int n = 0;
    for (const auto& p : ctx.pruebas)
        if (!p.registro.empty() && std::remove(p.registro.c_str()) == 0) ++n;
    if (a.hay("v")) std::cout << "borrados " << n << " registros\n";
    return 0;
}

}  // namespace veredictos


int progreso_contado(int argc, char** argv, bool mostrar, int& superadas, int& lecciones, int& actual) {
    using namespace veredictos;
    Argumentos a = leer_argumentos(argc, argv);
    poner_colores(a.valor("color", "auto"));
    CuentasProgreso cuentas;
    int codigo = 0;
    if (mostrar) {
        codigo = orden_progreso(a, &cuentas);
    } else {
        Callado callado;
        codigo = orden_progreso(a, &cuentas);
    }
    superadas = cuentas.superadas;
    lecciones = cuentas.lecciones;
    actual = cuentas.actual;
    return codigo;
}

int orden_veredictos(int argc, char** argv) {
    using namespace veredictos;
    Argumentos a = leer_argumentos(argc, argv);
    poner_colores(a.valor("color", "auto"));
    try {
        if (a.orden == "leccion") return orden_leccion(a);
        if (a.orden == "progreso") return orden_progreso(a);
        if (a.orden == "recuento") return orden_recuento(a);
        if (a.orden == "meta") return orden_meta(a);
        if (a.orden == "limpieza") return orden_limpieza(a);
        if (a.orden == "borrar") return orden_borrar(a);
        if (a.orden == "ejecutar") return orden_ejecutar(a);
        if (a.orden == "resumen") return orden_resumen(a);
    } catch (const std::exception& e) {
        // No debería pasar (todo se lee sin excepciones), pero nunca un volcado de C++.
        std::cerr << "sockets: error inesperado leyendo los veredictos: " << e.what() << "\n";
        return 2;
    }
    uso("orden desconocida «" + sin_control(a.orden) + "»");
}

