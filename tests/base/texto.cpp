/// \file texto.cpp
/// \brief UTF-8, controles, recortes y anchos (ver texto.h).
#include "base/texto.h"

#include <vector>

namespace base {

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

std::size_t corte_atras(std::string_view s, std::size_t tope) {
    if (tope >= s.size()) return s.size();
    while (tope > 0 && continuacion(s[tope])) --tope;
    return tope;
}

std::size_t corte_adelante(std::string_view s, std::size_t desde) {
    while (desde < s.size() && continuacion(s[desde])) ++desde;
    return desde;
}

std::string utf8_saneado(std::string_view s) {
    std::string r;
    r.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const int largo = examinar_utf8(s, i);
        if (largo > 0) {
            r.append(s.substr(i, static_cast<std::size_t>(largo)));
            i += static_cast<std::size_t>(largo);
        } else {
            r += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return r;
}

std::string sin_control(std::string_view s) {
    std::string r;
    r.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0x1b && i + 1 < s.size() && s[i + 1] == '[') {  // ESC [ … letra
            std::size_t j = i + 2;
            while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';')) ++j;
            i = j < s.size() ? j + 1 : s.size();
            continue;
        }
        if ((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t') r += static_cast<char>(c);
        ++i;
    }
    return r;
}

std::string acotar(std::string_view s, std::size_t tope, std::string_view quien) {
    if (s.size() <= tope) return std::string(s);
    return std::string(s.substr(0, corte_atras(s, tope))) + "\n… (recortado" + std::string(quien) + ": " +
           std::to_string(s.size()) + " bytes en total)";
}

std::size_t ancho(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if (!continuacion(c)) ++n;
    return n;
}

std::string rellenar(const std::string& s, std::size_t n) {
    const std::size_t a = ancho(s);
    return a >= n ? s : s + std::string(n - a, ' ');
}

std::string recortar_ancho(const std::string& s, std::size_t max) {
    if (ancho(s) <= max) return s;
    std::string r;
    std::size_t n = 0;
    for (char c : s) {
        if (!continuacion(c) && ++n > max - 1) break;
        r += c;
    }
    return r + "…";
}

namespace {

int hex(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/// Los bytes de la tira de «\xNN» seguidos que empieza en `i`; `j`, dónde acaba.
std::vector<unsigned char> bytes_escapados(std::string_view s, std::size_t i, std::size_t& j) {
    std::vector<unsigned char> bytes;
    j = i;
    while (j + 3 < s.size() && s[j] == '\\' && s[j + 1] == 'x' && hex(s[j + 2]) >= 0 && hex(s[j + 3]) >= 0) {
        bytes.push_back(static_cast<unsigned char>(hex(s[j + 2]) * 16 + hex(s[j + 3])));
        j += 4;
    }
    return bytes;
}

}  // namespace

std::string utf8_escapado(std::string_view s) {
    for (std::size_t i = 0; i + 3 < s.size(); ++i) {
        if (s[i] != '\\' || s[i + 1] != 'x') continue;
        std::size_t j = i;
        const std::vector<unsigned char> bytes = bytes_escapados(s, i, j);
        for (std::size_t k = 0; k < bytes.size(); ++k) {
            const unsigned char b = bytes[k];
            const std::size_t n = b >= 0xC2 && b <= 0xDF   ? 1
                                  : b >= 0xE0 && b <= 0xEF ? 2
                                  : b >= 0xF0 && b <= 0xF4 ? 3
                                                           : 0;
            if (n == 0 || k + n >= bytes.size()) continue;
            bool valida = true;
            for (std::size_t m = 1; m <= n; ++m) valida = valida && (bytes[k + m] & 0xC0) == 0x80;
            if (valida) return std::string(s.substr(i + 4 * k, 4 * (n + 1)));
        }
        if (j > i) i = j - 1;
    }
    return "";
}

}  // namespace base
