#!/usr/bin/env bash
# Un paso de GitHub Classroom (plantillas/classroom/classroom.yml): corrige el trabajo del
# alumno (lessons/) en su arenero una sola vez (los siete pasos comparten los resultados) y
# termina con 0 si la lección NN tiene todos sus puntos. Uso: classroom.sh NN
# Variables (para probarlo): CLASSROOM_ENTREGA (por defecto lessons/), CLASSROOM_RESULTADOS,
# CORRECTOR_BINARIOS (por defecto build/corregir, que se compila si falta).
set -euo pipefail
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../.." && pwd)
[[ "${1:-}" =~ ^[0-9]{1,2}$ ]] || { echo "uso: classroom.sh NN (la lección)" >&2; exit 2; }
nn=$(printf '%02d' "$((10#$1))")
entrega=${CLASSROOM_ENTREGA:-$RAIZ/lessons}
bin=${CORRECTOR_BINARIOS:-$RAIZ/build/corregir}
res=${CLASSROOM_RESULTADOS:-$RAIZ/build/classroom-resultados}
if [[ ! -x "$bin/tests/corrector/corrector_resultados" ]]; then
    (cd "$RAIZ" && cmake --preset corregir -G Ninja >/dev/null &&
        cmake --build --preset corregir -j "$(nproc)" --target sockets_corrector >/dev/null)
fi
if [[ ! -f "$res/entrega/lecciones.tsv" ]]; then
    t=$(mktemp -d)
    mkdir -p "$t/entrega"
    cp -r "$entrega"/. "$t/entrega/"
    "$AQUI/corregir.sh" --binarios "$bin" --una --salida "$res" "$t/entrega" >/dev/null
    rm -rf "$t"
fi
linea=$(awk -F'\t' -v nn="$nn" '$1 == nn' "$res/entrega/lecciones.tsv")
[[ -n "$linea" ]] || { echo "✗ no hay lección $nn en el curso"; exit 1; }
IFS=$'\t' read -r _ carpeta obtenido maximo <<<"$linea"
if [[ "$obtenido" == "$maximo" ]]; then
    echo "✓ $carpeta: $obtenido de $maximo puntos"
else
    echo "✗ $carpeta: $obtenido de $maximo puntos (detalle en results.json)"
    exit 1
fi
