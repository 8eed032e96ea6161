#!/usr/bin/env bash
# Prueba de Gradescope tal como es (CTest corrector/gradescope, etiquetas «corrector» y
# «completo»; solo root): el zip del autograder, descomprimido como lo hace Gradescope en
# /autograder/source, con setup.sh y run_autograder ejecutados como root dentro de una caja como
# un contenedor de Docker (caja.cpp: sin espacios de nombres, capacidades de Docker, seccomp).
#   · la caja niega de verdad los espacios de nombres (unshare, bwrap) y el corrector lo ve
#     (modo contenedor), sin «avisa al profesor»;
#   · setup.sh no llama a apt si no falta nada, compila (con CMake 3.22 si está en /opt/cmake-3.22),
#     crea el usuario del alumno y llena la caché del código de partida;
#   · run_autograder: soluciones (en una carpeta) → 100; el código de partida → 0; una
#     falsificadora del resultado, un demonio que sobrevive y reescribe, y una lectora de lo
#     ajeno (soluciones de la lección 02 a la 07 y la hostil en la 01) → lo que gana su código
#     (85.71), sin escribir ni leer nada de confianza, sin procesos del alumno vivos al acabar,
#     y sin tocar los binarios de confianza.
# Uso: prueba_gradescope.sh BUILD   (con tests/corrector/corrector_caja compilado)
set -uo pipefail
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ=$(cd "$AQUI/../.." && pwd)
B=$(cd "${1:?uso: prueba_gradescope.sh BUILD}" && pwd)
CAJA=$B/tests/corrector/corrector_caja
((EUID == 0)) || { echo "↷ omitida: la caja como un contenedor necesita root"; exit 77; }
[[ -x "$CAJA" ]] || { echo "✗ falta $CAJA (objetivo corrector_caja)"; exit 1; }
command -v unzip >/dev/null || { echo "↷ omitida: falta unzip"; exit 77; }
source "$AQUI/prueba_comun.sh"
temporal gradescope
A=$T/autograder
mkdir -p "$A"
cp -a /etc "$T/etc"   # el /etc de la «imagen»: setup.sh crea ahí su usuario y sigue en cada caja
caja() { "$CAJA" --autograder "$A" --etc "$T/etc" "$@"; }
if ! caja -- true 2>"$T/caja.txt"; then
    echo "↷ omitida: esta máquina no puede armar la caja ($(head -n1 "$T/caja.txt"))"
    exit 77
fi

# 1. La caja es de verdad como Docker: sin espacios de nombres ni capacidades de administrador.
caja -- bash -c 'unshare --user --map-root-user true' 2>/dev/null && mal "dentro de la caja, unshare --user funciona" ||
    bien "la caja niega unshare --user"
caja -- bash -c 'unshare --mount true' 2>/dev/null && mal "dentro de la caja, unshare --mount funciona" ||
    bien "la caja niega unshare --mount"
caja -- bwrap --unshare-all --ro-bind / / true 2>/dev/null && mal "dentro de la caja, bwrap funciona" ||
    bien "la caja niega bwrap"
cap=$(caja -- awk '/^CapBnd:/ { print $2 }' /proc/self/status)
[[ "$cap" == 00000000a80425fb ]] && bien "capacidades de Docker por defecto (CapBnd $cap: sin SYS_ADMIN ni SYS_PTRACE)" ||
    mal "CapBnd dentro de la caja: $cap (Docker: 00000000a80425fb)"

# 2. El zip, como lo descomprime Gradescope: su raíz es /autograder/source.
bash "$AQUI/gradescope/zip.sh" "$A/autograder.zip" >/dev/null || mal "zip.sh falló"
zip_bien "$A/autograder.zip" setup.sh run_autograder CMakeLists.txt etapas.tsv tests/corrector/corregir.sh \
    tests/corrector/partida.manifiesto lessons/01_socket/servidor.cpp &&
    bien "el zip: setup.sh, run_autograder y el proyecto en la raíz; sin soluciones" || fallos=$((fallos + 1))
cmake_env=()
if [[ -x /opt/cmake-3.22/bin/cmake ]]; then cmake_env=(--env CMAKE=/opt/cmake-3.22/bin/cmake); fi
caja "${cmake_env[@]}" -- bash -c 'mkdir -p /autograder/source && cd /autograder/source &&
    unzip -q /autograder/autograder.zip && cp run_autograder /autograder/run_autograder &&
    echo "SECRETO-PROFESOR-91c2" >SECRETO.txt && bash ./setup.sh' >"$T/setup.txt" 2>&1
