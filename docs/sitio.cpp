/// \file sitio.cpp
/// \brief Retoques del sitio que genera Doxygen, tras generarlo: el índice del buscador de
///        palabras y las etiquetas de los diagramas de secuencia.
///
/// `sockets_sitio HTML`:
///  1. **Índice de búsqueda** (`HTML/buscar_indice.js`). El buscador de Doxygen solo conoce
///     símbolos (clases, funciones); este índice guarda las palabras de las páginas del curso,
///     sección a sección, sin tildes ni mayúsculas («conexion» encuentra «conexión»). Deja fuera
///     el código (`div.fragment`), lo plegado (`<details>`: las soluciones) y la navegación
///     anterior/siguiente. `curso.js` lo carga y ordena los resultados (docs/dev/estilo_docs.md).
///     Es un fichero .js que asigna una variable, no un JSON: así se lee también desde file://.
///  2. **Etiquetas de \\msc**. mscgen escribe la etiqueta de cada flecha con su línea base justo
///     encima de la flecha (un píxel): la letra toca la línea y se lee tachada. Se suben
///     kSubida píxeles la etiqueta y su fondo blanco. Y cada texto se centra con su ancho natural
///     en vez de estirarlo al que calcula mscgen (textLength), que separa las letras.
/// Sale con 0 si todo fue bien y con 1 (explicándolo en español) si no pudo leer o escribir.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

/// Cuántos píxeles se sube la etiqueta de una flecha de \msc (letra de 12 px: así queda un
/// hueco de unos 2 px entre la línea y los trazos que bajan, como la «p»).
constexpr int kSubida = 4;

/// Lee un fichero entero; lanza std::runtime_error si no puede.
std::string leer(const fs::path& ruta) {
    std::ifstream f(ruta, std::ios::binary);
    if (!f) throw std::runtime_error("no se puede leer " + ruta.string());
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// Escribe un fichero entero (en uno temporal y luego lo renombra); lanza si no puede.
void escribir(const fs::path& ruta, const std::string& texto) {
    const fs::path temporal = ruta.string() + ".tmp";
    {
        std::ofstream f(temporal, std::ios::binary | std::ios::trunc);
        if (!f || !(f << texto) || !f.flush())
            throw std::runtime_error("no se puede escribir " + temporal.string());
    }
    fs::rename(temporal, ruta);
}

// --- Texto: entidades, tildes, palabras ------------------------------------------------------

/// Añade a `s` el carácter `c` (un punto de código) en UTF-8.
void poner_utf8(std::string& s, unsigned long c) {
    if (c < 0x80) {
        s += static_cast<char>(c);
    } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (c >> 18));
        s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
}

/// Cambia las entidades HTML que escribe Doxygen (&lt; &#160; &#x2192;...) por su carácter.
std::string sin_entidades(const std::string& html) {
    static const std::map<std::string, std::string> nombradas = {
        {"lt", "<"},       {"gt", ">"},       {"amp", "&"},      {"quot", "\""},
        {"apos", "'"},     {"nbsp", " "},     {"zwj", ""},       {"zwnj", ""},
        {"laquo", "«"},    {"raquo", "»"},    {"hellip", "…"},   {"mdash", "—"},
        {"ndash", "–"},    {"lsquo", "‘"},    {"rsquo", "’"},    {"ldquo", "“"},
        {"rdquo", "”"},    {"middot", "·"},   {"rarr", "→"},     {"larr", "←"}};
    std::string s;
    s.reserve(html.size());
    for (std::size_t i = 0; i < html.size(); ++i) {
        const std::size_t fin = html[i] == '&' ? html.find(';', i) : std::string::npos;
        if (fin == std::string::npos || fin - i > 10) {
            s += html[i];
            continue;
        }
        const std::string nombre = html.substr(i + 1, fin - i - 1);
        if (!nombre.empty() && nombre[0] == '#') {
            const bool hexa = nombre.size() > 1 && (nombre[1] == 'x' || nombre[1] == 'X');
            const unsigned long c = std::strtoul(nombre.c_str() + (hexa ? 2 : 1), nullptr, hexa ? 16 : 10);
            poner_utf8(s, c == 160 ? ' ' : c);
        } else if (auto e = nombradas.find(nombre); e != nombradas.end()) {
            s += e->second;
        } else {
            s += html.substr(i, fin - i + 1);  // desconocida: tal cual
        }
        i = fin;
    }
    return s;
}

