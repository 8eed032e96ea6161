#!/usr/bin/env bash
# Construye el zip del autograder de Gradescope. Gradescope lo descomprime en /autograder/source,
# así que en su raíz van setup.sh, run_autograder y el proyecto (el corrector, las pruebas y el
# código de partida). Nada que un alumno no deba ver: ni solutions/ ni tests/rotos/ (parches
# contra las soluciones), ni build/, docs/ o .git. Uso: zip.sh SALIDA.zip
set -euo pipefail
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../../.." && pwd)
salida=${1:?uso: zip.sh SALIDA.zip}
[[ "$salida" == /* ]] || salida=$PWD/$salida
command -v zip >/dev/null || command -v python3 >/dev/null || { echo "falta zip o python3" >&2; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
(cd "$RAIZ" && tar --exclude=./build --exclude=./resultados --exclude=./.git --exclude=./solutions \
    --exclude=./docs --exclude=./tests/rotos --exclude=./lessons/.copias -cf - .) | (cd "$t" && tar -xf -)
cp "$AQUI/setup.sh" "$AQUI/run_autograder" "$t/"
chmod +x "$t/setup.sh" "$t/run_autograder"
rm -f "$salida"
if command -v zip >/dev/null; then
    (cd "$t" && zip -qr -X "$salida" .)
else
    python3 - "$t" "$salida" <<'PY'
import os, sys, zipfile
raiz, salida = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as z:
    for base, dirs, ficheros in os.walk(raiz):
        dirs.sort()
        for f in sorted(ficheros):
            ruta = os.path.join(base, f)
            info = zipfile.ZipInfo.from_file(ruta, os.path.relpath(ruta, raiz))
            with open(ruta, "rb") as d: z.writestr(info, d.read(), zipfile.ZIP_DEFLATED)
PY
fi
echo "Autograder de Gradescope: $salida (súbelo en «Configure Autograder», imagen Ubuntu 22.04 o 24.04)."
