/// \file nota.cpp
/// \brief `sockets nota`: un results.json de Gradescope que escribió el corrector
///        (tests/corrector/resultados.cpp), comprobado y preguntado. Lo usan las pruebas del
///        corrector (tests/corrector/prueba*.sh): ningún guion lee ese JSON por su cuenta.
///
///     sockets nota RESULTS.json                       la nota (score)
///     sockets nota RESULTS.json --campo=CAMPO         ese campo de arriba (output, max_score…)
///     sockets nota RESULTS.json --prueba=N --campo=C  ese campo de la prueba de nombre N
///     sockets nota RESULTS.json --campo=pruebas [--con=TEXTO]
///                     una línea por prueba, «nombre<TAB>score<TAB>max_score<TAB>status»; con
///                     --con, solo las que llevan TEXTO en su «output»
///
/// Antes de contestar comprueba que es un results.json bien formado: JSON en UTF-8, un objeto
/// con «score» numérico igual a la suma de los «score» de sus pruebas (redondeada a centésimas) y
/// cada prueba con name, number, score, max_score, status, output, tags y visibility. Si no, lo
/// dice en español y sale con 1 (también si falta la prueba o el campo); 2, uso incorrecto.
#include "ordenes.h"

#include "base/json.h"
#include "base/opciones.h"
#include "base/texto.h"

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

namespace {

using base::Json;

int no(const std::string& ruta, const std::string& motivo) {
    std::cerr << "sockets nota: " << ruta << ": " << base::sin_control(motivo) << "\n";
    return 1;
}

/// Un valor como texto: las cadenas tal cual, los números y lo demás como en JSON.
std::string como_texto(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

/// ¿Es un results.json bien formado? Vacío si sí; si no, por qué.
std::string mal_formado(const Json& r) {
    if (!r.is_object()) return "no es un objeto JSON";
    const auto score = r.find("score");
    if (score == r.end() || !score->is_number()) return "no tiene «score» numérico";
    const Json& pruebas = base::lista(r, "tests");
    double suma = 0;
    for (const auto& t : pruebas) {
        if (!t.is_object()) return "una prueba no es un objeto";
        for (const char* k : {"name", "number", "score", "max_score", "status", "output", "tags", "visibility"})
            if (!t.contains(k)) return std::string("a una prueba le falta «") + k + "»";
        if (!t["score"].is_number()) return "el «score» de " + como_texto(t["name"]) + " no es un número";
        suma += t["score"].get<double>();
    }
    suma = std::round(suma * 100) / 100;
    if (std::fabs(suma - score->get<double>()) > 1e-6)
        return "score " + score->dump() + " no es la suma de las pruebas (" + Json(suma).dump() + ")";
    return "";
}

/// --campo=pruebas: una línea por prueba (con --con, las que llevan ese texto en su output).
void listar(const Json& r, const base::Opciones& o) {
    const std::string con = o.valor("con");
    for (const auto& t : base::lista(r, "tests")) {
        if (!con.empty() && base::texto(t, "output").find(con) == std::string::npos) continue;
        std::cout << base::sin_control(como_texto(t["name"])) << "\t" << t["score"].dump() << "\t"
                  << t["max_score"].dump() << "\t" << base::sin_control(base::texto(t, "status")) << "\n";
    }
}

}  // namespace

int orden_nota(int argc, char** argv) {
    const std::vector<base::Opcion> opciones = {{"campo", true}, {"prueba", true}, {"con", true}};
    // El fichero, en cualquier sitio; las opciones, alrededor.
    std::string ruta;
    std::vector<char*> resto{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (ruta.empty() && argv[i][0] != '-') ruta = argv[i];
        else resto.push_back(argv[i]);
    }
    resto.push_back(nullptr);
    base::Opciones o;
    std::string error;
    if (!base::leer_opciones(static_cast<int>(resto.size()) - 1, resto.data(), opciones, o, error) ||
        ruta.empty() || !o.resto.empty()) {
        std::cerr << "sockets: nota RESULTS.json [--prueba=NOMBRE] [--campo=CAMPO] [--con=TEXTO]"
                  << (error.empty() ? "" : ": " + base::sin_control(error)) << " (sockets ayuda: las órdenes)\n";
        return 2;
    }
    std::string crudo;
    Json r;
    if (!base::leer_fichero(ruta, 64u * 1024 * 1024, crudo, error)) return no(ruta, error);
    if (!base::interpretar(crudo, r, error)) return no(ruta, "no es JSON válido en UTF-8: " + error);
    const std::string problema = mal_formado(r);
    if (!problema.empty()) return no(ruta, problema);
    const std::string campo = o.valor("campo", "score");
    if (campo == "pruebas" && !o.hay("prueba")) {
        listar(r, o);
        return 0;
    }
    const Json* donde = &r;
    if (o.hay("prueba")) {
        donde = nullptr;
        for (const auto& t : base::lista(r, "tests"))
            if (como_texto(t["name"]) == o.valor("prueba")) donde = &t;
        if (donde == nullptr) return no(ruta, "no hay ninguna prueba «" + o.valor("prueba") + "»");
    }
    const auto v = donde->find(campo);
    if (v == donde->end()) return no(ruta, "no tiene el campo «" + campo + "»");
    std::cout << como_texto(*v) << "\n";
    return 0;
}
