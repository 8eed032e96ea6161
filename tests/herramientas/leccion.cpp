/// \file leccion.cpp
/// \brief `sockets leccion`: lo que imprime «./tutorial check N» (la causa primero).
#include "presentacion.h"

#include "ordenes.h"

#include <array>
#include <iostream>
#include <map>

namespace veredictos {

namespace {

// --- leccion ---------------------------------------------------------------------------------

/// Una línea por etapa (y por paso de la etapa `n`) y por qué se omitió cada omitida. Devuelve
/// las pruebas que no pasan.
std::vector<const Prueba*> lineas_por_etapa(const Contexto& ctx, const std::vector<const Prueba*>& pruebas, int n) {
    // Una línea por etapa.
    std::map<int, std::array<int, 3>> cuenta;  // etapa -> {total, fallan, omitidas}
    std::vector<const Prueba*> fallos;
    for (const Prueba* p : pruebas) {
        auto& k = cuenta[p->etapa];
        ++k[0];
        if (!pasa(p->estado)) {
            ++k[1];
            fallos.push_back(p);
        } else if (p->estado == Estado::omitida) {
            ++k[2];
        }
    }
    // Superadas de las que se ejecutaron: una omitida no cuenta ni como superada ni en el total.
    for (const auto& [etapa, k] : cuenta) {
        const std::string marca = k[1] == 0 ? c.V + "✓" + c.F : c.R + "✗" + c.F;
        std::cout << marca << " Etapa " << dos_cifras(etapa) << " "
                  << rellenar(titulo_etapa(ctx, etapa), 18) << " " << (k[0] - k[1] - k[2]) << "/" << (k[0] - k[2]);
        if (k[2] > 0) std::cout << c.T << "   (" << k[2] << (k[2] == 1 ? " omitida)" : " omitidas)") << c.F;
        std::cout << "\n";
    }
    const int pasos = ctx.tabla.pasos_de(n);
    const int actual = paso_actual(ctx.tabla, pruebas, n);
    if (pasos > 0) {
        auto por_paso = cuenta_por_paso(ctx.tabla, pruebas, n);
        for (int k = 1; k <= pasos; ++k) {
            const Paso* paso = ctx.tabla.paso(n, k);
            const auto cuenta_paso = por_paso[k];
            const bool bien = cuenta_paso[1] == 0;
            std::cout << "    " << (bien ? c.V + "✓" : c.R + "✗") << c.F << " Paso " << k << " de "
                      << pasos << " · "
                      << rellenar(paso != nullptr ? paso->titulo : std::string("?"), 22) << " "
                      << (cuenta_paso[0] - cuenta_paso[1] - cuenta_paso[2]) << "/" << (cuenta_paso[0] - cuenta_paso[2]);
            if (k == actual) std::cout << c.A << "   ← estás aquí" << c.F;
            std::cout << "\n";
        }
    }
    // Por qué se omitió cada omitida (lo dice su veredicto: «motivo_omision»).
    for (const Prueba* p : pruebas)
        if (p->estado == Estado::omitida)
            std::cout << c.T << "  ↷ omitida " << p->caso << ": " << p->datos.motivo_omision << c.F << "\n";
    return fallos;
}

/// Lo que se dice de una lección superada: la siguiente (--siguiente=K: la primera que aún no
/// supera, que calcula ./tutorial con todos los resultados; 0: ninguna) o el final.
void leccion_superada(const Contexto& ctx, const Argumentos& a, int n) {
    // Sin --siguiente, la que sigue a esta en la tabla.
    const Etapa* s = ctx.tabla.siguiente(n);
    if (a.hay("siguiente")) {
        const int k = std::atoi(a.valor("siguiente").c_str());
        s = k == n ? ctx.tabla.siguiente(n) : ctx.tabla.leccion(k);
    }
    if (s != nullptr)
        std::cout << "  Siguiente: lessons/" << s->carpeta << " — ./tutorial check " << s->numero
                  << "   (lee " << s->pagina << ")\n";
    else if (a.hay("siguiente") && ctx.tabla.siguiente(n) != nullptr)
        std::cout << "  " << c.V << "✓" << c.F << " ¡Todas las lecciones superadas! (./tutorial progress las vuelve a probar todas)\n";
    else
        std::cout << "  Has terminado el tutorial: tu servidor atiende a muchos clientes a la vez.\n";
}

/// Los demás fallos: una línea cada uno con su pista, o enteros con --todas.
void otros_fallos(const Contexto& ctx, const std::vector<const Prueba*>& fallos, bool todas, const std::string& otra_vez) {
    const Prueba& primero = *fallos[0];
    if (fallos.size() > 1) {
        std::cout << "\n"
                  << c.N << "Otros fallos" << c.F
                  << (todas ? ":" : c.T + " (enteros: " + otra_vez + " --todas):" + c.F) << "\n";
        for (std::size_t k = 1; k < fallos.size(); ++k) {
            const Prueba& p = *fallos[k];
            const base::ProgramaRegistro* prog = programa_anormal(p, false);
            std::string consecuencia;
            if (prog != nullptr && p.etapa != primero.etapa)
                consecuencia = "probable consecuencia: " + como_acabo(*prog);
            if (todas) {
                std::cout << "\n"
                          << c.R << "✗" << c.F << " " << p.caso << c.T << "   (etapa "
                          << dos_cifras(p.etapa) << ")" << c.F << "\n";
                if (!consecuencia.empty()) std::cout << "  " << c.A << consecuencia << c.F << "\n";
                for (const auto& i : informes(ctx, p)) std::cout << sangrar(i, "  ");
            } else {
                std::cout << "  " << c.R << "✗" << c.F << " E" << dos_cifras(p.etapa) << " " << p.caso;
                if (!consecuencia.empty()) std::cout << " — " << c.A << consecuencia << c.F;
                std::cout << "\n      " << pista_corta(ctx, p) << "\n";
            }
        }
    }
}

}  // namespace

int orden_leccion(const Argumentos& a) {
    Contexto ctx = cargar(a);
    const std::string arbol = a.valor("arbol", "lessons");
    int n = std::atoi(a.valor("leccion", "-1").c_str());
    const Etapa* leccion = ctx.tabla.leccion(n);
    if (leccion == nullptr) uso("la lección " + a.valor("leccion") + " no está en la tabla de etapas");
    const bool todas = a.hay("todas");
    auto pruebas = de_la_leccion(ctx, arbol, n);
    if (pruebas.empty()) {
        std::cout << c.R << "✗" << c.F << " no se ejecutó ninguna prueba de la lección "
                  << leccion->nn << " (árbol " << arbol << ")\n";
        return 2;
    }

    std::vector<const Prueba*> fallos = lineas_por_etapa(ctx, pruebas, n);
    const int pasos = ctx.tabla.pasos_de(n);
    const int actual = paso_actual(ctx.tabla, pruebas, n);
    const std::string otra_vez = "./tutorial check " + std::to_string(n);
    if (fallos.empty()) {
        std::cout << "\n" << c.V << "✓" << c.F << " " << c.N << "¡Lección " << leccion->nn
                  << " superada!" << c.F << "\n";
        leccion_superada(ctx, a, n);
        return 0;
    }

    fallos = ordenar_fallos(ctx.tabla, fallos, n);
    const Prueba& primero = *fallos[0];
    std::string en_paso;
    if (primero.etapa == n && actual > 0)
        en_paso = ", paso " + std::to_string(actual) + " de " + std::to_string(pasos) + " · " +
                  ctx.tabla.paso(n, actual)->titulo;
    std::cout << "\n"
              << c.N << "Primer fallo:" << c.F << " " << primero.caso << c.T << "   (etapa "
              << dos_cifras(primero.etapa) << en_paso << ", " << fallos.size() << " fallo"
              << (fallos.size() == 1 ? "" : "s") << " en total)" << c.F << "\n";
    const std::string termino = termino_con(primero);
    if (!termino.empty()) std::cout << "  " << c.R << "tu programa terminó con:" << c.F << " " << termino << "\n";
    for (const auto& i : informes(ctx, primero)) std::cout << sangrar(i, "  ");

    if (fallos.size() > 1) otros_fallos(ctx, fallos, todas, otra_vez);
    std::cout << "\nLee " << leer_donde(ctx, primero, n) << "  (o la web: ./tutorial docs)\n";
    std::cout << "Prueba otra vez: " << otra_vez << "  ·  automático: ./tutorial watch " << n << "\n";
    return 1;
}

const Prueba* primer_fallo(const Contexto& ctx, const std::string& arbol, int n) {
    std::vector<const Prueba*> fallos;
    for (const Prueba* p : de_la_leccion(ctx, arbol, n))
        if (!pasa(p->estado)) fallos.push_back(p);
    return fallos.empty() ? nullptr : ordenar_fallos(ctx.tabla, fallos, n)[0];
}

Json escenario_de(const Prueba& p) {
    Json e = {{"caso", p.caso}, {"etapa", p.etapa}, {"comando", p.comando},
              {"programa", ""}, {"entrada", primer_informe(p).entrada}};
    for (const auto& prog : p.datos.programas) {
        const std::string quien = prog.orden.substr(0, prog.orden.find(' '));
        if (quien == "servidor" || quien == "cliente") {
            e["programa"] = quien;
            break;
        }
    }
    return e;
}

}  // namespace veredictos

bool primer_fallo_de(const std::string& build, int n, std::string& caso, std::string& escenario) {
    using namespace veredictos;
    Argumentos a;
    a.valores["build"] = {build};
    const Contexto ctx = cargar(a);
    const Prueba* p = primer_fallo(ctx, "lessons", n);
    if (p == nullptr) return false;
    caso = p->caso;
    escenario = escenario_de(*p).dump();
    return true;
}
