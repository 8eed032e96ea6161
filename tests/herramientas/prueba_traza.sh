#!/usr/bin/env bash
# Prueba de sockets_traza_vista: la solución frente a sí misma no se separa (código 0); la
# lección sin tocar frente a su solución se separa y lo marca (código 1, «◆ aquí te separas»).
# Uso: prueba_traza.sh SOCKETS_TRAZA_VISTA DIR_PROGRAMAS CARPETA servidor|cliente
set -u
vista=$1 programas=$2 carpeta=$3 quien=$4
sol=$programas/solutions/$carpeta lec=$programas/lessons/$carpeta
if [[ ! -x $sol/$quien || ! -x $lec/$quien ]]; then
    echo "↷ faltan $sol/$quien o $lec/$quien (este build no compila los dos árboles)"; exit 77
fi
fallos=0
salida=$(NO_COLOR=1 "$vista" --programa "$quien" --alumno "$sol" --referencia "$sol" 2>&1); codigo=$?
((codigo == 77)) && { echo "↷ no se puede trazar: $salida"; exit 77; }
if ((codigo != 0)) || ! grep -q 'misma secuencia' <<<"$salida"; then
    echo "✗ la solución frente a sí misma debía coincidir (código $codigo):"; echo "$salida"; fallos=1
fi
grep -q $'\e\[' <<<"$salida" && { echo "✗ con NO_COLOR no debe haber colores"; fallos=1; }
salida=$(NO_COLOR=1 "$vista" --programa "$quien" --alumno "$lec" --referencia "$sol" 2>&1); codigo=$?
if ((codigo != 1)) || [[ $(grep -c '◆ aquí te separas' <<<"$salida") -lt 2 ]]; then
    echo "✗ la lección sin tocar debía separarse y marcarlo en el dibujo y al final (código $codigo):"
    echo "$salida"; fallos=1
fi
salida=$("$vista" --color si --programa "$quien" --alumno "$sol" --referencia "$sol" 2>&1)
grep -q $'\e\[' <<<"$salida" || { echo "✗ con --color si debía haber colores"; fallos=1; }
((fallos == 0)) && echo "✓ traza $carpeta/$quien: sin desvío en la solución, desvío marcado en la lección"
exit $fallos
