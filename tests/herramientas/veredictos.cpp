/// \file veredictos.cpp
/// \brief sockets_veredictos: lo que ./tutorial y el meta-test saben de una ejecución de las
///        pruebas, leído de datos y nunca de la consola: la lista de pruebas que registró CTest
///        (`ctest --show-only=json-v1`), el registro JSON de cada prueba y la tabla de etapas.
///
///     sockets_veredictos ORDEN [--opción=valor...]
///
/// Órdenes (detalle en docs/dev/veredictos.md y en `sockets_veredictos ayuda`):
///   leccion    lo que imprime «./tutorial check N»
///   progreso   la tabla de «./tutorial progress»
///   recuento   las pruebas que deben pasar en «./tutorial test» (todo salvo lecciones y roto-*)
///   meta       las comprobaciones (a)-(c) del meta-test
///   limpieza   informes sin inglés de GoogleTest ni UTF-8 escapado, y ningún fallo sin informe
///   borrar     borra los registros de las pruebas de la lista (antes de ejecutarlas)
///   ejecutar   ejecuta una orden como prueba y escribe su registro (pruebas que no son GoogleTest)
///
/// Una prueba registrada sin registro, o con el registro aún «interrumpida», no pasó: su proceso
/// murió o CTest lo mató. Se dice así, nunca como superada.
#include "veredictos.h"

#include "escaleras.h"
#include "ordenes_base.h"

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

#ifndef SOCKETS_RAIZ
#define SOCKETS_RAIZ ""
#endif

