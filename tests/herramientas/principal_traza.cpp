/// \file principal_traza.cpp
/// \brief El ejecutable sockets_traza_vista (hasta que lo sustituya la herramienta única).
#include "ordenes_base.h"

int main(int argc, char** argv) { return orden_traza(argc, argv); }
