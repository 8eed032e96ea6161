/// \file lectura.cpp
/// \brief La lectura de la tabla de etapas, de la lista de pruebas de CTest y de los registros.
#include "veredictos.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace veredictos {

namespace {

std::vector<std::string> partir(const std::string& linea, char separador) {
    std::vector<std::string> c;
    std::string actual;
    for (char ch : linea) {
        if (ch == separador) {
            c.push_back(actual);
            actual.clear();
        } else if (ch != '\r') {
            actual += ch;
        }
    }
    c.push_back(actual);
    return c;
}

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

int Tabla::pasos_de(int n) const {
    int r = 0;
    for (const auto& p : pasos)
        if (p.etapa == n) r = std::max(r, p.numero);
    return r;
}

int Tabla::paso_de(int n, const std::string& caso) const {
    for (const auto& p : pasos)
        if (p.etapa == n && std::find(p.pruebas.begin(), p.pruebas.end(), caso) != p.pruebas.end())
            return p.numero;
    return pasos_de(n);
}

const Paso* Tabla::paso(int n, int k) const {
    for (const auto& p : pasos)
        if (p.etapa == n && p.numero == k) return &p;
    return nullptr;
}

const Etapa* Tabla::etapa(int n) const {
    for (const auto& e : etapas)
        if (e.numero == n) return &e;
    return nullptr;
}

const Etapa* Tabla::leccion(int n) const {
    const Etapa* e = etapa(n);
    return e != nullptr && e->tiene_leccion() ? e : nullptr;
}

const Etapa* Tabla::siguiente(int n) const {
    const Etapa* mejor = nullptr;
    for (const auto& e : etapas)
        if (e.tiene_leccion() && e.numero > n && (mejor == nullptr || e.numero < mejor->numero))
            mejor = &e;
    return mejor;
}

bool leer_tabla(const std::string& ruta, Tabla& tabla, std::string& error) {
    std::string contenido;
    if (!base::leer_fichero(ruta, 1024 * 1024, contenido, error)) return false;
    std::istringstream in(contenido);
    std::string linea;
    int n = 0;
    while (std::getline(in, linea)) {
        ++n;
        if (linea.empty() || linea[0] == '#') continue;
        auto c = partir(linea, '\t');
        if (c[0] == "etapa") {
            Etapa e;
            if (c.size() != 6 || !numero(c[1], e.numero)) {
                error = ruta + ":" + std::to_string(n) + ": fila «etapa» mal formada (¿tabuladores?)";
                return false;
            }
            e.nn = c[1];
            e.nombre = c[2];
            e.titulo = c[3];
            e.carpeta = c[4];
            e.pagina = "docs/" + c[5];
            tabla.etapas.push_back(e);
        } else if (c[0] == "paso") {
            Paso p;
            if (c.size() != 5 || !numero(c[1], p.etapa) || !numero(c[2], p.numero)) {
                error = ruta + ":" + std::to_string(n) + ": fila «paso» mal formada (¿tabuladores?)";
                return false;
            }
            p.titulo = c[3];
            std::istringstream pruebas(c[4]);
            for (std::string caso; pruebas >> caso;) p.pruebas.push_back(caso);
            tabla.pasos.push_back(p);
        } else if (c[0] == "retira") {
            // Pruebas que una etapa posterior deja de registrar (las lee CMake): aquí solo se
            // comprueba la forma; en las listas de CTest ya no aparecen.
            int desde = 0;
            if (c.size() != 3 || !numero(c[1], desde)) {
                error = ruta + ":" + std::to_string(n) + ": fila «retira» mal formada (¿tabuladores?)";
                return false;
            }
        } else if (c[0] != "seccion") {
            error = ruta + ":" + std::to_string(n) + ": fila desconocida «" + sin_control(c[0]) + "»";
            return false;
        }
    }
    if (tabla.etapas.empty()) {
        error = ruta + ": la tabla no tiene ninguna fila «etapa»";
        return false;
    }
    return true;
}

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
