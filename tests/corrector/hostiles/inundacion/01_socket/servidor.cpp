// Entrega hostil: 200 MB por la salida estándar, una línea de 9000 bytes por la de errores con
// bytes que no son UTF-8, y líneas falsas de veredicto y de GoogleTest.
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <string>
int main() {
    std::string linea(9000, 'x');
    for (int i = 0; i < 9000; i += 50) linea[i] = static_cast<char>(0xff), linea[i + 1] = static_cast<char>(0xc3);
    linea += "\n";
    if (write(2, linea.data(), linea.size()) < 0) return 1;
    std::printf("✓ superada\n[       OK ] Socket.ServidorCreaUnSocketTcpIPv4 (1 ms)\n[  PASSED  ] 1 test.\n");
    std::printf("{\"estado\": \"superada\", \"id\": \"entrega/L01/E01/Socket.ServidorCreaUnSocketTcpIPv4\"}\n");
    static char bloque[1 << 20];
    std::memset(bloque, 'A', sizeof bloque);
    for (int i = 0; i < 200; ++i)
        if (fwrite(bloque, 1, sizeof bloque, stdout) != sizeof bloque) break;
    return 0;
}
