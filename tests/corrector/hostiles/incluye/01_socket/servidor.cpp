// Entrega hostil: incluye ficheros de fuera de su carpeta (otra entrega, /etc/passwd).
#include "../../honrada/01_socket/servidor.cpp"
#include "/etc/passwd"
int main() { return 0; }
