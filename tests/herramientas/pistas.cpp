/// \file pistas.cpp
/// \brief `sockets pista`: la escalera de pistas de `./tutorial pista [N]`.
///
/// Lee los veredictos (los registros JSON de las pruebas, docs/dev/veredictos.md), elige la
/// primera prueba que falla en la lección N (por defecto, la primera lección no superada) y da
/// el siguiente peldaño de sus pistas (tests/etapas/pistas/KK.tsv): la idea, la llamada y su
/// página del manual, sus argumentos y, por último, un fragmento de código. El peldaño dado se
/// recuerda en un fichero de estado y se olvida cuando esa prueba pasa. Nunca lee la consola.
///
/// Si una prueba que falla reconoció un síntoma del programa (el campo «sintomas» del veredicto,
/// arnes::sintoma()), la escalera es primero la del síntoma (clave «sintoma:ID» del .tsv de la
/// etapa de la prueba, de la lección o del 00, el de los síntomas comunes): habla de lo que hace
/// mal el programa, no de la prueba que falla, y lo nombra como el peldaño 0 de su escalera (nunca
/// con su identificador interno). La primera prueba que falla y tiene síntoma con escalera manda;
/// si ninguna, la escalera de la primera que falla.
///
/// Uso: sockets pista --veredictos DIR --pistas DIR --estado FICHERO [--leccion N] [--prueba Suite.Caso]
///   DIR de veredictos: <build>/veredictos/<árbol> (con L<NN>/E<KK>/<Suite>.<Prueba>.json).
/// Sale con 0 si dio una pista, 3 si no hay nada que pistar (lección superada o sin probar) y
/// 2 si los argumentos no valen.
#include "escaleras.h"

#include "base/opciones.h"
#include "base/registro.h"
#include "ordenes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Json = nlohmann::json;

using escaleras::kSintoma;

namespace {

/// Un veredicto leído: lo que hace falta para elegir la prueba y citar dónde leer.
struct Veredicto {
    int etapa = 0;
    std::string nombre;  ///< «Suite.Prueba»
    std::string estado;  ///< superada | fallida | omitida | interrumpida
    std::string leer;    ///< Dónde leer, del primer informe: página, sección y man.
    std::vector<std::string> sintomas;  ///< Síntomas reconocidos por la prueba (arnes::sintoma()).
};

bool superada(const Veredicto& v) { return v.estado == "superada" || v.estado == "omitida"; }

/// Los veredictos de la lección `leccion`, ordenados por etapa y nombre (el orden de «check»).
std::vector<Veredicto> leer_veredictos(const fs::path& raiz, int leccion) {
    std::vector<Veredicto> r;
    char dir[8];
    std::snprintf(dir, sizeof dir, "L%02d", leccion);
    const fs::path base = raiz / dir;
    std::error_code ec;
    if (!fs::is_directory(base, ec)) return r;
    for (const auto& e : fs::recursive_directory_iterator(base, ec)) {
        if (!e.is_regular_file() || e.path().extension() != ".json") continue;
        base::Registro j;
        std::string error;
        if (base::leer_registro(e.path().string(), j, error) != base::Leido::bien) continue;
        Veredicto v;
        v.etapa = j.etapa < 0 ? 0 : j.etapa;
        v.nombre = j.suite + "." + j.prueba;
        v.estado = j.estado;
        v.sintomas = j.sintomas;
        if (!j.informes.empty()) {
            const base::Leer& l = j.informes[0].leer;
            std::string s = l.pagina;
            if (!l.seccion.empty()) s += ", sección «" + l.seccion + "»";
            if (!l.man.empty()) s += "; " + l.man;
            v.leer = s;
        }
        r.push_back(std::move(v));
    }
    std::sort(r.begin(), r.end(), [](const Veredicto& a, const Veredicto& b) {
        return a.etapa != b.etapa ? a.etapa < b.etapa : a.nombre < b.nombre;
    });
    return r;
}

std::string dos_cifras(int n) {
    char s[8];
    std::snprintf(s, sizeof s, "%02d", n);
    return s;
}

int uso(const std::string& motivo) {
    std::cerr << "sockets pista: " << motivo << "\n"
              << "uso: sockets pista --veredictos DIR --pistas DIR --estado FICHERO [--leccion N] [--prueba Suite.Caso]\n";
    return 2;
}

/// El estado de las pistas: {"L05": {"Eco.DevuelveUnaLinea": 2}} (último peldaño dado a cada prueba).
struct Estado {
    fs::path fichero;
    Json json = Json::object();

