/// \file rubrica_orden.cpp
/// \brief `sockets rubrica RUBRICA CLAVE [DEFECTO]`: el valor de una clave de la rúbrica del
///        corrector (el último, sin espacios ni comentario), o DEFECTO si no está o está vacío.
///        Así corregir.sh no lee la rúbrica por su cuenta: el único lector es base/rubrica.cpp.
#include "base/rubrica.h"
#include "herramientas/ordenes.h"

#include <iostream>
#include <string>

int orden_rubrica(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::cerr << "uso: rubrica RUBRICA CLAVE [DEFECTO]   (el valor de CLAVE en la rúbrica)\n";
        return 2;
    }
    const base::Rubrica r = base::leer_rubrica(argv[1]);
    std::cout << base::valor(r, argv[2], argc == 4 ? argv[3] : "") << "\n";
    return 0;
}
