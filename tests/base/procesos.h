/// \file procesos.h
/// \brief La tabla de procesos de /proc, leída en un solo sitio: la usan el arnés (higiene de un
///        programa: su grupo, sus hijos, sus zombis, sus descriptores) y el ejecutor del
///        corrector (memoria, procesos parados, huérfanos). Sin GoogleTest.
///
/// Solo lee: no manda señales ni recoge a nadie. Un proceso puede desaparecer entre que se ve
/// su número en /proc y se lee su fichero: entonces no aparece (nunca con datos a medias).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace base {

/// Un proceso visto en /proc.
struct Proceso {
    pid_t pid = 0;
    char estado = '?';  ///< 'R', 'S', 'D', 'T' (parado), 'Z' (zombi)...
    pid_t ppid = 0;
    pid_t pgrp = 0;     ///< Su grupo de procesos.
    // Solo con Detalle::kConMemoria (de /proc/PID/status):
    uid_t uid = 0;      ///< uid real.
    long rss_kib = 0;   ///< Memoria residente propia: anónima y compartida (sin las bibliotecas).
};

/// Cuánto se lee de cada proceso: /proc/PID/stat (estado, padre, grupo) o además
/// /proc/PID/status (uid y memoria), que cuesta más.
enum class Detalle { kBasico, kConMemoria };

/// Los campos de un fichero /proc/.../stat desde el estado (el tercero: [0] estado, [1] ppid,
/// [2] pgrp... [11] utime, [12] stime); vacío si el proceso ya no existe.
std::vector<std::string> campos_de_stat(const std::string& ruta);

/// El proceso `pid` (de /proc/PID/stat; con kConMemoria, también de su status); nullopt si ya no
/// existe.
std::optional<Proceso> proceso(pid_t pid, Detalle detalle = Detalle::kBasico);

/// Todos los procesos visibles en /proc.
std::vector<Proceso> procesos(Detalle detalle = Detalle::kBasico);

/// Los procesos cuyo grupo es `pgid` (vivos o zombis); vacío si `pgid` <= 0.
std::vector<Proceso> miembros_del_grupo(pid_t pgid);

/// Los hijos directos de `ppid` que siguen existiendo (vivos o zombis).
std::vector<pid_t> hijos_de(pid_t ppid);

/// Los hijos directos de `ppid` en estado zombi («defunct» en ps).
std::vector<pid_t> zombis_de(pid_t ppid);

/// Los descriptores abiertos por `pid` (de /proc/PID/fd), en orden; vacío si no se pueden leer.
std::vector<int> descriptores_de(pid_t pid);

}  // namespace base
