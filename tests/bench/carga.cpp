/// \file carga.cpp
/// \brief sockets_carga: generador de carga de «./tutorial bench». Arranca varios servidores de
///        eco en 127.0.0.1 y los mide por turnos, en rondas intercaladas: conexiones por segundo,
///        latencia p50/p99, MiB/s de eco en una conexión y clientes atendidos a la vez, y con
///        todos esos clientes abiertos, cuántos procesos tiene el servidor y cuánta memoria usan.
///
/// Uso: sockets_carga [opciones] NOMBRE=ORDEN...
///   ORDEN es la ruta del servidor y sus argumentos separados por espacios. Si contiene
///   «{puerto}», se sustituye por un puerto libre y se espera a poder conectar; si no, se le añade
///   el argumento «0» y se lee el puerto de su línea «escuchando … puerto N».
/// Opciones (todas con valor por omisión):
///   --rondas=3 --conexiones=2000 --clientes=8 --mib=256 --abiertos=1000 --limite-s=150
///   --base=NOMBRE (con quién se comparan los demás; por omisión, el segundo) --dir=CARPETA (dónde
///   escribir bench.csv, bench.svg y los registros de los servidores; por omisión, «.»).
/// Sale con 0 si midió a todos, 1 si alguno no arrancó o no completó las conversaciones cortas
/// (la tabla sale igual, con «—»), 2 si los argumentos no valen.
#include "base/opciones.h"
#include "base/texto.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Reloj = std::chrono::steady_clock;

double segundos_desde(Reloj::time_point inicio) {
    return std::chrono::duration<double>(Reloj::now() - inicio).count();
}

/// Las opciones de la línea de órdenes.
struct Ajustes {
    int rondas = 3;
    int conexiones = 2000;  ///< Conexiones cortas por ronda (entre todos los clientes).
    int clientes = 8;       ///< Clientes a la vez en la prueba de conexiones.
    int mib = 256;          ///< MiB de eco en una sola conexión.
    int abiertos = 1000;    ///< Como mucho, clientes abiertos a la vez.
    int limite_s = 150;     ///< Tras este tiempo no empieza otra ronda.
    std::string base;
    std::string dir = ".";
};

/// Un servidor bajo medida: cómo se lanza y dónde escucha.
struct Servidor {
    std::string nombre;
    std::vector<std::string> orden;
    pid_t pid = -1;
    int puerto = 0;
    std::string problema;  ///< No vacío: no arrancó o dejó de responder (y por qué).
};

/// Lo medido a un servidor en una ronda (-1: no medido).
struct Medida {
    double conexiones_s = -1, p50_ms = -1, p99_ms = -1, mib_s = -1;
    int clientes = -1;
    int procesos = -1;     ///< Procesos del servidor con los clientes abiertos (su grupo).
    double memoria = -1;   ///< Su memoria entonces, en MiB (PSS: lo compartido, repartido).
    int fallidas = 0;  ///< Conversaciones cortas que fallaron (pocas: si no, no hay medida).
};

// --- sockets del cliente -----------------------------------------------------------------------

/// Conecta a 127.0.0.1:puerto esperando como mucho `plazo_ms`; -1 si no pudo.
int conectar(int puerto, int plazo_ms) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd == -1) return -1;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(puerto));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int r = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    if (r == -1 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        int error = ETIMEDOUT;
        socklen_t largo = sizeof error;
        if (poll(&p, 1, plazo_ms) == 1) getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &largo);
        r = error == 0 ? 0 : -1;
    }
    if (r == -1) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, 0);  // de vuelta a bloqueante
    timeval t{5, 0};         // ninguna lectura ni escritura espera más de 5 s
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &t, sizeof t);
    return fd;
}

bool enviar_todo(int fd, const char* datos, std::size_t n) {
    while (n > 0) {
        const ssize_t e = send(fd, datos, n, MSG_NOSIGNAL);
        if (e == -1 && errno == EINTR) continue;
        if (e <= 0) return false;
        datos += e;
        n -= static_cast<std::size_t>(e);
    }
    return true;
}

