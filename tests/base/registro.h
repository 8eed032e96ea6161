/// \file registro.h
/// \brief El registro de veredicto: el fichero JSON que deja cada prueba (formato en
///        docs/dev/veredictos.md). Un struct, un escritor (escribir_registro) y un lector
///        (leer_registro): nadie más lee ni escribe estos ficheros.
///
/// El lector no se fía de nada: un registro a medias, enorme, anidado sin fin, con tipos
/// cambiados o con bytes de control no lo tumba. Un campo que falta o es de otro tipo queda con
/// su valor por omisión; un problema que impide leerlo se explica en español.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace base {

/// La versión del formato que se escribe y la única que se lee.
inline constexpr int kFormatoRegistro = 1;
/// Tope de un registro al leerlo (uno de verdad no pasa de unos cientos de KiB).
inline constexpr std::size_t kMaxRegistro = 4 * 1024 * 1024;

/// Dónde leer sobre un fallo.
struct Leer {
    std::string pagina, ancla, seccion, man;
};

/// Un informe de un fallo, ya redactado.
struct InformeRegistro {
    int etapa = -1;  ///< al leer, si falta: la etapa del registro
    std::string etapa_titulo, entrada, esperado, observado, pista;
    Leer leer;
    std::string texto;  ///< el informe entero, como se imprime
};

/// Un programa que lanzó la prueba, al acabar ella.
struct ProgramaRegistro {
    std::string orden;
    std::string estado;  ///< terminó | señal | vivo | límite | no_lanzado
    long codigo = 0, senal = 0;
    std::string descripcion, donde, errores;
    long descartado = 0, provocados = 0;
};

/// El registro de una prueba.
struct Registro {
    int formato = kFormatoRegistro;
    std::string id, arbol;
    int leccion = -1, etapa = -1;
    std::string etapa_titulo, suite, prueba;
    std::string estado;  ///< superada | fallida | omitida | interrumpida
    long duracion_ms = 0;
    std::vector<InformeRegistro> informes;
    std::vector<std::string> fallos_sin_informe;
    std::string motivo_omision;
    std::vector<ProgramaRegistro> programas;
    std::vector<std::string> sintomas;
    long recortados = 0;
};

/// Escribe el registro en `ruta` de una vez (fichero temporal y rename): nadie lee uno a
/// medias. Los bytes que no son UTF-8 válido se escriben como U+FFFD. false si no pudo.
bool escribir_registro(const std::string& ruta, const Registro& r);

/// Lo que salió de leer un registro.
enum class Leido {
    bien,
    no_existe,  ///< no hay fichero
    ilegible,   ///< no es un fichero normal, es enorme, no es JSON o anida sin fin
    invalido    ///< es JSON pero no un registro del formato 1 (o su estado es desconocido)
};

/// Lee el registro de `ruta`. Si no es Leido::bien, `error` lo explica en español.
Leido leer_registro(const std::string& ruta, Registro& r, std::string& error);

/// ¿Cuenta como superada? (las omitidas no cuentan como fallo, como en CTest)
inline bool superada(const Registro& r) { return r.estado == "superada" || r.estado == "omitida"; }

}  // namespace base
