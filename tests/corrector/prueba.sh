#!/usr/bin/env bash
# Prueba del corrector con entregas hostiles (CTest corrector/hostiles, etiquetas «corrector» y
# «completo»): corrige juntas las entregas de tests/corrector/hostiles/, una copia honrada de
# las soluciones y el código de partida sin tocar, y comprueba que:
#   · cada entrega termina dentro de sus límites y no deja ningún proceso (ps);
#   · nada cambia fuera de su carpeta (sumas de los ficheros de todas las entregas; ficheros
#     que las hostiles intentan crear fuera);
#   · ninguna sube su nota ni la de otra (hostiles: 0; honrada: 100) ni lee lo ajeno;
#   · el vigilante del ejecutor actúa: la memoria de todos los procesos de «memoria» y la parada
#     de «parar» (kill(-1, SIGSTOP)) quedan dichas en su results.json;
#   · nc y socat existen dentro del arenero (ninguna prueba de la honrada se omite);
#   · hay results.json (UTF-8 válido) para todas, también la vacía y la no válida;
#   · los resultados anteriores se sustituyen al final (la carpeta «fantasma» desaparece);
#   · corregir dos veces da resultados idénticos byte a byte;
#   · la línea de base es el código de partida ORIGINAL: un clon del curso con lessons/
#     resuelto (y con commit) sigue dando 100 a las soluciones y 0 al código de partida.
# Uso: prueba.sh BUILD   (la carpeta de compilación con el arnés y el corrector)
set -uo pipefail
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../.." && pwd)
B=$(cd "${1:?uso: prueba.sh BUILD}" && pwd)
# Si esta máquina no puede aislar las entregas (ni arenero ni contenedor), el corrector se
# niega: la prueba se omite diciendo qué falta, nunca se da por buena.
if ! modo=$(bash "$AQUI/corregir.sh" --binarios "$B" --solo-comprobar 2>&1); then
    echo "↷ omitida: esta máquina no puede aislar las entregas: ${modo//$'\n'/; }"
    exit 77
fi
modo=$(tail -n1 <<<"$modo")
echo "Modo del corrector en esta máquina: $modo"
source "$AQUI/prueba_comun.sh"

command -v git >/dev/null || { echo "↷ omitida: falta git (la línea de base sale de su historia)"; exit 77; }

temporal corrector
mkdir -p "$T/entregas" "$T/res/fantasma"
cp -r "$AQUI"/hostiles/* "$T/entregas/"
cp -r "$RAIZ/solutions" "$T/entregas/honrada"
cp -r "$RAIZ/lessons" "$T/entregas/partida"   # el código de partida sin tocar: 0
rm -rf "$T/entregas/partida/.copias"
echo "// SECRETO-HONRADA-7f3a" >>"$T/entregas/honrada/01_socket/servidor.cpp"
echo '{"score": 100}' >"$T/res/fantasma/results.json"
rm -f /tmp/hostil-demonio /tmp/hostil-fisgon
sumas() { (cd "$T/entregas" && find . -type f -exec sha256sum {} + | sort); }
sumas >"$T/antes.txt"
# La rúbrica de siempre con límites más cortos: las hostiles que se cuelgan acaban antes.
sed -e 's/^limite_prueba *=.*/limite_prueba = 8/' -e 's/^limite_entrega *=.*/limite_entrega = 30/' \
    "$AQUI/rubrica.conf" >"$T/rubrica.conf"

inicio=$SECONDS
# (TMPDIR=$T: sus carpetas de trabajo, y así sus areneros, llevan $T en la línea de órdenes)
TMPDIR=$T bash "$AQUI/corregir.sh" --binarios "$B" --rubrica "$T/rubrica.conf" --salida "$T/res" -j 2 "$T/entregas" >"$T/log.txt" 2>&1
rc=$?
duracion=$((SECONDS - inicio))
cat "$T/log.txt"
((rc == 0)) || mal "el corrector terminó con código $rc"
echo "Corregidas en $duracion s."

# Ningún proceso de las entregas sigue vivo.
sleep 1
# Solo los de esta corrección: su arenero (o un antepasado) lleva $T en la línea de órdenes. Otra
# corrección que corra a la vez en la máquina (otro ./tutorial test) no cuenta. En modo
# contenedor, los del usuario de las entregas.
de_esta_correccion() {
    local pid=$1 args
    while [[ -n "$pid" && "$pid" -gt 1 ]]; do
        args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
        [[ "$args" == *"$T"* ]] && return 0
        pid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    done
    return 1
}
vivos=''
while read -r pid args; do
    if de_esta_correccion "$pid"; then vivos+="$pid $args"$'\n'; fi
done < <(ps -eo pid=,args= | grep -E '/entrega/programas|/corrector/bin|/salida/programas|bwrap' | grep -v grep || true)
if [[ $modo == contenedor ]]; then
    for u in sockets-alumno sockets-alumno2; do vivos+=$(ps -u "$u" -o pid=,args= 2>/dev/null || true); done
