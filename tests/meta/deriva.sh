#!/usr/bin/env bash
# deriva.sh [RAIZ] — comprueba que las lecciones y las soluciones no se han separado («deriva»).
#
# Para cada lección NN de etapas.tsv y cada programa (servidor.cpp, cliente.cpp):
#  (A) lessons/NN_x/P es igual a solutions/NN_x/P salvo DENTRO de las regiones de la etapa NN
#      (las líneas «// [NN-nombre]»): la lección solo cambia el código de su propia etapa, las
#      regiones son las mismas y en el mismo orden, y cada región de la lección trae su TODO.
#  (B) lessons/NN_x/P sin sus líneas «// TODO(etapa NN):» es igual a la solución NN-1 (NN >= 02):
#      el esqueleto es exactamente la solución anterior más los TODO.
# En las dos comparaciones se ignoran las líneas en blanco; en (B), además, todas las marcas
# «// [KK-nombre]» y el bloque «///» inicial de cada fichero (el \file, que nombra su lección).
# Además, ninguna solución puede contener líneas TODO(etapa ...).
#
# Sale con 0 si todo cuadra y con 1 si algo derivó, diciendo qué fichero y qué línea.
# Solo usa bash, awk y diff.
set -u

raiz=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"}
# La tabla de etapas la responde la herramienta sockets (meta.sh da la del build que comprueba).
herramienta=${SOCKETS_HERRAMIENTA:-$raiz/build/ci/tests/sockets}
[[ -x "$herramienta" ]] || { echo "deriva.sh: falta la herramienta sockets ($herramienta): compila antes" >&2; exit 2; }
lecciones="$raiz/lessons"
soluciones="$raiz/solutions"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fallos=0
fallo() {  # fallo MENSAJE...: cuenta un fallo y lo explica
    fallos=$((fallos + 1))
    printf '✗ %s\n' "$@"
}

