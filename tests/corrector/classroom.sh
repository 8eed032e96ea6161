#!/usr/bin/env bash
# GitHub Classroom (docs/dev/corrector.md, «GitHub Classroom»). En Classroom el flujo corre en el
# repositorio del ALUMNO: todo lo que hay en él (lessons/, tests/, el flujo, build/...) puede ser
# suyo. Por eso se corrige con una copia FIJADA del curso (un segundo checkout del repositorio del
# profesor en un commit fijo, en .corrector/), se compila fuera del checkout y del repositorio del
# alumno solo se toma lessons/.
#
# Uso (desde la copia fijada, como lo llama el flujo):
#   classroom.sh plantilla DEST --repositorio DUEÑO/NOMBRE [--ref COMMIT]
#        la plantilla de la tarea: el curso en COMMIT (por defecto HEAD) sin solutions/ ni
#        tests/rotos/, con .github/workflows/classroom.yml (que fija DUEÑO/NOMBRE en COMMIT)
#   classroom.sh flujo DUEÑO/NOMBRE COMMIT     imprime ese flujo (un paso por lección)
#   classroom.sh comprobar   falla («entrega manipulada: …») si tests/, el corrector o el flujo
#                            del alumno no son los de la copia fijada
#   classroom.sh compilar    compila el corrector de la copia fijada fuera del checkout
#   classroom.sh corregir    corrige lessons/ del alumno (una vez para todos los pasos)
#   classroom.sh nota NN     imprime «result=<base64>» (el formato de los pasos de autograding:
#                            puntos de la lección NN, con crédito parcial) para $GITHUB_OUTPUT
# Variables: CLASSROOM_ALUMNO (el checkout del alumno; por defecto $GITHUB_WORKSPACE) y
# CLASSROOM_TRABAJO (compilación y resultados; por defecto $RUNNER_TEMP/sockets-corrector).
set -euo pipefail
export LC_ALL=C.UTF-8
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CURSO=$(cd "$AQUI/../.." && pwd)
ALUMNO=${CLASSROOM_ALUMNO:-${GITHUB_WORKSPACE:-$PWD}}
TRABAJO=${CLASSROOM_TRABAJO:-${RUNNER_TEMP:-/tmp}/sockets-corrector}
FLUJO=.github/workflows/classroom.yml
morir() { echo "error: $*" >&2; exit 2; }
git_() { git -c safe.directory='*' "$@"; }

# Las lecciones del curso: «NN<TAB>carpeta», según la herramienta sockets del curso (sockets
# etapas): SOCKETS_HERRAMIENTA (./tutorial grade la da) o la del corrector en TRABAJO/build; si aún
# no está (el paso «Comprobar…» va antes que «Compilar…»), se compila solo ella, que ese paso
# reutiliza. Su registro queda en TRABAJO/compilar-sockets.log (en stderr solo si falla): el
# flujo sale por stdout y el mensaje de un paso que falla no se pierde entre líneas de compilación.
lecciones() {
    local h=${SOCKETS_HERRAMIENTA:-$TRABAJO/build/tests/sockets}
    if [[ ! -x "$h" && -z "${SOCKETS_HERRAMIENTA:-}" ]]; then
        mkdir -p "$TRABAJO"
        bash "$AQUI/compilar_corrector.sh" "$CURSO" "$TRABAJO/build" sockets >"$TRABAJO/compilar-sockets.log" 2>&1 ||
            { tail -n 20 "$TRABAJO/compilar-sockets.log" >&2; morir "no compila la herramienta sockets"; }
    fi
    [[ -x "$h" ]] || morir "falta la herramienta sockets ($h)"
    "$h" etapas lecciones
}

