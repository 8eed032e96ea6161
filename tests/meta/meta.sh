#!/usr/bin/env bash
# El meta-test: comprueba que las pruebas distinguen lo bueno de lo malo.
#
#   meta.sh preparar BUILD       aplica cada parche de tests/rotos/ (una entrega rota, o una
#                                variante correcta con «# variante:») a solutions/<lección> en
#                                BUILD/rotos/<parche>/<lección>/ (solo los ficheros que cambian) e
#                                imprime la lista «roto-<parche>=RUTA[|SUITES[|FILTRO]];...» que
#                                lee CMakeLists.txt (antes de configurar). Un parche que no se
#                                aplica se anota (BUILD/rotos/<parche>.no_aplica) y cuenta como fallo.
#   meta.sh comprobar BUILD [LISTA]
#                                lee los veredictos de las pruebas (registros JSON) con
#                                BUILD/tests/sockets. LISTA es la lista de pruebas que se
#                                ejecutaron (ctest --show-only=json-v1, la guarda ./tutorial test);
#                                sin ella, ejecuta aquí las de soluciones, lecciones y roto-* (así
#                                lo hace la prueba meta/entregas de CTest, tests/meta/CMakeLists.txt;
#                                el ctest anidado elige por etiqueta y nunca incluye «meta»), con
#                                SOCKETS_META_TRABAJOS trabajos (2 por defecto). Con
#                                SOCKETS_META_SOLUCIONES=LISTA (./tutorial test, que ya las ejecutó)
#                                no vuelve a ejecutar las de soluciones: lee sus veredictos.
#                                Comprueba (sockets meta):
#     (a) las soluciones pasan todas sus pruebas;
#     (b) cada lección N sin tocar falla alguna prueba de su etapa N (con un informe de la etapa N)
#         y ninguna de otra etapa;
#     (c) cada entrega rota (tests/rotos/*.patch) falla las pruebas que nombra su parche
#         (# falla: Suite.Prueba), y lo primero que enseñaría «./tutorial check» es un informe de
#         su etapa, de una de esas pruebas o de una que reconoce su síntoma (# sintoma: ID);
#     (d) cada variante correcta (# variante:) lo pasa todo;
#     (e) la nota del corrector: soluciones 100 %, lecciones sin tocar 0 %, cada entrega rota
#         menos de 100 % en su lección, cada variante 100 %;
#     (f) cada síntoma tiene su escalera de pistas, y ninguna entrega rota recibe la genérica;
#   y aquí mismo:
#     (g) la traza (sockets traza) no dice de ninguna entrega rota que sus llamadas «siguen
#         la misma secuencia que la solución»;
#     (h) la deriva entre lecciones y soluciones (tests/meta/deriva.sh, si existe).
#   Deja su informe en BUILD/meta/informe.txt (./tutorial test lo enseña) y sale con 1 si algo no
#   cuadra: su veredicto es ese código, que «sockets ejecutar» anota en el registro de la prueba
#   meta/entregas (de ahí lo lee «sockets resumen»). Ninguna cuenta queda en un fichero.
set -euo pipefail

RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AQUI="$RAIZ/tests/meta"

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
    V=$'\e[32m' R=$'\e[31m' N=$'\e[1m' F=$'\e[0m' COLOR=si
else
    V='' R='' N='' F='' COLOR=no
fi

# La herramienta que responde a meta.sh: al configurar (preparar), la copia suelta de «sockets»
# con sus órdenes «parche» y «etapas» que CMake compila antes (SOCKETS_PARCHE); al comprobar,
# la del build. Así la cabecera de un parche y la tabla de etapas tienen un solo lector cada una
# (tests/base/parche.cpp y tests/base/etapas.h).
herramienta_meta() {
    local h=${SOCKETS_PARCHE:-${build:-}/tests/sockets}
    [[ -x "$h" || -z "${build:-}" ]] || h=$build/sockets_parche
    if [[ ! -x "$h" ]]; then
        echo "meta: falta la herramienta $h" >&2
        return 1
    fi
    echo "$h"
}