    void leer() {
        if (std::ifstream f(fichero); f) {
            json = Json::parse(f, nullptr, false);
            if (json.is_discarded() || !json.is_object()) json = Json::object();
        }
    }
    void guardar() const {
        std::error_code ec;
        if (fichero.has_parent_path()) fs::create_directories(fichero.parent_path(), ec);
        const fs::path tmp = fichero.string() + ".tmp";
        std::ofstream(tmp) << json.dump(1) << "\n";
        fs::rename(tmp, fichero, ec);
    }
};

/// La lección pedida (`pedida`, "" si ninguna) o la primera no superada; 0 y un mensaje si no
/// hay ninguna que pistar, -1 si la pedida no vale (el motivo en `error`).
int elegir_leccion(const fs::path& veredictos, const fs::path& pistas, const std::string& pedida,
                   std::string& error) {
    // Las lecciones: tantas como ficheros de pistas (01.tsv, 02.tsv... uno por etapa).
    int ultima = 0;
    while (fs::exists(pistas / (dos_cifras(ultima + 1) + ".tsv"))) ++ultima;
    if (!pedida.empty()) {
        const int leccion = std::atoi(pedida.c_str());
        if (leccion < 1 || leccion > ultima) {
            error = "la lección va del 1 al " + std::to_string(ultima);
            return -1;
        }
        return leccion;
    }
    for (int n = 1; n <= ultima; ++n) {
        const auto v = leer_veredictos(veredictos, n);
        if (v.empty() || !std::all_of(v.begin(), v.end(), superada)) return n;
    }
    return 0;
}

/// Olvida los peldaños de las pruebas que ya pasan y de los síntomas que ya no se ven.
void olvidar(Json& mias, const std::vector<Veredicto>& vs) {
    for (const auto& v : vs)
        if (superada(v)) mias.erase(v.nombre);
    auto se_ve = [&](const std::string& clave) {
        return std::any_of(vs.begin(), vs.end(), [&](const Veredicto& v) {
            return !superada(v) && std::find(v.sintomas.begin(), v.sintomas.end(),
                                             clave.substr(kSintoma.size())) != v.sintomas.end();
        });
    };
    for (auto it = mias.begin(); it != mias.end();)
        it = it.key().rfind(kSintoma, 0) == 0 && !se_ve(it.key()) ? mias.erase(it) : std::next(it);
}

/// La escalera elegida para la prueba que falla.
struct Eleccion {
    const escaleras::Escalera* escalera = nullptr;
    std::string clave_estado;  ///< la prueba, o «sintoma:ID»
    std::string leer;
    bool con_sintoma = false;
};

/// Un síntoma reconocido manda: el de la prueba `fallo` o, si no tiene, el de la primera que
/// falla y lo tenga (con escalera en el .tsv de su etapa, de la lección o de los comunes).
Eleccion elegir_escalera(const fs::path& pistas, const std::vector<Veredicto>& vs, const Veredicto& fallo,
                         int leccion, escaleras::Escaleras& guardadas) {
    Eleccion r;
    guardadas = escaleras::leer(escaleras::fichero(pistas.string(), fallo.etapa));
    const std::string clave = escaleras::clave_de(guardadas, fallo.nombre);
    r.escalera = clave.empty() ? nullptr : &guardadas.at(clave);
    r.clave_estado = fallo.nombre;
    r.leer = fallo.leer;
    std::vector<const Veredicto*> orden{&fallo};
    for (const auto& v : vs)
        if (&v != &fallo && !superada(v)) orden.push_back(&v);
    for (const Veredicto* v : orden) {
        for (const auto& id : v->sintomas) {
            std::string nombre;
            const int etapas[] = {v->etapa, leccion, 0};
            const auto* e = escaleras::de_sintoma(pistas.string(), etapas, id, guardadas, nombre);
            if (e == nullptr) continue;
            r.escalera = e;
            r.clave_estado = kSintoma + id;
            std::cout << "Lo que hace tu programa" << (nombre.empty() ? "" : ": " + nombre)
                      << "   (lo vio " << v->nombre << ")";
            r.leer = v->leer;
            r.con_sintoma = true;
            return r;
        }
    }
    return r;
}

/// Da el siguiente peldaño de la escalera elegida (`dado`: el último dado). Devuelve el dado ahora.
int dar_peldano(const Eleccion& e, int dado, int leccion) {
    const escaleras::Escalera* escalera = e.escalera;
    // El siguiente peldaño que exista (los peldaños pueden saltar números).
    auto sig = escalera->upper_bound(dado);
    const bool ultimo_ya = (sig == escalera->end());
    if (ultimo_ya) sig = std::prev(escalera->end());
    const int total = static_cast<int>(std::distance(escalera->upper_bound(0), escalera->end()));
    const int posicion = static_cast<int>(std::distance(escalera->upper_bound(0), sig)) + 1;
    static const char* kNombres[] = {"", "la idea", "la llamada", "sus argumentos", "un fragmento de código"};
    const int p = sig->first;
    std::cout << "Pista " << posicion << " de " << total;
    if (p >= 1 && p <= 4) std::cout << " · " << kNombres[p];
    std::cout << ":\n\n";
    std::istringstream texto(sig->second);
    for (std::string l; std::getline(texto, l);) std::cout << "  " << l << "\n";
    std::cout << "\n";
    if (!e.leer.empty()) std::cout << "Lee: " << e.leer << "\n";
    if (ultimo_ya || posicion == total)
        std::cout << "Es la última pista de " << (e.con_sintoma ? "este síntoma" : "esta prueba")
                  << ". Compara con la solución plegada de la página de la lección (./tutorial "
                     "docs).\n";
    else
        std::cout << "¿Otra? ./tutorial pista " << leccion << "   (la pista vuelve al principio "
                  << (e.con_sintoma ? "si el síntoma desaparece" : "cuando esta prueba pase") << ")\n";
    return p;
}

/// La pista de la lección `leccion` (la prueba preferida: `prueba`, "" si ninguna).
int pista_de(const fs::path& veredictos, const fs::path& pistas, Estado& estado, int leccion,
             const std::string& prueba) {
    const std::string clave_l = "L" + dos_cifras(leccion);
    const auto vs = leer_veredictos(veredictos, leccion);
    Json& mias = estado.json[clave_l];
    if (!mias.is_object()) mias = Json::object();
    olvidar(mias, vs);
    if (vs.empty()) {
        estado.guardar();
        std::cout << "Aún no hay resultados de la lección " << leccion
                  << ": pruébala primero con ./tutorial check " << leccion << "\n";
        return 3;
    }
    // La prueba: la que diga --prueba (la primera que enseña check, en su orden) si falla; si no,
    // la primera que falle por etapa y nombre.
    auto fallo = std::find_if(vs.begin(), vs.end(), [&](const Veredicto& v) {
        return !superada(v) && !prueba.empty() && v.nombre == prueba;
    });
    if (fallo == vs.end())
        fallo = std::find_if(vs.begin(), vs.end(), [](const Veredicto& v) { return !superada(v); });
    if (fallo == vs.end()) {
        estado.guardar();
        std::cout << "La lección " << leccion << " está superada (según la última vez que la "
                  << "probaste con ./tutorial check " << leccion << "): no hay pistas que dar.\n";
        return 3;
    }
    std::cout << "Primera prueba que falla en la lección " << leccion << ": " << fallo->nombre
              << " (etapa " << dos_cifras(fallo->etapa) << ")\n";
    escaleras::Escaleras guardadas;
    const Eleccion e = elegir_escalera(pistas, vs, *fallo, leccion, guardadas);
    std::cout << (e.con_sintoma ? "\n\n" : "\n");
    // El peldaño 0 de un síntoma es su nombre, no una pista.
    if (e.escalera == nullptr || e.escalera->upper_bound(0) == e.escalera->end()) {
        std::cout << "No hay pistas escritas para esta prueba. Lee su informe con ./tutorial check "
                  << leccion << (e.leer.empty() ? "" : " y " + e.leer) << ".\n";
        estado.guardar();
        return 0;
    }
    mias[e.clave_estado] = dar_peldano(e, std::max(0, mias.value(e.clave_estado, 0)), leccion);
    estado.guardar();
    return 0;
}

}  // namespace

int orden_pista(int argc, char** argv) {
    base::Opciones arg;
    std::string error;
    if (!base::leer_opciones(argc, argv, {{"veredictos", true}, {"pistas", true}, {"estado", true},
                                          {"leccion", true}, {"prueba", true}},
                             arg, error))
        return uso(error);
    for (const char* k : {"veredictos", "pistas", "estado"})
        if (!arg.hay(k)) return uso(std::string("falta --") + k);
    const fs::path veredictos = arg.valor("veredictos"), pistas = arg.valor("pistas");
    Estado estado{arg.valor("estado")};
    estado.leer();
    const int leccion = elegir_leccion(veredictos, pistas, arg.valor("leccion"), error);
    if (leccion < 0) return uso(error);
    if (leccion == 0) {
        std::cout << "¡Todas las lecciones superadas! No hay pistas que dar.\n";
        return 3;
    }
    return pista_de(veredictos, pistas, estado, leccion, arg.valor("prueba"));
}
