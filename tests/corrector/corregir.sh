#!/usr/bin/env bash
# El corrector de entregas: compila y prueba cada entrega en su propio arenero (bubblewrap) y
# escribe sus resultados (Gradescope results.json, JUnit, CSV). Diseño y modelo de amenazas en
# docs/dev/corrector.md. Lo llaman «./tutorial grade» y el run_autograder de Gradescope.
#
# Uso: corregir.sh --binarios DIR [opciones] ENTREGA...
#   --binarios DIR     la carpeta de compilación del arnés (con tests/prueba_* y tests/corrector/)
#   --salida DIR       dónde dejar los resultados (por defecto ./resultados)
#   -j N               entregas a la vez (por defecto 1)
#   --rubrica F        la rúbrica (por defecto tests/corrector/rubrica.conf)
#   --confiar          corregir aunque falte alguna protección del arenero (solo código de fiar)
#   --una              cada ENTREGA es una entrega aunque no tenga carpetas NN_*/ (Gradescope)
#   --solo-comprobar   solo dice si esta máquina puede aislar las entregas (0) o qué falta (3)
#   --gradescope-zip Z el zip del autograder de Gradescope (gradescope/zip.sh) y nada más
# ENTREGA es una carpeta con lecciones NN_*/ o una carpeta de entregas (cada subcarpeta, una).
set -euo pipefail
export LC_ALL=C.UTF-8
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../.." && pwd)

# shellcheck disable=SC2034  # V (verde) se deja con los demás colores aunque hoy no se use
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then V=$'\e[32m' R=$'\e[31m' A=$'\e[33m' F=$'\e[0m'; else V='' R='' A='' F=''; fi
morir() { echo "${R}error:${F} $*" >&2; exit 1; }
aviso() { echo "${A}⚠${F} $*" >&2; }

salida=$PWD/resultados trabajos=1 rubrica=$AQUI/rubrica.conf binarios='' confiar='' una='' solo_comprobar=''
entradas=()
while (($# > 0)); do
    case $1 in
        -j) trabajos=${2:-}; shift 2 ;;
        -j*) trabajos=${1#-j}; shift ;;
        --salida) salida=${2:-}; shift 2 ;;
        --rubrica) rubrica=${2:-}; shift 2 ;;
        --binarios) binarios=${2:-}; shift 2 ;;
        --confiar) confiar=1; shift ;;
        --una) una=1; shift ;;
        --solo-comprobar) solo_comprobar=1; shift ;;
        --gradescope-zip) exec bash "$AQUI/gradescope/zip.sh" "${2:?--gradescope-zip necesita el nombre del zip}" ;;
        -*) morir "opción desconocida: $1" ;;
        *) entradas+=("$1"); shift ;;
    esac
done
[[ "$trabajos" =~ ^[1-9][0-9]*$ ]] || morir "-j necesita un número de entregas a la vez (1, 2...)"
[[ -n "$solo_comprobar" ]] || (("${#entradas[@]}" > 0)) || morir "di al menos una carpeta de entregas"
[[ -f "$rubrica" ]] || morir "no existe la rúbrica $rubrica"
rubrica=$(cd "$(dirname "$rubrica")" && pwd)/$(basename "$rubrica")
[[ -x "$binarios/tests/corrector/corrector_ejecutor" && -x "$binarios/tests/corrector/corrector_resultados" ]] ||
    morir "no están compilados el ejecutor y el escritor de resultados en $binarios/tests/corrector"
binarios=$(cd "$binarios" && pwd)

valor_rubrica() {  # valor_rubrica CLAVE DEFECTO
    local v
    v=$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p" "$rubrica" | tail -n1)
    echo "${v:-$2}"
}
limite_prueba=$(valor_rubrica limite_prueba 20)
limite_entrega=$(valor_rubrica limite_entrega 240)
# Un arnés compilado con ASan y UBSan (./tutorial test --asan) va unas tres veces más lento: los
# plazos de la rúbrica se triplican para que midan lo mismo.
if grep -qs '^SOCKETS_SANITIZADORES:BOOL=ON$' "$binarios/CMakeCache.txt"; then
    limite_prueba=$((limite_prueba * 3)) limite_entrega=$((limite_entrega * 3))
