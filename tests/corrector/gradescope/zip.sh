#!/usr/bin/env bash
# Construye el zip del autograder de Gradescope: setup.sh y run_autograder en la raíz y el
# proyecto (sin build/ ni resultados) en source/. Uso: zip.sh SALIDA.zip
set -euo pipefail
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../../.." && pwd)
salida=${1:?uso: zip.sh SALIDA.zip}
[[ "$salida" == /* ]] || salida=$PWD/$salida
command -v zip >/dev/null || command -v python3 >/dev/null || { echo "falta zip o python3" >&2; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/source"
cp "$AQUI/setup.sh" "$AQUI/run_autograder" "$t/"
(cd "$RAIZ" && tar --exclude=./build --exclude=./resultados --exclude=./.git -cf - .) | (cd "$t/source" && tar -xf -)
rm -f "$salida"
if command -v zip >/dev/null; then
    (cd "$t" && zip -qr -X "$salida" setup.sh run_autograder source)
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
echo "Autograder de Gradescope: $salida (súbelo en «Configure Autograder», imagen Ubuntu)."
