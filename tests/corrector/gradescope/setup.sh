#!/usr/bin/env bash
# setup.sh del autograder de Gradescope (imagen Ubuntu 22.04 o 24.04). Gradescope descomprime el
# zip en /autograder/source y ejecuta este fichero como root, una vez, al construir la imagen:
#   1. instala con apt solo lo que falta;
#   2. compila el corrector (sin presets: «cmake -S -B», que CMake 3.22, el de Ubuntu 22.04, acepta);
#   3. crea el usuario sin privilegios con el que correrá el código de los alumnos;
#   4. prueba una vez el código de partida original y lo deja en la caché que usa run_autograder;
#   5. cierra /autograder/source: el código de los alumnos no puede ni leerlo.
# Variables (para probarlo): CMAKE (la orden cmake; por defecto «cmake»).
set -euo pipefail
RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

faltan=()
command -v g++ >/dev/null || faltan+=(g++)
command -v "${CMAKE:-cmake}" >/dev/null || faltan+=(cmake)
command -v ninja >/dev/null || faltan+=(ninja-build)
[[ -f /usr/include/gtest/gtest.h ]] || faltan+=(libgtest-dev)
[[ -f /usr/include/gmock/gmock.h ]] || faltan+=(libgmock-dev)
[[ -f /usr/include/nlohmann/json.hpp ]] || faltan+=(nlohmann-json3-dev)
{ command -v setpriv && command -v prlimit; } >/dev/null || faltan+=(util-linux)
command -v useradd >/dev/null || faltan+=(passwd)
command -v nc >/dev/null || faltan+=(netcat-openbsd)
command -v socat >/dev/null || faltan+=(socat)
command -v bwrap >/dev/null || faltan+=(bubblewrap)  # por si la máquina permite espacios de nombres
if ((${#faltan[@]} > 0)); then
    echo "Instalando: ${faltan[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${faltan[@]}" >/dev/null
else
    echo "No falta nada: no hace falta apt-get."
fi

B=$RAIZ/build/corregir
"${CMAKE:-cmake}" --version | head -n1
bash "$RAIZ/tests/corrector/compilar_corrector.sh" "$RAIZ" "$B"

if ! id -u sockets-alumno >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin sockets-alumno
fi
bash "$RAIZ/tests/corrector/corregir.sh" --binarios "$B" --solo-partida
chmod -R go-rwx "$RAIZ"
echo "Autograder listo."
