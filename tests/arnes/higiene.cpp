/// \file higiene.cpp
/// \brief La higiene de un programa en /proc: su grupo, sus hijos, sus zombis y sus
///        descriptores (Programa::descriptores(), hijos(), zombis(), procesos_del_grupo()), y
///        cómo se mata el grupo entero sin alcanzar a procesos ajenos.
///
/// La tabla de procesos se lee con base/procesos.h (la misma que usa el ejecutor del corrector).
/// Nunca se manda una señal a un grupo por su número: el líder puede estar ya recogido y el
/// número, reutilizado. Cada señal va por el pidfd del proceso, tras comprobar que sigue en el
/// grupo (matar_grupo()).
#include "arnes/higiene.h"

#include "arnes/interno.h"
#include "base/procesos.h"

#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace arnes {

/// Mata (SIGKILL) a cada proceso vivo del grupo `pgid`, uno a uno y por su pidfd: abierto el
/// pidfd, se comprueba que ese proceso sigue en el grupo, y la señal va a él y solo a él. Nunca
/// se usa kill(-pgid): cuando el líder ya está recogido y el grupo se vacía, otro proceso puede
/// heredar ese número (fuera de un espacio de PID propio, uno de cualquiera) y la señal le
/// llegaría. Sin pidfd_open() (Linux anterior a 5.3), kill() a cada miembro visto.
void matar_grupo(pid_t pgid) {
    if (pgid <= 0) return;
    for (const auto& p : base::miembros_del_grupo(pgid)) {
        if (p.estado == 'Z') continue;
        const int fd = static_cast<int>(syscall(SYS_pidfd_open, p.pid, 0));
        if (fd < 0) {
            if (errno == ENOSYS) kill(p.pid, SIGKILL);
            continue;  // ESRCH: ya no existe
        }
        const auto ahora = base::proceso(p.pid);  // el pidfd ya fija a quién va la señal
        if (ahora && ahora->pgrp == pgid) syscall(SYS_pidfd_send_signal, fd, SIGKILL, nullptr, 0);
        close(fd);
    }
}

/// Mata el grupo y espera (como mucho `plazo`) a que se vacíe, recogiendo a los zombis que nos
/// hayan tocado como «subreaper». Solo se usa en Programa::matar() y en el destructor.
void vaciar_grupo(pid_t pgid, Ms plazo) {
    if (pgid <= 0) return;
    const auto fin = Reloj::now() + plazo;
    while (true) {
        auto grupo = base::miembros_del_grupo(pgid);
        if (grupo.empty()) return;
        matar_grupo(pgid);
        for (const auto& p : grupo)
            if (p.estado == 'Z' && p.ppid == getpid()) waitpid(p.pid, nullptr, WNOHANG);
        if (Reloj::now() > fin) return;
        // Solo aquí se duerme: esperamos al núcleo, que no avisa cuando un grupo se vacía.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

std::string donde_segun_proc(pid_t pid) {
    const auto p = base::proceso(pid);
    if (!p || p->estado == 'Z') return "";
    const std::string carpeta = "/proc/" + std::to_string(pid);
    ComoAlumno como;  // modo contenedor: el programa es de otro usuario
    std::ifstream syscall_f(carpeta + "/syscall");
    std::string primero, arg0;
    if (syscall_f >> primero) {
        if (primero == "running") return "en ejecución";
        long nr = std::strtol(primero.c_str(), nullptr, 10);
        if (nr >= 0) {
            std::string texto = nombre_llamada(nr) + "(";
            if (syscall_f >> arg0) texto += std::to_string(std::strtol(arg0.c_str(), nullptr, 16));
            return texto + ", …)";
        }
    }
    std::ifstream wchan(carpeta + "/wchan");
    std::string funcion;
    if (wchan >> funcion && funcion != "0") return "el núcleo (" + funcion + ")";
    return "";
}

void Programa::Estado::matar_todo_con_candado() {
    if (pid <= 0) return;
    matar_grupo(pid);
    // (Los trazados salen de la lista, con este candado, en cuanto el trazador los recoge: su
    // número no puede ser aún de otro.)
    for (pid_t p : tr.trazados) kill(p, SIGKILL);
}

std::vector<int> Programa::descriptores(pid_t pid) const {
    if (pid == 0) pid = estado_->pid;
    ComoAlumno como;  // modo contenedor: el programa es de otro usuario
    return base::descriptores_de(pid);
}

std::vector<pid_t> Programa::hijos() const { return base::hijos_de(estado_->pid); }

std::vector<pid_t> Programa::zombis() const { return base::zombis_de(estado_->pid); }

std::vector<pid_t> Programa::procesos_del_grupo() const {
    std::vector<pid_t> r;
    for (const auto& p : base::miembros_del_grupo(estado_->pid)) r.push_back(p.pid);
    return r;
}

}  // namespace arnes
