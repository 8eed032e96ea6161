/// \file fallos.cpp
/// \brief Ayudas del arnés para las pruebas de fallos provocados (Opciones::fallos): qué hizo el
///        programa después de que una llamada suya fallara a propósito.
#include "arnes/arnes.h"
#include "arnes/interno.h"

#include <sstream>

namespace arnes {

std::string que_lo_explique(const std::string& quien, const std::string& llamada, int error) {
    return "que el " + quien + " termine con código 1 y explique en stderr qué falló: una línea con «" +
           llamada + "» y «" + texto_errno(error) + "»";
}

std::optional<long> codigo_de_salida(Programa& p, pid_t pid, Ms plazo) {
    auto salida = p.esperar_llamada(
        [pid](const Llamada& l) {
            return l.pid == pid && (l.nombre == "exit_group" || l.nombre == "exit");
        },
        plazo, false);  // exit_group() no vuelve: nunca está «terminada»
    if (!salida) return std::nullopt;
    return salida->args[0] & 0xff;  // lo que ve waitpid(): el byte bajo
}

TrasElFallo tras_el_fallo(Programa& p, std::string_view nombre, const std::string& palabra,
                          int error, Ms plazo) {
    TrasElFallo t;
    const std::string alternativas(nombre);
    t.llamada = p.esperar_llamada(
        [&alternativas](const Llamada& l) {
            return l.provocado && coincide_nombre(alternativas, l.nombre);
        },
        plazo);
    std::ostringstream os;
    if (!t.llamada) {
        const std::string primera_alternativa = alternativas.substr(0, alternativas.find('|'));
        os << "no llegó a llamar a " << primera_alternativa << "()\núltimas llamadas:\n"
           << enumerar(p.llamadas()) << "\n"
           << p.resumen();
        t.observado = os.str();
        return t;
    }
    const pid_t pid = t.llamada->pid;
    const bool principal = pid == p.pid();
    t.codigo = codigo_de_salida(p, pid, plazo);
    const std::string texto = texto_errno(error);
    // La línea de error nombra la llamada como la escribe el alumno: con `palabra` vacía, vale
    // cualquiera de las alternativas («read|recv|recvfrom…»: quien usa recv() escribe «recv()»,
    // aunque el núcleo vea recvfrom).
    std::vector<std::string> buscadas;
    if (!palabra.empty()) {
        buscadas.push_back(palabra);
    } else {
        for (std::size_t i = 0; i <= alternativas.size();) {
            const std::size_t barra = std::min(alternativas.find('|', i), alternativas.size());
            buscadas.push_back(alternativas.substr(i, barra - i));
            i = barra + 1;
        }
    }
    std::string buscada;
    for (const auto& b : buscadas) buscada += (buscada.empty() ? "" : "» o «") + b;
    esperar_que(
        [&] {
            std::istringstream is(p.errores());
            std::string linea;
            t.linea_error.clear();
            while (std::getline(is, linea))
                for (const auto& b : buscadas)
                    if (linea.find(b) != std::string::npos && linea.find(texto) != std::string::npos) {
                        t.linea_error = linea;
                        return true;
                    }
            return false;
        },
        t.codigo ? Ms(500) : Ms(0));
    os << t.llamada->texto() << (principal ? "" : " (en el hijo " + std::to_string(pid) + ")")
       << "\n";
    if (t.codigo) {
        os << (principal ? "después el programa terminó con código " + std::to_string(*t.codigo)
                         : "después ese hijo llamó a _exit(" + std::to_string(*t.codigo) + ")");
    } else if (principal) {
        auto fin = p.esperar_fin(Ms(0));
        os << "después el programa " << (fin ? fin->texto() : "no terminó");
    } else {
        os << "después ese hijo no llamó a _exit() (sigue vivo o murió por una señal)";
    }
    os << "\n";
    if (t.linea_error.empty())
        os << "stderr no tiene ninguna línea con «" << buscada << "» y «" << texto << "»\n";
    else
        os << "stderr: «" << t.linea_error << "»\n";
    os << p.resumen();
    t.observado = os.str();
    return t;
}

}  // namespace arnes