/// La letra «plegada» de un carácter latino de dos bytes en UTF-8 (0xC3 xx): «á» y «Á» dan 'a',
/// «ñ» da 'n'; 0 si no es una letra con tilde.
char plegar_latina(unsigned char segundo) {
    // Tabla de U+00C0..U+00FF (segundo byte 0x80..0xBF); las mayúsculas y minúsculas coinciden
    // salvo en 0x20.
    static const char tabla[] = "aaaaaaaceeeeiiii" "dnooooo" "\0" "ouuuuy" "\0" "s";
    const unsigned char i = static_cast<unsigned char>((segundo - 0x80) & 0x1F);
    if (segundo < 0x80 || segundo > 0xBF || i >= sizeof tabla - 1) return 0;
    return tabla[i];
}

/// Las palabras de un texto, sin tildes y en minúsculas: «TIME_WAIT» da «time_wait».
/// Una palabra es una secuencia de letras, cifras y '_'; se ignoran las de un solo carácter.
std::vector<std::string> palabras(const std::string& texto) {
    std::vector<std::string> salida;
    std::string actual;
    const auto cortar = [&] {
        if (actual.size() > 1) salida.push_back(actual);
        actual.clear();
    };
    for (std::size_t i = 0; i < texto.size(); ++i) {
        const auto c = static_cast<unsigned char>(texto[i]);
        if (std::isalnum(c) || c == '_') {
            actual += static_cast<char>(std::tolower(c));
        } else if (c == 0xC3 && i + 1 < texto.size()) {
            const char letra = plegar_latina(static_cast<unsigned char>(texto[i + 1]));
            ++i;
            if (letra) {
                actual += letra;
            } else {
                cortar();
            }
        } else {
            cortar();
        }
    }
    cortar();
    return salida;
}

/// Junta los espacios seguidos en uno y quita los de los extremos.
std::string compactar(const std::string& s) {
    std::string r;
    bool espacio = false;
    for (const char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            espacio = !r.empty();
        } else {
            if (espacio) r += ' ';
            espacio = false;
            r += c;
        }
    }
    return r;
}

// --- Las páginas: secciones con su título, su ancla y su texto --------------------------------

/// Una sección de una página: lo que va de un encabezado al siguiente.
struct Seccion {
    std::string url;     ///< «leccion02.html#l02_htons» (sin ancla si el encabezado no la tiene)
    std::string pagina;  ///< el título de la página
    std::string titulo;  ///< el del encabezado (el de la página, en la parte de antes del primero)
    std::string texto;   ///< el texto visible, sin el código ni lo plegado
};

/// ¿Empieza en `html[i]` la etiqueta `<nombre` (seguida de espacio o '>')?
bool abre(const std::string& html, std::size_t i, const std::string& nombre) {
    if (html.compare(i + 1, nombre.size(), nombre) != 0) return false;
    const char sig = html[i + 1 + nombre.size()];
    return sig == ' ' || sig == '>' || sig == '\n' || sig == '/';
}

