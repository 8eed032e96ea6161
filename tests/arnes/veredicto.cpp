/// \file veredicto.cpp
/// \brief El veredicto de cada prueba como dato: un oyente de GoogleTest que sustituye a la
///        impresora inglesa por defecto, imprime solo los informes en español y escribe un
///        registro JSON por prueba. También es el main() de todos los ejecutables de pruebas.
///
/// El registro va a `<carpeta>/<Suite>.<Prueba>.json`, con la carpeta, el árbol, la lección y
/// la etapa que CTest le pasa como argumentos `--sockets-*=` (tests/registro/CMakeLists.txt). Al empezar la prueba se escribe con estado «interrumpida»: si el proceso
/// muere o CTest lo mata por tiempo, eso es lo que queda. Ninguna herramienta lee la consola:
/// ./tutorial y el corrector leen estos registros (formato en docs/dev/veredictos.md).
#include "arnes/arnes.h"
#include "arnes/interno.h"

#include "base/registro.h"
#include "base/texto.h"

#include <nlohmann/json.hpp>

#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>

namespace arnes {

namespace {

using Json = nlohmann::ordered_json;
using base::InformeRegistro;
using base::ProgramaRegistro;

/// Tope de cada campo de texto de un registro (un informe enorme no llena el disco).
constexpr std::size_t kMaxCampo = 8 * 1024;
/// Tope de informes y de programas por prueba.
constexpr std::size_t kMaxEntradas = 20;

/// Lo anotado durante la prueba en curso.
struct Registro {
    std::mutex m;
    std::vector<InformeRegistro> pendientes;  ///< Informes redactados que aún no van con ningún fallo.
    std::vector<InformeRegistro> informes;    ///< Informes de fallos ya ocurridos.
    std::vector<std::string> sin_informe;  ///< Fallos de GoogleTest sin informe (un error del arnés).
    std::vector<ProgramaRegistro> programas;
    std::vector<std::string> sintomas;  ///< Síntomas reconocidos (arnes::sintoma()), sin repetir.
    std::string omision;           ///< Motivo de GTEST_SKIP().
    std::size_t recortados = 0;    ///< Informes o programas que no cupieron.
};

Registro& registro() {
    static Registro r;
    return r;
}

InformeRegistro informe_registro(const Etapa& etapa, const Informe& informe, const std::string& texto);

/// Recorta un texto largo a kMaxCampo bytes sin partir un carácter UTF-8, y lo dice.
std::string acotar(const std::string& s) { return base::acotar(s, kMaxCampo); }

/// Quién es la prueba: lo dicen los argumentos --sockets-*=VALOR que añade el registro de
/// CTest (tests/registro/CMakeLists.txt). Sin ellos (la autoprueba del arnés, o a mano) no se
/// escribe ningún registro.
struct Identidad {
    std::string arbol, leccion, etapa, veredictos;
};

Identidad& identidad() {
    static Identidad i;
    return i;
}

/// Saca de argv los argumentos --sockets-*; deja los demás para GoogleTest.
void leer_identidad(int& argc, char** argv) {
    struct {
        const char* prefijo;
        std::string Identidad::*campo;
    } const kCampos[] = {{"--sockets-arbol=", &Identidad::arbol},
                         {"--sockets-leccion=", &Identidad::leccion},
                         {"--sockets-etapa=", &Identidad::etapa},
                         {"--sockets-veredictos=", &Identidad::veredictos}};
    int quedan = 1;
    for (int i = 1; i < argc; ++i) {
        bool nuestro = false;
        for (const auto& c : kCampos) {
            const std::size_t n = std::strlen(c.prefijo);
            if (std::strncmp(argv[i], c.prefijo, n) == 0) {
                identidad().*c.campo = argv[i] + n;
                nuestro = true;
            }
        }
        if (!nuestro) argv[quedan++] = argv[i];
    }
    argc = quedan;
    argv[argc] = nullptr;
}

int entero(const std::string& s, int defecto) {
    if (s.empty()) return defecto;
    char* fin = nullptr;
    long v = std::strtol(s.c_str(), &fin, 10);
    return (fin != nullptr && *fin == '\0') ? static_cast<int>(v) : defecto;
}

/// Sustituye a la impresora de GoogleTest: informes en español y registros JSON.
class Veredictos : public ::testing::EmptyTestEventListener {
public:
    Veredictos()
        : carpeta_(identidad().veredictos),
          arbol_(identidad().arbol),
          leccion_(entero(identidad().leccion, 0)),
          etapa_(entero(identidad().etapa, -1)) {}

private:
    void OnTestStart(const ::testing::TestInfo& info) override {
        {
            Registro& r = registro();
            std::lock_guard<std::mutex> candado(r.m);
            r.pendientes.clear();
            r.informes.clear();
            r.sin_informe.clear();
            r.programas.clear();
            r.sintomas.clear();
            r.omision.clear();
            r.recortados = 0;
        }
        std::cout << "▶ " << info.test_suite_name() << "." << info.name() << std::endl;
        guardar(info, "interrumpida", 0);
    }

