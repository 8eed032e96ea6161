/// \file principal_resultados.cpp
/// \brief El ejecutable corrector_resultados (hasta que lo sustituya la herramienta única).
#include "herramientas/ordenes_base.h"

int main(int argc, char** argv) { return orden_corregir(argc, argv); }
