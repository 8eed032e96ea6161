#!/usr/bin/env bash
# lint.sh BUILD: el análisis estático del proyecto (objetivo «lint» y prueba lint/estatico).
#
#   - clang-tidy (configuración en .clang-tidy, avisos = errores) sobre el arnés (tests/arnes/) y
#     las soluciones (solutions/), con las órdenes de compilación de BUILD/compile_commands.json;
#   - shellcheck sobre los guiones: ./tutorial, .ci/run y todos los *.sh. Opciones: -x (sigue los
#     «source») y -S warning: cuentan los avisos y los errores; las notas de estilo («info» y
#     «style», y las comprobaciones opcionales de -o all como SC2312, valor devuelto enmascarado
#     en una sustitución) son consejos y no hacen fallar la prueba.
#
# No reformatea nada: .clang-format se aplica a mano a las líneas que cambian (git clang-format).
# Sale con 77 (omitida) si falta clang-tidy o shellcheck; con 1 si algo no pasa.
set -euo pipefail

RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?uso: lint.sh BUILD}
trabajos=${SOCKETS_LINT_TRABAJOS:-2}

faltan=()
command -v clang-tidy >/dev/null || faltan+=(clang-tidy)
command -v shellcheck >/dev/null || faltan+=(shellcheck)
if ((${#faltan[@]} > 0)); then
    echo "lint omitido: falta ${faltan[*]} (se instala con: sudo apt-get install -y clang-tidy shellcheck)"
    exit 77
fi
if [[ ! -f "$build/compile_commands.json" ]]; then
    echo "lint: falta $build/compile_commands.json (configura antes con cmake --preset ci)" >&2
    exit 1
fi

cd "$RAIZ"
estado=0

echo "shellcheck -x -S warning:"
guiones=(tutorial .ci/run)
while IFS= read -r -d '' g; do guiones+=("$g"); done \
    < <(find . -path ./build -prune -o -path ./.git -prune -o -name '*.sh' -type f -print0 | sort -z)
if shellcheck -x -S warning -f gcc "${guiones[@]}"; then
    echo "  ✓ ${#guiones[@]} guiones sin avisos"
else
    echo "  ✗ shellcheck encontró avisos (arriba)"; estado=1
fi

echo "clang-tidy $(clang-tidy --version | sed -n 's/.*LLVM version \([0-9.]*\).*/\1/p') (.clang-tidy):"
fuentes=(tests/arnes/*.cpp solutions/*/*.cpp)
# Cada fichero por separado y en paralelo; «N warnings generated» (de cabeceras del sistema,
# filtradas) no interesa.
if printf '%s\0' "${fuentes[@]}" |
    xargs -0 -n 1 -P "$trabajos" clang-tidy -p "$build" --quiet 2> >(grep -v 'warnings\? generated\.$' >&2); then
    echo "  ✓ ${#fuentes[@]} ficheros sin avisos"
else
    echo "  ✗ clang-tidy encontró avisos (arriba)"; estado=1
fi
exit "$estado"