flujo() {
    local repo=${1:?falta DUEÑO/NOMBRE} ref=${2:?falta el commit} nn carpeta runners='' entorno=''
    cat <<EOF
# El flujo de GitHub Classroom de «Sockets paso a paso» (lo genera tests/corrector/classroom.sh).
# Corrige lessons/ con el corrector del curso fijado en $repo@$ref: no cambies este fichero ni
# tests/ (el paso «Comprobar...» falla si cambian). El profesor vuelve a corregir con
# ./tutorial grade: una nota de aquí no vale si no coincide con esa.
name: Autograding Tests
'on': [push, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Corrector fijado
        uses: actions/checkout@v4
        with:
          repository: $repo
          ref: $ref
          path: .corrector
      - name: Dependencias
        run: |
          S=; [ "\$(id -u)" = 0 ] || S=sudo
          faltan=
          [ -f /usr/include/gtest/gtest.h ] || faltan="\$faltan libgtest-dev libgmock-dev"
          [ -f /usr/include/nlohmann/json.hpp ] || faltan="\$faltan nlohmann-json3-dev"
          for p in g++:g++ cmake:cmake ninja:ninja-build bwrap:bubblewrap nc:netcat-openbsd socat:socat; do
            command -v "\${p%%:*}" >/dev/null || faltan="\$faltan \${p#*:}"
          done
          if [ -n "\$faltan" ]; then \$S apt-get update -qq && \$S apt-get install -y -qq \$faltan; fi
          # Ubuntu 24.04 limita con AppArmor los espacios de nombres sin privilegios: bwrap los necesita.
          \$S sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 2>/dev/null || true
      - name: Comprobar que tests/, el corrector y el flujo no cambiaron
        run: bash .corrector/tests/corrector/classroom.sh comprobar
      - name: Compilar el corrector fijado
        run: bash .corrector/tests/corrector/classroom.sh compilar
      - name: Corregir lessons/
        run: bash .corrector/tests/corrector/classroom.sh corregir
EOF
    while IFS=$'\t' read -r nn carpeta; do
        cat <<EOF
      - name: Lección $nn
        id: leccion-$nn
        run: bash .corrector/tests/corrector/classroom.sh nota $nn >> "\$GITHUB_OUTPUT"
EOF
        runners+="${runners:+,}leccion-$nn"
        entorno+="          LECCION-${nn}_RESULTS: \"\${{steps.leccion-$nn.outputs.result}}\""$'\n'
    done < <(lecciones)
    cat <<EOF
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
${entorno}        with:
          runners: $runners
EOF
}

plantilla() {
    local dest='' repo='' ref=''
    while (($# > 0)); do
        case $1 in
            --repositorio) repo=${2:-}; shift 2 ;;
            --ref) ref=${2:-}; shift 2 ;;
            -*) morir "opción desconocida: $1" ;;
            *) dest=$1; shift ;;
        esac
    done
    [[ -n "$dest" && "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] ||
        morir "uso: classroom.sh plantilla DEST --repositorio DUEÑO/NOMBRE [--ref COMMIT]"
    git_ -C "$CURSO" rev-parse --git-dir >/dev/null 2>&1 || morir "$CURSO no es un repositorio git"
    ref=$(git_ -C "$CURSO" rev-parse --verify "${ref:-HEAD}^{commit}") || morir "no existe el commit ${ref:-HEAD}"
    [[ ! -e "$dest" || -z "$(ls -A "$dest" 2>/dev/null)" ]] || morir "$dest existe y no está vacía"
    mkdir -p "$dest"
    git_ -C "$CURSO" archive "$ref" | tar -x -C "$dest"
    rm -rf "$dest/solutions" "$dest/tests/rotos"
    mkdir -p "$dest/.github/workflows"
    flujo "$repo" "$ref" >"$dest/$FLUJO"
    echo "Plantilla en $dest (sin solutions/ ni tests/rotos/), corregida con $repo@$ref."
    echo "Antes de crear la tarea: ese commit debe estar en github.com/$repo (git push). Luego:"
    echo "  cd $dest && git init && git add -A && git commit -m plantilla && git push a un repositorio"
    echo "  nuevo, márcalo como «Template repository» y úsalo como código de partida de la tarea."
}

# Lo vigilado: tests/ (sin tests/rotos/) y los ficheros del curso que lo compilan.
vigilados() {
    (cd "$1" &&
        if [[ -d tests ]]; then find tests -path tests/rotos -prune -o -type f -print; fi
        for f in CMakeLists.txt CMakePresets.json etapas.tsv tutorial; do [[ ! -e "$f" ]] || echo "$f"; done) |
        LC_ALL=C sort
}

comprobar() {
    local mal=0 f repo ref
    echo "Corrector fijado: $(git_ -C "$CURSO" rev-parse HEAD 2>/dev/null || echo '¿sin git?') en $CURSO"
    while read -r f; do
        if [[ ! -f "$ALUMNO/$f" ]]; then echo "entrega manipulada: $f falta"; mal=1
        elif ! cmp -s "$CURSO/$f" "$ALUMNO/$f"; then echo "entrega manipulada: $f cambió"; mal=1; fi
    done < <(vigilados "$CURSO")
    while read -r f; do
        [[ -f "$CURSO/$f" ]] || { echo "entrega manipulada: $f sobra (no está en el curso)"; mal=1; }
    done < <(vigilados "$ALUMNO")
    # El flujo: el que genera la copia fijada para el repositorio y el commit que él mismo fija.
    repo=$(sed -n 's/^ *repository: *//p' "$ALUMNO/$FLUJO" 2>/dev/null | head -n1)
    ref=$(sed -n 's/^ *ref: *//p' "$ALUMNO/$FLUJO" 2>/dev/null | head -n1)
    if [[ ! -f "$ALUMNO/$FLUJO" ]]; then echo "entrega manipulada: $FLUJO falta"; mal=1
    elif ! cmp -s <(flujo "${repo:-?}" "${ref:-?}") "$ALUMNO/$FLUJO"; then echo "entrega manipulada: $FLUJO cambió"; mal=1; fi
    if [[ -n "$ref" ]] && [[ "$(git_ -C "$CURSO" rev-parse HEAD 2>/dev/null)" != "$ref" ]]; then
        echo "entrega manipulada: la copia fijada no está en el commit $ref del flujo"; mal=1
    fi
    for f in "$ALUMNO"/.github/workflows/*; do
        [[ ! -e "$f" || "$f" == "$ALUMNO/$FLUJO" ]] || { echo "entrega manipulada: ${f#"$ALUMNO"/} sobra"; mal=1; }
    done
    if ((mal)); then
        echo "(el profesor corrige de nuevo con ./tutorial grade: esta nota no contará)"
        return 1
    fi
    echo "✓ tests/, el corrector y el flujo son los del curso fijado"
}

compilar() {
    bash "$AQUI/compilar_corrector.sh" "$CURSO" "$TRABAJO/build"
}

corregir() {
    [[ -d "$ALUMNO/lessons" ]] || morir "no encuentro lessons/ en $ALUMNO"
    rm -rf "$TRABAJO/entrega" "$TRABAJO/resultados"
    mkdir -p "$TRABAJO/entrega"
    # Solo lessons/ del alumno, copiada fuera de su checkout (corregir.sh copia solo ficheros).
    cp -r "$ALUMNO/lessons/." "$TRABAJO/entrega/"
    bash "$AQUI/corregir.sh" --binarios "$TRABAJO/build" --una --salida "$TRABAJO/resultados" "$TRABAJO/entrega"
}

nota() {
    [[ "${1:-}" =~ ^[0-9]{1,2}$ ]] || morir "uso: classroom.sh nota NN (la lección)"
    local nn carpeta obtenido=0 maximo=0 linea estado mensaje json
    nn=$(printf '%02d' "$((10#$1))")
    carpeta=$(lecciones | awk -F'\t' -v nn="$nn" '$1 == nn { print $2 }')
    [[ -n "$carpeta" ]] || morir "no hay lección $nn en el curso"
    linea=$(awk -F'\t' -v nn="$nn" '$1 == nn' "$TRABAJO/resultados/entrega/lecciones.tsv" 2>/dev/null || true)
    if [[ -n "$linea" ]]; then
        IFS=$'\t' read -r _ _ obtenido maximo <<<"$linea"
        estado=$([[ "$obtenido" == "$maximo" ]] && echo pass || echo fail)
        mensaje="$carpeta: $obtenido de $maximo puntos (detalle en results.json del paso «Corregir lessons/»)"
    else
        estado=error
        mensaje="$carpeta: no hay resultados (¿falló el paso «Corregir lessons/»?)"
    fi
    echo "Lección $nn · $mensaje" >&2
    json=$(printf '{"version": 1, "status": "%s", "max_score": %s, "tests": [{"name": "Lección %s · %s", "status": "%s", "score": %s, "message": "%s", "test_code": "", "filename": "", "line_no": 0, "execution_time": ""}]}' \
        "$estado" "$maximo" "$nn" "$carpeta" "$estado" "$obtenido" "$mensaje")
    echo "result=$(printf '%s' "$json" | base64 -w0)"
}

case ${1:-} in
    plantilla) shift; plantilla "$@" ;;
    flujo) shift; flujo "$@" ;;
    comprobar) comprobar ;;
    compilar) compilar ;;
    corregir) corregir ;;
    nota) shift; nota "$@" ;;
    *) morir "uso: classroom.sh plantilla|flujo|comprobar|compilar|corregir|nota (ver el comentario del principio)" ;;
esac
