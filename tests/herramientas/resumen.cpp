/// \file resumen.cpp
/// \brief `sockets resumen`: el resumen entero de «./tutorial test», leído de los registros:
///        las pruebas que deben pasar, el meta-test (el registro de su prueba meta/entregas), la
///        documentación, la limpieza de los informes y lo que no se ha ejecutado, y la última
///        línea «N passed, M failed» (la suman .ci/run y quien lo lea). Sale con 0 si todo pasa
///        y con 1 si algo falla: ./tutorial solo mira eso.
///
///     sockets resumen --pruebas=LISTA... [--docs=generada|falla|sin-objetivo] [--falta=PAQUETE]
///                     [--completo]
///     sockets resumen --pruebas=LISTA... --sanitizadores      (el de «./tutorial test --asan»)
#include "presentacion.h"

#include <iostream>

namespace veredictos {

namespace {

/// Las líneas del resumen: cada una suma a las que pasan o a las que fallan.
struct Suma {
    int pasan = 0, fallan = 0;
    void linea(bool bien, const std::string& texto) {
        std::cout << (bien ? c.V + "✓" : c.R + "✗") << c.F << " " << texto << "\n";
        ++(bien ? pasan : fallan);
    }
    int final() const {
        std::cout << pasan << " passed, " << fallan << " failed\n";
        return fallan == 0 ? 0 : 1;
    }
};

void aviso(const std::string& texto) { std::cout << c.A << "⚠" << c.F << " " << texto << "\n"; }

bool es_meta(const Prueba& p) { return p.arbol == "meta"; }

/// «N superadas, M fallidas» de las pruebas que deben pasar (sin el meta-test, que va aparte).
void pruebas_que_deben_pasar(const Contexto& ctx, Suma& s) {
    int pasan = 0, fallan = 0;
    for (const auto& p : ctx.pruebas) {
        if (!debe_pasar(p) || es_meta(p)) continue;
        ++(pasa(p.estado) ? pasan : fallan);
    }
    const bool bien = fallan == 0 && pasan > 0;
    std::cout << (bien ? c.V + "✓" : c.R + "✗") << c.F
              << " pruebas que deben pasar (soluciones, arnés, documentación): " << pasan << " superadas, "
              << fallan << " fallidas\n";
    s.pasan += pasan;
    s.fallan += fallan + (pasan + fallan == 0 ? 1 : 0);  // ninguna ejecutada: eso falla
}

/// El meta-test, por el registro de su prueba (meta/entregas): su informe es el del paso 3.
void meta_test(const Contexto& ctx, Suma& s) {
    const Prueba* meta = nullptr;
    for (const auto& p : ctx.pruebas)
        if (es_meta(p)) meta = &p;
    if (meta == nullptr) {
        s.linea(false, "meta-test: no se ejecutó (la lista de pruebas no trae meta/entregas)");
    } else if (meta->estado == Estado::omitida) {
        aviso("meta-test omitido: " + sin_control(meta->datos.motivo_omision));
    } else if (pasa(meta->estado)) {
        s.linea(true, "meta-test: todas sus comprobaciones son correctas (su informe, arriba)");
    } else if (meta->estado == Estado::fallida) {
        s.linea(false, "meta-test: alguna comprobación falla (las ✗ de su informe, arriba)");
    } else {
        s.linea(false, "meta-test: " + pista_corta(ctx, *meta));
    }
}

/// La documentación: lo que dijo su compilación (--docs) o por qué se omitió (--falta).
void documentacion(const Argumentos& a, Suma& s) {
    const std::string docs = a.valor("docs");
    if (docs == "generada") s.linea(true, "documentación (objetivo docs)");
    else if (docs == "falla") s.linea(false, "documentación (objetivo docs)");
    if (a.hay("falta")) {
        const std::string falta = sin_control(a.valor("falta"));
        aviso("omitido: la documentación (generarla con Doxygen y su comprobación docs/comprobar),");
        std::cout << "  porque falta " << falta << ". Las lecciones y sus pruebas no la necesitan: lo demás sí se\n"
                  << "  ha probado. Para tenerla: sudo apt-get install -y " << falta << "\n";
    }
}

void no_ejecutadas() {
    aviso("no se han ejecutado (nivel completo, ./tutorial test --completo; .ci/run lo hace): por");
    std::cout << "  lo que tardan, minutos cada una: clang-tidy y aarch64 (lint/*), las páginas en Chromium\n"
                 "  (docs/navegador), el corrector con entregas hostiles, en Gradescope y en Classroom\n"
                 "  (corrector/hostiles, corrector/gradescope, corrector/classroom), la guía del profesor\n"
                 "  (guia/leccion_nueva) y la lección 10 en Chromium (completo10_*).\n";
}

/// El de «./tutorial test --asan»: solo las pruebas, con los sanitizadores.
int resumen_sanitizadores(const Contexto& ctx) {
    int pasan = 0, fallan = 0;
    for (const auto& p : ctx.pruebas)
        if (debe_pasar(p)) ++(pasa(p.estado) ? pasan : fallan);
    if (fallan == 0 && pasan > 0) std::cout << c.V << "✓" << c.F << " ASan/UBSan: " << pasan << " pruebas superadas\n";
    else if (fallan == 0) std::cout << c.R << "✗" << c.F << " ASan/UBSan: no se ejecutó ninguna prueba\n";
    else if (fallan == 1) std::cout << c.R << "✗" << c.F << " ASan/UBSan: falla 1 prueba\n";
    else std::cout << c.R << "✗" << c.F << " ASan/UBSan: fallan " << fallan << " pruebas\n";
    if (pasan == 0) ++fallan;
    Suma s{pasan, fallan};
    return s.final();
}

}  // namespace

int orden_resumen(const Argumentos& a) {
    if (!a.hay("pruebas")) uso("resumen --pruebas=LISTA...: las listas de pruebas que se ejecutaron");
    const Contexto ctx = cargar(a, false);
    if (a.hay("sanitizadores")) return resumen_sanitizadores(ctx);
    Suma s;
    pruebas_que_deben_pasar(ctx, s);
    meta_test(ctx, s);
    documentacion(a, s);
    bool limpios = false;
    {
        Callado callado;  // lo que encuentra ya lo dijo el paso 5 («sockets limpieza»)
        limpios = limpieza(ctx) == 0;
    }
    s.linea(limpios, "informes sin inglés de GoogleTest ni UTF-8 escapado");
    if (!a.hay("completo")) no_ejecutadas();
    return s.final();
}

}  // namespace veredictos
