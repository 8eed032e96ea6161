#!/usr/bin/env bash
# Prueba de «./tutorial reset N» en un clon desechable del repositorio (nunca en el tuyo):
#   · devuelve lessons/NN_x/ al código de partida (el de git, HEAD);
#   · guarda antes la versión del alumno en lessons/.copias/NN_x-FECHA/, con sus cambios;
#   · borra los resultados anteriores de esa lección (y solo de esa): queda sin probar;
#   · sin N, con una lección que no existe o con dos números: código 2 y nada tocado.
# Uso: prueba_reset.sh RAIZ_DEL_REPO SOCKETS   (sale con 77 si RAIZ no es un repositorio git)
#   SOCKETS: la herramienta ya compilada; ./tutorial le pregunta la tabla de etapas y no compila.
set -euo pipefail

raiz=$1
export SOCKETS_HERRAMIENTA=$2
if ! command -v git >/dev/null || ! git -C "$raiz" rev-parse --git-dir >/dev/null 2>&1; then
    echo "↷ omitida: $raiz no es un repositorio git (reset restaura desde git)"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fallos=0
mal() { echo "✗ $*"; fallos=$((fallos + 1)); }
bien() { echo "✓ $*"; }

git clone -q --no-hardlinks "$raiz" "$tmp/repo"
cd "$tmp/repo"
carpeta=$("$SOCKETS_HERRAMIENTA" etapas fila 01 | cut -f4)
fichero=lessons/$carpeta/servidor.cpp
original=$(cat "$fichero")
echo "// un cambio del alumno" >>"$fichero"
echo "int nuevo_del_alumno;" >"lessons/$carpeta/nuevo.cpp"

# Errores de uso: código 2 y la lección sin tocar.
for args in "" "99" "1 2" "--nada"; do
    codigo=0
    # shellcheck disable=SC2086  # $args se parte a propósito en palabras
    NO_COLOR=1 ./tutorial reset $args >"$tmp/uso.txt" 2>&1 || codigo=$?
    if [[ $codigo == 2 ]] && grep -q 'prueba ./tutorial reset --help' "$tmp/uso.txt" &&
       grep -q 'un cambio del alumno' "$fichero" && [[ ! -d lessons/.copias ]]; then
        bien "reset ${args:-(sin lección)}: código 2, la lección intacta"
    else
        mal "reset ${args:-(sin lección)}: se esperaba código 2 sin tocar nada (código $codigo)"
        sed 's/^/    /' "$tmp/uso.txt"
    fi
done

# Resultados de una prueba anterior de la lección 01 (y de la 02): reset 1 borra solo los suyos.
mkdir -p build/alumno/veredictos/lessons/L01/E01 build/alumno/veredictos/lessons/L02/E02
echo '{"estado": "superada"}' >build/alumno/veredictos/lessons/L01/E01/Socket.X.json
echo '{"estado": "superada"}' >build/alumno/veredictos/lessons/L02/E02/Bind.X.json

# reset 1: el código de partida vuelve y la versión del alumno queda copiada.
codigo=0
NO_COLOR=1 ./tutorial reset 1 >"$tmp/reset.txt" 2>&1 || codigo=$?
copias=(lessons/.copias/"$carpeta"-*)
if [[ $codigo == 0 && "$(cat "$fichero")" == "$original" ]]; then
    bien "reset 1: $fichero vuelve a ser el de git"
else
    mal "reset 1: se esperaba código 0 y el fichero de git (código $codigo)"; sed 's/^/    /' "$tmp/reset.txt"
fi
if ((${#copias[@]} == 1)) && [[ -d "${copias[0]}" ]] && grep -qs 'un cambio del alumno' "${copias[0]}/servidor.cpp" &&
   [[ -f "${copias[0]}/nuevo.cpp" ]] && grep -qF "${copias[0]}" "$tmp/reset.txt"; then
    bien "reset 1: la versión del alumno, copiada en ${copias[0]}/ (y lo dice)"
else
    mal "reset 1: no está la copia de la versión del alumno en lessons/.copias/$carpeta-*/"
    sed 's/^/    /' "$tmp/reset.txt"
fi
if [[ ! -e build/alumno/veredictos/lessons/L01 && -f build/alumno/veredictos/lessons/L02/E02/Bind.X.json ]] &&
   grep -q 'sin probar' "$tmp/reset.txt"; then
    bien "reset 1: los resultados anteriores de la lección 01 ya no cuentan (los de la 02 siguen)"
else
    mal "reset 1: debía borrar build/alumno/veredictos/lessons/L01 (y solo esa) y decirlo"
    sed 's/^/    /' "$tmp/reset.txt"
fi
if [[ -z "$(git status --porcelain --untracked-files=no -- "lessons/$carpeta")" ]] &&
   git check-ignore -q lessons/.copias; then
    bien "reset 1: git ve la lección como al principio; las copias no entran en git (.gitignore)"
else
    mal "reset 1: git ve cambios en lessons/$carpeta o no ignora lessons/.copias"
fi

if ((fallos > 0)); then echo "$fallos comprobaciones fallidas"; exit 1; fi
echo "reset: todas las comprobaciones correctas"
