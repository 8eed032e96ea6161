/// \file presentacion.h
/// \brief Lo que comparten las órdenes de sockets (veredictos.cpp, leccion.cpp,
///        meta.cpp, ejecutar.cpp): los colores y el texto en la terminal, los argumentos, el
///        contexto (tabla, pruebas y registros) y cómo se cuenta cada fallo.
#pragma once

#include "veredictos.h"

#include "base/opciones.h"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace veredictos {

// --- presentación ---

/// Las secuencias de color (vacías sin color): verde, rojo, amarillo, negrita, tenue y fin.
struct Colores {
    std::string V, R, A, N, T, F;
};
extern Colores c;

/// Pone los colores según --color (auto: solo en una terminal y sin NO_COLOR).
void poner_colores(const std::string& modo);
using base::rellenar;  // a lo ancho en columnas de pantalla (UTF-8: caracteres, no bytes)
std::string dos_cifras(int n);
/// Cada línea de `s` con `sangria` delante.
std::string sangrar(const std::string& s, const std::string& sangria);
std::vector<std::string> lineas(const std::string& s);
bool empieza(const std::string& s, const std::string& p);

// --- argumentos y contexto ---

/// La orden (argv[1]) y sus opciones (base/opciones.h: `--clave=valor` o `--clave valor`).
struct Argumentos : base::Opciones {
    std::string orden;
};

/// Un error de uso: lo dice en español y sale con 2.
[[noreturn]] void uso(const std::string& mensaje);

/// Ejecuta `argv` y devuelve su salida estándar.
bool capturar(const std::vector<std::string>& argv, std::string& salida, std::string& error);

struct Contexto {
    Tabla tabla;
    std::vector<Prueba> pruebas;
    std::string build;  ///< para los mensajes («ctest --test-dir …»)
};

/// Carga la tabla, la lista de pruebas (--pruebas=FICHERO, o ctest --show-only en --build) y
/// los registros. Sale con 2 y un mensaje en español si algo de eso no se puede leer.
Contexto cargar(const Argumentos& a, bool con_tabla = true);

/// Calla std::cout mientras vive: para hacer una pregunta a otra orden sin imprimir su respuesta.
struct Callado {
    Callado();
    ~Callado();
    Callado(const Callado&) = delete;
    Callado& operator=(const Callado&) = delete;
};

// --- informes y fallos ---

std::string titulo_etapa(const Contexto& ctx, int etapa);
/// Los informes de una prueba fallida (o el que redacta la herramienta si no los tiene).
std::vector<std::string> informes(const Contexto& ctx, const Prueba& p);
/// El primer informe del registro (uno vacío si no hay).
const base::InformeRegistro& primer_informe(const Prueba& p);
/// La etapa del primer informe (la de la prueba si no hay informe).
int etapa_del_informe(const Prueba& p);
/// Un programa que acabó mal (con errores en stderr, si `con_errores`); nullptr si ninguno.
const base::ProgramaRegistro* programa_anormal(const Prueba& p, bool con_errores);
std::string como_acabo(const base::ProgramaRegistro& prog);
/// Una línea con la pista del primer informe (o lo que se sabe si no lo hay).
std::string pista_corta(const Contexto& ctx, const Prueba& p);
/// «tu programa terminó con: …» (vacío si no aplica).
std::string termino_con(const Prueba& p);
/// Ordena los fallos: la causa primero (ver veredictos.cpp).
std::vector<const Prueba*> ordenar_fallos(const Tabla& tabla, std::vector<const Prueba*> fallos, int propia);
/// Por paso de la etapa `n`: {pruebas, fallidas, omitidas}.
std::map<int, std::array<int, 3>> cuenta_por_paso(const Tabla& tabla, const std::vector<const Prueba*>& pruebas,
                                                   int n);
/// El paso en el que está el alumno: el primero con fallos (0 si ninguno o si no hay pasos).
int paso_actual(const Tabla& tabla, const std::vector<const Prueba*>& pruebas, int n);
std::vector<const Prueba*> de_la_leccion(const Contexto& ctx, const std::string& arbol, int n);
/// Qué leer: la página y la sección del primer informe.
std::string leer_donde(const Contexto& ctx, const Prueba& p, int leccion);

// --- las órdenes ---

/// Lo que cuenta «progreso»: lecciones superadas, cuántas hay y la que toca (0 si ninguna).
struct CuentasProgreso {
    int superadas = 0, lecciones = 0, actual = 0;
};

int orden_leccion(const Argumentos& a);   ///< leccion.cpp
/// La primera prueba que falla en la lección `n` del árbol, la que enseña check primero (su
/// orden: ordenar_fallos); nullptr si no falla ninguna (leccion.cpp).
const Prueba* primer_fallo(const Contexto& ctx, const std::string& arbol, int n);
/// El escenario de una prueba para la traza: caso, etapa, comando, programa y entrada (leccion.cpp).
Json escenario_de(const Prueba& p);
/// La tabla de progreso; con `cuentas`, además, lo que cuenta (veredictos.cpp).
int orden_progreso(const Argumentos& a, CuentasProgreso* cuentas = nullptr);
int orden_recuento(const Argumentos& a);  ///< veredictos.cpp
/// ¿Es de las que deben pasar? Todo salvo lecciones y entregas rotas (veredictos.cpp).
bool debe_pasar(const Prueba& p);
/// Los informes de estas pruebas, sin inglés de GoogleTest ni UTF-8 escapado (veredictos.cpp).
int limpieza(const Contexto& ctx);
int orden_resumen(const Argumentos& a);   ///< resumen.cpp
int orden_meta(const Argumentos& a);      ///< meta.cpp
int orden_limpieza(const Argumentos& a);  ///< veredictos.cpp
int orden_borrar(const Argumentos& a);    ///< veredictos.cpp
int orden_ejecutar(const Argumentos& a);  ///< ejecutar.cpp

}  // namespace veredictos
