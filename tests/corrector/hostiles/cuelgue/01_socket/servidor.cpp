// Entrega hostil: no termina nunca, ignora las señales que puede y gasta CPU.
#include <signal.h>
#include <unistd.h>
int main() {
    for (int s = 1; s < 32; ++s) signal(s, SIG_IGN);
    volatile unsigned long n = 0;
    while (true) { ++n; if ((n & 0xffffff) == 0) usleep(1000); }
}
