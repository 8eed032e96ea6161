#!/usr/bin/env bash
# Comprueba la documentación: genera aparte los dos sitios (el del curso, con el Doxyfile del
# objetivo «docs» y los retoques de sockets_sitio, y el de profesores, con el de
# «docs_profesores») y revisa que
#   1. Doxygen no da ningún aviso en ninguno de los dos (un \ref o un \snippet roto es un aviso);
#   2. todo enlace local (href, src, data, xlink:href y el árbol lateral) lleva a un fichero, en
#      los dos sitios; el del curso no tiene páginas de código (la referencia es de profesores) y
#      sí su índice de búsqueda;
#   3. cada etapa de etapas.tsv tiene su página; las que tienen lección, también su listado,
#      con código;
#   4. cada paso del texto está en la tabla de trazabilidad, con su lección y sus pruebas;
#   5. las pruebas que citan las páginas existen, y cada prueba de etapa aparece en la trazabilidad;
#   6. cada sección de etapas.tsv (las únicas que pueden citar los informes) es un encabezado de
#      su página generada, con su ancla {#ancla} y exactamente el título de la tabla;
#   7. ningún \snippet salió vacío y no quedan textos de Doxygen en inglés;
#   8. cada cita («> …», los recuadros «El paso del texto», y las «…» del comentario inicial de
#      cada programa de lessons/ y solutions/) copia el texto fuente (docs/dev/texto_fuente.txt)
#      palabra por palabra, o RFC 1945 (docs/dev/rfc1945.txt) en las páginas de la lección 10: lo
#      hace comprobar_citas.py.
# Uso: comprobar_docs.sh DOXYGEN DOXYFILE RAIZ_DEL_REPO SALIDA SOCKETS_SITIO DOXYFILE_PROFESORES SOCKETS
#   (SOCKETS: la herramienta sockets, que responde por la tabla de etapas)
set -euo pipefail

