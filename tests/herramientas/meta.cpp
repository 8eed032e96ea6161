/// \file meta.cpp
/// \brief `sockets meta`: las comprobaciones (a)-(f) del meta-test (tests/meta/meta.sh).
#include "presentacion.h"

#include "escaleras.h"

#include "base/parche.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#ifndef SOCKETS_RAIZ
#define SOCKETS_RAIZ ""
#endif

namespace veredictos {

namespace {

// --- meta ------------------------------------------------------------------------------------

// La cabecera de cada entrega rota (# leccion, # falla, # error, # variante, # paso, # sintoma):
// base/parche.h, su único lector.
using base::leer_parche;
using base::Parche;

std::vector<std::string> listar(const std::string& carpeta, const std::string& sufijo) {
    std::vector<std::string> r;
    DIR* d = opendir(carpeta.c_str());
    if (d == nullptr) return r;
    while (dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n.size() > sufijo.size() && n.compare(n.size() - sufijo.size(), sufijo.size(), sufijo) == 0)
            r.push_back(carpeta + "/" + n);
    }
    closedir(d);
    std::sort(r.begin(), r.end());
    return r;
}

bool existe(const std::string& ruta) {
    struct stat st {};
    return stat(ruta.c_str(), &st) == 0;
}

struct Meta {
    int correctas = 0, fallidas = 0;
    void bien(const std::string& s) {
        std::cout << "  " << c.V << "✓" << c.F << " " << s << "\n";
        ++correctas;
    }
    void mal(const std::string& s) {
        std::cout << "  " << c.R << "✗" << c.F << " " << s << "\n";
        ++fallidas;
    }
    static void aviso(const std::string& s) { std::cout << "  " << c.A << "⚠" << c.F << " " << s << "\n"; }
};

void mostrar_informe(const Contexto& ctx, const Prueba& p) {
    auto ls = lineas(informes(ctx, p)[0]);
    for (std::size_t k = 0; k < ls.size() && k < 25; ++k) std::cout << "        " << ls[k] << "\n";
}

/// La nota de una lección según el corrector (tests/corrector/resultados.cpp), con los
/// veredictos de un árbol del meta-test: su lista de pruebas, su compilación «ok» y, como código de
/// partida, los veredictos de lessons/. Devuelve el porcentaje (-1 si el corrector no respondió).
struct Nota {
    std::string corrector, rubrica, build;
    int usos = 0;
    int fallidas = 0;  ///< pruebas «failed» en el results.json de la última nota
    int atajos = 0;    ///< notas en las que el atajo del ejecutor se habría aplicado
    int atajos_cambiados = 0;  ///< de ellas, en las que el atajo cambió la nota
    std::string atajo_cambia = {};  ///< si en la última nota el atajo la cambió: las dos notas

    static std::string texto(double pct) {
        char b[32];
        std::snprintf(b, sizeof b, "%.2f %%", pct);
        return b;
    }

