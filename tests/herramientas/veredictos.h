/// \file veredictos.h
/// \brief La lectura de los veredictos: la tabla de etapas (etapas.tsv), la lista de pruebas
///        que registró CTest (`ctest --show-only=json-v1`) y el registro JSON de cada prueba.
///
/// Todo lo que se lee puede venir roto o ser hostil (un registro a medias, enorme, anidado sin
/// fin, con bytes de control): nada de esto aborta; cada problema se dice en español y la prueba
/// cuenta como no superada. Formato de los registros: docs/dev/veredictos.md.
#pragma once

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

/// Una fila «etapa» de etapas.tsv.
struct Etapa {
    int numero = 0;
    std::string nn;       ///< «03»
    std::string nombre;   ///< «listen»: la llamada (aparece en los nombres de las pruebas)
    std::string titulo;   ///< «accept y connect»
    std::string carpeta;  ///< «03_listen», o «-» si la etapa no tiene lección propia
    std::string pagina;   ///< «docs/03_listen.md»
    bool tiene_leccion() const { return carpeta != "-" && !carpeta.empty(); }
};

/// Una fila «paso» de etapas.tsv: un paso de una lección larga, con sus pruebas.
struct Paso {
    int etapa = 0;
    int numero = 0;                    ///< 1, 2, 3… en el orden en que se hacen
    std::string titulo;                ///< «escribirlo todo»
    std::vector<std::string> pruebas;  ///< Suite.Caso
};

/// La tabla de etapas.
struct Tabla {
    std::vector<Etapa> etapas;
    std::vector<Paso> pasos;
    /// Cuántos pasos tiene la etapa `n` (0: no se divide en pasos).
    int pasos_de(int n) const;
    /// El paso de la etapa `n` al que pertenece la prueba `caso` (Suite.Caso). Una prueba de la
    /// etapa que no figura en ningún paso es del último. 0 si la etapa no tiene pasos.
    int paso_de(int n, const std::string& caso) const;
    /// El paso número `k` de la etapa `n` (nullptr si no está).
    const Paso* paso(int n, int k) const;
    /// La etapa número `n` (nullptr si no está en la tabla).
    const Etapa* etapa(int n) const;
    /// La lección número `n`: la etapa `n` si tiene carpeta (nullptr si no).
    const Etapa* leccion(int n) const;
    /// La lección que sigue a la `n` en la tabla (nullptr si es la última).
    const Etapa* siguiente(int n) const;
};

/// Lee etapas.tsv. Devuelve false y explica el problema en `error` si no puede.
bool leer_tabla(const std::string& ruta, Tabla& tabla, std::string& error);

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