/// Las secciones de una página de Doxygen (`pagina.html`). Solo se lee lo que hay dentro de
/// `<div class="contents">`; se saltan el código, lo plegado, los scripts, los dibujos y la
/// navegación «anterior/siguiente» (`div.pasos`).
std::vector<Seccion> secciones_de(const std::string& html, const std::string& nombre) {
    std::vector<Seccion> secciones;
    const std::regex re_titulo(R"re(<div class="title">([\s\S]*?)</div>)re");
    std::smatch m;
    std::string titulo_pagina = nombre;
    if (std::regex_search(html, m, re_titulo))
        titulo_pagina = compactar(sin_entidades(std::regex_replace(m[1].str(), std::regex("<[^>]*>"), "")));
    const std::size_t inicio = html.find("<div class=\"contents\">");
    const std::size_t fin = html.find("<!-- contents -->");
    if (inicio == std::string::npos) return secciones;
    const std::string cuerpo = html.substr(inicio, (fin == std::string::npos ? html.size() : fin) - inicio);

    secciones.push_back({nombre, titulo_pagina, titulo_pagina, ""});
    // Elementos que no se indexan: código, plegados, scripts, dibujos, navegación.
    static const std::regex saltar(
        R"re(^<(details|script|style|svg|iframe)\b|^<div class="(fragment|pasos[^"]*|dotgraph|mscgraph)")re");
    std::string salto;  // la etiqueta que se está saltando ("" si ninguna)
    int profundidad = 0;
    bool en_encabezado = false;
    std::string encabezado, ancla, texto;
    for (std::size_t i = 0; i < cuerpo.size(); ++i) {
        if (cuerpo[i] != '<') {
            if (salto.empty()) (en_encabezado ? encabezado : texto) += cuerpo[i];
            continue;
        }
        const std::size_t cierre = cuerpo.find('>', i);
        if (cierre == std::string::npos) break;
        const std::string etiqueta = cuerpo.substr(i, cierre - i + 1);
        i = cierre;
        if (!salto.empty()) {  // dentro de algo que se salta: contar los anidados del mismo tipo
            if (abre(etiqueta, 0, salto) && etiqueta[etiqueta.size() - 2] != '/') ++profundidad;
            if (etiqueta.rfind("</" + salto, 0) == 0 && --profundidad == 0) salto.clear();
            continue;
        }
        std::smatch s;
        if (std::regex_search(etiqueta, s, saltar)) {
            salto = etiqueta.substr(1, etiqueta.find_first_of(" >\n") - 1);
            profundidad = 1;
            continue;
        }
        if (etiqueta.size() > 3 && etiqueta[1] == 'h' && etiqueta[2] >= '1' && etiqueta[2] <= '4' &&
            (etiqueta[3] == '>' || etiqueta[3] == ' ')) {
            en_encabezado = true;
            encabezado.clear();
            ancla.clear();
            continue;
        }
        if (en_encabezado) {
            std::smatch a;
            if (std::regex_search(etiqueta, a, std::regex(R"re(class="anchor" id="([^"]+)")re")))
                ancla = a[1];
            if (etiqueta.rfind("</h", 0) == 0) {
                en_encabezado = false;
                secciones.back().texto = compactar(sin_entidades(texto));
                texto.clear();
                std::string url = nombre;
                if (!ancla.empty()) url.append("#").append(ancla);
                secciones.push_back({url, titulo_pagina, compactar(sin_entidades(encabezado)), ""});
            }
            continue;
        }
        // Las etiquetas de bloque separan palabras («<td>a</td><td>b</td>»); las de línea no
        // («<code>TIME_WAIT</code>:» sigue siendo «TIME_WAIT:»).
        static const std::regex bloque(R"re(^</?(p|div|li|ul|ol|td|th|tr|table|br|blockquote|dd|dt|dl|pre|summary|hr)\b)re");
        if (std::regex_search(etiqueta, bloque)) texto += ' ';
    }
    secciones.back().texto = compactar(sin_entidades(texto));
    return secciones;
}

/// Texto como cadena de JavaScript (JSON), con las comillas y los controles escapados.
std::string js(const std::string& s) {
    std::string r = "\"";
    for (const char c : s) {
        switch (c) {
            case '"': r += "\\\""; break;
            case '\\': r += "\\\\"; break;
            case '\n': r += "\\n"; break;
            case '<': r += "\\u003c"; break;  // nada de «</script>» dentro del fichero
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    r += ' ';
                } else {
                    r += c;
                }
        }
    }
    return r + "\"";
}

/// Escribe HTML/buscar_indice.js con las secciones de todas las páginas del curso. Devuelve
/// cuántas secciones indexó.
std::size_t indexar(const fs::path& html) {
    std::vector<fs::path> paginas;
    for (const auto& e : fs::directory_iterator(html)) {
        const std::string n = e.path().filename().string();
        // Sin el índice de páginas de Doxygen, su página del directorio docs/ ni los listados
        // (solo código, plegado).
        if (e.path().extension() == ".html" && n != "pages.html" && n.rfind("dir_", 0) != 0 &&
            n.find("_listado.html") == std::string::npos)
            paginas.push_back(e.path());
    }
    std::sort(paginas.begin(), paginas.end());
    std::vector<Seccion> todas;
    for (const auto& p : paginas)
        for (auto& s : secciones_de(leer(p), p.filename().string()))
            if (!s.texto.empty() || !s.titulo.empty()) todas.push_back(std::move(s));

    // Para cada palabra: en qué secciones sale, cuántas veces en el texto y si está en el título.
    // Las palabras con '_' (TIME_WAIT, SO_REUSEADDR) cuentan también por sus partes.
    std::map<std::string, std::map<std::size_t, std::pair<int, int>>> terminos;
    const auto contar = [&](const std::string& texto, std::size_t seccion, bool titulo) {
        for (const auto& w : palabras(texto)) {
            std::vector<std::string> formas{w};
            if (w.find('_') != std::string::npos) {
                std::istringstream partes(w);
                for (std::string p; std::getline(partes, p, '_');)
                    if (p.size() > 1) formas.push_back(p);
            }
            for (const auto& f : formas) {
                auto& [veces, en_titulo] = terminos[f][seccion];
                if (titulo) {
                    en_titulo = 1;
                } else {
                    ++veces;
                }
            }
        }
    };
    for (std::size_t i = 0; i < todas.size(); ++i) {
        contar(todas[i].titulo, i, true);
        contar(todas[i].texto, i, false);
    }

    std::ostringstream o;
    o << "// Índice del buscador del curso: lo genera docs/sitio.cpp al generar la documentación.\n"
      << "// secciones: [url, página, sección, texto]; terminos: palabra -> [sección, veces en el\n"
      << "// texto, 1 si está en el título de la sección]. curso.js lo lee y ordena los resultados.\n"
      << "var INDICE_BUSQUEDA = {\"secciones\": [\n";
    for (std::size_t i = 0; i < todas.size(); ++i) {
        const auto& s = todas[i];
        // El texto, como mucho 3000 bytes (sin partir un carácter): basta para el extracto.
        std::string texto = s.texto;
        if (texto.size() > 3000) {
            std::size_t corte = 3000;
            while (corte > 0 && (static_cast<unsigned char>(texto[corte]) & 0xC0) == 0x80) --corte;
            texto = texto.substr(0, corte) + "…";
        }
        o << "[" << js(s.url) << "," << js(s.pagina) << "," << js(s.titulo) << "," << js(texto)
          << "]" << (i + 1 < todas.size() ? ",\n" : "\n");
    }
    o << "],\n\"terminos\": {\n";
    std::size_t n = 0;
    for (const auto& [palabra, donde] : terminos) {
        o << js(palabra) << ":[";
        std::size_t k = 0;
        for (const auto& [seccion, cuenta] : donde)
            o << (k++ ? "," : "") << "[" << seccion << "," << cuenta.first << "," << cuenta.second << "]";
        o << "]" << (++n < terminos.size() ? ",\n" : "\n");
    }
    o << "}};\n";
    escribir(html / "buscar_indice.js", o.str());
    return todas.size();
}

// --- Diagramas de secuencia ---------------------------------------------------------------------

/// Una línea horizontal de un SVG de mscgen (una flecha o el borde de una caja): su altura y sus
/// extremos.
struct Flecha {
    int y, desde, hasta;
};

/// Un polígono blanco de más de una línea de alto (box, note...): sus bordes.
struct Caja {
    int arriba, abajo, izquierda, derecha;
};

/// Las líneas horizontales del SVG: «<line x1="A" y1="Y" x2="B" y2="Y"».
std::vector<Flecha> leer_flechas(const std::string& svg) {
    std::vector<Flecha> flechas;
    const std::regex re_linea(R"re(<line x1="(-?\d+)" y1="(-?\d+)" x2="(-?\d+)" y2="(-?\d+)")re");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re_linea); it != std::sregex_iterator(); ++it) {
        const auto& l = *it;
        if (l[2] != l[4]) continue;
        const int a = std::stoi(l[1]), b = std::stoi(l[3]);
        flechas.push_back({std::stoi(l[2]), std::min(a, b), std::max(a, b)});
    }
    return flechas;
}

/// Las cajas del SVG (box, note...). Sus bordes superior e inferior también son líneas
/// horizontales, pero no flechas: el texto de dentro no se toca.
std::vector<Caja> leer_cajas(const std::string& svg) {
    std::vector<Caja> cajas;
    const std::regex re_poligono(R"re(<polygon fill="white" points="([^"]+)")re");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re_poligono); it != std::sregex_iterator(); ++it) {
        std::istringstream puntos((*it)[1].str());
        Caja c{1 << 30, -(1 << 30), 1 << 30, -(1 << 30)};
        int x = 0, y = 0;
        char coma = 0;
        while (puntos >> x >> coma >> y) {
            c.arriba = std::min(c.arriba, y);
            c.abajo = std::max(c.abajo, y);
            c.izquierda = std::min(c.izquierda, x);
            c.derecha = std::max(c.derecha, x);
        }
        if (c.abajo - c.arriba > 12) cajas.push_back(c);
    }
    return cajas;
}

/// Sube las etiquetas de las flechas de un SVG de mscgen: una etiqueta cuya línea base está un
/// píxel por encima de una línea horizontal (la flecha) sube kSubida píxeles, con su fondo.
/// Devuelve cuántas subió.
int subir_etiquetas(std::string& svg) {
    const std::vector<Flecha> flechas = leer_flechas(svg);
    const std::vector<Caja> cajas = leer_cajas(svg);
    const auto es_borde = [&](const Flecha& f) {
        return std::any_of(cajas.begin(), cajas.end(), [&](const Caja& c) {
            return (f.y == c.arriba || f.y == c.abajo) && f.desde >= c.izquierda && f.hasta <= c.derecha;
        });
    };
    // ¿Hay una flecha justo debajo (un píxel) de una etiqueta con esta línea base y este x?
    const auto sobre_flecha = [&](int base, int x) {
        return std::any_of(flechas.begin(), flechas.end(), [&](const Flecha& f) {
            return f.y == base + 1 && x >= f.desde && x <= f.hasta && !es_borde(f);
        });
    };

    // Cada etiqueta: su fondo «<polygon fill="white" points="x,a x,a x,b x,b"/>» y su
    // «<text x=".." y="b" ...>».
    const std::regex re_etiqueta(
        R"re(<polygon fill="white" points="(-?\d+),(-?\d+) (-?\d+),(-?\d+) (-?\d+),(-?\d+) (-?\d+),(-?\d+)"/>\s*<text x="(-?\d+)" y="(-?\d+)")re");
    std::string salida;
    int subidas = 0;
    auto desde = svg.cbegin();
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re_etiqueta); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        salida.append(desde, m[0].first);
        desde = m[0].second;
        if (!sobre_flecha(std::stoi(m[10]), std::stoi(m[9]))) {
            salida.append(m[0].first, m[0].second);
            continue;
        }
        const auto y = [&](int k) { return std::to_string(std::stoi(m[k]) - kSubida); };
        salida += "<polygon fill=\"white\" points=\"" + m[1].str() + "," + y(2) + " " + m[3].str() +
                  "," + y(4) + " " + m[5].str() + "," + y(6) + " " + m[7].str() + "," + y(8) +
                  "\"/>\n<text x=\"" + m[9].str() + "\" y=\"" + y(10) + "\"";
        ++subidas;
    }
    salida.append(desde, svg.cend());
    svg = std::move(salida);
    return subidas;
}

/// mscgen estira cada texto al ancho que calcula con sus propias medidas (textLength): ««ho»»
/// sale como «« h o »». Sin textLength, centrado en el mismo sitio, cada texto ocupa lo suyo.
void centrar_textos(std::string& svg) {
    const std::regex re_largo(R"re(<text x="(-?\d+)" y="(-?\d+)" textLength="(\d+)"([^>]*)>)re");
    std::string centrado;
    auto desde = svg.cbegin();
    for (auto it = std::sregex_iterator(svg.cbegin(), svg.cend(), re_largo); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        centrado.append(desde, m[0].first);
        desde = m[0].second;
        std::string resto = m[4].str();
        const bool ya_centrado = resto.find("text-anchor=\"middle\"") != std::string::npos;
        const int x = std::stoi(m[1]) + (ya_centrado ? 0 : std::stoi(m[3]) / 2);
        centrado += "<text x=\"" + std::to_string(x) + "\" y=\"" + m[2].str() + "\"" + resto +
                    (ya_centrado ? "" : " text-anchor=\"middle\"") + ">";
    }
    centrado.append(desde, svg.cend());
    svg = std::move(centrado);
}

/// Retoca los msc_*.svg de HTML. Devuelve cuántas etiquetas subió en total.
int retocar_diagramas(const fs::path& html) {
    int total = 0;
    for (const auto& e : fs::directory_iterator(html)) {
        const std::string n = e.path().filename().string();
        if (n.rfind("msc_", 0) != 0 || e.path().extension() != ".svg") continue;
        std::string svg = leer(e.path());
        if (svg.find("<!-- etiquetas subidas -->") != std::string::npos) continue;  // ya retocado
        total += subir_etiquetas(svg);
        centrar_textos(svg);
        escribir(e.path(), svg + "<!-- etiquetas subidas -->\n");
    }
    return total;
}

}  // namespace

/// Punto de entrada: `sockets_sitio HTML`. Devuelve 0 si todo fue bien, 1 si falló algo y 2 si
/// los argumentos no son válidos.
int main(int argc, char* argv[]) {
    if (argc != 2) {
        std::cerr << "uso: sockets_sitio CARPETA_HTML  (la que generó Doxygen)" << std::endl;
        return 2;
    }
    try {
        const fs::path html = argv[1];
        if (!fs::is_regular_file(html / "index.html"))
            throw std::runtime_error("no hay documentación generada en " + html.string() +
                                     " (falta index.html)");
        const std::size_t secciones = indexar(html);
        const int etiquetas = retocar_diagramas(html);
        std::cout << "sockets_sitio: " << secciones << " secciones en el índice de búsqueda, "
                  << etiquetas << " etiquetas de diagramas de secuencia separadas de su flecha"
                  << std::endl;
        return EXIT_SUCCESS;
    } catch (const std::exception& e) {
        std::cerr << "sockets_sitio: error: " << e.what() << std::endl;
        return EXIT_FAILURE;
    }
}