# preparar MODO ETAPA ENTRADA SALIDA MAPA NOMBRE
#  MODO A   : deja las marcas de la etapa ETAPA y oculta lo que hay entre ellas.
#  MODO A-L : como A, y exige al menos una línea TODO(etapa ETAPA) en cada región (lecciones).
#  MODO B   : quita todas las marcas y el bloque /// inicial.
#  MODO B-L : como B, y quita también las líneas TODO(etapa ETAPA) (lecciones).
# En SALIDA quedan las líneas que se comparan; en MAPA, el número de línea original de cada una.
# NOMBRE es la ruta que se muestra en los mensajes.
preparar() {
    awk -v modo="$1" -v etapa="$2" -v mapa="$5" -v fichero="$6" '
        function emitir(texto) { print texto; print FNR > mapa }
        BEGIN { cabecera = 1; dentro = ""; error = 0 }
        {
            linea = $0
            if (cabecera && linea ~ /^\/\/\//) { if (modo ~ /^B/) next } else cabecera = 0
            if (linea ~ /^[ \t]*$/) next
            marca = ""
            if (linea ~ /^[ \t]*\/\/ \[[0-9][0-9]-[a-z0-9-]+\][ \t]*$/) {
                marca = linea; sub(/^[ \t]*\/\/ \[/, "", marca); sub(/\][ \t]*$/, "", marca)
            }
            es_todo = (linea ~ ("^[ \t]*// TODO\\(etapa " etapa "\\):"))
            if (modo ~ /^B/) {
                if (marca != "" || (modo == "B-L" && es_todo)) next
                emitir(linea); next
            }
            # Modos A y A-L
            if (marca != "" && substr(marca, 1, 2) == etapa) {
                if (dentro == "") {
                    dentro = marca; abierta = FNR; todos = 0
                } else if (dentro == marca) {
                    if (modo == "A-L" && todos == 0)
                        printf "%s:%d: la región [%s] no tiene ninguna línea «// TODO(etapa %s):»\n",
                               fichero, abierta, marca, etapa > "/dev/stderr"
                    dentro = ""
                } else {
                    printf "%s:%d: la marca [%s] aparece dentro de la región [%s] (abierta en la línea %d)\n",
                           fichero, FNR, marca, dentro, abierta > "/dev/stderr"
                    error = 1
                }
                emitir("// [" marca "]"); next
            }
            if (dentro != "") { if (es_todo) todos++; next }
            emitir(linea)
        }
        END {
            if (dentro != "") {
                printf "%s:%d: la región [%s] no se cierra\n", fichero, abierta, dentro > "/dev/stderr"
                error = 1
            }
            exit error
        }' "$3" > "$4"
}

# comparar FICHERO1 PREP1 MAPA1 FICHERO2 PREP2 MAPA2: diff de lo preparado, con las líneas
# originales de cada fichero. Devuelve 0 si son iguales.
comparar() {
    diff "$2" "$5" > "$tmp/diff" && return 0
    awk -v f1="$1" -v f2="$4" -v m1="$3" -v m2="$6" '
        BEGIN {
            while ((getline n < m1) > 0) mapa1[++k1] = n
            while ((getline n < m2) > 0) mapa2[++k2] = n
        }
        /^[0-9]/ {
            split($0, p, /[acd]/); split(p[1], a, ","); split(p[2], b, ",")
            i = a[1]; j = b[1]
            if ($0 ~ /a/) printf "    %s no tiene, %s, estas líneas:\n", f1,
                                 (a[1] == 0) ? "al principio" : "tras su línea " mapa1[a[1]]
            if ($0 ~ /d/) printf "    %s no tiene, %s, estas líneas:\n", f2,
                                 (b[1] == 0) ? "al principio" : "tras su línea " mapa2[b[1]]
            next
        }
        /^</ { printf "    %s:%s: %s\n", f1, mapa1[i++], substr($0, 3); next }
        /^>/ { printf "    %s:%s: %s\n", f2, mapa2[j++], substr($0, 3); next }
    ' "$tmp/diff"
    return 1
}

if [[ ! -d "$lecciones" || ! -d "$soluciones" ]]; then
    echo "✗ no encuentro $lecciones y $soluciones (uso: deriva.sh [RAIZ])"
    exit 1
fi

# Ninguna solución lleva TODO.
while IFS= read -r hallado; do
    fallo "una solución no debe tener TODO: ${hallado#"$raiz/"}"
done < <(grep -Hn 'TODO(etapa' "$soluciones"/[0-9][0-9]_*/*.cpp 2>/dev/null)

anterior=""
# Las lecciones de la tabla de etapas (etapas.tsv), en orden; la primera no tiene anterior.
lecciones_tabla=$("$herramienta" etapas lecciones | cut -f1)
primera=${lecciones_tabla%%[!0-9]*}
for nn in $lecciones_tabla; do
    sol_dir=$(compgen -G "$soluciones/${nn}_*" | head -n 1)
    if [[ -z "$sol_dir" ]]; then
        fallo "falta la carpeta solutions/${nn}_*"
        anterior=""
        continue
    fi
    carpeta=$(basename "$sol_dir")
    lec_dir="$lecciones/$carpeta"
    if [[ ! -d "$lec_dir" ]]; then
        fallo "falta la carpeta lessons/$carpeta (la solución está en solutions/$carpeta)"
        anterior=$sol_dir
        continue
    fi
    for programa in servidor.cpp cliente.cpp; do
        sol="$sol_dir/$programa"
        lec="$lec_dir/$programa"
        rs="solutions/$carpeta/$programa"
        rl="lessons/$carpeta/$programa"
        if [[ ! -f "$sol" || ! -f "$lec" ]]; then
            [[ -f "$sol" ]] || fallo "falta $rs"
            [[ -f "$lec" ]] || fallo "falta $rl"
            continue
        fi
        # (A) fuera de las regiones de la etapa NN, lección y solución NN son iguales.
        bien=1
        preparar A-L "$nn" "$lec" "$tmp/la" "$tmp/la.mapa" "$rl" 2> "$tmp/err" || bien=0
        preparar A "$nn" "$sol" "$tmp/sa" "$tmp/sa.mapa" "$rs" 2>> "$tmp/err" || bien=0
        if [[ "$bien" -eq 0 ]]; then
            fallo "lección $nn ($programa): marcas de la etapa $nn mal formadas"
            sed 's/^/    /' "$tmp/err"
        else
            if [[ -s "$tmp/err" ]]; then
                fallo "lección $nn ($programa): una región de la etapa $nn no dice al alumno qué hacer"
                sed 's/^/    /' "$tmp/err"
            fi
            if ! comparar "$rl" "$tmp/la" "$tmp/la.mapa" "$rs" "$tmp/sa" "$tmp/sa.mapa" > "$tmp/informe"; then
                fallo "lección $nn ($programa): la lección y su solución difieren FUERA de las regiones de la etapa $nn (o en las propias marcas):"
                cat "$tmp/informe"
            fi
        fi
        # (B) la lección NN sin sus TODO es la solución NN-1.
        if [[ "$nn" != "$primera" ]]; then
            if [[ -z "$anterior" || ! -f "$anterior/$programa" ]]; then
                fallo "lección $nn ($programa): no hay solución anterior con la que comparar"
                continue
            fi
            ant="$anterior/$programa"
            ra="solutions/$(basename "$anterior")/$programa"
            preparar B-L "$nn" "$lec" "$tmp/lb" "$tmp/lb.mapa" "$rl" 2> /dev/null
            preparar B "$nn" "$ant" "$tmp/sb" "$tmp/sb.mapa" "$ra" 2> /dev/null
            if ! comparar "$rl" "$tmp/lb" "$tmp/lb.mapa" "$ra" "$tmp/sb" "$tmp/sb.mapa" > "$tmp/informe"; then
                fallo "lección $nn ($programa): sin sus líneas «// TODO(etapa $nn):» no es igual a la solución anterior ($ra):"
                cat "$tmp/informe"
            fi
        fi
    done
    anterior=$sol_dir
done

if [[ "$fallos" -eq 0 ]]; then
    echo "✓ sin deriva: cada lección es su solución con la etapa en TODO, y la solución anterior más esos TODO"
    exit 0
fi
echo "✗ $fallos problema(s) de deriva entre lessons/ y solutions/"
exit 1
