/// \file resultados.cpp
/// \brief Los resultados de una entrega: lee los registros de veredicto que escribió el arnés
///        (docs/dev/veredictos.md), la lista de pruebas esperadas y la rúbrica, y escribe
///        results.json (formato de Gradescope), junit.xml y la fila del CSV.
///
/// Es la parte de confianza que va detrás del arenero: se ejecuta fuera de él, cuando ya no
/// queda ningún proceso de la entrega. Solo cuenta registros de pruebas de la lista (que se
/// calculó antes, con los ejecutables de confianza), comprueba que cada registro dice ser la
/// prueba que esperamos, y todo lo que escribe es determinista: sin puertos, PID ni tiempos.
///
/// Uso: resultados --rubrica F --lista F --lecciones F --veredictos DIR --compilacion DIR
///                  --entrega NOMBRE --salida DIR [--nota TEXTO]... [--segundos N] [--partida DIR]
///                  [--ejecutor F]
///   --lista: «NN<TAB>KK<TAB>carpeta<TAB>ejecutable<TAB>Suite.Prueba» (la del ejecutor).
///   --lecciones: «NN<TAB>carpeta» de todas las lecciones del curso (de etapas.tsv).
///   --compilacion: NN.estado (ok | error | falta | vacia) y NN.log (errores del compilador).
///   --ejecutor: lo que dijo el ejecutor de cada prueba (por omisión, DIR/ejecutor.tsv de
///     --veredictos). El meta-test da otro para comprobar que su atajo («sin_avance») no cambia
///     ninguna nota.
/// Escribe en DIR: results.json, junit.xml, fila.csv (sin cabecera) y lecciones.tsv.
#include "base/opciones.h"
#include "base/registro.h"
#include "base/rubrica.h"
#include "base/texto.h"

#include "herramientas/ordenes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kMaxSalida = 16 * 1024;  ///< Tope del texto de cada prueba.
constexpr std::size_t kMaxCompilacion = 6 * 1024;

std::string leer(const std::string& ruta, std::size_t tope = 4 * 1024 * 1024) {
    std::ifstream f(ruta, std::ios::binary);
    if (!f) return "";
    std::string s(tope, '\0');
    f.read(s.data(), static_cast<std::streamsize>(tope));
    s.resize(static_cast<std::size_t>(f.gcount()));
    return s;
}

/// Recorta a `tope` bytes sin partir un carácter, y lo dice.
std::string acotar(const std::string& s, std::size_t tope) { return base::acotar(s, tope, " por el corrector"); }

/// Quita lo que cambia de una ejecución a otra: puertos, PID, milisegundos, direcciones.
std::string normalizar(std::string s) {
    static const std::vector<std::pair<std::regex, std::string>> kCambios = {
        {std::regex(R"(\[pid [0-9]+\])"), "[pid …]"},
        {std::regex(R"(\b(pid|PID|proceso) [0-9]+)"), "$1 …"},
        {std::regex(R"(\b[0-9]+(\.[0-9]+)? ?(ms|µs|us|s)\b)"), "… $2"},
        {std::regex(R"(\b(puerto|port|Puerto) [0-9]+)"), "$1 …"},
        {std::regex(R"(((127\.[0-9]+\.[0-9]+\.[0-9]+|0\.0\.0\.0|localhost|::1|\]):)[0-9]+)"), "$1…"},
        {std::regex(R"(\b(servidor|cliente|nc|socat)( [^ \n]+)? ([0-9]{4,5})\b)"), "$1$2 …"},
        {std::regex(R"(\b0x[0-9a-fA-F]{6,}\b)"), "0x…"},
        {std::regex(R"(= [0-9]{7,}\b)"), "= …"},  // direcciones de brk()/mmap() (ASLR)
        // Lo que el arnés llegó a capturar de una salida enorme depende del momento.
        {std::regex(R"(recortado: [0-9]+ bytes)"), "recortado: … bytes"},
        {std::regex(R"((descart[a-z]+) [0-9]+ bytes)"), "$1 … bytes"},
    };
    for (const auto& [re, por] : kCambios) s = std::regex_replace(s, re, por);
    return s;
}