/// Una conversación corta como la del cliente de la lección 07: conecta, envía una línea, lee el
/// eco, shutdown(SHUT_WR), espera el fin de fichero y cierra. true si el eco fue exacto.
bool conversacion(int puerto, const std::string& linea) {
    const int fd = conectar(puerto, 3000);
    if (fd == -1) return false;
    bool bien = enviar_todo(fd, linea.data(), linea.size());
    std::string recibido;
    char bufer[256];
    while (bien && recibido.size() < linea.size()) {
        const ssize_t n = recv(fd, bufer, sizeof bufer, 0);
        if (n <= 0) bien = false;
        else recibido.append(bufer, static_cast<std::size_t>(n));
    }
    bien = bien && recibido == linea && shutdown(fd, SHUT_WR) == 0;
    while (bien) {  // hasta el fin de fichero del servidor
        const ssize_t n = recv(fd, bufer, sizeof bufer, 0);
        if (n == 0) break;
        if (n < 0) bien = false;
    }
    // La conversación ya terminó (los dos FIN): se cierra sin dejar el puerto en TIME_WAIT.
    // Decenas de miles de conexiones en un minuto agotarían los puertos efímeros, y reutilizar uno
    // en TIME_WAIT puede chocar con el socket del servidor aún en LAST_ACK (ECONNREFUSED).
    linger sin_espera{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &sin_espera, sizeof sin_espera);
    close(fd);
    return bien;
}

/// Antes de medir: ¿es un servidor de eco? Envía una línea terminada como una cabecera HTTP
/// («\r\n\r\n»: así también contesta un servidor web) y mira lo que vuelve. Devuelve "" si vuelve
/// el eco; si no, qué respondió.
std::string sonda_de_eco(int puerto) {
    const std::string linea = "sonda\r\n\r\n";
    const int fd = conectar(puerto, 3000);
    if (fd == -1) return "no acepta la conexión";
    std::string recibido;
    if (enviar_todo(fd, linea.data(), linea.size())) {
        char bufer[256];
        while (recibido.size() < linea.size()) {
            const ssize_t n = recv(fd, bufer, sizeof bufer, 0);  // 5 s como mucho (conectar())
            if (n <= 0) break;
            recibido.append(bufer, static_cast<std::size_t>(n));
        }
    }
    close(fd);
    if (recibido.compare(0, linea.size(), linea) == 0) return "";
    if (recibido.empty()) return "no devolvió nada";
    std::string muestra;
    for (char ch : recibido.substr(0, recibido.find('\n')))
        if (ch != '\r') muestra += ch;
    return "respondió «" + muestra + "»";
}

double percentil(std::vector<double> v, double p) {
    if (v.empty()) return -1;
    const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
    std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
    return v[i];
}

// --- las tres medidas --------------------------------------------------------------------------

/// Muchas conexiones cortas, `clientes` a la vez: conexiones/s y latencia de cada conversación.
bool medir_conexiones(int puerto, const Ajustes& a, Medida& m) {
    std::atomic<int> siguiente{0}, fallos{0};
    std::vector<std::vector<double>> latencias(static_cast<std::size_t>(a.clientes));
    const auto inicio = Reloj::now();
    std::vector<std::thread> hilos;
    for (int c = 0; c < a.clientes; ++c)
        hilos.emplace_back([&, c] {
            for (int i; (i = siguiente++) < a.conexiones && fallos < 10;) {
                const auto t0 = Reloj::now();
                if (conversacion(puerto, "hola " + std::to_string(i) + "\n"))
                    latencias[static_cast<std::size_t>(c)].push_back(segundos_desde(t0) * 1000);
                else
                    ++fallos;
            }
        });
    for (auto& h : hilos) h.join();
    const double t = segundos_desde(inicio);
    // Una máquina compartida puede rechazar alguna conexión suelta (puertos efímeros que chocan
    // con los de otros programas): se toleran 9; la décima es un fallo del servidor.
    if (fallos >= 10) return false;
    m.fallidas = fallos;
    std::vector<double> todas;
    for (auto& l : latencias) todas.insert(todas.end(), l.begin(), l.end());
    m.conexiones_s = static_cast<double>(a.conexiones) / t;
    m.p50_ms = percentil(todas, 0.50);
    m.p99_ms = percentil(todas, 0.99);
    return true;
}

