/// \file json.h
/// \brief Leer JSON ajeno sin fiarse: un fichero con tope, sin excepciones y sin hundirse en
///        anidamientos absurdos, y acceso a campos que pueden faltar o ser de otro tipo.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace base {

using Json = nlohmann::json;

/// Lee un fichero entero (hasta `tope` bytes). false y `error` en español si no puede.
bool leer_fichero(const std::string& ruta, std::size_t tope, std::string& texto, std::string& error);

/// Interpreta un JSON sin excepciones y sin hundirse en anidamientos absurdos.
bool interpretar(const std::string& texto, Json& j, std::string& error);

// --- Acceso seguro (un campo que falta o es de otro tipo da el valor vacío) ---
std::string texto(const Json& j, const char* clave);
long entero(const Json& j, const char* clave, long defecto = 0);
const Json& lista(const Json& j, const char* clave);
const Json& objeto(const Json& j, const char* clave);

}  // namespace base
