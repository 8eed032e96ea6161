/// \file completo10_navegador.cpp
/// \brief Etapa 10 · el servidor web frente a un navegador de verdad: Chromium sin ventana carga
///        una página del servidor con su hoja de estilo y su imagen, y la prueba lee lo que ve
///        (el título, el estilo aplicado y el tamaño natural de la imagen) por el protocolo
///        DevTools (arnes::en_el_navegador()).
///
/// Es del nivel completo (etiqueta «completo»: arrancar Chromium cuesta unos segundos); la
/// ejecutan ./tutorial check 10 y ./tutorial test --completo. Sin Chromium se omite con el motivo.
#include "arnes/arnes.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

using arnes::Ms;
using arnes::Opciones;
namespace fs = std::filesystem;

const arnes::Lectura kLeerNavegador{arnes::secciones::l10_navegador, "RFC 1945, sección 10.5"};

/// Un entero de 32 bits en orden de red (big endian), como lo quiere PNG.
std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

/// Un PNG de `ancho`×`alto` píxeles (RGB) hecho aquí, sin comprimir (bloques «stored» de
/// deflate): una imagen de verdad que el navegador tiene que descodificar para medirla.
std::string png(unsigned ancho, unsigned alto) {
    const auto crc32 = [](const std::string& d) {
        std::uint32_t c = 0xffffffffu;
        for (unsigned char b : d) {
            c ^= b;
            for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
        }
        return c ^ 0xffffffffu;
    };
    const auto trozo = [&](const std::string& tipo, const std::string& datos) {
        return be32(static_cast<std::uint32_t>(datos.size())) + tipo + datos + be32(crc32(tipo + datos));
    };
    std::string filas;  // cada fila: el filtro 0 y sus píxeles
    for (unsigned y = 0; y < alto; ++y) {
        filas += '\0';
        for (unsigned x = 0; x < ancho; ++x)
            filas += {static_cast<char>(x * 7), static_cast<char>(y * 11), static_cast<char>(200)};
    }
    std::string z = "\x78\x01";  // zlib sin compresión
    for (std::size_t i = 0; i < filas.size(); i += 65535) {
        const std::size_t n = std::min<std::size_t>(65535, filas.size() - i);
        z += static_cast<char>(i + n == filas.size() ? 1 : 0);  // ¿el último bloque?
        z += {static_cast<char>(n), static_cast<char>(n >> 8), static_cast<char>(~n), static_cast<char>(~n >> 8)};
        z += filas.substr(i, n);
    }
    std::uint32_t a = 1, b = 0;  // Adler-32
    for (unsigned char c : filas) a = (a + c) % 65521, b = (b + a) % 65521;
    z += be32((b << 16) | a);
    const std::string cabecera = be32(ancho) + be32(alto) + std::string{8, 2, 0, 0, 0};
    return std::string("\x89PNG\r\n\x1a\n", 8) + trozo("IHDR", cabecera) + trozo("IDAT", z) + trozo("IEND", "");
}

/// El servidor web con un sitio de prueba: una página, su estilo y su imagen.
class Navegador : public arnes::PruebaDeEtapa {
protected:
    Navegador() : PruebaDeEtapa(arnes::etapas::k10) {
        char plantilla[] = "/tmp/sockets-navegador-XXXXXX";
        carpeta_ = mkdtemp(plantilla) != nullptr ? plantilla : "";
        fs::create_directories(carpeta_ + "/css");
        fs::create_directories(carpeta_ + "/img");
        std::ofstream(carpeta_ + "/index.html")
            << "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<title>Prueba del navegador</title>\n<link rel=\"stylesheet\" href=\"css/estilo.css\">\n"
               "</head>\n<body>\n<h1 id=\"titulo\">Hola desde el servidor</h1>\n"
               "<img id=\"punto\" src=\"img/punto.png\" alt=\"un punto\">\n</body>\n</html>\n";
        std::ofstream(carpeta_ + "/css/estilo.css") << "h1 { color: rgb(12, 34, 56); letter-spacing: 3px; }\n";
        std::ofstream(carpeta_ + "/img/punto.png", std::ios::binary) << png(37, 23);
    }
    ~Navegador() override {
        srv_.reset();
        std::error_code e;
        if (!carpeta_.empty()) fs::remove_all(carpeta_, e);
    }
    std::string carpeta_;
};

// Chromium carga «/» del servidor: la página, con su título y su texto; su hoja de estilo
// aplicada (el color del h1); y su imagen PNG descodificada, de 37×23 píxeles.
TEST_F(Navegador, CargaUnaPaginaConSuEstiloYSuImagen) {
    Opciones o;
    o.trazar = false;
    o.limite = Ms(120000);
    srv_ = servidor({"0", carpeta_}, o);
    const auto puerto = srv_->esperar_escucha();
    ASSERT_TRUE(puerto) << informe({srv_->orden(), "«escuchando en el puerto N»", srv_->resumen(),
                                    "el servidor recibe PUERTO y CARPETA", arnes::secciones::l10_partida});
    const std::string url = "http://127.0.0.1:" + std::to_string(*puerto) + "/";
    const auto visto = arnes::en_el_navegador(
        url,
        "(() => { const h = document.getElementById('titulo'), i = document.getElementById('punto');"
        " return { titulo: document.title, texto: h ? h.textContent : '(sin h1)',"
        " color: h ? getComputedStyle(h).color : '', hojas: document.styleSheets.length,"
        " imagen: i && i.complete && i.naturalWidth ? i.naturalWidth + 'x' + i.naturalHeight : 'sin cargar' }; })()");
    if (visto.omitida) GTEST_SKIP() << "Sin navegador: " << visto.motivo << ". Esta prueba se omite, no se da por buena.";
    auto valor = [&](const std::string& k) {
        auto i = visto.valores.find(k);
        return i == visto.valores.end() ? std::string("(nada)") : i->second;
    };
    const std::string observado =
        visto.bien() ? "título «" + valor("titulo") + "», h1 «" + valor("texto") + "», color " + valor("color") +
                           ", imagen " + valor("imagen")
                     : visto.motivo;
    const std::string entrada = srv_->orden() + "\nChromium sin ventana abre " + url +
                                " (index.html, que pide css/estilo.css e img/punto.png)";
    EXPECT_TRUE(visto.bien() && valor("titulo") == "Prueba del navegador" && valor("texto") == "Hola desde el servidor")
        << informe({entrada, "la página: título «Prueba del navegador» y un h1 «Hola desde el servidor»",
                    observado + "\n" + srv_->resumen(),
                    "GET / sirve index.html como text/html; charset=utf-8", kLeerNavegador});
    EXPECT_EQ(valor("color"), "rgb(12, 34, 56)") << informe(
        {entrada, "el estilo aplicado: el h1 de color rgb(12, 34, 56)", observado + "\n" + srv_->resumen(),
         "el navegador solo aplica una hoja de estilo servida como text/css: mira su Content-Type "
         "(y que la ruta relativa css/estilo.css se sirva)",
         kLeerNavegador});
    EXPECT_EQ(valor("imagen"), "37x23") << informe(
        {entrada, "la imagen cargada: 37×23 píxeles", observado + "\n" + srv_->resumen(),
         "una imagen es binaria: se envía entera, byte a byte, con Content-Type: image/png y su "
         "Content-Length exacto",
         kLeerNavegador});
}

}  // namespace
