/// \file prueba_de_etapa.cpp
/// \brief La fijación base de las pruebas de cada etapa: encuentra y lanza los programas de la
///        lección bajo prueba.
#include "arnes/arnes.h"
#include "arnes/interno.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

namespace arnes {

namespace {

/// Lanza `nombre` de la lección bajo prueba; si no se encuentra, la prueba FALLA (sin abortar)
/// con un informe que dice por qué, y el Programa devuelto aparece terminado con código 127.
std::unique_ptr<Programa> lanzar(const Etapa& etapa, const std::string& nombre,
                                 std::vector<std::string> args, Opciones o) {
    std::string ruta = ruta_programa(nombre);
    std::string orden = nombre;
    for (const auto& a : args) orden += " " + a;
    if (ruta.empty()) {
        ADD_FAILURE() << redactar(
            etapa, Informe{orden, "la variable de entorno SOCKETS_PROGRAMAS con la carpeta de "
                                   "los programas de la lección",
                           "SOCKETS_PROGRAMAS no está definida",
                           "ejecuta las pruebas con ctest (desde la carpeta de compilación), que "
                           "la define para cada lección",
                           {}});
        ruta = nombre;  // no existe: el Programa quedará terminado con código 127
    } else if (access(ruta.c_str(), X_OK) != 0) {
        ADD_FAILURE() << redactar(
            etapa, Informe{orden, "el programa compilado en " + ruta,
                           "no se puede ejecutar " + ruta + ": " + texto_errno(errno),
                           "¿compila la lección? Ejecuta cmake --build antes de ctest", {}});
    }
    return std::make_unique<Programa>(ruta, std::move(args), std::move(o));
}

}  // namespace

// (Aquí y no en informe.cpp: anotar en el veredicto es de la capa de pruebas; el texto del
// informe, texto_informe(), es de arnes_ejecucion.)
std::string redactar(const Etapa& etapa, const Informe& informe) {
    std::string texto = texto_informe(etapa, informe);
    anotar_informe(etapa, informe, texto);
    return texto;
}

std::string ruta_programa(const std::string& nombre) {
    const char* carpeta = std::getenv("SOCKETS_PROGRAMAS");
    if (carpeta == nullptr || *carpeta == '\0') return "";
    return std::string(carpeta) + "/" + nombre;
}

std::unique_ptr<Programa> PruebaDeEtapa::servidor(std::vector<std::string> args,
                                                  Opciones o) const {
    return lanzar(etapa_, "servidor", std::move(args), std::move(o));
}

std::unique_ptr<Programa> PruebaDeEtapa::cliente(std::vector<std::string> args,
                                                 Opciones o) const {
    return lanzar(etapa_, "cliente", std::move(args), std::move(o));
}

int PruebaDeEtapa::arrancar(Opciones o) {
    srv_ = servidor({"0"}, std::move(o));
    auto puerto = srv_->esperar_escucha();
    if (!puerto) {
        ADD_FAILURE() << informe(
            {srv_->orden(), "la línea «[servidor] listen(): escuchando en el puerto N»",
             srv_->resumen(), "el servidor debe llegar a listen() como en la etapa 03",
             secciones::l03_escuchar});
        return 0;
    }
    return *puerto;
}

void PruebaDeEtapa::acabar_y_esperar_cierre(Conexion& c, pid_t pid, long fd, const Llamada& desde) {
    c.cerrar();
    if (!srv_) return;
    // (Los close() de antes, del arranque, no cuentan: el cargador abre y cierra el descriptor 3.)
    srv_->esperar_llamada(
        [&](const Llamada& l) {
            return l.pid == pid && l.orden > desde.orden &&
                   ((l.nombre == "close" && l.args[0] == fd) || l.nombre == "exit_group");
        },
        kPlazo, false);
}

}  // namespace arnes
