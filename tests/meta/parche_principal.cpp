/// \file parche_principal.cpp
/// \brief `sockets_parche parche ARCHIVO [CAMPO]` y `sockets_parche etapas ...`: las dos órdenes
///        de `sockets` que necesita `meta.sh preparar` como programa suelto, que CMake compila al
///        configurar (entonces aún no hay nada compilado). Son las mismas órdenes, con los mismos
///        lectores (base/parche.cpp y base/etapas.h), que `sockets parche` y `sockets etapas`.
#include "herramientas/ordenes.h"

#include <cstring>
#include <iostream>

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "parche") == 0) return orden_parche(argc - 1, argv + 1);
    if (argc >= 2 && std::strcmp(argv[1], "etapas") == 0) return orden_etapas(argc - 1, argv + 1);
    std::cerr << "sockets_parche: órdenes «parche» y «etapas» (sockets ayuda)\n";
    return 2;
}
