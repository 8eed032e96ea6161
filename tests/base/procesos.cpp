/// \file procesos.cpp
/// \brief La tabla de procesos de /proc (ver procesos.h).
#include "base/procesos.h"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace base {

namespace {

/// Los nombres numéricos de una carpeta de /proc (los pid de /proc, los fd de /proc/PID/fd).
std::vector<long> numeros_en(const std::string& carpeta) {
    std::vector<long> r;
    DIR* dir = opendir(carpeta.c_str());
    if (dir == nullptr) return r;
    while (dirent* entrada = readdir(dir)) {
        char* fin = nullptr;
        const long n = std::strtol(entrada->d_name, &fin, 10);
        if (fin != entrada->d_name && *fin == '\0' && n >= 0) r.push_back(n);
    }
    closedir(dir);
    return r;
}

/// Completa `p` con el uid real y la memoria de /proc/PID/status. false si ya no existe.
bool leer_status(Proceso& p) {
    std::ifstream st("/proc/" + std::to_string(p.pid) + "/status");
    std::string linea;
    bool visto = false;
    while (std::getline(st, linea)) {
        std::istringstream c(linea);
        std::string clave;
        c >> clave;
        if (clave == "State:") {
            c >> p.estado;
            visto = true;
        } else if (clave == "Uid:") {
            c >> p.uid;
        } else if (clave == "RssAnon:" || clave == "RssShmem:") {
            long kib = 0;
            c >> kib;
            p.rss_kib += kib;
        }
    }
    return visto;
}

}  // namespace

std::vector<std::string> campos_de_stat(const std::string& ruta) {
    std::ifstream f(ruta);
    std::string linea, campo;
    std::vector<std::string> campos;
    if (!std::getline(f, linea)) return campos;
    // «pid (comm) S ppid pgrp ...»: comm puede tener espacios y paréntesis; se busca el último ')'.
    auto cierre = linea.rfind(')');
    if (cierre == std::string::npos) return campos;
    std::istringstream resto(linea.substr(cierre + 1));
    while (resto >> campo) campos.push_back(campo);
    return campos;
}

std::optional<Proceso> proceso(pid_t pid, Detalle detalle) {
    const auto campos = campos_de_stat("/proc/" + std::to_string(pid) + "/stat");
    if (campos.size() < 3 || campos[0].empty()) return std::nullopt;
    Proceso p;
    p.pid = pid;
    p.estado = campos[0][0];
    p.ppid = static_cast<pid_t>(std::atol(campos[1].c_str()));
    p.pgrp = static_cast<pid_t>(std::atol(campos[2].c_str()));
    if (detalle == Detalle::kConMemoria && !leer_status(p)) return std::nullopt;
    return p;
}

std::vector<Proceso> procesos(Detalle detalle) {
    std::vector<Proceso> todos;
    for (long pid : numeros_en("/proc"))
        if (pid > 0)
            if (auto p = proceso(static_cast<pid_t>(pid), detalle)) todos.push_back(*p);
    return todos;
}

std::vector<Proceso> miembros_del_grupo(pid_t pgid) {
    std::vector<Proceso> grupo;
    if (pgid <= 0) return grupo;
    for (const auto& p : procesos())
        if (p.pgrp == pgid) grupo.push_back(p);
    return grupo;
}

std::vector<pid_t> hijos_de(pid_t ppid) {
    std::vector<pid_t> r;
    if (ppid <= 0) return r;
    for (const auto& p : procesos())
        if (p.ppid == ppid) r.push_back(p.pid);
    return r;
}

std::vector<pid_t> zombis_de(pid_t ppid) {
    std::vector<pid_t> r;
    if (ppid <= 0) return r;
    for (const auto& p : procesos())
        if (p.ppid == ppid && p.estado == 'Z') r.push_back(p.pid);
    return r;
}

std::vector<int> descriptores_de(pid_t pid) {
    std::vector<int> fds;
    if (pid <= 0) return fds;
    for (long fd : numeros_en("/proc/" + std::to_string(pid) + "/fd")) fds.push_back(static_cast<int>(fd));
    std::sort(fds.begin(), fds.end());
    return fds;
}

}  // namespace base
