/// \file escaleras.h
/// \brief Las escaleras de pistas (tests/etapas/pistas/KK.tsv, ver su LEEME.md): leerlas y elegir
///        la de una prueba o un síntoma. La usan `sockets pista` (./tutorial pista) y el
///        meta-test (`sockets meta`: cada síntoma tiene su escalera y ninguna entrega
///        rota recibe la escalera genérica de su etapa).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

namespace escaleras {

/// Prefijo de las escaleras de síntomas en los .tsv: «sintoma:append_sin_cuenta».
inline const std::string kSintoma = "sintoma:";

/// Los peldaños de una clave: número -> texto. El peldaño 0 de un síntoma es su nombre para el
/// alumno («el puerto sin htons()»): nunca se enseña el identificador interno.
using Escalera = std::map<int, std::string>;
/// Las escaleras de una etapa: clave («Suite.Prueba», «Suite.Prefijo*», «*», «sintoma:ID»).
using Escaleras = std::map<std::string, Escalera>;

/// Lee un KK.tsv (CLAVE<TAB>PELDAÑO<TAB>TEXTO; «\n» es un salto de línea). Sin fichero, vacío.
inline Escaleras leer(const std::string& fichero) {
    Escaleras r;
    std::ifstream f(fichero);
    std::string linea;
    while (std::getline(f, linea)) {
        if (linea.empty() || linea[0] == '#') continue;
        const auto t1 = linea.find('\t');
        const auto t2 = t1 == std::string::npos ? t1 : linea.find('\t', t1 + 1);
        if (t2 == std::string::npos) continue;
        const std::string clave = linea.substr(0, t1);
        const std::string numero = linea.substr(t1 + 1, t2 - t1 - 1);
        if (numero.empty() || numero.find_first_not_of("0123456789") != std::string::npos) continue;
        std::string texto;
        const std::string crudo = linea.substr(t2 + 1);
        for (std::size_t i = 0; i < crudo.size(); ++i) {
            if (crudo[i] == '\\' && i + 1 < crudo.size()) {
                const char c = crudo[++i];
                texto += (c == 'n') ? '\n' : (c == 't') ? '\t' : c;
            } else {
                texto += crudo[i];
            }
        }
        r[clave][std::atoi(numero.c_str())] = texto;
    }
    return r;
}

/// «NN.tsv» de la etapa `n` en la carpeta `dir`.
inline std::string fichero(const std::string& dir, int n) {
    char b[16];
    std::snprintf(b, sizeof b, "/%02d.tsv", n);
    return dir + b;
}

/// La clave de la escalera más concreta para una prueba: la suya, la del prefijo más largo que
/// encaje («Suite.*», «Suite.Cliente*») o la de toda la etapa («*»). "" si no hay ninguna. Los
/// peldaños que cuentan son los de número 1 o más.
inline std::string clave_de(const Escaleras& e, const std::string& prueba) {
    auto tiene = [&](const std::string& k) {
        auto i = e.find(k);
        return i != e.end() && i->second.upper_bound(0) != i->second.end();
    };
    if (tiene(prueba)) return prueba;
    std::string mejor;
    std::size_t largo = 0;
    for (const auto& [clave, peldanos] : e) {
        if (clave.empty() || clave.back() != '*' || !tiene(clave)) continue;
        const std::string prefijo = clave.substr(0, clave.size() - 1);
        if (prueba.compare(0, prefijo.size(), prefijo) == 0 && (mejor.empty() || prefijo.size() >= largo)) {
            mejor = clave;
            largo = prefijo.size();
        }
    }
    return mejor;
}

/// La escalera del síntoma `id` con su nombre (peldaño 0): la busca en las etapas `etapas`, en
/// orden (la de la prueba, la de la lección, la 00 de los síntomas comunes). nullptr si no está.
/// `nombre` recibe el del peldaño 0 («» si no tiene).
template <typename Etapas>
const Escalera* de_sintoma(const std::string& dir, const Etapas& etapas, const std::string& id,
                           Escaleras& guardadas, std::string& nombre) {
    for (int n : etapas) {
        Escaleras e = leer(fichero(dir, n));
        auto i = e.find(kSintoma + id);
        if (i == e.end() || i->second.upper_bound(0) == i->second.end()) continue;
        guardadas = std::move(e);
        const Escalera& r = guardadas.at(kSintoma + id);
        auto cero = r.find(0);
        nombre = cero == r.end() ? "" : cero->second;
        return &r;
    }
    return nullptr;
}

}  // namespace escaleras
