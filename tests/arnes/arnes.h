/// \file arnes.h
/// \brief El arnés de pruebas: lanza los programas del alumno, traza sus llamadas al sistema,
///        hace de interlocutor por loopback y redacta los informes de fallo en español.
///
/// Todo lo que una prueba necesita está aquí; las pruebas de cada etapa (`tests/etapas/`) solo
/// describen qué se espera. Nada de esto se copia por lección.
///
/// Dos capas: ejecucion.h (biblioteca `arnes_ejecucion`, sin GoogleTest) lanza, traza, habla con
/// el programa y lo describe; esta cabecera (biblioteca `arnes`) añade lo que solo tiene sentido
/// dentro de una prueba: los informes y síntomas que se anotan en el veredicto, las ayudas de
/// los fallos provocados, la fijación de cada etapa y los ARNES_REQUIERE_*.
#pragma once

#include "arnes/ejecucion.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arnes {

// ---------------------------------------------------------------------------------------------
// Informes y síntomas, anotados en el veredicto de la prueba en curso
// ---------------------------------------------------------------------------------------------

/// Redacta un informe en español, encabezado por la etapa: «✗ Etapa 02 · bind». Además lo
/// anota (con sus campos) para el veredicto de la prueba en curso: quien lo pasa a un
/// EXPECT_/ASSERT_ que falla lo verá en el registro JSON y en la consola, sin el texto inglés
/// de GoogleTest.
std::string redactar(const Etapa& etapa, const Informe& informe);

/// Anota en el veredicto de la prueba en curso un síntoma reconocido en el programa (lo que hace
/// mal, no la prueba que falla): «append_sin_cuenta», «sin_htons»... `./tutorial pista` da
/// primero la escalera «sintoma:ID» de tests/etapas/pistas/KK.tsv; un parche de tests/rotos/
/// con «# sintoma: ID» exige que alguna prueba que falla lo anote. Solo junto a un informe.
void sintoma(const std::string& id);

/// La pista de un programa que acabó por una señal (`fin.por_senal`). Si lo mató el arnés al
/// vencer su plazo, no se estrelló: lo dice así («no terminó a tiempo…»). Si murió por otra
/// señal, «el programa se estrelló (SIGSEGV): » seguido de `consejo`.
std::string pista_por_senal(const Fin& fin, const std::string& consejo);

/// Si `l` (bind o connect) recibió `puerto` sin pasar por htons() (sus dos bytes, leídos en orden
/// de host, son `puerto`, y el núcleo ve otro número), anota el síntoma «sin_htons» y devuelve la
/// pista: «bind() recibió el puerto 0x8913 = 35091; pediste 5001: falta htons() …». Si no, "".
std::string pista_sin_htons(const Llamada& l, int puerto);

// ---------------------------------------------------------------------------------------------
// Los programas de la lección bajo prueba y sus fallos provocados
// ---------------------------------------------------------------------------------------------

/// Ruta de un programa de la lección bajo prueba: `$SOCKETS_PROGRAMAS/<nombre>`.
std::string ruta_programa(const std::string& nombre);

/// Lo que hizo un programa cuando la prueba hizo fallar una de sus llamadas (Opciones::fallos).
struct TrasElFallo {
    std::optional<Llamada> llamada;  ///< La llamada provocada (nullopt: no llegó a hacerla).
    std::optional<long> codigo;      ///< Código que pasó a exit() el proceso que la hizo (según
                                     ///< su exit_group() en la traza); nullopt si no salió así.
    std::string linea_error;         ///< La línea de stderr que nombra la llamada y el errno.
    std::string observado;           ///< Todo lo anterior redactado para el campo «observado».
    /// ¿Terminó con código 1 explicando en stderr la llamada y el errno?
    bool bien() const { return llamada && codigo && *codigo == 1 && !linea_error.empty(); }
};
/// Espera a que `p` haga la llamada provocada `nombre` («accept|accept4») y a que el proceso que
/// la hizo (el principal o un hijo) termine; busca en stderr una línea que contenga `palabra`
/// («socket», «accept»...; vacía: el nombre de la llamada provocada, «read», «send»...) y
/// texto_errno(error). Necesita traza.
TrasElFallo tras_el_fallo(Programa& p, std::string_view nombre, const std::string& palabra,
                          int error, Ms plazo = kPlazo);
