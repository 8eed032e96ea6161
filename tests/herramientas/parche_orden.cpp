/// \file parche_orden.cpp
/// \brief `sockets parche ARCHIVO [CAMPO]`: la cabecera de una entrega rota (base/parche.h), para
///        meta.sh. Sin CAMPO, una línea «clave<TAB>valor» por dato (nombre, leccion, error,
///        variante, paso y una por cada falla y cada sintoma); con CAMPO, solo sus valores, uno
///        por línea. Sale con 1 si el fichero no se puede leer y con 2 si el uso no vale.
#include "base/parche.h"
#include "ordenes.h"

#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

int orden_parche(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "uso: parche ARCHIVO [CAMPO]   (CAMPO: nombre, leccion, error, variante, paso, falla, sintoma)\n";
        return 2;
    }
    if (!std::ifstream(argv[1])) {
        std::cerr << "parche: no se puede leer " << argv[1] << "\n";
        return 1;
    }
    const base::Parche p = base::leer_parche(argv[1]);
    std::vector<std::pair<std::string, std::string>> datos = {{"nombre", p.nombre},
                                                              {"leccion", p.leccion},
                                                              {"error", p.error},
                                                              {"variante", p.variante},
                                                              {"paso", std::to_string(p.paso)}};
    for (const auto& f : p.fallas) datos.emplace_back("falla", f);
    for (const auto& s : p.sintomas) datos.emplace_back("sintoma", s);
    const std::string campo = argc == 3 ? argv[2] : "";
    for (const auto& [clave, valor] : datos) {
        if (campo.empty()) std::cout << clave << "\t" << valor << "\n";
        else if (clave == campo) std::cout << valor << "\n";
    }
    return 0;
}