/// `mib` MiB por una sola conexión, enviando y recibiendo a la vez; comprueba cada byte.
bool medir_eco(int puerto, const Ajustes& a, Medida& m) {
    const int fd = conectar(puerto, 3000);
    if (fd == -1) return false;
    std::vector<char> bloque(64 * 1024);
    for (std::size_t i = 0; i < bloque.size(); ++i) bloque[i] = static_cast<char>('a' + (i * 7) % 26);
    const std::size_t total = static_cast<std::size_t>(a.mib) * 1024 * 1024;
    const auto inicio = Reloj::now();
    std::thread escritor([&] {
        for (std::size_t enviados = 0; enviados < total; enviados += bloque.size())
            if (!enviar_todo(fd, bloque.data(), bloque.size())) return;
    });
    std::vector<char> bufer(bloque.size());
    std::size_t recibidos = 0;
    bool bien = true;
    while (bien && recibidos < total) {
        const ssize_t n = recv(fd, bufer.data(), bufer.size(), 0);
        if (n <= 0) break;
        // El byte número k del flujo es bloque[k % tamaño]: se compara por tramos del bloque.
        for (std::size_t i = 0; i < static_cast<std::size_t>(n);) {
            const std::size_t desde = (recibidos + i) % bloque.size();
            const std::size_t tramo = std::min(static_cast<std::size_t>(n) - i, bloque.size() - desde);
            bien = bien && std::memcmp(bufer.data() + i, bloque.data() + desde, tramo) == 0;
            i += tramo;
        }
        recibidos += static_cast<std::size_t>(n);
    }
    const double t = segundos_desde(inicio);
    shutdown(fd, SHUT_RDWR);  // despierta al escritor si se quedó esperando
    escritor.join();
    close(fd);
    if (!bien || recibidos < total) return false;
    m.mib_s = a.mib / t;
    return true;
}

/// Los procesos del grupo `grupo` (el servidor y sus hijos) y su memoria en MiB: la suma de su
/// PSS (/proc/PID/smaps_rollup), que reparte lo compartido entre quienes lo comparten.
std::pair<int, double> procesos_y_memoria(pid_t grupo) {
    int procesos = 0;
    double kib = 0;
    std::error_code e;
    for (const auto& entrada : std::filesystem::directory_iterator("/proc", e)) {
        const std::string nombre = entrada.path().filename();
        if (nombre.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entrada.path() / "stat");
        std::string linea;
        if (!std::getline(stat, linea)) continue;
        const auto cierre = linea.rfind(')');
        if (cierre == std::string::npos) continue;
        std::istringstream resto(linea.substr(cierre + 1));
        char estado = '?';
        long padre = 0, pgrp = 0;
        resto >> estado >> padre >> pgrp;
        if (pgrp != grupo || estado == 'Z') continue;
        ++procesos;
        std::ifstream smaps(entrada.path() / "smaps_rollup");
        for (std::string l; std::getline(smaps, l);)
            if (l.rfind("Pss:", 0) == 0) kib += std::stod(l.substr(4));
    }
    return {procesos, kib / 1024};
}