    void OnTestPartResult(const ::testing::TestPartResult& parte) override {
        Registro& r = registro();
        std::lock_guard<std::mutex> candado(r.m);
        if (parte.skipped()) {
            r.omision = acotar(parte.message());
            return;
        }
        if (!parte.failed()) return;
        if (r.pendientes.empty()) {
            // Un fallo sin informe en español: un error de la prueba o del arnés. Se conserva
            // tal cual (con su lugar) para poder arreglarlo; la prueba de limpieza lo detecta.
            std::string lugar = parte.file_name() != nullptr ? parte.file_name() : "?";
            lugar += ":" + std::to_string(parte.line_number());
            if (r.sin_informe.size() < kMaxEntradas)
                r.sin_informe.push_back(acotar(lugar + ": " + parte.message()));
            else
                ++r.recortados;
            return;
        }
        for (auto& i : r.pendientes) {
            if (r.informes.size() < kMaxEntradas)
                r.informes.push_back(std::move(i));
            else
                ++r.recortados;
        }
        r.pendientes.clear();
    }

    /// La causa primero: si la prueba falló y uno de sus programas terminó con un error que
    /// siempre es un fallo suyo (causa_en_errores(), sin llamadas provocadas por la prueba), un
    /// informe que lo dice va delante de los de la prueba. Su etapa es la de la lección que se
    /// prueba si es posterior a la de la prueba: esta prueba la superaba la lección anterior, así
    /// que lo más probable es que lo haya roto el código de la etapa nueva.
    void causa_primero() {
        Registro& r = registro();
        std::lock_guard<std::mutex> candado(r.m);
        for (const auto& p : r.programas) {
            // (Un programa que sigue vivo también cuenta: en la lección 07 el error puede ser de un
            // hijo, y estos errores nunca son normales. Con llamadas provocadas por la prueba, el
            // error es el de la prueba: no se dice nada.)
            if (p.provocados > 0) continue;
            const auto causa = causa_en_errores(p.errores);
            if (!causa) continue;
            const int n = leccion_ > etapa_ ? leccion_ : etapa_;
            if (n < 0 || n >= static_cast<int>(std::size(etapas::kTodas))) return;
            const Etapa& etapa = *etapas::kTodas[n];
            Informe i;
            i.entrada = r.informes.empty() ? p.orden : r.informes.front().entrada;
            i.esperado = "que «" + p.orden + "» no termine con un error";
            i.observado = p.descripcion + "; en su stderr:\n«" + causa->linea + "»";
            i.pista = causa->pista;
            if (n != etapa_ && etapa_ >= 0)
                i.pista += ".\nEsta prueba es de la etapa " + dos(etapa_) + " y la lección anterior la superaba: lo más "
                           "probable es que lo rompa el código de la etapa " + dos(n) + ".";
            if (causa->seccion != nullptr) i.leer = Lectura(*causa->seccion, "man 2 " + causa->llamada);
            else i.leer = Lectura();
            if (causa->seccion == nullptr) i.leer.man = "man 2 " + causa->llamada;
            r.informes.insert(r.informes.begin(), informe_registro(etapa, i, texto_informe(etapa, i)));
            if (r.informes.size() > kMaxEntradas) {
                r.informes.pop_back();
                ++r.recortados;
            }
            if (std::find(r.sintomas.begin(), r.sintomas.end(), causa->sintoma) == r.sintomas.end())
                r.sintomas.insert(r.sintomas.begin(), causa->sintoma);
            return;
        }
    }

