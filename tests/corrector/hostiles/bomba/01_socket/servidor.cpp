// Entrega hostil: bomba de procesos, acotada a unos miles (cada hijo duerme y vuelve a forkear).
#include <unistd.h>
int main() {
    for (int i = 0; i < 3000; ++i) {
        pid_t p = fork();
        if (p == 0) { sleep(60); _exit(0); }
        if (p < 0) break;
    }
    sleep(60);
    return 0;
}
