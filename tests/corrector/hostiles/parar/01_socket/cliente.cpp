// Entrega hostil: el cliente hace lo mismo que el servidor.
#include "servidor.cpp"
