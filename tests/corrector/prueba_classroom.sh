#!/usr/bin/env bash
# Prueba de GitHub Classroom tal como es (CTest corrector/classroom, etiquetas «corrector» y
# «completo»): con el repositorio del propio alumno.
#   · el repositorio del profesor (el curso, con commit) y la plantilla de la tarea que hace
#     «classroom.sh plantilla» (sin solutions/ ni tests/rotos/), con su commit;
#   · un repositorio por alumno, clonado de la plantilla como lo hace Classroom, con su trabajo
#     y su commit; el flujo de SU repositorio se ejecuta paso a paso (classroom_flujo.py: los
#     «run:» de verdad; solo se emulan los checkout y el reporter):
#       ana    lessons/ resuelto                                 → 100
#       beto   lecciones 02–07 resueltas y build/ falsificado     → 85.71 (lo que ganan sus lecciones)
#       carla  lessons/ resuelto y tests/ cambiado               → falla «Comprobar…»: tests/… cambió
#       dani   lessons/ resuelto y el flujo cambiado (nota falsa) → falla «Comprobar…»: el flujo cambió
#   · el profesor clona todos los repositorios y vuelve a corregir con el corrector (lo que
#     cuenta): ana 100, beto 85.71, carla 100, dani 100.
# Uso: prueba_classroom.sh BUILD   (el corrector ya compilado, para volver a corregir)
set -uo pipefail
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../.." && pwd)
B=$(cd "${1:?uso: prueba_classroom.sh BUILD}" && pwd)
command -v git >/dev/null || { echo "↷ omitida: falta git"; exit 77; }
python3 -c 'import yaml' 2>/dev/null || { echo "↷ omitida: falta python3 con yaml (python3-yaml) para leer el flujo"; exit 77; }
if ! modo=$(bash "$AQUI/corregir.sh" --binarios "$B" --solo-comprobar 2>&1); then
    echo "↷ omitida: esta máquina no puede aislar las entregas: ${modo//$'\n'/; }"
    exit 77
fi
source "$AQUI/prueba_comun.sh"
temporal classroom
FLUJO=.github/workflows/classroom.yml