/// Abre hasta `abiertos` clientes (cada uno con su conexión abierta), y luego cada uno envía una
/// línea y espera su eco con todos abiertos: cuántos fueron atendidos a la vez. Con todos aún
/// abiertos, cuenta los procesos del servidor (grupo `grupo`) y su memoria.
void medir_abiertos(int puerto, pid_t grupo, const Ajustes& a, Medida& m) {
    std::vector<int> fds;
    const auto inicio = Reloj::now();
    while (static_cast<int>(fds.size()) < a.abiertos && segundos_desde(inicio) < 10) {
        const int fd = conectar(puerto, 2000);
        if (fd == -1) break;
        fds.push_back(fd);
    }
    std::vector<std::string> recibido(fds.size());
    std::vector<pollfd> esperando;
    for (std::size_t i = 0; i < fds.size(); ++i) {
        const std::string linea = "cliente " + std::to_string(i) + "\n";
        if (enviar_todo(fds[i], linea.data(), linea.size()))
            esperando.push_back({fds[i], POLLIN, 0});
    }
    std::map<int, std::size_t> indice;
    for (std::size_t i = 0; i < fds.size(); ++i) indice[fds[i]] = i;
    int atendidos = 0;
    const auto limite = Reloj::now() + std::chrono::seconds(10);
    while (!esperando.empty() && Reloj::now() < limite) {
        if (poll(esperando.data(), esperando.size(), 500) <= 0) continue;
        for (auto& p : esperando) {
            if (p.revents == 0) continue;
            const std::size_t i = indice[p.fd];
            char bufer[64];
            const ssize_t n = recv(p.fd, bufer, sizeof bufer, MSG_DONTWAIT);
            if (n > 0) recibido[i].append(bufer, static_cast<std::size_t>(n));
            if (n == 0 || (n < 0 && errno != EAGAIN) || (n > 0 && recibido[i].back() == '\n')) {
                if (recibido[i] == "cliente " + std::to_string(i) + "\n") ++atendidos;
                p.fd = -1;
            }
        }
        esperando.erase(std::remove_if(esperando.begin(), esperando.end(),
                                       [](const pollfd& p) { return p.fd == -1; }),
                        esperando.end());
    }
    const auto [procesos, memoria] = procesos_y_memoria(grupo);
    m.procesos = procesos;
    m.memoria = memoria;
    for (int fd : fds) close(fd);
    m.clientes = atendidos;
}

// --- arrancar y parar servidores ---------------------------------------------------------------

int puerto_libre() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t largo = sizeof a;
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &largo);
    close(fd);
    return ntohs(a.sin_port);
}

