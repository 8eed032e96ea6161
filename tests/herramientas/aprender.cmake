# Incluido desde tests/CMakeLists.txt: las herramientas de «aprender» y sus pruebas (etiqueta
# «herramientas»). Un fichero aparte para no pisar tests/herramientas/CMakeLists.txt.
set(_h "${CMAKE_CURRENT_SOURCE_DIR}/herramientas")

# ./tutorial pista: la escalera de pistas (lee los veredictos JSON y tests/etapas/pistas/).
add_executable(sockets_pistas "${_h}/pistas.cpp")
target_link_libraries(sockets_pistas PRIVATE sockets_opciones nlohmann_json::nlohmann_json)
add_test(NAME herramientas/pistas
         COMMAND sockets_veredictos ejecutar --nombre=herramientas/pistas --sockets-arbol=herramientas
                 "--sockets-registro=${PROJECT_BINARY_DIR}/veredictos/herramientas/pistas.json" --
                 bash "${_h}/prueba_pistas.sh" "$<TARGET_FILE:sockets_pistas>"
                 "${PROJECT_SOURCE_DIR}/tests/etapas/pistas")
set_tests_properties(herramientas/pistas PROPERTIES LABELS herramientas TIMEOUT 60)

# ./tutorial traza: las llamadas del programa del alumno junto a las de la solución. Enlaza el
# arnés, cuyo main() (el de las pruebas, en veredicto.cpp) es débil: vale el de la herramienta.
add_executable(sockets_traza_vista "${_h}/traza_vista.cpp")
target_link_libraries(sockets_traza_vista PRIVATE arnes)
add_dependencies(sockets_pruebas sockets_pistas sockets_traza_vista)
# Las pruebas comparan las soluciones consigo mismas (sin desvío) y una lección sin tocar con su
# solución (desvío marcado). Usan los programas compilados de los árboles «soluciones» y
# «lecciones», si este build los tiene.
set(_prog "${PROJECT_BINARY_DIR}/programas")
foreach(_caso IN ITEMS "02_bind;servidor" "05_read_write;servidor" "05_read_write;cliente"
                       "07_fork;servidor")
  list(GET _caso 0 _carpeta)
  list(GET _caso 1 _quien)
  add_test(NAME herramientas/traza/${_carpeta}/${_quien}
           COMMAND sockets_veredictos ejecutar --nombre=herramientas/traza/${_carpeta}/${_quien}
                   --sockets-arbol=herramientas
                   "--sockets-registro=${PROJECT_BINARY_DIR}/veredictos/herramientas/traza.${_carpeta}.${_quien}.json" --
                   bash "${_h}/prueba_traza.sh" "$<TARGET_FILE:sockets_traza_vista>"
                   "${_prog}" "${_carpeta}" "${_quien}")
  set_tests_properties(herramientas/traza/${_carpeta}/${_quien} PROPERTIES
                       LABELS herramientas TIMEOUT 120 SKIP_RETURN_CODE 77)
endforeach()

# ./tutorial en una terminal de verdad (tmux): sin orden, la barra «N de M»; watch y sus teclas; una orden
# desconocida, código 2 y un mensaje corto; NO_COLOR. No compila nada: lee este build.
add_test(NAME herramientas/uso
         COMMAND sockets_veredictos ejecutar --nombre=herramientas/uso --sockets-arbol=herramientas
                 "--sockets-registro=${PROJECT_BINARY_DIR}/veredictos/herramientas/uso.json" --
                 bash "${_h}/prueba_uso.sh" "${PROJECT_SOURCE_DIR}" "${PROJECT_BINARY_DIR}")
set_tests_properties(herramientas/uso PROPERTIES LABELS herramientas TIMEOUT 900 SKIP_RETURN_CODE 77)
