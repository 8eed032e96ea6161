#!/usr/bin/env bash
# Cifras de velocidad del corrector (docs/dev/corrector.md), con el arnés ya compilado:
#   1. una entrega completa (las soluciones), compilación incluida;
#   2. diez entregas con -j 2;
#   3. una entrega que se cuelga en todo (tests/corrector/hostiles/cuelgue en las 7 lecciones).
# Uso: tests/bench/corrector.sh [BUILD]   (por defecto build/corregir)
set -euo pipefail
RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${1:-$RAIZ/build/corregir}
[[ -x "$B/tests/corrector/corrector_resultados" ]] ||
    { echo "compila antes el arnés: cmake --preset corregir && cmake --build --preset corregir --target sockets_corrector" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
corrige() { bash "$RAIZ/tests/corrector/corregir.sh" --binarios "$B" --salida "$T/res" "$@" >"$T/log" 2>&1; }
corrige "$RAIZ/solutions"   # calienta la caché del código de partida
s=$SECONDS; corrige "$RAIZ/solutions"; una=$((SECONDS - s))
mkdir -p "$T/diez"; for i in $(seq -w 1 10); do cp -r "$RAIZ/solutions" "$T/diez/alumno$i"; done
s=$SECONDS; corrige -j 2 "$T/diez"; diez=$((SECONDS - s))
mkdir -p "$T/cuelga"
for c in "$RAIZ"/solutions/[0-9][0-9]_*/; do cp -r "$RAIZ/tests/corrector/hostiles/cuelgue/01_socket" "$T/cuelga/$(basename "$c")"; done
s=$SECONDS; corrige "$T/cuelga"; cuelga=$((SECONDS - s))
printf 'Una entrega completa (compilación incluida): %3d s (objetivo ≤ 30 s)\n' "$una"
printf 'Diez entregas con -j 2:                      %3d s (objetivo ≤ 180 s)\n' "$diez"
printf 'Una entrega que se cuelga en todo:           %3d s (objetivo ≤ 90 s)\n' "$cuelga"
printf 'Núcleos: %s; carga al acabar: %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
