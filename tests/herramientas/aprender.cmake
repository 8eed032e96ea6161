# Incluido desde tests/CMakeLists.txt: las herramientas de «aprender» y sus pruebas (etiqueta
# «herramientas»). Un fichero aparte para no pisar tests/herramientas/CMakeLists.txt.
set(_h "${CMAKE_CURRENT_SOURCE_DIR}/herramientas")

# ./tutorial pista: la escalera de pistas (lee los veredictos JSON y tests/etapas/pistas/).
add_executable(sockets_pistas "${_h}/pistas.cpp" "${_h}/principal_pistas.cpp")
target_link_libraries(sockets_pistas PRIVATE sockets_base)
sockets_prueba_guion(herramientas/pistas ETIQUETAS herramientas
                     COMANDO bash "${_h}/prueba_pistas.sh" "$<TARGET_FILE:sockets_pistas>"
                             "${PROJECT_SOURCE_DIR}/tests/etapas/pistas")

# ./tutorial traza: las llamadas del programa del alumno junto a las de la solución. Enlaza el
# arnés, cuyo main() (el de las pruebas, en veredicto.cpp) es débil: vale el de la herramienta.
add_executable(sockets_traza_vista "${_h}/traza_vista.cpp" "${_h}/principal_traza.cpp")
target_link_libraries(sockets_traza_vista PRIVATE arnes nlohmann_json::nlohmann_json)
add_dependencies(sockets_pruebas sockets_pistas sockets_traza_vista)
# Las pruebas comparan las soluciones consigo mismas (sin desvío) y una lección sin tocar con su
# solución (desvío marcado). Usan los programas compilados de los árboles «solutions» y
# «lessons», si este build los tiene; la carpeta de cada lección sale de etapas.tsv.
# L09: el bucle de poll() (sin fork, con fcntl). «repite»: un servidor que repite llamadas miles
# de veces (traza_repite.cpp, en su propia carpeta con el nombre «servidor»): la traza las junta
# y no se desborda.
add_executable(sockets_traza_repite "${_h}/traza_repite.cpp")
set_target_properties(sockets_traza_repite PROPERTIES OUTPUT_NAME servidor
                      RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/traza_repite")
add_dependencies(sockets_pruebas sockets_traza_repite)
set(_prog "${PROJECT_BINARY_DIR}/programas")
foreach(_caso IN ITEMS "02;servidor" "05;servidor" "05;cliente" "07;servidor" "09;servidor" "05;repite")
  list(GET _caso 0 _nn)
  list(GET _caso 1 _quien)
  sockets_prueba_guion(herramientas/traza/L${_nn}/${_quien} ETIQUETAS herramientas
                       COMANDO bash "${_h}/prueba_traza.sh" "$<TARGET_FILE:sockets_traza_vista>"
                               "${_prog}" "${PROJECT_SOURCE_DIR}/etapas.tsv" "${_nn}" "${_quien}"
                               "$<TARGET_FILE_DIR:sockets_traza_repite>")
endforeach()
# El escenario de una prueba que falla (--escenario) y los veredictos (--veredictos).
sockets_prueba_guion(herramientas/traza/L05/escenario ETIQUETAS herramientas
                     COMANDO bash "${_h}/prueba_traza.sh" "$<TARGET_FILE:sockets_traza_vista>"
                             "${_prog}" "${PROJECT_SOURCE_DIR}/etapas.tsv" 05 escenario
                             "$<TARGET_FILE:prueba_etapa05_read_write>")

# ./tutorial en una terminal de verdad (tmux): sin orden, la barra «N de M»; watch y sus teclas; una orden
# desconocida, código 2 y un mensaje corto; NO_COLOR. No compila nada: lee este build.
sockets_prueba_guion(herramientas/uso ETIQUETAS herramientas
                     COMANDO bash "${_h}/prueba_uso.sh" "${PROJECT_SOURCE_DIR}" "${PROJECT_BINARY_DIR}")

# ./tutorial reset N: en un clon desechable del repositorio, vuelve al código de partida y guarda
# la versión del alumno en lessons/.copias/; los errores de uso salen con 2 sin tocar nada.
sockets_prueba_guion(herramientas/reset ETIQUETAS herramientas
                     COMANDO bash "${_h}/prueba_reset.sh" "${PROJECT_SOURCE_DIR}")
