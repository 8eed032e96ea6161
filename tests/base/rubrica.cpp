/// \file rubrica.cpp
/// \brief El lector de la rúbrica (ver rubrica.h).
#include "base/rubrica.h"

#include <cmath>
#include <cstdlib>
#include <fstream>

namespace base {

namespace {

std::string sin_espacios(const std::string& s) {
    auto a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return "";
    auto b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

}  // namespace

Rubrica leer_rubrica(const std::string& ruta) {
    Rubrica r;
    std::ifstream f(ruta, std::ios::binary);
    std::string linea;
    // Una rúbrica de verdad ocupa unas decenas de líneas: 4 MiB como mucho.
    std::size_t leido = 0;
    while (leido < 4u * 1024 * 1024 && std::getline(f, linea)) {
        leido += linea.size() + 1;
        auto h = linea.find('#');
        if (h != std::string::npos) linea.resize(h);
        auto igual = linea.find('=');
        if (igual == std::string::npos) continue;
        r[sin_espacios(linea.substr(0, igual))] = sin_espacios(linea.substr(igual + 1));
    }
    return r;
}

double numero(const Rubrica& r, const std::string& clave, double defecto) {
    auto it = r.find(clave);
    if (it == r.end() || it->second.empty()) return defecto;
    char* fin = nullptr;
    double v = std::strtod(it->second.c_str(), &fin);
    return (fin != nullptr && *fin == '\0' && std::isfinite(v) && v >= 0) ? v : defecto;
}

std::string valor(const Rubrica& r, const std::string& clave, const std::string& defecto) {
    auto it = r.find(clave);
    return it == r.end() || it->second.empty() ? defecto : it->second;
}

}  // namespace base
