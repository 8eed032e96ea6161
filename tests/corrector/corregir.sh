#!/usr/bin/env bash
# El corrector de entregas: compila y prueba cada entrega aislada y escribe sus resultados
# (Gradescope results.json, JUnit, CSV). Diseño y modelo de amenazas en docs/dev/corrector.md.
# Lo llaman «./tutorial grade», el run_autograder de Gradescope y el flujo de GitHub Classroom.
#
# Uso: corregir.sh --binarios DIR [opciones] ENTREGA...
#   --binarios DIR     la carpeta de compilación del arnés (con tests/prueba_* y tests/corrector/)
#   --salida DIR       dónde dejar los resultados (por defecto ./resultados)
#   -j N               entregas a la vez (por defecto 1)
#   --rubrica F        la rúbrica (por defecto tests/corrector/rubrica.conf)
#   --una              cada ENTREGA es una entrega aunque no tenga carpetas NN_*/ (Gradescope)
#   --solo-comprobar   solo dice en qué modo corregiría esta máquina (0) o qué falta (3)
#   --solo-partida     solo prueba el código de partida y lo deja en la caché (setup.sh)
#   --gradescope-zip Z el zip del autograder de Gradescope (gradescope/zip.sh) y nada más
# ENTREGA es una carpeta con lecciones NN_*/ o una carpeta de entregas (cada subcarpeta, una).
#
# Modos (se detectan y se dicen al empezar):
#   arenero     bubblewrap con espacios de nombres de usuario: cada entrega en su arenero.
#   contenedor  root sin espacios de nombres (Docker, Gradescope): el contenedor es el arenero
#               entre entregas y, dentro, el código del alumno corre como un usuario sin
#               privilegios (sockets-alumno) que no puede tocar nada de lo que el corrector cree.
#   (si no es ninguno de los dos, se niega y dice qué hacer: código 3)
set -euo pipefail
export LC_ALL=C.UTF-8
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../.." && pwd)

# shellcheck disable=SC2034  # V (verde) se deja con los demás colores aunque hoy no se use
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then V=$'\e[32m' R=$'\e[31m' A=$'\e[33m' F=$'\e[0m'; else V='' R='' A='' F=''; fi
morir() { echo "${R}error:${F} $*" >&2; exit 1; }
aviso() { echo "${A}⚠${F} $*" >&2; }

salida=$PWD/resultados trabajos=1 rubrica=$AQUI/rubrica.conf binarios='' una='' solo_comprobar='' solo_partida=''
entradas=()
while (($# > 0)); do
    case $1 in
        -j) trabajos=${2:-}; shift 2 ;;
        -j*) trabajos=${1#-j}; shift ;;
        --salida) salida=${2:-}; shift 2 ;;
        --rubrica) rubrica=${2:-}; shift 2 ;;
        --binarios) binarios=${2:-}; shift 2 ;;
        --una) una=1; shift ;;
        --solo-comprobar) solo_comprobar=1; shift ;;
        --solo-partida) solo_partida=1; shift ;;
        --confiar) morir "--confiar ya no existe: el corrector nunca ejecuta código de alumnos sin aislarlo.
  Sin espacios de nombres, corrige como root dentro de un contenedor desechable (modo contenedor)." ;;
        --gradescope-zip) exec bash "$AQUI/gradescope/zip.sh" "${2:?--gradescope-zip necesita el nombre del zip}" ;;
        -*) morir "opción desconocida: $1" ;;
        *) entradas+=("$1"); shift ;;
    esac
done
[[ "$trabajos" =~ ^[1-9][0-9]*$ ]] || morir "-j necesita un número de entregas a la vez (1, 2...)"
[[ -n "$solo_comprobar$solo_partida" ]] || (("${#entradas[@]}" > 0)) || morir "di al menos una carpeta de entregas"
[[ -f "$rubrica" ]] || morir "no existe la rúbrica $rubrica"
rubrica=$(cd "$(dirname "$rubrica")" && pwd)/$(basename "$rubrica")
[[ -x "$binarios/tests/corrector/corrector_ejecutor" && -x "$binarios/tests/sockets" ]] ||
    morir "no están compilados el ejecutor (tests/corrector/) y la herramienta sockets (tests/) en $binarios"
