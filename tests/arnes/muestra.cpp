/// \file muestra.cpp
/// \brief Programa de muestra para la autoprueba del arnés: hace las llamadas que se le piden en
///        argv, en orden, y narra cada una en stdout.
///
/// Órdenes: `socket`, `bind P` (con htons), `bindcrudo P` (sin htons: el error del alumno),
/// `listen N`, `accept`, `conectar P`, `escribir N` (un único write de N bytes), `eco` (hasta EOF),
/// `fork` (un hijo que termina ya y queda zombi), `hijos N` (N hijos que duermen), `charlar N`
/// (N bytes a stdout), `dormir MS`, `salir C`; `manejador` y `manejador_restart` (un manejador
/// vacío de SIGUSR1 con sigaction(), sin o con SA_RESTART), `ignorar_pipe` (sigaction(SIGPIPE,
/// SIG_IGN)) y `signal_pipe` (signal(SIGPIPE, SIG_IGN)).
#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

namespace {

/// Termina con código 1 si `rv` es -1, nombrando la llamada.
long comprobar(const char* llamada, long rv) {
    if (rv == -1) {
        std::cerr << "[muestra] error: " << llamada << "(): " << std::strerror(errno) << std::endl;
        std::exit(1);
    }
    return rv;
}

/// 127.0.0.1 con el puerto ya en el formato que se guardará (con o sin htons).
sockaddr_in direccion(std::uint16_t puerto_en_memoria) {
    sockaddr_in dir{};
    dir.sin_family = AF_INET;
    dir.sin_port = puerto_en_memoria;
    dir.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return dir;
}

/// Un manejador que no hace nada: solo interrumpe la llamada en curso.
extern "C" void nada(int) {}

/// sigaction(senal) con `manejador` y `banderas`, y la máscara vacía.
void accion(int senal, void (*manejador)(int), int banderas) {
    struct sigaction a {};
    a.sa_handler = manejador;
    sigemptyset(&a.sa_mask);
    a.sa_flags = banderas;
    comprobar("sigaction", sigaction(senal, &a, nullptr));
}

int numero(int argc, char** argv, int i) {
    if (i >= argc) {
        std::cerr << "[muestra] falta un número tras " << argv[i - 1] << std::endl;
        std::exit(2);
    }
    return std::atoi(argv[i]);
}

/// Los descriptores de la muestra.
struct Muestra {
    int s = -1;  ///< socket principal
    int c = -1;  ///< conexión
};

/// ¿Lleva la orden un número detrás?
bool con_numero(const std::string& orden) {
    for (const char* o : {"bind", "bindcrudo", "listen", "conectar", "escribir", "hijos", "charlar", "dormir", "salir"})
        if (orden == o) return true;
    return false;
}

/// bind P / bindcrudo P (sin htons) y listen N, narrados con el puerto que quedó.
void enlazar(Muestra& m, const std::string& orden, int n) {
    if (orden == "listen") {
        comprobar("listen", listen(m.s, n));
        sockaddr_in dir{};
        socklen_t largo = sizeof dir;
        comprobar("getsockname", getsockname(m.s, reinterpret_cast<sockaddr*>(&dir), &largo));
        std::cout << "listen(): escuchando en el puerto " << ntohs(dir.sin_port) << " (cola de " << n << ")"
                  << std::endl;
        return;
    }
    auto p = static_cast<std::uint16_t>(n);
    sockaddr_in dir = direccion(orden == "bind" ? htons(p) : p);
    int si = 1;
    setsockopt(m.s, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si);
    comprobar("bind", bind(m.s, reinterpret_cast<sockaddr*>(&dir), sizeof dir));
    socklen_t largo = sizeof dir;
    comprobar("getsockname", getsockname(m.s, reinterpret_cast<sockaddr*>(&dir), &largo));
    std::cout << "bind(): puerto " << ntohs(dir.sin_port) << std::endl;
}

/// Las órdenes de red. false si `orden` no es de red.
bool red(Muestra& m, const std::string& orden, int n) {
    if (orden == "socket") {
        m.s = static_cast<int>(comprobar("socket", socket(AF_INET, SOCK_STREAM, 0)));
        std::cout << "socket(): descriptor " << m.s << std::endl;
    } else if (orden == "bind" || orden == "bindcrudo" || orden == "listen") {
        enlazar(m, orden, n);
    } else if (orden == "accept") {
        sockaddr_in dir{};
        socklen_t largo = sizeof dir;
        m.c = static_cast<int>(comprobar("accept", accept(m.s, reinterpret_cast<sockaddr*>(&dir), &largo)));
        std::cout << "accept(): cliente " << inet_ntoa(dir.sin_addr) << ":" << ntohs(dir.sin_port)
                  << " en el descriptor " << m.c << std::endl;
    } else if (orden == "conectar") {
        sockaddr_in dir = direccion(htons(static_cast<std::uint16_t>(n)));
        m.c = m.s;
        comprobar("connect", connect(m.c, reinterpret_cast<sockaddr*>(&dir), sizeof dir));
        std::cout << "connect(): conectado" << std::endl;
    } else if (orden == "escribir") {
        std::string datos(static_cast<std::size_t>(n), 'x');
        long r = comprobar("write", write(m.c, datos.data(), datos.size()));
        std::cout << "write(): " << datos.size() << " -> " << r << std::endl;
    } else if (orden == "eco") {
        char buf[65536];
        long total = 0;
        while (long leidos = comprobar("read", read(m.c, buf, sizeof buf))) {
            for (long hecho = 0; hecho < leidos;)
                hecho += comprobar("write", write(m.c, buf + hecho, static_cast<std::size_t>(leidos - hecho)));
            total += leidos;
        }
        std::cout << "eco: " << total << " bytes" << std::endl;
    } else if (orden == "cerrar") {
        comprobar("close", close(m.s));
    } else {
        return false;
    }
    return true;
}

/// Las órdenes de procesos, señales y salida. false si `orden` no es de estas.
bool procesos(const std::string& orden, int n) {
    if (orden == "fork") {
        pid_t h = static_cast<pid_t>(comprobar("fork", fork()));
        if (h == 0) _exit(0);  // nadie lo recoge: queda zombi
        std::cout << "fork(): hijo " << h << std::endl;
    } else if (orden == "hijos") {
        for (int k = 0; k < n; ++k)
            if (comprobar("fork", fork()) == 0) {
                while (true) pause();
            }
        std::cout << "hijos listos" << std::endl;
    } else if (orden == "charlar") {
        std::string datos(static_cast<std::size_t>(n), 'z');
        std::cout << datos << std::flush;
    } else if (orden == "dormir") {
        std::this_thread::sleep_for(std::chrono::milliseconds(n));
    } else if (orden == "manejador" || orden == "manejador_restart") {
        accion(SIGUSR1, nada, orden == "manejador" ? 0 : SA_RESTART);
        std::cout << "sigaction(SIGUSR1)" << std::endl;
    } else if (orden == "ignorar_pipe") {
        accion(SIGPIPE, SIG_IGN, 0);
    } else if (orden == "signal_pipe") {
        signal(SIGPIPE, SIG_IGN);
    } else {
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    Muestra m;
    for (int i = 1; i < argc; ++i) {
        const std::string orden = argv[i];
        const int n = con_numero(orden) ? numero(argc, argv, ++i) : 0;
        if (orden == "salir") return n;
        if (!red(m, orden, n) && !procesos(orden, n)) {
            std::cerr << "[muestra] orden desconocida: " << orden << std::endl;
            return 2;
        }
    }
    return 0;
}
