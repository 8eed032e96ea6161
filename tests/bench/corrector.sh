#!/usr/bin/env bash
# Cifras de velocidad del corrector (docs/dev/corrector.md, «Cifras»), con el arnés ya compilado.
# Imprime, sin comprobar nada (las cifras dependen de la máquina y de su carga):
#   1. una entrega sola (-j 1): correcta (las soluciones), rota (una entrega rota conocida de
#      tests/rotos/ aplicada a las soluciones) y dos que se cuelgan en todo: una bloqueada
#      (servidor y cliente en pause()) y una que gira en vacío (tests/corrector/hostiles/cuelgue
#      en cada lección);
#   2. una clase realista con -j 2 (por defecto 20 entregas: 70 % correctas, 20 % rotas, 10 % que
#      se cuelgan) y, con ella, lo que tardaría una clase de 300 en esta máquina.
# Objetivo (issue 15): ≤ 12 s por entrega con -j 2 y una clase de 300 en ≤ 30 min en 2 núcleos.
# Uso: tests/bench/corrector.sh [BUILD] [N]   (BUILD: por defecto build/corregir; N: tamaño de la clase)
set -euo pipefail
RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${1:-$RAIZ/build/corregir}
N=${2:-20}
[[ -x "$B/tests/sockets" ]] ||
    { echo "compila antes el arnés: cmake --preset corregir && cmake --build --preset corregir --target sockets_corrector" >&2; exit 1; }
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "N tiene que ser un número de entregas" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
corrige() { bash "$RAIZ/tests/corrector/corregir.sh" --binarios "$B" --salida "$T/res" "$@" >"$T/log" 2>&1; }
lecciones=("$RAIZ"/solutions/[0-9][0-9]_*)

# Las entregas de muestra.
rota() {  # rota DEST PARCHE: las soluciones con una entrega rota conocida
    local leccion
    cp -r "$RAIZ/solutions" "$1"
    leccion=$(sed -n 's/^# leccion: *//p' "$2")
    patch -s -p1 -N --no-backup-if-mismatch -r - -d "$1/$leccion" <"$2" >/dev/null
}
colgada() {  # colgada DEST bloqueada|gira
    local c
    for c in "${lecciones[@]}"; do
        mkdir -p "$1/$(basename "$c")"
        if [[ $2 == bloqueada ]]; then
            printf '#include <unistd.h>\nint main() { for (;;) pause(); }\n' >"$1/$(basename "$c")/servidor.cpp"
            cp "$1/$(basename "$c")/servidor.cpp" "$1/$(basename "$c")/cliente.cpp"
        else
            cp "$RAIZ/tests/corrector/hostiles/cuelgue/01_socket/"*.cpp "$1/$(basename "$c")/"
        fi
    done
}
parches=("$RAIZ"/tests/rotos/*.patch)
command -v patch >/dev/null || { echo "falta patch (apt-get install patch)" >&2; exit 1; }

echo "Calentando la caché del código de partida..."
corrige "$RAIZ/solutions"
modo=$(sed -n 's/^Modo: \([a-z]*\).*/\1/p' "$T/log" | head -n1)

segundos() { sed -n 's/.*(\([0-9]*\) s)$/\1/p' "$T/log" | head -n1; }
mkdir -p "$T/una"
cp -r "$RAIZ/solutions" "$T/una/correcta"
rota "$T/una/rota" "${parches[0]}"
colgada "$T/una/bloqueada" bloqueada
colgada "$T/una/gira" gira
declare -A sola=()
for e in correcta rota bloqueada gira; do
    corrige "$T/una/$e"
    sola[$e]=$(segundos)
done

# La clase realista: 70 % correctas, 20 % rotas (parches distintos), 10 % colgadas (mitad y mitad).
mkdir -p "$T/clase"
rotas=$(((N * 2 + 5) / 10)) colgadas=$(((N + 5) / 10))
correctas=$((N - rotas - colgadas))
((correctas >= 0)) || { echo "N demasiado pequeño" >&2; exit 2; }
for ((i = 0; i < correctas; i++)); do cp -r "$RAIZ/solutions" "$T/clase/correcta$i"; done
for ((i = 0; i < rotas; i++)); do rota "$T/clase/rota$i" "${parches[$((i * 7 % ${#parches[@]}))]}"; done
for ((i = 0; i < colgadas; i++)); do colgada "$T/clase/colgada$i" "$( ((i % 2 == 0)) && echo bloqueada || echo gira)"; done
inicio=$SECONDS
carga_antes=$(cut -d' ' -f1 /proc/loadavg)
# (el tiempo de CPU de todo lo que corre la clase: compilación, pruebas y programas)
{ TIMEFORMAT='%U %S'; time corrige -j 2 "$T/clase"; } 2>"$T/cpu"
total=$((SECONDS - inicio))
cpu=$(awk '{ printf "%.0f", $1 + $2 }' "$T/cpu")
por_tipo() {  # por_tipo PREFIJO: «media / máxima» de los segundos de esas entregas
    grep -E "^\[[0-9]+/[0-9]+\] $1[0-9]+:" "$T/log" | sed -n 's/.*(\([0-9]*\) s)$/\1/p' |
        awk '{ s += $1; if ($1 > m) m = $1; n++ } END { if (n) printf "%5.1f / %3d s (%d)", s / n, m, n; else printf "      —" }'
}
clase300=$(awk -v t="$total" -v n="$N" 'BEGIN { printf "%.1f", t * 300 / n / 60 }')
efectivo=$(awk -v t="$total" -v n="$N" 'BEGIN { printf "%.1f", t / n }')
cpu_entrega=$(awk -v c="$cpu" -v n="$N" 'BEGIN { printf "%.1f", c / n }')
cpu300=$(awk -v c="$cpu" -v n="$N" 'BEGIN { printf "%.1f", c * 300 / n / 2 / 60 }')

printf '\nCorrector, modo %s, %s núcleos; carga al empezar la clase: %s\n' "$modo" "$(nproc)" "$carga_antes"
printf 'Una entrega sola (-j 1), compilación incluida:\n'
printf '  correcta (soluciones):                     %4s s\n' "${sola[correcta]}"
printf '  rota (%s): %4s s\n' "$(basename "${parches[0]}" .patch | cut -c1-30)" "${sola[rota]}"
printf '  se cuelga en todo, bloqueada (pause()):    %4s s   (objetivo ≤ 60 s)\n' "${sola[bloqueada]}"
printf '  se cuelga en todo, gira en vacío (cuelgue): %3s s   (objetivo ≤ 60 s)\n' "${sola[gira]}"
printf 'Una clase de %d con -j 2 (%d correctas, %d rotas, %d colgadas): %d s\n' "$N" "$correctas" "$rotas" "$colgadas" "$total"
printf '  por entrega (media / máxima): correctas %s · rotas %s · colgadas %s   (objetivo ≤ 12 s)\n' \
    "$(por_tipo correcta)" "$(por_tipo rota)" "$(por_tipo colgada)"
printf '  %s s de reloj por entrega → una clase de 300 en esta máquina, con esta carga: %s min   (objetivo ≤ 30 min)\n' "$efectivo" "$clase300"
printf '  %s s de CPU por entrega → una clase de 300 en 2 núcleos libres (cota por CPU): %s min\n' "$cpu_entrega" "$cpu300"
printf 'Carga al acabar: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
