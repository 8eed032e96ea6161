/// \file principal_resultados.cpp
/// \brief El ejecutable corrector_resultados (hasta que lo sustituya la herramienta única):
///        `corrector_resultados rubrica …` es orden_rubrica; lo demás, orden_corregir.
#include "herramientas/ordenes_base.h"

#include <cstring>

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "rubrica") == 0) return orden_rubrica(argc - 1, argv + 1);
    return orden_corregir(argc, argv);
}
