/// \file traza.h
/// \brief La interfaz del trazador (traza.cpp) con quien lo usa: qué necesita saber y dónde
///        anota. Detalle interno del arnés.
///
/// El trazador no conoce al Programa ni a su estado: trabaja para un DuenoDeTraza, que le da
/// el proceso principal, el candado que protege la Traza, la Traza misma (las llamadas que
/// anota, las que retiene, los fallos que provoca) y dos avisos (algo cambió; el principal
/// terminó). El estado de cada Programa (Programa::Estado, interno.h) es ese dueño, y el lanzador
/// (lanzamiento.cpp) solo llama al trazador a través de esta cabecera: preparar_traza() tras el
/// fork y bucle_de_traza() en su hilo vigía. traza.cpp no incluye interno.h: no hay ciclo.
#pragma once

#include "arnes/ejecucion.h"

#include <sys/types.h>

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace arnes {

/// Máximo de llamadas que se guardan por programa (las demás se cuentan y se descartan).
inline constexpr std::size_t kMaxLlamadas = 200000;
/// Bytes de datos que se guardan por llamada de lectura o escritura.
inline constexpr std::size_t kMaxDatos = 256;

/// Los códigos internos del núcleo para una llamada interrumpida por una señal
/// (include/linux/errno.h): el programa nunca los ve.
inline constexpr long kERESTARTSYS = 512, kERESTARTNOINTR = 513, kERESTARTNOHAND = 514,
                      kERESTART_RESTARTBLOCK = 516;
/// ¿Es `resultado` uno de esos códigos (una llamada que una señal interrumpió)?
inline bool es_reinicio_interno(long resultado) {
    return resultado <= -kERESTARTSYS && resultado >= -kERESTART_RESTARTBLOCK;
}

/// Lo que el trazador anota de un programa y lo que la prueba le pide. Todo se lee y se escribe
/// con el candado del dueño tomado (DuenoDeTraza::candado()).
struct Traza {
    // --- lo pedido (fijo desde el lanzamiento) ---
    std::vector<Fallo> fallos;         ///< Opciones::fallos
    long escritura_maxima = 0;         ///< Opciones::escritura_maxima

    // --- lo anotado ---
    std::vector<Llamada> llamadas;
    std::size_t descartadas = 0;       ///< Llamadas que no cupieron (kMaxLlamadas).
    std::vector<pid_t> trazados;       ///< Procesos trazados vivos.
    std::vector<int> fallos_vistos;    ///< Apariciones vistas de cada fallos[i].
    std::map<int, AccionSenal> acciones; ///< La última sigaction() de cada señal (de cualquier
                                         ///< proceso del programa): decide si una llamada
                                         ///< interrumpida vuelve con EINTR o se repite.

    // --- retener y soltar ---
    std::string retener;               ///< Nombre(s) de la llamada donde retener («a|b»).
    std::vector<pid_t> retenidos;      ///< Procesos parados a la entrada de `retener`.
    bool peticion_soltar = false;      ///< La prueba pidió soltar; el trazador lo atiende.
};

/// Lo que el trazador necesita de quien lo usa: nada más.
class DuenoDeTraza {
public:
    /// El proceso principal (el primero trazado).
    virtual pid_t principal() const = 0;
    /// El candado que protege la Traza.
    virtual std::mutex& candado() const = 0;
    /// Dónde anota (con candado() tomado).
    virtual Traza& traza() = 0;
    /// Algo cambió en la Traza: que lo vea quien espera (con candado() tomado).
    virtual void avisar() = 0;
    /// El principal terminó con este estado de waitpid() (con candado() tomado).
    virtual void fin_del_principal(int estado_wait) = 0;

protected:
    ~DuenoDeTraza() = default;
};

/// Número de la señal que usa el arnés para despertar a un hilo vigía bloqueado en waitpid().
int senal_despertador();
/// Instala (una vez) un manejador vacío para esa señal, sin SA_RESTART.
void instalar_despertador();
/// Nombre de una llamada al sistema de esta arquitectura («accept4»), o «nr123».
std::string nombre_llamada(long nr);
/// Tras el SIGSTOP inicial del hijo (PTRACE_TRACEME ya hecho): fija las opciones y comprueba
/// PTRACE_GET_SYSCALL_INFO. Si algo falla, lo suelta (PTRACE_DETACH) y devuelve el motivo.
std::optional<std::string> preparar_traza(pid_t pid);
/// Bucle del trazador (en el hilo que hizo fork) hasta que no quede ningún proceso trazado.
void bucle_de_traza(DuenoDeTraza& dueno);

}  // namespace arnes