std::string texto(const std::string& s, std::size_t tope = kMaxSalida) {
    // UTF-8 válido, sin caracteres de control (salvo \n y \t) ni secuencias de color ANSI.
    return acotar(normalizar(base::sin_control(base::utf8_saneado(s))), tope);
}

std::string recortar_espacios(const std::string& s) {
    auto a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return "";
    auto b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

using base::numero;

/// Reparte `total` centésimas entre `pesos` (proporcionalmente, restos mayores primero): la
/// suma de las partes es exactamente `total`.
std::vector<long> repartir(long total, const std::vector<double>& pesos) {
    std::vector<long> partes(pesos.size(), 0);
    double suma = 0;
    for (double p : pesos) suma += p;
    if (suma <= 0 || total <= 0) return partes;
    long dado = 0;
    std::vector<std::pair<double, std::size_t>> restos;
    for (std::size_t i = 0; i < pesos.size(); ++i) {
        double exacto = static_cast<double>(total) * pesos[i] / suma;
        partes[i] = static_cast<long>(std::floor(exacto + 1e-9));
        dado += partes[i];
        restos.push_back({-(exacto - static_cast<double>(partes[i])), i});
    }
    std::sort(restos.begin(), restos.end());
    for (std::size_t k = 0; dado < total && k < restos.size(); ++k, ++dado) ++partes[restos[k].second];
    return partes;
}

double puntos(long centesimas) { return static_cast<double>(centesimas) / 100.0; }

std::string dos_decimales(long centesimas) {
    char b[32];
    std::snprintf(b, sizeof b, "%ld.%02ld", centesimas / 100, centesimas % 100);
    return b;
}

std::string xml(const std::string& s) {
    std::string r;
    for (char c : s) {
        switch (c) {
            case '&': r += "&amp;"; break;
            case '<': r += "&lt;"; break;
            case '>': r += "&gt;"; break;
            case '"': r += "&quot;"; break;
            default: r += c;
        }
    }
    return r;
}

struct Prueba {
    int leccion = 0, etapa = 0;
    std::string carpeta, nombre, id;
    std::string estado;  // superada | fallida | omitida | interrumpida | no_ejecutada | sin_avance | sin_compilar
    std::string salida;
    long maximo = 0, obtenido = 0;
    std::string papel;   // propia | argumentos | prerrequisito
    bool puerta = false; // ya funcionaba (código de partida, argumentos, etapas anteriores): no
                         // suma puntos; si falla, multiplica la lección por (1 − regresion)
    bool cuenta = true;  // false: no entra en la nota (omitida, o de la puerta y sin tiempo)
    std::string fin;     // lo que dijo el ejecutor de ella (terminó, límite, sin_tiempo)
    std::string nota;    // lo que se dice de su papel en la nota
};

std::string dos(int n) {
    char b[8];
    std::snprintf(b, sizeof b, "%02d", n);
    return b;
}

/// El texto de una prueba a partir de su registro.
std::string salida_de(const base::Registro& r) {
    std::string s;
    if (r.estado == "superada") return "✓ superada";
    if (r.estado == "omitida") return "↷ omitida: " + r.motivo_omision;
    for (const auto& i : r.informes)
        if (!i.texto.empty()) s += i.texto + "\n";
    for (const auto& f : r.fallos_sin_informe) s += "✗ fallo sin informe (error de la prueba): " + f + "\n";
    for (const auto& p : r.programas) {
        if (p.errores.empty()) continue;
        s += "Salida de errores de «" + p.orden + "» (" + p.descripcion + "):\n" + acotar(p.errores, 2048) + "\n";
    }
    if (r.recortados > 0)
        s += "(" + std::to_string(r.recortados) + " informes o programas no cupieron en el registro)\n";
    if (r.estado == "interrumpida")
        s += "✗ La prueba no terminó: el proceso de la prueba murió o se le acabó el tiempo.\n";
    else
        s += "✗ fallida\n";
    return s;
}

/// Lo que se pide (las opciones) y lo que ya se sabe antes de mirar ningún registro.
struct Entrada {
    base::Rubrica rubrica;
    std::string entrega, arbol, veredictos, compilacion, salida, partida;
    int segundos = 0;
    std::vector<std::string> notas;
    std::vector<std::pair<int, std::string>> lecciones;  ///< las del curso: número y carpeta
    std::map<std::string, std::string> fin_ejecutor;     ///< lo que dijo el ejecutor de cada prueba
    bool ejecutor_completo = false, limite_total = false;
    // De la rúbrica.
    double regresion = 0.25;  ///< lo que resta cada prueba que ya funcionaba y falla
    long total = 10000;       ///< centésimas de la nota completa
    int limite_prueba = 20, memoria_entrega = 1024;
};

/// Lo que se va escribiendo: results.json, junit.xml, la fila del CSV y lecciones.tsv.
struct Salida {
    Json tests = Json::array();
    std::string resumen, csv;
    std::string lecciones_tsv;  ///< «NN<TAB>carpeta<TAB>obtenido<TAB>máximo» (el paso de Classroom)
    std::string junit_casos;
    int junit_total = 0, junit_fallos = 0, junit_omitidas = 0;
    long nota = 0;
    std::vector<std::string> omitidas;  ///< «NN · etapa KK · Suite.Prueba: motivo»
};

/// Las lecciones del curso: «NN<TAB>carpeta».
std::vector<std::pair<int, std::string>> leer_lecciones(const std::string& ruta) {
    std::vector<std::pair<int, std::string>> r;
    std::istringstream f(leer(ruta));
    std::string l;
    while (std::getline(f, l)) {
        auto tab = l.find('\t');
        if (tab == std::string::npos) continue;
        r.push_back({std::atoi(l.substr(0, tab).c_str()), l.substr(tab + 1)});
    }
    return r;
}

/// Las pruebas esperadas: «NN<TAB>KK<TAB>carpeta<TAB>ejecutable<TAB>Suite.Prueba».
std::vector<Prueba> leer_lista(const std::string& ruta, const std::string& arbol) {
    std::vector<Prueba> pruebas;
    std::istringstream f(leer(ruta));
    std::string l;
    while (std::getline(f, l)) {
        std::istringstream c(l);
        std::string nn, kk, carpeta, ejecutable, nombre;
        if (!(std::getline(c, nn, '\t') && std::getline(c, kk, '\t') && std::getline(c, carpeta, '\t') &&
              std::getline(c, ejecutable, '\t') && std::getline(c, nombre)))
            continue;
        Prueba p;
        p.leccion = std::atoi(nn.c_str());
        p.etapa = std::atoi(kk.c_str());
        p.carpeta = carpeta;
        p.nombre = nombre;
        p.id = arbol + "/L" + nn + "/E" + kk + "/" + nombre;
        pruebas.push_back(p);
    }
    return pruebas;
}

/// Lo que dijo el ejecutor de cada prueba (terminó, límite, sin_tiempo, sin_avance) y si acabó.
void leer_ejecutor(Entrada& e, const std::string& ruta) {
    std::istringstream f(leer(ruta));
    std::string l;
    while (std::getline(f, l)) {
        auto tab = l.find('\t');
        if (tab == std::string::npos) continue;
        std::string a = l.substr(0, tab), b = l.substr(tab + 1);
        if (a == "#fin") {
            e.ejecutor_completo = true;
            e.limite_total = b == "límite_total";
        } else {
            e.fin_ejecutor[a] = b;
        }
    }
}

/// Lee las opciones (base/opciones.h) y todo lo que se sabe antes de mirar los registros.
bool leer_entrada(int argc, char** argv, Entrada& e, std::vector<Prueba>& pruebas, std::string& error) {
    base::Opciones o;
    if (!base::leer_opciones(argc, argv,
                             {{"rubrica", true}, {"lista", true}, {"lecciones", true}, {"veredictos", true},
                              {"compilacion", true}, {"entrega", true}, {"arbol", true}, {"salida", true},
                              {"nota", true}, {"segundos", true}, {"partida", true}, {"ejecutor", true}},
                             o, error))
        return false;
    e.rubrica = base::leer_rubrica(o.valor("rubrica"));
    e.entrega = o.valor("entrega", "entrega");
    // El nombre del árbol dentro del arenero (el mismo para todas las entregas).
    e.arbol = o.valor("arbol", "entrega");
    e.veredictos = o.valor("veredictos");
    e.compilacion = o.valor("compilacion");
    e.salida = o.valor("salida", ".");
    // Los veredictos del código de partida (lessons/ sin tocar), si la rúbrica los descuenta.
    e.partida = o.valor("partida");
    e.segundos = std::atoi(o.valor("segundos", "0").c_str());
    for (const auto& n : o.todos("nota")) e.notas.push_back(texto(n, 2048));
    e.lecciones = leer_lecciones(o.valor("lecciones"));
    pruebas = leer_lista(o.valor("lista"), e.arbol);
    leer_ejecutor(e, o.valor("ejecutor", e.veredictos + "/ejecutor.tsv"));
    e.regresion = std::min(1.0, numero(e.rubrica, "regresion", 0.25));
    e.total = std::lround(numero(e.rubrica, "puntos", 100) * 100);
    e.limite_prueba = static_cast<int>(numero(e.rubrica, "limite_prueba", 20));
    e.memoria_entrega = static_cast<int>(numero(e.rubrica, "memoria_entrega", 1024));
    return true;
}

/// El estado y el texto de la prueba `p` de la lección `n` (que compila), de su registro.
void estado_de(const Entrada& e, int n, Prueba& p) {
    const std::string ruta = e.veredictos + "/L" + dos(n) + "/E" + dos(p.etapa) + "/" + p.nombre + ".json";
    base::Registro r;
    std::string error;
    const base::Leido leido = base::leer_registro(ruta, r, error);
    const auto it = e.fin_ejecutor.find(p.id);
    const std::string fin = it != e.fin_ejecutor.end() ? it->second : "";
    p.fin = fin;
    if (fin == "sin_avance") {  // el atajo del ejecutor (ejecutor.cpp): no cambia la nota
        p.estado = "sin_avance";
        p.salida = "↷ No se ejecutó: ninguna prueba de la etapa de esta lección pasa, así que la "
                   "lección vale 0 pase esta o no. Se ejecutará cuando pase alguna.";
        return;
    }
    if (leido == base::Leido::no_existe || leido == base::Leido::ilegible) {
        p.estado = "no_ejecutada";
        p.salida = fin == "sin_tiempo" ? "✗ No se ejecutó: la entrega agotó su tiempo total antes de llegar aquí."
                                       : "✗ No se ejecutó (no hay veredicto de esta prueba).";
        return;
    }
    // El registro debe ser el de esta prueba. (El lector ya exige un estado conocido: superada,
    // fallida, omitida o interrumpida.)
    const bool es_suyo = r.id == p.id && r.leccion == n && r.etapa == p.etapa && (r.suite + "." + r.prueba) == p.nombre;
    if (leido != base::Leido::bien || !es_suyo) {
        p.estado = "fallida";
        p.salida = "✗ El veredicto de esta prueba no es válido (no corresponde a la prueba).";
        return;
    }
    p.estado = r.estado;
    p.salida = texto(salida_de(r));
    if (fin == "límite")
        p.salida += "✗ La prueba superó el límite de " + std::to_string(e.limite_prueba) + " s y el corrector la detuvo.\n";
    else if (fin == "memoria")
        p.salida += "✗ Entre todos, los procesos de la entrega pasaron de " + std::to_string(e.memoria_entrega) +
                    " MiB de memoria y el corrector los mató.\n";
    else if (fin == "detenido")
        p.salida += "✗ Un programa de la entrega paró la prueba con una señal (SIGSTOP): el "
                    "corrector mató los procesos de la entrega y la dejó seguir.\n";
}

/// Una lección: sus pruebas, su compilación y lo que se calcula de ellas.
struct Leccion {
    int n = 0;
    std::string carpeta, estado_comp, log_comp;
    long peso = 0;
    std::vector<Prueba*> mias, avance, puerta;
    int hechas = 0, regresiones = 0;
    long obtenidos = 0;
    std::string nota;
};

/// Reparte las pruebas de la lección entre el avance y la puerta (lo que ya funcionaba).
void avance_y_puerta(const Entrada& e, Leccion& l) {
    for (Prueba* p : l.mias) {
        if (p->estado == "omitida" || p->estado == "sin_avance") {
            p->cuenta = false;
            continue;
        }
        bool ya_funcionaba = p->papel != "propia";
        if (!ya_funcionaba && !e.partida.empty()) {
            base::Registro b;
            std::string error;
            ya_funcionaba = base::leer_registro(e.partida + "/L" + dos(l.n) + "/E" + dos(p->etapa) + "/" + p->nombre + ".json",
                                                b, error) == base::Leido::bien &&
                            b.estado == "superada";
        }
        p->puerta = ya_funcionaba;
        if (ya_funcionaba && p->estado == "no_ejecutada" && p->fin == "sin_tiempo") {
            p->cuenta = false;
            p->nota = "(no llegó a ejecutarse: como ya funcionaba, no cuenta)";
            continue;
        }
        (ya_funcionaba ? l.puerta : l.avance).push_back(p);
    }
}

/// La nota de la lección (rubrica.conf y docs/dev/corrector.md, «La nota»):
///   nota = peso × avance × (1 − regresion) ^ regresiones
///   · avance: la parte superada de lo que la lección pide hacer, las pruebas de su etapa
///     que el código de partida (lessons/ sin tocar) no supera;
///   · regresiones: cuántas fallan de lo que ya funcionaba (la «puerta»): las de su etapa
///     que el código de partida ya supera, las de argumentos y las de etapas anteriores.
/// Una prueba que falla nunca sube la nota: baja el avance o multiplica por (1 − regresion).
/// No cuentan las omitidas (no se pudieron ejecutar en esta máquina: fuera de «tests») ni
/// las de la puerta que no llegaron a ejecutarse porque la entrega agotó su tiempo total.
void calificar(const Entrada& e, Leccion& l) {
    avance_y_puerta(e, l);
    for (Prueba* p : l.avance) l.hechas += p->estado == "superada" ? 1 : 0;
    for (Prueba* p : l.puerta) l.regresiones += p->estado == "superada" ? 0 : 1;
    // Sin nada que hacer la lección no puntúa (el meta-test comprueba que cada lección sin
    // tocar falla alguna prueba de su etapa).
    const double f_avance = l.avance.empty() ? 0.0 : static_cast<double>(l.hechas) / static_cast<double>(l.avance.size());
    const double f_puerta = std::pow(1.0 - e.regresion, l.regresiones);
    l.obtenidos = std::lround(static_cast<double>(l.peso) * f_avance * f_puerta);
    {
        // Cada prueba del avance vale su parte; lo obtenido se reparte entre las superadas.
        const std::vector<long> maximos = repartir(l.peso, std::vector<double>(l.avance.size(), 1.0));
        std::vector<double> de_superadas;
        std::vector<Prueba*> superadas;
        for (std::size_t i = 0; i < l.avance.size(); ++i) {
            l.avance[i]->maximo = maximos[i];
            if (l.avance[i]->estado == "superada") {
                superadas.push_back(l.avance[i]);
                de_superadas.push_back(static_cast<double>(maximos[i]));
            }
        }
        const std::vector<long> dados = repartir(l.obtenidos, de_superadas);
        for (std::size_t i = 0; i < superadas.size(); ++i) superadas[i]->obtenido = dados[i];
    }
    const std::string cuanto_resta = std::to_string(std::lround(e.regresion * 100)) + " %";
    for (Prueba* p : l.puerta)
        p->nota = p->estado == "superada"
                      ? "(ya funcionaba antes de esta lección: no suma puntos, pero si fallara la "
                        "lección valdría un " + cuanto_resta + " menos)"
                      : "(ya funcionaba antes de esta lección y ahora falla: la lección vale un " + cuanto_resta + " menos)";
    if (l.regresiones > 0) {
        char factor[32];
        std::snprintf(factor, sizeof factor, "%.0f %%", f_puerta * 100);
        l.nota = std::to_string(l.regresiones) +
                 (l.regresiones == 1 ? " prueba que ya funcionaba falla" : " pruebas que ya funcionaban fallan") +
                 ": la lección vale el " + factor + " de lo superado";
        for (Prueba* p : l.avance)
            if (p->estado == "superada") p->nota = "(" + l.nota + ")";
    }
}

/// La entrada de compilación (0 puntos) y, si la lección no tiene pruebas, una de todo.
void entradas_de_compilacion(const Leccion& l, Salida& s) {
    const std::string nn = dos(l.n);
    std::string salida_comp;
    if (l.estado_comp == "ok") salida_comp = "✓ " + l.carpeta + " compila";
    else if (l.estado_comp == "falta") salida_comp = "✗ La entrega no tiene la carpeta " + l.carpeta + "/ (o le falta servidor.cpp o cliente.cpp).";
    else if (l.estado_comp == "vacia") salida_comp = "✗ La carpeta " + l.carpeta + "/ está vacía.";
    else salida_comp = "✗ " + l.carpeta + " no compila:\n" + l.log_comp;
    Json tc;
    tc["name"] = nn + " · compilación";
    tc["number"] = nn + ".00.00";
    tc["score"] = 0;
    tc["max_score"] = 0;
    tc["status"] = l.estado_comp == "ok" ? "passed" : "failed";
    tc["output"] = salida_comp;
    tc["tags"] = {"leccion-" + nn, "compilacion"};
    tc["visibility"] = "visible";
    s.tests.push_back(tc);
    if (l.mias.empty() && l.peso > 0) {
        Json t;
        t["name"] = nn + " · " + l.carpeta;
        t["number"] = nn + ".99.00";
        t["score"] = 0;
        t["max_score"] = puntos(l.peso);
        t["status"] = "failed";
        t["output"] = salida_comp;
        t["tags"] = {"leccion-" + nn};
        t["visibility"] = "visible";
        s.tests.push_back(t);
    }
}

/// La prueba `p` (la número `orden` de la lección `n`) en junit.xml y, si cuenta, en results.json.
void entrada_de_prueba(const Entrada& e, int n, int orden, const Prueba* p, Salida& s) {
    std::string texto_p = p->salida;
    if (!p->nota.empty()) texto_p += "\n" + p->nota;
    // JUnit lleva todas (las omitidas como <skipped>); results.json, no las omitidas:
    // Gradescope no tiene estado «omitida» y una prueba que no se pudo ejecutar no es un
    // fallo del alumno. Se dicen en «output».
    ++s.junit_total;
    s.junit_casos += "    <testcase classname=\"" + xml(e.entrega + ".L" + dos(n) + ".E" + dos(p->etapa)) + "\" name=\"" +
                     xml(p->nombre) + "\">\n";
    if (p->estado == "omitida" || p->estado == "sin_avance") {
        ++s.junit_omitidas;
        s.junit_casos += "      <skipped message=\"" + xml(p->estado) + "\"/>\n";
    } else if (p->estado != "superada") {
        ++s.junit_fallos;
        s.junit_casos += "      <failure message=\"" + xml(p->estado) + "\">" + xml(texto_p) + "</failure>\n";
    }
    s.junit_casos += "    </testcase>\n";
    if (p->estado == "sin_avance") return;  // lo dice el resumen de la lección
    if (p->estado == "omitida") {
        const std::string motivo = p->salida.substr(0, p->salida.find('\n'));
        s.omitidas.push_back(dos(n) + " · etapa " + dos(p->etapa) + " · " + p->nombre + ": " +
                             (motivo.rfind("↷ ", 0) == 0 ? motivo.substr(std::string("↷ ").size()) : motivo));
        return;
    }
    Json t;
    std::string papel = p->papel == "argumentos"      ? " (argumentos)"
                        : p->papel == "prerrequisito" ? " (etapa anterior)"
                        : p->puerta                   ? " (ya la superaba el código de partida)"
                                                      : "";
    t["name"] = dos(n) + " · etapa " + dos(p->etapa) + " · " + p->nombre + papel;
    t["number"] = dos(n) + "." + dos(p->etapa) + "." + dos(orden);
    t["score"] = puntos(p->obtenido);
    t["max_score"] = puntos(p->maximo);
    t["status"] = p->estado == "superada" ? "passed" : "failed";
    t["output"] = texto_p;
    t["tags"] = {"leccion-" + dos(n), "etapa-" + dos(p->etapa), p->papel};
    if (p->puerta) t["tags"].push_back("puerta");
    t["visibility"] = "visible";
    s.tests.push_back(t);
}

/// La línea de la lección en el resumen de results.json.
std::string resumen_de(const Leccion& l) {
    int superadas = 0, propias_superadas = 0, propias = 0, ejecutables = 0, sin_avance = 0;
    for (const Prueba* p : l.mias) {
        if (p->estado == "sin_avance") ++sin_avance;
        if (p->estado != "omitida" && p->estado != "sin_avance") ++ejecutables;
        if (p->estado == "superada") ++superadas;
        if (p->papel == "propia" && p->cuenta) ++propias;
        if (p->papel == "propia" && p->estado == "superada") ++propias_superadas;
    }
    std::string r = l.carpeta + ": " + dos_decimales(l.obtenidos) + " de " + dos_decimales(l.peso) + " puntos";
    if (l.estado_comp != "ok")
        r += l.estado_comp == "falta" ? " (falta la lección)" : l.estado_comp == "vacia" ? " (carpeta vacía)" : " (no compila)";
    else
        r += " (" + std::to_string(l.hechas) + " de " + std::to_string(l.avance.size()) + " pruebas nuevas de su etapa; " +
             std::to_string(propias_superadas) + " de " + std::to_string(propias) + " de su etapa y " +
             std::to_string(superadas) + " de " + std::to_string(ejecutables) + " en total)";
    if (!l.nota.empty()) r += "; " + l.nota;
    if (sin_avance > 0)
        r += "; " + std::to_string(sin_avance) +
             (sin_avance == 1 ? " prueba de argumentos o de etapas anteriores no se ejecutó"
                              : " pruebas de argumentos o de etapas anteriores no se ejecutaron") +
             ": ninguna de su etapa pasa, y así la lección vale 0 pasen o no";
    return r + "\n";
}

/// Una sección de los resultados por lección del curso.
void corregir_leccion(const Entrada& e, int n, const std::string& carpeta, long peso, std::vector<Prueba>& pruebas,
                      Salida& s) {
    Leccion l;
    l.n = n;
    l.carpeta = carpeta;
    l.peso = peso;
    l.estado_comp = recortar_espacios(leer(e.compilacion + "/" + dos(n) + ".estado", 64));
    l.log_comp = texto(leer(e.compilacion + "/" + dos(n) + ".log", 1 << 20), kMaxCompilacion);
    for (auto& p : pruebas)
        if (p.leccion == n) l.mias.push_back(&p);
    // El estado de cada prueba, de su registro.
    for (Prueba* p : l.mias) {
        p->papel = p->etapa == n ? "propia" : p->etapa == 0 ? "argumentos" : "prerrequisito";
        if (l.estado_comp != "ok") {
            p->estado = "sin_compilar";
            p->salida = "✗ La lección " + carpeta + " no compila: esta prueba no se pudo hacer " + "(los errores, en «" +
                        dos(n) + " · compilación»).";
            continue;
        }
        estado_de(e, n, *p);
    }
    calificar(e, l);
    entradas_de_compilacion(l, s);
    // Orden: etapa, luego nombre.
    std::stable_sort(l.mias.begin(), l.mias.end(), [](const Prueba* a, const Prueba* b) {
        return a->etapa != b->etapa ? a->etapa < b->etapa : a->nombre < b->nombre;
    });
    int orden = 0;
    for (const Prueba* p : l.mias) entrada_de_prueba(e, n, ++orden, p, s);
    s.nota += l.obtenidos;
    s.lecciones_tsv += dos(n) + "\t" + carpeta + "\t" + dos_decimales(l.obtenidos) + "\t" + dos_decimales(peso) + "\n";
    s.csv += "," + dos_decimales(l.obtenidos);
    s.resumen += resumen_de(l);
}

/// El texto general de results.json: la nota, el resumen, los avisos y las omitidas.
std::string salida_general(const Entrada& e, const Salida& s, const std::vector<std::string>& notas) {
    std::string r = "Nota: " + dos_decimales(s.nota) + " de " + dos_decimales(e.total) + " puntos.\n" + s.resumen;
    for (const auto& n : notas) r += "⚠ " + n + "\n";
    if (!s.omitidas.empty()) {
        r += "↷ " + std::to_string(s.omitidas.size()) + (s.omitidas.size() == 1 ? " prueba omitida" : " pruebas omitidas") +
             ": no se pudieron ejecutar en la máquina que corrige, así que no aparecen en la "
             "lista ni cuentan en la nota (ni a favor ni en contra):\n";
        for (const auto& o : s.omitidas) r += "  · " + texto(o, 512) + "\n";
    }
    return r;
}

/// Escribe results.json, junit.xml, fila.csv y lecciones.tsv en la carpeta de salida.
void escribir_salidas(const Entrada& e, const Salida& s, const std::string& general) {
    Json r;
    r["score"] = puntos(s.nota);
    // Redondeado hacia arriba a un minuto: el mismo resultado en dos ejecuciones.
    r["execution_time"] = ((std::max(e.segundos, 1) + 59) / 60) * 60;
    r["output"] = general;
    r["output_format"] = "text";
    r["visibility"] = "visible";
    r["stdout_visibility"] = "hidden";
    r["tests"] = s.tests;
    {
        std::ofstream f(e.salida + "/results.json", std::ios::binary | std::ios::trunc);
        f << r.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    }
    {
        std::ofstream f(e.salida + "/junit.xml", std::ios::binary | std::ios::trunc);
        f << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          << "<testsuites name=\"" << xml(e.entrega) << "\" tests=\"" << s.junit_total << "\" failures=\""
          << s.junit_fallos << "\" skipped=\"" << s.junit_omitidas << "\">\n"
          << "  <testsuite name=\"" << xml(e.entrega) << "\" tests=\"" << s.junit_total << "\" failures=\""
          << s.junit_fallos << "\" skipped=\"" << s.junit_omitidas << "\">\n"
          << "    <properties><property name=\"nota\" value=\"" << dos_decimales(s.nota) << "\"/></properties>\n"
          << s.junit_casos << "  </testsuite>\n</testsuites>\n";
    }
    std::ofstream(e.salida + "/fila.csv", std::ios::binary | std::ios::trunc) << s.csv;
    std::ofstream(e.salida + "/lecciones.tsv", std::ios::binary | std::ios::trunc) << s.lecciones_tsv;
}

}  // namespace

