#!/usr/bin/env bash
# Lo común a las pruebas del corrector (prueba*.sh, con «source»): contar fallos, una carpeta
# temporal que se borra sola, git sin configuración del usuario y el final con su resumen.
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
# terminar NOMBRE: la última línea y el código de salida.
terminar() {
    ((fallos == 0)) && { echo "✓ $1: todo bien"; exit 0; }
    echo "✗ $1: $fallos fallo(s)"
    exit 1
}