fi
if [[ -z "$vivos" ]]; then bien "no queda ningún proceso de las entregas"; else mal "quedan procesos:"$'\n'"$vivos"; fi

# Nada cambió fuera de su carpeta.
sumas >"$T/despues.txt"
if cmp -s "$T/antes.txt" "$T/despues.txt"; then bien "ninguna entrega cambió (tampoco la suya propia en origen)"
else mal "los ficheros de las entregas cambiaron:"; { diff "$T/antes.txt" "$T/despues.txt" || true; } | sed -n 1,10p; fi
for f in /tmp/hostil-demonio /tmp/hostil-fisgon /work/hostil-fisgon /root/hostil-fisgon /usr/hostil-fisgon; do
    [[ ! -e "$f" ]] || mal "una entrega hostil creó $f"
done
[[ ! -e "$T/res/fantasma" ]] && bien "la carpeta de resultados se sustituyó entera (sin «fantasma»)" ||
    mal "quedó resultados/fantasma de una corrección anterior"

# Las notas, el formato y lo que no se debe filtrar. Cada results.json lo comprueba y lo lee
# «sockets nota» (JSON en UTF-8, score = suma de las pruebas, los campos de cada prueba).
# Lo que nunca debe aparecer: una escritura o un trazado conseguidos, lo ajeno leído.
prohibidos=("SECRETO-HONRADA" "LEIDO ../../honrada" "ESCRITO /autograder" "ESCRITO /corrector"
            "ESCRITO /entrega" "ESCRITO /usr" "ESCRITO /work" "ESCRITO /root" "REEMPLAZADO /"
            "TRAZADO" "ABIERTO /proc" "VISTO /corrector/veredictos" "VISTO /work" "VISTO /root/")
# (en modo contenedor, /etc/passwd es el del contenedor)
[[ $modo != arenero ]] || prohibidos+=("root:x:0:0")
# total_csv ENTREGA: la columna «total» de su fila en resumen.csv (nada si no la tiene).
total_csv() {
    awk -F, -v e="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total") c = i; next }
        $1 == e && c && NF >= c { print $c }' "$T/res/resumen.csv"
}
# junit_valido FICHERO ENTREGA: que exista y, con xmllint, que sea XML bien formado.
junit_valido() {
    if [[ ! -f $1 ]]; then mal "$2: falta junit.xml"
    elif command -v xmllint >/dev/null && ! xmllint --noout "$1" 2>/dev/null; then
        mal "$2: junit.xml no es XML válido ($(xmllint --noout "$1" 2>&1 | head -n1))"
    fi
}
# comprobar_entrega NOMBRE: su results.json (formato, nota, lo prohibido), el CSV y junit.xml.
comprobar_entrega() {
    local e=$1 r=$T/res/$1/results.json p total omitidas x bytes
    if ! p=$(nota "$r" 2>&1); then mal "$e: results.json ausente o no válido (${p#sockets nota: })"; return; fi
    bytes=$(stat -c %s "$r")
    ((bytes <= 2000000)) || mal "$e: results.json demasiado grande ($bytes bytes)"
    if [[ $e != honrada ]]; then
        for x in "${prohibidos[@]}"; do ! grep -qF -- "$x" "$r" || mal "$e: los resultados contienen «$x»"; done
    fi
    [[ $(nota "$r" --campo=output) != HACKED* ]] || mal "$e: el resumen de results.json es falso"
    if [[ $e == honrada ]]; then
        if iguales "$p" 100; then bien "honrada: 100 puntos"; else mal "honrada: $p puntos, no 100"; fi
        omitidas=$(nota "$r" --campo=pruebas --con=omitida | cut -f1 | paste -sd, -)
        if [[ -z $omitidas ]]; then bien "honrada: ninguna prueba omitida (nc y socat están en el arenero)"
        else mal "honrada: pruebas omitidas dentro del arenero (¿falta nc o socat?): $omitidas"; fi
    elif iguales "$p" 0; then bien "$e: 0 puntos"
    else mal "$e: $p puntos (una entrega hostil o vacía debe sacar 0)"; fi
    total=$(total_csv "$e")
    [[ -n $total ]] && iguales "$total" "$p" || mal "$e: el CSV dice «$total» y results.json $p"
    junit_valido "$T/res/$e/junit.xml" "$e"
}
command -v xmllint >/dev/null || echo "(sin xmllint, de libxml2-utils: no se comprueba que junit.xml sea XML bien formado)"
for e in bomba cuelgue demonio falsificador fisgon honrada incluye inundacion invalida lector matar memoria \
    parar partida vacia; do
    comprobar_entrega "$e"
