/// \file parche.cpp
/// \brief El único lector de la cabecera de los parches rotos (ver parche.h).
#include "base/parche.h"

#include <cstdlib>
#include <fstream>

namespace base {

namespace {

std::string sin_espacios(std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t\r") + 1);
    return s;
}

}  // namespace

Parche leer_parche(const std::string& ruta) {
    Parche p;
    p.nombre = ruta.substr(ruta.rfind('/') + 1);
    if (p.nombre.size() > 6 && p.nombre.compare(p.nombre.size() - 6, 6, ".patch") == 0)
        p.nombre.resize(p.nombre.size() - 6);
    std::ifstream in(ruta, std::ios::binary);
    std::string l;
    // Una cabecera de verdad tiene unas pocas líneas: 200 como mucho.
    for (int n = 0; n < 200 && std::getline(in, l) && !l.empty() && l[0] == '#'; ++n) {
        auto dos = l.find(':');
        if (dos == std::string::npos) continue;
        const std::string clave = sin_espacios(l.substr(1, dos - 1)), valor = sin_espacios(l.substr(dos + 1));
        if (clave == "leccion") p.leccion = valor;
        else if (clave == "falla") p.fallas.push_back(valor);
        else if (clave == "error") p.error = valor;
        else if (clave == "variante") p.variante = valor;
        else if (clave == "paso") p.paso = std::atoi(valor.c_str());
        else if (clave == "sintoma") p.sintomas.push_back(valor);
    }
    return p;
}

}  // namespace base
