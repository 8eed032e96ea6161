/// \file captura.cpp
/// \brief La entrada y la salida estándar de un Programa: el hilo lector captura stdout y
///        stderr sin parar (con su tope) y hace cumplir el límite de tiempo; la prueba escribe
///        en su stdin y espera líneas de su stdout.
#include "arnes/interno.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace arnes {

namespace {

/// Lee todo lo disponible (el descriptor es no bloqueante) y lo añade a `destino` respetando el
/// tope. Si llega a EOF (o a un error) cierra el descriptor y lo deja a -1.
void vaciar(int& fd, std::string& destino, std::size_t tope, std::size_t& descartado,
            bool& cerrado) {
    char buf[65536];
    while (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            close(fd);
            fd = -1;
            cerrado = true;
            return;
        }
        std::size_t cuantos = static_cast<std::size_t>(n);
        std::size_t caben = destino.size() < tope ? tope - destino.size() : 0;
        std::size_t tomados = std::min(caben, cuantos);
        destino.append(buf, tomados);
        descartado += cuantos - tomados;
    }
}

}  // namespace

/// Hilo lector: vacía stdout/stderr sin parar y mata el grupo cuando vence el límite.
void leer(Programa::Estado* e) {
    while (true) {
        int timeout = -1;
        {
            std::lock_guard<std::mutex> candado(e->m);
            if (e->parar) break;
            if (e->fd_salida < 0 && e->fd_errores < 0 && e->vigia_terminado) break;
            if (!e->matado && !e->vigia_terminado) {
                auto resta = std::chrono::duration_cast<std::chrono::milliseconds>(e->limite -
                                                                                   Reloj::now());
                timeout = static_cast<int>(std::max<long long>(0, resta.count()));
            }
        }
        pollfd fds[3] = {{e->fd_salida, POLLIN, 0}, {e->fd_errores, POLLIN, 0},
                         {e->despertador, POLLIN, 0}};
        int listos = poll(fds, 3, timeout);
        if (listos < 0 && errno != EINTR) break;
        std::lock_guard<std::mutex> candado(e->m);
        if (listos == 0 && !e->matado && !e->vigia_terminado && Reloj::now() >= e->limite) {
            // Venció el límite: se anota dónde estaba y se mata el grupo entero.
            e->donde_al_morir = donde_con_candado(*e, 0);
            e->matado = true;
            e->por_limite = true;
            e->ms_muerte = e->ms_desde_inicio();
            e->matar_todo_con_candado();
        }
        if (listos > 0 && fds[2].revents != 0) {
            std::uint64_t valor;
            if (read(e->despertador, &valor, sizeof valor) < 0) { /* no importa */ }
        }
        // Tras el fin del principal, lo que escribió ya está en los tubos: se vacían del todo
        // para que esperar_fin() vuelva con su salida completa.
        bool tras_fin = e->fin && !e->drenado_tras_fin;
        if (tras_fin || (listos > 0 && fds[0].revents != 0))
            vaciar(e->fd_salida, e->salida, e->opciones.max_salida, e->descartado,
                   e->salida_cerrada);
        if (tras_fin || (listos > 0 && fds[1].revents != 0))
            vaciar(e->fd_errores, e->errores, e->opciones.max_salida, e->descartado,
                   e->errores_cerrada);
        if (tras_fin) e->drenado_tras_fin = true;
        ++e->vueltas_lector;
        e->cv.notify_all();
    }
    std::lock_guard<std::mutex> candado(e->m);
    e->lector_terminado = true;
    e->cv.notify_all();
}

void Programa::Estado::despertar_lector() const {
    std::uint64_t uno = 1;
    if (despertador >= 0 && write(despertador, &uno, sizeof uno) < 0) { /* ya estaba despierto */ }
}

void Programa::escribir_entrada(std::string_view datos) {
    Estado& e = *estado_;
    std::lock_guard<std::mutex> candado_entrada(e.m_entrada);
    int fd;
    {
        std::lock_guard<std::mutex> candado(e.m);
        fd = e.fd_entrada;
    }
    if (fd < 0) return;
    const auto fin = Reloj::now() + kPlazo;
    while (!datos.empty()) {
        ssize_t n = write(fd, datos.data(), datos.size());
        if (n > 0) {
            datos.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN) return;  // EPIPE: el programa ya no lee
        auto resta = std::chrono::duration_cast<std::chrono::milliseconds>(fin - Reloj::now());
        if (resta.count() <= 0) return;
        pollfd p{fd, POLLOUT, 0};
        poll(&p, 1, static_cast<int>(resta.count()));
    }
}

void Programa::cerrar_entrada() {
    Estado& e = *estado_;
    std::lock_guard<std::mutex> candado_entrada(e.m_entrada);
    std::lock_guard<std::mutex> candado(e.m);
    if (e.fd_entrada >= 0) close(e.fd_entrada);
    e.fd_entrada = -1;
}

std::string Programa::salida() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->salida;
}

std::string Programa::errores() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->errores;
}

std::size_t Programa::descartado() const {
    std::lock_guard<std::mutex> candado(estado_->m);
    return estado_->descartado;
}

std::optional<std::string> Programa::esperar_salida(const std::regex& patron, Ms plazo) {
    Estado& e = *estado_;
    Espera espera(Reloj::now() + plazo);
    std::unique_lock<std::mutex> candado(e.m);
    std::size_t desde = 0;  // primera línea aún sin mirar
    auto probar = [&](const std::string& linea) -> std::optional<std::string> {
        std::smatch m;
        if (!std::regex_search(linea, m, patron)) return std::nullopt;
        return m.size() > 1 ? m[1].str() : m[0].str();
    };
    while (true) {
        for (auto fin_linea = e.salida.find('\n', desde); fin_linea != std::string::npos;
             fin_linea = e.salida.find('\n', desde)) {
            auto acierto = probar(e.salida.substr(desde, fin_linea - desde));
            desde = fin_linea + 1;
            if (acierto) return acierto;
        }
        if (e.salida_cerrada) {
            if (desde < e.salida.size()) return probar(e.salida.substr(desde));
            return std::nullopt;
        }
        if (!espera.esperar(candado, e.cv)) {
            // Última oportunidad con lo que haya llegado justo ahora.
            for (auto fin_linea = e.salida.find('\n', desde); fin_linea != std::string::npos;
                 fin_linea = e.salida.find('\n', desde)) {
                auto acierto = probar(e.salida.substr(desde, fin_linea - desde));
                desde = fin_linea + 1;
                if (acierto) return acierto;
            }
            return std::nullopt;
        }
    }
}

std::optional<int> Programa::esperar_escucha(Ms plazo) {
    static const std::regex patron("escuchando.*puerto ([0-9]+)");
    auto puerto = esperar_salida(patron, plazo);
    if (!puerto) return std::nullopt;
    return std::stoi(*puerto);
}

}  // namespace arnes
