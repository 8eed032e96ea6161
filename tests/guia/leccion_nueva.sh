#!/usr/bin/env bash
# leccion_nueva.sh: sigue docs/dev/guia_profesor.md («Añadir una lección») en una copia del
# repositorio: una fila en etapas.tsv, una carpeta (solución y lección 08, copias de la 07) y un
# fichero de pruebas (tests/etapas/etapa08_nueva.cpp); sin tocar CMake ni ./tutorial. Configura la
# copia solo con las soluciones, compila lo de la lección 08 y pasa sus pruebas de la etapa 08.
# Sale con 1 si algo de eso no funciona.
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

# 1. Una fila (y una sección que puedan citar los informes).
printf 'etapa\t08\tnueva\tlección de prueba\t08_nueva\t08_nueva.md\n' >>"$copia/etapas.tsv"
printf 'seccion\t08\tl08_nueva\t08_nueva.md\tLa etapa nueva\n' >>"$copia/etapas.tsv"
# 2. Una carpeta: la solución 08 es la 07 (la etapa nueva no cambia nada) y la lección, igual.
cp -r "$copia/solutions/07_fork" "$copia/solutions/08_nueva"
cp -r "$copia/solutions/07_fork" "$copia/lessons/08_nueva"
# 3. Un fichero de pruebas, como dice la guía.
cat >"$copia/tests/etapas/etapa08_nueva.cpp" <<'PRUEBA'
/// \file etapa08_nueva.cpp
/// \brief Etapa 08 de prueba (tests/guia/leccion_nueva.sh): el servidor sigue haciendo eco.
#include "arnes/arnes.h"

namespace {

class Nueva : public arnes::PruebaDeEtapa {
protected:
    Nueva() : PruebaDeEtapa(arnes::etapas::k08) {}
};

// El servidor de la lección nueva escucha y devuelve una línea.
TEST_F(Nueva, DevuelveUnaLinea) {
    const int puerto = arrancar();
    ASSERT_NE(puerto, 0);
    arnes::Conexion c = arnes::Conexion::conectar(puerto);
    const std::string r = c.eco("hola\n");
    EXPECT_EQ(r, "hola\n") << informe({"enviar «hola»", "recibir «hola»",
                                       "se recibió " + arnes::visible(r), "",
                                       {arnes::secciones::l08_nueva, "man 2 read"}});
}

}  // namespace
PRUEBA

echo "configurar (solo soluciones, sin documentación)"
cmake -S "$copia" -B "$copia/build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
    -DSOCKETS_DOCS=OFF "-DSOCKETS_ARBOLES=solutions=$copia/solutions" >"$copia/configurar.log" 2>&1 ||
    { tail -n 30 "$copia/configurar.log"; exit 1; }
echo "compilar la lección 08 y su suite"
cmake --build "$copia/build" -j "$trabajos" --target prueba_etapa08_nueva solutions_08_servidor \
    solutions_08_cliente >"$copia/compilar.log" 2>&1 || { tail -n 30 "$copia/compilar.log"; exit 1; }
echo "probar la etapa 08 contra la solución 08"
ctest --test-dir "$copia/build" -j "$trabajos" --no-tests=error -R '^solutions/L08/E08/' \
    --output-on-failure
echo "✓ la lección 08 se añadió con una fila, una carpeta y un fichero de pruebas"
