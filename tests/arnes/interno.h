/// \file interno.h
/// \brief Detalle interno del arnés (no lo usan las pruebas), sin GoogleTest: el estado de un Programa en
///        marcha, que comparten el lanzador (lanzamiento.cpp), la captura (captura.cpp), la API
///        (programa.cpp), la higiene (higiene.cpp) y el vigilante de atascos (atasco.cpp).
///
/// El trazador (traza.cpp) no lo ve: solo conoce su interfaz, traza.h. El aislamiento
/// (aislamiento.h) y la higiene (higiene.h) tienen las suyas.
#pragma once

#include "arnes/aislamiento.h"
#include "arnes/ejecucion.h"
#include "arnes/traza.h"

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace arnes {

using Reloj = std::chrono::steady_clock;

/// Escribe en `r` el carácter de `s` que empieza en `i` tal como debe verse en un informe y
/// devuelve cuántos bytes consumió. Los caracteres UTF-8 válidos pasan tal cual; los bytes de
/// control, el 0x7f y los bytes inválidos se escapan (`\n`, `\r`, `\t`, `\x9f`; los controles
/// C1, aunque sean UTF-8 válido, `\u0085`). `comillas`: escapa también las comillas dobles y la
/// barra invertida (como strace). Devuelve 0 (y no escribe nada) si `s` acaba a medias de un
/// carácter y `recortado` dice que faltan datos: el carácter no se parte.
std::size_t caracter_visible(std::string_view s, std::size_t i, std::string& r, bool comillas,
                             bool recortado);

/// Estado compartido entre la prueba, el hilo vigía (lanza, traza y recoge: lanzamiento.cpp) y
/// el hilo lector (captura stdout/stderr y hace cumplir el límite: captura.cpp). Todo lo
/// mutable se protege con `m`. Es el dueño de la traza del programa (traza.h): el trazador solo
/// ve de él lo que pide DuenoDeTraza (el principal, el candado, la Traza `tr` y dos avisos).
struct Programa::Estado final : DuenoDeTraza {
    // --- fijo desde la construcción ---
    std::string ruta;
    std::vector<std::string> args;
    Opciones opciones;
    Reloj::time_point inicio;
    Reloj::time_point limite;

    // --- fijo en cuanto `lanzado` es true ---
    pid_t pid = -1;        ///< Proceso principal y grupo (pgid == pid); -1 si no se lanzó.
    int fd_entrada = -1;   ///< Extremo de escritura de su stdin (protegido por `m`).
    int fd_salida = -1;    ///< Extremo de lectura de su stdout (solo el hilo lector).
    int fd_errores = -1;   ///< Extremo de lectura de su stderr (solo el hilo lector).
    int despertador = -1;  ///< eventfd que despierta al hilo lector.
    pthread_t hilo_vigia{};

    mutable std::mutex m;
    std::condition_variable cv;
    std::mutex m_entrada;             ///< Serializa escribir_entrada()/cerrar_entrada().

    bool lanzado = false;             ///< El vigía ya hizo fork (o falló).
    std::string salida, errores;      ///< Lo capturado.
    std::size_t descartado = 0;       ///< Bytes descartados por el tope.
    bool salida_cerrada = false;      ///< stdout llegó a EOF.
    bool errores_cerrada = false;     ///< stderr llegó a EOF.
    std::optional<Fin> fin;           ///< Fin del proceso principal.
    bool drenado_tras_fin = false;    ///< El lector vació los tubos después del fin: la salida
                                      ///< del principal ya está toda capturada.
    std::uint64_t vueltas_lector = 0; ///< Vueltas completas del lector (ver Programa::resumen()).
    Reloj::time_point momento_fin;

    bool trazado = false;
    std::string motivo_sin_traza;
    bool traza_terminada = false;     ///< El bucle de traza acabó (o nunca empezó).
    bool vigia_terminado = false;     ///< El hilo vigía acabó: el principal está recogido.
    bool lector_terminado = false;    ///< El hilo lector acabó.
    Traza tr;                         ///< Lo que anota el trazador y lo que se le pide.

    bool matado = false;              ///< El arnés mató el grupo.
    bool por_limite = false;          ///< ...porque venció `limite`.
    long ms_muerte = 0;               ///< Cuándo (ms desde el inicio).
    std::string donde_al_morir;       ///< Dónde estaba bloqueado en ese momento.
    std::string atasco;               ///< Por qué el arnés dejó de esperarlo (atasco.cpp).

    bool parar = false;               ///< El destructor pide a los hilos que acaben.

    std::thread vigia, lector;

    /// Milisegundos desde el lanzamiento.
    long ms_desde_inicio(Reloj::time_point t = Reloj::now()) const {
        return static_cast<long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(t - inicio).count());
    }
    /// Despierta al hilo lector (fin del proceso, destructor...).
    void despertar_lector() const;
    /// Mata (SIGKILL) el grupo y cada proceso trazado. Con `m` tomado.
    void matar_todo_con_candado();

    // --- DuenoDeTraza: lo que ve el trazador ---
    pid_t principal() const override { return pid; }
    std::mutex& candado() const override { return m; }
    Traza& traza() override { return tr; }
    void avisar() override { cv.notify_all(); }
    /// Anota el fin del proceso principal a partir del estado de waitpid() (lanzamiento.cpp).
    void fin_del_principal(int estado_wait) override;
};

