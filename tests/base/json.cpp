/// \file json.cpp
/// \brief Lectura desconfiada de JSON (ver json.h).
#include "base/json.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace base {

namespace {

/// Anidamiento máximo de un JSON (un registro de verdad no pasa de 4).
constexpr int kMaxAnidamiento = 64;

}  // namespace

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

}  // namespace base
