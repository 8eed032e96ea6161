// Entrega hostil: pide y toca 4 GiB de memoria, en varios procesos.
#include <unistd.h>
#include <cstdlib>
#include <cstring>
int main() {
    for (int i = 0; i < 3; ++i) if (fork() == 0) break;
    for (int i = 0; i < 64; ++i) {
        void* p = std::malloc(64u << 20);
        if (!p) break;
        std::memset(p, 1, 64u << 20);
    }
    return 0;
}
