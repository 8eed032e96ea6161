/// \file veredictos.h
/// \brief La lectura de los veredictos: la lista de pruebas que registró CTest
///        (`ctest --show-only=json-v1`) y el registro JSON de cada prueba (base/registro.h).
///
/// Todo lo que se lee puede venir roto o ser hostil (un registro a medias, enorme, anidado sin
/// fin, con bytes de control): nada de esto aborta; cada problema se dice en español y la prueba
/// cuenta como no superada. Formato de los registros: docs/dev/veredictos.md.
#pragma once

#include "base/etapas.h"
#include "base/json.h"
#include "base/registro.h"
#include "base/texto.h"

#include <cstddef>
#include <string>
#include <vector>

namespace veredictos {

using base::Json;
using base::Registro;
using base::sin_control;
// Acceso seguro a un JSON (un campo que falta o es de otro tipo da el valor vacío).
using base::entero;
using base::interpretar;
using base::leer_fichero;
using base::lista;
using base::objeto;
using base::texto;

// La tabla de etapas: la que CMake leyó de etapas.tsv al configurar (base/etapas.h).
using base::Etapa;
using base::Paso;
using base::Tabla;

/// Cómo acabó una prueba, según su registro.
enum class Estado {
    superada,
    omitida,
    fallida,
    interrumpida,  ///< el registro sigue como al empezar: el proceso murió o CTest lo mató
    sin_registro,  ///< no hay registro: el proceso murió antes de empezar, o no llegó a ejecutarse
    ilegible,      ///< el registro no es un JSON válido del formato 1
    sin_veredicto  ///< la prueba no escribe registro (un error de su registro en CMake)
};

/// ¿Cuenta como superada? (las omitidas no cuentan como fallo, como en CTest)
inline bool pasa(Estado e) { return e == Estado::superada || e == Estado::omitida; }

/// Una prueba registrada en CTest y lo que dice su registro.
struct Prueba {
    std::string nombre;                  ///< el de CTest: «lessons/L03/E03/Listen.X»
    std::vector<std::string> etiquetas;  ///< LABELS
    std::string arbol;                   ///< --sockets-arbol (o la primera parte del nombre)
    int leccion = -1;                    ///< --sockets-leccion
    int etapa = -1;                      ///< --sockets-etapa
    std::string caso;                    ///< Suite.Prueba (--gtest_filter)
    std::string registro;                ///< la ruta de su registro JSON ("" si no escribe)
    std::size_t orden = 0;               ///< su posición en la lista de CTest
    std::vector<std::string> comando;    ///< la orden con que CTest la ejecuta (ejecutable y argumentos)

    Estado estado = Estado::sin_registro;
    Registro datos;                      ///< el registro, si se pudo leer (base/registro.h)
    bool leido = false;                  ///< si se pudo leer
    std::string problema;                ///< por qué no se pudo leer (ilegible)
};

/// Lee la salida de `ctest --show-only=json-v1`. Las pruebas desactivadas (DISABLED) no cuentan.
bool leer_lista(const std::string& texto, std::vector<Prueba>& pruebas, std::string& error);

/// Lee el registro de cada prueba y fija su estado.
void leer_registros(std::vector<Prueba>& pruebas);

}  // namespace veredictos