/// El «esperado» de una prueba de fallo provocado: «que el servidor termine con código 1 y
/// explique en stderr qué falló: una línea con «close» y «descriptor de fichero no válido (EBADF)»».
std::string que_lo_explique(const std::string& quien, const std::string& llamada, int error);
/// El código que el proceso `pid` de `p` pasó a exit()/_exit() (su exit_group()), esperándolo
/// hasta `plazo`; nullopt si no lo hizo (sigue vivo, murió por una señal o no hay traza).
std::optional<long> codigo_de_salida(Programa& p, pid_t pid, Ms plazo = kPlazo);

// ---------------------------------------------------------------------------------------------
// Base de las pruebas de una etapa
// ---------------------------------------------------------------------------------------------

/// Fijación base: conoce su etapa y redacta informes con ella.
class PruebaDeEtapa : public ::testing::Test {
protected:
    explicit PruebaDeEtapa(const Etapa& etapa) : etapa_(etapa) {}

    /// Informe con la cabecera de esta etapa.
    std::string informe(const Informe& i) const { return redactar(etapa_, i); }

    /// Lanza el servidor de la lección bajo prueba con esos argumentos.
    std::unique_ptr<Programa> servidor(std::vector<std::string> args, Opciones o = {}) const;
    /// Lanza el cliente de la lección bajo prueba con esos argumentos.
    std::unique_ptr<Programa> cliente(std::vector<std::string> args, Opciones o = {}) const;

    /// Lanza «servidor 0» en `srv_` y devuelve el puerto en el que escucha; 0 si no llegó a
    /// escuchar (y deja un informe que remite a la etapa 03).
    int arrancar(Opciones o = {});

    /// Tras ver que el close() de `fd` no llegó donde debía: el cliente `c` se va y se espera (un
    /// plazo, como mucho) a que el proceso `pid` de `srv_` cierre `fd` después de la llamada
    /// `desde` o termine, para que el informe (cierres_tras) diga dónde llegó ese close(), si
    /// llega. No cambia el veredicto.
    void acabar_y_esperar_cierre(Conexion& c, pid_t pid, long fd, const Llamada& desde);

    const Etapa& etapa_;
    std::unique_ptr<Programa> srv_;  ///< El servidor lanzado por arrancar().
};

}  // namespace arnes

/// Salta la prueba (nunca la da por buena) si el programa no se puede trazar.
#define ARNES_REQUIERE_TRAZA(programa)                                                    \
    do {                                                                                  \
        if (!(programa).trazado())                                                        \
            GTEST_SKIP() << "No se puede trazar el programa (" << (programa).motivo_sin_traza() \
                         << "): esta comprobación de llamadas al sistema se omite.";      \
    } while (0)

/// Salta la prueba (nunca la da por buena) si la máquina no tiene IPv6 en loopback.
#define ARNES_REQUIERE_IPV6()                                                                 \
    do {                                                                                      \
        std::string motivo_;                                                                  \
        if (!::arnes::hay_ipv6(&motivo_))                                                     \
            GTEST_SKIP() << "Esta máquina no tiene IPv6 en loopback (" << motivo_             \
                         << "): esta comprobación con ::1 se omite, no se da por buena.";     \
    } while (0)

/// Salta la prueba (nunca la da por buena) si no se pueden dar ficheros propios a un programa
/// (Opciones::ficheros): va antes de lanzarlo.
#define ARNES_REQUIERE_ESPACIOS()                                                             \
    do {                                                                                      \
        std::string motivo_;                                                                  \
        if (!::arnes::espacios_permitidos(&motivo_))                                          \
            GTEST_SKIP() << "Aquí no se pueden crear espacios de nombres de usuario y de "    \
                            "montajes (" << motivo_ << "), y sin ellos la prueba no puede "  \
                            "darle al programa su propio /etc/hosts: se omite, no se da por " \
                            "buena.";                                                         \
    } while (0)

/// Salta la prueba (nunca la da por buena) si en esta arquitectura el trazador no puede recortar
/// ni hacer fallar llamadas (ver trazador_cambia_llamadas()): va antes de lanzar el programa con
/// Opciones::escritura_maxima u Opciones::fallos.
#define ARNES_REQUIERE_CAMBIOS()                                                              \
    do {                                                                                      \
        if (!::arnes::trazador_cambia_llamadas())                                             \
            GTEST_SKIP() << "En esta arquitectura el trazador no sabe recortar ni hacer fallar " \
                            "llamadas al sistema (solo en x86-64 y aarch64): esta comprobación " \
                            "se omite, no se da por buena.";                                  \
    } while (0)

// (Las constantes de la tabla de etapas, arnes/tabla.h, llegan con ejecucion.h.)
