# informes.awk — lee Testing/Temporary/LastTest.log de CTest y saca el informe en español de cada
# prueba (lo que escribió arnes::redactar, sin el ruido de GoogleTest).
#
#   awk -v modo=informe -v nombre='lecciones/L03/E03/Listen.X' -f informes.awk LastTest.log
#       imprime el informe de esa prueba (texto tal cual).
#   awk -v modo=tsv -f informes.awk LastTest.log
#       una línea por prueba: nombre<TAB>informe con escapes JSON (\n, \", \\).
#
# Si la salida no contiene nada tras quitar el ruido (un cuelgue, un plazo de CTest vencido), el
# informe son las últimas líneas de la salida cruda.

function limpiar_informe(crudo,    n, lineas, i, l, dentro, hay, sal, cola, desde) {
    n = split(crudo, lineas, "\n")
    sal = ""; hay = 0; dentro = 0
    for (i = 1; i <= n; i++) {
        l = lineas[i]
        if (l ~ /^\[ RUN      \]/) { dentro = 1; continue }
        if (l ~ /^\[  FAILED  \]/ || l ~ /^\[       OK \]/ || l ~ /^\[  SKIPPED \]/) { dentro = 0; continue }
        if (!dentro) continue
        if (l ~ /^\/.*:[0-9]+: (Failure|Skipped)$/ || l ~ /^Failed$/ || l ~ /^unknown file: /) continue
        sal = sal l "\n"; hay = 1
    }
    # Lo que GoogleTest escriba antes del primer informe (un EXPECT_EQ crudo) no es para el alumno.
    desde = index(sal, "✗ Etapa")
    if (desde > 1) sal = substr(sal, desde)
    if (hay) return sal
    # Sin informe reconocible: las 15 últimas líneas de la salida.
    desde = n > 15 ? n - 15 : 1
    cola = ""
    for (i = desde; i <= n; i++) if (lineas[i] != "") cola = cola lineas[i] "\n"
    return cola
}

function json(s,    n, i, trozos) {
    # La barra invertida sin gsub: su texto de reemplazo trata «\\» distinto en cada awk.
    n = split(s, trozos, /\\/); s = trozos[1]
    for (i = 2; i <= n; i++) s = s "\\\\" trozos[i]
    gsub(/"/, "\\\"", s)
    gsub(/\t/, "\\t", s)
    gsub(/\r/, "", s)
    gsub(/\033\[[0-9;]*m/, "", s)
    gsub(/[\001-\010\013\014\016-\037]/, "", s)
    gsub(/\n/, "\\n", s)
    return s
}

function terminar_prueba() {
    if (actual == "") return
    if (modo == "informe" && actual == nombre) { printf "%s", limpiar_informe(salida); encontrada = 1 }
    if (modo == "tsv") printf "%s\t%s\n", actual, json(limpiar_informe(salida))
    actual = ""; salida = ""; capturando = 0
}

/^[0-9]+\/[0-9]+ Test: / { terminar_prueba(); actual = $0; sub(/^[0-9]+\/[0-9]+ Test: /, "", actual); next }
actual != "" && /^Output:$/ { capturando = 1; getline; next }   # la línea de guiones
actual != "" && /^<end of output>$/ { capturando = 0; next }
capturando { salida = salida $0 "\n"; next }
/^"[^"]*" end time: / { terminar_prueba(); next }
END { terminar_prueba(); if (modo == "informe" && !encontrada) exit 1 }
