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
///   --lista: «NN<TAB>KK<TAB>carpeta<TAB>ejecutable<TAB>Suite.Prueba» (la del ejecutor).
///   --lecciones: «NN<TAB>carpeta» de todas las lecciones del curso (de etapas.tsv).
///   --compilacion: NN.estado (ok | error | falta | vacia) y NN.log (errores del compilador).
/// Escribe en DIR: results.json, junit.xml, fila.csv (sin cabecera) y lecciones.tsv.
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

/// UTF-8 válido: cada secuencia inválida pasa a U+FFFD; fuera los caracteres de control salvo
/// \n y \t, y las secuencias de color ANSI.
std::string utf8(const std::string& s) {
    std::string r;
    r.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t n = s.size(), i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c == 0x1b && i + 1 < n && p[i + 1] == '[') {  // ESC [ ... letra
            std::size_t j = i + 2;
            while (j < n && ((p[j] >= '0' && p[j] <= '9') || p[j] == ';')) ++j;
            i = (j < n) ? j + 1 : n;
            continue;
        }
        if (c < 0x80) {
            if (c >= 0x20 || c == '\n' || c == '\t') r += static_cast<char>(c);
            ++i;
            continue;
        }
        int largo = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        bool bien = largo > 0 && i + largo <= n;
        for (int k = 1; bien && k < largo; ++k) bien = (p[i + k] & 0xC0) == 0x80;
        if (bien) {
            unsigned cp = c & (0x7F >> largo);
            for (int k = 1; k < largo; ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
            bien = !(largo == 2 && cp < 0x80) && !(largo == 3 && cp < 0x800) &&
                   !(largo == 4 && (cp < 0x10000 || cp > 0x10FFFF)) && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (bien) {
            r.append(s, i, static_cast<std::size_t>(largo));
            i += static_cast<std::size_t>(largo);
        } else {
            r += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return r;
}

/// Recorta a `tope` bytes sin partir un carácter, y lo dice.
std::string acotar(const std::string& s, std::size_t tope) {
    if (s.size() <= tope) return s;
    std::size_t corte = tope;
    while (corte > 0 && (static_cast<unsigned char>(s[corte]) & 0xC0) == 0x80) --corte;
    return s.substr(0, corte) + "\n… (recortado por el corrector: " + std::to_string(s.size()) +
           " bytes en total)";
}

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
    return acotar(normalizar(utf8(s)), tope);
}

std::string opcion(int argc, char** argv, const std::string& nombre, const std::string& defecto) {
    for (int i = 1; i + 1 < argc; ++i)
        if (nombre == argv[i]) return argv[i + 1];
    return defecto;
}

std::vector<std::string> opciones(int argc, char** argv, const std::string& nombre) {
    std::vector<std::string> v;
    for (int i = 1; i + 1 < argc; ++i)
        if (nombre == argv[i]) v.push_back(argv[++i]);
    return v;
}

std::string recortar_espacios(const std::string& s) {
    auto a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return "";
    auto b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

/// La rúbrica: «clave = valor» con comentarios '#'.
std::map<std::string, std::string> leer_rubrica(const std::string& ruta) {
    std::map<std::string, std::string> r;
    std::istringstream f(leer(ruta));
    std::string linea;
    while (std::getline(f, linea)) {
        auto h = linea.find('#');
        if (h != std::string::npos) linea.resize(h);
        auto igual = linea.find('=');
        if (igual == std::string::npos) continue;
        r[recortar_espacios(linea.substr(0, igual))] = recortar_espacios(linea.substr(igual + 1));
    }
    return r;
}

double numero(const std::map<std::string, std::string>& r, const std::string& clave, double defecto) {
    auto it = r.find(clave);
    if (it == r.end() || it->second.empty()) return defecto;
    char* fin = nullptr;
    double v = std::strtod(it->second.c_str(), &fin);
    return (fin != nullptr && *fin == '\0' && std::isfinite(v) && v >= 0) ? v : defecto;
}

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
std::string salida_de(const Json& r) {
    std::string s;
    const std::string estado = r.value("estado", "");
    if (estado == "superada") return "✓ superada";
    if (estado == "omitida") return "↷ omitida: " + r.value("motivo_omision", std::string());
    if (r.contains("informes") && r["informes"].is_array())
        for (const auto& i : r["informes"])
            if (i.is_object() && i.contains("texto") && i["texto"].is_string())
                s += i["texto"].get<std::string>() + "\n";
    if (r.contains("fallos_sin_informe") && r["fallos_sin_informe"].is_array())
        for (const auto& f : r["fallos_sin_informe"])
            if (f.is_string()) s += "✗ fallo sin informe (error de la prueba): " + f.get<std::string>() + "\n";
    if (r.contains("programas") && r["programas"].is_array())
        for (const auto& p : r["programas"]) {
            if (!p.is_object()) continue;
            std::string errores = p.value("errores", std::string());
            if (errores.empty()) continue;
            s += "Salida de errores de «" + p.value("orden", std::string()) + "» (" +
                 p.value("descripcion", std::string()) + "):\n" + acotar(errores, 2048) + "\n";
        }
    if (r.value("recortados", 0) > 0)
        s += "(" + std::to_string(r.value("recortados", 0)) + " informes o programas no cupieron en el registro)\n";
    if (estado == "interrumpida")
        s += "✗ La prueba no terminó: el proceso de la prueba murió o se le acabó el tiempo.\n";
    else
        s += "✗ fallida\n";
    return s;
}

}  // namespace

int orden_corregir(int argc, char** argv) {
    const auto rubrica = leer_rubrica(opcion(argc, argv, "--rubrica", ""));
    const std::string entrega = opcion(argc, argv, "--entrega", "entrega");
    // El nombre del árbol dentro del arenero (el mismo para todas las entregas).
    const std::string arbol = opcion(argc, argv, "--arbol", "entrega");
    const std::string veredictos = opcion(argc, argv, "--veredictos", "");
    const std::string compilacion = opcion(argc, argv, "--compilacion", "");
    const std::string salida = opcion(argc, argv, "--salida", ".");
    // Los veredictos del código de partida (lessons/ sin tocar), si la rúbrica los descuenta.
    const std::string partida = opcion(argc, argv, "--partida", "");
    const int segundos = std::atoi(opcion(argc, argv, "--segundos", "0").c_str());
    std::vector<std::string> notas;
    for (const auto& n : opciones(argc, argv, "--nota")) notas.push_back(texto(n, 2048));

    // Las lecciones del curso.
    std::vector<std::pair<int, std::string>> lecciones;
    {
        std::istringstream f(leer(opcion(argc, argv, "--lecciones", "")));
        std::string l;
        while (std::getline(f, l)) {
            auto tab = l.find('\t');
            if (tab == std::string::npos) continue;
            lecciones.push_back({std::atoi(l.substr(0, tab).c_str()), l.substr(tab + 1)});
        }
    }
    // Las pruebas esperadas.
    std::vector<Prueba> pruebas;
    {
        std::istringstream f(leer(opcion(argc, argv, "--lista", "")));
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
    }
    // Lo que dijo el ejecutor de cada prueba (terminó, límite, sin_tiempo).
    std::map<std::string, std::string> fin_ejecutor;
    bool ejecutor_completo = false, limite_total = false;
    {
        std::istringstream f(leer(veredictos + "/ejecutor.tsv"));
        std::string l;
        while (std::getline(f, l)) {
            auto tab = l.find('\t');
            if (tab == std::string::npos) continue;
            std::string a = l.substr(0, tab), b = l.substr(tab + 1);
            if (a == "#fin") {
                ejecutor_completo = true;
                limite_total = b == "límite_total";
            } else {
                fin_ejecutor[a] = b;
            }
        }
    }

    // Lo que resta cada prueba que ya funcionaba y falla (rubrica.conf, «regresion»).
    const double regresion = std::min(1.0, numero(rubrica, "regresion", 0.25));
    const long total = std::lround(numero(rubrica, "puntos", 100) * 100);
    const int limite_prueba = static_cast<int>(numero(rubrica, "limite_prueba", 20));
    const int memoria_entrega = static_cast<int>(numero(rubrica, "memoria_entrega", 1024));

    std::vector<double> pesos;
    for (const auto& [n, carpeta] : lecciones) pesos.push_back(numero(rubrica, "leccion." + dos(n), 1.0));
    const std::vector<long> por_leccion = repartir(total, pesos);

    Json tests = Json::array();
    std::string resumen, csv = entrega;
    std::string lecciones_tsv;  // «NN<TAB>carpeta<TAB>obtenido<TAB>máximo» (el paso de Classroom)
    std::string junit_casos;
    int junit_total = 0, junit_fallos = 0, junit_omitidas = 0;
    long nota = 0;
    std::vector<std::string> omitidas;  // «NN · etapa KK · Suite.Prueba: motivo»

    // Una sección por lección del curso, en orden.
    for (std::size_t li = 0; li < lecciones.size(); ++li) {
        const int n = lecciones[li].first;
        const std::string& carpeta = lecciones[li].second;
        const std::string estado_comp = recortar_espacios(leer(compilacion + "/" + dos(n) + ".estado", 64));
        const std::string log_comp = texto(leer(compilacion + "/" + dos(n) + ".log", 1 << 20), kMaxCompilacion);
        std::vector<Prueba*> mias;
        for (auto& p : pruebas)
            if (p.leccion == n) mias.push_back(&p);
        std::string nota_leccion;

        // El estado de cada prueba, de su registro.
        for (Prueba* p : mias) {
            p->papel = p->etapa == n ? "propia" : p->etapa == 0 ? "argumentos" : "prerrequisito";
            if (estado_comp != "ok") {
                p->estado = "sin_compilar";
                p->salida = "✗ La lección " + carpeta + " no compila: esta prueba no se pudo hacer " +
                            "(los errores, en «" + dos(n) + " · compilación»).";
                continue;
            }
            const std::string ruta = veredictos + "/L" + dos(n) + "/E" + dos(p->etapa) + "/" + p->nombre + ".json";
            Json r = Json::parse(leer(ruta, 1 << 20), nullptr, false);
            const std::string fin = fin_ejecutor.count(p->id) ? fin_ejecutor[p->id] : "";
            p->fin = fin;
            if (fin == "sin_avance") {  // el atajo del ejecutor (ejecutor.cpp): no cambia la nota
                p->estado = "sin_avance";
                p->salida = "↷ No se ejecutó: ninguna prueba de la etapa de esta lección pasa, así que la "
                            "lección vale 0 pase esta o no. Se ejecutará cuando pase alguna.";
                continue;
            }
            if (r.is_discarded() || !r.is_object()) {
                p->estado = "no_ejecutada";
                p->salida = fin == "sin_tiempo"
                                ? "✗ No se ejecutó: la entrega agotó su tiempo total antes de llegar aquí."
                                : "✗ No se ejecutó (no hay veredicto de esta prueba).";
                continue;
            }
            // El registro debe ser el de esta prueba.
            bool es_suyo = r.value("id", "") == p->id && r.value("leccion", -1) == n &&
                           r.value("etapa", -1) == p->etapa &&
                           (r.value("suite", "") + "." + r.value("prueba", "")) == p->nombre;
            std::string estado = r.value("estado", "");
            if (!es_suyo || (estado != "superada" && estado != "fallida" && estado != "omitida" &&
                             estado != "interrumpida")) {
                p->estado = "fallida";
                p->salida = "✗ El veredicto de esta prueba no es válido (no corresponde a la prueba).";
                continue;
            }
            p->estado = estado;
            p->salida = texto(salida_de(r));
            if (fin == "límite")
                p->salida += "✗ La prueba superó el límite de " + std::to_string(limite_prueba) +
                             " s y el corrector la detuvo.\n";
            else if (fin == "memoria")
                p->salida += "✗ Entre todos, los procesos de la entrega pasaron de " +
                             std::to_string(memoria_entrega) +
                             " MiB de memoria y el corrector los mató.\n";
            else if (fin == "detenido")
                p->salida += "✗ Un programa de la entrega paró la prueba con una señal (SIGSTOP): el "
                             "corrector mató los procesos de la entrega y la dejó seguir.\n";
        }

        // La nota de la lección (rubrica.conf y docs/dev/corrector.md, «La nota»):
        //   nota = peso × avance × (1 − regresion) ^ regresiones
        //   · avance: la parte superada de lo que la lección pide hacer, las pruebas de su etapa
        //     que el código de partida (lessons/ sin tocar) no supera;
        //   · regresiones: cuántas fallan de lo que ya funcionaba (la «puerta»): las de su etapa
        //     que el código de partida ya supera, las de argumentos y las de etapas anteriores.
        // Una prueba que falla nunca sube la nota: baja el avance o multiplica por (1 − regresion).
        // No cuentan las omitidas (no se pudieron ejecutar en esta máquina: fuera de «tests») ni
        // las de la puerta que no llegaron a ejecutarse porque la entrega agotó su tiempo total.
        const long peso_leccion = por_leccion[li];
        std::vector<Prueba*> avance, puerta;
        for (Prueba* p : mias) {
            if (p->estado == "omitida" || p->estado == "sin_avance") {
                p->cuenta = false;
                continue;
            }
            bool ya_funcionaba = p->papel != "propia";
            if (!ya_funcionaba && !partida.empty()) {
                Json b = Json::parse(leer(partida + "/L" + dos(n) + "/E" + dos(p->etapa) + "/" + p->nombre + ".json", 1 << 20),
                                     nullptr, false);
                ya_funcionaba = b.is_object() && b.value("estado", "") == "superada";
            }
            p->puerta = ya_funcionaba;
            if (ya_funcionaba && p->estado == "no_ejecutada" && p->fin == "sin_tiempo") {
                p->cuenta = false;
                p->nota = "(no llegó a ejecutarse: como ya funcionaba, no cuenta)";
                continue;
            }
            (ya_funcionaba ? puerta : avance).push_back(p);
        }
        int hechas = 0, regresiones = 0;
        for (Prueba* p : avance) hechas += p->estado == "superada" ? 1 : 0;
        for (Prueba* p : puerta) regresiones += p->estado == "superada" ? 0 : 1;
        // Sin nada que hacer la lección no puntúa (el meta-test comprueba que cada lección sin
        // tocar falla alguna prueba de su etapa).
        const double f_avance = avance.empty() ? 0.0 : static_cast<double>(hechas) / static_cast<double>(avance.size());
        const double f_puerta = std::pow(1.0 - regresion, regresiones);
        const long obtenidos = std::lround(static_cast<double>(peso_leccion) * f_avance * f_puerta);
        {
            // Cada prueba del avance vale su parte; lo obtenido se reparte entre las superadas.
            const std::vector<long> maximos = repartir(peso_leccion, std::vector<double>(avance.size(), 1.0));
            std::vector<double> de_superadas;
            std::vector<Prueba*> superadas;
            for (std::size_t i = 0; i < avance.size(); ++i) {
                avance[i]->maximo = maximos[i];
                if (avance[i]->estado == "superada") {
                    superadas.push_back(avance[i]);
                    de_superadas.push_back(static_cast<double>(maximos[i]));
                }
            }
            const std::vector<long> dados = repartir(obtenidos, de_superadas);
            for (std::size_t i = 0; i < superadas.size(); ++i) superadas[i]->obtenido = dados[i];
        }
        const std::string cuanto_resta = std::to_string(std::lround(regresion * 100)) + " %";
        for (Prueba* p : puerta)
            p->nota = p->estado == "superada"
                          ? "(ya funcionaba antes de esta lección: no suma puntos, pero si fallara la "
                            "lección valdría un " + cuanto_resta + " menos)"
                          : "(ya funcionaba antes de esta lección y ahora falla: la lección vale un " +
                                cuanto_resta + " menos)";
        if (regresiones > 0) {
            char factor[32];
            std::snprintf(factor, sizeof factor, "%.0f %%", f_puerta * 100);
            nota_leccion = std::to_string(regresiones) +
                           (regresiones == 1 ? " prueba que ya funcionaba falla" : " pruebas que ya funcionaban fallan") +
                           ": la lección vale el " + factor + " de lo superado";
            for (Prueba* p : avance)
                if (p->estado == "superada") p->nota = "(" + nota_leccion + ")";
        }

        long obtenidos_pruebas = 0;
        int superadas = 0, propias_superadas = 0, propias = 0, ejecutables = 0, sin_avance = 0;
        for (Prueba* p : mias) {
            obtenidos_pruebas += p->obtenido;
            if (p->estado == "sin_avance") ++sin_avance;
            if (p->estado != "omitida" && p->estado != "sin_avance") ++ejecutables;
            if (p->estado == "superada") ++superadas;
            if (p->papel == "propia" && p->cuenta) ++propias;
            if (p->papel == "propia" && p->estado == "superada") ++propias_superadas;
        }
        (void)obtenidos_pruebas;  // == obtenidos: repartir() da exactamente el total
        // La entrada de compilación (0 puntos) y, si la lección no tiene pruebas, una de todo.
        std::string titulo_comp = dos(n) + " · compilación";
        std::string salida_comp;
        if (estado_comp == "ok") salida_comp = "✓ " + carpeta + " compila";
        else if (estado_comp == "falta") salida_comp = "✗ La entrega no tiene la carpeta " + carpeta + "/ (o le falta servidor.cpp o cliente.cpp).";
        else if (estado_comp == "vacia") salida_comp = "✗ La carpeta " + carpeta + "/ está vacía.";
        else salida_comp = "✗ " + carpeta + " no compila:\n" + log_comp;
        Json tc;
        tc["name"] = titulo_comp;
        tc["number"] = dos(n) + ".00.00";
        tc["score"] = 0;
        tc["max_score"] = 0;
        tc["status"] = estado_comp == "ok" ? "passed" : "failed";
        tc["output"] = salida_comp;
        tc["tags"] = {"leccion-" + dos(n), "compilacion"};
        tc["visibility"] = "visible";
        tests.push_back(tc);
        if (mias.empty() && peso_leccion > 0) {
            Json t;
            t["name"] = dos(n) + " · " + carpeta;
            t["number"] = dos(n) + ".99.00";
            t["score"] = 0;
            t["max_score"] = puntos(peso_leccion);
            t["status"] = "failed";
            t["output"] = salida_comp;
            t["tags"] = {"leccion-" + dos(n)};
            t["visibility"] = "visible";
            tests.push_back(t);
        }
        // Orden: etapa, luego nombre.
        std::stable_sort(mias.begin(), mias.end(), [](const Prueba* a, const Prueba* b) {
            return a->etapa != b->etapa ? a->etapa < b->etapa : a->nombre < b->nombre;
        });
        int orden = 0;
        for (Prueba* p : mias) {
            ++orden;
            std::string s = p->salida;
            if (!p->nota.empty()) s += "\n" + p->nota;
            // JUnit lleva todas (las omitidas como <skipped>); results.json, no las omitidas:
            // Gradescope no tiene estado «omitida» y una prueba que no se pudo ejecutar no es un
            // fallo del alumno. Se dicen en «output» (más abajo).
            ++junit_total;
            junit_casos += "    <testcase classname=\"" + xml(entrega + ".L" + dos(n) + ".E" + dos(p->etapa)) +
                           "\" name=\"" + xml(p->nombre) + "\">\n";
            if (p->estado == "omitida" || p->estado == "sin_avance") {
                ++junit_omitidas;
                junit_casos += "      <skipped message=\"" + xml(p->estado) + "\"/>\n";
            } else if (p->estado != "superada") {
                ++junit_fallos;
                junit_casos += "      <failure message=\"" + xml(p->estado) + "\">" + xml(s) + "</failure>\n";
            }
            junit_casos += "    </testcase>\n";
            if (p->estado == "sin_avance") continue;  // lo dice el resumen de la lección
            if (p->estado == "omitida") {
                const std::string motivo = p->salida.substr(0, p->salida.find('\n'));
                omitidas.push_back(dos(n) + " · etapa " + dos(p->etapa) + " · " + p->nombre + ": " +
                                   (motivo.rfind("↷ ", 0) == 0 ? motivo.substr(std::string("↷ ").size()) : motivo));
                continue;
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
            t["output"] = s;
            t["tags"] = {"leccion-" + dos(n), "etapa-" + dos(p->etapa), p->papel};
            if (p->puerta) t["tags"].push_back("puerta");
            t["visibility"] = "visible";
            tests.push_back(t);
        }
        nota += obtenidos;
        lecciones_tsv += dos(n) + "\t" + carpeta + "\t" + dos_decimales(obtenidos) + "\t" + dos_decimales(peso_leccion) + "\n";
        csv += "," + dos_decimales(obtenidos);
        resumen += carpeta + ": " + dos_decimales(obtenidos) + " de " + dos_decimales(peso_leccion) + " puntos";
        if (estado_comp != "ok")
            resumen += estado_comp == "falta" ? " (falta la lección)" : estado_comp == "vacia" ? " (carpeta vacía)" : " (no compila)";
        else
            resumen += " (" + std::to_string(hechas) + " de " + std::to_string(avance.size()) +
                       " pruebas nuevas de su etapa; " + std::to_string(propias_superadas) + " de " +
                       std::to_string(propias) + " de su etapa y " + std::to_string(superadas) + " de " +
                       std::to_string(ejecutables) + " en total)";
        if (!nota_leccion.empty()) resumen += "; " + nota_leccion;
        if (sin_avance > 0)
            resumen += "; " + std::to_string(sin_avance) +
                       (sin_avance == 1 ? " prueba de argumentos o de etapas anteriores no se ejecutó"
                                        : " pruebas de argumentos o de etapas anteriores no se ejecutaron") +
                       ": ninguna de su etapa pasa, y así la lección vale 0 pasen o no";
        resumen += "\n";
    }
    csv += "," + dos_decimales(nota) + "\n";

    if (!ejecutor_completo && !pruebas.empty())
        notas.push_back("La ejecución de las pruebas no terminó (la entrega mató al ejecutor o agotó su tiempo): "
                        "las pruebas sin veredicto cuentan como no superadas.");
    if (limite_total) notas.push_back("La entrega agotó su tiempo total: las pruebas que faltaban no se ejecutaron.");

    std::string salida_general = "Nota: " + dos_decimales(nota) + " de " + dos_decimales(total) + " puntos.\n" + resumen;
    for (const auto& n : notas) salida_general += "⚠ " + n + "\n";
    if (!omitidas.empty()) {
        salida_general += "↷ " + std::to_string(omitidas.size()) +
                          (omitidas.size() == 1 ? " prueba omitida" : " pruebas omitidas") +
                          ": no se pudieron ejecutar en la máquina que corrige, así que no aparecen en la "
                          "lista ni cuentan en la nota (ni a favor ni en contra):\n";
        for (const auto& o : omitidas) salida_general += "  · " + texto(o, 512) + "\n";
    }

    Json r;
    r["score"] = puntos(nota);
    // Redondeado hacia arriba a un minuto: el mismo resultado en dos ejecuciones.
    r["execution_time"] = ((std::max(segundos, 1) + 59) / 60) * 60;
    r["output"] = salida_general;
    r["output_format"] = "text";
    r["visibility"] = "visible";
    r["stdout_visibility"] = "hidden";
    r["tests"] = tests;
    {
        std::ofstream f(salida + "/results.json", std::ios::binary | std::ios::trunc);
        f << r.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    }
    {
        std::ofstream f(salida + "/junit.xml", std::ios::binary | std::ios::trunc);
        f << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          << "<testsuites name=\"" << xml(entrega) << "\" tests=\"" << junit_total << "\" failures=\""
          << junit_fallos << "\" skipped=\"" << junit_omitidas << "\">\n"
          << "  <testsuite name=\"" << xml(entrega) << "\" tests=\"" << junit_total << "\" failures=\""
          << junit_fallos << "\" skipped=\"" << junit_omitidas << "\">\n"
          << "    <properties><property name=\"nota\" value=\"" << dos_decimales(nota) << "\"/></properties>\n"
          << junit_casos << "  </testsuite>\n</testsuites>\n";
    }
    {
        std::ofstream f(salida + "/fila.csv", std::ios::binary | std::ios::trunc);
        f << csv;
    }
    {
        std::ofstream f(salida + "/lecciones.tsv", std::ios::binary | std::ios::trunc);
        f << lecciones_tsv;
    }
    return 0;
}
