#!/usr/bin/env bash
# leccion_nueva.sh: sigue docs/dev/guia_profesor.md («Añadir una lección») en una copia del
# repositorio: una fila en etapas.tsv, una carpeta (solución y lección NN, copias de la última) y
# un fichero de pruebas (tests/etapas/etapaNN_nueva.cpp); sin tocar CMake ni ./tutorial. NN es la
# lección que sigue a la última de etapas.tsv. Configura la copia solo con las soluciones, compila
# lo de la lección NN y pasa sus pruebas de la etapa NN. Sale con 1 si algo de eso no funciona.
# Uso: leccion_nueva.sh SOCKETS   (SOCKETS: la herramienta sockets compilada; CTest se la da)
set -euo pipefail

RAIZ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
trabajos=${SOCKETS_GUIA_TRABAJOS:-2}
copia=$(mktemp -d)
trap 'rm -rf "$copia"' EXIT

echo "copia del repositorio en $copia (sin build/)"
if git -C "$RAIZ" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$RAIZ" ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [[ -e "$RAIZ/$f" ]] && printf '%s\0' "$f"; done |
        tar -C "$RAIZ" --null -T - -cf - | tar -C "$copia" -xf -
else
    tar -C "$RAIZ" --exclude=./build -cf - . | tar -C "$copia" -xf -
fi

# La lección nueva sigue a la última de la tabla: NN, y la anterior, su carpeta (se lo dice la
# herramienta sockets, $1, que lleva la tabla compilada; la copia aún no la ha cambiado).
herramienta=${1:?uso: leccion_nueva.sh SOCKETS (la herramienta sockets compilada)}
ultima=$("$herramienta" etapas lecciones | tail -n 1)
[[ $ultima == [0-9][0-9]$'\t'* ]] || { echo "sockets etapas lecciones no dio ninguna lección" >&2; exit 1; }
anterior=${ultima#*$'\t'}
nn=$(printf '%02d' "$((10#${ultima%%$'\t'*} + 1))")
echo "la lección nueva es la $nn (copia de $anterior)"

# 1. Una fila (y una sección que puedan citar los informes).
printf 'etapa\t%s\tnueva\tlección de prueba\t%s_nueva\t%s_nueva.md\n' "$nn" "$nn" "$nn" >>"$copia/etapas.tsv"
printf 'seccion\t%s\tl%s_nueva\t%s_nueva.md\tLa etapa nueva\n' "$nn" "$nn" "$nn" >>"$copia/etapas.tsv"
# 2. Una carpeta: la solución NN es la anterior (la etapa nueva no cambia nada) y la lección, igual.
cp -r "$copia/solutions/$anterior" "$copia/solutions/${nn}_nueva"
cp -r "$copia/solutions/$anterior" "$copia/lessons/${nn}_nueva"
# 3. Un fichero de pruebas, como dice la guía.
sed "s/NN/$nn/g" >"$copia/tests/etapas/etapa${nn}_nueva.cpp" <<'PRUEBA'
/// \file etapaNN_nueva.cpp
/// \brief Etapa NN de prueba (tests/guia/leccion_nueva.sh): el servidor sigue aceptando clientes.
#include "arnes/arnes.h"

namespace {

class Nueva : public arnes::PruebaDeEtapa {
protected:
    Nueva() : PruebaDeEtapa(arnes::etapas::kNN) {}
};

// El servidor de la lección nueva escucha en el puerto que narra y acepta una conexión.
TEST_F(Nueva, AceptaUnaConexion) {
    const int puerto = arrancar();
    ASSERT_NE(puerto, 0);
    arnes::Conexion c = arnes::Conexion::conectar(puerto);
    EXPECT_TRUE(c.valida()) << informe({"conectar", "que acepte la conexión",
                                        "connect(): " + arnes::texto_errno(c.error()), "",
                                        {arnes::secciones::lNN_nueva, "man 2 accept"}});
}

}  // namespace
PRUEBA

echo "configurar (solo soluciones, sin documentación)"
cmake -S "$copia" -B "$copia/build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
    -DSOCKETS_DOCS=OFF "-DSOCKETS_ARBOLES=solutions=$copia/solutions" >"$copia/configurar.log" 2>&1 ||
    { tail -n 30 "$copia/configurar.log"; exit 1; }
echo "compilar la lección $nn y su suite"
cmake --build "$copia/build" -j "$trabajos" --target "prueba_etapa${nn}_nueva" "solutions_${nn}_servidor" \
    "solutions_${nn}_cliente" >"$copia/compilar.log" 2>&1 || { tail -n 30 "$copia/compilar.log"; exit 1; }
echo "probar la etapa $nn contra la solución $nn"
ctest --test-dir "$copia/build" -j "$trabajos" --no-tests=error -R "^solutions/L$nn/E$nn/" \
    --output-on-failure
echo "✓ la lección $nn se añadió con una fila, una carpeta y un fichero de pruebas"
