#!/usr/bin/env bash
# Prueba de las plataformas (CTest, etiqueta «corrector»):
#   · el zip de Gradescope tiene setup.sh, run_autograder y el proyecto, y run_autograder,
#     sobre un /autograder falso (AUTOGRADER), escribe results.json con 100 para las soluciones
#     (aunque vengan dentro de una carpeta) y 0 para una entrega vacía;
#   · la orden de cada paso de GitHub Classroom (classroom.sh NN) acaba con 0 para las
#     soluciones y con 1 para el código de partida.
# Uso: plataformas.sh BUILD
set -uo pipefail
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../.." && pwd)
B=$(cd "${1:?uso: plataformas.sh BUILD}" && pwd)
# Sin arenero en esta máquina (sin espacios de nombres de usuario, dentro de un chroot...) el
# corrector se niega a corregir: la prueba se omite diciendo qué falta, nunca se da por buena.
if ! falta=$(bash "$AQUI/corregir.sh" --binarios "$B" --solo-comprobar 2>&1); then
    echo "↷ omitida: esta máquina no puede aislar las entregas: ${falta//$'\n'/; }"
    exit 77
fi
fallos=0
mal() { echo "✗ $*"; fallos=$((fallos + 1)); }
bien() { echo "✓ $*"; }
command -v python3 >/dev/null || { echo "↷ omitida: falta python3"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/prueba-plataformas.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT

# El zip.
bash "$AQUI/gradescope/zip.sh" "$T/autograder.zip" >/dev/null || mal "zip.sh falló"
python3 - "$T/autograder.zip" <<'PY' && bien "el zip tiene setup.sh, run_autograder y source/" || fallos=$((fallos + 1))
import sys, zipfile
n = set(zipfile.ZipFile(sys.argv[1]).namelist())
falta = [f for f in ("setup.sh", "run_autograder", "source/tutorial", "source/tests/corrector/corregir.sh",
                     "source/etapas.tsv") if f not in n]
if falta: print("✗ al zip le falta:", falta); sys.exit(1)
if any(f.startswith("source/build/") for f in n): print("✗ el zip lleva build/"); sys.exit(1)
PY
bash -n "$AQUI/gradescope/setup.sh" || mal "setup.sh no es bash válido"

# run_autograder sobre un /autograder falso: el código del zip, con el arnés ya compilado.
A=$T/autograder
mkdir -p "$A/source"
(cd "$A" && python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall('.')" "$T/autograder.zip")
mv "$A/setup.sh" "$A/run_autograder" "$A/source/" 2>/dev/null || true
chmod +x "$A/source/run_autograder" "$A/source/tests/corrector/"*.sh
mkdir -p "$A/source/build" && ln -s "$B" "$A/source/build/corregir"
export CORRECTOR_CACHE=$B/corrector-partida
corre() {  # corre ENTREGA: deja en $A/results/results.json lo de la entrega
    rm -rf "$A/submission" "$A/results"; mkdir -p "$A/submission"
    [[ -z "$1" ]] || cp -r "$1" "$A/submission/"
    AUTOGRADER=$A bash "$A/source/run_autograder" >/dev/null 2>&1
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['score'])" "$A/results/results.json" 2>/dev/null
}
p=$(corre "$RAIZ/solutions"); [[ "$p" == 100 || "$p" == 100.0 ]] && bien "Gradescope: soluciones (en una carpeta) → 100" || mal "Gradescope: soluciones → «$p»"
p=$(corre ""); [[ "$p" == 0 || "$p" == 0.0 ]] && bien "Gradescope: entrega vacía → 0" || mal "Gradescope: entrega vacía → «$p»"

# GitHub Classroom: la misma orden que cada paso del flujo.
grep -q 'command: bash tests/corrector/classroom.sh 01' "$AQUI/plantillas/classroom/classroom.yml" ||
    mal "el flujo de Classroom no ejecuta classroom.sh"
for caso in solutions:0 lessons:1; do
    dir=${caso%%:*} esperado=${caso##*:}
    for nn in 01 02 03 04 05 06 07; do
        CLASSROOM_ENTREGA=$RAIZ/$dir CLASSROOM_RESULTADOS=$T/classroom-$dir CORRECTOR_BINARIOS=$B \
            bash "$AQUI/classroom.sh" "$nn" >"$T/c.txt" 2>&1
        rc=$?
        ((rc == esperado)) || { mal "classroom.sh $nn con $dir/ terminó con $rc (esperado $esperado): $(cat "$T/c.txt")"; }
    done
    bien "Classroom: $dir/ → código $esperado en las 7 lecciones"
done
((fallos == 0)) && { echo "✓ plataformas: todo bien"; exit 0; }
echo "✗ plataformas: $fallos fallo(s)"; exit 1
