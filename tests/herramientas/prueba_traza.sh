#!/usr/bin/env bash
# Prueba de «sockets traza» (VISTA: la herramienta sockets).
#   prueba_traza.sh VISTA DIR_PROGRAMAS NN servidor|cliente
#     la solución de la lección NN frente a sí misma no se separa (código 0); la lección sin
#     tocar frente a su solución se separa y lo marca (código 1, «◆ aquí te separas»). Del
#     servidor que sigue vivo al final solo se dice que es lo normal desde la etapa de fork.
#   prueba_traza.sh VISTA DIR_PROGRAMAS NN repite DIR_REPITE
#     DIR_REPITE/servidor (traza_repite.cpp) hace 60 pares de llamadas alternas y repite 12 000
#     veces read() = 0: la traza junta las repetidas en una línea con su cuenta («×12 000 veces»)
#     y el dibujo no pasa de su tope (dice cuántas líneas no muestra). Nada depende de cuánto le
#     dé tiempo a hacer: la suma exacta solo se mira si terminó por sí mismo. Si sigue vivo en
#     una lección anterior a la de fork, la traza lo señala como síntoma; si gira sin parar en
#     read() = 0, dice que da vueltas (no que está bloqueado).
#   prueba_traza.sh VISTA DIR_PROGRAMAS NN escenario PRUEBA_ETAPA05
#     el escenario de una prueba que falla (ClienteEco.ImprimeElEcoDelMensaje, ejecutada con
#     PRUEBA_ETAPA05): sin --programa traza el cliente (el de esa prueba) en esa prueba, con la
#     lección sin tocar y con la solución, y se separa; con veredictos que dicen que falla una
#     prueba, nunca «siguen la misma secuencia», ni siquiera la solución frente a sí misma.
# La carpeta de la lección NN y la etapa de fork, de la tabla de etapas (sockets etapas).
set -u
vista=$1 programas=$2 nn=$3 quien=$4
carpeta=$("$vista" etapas fila "$nn" | cut -f4)
fork=$("$vista" etapas de fork)
[[ -n "$carpeta" && -n "$fork" ]] || { echo "✗ la tabla de etapas no tiene la etapa $nn o la de fork"; exit 1; }
sol=$programas/solutions/$carpeta lec=$programas/lessons/$carpeta
fallos=0
falla() { echo "✗ $1"; [[ -z "${2:-}" ]] || printf '%s\n' "$2"; fallos=1; }