    double de(const Contexto& ctx, const std::string& arbol, const Etapa& e) {
        const std::string dir = build + "/meta/nota/" + std::to_string(++usos);
        std::string ruta;
        for (std::size_t barra = dir.find('/', 1); barra != std::string::npos; barra = dir.find('/', barra + 1))
            mkdir(dir.substr(0, barra).c_str(), 0777);
        mkdir(dir.c_str(), 0777);
        mkdir((dir + "/compilacion").c_str(), 0777);
        std::ofstream(dir + "/compilacion/" + e.nn + ".estado") << "ok\n";
        std::ofstream(dir + "/lecciones.tsv") << e.nn << "\t" << e.carpeta << "\n";
        // La rúbrica del curso con el peso de esta lección a 1: una lección que el curso no
        // puntúa por omisión (rubrica.conf, 08-10 a 0) también debe sacar 100 % y 0 % como toca.
        {
            std::string texto, error;
            leer_fichero(rubrica, 1 << 20, texto, error);
            std::ofstream(dir + "/rubrica.conf") << texto << "\nleccion." << e.nn << " = 1\n";
        }
        {
            std::ofstream l(dir + "/lista.tsv");
            for (const Prueba* p : de_la_leccion(ctx, arbol, e.numero))
                l << e.nn << "\t" << dos_cifras(p->etapa) << "\t" << e.carpeta << "\t-\t" << p->caso << "\n";
        }
        const double pct = corregir(arbol, dir, "");
        if (pct < 0) return pct;
        // El atajo del ejecutor (tests/corrector/ejecutor.cpp): si ninguna prueba de la etapa de
        // la lección terminó bien (superada u omitida), las demás no se ejecutan («sin_avance»).
        // Con los mismos veredictos, la nota con el atajo tiene que ser la misma.
        atajo_cambia.clear();
        std::string atajo;
        bool alguna_propia_bien = false;
        for (const Prueba* p : de_la_leccion(ctx, arbol, e.numero)) {
            if (p->etapa == e.numero) alguna_propia_bien = alguna_propia_bien || pasa(p->estado);
            else atajo += arbol + "/L" + e.nn + "/E" + dos_cifras(p->etapa) + "/" + p->caso + "\tsin_avance\n";
        }
        if (alguna_propia_bien || atajo.empty()) return pct;
        ++atajos;
        std::ofstream(dir + "/ejecutor-atajo.tsv") << atajo;
        const double con_atajo = corregir(arbol, dir, dir + "/ejecutor-atajo.tsv");
        if (con_atajo != pct) {
            ++atajos_cambiados;
            atajo_cambia = texto(pct) + " sin el atajo y " + texto(con_atajo) + " con él";
        }
        return pct;
    }

