#!/usr/bin/env bash
# El código de partida fijado por su huella (docs/dev/corrector.md, «La línea de base»).
#
# El corrector no descuenta lo que ya supera el lessons/ que encuentre (en GitHub Classroom o en
# un clon del curso, lessons/ es el trabajo resuelto del alumno): descuenta lo que supera el
# código de partida ORIGINAL, fijado en partida.manifiesto por el blob de git y el sha256 de cada
# fichero.
#
# Uso: partida.sh generar            reescribe partida.manifiesto con el lessons/ de ahora
#                                    (los mantenedores, tras cambiar lessons/; y luego commit)
#      partida.sh comprobar          0 si el manifiesto describe exactamente lessons/ (la prueba
#                                    corrector/partida)
#      partida.sh extraer RAIZ DEST [PREFIJO]
#                                    deja en DEST el código de partida original: cada fichero de
#                                    RAIZ/lessons si su sha256 coincide; si no, el de la historia
#                                    de git de RAIZ (git cat-file); si no está, falla y lo dice.
#                                    Con PREFIJO (lessons/comun/), solo los ficheros de ahí: así
#                                    compila CMake las soluciones y el arnés con la cabecera común
#                                    original aunque el alumno cambie la suya
set -euo pipefail
export LC_ALL=C.UTF-8
AQUI=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RAIZ_CURSO=$(cd "$AQUI/../.." && pwd)
MANIFIESTO=$AQUI/partida.manifiesto

# Sin rastro de git: el blob de un fichero se calcula a mano si no hay git (mismo resultado que
# «git hash-object»: sha1 de «blob <tamaño>\0<contenido>»).
blob() {
    if command -v git >/dev/null; then git hash-object --no-filters -- "$1"
    else { printf 'blob %d\0' "$(stat -c %s -- "$1")"; cat -- "$1"; } | sha1sum | cut -d' ' -f1; fi
}
sha() { sha256sum -- "$1" | cut -d' ' -f1; }

# Los ficheros del código de partida: los de lessons/ que git conoce (o todos si no hay git),
# sin las copias de «./tutorial reset».
ficheros() {
    (cd "$RAIZ_CURSO" &&
        if git -c safe.directory='*' rev-parse --is-inside-work-tree >/dev/null 2>&1; then
            git -c safe.directory='*' ls-files -- lessons
        else
            find lessons -type f -not -path 'lessons/.copias/*'
        fi) | LC_ALL=C sort
}

generar() {
    local f
    {
        echo "# El código de partida (lessons/ sin tocar), fijado por su huella: ruta, blob de git y sha256."
        echo "# Lo usa el corrector como línea de base (tests/corrector/partida.sh). Tras cambiar lessons/:"
        echo "#   bash tests/corrector/partida.sh generar   (y commit de lessons/ y de este fichero)"
        while read -r f; do
            printf '%s\t%s\t%s\n' "$f" "$(blob "$RAIZ_CURSO/$f")" "$(sha "$RAIZ_CURSO/$f")"
        done < <(ficheros)
    } >"$MANIFIESTO.nuevo"
    mv "$MANIFIESTO.nuevo" "$MANIFIESTO"
    echo "partida.manifiesto: $(grep -vc '^#' "$MANIFIESTO") ficheros de lessons/"
}

comprobar() {
    local fallos=0 ruta b s
    [[ -f "$MANIFIESTO" ]] || { echo "✗ falta $MANIFIESTO: genéralo con «bash tests/corrector/partida.sh generar»"; return 1; }
    while IFS=$'\t' read -r ruta b s; do
        [[ -n "$ruta" && "$ruta" != \#* ]] || continue
        if [[ ! -f "$RAIZ_CURSO/$ruta" ]]; then
            echo "✗ $ruta está en partida.manifiesto pero no en lessons/"; fallos=$((fallos + 1))
        elif [[ "$(sha "$RAIZ_CURSO/$ruta")" != "$s" || "$(blob "$RAIZ_CURSO/$ruta")" != "$b" ]]; then
            echo "✗ $ruta cambió y partida.manifiesto no"; fallos=$((fallos + 1))
        fi
    done <"$MANIFIESTO"
    while read -r ruta; do
        grep -q "^$ruta"$'\t' "$MANIFIESTO" || { echo "✗ $ruta está en lessons/ pero no en partida.manifiesto"; fallos=$((fallos + 1)); }
    done < <(ficheros)
    if ((fallos > 0)); then
        echo "  (regenera el manifiesto: bash tests/corrector/partida.sh generar)"
        return 1
    fi
    echo "✓ partida.manifiesto describe lessons/ ($(grep -vc '^#' "$MANIFIESTO") ficheros)"
}

extraer() {
    local raiz=${1:?uso: partida.sh extraer RAIZ DEST [PREFIJO]} dest=${2:?uso: partida.sh extraer RAIZ DEST [PREFIJO]}
    local prefijo=${3:-lessons/} ruta b s destino
    [[ -f "$MANIFIESTO" ]] || { echo "falta $MANIFIESTO" >&2; return 1; }
    mkdir -p "$dest"
    while IFS=$'\t' read -r ruta b s; do
        [[ -n "$ruta" && "$ruta" != \#* && "$ruta" == "$prefijo"* ]] || continue
        destino=$dest/${ruta#lessons/}
        mkdir -p "$(dirname "$destino")"
        if [[ -f "$raiz/$ruta" && ! -L "$raiz/$ruta" && "$(sha "$raiz/$ruta")" == "$s" ]]; then
            cp -- "$raiz/$ruta" "$destino"
        elif git -c safe.directory='*' -C "$raiz" cat-file blob "$b" >"$destino" 2>/dev/null &&
             [[ "$(sha "$destino")" == "$s" ]]; then
            :  # de la historia de git: el alumno lo cambió (lo resolvió) y lo guardó con commit
        else
            rm -rf "$dest"
            {
                echo "No encuentro el código de partida original de $ruta: cambió en $raiz/lessons y"
                echo "no está en la historia de git de $raiz (¿un clon superficial, --depth?)."
                echo "El corrector lo necesita para no puntuar lo que el código de partida ya hace."
                echo "Corrige desde un clon completo del curso (git clone sin --depth) o devuelve"
                echo "lessons/ a su estado original (git checkout -- lessons)."
            } >&2
            return 1
        fi
    done <"$MANIFIESTO"
}

case ${1:-} in
    generar) generar ;;
    comprobar) comprobar ;;
    extraer) shift; extraer "$@" ;;
    *) echo "uso: partida.sh generar | comprobar | extraer RAIZ DEST [PREFIJO]" >&2; exit 2 ;;
esac