fi

# --- las entregas ----------------------------------------------------------------------------

entregas=() nombres=()
declare -A usados=()
tiene_lecciones() { compgen -G "$1/[0-9][0-9]_*/" >/dev/null; }
anadir() {
    local d=$1 nombre
    nombre=$(basename "$d" | sed 's/[^A-Za-z0-9_.-]/_/g')
    [[ -n "$nombre" && "$nombre" != . && "$nombre" != .. ]] || nombre=entrega
    [[ -z "${usados[$nombre]:-}" ]] || nombre="$nombre-$((${#nombres[@]} + 1))"
    usados[$nombre]=1
    entregas+=("$d") nombres+=("$nombre")
}
for d in "${entradas[@]}"; do
    [[ -d "$d" ]] || morir "no existe la carpeta $d"
    d=$(cd "$d" && pwd)
    if [[ -n "$una" ]] || tiene_lecciones "$d"; then
        # Gradescope: si la entrega es una sola carpeta con las lecciones dentro, esa.
        if [[ -n "$una" ]] && ! tiene_lecciones "$d"; then
            dentro=("$d"/*/)
            if ((${#dentro[@]} == 1)) && [[ -d "${dentro[0]}" ]] && tiene_lecciones "${dentro[0]}"; then
                usados[$(basename "$d")]=1; entregas+=("${dentro[0]%/}") nombres+=("$(basename "$d" | sed 's/[^A-Za-z0-9_.-]/_/g')")
                continue
            fi
        fi
        anadir "$d"
    else
        hay=''
        for s in "$d"/*/; do [[ -d "$s" ]] && tiene_lecciones "$s" && hay=1; done
        if [[ -z "$hay" ]]; then
            anadir "$d"          # ni lecciones ni entregas dentro: una entrega vacía (nota 0)
        else
            for s in "$d"/*/; do [[ -d "$s" ]] && anadir "${s%/}"; done
        fi
    fi
done

# --- las protecciones ------------------------------------------------------------------------

# Como root, el arenero corre como «nobody»; si no, como quien corrige (bwrap sin privilegios).
como=()
if ((EUID == 0)); then
    command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 &&
        como=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi

raices=()  # /bin, /lib... como en el sistema (enlaces en un /usr unificado)
for d in bin sbin lib lib32 lib64 libx32; do
    if [[ -L /$d ]]; then raices+=(--symlink "$(readlink "/$d")" "/$d")
    elif [[ -d /$d ]]; then raices+=(--ro-bind "/$d" "/$d"); fi
done
[[ -f /etc/ld.so.cache ]] && raices+=(--ro-bind /etc/ld.so.cache /etc/ld.so.cache)
# Los nombres (lección 08): las pruebas montan su propio /etc/hosts y /etc/nsswitch.conf encima de
# estos (Opciones::ficheros del arnés), y para montar encima de una ruta tiene que existir.
for f in /etc/hosts /etc/nsswitch.conf; do [[ -f $f ]] && raices+=(--ro-bind "$f" "$f"); done

# Lo común a los dos areneros: todos los espacios de nombres propios (usuario, PID, red solo
# con loopback, IPC, UTS, cgroup), muere con su padre, sesión propia, sin capacidades, un
# sistema de ficheros mínimo de solo lectura y un /tmp privado pequeño.
arenero_base=(bwrap --unshare-all --die-with-parent --new-session --cap-drop ALL
              --uid 1000 --gid 1000 --hostname corrector
              --ro-bind /usr /usr "${raices[@]}"
              --proc /proc --dev /dev --size $((64 << 20)) --tmpfs /tmp
              --clearenv --setenv PATH /usr/bin:/bin --setenv HOME /tmp --setenv LANG C.UTF-8
              --setenv TMPDIR /tmp --chdir /tmp)

# Límites de cada proceso de la entrega (rlimits, dentro del arenero: así RLIMIT_NPROC cuenta
# los procesos de este espacio de usuarios y no los de todas las entregas).
limites=(/usr/bin/prlimit --as=$((1024 << 20)) --nproc=400 --cpu=30 --fsize=$((32 << 20))
         --nofile=256 --core=0 --)
# Un arnés compilado con ASan (./tutorial test --asan) reserva terabytes de memoria virtual para
# su sombra: con él no cabe un tope de espacio de direcciones para todo el arenero. Los
# programas de la entrega conservan el suyo (1 GiB, lo pone el arnés al aislarlos) y, como
# root, queda el de memoria del cgroup.
if grep -qs '^SOCKETS_SANITIZADORES:BOOL=ON$' "$binarios/CMakeCache.txt"; then
    limites=(/usr/bin/prlimit --nproc=400 --cpu=30 --fsize=$((32 << 20)) --nofile=256 --core=0 --)
fi

faltan=()
if ! command -v bwrap >/dev/null; then
    faltan+=("bubblewrap (bwrap): instálalo con «sudo apt-get install bubblewrap»")
else
    if ! "${como[@]}" "${arenero_base[@]}" -- /usr/bin/true 2>/dev/null; then
        faltan+=("espacios de nombres de usuario sin privilegios (bwrap --unshare-all falla: mira
    sysctl kernel.unprivileged_userns_clone y user.max_user_namespaces, o AppArmor)")
    elif ! "${como[@]}" "${arenero_base[@]}" -- /usr/bin/unshare --user --mount /usr/bin/true 2>/dev/null; then
        faltan+=("espacios de nombres anidados dentro del arenero (el arnés los usa para ocultar
    los veredictos a los programas del alumno)")
    fi
fi
[[ -x /usr/bin/prlimit ]] || faltan+=("prlimit (util-linux) para los límites de cada proceso")
if ((EUID == 0)) && ((${#como[@]} == 0)); then
    faltan+=("setpriv y el usuario nobody (como root, el arenero corre como un usuario sin privilegios)")
fi
arenero=1
if [[ -n "$solo_comprobar" ]]; then  # ¿se puede aislar aquí? (lo usan las pruebas del corrector)
    ((${#faltan[@]} == 0)) && exit 0
    printf '%s\n' "${faltan[@]}"
    exit 3
fi
if ((${#faltan[@]} > 0)); then
    if [[ -z "$confiar" ]]; then
        {
            echo "${R}No se puede corregir código no fiable: al arenero le falta:${F}"
            for f in "${faltan[@]}"; do echo "  · $f"; done
            echo "Si confías en estas entregas (por ejemplo, las tuyas), repite con --confiar:"
            echo "se compilarán y ejecutarán SIN aislamiento, con tus permisos."
        } >&2
        exit 3
    fi
    aviso "corrigiendo SIN arenero (--confiar): falta ${faltan[*]}"
    arenero=''
fi

# --- preparación común -----------------------------------------------------------------------

trabajo=$(mktemp -d "${TMPDIR:-/tmp}/corrector.XXXXXX")
chmod 755 "$trabajo"
trap 'rm -rf "$trabajo"' EXIT
nuevo=$(dirname "$salida")/.$(basename "$salida").nuevo.$$
mkdir -p "$(dirname "$salida")"
rm -rf "$nuevo"; mkdir -p "$nuevo"
# CORRECTOR_CONSERVAR=1 deja la carpeta de trabajo (para depurar el corrector).
if [[ -n "${CORRECTOR_CONSERVAR:-}" ]]; then trap 'rm -rf "$nuevo"; echo "trabajo: $trabajo" >&2' EXIT
else trap 'rm -rf "$trabajo" "$nuevo"' EXIT; fi

# Los binarios de confianza, copiados (el arenero no ve la carpeta de compilación).
mkdir -p "$trabajo/bin"
cp "$binarios"/tests/prueba_* "$binarios/tests/corrector/corrector_ejecutor" "$trabajo/bin/"
cp "$AQUI/compilar.sh" "$trabajo/bin/"
mkdir -p "$trabajo/comun"; cp "$RAIZ"/lessons/comun/*.h "$trabajo/comun/"
# La cabecera común precompilada (con las mismas opciones que compilar.sh): compilar una lección
# que la incluye cuesta la mitad.
g++ -std=c++17 -g -O0 -Wall -Wextra -pthread -x c++-header "$trabajo/comun/sockets_comun.h" \
    -o "$trabajo/comun/sockets_comun.h.gch" 2>/dev/null || rm -f "$trabajo/comun/sockets_comun.h.gch"
chmod -R a+rX "$trabajo/bin" "$trabajo/comun"

# Las lecciones del curso (etapas.tsv) y la lista de pruebas, de los ejecutables de confianza:
# «NN<TAB>KK<TAB>carpeta<TAB>ejecutable<TAB>Suite.Prueba». Primero las de la etapa propia de
# cada lección (las que puntúan), luego argumentos y luego prerrequisitos: si una entrega agota
# su tiempo, lo que queda sin ejecutar es lo que menos cuenta.
awk -F'\t' '$1 == "etapa" && $5 != "-" { print $2 "\t" $5 }' "$RAIZ/etapas.tsv" >"$trabajo/lecciones.tsv"
: >"$trabajo/suites.tsv"
for e in "$trabajo"/bin/prueba_*; do
    b=$(basename "$e") kk=00
    [[ "$b" =~ ^prueba_[a-z]+([0-9][0-9]) ]] && kk=${BASH_REMATCH[1]}  # etapaKK_*, aguanteKK
    "$e" --gtest_list_tests 2>/dev/null | awk -v kk="$kk" -v b="$b" '
        /^[^ ]/ { suite = $1; next } /^  [^ ]/ { print kk "\t" b "\t" suite $1 }' >>"$trabajo/suites.tsv"
done
[[ -s "$trabajo/suites.tsv" ]] || morir "los ejecutables de pruebas no listan ninguna prueba"
# Sin las que retira una etapa posterior (filas «retira» de etapas.tsv: desde la lección NN).
awk -F'\t' '$1 == "retira" { n = split($3, p, " "); for (i = 1; i <= n; i++) print $2 "\t" p[i] }' \
    "$RAIZ/etapas.tsv" >"$trabajo/retiradas.tsv"
awk -F'\t' 'FILENAME == ARGV[1] { r[++nr] = $0; next } FILENAME == ARGV[2] { s[++n] = $0; next } {
        nn = $1; for (i = 1; i <= n; i++) { split(s[i], c, "\t"); k = c[1] + 0
            if (k > nn + 0) continue
            fuera = 0
            for (j = 1; j <= nr; j++) { split(r[j], q, "\t"); pat = q[2]
                if (q[1] + 0 > nn + 0) continue
                if (pat == c[3] || (pat ~ /\.\*$/ && index(c[3], substr(pat, 1, length(pat) - 1)) == 1)) fuera = 1 }
            if (fuera) continue
            prio = (k == nn + 0) ? 0 : (k == 0 ? 1 : 2)
            print prio "\t" nn "\t" c[1] "\t" $2 "\t" c[2] "\t" c[3] } }' \
    "$trabajo/retiradas.tsv" "$trabajo/suites.tsv" "$trabajo/lecciones.tsv" | sort -t$'\t' -k1,1n -k2,2 -k3,3 -k6,6 |
    cut -f2- >"$trabajo/lista.tsv"

uid_arenero=$(id -u) gid_arenero=$(id -g)
if ((${#como[@]} > 0)); then uid_arenero=$(id -u nobody) gid_arenero=$(id -g nobody); fi

# --- cgroups (si se puede) -------------------------------------------------------------------

# cgrupo DIR: crea (como root) un cgroup para la entrega (carpeta de trabajo DIR) con topes de memoria (2 GiB, sin swap)
# y de procesos (1024) y escribe en la salida los ficheros cgroup.procs donde meterse. Sin
# permisos o sin controladores no escribe nada: quedan los rlimits de cada proceso.
cgrupo() {
    ((EUID == 0)) || return 0
    local c n=${1##*/}
    if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
        c=/sys/fs/cgroup/sockets-corrector-$$
        { mkdir -p "$c" && echo "+memory +pids" >/sys/fs/cgroup/cgroup.subtree_control &&
          echo "+memory +pids" >"$c/cgroup.subtree_control" && mkdir -p "$c/$n" &&
          echo $((2048 << 20)) >"$c/$n/memory.max" && echo 0 >"$c/$n/memory.swap.max" &&
          echo 1024 >"$c/$n/pids.max" && echo "$c/$n/cgroup.procs"; } 2>/dev/null || true
    else
        c=/sys/fs/cgroup/memory/sockets-corrector-$$-$n
        { [[ -w /sys/fs/cgroup/memory ]] && mkdir -p "$c" && echo $((2048 << 20)) >"$c/memory.limit_in_bytes" &&
          echo "$c/cgroup.procs"; } 2>/dev/null || true
        c=/sys/fs/cgroup/pids/sockets-corrector-$$-$n
        { [[ -w /sys/fs/cgroup/pids ]] && mkdir -p "$c" && echo 1024 >"$c/pids.max" && echo "$c/cgroup.procs"; } 2>/dev/null || true
    fi
}
cgrupos_borrar() {
    ((EUID == 0)) || return 0
    find /sys/fs/cgroup -maxdepth 3 -type d -name "sockets-corrector-$$*" -print 2>/dev/null | sort -r |
        while read -r c; do rmdir "$c"/* "$c" 2>/dev/null || true; done
}
# en_cgrupo DIR ORDEN...: ejecuta ORDEN dentro del cgroup de la entrega DIR (si lo hay).
en_cgrupo() {
    local i=$1 f
    shift
    (
        while read -r f; do [[ -z "$f" ]] || echo "$BASHPID" >"$f" 2>/dev/null || true; done < <(cgrupo "$i")
        exec "$@"
    )
}

# --- una entrega -----------------------------------------------------------------------------

# probar_entrega W ORIGEN: copia, compila y prueba ORIGEN en la carpeta de trabajo W (deja
# W/veredictos, W/salida/compilacion y las notas para los resultados en el array «notas»).
probar_entrega() {
    local w=$1 origen=$2
    local pares=() nn carpeta
    mkdir -p "$w/fuente" "$w/salida/programas" "$w/salida/compilacion" "$w/veredictos" "$w/res"

    # 1. Copia de la entrega: solo ficheros y carpetas (ni enlaces ni especiales), con tope.
    local kb
    kb=$(du -sk --apparent-size "$origen" 2>/dev/null | cut -f1)
    if ((${kb:-0} > 20480)); then
        notas+=("La entrega ocupa ${kb} KiB (más de 20 MiB): no se corrige.")
    elif ! tiene_lecciones "$origen"; then
        notas+=("La entrega no tiene ninguna carpeta de lección NN_*/ (por ejemplo 01_socket/): nota 0.")
    else
        (cd "$origen" && find . -maxdepth 3 -type d -print0 | (cd "$w/fuente" && xargs -0 -r mkdir -p) &&
            find . -maxdepth 3 -type f -print0 | xargs -0 -r -I{} cp -- {} "$w/fuente/{}") 2>/dev/null || true
        chmod -R a+rX,go-w "$w/fuente"
        while IFS=$'\t' read -r nn carpeta; do pares+=("$nn=$carpeta"); done <"$trabajo/lecciones.tsv"
    fi
    if ((${#como[@]} > 0)); then chown -R "$uid_arenero:$gid_arenero" "$w/salida" "$w/veredictos"; fi

    # 2. Compilar, en su arenero: solo ve su copia, la cabecera común y /usr.
    if ((${#pares[@]} > 0)); then
        local paralelo=1
        ((trabajos > 1)) || paralelo=2
        if [[ -n "$arenero" ]]; then
            en_cgrupo "$w" timeout -s KILL 300 "${como[@]}" "${arenero_base[@]}" \
                --ro-bind "$w/fuente" /entrega --ro-bind "$trabajo/comun" /comun \
                --ro-bind "$trabajo/bin/compilar.sh" /compilar.sh --bind "$w/salida" /salida \
                --remount-ro / \
                -- /usr/bin/prlimit --as=$((2048 << 20)) --nproc=64 --cpu=120 --fsize=$((64 << 20)) --core=0 -- \
                /usr/bin/bash /compilar.sh /entrega /comun /salida "$paralelo" "${pares[@]}" \
                >"$w/compilar.txt" 2>&1 || notas+=("La compilación no terminó bien (¿superó su tiempo?).")
        else
            bash "$trabajo/bin/compilar.sh" "$w/fuente" "$trabajo/comun" "$w/salida" "$paralelo" "${pares[@]}" \
                >"$w/compilar.txt" 2>&1 || true
        fi
    fi
    for p in "${pares[@]}"; do
        nn=${p%%=*}
        [[ -f "$w/salida/compilacion/$nn.estado" ]] || echo falta >"$w/salida/compilacion/$nn.estado"
    done
    if ((${#pares[@]} == 0)); then
        while IFS=$'\t' read -r nn carpeta; do echo falta >"$w/salida/compilacion/$nn.estado"; done <"$trabajo/lecciones.tsv"
    fi

    # 3. Las pruebas de las lecciones que compilan, en el arenero de ejecución.
    awk -F'\t' -v dir="$w/salida/compilacion" '{ f = dir "/" $1 ".estado"; e = ""
        if ((getline e < f) > 0 && e == "ok") print; close(f) }' "$trabajo/lista.tsv" >"$w/lista.tsv"
    if [[ -s "$w/lista.tsv" ]]; then
        local ejecutor=(--lista /corrector/lista.tsv --pruebas /corrector/bin --programas /entrega/programas
                        --veredictos /corrector/veredictos --arbol entrega
                        --limite-prueba "$limite_prueba" --limite-total "$limite_entrega")
        local rc=0
        if [[ -n "$arenero" ]]; then
            en_cgrupo "$w" timeout -s KILL $((limite_entrega + 60)) "${como[@]}" "${arenero_base[@]}" \
                --dir /corrector --ro-bind "$trabajo/bin" /corrector/bin \
                --ro-bind "$w/lista.tsv" /corrector/lista.tsv \
                --bind "$w/veredictos" /corrector/veredictos \
                --ro-bind "$w/salida/programas" /entrega/programas \
                --remount-ro / \
                -- "${limites[@]}" /corrector/bin/corrector_ejecutor "${ejecutor[@]}" --ocultar /corrector \
                >"$w/ejecutar.txt" 2>&1 || rc=$?
        else
            "$trabajo/bin/corrector_ejecutor" --lista "$w/lista.tsv" --pruebas "$trabajo/bin" \
                --programas "$w/salida/programas" --veredictos "$w/veredictos" --arbol entrega \
                --limite-prueba "$limite_prueba" --limite-total "$limite_entrega" --barrer no \
                >"$w/ejecutar.txt" 2>&1 || rc=$?
        fi
        ((rc == 0)) || notas+=("El arenero de las pruebas terminó con código $rc.")
    fi
}

# corregir_una I: todo lo de la entrega I en $trabajo/eI; deja $nuevo/<nombre>/.
corregir_una() {
    local i=$1 nombre=${nombres[$1]}
    local w=$trabajo/e$i inicio=$SECONDS
    local notas=()
    probar_entrega "$w" "${entregas[$1]}"

    # 4. Los resultados, fuera del arenero y con todos sus procesos ya muertos.
    local d=$nuevo/$nombre
    mkdir -p "$d"
    local args=(--rubrica "$rubrica" --lista "$trabajo/lista.tsv" --lecciones "$trabajo/lecciones.tsv"
                --veredictos "$w/veredictos" --compilacion "$w/salida/compilacion" --arbol entrega
                --entrega "$nombre" --salida "$w/res" --segundos $((SECONDS - inicio)))
    for n in "${notas[@]}"; do args+=(--nota "$n"); done
    [[ -z "$partida" ]] || args+=(--partida "$partida")
    if "$binarios/tests/corrector/corrector_resultados" "${args[@]}" >"$w/resultados.txt" 2>&1 &&
       [[ -s "$w/res/results.json" ]]; then
        cp "$w/res/results.json" "$w/res/junit.xml" "$w/res/lecciones.tsv" "$d/"
        cp "$w/res/fila.csv" "$d/.fila.csv"
    else
        printf '{\n  "score": 0,\n  "output": "%s",\n  "output_format": "text",\n  "tests": []\n}\n' \
            "El corrector falló al escribir los resultados de esta entrega: avisa al profesor." >"$d/results.json"
        printf '%s\n' "$nombre" >"$d/.fila.csv"
    fi
    local total
    total=$(awk -F, '{ print $NF }' "$d/.fila.csv")
    printf '[%d/%d] %s: %s puntos (%d s)\n' "$((i + 1))" "${#entregas[@]}" "$nombre" "${total:-0}" $((SECONDS - inicio))
}

# El código de partida (lessons/ sin tocar), probado una vez: las pruebas que ya supera no
# puntúan (rúbrica: descontar_partida). Se guarda en caché junto a los binarios, con una clave
# que cambia si cambian las lecciones, las pruebas o la lista. Es código nuestro: se prueba
# entero, sin el límite por entrega de la rúbrica (con él, en una máquina cargada, el corte
# caería en un punto distinto cada vez y lo que descuenta dependería de la carga).
partida=''
if [[ "$(sed -n 's/^[[:space:]]*descontar_partida[[:space:]]*=[[:space:]]*\([a-z]*\).*/\1/p' "$rubrica" | tail -n1)" != no ]]; then
    clave=$( (echo "partida-entera"; cat "$RAIZ"/lessons/*/*.cpp "$RAIZ"/lessons/comun/* "$trabajo"/bin/prueba_* \
              "$trabajo/lista.tsv" "$trabajo/bin/corrector_ejecutor") 2>/dev/null | sha256sum | cut -c1-16)
    cache=${CORRECTOR_CACHE:-$binarios/corrector-partida}/$clave
    if [[ ! -f "$cache/listo" ]]; then
        echo "Probando el código de partida (lessons/), una vez..."
        notas=()
        limite_prueba=$((limite_prueba > 20 ? limite_prueba : 20)) limite_entrega=3600 \
            probar_entrega "$trabajo/partida" "$RAIZ/lessons"
        rm -rf "$cache"; mkdir -p "$cache"
        cp -r "$trabajo/partida/veredictos" "$cache/"
        touch "$cache/listo"
    fi
    partida=$cache/veredictos
fi

echo "Corrigiendo ${#entregas[@]} entrega(s), $trabajos a la vez${arenero:+, cada una en su arenero}."
for i in "${!entregas[@]}"; do
    while (($(jobs -rp | wc -l) >= trabajos)); do wait -n || true; done
    corregir_una "$i" &
done
wait
cgrupos_borrar

# --- el CSV y el cambio de los resultados ----------------------------------------------------

{
    printf 'entrega'
    while IFS=$'\t' read -r nn carpeta; do printf ',%s' "$carpeta"; done <"$trabajo/lecciones.tsv"
    printf ',total\n'
    for nombre in "${nombres[@]}"; do
        if [[ -f "$nuevo/$nombre/.fila.csv" ]]; then cat "$nuevo/$nombre/.fila.csv"; else echo "$nombre"; fi
        rm -f "$nuevo/$nombre/.fila.csv"
    done
} >"$nuevo/resumen.csv"
# Los resultados anteriores se sustituyen solo ahora, de golpe (no se borran antes de corregir).
if [[ -e "$salida" ]]; then
    viejo=$(dirname "$salida")/.$(basename "$salida").viejo.$$
    mv "$salida" "$viejo"
    mv "$nuevo" "$salida"
    rm -rf "$viejo"
else
    mv "$nuevo" "$salida"
fi
if ((${#como[@]} > 0)) && [[ -n "${SUDO_UID:-}" ]]; then chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$salida"; fi
echo "Resultados en $salida (resumen.csv y <entrega>/results.json, junit.xml)."
