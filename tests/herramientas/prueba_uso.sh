#!/usr/bin/env bash
# Prueba del uso diario de ./tutorial en una terminal de verdad (tmux): lee la pantalla con
# «tmux capture-pane» y comprueba que
#   · ./tutorial (sin orden) enseña la barra «N de M» (M: las lecciones de la tabla de etapas) y la
#     orden siguiente, con y sin resultados previos, y sale con 0;
#   · ./tutorial foo sale con 2 con un mensaje corto («prueba ./tutorial --help»), no la ayuda, y
#     una orden casi bien escrita (chek) sugiere la parecida («¿querías decir check?»);
#   · ./tutorial check --help sale con 0 y enseña su uso;
#   · con NO_COLOR=1 no hay ni un color (y sin NO_COLOR sí, para que la comprobación no sea vacía);
#   · ./tutorial watch 1 prueba la lección y atiende las teclas p, t y q (ver el punto 7).
# No compila nada: usa la carpeta de compilación que ya existe (SOCKETS_ALUMNO_BUILD, SOCKETS_DEMO_BUILD).
# Uso: prueba_uso.sh RAIZ_DEL_REPO CARPETA_DE_COMPILACION     (sale con 77 si no se puede)
set -euo pipefail

raiz=$1 build=$2
if ! command -v tmux >/dev/null; then
    echo "↷ omitida: no está tmux (sudo apt-get install -y tmux)"; exit 77
fi
if [[ ! -x "$build/tests/sockets" ]]; then
    echo "↷ omitida: falta $build/tests/sockets (compila antes: cmake --build)"; exit 77
fi

# ./tutorial pregunta la tabla de etapas a esta herramienta: no compila nada.
export SOCKETS_HERRAMIENTA=$build/tests/sockets
tmp=$(mktemp -d)
servidor=sockets-uso-$$
trap 'tmux -L "$servidor" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
fallos=0
mal() { echo "✗ $*"; fallos=$((fallos + 1)); }
bien() { echo "✓ $*"; }

# Las lecciones de la tabla: la barra debe decir «de M».
m=$("$SOCKETS_HERRAMIENTA" etapas lecciones | wc -l)

# en_terminal NOMBRE ORDEN...: ejecuta la orden en una terminal de tmux de 100x50, espera a que
# acabe (20 s como mucho) y deja la pantalla en $tmp/NOMBRE.txt (sin colores), en
# $tmp/NOMBRE.color (con las secuencias de color de capture-pane -e) y el código en $tmp/NOMBRE.rc.
en_terminal() {
    local nombre=$1 i
    shift
    local orden
    printf -v orden '%q ' "$@"
    tmux -L "$servidor" -f /dev/null new-session -d -s "$nombre" -x 100 -y 50 \
        "cd $(printf '%q' "$raiz") && $orden; echo \"FIN:\$?\" >$(printf '%q' "$tmp/$nombre.rc"); sleep 60"
    for ((i = 0; i < 200; i++)); do
        [[ -s "$tmp/$nombre.rc" ]] && break
        sleep 0.1
    done
    tmux -L "$servidor" capture-pane -p -t "$nombre" >"$tmp/$nombre.txt"
    tmux -L "$servidor" capture-pane -p -e -t "$nombre" >"$tmp/$nombre.color"
    tmux -L "$servidor" kill-session -t "$nombre" 2>/dev/null || true
    if [[ ! -s "$tmp/$nombre.rc" ]]; then
        echo "FIN:colgada" >"$tmp/$nombre.rc"
    fi
}
codigo() { sed -n 's/^FIN://p' "$tmp/$1.rc"; }
pantalla() { echo "    pantalla:"; grep -v '^$' "$tmp/$1.txt" | sed -n '1,15s/^/      /p'; }
con_color() { grep -q $'\e\\[' "$tmp/$1.color"; }

# 1. Sin orden y sin resultados: la barra «0 de M» y la primera orden.
en_terminal inicio env -u NO_COLOR SOCKETS_ALUMNO_BUILD="$tmp/sin-compilar" ./tutorial
if [[ $(codigo inicio) == 0 ]] && grep -q "0 de $m" "$tmp/inicio.txt" &&
   grep -q './tutorial check' "$tmp/inicio.txt"; then
    bien "./tutorial sin resultados: barra «0 de $m» y la orden siguiente"