// --- lanzamiento.cpp ---

/// Prepara el proceso de pruebas (una vez): ignora SIGPIPE, se declara «subreaper» para recoger
/// a los huérfanos de los programas e instala el despertador del trazador.
void preparar_proceso_de_prueba();
/// Hilo vigía: lanza el programa (fork y exec en su propio grupo), lo traza o lo espera, y lo
/// recoge. Publica el lanzamiento en `e` (`lanzado`) y el fin (`fin`, `vigia_terminado`).
void vigilar(Programa::Estado* e);

// --- captura.cpp ---

/// Hilo lector: vacía stdout/stderr sin parar y mata el grupo cuando vence el límite.
void leer(Programa::Estado* e);

// --- programa.cpp ---

/// Dónde está `pid` (0: el principal), según la traza o /proc. Con `m` tomado.
std::string donde_con_candado(const Programa::Estado& e, pid_t pid);

// --- atasco.cpp ---

/// Alta y baja de un programa vivo en el vigilante de atascos (solo con SOCKETS_ATASCOS=1).
void registrar_programa(Programa::Estado* e);
void olvidar_programa(Programa::Estado* e);
/// Lo llaman las esperas de la prueba cada 100 ms como mucho (sin ningún `m` tomado): true si
/// ningún programa vivo de la prueba puede ya avanzar (y entonces la espera acaba ya; cada
/// programa anota el motivo en `atasco`). Siempre false sin SOCKETS_ATASCOS=1.
bool programas_atascados();

/// Una espera de la prueba hasta un plazo que acaba antes si los programas se atascan: las
/// esperas del arnés van en tramos de 100 ms como mucho y entre tramo y tramo preguntan a
/// programas_atascados() (sin ningún `m` tomado).
class Espera {
public:
    explicit Espera(Reloj::time_point fin);
    /// Milisegundos para el siguiente poll(): hasta el próximo vistazo o el plazo.
    int ms_tramo() const;
    /// Tras un tramo: si toca, mira si hay atasco (y entonces la espera vence ya). true si
    /// aún queda plazo.
    bool sigue();
    /// Con `candado` tomado: espera en `cv` un tramo (o un aviso) y luego sigue().
    bool esperar(std::unique_lock<std::mutex>& candado, std::condition_variable& cv);
    /// Como esperar(), pero vuelve en cuanto `listo()` se cumple. Devuelve listo().
    template <class Condicion>
    bool esperar_a(std::unique_lock<std::mutex>& candado, std::condition_variable& cv,
                   Condicion listo) {
        while (!listo())
            if (!esperar(candado, cv)) return listo();
        return true;
    }
    Reloj::time_point fin() const { return fin_; }

private:
    Reloj::time_point fin_, revisado_;
};