rc=$?
((rc == 0)) && bien "setup.sh terminó bien dentro de la caja" || { mal "setup.sh terminó con $rc:"; tail -n 15 "$T/setup.txt"; }
grep -q "No falta nada" "$T/setup.txt" && bien "setup.sh no llamó a apt (no faltaba nada)" || mal "setup.sh quiso instalar algo: $(grep Instalando "$T/setup.txt")"
grep -q "Código de partida en caché" "$T/setup.txt" && bien "setup.sh llenó la caché del código de partida" || mal "setup.sh no llenó la caché del código de partida"
grep -m1 "cmake version" "$T/setup.txt" | sed 's/^/  /'
grep -q '^sockets-alumno:' "$T/etc/passwd" && bien "setup.sh creó el usuario sockets-alumno" || mal "setup.sh no creó el usuario sockets-alumno"
suma_confianza() { find "$A/source/build/corregir/tests" -maxdepth 2 -type f -perm -u+x -exec sha256sum {} + | sort; }
suma_confianza >"$T/confianza.antes"

# 3. run_autograder, una caja por entrega (como Gradescope), con la imagen que dejó setup.sh.
entrega() {  # entrega NOMBRE HOSTIL|-: en $T/entregas/NOMBRE, soluciones con la lección 01 hostil
    local d=$T/entregas/$1
    mkdir -p "$d"; cp -r "$RAIZ"/solutions/[0-9][0-9]_* "$d/"
    rm -rf "$d/01_socket"; cp -r "$AQUI/hostiles/$2/01_socket" "$d/01_socket"
}
mkdir -p "$T/entregas/soluciones"
cp -r "$RAIZ/solutions" "$T/entregas/soluciones/dentro"   # el alumno subió una carpeta con todo
cp -r "$RAIZ/lessons" "$T/entregas/partida"; rm -rf "$T/entregas/partida/.copias"
# sin_lo_de_confianza RESULTS.json ENTREGA: lo que no debe aparecer en sus resultados: lo del
# profesor, un trazado de un proceso de confianza, una carpeta de confianza listada por dentro y
# una escritura en algo de confianza (en su casa o en /tmp puede escribir); ni un resumen falso.
sin_lo_de_confianza() {
    local malos=() m
    for m in "SECRETO-PROFESOR" "TRAZADO" "VISTO /autograder/source/" "VISTO /autograder/results/" \
        "LEIDO /autograder/results"; do
        ! grep -qF -- "$m" "$1" || malos+=("$m")
    done
    while IFS= read -r m; do [[ -z $m ]] || malos+=("$m"); done < <(grep -oE \
        '(ESCRITO|REEMPLAZADO) [^[:space:]]*(autograder|veredictos|/bin/|corrector_|lista\.tsv|rubrica)[^[:space:]]*' "$1")
    [[ $(nota "$1" --campo=output 2>/dev/null) != HACKED* ]] || malos+=("el resumen es falso")
    ((${#malos[@]} == 0)) || mal "$2: results.json contiene $(printf '«%s» ' "${malos[@]}")"
}
for h in falsificador demonio lector; do entrega "$h" "$h"; done
for caso in soluciones:100 partida:0 falsificador:85.71 demonio:85.71 lector:85.71; do
    e=${caso%%:*} esperado=${caso##*:}
    rm -rf "$A/submission" "$A/results" "$A/tras"; mkdir -p "$A/submission"
    cp -r "$T/entregas/$e/." "$A/submission/"
    inicio=$SECONDS
    # Tras run_autograder, en la misma caja: ¿queda algo del alumno vivo? ¿cambia results.json
    # después? (un demonio que sobreviviera lo reescribiría)
    caja -- bash -c '/autograder/run_autograder >/autograder/salida.txt 2>&1
        a=$(sha256sum </autograder/results/results.json); sleep 3
        b=$(sha256sum </autograder/results/results.json)
        mkdir -p /autograder/tras; ps -u sockets-alumno -o pid=,args= >/autograder/tras/vivos.txt
        [ "$a" = "$b" ] && echo igual >/autograder/tras/results.txt || echo cambió >/autograder/tras/results.txt'
    s=$((SECONDS - inicio))
    p=$(nota "$A/results/results.json" 2>&1)
    if iguales "$p" "$esperado"; then
        bien "Gradescope: $e → $p ($s s)"
    else
        mal "Gradescope: $e → «$p» (esperado $esperado); salida:"; tail -n 8 "$A/salida.txt"
    fi
    grep -q "Modo: contenedor" "$A/salida.txt" || mal "$e: run_autograder no dijo «Modo: contenedor»"
    ! grep -qs "avisa al profesor" "$A/salida.txt" "$A/results/results.json" || mal "$e: dice «avisa al profesor»"
    [[ ! -s "$A/tras/vivos.txt" ]] || mal "$e: quedan procesos del alumno tras run_autograder: $(head -c 300 "$A/tras/vivos.txt")"
    [[ "$(cat "$A/tras/results.txt" 2>/dev/null)" == igual ]] || mal "$e: results.json cambió después de run_autograder"
    sin_lo_de_confianza "$A/results/results.json" "$e"
done
suma_confianza >"$T/confianza.despues"
cmp -s "$T/confianza.antes" "$T/confianza.despues" && bien "los ejecutables de confianza no cambiaron" ||
    mal "los ejecutables de confianza cambiaron: $(diff "$T/confianza.antes" "$T/confianza.despues" | head -n 4)"

terminar gradescope