done
for e in vacia invalida; do
    [[ -f "$T/res/$e/results.json" ]] || continue  # (dicho arriba)
    nota "$T/res/$e/results.json" --campo=output 2>/dev/null | grep -qF "ninguna carpeta de lección" ||
        mal "$e: results.json no explica por qué vale 0"
done
grep -qF $'\xef\xbf\xbd' "$T/res/inundacion/results.json" 2>/dev/null ||
    mal "inundacion: los bytes no UTF-8 no aparecen sustituidos por U+FFFD"
# El vigilante del ejecutor (no hay cgroups: sin él, «memoria» sumaría 4 GiB y «parar» dejaría
# parado al arnés hasta el límite de la prueba).
dice() {  # dice ENTREGA FRASE QUÉ
    if grep -qsF -- "$2" "$T/res/$1/results.json"; then bien "$1: $3"
    else mal "$1: results.json no dice «$2» ($3)"; fi
}
dice memoria "MiB de memoria y el corrector los mató" "el vigilante mató a sus procesos por la memoria de todos"
[[ $modo != arenero ]] ||
    dice parar "paró la prueba con una señal (SIGSTOP)" "la parada del arnés se vio y se deshizo"
dice cuelgue "el arnés dejó de esperarlo antes del plazo" "el arnés dejó de esperar a un programa atascado"

# Cada entrega, dentro de su límite (progreso: «[i/n] nombre: P puntos (S s)»).
limite=$(($(sed -n 's/^limite_entrega *= *\([0-9]*\).*/\1/p' "$T/rubrica.conf") + 60))
# (con un arnés compilado con ASan los plazos de la rúbrica se triplican: corregir.sh)
if grep -qs '^SOCKETS_SANITIZADORES:BOOL=ON$' "$B/CMakeCache.txt"; then limite=$((limite * 3)); fi
while read -r linea; do
    s=$(sed -n 's/.*(\([0-9]*\) s)$/\1/p' <<<"$linea")
    [[ -z "$s" ]] || ((s <= limite)) || mal "demasiado lenta (más de $limite s): $linea"
done < <(grep '^\[' "$T/log.txt")

# Determinismo: otra corrección da los mismos bytes (la honrada y una que no compila). Las que
# compiten con los plazos (inundacion, fisgon, y el código de partida, que se cuelga en muchas
# pruebas y con los límites cortos de esta prueba llega al de la entrega) pueden cambiar de
# verdad de una vez a otra: no entran.
mkdir -p "$T/otra"
cp -r "$T/entregas/honrada" "$T/entregas/incluye" "$T/otra/"
bash "$AQUI/corregir.sh" --binarios "$B" --rubrica "$T/rubrica.conf" --salida "$T/res2" -j 2 "$T/otra" >"$T/log2.txt" 2>&1 || mal "la segunda corrección falló"
for e in honrada incluye; do
    for f in results.json junit.xml; do
        cmp -s "$T/res/$e/$f" "$T/res2/$e/$f" && bien "$e/$f idéntico en dos correcciones" ||
            { mal "$e/$f cambia entre dos correcciones:"; { diff "$T/res/$e/$f" "$T/res2/$e/$f" || true; } | cut -c1-300 | sed -n 1,8p; }
    done
done

# La línea de base en un clon del curso cuyo lessons/ está resuelto y con commit (el caso de un
# profesor que corrige desde su clon de trabajo, o de GitHub Classroom): el código de partida
# original sale de la historia de git. Con una caché nueva, para que se calcule de verdad.
C=$T/clon
mkdir -p "$C"
(cd "$RAIZ" && git -c safe.directory='*' ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$C/") 2>/dev/null
(cd "$C" && g init -q && g add -A && g commit -qm curso &&
    rm -rf lessons/[0-9][0-9]_* && cp -r "$RAIZ"/solutions/[0-9][0-9]_* lessons/ &&
    g add -A && g commit -qm resuelto) ||
    mal "no se pudo preparar el clon con lessons/ resuelto"
mkdir -p "$T/clase"
cp -r "$T/entregas/honrada" "$T/entregas/partida" "$T/clase/"
CORRECTOR_CACHE=$T/cache-clon bash "$C/tests/corrector/corregir.sh" --binarios "$B" --rubrica "$T/rubrica.conf" \
    --salida "$T/res-clon" -j 2 "$T/clase" >"$T/log-clon.txt" 2>&1 || { mal "corregir desde el clon resuelto falló:"; tail -n 5 "$T/log-clon.txt"; }
for caso in honrada:100 partida:0; do
    e=${caso%%:*} esperado=${caso##*:}
    p=$(nota "$T/res-clon/$e/results.json" 2>/dev/null)
    if iguales "$p" "$esperado"; then bien "desde un clon con lessons/ resuelto: $e → $esperado"
    else mal "desde un clon con lessons/ resuelto: $e → «$p» (esperado $esperado: ¿la línea de base es lessons/?)"; fi
done

terminar corrector