if [[ $# -ne 7 ]]; then
    echo "uso: $0 DOXYGEN DOXYFILE RAIZ_DEL_REPO SALIDA SOCKETS_SITIO DOXYFILE_PROFESORES SOCKETS" >&2
    exit 2
fi
doxygen=$1 doxyfile=$2 raiz=$3 salida=$4 sitio=$5 doxyfile_profesores=$6 herramienta=$7
html="$salida/html"
profesores="$salida/profesores"
fallos=0

contar() {  # contar TEXTO FICHERO: cuántas veces aparece (0 si ninguna o si no existe)
    { grep -oF -- "$1" "$2" 2>/dev/null || true; } | wc -l
}

mal() {  # mal MENSAJE: anota un fallo y sigue (así se ven todos de una vez)
    echo "✗ $*"
    fallos=$((fallos + 1))
}

cuenta() {  # cuenta N SINGULAR PLURAL: «1 fallo», «3 fallos»
    if [[ $1 -eq 1 ]]; then echo "1 $2"; else echo "$1 $3"; fi
}

filas() {  # filas TIPO: las filas de etapas.tsv de ese tipo («etapa» o «seccion»), sin comentarios
    "$herramienta" etapas filas "$1"
}

pagina_html() {  # pagina_html FICHERO.md: la página HTML que genera (la etiqueta {#…} de su título)
    local etiqueta
    etiqueta=$(sed -nE '1,/^# /{s/^# .*\{#([A-Za-z0-9_]+)\}[[:space:]]*$/\1/p}' "$1" | sed -n 1p)  # sed lee hasta el final: sin SIGPIPE
    [[ -n $etiqueta ]] && echo "$etiqueta.html"
}

titulo_de_ancla() {  # titulo_de_ancla PAGINA.html ANCLA: el texto del encabezado con ese id
    # Doxygen escribe «<h1><a class="anchor" id="ANCLA"></a>\nTítulo</h1>»: se junta la página
    # en una línea, se toma lo que va del ancla al cierre del encabezado y se quitan etiquetas.
    tr '\n' ' ' <"$1" |
        grep -oE "<h[1-6][^>]*>[[:space:]]*<a class=\"anchor\" id=\"$2\"></a>[^<]*(<[^/h][^>]*>[^<]*|</[^h][^>]*>[^<]*)*</h[1-6]>" |
        sed -n 1p |
        sed -E 's/<[^>]*>//g; s/&#160;/ /g; s/&nbsp;/ /g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g' |
        sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//'
}

# --- 1. Generar, aparte y desde cero ------------------------------------------------------
rm -rf "$salida"
mkdir -p "$salida"
generar() {  # generar DOXYFILE NOMBRE: Doxygen con ese Doxyfile, a $salida; ningún aviso
    local registro="$salida/doxygen-$2.log"
    echo "· Generando $2 en $salida"
    if ! (cd "$raiz" && { cat "$1"; echo "OUTPUT_DIRECTORY = \"$salida\""; } |
          "$doxygen" - >"$registro" 2>&1); then
        mal "Doxygen ($2) terminó con error (con WARN_AS_ERROR, cualquier aviso lo es):"
    fi
    if grep -qiE 'warning|error' "$registro"; then
        grep -iE 'warning|error' "$registro" | sed 's/^/    /'
        mal "Doxygen ($2) dio $(cuenta "$(grep -ciE 'warning|error' "$registro")" aviso avisos) (arriba)"
    fi
}
generar "$doxyfile" "el sitio del curso"
generar "$doxyfile_profesores" "el sitio de profesores"
if [[ ! -f "$html/index.html" || ! -f "$profesores/index.html" ]]; then
    mal "no se generó $html/index.html o $profesores/index.html"
    echo "$(cuenta "$fallos" fallo fallos)"
    exit 1
fi
if ! "$sitio" "$html" | sed 's/^/    /'; then
    mal "sockets_sitio no pudo retocar el sitio del curso (arriba)"
fi

# Un \ref con texto entre comillas partido en dos líneas se come el resto de la página sin que
# Doxygen avise: se busca en las fuentes.
if grep -nE '\\ref [A-Za-z0-9_]+ "[^"]*$' "$raiz"/docs/*.md; then
    mal "hay \\ref con el texto entre comillas partido en dos líneas (arriba): júntalo en una"
fi

# --- 2. Enlaces locales ---------------------------------------------------------------------
echo "· Enlaces locales"
enlaces=0
rotos=0
for dir in "$html" "$profesores"; do
while IFS=$'\t' read -r origen destino; do
    enlaces=$((enlaces + 1))
    ruta=${destino%%#*}
    ruta=${ruta%%\?*}
    [[ -z $ruta ]] && continue  # solo un ancla dentro de la misma página
    if [[ ! -e "$dir/$ruta" ]]; then
        rotos=$((rotos + 1))
        [[ $rotos -le 20 ]] && echo "    ${dir##*/}/$origen → $destino"
    fi
done < <(
    cd "$dir"
    {
        # Atributos de las páginas y de los SVG (los \dot enlazan con \ref)...
        grep -oE '(href|src|data|xlink:href)="[^"]*"' -- *.html *.svg 2>/dev/null |
            sed -E 's/^([^:]+):[a-z:]+="(.*)"$/\1\t\2/'
        # ...y las páginas a las que apunta el árbol lateral (sin las entradas vacías del
        # índice, «"pages.html":[]», que no apuntan a ninguna parte).
        for arbol in navtree*.js; do
            [[ -e $arbol ]] || continue
            sed -E 's/"[^"]*":\[\]//g' "$arbol" | grep -oE '"[^"/]+\.html(#[^"]*)?"' |
                sed -E "s/^\"(.*)\"\$/$arbol\t\1/"
        done
    } | grep -vE $'\t''(https?:|mailto:|javascript:|data:|ftp:|#)' | sort -u
)
done
if [[ $rotos -gt 0 ]]; then
    mal "$(cuenta "$rotos" "enlace local roto" "enlaces locales rotos") (de $enlaces revisados)"
fi

# El sitio del curso es solo de páginas: el código de las soluciones llega plegado. La referencia
# (ficheros, clases, código fuente) es del sitio de profesores.
codigo=$(cd "$html" && ls -- files.html annotated.html *_8cpp*.html *_8h*.html 2>/dev/null | head -5 | tr '\n' ' ' || true)
if [[ -n $codigo ]]; then
    mal "el sitio del curso tiene páginas de la referencia del código ($codigo): son del de profesores"
fi
[[ -s "$html/buscar_indice.js" ]] || mal "el sitio del curso no tiene su índice de búsqueda (buscar_indice.js)"

# --- 3. Páginas de las etapas (las filas «etapa» de etapas.tsv) ------------------------------
echo "· Páginas de las etapas"
if [[ ! -x $herramienta ]]; then
    mal "no está la herramienta sockets ($herramienta), que responde por la tabla de etapas"
fi
lecciones=0
while IFS=$'\t' read -r _ nn nombre _ carpeta fichero; do
    fuente="$raiz/docs/$fichero"
    if [[ ! -f $fuente ]]; then
        mal "la etapa $nn ($nombre) tiene en etapas.tsv la página docs/$fichero, que no existe"
        continue
    fi
    html_de=$(pagina_html "$fuente") || true
    if [[ -z $html_de ]]; then
        mal "docs/$fichero (etapa $nn) no tiene etiqueta en su título («# Título {#etiqueta}»)"
        continue
    fi
    pagina="$html/$html_de"
    if [[ ! -f $pagina ]]; then
        mal "falta la página de la etapa $nn ($nombre): docs/$fichero no generó $html_de"
        continue
    fi
    [[ $carpeta == - ]] && continue  # sin lección propia (los argumentos): sin listado
    lecciones=$((lecciones + 1))
    listado="$html/${html_de%.html}_listado.html"
    [[ -f $listado ]] || mal "falta el listado completo de la lección $nn (${html_de%.html}_listado.html)"
    # Los fragmentos esperados: \snippet y bloques ``` de la parte principal (antes de \page).
    esperados=$(awk '/^\\page /{exit} /^\\snippet /{n++} /^```/{b++} END{print n + int(b/2)}' "$fuente")
    hechos=$(contar '<div class="fragment">' "$pagina")
    if [[ $hechos -lt $esperados ]]; then
        mal "$html_de tiene $(cuenta "$hechos" "bloque" "bloques") de código y su fuente pide $esperados"
    fi
    en_listado=$(contar '<div class="fragment">' "$listado")
    [[ $en_listado -ge 2 ]] || mal "el listado de la lección $nn no muestra servidor.cpp y cliente.cpp"
done < <(filas etapa)
[[ $lecciones -gt 0 ]] || mal "etapas.tsv no tiene ninguna etapa con lección"
if grep -lE '<div class="fragment">[[:space:]]*</div>' "$html"/*.html >/dev/null 2>&1; then
    mal "bloques de código vacíos en: $(grep -lE '<div class="fragment">[[:space:]]*</div>' "$html"/*.html | xargs -n1 basename | tr '\n' ' ')"
fi

# --- 4. Trazabilidad: cada paso del texto, su lección y sus pruebas --------------------------
echo "· Tabla de trazabilidad"
traza="$html/trazabilidad.html"
pasos="M1 M2 M3 M4 S1 S2 S3 S4 S5 S6 C1 C2 C3 F1 F2 F3 V1 V2"
if [[ ! -f $traza ]]; then
    mal "falta trazabilidad.html"
else
    for paso in $pasos; do
        fila=$(awk -v paso="$paso" 'BEGIN{RS="<tr"} $0 ~ "<td[^>]*>[[:space:]]*" paso "[[:space:]]*</td>" {print; exit}' "$traza")
        if [[ -z $fila ]]; then
            mal "el paso $paso del texto no está en la tabla de trazabilidad"
            continue
        fi
        grep -qE 'href="leccion0[1-7]\.html' <<<"$fila" || mal "el paso $paso no enlaza con su lección"
        grep -qE '<code>[A-Z][A-Za-z]*\.[A-Z][A-Za-z]*</code>' <<<"$fila" || mal "el paso $paso no nombra ninguna prueba"
    done
fi

# --- 5. Las pruebas citadas existen; las de cada etapa están en la trazabilidad --------------
echo "· Nombres de las pruebas"
existentes=$(grep -hoE 'TEST(_F)?\([A-Za-z]+, *[A-Za-z]+\)' "$raiz"/tests/etapas/*.cpp \
                 "$raiz"/tests/experimentos/*.cpp |
             sed -E 's/TEST(_F)?\(([A-Za-z]+), *([A-Za-z]+)\)/\2.\3/' | sort -u)
citadas=$(grep -hoE '`[A-Z][A-Za-z]*\.[A-Z][A-Za-z]*`' "$raiz"/docs/*.md | tr -d '`' | sort -u)
for prueba in $(comm -13 <(echo "$existentes") <(echo "$citadas")); do
    mal "la documentación cita la prueba $prueba, que no existe en tests/etapas/ ni en tests/experimentos/"
done
for fuente in "$raiz"/tests/etapas/etapa*.cpp; do
    for prueba in $(grep -hoE 'TEST_F\([A-Za-z]+, *[A-Za-z]+\)' "$fuente" |
                    sed -E 's/TEST_F\(([A-Za-z]+), *([A-Za-z]+)\)/\1.\2/'); do
        grep -qF "\`$prueba\`" "$raiz/docs/trazabilidad.md" ||
            mal "la prueba $prueba ($(basename "$fuente")) no aparece en docs/trazabilidad.md"
    done
done

# --- 6. Las secciones de la tabla: encabezados con su ancla y su título ----------------------
# Los informes solo pueden citar secciones de etapas.tsv (arnes::secciones::<ancla>); cada una
# tiene que ser un encabezado «## Título {#ancla}» de su página, con el título exacto de la tabla.
echo "· Secciones de etapas.tsv"
secciones=0
while IFS=$'\t' read -r _ nn ancla fichero titulo; do
    secciones=$((secciones + 1))
    fuente="$raiz/docs/$fichero"
    if [[ ! -f $fuente ]]; then
        mal "la sección $ancla (etapa $nn) está en docs/$fichero, que no existe"
        continue
    fi
    html_de=$(pagina_html "$fuente") || true
    if [[ -z $html_de || ! -f "$html/$html_de" ]]; then
        mal "la sección $ancla está en docs/$fichero, que no generó su página HTML"
        continue
    fi
    if ! grep -qF "id=\"$ancla\"" "$html/$html_de"; then
        mal "$html_de (de docs/$fichero) no tiene el ancla «$ancla» de la sección «$titulo»:" \
            "pon «## $titulo {#$ancla}» en su encabezado"
        continue
    fi
    generado=$(titulo_de_ancla "$html/$html_de" "$ancla")
    if [[ -z $generado ]]; then
        mal "en $html_de el ancla «$ancla» no es la de un encabezado (se esperaba «## $titulo {#$ancla}»)"
    elif [[ $generado != "$titulo" ]]; then
        mal "el encabezado con el ancla «$ancla» en docs/$fichero dice «$generado» y etapas.tsv" \
            "dice «$titulo»: tienen que coincidir"
    fi
done < <(filas seccion)
for repetida in $(filas seccion | cut -f3 | sort | uniq -d); do
    mal "el ancla «$repetida» aparece en más de una fila «seccion» de etapas.tsv"
done

# --- 7. Textos de Doxygen que se quedaron en inglés -----------------------------------------
echo "· Textos en inglés"
ingles='Main Page|Related Pages|Generated by|Generated on|Go to the source code|More\.\.\.|Class List|File List|Namespace List|Here is a list|Definition at line'
if grep -lE "$ingles" "$html"/*.html "$html"/*.js "$profesores"/*.html "$profesores"/*.js >/dev/null 2>&1; then
    grep -oE "$ingles" "$html"/*.html "$html"/*.js "$profesores"/*.html "$profesores"/*.js | sort | uniq -c | sed -n "1,10s/^/    /p"
    mal "quedan textos en inglés (arriba)"
fi

# --- 8. Las citas del texto fuente, palabra por palabra -------------------------------------
echo "· Citas del texto fuente"
if ! python3 "$raiz/docs/comprobar_citas.py" "$raiz/docs/dev/texto_fuente.txt" \
        --fuente "$raiz/docs/dev/rfc1945.txt" "$raiz"/docs/*.md \
        "$raiz"/lessons/[0-9]*/*.cpp "$raiz"/solutions/[0-9]*/*.cpp |
        sed 's/^/    /'; then
    mal "hay citas que no copian el texto fuente (arriba)"
fi

if [[ $fallos -gt 0 ]]; then
    echo "✗ Documentación: $(cuenta "$fallos" fallo fallos)"
    exit 1
fi
echo "✓ Documentación: sin avisos, $enlaces enlaces locales correctos, $lecciones lecciones," \
     "$secciones secciones con su ancla, $(wc -w <<<"$pasos") pasos trazados"
echo "  $html/index.html"
