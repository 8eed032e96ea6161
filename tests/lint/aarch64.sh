#!/usr/bin/env bash
# aarch64.sh BUILD: compila (solo compilar, -fsyntax-only) el arnés (tests/arnes/*.cpp) para
# aarch64 con el compilador cruzado de Debian (paquete g++-aarch64-linux-gnu), para que los caminos
# de otras arquitecturas (registros de ptrace, números de llamada, pidfd) no se pudran sin que
# nadie lo vea. Sale con 77 (omitida) si no está el compilador cruzado.
set -euo pipefail

RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?uso: aarch64.sh BUILD}
gxx=aarch64-linux-gnu-g++
if ! command -v "$gxx" >/dev/null; then
    echo "compilación para aarch64 omitida: falta $gxx (se instala con: sudo apt-get install -y g++-aarch64-linux-gnu)"
    exit 77
fi
generado="$build/tests/generado"
if [[ ! -f "$generado/arnes/tabla.h" ]]; then
    echo "aarch64: falta $generado/arnes/tabla.h (compila antes: cmake --build $build)" >&2
    exit 1
fi
# GoogleTest y nlohmann/json son solo cabeceras independientes de la arquitectura: se ven desde
# una carpeta aparte, sin meter en la búsqueda el resto de /usr/include (el de x86-64).
cabeceras=$(mktemp -d)
trap 'rm -rf "$cabeceras"' EXIT
for d in gtest nlohmann; do
    [[ -d /usr/include/$d ]] && ln -s "/usr/include/$d" "$cabeceras/$d"
done

estado=0
for fuente in "$RAIZ"/tests/arnes/*.cpp; do
    if "$gxx" -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
        -Wno-sign-conversion -Werror -I"$RAIZ/tests" -I"$generado" -I"$RAIZ/lessons/comun" \
        -isystem "$cabeceras" -DARNES_MUESTRA='"muestra"' "$fuente"; then
        echo "  ✓ ${fuente#"$RAIZ"/}"
    else
        echo "  ✗ ${fuente#"$RAIZ"/} no compila para aarch64"; estado=1
    fi
done
exit "$estado"