namespace veredictos {
namespace {

// --- presentación --------------------------------------------------------------------------

struct Colores {
    std::string V, R, A, N, T, F;
} c;

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

using base::rellenar;  // a lo ancho en columnas de pantalla (UTF-8: caracteres, no bytes)

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

// --- argumentos ----------------------------------------------------------------------------

/// La orden (argv[1]) y sus opciones (base/opciones.h: `--clave=valor` o `--clave valor`).
struct Argumentos : base::Opciones {
    std::string orden;
};

[[noreturn]] void uso(const std::string& mensaje) {
    std::cerr << "sockets_veredictos: " << mensaje << "\n(sockets_veredictos ayuda: las órdenes)\n";
    std::exit(2);
}

/// Las opciones de todas las órdenes (cada una mira las suyas); `--` deja el resto a «ejecutar».
/// («--tabla» se acepta y no se usa: la tabla de etapas es la que CMake leyó al configurar.)
const std::vector<base::Opcion> kOpciones = {
    {"build", true},        {"pruebas", true},       {"tabla", true},      {"raiz", true},
    {"color", true},        {"arbol", true},         {"leccion", true},    {"todas", false},
    {"siguiente", true},    {"primer-fallo", true},  {"escenario", true},  {"no-compila", true},
    {"cuentas", true},      {"corrector", true},     {"rubrica", true},    {"pistas", true},
    {"sin-comprobar", true}, {"v", false},           {"nombre", true},     {"sockets-arbol", true},
    {"sockets-registro", true}};

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

struct Contexto {
    Tabla tabla;
    std::vector<Prueba> pruebas;
    std::string build;  ///< para los mensajes («ctest --test-dir …»)
};

/// Carga la tabla, la lista de pruebas (--pruebas=FICHERO, o ctest --show-only en --build) y
/// los registros. Sale con 2 y un mensaje en español si algo de eso no se puede leer.
Contexto cargar(const Argumentos& a, bool con_tabla = true) {
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

// --- leccion ---------------------------------------------------------------------------------

/// Una línea por etapa (y por paso de la etapa `n`) y por qué se omitió cada omitida. Devuelve
/// las pruebas que no pasan.
std::vector<const Prueba*> lineas_por_etapa(const Contexto& ctx, const std::vector<const Prueba*>& pruebas, int n) {
    // Una línea por etapa.
    std::map<int, std::array<int, 3>> cuenta;  // etapa -> {total, fallan, omitidas}
    std::vector<const Prueba*> fallos;
    for (const Prueba* p : pruebas) {
        auto& k = cuenta[p->etapa];
        ++k[0];
        if (!pasa(p->estado)) {
            ++k[1];
            fallos.push_back(p);
        } else if (p->estado == Estado::omitida) {
            ++k[2];
        }
    }
    // Superadas de las que se ejecutaron: una omitida no cuenta ni como superada ni en el total.
    for (const auto& [etapa, k] : cuenta) {
        const std::string marca = k[1] == 0 ? c.V + "✓" + c.F : c.R + "✗" + c.F;
        std::cout << marca << " Etapa " << dos_cifras(etapa) << " "
                  << rellenar(titulo_etapa(ctx, etapa), 18) << " " << (k[0] - k[1] - k[2]) << "/" << (k[0] - k[2]);
        if (k[2] > 0) std::cout << c.T << "   (" << k[2] << (k[2] == 1 ? " omitida)" : " omitidas)") << c.F;
        std::cout << "\n";
    }
    const int pasos = ctx.tabla.pasos_de(n);
    const int actual = paso_actual(ctx.tabla, pruebas, n);
    if (pasos > 0) {
        auto por_paso = cuenta_por_paso(ctx.tabla, pruebas, n);
        for (int k = 1; k <= pasos; ++k) {
            const Paso* paso = ctx.tabla.paso(n, k);
            const auto cuenta_paso = por_paso[k];
            const bool bien = cuenta_paso[1] == 0;
            std::cout << "    " << (bien ? c.V + "✓" : c.R + "✗") << c.F << " Paso " << k << " de "
                      << pasos << " · "
                      << rellenar(paso != nullptr ? paso->titulo : std::string("?"), 22) << " "
                      << (cuenta_paso[0] - cuenta_paso[1] - cuenta_paso[2]) << "/" << (cuenta_paso[0] - cuenta_paso[2]);
            if (k == actual) std::cout << c.A << "   ← estás aquí" << c.F;
            std::cout << "\n";
        }
    }
    // Por qué se omitió cada omitida (lo dice su veredicto: «motivo_omision»).
    for (const Prueba* p : pruebas)
        if (p->estado == Estado::omitida)
            std::cout << c.T << "  ↷ omitida " << p->caso << ": " << p->datos.motivo_omision << c.F << "\n";
    return fallos;
}

/// Lo que se dice de una lección superada: la siguiente (--siguiente=K: la primera que aún no
/// supera, que calcula ./tutorial con todos los resultados; 0: ninguna) o el final.
void leccion_superada(const Contexto& ctx, const Argumentos& a, int n) {
    // Sin --siguiente, la que sigue a esta en la tabla.
    const Etapa* s = ctx.tabla.siguiente(n);
    if (a.hay("siguiente")) {
        const int k = std::atoi(a.valor("siguiente").c_str());
        s = k == n ? ctx.tabla.siguiente(n) : ctx.tabla.leccion(k);
    }
    if (s != nullptr)
        std::cout << "  Siguiente: lessons/" << s->carpeta << " — ./tutorial check " << s->numero
                  << "   (lee " << s->pagina << ")\n";
    else if (a.hay("siguiente") && ctx.tabla.siguiente(n) != nullptr)
        std::cout << "  " << c.V << "✓" << c.F << " ¡Todas las lecciones superadas! (./tutorial progress las vuelve a probar todas)\n";
    else
        std::cout << "  Has terminado el tutorial: tu servidor atiende a muchos clientes a la vez.\n";
}

/// --primer-fallo (para ./tutorial pista: la misma prueba que enseña check) y --escenario (para
/// ./tutorial traza: esa prueba, su programa y cómo ejecutarla).
void escribir_para_tutorial(const Argumentos& a, const Prueba& primero) {
    if (a.hay("primer-fallo")) {  // para ./tutorial pista: la misma prueba que enseña check
        std::ofstream(a.valor("primer-fallo")) << primero.caso << "\n";
}
if (a.hay("escenario")) {  // para ./tutorial traza: esa prueba, su programa y cómo ejecutarla
    Json e = {{"caso", primero.caso}, {"etapa", primero.etapa}, {"comando", primero.comando},
              {"programa", ""}, {"entrada", primer_informe(primero).entrada}};
    for (const auto& prog : primero.datos.programas) {
        const std::string& orden = prog.orden;
        const std::string quien = orden.substr(0, orden.find(' '));
        if (quien == "servidor" || quien == "cliente") {
            e["programa"] = quien;
            break;
        }
    }
    std::ofstream(a.valor("escenario")) << e.dump(1) << "\n";
}
}

/// Los demás fallos: una línea cada uno con su pista, o enteros con --todas.
void otros_fallos(const Contexto& ctx, const std::vector<const Prueba*>& fallos, bool todas, const std::string& otra_vez) {
    const Prueba& primero = *fallos[0];
    if (fallos.size() > 1) {
        std::cout << "\n"
                  << c.N << "Otros fallos" << c.F
                  << (todas ? ":" : c.T + " (enteros: " + otra_vez + " --todas):" + c.F) << "\n";
        for (std::size_t k = 1; k < fallos.size(); ++k) {
            const Prueba& p = *fallos[k];
            const base::ProgramaRegistro* prog = programa_anormal(p, false);
            std::string consecuencia;
            if (prog != nullptr && p.etapa != primero.etapa)
                consecuencia = "probable consecuencia: " + como_acabo(*prog);
            if (todas) {
                std::cout << "\n"
                          << c.R << "✗" << c.F << " " << p.caso << c.T << "   (etapa "
                          << dos_cifras(p.etapa) << ")" << c.F << "\n";
                if (!consecuencia.empty()) std::cout << "  " << c.A << consecuencia << c.F << "\n";
                for (const auto& i : informes(ctx, p)) std::cout << sangrar(i, "  ");
            } else {
                std::cout << "  " << c.R << "✗" << c.F << " E" << dos_cifras(p.etapa) << " " << p.caso;
                if (!consecuencia.empty()) std::cout << " — " << c.A << consecuencia << c.F;
                std::cout << "\n      " << pista_corta(ctx, p) << "\n";
            }
        }
    }
}

int orden_leccion(const Argumentos& a) {
    Contexto ctx = cargar(a);
    const std::string arbol = a.valor("arbol", "lessons");
    int n = std::atoi(a.valor("leccion", "-1").c_str());
    const Etapa* leccion = ctx.tabla.leccion(n);
    if (leccion == nullptr) uso("la lección " + a.valor("leccion") + " no está en la tabla de etapas");
    const bool todas = a.hay("todas");
    auto pruebas = de_la_leccion(ctx, arbol, n);
    if (pruebas.empty()) {
        std::cout << c.R << "✗" << c.F << " no se ejecutó ninguna prueba de la lección "
                  << leccion->nn << " (árbol " << arbol << ")\n";
        return 2;
    }

    std::vector<const Prueba*> fallos = lineas_por_etapa(ctx, pruebas, n);
    const int pasos = ctx.tabla.pasos_de(n);
    const int actual = paso_actual(ctx.tabla, pruebas, n);
    const std::string otra_vez = "./tutorial check " + std::to_string(n);
    if (fallos.empty()) {
        std::cout << "\n" << c.V << "✓" << c.F << " " << c.N << "¡Lección " << leccion->nn
                  << " superada!" << c.F << "\n";
        leccion_superada(ctx, a, n);
        return 0;
    }

    fallos = ordenar_fallos(ctx.tabla, fallos, n);
    const Prueba& primero = *fallos[0];
    escribir_para_tutorial(a, primero);
    std::string en_paso;
    if (primero.etapa == n && actual > 0)
        en_paso = ", paso " + std::to_string(actual) + " de " + std::to_string(pasos) + " · " +
                  ctx.tabla.paso(n, actual)->titulo;
    std::cout << "\n"
              << c.N << "Primer fallo:" << c.F << " " << primero.caso << c.T << "   (etapa "
              << dos_cifras(primero.etapa) << en_paso << ", " << fallos.size() << " fallo"
              << (fallos.size() == 1 ? "" : "s") << " en total)" << c.F << "\n";
    const std::string termino = termino_con(primero);
    if (!termino.empty()) std::cout << "  " << c.R << "tu programa terminó con:" << c.F << " " << termino << "\n";
    for (const auto& i : informes(ctx, primero)) std::cout << sangrar(i, "  ");

    if (fallos.size() > 1) otros_fallos(ctx, fallos, todas, otra_vez);
    std::cout << "\nLee " << leer_donde(ctx, primero, n) << "  (o la web: ./tutorial docs)\n";
    std::cout << "Prueba otra vez: " << otra_vez << "  ·  automático: ./tutorial watch " << n << "\n";
    return 1;
}

// --- progreso --------------------------------------------------------------------------------

int orden_progreso(const Argumentos& a) {
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
    if (a.hay("cuentas")) {  // «superadas lecciones actual» (actual: 0 si no queda ninguna)
        std::ofstream f(a.valor("cuentas"), std::ios::trunc);
        f << superadas << " " << lecciones << " " << (toca != nullptr ? toca->numero : 0) << "\n";
    }
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

bool escribir_cuentas(const Argumentos& a, int bien, int mal) {
    if (!a.hay("cuentas")) return true;
    std::ofstream f(a.valor("cuentas"), std::ios::trunc);
    f << bien << " " << mal << "\n";
    return static_cast<bool>(f);
}

int orden_recuento(const Argumentos& a) {
    Contexto ctx = cargar(a, false);
    std::vector<std::string> grupos;
    std::map<std::string, std::pair<int, std::vector<const Prueba*>>> g;  // total, fallos
    int pasan = 0, fallan = 0;
    for (const auto& p : ctx.pruebas) {
        if (!debe_pasar(p)) continue;
        if (g.count(p.arbol) == 0) grupos.push_back(p.arbol);
        auto& k = g[p.arbol];
        ++k.first;
        if (pasa(p.estado))
            ++pasan;
        else {
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
    escribir_cuentas(a, pasan, fallan);
    return fallan == 0 ? 0 : 1;
}

// --- meta ------------------------------------------------------------------------------------

// La cabecera de cada entrega rota (# leccion, # falla, # error, # variante, # paso, # sintoma):
// base/parche.h, su único lector.
using base::leer_parche;
using base::Parche;

std::vector<std::string> listar(const std::string& carpeta, const std::string& sufijo) {
    std::vector<std::string> r;
    DIR* d = opendir(carpeta.c_str());
    if (d == nullptr) return r;
    while (dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n.size() > sufijo.size() && n.compare(n.size() - sufijo.size(), sufijo.size(), sufijo) == 0)
            r.push_back(carpeta + "/" + n);
    }
    closedir(d);
    std::sort(r.begin(), r.end());
    return r;
}

bool existe(const std::string& ruta) {
    struct stat st {};
    return stat(ruta.c_str(), &st) == 0;
}

struct Meta {
    int correctas = 0, fallidas = 0;
    void bien(const std::string& s) {
        std::cout << "  " << c.V << "✓" << c.F << " " << s << "\n";
        ++correctas;
    }
    void mal(const std::string& s) {
        std::cout << "  " << c.R << "✗" << c.F << " " << s << "\n";
        ++fallidas;
    }
    static void aviso(const std::string& s) { std::cout << "  " << c.A << "⚠" << c.F << " " << s << "\n"; }
};

void mostrar_informe(const Contexto& ctx, const Prueba& p) {
    auto ls = lineas(informes(ctx, p)[0]);
    for (std::size_t k = 0; k < ls.size() && k < 25; ++k) std::cout << "        " << ls[k] << "\n";
}

/// La nota de una lección según el corrector (tests/corrector/resultados.cpp), con los
/// veredictos de un árbol del meta-test: su lista de pruebas, su compilación «ok» y, como código de
/// partida, los veredictos de lessons/. Devuelve el porcentaje (-1 si el corrector no respondió).
struct Nota {
    std::string corrector, rubrica, build;
    int usos = 0;
    int fallidas = 0;  ///< pruebas «failed» en el results.json de la última nota

    static std::string texto(double pct) {
        char b[32];
        std::snprintf(b, sizeof b, "%.2f %%", pct);
        return b;
    }

    double de(const Contexto& ctx, const std::string& arbol, const Etapa& e) {
        const std::string dir = build + "/meta/nota/" + std::to_string(++usos);
        std::string ruta;
        for (std::size_t barra = dir.find('/', 1); barra != std::string::npos; barra = dir.find('/', barra + 1))
            mkdir(dir.substr(0, barra).c_str(), 0777);
        mkdir(dir.c_str(), 0777);
        mkdir((dir + "/compilacion").c_str(), 0777);
        mkdir((dir + "/salida").c_str(), 0777);
        std::ofstream(dir + "/compilacion/" + e.nn + ".estado") << "ok\n";
        std::ofstream(dir + "/lecciones.tsv") << e.nn << "\t" << e.carpeta << "\n";
        // La rúbrica del curso con el peso de esta lección a 1: una lección que el curso no
        // puntúa por omisión (rubrica.conf, 08-10 a 0) también debe sacar 100 % y 0 % como toca.
        {
            std::string texto, error;
            leer_fichero(rubrica, 1 << 20, texto, error);
            std::ofstream(dir + "/rubrica.conf") << texto << "\nleccion." << e.nn << " = 1\n";
        }
        {
            std::ofstream l(dir + "/lista.tsv");
            for (const Prueba* p : de_la_leccion(ctx, arbol, e.numero))
                l << e.nn << "\t" << dos_cifras(p->etapa) << "\t" << e.carpeta << "\t-\t" << p->caso << "\n";
        }
        std::string id;  // el de CMake (MAKE_C_IDENTIFIER): la carpeta de sus veredictos
        for (char ch : arbol) id += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
        std::string salida, error;
        const bool bien = capturar({corrector, "--rubrica", dir + "/rubrica.conf", "--lista", dir + "/lista.tsv", "--lecciones",
                                    dir + "/lecciones.tsv", "--veredictos", build + "/veredictos/" + id,
                                    "--compilacion", dir + "/compilacion", "--entrega", arbol, "--arbol", arbol,
                                    "--salida", dir + "/salida", "--partida", build + "/veredictos/lessons"},
                                   salida, error);
        std::string tsv, resultados;
        if (!bien || !leer_fichero(dir + "/salida/lecciones.tsv", 65536, tsv, error)) return -1;
        // Las pruebas que results.json da por fallidas (una omitida nunca está en «tests»).
        fallidas = 0;
        Json r;
        if (leer_fichero(dir + "/salida/results.json", 64u * 1024 * 1024, resultados, error) &&
            interpretar(resultados, r, error))
            for (const auto& t : lista(r, "tests")) fallidas += veredictos::texto(t, "status") == "failed" ? 1 : 0;
        std::istringstream in(tsv);
        std::string nn, carpeta, obtenido, maximo;
        if (!(std::getline(in, nn, '\t') && std::getline(in, carpeta, '\t') && std::getline(in, obtenido, '\t') &&
              std::getline(in, maximo)))
            return -1;
        const double max = std::atof(maximo.c_str());
        return max > 0 ? std::round(10000.0 * std::atof(obtenido.c_str()) / max) / 100.0 : -1;
    }
};

/// Lo que comparten las comprobaciones del meta-test.
struct EstadoMeta {
    const Argumentos& a;
    Contexto ctx;
    std::string raiz;
    Meta m;
    std::vector<Parche> leidos;
    std::set<std::string> sin_comprobar;  ///< entregas rotas cuyas pruebas se omiten en esta máquina
    int primeros_bien = 0, rotos = 0;
};

/// (a) Las soluciones pasan todas sus pruebas; los pasos de etapas.tsv nombran pruebas que existen.
void meta_soluciones(EstadoMeta& em) {
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    std::cout << c.N << "(a) Las soluciones pasan todas sus pruebas" << c.F << "\n";
    {
        int total = 0;
        std::vector<const Prueba*> malas;
        for (const auto& p : ctx.pruebas) {
            if (p.arbol != "solutions") continue;
            ++total;
            if (!pasa(p.estado)) malas.push_back(&p);
        }
        if (total == 0)
            m.mal("no se ejecutó ninguna prueba de solutions/");
        else if (malas.empty())
            m.bien("soluciones: " + std::to_string(total) + " pruebas, todas superadas");
        else {
            m.mal("soluciones: fallan " + std::to_string(malas.size()) + " de " + std::to_string(total) +
                  " pruebas");
            for (std::size_t k = 0; k < malas.size() && k < 5; ++k) {
                std::cout << "      " << malas[k]->nombre << "\n";
                mostrar_informe(ctx, *malas[k]);
            }
        }
    }

    if (!ctx.tabla.pasos.empty()) {
        // Los pasos de etapas.tsv solo nombran pruebas que existen, y de su etapa.
        std::size_t nombradas = 0;
        std::vector<std::string> ausentes;
        for (const auto& paso : ctx.tabla.pasos)
            for (const auto& caso : paso.pruebas) {
                ++nombradas;
                const bool existe_prueba = std::any_of(ctx.pruebas.begin(), ctx.pruebas.end(), [&](const Prueba& p) {
                    return p.arbol == "solutions" && p.etapa == paso.etapa && p.caso == caso;
                });
                if (!existe_prueba) ausentes.push_back(dos_cifras(paso.etapa) + "/" + std::to_string(paso.numero) + " " + caso);
            }
        if (ausentes.empty())
            m.bien("pasos de etapas.tsv: sus " + std::to_string(nombradas) + " pruebas existen en su etapa");
        else {
            m.mal("pasos de etapas.tsv: " + std::to_string(ausentes.size()) +
                  " pruebas que no existen en su etapa (¿cambió su nombre?)");
            for (std::size_t k = 0; k < ausentes.size() && k < 5; ++k) std::cout << "      " << ausentes[k] << "\n";
        }
    }

}

/// (b) Cada lección sin resolver falla solo su propia etapa.
void meta_lecciones(EstadoMeta& em) {
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::string& raiz = em.raiz;
    std::cout << c.N << "(b) Cada lección sin resolver falla solo su propia etapa" << c.F << "\n";
    for (const auto& e : ctx.tabla.etapas) {
        if (!e.tiene_leccion() || !existe(raiz + "/lessons/" + e.carpeta)) continue;
        auto pruebas = de_la_leccion(ctx, "lessons", e.numero);
        std::vector<const Prueba*> propias, ajenas;
        const Prueba* informada = nullptr;
        for (const Prueba* p : pruebas) {
            if (pasa(p->estado)) continue;
            if (p->etapa == e.numero) {
                propias.push_back(p);
                if (informada == nullptr && p->estado == Estado::fallida &&
                    etapa_del_informe(*p) == e.numero && !p->datos.informes.empty())
                    informada = p;
            } else {
                ajenas.push_back(p);
            }
        }
        const std::string l = "lección " + e.nn + ": ";
        if (pruebas.empty())
            m.mal(l + "no se ejecutó ninguna prueba de lessons/L" + e.nn + "/");
        else if (propias.empty())
            m.mal(l + "ninguna prueba de la etapa " + e.nn + " falla con la lección sin resolver");
        else if (informada == nullptr) {
            m.mal(l + "fallan " + std::to_string(propias.size()) + " pruebas de la etapa " + e.nn +
                  ", pero ninguna con un informe de la etapa " + e.nn);
            mostrar_informe(ctx, *propias[0]);
        } else if (!ajenas.empty()) {
            m.mal(l + "además de su etapa fallan " + std::to_string(ajenas.size()) +
                  " pruebas de otras etapas");
            for (std::size_t k = 0; k < ajenas.size() && k < 5; ++k)
                std::cout << "      " << ajenas[k]->nombre << "\n";
            mostrar_informe(ctx, *ajenas[0]);
        } else {
            m.bien(l + "fallan " + std::to_string(propias.size()) + " de " +
                   std::to_string(pruebas.size()) + " pruebas, todas de la etapa " + e.nn);
        }
    }

}

/// Lo que el parche `pa` (de la lección `n`, árbol `arbol`) debía romper y no rompe: las pruebas
/// que nombra, su paso y su síntoma. Deja en `etapas_rotas` las etapas de las que sí fallan.
std::vector<std::string> problemas_del_roto(const EstadoMeta& em, const Parche& pa, const std::string& arbol, int n,
                                            const std::vector<const Prueba*>& pruebas, std::set<int>& etapas_rotas) {
    const Contexto& ctx = em.ctx;
    std::vector<std::string> problemas;
    if (pa.leccion.empty()) problemas.push_back("la cabecera no tiene «# leccion:»");
    if (pa.fallas.empty()) problemas.push_back("el parche no nombra ninguna prueba (# falla:)");
    if (pa.error.empty()) problemas.push_back("la cabecera no dice qué error tiene (# error:)");
    for (const auto& s : pa.fallas) {
        const Prueba* t = nullptr;
        for (const Prueba* p : pruebas)
            if (p->caso == s) t = p;
        if (t == nullptr)
            problemas.push_back("no se ejecutó ninguna prueba " + arbol + "/L" + dos_cifras(n) + "/E?" "?/" + s);
        else if (pasa(t->estado))
            problemas.push_back(t->nombre + " pasa, y debía fallar");
        else
            etapas_rotas.insert(t->etapa);
    }
    // «# paso: N»: los pasos anteriores están hechos (sus pruebas pasan) y check dice «paso N».
    if (pa.paso > 0 && problemas.empty()) {
        for (const Prueba* p : pruebas)
            if (p->etapa == n && !pasa(p->estado) && ctx.tabla.paso_de(n, p->caso) < pa.paso)
                problemas.push_back(p->nombre + " (paso " + std::to_string(ctx.tabla.paso_de(n, p->caso)) +
                                    ") falla, y los pasos anteriores al " + std::to_string(pa.paso) +
                                    " están hechos");
        const int actual = paso_actual(ctx.tabla, pruebas, n);
        if (actual != pa.paso)
            problemas.push_back("check diría «paso " + std::to_string(actual) + "», no «paso " +
                                std::to_string(pa.paso) + "»");
    }
    // «# sintoma: ID»: alguna prueba que falla lo reconoció (arnes::sintoma()), para que el
    // informe y ./tutorial pista hablen de lo que hace mal el programa.
    for (const auto& id : pa.sintomas) {
        const bool visto = std::any_of(pruebas.begin(), pruebas.end(), [&](const Prueba* p) {
            if (pasa(p->estado)) return false;
            const auto& s = p->datos.sintomas;
            return std::find(s.begin(), s.end(), id) != s.end();
        });
        if (!visto) problemas.push_back("ninguna prueba que falla reconoció el síntoma «" + id + "»");
    }
    return problemas;
}

/// ¿Enseñaría «check» primero un informe de la etapa rota, de una prueba que el parche nombra o
/// que reconoció su síntoma? Si no, lo añade a `problemas`.
bool primero_bien_del_roto(const EstadoMeta& em, const Parche& pa, int n, const std::vector<const Prueba*>& fallos,
                           const std::set<int>& etapas_rotas, std::vector<std::string>& problemas) {
    const Contexto& ctx = em.ctx;
    bool primero_bien = false;
    if (problemas.empty() && !fallos.empty()) {
        const Prueba& primero = *ordenar_fallos(ctx.tabla, fallos, n)[0];
        const int etapa = etapa_del_informe(primero);
        const bool nombrada = std::find(pa.fallas.begin(), pa.fallas.end(), primero.caso) != pa.fallas.end();
        bool con_sintoma = false;
        for (const auto& x : primero.datos.sintomas)
            con_sintoma = con_sintoma || std::find(pa.sintomas.begin(), pa.sintomas.end(), x) != pa.sintomas.end();
        if (primero.estado != Estado::fallida || primero.datos.informes.empty())
            problemas.push_back("check enseñaría primero " + primero.nombre + ", que no tiene informe (" +
                                pista_corta(ctx, primero) + ")");
        else if (etapas_rotas.count(etapa) == 0 && etapa != n)
            problemas.push_back("check enseñaría primero un informe de la etapa " + dos_cifras(etapa) +
                                " (" + primero.nombre + "), no de la etapa rota");
        else if (!nombrada && !con_sintoma)
            problemas.push_back("check enseñaría primero " + primero.caso +
                                ", que no es ninguna de las que nombra el parche (# falla:) ni reconoce su síntoma");
        else
            primero_bien = true;
        if (!primero_bien) mostrar_informe(ctx, primero);
    }
    return primero_bien;
}

/// (c) Una entrega rota: falla la prueba que debe, y check enseña primero su etapa y su causa.
void meta_roto(EstadoMeta& em, const Parche& pa) {
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::string arbol = "roto-" + pa.nombre;
    const int n = std::atoi(pa.leccion.substr(0, 2).c_str());
    // Si esta máquina omite todas las pruebas que el parche nombra (le falta IPv6, o no deja
    // crear espacios de nombres), el error no se puede comprobar aquí: se dice, con el motivo,
    // y no cuenta ni en (c) ni en (e) ni en (g). En la CI se ejecutan.
    {
        std::vector<const Prueba*> nombradas;
        for (const Prueba* p : de_la_leccion(ctx, arbol, n))
            if (std::find(pa.fallas.begin(), pa.fallas.end(), p->caso) != pa.fallas.end()) nombradas.push_back(p);
        if (!pa.fallas.empty() && nombradas.size() == pa.fallas.size() &&
            std::all_of(nombradas.begin(), nombradas.end(),
                        [](const Prueba* p) { return p->estado == Estado::omitida; })) {
            em.sin_comprobar.insert(pa.nombre);
            std::cout << "  ↷ " << pa.nombre << ": no se puede comprobar en esta máquina, sus pruebas se omiten ("
                      << nombradas[0]->datos.motivo_omision << ")\n";
            return;
        }
    }
    ++em.rotos;
    if (!ctx.build.empty() && existe(ctx.build + "/rotos/" + pa.nombre + ".no_aplica")) {
        m.mal(pa.nombre + ": el parche no se aplica a solutions/" + pa.leccion + " (¿cambió la solución?)");
        std::string motivo, error;
        leer_fichero(ctx.build + "/rotos/" + pa.nombre + ".no_aplica", 65536, motivo, error);
        auto ls = lineas(motivo);
        for (std::size_t k = 0; k < ls.size() && k < 5; ++k) std::cout << "      " << ls[k] << "\n";
        return;
    }
    auto pruebas = de_la_leccion(ctx, arbol, n);
    std::set<int> etapas_rotas;
    std::vector<std::string> problemas = problemas_del_roto(em, pa, arbol, n, pruebas, etapas_rotas);
    // Lo que «check» enseñaría primero en esta entrega (el mismo orden que orden_leccion): un
    // informe de la etapa rota, de una prueba que el parche nombra o que reconoció su síntoma.
    std::vector<const Prueba*> fallos, otras;
    for (const Prueba* p : pruebas)
        if (!pasa(p->estado)) {
            fallos.push_back(p);
            if (etapas_rotas.count(p->etapa) == 0) otras.push_back(p);
        }
    const bool primero_bien = primero_bien_del_roto(em, pa, n, fallos, etapas_rotas, problemas);
    if (primero_bien) ++em.primeros_bien;
    if (problemas.empty()) {
        std::string nombres;
        for (const auto& s : pa.fallas) nombres += (nombres.empty() ? "" : " ") + s;
        m.bien(pa.nombre + ": fallan " + nombres + " (" + pa.error + ")");
    } else {
        m.mal(pa.nombre + " (" + pa.leccion + "): " + pa.error);
        for (const auto& s : problemas) std::cout << "      " << s << "\n";
    }
    if (!otras.empty()) {
        std::string lista_otras;
        for (std::size_t k = 0; k < otras.size() && k < 4; ++k) lista_otras += " " + otras[k]->nombre;
        Meta::aviso(pa.nombre + ": también fallan pruebas de otras etapas:" + lista_otras);
    }}

/// (c) Cada entrega rota falla la prueba que debe, y check enseña primero su etapa y su causa.
void meta_rotos(EstadoMeta& em) {
    const std::string& raiz = em.raiz;
    std::cout << c.N << "(c) Cada entrega rota falla la prueba que debe, y check enseña primero su etapa y su causa"
              << c.F << "\n";
    auto parches = listar(raiz + "/tests/rotos", ".patch");
    if (parches.empty()) std::cout << "  (no hay parches en tests/rotos/: nada que comprobar)\n";
    for (const auto& ruta : parches) {
        em.leidos.push_back(leer_parche(ruta));
        const Parche pa = em.leidos.back();
        if (pa.variante.empty()) meta_roto(em, pa);  // las variantes, en (d)
    }
    const int rotos = em.rotos, primeros_bien = em.primeros_bien;
    if (rotos > 0)
        std::cout << "  " << (primeros_bien == rotos ? c.V + "✓" : c.R + "✗") << c.F << " check enseña primero su etapa y su causa en "
                  << primeros_bien << " de " << rotos << " entregas rotas\n";

}

/// (d) Cada variante correcta (# variante:) lo pasa todo.
void meta_variantes(EstadoMeta& em) {
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::vector<Parche>& leidos = em.leidos;
    std::cout << c.N << "(d) Cada variante correcta (# variante:) lo pasa todo" << c.F << "\n";
    int variantes = 0;
    for (const Parche& pa : leidos) {
        if (pa.variante.empty()) continue;
        ++variantes;
        const std::string arbol = "roto-" + pa.nombre;
        const int n = std::atoi(pa.leccion.substr(0, 2).c_str());
        if (!ctx.build.empty() && existe(ctx.build + "/rotos/" + pa.nombre + ".no_aplica")) {
            m.mal(pa.nombre + ": el parche no se aplica a solutions/" + pa.leccion + " (¿cambió la solución?)");
            continue;
        }
        auto pruebas = de_la_leccion(ctx, arbol, n);
        std::vector<const Prueba*> malas;
        for (const Prueba* p : pruebas)
            if (!pasa(p->estado)) malas.push_back(p);
        if (!pa.fallas.empty())
            m.mal(pa.nombre + ": una variante no nombra pruebas que fallen (# falla:), lo pasa todo");
        else if (pruebas.empty())
            m.mal(pa.nombre + ": no se ejecutó ninguna prueba de " + arbol + "/L" + dos_cifras(n) + "/");
        else if (malas.empty())
            m.bien(pa.nombre + ": " + std::to_string(pruebas.size()) + " pruebas, todas superadas (" + pa.variante + ")");
        else {
            m.mal(pa.nombre + " (" + pa.variante + "): fallan " + std::to_string(malas.size()) + " de " +
                  std::to_string(pruebas.size()));
            for (std::size_t k = 0; k < malas.size() && k < 4; ++k) std::cout << "      " << malas[k]->nombre << "\n";
            mostrar_informe(ctx, *malas[0]);
        }
    }
    if (variantes == 0) std::cout << "  (ningún parche es una variante)\n";

}

void meta_notas(EstadoMeta& em) {
    const Argumentos& a = em.a;
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::vector<Parche>& leidos = em.leidos;
    const std::set<std::string>& sin_comprobar = em.sin_comprobar;
    const int rotos = em.rotos;
    // (e) La nota: la rúbrica del corrector (tests/corrector/resultados.cpp y rubrica.conf) sobre
    // los mismos veredictos. Las soluciones sacan 100 en cada lección, las lecciones sin tocar 0,
    // cada entrega rota menos de 100 en su lección y cada variante 100.
    if (a.hay("corrector")) {
        std::cout << c.N << "(e) La nota: soluciones 100 %, lecciones sin tocar 0 %, rotas menos de 100 %, variantes 100 %"
                  << c.F << "\n";
        Nota nota{a.valor("corrector"), a.valor("rubrica"), ctx.build};
        for (const auto& e : ctx.tabla.etapas) {
            if (!e.tiene_leccion()) continue;
            for (const char* arbol : {"solutions", "lessons"}) {
                if (de_la_leccion(ctx, arbol, e.numero).empty()) continue;
                const double pct = nota.de(ctx, arbol, e);
                const bool soluciones = std::string(arbol) == "solutions";
                const double quiere = soluciones ? 100 : 0;
                const std::string t = std::string(arbol) + "/" + e.carpeta + ": " + Nota::texto(pct);
                if (pct != quiere)
                    m.mal(t + " (debía ser " + Nota::texto(quiere) + ")");
                else if (soluciones && nota.fallidas > 0)
                    m.mal(t + ", pero su results.json da " + std::to_string(nota.fallidas) + " pruebas por fallidas");
                else
                    m.bien(t + (soluciones ? ", ninguna prueba fallida en results.json" : ""));
            }
        }
        int cuestan = 0;
        std::string cuentas;
        for (const Parche& pa : leidos) {
            const Etapa* e = ctx.tabla.leccion(std::atoi(pa.leccion.substr(0, 2).c_str()));
            const std::string arbol = "roto-" + pa.nombre;
            if (e == nullptr || de_la_leccion(ctx, arbol, e->numero).empty()) continue;
            if (sin_comprobar.count(pa.nombre) != 0) continue;  // dicho en (c)
            const double pct = nota.de(ctx, arbol, *e);
            if (pa.variante.empty()) {
                if (pct < 100) ++cuestan;
                else m.mal(pa.nombre + ": " + Nota::texto(pct) + " en su lección: este error no cuesta nada");
                cuentas += (cuentas.empty() ? "" : ", ") + pa.nombre.substr(0, pa.nombre.find('_')) + " " + Nota::texto(pct);
            } else if (pct == 100) {
                m.bien(pa.nombre + " (variante): 100 %");
            } else {
                m.mal(pa.nombre + " (variante): " + Nota::texto(pct) + ", pierde puntos siendo correcta");
            }
        }
        if (rotos > 0) {
            if (cuestan == rotos) m.bien("las " + std::to_string(rotos) + " entregas rotas bajan la nota de su lección");
            std::cout << "      (calculadas con las pruebas que ejecuta el meta-test; con todas, la nota puede ser\n"
                      << "       otra, pero tampoco 100: las que fallan aquí fallarían igual)\n"
                      << "      " << cuentas << "\n";
        }
    }
}

void meta_pistas(EstadoMeta& em) {
    const Argumentos& a = em.a;
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::string& raiz = em.raiz;
    const std::vector<Parche>& leidos = em.leidos;
    // (f) Las pistas siguen al síntoma: cada síntoma que reconoce una prueba tiene su escalera
    // (con su nombre para el alumno, el peldaño 0), y ninguna entrega rota recibe la escalera
    // genérica de su etapa («*»): ./tutorial pista habla de lo que hace mal ese programa.
    {
        std::cout << c.N << "(f) Las pistas: cada síntoma tiene su escalera, y ninguna entrega rota recibe la genérica de su etapa"
                  << c.F << "\n";
        const std::string dir = a.valor("pistas", raiz + "/tests/etapas/pistas");
        std::map<std::string, std::string> sin_escalera;  // síntoma -> una prueba que lo vio
        std::set<std::string> vistos;
        auto escalera_de_sintoma = [&](const Prueba& p, const std::string& id) {
            escaleras::Escaleras guardadas;
            std::string nombre;
            const int etapas[] = {p.etapa, p.leccion, 0};
            return escaleras::de_sintoma(dir, etapas, id, guardadas, nombre) != nullptr && !nombre.empty();
        };
        for (const auto& p : ctx.pruebas) {
            if (pasa(p.estado) || (p.arbol != "lessons" && !empieza(p.arbol, "roto-"))) continue;
            for (const auto& id : p.datos.sintomas) {
                vistos.insert(id);
                if (!escalera_de_sintoma(p, id)) sin_escalera.emplace(id, p.nombre);
            }
        }
        if (sin_escalera.empty())
            m.bien(std::to_string(vistos.size()) + " síntomas reconocidos, todos con su escalera y su nombre");
        for (const auto& [id, prueba] : sin_escalera)
            m.mal("el síntoma «" + id + "» (lo vio " + prueba + ") no tiene escalera «sintoma:" + id +
                  "» con peldaño 0 (su nombre) en tests/etapas/pistas/");
        int especificas = 0, genericas = 0;
        for (const Parche& pa : leidos) {
            if (!pa.variante.empty()) continue;
            const int n = std::atoi(pa.leccion.substr(0, 2).c_str());
            std::vector<const Prueba*> fallos;
            for (const Prueba* p : de_la_leccion(ctx, "roto-" + pa.nombre, n))
                if (!pasa(p->estado)) fallos.push_back(p);
            if (fallos.empty()) continue;
            fallos = ordenar_fallos(ctx.tabla, fallos, n);
            bool sintoma = false;
            for (const Prueba* p : fallos)
                for (const auto& x : p->datos.sintomas) sintoma = sintoma || escalera_de_sintoma(*p, x);
            const std::string clave =
                escaleras::clave_de(escaleras::leer(escaleras::fichero(dir, fallos[0]->etapa)), fallos[0]->caso);
            if (sintoma || (!clave.empty() && clave != "*")) {
                ++especificas;
            } else {
                ++genericas;
                m.mal(pa.nombre + ": ./tutorial pista daría " +
                      (clave.empty() ? std::string("ninguna escalera") : "la escalera genérica de la etapa " + dos_cifras(fallos[0]->etapa)) +
                      " para " + fallos[0]->caso + " (escribe la suya, o reconoce el síntoma)");
            }
        }
        if (genericas == 0 && especificas > 0)
            m.bien("las " + std::to_string(especificas) + " entregas rotas reciben la escalera de su síntoma o de su prueba");
    }
}

int orden_meta(const Argumentos& a) {
    EstadoMeta em{a, cargar(a), a.valor("raiz", SOCKETS_RAIZ), Meta{}, {}, {}, 0, 0};
    if (em.raiz.empty()) uso("falta --raiz=CARPETA (la raíz del repositorio)");
    meta_soluciones(em);
    meta_lecciones(em);
    meta_rotos(em);
    meta_variantes(em);
    meta_notas(em);
    meta_pistas(em);
    const std::set<std::string>& sin_comprobar = em.sin_comprobar;
    const Meta& m = em.m;
    if (a.hay("sin-comprobar")) {  // para (g) en meta.sh: las que esta máquina no puede comprobar
        std::ofstream f(a.valor("sin-comprobar"), std::ios::trunc);
        for (const auto& nombre : sin_comprobar) f << nombre << "\n";
    }
    escribir_cuentas(a, m.correctas, m.fallidas);
    return m.fallidas == 0 ? 0 : 1;
}

// --- limpieza --------------------------------------------------------------------------------

/// Frases de GoogleTest (en inglés) que no deben llegar a un informe.
const char* const kIngles[] = {"Value of:",   "Expected:",     "Actual:",         "Which is:",
                               "Expected equality", "Failure", "to be true",     "to be false",
                               "Unknown error", "Success",     "C++ exception",   "thrown in the test body",
                               "Google Test", "Death test",    "Mock function"};

int orden_limpieza(const Argumentos& a) {
    Contexto ctx = cargar(a, false);
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

// --- ejecutar --------------------------------------------------------------------------------

/// Ejecuta `orden` con su salida y sus errores en `cola` (las últimas 8 KiB) y, tal cual, en
/// la salida estándar. Devuelve su estado de waitpid() (-1 si no se pudo lanzar).
int correr(const std::vector<std::string>& orden, std::string& cola) {
    int tubo[2];
    if (pipe(tubo) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(tubo[1], 1);
        dup2(tubo[1], 2);
        close(tubo[0]);
        close(tubo[1]);
        std::vector<char*> v;
        for (const auto& s : orden) v.push_back(const_cast<char*>(s.c_str()));
        v.push_back(nullptr);
        execvp(v[0], v.data());
        std::fprintf(stderr, "no se pudo ejecutar %s: %s\n", v[0], std::strerror(errno));
        _exit(127);
    }
    close(tubo[1]);
    char buf[8192];
    ssize_t n;
    while ((n = read(tubo[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
        if (n <= 0) continue;
        std::fwrite(buf, 1, static_cast<std::size_t>(n), stdout);
        cola.append(buf, static_cast<std::size_t>(n));
        if (cola.size() > 8192) cola.erase(0, cola.size() - 8192);
    }
    std::fflush(stdout);
    close(tubo[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    // Sin partir un carácter UTF-8 al principio de la cola.
    cola.erase(0, base::corte_adelante(cola, 0));
    return st;
}

/// Anota en `r` cómo acabó la orden (estado `st` de waitpid, salida `cola`). true si bien.
bool anotar_final(base::Registro& r, const std::string& orden, const std::string& nombre, int st,
                  const std::string& cola) {
    const bool bien = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    const std::string descripcion = WIFEXITED(st) ? "terminó con código " + std::to_string(WEXITSTATUS(st))
                                                  : "murió por la señal " + std::to_string(WTERMSIG(st));
    r.estado = bien ? "superada" : "fallida";
    base::ProgramaRegistro prog;
    prog.orden = orden;
    prog.estado = WIFEXITED(st) ? "terminó" : "señal";
    prog.codigo = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
    prog.senal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    prog.descripcion = descripcion;
    prog.errores = cola;
    r.programas.push_back(prog);
    if (bien) return true;
    std::string ultimas;
    auto ls = lineas(cola);
    for (std::size_t k = ls.size() > 30 ? ls.size() - 30 : 0; k < ls.size(); ++k) ultimas += "    " + ls[k] + "\n";
    base::InformeRegistro i;
    i.etapa = -1;
    i.entrada = orden;
    i.esperado = "que termine con código 0";
    i.observado = descripcion;
    i.pista = "lee su salida: " + nombre;
    i.texto = "✗ " + nombre + ": " + descripcion + "\n  últimas líneas de su salida:\n" + ultimas;
    r.informes.push_back(i);
    return false;
}

/// Ejecuta una orden que no es de GoogleTest (la comprobación de la documentación) como prueba:
/// su salida pasa tal cual y su veredicto (código de salida) queda en un registro del formato 1.
int orden_ejecutar(const Argumentos& a) {
    const std::string ruta = a.valor("sockets-registro");
    const std::string nombre = a.valor("nombre", "prueba");
    if (ruta.empty() || a.resto.empty()) uso("uso: ejecutar --sockets-registro=FICHERO [--nombre=N] -- ORDEN...");
    // La carpeta del registro (mkdir -p).
    for (std::size_t barra = ruta.find('/', 1); barra != std::string::npos; barra = ruta.find('/', barra + 1))
        mkdir(ruta.substr(0, barra).c_str(), 0777);
    std::string orden;
    for (const auto& s : a.resto) orden += (orden.empty() ? "" : " ") + s;
    base::Registro r;
    r.id = r.prueba = nombre;
    r.arbol = r.suite = a.valor("sockets-arbol", nombre.substr(0, nombre.find('/')));
    r.leccion = 0;
    r.etapa = -1;
    r.estado = "interrumpida";
    base::escribir_registro(ruta, r);

    const auto inicio = std::chrono::steady_clock::now();
    std::string cola;
    const int st = correr(a.resto, cola);
    if (st < 0) return 1;
    r.duracion_ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - inicio).count());
    // Código 77: la orden se omitió a sí misma (le falta una herramienta); CTest lo sabe por
    // SKIP_RETURN_CODE y el registro lo dice, con la última línea de su salida como motivo.
    if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
        auto ls = lineas(cola);
        r.estado = "omitida";
        r.motivo_omision = ls.empty() ? std::string("sin motivo") : ls.back();
        base::escribir_registro(ruta, r);
        return 77;
    }
    const bool bien = anotar_final(r, orden, nombre, st, cola);
    base::escribir_registro(ruta, r);
    return bien ? 0 : 1;
}

// --- ayuda -----------------------------------------------------------------------------------

void ayuda() {
    std::cout <<
        R"(sockets_veredictos ORDEN [--opción=valor...] — lee los veredictos de las pruebas.

Opciones comunes:
  --pruebas=FICHERO   la lista de pruebas (salida de ctest --show-only=json-v1 con los mismos
                      filtros que la ejecución; puede repetirse: se juntan); sin ella, se pide
                      a ctest en --build
  --build=CARPETA     la carpeta de compilación (para los mensajes y para --pruebas por omisión)
  --tabla=FICHERO     etapas.tsv (por omisión, la de la raíz del repositorio)
  --color=auto|si|no  colores (auto: solo en una terminal y sin NO_COLOR)

Órdenes:
  leccion --leccion=N [--arbol=lessons] [--todas] [--siguiente=K]
        una línea por etapa, el informe de la causa primero y una línea por cada otro fallo
        (--todas: todos enteros), qué leer y la orden siguiente (K: la primera lección sin
        superar, 0 si ninguna). Sale con 0 si todo pasa.
  progreso [--arbol=lessons] [--no-compila=NN]... [--cuentas=FICHERO]
        la tabla de lecciones con sus pruebas superadas y la lección que toca; en FICHERO,
        «superadas lecciones actual» (actual: la primera sin superar, 0 si no queda ninguna).
  recuento [--cuentas=FICHERO]
        las pruebas que deben pasar (todo salvo lecciones y roto-*): resumen y «pasan fallan».
  meta --raiz=REPO [--cuentas=FICHERO]
        el meta-test (a)-(c): soluciones, lecciones sin tocar y entregas rotas.
  limpieza
        falla si algún informe trae inglés de GoogleTest, UTF-8 escrito como \xNN o fallos sin
        informe.
  borrar
        borra los registros de las pruebas de la lista (antes de ejecutarlas).
  ejecutar --sockets-registro=FICHERO [--nombre=NOMBRE] [--sockets-arbol=A] -- ORDEN...
        ejecuta ORDEN como una prueba y escribe su registro (0: superada).
)";
}

}  // namespace
}  // namespace veredictos

int orden_veredictos(int argc, char** argv) {
    using namespace veredictos;
    if (argc >= 2 && (std::strcmp(argv[1], "ayuda") == 0 || std::strcmp(argv[1], "--help") == 0 ||
                      std::strcmp(argv[1], "-h") == 0)) {
        ayuda();
        return 0;
    }
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
    } catch (const std::exception& e) {
        // No debería pasar (todo se lee sin excepciones), pero nunca un volcado de C++.
        std::cerr << "sockets_veredictos: error inesperado leyendo los veredictos: " << e.what() << "\n";
        return 2;
    }
    uso("orden desconocida «" + sin_control(a.orden) + "»");
}
