/// \file opciones.cpp
/// \brief Las opciones de los main() con getopt_long (ver opciones.h).
#include "base/opciones.h"

#include <getopt.h>

#include <cstring>

namespace base {

std::string Opciones::valor(const std::string& clave, const std::string& defecto) const {
    auto it = valores.find(clave);
    return it == valores.end() || it->second.empty() ? defecto : it->second.back();
}

std::vector<std::string> Opciones::todos(const std::string& clave) const {
    auto it = valores.find(clave);
    return it == valores.end() ? std::vector<std::string>{} : it->second;
}

bool leer_opciones(int argc, char** argv, const std::vector<Opcion>& tabla, Opciones& o, std::string& error,
                   bool resto_libre) {
    std::vector<option> largas;
    for (const auto& op : tabla)
        largas.push_back({op.nombre, op.con_valor ? required_argument : no_argument, nullptr, 0});
    largas.push_back({nullptr, 0, nullptr, 0});
    // «+»: para en el primer argumento que no es opción (no reordena argv); «:»: sin mensajes
    // de getopt (en inglés), los errores se dicen aquí.
    optind = 0;
    opterr = 0;
    int indice = -1;
    for (int c; (c = getopt_long(argc, argv, "+:", largas.data(), &indice)) != -1; indice = -1) {
        if (c == '?' || c == ':' || indice < 0) {
            const std::string a = optind - 1 < argc && optind > 0 ? argv[optind - 1] : "?";
            error = c == ':' ? "a «" + a + "» le falta su valor" : "opción desconocida «" + a + "»";
            return false;
        }
        o.valores[tabla[static_cast<std::size_t>(indice)].nombre].push_back(optarg != nullptr ? optarg : "");
    }
    const bool tras_guiones = optind > 1 && std::strcmp(argv[optind - 1], "--") == 0;
    if (optind < argc && !tras_guiones && !resto_libre) {
        error = "argumento inesperado «" + std::string(argv[optind]) + "»";
        return false;
    }
    for (int i = optind; i < argc; ++i) o.resto.emplace_back(argv[i]);
    return true;
}

}  // namespace base
