/// \file principal_veredictos.cpp
/// \brief El ejecutable sockets_veredictos (hasta que lo sustituya la herramienta única):
///        `sockets_veredictos parche …` es orden_parche; lo demás, orden_veredictos.
#include "ordenes_base.h"

#include <cstring>

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "parche") == 0) return orden_parche(argc - 1, argv + 1);
    return orden_veredictos(argc, argv);
}