else
    mal "./tutorial sin resultados: se esperaba código 0, «0 de $m» y «./tutorial check» (código $(codigo inicio))"; pantalla inicio
fi
if con_color inicio; then bien "en una terminal, con colores"; else mal "en una terminal sin NO_COLOR no salió ningún color"; fi

# 2. Sin orden, con la carpeta de compilación de verdad: la tabla y la barra «N de M».
en_terminal tabla env -u NO_COLOR SOCKETS_ALUMNO_BUILD="$build" ./tutorial
if [[ $(codigo tabla) == 0 ]] && grep -qE "[0-9]+ de $m" "$tmp/tabla.txt" && grep -q 'Lección' "$tmp/tabla.txt"; then
    bien "./tutorial con resultados: la tabla y la barra «N de $m»"
else
    mal "./tutorial con resultados: se esperaba código 0, la tabla y «N de $m» (código $(codigo tabla))"; pantalla tabla
fi

# 3. NO_COLOR=1: ni un color.
en_terminal sincolor env NO_COLOR=1 SOCKETS_ALUMNO_BUILD="$build" ./tutorial
if [[ $(codigo sincolor) == 0 ]] && grep -qE "[0-9]+ de $m" "$tmp/sincolor.txt" && ! con_color sincolor; then
    bien "NO_COLOR=1 ./tutorial: sin colores"
else
    mal "NO_COLOR=1 ./tutorial: salieron colores o no salió la barra (código $(codigo sincolor))"
    grep -m 3 $'\e\\[' "$tmp/sincolor.color" | cat -v | sed 's/^/      /' || true
fi

# 4. Una orden desconocida: código 2, un mensaje corto, no toda la ayuda.
en_terminal foo env NO_COLOR=1 ./tutorial foo
lineas=$(grep -cv '^$' "$tmp/foo.txt" || true)
if [[ $(codigo foo) == 2 ]] && grep -q 'foo' "$tmp/foo.txt" && grep -q 'prueba ./tutorial --help' "$tmp/foo.txt" &&
   ((lineas <= 4)) && ! con_color foo; then
    bien "./tutorial foo: código 2 y un mensaje corto ($lineas líneas) con «prueba ./tutorial --help»"
else
    mal "./tutorial foo: se esperaba código 2 y un mensaje corto con «prueba ./tutorial --help» (código $(codigo foo), $lineas líneas)"
    pantalla foo
fi

# Una orden casi bien escrita: el mensaje sugiere la que se parece («¿querías decir check?»).
en_terminal chek env NO_COLOR=1 ./tutorial chek 1
if [[ $(codigo chek) == 2 ]] && grep -q '¿querías decir check?' "$tmp/chek.txt"; then
    bien "./tutorial chek 1: código 2 y «¿querías decir check?»"
else
    mal "./tutorial chek 1: se esperaba código 2 y «¿querías decir check?» (código $(codigo chek))"
    pantalla chek
fi

# 5. La ayuda de una orden.
en_terminal ayuda env NO_COLOR=1 ./tutorial check --help
if [[ $(codigo ayuda) == 0 ]] && grep -q 'Uso: ./tutorial check' "$tmp/ayuda.txt"; then
    bien "./tutorial check --help: su uso, código 0"
else
    mal "./tutorial check --help: se esperaba «Uso: ./tutorial check» y código 0 (código $(codigo ayuda))"; pantalla ayuda
fi

# 6. Un error de uso de una orden: código 2 y su ayuda a mano.
en_terminal uso env NO_COLOR=1 ./tutorial check --nada
if [[ $(codigo uso) == 2 ]] && grep -q 'prueba ./tutorial check --help' "$tmp/uso.txt"; then
    bien "./tutorial check --nada: código 2 y «prueba ./tutorial check --help»"
else
    mal "./tutorial check --nada: se esperaba código 2 y «prueba ./tutorial check --help» (código $(codigo uso))"; pantalla uso
fi