if [[ $quien == repite ]]; then
    repite=$5
    [[ -x $sol/servidor ]] || { echo "↷ falta $sol/servidor (este build no compila las soluciones)"; exit 77; }
    salida=$(NO_COLOR=1 "$vista" traza --programa servidor --leccion "$nn" --alumno "$repite" --referencia "$sol" 2>&1)
    codigo=$?
    ((codigo == 77)) && { echo "↷ no se puede trazar: $salida"; exit 77; }
    # Solo el dibujo del alumno: hasta «La solución».
    alumno=$(sed '/^La solución/q' <<<"$salida")
    lineas_fin=$(grep -c 'read([0-9]*) = 0 (fin de fichero)' <<<"$alumno")
    # Lo que hace la prueba entre medias (recibe, FIN, close...: 5 filas como mucho) parte la
    # racha en tramos según el reparto de la CPU; cada tramo, una línea.
    ((lineas_fin >= 1 && lineas_fin <= 6)) ||
        falla "12 000 read() = 0 seguidos debían salir en 1-6 líneas (una por tramo), no en $lineas_fin:" "$alumno"
    grep -q 'read([0-9]*) = 0 (fin de fichero)  ×[0-9 ]* veces' <<<"$alumno" ||
        falla "falta la cuenta «×N veces» de las lecturas repetidas:" "$alumno"
    grep -qE '×[0-9]{5,}' <<<"$alumno" && falla "los millares van separados («×12 000 veces»):" "$alumno"
    grep -q 'líneas más, sin mostrar' <<<"$alumno" ||
        falla "120 llamadas alternas pasan del tope: debía decir cuántas líneas no muestra:" "$alumno"
    (($(wc -l <<<"$alumno") <= 110)) || falla "el dibujo pasa de su tope ($(wc -l <<<"$alumno") líneas)" "$alumno"
    # Si terminó por sí mismo, todas sus lecturas están en la traza: las cuentas suman 12 000.
    if grep -q '(terminó con código 0)' <<<"$alumno"; then
        suma=0
        while read -r n; do suma=$((suma + 10#$n)); done < <(grep 'read([0-9]*) = 0 (fin de fichero)' <<<"$alumno" |
            sed -E 's/.*×([0-9 ]+) veces.*/\1/; t; s/.*/1/' | tr -d ' ')
        ((suma == 12000)) || falla "las cuentas de read() = 0 suman $suma, no 12000:" "$alumno"
    fi
    # Un servidor que sigue vivo: en una lección anterior a la de fork es un síntoma.
    salida=$(TRAZA_REPITE_SIGUE=1 NO_COLOR=1 "$vista" traza --programa servidor --leccion "$nn" \
        --alumno "$repite" --referencia "$sol" 2>&1)
    alumno=$(sed '/^La solución/q' <<<"$salida")
    if ((10#$nn < 10#$fork)); then
        grep -q 'seguía vivo.*termina tras atender a su único cliente; este no terminó' <<<"$alumno" ||
            falla "en la lección $nn, un servidor que sigue vivo es un síntoma y debía decirlo:" "$alumno"
        grep -q 'no termina;' <<<"$alumno" && falla "en la lección $nn el servidor sí termina:" "$alumno"
    fi
    # Uno que gira sin parar en read() = 0 no está «bloqueado»: da vueltas, y se dice.
    salida=$(TRAZA_REPITE_SIGUE=gira NO_COLOR=1 "$vista" traza --programa servidor --leccion "$nn" \
        --alumno "$repite" --referencia "$sol" 2>&1)
    alumno=$(sed '/^La solución/q' <<<"$salida")
    grep -q 'seguía vivo, dando vueltas: repetía read([0-9]*) = 0 (fin de fichero) sin parar' <<<"$alumno" ||
        falla "un servidor que gira en read() = 0 debía decir que da vueltas:" "$alumno"
    (($(wc -l <<<"$alumno") <= 110)) || falla "el dibujo pasa de su tope ($(wc -l <<<"$alumno") líneas)" "$alumno"
    ((fallos == 0)) && echo "✓ traza: las llamadas repetidas se juntan con su cuenta y el dibujo tiene tope"
    exit $fallos
fi

if [[ $quien == escenario ]]; then
    prueba=$5
    [[ -x $sol/cliente && -x $lec/cliente ]] || { echo "↷ faltan $sol/cliente o $lec/cliente"; exit 77; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cat >"$tmp/escenario.json" <<JSON
{"caso": "ClienteEco.ImprimeElEcoDelMensaje", "etapa": 5, "programa": "cliente",
 "entrada": "cliente 127.0.0.1 PUERTO «hola eco»",
 "comando": ["$prueba", "--gtest_filter=ClienteEco.ImprimeElEcoDelMensaje", "--sockets-arbol=x"]}
JSON
    salida=$(NO_COLOR=1 "$vista" traza --leccion "$nn" --alumno "$lec" --referencia "$sol" --escenario "$tmp/escenario.json" 2>&1)
    codigo=$?
    ((codigo == 77)) && { echo "↷ no se puede trazar: $salida"; exit 77; }
    grep -q 'Tu cliente.*en la prueba que falla primero, ClienteEco.ImprimeElEcoDelMensaje' <<<"$salida" ||
        falla "sin --programa debía trazar el cliente en la prueba del escenario:" "$salida"
    grep -q 'connect(' <<<"$(sed '/^La solución/q' <<<"$salida")" ||
        falla "el dibujo del alumno debía tener sus llamadas en esa prueba (connect()…):" "$salida"
    ((codigo == 1)) && grep -q '◆ aquí te separas' <<<"$salida" ||
        falla "la lección sin tocar debía separarse de la solución en esa prueba (código $codigo):" "$salida"
    # Unos veredictos que dicen que la lección falla una prueba: ni la solución frente a sí misma
    # «sigue la misma secuencia».
    mkdir -p "$tmp/v/L$nn/E$nn"
    echo '{"formato": 1, "estado": "fallida", "etapa": 5, "suite": "ClienteEco", "prueba": "ImprimeElEcoDelMensaje"}' \
        >"$tmp/v/L$nn/E$nn/ClienteEco.ImprimeElEcoDelMensaje.json"
    salida=$(NO_COLOR=1 "$vista" traza --programa cliente --leccion "$nn" --alumno "$sol" --referencia "$sol" --veredictos "$tmp/v" 2>&1)
    codigo=$?
    if ((codigo != 1)) || grep -q 'misma secuencia' <<<"$salida" || ! grep -q 'ClienteEco.ImprimeElEcoDelMensaje' <<<"$salida"; then
        falla "con una prueba que falla, nunca «la misma secuencia» (y nombrarla; código $codigo):" "$salida"
    fi
    ((fallos == 0)) && echo "✓ traza: el escenario de la prueba que falla, y nunca «misma secuencia» mientras falle una"
    exit $fallos
fi

if [[ ! -x $sol/$quien || ! -x $lec/$quien ]]; then
    echo "↷ faltan $sol/$quien o $lec/$quien (este build no compila los dos árboles)"; exit 77
fi
salida=$(NO_COLOR=1 "$vista" traza --programa "$quien" --leccion "$nn" --alumno "$sol" --referencia "$sol" 2>&1); codigo=$?
((codigo == 77)) && { echo "↷ no se puede trazar: $salida"; exit 77; }
if ((codigo != 0)) || ! grep -q 'misma secuencia' <<<"$salida"; then
    falla "la solución frente a sí misma debía coincidir (código $codigo):" "$salida"
fi
grep -q $'\e\[' <<<"$salida" && falla "con NO_COLOR no debe haber colores"
if [[ $quien == servidor ]]; then
    if ((10#$nn >= 10#$fork)); then
        grep -q 'seguía vivo.*sigue aceptando clientes y no termina' <<<"$salida" ||
            falla "desde la lección $fork el servidor no termina: la traza debía decir que es lo normal:" "$salida"
    else
        grep -q 'seguía vivo' <<<"$salida" && falla "la solución de la lección $nn termina sola:" "$salida"
    fi
fi
salida=$(NO_COLOR=1 "$vista" traza --programa "$quien" --leccion "$nn" --alumno "$lec" --referencia "$sol" 2>&1); codigo=$?
if ((codigo != 1)) || [[ $(grep -c '◆ aquí te separas' <<<"$salida") -lt 2 ]]; then
    falla "la lección sin tocar debía separarse y marcarlo en el dibujo y al final (código $codigo):" "$salida"
fi
salida=$("$vista" traza --color si --programa "$quien" --alumno "$sol" --referencia "$sol" 2>&1)
grep -q $'\e\[' <<<"$salida" || falla "con --color si debía haber colores"
((fallos == 0)) && echo "✓ traza $carpeta/$quien: sin desvío en la solución, desvío marcado en la lección"
exit $fallos
