/// \file interno.h
/// \brief Detalle interno del arnés compartido por programa.cpp y traza.cpp (no lo usan las
///        pruebas).
#pragma once

#include "arnes/arnes.h"

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

/// Examina la secuencia UTF-8 que empieza en `s[i]` (i < s.size()). Devuelve su largo (1..4)
/// si es válida y completa; -1 si es el principio válido de una secuencia que el final de `s`
/// dejó a medias (datos recortados); 0 si no es UTF-8 válido (byte suelto, sobrelarga, suplente,
/// más allá de U+10FFFF).
int examinar_utf8(std::string_view s, std::size_t i);
/// Escribe en `r` el carácter de `s` que empieza en `i` tal como debe verse en un informe y
/// devuelve cuántos bytes consumió. Los caracteres UTF-8 válidos pasan tal cual; los bytes de
/// control, el 0x7f y los bytes inválidos se escapan (`\n`, `\r`, `\t`, `\x9f`; los controles
/// C1, aunque sean UTF-8 válido, `\u0085`). `comillas`: escapa también las comillas dobles y la
/// barra invertida (como strace). Devuelve 0 (y no escribe nada) si `s` acaba a medias de un
/// carácter y `recortado` dice que faltan datos: el carácter no se parte.
std::size_t caracter_visible(std::string_view s, std::size_t i, std::string& r, bool comillas,
                             bool recortado);

/// Máximo de llamadas que se guardan por programa (las demás se cuentan y se descartan).
inline constexpr std::size_t kMaxLlamadas = 200000;
/// Bytes de datos que se guardan por llamada de lectura o escritura.
inline constexpr std::size_t kMaxDatos = 256;

/// Estado compartido entre la prueba, el hilo vigía (lanza, traza y recoge) y el hilo lector
/// (captura stdout/stderr y hace cumplir el límite). Todo lo mutable se protege con `m`.
struct Programa::Estado {
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
    std::vector<Llamada> llamadas;
    std::size_t llamadas_descartadas = 0;
    std::vector<pid_t> trazados;      ///< Procesos trazados vivos.

    std::string retener;              ///< Nombre(s) de la llamada donde retener («a|b»).
    std::vector<pid_t> retenidos;     ///< Procesos parados a la entrada de `retener`.
    bool peticion_soltar = false;     ///< La prueba pidió soltar; el vigía lo atiende.
    std::vector<int> fallos_vistos;   ///< Apariciones vistas de cada opciones.fallos[i].
    std::map<int, AccionSenal> acciones; ///< La última sigaction() de cada señal (de cualquier
                                         ///< proceso del programa): decide si una llamada
                                         ///< interrumpida vuelve con EINTR o se repite.

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
};

// --- programa.cpp ---

/// Prepara el proceso de pruebas (una vez): ignora SIGPIPE, se declara «subreaper» para recoger
/// a los huérfanos de los programas e instala el despertador del trazador.
void preparar_proceso_de_prueba();
/// Anota el fin del proceso principal a partir del estado de waitpid(). Con `m` tomado.
void registrar_fin(Programa::Estado& e, int estado_wait);

/// En el modo contenedor del corrector (SOCKETS_USUARIO), los programas corren con el uid del
/// alumno y el arnés (root, sin CAP_SYS_PTRACE) no puede leer su /proc: mientras exista, este
/// hilo usa el uid y el gid del alumno para los ficheros (setfsuid/setfsgid). Fuera de ese modo
/// no hace nada.
/// Con kTambienReal, además el uid y el gid reales del hilo (el efectivo sigue siendo root): lo
/// exigen pidfd_getfd() y process_vm_readv(). Mientras dure, un proceso del alumno podría
/// mandar una señal a ese hilo (tgkill): solo se usa en una llamada, y a lo sumo el alumno
/// estropea su propia prueba.
class ComoAlumno {
public:
    enum Alcance { kFicheros, kTambienReal };
    explicit ComoAlumno(Alcance alcance = kFicheros);
    ~ComoAlumno();
    ComoAlumno(const ComoAlumno&) = delete;
    ComoAlumno& operator=(const ComoAlumno&) = delete;

private:
    bool cambiado_ = false, real_ = false;
};

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

// --- traza.cpp ---

/// Dónde está `pid` (0: el principal), según la traza o /proc. Con `m` tomado.
std::string donde_con_candado(const Programa::Estado& e, pid_t pid);

/// Número de la señal que usa el arnés para despertar a un hilo vigía bloqueado en waitpid().
int senal_despertador();
/// Instala (una vez) un manejador vacío para esa señal, sin SA_RESTART.
void instalar_despertador();
/// Nombre de una llamada al sistema de esta arquitectura («accept4»), o «nr123».
std::string nombre_llamada(long nr);
/// Tras el SIGSTOP inicial del hijo (PTRACE_TRACEME ya hecho): fija las opciones y comprueba
/// PTRACE_GET_SYSCALL_INFO. Si algo falla, lo suelta (PTRACE_DETACH) y devuelve el motivo.
std::optional<std::string> preparar_traza(pid_t pid);
/// Bucle del trazador (en el hilo vigía) hasta que no quede ningún proceso trazado.
void bucle_de_traza(Programa::Estado& e);
/// Texto de /proc/PID/syscall o /proc/PID/wchan: «accept4(...)», «en ejecución», «wchan: ...».
std::string donde_segun_proc(pid_t pid);

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

}  // namespace arnes