binarios=$(cd "$binarios" && pwd)

valor_rubrica() {  # valor_rubrica CLAVE DEFECTO (el último valor; lo lee el corrector, base/rubrica.cpp)
    local v
    v=$("$binarios/tests/sockets" rubrica "$rubrica" "$1" "$2" 2>/dev/null)
    echo "${v:-$2}"
}
limite_prueba=$(valor_rubrica limite_prueba 20)
limite_entrega=$(valor_rubrica limite_entrega 240)
a_la_vez=$(valor_rubrica pruebas_a_la_vez 8)
memoria=$(valor_rubrica memoria_entrega 1024)
[[ "$limite_prueba$limite_entrega$a_la_vez$memoria" =~ ^[0-9]+$ ]] ||
    morir "la rúbrica tiene límites que no son números enteros (limite_prueba, limite_entrega, pruebas_a_la_vez, memoria_entrega)"
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
    nombre=$(basename "$d")
    # «alumnos/ana/lessons» (un clon de cada alumno): la entrega se llama «ana».
    [[ "$nombre" != lessons ]] || nombre=$(basename "$(dirname "$d")")
    nombre=$(sed 's/[^A-Za-z0-9_.-]/_/g' <<<"$nombre")
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

# --- el modo ---------------------------------------------------------------------------------

raices=()  # /bin, /lib... como en el sistema (enlaces en un /usr unificado)
for d in bin sbin lib lib32 lib64 libx32; do
    if [[ -L /$d ]]; then raices+=(--symlink "$(readlink "/$d")" "/$d")
    elif [[ -d /$d ]]; then raices+=(--ro-bind "/$d" "/$d"); fi
done
[[ -f /etc/ld.so.cache ]] && raices+=(--ro-bind /etc/ld.so.cache /etc/ld.so.cache)
# /usr/bin/nc, /usr/bin/c++... son enlaces a /etc/alternatives: sin él, nc no existe dentro.
[[ -d /etc/alternatives ]] && raices+=(--ro-bind /etc/alternatives /etc/alternatives)
# Los nombres (lección 08): las pruebas montan su propio /etc/hosts y /etc/nsswitch.conf encima de
# estos (Opciones::ficheros del arnés), y para montar encima de una ruta tiene que existir.
for f in /etc/hosts /etc/nsswitch.conf; do [[ -f $f ]] && raices+=(--ro-bind "$f" "$f"); done

# Como root, el arenero corre como «nobody»; si no, como quien corrige (bwrap sin privilegios).
como=()
if ((EUID == 0)) && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    como=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi

# Lo común a los dos areneros: todos los espacios de nombres propios (usuario, PID, red solo
# con loopback, IPC, UTS, cgroup), muere con su padre, sesión propia, sin capacidades, un
# sistema de ficheros mínimo de solo lectura y un /tmp privado pequeño.
arenero_base=(bwrap --unshare-all --die-with-parent --new-session --cap-drop ALL
              --uid 1000 --gid 1000 --hostname corrector
              --ro-bind /usr /usr "${raices[@]}"
              --proc /proc --dev /dev --size $((64 << 20)) --tmpfs /tmp
              --clearenv --setenv PATH /usr/bin:/bin --setenv HOME /tmp --setenv LANG C.UTF-8
              --setenv TMPDIR /tmp --chdir /tmp)

# Límites de cada proceso del arenero de pruebas (rlimits, dentro: así RLIMIT_NPROC cuenta los
# procesos de este espacio de usuarios y no los de todas las entregas). Un arnés compilado con
# ASan reserva terabytes de memoria virtual para su sombra: con él no cabe un tope de espacio
# de direcciones para todo el arenero (los programas del alumno conservan el suyo, 1 GiB, que
# pone el arnés, y el vigilante de memoria del ejecutor).
limites=(/usr/bin/prlimit --as=$((1024 << 20)) --nproc=400 --cpu=30 --fsize=$((32 << 20))
         --nofile=256 --core=0 --)
