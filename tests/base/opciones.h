/// \file opciones.h
/// \brief Una sola convención de opciones para todos los main(): getopt_long, opciones largas,
///        `--clave=valor` y `--clave valor` (las dos), `--bandera` sin valor, y `--` para
///        terminar. Cada main() es una tabla corta de sus opciones.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace base {

/// Una opción larga de la tabla de un main().
struct Opcion {
    const char* nombre;  ///< sin los guiones: «leccion»
    bool con_valor;      ///< true: `--leccion=N` o `--leccion N`; false: bandera (`--todas`)
};

/// Lo leído: cada valor de cada opción (una opción puede repetirse) y lo que no es opción.
struct Opciones {
    std::map<std::string, std::vector<std::string>> valores;
    std::vector<std::string> resto;  ///< lo que va tras `--` (o tras el primer argumento que no es opción)

    bool hay(const std::string& clave) const { return valores.count(clave) != 0; }
    /// El último valor dado a `clave`, o `defecto`.
    std::string valor(const std::string& clave, const std::string& defecto = "") const;
    /// Todos los valores dados a `clave`, en orden.
    std::vector<std::string> todos(const std::string& clave) const;
};

/// Lee argv[1..argc) (argv[0] es el nombre) con getopt_long según `tabla`. Con `resto_libre`,
/// lo que sigue al primer argumento que no es opción (o a `--`) va a `resto`; sin él, un
/// argumento que no es opción es un error (salvo tras `--`). false y `error` en español si una
/// opción no está en la tabla, le falta su valor o sobra un argumento.
bool leer_opciones(int argc, char** argv, const std::vector<Opcion>& tabla, Opciones& o, std::string& error,
                   bool resto_libre = false);

}  // namespace base
