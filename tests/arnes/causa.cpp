/// \file causa.cpp
/// \brief La causa primero: cuando un programa termina con un error que siempre es un fallo suyo
///        (un descriptor ya cerrado, un EINTR que no se repite...), su última línea de stderr lo
///        dice. El oyente de veredictos pone un informe con esa causa delante de los de la prueba,
///        con la etapa cuyo código lo hizo (ver veredicto.cpp). También la causa que se ve en
///        la traza: un puerto sin htons() (pista_sin_htons()). Las dos anotan su síntoma en el
///        veredicto: son de la capa de pruebas (arnes), no de arnes_ejecucion.
#include "arnes/arnes.h"
#include "arnes/interno.h"

#include <cstdio>
#include <regex>
#include <sstream>

namespace arnes {

namespace {

/// Lo que se dice de cada error reconocido. `llamada` vacía: cualquier llamada.
struct Conocida {
    const char* llamada;
    const char* error;
    const char* sintoma;
    const char* pista;  ///< «%s» es la llamada
    const Seccion* seccion;
};

const Conocida kConocidas[] = {
    {"close", "EBADF", "descriptor_no_valido",
     "close() devolvió -1 con EBADF: cerraste un descriptor que ya estaba cerrado o que no es tuyo. "
     "Cada descriptor se cierra una sola vez, y solo el que abriste: busca el close() que se repite "
     "o el que recibe la variable equivocada",
     nullptr},
    {"", "EBADF", "descriptor_no_valido",
     "%s() devolvió -1 con EBADF: le pasaste un descriptor que ya estaba cerrado o que no es tuyo "
     "(¿lo cerraste antes? ¿es la variable que toca?)",
     nullptr},
    {"", "EINTR", "eintr_no_reintentado",
     "%s() volvió con -1 y EINTR: una señal la interrumpió (en la lección 07, SIGCHLD cuando "
     "termina un hijo) y tu programa lo trató como un error. EINTR no es un error: vuelve a "
     "llamar a %s()",
     &secciones::l07_eintr},
    {"accept", "EAGAIN", "escucha_no_bloqueante",
     "accept() volvió con -1 y EAGAIN: el socket de escucha es no bloqueante (SOCK_NONBLOCK u "
     "O_NONBLOCK) y aún no había ningún cliente en la cola. Créalo bloqueante: "
     "socket(AF_INET, SOCK_STREAM, 0)",
     &secciones::l04_aceptar},
    {"accept", "EINVAL", "accept_sin_listen",
     "accept() devolvió -1 con EINVAL: ese socket no escucha. accept() va sobre el mismo descriptor "
     "que pasaste a listen(), y después de listen()",
     &secciones::l03_escuchar},
    {"", "ENOTSOCK", "no_es_un_socket",
     "%s() devolvió -1 con ENOTSOCK: le pasaste un descriptor que no es un socket (¿0, 1 o 2, un "
     "número fijo, o la variable equivocada?)",
     nullptr},
    {"", "ENOTCONN", "no_conectado",
     "%s() devolvió -1 con ENOTCONN: ese socket no está conectado. Los datos van por el descriptor "
     "que devolvió accept() (en el servidor) o por el que conectaste con connect() (en el cliente)",
     nullptr},
    {"", "EFAULT", "puntero_no_valido",
     "%s() devolvió -1 con EFAULT: uno de sus punteros (o el tamaño que lo acompaña) no es válido",
     nullptr},
};

std::string con_llamada(const char* plantilla, const std::string& llamada) {
    std::string r = plantilla;
    for (auto p = r.find("%s"); p != std::string::npos; p = r.find("%s", p + llamada.size()))
        r.replace(p, 2, llamada);
    return r;
}

}  // namespace

std::optional<Causa> causa_en_errores(const std::string& errores) {
    // «[servidor] error: close(): descriptor de fichero no válido (EBADF)»: la última así.
    static const std::regex kLinea(R"(error: ([a-z_0-9]+)\(\)[^\n]*\((E[A-Z0-9]+)\))");
    std::istringstream in(errores);
    std::string linea;
    std::optional<Causa> r;
    while (std::getline(in, linea)) {
        std::smatch m;
        if (!std::regex_search(linea, m, kLinea)) continue;
        const std::string llamada = m[1], error = m[2];
        for (const auto& k : kConocidas) {
            if (error != k.error || (*k.llamada != '\0' && llamada != k.llamada)) continue;
            r = Causa{linea, llamada, error, k.sintoma, con_llamada(k.pista, llamada), k.seccion};
            break;
        }
    }
    return r;
}

std::string pista_sin_htons(const Llamada& l, int puerto) {
    if (!l.direccion || l.direccion->puerto_crudo != puerto || l.direccion->puerto == puerto)
        return "";
    sintoma("sin_htons");
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%04x", static_cast<unsigned>(l.direccion->puerto));
    return l.nombre + "() recibió el puerto " + hex + " = " + std::to_string(l.direccion->puerto) +
           "; pediste " + std::to_string(puerto) + ": falta htons(). sin_port guarda los dos " +
           "bytes en orden de red (el más significativo primero): sin_port = htons(puerto)";
}

}  // namespace arnes
