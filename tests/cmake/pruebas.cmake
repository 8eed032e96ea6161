# Nivel, etiquetas y plazo de cada prueba de CTest, en un solo sitio.
#
# Dos niveles (docs/dev/diseno.md, «El recorrido de una prueba»):
#   rapido    ./tutorial test, la orden del README (unos 5 minutos desde un clon nuevo);
#   completo  además con ./tutorial test --completo (y .ci/run): lo que tarda minutos. Estas
#             pruebas llevan la etiqueta «completo», que ./tutorial test deja fuera.
# El plazo (TIMEOUT, en segundos) es para un programa colgado, nunca una medida de velocidad:
# las cifras las imprimen tests/bench/.
#
# Una fila por prueba o grupo de pruebas: «PREFIJO NIVEL PLAZO». Vale la primera fila cuyo
# PREFIJO empieza el nombre de la prueba (así que las más concretas van antes).
# (Una propiedad global: la leen también los directorios que no cuelgan de tests/, como
# tests/registro, que se añade desde la raíz una vez por árbol y lección.)
set_property(GLOBAL PROPERTY SOCKETS_NIVELES
  # Las de etapa de cada árbol (tests/registro/) y las autopruebas del arnés y los experimentos.
  "etapa                      rapido     60"
  "completo_etapa             completo   120"
  "arnes/                     rapido     60"
  "experimentos/              rapido     60"
  # Las herramientas del alumno (tests/herramientas/aprender.cmake).
  "herramientas/pistas        rapido     60"
  "herramientas/traza/        rapido     120"
  "herramientas/uso           rapido     900"
  "herramientas/reset         rapido     300"
  # El meta-test (tests/meta/) y la documentación (docs/).
  "meta/entregas              rapido     3600"
  "docs/comprobar             rapido     1200"
  "docs/navegador             completo   1500"
  # El corrector (tests/corrector/).
  "corrector/rapida           rapido     300"
  "corrector/                 completo   3600"
  # Lint y la guía del profesor.
  "lint/                      completo   2400"
  "guia/                      completo   1800")

# sockets_nivel(NOMBRE VAR_NIVEL VAR_PLAZO): el nivel y el plazo de la prueba NOMBRE, de la tabla.
function(sockets_nivel nombre var_nivel var_plazo)
  get_property(niveles GLOBAL PROPERTY SOCKETS_NIVELES)
  foreach(fila IN LISTS niveles)
    string(REGEX REPLACE "[ ]+" ";" campos "${fila}")
    list(GET campos 0 prefijo)
    string(FIND "${nombre}" "${prefijo}" donde)
    if(donde EQUAL 0)
      list(GET campos 1 nivel)
      list(GET campos 2 plazo)
      set(${var_nivel} "${nivel}" PARENT_SCOPE)
      set(${var_plazo} "${plazo}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "tests/cmake/pruebas.cmake: la prueba «${nombre}» no está en SOCKETS_NIVELES")
endfunction()

# sockets_etiquetas(NOMBRE VAR ETIQUETA...): las etiquetas de la prueba: las dadas y, si su nivel
# es el completo, «completo».
function(sockets_etiquetas nombre var)
  sockets_nivel("${nombre}" nivel plazo)
  set(etiquetas ${ARGN})
  if(nivel STREQUAL "completo")
    list(APPEND etiquetas completo)
  endif()
  set(${var} "${etiquetas}" PARENT_SCOPE)
endfunction()

# sockets_prueba_guion(NOMBRE ETIQUETAS e... COMANDO c... [PROPIEDADES p...]): una prueba que
# ejecuta una orden (un guion) y deja su veredicto en un registro JSON con
# «sockets ejecutar», como las de etapa: BUILD/veredictos/<árbol>/<resto>.json, donde
# el árbol es el primer tramo del nombre y el resto lleva «.» en vez de «/»
# (herramientas/traza/L05/cliente -> veredictos/herramientas/traza.L05.cliente.json). Un guion
# que sale con 77 queda omitido (le falta una herramienta: lo dice su salida). Nivel, etiqueta
# «completo» y plazo salen de la tabla.
function(sockets_prueba_guion nombre)
  cmake_parse_arguments(P "" "" "ETIQUETAS;COMANDO;PROPIEDADES" ${ARGN})
  string(FIND "${nombre}" "/" barra)
  string(SUBSTRING "${nombre}" 0 ${barra} arbol)
  math(EXPR desde "${barra} + 1")
  string(SUBSTRING "${nombre}" ${desde} -1 resto)
  string(REPLACE "/" "." resto "${resto}")
  add_test(NAME ${nombre}
           COMMAND sockets ejecutar --nombre=${nombre} --sockets-arbol=${arbol}
                   "--sockets-registro=${PROJECT_BINARY_DIR}/veredictos/${arbol}/${resto}.json" --
                   ${P_COMANDO})
  sockets_nivel("${nombre}" nivel plazo)
  sockets_etiquetas("${nombre}" etiquetas ${P_ETIQUETAS})
  set_tests_properties(${nombre} PROPERTIES LABELS "${etiquetas}" TIMEOUT ${plazo} SKIP_RETURN_CODE 77
                                            ${P_PROPIEDADES})
endfunction()
