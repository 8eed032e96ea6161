/// \file lectura.cpp
/// \brief La lectura de la tabla de etapas, de la lista de pruebas de CTest y de los registros.
#include "veredictos.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace veredictos {

namespace {

/// Tope de un registro: los campos se recortan a 8 KiB y hay 20 informes como mucho, así que
/// uno de verdad no pasa de unos cientos de KiB.
constexpr std::size_t kMaxRegistro = 4 * 1024 * 1024;
/// Anidamiento máximo de un JSON (un registro de verdad no pasa de 4).
constexpr int kMaxAnidamiento = 64;

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
    if (!leer_fichero(ruta, 1024 * 1024, contenido, error)) return false;
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
            error = ruta + ":" + std::to_string(n) + ": fila desconocida «" + limpio(c[0]) + "»";
            return false;
        }
    }
    if (tabla.etapas.empty()) {
        error = ruta + ": la tabla no tiene ninguna fila «etapa»";
        return false;
    }
    return true;
}

bool leer_fichero(const std::string& ruta, std::size_t tope, std::string& texto, std::string& error) {
    struct stat st {};
    if (stat(ruta.c_str(), &st) != 0) {
        error = "no existe " + ruta;
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = ruta + " no es un fichero normal";
        return false;
    }
    if (static_cast<unsigned long long>(st.st_size) > tope) {
        error = ruta + " ocupa " + std::to_string(st.st_size) + " bytes, más de los " +
                std::to_string(tope) + " que se leen";
        return false;
    }
    std::ifstream f(ruta, std::ios::binary);
    if (!f) {
        error = "no se puede abrir " + ruta;
        return false;
    }
    std::ostringstream os;
    os << f.rdbuf();
    texto = os.str();
    if (texto.size() > tope) {
        error = ruta + " ocupa más de " + std::to_string(tope) + " bytes";
        return false;
    }
    return true;
}

bool interpretar(const std::string& texto, Json& j, std::string& error) {
    // El anidamiento, antes de construir nada: «[[[[…» no debe agotar la pila.
    int hondo = 0;
    bool en_cadena = false, escape = false;
    for (char c : texto) {
        if (en_cadena) {
            if (escape)
                escape = false;
            else if (c == '\\')
                escape = true;
            else if (c == '"')
                en_cadena = false;
        } else if (c == '"') {
            en_cadena = true;
        } else if (c == '[' || c == '{') {
            if (++hondo > kMaxAnidamiento) {
                error = "anida más de " + std::to_string(kMaxAnidamiento) + " niveles";
                return false;
            }
        } else if (c == ']' || c == '}') {
            --hondo;
        }
    }
    j = Json::parse(texto, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        error = "no es un JSON válido";
        return false;
    }
    return true;
}

std::string texto(const Json& j, const char* clave) {
    if (!j.is_object()) return "";
    auto it = j.find(clave);
    if (it == j.end() || !it->is_string()) return "";
    return it->get<std::string>();
}

long entero(const Json& j, const char* clave, long defecto) {
    if (!j.is_object()) return defecto;
    auto it = j.find(clave);
    if (it == j.end() || !it->is_number_integer()) return defecto;
    return it->get<long>();
}

const Json& lista(const Json& j, const char* clave) {
    static const Json vacia = Json::array();
    if (!j.is_object()) return vacia;
    auto it = j.find(clave);
    if (it == j.end() || !it->is_array()) return vacia;
    return *it;
}

const Json& objeto(const Json& j, const char* clave) {
    static const Json vacio = Json::object();
    if (!j.is_object()) return vacio;
    auto it = j.find(clave);
    if (it == j.end() || !it->is_object()) return vacio;
    return *it;
}

std::string limpio(const std::string& s) {
    std::string r;
    r.reserve(s.size());
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) continue;
        r += c;
    }
    return r;
}

bool leer_lista(const std::string& contenido, std::vector<Prueba>& pruebas, std::string& error) {
    Json j;
    if (!interpretar(contenido, j, error)) {
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
        p.datos = Json();
        p.problema.clear();
        if (p.registro.empty()) {
            p.estado = Estado::sin_veredicto;
            continue;
        }
        struct stat st {};
        if (stat(p.registro.c_str(), &st) != 0) {
            p.estado = Estado::sin_registro;
            continue;
        }
        std::string contenido, error;
        Json j;
        if (!leer_fichero(p.registro, kMaxRegistro, contenido, error) ||
            !interpretar(contenido, j, error)) {
            p.estado = Estado::ilegible;
            p.problema = error;
            continue;
        }
        if (!j.is_object() || entero(j, "formato", -1) != 1) {
            p.estado = Estado::ilegible;
            p.problema = "no es un registro de veredicto del formato 1";
            continue;
        }
        const std::string e = texto(j, "estado");
        if (e == "superada")
            p.estado = Estado::superada;
        else if (e == "omitida")
            p.estado = Estado::omitida;
        else if (e == "fallida")
            p.estado = Estado::fallida;
        else if (e == "interrumpida")
            p.estado = Estado::interrumpida;
        else {
            p.estado = Estado::ilegible;
            p.problema = "estado desconocido «" + limpio(e.substr(0, 40)) + "»";
            continue;
        }
        p.datos = std::move(j);
    }
}

}  // namespace veredictos