    static std::string dos(int n) {
        char b[8];
        std::snprintf(b, sizeof b, "%02d", n);
        return b;
    }

    void OnTestEnd(const ::testing::TestInfo& info) override {
        const auto* resultado = info.result();
        if (resultado->Failed()) causa_primero();
        const char* estado = resultado->Skipped()  ? "omitida"
                             : resultado->Failed() ? "fallida"
                                                   : "superada";
        const long ms = static_cast<long>(resultado->elapsed_time());
        const base::Registro r = guardar(info, estado, ms);
        // La consola: solo español.
        if (r.estado == "superada") {
            std::cout << "✓ superada (" << ms << " ms)\n";
        } else if (r.estado == "omitida") {
            std::cout << "↷ omitida: " << r.motivo_omision << "\n";
        } else {
            for (const auto& i : r.informes) std::cout << i.texto << "\n";
            for (const auto& s : r.fallos_sin_informe)
                std::cout << "✗ fallo sin informe (error de la prueba): " << s << "\n";
            std::cout << "✗ fallida (" << ms << " ms)\n";
        }
        std::cout << std::flush;
    }

    /// Arma el registro de la prueba y, si hay carpeta, lo escribe. Devuelve el registro.
    base::Registro guardar(const ::testing::TestInfo& info, const char* estado, long ms) {
        char ll[16], ee[16];
        std::snprintf(ll, sizeof ll, "%02d", leccion_);
        std::snprintf(ee, sizeof ee, "%02d", etapa_ < 0 ? 0 : etapa_);
        const std::string nombre = std::string(info.test_suite_name()) + "." + info.name();
        base::Registro j;
        j.id = arbol_.empty() ? nombre : arbol_ + "/L" + ll + "/E" + ee + "/" + nombre;
        j.arbol = arbol_;
        j.leccion = leccion_;
        j.etapa = etapa_;
        const Etapa* e = etapa_ >= 0 && etapa_ < static_cast<int>(std::size(etapas::kTodas))
                             ? etapas::kTodas[etapa_]
                             : nullptr;
        j.etapa_titulo = e != nullptr ? e->titulo : "";
        j.suite = info.test_suite_name();
        j.prueba = info.name();
        j.estado = estado;
        j.duracion_ms = ms;
        {
            Registro& r = registro();
            std::lock_guard<std::mutex> candado(r.m);
            j.informes = r.informes;
            j.fallos_sin_informe = r.sin_informe;
            j.motivo_omision = r.omision;
            j.programas = r.programas;
            j.sintomas = r.sintomas;
            j.recortados = static_cast<long>(r.recortados);
        }
        if (!carpeta_.empty()) base::escribir_registro(carpeta_ + "/" + nombre + ".json", j);
        return j;
    }