# 7. watch en una terminal: prueba la lección y atiende las teclas p (pista), t (traza) y q (salir).
#    Usa los programas y herramientas ya compilados de este build (SOCKETS_ALUMNO_BUILD y
#    SOCKETS_DEMO_BUILD): no configura ni compila nada, ni toca build/alumno. Hace falta un build
#    con lessons/ y solutions/ (el de «ci»); en otro, esta parte se omite.
# esperar_en_pantalla SESIÓN TEXTO [VECES]: hasta 180 s a que TEXTO salga VECES veces (historial
# incluido); deja la pantalla en $tmp/SESIÓN.txt.
esperar_en_pantalla() {
    local sesion=$1 texto=$2 veces=${3:-1} i n
    for ((i = 0; i < 1800; i++)); do
        tmux -L "$servidor" capture-pane -p -S - -t "$sesion" >"$tmp/$sesion.txt" 2>/dev/null || return 1
        n=$(grep -cF -- "$texto" "$tmp/$sesion.txt" || true)
        ((n >= veces)) && return 0
        sleep 0.1
    done
    return 1
}
tecla() { tmux -L "$servidor" send-keys -t vigilar "$1"; }
if [[ -x "$build/programas/lessons/01_socket/servidor" && -x "$build/programas/solutions/01_socket/servidor" &&
      -x "$build/tests/sockets" ]]; then
    # El estado de las pistas de este build se guarda y se repone: la prueba sube un peldaño.
    [[ -f "$build/pistas.json" ]] && cp -p "$build/pistas.json" "$tmp/pistas.json"
    printf -v orden 'cd %q && NO_COLOR=1 SOCKETS_ALUMNO_BUILD=%q SOCKETS_DEMO_BUILD=%q ./tutorial watch 1' \
        "$raiz" "$build" "$build"
    tmux -L "$servidor" -f /dev/null new-session -d -s vigilar -x 120 -y 50 \
        "$orden; echo \"FIN:\$?\" >$(printf '%q' "$tmp/vigilar.rc"); sleep 60"
    tmux -L "$servidor" set-option -t vigilar history-limit 20000 >/dev/null
    if ! esperar_en_pantalla vigilar 'Teclas (sin Enter)'; then
        mal "watch 1: no llegó a probar la lección y enseñar las teclas"; pantalla vigilar
    else
        bien "watch 1: prueba la lección 1 y enseña las teclas"
        tecla p
        if esperar_en_pantalla vigilar '(sigo vigilando' && grep -q 'Pista 1 de' "$tmp/vigilar.txt"; then
            bien "watch, tecla p: la primera pista de la prueba que falla"
        else
            mal "watch, tecla p: se esperaba «Pista 1 de …» y «(sigo vigilando»"; pantalla vigilar
        fi
        tecla t
        if esperar_en_pantalla vigilar '(sigo vigilando' 2 && grep -q 'La solución' "$tmp/vigilar.txt"; then
            bien "watch, tecla t: la traza de tu servidor junto a la de la solución"
        else
            mal "watch, tecla t: se esperaba la traza («La solución») y «(sigo vigilando»"; pantalla vigilar
        fi
        tecla q
        for ((i = 0; i < 300; i++)); do [[ -s "$tmp/vigilar.rc" ]] && break; sleep 0.1; done
        esperar_en_pantalla vigilar 'Dejo de vigilar.' || true
        if [[ $(codigo vigilar 2>/dev/null) == 0 ]] && grep -q 'Dejo de vigilar.' "$tmp/vigilar.txt"; then
            bien "watch, tecla q: «Dejo de vigilar.» y código 0"
        else
            mal "watch, tecla q: se esperaba «Dejo de vigilar.» y código 0 (código $(codigo vigilar 2>/dev/null || echo ninguno))"
            pantalla vigilar
        fi
    fi
    tmux -L "$servidor" kill-session -t vigilar 2>/dev/null || true
    if [[ -f "$tmp/pistas.json" ]]; then cp -p "$tmp/pistas.json" "$build/pistas.json"; else rm -f "$build/pistas.json"; fi
else
    echo "↷ watch: omitido (este build no tiene los programas de lessons/ y solutions/)"
fi

if ((fallos > 0)); then echo "$fallos comprobaciones fallidas"; exit 1; fi
echo "todas las comprobaciones del uso en una terminal, correctas"