int orden_corregir(int argc, char** argv) {
    Entrada e;
    std::vector<Prueba> pruebas;
    std::string error;
    if (!leer_entrada(argc, argv, e, pruebas, error)) {
        std::cerr << "sockets corregir: " << error << "\n";
        return 2;
    }
    std::vector<double> pesos;
    for (const auto& [n, carpeta] : e.lecciones) pesos.push_back(numero(e.rubrica, "leccion." + dos(n), 1.0));
    const std::vector<long> por_leccion = repartir(e.total, pesos);
    Salida s;
    s.csv = e.entrega;
    // Una sección por lección del curso, en orden.
    for (std::size_t li = 0; li < e.lecciones.size(); ++li)
        corregir_leccion(e, e.lecciones[li].first, e.lecciones[li].second, por_leccion[li], pruebas, s);
    s.csv += "," + dos_decimales(s.nota) + "\n";
    std::vector<std::string> notas = e.notas;
    if (!e.ejecutor_completo && !pruebas.empty())
        notas.push_back("La ejecución de las pruebas no terminó (la entrega mató al ejecutor o agotó su tiempo): "
                        "las pruebas sin veredicto cuentan como no superadas.");
    if (e.limite_total) notas.push_back("La entrega agotó su tiempo total: las pruebas que faltaban no se ejecutaron.");
    escribir_salidas(e, s, salida_general(e, s, notas));
    return 0;
}