// --- causa.cpp ---

/// Un error con el que terminó un programa y que siempre es un fallo suyo, reconocido en su
/// stderr: la línea «[servidor] error: close(): … (EBADF)», la llamada, el errno, el síntoma
/// (arnes::sintoma()) y qué decirle.
struct Causa {
    std::string linea, llamada, error, sintoma, pista;
    const Seccion* seccion = nullptr;  ///< nullptr: la página de la etapa
};
/// La última línea de `errores` con «error: LLAMADA(): … (ENOMBRE)» que se reconoce (EBADF,
/// EINTR, accept() con EAGAIN o EINVAL, ENOTSOCK, ENOTCONN, EFAULT), o nullopt.
std::optional<Causa> causa_en_errores(const std::string& errores);

// --- informe.cpp ---

/// El texto de un informe («✗ Etapa 02 · bind\n  entrada: …»), sin anotarlo (redactar() lo anota).
std::string texto_informe(const Etapa& etapa, const Informe& informe);

// --- veredicto.cpp ---

/// Anota un informe redactado para el veredicto de la prueba en curso (lo llama redactar()).
void anotar_informe(const Etapa& etapa, const Informe& informe, const std::string& texto);

/// Lo que el veredicto cuenta de cada programa lanzado en una prueba.
struct ProgramaVisto {
    std::string orden;          ///< «servidor 0»
    std::string estado;         ///< «terminó», «señal», «vivo» (seguía al acabar la prueba),
                                ///< «límite» (el arnés lo mató al vencer su plazo), «no_lanzado».
    int codigo = 0;             ///< Código de salida (estado «terminó»).
    int senal = 0;              ///< Señal (estado «señal» o «límite»).
    std::string descripcion;    ///< «terminó con código 1», «murió por la señal SIGSEGV»...
    std::string donde;          ///< Dónde estaba bloqueado al morir o al acabar la prueba.
    std::string errores;        ///< Su stderr (el principio y el final, unos KiB).
    std::size_t descartado = 0; ///< Bytes de salida descartados por el tope.
    int provocados = 0;         ///< Llamadas suyas que la prueba hizo fallar o recortó a propósito.
};
/// Anota un programa para el veredicto de la prueba en curso (lo llama ~Programa()).
void anotar_programa(const ProgramaVisto& programa);
/// Añade al fichero `ruta` una línea JSON con las llamadas de un programa que acaba (lo llama
/// ~Programa() si SOCKETS_TRAZA_VOLCADO lo pide: ./tutorial traza, tests/herramientas/traza_vista.cpp).
void volcar_traza(const std::string& ruta, const std::string& orden, pid_t pid,
                  const std::vector<Llamada>& llamadas, const std::string& fin);

// --- programa.cpp: el testigo ---

/// Quien da cuenta de cada programa que acaba (~Programa()): el veredicto de la prueba en curso.
/// El main() de las pruebas (veredicto.cpp) lo pone con anotar_programa() y volcar_traza(); una
/// herramienta que solo ejecuta y traza programas (arnes_ejecucion, sin GoogleTest) no pone
/// ninguno y no se anota nada. Se pone una vez, antes de lanzar ningún programa.
struct Testigo {
    void (*programa)(const ProgramaVisto& programa) = nullptr;
    void (*traza)(const std::string& ruta, const std::string& orden, pid_t pid,
                  const std::vector<Llamada>& llamadas, const std::string& fin) = nullptr;
};
void poner_testigo(const Testigo& testigo);

}  // namespace arnes
