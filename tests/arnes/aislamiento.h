/// \file aislamiento.h
/// \brief El aislamiento de un programa lanzado (aislamiento.cpp): sus ficheros propios
///        (Opciones::ficheros) y, cuando corrige el corrector, lo que no debe ver ni tocar.
///        Detalle interno del arnés.
///
/// El lanzador (lanzamiento.cpp) lo usa en dos tiempos: antes de fork prepara todo lo que
/// necesita memoria (preparar_aislamiento(), Montajes), y en el hijo, entre fork y execve, solo
/// llama a aislar(), que usa llamadas seguras tras fork. ComoAlumno lo usan quienes leen el /proc
/// de un programa (higiene, trazador, atascos).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace arnes {

/// Lee una vez lo que pide el corrector (SOCKETS_OCULTAR, SOCKETS_USUARIO): antes de fork, porque
/// el hijo no puede reservar memoria.
void preparar_aislamiento();

/// Los ficheros propios de un programa (Opciones::ficheros), ya escritos antes de fork en
/// ficheros temporales: cada temporal se monta encima de su ruta en el hijo. Los temporales se
/// borran al destruirse (el montaje conserva el contenido mientras el programa lo use).
struct Montajes {
    std::vector<std::pair<std::string, std::string>> pares;  ///< {temporal, ruta del sistema}
    std::string mapa_uid, mapa_gid;
    bool error = false;  ///< No se pudo escribir algún temporal.
    std::string aviso;   ///< Para el hijo, si falta una ruta: no hay dónde montar su fichero.
    explicit Montajes(const std::vector<std::pair<std::string, std::string>>& ficheros);
    ~Montajes();
    Montajes(const Montajes&) = delete;
    Montajes& operator=(const Montajes&) = delete;
};

/// En el hijo, entre fork y execve: sus ficheros propios y, si corrige el corrector, el
/// aislamiento: tmpfs encima de cada ruta (arenero) o el usuario del alumno (contenedor). false si
/// algo falla (y entonces el programa no debe ejecutarse). Solo llamadas seguras tras fork.
bool aislar(const Montajes& montajes);

/// En el modo contenedor del corrector (SOCKETS_USUARIO), los programas corren con el uid del
/// alumno y el arnés (root, sin CAP_SYS_PTRACE) no puede leer su /proc: mientras exista, este
/// hilo usa el uid y el gid del alumno para los ficheros (setfsuid/setfsgid). Fuera de ese modo
/// no hace nada.
/// Con kTambienReal, además el uid y el gid reales del hilo (el efectivo sigue siendo root): lo
/// exigen pidfd_getfd() y process_vm_readv(). Mientras dure, un proceso del alumno podría
/// mandar una señal a ese hilo (tgkill): solo se usa en una llamada, y a lo sumo el alumno
/// estropea su propia prueba.
class ComoAlumno {
public:
    enum Alcance { kFicheros, kTambienReal };
    explicit ComoAlumno(Alcance alcance = kFicheros);
    ~ComoAlumno();
    ComoAlumno(const ComoAlumno&) = delete;
    ComoAlumno& operator=(const ComoAlumno&) = delete;

private:
    bool cambiado_ = false, real_ = false;
};

}  // namespace arnes
