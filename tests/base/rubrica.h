/// \file rubrica.h
/// \brief La rúbrica del corrector (tests/corrector/rubrica.conf): «clave = valor», una por
///        línea, '#' empieza un comentario; si una clave se repite, vale la última. El único
///        lector: el corrector (resultados.cpp) y corregir.sh (con `sockets rubrica`) lo usan.
#pragma once

#include <map>
#include <string>

namespace base {

/// Las claves y los valores de una rúbrica (sin espacios alrededor).
using Rubrica = std::map<std::string, std::string>;

/// Lee la rúbrica de `ruta` (vacía si no se puede leer).
Rubrica leer_rubrica(const std::string& ruta);

/// El valor de `clave` como número finito no negativo, o `defecto` si falta o no lo es.
double numero(const Rubrica& r, const std::string& clave, double defecto);

/// El valor de `clave` tal cual, o `defecto` si falta o está vacío.
std::string valor(const Rubrica& r, const std::string& clave, const std::string& defecto);

}  // namespace base
