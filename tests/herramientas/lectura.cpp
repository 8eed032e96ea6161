/// \file lectura.cpp
/// \brief La lectura de la lista de pruebas de CTest y de los registros (con base/registro.h).
#include "veredictos.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace veredictos {

namespace {

bool numero(const std::string& s, int& n) {
    if (s.empty() || s.size() > 6) return false;
    n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        n = n * 10 + (c - '0');
    }
    return true;
}

bool empieza(const std::string& s, const std::string& prefijo) {
    return s.compare(0, prefijo.size(), prefijo) == 0;
}

}  // namespace

bool leer_lista(const std::string& contenido, std::vector<Prueba>& pruebas, std::string& error) {
    Json j;
    if (!base::interpretar(contenido, j, error)) {
        error = "la lista de pruebas de CTest " + error;
        return false;
    }
    if (!j.is_object() || !j.contains("tests") || !j["tests"].is_array()) {
        error = "la lista de pruebas de CTest no tiene «tests» (¿es la salida de "
                "ctest --show-only=json-v1?)";
        return false;
    }
    for (const auto& t : j["tests"]) {
        Prueba p;
        p.nombre = texto(t, "name");
        if (p.nombre.empty()) continue;
        bool desactivada = false;
        for (const auto& prop : lista(t, "properties")) {
            const std::string nombre = texto(prop, "name");
            if (nombre == "LABELS") {
                if (prop.contains("value") && prop["value"].is_array())
                    for (const auto& e : prop["value"])
                        if (e.is_string()) p.etiquetas.push_back(e.get<std::string>());
            } else if (nombre == "DISABLED") {
                desactivada = prop.contains("value") && prop["value"].is_boolean() &&
                              prop["value"].get<bool>();
            }
        }
        if (desactivada) continue;
        std::string carpeta;
        for (const auto& a : lista(t, "command")) {
            if (!a.is_string()) continue;
            const std::string arg = a.get<std::string>();
            p.comando.push_back(arg);
            auto valor = [&](const char* prefijo, std::string& destino) {
                if (!empieza(arg, prefijo)) return false;
                destino = arg.substr(std::string(prefijo).size());
                return true;
            };
            std::string v;
            if (valor("--sockets-veredictos=", carpeta)) continue;
            if (valor("--sockets-registro=", p.registro)) continue;
            if (valor("--gtest_filter=", p.caso)) continue;
            if (valor("--sockets-arbol=", p.arbol)) continue;
            if (valor("--sockets-leccion=", v)) {
                numero(v, p.leccion);
                continue;
            }
            if (valor("--sockets-etapa=", v)) numero(v, p.etapa);
        }
        if (p.registro.empty() && !carpeta.empty() && !p.caso.empty())
            p.registro = carpeta + "/" + p.caso + ".json";
        if (p.arbol.empty()) p.arbol = p.nombre.substr(0, p.nombre.find('/'));
        if (p.caso.empty()) p.caso = p.nombre.substr(p.nombre.rfind('/') + 1);
        p.orden = pruebas.size();
        pruebas.push_back(std::move(p));
    }
    return true;
}

void leer_registros(std::vector<Prueba>& pruebas) {
    for (auto& p : pruebas) {
        p.datos = Registro();
        p.leido = false;
        p.problema.clear();
        if (p.registro.empty()) {
            p.estado = Estado::sin_veredicto;
            continue;
        }
        switch (base::leer_registro(p.registro, p.datos, p.problema)) {
            case base::Leido::no_existe:
                p.problema.clear();
                p.estado = Estado::sin_registro;
                continue;
            case base::Leido::ilegible:
            case base::Leido::invalido:
                p.estado = Estado::ilegible;
                continue;
            case base::Leido::bien:
                break;
        }
        p.leido = true;
        const std::string& e = p.datos.estado;
        p.estado = e == "superada" ? Estado::superada
                   : e == "omitida" ? Estado::omitida
                   : e == "fallida" ? Estado::fallida
                                    : Estado::interrumpida;
    }
}

}  // namespace veredictos
