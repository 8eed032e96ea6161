#!/usr/bin/env bash
# Comprueba la documentación: la genera aparte con el Doxyfile del objetivo «docs» y revisa que
#   1. Doxygen no da ningún aviso (un \ref o un \snippet roto es un aviso);
#   2. todo enlace local (href, src, data, xlink:href y el árbol lateral) lleva a un fichero;
#   3. cada lección 01..07 tiene su página y su listado, con código;
#   4. cada paso del texto está en la tabla de trazabilidad, con su lección y sus pruebas;
#   5. las pruebas que citan las páginas existen, y cada prueba de etapa aparece en la trazabilidad;
#   6. las secciones que citan los informes de las pruebas («sección «…»») existen;
#   7. ningún \snippet salió vacío y no quedan textos de Doxygen en inglés.
# Uso: comprobar_docs.sh DOXYGEN DOXYFILE RAIZ_DEL_REPO SALIDA
set -euo pipefail

if [[ $# -ne 4 ]]; then
    echo "uso: $0 DOXYGEN DOXYFILE RAIZ_DEL_REPO SALIDA" >&2
    exit 2
fi
doxygen=$1 doxyfile=$2 raiz=$3 salida=$4
html="$salida/html"
fallos=0

contar() {  # contar TEXTO FICHERO: cuántas veces aparece (0 si ninguna o si no existe)
    { grep -oF -- "$1" "$2" 2>/dev/null || true; } | wc -l
}

mal() {  # mal MENSAJE: anota un fallo y sigue (así se ven todos de una vez)
    echo "✗ $*"
    fallos=$((fallos + 1))
}

# --- 1. Generar, aparte y desde cero ------------------------------------------------------
rm -rf "$salida"
mkdir -p "$salida"
registro="$salida/doxygen.log"
echo "· Generando la documentación en $salida"
if ! (cd "$raiz" && { cat "$doxyfile"; echo "OUTPUT_DIRECTORY = \"$salida\""; } |
      "$doxygen" - >"$registro" 2>&1); then
    mal "Doxygen terminó con error (con WARN_AS_ERROR, cualquier aviso lo es):"
fi
if grep -qiE 'warning|error' "$registro"; then
    grep -iE 'warning|error' "$registro" | sed 's/^/    /'
    mal "Doxygen dio $(grep -ciE 'warning|error' "$registro") avisos (arriba)"
fi
if [[ ! -f "$html/index.html" ]]; then
    mal "no se generó $html/index.html"
    echo "$fallos fallos"
    exit 1
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
while IFS=$'\t' read -r origen destino; do
    enlaces=$((enlaces + 1))
    ruta=${destino%%#*}
    ruta=${ruta%%\?*}
    [[ -z $ruta ]] && continue  # solo un ancla dentro de la misma página
    if [[ ! -e "$html/$ruta" ]]; then
        rotos=$((rotos + 1))
        [[ $rotos -le 20 ]] && echo "    $origen → $destino"
    fi
done < <(
    cd "$html"
    {
        # Atributos de las páginas y de los SVG (los \dot enlazan con \ref)...
        grep -oE '(href|src|data|xlink:href)="[^"]*"' -- *.html *.svg 2>/dev/null |
            sed -E 's/^([^:]+):[a-z:]+="(.*)"$/\1\t\2/'
        # ...y las páginas a las que apunta el árbol lateral.
        grep -oE '"[^"/]+\.html(#[^"]*)?"' -- navtree*.js 2>/dev/null |
            sed -E 's/^([^:]+):"(.*)"$/\1\t\2/'
    } | grep -vE $'\t''(https?:|mailto:|javascript:|data:|ftp:|#)' | sort -u
)
if [[ $rotos -gt 0 ]]; then
    mal "$rotos enlaces locales rotos (de $enlaces revisados)"
fi

# --- 3. Páginas de las lecciones -------------------------------------------------------------
echo "· Páginas de las lecciones"
for nn in 01 02 03 04 05 06 07; do
    pagina="$html/leccion$nn.html"
    if [[ ! -f $pagina ]]; then
        mal "falta la página de la lección $nn (leccion$nn.html)"
        continue
    fi
    [[ -f "$html/leccion${nn}_listado.html" ]] || mal "falta el listado completo de la lección $nn"
    fuente=$(grep -l "{#leccion$nn}" "$raiz"/docs/*.md | head -n1)
    # Los fragmentos esperados: \snippet y bloques ``` de la parte principal (antes de \page).
    esperados=$(awk '/^\\page /{exit} /^\\snippet /{n++} /^```/{b++} END{print n + int(b/2)}' "$fuente")
    hechos=$(contar '<div class="fragment">' "$pagina")
    if [[ $hechos -lt $esperados ]]; then
        mal "leccion$nn.html tiene $hechos bloques de código y su fuente pide $esperados"
    fi
    listado=$(contar '<div class="fragment">' "$html/leccion${nn}_listado.html")
    [[ $listado -ge 2 ]] || mal "el listado de la lección $nn no muestra servidor.cpp y cliente.cpp"
done
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
existentes=$(grep -hoE 'TEST_F\([A-Za-z]+, *[A-Za-z]+\)' "$raiz"/tests/etapas/*.cpp |
             sed -E 's/TEST_F\(([A-Za-z]+), *([A-Za-z]+)\)/\1.\2/' | sort -u)
citadas=$(grep -hoE '`[A-Z][A-Za-z]*\.[A-Z][A-Za-z]*`' "$raiz"/docs/*.md | tr -d '`' | sort -u)
for prueba in $(comm -13 <(echo "$existentes") <(echo "$citadas")); do
    mal "la documentación cita la prueba $prueba, que no existe en tests/etapas/"
done
for fuente in "$raiz"/tests/etapas/etapa*.cpp; do
    for prueba in $(grep -hoE 'TEST_F\([A-Za-z]+, *[A-Za-z]+\)' "$fuente" |
                    sed -E 's/TEST_F\(([A-Za-z]+), *([A-Za-z]+)\)/\1.\2/'); do
        grep -qF "\`$prueba\`" "$raiz/docs/trazabilidad.md" ||
            mal "la prueba $prueba ($(basename "$fuente")) no aparece en docs/trazabilidad.md"
    done
done

# --- 6. Las secciones que citan los informes de las pruebas ---------------------------------
echo "· Secciones citadas por las pruebas"
while IFS= read -r cita; do
    pagina=${cita%%,*}
    seccion=$(sed -E 's/.*sección «([^»]*)».*/\1/' <<<"$cita")
    if [[ ! -f "$raiz/$pagina" ]]; then
        mal "las pruebas citan $pagina, que no existe"
    elif ! grep -qxF "## $seccion" "$raiz/$pagina"; then
        mal "las pruebas citan la sección «$seccion» de $pagina, que no existe"
    fi
done < <(grep -rhoE 'docs/[a-z0-9_]+\.md, sección «[^»]+»' "$raiz/tests" | sort -u)

# --- 7. Textos de Doxygen que se quedaron en inglés -----------------------------------------
echo "· Textos en inglés"
ingles='Main Page|Related Pages|Generated by|Generated on|Go to the source code|More\.\.\.|Class List|File List|Namespace List|Here is a list|Definition at line'
if grep -lE "$ingles" "$html"/*.html "$html"/*.js >/dev/null 2>&1; then
    grep -oE "$ingles" "$html"/*.html "$html"/*.js | sort | uniq -c | head -n 10 | sed 's/^/    /'
    mal "quedan textos en inglés (arriba)"
fi

if [[ $fallos -gt 0 ]]; then
    echo "✗ Documentación: $fallos fallos"
    exit 1
fi
echo "✓ Documentación: sin avisos, $enlaces enlaces locales correctos, 7 lecciones, $(wc -w <<<"$pasos") pasos trazados"
echo "  $html/index.html"
