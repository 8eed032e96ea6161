#!/usr/bin/env bash
# Prueba de «sockets pista» con veredictos falsos en una carpeta temporal: la escalera sube un
# peldaño por llamada, se queda en el último, se recuerda entre llamadas, pasa a la siguiente
# prueba que falla y vuelve a empezar cuando la prueba pasa. Un síntoma reconocido da primero su
# propia escalera («sintoma:ID»).
# Uso: prueba_pistas.sh SOCKETS DIR_DE_PISTAS   (SOCKETS: la herramienta, tests/herramientas/sockets.cpp)
set -u
herramienta=$1 pistas=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fallos=0
mal() { echo "✗ $*"; fallos=$((fallos + 1)); }

veredicto() {  # veredicto LECCION ETAPA SUITE PRUEBA ESTADO [SINTOMA]
    local d="$tmp/v/L$1/E$2"
    mkdir -p "$d"
    cat >"$d/$3.$4.json" <<JSON
{"formato": 1, "arbol": "lessons", "leccion": $((10#$1)), "etapa": $((10#$2)),
 "suite": "$3", "prueba": "$4", "estado": "$5", "sintomas": [${6:+\"$6\"}],
 "informes": [{"leer": {"pagina": "docs/01_socket.md", "ancla": "l01_crear",
               "seccion": "Crear el socket", "man": "man 2 socket"}}]}
JSON
}
pista() {  # pista [ARGS...]: ejecuta la herramienta; deja la salida en $salida y el código en $codigo
    salida=$("$herramienta" pista --veredictos "$tmp/v" --pistas "$pistas" --estado "$tmp/estado/pistas.json" "$@")
    codigo=$?
}
espera() {  # espera TEXTO DESCRIPCIÓN
    grep -qF -- "$1" <<<"$salida" || { mal "$2: falta «$1» en:"; sed 's/^/    /' <<<"$salida"; }
}

# Lección 01: una prueba pasa, dos fallan; la primera que falla (por nombre) es ClienteCierraSuSocket.
veredicto 01 00 Argumentos ServidorSinPuertoExplicaElUso superada
veredicto 01 01 Socket ServidorCierraSuSocket fallida
veredicto 01 01 Socket ClienteCierraSuSocket fallida
veredicto 01 01 Socket ServidorNarraElDescriptorQueRecibio superada

pista
[[ $codigo -eq 0 ]] || mal "sin lección, debía dar una pista (código $codigo)"
espera "lección 1: Socket.ClienteCierraSuSocket" "elige la lección 1 y su primera prueba fallida"
espera "Pista 1 de 4 · la idea" "primer peldaño"
espera "Lee: docs/01_socket.md, sección «Crear el socket»; man 2 socket" "cita lo que dice el veredicto"
pista 
espera "Pista 2 de 4 · la llamada" "segundo peldaño (recordado entre llamadas)"
pista --leccion 1
espera "Pista 3 de 4 · sus argumentos" "tercer peldaño"
pista --leccion 1
espera "Pista 4 de 4 · un fragmento de código" "cuarto peldaño"
espera "close(conexion)" "el fragmento es el del cliente"
espera "Es la última pista" "avisa de que es la última"
pista --leccion 1
espera "Pista 4 de 4" "se queda en el último peldaño"

# La prueba pasa: la siguiente que falla empieza desde abajo, y la que pasó se olvida.
veredicto 01 01 Socket ClienteCierraSuSocket superada
pista --leccion 1
espera "Socket.ServidorCierraSuSocket" "pasa a la siguiente prueba que falla"
espera "Pista 1 de 4" "la siguiente empieza por el primer peldaño"
grep -q ClienteCierraSuSocket "$tmp/estado/pistas.json" && mal "el estado aún recuerda la prueba que ya pasa"

# Vuelve a fallar (la rompes otra vez): la escalera empieza de nuevo.
veredicto 01 01 Socket ServidorCierraSuSocket superada
veredicto 01 01 Socket ClienteCierraSuSocket fallida
pista --leccion 1
espera "Socket.ClienteCierraSuSocket" "la prueba que vuelve a fallar"
espera "Pista 1 de 4" "tras pasar, la escalera vuelve al principio"

# Una suite sin pistas propias usa las de la etapa («*»).
veredicto 01 01 Socket ClienteCierraSuSocket superada
veredicto 01 01 Socket ClienteCreaUnSoloSocket fallida
pista --leccion 1
espera "Socket.ClienteCreaUnSoloSocket" "prueba sin escalera propia"
espera "Pista 1 de 4 · la idea" "usa la escalera de la etapa"
pista --leccion 1 >/dev/null; :

# Lección superada: código 3 y nada que pistar; sin resultados: código 3 y pide «check».
veredicto 01 01 Socket ClienteCreaUnSoloSocket superada
pista --leccion 1
[[ $codigo -eq 3 ]] || mal "lección superada: código $codigo (esperado 3)"
espera "está superada" "lección superada"
pista
[[ $codigo -eq 3 ]] || mal "lección 2 sin resultados: código $codigo (esperado 3)"
espera "./tutorial check 2" "sin resultados, la siguiente lección pide check"

# Síntomas: la primera prueba que falla (Bind.NarraElPuertoPedido) no lo reconoce, la siguiente
# sí: la escalera es la del síntoma, se recuerda aparte y se olvida cuando ya no se ve.
veredicto 02 02 Bind NarraElPuertoPedido fallida
veredicto 02 02 Bind UsaElPuertoEnOrdenDeRed fallida sin_htons
pista --leccion 2
espera "lección 2: Bind.NarraElPuertoPedido" "la primera que falla sigue siendo la de check"
espera "Lo que hace tu programa: el puerto sin htons() en bind()   (lo vio Bind.UsaElPuertoEnOrdenDeRed)" "nombra el síntoma (su nombre, no su identificador) y quién lo vio"
grep -q 'sin_htons' <<<"$salida" && mal "el identificador interno del síntoma («sin_htons») no debe salir para el alumno"
espera "Pista 1 de 4 · la idea" "primer peldaño del síntoma"
espera "bytes al revés" "el texto es el de la escalera sintoma:sin_htons"
pista --leccion 2
espera "Pista 2 de 4 · la llamada" "el síntoma sube su propia escalera"
grep -q '"sintoma:sin_htons": 2' "$tmp/estado/pistas.json" || mal "el estado no recuerda el peldaño del síntoma"
veredicto 02 02 Bind UsaElPuertoEnOrdenDeRed fallida
pista --leccion 2
espera "Pista 1 de 4" "sin síntoma, la escalera de la prueba empieza por abajo"
grep -q 'sintoma:' "$tmp/estado/pistas.json" && mal "el estado aún recuerda un síntoma que ya no se ve"
veredicto 02 02 Bind NarraElPuertoPedido superada
veredicto 02 02 Bind UsaElPuertoEnOrdenDeRed superada

# Argumentos no válidos: código 2.
fuera=$(( $(ls "$pistas"/[0-9][0-9].tsv | wc -l) + 1 ))  # la siguiente a la última lección
"$herramienta" pista --leccion "$fuera" --veredictos "$tmp/v" --pistas "$pistas" --estado "$tmp/e" >/dev/null 2>&1
[[ $? -eq 2 ]] || mal "lección $fuera: debía salir con 2"
"$herramienta" pista --leccion 0 --veredictos "$tmp/v" --pistas "$pistas" --estado "$tmp/e" >/dev/null 2>&1
[[ $? -eq 2 ]] || mal "lección 0: debía salir con 2"

# Un síntoma reconocido en una prueba de la etapa 01 cuya escalera está en el 00 (los comunes):
# también se encuentra, con su nombre.
veredicto 03 01 Socket ServidorTerminaConCodigoCero fallida descriptor_no_valido
pista --leccion 3
espera "Lo que hace tu programa: un descriptor ya cerrado o que no es tuyo (EBADF)" "síntoma común (00.tsv)"
grep -q 'descriptor_no_valido' <<<"$salida" && mal "el identificador interno del síntoma no debe salir para el alumno"
veredicto 03 01 Socket ServidorTerminaConCodigoCero superada

# Cada fichero de pistas tiene líneas bien formadas (CLAVE, PELDAÑO 1..4, TEXTO; un síntoma,
# además, su nombre en el peldaño 0).
for f in "$pistas"/[0-9][0-9].tsv; do
    awk -F'\t' -v f="$(basename "$f")" '/^#/ || NF == 0 { next }
        NF != 3 || $3 == "" || !($2 ~ /^[1-4]$/ || ($2 == "0" && $1 ~ /^sintoma:/)) {
            printf "✗ %s:%d: línea mal formada\n", f, NR; e = 1 }
        $1 ~ /^sintoma:/ { s[$1] = 1; if ($2 == "0") nombre[$1] = 1 }
        END { for (k in s) if (!(k in nombre)) { printf "✗ %s: %s no tiene nombre (peldaño 0)\n", f, k; e = 1 }
              exit e }' "$f" || fallos=$((fallos + 1))
done

if ((fallos > 0)); then echo "✗ pistas: $fallos fallos"; exit 1; fi
echo "✓ pistas: la escalera sube, se recuerda, se queda en el último peldaño y vuelve a empezar"