# Lee de la cabecera de un parche lo que hace falta antes de compilar: leccion («# leccion:»),
# variante (no vacía si es «# variante:», una versión correcta que no debe perder nada), las
# pruebas que debe fallar (fallas, de «# falla: Suite.Prueba») y su paso («# paso: N», 0 si no
# tiene). Todo eso y lo demás (# sintoma, # error) lo comprueba sockets meta, después
# de las pruebas.
leer_cabecera() {
    leccion='' variante='' fallas=() paso=0
    local clave valor lector
    lector=$(herramienta_meta) || return 1
    while IFS=$'\t' read -r clave valor; do
        case $clave in
            leccion) leccion=$valor ;;
            paso) paso=$valor ;;
            variante) variante=$valor ;;
            falla) fallas+=("$valor") ;;
        esac
    done < <("$lector" parche "$1")
}

# ejecutable_de Suite.Prueba: el ejecutable de pruebas (prueba_<fichero>) del fichero de
# tests/etapas/ que la define («» si ninguno).
ejecutable_de() {
    local suite=${1%%.*} prueba=${1#*.} f
    f=$(grep -lE "^TEST_F\($suite, $prueba\)" "$RAIZ"/tests/etapas/*.cpp 2>/dev/null | head -n1)
    [[ -z "$f" ]] || echo "prueba_$(basename "$f" .cpp)"
}

aplicar() {  # aplicar PARCHE CARPETA
    if command -v patch >/dev/null; then
        patch -s -p1 -N --no-backup-if-mismatch -r - -d "$2" <"$1"
    else
        (cd "$2" && git apply -p1 "$1")
    fi
}

# pruebas_hasta_el_paso NN N: las pruebas de los pasos 1..N de la etapa NN, con «:».
pruebas_hasta_el_paso() {
    local h
    h=$(herramienta_meta) || return 1
    "$h" etapas pasos "$1" "$2" | paste -sd:
}

# Cada parche, en BUILD/rotos/<parche>/<lección>/, con solo los ficheros que cambia: el otro
# programa es el de solutions/, ya compilado (CMake lo enlaza: tests/registro). Una entrega rota
# registra solo lo que el meta-test mira: las suites de su etapa (etapaNN_*) y de sus «# falla:»
# y, con «# paso: N», solo las pruebas de los pasos 1..N de su etapa (más las que nombra): check
# enseña primero el primer paso con fallos, y basta una prueba de la lección que falle para que
# su nota no llegue a 100, se ejecuten o no las demás (docs/dev/corrector.md). Una variante, todas
# las etapas: no debe perder nada. A las dos les sobran las pruebas del programa que el parche no
# toca (es el mismo ejecutable que el de solutions/, que ya las pasa).
# Imprime «roto-<parche>=RUTA[|SUITES[|FILTRO de GoogleTest]]» por parche, separados por «;».
preparar() {
    local build=$1 destino=$1/rotos lista='' parche nombre tmp f suites e s filtro
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
        # Solo lo que cambió, y sin tocar lo que ya estaba igual: así no se recompila nada.
        mkdir -p "$destino/$nombre/$leccion"
        find "$destino/$nombre" -mindepth 1 -maxdepth 1 ! -name "$leccion" -exec rm -rf {} +
        for f in "$tmp/$leccion"/*; do
            if cmp -s "$f" "$RAIZ/solutions/$leccion/${f##*/}"; then
                rm -f "$destino/$nombre/$leccion/${f##*/}"
            else
                cmp -s "$f" "$destino/$nombre/$leccion/${f##*/}" || cp "$f" "$destino/$nombre/$leccion/"
            fi
        done
        for f in "$destino/$nombre/$leccion"/*; do
            [[ -e "$tmp/$leccion/${f##*/}" ]] || rm -f "$f"
        done
        rm -rf "$tmp"
        suites='' filtro=''
        if [[ -z "$variante" ]]; then
            if ((paso > 0)); then
                filtro=$(pruebas_hasta_el_paso "${leccion:0:2}" "$paso")
                for s in "${fallas[@]}"; do filtro+="${filtro:+:}$s"; done
            fi
            for f in "$RAIZ"/tests/etapas/etapa"${leccion:0:2}"_*.cpp; do
                [[ -e "$f" ]] && suites+=" prueba_$(basename "$f" .cpp)"
            done
            for s in "${fallas[@]}"; do
                e=$(ejecutable_de "$s")
                [[ -z "$e" || " $suites " == *" $e "* ]] || suites+=" $e"
            done
        fi
        # El programa que el parche no toca es el de solutions/ (el mismo ejecutable): sus pruebas
        # ya pasan en las soluciones. Quedan fuera por su nombre (las del cliente empiezan por
        # «Cliente»: Socket.Cliente*, ClienteEco.*...; las del servidor, el resto).
        local toca_servidor=0 toca_cliente=0 negativo=''
        [[ ! -e "$destino/$nombre/$leccion/servidor.cpp" ]] || toca_servidor=1
        [[ ! -e "$destino/$nombre/$leccion/cliente.cpp" ]] || toca_cliente=1
        if ((toca_servidor && !toca_cliente)); then
            negativo='*.Cliente*:Cliente*:Interoperabilidad.ElCliente*'
        elif ((toca_cliente && !toca_servidor)); then
            negativo='*.Servidor*:Bind.*:Listen.*:Eco.*:Cierre.*:Fork.*:Aguante.*:Interoperabilidad.ElServidor*'
        fi
        filtro+="${negativo:+-$negativo}"
        local resto=''
        [[ -z "$suites$filtro" ]] || resto="|${suites# }|$filtro"
        lista+="${lista:+;}roto-$nombre=$destino/$nombre$resto"
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

# ejecutar_lecciones_y_rotos: ejecuta con ctest las pruebas de lecciones y entregas rotas (y las de
# soluciones si ./tutorial test no acaba de ejecutarlas). Usa y deja las variables de comprobar():
# build, meta, herramienta, lista (la lista de pruebas) y otras (más listas para sockets meta).
ejecutar_lecciones_y_rotos() {
    local etiquetas='^(solutions|lessons|roto-.*)$'
    if [[ -n "${SOCKETS_META_SOLUCIONES:-}" && -f "$SOCKETS_META_SOLUCIONES" ]]; then
        # ./tutorial test acaba de ejecutar las de soluciones (y borró antes sus veredictos):
        # se leen esos, no se vuelven a ejecutar.
        etiquetas='^(lessons|roto-.*)$'
        otras=(--pruebas="$SOCKETS_META_SOLUCIONES")
        echo "meta: las soluciones ya se probaron (./tutorial test): leo sus veredictos"
    fi
    if ((${#otras[@]} > 0)); then echo "meta: ejecuto ctest con lecciones y entregas rotas..."
    else echo "meta: ejecuto ctest con soluciones, lecciones y entregas rotas..."; fi
    lista="$meta/pruebas.json"
    # Las del nivel completo (etiqueta «completo») solo con SOCKETS_COMPLETO=1
    # (./tutorial test --completo).
    local fuera='^completo$'
    [[ "${SOCKETS_COMPLETO:-}" != 1 ]] || fuera='^$'
    ctest --test-dir "$build" --show-only=json-v1 -L "$etiquetas" -LE "$fuera" >"$lista"
    "$herramienta" borrar --pruebas="$lista"
    ctest --test-dir "$build" -j "${SOCKETS_META_TRABAJOS:-2}" -L "$etiquetas" -LE "$fuera" >"$meta/ctest.txt" 2>&1 || true
}

# comprobar_traza: la comprobación (g), con las variables de comprobar().
comprobar_traza() {
    # (g) traza: en ninguna entrega rota dice «siguen la misma secuencia» (con sus veredictos:
    # mientras falla una prueba, nunca). El programa que traza es el que cambia el parche.
    echo "${N}(g) La traza nunca da por buena una entrega rota${F}"
    local vista="$build/tests/sockets"
    if [[ -x "$vista" ]]; then
        local entradas=() p n prog i
        for p in "$RAIZ"/tests/rotos/*.patch; do
            n=$(basename "$p" .patch)
            leer_cabecera "$p"
            [[ -z "$variante" && -d "$build/rotos/$n/$leccion" ]] || continue
            # (las que esta máquina no puede comprobar, dichas en (c))
            ! grep -qxF -- "$n" <<<"$sin_comprobar" || continue
            prog=servidor; [[ -e "$build/rotos/$n/$leccion/servidor.cpp" ]] || prog=cliente
            entradas+=("$n" "$leccion" "$prog")
        done
        mkdir -p "$meta/traza"
        # De cuatro en cuatro: cada una lanza el programa y espera sus plazos (1-2 s si se cuelga).
        # (bash -c: $1 la herramienta, $2 el build, $3 la carpeta del meta-test; $4 parche, $5 lección, $6 programa)
        printf '%s\n' "${entradas[@]}" | xargs -n 3 -P "${SOCKETS_META_TRABAJOS_TRAZA:-4}" bash -c '
            id=$(sed "s/[^A-Za-z0-9]/_/g" <<<"roto-$4")
            NO_COLOR=1 "$1" traza --programa "$6" --leccion "${5%%_*}" --alumno "$2/programas/$id/$5" \
                --referencia "$2/programas/solutions/$5" --veredictos "$2/veredictos/$id" >"$3/traza/$4.txt" 2>&1
            echo $? >"$3/traza/$4.codigo"' _ "$vista" "$build" "$meta" 2>/dev/null || true
        local bien_traza=0 total_traza=0 c
        for ((i = 0; i < ${#entradas[@]}; i += 3)); do
            n=${entradas[i]}
            total_traza=$((total_traza + 1))
            c=$(cat "$meta/traza/$n.codigo" 2>/dev/null || echo '?')
            if grep -q 'siguen la misma secuencia' "$meta/traza/$n.txt" 2>/dev/null; then
                mal "$n: la traza dice que sus llamadas «siguen la misma secuencia que la solución»"
            elif [[ $c != 1 ]]; then
                mal "$n: la traza terminó con código $c (se esperaba 1: un desvío o una prueba que falla)"
                sed -n '1,5s/^/      /p' "$meta/traza/$n.txt"
            else
                bien_traza=$((bien_traza + 1))
            fi
        done
        ((bien_traza != total_traza)) || bien "traza: $total_traza entregas rotas, ninguna «sigue la misma secuencia» ($(grep -l 'aquí te separas' "$meta"/traza/*.txt 2>/dev/null | wc -l) con el desvío marcado)"
    else
        mal "falta $vista (compila antes: cmake --build $build)"
    fi
}

# comprobar_deriva: la comprobación (h).
comprobar_deriva() {
    # (h) deriva
    echo "${N}(h) Las lecciones no se han desviado de las soluciones${F}"
    if [[ -f "$AQUI/deriva.sh" ]]; then
        local salida
        if salida=$(SOCKETS_HERRAMIENTA=$herramienta bash "$AQUI/deriva.sh" 2>&1); then
            bien "deriva.sh: sin deriva"
        else
            mal "deriva.sh encontró diferencias:"
            sed -n '1,30s/^/      /p' <<<"$salida"
        fi
    else
        echo "  (tests/meta/deriva.sh aún no existe: se omite)"
    fi
}

comprobar() {
    local build=$1 lista=${2:-} meta="$1/meta"
    local herramienta="$build/tests/sockets"
    mkdir -p "$meta"
    if [[ ! -x "$herramienta" ]]; then
        echo "meta: falta $herramienta (compila antes: cmake --build $build)" >&2
        return 1
    fi
    local otras=()
    [[ -n "$lista" ]] || ejecutar_lecciones_y_rotos  # deja la lista en «lista» (y «otras»)

    # (a)-(f): leídas de los veredictos; sockets meta dice su propio recuento y su código.
    local codigo_meta=0 sin_comprobar
    "$herramienta" meta --pruebas="$lista" "${otras[@]}" --build="$build" --raiz="$RAIZ" \
        --corrector="$build/tests/sockets" --rubrica="$RAIZ/tests/corrector/rubrica.conf" \
        --color="$COLOR" || codigo_meta=$?
    # Las entregas rotas que esta máquina no puede comprobar (dichas en (c)): (g) no las traza.
    sin_comprobar=$("$herramienta" meta --sin-comprobar --pruebas="$lista" "${otras[@]}" --build="$build" \
        --raiz="$RAIZ") || true

    comprobar_traza
    comprobar_deriva

    echo "(g)–(h): $correctas comprobaciones correctas, $fallidas fallidas"
    if ((codigo_meta == 0 && fallidas == 0)); then
        echo "Meta-test: ${V}todas las comprobaciones son correctas${F}"
    else
        echo "Meta-test: ${R}alguna comprobación falla${F} (las ✗ de arriba)"
        return 1
    fi
}

case "${1:-}" in
    preparar) [[ $# -eq 2 ]] || { echo "uso: meta.sh preparar BUILD" >&2; exit 2; }; preparar "$2" ;;
    comprobar) [[ $# -eq 2 || $# -eq 3 ]] || { echo "uso: meta.sh comprobar BUILD [LISTA]" >&2; exit 2; }
               mkdir -p "$2/meta"
               comprobar "$2" "${3:-}" | tee "$2/meta/informe.txt"; exit "${PIPESTATUS[0]}" ;;
    *) echo "uso: meta.sh preparar BUILD | meta.sh comprobar BUILD [LISTA]" >&2; exit 2 ;;
esac
