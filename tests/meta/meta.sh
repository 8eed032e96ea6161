#!/usr/bin/env bash
# El meta-test: comprueba que las pruebas distinguen lo bueno de lo malo.
#
#   meta.sh preparar BUILD       copia cada solución rota (tests/rotos/*.patch aplicado a
#                                solutions/<lección>) en BUILD/rotos/<parche>/<lección>/ e imprime
#                                la lista «roto-<parche>=BUILD/rotos/<parche>;...» para
#                                SOCKETS_ARBOLES (antes de configurar). Un parche que no se aplica
#                                se anota (BUILD/rotos/<parche>.no_aplica) y cuenta como fallo.
#   meta.sh comprobar BUILD      lee los resultados de la última ejecución de ctest en BUILD
#                                (BUILD/meta/LastTest*.log; si no existen, ejecuta ctest) y comprueba:
#     (a) las soluciones pasan todas sus pruebas;
#     (b) cada lección N sin tocar falla alguna prueba de su etapa N (con «Etapa 0N» en el informe)
#         y ninguna de otra etapa;
#     (c) cada entrega rota falla las pruebas que nombra su parche (# falla: Suite.Prueba);
#     (d) la deriva entre lecciones y soluciones (tests/meta/deriva.sh, si existe).
#   Escribe «correctas fallidas» en BUILD/meta/recuento. Sale con 1 si algo no cuadra.
set -euo pipefail

RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AQUI="$RAIZ/tests/meta"

if [[ -t 1 ]]; then V=$'\e[32m' R=$'\e[31m' A=$'\e[33m' N=$'\e[1m' F=$'\e[0m'; else V='' R='' A='' N='' F=''; fi

# Lee la cabecera de un parche: variables leccion, error y el array fallas.
leer_cabecera() {
    leccion='' error='' fallas=()
    local linea
    while IFS= read -r linea; do
        case "$linea" in
            '# leccion:'*) leccion=$(echo "${linea#*:}" | xargs) ;;
            '# falla:'*) fallas+=("$(echo "${linea#*:}" | xargs)") ;;
            '# error:'*) error=$(echo "${linea#*:}" | sed 's/^ *//') ;;
            '#'*) ;;
            *) break ;;
        esac
    done <"$1"
}

aplicar() {  # aplicar PARCHE CARPETA
    if command -v patch >/dev/null; then
        patch -s -p1 -N --no-backup-if-mismatch -r - -d "$2" <"$1"
    else
        (cd "$2" && git apply -p1 "$1")
    fi
}

preparar() {
    local destino=$1/rotos lista='' parche nombre tmp f
    mkdir -p "$destino"
    rm -f "$destino"/*.no_aplica
    shopt -s nullglob
    local -A vigentes=()
    for parche in "$RAIZ"/tests/rotos/*.patch; do
        nombre=$(basename "$parche" .patch)
        vigentes[$nombre]=1
        leer_cabecera "$parche"
        if [[ -z "$leccion" || ! -d "$RAIZ/solutions/$leccion" ]]; then
            echo "meta: $parche: la cabecera «# leccion:» no nombra una carpeta de solutions/" >&2
            return 1
        fi
        tmp=$(mktemp -d)
        cp -r "$RAIZ/solutions/$leccion" "$tmp/"
        if ! aplicar "$parche" "$tmp/$leccion" >"$destino/$nombre.no_aplica" 2>&1; then
            echo "meta: el parche $(basename "$parche") no se aplica a solutions/$leccion" >&2
            rm -rf "$tmp" "${destino:?}/$nombre"; continue
        fi
        rm -f "$destino/$nombre.no_aplica"
        # Copiar solo lo que cambió: así no se recompila nada si nada cambió.
        mkdir -p "$destino/$nombre/$leccion"
        find "$destino/$nombre" -mindepth 1 -maxdepth 1 ! -name "$leccion" -exec rm -rf {} +
        for f in "$tmp/$leccion"/*; do
            cmp -s "$f" "$destino/$nombre/$leccion/${f##*/}" || cp "$f" "$destino/$nombre/$leccion/"
        done
        for f in "$destino/$nombre/$leccion"/*; do
            [[ -e "$tmp/$leccion/${f##*/}" ]] || rm -f "$f"
        done
        rm -rf "$tmp"
        lista+="${lista:+;}roto-$nombre=$destino/$nombre"
    done
    for f in "$destino"/*; do  # parches que ya no existen
        [[ -n "${vigentes[${f##*/}]:-}" || $f == *.no_aplica ]] || rm -rf "$f"
    done
    echo "$lista"
}

