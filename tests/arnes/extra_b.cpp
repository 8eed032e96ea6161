/// \file extra_b.cpp
/// \brief Ayudas del arnés para las pruebas de las etapas 05–07: texto legible de datos y de
///        llamadas, esperas por sondeo, herramientas externas (nc, socat) y puertos en escucha.
#include "arnes/arnes.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace arnes {

std::string visible(std::string_view datos, std::size_t max) {
    std::string r = "«";
    std::size_t n = 0;
    for (char c : datos) {
        if (n++ == max) {
            r += "…";
            break;
        }
        if (c == '\n') {
            r += "\\n";
        } else if (c == '\r') {
            r += "\\r";
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned>(c));
            r += hex;
        } else {
            r += c;
        }
    }
    r += "»";
    if (datos.size() > max) r += " (" + cuantos(datos.size(), "byte", "bytes") + ")";
    return r;
}

std::string cuantos(std::size_t n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

std::string enumerar(const std::vector<Llamada>& llamadas, std::size_t max) {
    if (llamadas.empty()) return "(ninguna llamada)";
    std::ostringstream os;
    std::size_t desde = llamadas.size() > max ? llamadas.size() - max : 0;
    if (desde > 0) os << "… (" << cuantos(desde, "llamada", "llamadas") << " antes)\n";
    for (std::size_t i = desde; i < llamadas.size(); ++i) {
        os << "[pid " << llamadas[i].pid << "] " << llamadas[i].texto();
        if (i + 1 < llamadas.size()) os << '\n';
    }
    return os.str();
}

bool esperar_que(const std::function<bool()>& condicion, Ms plazo) {
    const auto fin = std::chrono::steady_clock::now() + plazo;
    while (true) {
        if (condicion()) return true;
        if (std::chrono::steady_clock::now() >= fin) return false;
        std::this_thread::sleep_for(Ms(10));
    }
}

std::string ruta_herramienta(const std::string& nombre) {
    const char* camino = std::getenv("PATH");
    std::string resto = camino != nullptr ? camino : "/usr/local/bin:/usr/bin:/bin";
    std::istringstream is(resto);
    std::string carpeta;
    while (std::getline(is, carpeta, ':')) {
        if (carpeta.empty()) continue;
        std::string ruta = carpeta + "/" + nombre;
        if (access(ruta.c_str(), X_OK) == 0) return ruta;
    }
    return "";
}

bool hay_escucha_en(int puerto) {
    // Cada línea de /proc/net/tcp: «sl local_address rem_address st ...», con la dirección en
    // hexadecimal («0100007F:9C40») y el estado 0A = LISTEN.
    std::ifstream tcp("/proc/net/tcp");
    std::string linea;
    std::getline(tcp, linea);  // cabecera
    while (std::getline(tcp, linea)) {
        std::istringstream is(linea);
        std::string sl, local, remota, estado;
        if (!(is >> sl >> local >> remota >> estado)) continue;
        auto dos_puntos = local.find(':');
        if (dos_puntos == std::string::npos || estado != "0A") continue;
        if (std::stoi(local.substr(dos_puntos + 1), nullptr, 16) == puerto) return true;
    }
    return false;
}

std::string cierres_tras(const Programa& p, long orden) {
    std::vector<Llamada> v;
    for (const auto& l : p.llamadas("close"))
        if (l.orden > orden) v.push_back(l);
    if (v.empty()) return "(ningún close())";
    return enumerar(v, 10);
}

}  // namespace arnes
