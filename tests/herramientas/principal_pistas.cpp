/// \file principal_pistas.cpp
/// \brief El ejecutable sockets_pistas (hasta que lo sustituya la herramienta única).
#include "ordenes_base.h"

int main(int argc, char** argv) { return orden_pista(argc, argv); }
