/// \file etapas_orden.cpp
/// \brief `sockets etapas`: lo que el lado de bash (./tutorial, el corrector, el meta-test y sus
///        pruebas) pregunta a la tabla de etapas, para que ningún guion vuelva a leer etapas.tsv.
///
/// Responde con la tabla que CMake leyó de etapas.tsv al configurar (base/etapas.h: el único
/// lector). Salida: texto con tabuladores, una respuesta por línea. Sale con 0 si hay respuesta,
/// 1 si no la hay y 2 si la pregunta no vale.
#include "ordenes.h"

#include "base/etapas.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

using base::Etapa;
using base::tabla;

/// «5» o «05» -> 5; -1 si no es un número de una o dos cifras.
int numero(const std::string& s) {
    if (s.empty() || s.size() > 2 || s.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::atoi(s.c_str());
}

/// «5» -> «05».
std::string nn(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

/// «docs/03_listen.md» -> «03_listen.md», como en etapas.tsv.
std::string en_tabla(const std::string& pagina) {
    return pagina.compare(0, 5, "docs/") == 0 ? pagina.substr(5) : pagina;
}

/// Las pruebas separadas por espacios, como en una celda de etapas.tsv.
std::string juntas(const std::vector<std::string>& pruebas) {
    std::string r;
    for (const auto& p : pruebas) r += (r.empty() ? "" : " ") + p;
    return r;
}

void imprimir_etapa(const Etapa& e) {
    std::cout << e.nn << "\t" << e.nombre << "\t" << e.titulo << "\t" << e.carpeta << "\t"
              << en_tabla(e.pagina) << "\n";
}

int uso(const std::string& motivo) {
    std::cerr << "sockets etapas: " << motivo << "\n"
              << "uso: sockets etapas lecciones | fila NN | de LLAMADA | retiradas [NN] | pasos NN K | "
                 "filas TIPO   (sockets ayuda)\n";
    return 2;
}

int lecciones() {
    for (const Etapa* e : tabla().lecciones()) std::cout << e->nn << "\t" << e->carpeta << "\n";
    return 0;
}

int fila(int n) {
    const Etapa* e = tabla().etapa(n);
    if (e == nullptr) return 1;
    imprimir_etapa(*e);
    return 0;
}

int de(const std::string& llamada) {
    for (const Etapa& e : tabla().etapas)
        if (e.nombre == llamada) {
            std::cout << e.nn << "\n";
            return 0;
        }
    return 1;
}

/// Sin NN (n < 0): «NN<TAB>Suite.Caso» de cada prueba retirada. Con NN: las retiradas para la
/// lección NN (las de las filas de NN o de antes), una por línea.
int retiradas(int n) {
    for (const auto& [desde, prueba] : tabla().filas_retira)
        if (n < 0) std::cout << nn(desde) << "\t" << prueba << "\n";
        else if (desde <= n) std::cout << prueba << "\n";
    return 0;
}

int pasos(int n, int k) {
    for (const auto& p : tabla().pasos)
        if (p.etapa == n && p.numero <= k)
            for (const auto& prueba : p.pruebas) std::cout << prueba << "\n";
    return 0;
}

/// Las filas de un tipo, con sus campos como en etapas.tsv (sin comentarios).
int filas(const std::string& tipo) {
    const auto& t = tabla();
    if (tipo == "etapa")
        for (const Etapa& e : t.etapas) std::cout << "etapa\t", imprimir_etapa(e);
    else if (tipo == "seccion")
        for (const auto& s : t.secciones)
            std::cout << "seccion\t" << nn(s.etapa) << "\t" << s.ancla << "\t" << en_tabla(s.pagina) << "\t"
                      << s.titulo << "\n";
    else if (tipo == "paso")
        for (const auto& p : t.pasos)
            std::cout << "paso\t" << nn(p.etapa) << "\t" << p.numero << "\t" << p.titulo << "\t"
                      << juntas(p.pruebas) << "\n";
    else if (tipo == "retira")
        for (std::size_t i = 0; i < t.filas_retira.size();) {  // una fila por lección que retira
            const int desde = t.filas_retira[i].first;
            std::vector<std::string> pruebas;
            for (; i < t.filas_retira.size() && t.filas_retira[i].first == desde; ++i)
                pruebas.push_back(t.filas_retira[i].second);
            std::cout << "retira\t" << nn(desde) << "\t" << juntas(pruebas) << "\n";
        }
    else
        return uso("no hay filas de tipo «" + tipo + "» (etapa, seccion, paso, retira)");
    return 0;
}

}  // namespace

int orden_etapas(int argc, char** argv) {
    const std::string pregunta = argc > 1 ? argv[1] : "";
    const std::string a = argc > 2 ? argv[2] : "", b = argc > 3 ? argv[3] : "";
    const int n = argc - 2;  // cuántos argumentos tiene la pregunta
    if (pregunta == "lecciones" && n == 0) return lecciones();
    if (pregunta == "de" && n == 1) return de(a);
    if (pregunta == "filas" && n == 1) return filas(a);
    if (pregunta == "retiradas" && n == 0) return retiradas(-1);
    if ((pregunta == "fila" || pregunta == "retiradas") && n == 1) {
        if (numero(a) < 0) return uso("«" + a + "» no es un número de etapa");
        return pregunta == "fila" ? fila(numero(a)) : retiradas(numero(a));
    }
    if (pregunta == "pasos" && n == 2) {
        if (numero(a) < 0 || numero(b) < 0) return uso("pasos NN K: dos números");
        return pasos(numero(a), numero(b));
    }
    return uso(pregunta.empty() ? "falta la pregunta" : "no sé responder a «" + pregunta + "» con " +
                                                            std::to_string(n) + " argumentos");
}