/// Lanza el servidor en su propio grupo de procesos, con stdout y stderr en DIR/NOMBRE.log (un
/// fichero: nadie tiene que leerlo mientras tanto), y espera a saber su puerto (5 s como mucho).
void arrancar(Servidor& s, const Ajustes& a) {
    const std::string registro = a.dir + "/" + s.nombre + ".log";
    std::vector<std::string> args = s.orden;
    bool fijo = false;
    for (auto& x : args) {
        const auto p = x.find("{puerto}");
        if (p == std::string::npos) continue;
        if (s.puerto == 0) s.puerto = puerto_libre();
        x.replace(p, 8, std::to_string(s.puerto));
        fijo = true;
    }
    if (!fijo) args.push_back("0");
    unlink(registro.c_str());  // que no se lea el puerto de una ejecución anterior
    s.pid = fork();
    if (s.pid == 0) {
        setpgid(0, 0);
        const int fd = open(registro.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        std::vector<char*> argv;
        for (auto& x : args) argv.push_back(x.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        std::perror("execv");
        _exit(127);
    }
    setpgid(s.pid, s.pid);
    const auto inicio = Reloj::now();
    static const std::regex patron("escuchando.*puerto ([0-9]+)");
    while (segundos_desde(inicio) < 5) {
        if (waitpid(s.pid, nullptr, WNOHANG) == s.pid) {
            s.pid = -1;
            s.problema = "terminó al arrancar (mira " + registro + ")";
            return;
        }
        if (fijo) {
            const int fd = conectar(s.puerto, 100);
            if (fd != -1) {  // escucha: esta conexión de prueba se cierra sin enviar nada
                close(fd);
                return;
            }
        } else {
            std::ifstream f(registro);
            std::smatch m;
            for (std::string linea; std::getline(f, linea);)
                if (std::regex_search(linea, m, patron)) {
                    s.puerto = std::stoi(m[1]);
                    return;
                }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    s.problema = "no llegó a escuchar en 5 s (mira " + registro + ")";
}

/// Para el grupo entero (SIGTERM, y SIGKILL si en 1 s no terminó) y recoge al servidor.
void parar(Servidor& s) {
    if (s.pid <= 0) return;
    kill(-s.pid, SIGTERM);
    const auto inicio = Reloj::now();
    while (waitpid(s.pid, nullptr, WNOHANG) == 0 && segundos_desde(inicio) < 1)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kill(-s.pid, SIGKILL);
    waitpid(s.pid, nullptr, 0);
    s.pid = -1;
}

// --- informe -----------------------------------------------------------------------------------

double mediana(const std::vector<Medida>& v, double Medida::*campo) {
    std::vector<double> x;
    for (const auto& m : v)
        if (m.*campo >= 0) x.push_back(m.*campo);
    if (x.empty()) return -1;
    std::sort(x.begin(), x.end());
    return x.size() % 2 ? x[x.size() / 2] : (x[x.size() / 2 - 1] + x[x.size() / 2]) / 2;
}

std::string cifra(double v, int decimales) {
    if (v < 0) return "—";
    std::ostringstream o;
    o << std::fixed << std::setprecision(decimales) << v;
    return o.str();
}

/// Para el CSV: vacío si no se midió.
std::string dato(double v, int decimales) { return v < 0 ? std::string() : cifra(v, decimales); }

std::string razon(double v, double base) {
    if (v < 0 || base <= 0) return "";
    std::ostringstream o;
    o << " (×" << std::fixed << std::setprecision(2) << v / base << ")";
    return o.str();
}

using base::ancho;  // ancho en pantalla de un texto UTF-8 (caracteres, no bytes)
std::string a_la_izquierda(const std::string& s, std::size_t n) { return s + std::string(n > ancho(s) ? n - ancho(s) : 0, ' '); }
std::string a_la_derecha(const std::string& s, std::size_t n) { return std::string(n > ancho(s) ? n - ancho(s) : 0, ' ') + s; }

struct Resumen {
    std::string nombre;
    double conexiones_s, p50_ms, p99_ms, mib_s, clientes, procesos, memoria;
};

/// Barras horizontales de una magnitud, una por servidor, con su cifra.
void panel(std::ostream& o, const std::vector<Resumen>& r, double Resumen::*campo,
           const std::string& titulo, int y0) {
    double maximo = 0;
    for (const auto& x : r) maximo = std::max(maximo, x.*campo);
    o << "<text x='10' y='" << y0 << "' font-weight='bold'>" << titulo << "</text>\n";
    const char* colores[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1"};
    for (std::size_t i = 0; i < r.size(); ++i) {
        const int y = y0 + 10 + static_cast<int>(i) * 24;
        const double v = r[i].*campo;
        const int largo = maximo > 0 && v > 0 ? static_cast<int>(std::lround(420 * v / maximo)) : 0;
        o << "<text x='150' y='" << y + 15 << "' text-anchor='end'>" << r[i].nombre << "</text>"
          << "<rect x='160' y='" << y << "' width='" << largo << "' height='20' fill='"
          << colores[i % 5] << "'/>"
          << "<text x='" << 166 + largo << "' y='" << y + 15 << "'>"
          << (v < 0 ? std::string("sin medir") : cifra(v, v < 100 && v != std::floor(v) ? 1 : 0))
          << "</text>\n";
    }
}

void escribir_svg(const std::string& ruta, const std::vector<Resumen>& r, const Ajustes& a) {
    const int alto_panel = 30 + static_cast<int>(r.size()) * 24;
    std::ofstream o(ruta);
    o << "<svg xmlns='http://www.w3.org/2000/svg' width='680' height='" << 40 + 4 * alto_panel
      << "' font-family='sans-serif' font-size='13'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n"
      << "<text x='10' y='20' font-size='15'>Servidores de eco en 127.0.0.1 (mediana de "
      << a.rondas << " rondas intercaladas)</text>\n";
    panel(o, r, &Resumen::conexiones_s, "Conexiones por segundo (" + std::to_string(a.clientes) + " clientes a la vez)", 50);
    panel(o, r, &Resumen::mib_s, "Eco en una conexión (MiB/s)", 50 + alto_panel);
    panel(o, r, &Resumen::clientes, "Clientes atendidos a la vez (de " + std::to_string(a.abiertos) + ")", 50 + 2 * alto_panel);
    panel(o, r, &Resumen::memoria, "Memoria con esos clientes abiertos (MiB)", 50 + 3 * alto_panel);
    o << "</svg>\n";
}

int uso(const std::string& problema) {
    std::cerr << "sockets_carga: " << problema << "\n"
              << "uso: sockets_carga [--rondas=N] [--conexiones=N] [--clientes=N] [--mib=N] "
                 "[--abiertos=N] [--limite-s=N] [--base=NOMBRE] [--dir=CARPETA] NOMBRE=ORDEN...\n";
    return 2;
}

/// Lee las opciones (base/opciones.h) y los servidores (NOMBRE=ORDEN). 0 si bien; si no, el
/// código de salida.
int leer_argumentos(int argc, char** argv, Ajustes& a, std::vector<Servidor>& servidores) {
    base::Opciones o;
    std::string error;
    if (!base::leer_opciones(argc, argv,
                             {{"rondas", true}, {"conexiones", true}, {"clientes", true}, {"mib", true},
                              {"abiertos", true}, {"limite-s", true}, {"base", true}, {"dir", true}},
                             o, error, /*resto_libre=*/true))
        return uso(error);
    const std::map<std::string, int*> enteros{{"rondas", &a.rondas},     {"conexiones", &a.conexiones},
                                              {"clientes", &a.clientes}, {"mib", &a.mib},
                                              {"abiertos", &a.abiertos}, {"limite-s", &a.limite_s}};
    for (const auto& [clave, destino] : enteros) {
        if (!o.hay(clave)) continue;
        try {
            *destino = std::stoi(o.valor(clave));
        } catch (const std::exception&) {
            return uso("--" + clave + " espera un número");
        }
        if (*destino < 1) return uso("--" + clave + " debe ser al menos 1");
    }
    a.base = o.valor("base", a.base);
    a.dir = o.valor("dir", a.dir);
    for (const auto& x : o.resto) {
        const auto igual = x.find('=');
        if (igual == std::string::npos) return uso("«" + x + "» no es NOMBRE=ORDEN ni --opción=valor");
        Servidor s;
        s.nombre = x.substr(0, igual);
        std::istringstream palabras(x.substr(igual + 1));
        for (std::string p; palabras >> p;) s.orden.push_back(p);
        if (s.orden.empty()) return uso("falta la orden de " + s.nombre);
        servidores.push_back(s);
    }
    if (servidores.empty()) return uso("falta algún servidor que medir");
    return 0;
}

/// Arranca cada servidor y comprueba que es de eco (si no, queda su problema).
void arrancar_todos(std::vector<Servidor>& servidores, const Ajustes& a) {
    std::error_code error;
    std::filesystem::create_directories(a.dir, error);
    for (auto& s : servidores) {
        arrancar(s, a);
        if (s.problema.empty()) {
            const std::string respuesta = sonda_de_eco(s.puerto);
            if (respuesta.rfind("respondió", 0) == 0)  // habla, pero no devuelve lo recibido
                s.problema = "no es un servidor de eco (a una línea " + respuesta +
                             "): bench solo mide servidores de eco";
        }
        if (!s.problema.empty()) std::cout << "⚠ " << s.nombre << ": " << s.problema << "\n";
    }
}

/// Las rondas de medidas de cada servidor.
std::map<std::string, std::vector<Medida>> medir_rondas(std::vector<Servidor>& servidores, Ajustes& a) {
    // Rondas intercaladas: cada medida pasa por todos los servidores antes de la siguiente, así
    // una racha de carga en la máquina afecta a todos por igual.
    std::map<std::string, std::vector<Medida>> medidas;
    const auto inicio = Reloj::now();
    int hechas = 0;
    for (int r = 1; r <= a.rondas; ++r) {
        if (r > 1 && segundos_desde(inicio) > a.limite_s) {
            std::cout << "(límite de " << a.limite_s << " s: me quedo en " << hechas << " rondas)\n";
            break;
        }
        std::cout << "ronda " << r << " de " << a.rondas << "…" << std::endl;
        std::map<std::string, Medida> ronda;
        for (int paso = 0; paso < 3; ++paso)
            for (auto& s : servidores) {
                if (!s.problema.empty()) continue;
                Medida& m = ronda[s.nombre];
                const std::string registro = " (mira " + a.dir + "/" + s.nombre + ".log)";
                if (paso == 0 && !medir_conexiones(s.puerto, a, m))
                    s.problema = "no completó las conversaciones cortas: ¿atiende a más de un "
                                 "cliente, uno tras otro?" + registro;
                if (paso == 1 && !medir_eco(s.puerto, a, m))  // esa ronda queda sin cifra de eco
                    std::cout << "⚠ " << s.nombre << ": en la ronda " << r << ", el eco de " << a.mib
                              << " MiB no volvió entero y exacto (se paró 5 s o llegó distinto)"
                              << registro << "\n";
                if (paso == 2) medir_abiertos(s.puerto, s.pid, a, m);
                if (!s.problema.empty()) std::cout << "⚠ " << s.nombre << ": " << s.problema << "\n";
            }
        for (auto& [nombre, m] : ronda) medidas[nombre].push_back(m);
        ++hechas;
    }
    a.rondas = hechas;
    return medidas;
}


/// La tabla de medianas en la consola; devuelve el resumen (para el SVG).
std::vector<Resumen> tabla(const std::vector<Servidor>& servidores, std::map<std::string, std::vector<Medida>>& medidas,
                           const Ajustes& a) {
    // La tabla (medianas de las rondas).
    std::vector<Resumen> resumen;
    for (const auto& s : servidores) {
        const auto& v = medidas[s.nombre];
        resumen.push_back({s.nombre, mediana(v, &Medida::conexiones_s), mediana(v, &Medida::p50_ms),
                           mediana(v, &Medida::p99_ms), mediana(v, &Medida::mib_s), -1,
                           -1, mediana(v, &Medida::memoria)});
        std::vector<double> p;
        for (const auto& m : v)
            if (m.procesos >= 0) p.push_back(m.procesos);
        if (!p.empty()) resumen.back().procesos = *std::max_element(p.begin(), p.end());
        std::vector<double> c;
        for (const auto& m : v)
            if (m.clientes >= 0) c.push_back(m.clientes);
        if (!c.empty()) resumen.back().clientes = *std::min_element(c.begin(), c.end());
    }
    const Resumen* base = nullptr;
    for (const auto& r : resumen)
        if (r.nombre == a.base) base = &r;
    std::size_t n = 8;
    for (const auto& r : resumen) n = std::max(n, ancho(r.nombre));
    std::cout << "\n" << a_la_izquierda("servidor", n) << "  " << a_la_derecha("conexiones/s", 20)
              << a_la_derecha("p50 ms", 8) << a_la_derecha("p99 ms", 8)
              << a_la_derecha("eco MiB/s", 18) << a_la_derecha("a la vez", 10)
              << a_la_derecha("procesos", 10) << a_la_derecha("MiB", 8) << "\n";
    for (const auto& r : resumen)
        std::cout << a_la_izquierda(r.nombre, n) << "  "
                  << a_la_derecha(cifra(r.conexiones_s, 0) + razon(r.conexiones_s, base ? base->conexiones_s : -1), 20)
                  << a_la_derecha(cifra(r.p50_ms, 2), 8) << a_la_derecha(cifra(r.p99_ms, 2), 8)
                  << a_la_derecha(cifra(r.mib_s, 0) + razon(r.mib_s, base ? base->mib_s : -1), 18)
                  << a_la_derecha(cifra(r.clientes, 0), 10) << a_la_derecha(cifra(r.procesos, 0), 10)
                  << a_la_derecha(cifra(r.memoria, 1), 8) << "\n";
    std::cout << "\nMediana de " << a.rondas << " rondas intercaladas; (×N) = frente a «" << a.base
              << "». Cada ronda: " << a.conexiones << " conexiones cortas de una línea con "
              << a.clientes << " clientes a la vez, " << a.mib << " MiB de eco en una conexión y "
              << "hasta " << a.abiertos << " clientes abiertos a la vez («a la vez»: los atendidos "
              << "en la peor ronda; «procesos» y «MiB»: los del servidor con todos ellos abiertos, "
              << "memoria PSS).\n";

    for (const auto& s : servidores) {
        int fallidas = 0;
        for (const auto& m : medidas[s.nombre]) fallidas += m.fallidas;
        if (fallidas > 0)
            std::cout << "Nota: " << s.nombre << " no completó " << fallidas
                      << (fallidas == 1 ? " conversación corta" : " conversaciones cortas")
                      << " (se toleran unas pocas por ronda).\n";
    }

    return resumen;
}

/// El CSV con cada ronda.
void escribir_csv(const std::vector<Servidor>& servidores, std::map<std::string, std::vector<Medida>>& medidas,
                  const Ajustes& a) {
    std::ofstream csv(a.dir + "/bench.csv");
    csv << "servidor,ronda,conexiones_s,p50_ms,p99_ms,eco_mib_s,clientes_a_la_vez,procesos,memoria_mib,fallidas\n";
    for (const auto& s : servidores) {
        int r = 0;
        for (const auto& m : medidas[s.nombre])
            csv << s.nombre << "," << ++r << "," << dato(m.conexiones_s, 1) << "," << dato(m.p50_ms, 3)
                << "," << dato(m.p99_ms, 3) << "," << dato(m.mib_s, 1) << "," << dato(m.clientes, 0) << ","
                << dato(m.procesos, 0) << "," << dato(m.memoria, 1) << "," << m.fallidas << "\n";
    }
}

}  // namespace

int main(int argc, char* argv[]) {
    Ajustes a;
    std::vector<Servidor> servidores;
    if (const int codigo = leer_argumentos(argc, argv, a, servidores); codigo != 0) return codigo;
    if (a.base.empty()) a.base = servidores[std::min<std::size_t>(1, servidores.size() - 1)].nombre;
    a.abiertos = std::min(a.abiertos, 5000);

    // Cada cliente abierto es un descriptor: sube el límite blando hasta el duro si hace falta.
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
    if (lim.rlim_cur < static_cast<rlim_t>(a.abiertos) + 64)
        a.abiertos = static_cast<int>(lim.rlim_cur) - 64;
    signal(SIGPIPE, SIG_IGN);

    arrancar_todos(servidores, a);

    auto medidas = medir_rondas(servidores, a);
    for (auto& s : servidores) parar(s);
    const std::vector<Resumen> resumen = tabla(servidores, medidas, a);
    escribir_csv(servidores, medidas, a);
    escribir_svg(a.dir + "/bench.svg", resumen, a);
    std::cout << "Datos: " << a.dir << "/bench.csv · gráfica: " << a.dir << "/bench.svg\n";

    bool bien = true;
    for (const auto& s : servidores) bien = bien && s.problema.empty();
    return bien ? 0 : 1;
}
