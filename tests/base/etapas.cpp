/// \file etapas.cpp
/// \brief La tabla de etapas de este build (ver etapas.h), a partir de base/tabla_datos.h.
#include "base/etapas.h"

#include "base/tabla_datos.h"

#include <algorithm>
#include <sstream>

namespace base {

namespace {

Tabla construir() {
    namespace d = tabla_datos;
    Tabla t;
    for (const auto& e : d::kEtapas) t.etapas.push_back({e.numero, e.nn, e.nombre, e.titulo, e.carpeta, e.pagina});
    for (const auto& p : d::kPasos) {
        Paso paso{p.etapa, p.numero, p.titulo, {}};
        std::istringstream pruebas(p.pruebas);
        for (std::string caso; pruebas >> caso;) paso.pruebas.push_back(caso);
        t.pasos.push_back(paso);
    }
    for (const auto& s : d::kSecciones) t.secciones.push_back({s.etapa, s.ancla, s.pagina, s.titulo});
    for (const auto& r : d::kRetiradas) t.filas_retira.emplace_back(r.desde, r.prueba);
    return t;
}

}  // namespace

const Tabla& tabla() {
    static const Tabla t = construir();
    return t;
}

int Tabla::pasos_de(int n) const {
    int r = 0;
    for (const auto& p : pasos)
        if (p.etapa == n) r = std::max(r, p.numero);
    return r;
}

int Tabla::paso_de(int n, const std::string& caso) const {
    for (const auto& p : pasos)
        if (p.etapa == n && std::find(p.pruebas.begin(), p.pruebas.end(), caso) != p.pruebas.end())
            return p.numero;
    return pasos_de(n);
}

const Paso* Tabla::paso(int n, int k) const {
    for (const auto& p : pasos)
        if (p.etapa == n && p.numero == k) return &p;
    return nullptr;
}

const Etapa* Tabla::etapa(int n) const {
    for (const auto& e : etapas)
        if (e.numero == n) return &e;
    return nullptr;
}

const Etapa* Tabla::leccion(int n) const {
    const Etapa* e = etapa(n);
    return e != nullptr && e->tiene_leccion() ? e : nullptr;
}

const Etapa* Tabla::siguiente(int n) const {
    const Etapa* mejor = nullptr;
    for (const auto& e : etapas)
        if (e.tiene_leccion() && e.numero > n && (mejor == nullptr || e.numero < mejor->numero))
            mejor = &e;
    return mejor;
}

std::vector<const Etapa*> Tabla::lecciones() const {
    std::vector<const Etapa*> r;
    for (const auto& e : etapas)
        if (e.tiene_leccion()) r.push_back(&e);
    return r;
}

std::vector<std::string> Tabla::retiradas(int n) const {
    std::vector<std::string> r;
    for (const auto& [desde, prueba] : filas_retira)
        if (desde <= n) r.push_back(prueba);
    return r;
}

}  // namespace base
