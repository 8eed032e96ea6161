/// \file extra_b.cpp
/// \brief Ayudas del arnés para las pruebas de las etapas 05–07: texto legible de datos y de
///        llamadas, esperas por sondeo, herramientas externas (nc, socat) y puertos en escucha.
#include "arnes/interno.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace arnes {

int examinar_utf8(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    // Largo de la secuencia y rango admitido para el segundo byte (excluye sobrelargas,
    // suplentes U+D800..U+DFFF y lo que pasa de U+10FFFF); los demás, 0x80..0xbf.
    int largo = 0;
    unsigned char min = 0x80, max = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
        largo = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        largo = 3;
        if (c == 0xe0) min = 0xa0;
        if (c == 0xed) max = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        largo = 4;
        if (c == 0xf0) min = 0x90;
        if (c == 0xf4) max = 0x8f;
    } else {
        return 0;  // 0x80..0xc1 (continuación suelta o sobrelarga) y 0xf5..0xff
    }
    for (int k = 1; k < largo; ++k) {
        if (i + static_cast<std::size_t>(k) >= s.size()) return -1;  // válido hasta el final
        const unsigned char d = b(i + static_cast<std::size_t>(k));
        if (k == 1 ? (d < min || d > max) : (d < 0x80 || d > 0xbf)) return 0;
    }
    return largo;
}

std::size_t caracter_visible(std::string_view s, std::size_t i, std::string& r, bool comillas,
                             bool recortado) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    char hex[12];
    if (c < 0x80) {
        if (c == '\n') {
            r += "\\n";
        } else if (c == '\r') {
            r += "\\r";
        } else if (c == '\t') {
            r += "\\t";
        } else if (comillas && (c == '"' || c == '\\')) {
            r += '\\';
            r += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            r += hex;
        } else {
            r += static_cast<char>(c);
        }
        return 1;
    }
    const int largo = examinar_utf8(s, i);
    if (largo < 0 && recortado) return 0;  // el resto del carácter no llegó a leerse
    if (largo <= 0) {
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        r += hex;
        return 1;
    }
    if (c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) {  // control C1: U+0080..U+009F
        std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned char>(s[i + 1]));
        r += hex;
        return 2;
    }
    r.append(s.substr(i, static_cast<std::size_t>(largo)));
    return static_cast<std::size_t>(largo);
}

std::string visible(std::string_view datos, std::size_t max) {
    std::string r = "«";
    std::size_t i = 0;
    for (std::size_t n = 0; i < datos.size() && n < max; ++n)
        i += caracter_visible(datos, i, r, false, false);
    if (i < datos.size()) {
        return r + "…» (" + cuenta(datos.size(), "byte", "bytes") + ")";
    }
    return r + "»";
}

std::string cuenta(std::size_t n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

std::string enumerar(const std::vector<Llamada>& llamadas, std::size_t max) {
    if (llamadas.empty()) return "(ninguna llamada)";
    std::ostringstream os;
    std::size_t desde = llamadas.size() > max ? llamadas.size() - max : 0;
    if (desde > 0) os << "… (" << cuenta(desde, "llamada", "llamadas") << " antes)\n";
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
    if (v.empty()) return "(ninguno)";  // «cierres observados: (ninguno)»
    return enumerar(v, 10);
}

}  // namespace arnes
