#!/usr/bin/env bash
# Prueba rápida del corrector (CTest corrector/rapida, etiqueta «corrector»: segundos):
#   · partida.manifiesto describe exactamente lessons/ (si cambia lessons/, hay que regenerarlo:
#     bash tests/corrector/partida.sh generar);
#   · el código de partida original sale de la historia de git cuando lessons/ está resuelto, y
#     sin historia el corrector se niega con un mensaje claro;
#   · el zip de Gradescope tiene el proyecto en su raíz y nada de las soluciones;
#   · el flujo de Classroom tiene un paso por lección y el reporter los suma todos;
#   · sin espacios de nombres y sin ser root, el corrector se niega y dice qué hacer; --confiar
#     ya no existe.
# Uso: prueba_rapida.sh SOCKETS   (la herramienta compilada: responde por la tabla de etapas)
set -uo pipefail
SOCKETS_HERRAMIENTA=${1:?uso: prueba_rapida.sh SOCKETS}
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../.." && pwd)
source "$AQUI/prueba_comun.sh"
temporal rapida

# 1. El manifiesto.
bash "$AQUI/partida.sh" comprobar || mal "partida.manifiesto no describe lessons/"

# 2. La historia de git: un clon cuyo lessons/ está resuelto (con commit) devuelve el original.
if command -v git >/dev/null; then
    C=$T/clon
    mkdir -p "$C/tests/corrector"
    cp -r "$RAIZ/lessons" "$C/"; rm -rf "$C/lessons/.copias"
    cp "$AQUI/partida.sh" "$AQUI/partida.manifiesto" "$C/tests/corrector/"
    (cd "$C" && g init -q && g add -A && g commit -qm curso && rm -rf lessons/[0-9][0-9]_* &&
        cp -r "$RAIZ"/solutions/[0-9][0-9]_* lessons/ && g add -A && g commit -qm resuelto) >/dev/null
    if bash "$C/tests/corrector/partida.sh" extraer "$C" "$T/extraida" 2>"$T/err.txt" &&
       diff -r <(cd "$RAIZ/lessons" && find . -path ./.copias -prune -o -type f -exec sha256sum {} + | sort) \
               <(cd "$T/extraida" && find . -type f -exec sha256sum {} + | sort) >/dev/null; then
        bien "con lessons/ resuelto, el código de partida original sale de la historia de git"
    else
        mal "no se recuperó el código de partida original de la historia: $(cat "$T/err.txt")"
    fi
    # Sin historia (una copia sin .git con lessons/ resuelto): se niega y dice por qué.
    rm -rf "$C/.git"
    if bash "$C/tests/corrector/partida.sh" extraer "$C" "$T/extraida2" 2>"$T/err2.txt"; then
        mal "sin historia de git y con lessons/ cambiado, extraer no falló"
    elif grep -q "No encuentro el código de partida original" "$T/err2.txt" && [[ ! -e "$T/extraida2" ]]; then
        bien "sin historia de git, se niega: «$(head -n1 "$T/err2.txt")»"
    else
        mal "sin historia de git, el mensaje no es claro: $(cat "$T/err2.txt")"
    fi
fi

# 3. El zip de Gradescope (sin descomprimir: solo sus nombres).
if ! bash "$AQUI/gradescope/zip.sh" "$T/autograder.zip" >/dev/null 2>&1; then
    mal "zip.sh falló"
elif ! command -v unzip >/dev/null; then
    echo "(sin unzip: no se miran los nombres del zip de Gradescope)"
elif zip_bien "$T/autograder.zip" setup.sh run_autograder CMakeLists.txt etapas.tsv tests/corrector/corregir.sh \
    tests/corrector/partida.manifiesto lessons/comun/sockets_comun.h; then
    bien "zip de Gradescope: setup.sh, run_autograder y el proyecto en la raíz, sin soluciones"
else
    fallos=$((fallos + 1))
fi

# 4. El flujo de Classroom: un paso por lección, todos en el reporter.
SOCKETS_HERRAMIENTA=$SOCKETS_HERRAMIENTA bash "$AQUI/classroom.sh" flujo profe/curso 0123abc >"$T/flujo.yml" || mal "classroom.sh flujo falló"
n=$("$SOCKETS_HERRAMIENTA" etapas lecciones | wc -l)
pasos=$(grep -c 'classroom.sh nota [0-9][0-9] >> "$GITHUB_OUTPUT"' "$T/flujo.yml")
runners=$(sed -n 's/^ *runners: *//p' "$T/flujo.yml" | tr ',' '\n' | grep -c .)
((pasos == n && runners == n)) && bien "flujo de Classroom: $n lecciones, $n pasos con nota, $n en el reporter" ||
    mal "flujo de Classroom: $n lecciones, $pasos pasos con nota, $runners en el reporter"
if python3 -c 'import yaml' 2>/dev/null; then
    python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$T/flujo.yml" && bien "el flujo es YAML válido" || mal "el flujo no es YAML válido"
fi

# 5. Sin espacios de nombres y sin ser root: se niega, con código 3, y dice qué hacer.
mkdir -p "$T/falsos" "$T/bin/tests/corrector"
printf '#!/bin/sh\nexit 1\n' >"$T/falsos/bwrap"
for b in corrector/corrector_ejecutor sockets; do printf '#!/bin/sh\n' >"$T/bin/tests/$b"; done
chmod -R a+rX "$T"; chmod +x "$T/falsos/bwrap" "$T"/bin/tests/corrector/* "$T/bin/tests/sockets"
como=()
((EUID != 0)) || como=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
# Una copia del corrector que ese usuario pueda leer (el repositorio puede estar en /root).
mkdir -p "$T/raiz/tests"
cp -r "$AQUI" "$T/raiz/tests/corrector"
cp "$RAIZ/etapas.tsv" "$T/raiz/"
chmod -R a+rX "$T/raiz"
"${como[@]}" env PATH="$T/falsos:/usr/bin:/bin" bash "$T/raiz/tests/corrector/corregir.sh" --binarios "$T/bin" --solo-comprobar >"$T/no.txt" 2>&1
rc=$?
if ((rc == 3)) && grep -q "contenedor desechable" "$T/no.txt" && grep -q "espacios de nombres de usuario sin privilegios" "$T/no.txt"; then
    bien "sin espacios de nombres ni root: se niega (código 3) y dice qué hacer"
else
    mal "sin espacios de nombres ni root: código $rc, dice: $(cat "$T/no.txt")"
fi
bash "$AQUI/corregir.sh" --binarios "$T/bin" --confiar "$T" >"$T/confiar.txt" 2>&1
(($? != 0)) && grep -q "ya no existe" "$T/confiar.txt" && bien "--confiar ya no existe" || mal "--confiar sigue aceptándose: $(cat "$T/confiar.txt")"

terminar "corrector (rápida)"
