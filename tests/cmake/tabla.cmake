# sockets_generar_tabla(TSV SALIDA): lee la tabla de etapas (etapas.tsv) y escribe la cabecera
# de C++ con sus constantes (arnes::etapas::kNN y arnes::secciones::<ancla>). Se vuelve a
# generar al configurar cada vez que la tabla cambia. Deja además las filas «retira» en la
# propiedad global SOCKETS_RETIRADAS («NN:Suite.Caso», una por prueba o suite retirada), que
# lee tests/registro para no registrar esas pruebas desde la lección NN.
# Con un tercer argumento (SALIDA_BASE) escribe además la tabla entera como datos sin tipos del
# arnés (base/tabla_datos.h: etapas, pasos, filas «retira» y secciones), la que leen las
# herramientas por base/etapas.h: etapas.tsv se lee aquí y en ningún otro sitio de C++.
function(sockets_generar_tabla tsv salida)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${tsv}")
  file(STRINGS "${tsv}" lineas ENCODING UTF-8)
  set(etapas "")
  set(secciones "")
  set(lista "")
  set(retiradas "")
  set(d_etapas "")
  set(d_pasos "")
  set(d_retiradas "")
  set(d_secciones "")
  set(n_etapas 0)
  set(n_pasos 0)
  set(n_retiradas 0)
  set(n_secciones 0)
  foreach(linea IN LISTS lineas)
    if(linea MATCHES "^#" OR linea STREQUAL "")
      continue()
    endif()
    string(REPLACE "\t" ";" c "${linea}")
    list(LENGTH c n)
    list(GET c 0 tipo)
    if(tipo STREQUAL "etapa" AND n EQUAL 6)
      list(GET c 1 nn)
      list(GET c 2 nombre)
      list(GET c 3 titulo)
      list(GET c 4 carpeta)
      list(GET c 5 pagina)
      math(EXPR numero "1${nn} - 100")
      string(APPEND etapas "inline constexpr Etapa k${nn}{${numero}, \"${nombre}\", \"${titulo}\", "
                           "\"${carpeta}\", \"docs/${pagina}\"};\n")
      string(APPEND lista "&k${nn}, ")
      string(APPEND d_etapas "    FilaEtapa{${numero}, \"${nn}\", \"${nombre}\", \"${titulo}\", \"${carpeta}\", "
                             "\"docs/${pagina}\"},\n")
      math(EXPR n_etapas "${n_etapas} + 1")
    elseif(tipo STREQUAL "paso" AND n EQUAL 5)
      # los pasos de las lecciones largas: los leen las herramientas, no las pruebas
      list(GET c 1 nn)
      list(GET c 2 k)
      list(GET c 3 titulo)
      list(GET c 4 pruebas)
      if(NOT k MATCHES "^[0-9]+$")
        message(FATAL_ERROR "${tsv}: fila «paso» ${nn}: «${k}» no es un número de paso")
      endif()
      math(EXPR numero "1${nn} - 100")
      string(REGEX REPLACE " +" " " pruebas "${pruebas}")
      string(APPEND d_pasos "    FilaPaso{${numero}, ${k}, \"${titulo}\", \"${pruebas}\"},\n")
      math(EXPR n_pasos "${n_pasos} + 1")
    elseif(tipo STREQUAL "retira" AND n EQUAL 3)
      list(GET c 1 nn)
      list(GET c 2 pruebas)
      string(REGEX REPLACE " +" ";" pruebas "${pruebas}")
      foreach(prueba IN LISTS pruebas)
        if(NOT prueba MATCHES "^[A-Za-z0-9_]+\\.([A-Za-z0-9_]+|\\*)$")
          message(FATAL_ERROR "${tsv}: fila «retira» ${nn}: «${prueba}» no es Suite.Caso ni Suite.*")
        endif()
        list(APPEND retiradas "${nn}:${prueba}")
        math(EXPR numero "1${nn} - 100")
        string(APPEND d_retiradas "    FilaRetira{${numero}, \"${prueba}\"},\n")
        math(EXPR n_retiradas "${n_retiradas} + 1")
      endforeach()
    elseif(tipo STREQUAL "seccion" AND n EQUAL 5)
      list(GET c 1 nn)
      list(GET c 2 ancla)
      list(GET c 3 pagina)
      list(GET c 4 titulo)
      string(APPEND secciones "inline constexpr Seccion ${ancla}{\"docs/${pagina}\", \"${ancla}\", "
                              "\"${titulo}\"};\n")
      math(EXPR numero "1${nn} - 100")
      string(APPEND d_secciones "    FilaSeccion{${numero}, \"${ancla}\", \"docs/${pagina}\", \"${titulo}\"},\n")
      math(EXPR n_secciones "${n_secciones} + 1")
    else()
      message(FATAL_ERROR "${tsv}: línea mal formada (¿tabuladores?): «${linea}»")
    endif()
  endforeach()
  set_property(GLOBAL PROPERTY SOCKETS_RETIRADAS "${retiradas}")
  file(CONFIGURE OUTPUT "${salida}" CONTENT "\
/// \\file tabla.h
/// \\brief Generado por CMake a partir de etapas.tsv: no lo edites a mano.
#pragma once

namespace arnes {
namespace etapas {
@etapas@
/// Todas las etapas, en orden.
inline constexpr const Etapa* kTodas[] = {@lista@};
}  // namespace etapas
namespace secciones {
@secciones@}  // namespace secciones
}  // namespace arnes
" @ONLY)
  if(ARGC GREATER 2)
    file(CONFIGURE OUTPUT "${ARGV2}" CONTENT "\
/// \\file tabla_datos.h
/// \\brief Generado por CMake (tests/cmake/tabla.cmake) a partir de etapas.tsv: no lo edites a
///        mano. Lo lee base/etapas.cpp, y nadie más.
#pragma once

#include <array>

namespace base::tabla_datos {

/// Una fila «etapa»: número, «NN», nombre, título, carpeta («-» si no tiene) y página.
struct FilaEtapa {
    int numero;
    const char* nn;
    const char* nombre;
    const char* titulo;
    const char* carpeta;
    const char* pagina;
};
/// Una fila «paso»: etapa, número, título y sus pruebas (Suite.Caso separadas por un espacio).
struct FilaPaso {
    int etapa;
    int numero;
    const char* titulo;
    const char* pruebas;
};
/// Una prueba o suite (Suite.*) que deja de registrarse desde la lección `desde`.
struct FilaRetira {
    int desde;
    const char* prueba;
};
/// Una sección de la documentación que un informe puede citar.
struct FilaSeccion {
    int etapa;
    const char* ancla;
    const char* pagina;
    const char* titulo;
};

inline constexpr std::array<FilaEtapa, @n_etapas@> kEtapas{{
@d_etapas@}};
inline constexpr std::array<FilaPaso, @n_pasos@> kPasos{{
@d_pasos@}};
inline constexpr std::array<FilaRetira, @n_retiradas@> kRetiradas{{
@d_retiradas@}};
inline constexpr std::array<FilaSeccion, @n_secciones@> kSecciones{{
@d_secciones@}};

}  // namespace base::tabla_datos
" @ONLY)
  endif()
endfunction()
