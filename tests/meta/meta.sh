#!/usr/bin/env bash
# El meta-test: comprueba que las pruebas distinguen lo bueno de lo malo.
#
#   meta.sh preparar BUILD       copia cada solución rota (tests/rotos/*.patch aplicado a
#                                solutions/<lección>) en BUILD/rotos/<parche>/<lección>/ e imprime
#                                la lista «roto-<parche>=BUILD/rotos/<parche>;...» para
#                                SOCKETS_ARBOLES (antes de configurar). Un parche que no se aplica
#                                se anota (BUILD/rotos/<parche>.no_aplica) y cuenta como fallo.
#   meta.sh comprobar BUILD [LISTA]
#                                lee los veredictos de las pruebas (registros JSON) con
#                                BUILD/tests/sockets_veredictos. LISTA es la lista de pruebas que se
#                                ejecutaron (ctest --show-only=json-v1, la guarda ./tutorial test);
#                                sin ella, ejecuta aquí las de soluciones, lecciones y roto-* (así
#                                lo hace la prueba meta/entregas de CTest, tests/meta/CMakeLists.txt;
#                                el ctest anidado elige por etiqueta y nunca incluye «meta»), con
#                                SOCKETS_META_TRABAJOS trabajos (2 por defecto). Comprueba:
#     (a) las soluciones pasan todas sus pruebas;
#     (b) cada lección N sin tocar falla alguna prueba de su etapa N (con un informe de la etapa N)
#         y ninguna de otra etapa;
#     (c) cada entrega rota falla las pruebas que nombra su parche (# falla: Suite.Prueba), y lo
#         primero que enseñaría «./tutorial check» es un informe de esa etapa;
#     (d) la deriva entre lecciones y soluciones (tests/meta/deriva.sh, si existe).
#   Escribe «correctas fallidas» en BUILD/meta/recuento y su informe en BUILD/meta/informe.txt.
#   Sale con 1 si algo no cuadra.
set -euo pipefail

RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AQUI="$RAIZ/tests/meta"

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
    V=$'\e[32m' R=$'\e[31m' N=$'\e[1m' F=$'\e[0m' COLOR=si
else
    V='' R='' N='' F='' COLOR=no
fi

# Lee la cabecera de un parche: la variable leccion. (Las pruebas que debe fallar, «# falla:»,
# las lee sockets_veredictos meta.)
leer_cabecera() {
    leccion=''
    local linea
    while IFS= read -r linea; do
        case "$linea" in
            '# leccion:'*) leccion=$(echo "${linea#*:}" | xargs) ;;
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

comprobar() {
    local build=$1 lista=${2:-} meta="$1/meta"
    local herramienta="$build/tests/sockets_veredictos"
    mkdir -p "$meta"
    if [[ ! -x "$herramienta" ]]; then
        echo "meta: falta $herramienta (compila antes: cmake --build $build)" >&2
        echo "0 1" >"$meta/recuento"
        return 1
    fi
    if [[ -z "$lista" ]]; then
        echo "meta: ejecuto ctest con soluciones, lecciones y entregas rotas..."
        lista="$meta/pruebas.json"
        # Las del nivel completo (etiqueta «completo») solo con SOCKETS_COMPLETO=1
        # (./tutorial test --completo).
        local fuera='^completo$'
        [[ "${SOCKETS_COMPLETO:-}" != 1 ]] || fuera='^$'
        ctest --test-dir "$build" --show-only=json-v1 -L '^(solutions|lessons|roto-.*)$' -LE "$fuera" >"$lista"
        "$herramienta" borrar --pruebas="$lista"
        ctest --test-dir "$build" -j "${SOCKETS_META_TRABAJOS:-2}" -L '^(solutions|lessons|roto-.*)$' -LE "$fuera" >"$meta/ctest.txt" 2>&1 || true
    fi

    # (a), (b) y (c): leídas de los veredictos.
    rm -f "$meta/cuentas"
    "$herramienta" meta --pruebas="$lista" --build="$build" --raiz="$RAIZ" --tabla="$RAIZ/etapas.tsv" \
        --cuentas="$meta/cuentas" --color="$COLOR" || true
    if ! read -r correctas fallidas <"$meta/cuentas"; then
        correctas=0 fallidas=0
        mal "sockets_veredictos meta no dejó su recuento"
    fi

    # (d) deriva
    echo "${N}(d) Las lecciones no se han desviado de las soluciones${F}"
    if [[ -f "$AQUI/deriva.sh" ]]; then
        local salida
        if salida=$(bash "$AQUI/deriva.sh" 2>&1); then
            bien "deriva.sh: sin deriva"
        else
            mal "deriva.sh encontró diferencias:"
            sed -n '1,30s/^/      /p' <<<"$salida"
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
    comprobar) [[ $# -eq 2 || $# -eq 3 ]] || { echo "uso: meta.sh comprobar BUILD [LISTA]" >&2; exit 2; }
               mkdir -p "$2/meta"
               comprobar "$2" "${3:-}" | tee "$2/meta/informe.txt"; exit "${PIPESTATUS[0]}" ;;
    *) echo "uso: meta.sh preparar BUILD | meta.sh comprobar BUILD [LISTA]" >&2; exit 2 ;;
esac
