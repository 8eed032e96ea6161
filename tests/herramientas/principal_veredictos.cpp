/// \file principal_veredictos.cpp
/// \brief El ejecutable sockets_veredictos (hasta que lo sustituya la herramienta única).
#include "ordenes_base.h"

int main(int argc, char** argv) { return orden_veredictos(argc, argv); }
