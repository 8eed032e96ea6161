#!/usr/bin/env bash
# Compila el corrector del curso en RAIZ dentro de BUILD (objetivo sockets_corrector: el arnés,
# las suites de pruebas, el ejecutor y la herramienta sockets, que escribe los resultados), sin
# presets: «cmake -S -B» con variables de caché, que CMake 3.22 (Ubuntu 22.04: Gradescope, GitHub
# Actions) acepta. Lo usan gradescope/setup.sh y classroom.sh.
# Uso: compilar_corrector.sh RAIZ BUILD [OBJETIVO]   (CMAKE: la orden cmake; OBJETIVO: por
# omisión sockets_corrector; classroom.sh compila antes solo «sockets»)
set -euo pipefail
raiz=${1:?uso: compilar_corrector.sh RAIZ BUILD} build=${2:?uso: compilar_corrector.sh RAIZ BUILD}
"${CMAKE:-cmake}" -S "$raiz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSOCKETS_ARBOLES= -DSOCKETS_DOCS=OFF >/dev/null
"${CMAKE:-cmake}" --build "$build" -j "$(nproc)" --target "${3:-sockets_corrector}"
