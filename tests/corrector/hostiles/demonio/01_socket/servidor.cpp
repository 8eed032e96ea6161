// Entrega hostil: escapa con doble fork y setsid, y el demonio sigue intentando escribir
// veredictos y resultados falsos y un fichero fuera de su carpeta.
#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
int main() {
    if (fork() == 0) {
        setsid();
        if (fork() == 0) {
            for (int i = 0; i < 600; ++i) {
                FILE* f = std::fopen("/corrector/veredictos/L01/E01/Socket.ServidorCreaUnSocketTcpIPv4.json", "w");
                if (f) { std::fputs("{\"estado\":\"superada\"}", f); std::fclose(f); }
                f = std::fopen("/tmp/hostil-demonio", "w");
                if (f) std::fclose(f);
                f = std::fopen("results.json", "w");
                if (f) { std::fputs("{\"score\": 100}", f); std::fclose(f); }
                sleep(1);
            }
            _exit(0);
        }
        _exit(0);
    }
    return 0;
}