    /// Corrige con «sockets corregir» lo que `de` dejó en `dir` (con `ejecutor`, el ejecutor.tsv
    /// que se le da). Devuelve el porcentaje de la lección (-1 si el corrector no respondió) y
    /// deja en `fallidas` las pruebas que results.json da por fallidas.
    double corregir(const std::string& arbol, const std::string& dir, const std::string& ejecutor) {
        std::string id;  // el de CMake (MAKE_C_IDENTIFIER): la carpeta de sus veredictos
        for (char ch : arbol) id += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
        const std::string salida_dir = dir + (ejecutor.empty() ? "/salida" : "/salida-atajo");
        mkdir(salida_dir.c_str(), 0777);
        std::vector<std::string> orden{corrector, "corregir", "--rubrica", dir + "/rubrica.conf", "--lista", dir + "/lista.tsv", "--lecciones",
                                       dir + "/lecciones.tsv", "--veredictos", build + "/veredictos/" + id,
                                       "--compilacion", dir + "/compilacion", "--entrega", arbol, "--arbol", arbol,
                                       "--salida", salida_dir, "--partida", build + "/veredictos/lessons"};
        if (!ejecutor.empty()) orden.insert(orden.end(), {"--ejecutor", ejecutor});
        std::string salida, error;
        const bool bien = capturar(orden, salida, error);
        std::string tsv, resultados;
        if (!bien || !leer_fichero(salida_dir + "/lecciones.tsv", 65536, tsv, error)) return -1;
        // Las pruebas que results.json da por fallidas (una omitida nunca está en «tests»).
        fallidas = 0;
        Json r;
        if (leer_fichero(salida_dir + "/results.json", 64u * 1024 * 1024, resultados, error) &&
            interpretar(resultados, r, error))
            for (const auto& t : lista(r, "tests")) fallidas += veredictos::texto(t, "status") == "failed" ? 1 : 0;
        std::istringstream in(tsv);
        std::string nn, carpeta, obtenido, maximo;
        if (!(std::getline(in, nn, '\t') && std::getline(in, carpeta, '\t') && std::getline(in, obtenido, '\t') &&
              std::getline(in, maximo)))
            return -1;
        const double max = std::atof(maximo.c_str());
        return max > 0 ? std::round(10000.0 * std::atof(obtenido.c_str()) / max) / 100.0 : -1;
    }
};

/// Lo que comparten las comprobaciones del meta-test.
struct EstadoMeta {
    const Argumentos& a;
    Contexto ctx;
    std::string raiz;
    Meta m;
    std::vector<Parche> leidos;
    std::set<std::string> sin_comprobar;  ///< entregas rotas cuyas pruebas se omiten en esta máquina
    int primeros_bien = 0, rotos = 0;
};

/// (a) Las soluciones pasan todas sus pruebas; los pasos de etapas.tsv nombran pruebas que existen.
void meta_soluciones(EstadoMeta& em) {
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    std::cout << c.N << "(a) Las soluciones pasan todas sus pruebas" << c.F << "\n";
    {
        int total = 0;
        std::vector<const Prueba*> malas;
        for (const auto& p : ctx.pruebas) {
            if (p.arbol != "solutions") continue;
            ++total;
            if (!pasa(p.estado)) malas.push_back(&p);
        }
        if (total == 0)
            m.mal("no se ejecutó ninguna prueba de solutions/");
        else if (malas.empty())
            m.bien("soluciones: " + std::to_string(total) + " pruebas, todas superadas");
        else {
            m.mal("soluciones: fallan " + std::to_string(malas.size()) + " de " + std::to_string(total) +
                  " pruebas");
            for (std::size_t k = 0; k < malas.size() && k < 5; ++k) {
                std::cout << "      " << malas[k]->nombre << "\n";
                mostrar_informe(ctx, *malas[k]);
            }
        }
    }

    if (!ctx.tabla.pasos.empty()) {
        // Los pasos de etapas.tsv solo nombran pruebas que existen, y de su etapa.
        std::size_t nombradas = 0;
        std::vector<std::string> ausentes;
        for (const auto& paso : ctx.tabla.pasos)
            for (const auto& caso : paso.pruebas) {
                ++nombradas;
                const bool existe_prueba = std::any_of(ctx.pruebas.begin(), ctx.pruebas.end(), [&](const Prueba& p) {
                    return p.arbol == "solutions" && p.etapa == paso.etapa && p.caso == caso;
                });
                if (!existe_prueba) ausentes.push_back(dos_cifras(paso.etapa) + "/" + std::to_string(paso.numero) + " " + caso);
            }
        if (ausentes.empty())
            m.bien("pasos de etapas.tsv: sus " + std::to_string(nombradas) + " pruebas existen en su etapa");
        else {
            m.mal("pasos de etapas.tsv: " + std::to_string(ausentes.size()) +
                  " pruebas que no existen en su etapa (¿cambió su nombre?)");
            for (std::size_t k = 0; k < ausentes.size() && k < 5; ++k) std::cout << "      " << ausentes[k] << "\n";
        }
    }

}

/// (b) Cada lección sin resolver falla solo su propia etapa.
void meta_lecciones(EstadoMeta& em) {
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::string& raiz = em.raiz;
    std::cout << c.N << "(b) Cada lección sin resolver falla solo su propia etapa" << c.F << "\n";
    for (const auto& e : ctx.tabla.etapas) {
        if (!e.tiene_leccion() || !existe(raiz + "/lessons/" + e.carpeta)) continue;
        auto pruebas = de_la_leccion(ctx, "lessons", e.numero);
        std::vector<const Prueba*> propias, ajenas;
        const Prueba* informada = nullptr;
        for (const Prueba* p : pruebas) {
            if (pasa(p->estado)) continue;
            if (p->etapa == e.numero) {
                propias.push_back(p);
                if (informada == nullptr && p->estado == Estado::fallida &&
                    etapa_del_informe(*p) == e.numero && !p->datos.informes.empty())
                    informada = p;
            } else {
                ajenas.push_back(p);
            }
        }
        const std::string l = "lección " + e.nn + ": ";
        if (pruebas.empty())
            m.mal(l + "no se ejecutó ninguna prueba de lessons/L" + e.nn + "/");
        else if (propias.empty())
            m.mal(l + "ninguna prueba de la etapa " + e.nn + " falla con la lección sin resolver");
        else if (informada == nullptr) {
            m.mal(l + "fallan " + std::to_string(propias.size()) + " pruebas de la etapa " + e.nn +
                  ", pero ninguna con un informe de la etapa " + e.nn);
            mostrar_informe(ctx, *propias[0]);
        } else if (!ajenas.empty()) {
            m.mal(l + "además de su etapa fallan " + std::to_string(ajenas.size()) +
                  " pruebas de otras etapas");
            for (std::size_t k = 0; k < ajenas.size() && k < 5; ++k)
                std::cout << "      " << ajenas[k]->nombre << "\n";
            mostrar_informe(ctx, *ajenas[0]);
        } else {
            m.bien(l + "fallan " + std::to_string(propias.size()) + " de " +
                   std::to_string(pruebas.size()) + " pruebas, todas de la etapa " + e.nn);
        }
    }

}

/// Lo que el parche `pa` (de la lección `n`, árbol `arbol`) debía romper y no rompe: las pruebas
/// que nombra, su paso y su síntoma. Deja en `etapas_rotas` las etapas de las que sí fallan.
std::vector<std::string> problemas_del_roto(const EstadoMeta& em, const Parche& pa, const std::string& arbol, int n,
                                            const std::vector<const Prueba*>& pruebas, std::set<int>& etapas_rotas) {
    const Contexto& ctx = em.ctx;
    std::vector<std::string> problemas;
    if (pa.leccion.empty()) problemas.push_back("la cabecera no tiene «# leccion:»");
    if (pa.fallas.empty()) problemas.push_back("el parche no nombra ninguna prueba (# falla:)");
    if (pa.error.empty()) problemas.push_back("la cabecera no dice qué error tiene (# error:)");
    for (const auto& s : pa.fallas) {
        const Prueba* t = nullptr;
        for (const Prueba* p : pruebas)
            if (p->caso == s) t = p;
        if (t == nullptr)
            problemas.push_back("no se ejecutó ninguna prueba " + arbol + "/L" + dos_cifras(n) + "/E?" "?/" + s);
        else if (t->estado == Estado::omitida)
            problemas.push_back(t->nombre + " se omitió (" + sin_control(t->datos.motivo_omision) +
                                "), y debía fallar");
        else if (pasa(t->estado))
            problemas.push_back(t->nombre + " pasa, y debía fallar");
        else
            etapas_rotas.insert(t->etapa);
    }
    // «# paso: N»: los pasos anteriores están hechos (sus pruebas pasan) y check dice «paso N».
    if (pa.paso > 0 && problemas.empty()) {
        for (const Prueba* p : pruebas)
            if (p->etapa == n && !pasa(p->estado) && ctx.tabla.paso_de(n, p->caso) < pa.paso)
                problemas.push_back(p->nombre + " (paso " + std::to_string(ctx.tabla.paso_de(n, p->caso)) +
                                    ") falla, y los pasos anteriores al " + std::to_string(pa.paso) +
                                    " están hechos");
        const int actual = paso_actual(ctx.tabla, pruebas, n);
        if (actual != pa.paso)
            problemas.push_back("check diría «paso " + std::to_string(actual) + "», no «paso " +
                                std::to_string(pa.paso) + "»");
    }
    // «# sintoma: ID»: alguna prueba que falla lo reconoció (arnes::sintoma()), para que el
    // informe y ./tutorial pista hablen de lo que hace mal el programa.
    for (const auto& id : pa.sintomas) {
        const bool visto = std::any_of(pruebas.begin(), pruebas.end(), [&](const Prueba* p) {
            if (pasa(p->estado)) return false;
            const auto& s = p->datos.sintomas;
            return std::find(s.begin(), s.end(), id) != s.end();
        });
        if (!visto) problemas.push_back("ninguna prueba que falla reconoció el síntoma «" + id + "»");
    }
    return problemas;
}

/// ¿Enseñaría «check» primero un informe de la etapa rota, de una prueba que el parche nombra o
/// que reconoció su síntoma? Si no, lo añade a `problemas`.
bool primero_bien_del_roto(const EstadoMeta& em, const Parche& pa, int n, const std::vector<const Prueba*>& fallos,
                           const std::set<int>& etapas_rotas, std::vector<std::string>& problemas) {
    const Contexto& ctx = em.ctx;
    bool primero_bien = false;
    if (problemas.empty() && !fallos.empty()) {
        const Prueba& primero = *ordenar_fallos(ctx.tabla, fallos, n)[0];
        const int etapa = etapa_del_informe(primero);
        const bool nombrada = std::find(pa.fallas.begin(), pa.fallas.end(), primero.caso) != pa.fallas.end();
        bool con_sintoma = false;
        for (const auto& x : primero.datos.sintomas)
            con_sintoma = con_sintoma || std::find(pa.sintomas.begin(), pa.sintomas.end(), x) != pa.sintomas.end();
        if (primero.estado != Estado::fallida || primero.datos.informes.empty())
            problemas.push_back("check enseñaría primero " + primero.nombre + ", que no tiene informe (" +
                                pista_corta(ctx, primero) + ")");
        else if (etapas_rotas.count(etapa) == 0 && etapa != n)
            problemas.push_back("check enseñaría primero un informe de la etapa " + dos_cifras(etapa) +
                                " (" + primero.nombre + "), no de la etapa rota");
        else if (!nombrada && !con_sintoma)
            problemas.push_back("check enseñaría primero " + primero.caso +
                                ", que no es ninguna de las que nombra el parche (# falla:) ni reconoce su síntoma");
        else
            primero_bien = true;
        if (!primero_bien) mostrar_informe(ctx, primero);
    }
    return primero_bien;
}

/// (c) Una entrega rota: falla la prueba que debe, y check enseña primero su etapa y su causa.
void meta_roto(EstadoMeta& em, const Parche& pa) {
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::string arbol = "roto-" + pa.nombre;
    const int n = std::atoi(pa.leccion.substr(0, 2).c_str());
    // Si esta máquina omite todas las pruebas que el parche nombra (le falta IPv6, o no deja
    // crear espacios de nombres), el error no se puede comprobar aquí: se dice, con el motivo,
    // y no cuenta ni en (c) ni en (e) ni en (g). En la CI se ejecutan.
    {
        std::vector<const Prueba*> nombradas;
        for (const Prueba* p : de_la_leccion(ctx, arbol, n))
            if (std::find(pa.fallas.begin(), pa.fallas.end(), p->caso) != pa.fallas.end()) nombradas.push_back(p);
        if (!pa.fallas.empty() && nombradas.size() == pa.fallas.size() &&
            std::all_of(nombradas.begin(), nombradas.end(),
                        [](const Prueba* p) { return p->estado == Estado::omitida; })) {
            em.sin_comprobar.insert(pa.nombre);
            std::cout << "  ↷ " << pa.nombre << ": no se puede comprobar en esta máquina, sus pruebas se omiten ("
                      << nombradas[0]->datos.motivo_omision << ")\n";
            return;
        }
    }
    ++em.rotos;
    if (!ctx.build.empty() && existe(ctx.build + "/rotos/" + pa.nombre + ".no_aplica")) {
        m.mal(pa.nombre + ": el parche no se aplica a solutions/" + pa.leccion + " (¿cambió la solución?)");
        std::string motivo, error;
        leer_fichero(ctx.build + "/rotos/" + pa.nombre + ".no_aplica", 65536, motivo, error);
        auto ls = lineas(motivo);
        for (std::size_t k = 0; k < ls.size() && k < 5; ++k) std::cout << "      " << ls[k] << "\n";
        return;
    }
    auto pruebas = de_la_leccion(ctx, arbol, n);
    std::set<int> etapas_rotas;
    std::vector<std::string> problemas = problemas_del_roto(em, pa, arbol, n, pruebas, etapas_rotas);
    // Lo que «check» enseñaría primero en esta entrega (el mismo orden que orden_leccion): un
    // informe de la etapa rota, de una prueba que el parche nombra o que reconoció su síntoma.
    std::vector<const Prueba*> fallos, otras;
    for (const Prueba* p : pruebas)
        if (!pasa(p->estado)) {
            fallos.push_back(p);
            if (etapas_rotas.count(p->etapa) == 0) otras.push_back(p);
        }
    const bool primero_bien = primero_bien_del_roto(em, pa, n, fallos, etapas_rotas, problemas);
    if (primero_bien) ++em.primeros_bien;
    if (problemas.empty()) {
        std::string nombres;
        for (const auto& s : pa.fallas) nombres += (nombres.empty() ? "" : " ") + s;
        m.bien(pa.nombre + ": fallan " + nombres + " (" + pa.error + ")");
    } else {
        m.mal(pa.nombre + " (" + pa.leccion + "): " + pa.error);
        for (const auto& s : problemas) std::cout << "      " << s << "\n";
    }
    if (!otras.empty()) {
        std::string lista_otras;
        for (std::size_t k = 0; k < otras.size() && k < 4; ++k) lista_otras += " " + otras[k]->nombre;
        Meta::aviso(pa.nombre + ": también fallan pruebas de otras etapas:" + lista_otras);
    }}

/// (c) Cada entrega rota falla la prueba que debe, y check enseña primero su etapa y su causa.
void meta_rotos(EstadoMeta& em) {
    const std::string& raiz = em.raiz;
    std::cout << c.N << "(c) Cada entrega rota falla la prueba que debe, y check enseña primero su etapa y su causa"
              << c.F << "\n";
    auto parches = listar(raiz + "/tests/rotos", ".patch");
    if (parches.empty()) std::cout << "  (no hay parches en tests/rotos/: nada que comprobar)\n";
    for (const auto& ruta : parches) {
        em.leidos.push_back(leer_parche(ruta));
        const Parche pa = em.leidos.back();
        if (pa.variante.empty()) meta_roto(em, pa);  // las variantes, en (d)
    }
    const int rotos = em.rotos, primeros_bien = em.primeros_bien;
    if (rotos > 0)
        std::cout << "  " << (primeros_bien == rotos ? c.V + "✓" : c.R + "✗") << c.F << " check enseña primero su etapa y su causa en "
                  << primeros_bien << " de " << rotos << " entregas rotas\n";

}

/// (d) Cada variante correcta (# variante:) lo pasa todo.
void meta_variantes(EstadoMeta& em) {
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::vector<Parche>& leidos = em.leidos;
    std::cout << c.N << "(d) Cada variante correcta (# variante:) lo pasa todo" << c.F << "\n";
    int variantes = 0;
    for (const Parche& pa : leidos) {
        if (pa.variante.empty()) continue;
        ++variantes;
        const std::string arbol = "roto-" + pa.nombre;
        const int n = std::atoi(pa.leccion.substr(0, 2).c_str());
        if (!ctx.build.empty() && existe(ctx.build + "/rotos/" + pa.nombre + ".no_aplica")) {
            m.mal(pa.nombre + ": el parche no se aplica a solutions/" + pa.leccion + " (¿cambió la solución?)");
            continue;
        }
        auto pruebas = de_la_leccion(ctx, arbol, n);
        std::vector<const Prueba*> malas;
        for (const Prueba* p : pruebas)
            if (!pasa(p->estado)) malas.push_back(p);
        if (!pa.fallas.empty())
            m.mal(pa.nombre + ": una variante no nombra pruebas que fallen (# falla:), lo pasa todo");
        else if (pruebas.empty())
            m.mal(pa.nombre + ": no se ejecutó ninguna prueba de " + arbol + "/L" + dos_cifras(n) + "/");
        else if (malas.empty())
            m.bien(pa.nombre + ": " + std::to_string(pruebas.size()) + " pruebas, todas superadas (" + pa.variante + ")");
        else {
            m.mal(pa.nombre + " (" + pa.variante + "): fallan " + std::to_string(malas.size()) + " de " +
                  std::to_string(pruebas.size()));
            for (std::size_t k = 0; k < malas.size() && k < 4; ++k) std::cout << "      " << malas[k]->nombre << "\n";
            mostrar_informe(ctx, *malas[0]);
        }
    }
    if (variantes == 0) std::cout << "  (ningún parche es una variante)\n";

}

/// Si el atajo del ejecutor cambió la última nota de `nota` (la de `quien`), lo cuenta como fallo.
void atajo(Meta& m, const Nota& nota, const std::string& quien) {
    if (!nota.atajo_cambia.empty())
        m.mal(quien + ": el atajo del corrector («sin_avance») cambia su nota: " + nota.atajo_cambia);
}

void meta_notas(EstadoMeta& em) {
    const Argumentos& a = em.a;
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::vector<Parche>& leidos = em.leidos;
    const std::set<std::string>& sin_comprobar = em.sin_comprobar;
    const int rotos = em.rotos;
    // (e) La nota: la rúbrica del corrector (tests/corrector/resultados.cpp y rubrica.conf) sobre
    // los mismos veredictos. Las soluciones sacan 100 en cada lección, las lecciones sin tocar 0,
    // cada entrega rota menos de 100 en su lección y cada variante 100.
    if (a.hay("corrector")) {
        std::cout << c.N << "(e) La nota: soluciones 100 %, lecciones sin tocar 0 %, rotas menos de 100 %, variantes 100 %"
                  << c.F << "\n";
        Nota nota{a.valor("corrector"), a.valor("rubrica"), ctx.build};
        for (const auto& e : ctx.tabla.etapas) {
            if (!e.tiene_leccion()) continue;
            for (const char* arbol : {"solutions", "lessons"}) {
                if (de_la_leccion(ctx, arbol, e.numero).empty()) continue;
                const double pct = nota.de(ctx, arbol, e);
                atajo(m, nota, std::string(arbol) + "/" + e.carpeta);
                const bool soluciones = std::string(arbol) == "solutions";
                const double quiere = soluciones ? 100 : 0;
                const std::string t = std::string(arbol) + "/" + e.carpeta + ": " + Nota::texto(pct);
                if (pct != quiere)
                    m.mal(t + " (debía ser " + Nota::texto(quiere) + ")");
                else if (soluciones && nota.fallidas > 0)
                    m.mal(t + ", pero su results.json da " + std::to_string(nota.fallidas) + " pruebas por fallidas");
                else
                    m.bien(t + (soluciones ? ", ninguna prueba fallida en results.json" : ""));
            }
        }
        int cuestan = 0;
        std::string cuentas;
        for (const Parche& pa : leidos) {
            const Etapa* e = ctx.tabla.leccion(std::atoi(pa.leccion.substr(0, 2).c_str()));
            const std::string arbol = "roto-" + pa.nombre;
            if (e == nullptr || de_la_leccion(ctx, arbol, e->numero).empty()) continue;
            if (sin_comprobar.count(pa.nombre) != 0) continue;  // dicho en (c)
            const double pct = nota.de(ctx, arbol, *e);
            atajo(m, nota, pa.nombre);
            if (pa.variante.empty()) {
                if (pct < 100) ++cuestan;
                else m.mal(pa.nombre + ": " + Nota::texto(pct) + " en su lección: este error no cuesta nada");
                cuentas += (cuentas.empty() ? "" : ", ") + pa.nombre.substr(0, pa.nombre.find('_')) + " " + Nota::texto(pct);
            } else if (pct == 100) {
                m.bien(pa.nombre + " (variante): 100 %");
            } else {
                m.mal(pa.nombre + " (variante): " + Nota::texto(pct) + ", pierde puntos siendo correcta");
            }
        }
        if (nota.atajos_cambiados == 0)
            m.bien("el atajo del corrector («sin_avance»: ninguna prueba de la etapa pasa, las demás no se ejecutan) "
                   "se aplicaría en " + std::to_string(nota.atajos) + " de estas notas y no cambia ninguna");
        if (rotos > 0) {
            if (cuestan == rotos) m.bien("las " + std::to_string(rotos) + " entregas rotas bajan la nota de su lección");
            std::cout << "      (calculadas con las pruebas que ejecuta el meta-test; con todas, la nota puede ser\n"
                      << "       otra, pero tampoco 100: las que fallan aquí fallarían igual)\n"
                      << "      " << cuentas << "\n";
        }
    }
}

void meta_pistas(EstadoMeta& em) {
    const Argumentos& a = em.a;
    const Contexto& ctx = em.ctx;
    Meta& m = em.m;
    const std::string& raiz = em.raiz;
    const std::vector<Parche>& leidos = em.leidos;
    // (f) Las pistas siguen al síntoma: cada síntoma que reconoce una prueba tiene su escalera
    // (con su nombre para el alumno, el peldaño 0), y ninguna entrega rota recibe la escalera
    // genérica de su etapa («*»): ./tutorial pista habla de lo que hace mal ese programa.
    {
        std::cout << c.N << "(f) Las pistas: cada síntoma tiene su escalera, y ninguna entrega rota recibe la genérica de su etapa"
                  << c.F << "\n";
        const std::string dir = a.valor("pistas", raiz + "/tests/etapas/pistas");
        std::map<std::string, std::string> sin_escalera;  // síntoma -> una prueba que lo vio
        std::set<std::string> vistos;
        auto escalera_de_sintoma = [&](const Prueba& p, const std::string& id) {
            escaleras::Escaleras guardadas;
            std::string nombre;
            const int etapas[] = {p.etapa, p.leccion, 0};
            return escaleras::de_sintoma(dir, etapas, id, guardadas, nombre) != nullptr && !nombre.empty();
        };
        for (const auto& p : ctx.pruebas) {
            if (pasa(p.estado) || (p.arbol != "lessons" && !empieza(p.arbol, "roto-"))) continue;
            for (const auto& id : p.datos.sintomas) {
                vistos.insert(id);
                if (!escalera_de_sintoma(p, id)) sin_escalera.emplace(id, p.nombre);
            }
        }
        if (sin_escalera.empty())
            m.bien(std::to_string(vistos.size()) + " síntomas reconocidos, todos con su escalera y su nombre");
        for (const auto& [id, prueba] : sin_escalera)
            m.mal("el síntoma «" + id + "» (lo vio " + prueba + ") no tiene escalera «sintoma:" + id +
                  "» con peldaño 0 (su nombre) en tests/etapas/pistas/");
        int especificas = 0, genericas = 0;
        for (const Parche& pa : leidos) {
            if (!pa.variante.empty()) continue;
            const int n = std::atoi(pa.leccion.substr(0, 2).c_str());
            std::vector<const Prueba*> fallos;
            for (const Prueba* p : de_la_leccion(ctx, "roto-" + pa.nombre, n))
                if (!pasa(p->estado)) fallos.push_back(p);
            if (fallos.empty()) continue;
            fallos = ordenar_fallos(ctx.tabla, fallos, n);
            bool sintoma = false;
            for (const Prueba* p : fallos)
                for (const auto& x : p->datos.sintomas) sintoma = sintoma || escalera_de_sintoma(*p, x);
            const std::string clave =
                escaleras::clave_de(escaleras::leer(escaleras::fichero(dir, fallos[0]->etapa)), fallos[0]->caso);
            if (sintoma || (!clave.empty() && clave != "*")) {
                ++especificas;
            } else {
                ++genericas;
                m.mal(pa.nombre + ": ./tutorial pista daría " +
                      (clave.empty() ? std::string("ninguna escalera") : "la escalera genérica de la etapa " + dos_cifras(fallos[0]->etapa)) +
                      " para " + fallos[0]->caso + " (escribe la suya, o reconoce el síntoma)");
            }
        }
        if (genericas == 0 && especificas > 0)
            m.bien("las " + std::to_string(especificas) + " entregas rotas reciben la escalera de su síntoma o de su prueba");
    }
}

}  // namespace

int orden_meta(const Argumentos& a) {
    EstadoMeta em{a, cargar(a), a.valor("raiz", SOCKETS_RAIZ), Meta{}, {}, {}, 0, 0};
    if (em.raiz.empty()) uso("falta --raiz=CARPETA (la raíz del repositorio)");
    if (a.hay("sin-comprobar")) {  // solo la pregunta de (g) en meta.sh: qué no se puede comprobar aquí
        {
            Callado callado;
            meta_rotos(em);
        }
        for (const auto& nombre : em.sin_comprobar) std::cout << nombre << "\n";
        return 0;
    }
    meta_soluciones(em);
    meta_lecciones(em);
    meta_rotos(em);
    meta_variantes(em);
    meta_notas(em);
    meta_pistas(em);
    const Meta& m = em.m;
    std::cout << "(a)–(f): " << m.correctas << (m.correctas == 1 ? " comprobación correcta, " : " comprobaciones correctas, ")
              << m.fallidas << (m.fallidas == 1 ? " fallida\n" : " fallidas\n");
    return m.fallidas == 0 ? 0 : 1;
}

}  // namespace veredictos
