/// \file informe.cpp
/// \brief Informes de fallo en español y nombres legibles (errno, señales, familias, tipos).
#include "arnes/interno.h"

#include "sockets_comun.h"  // la tabla de errno de las lecciones (una sola definición)

#include <sys/socket.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace arnes {

namespace {

using sockets::ErrnoConocido;

/// Códigos internos del núcleo (include/linux/errno.h): el programa nunca los ve, pero el
/// trazador sí, a la salida de una llamada que una señal interrumpió y que el núcleo reiniciará o
/// convertirá en EINTR al entregar la señal.
constexpr int kERESTARTSYS = 512;
constexpr int kERESTARTNOINTR = 513;
constexpr int kERESTARTNOHAND = 514;
constexpr int kENOIOCTLCMD = 515;
constexpr int kERESTART_RESTARTBLOCK = 516;

/// Los errno que el arnés puede ver además de los de las lecciones (sockets::kErrnoConocidos, en
/// lessons/comun/sockets_comun.h): los de la traza de cualquier llamada y los internos del núcleo.
/// Una sola tabla por errno: aquí no se repite ninguno de las lecciones.
const ErrnoConocido kErrnosDelArnes[] = {
    {ENOENT, "ENOENT", "no existe el fichero o el directorio"},
    {ESRCH, "ESRCH", "no existe ese proceso"},
    {EIO, "EIO", "error de entrada/salida"},
    {E2BIG, "E2BIG", "la lista de argumentos es demasiado larga"},
    {ENOEXEC, "ENOEXEC", "formato de ejecutable no válido"},
    {EFAULT, "EFAULT", "dirección de memoria no válida"},
    {EBUSY, "EBUSY", "dispositivo o recurso ocupado"},
    {EEXIST, "EEXIST", "ya existe"},
    {ENOTDIR, "ENOTDIR", "no es un directorio"},
    {EISDIR, "EISDIR", "es un directorio"},
    {ENOSPC, "ENOSPC", "no queda espacio en el dispositivo"},
    {ENOSYS, "ENOSYS", "llamada al sistema no implementada"},
    {EDESTADDRREQ, "EDESTADDRREQ", "hace falta una dirección de destino"},
    {EMSGSIZE, "EMSGSIZE", "mensaje demasiado largo"},
    {EPROTOTYPE, "EPROTOTYPE", "tipo de protocolo incorrecto para el socket"},
    {ENOPROTOOPT, "ENOPROTOOPT", "opción o protocolo no disponible"},
    {EPROTONOSUPPORT, "EPROTONOSUPPORT", "protocolo no admitido"},
    {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT", "tipo de socket no admitido"},
    {EOPNOTSUPP, "EOPNOTSUPP", "operación no admitida en este socket"},
    {ENETDOWN, "ENETDOWN", "la red está caída"},
    {ESHUTDOWN, "ESHUTDOWN", "no se puede enviar tras cerrar la escritura"},
    {EALREADY, "EALREADY", "ya hay una operación en curso"},
    {EINPROGRESS, "EINPROGRESS", "operación en curso"},
    {kERESTARTSYS, "ERESTARTSYS",
     "la llamada fue interrumpida por una señal y el núcleo la reinicia (o devuelve EINTR si el "
     "manejador no tiene SA_RESTART)"},
    {kERESTARTNOINTR, "ERESTARTNOINTR",
     "la llamada fue interrumpida por una señal y el núcleo la reinicia siempre, sin EINTR"},
    {kERESTARTNOHAND, "ERESTARTNOHAND",
     "la llamada fue interrumpida por una señal: el núcleo la reinicia si la señal no tiene "
     "manejador y, si lo tiene, devuelve EINTR"},
    {kENOIOCTLCMD, "ENOIOCTLCMD",
     "orden de ioctl no admitida por el controlador (código interno del núcleo)"},
    {kERESTART_RESTARTBLOCK, "ERESTART_RESTARTBLOCK",
     "la llamada fue interrumpida por una señal y el núcleo la reanuda con restart_syscall(2) "
     "(o devuelve EINTR si hay manejador)"},
};

/// Busca un errno en la tabla de las lecciones y después en la del arnés; nullptr si no está.
const ErrnoConocido* buscar_errno(int error) {
    for (const auto& e : sockets::kErrnoConocidos)
        if (e.numero == error) return &e;
    for (const auto& e : kErrnosDelArnes)
        if (e.numero == error) return &e;
    return nullptr;
}

/// Escribe `valor` tras la etiqueta, sangrando las líneas siguientes bajo la primera.
void campo(std::ostringstream& os, const char* etiqueta, const std::string& valor) {
    if (valor.empty()) return;
    os << "\n  " << etiqueta;
    for (char c : valor) {
        os << c;
        if (c == '\n') os << "             ";  // 13 espacios: alinea con la columna del valor
    }
}

}  // namespace

std::string Lectura::texto(const Etapa& etapa) const {
    std::string r;
    if (seccion != nullptr)
        r = std::string(seccion->pagina) + ", sección «" + seccion->titulo + "»";
    else
        r = etapa.pagina;
    if (!man.empty()) r += "; " + man;
    return r;
}

std::string texto_informe(const Etapa& etapa, const Informe& informe) {
    char numero[8];
    std::snprintf(numero, sizeof numero, "%02d", etapa.numero);
    std::ostringstream os;
    os << "✗ Etapa " << numero << " · " << etapa.titulo;
    // Quita un '\n' final de cada campo: el formato ya separa las líneas.
    auto limpio = [](std::string s) {
        while (!s.empty() && s.back() == '\n') s.pop_back();
        return s;
    };
    campo(os, "entrada:   ", limpio(informe.entrada));
    campo(os, "esperado:  ", limpio(informe.esperado));
    campo(os, "observado: ", limpio(informe.observado));
    campo(os, "pista:     ", limpio(informe.pista));
    campo(os, "dónde leer: ", informe.leer.texto(etapa));
    return os.str();
}

namespace {

/// El nombre simbólico que conoce la biblioteca C («ENAMETOOLONG»), o nullptr. Su texto
/// (strerror) está en inglés: no se usa.
const char* nombre_errno_libc(int error) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
    return strerrorname_np(error);
#else
    (void)error;
    return nullptr;
#endif
}

}  // namespace

