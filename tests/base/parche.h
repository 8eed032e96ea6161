/// \file parche.h
/// \brief La cabecera de una entrega rota (tests/rotos/*.patch): las líneas «# clave: valor»
///        del principio. El único lector: el meta-test (sockets meta) y meta.sh (con
///        `sockets parche`) la leen por aquí. No usa nada más de la base: CMake lo compila suelto
///        al configurar, antes que nada (meta.sh preparar).
#pragma once

#include <string>
#include <vector>

namespace base {

/// Lo que dice la cabecera de un parche.
struct Parche {
    std::string nombre;    ///< el del fichero sin «.patch»: «27_paso2_sin_eintr»
    std::string leccion;   ///< «# leccion: 07_fork»: la carpeta de solutions/ a la que se aplica
    std::string error;     ///< «# error: …»: qué error tiene
    std::string variante;  ///< «# variante: …»: una versión correcta que no debe perder nada
    std::vector<std::string> fallas;    ///< «# falla: Suite.Prueba» (una o más)
    int paso = 0;                       ///< «# paso: N»: tiene hechos los pasos anteriores a N y falla el N
    std::vector<std::string> sintomas;  ///< «# sintoma: ID»: alguna prueba que falla lo reconoce
};

/// Lee la cabecera del parche `ruta` (las líneas que empiezan por «#» antes de la primera que
/// no). Un fichero que no se puede leer da una cabecera vacía (con su nombre).
Parche leer_parche(const std::string& ruta);

}  // namespace base
