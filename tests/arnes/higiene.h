/// \file higiene.h
/// \brief La higiene de un programa lanzado (higiene.cpp): matar su grupo sin tocar a nadie más,
///        esperar a que se vacíe, y qué dice /proc de dónde está. Detalle interno del arnés.
#pragma once

#include "arnes/ejecucion.h"

#include <sys/types.h>

#include <string>

namespace arnes {

/// Mata (SIGKILL) a cada proceso vivo del grupo `pgid`, uno a uno y por su pidfd (nunca
/// kill(-pgid): ese número puede ser ya de otro grupo).
void matar_grupo(pid_t pgid);
/// Mata el grupo y espera (como mucho `plazo`) a que se vacíe, recogiendo a los zombis que nos
/// hayan tocado como «subreaper».
void vaciar_grupo(pid_t pgid, Ms plazo);
/// Texto de /proc/PID/syscall o /proc/PID/wchan: «accept4(...)», «en ejecución», «wchan: ...».
std::string donde_segun_proc(pid_t pid);

}  // namespace arnes
