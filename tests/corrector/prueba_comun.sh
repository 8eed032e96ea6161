#!/usr/bin/env bash
# Lo común a las pruebas del corrector (prueba*.sh, con «source», con B la carpeta de
# compilación): contar fallos, una carpeta temporal que se borra sola, git sin configuración del
# usuario, leer un results.json (sockets nota), comparar notas y el final con su resumen.
fallos=0
mal() { echo "✗ $*"; fallos=$((fallos + 1)); }
bien() { echo "✓ $*"; }
# temporal NOMBRE: deja en T una carpeta nueva (legible por los usuarios de los areneros).
temporal() {
    T=$(mktemp -d "${TMPDIR:-/tmp}/prueba-$1.XXXXXX")
    chmod 755 "$T"
    trap 'rm -rf "$T"' EXIT
}
g() { git -c user.name=prueba -c user.email=prueba@ejemplo -c init.defaultBranch=main -c safe.directory='*' "$@"; }
# nota RESULTS.json [--prueba=N] [--campo=C] [--con=T]: lo pregunta a la herramienta, que comprueba
# antes el results.json (sale con 1 y el motivo si está mal formado).
nota() { "$B/tests/sockets" nota "$@"; }
# iguales A B: ¿son el mismo número (con 1e-6 de margen)? No, si alguno no es un número.
iguales() {
    awk -v a="$1" -v b="$2" 'BEGIN { n = "^-?[0-9]+([.][0-9]+)?$"
        exit !(a ~ n && b ~ n && a - b < 1e-6 && b - a < 1e-6) }'
}
# zip_bien ZIP FICHERO...: que el zip lleve esos ficheros (en su raíz) y nada de solutions/,
# source/, build/, .git/ ni tests/rotos/. Solo sus nombres (unzip -Z1), sin descomprimirlo.
zip_bien() {
    local zip=$1 nombres f falta=() sobra
    shift
    nombres=$(unzip -Z1 "$zip" 2>&1) || { echo "✗ zip: unzip no lo lee: $nombres"; return 1; }
    for f in "$@"; do grep -qxF -- "$f" <<<"$nombres" || falta+=("$f"); done
    sobra=$(grep -E '^(solutions|source|build|\.git|tests/rotos)/' <<<"$nombres" | sort | head -n 5 | paste -sd' ' -)
    ((${#falta[@]} == 0)) && [[ -z $sobra ]] && return 0
    echo "✗ zip: falta «${falta[*]}»; lleva lo que no debe: «$sobra»"
    return 1
}
# terminar NOMBRE: la última línea y el código de salida.
terminar() {
    ((fallos == 0)) && { echo "✓ $1: todo bien"; exit 0; }
    echo "✗ $1: $fallos fallo(s)"
    exit 1
}
