/// \file preguntas.cpp
/// \brief Las preguntas enteras de ./tutorial a la herramienta `sockets`: una llamada, una
///        respuesta en la salida, y ningún fichero que ./tutorial tenga que leer después.
///
///   sockets pista N --build=DIR          la siguiente pista para la primera prueba que falla en
///                                        la lección N (la misma que enseña check primero)
///   sockets traza ... --build=DIR        la traza, en el escenario de esa misma prueba
///   sockets actual --build=DIR           «NN»: la primera lección sin superar («00»: ninguna)
///   sockets progreso ... --barra         la tabla de progreso y, debajo, la barra «N de M»
///   sockets barra N M                    solo la barra (sin resultados: «0 de M»)
///
/// Cada una pregunta primero a los veredictos llamando a su función, en el mismo proceso y sin
/// ficheros: actual y progreso, a la de `progreso`, que les devuelve lo que cuenta; pista y
/// traza, a la que elige la primera prueba que falla como `leccion` (y su escenario). Después
/// contestan. Con las opciones de siempre (pista --veredictos…, traza sin --build) son
/// las órdenes de antes, sin cambios.
#include "ordenes.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

/// Un argv (terminado en nullptr) que apunta a `args`, que debe vivir mientras se use.
std::vector<char*> como_argv(std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return argv;
}

/// Ejecuta una función de orden con estos argumentos (argv[0] incluido).
int llamar(int (*orden)(int, char**), std::vector<std::string> args) {
    return orden(static_cast<int>(args.size()), como_argv(args).data());
}

/// El valor de --build=DIR entre los argumentos (y los demás, sin él, en `resto`).
std::string sacar_build(int argc, char** argv, std::vector<std::string>& resto) {
    std::string build;
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--build=", 0) == 0) build = a.substr(8);
        else resto.push_back(a);
    }
    return build;
}

/// ¿Es un número de lección (una o dos cifras)?
bool es_numero(const std::string& s) {
    return !s.empty() && s.size() <= 2 && s.find_first_not_of("0123456789") == std::string::npos;
}

/// ¿Con colores? --color=si|no|auto (auto: en una terminal y sin NO_COLOR).
bool con_color(const std::vector<std::string>& args) {
    std::string modo = "auto";
    for (const auto& a : args)
        if (a.rfind("--color=", 0) == 0) modo = a.substr(8);
    const char* nc = std::getenv("NO_COLOR");
    return modo == "si" || (modo == "auto" && isatty(STDOUT_FILENO) && (nc == nullptr || *nc == '\0'));
}

/// «[███░░░░] 3 de 7 lecciones superadas»
void barra(int superadas, int total, bool color) {
    std::string b;
    for (int i = 0; i < total; ++i) b += i < superadas ? "█" : "░";
    const char* verde = color ? "\033[32m" : "";
    const char* negrita = color ? "\033[1m" : "";
    const char* fin = color ? "\033[0m" : "";
    std::cout << verde << "[" << b << "]" << fin << " " << negrita << superadas << " de " << total << fin
              << " lecciones superadas\n";
}

int uso(const std::string& motivo) {
    std::cerr << "sockets: " << motivo << " (sockets ayuda: las órdenes)\n";
    return 2;
}

}  // namespace

int orden_pista_entera(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--veredictos") == 0) return orden_pista(argc, argv);  // la de siempre
    std::vector<std::string> resto;
    const std::string build = sacar_build(argc, argv, resto);
    if (build.empty() || resto.size() != 2 || !es_numero(resto[1]))
        return uso("pista N --build=DIR: un número de lección y la carpeta de compilación");
    const std::string n = std::to_string(std::atoi(resto[1].c_str()));
    // La primera prueba que falla, la misma que enseña check primero (su orden: la etapa de la
    // lección, sus pasos...).
    std::string caso, escenario;
    primer_fallo_de(build, std::atoi(n.c_str()), caso, escenario);
    std::vector<std::string> args{"pista", "--veredictos", build + "/veredictos/lessons", "--pistas",
                                  std::string(SOCKETS_RAIZ) + "/tests/etapas/pistas", "--estado",
                                  build + "/pistas.json", "--leccion", n};
    if (!caso.empty()) args.insert(args.end(), {"--prueba", caso});
    return llamar(orden_pista, args);
}

int orden_traza_entera(int argc, char** argv) {
    std::vector<std::string> args;
    const std::string build = sacar_build(argc, argv, args);
    if (build.empty()) return orden_traza(argc, argv);  // la de siempre
    std::string n;
    for (std::size_t i = 1; i + 1 < args.size(); ++i)
        if (args[i] == "--leccion") n = args[i + 1];
    if (!es_numero(n)) return uso("traza --build=DIR necesita --leccion N");
    // El escenario de la primera prueba que falla (si falla alguna): su programa y su orden.
    std::string caso, escenario;
    primer_fallo_de(build, std::atoi(n.c_str()), caso, escenario);
    return orden_traza_con(static_cast<int>(args.size()), como_argv(args).data(), escenario);
}

int orden_actual(int argc, char** argv) {
    std::vector<std::string> resto;
    const std::string build = sacar_build(argc, argv, resto);
    if (build.empty() || resto.size() != 1) return uso("actual --build=DIR");
    // La tabla de progreso, sin imprimirla: solo lo que cuenta.
    std::vector<std::string> args{"sockets", "progreso", "--build=" + build, "--arbol=lessons", "--color=no"};
    int superadas = 0, lecciones = 0, actual = 0;
    progreso_contado(static_cast<int>(args.size()), como_argv(args).data(), false, superadas, lecciones, actual);
    if (lecciones == 0) return 1;  // sin tabla
    char nn[8];
    std::snprintf(nn, sizeof nn, "%02d", actual);
    std::cout << nn << "\n";
    return 0;
}

int orden_progreso_barra(int argc, char** argv) {
    std::vector<std::string> args;
    bool con_barra = false;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--barra") == 0) con_barra = true;
        else args.push_back(argv[i]);
    }
    if (!con_barra) return orden_veredictos(argc, argv);  // la de siempre
    int superadas = 0, lecciones = 0, actual = 0;
    const int codigo =
        progreso_contado(static_cast<int>(args.size()), como_argv(args).data(), true, superadas, lecciones, actual);
    barra(superadas, lecciones, con_color(args));
    return codigo;
}

int orden_barra(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    std::vector<std::string> numeros;
    for (std::size_t i = 1; i < args.size(); ++i)
        if (args[i].rfind("--color=", 0) != 0) numeros.push_back(args[i]);
    if (numeros.size() != 2 || numeros[0].find_first_not_of("0123456789") != std::string::npos ||
        numeros[1].find_first_not_of("0123456789") != std::string::npos || numeros[1].size() > 3)
        return uso("barra SUPERADAS TOTAL [--color=si|no|auto]");
    barra(std::atoi(numeros[0].c_str()), std::atoi(numeros[1].c_str()), con_color(args));
    return 0;
}