# --- comprobar -------------------------------------------------------------------------------

correctas=0
fallidas=0
bien() { echo "  ${V}✓${F} $*"; correctas=$((correctas + 1)); }
mal() { echo "  ${R}✗${F} $*"; fallidas=$((fallidas + 1)); }
aviso() { echo "  ${A}⚠${F} $*"; }

informe() {  # informe NOMBRE: el informe en español de una prueba, sangrado
    awk -v modo=informe -v nombre="$1" -f "$AQUI/informes.awk" "$LOG" | sed 's/^/        /' | head -n 25
}

comprobar() {
    local build=$1 meta="$1/meta"
    LOG="$meta/LastTest.log"
    if [[ ! -f "$LOG" ]]; then
        echo "meta: no hay resultados en $meta; ejecuto ctest..."
        mkdir -p "$meta"
        rm -f "$build/Testing/Temporary/LastTestsFailed.log"
        ctest --test-dir "$build" -j4 -L '^(soluciones|lecciones|roto-.*)$' >"$meta/ctest.txt" 2>&1 || true
        cp "$build/Testing/Temporary/LastTest.log" "$meta/"
        if [[ -f "$build/Testing/Temporary/LastTestsFailed.log" ]]; then
            cp "$build/Testing/Temporary/LastTestsFailed.log" "$meta/"
        fi
    fi

    local -A ejecutada=() fallo=()
    local t
    while IFS= read -r t; do ejecutada[$t]=1; done < <(sed -n 's/^[0-9]*\/[0-9]* Test: //p' "$LOG")
    if [[ -f "$meta/LastTestsFailed.log" ]]; then
        while IFS= read -r t; do fallo[${t#*:}]=1; done <"$meta/LastTestsFailed.log"
    fi
    local -a nombres=()
    mapfile -t nombres < <(printf '%s\n' "${!ejecutada[@]}" | sort)

    # (a) soluciones
    echo "${N}(a) Las soluciones pasan todas sus pruebas${F}"
    local total=0 malas=()
    for t in "${nombres[@]}"; do
        [[ $t == soluciones/* ]] || continue
        total=$((total + 1))
        [[ -z "${fallo[$t]:-}" ]] || malas+=("$t")
    done
    if ((total == 0)); then
        mal "no se ejecutó ninguna prueba de soluciones/"
    elif ((${#malas[@]} == 0)); then
        bien "soluciones: $total pruebas, todas superadas"
    else
        mal "soluciones: fallan ${#malas[@]} de $total pruebas"
        for t in "${malas[@]:0:5}"; do echo "      $t"; informe "$t"; done
    fi

    # (b) lecciones sin tocar
    echo "${N}(b) Cada lección sin resolver falla solo su propia etapa${F}"
    local carpeta nn propias ajenas informada
    for carpeta in "$RAIZ"/lessons/[0-9][0-9]_*; do
        [[ -d "$carpeta" ]] || continue
        nn=$(basename "$carpeta" | cut -c1-2)
        total=0 propias=() ajenas=() informada=''
        for t in "${nombres[@]}"; do
            [[ $t == lecciones/L$nn/* ]] || continue
            total=$((total + 1))
            [[ -n "${fallo[$t]:-}" ]] || continue
            if [[ $t == lecciones/L$nn/E$nn/* ]]; then
                propias+=("$t")
                if [[ -z "$informada" ]] && informe "$t" | grep -q "Etapa $nn"; then informada=$t; fi
            else
                ajenas+=("$t")
            fi
        done
        if ((total == 0)); then
            mal "lección $nn: no se ejecutó ninguna prueba de lecciones/L$nn/"
        elif ((${#propias[@]} == 0)); then
            mal "lección $nn: ninguna prueba de la etapa $nn falla con la lección sin resolver"
        elif [[ -z "$informada" ]]; then
            mal "lección $nn: fallan ${#propias[@]} pruebas de la etapa $nn, pero ningún informe dice «Etapa $nn»"
            informe "${propias[0]}"
        elif ((${#ajenas[@]} > 0)); then
            mal "lección $nn: además de su etapa fallan ${#ajenas[@]} pruebas de otras etapas"
            for t in "${ajenas[@]:0:5}"; do echo "      $t"; done
            informe "${ajenas[0]}"
        else
            bien "lección $nn: fallan ${#propias[@]} de $total pruebas, todas de la etapa $nn"
        fi
    done

    # (c) entregas rotas
    echo "${N}(c) Cada entrega rota falla la prueba que debe${F}"
    shopt -s nullglob
    local parches=("$RAIZ"/tests/rotos/*.patch) parche nombre arbol s encontrada otras mismas
    if ((${#parches[@]} == 0)); then
        echo "  (no hay parches en tests/rotos/: nada que comprobar)"
    fi
    for parche in "${parches[@]}"; do
        nombre=$(basename "$parche" .patch)
        arbol="roto-$nombre"
        leer_cabecera "$parche"
        nn=${leccion:0:2}
        local problemas=() etapas_rotas=' '
        if ((${#fallas[@]} == 0)); then problemas+=("el parche no nombra ninguna prueba (# falla:)"); fi
        if [[ -f "$build/rotos/$nombre.no_aplica" ]]; then
            mal "$nombre: el parche no se aplica a solutions/$leccion (¿cambió la solución?)"
            sed 's/^/      /' "$build/rotos/$nombre.no_aplica" | head -n 5
            continue
        fi
        for s in "${fallas[@]}"; do
            encontrada=''
            for t in "${nombres[@]}"; do
                if [[ $t == "$arbol/L$nn/E"??"/$s" ]]; then encontrada=$t; break; fi
            done
            if [[ -z "$encontrada" ]]; then
                problemas+=("no se ejecutó ninguna prueba $arbol/L$nn/E??/$s")
            elif [[ -z "${fallo[$encontrada]:-}" ]]; then
                problemas+=("$encontrada pasa, y debía fallar")
            else
                s=${encontrada#"$arbol/L$nn/"}; etapas_rotas+="${s%%/*} "
            fi
        done
        # Fallos fuera de la etapa rota: solo un aviso (el error puede arrastrar otras cosas).
        otras=() mismas=0
        for t in "${nombres[@]}"; do
            [[ $t == "$arbol/"* && -n "${fallo[$t]:-}" ]] || continue
            s=${t#"$arbol/L$nn/"}; s=${s%%/*}
            if [[ "$etapas_rotas" == *" $s "* ]]; then mismas=$((mismas + 1)); else otras+=("$t"); fi
        done
        if ((${#problemas[@]} == 0)); then
            bien "$nombre: fallan ${fallas[*]} ($error)"
        else
            mal "$nombre ($leccion): $error"
            for s in "${problemas[@]}"; do echo "      $s"; done
        fi
        if ((${#otras[@]} > 0)); then
            aviso "$nombre: también fallan pruebas de otras etapas: ${otras[*]:0:4}"
        fi
    done

    # (d) deriva
    echo "${N}(d) Las lecciones no se han desviado de las soluciones${F}"
    if [[ -f "$AQUI/deriva.sh" ]]; then
        local salida
        if salida=$(bash "$AQUI/deriva.sh" 2>&1); then
            bien "deriva.sh: sin deriva"
        else
            mal "deriva.sh encontró diferencias:"
            printf '%s\n' "$salida" | head -n 30 | sed 's/^/      /'
        fi
    else
        echo "  (tests/meta/deriva.sh aún no existe: se omite)"
    fi

    echo "$correctas $fallidas" >"$meta/recuento"
    echo "Meta-test: $correctas comprobaciones correctas, $fallidas fallidas"
    ((fallidas == 0))
}

case "${1:-}" in
    preparar) [[ $# -eq 2 ]] || { echo "uso: meta.sh preparar BUILD" >&2; exit 2; }; preparar "$2" ;;
    comprobar) [[ $# -eq 2 ]] || { echo "uso: meta.sh comprobar BUILD" >&2; exit 2; }; comprobar "$2" ;;
    *) echo "uso: meta.sh preparar BUILD | meta.sh comprobar BUILD" >&2; exit 2 ;;
esac
