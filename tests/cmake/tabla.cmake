# sockets_generar_tabla(TSV SALIDA): lee la tabla de etapas (etapas.tsv) y escribe la cabecera
# de C++ con sus constantes (arnes::etapas::kNN y arnes::secciones::<ancla>). Se vuelve a
# generar al configurar cada vez que la tabla cambia. Deja además las filas «retira» en la
# propiedad global SOCKETS_RETIRADAS («NN:Suite.Caso», una por prueba o suite retirada), que
# lee tests/registro para no registrar esas pruebas desde la lección NN.
function(sockets_generar_tabla tsv salida)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${tsv}")
  file(STRINGS "${tsv}" lineas ENCODING UTF-8)
  set(etapas "")
  set(secciones "")
  set(lista "")
  set(retiradas "")
  set(filas "")
  foreach(linea IN LISTS lineas)
    if(linea MATCHES "^#" OR linea STREQUAL "")
      continue()
    endif()
    string(REPLACE "\t" ";" c "${linea}")
    list(LENGTH c n)
    list(GET c 0 tipo)
    # Cada fila tal cual, para la herramienta sockets (sockets etapas: lo que pregunta bash).
    string(REPLACE "\t" "\", \"" celdas "${linea}")
    string(APPEND filas "    {${n}, {\"${celdas}\"}},\n")
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
    elseif(tipo STREQUAL "paso" AND n EQUAL 5)
      # los pasos de las lecciones largas: los leen las herramientas, no las pruebas
    elseif(tipo STREQUAL "retira" AND n EQUAL 3)
      list(GET c 1 nn)
      list(GET c 2 pruebas)
      string(REGEX REPLACE " +" ";" pruebas "${pruebas}")
      foreach(prueba IN LISTS pruebas)
        if(NOT prueba MATCHES "^[A-Za-z0-9_]+\\.([A-Za-z0-9_]+|\\*)$")
          message(FATAL_ERROR "${tsv}: fila «retira» ${nn}: «${prueba}» no es Suite.Caso ni Suite.*")
        endif()
        list(APPEND retiradas "${nn}:${prueba}")
      endforeach()
    elseif(tipo STREQUAL "seccion" AND n EQUAL 5)
      list(GET c 1 nn)
      list(GET c 2 ancla)
      list(GET c 3 pagina)
      list(GET c 4 titulo)
      string(APPEND secciones "inline constexpr Seccion ${ancla}{\"docs/${pagina}\", \"${ancla}\", "
                              "\"${titulo}\"};\n")
    else()
      message(FATAL_ERROR "${tsv}: línea mal formada (¿tabuladores?): «${linea}»")
    endif()
  endforeach()
  set_property(GLOBAL PROPERTY SOCKETS_RETIRADAS "${retiradas}")
  # filas.h, junto a tabla.h: las filas de la tabla como texto, sin el arnés (sockets etapas).
  get_filename_component(carpeta_salida "${salida}" DIRECTORY)
  file(CONFIGURE OUTPUT "${carpeta_salida}/filas.h" CONTENT "\
/// \\file filas.h
/// \\brief Generado por CMake a partir de etapas.tsv: no lo edites a mano. Cada fila, sin los
///        comentarios, con sus campos (la herramienta sockets responde con ellas: sockets etapas).
#pragma once

namespace tabla_etapas {
/// Una fila de etapas.tsv: cuántos campos tiene y los campos («etapa», «01», …).
struct Fila {
    int n;
    const char* campos[6];
};
inline constexpr Fila kFilas[] = {
@filas@};
}  // namespace tabla_etapas
" @ONLY)
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
endfunction()
