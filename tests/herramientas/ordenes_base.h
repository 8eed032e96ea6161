/// \file ordenes_base.h
/// \brief Las órdenes de la herramienta que viven en los ficheros de la base de datos (registro,
///        pistas, traza, corrector, parches, rúbrica). Cada una es `int orden_NOMBRE(argc, argv)`:
///   - orden_veredictos recibe el argv entero de la herramienta (argv[1] es la orden: leccion,
///     progreso, recuento, meta, limpieza, borrar, ejecutar);
///   - las demás reciben argv[0] == su nombre («pista», «traza», «corregir», «parche»,
///     «rubrica») y después sus opciones.
#pragma once

int orden_veredictos(int argc, char** argv);
int orden_pista(int argc, char** argv);
int orden_traza(int argc, char** argv);
int orden_corregir(int argc, char** argv);
/// `rubrica RUBRICA CLAVE [DEFECTO]`: el valor de una clave de la rúbrica (tests/corrector/rubrica_orden.cpp).
int orden_rubrica(int argc, char** argv);
/// `parche ARCHIVO [CAMPO]`: la cabecera de un parche roto (tests/herramientas/parche_orden.cpp).
int orden_parche(int argc, char** argv);