if grep -qs '^SOCKETS_SANITIZADORES:BOOL=ON$' "$binarios/CMakeCache.txt"; then
    limites=(/usr/bin/prlimit --nproc=400 --cpu=30 --fsize=$((32 << 20)) --nofile=256 --core=0 --)
fi

modo='' faltan=()
if ! command -v bwrap >/dev/null; then
    faltan+=("bubblewrap (bwrap): instálalo con «sudo apt-get install bubblewrap»")
elif ! "${como[@]}" "${arenero_base[@]}" -- /usr/bin/true 2>/dev/null; then
    faltan+=("espacios de nombres de usuario sin privilegios (bwrap --unshare-all falla)")
elif ! "${como[@]}" "${arenero_base[@]}" -- /usr/bin/unshare --user --mount /usr/bin/true 2>/dev/null; then
    faltan+=("espacios de nombres anidados dentro del arenero (el arnés los usa para ocultar los
    veredictos a los programas del alumno)")
fi
[[ -x /usr/bin/prlimit ]] || faltan+=("prlimit (util-linux) para los límites de cada proceso")
if ((EUID == 0)) && ((${#como[@]} == 0)); then
    faltan+=("setpriv y el usuario nobody (como root, el arenero corre como un usuario sin privilegios)")
fi
if ((${#faltan[@]} == 0)); then
    modo=arenero
elif ((EUID == 0)) && command -v setpriv >/dev/null && [[ -x /usr/bin/prlimit ]]; then
    modo=contenedor
fi
if [[ -z "$modo" ]]; then
    {
        echo "${R}No se puede corregir código no fiable en esta máquina.${F}"
        for f in "${faltan[@]}"; do echo "  · falta: $f"; done
        echo "Haz una de estas dos cosas:"
        echo "  · corrige como root (sudo) dentro de un contenedor desechable (Docker, Gradescope):"
        echo "    el corrector usa entonces el modo contenedor (el código del alumno corre como un"
        echo "    usuario sin privilegios y el contenedor separa unas entregas de otras);"
        echo "  · o activa los espacios de nombres de usuario sin privilegios (bubblewrap):"
        echo "    sysctl kernel.unprivileged_userns_clone=1 y user.max_user_namespaces > 0; en"
        echo "    Ubuntu 24.04, además, kernel.apparmor_restrict_unprivileged_userns=0."
    } >&2
    exit 3
fi
if [[ -n "$solo_comprobar" ]]; then
    echo "$modo"
    exit 0
fi

# Modo contenedor: un usuario sin privilegios por entrega a la vez (sockets-alumno,
# sockets-alumno2...), que se crea si no existe. Nada de lo que el corrector crea es suyo salvo
# su carpeta de trabajo privada y su salida de compilación.
usuario_ranura() { if (($1 == 1)); then echo sockets-alumno; else echo "sockets-alumno$1"; fi; }
if [[ $modo == contenedor ]]; then
    for ((k = 1; k <= trabajos; k++)); do
        u=$(usuario_ranura "$k")
        if ! id -u "$u" >/dev/null 2>&1; then
            useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$u" 2>/dev/null ||
                morir "modo contenedor: no pude crear el usuario $u (useradd). Créalo a mano: useradd --system --user-group $u"
        fi
        [[ "$(id -u "$u")" != 0 ]] || morir "el usuario $u no puede ser root"
    done
    echo "Modo: contenedor (root sin espacios de nombres): el código del alumno corre como $(usuario_ranura 1), sin privilegios."
    echo "  (el contenedor es el arenero entre entregas: corrige así solo en uno desechable)"
else
    echo "Modo: arenero (bubblewrap con espacios de nombres): cada entrega en el suyo."
fi

# --- preparación común -----------------------------------------------------------------------

trabajo=$(mktemp -d "${TMPDIR:-/tmp}/corrector.XXXXXX")
chmod 711 "$trabajo"  # en modo contenedor, cada usuario llega a su carpeta pero no lista las demás
nuevo=$(dirname "$salida")/.$(basename "$salida").nuevo.$$
# CORRECTOR_CONSERVAR=1 deja la carpeta de trabajo (para depurar el corrector).
if [[ -n "${CORRECTOR_CONSERVAR:-}" ]]; then trap 'rm -rf "$nuevo"; echo "trabajo: $trabajo" >&2' EXIT
else trap 'rm -rf "$trabajo" "$nuevo"' EXIT; fi
if [[ -z "$solo_partida" ]]; then mkdir -p "$(dirname "$salida")"; rm -rf "$nuevo"; mkdir -p "$nuevo"; fi

# El código de partida ORIGINAL (partida.manifiesto), nunca el lessons/ que haya: en un clon
# del curso o en GitHub Classroom, lessons/ puede ser el trabajo resuelto del alumno.
bash "$AQUI/partida.sh" extraer "$RAIZ" "$trabajo/partida" || exit 1

# Los binarios de confianza, copiados (el arenero no ve la carpeta de compilación).
mkdir -p "$trabajo/bin"
cp "$binarios"/tests/prueba_* "$binarios/tests/corrector/corrector_ejecutor" "$trabajo/bin/"
cp "$AQUI/compilar.sh" "$trabajo/bin/"
mkdir -p "$trabajo/comun"; cp "$trabajo/partida/comun/"*.h "$trabajo/comun/"
# La cabecera común precompilada (con las mismas opciones que compilar.sh): compilar una lección
# que la incluye cuesta la mitad.
bash "$trabajo/bin/compilar.sh" --cabecera "$trabajo/comun"
chmod -R a+rX,go-w "$trabajo/bin" "$trabajo/comun"

# Las lecciones del curso (sockets etapas) y la lista de pruebas, de los ejecutables de confianza:
# «NN<TAB>KK<TAB>carpeta<TAB>ejecutable<TAB>Suite.Prueba». Primero las de la etapa propia de
# cada lección (el avance), luego argumentos y luego las etapas anteriores.
# Una lección que la rúbrica no puntúa (leccion.NN = 0, como 08-10 en rubrica.conf) no se compila
# ni se prueba: no cambiaría la nota y costaría tiempo en cada entrega.
"$binarios/tests/sockets" etapas lecciones |
    while IFS=$'\t' read -r nn carpeta; do
        [[ "$(valor_rubrica "leccion.$nn" 1)" =~ ^0*(\.0*)?$ ]] || printf '%s\t%s\n' "$nn" "$carpeta"
    done >"$trabajo/lecciones.tsv"
[[ -s "$trabajo/lecciones.tsv" ]] || morir "la rúbrica $rubrica no puntúa ninguna lección"
: >"$trabajo/suites.tsv"
for e in "$trabajo"/bin/prueba_*; do
    b=$(basename "$e") kk=00
    [[ "$b" =~ ^prueba_[a-z]+([0-9][0-9]) ]] && kk=${BASH_REMATCH[1]}  # etapaKK_*, aguanteKK
    "$e" --gtest_list_tests 2>/dev/null | awk -v kk="$kk" -v b="$b" '
        /^[^ ]/ { suite = $1; next } /^  [^ ]/ { print kk "\t" b "\t" suite $1 }' >>"$trabajo/suites.tsv"
done
[[ -s "$trabajo/suites.tsv" ]] || morir "los ejecutables de pruebas no listan ninguna prueba"
# Todo lo que cuenta en la nota (rúbrica, docs/dev/corrector.md «La nota»): la etapa de la lección
# (el avance), los argumentos y las etapas anteriores (lo que ya funcionaba: si se rompe, cuesta),
# sin las que retira una etapa posterior (filas «retira» de etapas.tsv: desde la lección NN).
"$binarios/tests/sockets" etapas retiradas >"$trabajo/retiradas.tsv"
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
    cut -f2- >"$trabajo/lista-completa.tsv"

# --- una entrega -----------------------------------------------------------------------------

# Ranuras del modo contenedor: cada entrega en curso tiene su usuario (mkdir es atómico).
tomar_ranura() {
    local k
    while true; do
        for ((k = 1; k <= trabajos; k++)); do
            if mkdir "$trabajo/ranura.$k" 2>/dev/null; then echo "$k"; return; fi
        done
        sleep 0.1
    done
}

# barrer_usuario U [limpiar]: mata todo lo del usuario U y, con «limpiar», borra lo que dejó
# en /tmp, /var/tmp y /dev/shm (salvo en la carpeta de trabajo, que se borra entera al final).
barrer_usuario() {
    local u=$1
    "$binarios/tests/corrector/corrector_ejecutor" --barrer-usuario "$(id -u "$u"):$(id -g "$u")"
    [[ -z "${2:-}" ]] || find /tmp /var/tmp /dev/shm -xdev -mindepth 1 -path "$trabajo" -prune \
        -o -user "$u" -print0 2>/dev/null | xargs -0 -r rm -rf -- 2>/dev/null || true
}

# probar_entrega W ORIGEN LISTA [RANURA]: copia, compila y prueba ORIGEN en la carpeta de
# trabajo W (deja W/veredictos, W/salida/compilacion y las notas para los resultados en el
# array «notas»). En modo contenedor, RANURA dice con qué usuario.
# Los tres pasos de probar_entrega, con sus variables (w, origen, lista, ranura, pares, u: bash
# deja ver las locales de quien llama).
copiar_entrega() {
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
    if [[ $modo == contenedor ]]; then
        # W: de root, solo su usuario (por su grupo) puede entrar. Su salida de compilación y su
        # casa son suyas; los veredictos y los resultados, de root (0700).
        u=$(usuario_ranura "$ranura")
        chown "root:$(id -g "$u")" "$w"; chmod 750 "$w"
        chown -R "$u:$(id -g "$u")" "$w/salida" "$w/casa"; chmod 700 "$w/casa"
    elif ((${#como[@]} > 0)); then
        chown -R nobody:nogroup "$w/salida" "$w/veredictos"
    fi
}

compilar_entrega() {
    # 2. Compilar, aislado: solo su copia, la cabecera común y /usr (arenero) o como su usuario.
    if ((${#pares[@]} > 0)); then
        local paralelo=1
        ((trabajos > 1)) || paralelo=2
        if [[ $modo == arenero ]]; then
            timeout -s KILL 300 "${como[@]}" "${arenero_base[@]}" \
                --ro-bind "$w/fuente" /entrega --ro-bind "$trabajo/comun" /comun \
                --ro-bind "$trabajo/bin/compilar.sh" /compilar.sh --bind "$w/salida" /salida \
                --remount-ro / \
                -- /usr/bin/prlimit --as=$((2048 << 20)) --nproc=64 --cpu=120 --fsize=$((64 << 20)) --core=0 -- \
                /usr/bin/bash /compilar.sh /entrega /comun /salida "$paralelo" "${pares[@]}" \
                >"$w/compilar.txt" 2>&1 || notas+=("La compilación no terminó bien (¿superó su tiempo?).")
        else
            (cd "$w/casa" && timeout -s KILL 300 setpriv --reuid="$u" --regid="$u" --clear-groups -- \
                /usr/bin/prlimit --as=$((2048 << 20)) --nproc=64 --cpu=120 --fsize=$((64 << 20)) --core=0 -- \
                env -i PATH=/usr/bin:/bin HOME="$w/casa" TMPDIR="$w/casa" LANG=C.UTF-8 \
                /usr/bin/bash "$trabajo/bin/compilar.sh" "$w/fuente" "$trabajo/comun" "$w/salida" "$paralelo" "${pares[@]}") \
                >"$w/compilar.txt" 2>&1 || notas+=("La compilación no terminó bien (¿superó su tiempo?).")
            barrer_usuario "$u"
            # Lo compilado pasa a ser de root: el alumno lo ejecuta pero ya no lo cambia.
            chown -R root:root "$w/salida"; chmod -R a+rX,go-w "$w/salida"
        fi
    fi
    for p in "${pares[@]}"; do
        nn=${p%%=*}
        [[ -f "$w/salida/compilacion/$nn.estado" ]] || echo falta >"$w/salida/compilacion/$nn.estado"
    done
    if ((${#pares[@]} == 0)); then
        while IFS=$'\t' read -r nn carpeta; do echo falta >"$w/salida/compilacion/$nn.estado"; done <"$trabajo/lecciones.tsv"
    fi
}

ejecutar_entrega() {
    # 3. Las pruebas de las lecciones que compilan, con el ejecutor.
    awk -F'\t' -v dir="$w/salida/compilacion" '{ f = dir "/" $1 ".estado"; e = ""
        if ((getline e < f) > 0 && e == "ok") print; close(f) }' "$lista" >"$w/lista.tsv"
    if [[ -s "$w/lista.tsv" ]]; then
        # (CORRECTOR_ATASCOS=no: el arnés espera siempre el plazo entero; para comparar notas)
        local comunes=(--arbol entrega --limite-prueba "$limite_prueba" --limite-total "$limite_entrega"
                       --a-la-vez "$a_la_vez" --memoria "$memoria" --atascos "${CORRECTOR_ATASCOS:-si}")
        local rc=0
        if [[ $modo == arenero ]]; then
            # El ejecutor es el PID 1 del arenero (--as-pid-1): los programas del alumno no
            # pueden ni pararlo ni matarlo.
            timeout -s KILL $((limite_entrega + 60)) "${como[@]}" "${arenero_base[@]}" --as-pid-1 \
                --dir /corrector --ro-bind "$trabajo/bin" /corrector/bin \
                --ro-bind "$w/lista.tsv" /corrector/lista.tsv \
                --bind "$w/veredictos" /corrector/veredictos \
                --ro-bind "$w/salida/programas" /entrega/programas \
                --remount-ro / \
                -- "${limites[@]}" /corrector/bin/corrector_ejecutor --lista /corrector/lista.tsv \
                --pruebas /corrector/bin --programas /entrega/programas \
                --veredictos /corrector/veredictos "${comunes[@]}" --ocultar /corrector \
                >"$w/ejecutar.txt" 2>&1 || rc=$?
        else
            timeout -s KILL $((limite_entrega + 60)) "$trabajo/bin/corrector_ejecutor" --lista "$w/lista.tsv" \
                --pruebas "$trabajo/bin" --programas "$w/salida/programas" --veredictos "$w/veredictos" \
                --usuario "$(id -u "$u"):$(id -g "$u")" --casa "$w/casa" "${comunes[@]}" \
                >"$w/ejecutar.txt" 2>&1 || rc=$?
        fi
        ((rc == 0)) || notas+=("La ejecución de las pruebas terminó con código $rc.")
    fi
    # Antes de escribir resultados: nada del alumno vivo (el espacio de PID del arenero ya murió
    # con bwrap; en modo contenedor, se mata todo lo de su usuario y se borra lo que dejó).
    if [[ $modo == contenedor ]]; then
        barrer_usuario "$u" limpiar
        rm -rf "$w/casa"
    fi
}

probar_entrega() {
    local w=$1 origen=$2 lista=$3 ranura=${4:-1}
    local pares=() nn carpeta u=''
    mkdir -p "$w/fuente" "$w/salida/programas" "$w/salida/compilacion" "$w/veredictos" "$w/res" "$w/casa"
    chmod 700 "$w/veredictos" "$w/res"

    copiar_entrega
    compilar_entrega
    ejecutar_entrega
}

# corregir_una I: todo lo de la entrega I en $trabajo/eI; deja $nuevo/<nombre>/.
corregir_una() {
    local i=$1 nombre=${nombres[$1]}
    local w=$trabajo/e$i inicio=$SECONDS ranura=1
    local notas=()
    [[ $modo != contenedor ]] || ranura=$(tomar_ranura)
    probar_entrega "$w" "${entregas[$1]}" "$trabajo/lista.tsv" "$ranura"
    [[ $modo != contenedor ]] || rmdir "$trabajo/ranura.$ranura"

    # 4. Los resultados, con todos sus procesos ya muertos: los escribe un programa de confianza
    # en una carpeta que el alumno nunca pudo tocar.
    local d=$nuevo/$nombre
    mkdir -p "$d"
    local args=(--rubrica "$rubrica" --lista "$trabajo/lista.tsv" --lecciones "$trabajo/lecciones.tsv"
                --veredictos "$w/veredictos" --compilacion "$w/salida/compilacion" --arbol entrega
                --entrega "$nombre" --salida "$w/res" --segundos $((SECONDS - inicio)))
    for n in "${notas[@]}"; do args+=(--nota "$n"); done
    [[ -z "$partida" ]] || args+=(--partida "$partida")
    if "$binarios/tests/sockets" corregir "${args[@]}" >"$w/resultados.txt" 2>&1 &&
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

# --- la línea de base: el código de partida --------------------------------------------------

# El código de partida original, probado una vez: las pruebas de su etapa que ya supera no suman
# puntos (rúbrica: descontar_partida), pero se ejecutan en cada entrega: si fallan, cuestan. Se
# guarda en caché junto a los binarios (setup.sh de Gradescope la llena), con una clave que cambia si cambian
# el manifiesto, las pruebas, la lista o el ejecutor. Es código nuestro: se prueba entero, sin el
# límite por entrega de la rúbrica (con él, en una máquina cargada, el corte caería en un punto
# distinto cada vez y lo que descuenta dependería de la carga). Los argumentos no se descuentan
# nunca: no se prueban aquí.
partida=''
cp "$trabajo/lista-completa.tsv" "$trabajo/lista.tsv"
if [[ "$(valor_rubrica descontar_partida si)" != no ]]; then
    awk -F'\t' '$2 != "00"' "$trabajo/lista-completa.tsv" >"$trabajo/lista-partida.tsv"
    clave=$( (echo "partida-3"; cat "$AQUI/partida.manifiesto" "$trabajo"/bin/prueba_* \
              "$trabajo/lista-partida.tsv" "$trabajo/bin/corrector_ejecutor" "$trabajo/bin/compilar.sh") 2>/dev/null |
            sha256sum | cut -c1-16)
    cache=${CORRECTOR_CACHE:-$binarios/corrector-partida}/$clave
    if [[ ! -f "$cache/listo" ]]; then
        echo "Probando el código de partida original, una vez (se guarda en caché)..."
        notas=()
        limite_prueba=$((limite_prueba > 20 ? limite_prueba : 20)) limite_entrega=3600 \
            probar_entrega "$trabajo/partida-prueba" "$trabajo/partida" "$trabajo/lista-partida.tsv"
        rm -rf "$cache"; mkdir -p "$cache"
        cp -r "$trabajo/partida-prueba/veredictos" "$cache/"
        touch "$cache/listo"
    fi
    partida=$cache/veredictos
fi
if [[ -n "$solo_partida" ]]; then
    echo "Código de partida en caché: ${partida:-(la rúbrica no lo descuenta)}"
    exit 0
fi

echo "Corrigiendo ${#entregas[@]} entrega(s), $trabajos a la vez ($(wc -l <"$trabajo/lista.tsv") pruebas que cuentan, $a_la_vez a la vez)."
for i in "${!entregas[@]}"; do
    while (($(jobs -rp | wc -l) >= trabajos)); do wait -n || true; done
    corregir_una "$i" &
done
wait

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
if ((EUID == 0)) && [[ -n "${SUDO_UID:-}" ]]; then chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$salida"; fi
echo "Resultados en $salida (resumen.csv y <entrega>/results.json, junit.xml)."
