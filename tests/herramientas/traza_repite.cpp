/// \file traza_repite.cpp
/// \brief Un «servidor» para probar `sockets traza` (tests/herramientas/prueba_traza.sh):
///        hace el eco de su único cliente y después repite llamadas como un alumno con un bucle
///        mal cerrado, para comprobar que la traza las junta y no se desborda.
///
/// Uso: servidor PUERTO (como el de las lecciones: 0 elige un puerto libre). Antes de decir
/// «escuchando en el puerto N» (como los de las lecciones) hace kVueltasAlternas pares
/// getsockname()/setsockopt(), que no se pueden juntar: pocas llamadas, hechas antes de que la
/// prueba empiece a contar su tiempo. Tras el fin de fichero del cliente hace kVueltasFin read()
/// que devuelven 0, todas seguidas (en una máquina muy cargada quizá no le dé tiempo a todas antes
/// de que la prueba lo pare); después cierra y termina con 0 o, con TRAZA_REPITE_SIGUE=1 en el
/// entorno, se queda esperando en accept() como un servidor que no termina. Con
/// TRAZA_REPITE_SIGUE=gira, repite read() = 0 sin parar (hasta que lo maten).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr int kVueltasFin = 12000;
constexpr int kVueltasAlternas = 60;

int fallar(const char* llamada) {
    std::fprintf(stderr, "[servidor] error: %s()\n", llamada);
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "uso: servidor PUERTO\n");
        return 2;
    }
    const int escucha = socket(AF_INET, SOCK_STREAM, 0);
    if (escucha < 0) return fallar("socket");
    sockaddr_in dir{};
    dir.sin_family = AF_INET;
    dir.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    dir.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[1])));
    if (bind(escucha, reinterpret_cast<sockaddr*>(&dir), sizeof dir) < 0) return fallar("bind");
    if (listen(escucha, 5) < 0) return fallar("listen");
    socklen_t largo = sizeof dir;
    if (getsockname(escucha, reinterpret_cast<sockaddr*>(&dir), &largo) < 0) return fallar("getsockname");
    const int uno = 1;
    sockaddr_in otra{};
    for (int i = 0; i < kVueltasAlternas; ++i) {
        largo = sizeof otra;
        if (getsockname(escucha, reinterpret_cast<sockaddr*>(&otra), &largo) < 0) return fallar("getsockname");
        if (setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &uno, sizeof uno) < 0) return fallar("setsockopt");
    }
    std::printf("[servidor] escuchando en el puerto %d\n", ntohs(dir.sin_port));
    std::fflush(stdout);
    const int c = accept(escucha, nullptr, nullptr);
    if (c < 0) return fallar("accept");
    char buf[256];
    ssize_t n;
    while ((n = read(c, buf, sizeof buf)) > 0)
        if (write(c, buf, static_cast<std::size_t>(n)) != n) return fallar("write");
    const char* sigue = std::getenv("TRAZA_REPITE_SIGUE");
    const bool gira = sigue != nullptr && std::strcmp(sigue, "gira") == 0;
    // El primer read() = 0 ya se hizo: kVueltasFin en total.
    for (int i = 1; gira || i < kVueltasFin; ++i)
        if (read(c, buf, sizeof buf) != 0) return fallar("read");
    if (sigue != nullptr && std::strcmp(sigue, "1") == 0) accept(escucha, nullptr, nullptr);
    close(c);
    close(escucha);
    return 0;
}
