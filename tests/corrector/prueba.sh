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

command -v python3 >/dev/null || { echo "↷ omitida: falta python3 para leer los JSON"; exit 77; }
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

# Las notas, el formato y lo que no se debe filtrar.
python3 - "$T/res" "$modo" <<'PY' || fallos=$((fallos + 1))
import json, sys, os, csv
res, modo = sys.argv[1], sys.argv[2]
esperadas = ["bomba", "cuelgue", "demonio", "falsificador", "fisgon", "honrada", "incluye", "inundacion",
             "invalida", "lector", "matar", "memoria", "parar", "partida", "vacia"]
fallos = 0
def mal(m):
    global fallos
    fallos += 1
    print("✗", m)
filas = {r["entrega"]: r for r in csv.DictReader(open(os.path.join(res, "resumen.csv"), encoding="utf-8"))}
# Lo que nunca debe aparecer: una escritura o un trazado conseguidos, lo ajeno leído.
prohibidos = ["SECRETO-HONRADA", "LEIDO ../../honrada", "ESCRITO /autograder", "ESCRITO /corrector",
              "ESCRITO /entrega", "ESCRITO /usr", "ESCRITO /work", "ESCRITO /root", "REEMPLAZADO /",
              "TRAZADO", "ABIERTO /proc", "VISTO /corrector/veredictos", "VISTO /work", "VISTO /root/"]
if modo == "arenero":
    prohibidos.append("root:x:0:0")  # en modo contenedor, /etc/passwd es el del contenedor
for e in esperadas:
    ruta = os.path.join(res, e, "results.json")
    try:
        crudo = open(ruta, "rb").read()
        crudo.decode("utf-8")
        r = json.loads(crudo)
    except Exception as x:
        mal(f"{e}: results.json ausente o no válido ({x})"); continue
    if len(crudo) > 2_000_000: mal(f"{e}: results.json demasiado grande ({len(crudo)} bytes)")
    suma = round(sum(t["score"] for t in r["tests"]), 2)
    if abs(suma - r["score"]) > 1e-6: mal(f"{e}: score {r['score']} no es la suma de las pruebas ({suma})")
    for t in r["tests"]:
        for k in ("name", "number", "score", "max_score", "status", "output", "tags", "visibility"):
            if k not in t: mal(f"{e}: a una prueba le falta «{k}»"); break
    texto = crudo.decode("utf-8")
    for prohibido in prohibidos:
        if prohibido in texto and e != "honrada": mal(f"{e}: los resultados contienen «{prohibido}»")
    if r["output"].startswith("HACKED"): mal(f"{e}: el resumen de results.json es falso")
    total = filas.get(e, {}).get("total")
    if e == "honrada":
        if r["score"] != 100: mal(f"honrada: {r['score']} puntos, no 100")
        else: print("✓ honrada: 100 puntos")
        omitidas = [t["name"] for t in r["tests"] if "omitida" in t["output"]]
        if omitidas: mal(f"honrada: pruebas omitidas dentro del arenero (¿falta nc o socat?): {omitidas}")
        else: print("✓ honrada: ninguna prueba omitida (nc y socat están en el arenero)")
    else:
        if r["score"] != 0: mal(f"{e}: {r['score']} puntos (una entrega hostil o vacía debe sacar 0)")
        else: print(f"✓ {e}: 0 puntos")
    if total is None or float(total) != r["score"]: mal(f"{e}: el CSV dice {total} y results.json {r['score']}")
    junit = os.path.join(res, e, "junit.xml")
    if not os.path.exists(junit): mal(f"{e}: falta junit.xml")
    else:
        import xml.dom.minidom
        try: xml.dom.minidom.parse(junit)
        except Exception as x: mal(f"{e}: junit.xml no es XML válido ({x})")
for e in ("vacia", "invalida"):
    try:
        if "ninguna carpeta de lección" not in json.load(open(os.path.join(res, e, "results.json")))["output"]:
            mal(f"{e}: results.json no explica por qué vale 0")
    except Exception: pass
inund = open(os.path.join(res, "inundacion", "results.json"), encoding="utf-8").read()
if "\ufffd" not in inund and "�" not in inund: mal("inundacion: los bytes no UTF-8 no aparecen sustituidos por U+FFFD")
# El vigilante del ejecutor (no hay cgroups: sin él, «memoria» sumaría 4 GiB y «parar» dejaría
# parado al arnés hasta el límite de la prueba).
def dice(e, frase, que):
    try: texto = open(os.path.join(res, e, "results.json"), encoding="utf-8").read()
    except Exception: texto = ""
    if frase in texto: print(f"✓ {e}: {que}")
    else: mal(f"{e}: results.json no dice «{frase}» ({que})")
dice("memoria", "MiB de memoria y el corrector los mató", "el vigilante mató a sus procesos por la memoria de todos")
if modo == "arenero":
    dice("parar", "paró la prueba con una señal (SIGSTOP)", "la parada del arnés se vio y se deshizo")
dice("cuelgue", "el arnés dejó de esperarlo antes del plazo", "el arnés dejó de esperar a un programa atascado")
sys.exit(1 if fallos else 0)
PY

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
    p=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['score'])" "$T/res-clon/$e/results.json" 2>/dev/null)
    if [[ "$p" == "$esperado" || "$p" == "$esperado.0" ]]; then bien "desde un clon con lessons/ resuelto: $e → $esperado"
    else mal "desde un clon con lessons/ resuelto: $e → «$p» (esperado $esperado: ¿la línea de base es lessons/?)"; fi
done

terminar corrector
