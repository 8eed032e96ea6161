/// \file ordenes.h
/// \brief Las órdenes de la herramienta `sockets` (tests/herramientas/sockets.cpp): una función
///        por orden, `int orden_NOMBRE(int argc, char** argv)`, que devuelve el código de salida.
///
/// Qué recibe cada una (docs/dev/veredictos.md y `sockets ayuda`):
///   - orden_veredictos: el argv entero, con la orden en argv[1] (leccion, progreso, recuento,
///     resumen, meta, limpieza, borrar, ejecutar), como lo recibía la antigua sockets_veredictos.
///   - las demás: argv[0] es el nombre de la orden y después vienen sus opciones.
#pragma once

#include <string>

/// leccion, progreso, recuento, resumen, meta, limpieza, borrar, ejecutar (veredictos.cpp).
int orden_veredictos(int argc, char** argv);
/// `sockets progreso` con el argv entero, y lo que cuenta: lecciones superadas, cuántas hay y la
/// que toca (0 si ninguna). Sin `mostrar`, no imprime la tabla (veredictos.cpp).
int progreso_contado(int argc, char** argv, bool mostrar, int& superadas, int& lecciones, int& actual);
/// La primera prueba que falla en la lección N de lessons/ según los veredictos de BUILD, la que
/// enseña check primero: su Suite.Caso y su escenario para la traza (JSON: caso, etapa, comando,
/// programa, entrada). false si no falla ninguna (leccion.cpp).
bool primer_fallo_de(const std::string& build, int n, std::string& caso, std::string& escenario);
/// La traza con el escenario ya leído (JSON; vacío: el propio). orden_traza lo lee de --escenario F.
int orden_traza_con(int argc, char** argv, const std::string& escenario);
/// La escalera de pistas con las opciones de siempre: --veredictos --pistas --estado (pistas.cpp).
int orden_pista(int argc, char** argv);
/// La traza del alumno junto a la de la solución (traza_vista.cpp).
int orden_traza(int argc, char** argv);
/// Los resultados de una entrega en el corrector (tests/corrector/resultados.cpp).
int orden_corregir(int argc, char** argv);
/// `sockets pista N --build=DIR`: la pista entera, sin ficheros de ida y vuelta (preguntas.cpp);
/// con --veredictos, orden_pista.
int orden_pista_entera(int argc, char** argv);
/// `sockets traza ... --build=DIR`: la traza en el escenario de la primera prueba que falla
/// (preguntas.cpp); sin --build, orden_traza.
int orden_traza_entera(int argc, char** argv);
/// `sockets actual --build=DIR`: «NN», la primera lección sin superar (preguntas.cpp).
int orden_actual(int argc, char** argv);
/// `sockets progreso ... --barra`: la tabla de progreso y la barra «N de M» (preguntas.cpp);
/// sin --barra, orden_veredictos. Recibe el argv entero, como orden_veredictos.
int orden_progreso_barra(int argc, char** argv);
/// `sockets barra N M`: la barra «N de M lecciones superadas» (preguntas.cpp).
int orden_barra(int argc, char** argv);
/// Lo que el lado de bash pregunta a la tabla de etapas, sin leer etapas.tsv (etapas_orden.cpp).
int orden_etapas(int argc, char** argv);
/// `sockets rubrica RUBRICA CLAVE [DEFECTO]`: el valor de una clave de la rúbrica, leída por su
/// único lector, base/rubrica (tests/corrector/rubrica_orden.cpp).
int orden_rubrica(int argc, char** argv);
/// `sockets nota RESULTS.json [--prueba=NOMBRE] [--campo=CAMPO] [--con=TEXTO]`: un results.json
/// de Gradescope que escribió el corrector, comprobado y preguntado (nota.cpp).
int orden_nota(int argc, char** argv);
/// `sockets parche ARCHIVO [CAMPO]`: la cabecera de un parche roto, leída por su único lector,
/// base/parche (tests/herramientas/parche_orden.cpp).
int orden_parche(int argc, char** argv);
