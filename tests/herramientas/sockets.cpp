/// \file sockets.cpp
/// \brief `sockets`: la herramienta del alumno y del profesor, una sola. Cada orden (en español)
///        responde a una pregunta entera: qué pasa en mi lección, cuál es mi progreso, una pista,
///        la traza de mi programa, el meta-test, la nota de una entrega.
///
///     sockets ORDEN [opciones]       sockets ayuda: las órdenes
///
/// Aquí solo está la tabla de órdenes: cada una es una función de ordenes.h.
#include "ordenes.h"

#include <cstring>
#include <iostream>

namespace {

/// Una orden: su nombre, su función y si recibe el argv entero (la orden en argv[1], como la
/// antigua sockets_veredictos) o desde la orden (argv[0] es la orden).
struct Orden {
    const char* nombre;
    int (*funcion)(int, char**);
    bool argv_entero;
};

constexpr Orden kOrdenes[] = {
    {"leccion", orden_veredictos, true},  {"progreso", orden_progreso_barra, true},
    {"recuento", orden_veredictos, true}, {"meta", orden_veredictos, true},
    {"limpieza", orden_veredictos, true}, {"borrar", orden_veredictos, true},
    {"ejecutar", orden_veredictos, true}, {"actual", orden_actual, false},
    {"pista", orden_pista_entera, false}, {"traza", orden_traza_entera, false},
    {"corregir", orden_corregir, false},  {"etapas", orden_etapas, false},
    {"barra", orden_barra, false},        {"parche", orden_parche, false},
    {"rubrica", orden_rubrica, false},    {"resumen", orden_veredictos, true},
    {"nota", orden_nota, false},
};

void ayuda() {
    std::cout << R"(sockets ORDEN [opciones] — la herramienta de «Sockets paso a paso».
La usan ./tutorial, el meta-test y el corrector; cada orden responde a una pregunta entera.

Lo que dicen los veredictos de las pruebas (opciones comunes: --build=CARPETA, --pruebas=LISTA,
--color=auto|si|no; detalle en docs/dev/veredictos.md):
  leccion --leccion=N [--arbol=lessons] [--todas] [--siguiente=K]
        lo que imprime «./tutorial check N»: una línea por etapa y el fallo que causa los demás
  progreso [--arbol=lessons] [--no-compila=NN]... [--barra]
        la tabla de lecciones de «./tutorial progress»; con --barra, debajo, «[███░░] N de M»
  barra N M [--color=auto|si|no]
        solo esa barra: N de M lecciones superadas
  recuento
        las pruebas que deben pasar en «./tutorial test»: una línea por árbol y las que fallan
  resumen [--docs=generada|falla|sin-objetivo] [--falta=PAQUETE] [--completo] [--sanitizadores]
        el resumen de «./tutorial test»: pruebas, meta-test, documentación, limpieza, lo que no
        se ha ejecutado y «N passed, M failed» (0: todo pasa; 1: algo falla)
  meta --raiz=REPO [--corrector=HERRAMIENTA --rubrica=F] [--pistas=DIR]
        las comprobaciones (a)-(f) del meta-test (tests/meta/meta.sh) y su recuento
  meta --raiz=REPO --sin-comprobar
        solo las entregas rotas que esta máquina no puede comprobar (sus pruebas se omiten)
  limpieza
        falla si algún informe trae inglés de GoogleTest, UTF-8 escapado o fallos sin informe
  borrar
        borra los registros de las pruebas de la lista (antes de ejecutarlas)
  ejecutar --sockets-registro=FICHERO [--nombre=NOMBRE] [--sockets-arbol=A] -- ORDEN...
        ejecuta ORDEN como una prueba y escribe su registro (0: superada)

  actual --build=CARPETA
        «NN»: la primera lección sin superar según los últimos resultados («00»: ninguna)

Para aprender:
  pista N --build=CARPETA
        la siguiente pista para la primera prueba que falla en la lección N, la misma que
        enseña «leccion» primero (./tutorial pista); recuerda el peldaño en CARPETA/pistas.json
  pista --veredictos DIR --pistas DIR --estado FICHERO [--leccion N] [--prueba Suite.Caso]
        lo mismo, diciéndole todo (sale con 3 si no hay nada que pistar)
  traza --alumno DIR --referencia DIR [--programa servidor|cliente] [--leccion N]
        [--titulo TEXTO] [--color si|no|auto] [--veredictos DIR] [--escenario F] [--build=CARPETA]
        las llamadas al sistema del alumno junto a las de la solución (./tutorial traza); con
        --build, en el escenario de la primera prueba que falla de la lección N

La tabla de etapas (etapas.tsv, leída por CMake al configurar; texto con tabuladores):
  etapas lecciones        una línea «NN<TAB>carpeta» por lección
  etapas fila NN          «NN<TAB>llamada<TAB>título<TAB>carpeta<TAB>página» (1 si no está)
  etapas de LLAMADA       el NN de la etapa de esa llamada: fork, poll… (1 si no está)
  etapas retiradas [NN]   las pruebas retiradas («NN<TAB>Suite.Caso»); con NN, las que no
                          cuentan en la lección NN, una por línea
  etapas pasos NN K       las pruebas de los pasos 1..K de la etapa NN, una por línea
  etapas filas TIPO       las filas de ese tipo (etapa, seccion, paso, retira), tal cual

Para corregir:
  corregir --lista F --lecciones F --veredictos DIR --rubrica F [--salida DIR] ...
        results.json y junit.xml de una entrega (tests/corrector/corregir.sh)
  rubrica RUBRICA CLAVE [DEFECTO]
        el valor de una clave de la rúbrica (lo pregunta corregir.sh)
  nota RESULTS.json [--prueba=NOMBRE] [--campo=CAMPO] [--con=TEXTO]
        comprueba un results.json del corrector (JSON en UTF-8, score = suma de las pruebas, los
        campos de cada prueba) e imprime su nota; con --campo, ese campo (de la prueba NOMBRE con
        --prueba); --campo=pruebas: «nombre<TAB>score<TAB>max_score<TAB>status» por prueba (con
        --con, las que llevan TEXTO en su output). 1 si está mal formado o no hay lo pedido

Para el meta-test:
  parche ARCHIVO [CAMPO]
        la cabecera de un parche de tests/rotos/: «clave<TAB>valor» por línea, o solo CAMPO

  ayuda | --help | -h   esta ayuda
Códigos: 0 bien; 1 la respuesta es «no» (algo falla); 2 uso incorrecto.
)";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "sockets: falta la orden (sockets ayuda: las órdenes)\n";
        return 2;
    }
    const char* nombre = argv[1];
    if (std::strcmp(nombre, "ayuda") == 0 || std::strcmp(nombre, "--help") == 0 ||
        std::strcmp(nombre, "-h") == 0) {
        ayuda();
        return 0;
    }
    for (const Orden& o : kOrdenes)
        if (std::strcmp(nombre, o.nombre) == 0)
            return o.argv_entero ? o.funcion(argc, argv) : o.funcion(argc - 1, argv + 1);
    std::cerr << "sockets: no conozco la orden «" << nombre << "» (sockets ayuda: las órdenes)\n";
    return 2;
}