    std::string carpeta_, arbol_;
    int leccion_, etapa_;
};

}  // namespace

namespace {

/// Un informe redactado como entrada del registro.
InformeRegistro informe_registro(const Etapa& etapa, const Informe& informe, const std::string& texto) {
    InformeRegistro i;
    i.etapa = etapa.numero;
    i.etapa_titulo = etapa.titulo;
    i.entrada = acotar(informe.entrada);
    i.esperado = acotar(informe.esperado);
    i.observado = acotar(informe.observado);
    i.pista = acotar(informe.pista);
    const Seccion* s = informe.leer.seccion;
    i.leer = {s != nullptr ? s->pagina : etapa.pagina, s != nullptr ? s->ancla : "",
              s != nullptr ? s->titulo : "", informe.leer.man};
    i.texto = acotar(texto);
    return i;
}

}  // namespace

void anotar_informe(const Etapa& etapa, const Informe& informe, const std::string& texto) {
    InformeRegistro i = informe_registro(etapa, informe, texto);
    Registro& r = registro();
    std::lock_guard<std::mutex> candado(r.m);
    if (r.pendientes.size() < kMaxEntradas) r.pendientes.push_back(std::move(i));
}

void sintoma(const std::string& id) {
    Registro& r = registro();
    std::lock_guard<std::mutex> candado(r.m);
    if (std::find(r.sintomas.begin(), r.sintomas.end(), id) == r.sintomas.end() &&
        r.sintomas.size() < kMaxEntradas)
        r.sintomas.push_back(id);
}

void anotar_programa(const ProgramaVisto& p) {
    ProgramaRegistro j;
    j.orden = acotar(p.orden);
    j.estado = p.estado;
    j.codigo = p.codigo;
    j.senal = p.senal;
    j.descripcion = p.descripcion;
    j.donde = acotar(p.donde);
    j.errores = acotar(p.errores);
    j.descartado = static_cast<long>(p.descartado);
    j.provocados = static_cast<long>(p.provocados);
    Registro& r = registro();
    std::lock_guard<std::mutex> candado(r.m);
    if (r.programas.size() < kMaxEntradas)
        r.programas.push_back(std::move(j));
    else
        ++r.recortados;
}

void volcar_traza(const std::string& ruta, const std::string& orden, pid_t pid,
                  const std::vector<Llamada>& llamadas, const std::string& fin) {
    Json j;
    j["orden"] = orden;
    j["pid"] = pid;
    j["fin"] = fin;
    j["llamadas"] = Json::array();
    for (const auto& l : llamadas) {
        Json x = {{"orden", l.orden},         {"pid", l.pid},           {"nombre", l.nombre},
                  {"args", l.args},           {"terminada", l.terminada}, {"resultado", l.resultado},
                  {"datos", l.datos},         {"provocado", l.provocado}, {"reiniciada", l.reiniciada},
                  {"largo_entrada", l.largo_entrada}};
        if (l.direccion)
            x["direccion"] = {{"familia", l.direccion->familia}, {"ip", l.direccion->ip},
                              {"puerto", l.direccion->puerto}, {"puerto_crudo", l.direccion->puerto_crudo}};
        if (l.accion)
            x["accion"] = {{"manejador", l.accion->manejador}, {"banderas", l.accion->banderas},
                           {"mascara", l.accion->mascara}};
        j["llamadas"].push_back(std::move(x));
    }
    std::ofstream f(ruta, std::ios::app | std::ios::binary);
    f << j.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace arnes

// El main() de todos los ejecutables de pruebas: GoogleTest con el oyente de veredictos en
// lugar de la impresora por defecto. Es débil (weak) para que una herramienta que enlaza el
// arnés sin ser una prueba (tests/herramientas/traza_vista.cpp) pueda traer su propio main().
__attribute__((weak)) int main(int argc, char** argv) {
    // Al corregir (SOCKETS_OCULTAR), nadie del mismo usuario puede leer nuestra memoria ni
    // abrir nuestros ficheros por /proc, ni trazarnos: ver docs/dev/corrector.md.
    if (std::getenv("SOCKETS_OCULTAR") != nullptr) prctl(PR_SET_DUMPABLE, 0UL, 0UL, 0UL, 0UL);
    arnes::leer_identidad(argc, argv);
    arnes::poner_testigo({arnes::anotar_programa, arnes::volcar_traza});
    ::testing::InitGoogleTest(&argc, argv);
    auto& oyentes = ::testing::UnitTest::GetInstance()->listeners();
    delete oyentes.Release(oyentes.default_result_printer());
    oyentes.Append(new arnes::Veredictos);
    return RUN_ALL_TESTS();
}
