#!/usr/bin/env bash
# Autoprueba de la herramienta sockets (sus órdenes de veredictos) con registros hostiles: JSON roto, anidado sin fin, enorme,
# con tipos cambiados o con secuencias de escape; una prueba sin registro y otra «interrumpida».
# Nada debe tumbar la herramienta (sale con 0, 1 o 2, nunca por una señal) y ninguna de esas
# pruebas puede contar como superada.
# Uso: autoprueba.sh HERRAMIENTA   (la tabla de etapas es la del build: lección 03 de etapas.tsv)
set -euo pipefail
herramienta=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fallos=0
mal() { echo "✗ $*"; fallos=$((fallos + 1)); }
bien() { echo "✓ $*"; }

mkdir -p "$tmp/r"
nombres=(Bien.A Roto.JsonInvalido Roto.Profundo Roto.Enorme Roto.Tipos Roto.Control Falta.Registro
         Roto.Interrumpida Roto.Ingles Roto.NoObjeto Roto.Vacio)
{
    echo '{"kind": "ctestInfo", "version": {"major": 1, "minor": 0}, "tests": ['
    coma=''
    for n in "${nombres[@]}"; do
        printf '%s{"name": "lessons/L03/E03/%s", "command": ["x", "--gtest_filter=%s", "--sockets-arbol=lessons", "--sockets-leccion=03", "--sockets-etapa=03", "--sockets-veredictos=%s"], "properties": [{"name": "LABELS", "value": ["lessons", "leccion03"]}]}\n' \
            "$coma" "$n" "$n" "$tmp/r"
        coma=','
    done
    echo ']}'
} >"$tmp/lista.json"

base='"formato": 1, "programas": [], "fallos_sin_informe": []'
echo "{$base, \"estado\": \"superada\", \"informes\": []}" >"$tmp/r/Bien.A.json"
printf '{"formato": 1, "estado": "fall' >"$tmp/r/Roto.JsonInvalido.json"
{ head -c 200000 /dev/zero | tr '\0' '['; head -c 200000 /dev/zero | tr '\0' ']'; } >"$tmp/r/Roto.Profundo.json"
{ printf '{"formato": 1, "estado": "fallida", "x": "'; head -c 5000000 /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/r/Roto.Enorme.json"
echo '{"formato": 1, "estado": "fallida", "informes": [{"texto": 5, "pista": [1], "leer": "x"}, "hola"], "programas": "no", "fallos_sin_informe": {"a": 1}}' >"$tmp/r/Roto.Tipos.json"
echo "{$base, \"estado\": \"fallida\", \"informes\": [{\"etapa\": 3, \"texto\": \"\\u001b]0;titulo\\u0007\\u001b[2J borrar\", \"pista\": \"p\"}]}" >"$tmp/r/Roto.Control.json"
echo "{$base, \"estado\": \"interrumpida\", \"informes\": []}" >"$tmp/r/Roto.Interrumpida.json"
echo "{\"formato\": 1, \"programas\": [], \"estado\": \"fallida\", \"informes\": [{\"etapa\": 3, \"texto\": \"Value of: x\\nconexi\\\\xc3\\\\xb3n\", \"pista\": \"x\"}], \"fallos_sin_informe\": [\"a.cpp:3: Failure\"]}" >"$tmp/r/Roto.Ingles.json"
echo '[1, 2, 3]' >"$tmp/r/Roto.NoObjeto.json"
: >"$tmp/r/Roto.Vacio.json"

ejecutar() {  # ejecutar ORDEN...: deja la salida en $tmp/salida y el código en $codigo
    codigo=0
    "$herramienta" "$@" --pruebas="$tmp/lista.json" --color=no >"$tmp/salida" 2>&1 || codigo=$?
}

ejecutar leccion --leccion=3 --todas
if ((codigo != 1)); then mal "leccion con registros hostiles salió con $codigo (debía ser 1)"; sed 's/^/    /' "$tmp/salida" | tail -n 20
else bien "leccion no se cae con registros hostiles"; fi
grep -q '1/11' "$tmp/salida" || mal "leccion no cuenta 1 de 11 superadas (solo Bien.A; ninguna hostil es «superada»): $(grep Etapa "$tmp/salida" | sed -n 1,2p)"
LC_ALL=C grep -q $'\e' "$tmp/salida" && mal "leccion deja pasar una secuencia de escape de un registro"
for t in 'no dejó veredicto' 'empezó y no terminó' 'no es un JSON válido' 'anida más de' 'que se leen'; do
    grep -q "$t" "$tmp/salida" || mal "leccion no dice «$t»"
done

ejecutar limpieza
((codigo == 1)) || mal "limpieza salió con $codigo (debía ser 1)"
grep -q 'Value of:' "$tmp/salida" && grep -q 'xc3' "$tmp/salida" && grep -q 'fallo sin informe' "$tmp/salida" ||
    { mal "limpieza no señala el inglés, el UTF-8 escapado y el fallo sin informe:"; sed 's/^/    /' "$tmp/salida"; }

ejecutar recuento  # (todas son de lecciones: no hay nada que deba pasar)
((codigo == 1)) || mal "recuento sin pruebas que deban pasar salió con $codigo (debía ser 1)"

# resumen: sin nada que deba pasar, sin meta-test y con informes sucios, falla (código 1) y lo
# cuenta en su última línea; con una prueba del arnés y el meta-test superados, todo pasa (0).
ejecutar resumen --completo
((codigo == 1)) && tail -n 1 "$tmp/salida" | grep -qx '0 passed, 3 failed' ||
    { mal "resumen con registros hostiles: código $codigo (debía ser 1), termina «$(tail -n 1 "$tmp/salida")» (debía ser «0 passed, 3 failed»)"; }
mkdir -p "$tmp/v"
for n in arnes/uno meta/entregas; do
    echo "{$base, \"estado\": \"superada\", \"informes\": []}" >"$tmp/v/${n%%/*}.json"
done
printf '{"kind": "ctestInfo", "version": {"major": 1, "minor": 0}, "tests": [%s, %s]}\n' \
    "{\"name\": \"arnes/uno\", \"command\": [\"x\", \"--sockets-registro=$tmp/v/arnes.json\"]}" \
    "{\"name\": \"meta/entregas\", \"command\": [\"x\", \"--sockets-registro=$tmp/v/meta.json\"]}" >"$tmp/bien.json"
codigo=0
"$herramienta" resumen --pruebas="$tmp/bien.json" --docs=generada --color=no >"$tmp/salida" 2>&1 || codigo=$?
((codigo == 0)) && tail -n 1 "$tmp/salida" | grep -qx '4 passed, 0 failed' && grep -q '1 superadas, 0 fallidas' "$tmp/salida" ||
    { mal "resumen con todo superado: código $codigo, dice:"; sed 's/^/    /' "$tmp/salida"; }

printf 'no es json' >"$tmp/lista.json"
ejecutar leccion --leccion=3
((codigo == 2)) && grep -q 'lista de pruebas' "$tmp/salida" || mal "una lista de pruebas rota no da un error en español (código $codigo)"

((fallos == 0)) && bien "sockets resiste registros hostiles"
((fallos == 0))
