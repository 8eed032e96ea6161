#!/usr/bin/env bash
# Mide lo que esperan el alumno y la CI, en una copia del repositorio (no toca el tuyo):
#   1. «./tutorial check N» con la lección N resuelta, ya compilada (objetivo: ≤ 5 s);
#   2. «./tutorial check N» con una lección cuyos dos programas se cuelgan al empezar, en todas
#      las pruebas (objetivo: ≤ 15 s; sin contar la compilación de la lección);
#   3. «./tutorial test» entero desde un clon nuevo, compilación incluida (objetivo: ≤ 5 min en
#      2 núcleos, issue 17).
#
# Uso: tests/bench/check.sh [--sin-test] [--trabajos="4 8"] [--copia=DIR] [N]
#   N           la lección (3 por omisión)
#   --trabajos  mide 1 y 2 con cada valor de pruebas a la vez en ctest (SOCKETS_TRABAJOS de
#               ./tutorial; por omisión, el de ./tutorial)
#   --copia     usa (y conserva) esa copia del repositorio: la segunda vez no se compila nada
set -euo pipefail

RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
con_test=1 n=3 trabajos=('') copia=''
for a in "$@"; do
    case $a in
        --sin-test) con_test='' ;;
        --trabajos=*) read -r -a trabajos <<<"${a#*=}" ;;
        --copia=*) copia=${a#*=} ;;
        [0-9] | [0-9][0-9]) n=$a ;;
        *) echo "uso: $0 [--sin-test] [--trabajos=\"4 8\"] [--copia=DIR] [N]" >&2; exit 2 ;;
    esac
done
nn=$(printf '%02d' "$((10#$n))")
# La carpeta de la lección, según la herramienta sockets (si no está, se compila solo ella).
herramienta=${SOCKETS_HERRAMIENTA:-$RAIZ/build/alumno/tests/sockets}
if [[ ! -x "$herramienta" ]]; then
    generador=(); command -v ninja >/dev/null && [[ ! -f "$RAIZ/build/alumno/CMakeCache.txt" ]] && generador=(-G Ninja)
    (cd "$RAIZ" && cmake --preset alumno "${generador[@]}" >/dev/null && cmake --build --preset alumno --target sockets >/dev/null) ||
        { echo "no compila la herramienta sockets (build/alumno)" >&2; exit 1; }
fi
carpeta=$("$herramienta" etapas fila "$nn" | cut -f4)
[[ -n "$carpeta" && "$carpeta" != - ]] || { echo "la lección $nn no está en la tabla de etapas" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[[ -n "$copia" ]] || copia=$tmp/repo

segundos() {  # segundos ORDEN...: ejecuta y deja en $t los segundos (con décimas) que tardó
    local inicio fin
    inicio=$(date +%s.%N)
    "$@" >"$tmp/salida" 2>&1 || true
    fin=$(date +%s.%N)
    t=$(awk -v a="$inicio" -v b="$fin" 'BEGIN { printf "%.1f", b - a }')
}
veredicto() {  # veredicto SEGUNDOS OBJETIVO
    awk -v t="$1" -v o="$2" 'BEGIN { if (t <= o) print "✓ dentro del objetivo (≤ " o " s)"; else print "✗ por encima del objetivo (≤ " o " s)" }'
}

echo "Copia del repositorio en $copia (sin build/ ni .git)"
mkdir -p "$copia"
# (el tar de la copia, sin tocar build/: si ya estaba compilada, no se recompila nada)
tar -C "$RAIZ" --exclude=./build --exclude=./.git -cf - . | tar -C "$copia" -xf -
con_j() {  # con_j J ORDEN...: con J pruebas a la vez (vacío: lo que diga ./tutorial)
    local j=$1; shift
    if [[ -n "$j" ]]; then SOCKETS_TRABAJOS=$j "$@"; else "$@"; fi
}

# 1. La lección resuelta.
rm -rf "$copia/lessons/$carpeta"
cp -r "$RAIZ/solutions/$carpeta" "$copia/lessons/$carpeta"
echo "Primera compilación (no se mide)…"
segundos "$copia/tutorial" check "$n"
echo "  (${t} s: compilar y probar la primera vez)"
grep -q "superada" "$tmp/salida" || { echo "✗ la lección resuelta no pasa:"; tail -n 30 "$tmp/salida"; exit 1; }
for j in "${trabajos[@]}"; do
    segundos con_j "$j" "$copia/tutorial" check "$n"
    grep -q "superada" "$tmp/salida" || { echo "✗ con ${j:-?} a la vez, la lección resuelta no pasa:"; tail -n 30 "$tmp/salida"; }
    echo "1. check $n con la lección resuelta${j:+ (ctest -j $j)}: ${t} s   $(veredicto "$t" 5)"
done

# 2. Los dos programas se cuelgan al empezar main().
for programa in servidor cliente; do
    f=$copia/lessons/$carpeta/$programa.cpp
    sed -i '1i #include <unistd.h>' "$f"
    sed -i '0,/^int main(.*{$/s//&\n    for (;;) pause();  \/\/ colgado a propósito (tests\/bench\/check.sh)/' "$f"
    grep -q 'colgado a propósito' "$f" || { echo "no encuentro main() en $f" >&2; exit 1; }
done
cmake --build "$copia/build/alumno" -j "$(nproc)" --target "lessons_${nn}_servidor" "lessons_${nn}_cliente" >/dev/null
for j in "${trabajos[@]}"; do
    segundos con_j "$j" "$copia/tutorial" check "$n"
    echo "2. check $n con los programas colgados${j:+ (ctest -j $j)}: ${t} s   $(veredicto "$t" 15)"
done
sed -n '/^[✓✗] Etapa/p' "$tmp/salida" | sed 's/^/     /'
grep -q 'Primer fallo' "$tmp/salida" || { echo "✗ check no mostró ningún fallo:"; tail -n 30 "$tmp/salida"; exit 1; }
echo "   Tiempos de las pruebas (los registros):"
find "$copia/build/alumno/veredictos/lessons/L$nn" -name '*.json' -exec grep -h '"duracion_ms"' {} + |
    awk '{ gsub(/[^0-9]/, "", $2); s += $2; if ($2 > m) m = $2; n++ }
         END { if (n) printf "     %d pruebas, %.1f s en total, la más lenta %.1f s\n", n, s / 1000, m / 1000 }'

# La copia vuelve a tener la lección resuelta (por si se reutiliza con --copia).
rm -rf "$copia/lessons/$carpeta"
cp -r "$RAIZ/solutions/$carpeta" "$copia/lessons/$carpeta"

# 3. ./tutorial test entero desde un clon nuevo (lo confirmado en git, compilación incluida; lo
# que instale apt-get la primera vez no se cuenta: ya está instalado tras los pasos 1 y 2).
if [[ -n "$con_test" ]]; then
    git clone -q "$RAIZ" "$tmp/clon"
    segundos "$tmp/clon/tutorial" test
    echo "3. ./tutorial test desde un clon nuevo: ${t} s   $(veredicto "$t" 300)   ($(tail -n 1 "$tmp/salida"))"
fi
