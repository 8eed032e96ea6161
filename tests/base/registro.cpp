/// \file registro.cpp
/// \brief El único escritor y el único lector del registro de veredicto (ver registro.h y
///        docs/dev/veredictos.md).
#include "base/registro.h"

#include "base/json.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace base {

namespace {

/// Como se escribe: las claves en el orden del formato.
using Ordenado = nlohmann::ordered_json;

Ordenado a_json(const InformeRegistro& i) {
    return {{"etapa", i.etapa},
            {"etapa_titulo", i.etapa_titulo},
            {"entrada", i.entrada},
            {"esperado", i.esperado},
            {"observado", i.observado},
            {"pista", i.pista},
            {"leer", {{"pagina", i.leer.pagina}, {"ancla", i.leer.ancla}, {"seccion", i.leer.seccion}, {"man", i.leer.man}}},
            {"texto", i.texto}};
}

Ordenado a_json(const ProgramaRegistro& p) {
    return {{"orden", p.orden},   {"estado", p.estado},   {"codigo", p.codigo},
            {"senal", p.senal},   {"descripcion", p.descripcion}, {"donde", p.donde},
            {"errores", p.errores}, {"descartado", p.descartado}, {"provocados", p.provocados}};
}

Ordenado a_json(const Registro& r) {
    Ordenado j;
    j["formato"] = r.formato;
    j["id"] = r.id;
    j["arbol"] = r.arbol;
    j["leccion"] = r.leccion;
    j["etapa"] = r.etapa;
    j["etapa_titulo"] = r.etapa_titulo;
    j["suite"] = r.suite;
    j["prueba"] = r.prueba;
    j["estado"] = r.estado;
    j["duracion_ms"] = r.duracion_ms;
    j["informes"] = Ordenado::array();
    for (const auto& i : r.informes) j["informes"].push_back(a_json(i));
    j["fallos_sin_informe"] = r.fallos_sin_informe;
    j["motivo_omision"] = r.motivo_omision;
    j["programas"] = Ordenado::array();
    for (const auto& p : r.programas) j["programas"].push_back(a_json(p));
    j["sintomas"] = r.sintomas;
    j["recortados"] = r.recortados;
    return j;
}

std::vector<std::string> textos(const Json& j, const char* clave) {
    std::vector<std::string> r;
    for (const auto& x : lista(j, clave))
        if (x.is_string()) r.push_back(x.get<std::string>());
    return r;
}

InformeRegistro informe_de(const Json& j, int etapa) {
    InformeRegistro i;
    i.etapa = static_cast<int>(entero(j, "etapa", etapa));
    i.etapa_titulo = texto(j, "etapa_titulo");
    i.entrada = texto(j, "entrada");
    i.esperado = texto(j, "esperado");
    i.observado = texto(j, "observado");
    i.pista = texto(j, "pista");
    const Json& l = objeto(j, "leer");
    i.leer = {texto(l, "pagina"), texto(l, "ancla"), texto(l, "seccion"), texto(l, "man")};
    i.texto = texto(j, "texto");
    return i;
}

ProgramaRegistro programa_de(const Json& j) {
    ProgramaRegistro p;
    p.orden = texto(j, "orden");
    p.estado = texto(j, "estado");
    p.codigo = entero(j, "codigo");
    p.senal = entero(j, "senal");
    p.descripcion = texto(j, "descripcion");
    p.donde = texto(j, "donde");
    p.errores = texto(j, "errores");
    p.descartado = entero(j, "descartado");
    p.provocados = entero(j, "provocados");
    return p;
}

Registro registro_de(const Json& j) {
    Registro r;
    r.formato = static_cast<int>(entero(j, "formato", -1));
    r.id = texto(j, "id");
    r.arbol = texto(j, "arbol");
    r.leccion = static_cast<int>(entero(j, "leccion", -1));
    r.etapa = static_cast<int>(entero(j, "etapa", -1));
    r.etapa_titulo = texto(j, "etapa_titulo");
    r.suite = texto(j, "suite");
    r.prueba = texto(j, "prueba");
    r.estado = texto(j, "estado");
    r.duracion_ms = entero(j, "duracion_ms");
    for (const auto& i : lista(j, "informes"))
        if (i.is_object()) r.informes.push_back(informe_de(i, r.etapa));
    r.fallos_sin_informe = textos(j, "fallos_sin_informe");
    r.motivo_omision = texto(j, "motivo_omision");
    for (const auto& p : lista(j, "programas"))
        if (p.is_object()) r.programas.push_back(programa_de(p));
    r.sintomas = textos(j, "sintomas");
    r.recortados = entero(j, "recortados");
    return r;
}

}  // namespace

bool escribir_registro(const std::string& ruta, const Registro& r) {
    const std::string temporal = ruta + ".tmp" + std::to_string(getpid());
    {
        std::ofstream f(temporal, std::ios::binary | std::ios::trunc);
        if (!f) return false;
        f << a_json(r).dump(1, ' ', false, Ordenado::error_handler_t::replace) << '\n';
        if (!f) return false;
    }
    return std::rename(temporal.c_str(), ruta.c_str()) == 0;
}

Leido leer_registro(const std::string& ruta, Registro& r, std::string& error) {
    struct stat st {};
    if (stat(ruta.c_str(), &st) != 0) {
        error = "no existe " + ruta;
        return Leido::no_existe;
    }
    std::string contenido;
    Json j;
    if (!leer_fichero(ruta, kMaxRegistro, contenido, error) || !interpretar(contenido, j, error))
        return Leido::ilegible;
    if (!j.is_object() || entero(j, "formato", -1) != kFormatoRegistro) {
        error = "no es un registro de veredicto del formato " + std::to_string(kFormatoRegistro);
        return Leido::invalido;
    }
    r = registro_de(j);
    if (r.estado != "superada" && r.estado != "omitida" && r.estado != "fallida" && r.estado != "interrumpida") {
        error = "estado desconocido «" + r.estado.substr(0, 40) + "»";
        return Leido::invalido;
    }
    return Leido::bien;
}

}  // namespace base
