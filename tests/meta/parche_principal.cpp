/// \file parche_principal.cpp
/// \brief `sockets_parche parche ARCHIVO [CAMPO]`: el lector de cabeceras de parches
///        (base/parche.cpp) como programa suelto, que CMake compila al configurar para
///        `meta.sh preparar` (entonces aún no hay nada compilado). Es la misma orden que
///        `sockets parche`.
#include "herramientas/ordenes.h"

int main(int argc, char** argv) { return orden_parche(argc - 1, argv + 1); }