# 1. El repositorio del profesor: el curso tal como está, con commit (el commit que se fija).
mkdir -p "$T/curso"
(cd "$RAIZ" && git -c safe.directory='*' ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$T/curso/") 2>/dev/null
(cd "$T/curso" && g init -q && g add -A && g commit -qm curso) || { echo "✗ no se pudo preparar el repositorio del curso"; exit 1; }
ref=$(g -C "$T/curso" rev-parse HEAD)

# 2. La plantilla de la tarea.
SOCKETS_HERRAMIENTA=$B/tests/sockets bash "$T/curso/tests/corrector/classroom.sh" plantilla "$T/plantilla" --repositorio profe/curso >"$T/plantilla.txt" 2>&1 ||
    { mal "classroom.sh plantilla falló: $(cat "$T/plantilla.txt")"; }
[[ ! -e "$T/plantilla/solutions" && ! -e "$T/plantilla/tests/rotos" ]] && bien "la plantilla no lleva solutions/ ni tests/rotos/" ||
    mal "la plantilla lleva solutions/ o tests/rotos/"
grep -q "ref: $ref" "$T/plantilla/$FLUJO" && grep -q "repository: profe/curso" "$T/plantilla/$FLUJO" &&
    bien "el flujo fija profe/curso en $ref" || mal "el flujo no fija el corrector: $(grep -E 'repository|ref:' "$T/plantilla/$FLUJO")"
(cd "$T/plantilla" && g init -q && g add -A && g commit -qm plantilla) || mal "no se pudo hacer commit de la plantilla"

# 3. Los repositorios de los alumnos (Classroom los crea a partir de la plantilla).
alumno() { g clone -q "$T/plantilla" "$T/alumnos/$1"; }
resolver() {  # resolver DIR NN...: copia esas soluciones en lessons/
    local d=$1 nn; shift
    for nn in "$@"; do rm -rf "$d"/lessons/"$nn"_*; cp -r "$RAIZ"/solutions/"$nn"_* "$d/lessons/"; done
}
commit() { (cd "$1" && g add -A && g add -f build 2>/dev/null; g commit -qm "$2"); }
mkdir -p "$T/alumnos"
alumno ana; resolver "$T/alumnos/ana" 01 02 03 04 05 06 07; commit "$T/alumnos/ana" "todo resuelto"
alumno beto; resolver "$T/alumnos/beto" 02 03 04 05 06 07
mkdir -p "$T/alumnos/beto/build/corregir/tests" "$T/alumnos/beto/build/classroom-resultados/entrega"
printf '#!/bin/sh\necho "{\\"score\\": 100}"\n' >"$T/alumnos/beto/build/corregir/tests/sockets"
chmod +x "$T/alumnos/beto/build/corregir/tests/sockets"
for nn in 01 02 03 04 05 06 07; do printf '%s\tx\t100\t100\n' "$nn"; done >"$T/alumnos/beto/build/classroom-resultados/entrega/lecciones.tsv"
commit "$T/alumnos/beto" "resuelto y con build/"
alumno carla; resolver "$T/alumnos/carla" 01 02 03 04 05 06 07
echo "// quito una prueba que no me pasa" >>"$T/alumnos/carla/tests/etapas/etapa01_socket.cpp"
commit "$T/alumnos/carla" "resuelto y tests/ cambiado"
alumno dani; resolver "$T/alumnos/dani" 01 02 03 04 05 06 07
falso=$(printf '{"version": 1, "status": "pass", "max_score": 100, "tests": [{"name": "x", "status": "pass", "score": 100}]}' | base64 -w0)
sed -i "s|run: bash .corrector/tests/corrector/classroom.sh nota 01 >> \"\$GITHUB_OUTPUT\"|run: echo \"result=$falso\" >> \"\$GITHUB_OUTPUT\"|" \
    "$T/alumnos/dani/$FLUJO"
commit "$T/alumnos/dani" "resuelto y el flujo cambiado"

# 4. El flujo de cada repositorio, en un checkout nuevo y un RUNNER_TEMP nuevo.
correr() {  # correr NOMBRE -> lo que dice classroom_flujo.py, en $T/flujo-NOMBRE.txt
    local ws=$T/runner/$1/trabajo temp=$T/runner/$1/temp
    mkdir -p "$temp"
    g clone -q --depth 1 "file://$T/alumnos/$1" "$ws"
    python3 "$AQUI/classroom_flujo.py" "$ws/$FLUJO" "$ws" "$temp" "profe/curso=$T/curso" >"$T/flujo-$1.txt" 2>"$T/flujo-$1.err" ||
        mal "$1: el emulador del flujo falló: $(tail -n 3 "$T/flujo-$1.err")"
}
# campo NOMBRE CLAVE: fallido, puntos o maximo (sus tres primeras líneas, «clave<TAB>valor»; vacío
# si no hay), o salida (lo que sigue a la línea «salida», hasta el final).
campo() {
    if [[ $2 == salida ]]; then sed -n '/^salida$/,$p' "$T/flujo-$1.txt" 2>/dev/null | tail -n +2
    else head -n 3 "$T/flujo-$1.txt" 2>/dev/null | sed -n "s/^$2\t//p"; fi
}
for a in ana beto carla dani; do correr "$a"; done
for caso in ana:100 beto:85.71; do
    a=${caso%%:*} esperado=${caso##*:}
    f=$(campo "$a" fallido) p=$(campo "$a" puntos) m=$(campo "$a" maximo)
    if [[ -z "$f" ]] && iguales "$p" "$esperado" && iguales "$m" 100; then
        bien "Classroom: $a → $p de $m"
    else
        mal "Classroom: $a → $p de $m, paso fallido «$f» (esperado $esperado de 100): $(campo "$a" salida | tail -n 5)"
    fi
done
for caso in "carla:entrega manipulada: tests/etapas/etapa01_socket.cpp cambió" "dani:entrega manipulada: $FLUJO cambió"; do
    a=${caso%%:*} frase=${caso#*:}
    f=$(campo "$a" fallido) s=$(campo "$a" salida) p=$(campo "$a" puntos)
    if [[ "$f" == "Comprobar que tests/, el corrector y el flujo no cambiaron" && "$s" == *"$frase"* && -z "$p" ]]; then
        bien "Classroom: $a → falla el paso «$f» («$frase») y no hay nota"
    else
        mal "Classroom: $a → paso fallido «$f», nota «$p», salida: $(tail -c 300 <<<"$s")"
    fi
done

# 5. Lo que cuenta: el profesor clona todos los repositorios y vuelve a corregir (guía del profesor).
mkdir -p "$T/profesor"
for a in ana beto carla dani; do g clone -q "$T/alumnos/$a" "$T/profesor/$a"; done
bash "$RAIZ/tests/corrector/corregir.sh" --binarios "$B" -j 2 --salida "$T/profesor/resultados" "$T"/profesor/*/lessons \
    >"$T/profesor.txt" 2>&1 || mal "la corrección del profesor falló: $(tail -n 3 "$T/profesor.txt")"
for caso in ana:100 beto:85.71 carla:100 dani:100; do
    a=${caso%%:*} esperado=${caso##*:}
    p=$(awk -F, -v a="$a" '$1 == a { print $NF }' "$T/profesor/resultados/resumen.csv" 2>/dev/null)
    iguales "$p" "$esperado" &&
        bien "el profesor vuelve a corregir: $a → $p" || mal "el profesor vuelve a corregir: $a → «$p» (esperado $esperado)"
done

terminar classroom
