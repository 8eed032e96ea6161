/// \file texto.cpp
/// \brief Texto legible para los informes: datos escapados (el único escapador del arnés, que
///        también usa la traza), cuentas en singular o plural, listas de llamadas y líneas.
#include "arnes/interno.h"

#include "base/texto.h"

#include <cstdio>
#include <sstream>

namespace arnes {

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
    const int largo = base::examinar_utf8(s, i);
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

std::string primera_diferencia(std::string_view esperado, std::string_view recibido) {
    std::size_t i = 0;
    while (i < esperado.size() && i < recibido.size() && esperado[i] == recibido[i]) ++i;
    const std::string llegaron =
        recibido.size() == esperado.size()
            ? "llegaron los " + cuenta(recibido.size(), "byte", "bytes") + " esperados"
            : (recibido.size() == 1 ? "llegó 1 byte" : "llegaron " + cuenta(recibido.size(), "byte", "bytes")) +
                  " de los " + std::to_string(esperado.size()) + " esperados";
    if (i == esperado.size() && i == recibido.size()) return llegaron + ", idénticos";
    if (i == recibido.size())
        return llegaron + ": " + (i == 0 ? std::string("ninguno") : "los " + std::to_string(i) + " primeros coinciden") +
               " y faltan los demás, desde la posición " + std::to_string(i) + ": " + visible(esperado.substr(i), 24);
    if (i == esperado.size())
        return llegaron + ": todos coinciden, pero después llegaron " +
               cuenta(recibido.size() - i, "byte de más", "bytes de más") + ": " + visible(recibido.substr(i), 24);
    return llegaron + ", pero desde la posición " + std::to_string(i) + " no son los enviados" +
           (i > 0 ? " (los " + std::to_string(i) + " anteriores coinciden)" : "") + ": se esperaba " +
           visible(esperado.substr(i), 24) + " y llegó " + visible(recibido.substr(i), 24);
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

std::string cierres_tras(const Programa& p, const Llamada& desde) {
    const std::vector<Llamada> todas = p.llamadas();
    std::vector<std::size_t> cierres;
    for (std::size_t i = 0; i < todas.size(); ++i)
        if (todas[i].nombre == "close" && todas[i].orden > desde.orden) cierres.push_back(i);
    std::ostringstream os;
    if (cierres.empty()) {
        // Lo observado llega hasta la última llamada de la traza: un close() posterior (al
        // final del programa, por ejemplo) no se ha visto todavía, y el informe lo dice.
        os << "ningún close() después de " << desde.texto();
        if (!todas.empty() && todas.back().orden > desde.orden)
            os << " y hasta la última llamada observada, [pid " << todas.back().pid << "] "
               << todas.back().texto();
        return os.str();
    }
    os << "close() después de " << desde.texto() << ":";
    const std::size_t desde_i = cierres.size() > 10 ? cierres.size() - 10 : 0;
    if (desde_i > 0) os << "\n… (" << cuenta(desde_i, "close() anterior", "close() anteriores") << ")";
    for (std::size_t k = desde_i; k < cierres.size(); ++k) {
        const Llamada& c = todas[cierres[k]];
        os << "\n[pid " << c.pid << "] " << c.texto();
        // Dónde llegó: la llamada anterior del mismo proceso.
        for (std::size_t j = cierres[k]; j-- > 0;)
            if (todas[j].pid == c.pid) {
                os << ", justo después de " << todas[j].texto();
                break;
            }
    }
    return os.str();
}

std::string primera_linea(const std::string& texto, const std::regex& patron) {
    std::size_t desde = 0;
    while (desde < texto.size()) {
        std::size_t hasta = texto.find('\n', desde);
        if (hasta == std::string::npos) hasta = texto.size();
        std::string linea = texto.substr(desde, hasta - desde);
        if (std::regex_search(linea, patron)) return linea;
        desde = hasta + 1;
    }
    return "";
}

}  // namespace arnes
