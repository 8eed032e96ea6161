/// \file eco_fork.cpp
/// \brief La vara de medir de `./tutorial bench`: el servidor de eco «de libro» con un hijo por
///        conexión, sin narrar nada. Es el diseño de tcpserv04 en el libro de Stevens (capítulo 5):
///        un bucle de accept() que reintenta EINTR, un fork() por cliente, el hijo cierra la
///        escucha y devuelve cada byte hasta el fin de fichero, y un manejador de SIGCHLD que
///        recoge con waitpid(WNOHANG) en bucle. No es una lección: solo sirve para comparar.
///
/// Uso: sockets_eco_fork PUERTO   (escucha en 127.0.0.1:PUERTO hasta que lo maten)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

/// SIGCHLD: recoge a todos los hijos terminados sin esperar a los vivos.
void recoger(int) {
    const int guardado = errno;
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    errno = guardado;
}

/// El hijo: eco hasta el fin de fichero (o un error) y fuera.
[[noreturn]] void eco(int conexion) {
    char bufer[64 * 1024];
    for (;;) {
        const ssize_t n = read(conexion, bufer, sizeof bufer);
        if (n == -1 && errno == EINTR) continue;
        if (n <= 0) _exit(n == 0 ? 0 : 1);
        for (ssize_t hecho = 0; hecho < n;) {
            const ssize_t w = write(conexion, bufer + hecho, static_cast<std::size_t>(n - hecho));
            if (w == -1 && errno == EINTR) continue;
            if (w <= 0) _exit(1);
            hecho += w;
        }
    }
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc != 2) {
        std::fprintf(stderr, "uso: sockets_eco_fork PUERTO\n");
        return 2;
    }
    const int puerto = std::atoi(argv[1]);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa {};
    sa.sa_handler = recoger;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCHLD, &sa, nullptr);

    const int escucha = socket(AF_INET, SOCK_STREAM, 0);
    const int si = 1;
    setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si);
    sockaddr_in direccion{};
    direccion.sin_family = AF_INET;
    direccion.sin_port = htons(static_cast<std::uint16_t>(puerto));
    direccion.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(escucha, reinterpret_cast<sockaddr*>(&direccion), sizeof direccion) == -1 ||
        listen(escucha, SOMAXCONN) == -1) {
        std::perror("sockets_eco_fork: bind/listen");
        return 1;
    }
    for (;;) {
        const int conexion = accept(escucha, nullptr, nullptr);
        if (conexion == -1) continue;  // EINTR, ECONNABORTED…: el siguiente
        const pid_t hijo = fork();
        if (hijo == 0) {
            close(escucha);
            eco(conexion);
        }
        close(conexion);  // el padre no habla con el cliente (ni si fork() falló)
    }
}
