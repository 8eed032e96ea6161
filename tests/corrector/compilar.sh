#!/usr/bin/env bash
# Compila las lecciones de una entrega. Corre DENTRO del arenero de compilación (corregir.sh):
# solo ve la entrega (ENTREGA, de solo lectura), la cabecera común del curso (COMUN), /usr y la
# carpeta de salida. Así un #include de un fichero de fuera de la entrega no encuentra nada.
#
# Uso: compilar.sh ENTREGA COMUN SALIDA PARALELO NN=carpeta...
# Deja SALIDA/programas/<carpeta>/{servidor,cliente} y, por lección, SALIDA/compilacion/NN.estado
# (ok | error | falta | vacia) y NN.log (los mensajes del compilador).
#      compilar.sh --cabecera COMUN   precompila COMUN/sockets_comun.h con las mismas opciones
#                                     (una cabecera precompilada con otras no se usa)
set -u
opciones=(-std=c++17 -g -O0 -Wall -Wextra -pthread)
if [[ "${1:-}" == --cabecera ]]; then
    g++ "${opciones[@]}" -x c++-header "$2/sockets_comun.h" -o "$2/sockets_comun.h.gch" 2>/dev/null ||
        rm -f "$2/sockets_comun.h.gch"
    exit 0
fi
entrega=$1 comun=$2 salida=$3 paralelo=$4
shift 4
mkdir -p "$salida/programas" "$salida/compilacion"

compilar_leccion() {
    local nn=$1 carpeta=$2 dir='' c
    local estado=$salida/compilacion/$nn.estado log=$salida/compilacion/$nn.log
    if [[ -d "$entrega/$carpeta" ]]; then dir=$entrega/$carpeta
    else
        for c in "$entrega/${nn}"_*/; do [[ -d "$c" ]] && { dir=${c%/}; break; }; done
    fi
    : >"$log"
    if [[ -z "$dir" ]]; then echo falta >"$estado"; return; fi
    if [[ -z "$(ls -A "$dir" 2>/dev/null)" ]]; then echo vacia >"$estado"; return; fi
    if [[ ! -f "$dir/servidor.cpp" || ! -f "$dir/cliente.cpp" ]]; then echo falta >"$estado"; return; fi
    mkdir -p "$salida/programas/$carpeta"
    local bien=1 p
    for p in servidor cliente; do
        if ! timeout -s KILL 90 g++ "${opciones[@]}" -I"$comun" \
                "$dir/$p.cpp" -o "$salida/programas/$carpeta/$p" >>"$log" 2>&1; then
            bien=''
        fi
    done
    if [[ -n "$bien" ]]; then echo ok >"$estado"; else echo error >"$estado"; fi
}

for par in "$@"; do
    while (($(jobs -rp | wc -l) >= paralelo)); do wait -n || true; done
    compilar_leccion "${par%%=*}" "${par#*=}" &
done
wait
