/// \file ejecutor.cpp
/// \brief El ejecutor del corrector: corre, dentro del arenero de una entrega, cada prueba de
///        la lista (una a una) y barre los procesos que queden entre prueba y prueba.
///
/// Es de confianza, como los ejecutables de pruebas: se arranca antes que cualquier programa del
/// alumno y se marca no volcable (PR_SET_DUMPABLE = 0), así que ningún proceso del alumno puede
/// trazarlo ni abrir sus ficheros por /proc. Lanza cada prueba con SOCKETS_OCULTAR: el arnés
/// aísla a los programas del alumno para que no vean la carpeta de veredictos (ver
/// docs/dev/corrector.md). Tras cada prueba mata con kill(-1) todo lo que quede en el espacio de
/// PID del arenero (el init de bwrap no recibe la señal) y espera a que desaparezca: un demonio
/// escapado (doble fork, setsid) no sobrevive a su prueba ni está vivo cuando arranca la
/// siguiente.
///
/// Uso: ejecutor --lista FICHERO --pruebas DIR --programas DIR --veredictos DIR --arbol NOMBRE
///               [--ocultar RUTA[:RUTA]] [--barrer si|no] [--limite-prueba S] [--limite-total S]
/// La lista tiene una línea por prueba: «NN<TAB>KK<TAB>carpeta<TAB>ejecutable<TAB>Suite.Prueba».
/// Escribe en DIR/ejecutor.tsv una línea por prueba: «id<TAB>fin» (fin: terminó, límite,
/// sin_tiempo) y al final «#fin<TAB>completo|límite_total».
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Reloj = std::chrono::steady_clock;

struct Prueba {
    std::string leccion, etapa, carpeta, ejecutable, nombre;
};

std::string opcion(int argc, char** argv, const std::string& nombre, const std::string& defecto) {
    for (int i = 1; i + 1 < argc; ++i)
        if (nombre == argv[i]) return argv[i + 1];
    return defecto;
}

/// Los PID del espacio de nombres, salvo el nuestro y el 1.
std::vector<pid_t> otros_procesos() {
    std::vector<pid_t> pids;
    DIR* d = opendir("/proc");
    if (d == nullptr) return pids;
    while (dirent* e = readdir(d)) {
        char* fin = nullptr;
        long p = std::strtol(e->d_name, &fin, 10);
        if (fin == e->d_name || *fin != '\0') continue;
        if (p != 1 && p != getpid()) pids.push_back(static_cast<pid_t>(p));
    }
    closedir(d);
    return pids;
}

/// Mata todo lo que quede (salvo el init de bwrap y nosotros) y espera a que no quede nada.
void barrer() {
    for (int intento = 0; intento < 500; ++intento) {
        kill(-1, SIGKILL);
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        if (otros_procesos().empty()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

/// Espera a `pid` hasta `fin`; true si terminó, false si hubo que matarlo.
bool esperar(pid_t pid, Reloj::time_point fin) {
    int pfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    while (true) {
        int st = 0;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) {
            if (pfd >= 0) close(pfd);
            return true;
        }
        auto resta = std::chrono::duration_cast<std::chrono::milliseconds>(fin - Reloj::now()).count();
        if (resta <= 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            if (pfd >= 0) close(pfd);
            return false;
        }
        if (pfd >= 0) {
            pollfd p{pfd, POLLIN, 0};
            poll(&p, 1, static_cast<int>(std::min<long long>(resta, 1000)));
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    prctl(PR_SET_DUMPABLE, 0UL, 0UL, 0UL, 0UL);
    prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
    signal(SIGPIPE, SIG_IGN);
    const std::string lista = opcion(argc, argv, "--lista", "");
    const std::string pruebas = opcion(argc, argv, "--pruebas", "");
    const std::string programas = opcion(argc, argv, "--programas", "");
    const std::string veredictos = opcion(argc, argv, "--veredictos", "");
    const std::string arbol = opcion(argc, argv, "--arbol", "entrega");
    const std::string ocultar = opcion(argc, argv, "--ocultar", "");
    const int limite_prueba = std::atoi(opcion(argc, argv, "--limite-prueba", "20").c_str());
    const int limite_total = std::atoi(opcion(argc, argv, "--limite-total", "300").c_str());
    // Sin arenero (./tutorial grade --confiar) no hay espacio de PID propio: kill(-1) mataría
    // todos los procesos del usuario, así que no se barre.
    const bool barrer_procesos = opcion(argc, argv, "--barrer", "si") == "si";
    if (lista.empty() || pruebas.empty() || programas.empty() || veredictos.empty()) {
        std::cerr << "ejecutor: faltan opciones (ver el comentario de tests/corrector/ejecutor.cpp)\n";
        return 2;
    }

    std::vector<Prueba> todas;
    {
        std::ifstream f(lista);
        std::string linea;
        while (std::getline(f, linea)) {
            std::istringstream c(linea);
            Prueba p;
            if (std::getline(c, p.leccion, '\t') && std::getline(c, p.etapa, '\t') &&
                std::getline(c, p.carpeta, '\t') && std::getline(c, p.ejecutable, '\t') &&
                std::getline(c, p.nombre))
                todas.push_back(p);
        }
    }

    std::ofstream estado(veredictos + "/ejecutor.tsv", std::ios::trunc);
    const auto fin_total = Reloj::now() + std::chrono::seconds(limite_total);
    if (barrer_procesos) barrer();
    bool agotado = false;
    for (const auto& p : todas) {
        const std::string id = arbol + "/L" + p.leccion + "/E" + p.etapa + "/" + p.nombre;
        if (agotado || Reloj::now() >= fin_total) {
            agotado = true;
            estado << id << "\tsin_tiempo\n" << std::flush;
            continue;
        }
        const std::string carpeta = veredictos + "/L" + p.leccion + "/E" + p.etapa;
        mkdir((veredictos + "/L" + p.leccion).c_str(), 0700);
        mkdir(carpeta.c_str(), 0700);
        std::vector<std::string> args = {
            pruebas + "/" + p.ejecutable,       "--gtest_filter=" + p.nombre,
            "--sockets-arbol=" + arbol,         "--sockets-leccion=" + p.leccion,
            "--sockets-etapa=" + p.etapa,       "--sockets-veredictos=" + carpeta};
        std::vector<std::string> entorno = {
            "PATH=/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", "TMPDIR=/tmp",
            "SOCKETS_PROGRAMAS=" + programas + "/" + p.carpeta};
        if (!ocultar.empty()) entorno.push_back("SOCKETS_OCULTAR=" + ocultar);
        std::vector<char*> av, ev;
        for (auto& a : args) av.push_back(a.data());
        av.push_back(nullptr);
        for (auto& e : entorno) ev.push_back(e.data());
        ev.push_back(nullptr);

        pid_t pid = fork();
        if (pid == 0) {
            int nulo = open("/dev/null", O_RDWR);
            if (nulo >= 0) {
                dup2(nulo, 0);
                dup2(nulo, 1);
                dup2(nulo, 2);
            }
            signal(SIGPIPE, SIG_DFL);
            execve(av[0], av.data(), ev.data());
            _exit(127);
        }
        bool termino = true;
        if (pid > 0) {
            auto fin = std::min(Reloj::now() + std::chrono::seconds(limite_prueba), fin_total);
            termino = esperar(pid, fin);
        }
        if (barrer_procesos) barrer();
        estado << id << "\t" << (termino ? "terminó" : "límite") << "\n" << std::flush;
    }
    estado << "#fin\t" << (agotado ? "límite_total" : "completo") << "\n" << std::flush;
    return 0;
}
