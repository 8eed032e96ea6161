/// \file etapas_orden.cpp
/// \brief `sockets etapas`: lo que el lado de bash (./tutorial, el corrector, el meta-test y sus
///        pruebas) pregunta a la tabla de etapas, para que ningún guion vuelva a leer etapas.tsv.
///
/// Responde con las filas que CMake generó de etapas.tsv al configurar (filas.h, de
/// tests/cmake/tabla.cmake): la tabla tiene un solo lector. Salida: texto con tabuladores, una
/// respuesta por línea. Sale con 0 si hay respuesta, 1 si no la hay y 2 si la pregunta no vale.
#include "ordenes.h"

#include "arnes/filas.h"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

namespace {

using tabla_etapas::Fila;
using tabla_etapas::kFilas;

/// El campo `i` de una fila («» si no lo tiene).
std::string campo(const Fila& f, int i) { return i < f.n ? f.campos[i] : ""; }
bool es(const Fila& f, const char* tipo) { return campo(f, 0) == tipo; }
bool es_leccion(const Fila& f) { return es(f, "etapa") && campo(f, 4) != "-"; }

/// «5» o «05» -> 5; -1 si no es un número de una o dos cifras.
int numero(const std::string& s) {
    if (s.empty() || s.size() > 2 || s.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::atoi(s.c_str());
}

/// Imprime los campos [desde, n) de una fila, separados por tabuladores.
void imprimir(const Fila& f, int desde) {
    for (int i = desde; i < f.n; ++i) std::cout << (i > desde ? "\t" : "") << f.campos[i];
    std::cout << "\n";
}

/// Cada prueba de una lista separada por espacios, con `prefijo` delante, en su línea.
void por_prueba(const std::string& lista, const std::string& prefijo) {
    std::istringstream s(lista);
    for (std::string p; s >> p;) std::cout << prefijo << p << "\n";
}

int uso(const std::string& motivo) {
    std::cerr << "sockets etapas: " << motivo << "\n"
              << "uso: sockets etapas lecciones | fila NN | de LLAMADA | retiradas [NN] | pasos NN K | "
                 "filas TIPO   (sockets ayuda)\n";
    return 2;
}

int lecciones() {
    for (const Fila& f : kFilas)
        if (es_leccion(f)) std::cout << campo(f, 1) << "\t" << campo(f, 4) << "\n";
    return 0;
}

int fila(int nn) {
    for (const Fila& f : kFilas)
        if (es(f, "etapa") && numero(campo(f, 1)) == nn) {
            imprimir(f, 1);
            return 0;
        }
    return 1;
}

int de(const std::string& llamada) {
    for (const Fila& f : kFilas)
        if (es(f, "etapa") && campo(f, 2) == llamada) {
            std::cout << campo(f, 1) << "\n";
            return 0;
        }
    return 1;
}

/// Sin NN: «NN<TAB>Suite.Caso» de cada fila «retira». Con NN: las retiradas para la lección NN
/// (las de las filas de NN o de antes), una por línea.
int retiradas(int nn) {
    for (const Fila& f : kFilas)
        if (es(f, "retira") && (nn < 0 || numero(campo(f, 1)) <= nn))
            por_prueba(campo(f, 2), nn < 0 ? campo(f, 1) + "\t" : "");
    return 0;
}

int pasos(int nn, int k) {
    for (const Fila& f : kFilas)
        if (es(f, "paso") && numero(campo(f, 1)) == nn && std::atoi(campo(f, 2).c_str()) <= k)
            por_prueba(campo(f, 4), "");
    return 0;
}

int filas(const std::string& tipo) {
    for (const Fila& f : kFilas)
        if (campo(f, 0) == tipo) imprimir(f, 0);
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