std::string nombre_errno(int error) {
    if (const auto* e = buscar_errno(error)) return e->nombre;
    if (const char* n = nombre_errno_libc(error)) return n;
    return "errno " + std::to_string(error);
}

std::string texto_errno(int error) {
    if (const auto* e = buscar_errno(error)) return std::string(e->texto) + " (" + e->nombre + ")";
    if (const char* n = nombre_errno_libc(error))
        return std::string("error ") + n + " (errno " + std::to_string(error) + ")";
    return "error desconocido (errno " + std::to_string(error) + ")";
}

std::string nombre_senal(int senal) {
    struct {
        int numero;
        const char* nombre;
    } static const kSenales[] = {
        {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},       {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},
        {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},     {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
        {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"},     {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
        {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"},     {SIGTERM, "SIGTERM"}, {SIGCHLD, "SIGCHLD"},
        {SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"},     {SIGTSTP, "SIGTSTP"}, {SIGTTIN, "SIGTTIN"},
        {SIGTTOU, "SIGTTOU"}, {SIGURG, "SIGURG"},       {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
        {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"}, {SIGIO, "SIGIO"},
        {SIGSYS, "SIGSYS"},
    };
    for (const auto& s : kSenales)
        if (s.numero == senal) return s.nombre;
    return "señal " + std::to_string(senal);
}

std::string nombre_familia(long familia) {
    switch (familia) {
        case AF_UNSPEC: return "AF_UNSPEC";
        case AF_UNIX: return "AF_UNIX";
        case AF_INET: return "AF_INET";
        case AF_INET6: return "AF_INET6";
        case AF_NETLINK: return "AF_NETLINK";
        case AF_PACKET: return "AF_PACKET";
        default: return "familia " + std::to_string(familia);
    }
}

std::string nombre_tipo(long tipo) {
    std::string texto;
    switch (tipo & 0xf) {
        case SOCK_STREAM: texto = "SOCK_STREAM"; break;
        case SOCK_DGRAM: texto = "SOCK_DGRAM"; break;
        case SOCK_RAW: texto = "SOCK_RAW"; break;
        case SOCK_SEQPACKET: texto = "SOCK_SEQPACKET"; break;
        default: texto = "tipo " + std::to_string(tipo & 0xf); break;
    }
    if (tipo & SOCK_NONBLOCK) texto += "|SOCK_NONBLOCK";
    if (tipo & SOCK_CLOEXEC) texto += "|SOCK_CLOEXEC";
    return texto;
}

std::string pista_por_senal(const Fin& fin, const std::string& consejo) {
    if (fin.por_arnes)
        return "no terminó a tiempo: el arnés lo mató al vencer su plazo (no se estrelló); mira en "
               "«observado» en qué llamada estaba (¿espera algo que no llega, o da vueltas en un "
               "bucle?)";
    return "el programa se estrelló (" + nombre_senal(fin.senal) + "): " + consejo;
}

std::string Fin::texto() const {
    if (por_arnes) return "el arnés lo mató (" + nombre_senal(senal) + ")";
    if (por_senal) return "murió por la señal " + nombre_senal(senal);
    return "terminó con código " + std::to_string(codigo);
}

}  // namespace arnes
