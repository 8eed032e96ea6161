/// \file etapas.h
/// \brief La tabla de etapas (etapas.tsv) para las herramientas: la que CMake leyó al configurar
///        (tests/cmake/tabla.cmake, que genera base/tabla_datos.h). Nada la vuelve a leer en
///        tiempo de ejecución: lecciones, pasos, pruebas retiradas y secciones salen de aquí.
#pragma once

#include <string>
#include <vector>

namespace base {

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

/// Una fila «seccion»: una sección de la documentación que un informe puede citar.
struct Seccion {
    int etapa = 0;
    std::string ancla, pagina, titulo;
};

/// La tabla de etapas.
struct Tabla {
    std::vector<Etapa> etapas;
    std::vector<Paso> pasos;
    std::vector<Seccion> secciones;
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
    /// Las lecciones (etapas con carpeta), en orden.
    std::vector<const Etapa*> lecciones() const;
    /// Las pruebas y suites («Suite.*») que no se registran desde la lección `n` (filas «retira»
    /// de esa lección o de una anterior).
    std::vector<std::string> retiradas(int n) const;

    std::vector<std::pair<int, std::string>> filas_retira;  ///< {desde, prueba}
};

/// La tabla de este build (la de etapas.tsv al configurar).
const Tabla& tabla();

}  // namespace base
