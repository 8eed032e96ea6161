/// \file ejecutar.cpp
/// \brief `sockets ejecutar`: una orden que no es de GoogleTest como prueba, con su
///        registro de veredicto (base/registro.h).
#include "presentacion.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace veredictos {

namespace {

// --- ejecutar --------------------------------------------------------------------------------

/// Ejecuta `orden` con su salida y sus errores en `cola` (las últimas 8 KiB) y, tal cual, en
/// la salida estándar. Devuelve su estado de waitpid() (-1 si no se pudo lanzar).
int correr(const std::vector<std::string>& orden, std::string& cola) {
    int tubo[2];
    if (pipe(tubo) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(tubo[1], 1);
        dup2(tubo[1], 2);
        close(tubo[0]);
        close(tubo[1]);
        std::vector<char*> v;
        for (const auto& s : orden) v.push_back(const_cast<char*>(s.c_str()));
        v.push_back(nullptr);
        execvp(v[0], v.data());
        std::fprintf(stderr, "no se pudo ejecutar %s: %s\n", v[0], std::strerror(errno));
        _exit(127);
    }
    close(tubo[1]);
    char buf[8192];
    ssize_t n;
    while ((n = read(tubo[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
        if (n <= 0) continue;
        std::fwrite(buf, 1, static_cast<std::size_t>(n), stdout);
        cola.append(buf, static_cast<std::size_t>(n));
        if (cola.size() > 8192) cola.erase(0, cola.size() - 8192);
    }
    std::fflush(stdout);
    close(tubo[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    // Sin partir un carácter UTF-8 al principio de la cola.
    cola.erase(0, base::corte_adelante(cola, 0));
    return st;
}

/// Anota en `r` cómo acabó la orden (estado `st` de waitpid, salida `cola`). true si bien.
bool anotar_final(base::Registro& r, const std::string& orden, const std::string& nombre, int st,
                  const std::string& cola) {
    const bool bien = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    const std::string descripcion = WIFEXITED(st) ? "terminó con código " + std::to_string(WEXITSTATUS(st))
                                                  : "murió por la señal " + std::to_string(WTERMSIG(st));
    r.estado = bien ? "superada" : "fallida";
    base::ProgramaRegistro prog;
    prog.orden = orden;
    prog.estado = WIFEXITED(st) ? "terminó" : "señal";
    prog.codigo = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
    prog.senal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    prog.descripcion = descripcion;
    prog.errores = cola;
    r.programas.push_back(prog);
    if (bien) return true;
    std::string ultimas;
    auto ls = lineas(cola);
    for (std::size_t k = ls.size() > 30 ? ls.size() - 30 : 0; k < ls.size(); ++k) ultimas += "    " + ls[k] + "\n";
    base::InformeRegistro i;
    i.etapa = -1;
    i.entrada = orden;
    i.esperado = "que termine con código 0";
    i.observado = descripcion;
    i.pista = "lee su salida: " + nombre;
    i.texto = "✗ " + nombre + ": " + descripcion + "\n  últimas líneas de su salida:\n" + ultimas;
    r.informes.push_back(i);
    return false;
}

}  // namespace

/// Ejecuta una orden que no es de GoogleTest (la comprobación de la documentación) como prueba:
/// su salida pasa tal cual y su veredicto (código de salida) queda en un registro del formato 1.
int orden_ejecutar(const Argumentos& a) {
    const std::string ruta = a.valor("sockets-registro");
    const std::string nombre = a.valor("nombre", "prueba");
    if (ruta.empty() || a.resto.empty()) uso("uso: ejecutar --sockets-registro=FICHERO [--nombre=N] -- ORDEN...");
    // La carpeta del registro (mkdir -p).
    for (std::size_t barra = ruta.find('/', 1); barra != std::string::npos; barra = ruta.find('/', barra + 1))
        mkdir(ruta.substr(0, barra).c_str(), 0777);
    std::string orden;
    for (const auto& s : a.resto) orden += (orden.empty() ? "" : " ") + s;
    base::Registro r;
    r.id = r.prueba = nombre;
    r.arbol = r.suite = a.valor("sockets-arbol", nombre.substr(0, nombre.find('/')));
    r.leccion = 0;
    r.etapa = -1;
    r.estado = "interrumpida";
    base::escribir_registro(ruta, r);

    const auto inicio = std::chrono::steady_clock::now();
    std::string cola;
    const int st = correr(a.resto, cola);
    if (st < 0) return 1;
    r.duracion_ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - inicio).count());
    // Código 77: la orden se omitió a sí misma (le falta una herramienta); CTest lo sabe por
    // SKIP_RETURN_CODE y el registro lo dice, con la última línea de su salida como motivo.
    if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
        auto ls = lineas(cola);
        r.estado = "omitida";
        r.motivo_omision = ls.empty() ? std::string("sin motivo") : ls.back();
        base::escribir_registro(ruta, r);
        return 77;
    }
    const bool bien = anotar_final(r, orden, nombre, st, cola);
    base::escribir_registro(ruta, r);
    return bien ? 0 : 1;
}

}  // namespace veredictos
