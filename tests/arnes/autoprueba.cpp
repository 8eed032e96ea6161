/// \file autoprueba.cpp
/// \brief Pruebas del propio arnés, con herramientas del sistema (/bin/sh, /bin/cat) y con el
///        programa `muestra` (tests/arnes/muestra.cpp).
#include "arnes/arnes.h"
#include "arnes/interno.h"

#include <gtest/gtest-spi.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

using namespace arnes;
using namespace std::chrono_literals;

namespace {

const std::string kMuestra = ARNES_MUESTRA;  // ruta del programa de muestra (CMake)

/// Opciones sin traza, para lo que no necesita ptrace (más rápido).
Opciones sin_traza() {
    Opciones o;
    o.trazar = false;
    return o;
}

/// ¿Existe aún el proceso (vivo o zombi)?
bool existe(pid_t pid) { return access(("/proc/" + std::to_string(pid)).c_str(), F_OK) == 0; }

/// Espera (sondeando: el núcleo no avisa) a que `condicion` se cumpla, como mucho `plazo`.
template <class F>
bool hasta_que(F condicion, Ms plazo = 2000ms) {
    const auto fin = std::chrono::steady_clock::now() + plazo;
    while (!condicion()) {
        if (std::chrono::steady_clock::now() > fin) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

}  // namespace

// --- informes ---

// El informe tiene exactamente el formato acordado, con las líneas siguientes sangradas.
TEST(Informe, TieneElFormatoExacto) {
    const Etapa& etapa = etapas::k02;
    std::string texto = redactar(etapa, Informe{"servidor 0", "bind() con el puerto 5000",
                                                "línea uno\nlínea dos", "usa htons()", {}});
    EXPECT_EQ(texto,
              "✗ Etapa 02 · bind\n"
              "  entrada:   servidor 0\n"
              "  esperado:  bind() con el puerto 5000\n"
              "  observado: línea uno\n"
              "             línea dos\n"
              "  pista:     usa htons()\n"
              "  dónde leer: docs/02_bind.md");
}

// Los campos vacíos no aparecen y `leer` cita la sección y el manual en lugar de la página.
TEST(Informe, OmiteLosCamposVacios) {
    EXPECT_EQ(redactar(etapas::k07, Informe{"", "", "algo", "", {secciones::l07_hijo, "man 2 fork"}}),
              "✗ Etapa 07 · fork\n  observado: algo\n"
              "  dónde leer: docs/07_fork.md, sección «Un hijo por cliente»; man 2 fork");
}

// Los nombres legibles de errno, señales, familias y tipos.
TEST(Informe, NombraErroresSenalesFamiliasYTipos) {
    EXPECT_EQ(texto_errno(ECONNREFUSED), "conexión rechazada (ECONNREFUSED)");
    EXPECT_EQ(texto_errno(EADDRINUSE), "la dirección ya está en uso (EADDRINUSE)");
    EXPECT_EQ(texto_errno(ENAMETOOLONG), "error ENAMETOOLONG (errno " +
                                             std::to_string(ENAMETOOLONG) + ")");  // sin inglés
    EXPECT_EQ(texto_errno(4000), "error desconocido (errno 4000)");
    EXPECT_EQ(nombre_senal(SIGPIPE), "SIGPIPE");
    EXPECT_EQ(nombre_familia(AF_INET), "AF_INET");
    EXPECT_EQ(nombre_familia(99), "familia 99");
    EXPECT_EQ(nombre_tipo(SOCK_STREAM), "SOCK_STREAM");
    EXPECT_EQ(nombre_tipo(SOCK_STREAM | SOCK_CLOEXEC), "SOCK_STREAM|SOCK_CLOEXEC");
    EXPECT_EQ((Fin{false, 1, 0, false}).texto(), "terminó con código 1");
    EXPECT_EQ((Fin{true, 0, SIGPIPE, false}).texto(), "murió por la señal SIGPIPE");
}

// Un programa que el arnés mató al vencer su plazo no «se estrelló»: la pista lo distingue de
// una señal de verdad (SIGSEGV) y no le manda a buscar el fallo con gdb.
TEST(Informe, UnMatadoPorElPlazoNoSeEstrello) {
    const std::string plazo = pista_por_senal(Fin{true, 0, SIGKILL, true}, "busca el fallo con gdb");
    EXPECT_EQ(plazo.rfind("no terminó a tiempo: el arnés lo mató al vencer su plazo", 0), 0u) << plazo;
    EXPECT_EQ(plazo.find("gdb"), std::string::npos) << plazo;
    EXPECT_EQ(pista_por_senal(Fin{true, 0, SIGSEGV, false}, "busca el fallo con gdb"),
              "el programa se estrelló (SIGSEGV): busca el fallo con gdb");
}

// Las llamadas salen con el nombre que escribe el alumno (waitpid, _exit, fork, sigaction) y,
// detrás, el que ve el núcleo (wait4, exit_group, clone, rt_sigaction).
TEST(Informe, LasLlamadasLlevanElNombreQueEscribeElAlumno) {
    Llamada w;
    w.nombre = "wait4";
    w.args = {-1, 0, WNOHANG, 0, 0, 0};
    w.terminada = true;
    w.resultado = 1234;
    EXPECT_EQ(w.texto(), "waitpid(-1, …, WNOHANG) = 1234 (wait4 en el núcleo)");
    Llamada e;
    e.nombre = "exit_group";
    e.args = {1, 0, 0, 0, 0, 0};
    EXPECT_EQ(e.texto(), "_exit(1) (exit_group en el núcleo)");
    Llamada f;
    f.nombre = "clone";
    f.args = {SIGCHLD, 0, 0, 0, 0, 0};
    f.terminada = true;
    f.resultado = 77;
    EXPECT_EQ(f.texto(), "fork() = 77 (clone en el núcleo)");
    Llamada s;
    s.nombre = "rt_sigaction";
    s.args = {SIGCHLD, 1, 0, 8, 0, 0};
    s.terminada = true;
    EXPECT_EQ(s.texto(), "sigaction(SIGCHLD, …) = 0 (rt_sigaction en el núcleo)");
}

// --- datos legibles (UTF-8) ---

namespace {
/// Una llamada de escritura ya terminada, con los datos que guardó la traza.
Llamada escritura(std::string datos, long resultado) {
    Llamada l;
    l.nombre = "write";
    l.args = {1, 0, resultado, 0, 0, 0};
    l.terminada = true;
    l.resultado = resultado;
    l.datos = std::move(datos);
    return l;
}
}  // namespace

// El UTF-8 válido pasa tal cual; solo se escapan los bytes de control y los inválidos.
TEST(Visible, DejaElUtf8ValidoYEscapaControlesEInvalidos) {
    EXPECT_EQ(visible("conexión cerrada\n"), "«conexión cerrada\\n»");
    EXPECT_EQ(visible("ñandú € 𝄞"), "«ñandú € 𝄞»");
    EXPECT_EQ(visible("a\tb\r\x01\x7f"), "«a\\tb\\r\\x01\\x7f»");
    EXPECT_EQ(visible("\xff" "a\xc3"), "«\\xffa\\xc3»");            // suelto y cortado al final
    EXPECT_EQ(visible("\xc0\xaf"), "«\\xc0\\xaf»");                  // sobrelarga
    EXPECT_EQ(visible("\xed\xa0\x80"), "«\\xed\\xa0\\x80»");         // suplente
    EXPECT_EQ(visible("\xf4\x90\x80\x80"), "«\\xf4\\x90\\x80\\x80»");  // más allá de U+10FFFF
    EXPECT_EQ(visible("\xc3(b"), "«\\xc3(b»");                       // continuación que no lo es
    EXPECT_EQ(visible("\xc2\x85"), "«\\u0085»");                     // control C1
}

// Al recortar se cuentan caracteres, no bytes: nunca se parte uno.
TEST(Visible, RecortaSinPartirCaracteres) {
    EXPECT_EQ(visible("ñññññ", 3), "«ñññ…» (10 bytes)");
    EXPECT_EQ(visible("ñññ", 3), "«ñññ»");
    EXPECT_EQ(visible("x", 0), "«…» (1 byte)");
}

// La traza muestra los datos como strace, pero con el UTF-8 válido legible.
TEST(Traza, LosDatosSeMuestranEnUtf8) {
    EXPECT_EQ(escritura("conexión\n", 10).texto(), "write(1, \"conexión\\n\", 10) = 10");
    EXPECT_EQ(escritura("di \"sí\"\\", 9).texto(), "write(1, \"di \\\"sí\\\"\\\\\", 9) = 9");
    EXPECT_EQ(escritura("ab\xc3", 3).texto(), "write(1, \"ab\\xc3\", 3) = 3");  // inválido de verdad
    EXPECT_EQ(escritura("\x01\xfe", 2).texto(), "write(1, \"\\x01\\xfe\", 2) = 2");
}

// Cortar a 40 caracteres o quedarse con los primeros bytes no parte ningún carácter.
TEST(Traza, LosDatosRecortadosNoPartenCaracteres) {
    const std::string a39(39, 'a');
    EXPECT_EQ(escritura(a39 + "ñb", 42).texto(), "write(1, \"" + a39 + "ñ\"…, 42) = 42");
    // La traza guardó 3 de los 10 bytes: la «ñ» a medias no se muestra como \xc3.
    EXPECT_EQ(escritura("ab\xc3", 10).texto(), "write(1, \"ab\"…, 10) = 10");
    Llamada lectura = escritura("", 0);
    lectura.nombre = "read";
    EXPECT_EQ(lectura.texto(), "read(1, \"\", 0) = 0");
}

// --- lanzar, capturar, esperar ---

// stdout, stderr y el código de salida se capturan por separado.
TEST(Programa, CapturaSalidaErroresYCodigo) {
    Programa p("/bin/sh", {"-c", "echo hola; echo fallo >&2; exit 3"}, sin_traza());
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 3);
    EXPECT_FALSE(fin->por_senal);
    EXPECT_EQ(p.salida(), "hola\n");
    EXPECT_EQ(p.errores(), "fallo\n");
    EXPECT_EQ(p.orden(), "sh -c 'echo hola; echo fallo >&2; exit 3'");
}

// Un programa que no existe aparece terminado con código 127, sin excepciones.
TEST(Programa, UnProgramaInexistenteTerminaCon127) {
    Programa p("/no/existe", {});
    auto fin = p.esperar_fin(100ms);
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 127);
    EXPECT_NE(p.errores().find("no se puede ejecutar"), std::string::npos) << p.errores();
}

/// Descriptores abiertos ahora por el proceso de pruebas (de /proc/self/fd).
std::vector<int> mis_descriptores() {
    std::vector<int> r;
    for (const auto& entrada : std::filesystem::directory_iterator("/proc/self/fd"))
        r.push_back(std::stoi(entrada.path().filename().string()));
    std::sort(r.begin(), r.end());
    return r;
}

// Si un pipe2() del lanzamiento falla (aquí, por un RLIMIT_NOFILE bajo), el programa aparece
// terminado con 127 y no queda abierto ningún descriptor: ni los tubos que sí se abrieron antes.
TEST(Programa, SinDescriptoresNoSeLanzaNiDejaTubosAbiertos) {
#if defined(__SANITIZE_ADDRESS__)
    // Con ASan, el tope bajo de descriptores lo sufre también el runtime del sanitizador (en la
    // integración continua el proceso murió así una vez): la prueba corre en la pasada normal.
    GTEST_SKIP() << "con ASan el tope de descriptores afecta al propio sanitizador; esta prueba "
                    "se hace en la compilación normal";
#endif
    rlimit original{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
    const std::vector<int> antes = mis_descriptores();
    int fallos_tardios = 0;  // pipe2() falló con sitio para al menos un tubo antes
    // Con 9 descriptores libres caben el eventfd del Programa y los cuatro tubos: de ahí en
    // adelante ya no falla nada.
    for (int tope = static_cast<int>(antes.size());; ++tope) {
        // Descriptores libres por debajo del tope (el primero es para el eventfd del Programa).
        const long libres = tope - std::count_if(antes.begin(), antes.end(),
                                                 [tope](int fd) { return fd < tope; });
        if (libres > 9) break;
        std::string errores;
        {
            rlimit bajo = original;
            bajo.rlim_cur = static_cast<rlim_t>(tope);
            ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &bajo), 0);
            Programa p("/bin/true", {}, sin_traza());
            auto fin = p.esperar_fin();
            ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &original), 0);
            ASSERT_TRUE(fin) << "tope " << tope;
            errores = p.errores();
        }
        if (errores.find("pipe2() falló") != std::string::npos && libres >= 3) ++fallos_tardios;
        EXPECT_EQ(mis_descriptores(), antes) << "tope " << tope << ": " << errores;
    }
    EXPECT_GT(fallos_tardios, 0) << "ningún pipe2() falló después de abrir otro tubo";
}

// Un programa muy hablador no se bloquea: lo que pasa del tope se descarta y se cuenta.
TEST(Programa, LaSalidaTieneTope) {
    Opciones o = sin_traza();
    o.max_salida = 1000;
    Programa p(kMuestra, {"charlar", "3000000"}, o);
    auto fin = p.esperar_fin(3000ms);
    ASSERT_TRUE(fin) << p.resumen();
    EXPECT_EQ(fin->codigo, 0);
    EXPECT_EQ(p.salida().size(), 1000u);
    EXPECT_EQ(p.descartado(), 3000000u - 1000u);
}

// stdin llega al programa y cerrar_entrada() le da EOF; esperar_salida() da el grupo.
TEST(Programa, EntradaYEsperaDeSalida) {
    Programa p("/bin/cat", {}, sin_traza());
    p.escribir_entrada("escuchando en el puerto 4321 (cola de 5)\n");
    EXPECT_EQ(p.esperar_escucha(), 4321);
    auto eco = p.esperar_salida(std::regex("cola de ([0-9]+)"));
    ASSERT_TRUE(eco);
    EXPECT_EQ(*eco, "5");
    p.cerrar_entrada();
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 0);
    // stdout cerrado: la espera acaba en el acto, sin agotar el plazo.
    // (plazo de 30 s y margen amplio: una máquina cargada no la hace fallar)
    auto antes = std::chrono::steady_clock::now();
    EXPECT_FALSE(p.esperar_salida(std::regex("nunca"), 30000ms));
    EXPECT_LT(std::chrono::steady_clock::now() - antes, 15000ms);
}

// Al vencer el límite, el arnés mata al grupo entero (también a los nietos) y lo dice.
TEST(Programa, ElLimiteMataAlGrupoEntero) {
    Opciones o = sin_traza();
    o.limite = 3000ms;  // de sobra para lanzar los dos sleep aunque la máquina esté cargada
    Programa p("/bin/sh", {"-c", "sleep 30 & sleep 30 & echo listo; wait"}, o);
    ASSERT_TRUE(p.esperar_salida(std::regex("listo")));
    auto grupo = p.procesos_del_grupo();
    EXPECT_EQ(grupo.size(), 3u);
    auto fin = p.esperar_fin(20000ms);
    ASSERT_TRUE(fin);
    EXPECT_TRUE(fin->por_arnes);
    EXPECT_EQ(fin->senal, SIGKILL);
    EXPECT_NE(p.resumen().find("el arnés lo mató tras"), std::string::npos) << p.resumen();
    p.matar();
    EXPECT_TRUE(p.procesos_del_grupo().empty());
    for (pid_t q : grupo) EXPECT_FALSE(existe(q)) << q;
}

// El destructor no deja a nadie atrás, ni trazado ni sin trazar.
TEST(Programa, ElDestructorNoDejaANadie) {
    for (bool trazar : {false, true}) {
        std::vector<pid_t> grupo;
        {
            Opciones o;
            o.trazar = trazar;
            Programa p(kMuestra, {"hijos", "3", "dormir", "10000"}, o);
            ASSERT_TRUE(p.esperar_salida(std::regex("hijos listos"))) << p.resumen();
            grupo = p.procesos_del_grupo();
            EXPECT_EQ(grupo.size(), 4u);
        }
        for (pid_t q : grupo) EXPECT_FALSE(existe(q)) << q << (trazar ? " (trazado)" : "");
    }
}

// resumen() dice dónde está bloqueado un programa vivo.
TEST(Programa, ElResumenDiceDondeEstaBloqueado) {
    Programa p(kMuestra, {"socket", "bind", "0", "listen", "5", "accept"}, sin_traza());
    ASSERT_TRUE(p.esperar_escucha());
    ASSERT_TRUE(hasta_que([&] { return p.donde_esta().find("accept") != std::string::npos; }))
        << p.donde_esta();
    EXPECT_NE(p.resumen().find("el programa seguía vivo a los"), std::string::npos);
    EXPECT_NE(p.resumen().find("bloqueado en accept"), std::string::npos) << p.resumen();
}

// Con traza, el resumen de un programa que el límite mató dice en qué llamada estaba.
TEST(Programa, ElResumenDeUnMatadoDiceDondeEstaba) {
    // El límite deja tiempo de sobra para llegar a accept() aunque la máquina esté cargada y
    // el programa compilado con ASan (con 200 ms a veces seguía arrancando, en open()).
    Opciones o;
    o.limite = 5000ms;
    Programa p(kMuestra, {"socket", "bind", "0", "listen", "5", "accept"}, o);
    ARNES_REQUIERE_TRAZA(p);
    ASSERT_TRUE(hasta_que([&] { return p.donde_esta().find("accept") != std::string::npos; },
                          5000ms))
        << p.resumen();
    auto fin = p.esperar_fin(20000ms);
    ASSERT_TRUE(fin);
    EXPECT_TRUE(fin->por_arnes);
    EXPECT_EQ(fin->texto(), "el arnés lo mató (SIGKILL)");
    EXPECT_NE(p.resumen().find("el arnés lo mató tras "), std::string::npos) << p.resumen();
    EXPECT_NE(p.resumen().find("(límite de 5000 ms)"), std::string::npos) << p.resumen();
    EXPECT_NE(p.resumen().find("estaba bloqueado en accept(3, …)"), std::string::npos)
        << p.resumen();
}

// --- traza ---

// La traza ve socket/bind/listen y decodifica la dirección de bind().
TEST(Traza, VeLasLlamadasYLaDireccion) {
    int puerto = puerto_libre();
    Programa p(kMuestra, {"socket", "bind", std::to_string(puerto), "listen", "5"});
    ARNES_REQUIERE_TRAZA(p);
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    auto sockets = p.llamadas("socket");
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_EQ(sockets[0].args[0], AF_INET);
    EXPECT_EQ(sockets[0].texto(), "socket(AF_INET, SOCK_STREAM, 0) = 3");
    auto binds = p.llamadas("bind");
    ASSERT_EQ(binds.size(), 1u);
    ASSERT_TRUE(binds[0].direccion);
    EXPECT_EQ(binds[0].direccion->ip, "127.0.0.1");
    EXPECT_EQ(binds[0].direccion->puerto, puerto);
    EXPECT_EQ(binds[0].direccion->puerto_crudo, htons(static_cast<std::uint16_t>(puerto)));
    EXPECT_EQ(binds[0].texto(),
              "bind(3, {AF_INET, 127.0.0.1:" + std::to_string(puerto) + "}, 16) = 0");
    EXPECT_EQ(p.llamadas("listen").at(0).texto(), "listen(3, 5) = 0");
    EXPECT_EQ(p.llamadas("setsockopt").at(0).texto(),
              "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");  // el valor, si es un int
}

// Sin htons(), puerto_crudo es el número que el alumno quería.
TEST(Traza, PuertoCrudoDelataAQuienOlvidaHtons) {
    Programa p(kMuestra, {"socket", "bindcrudo", "5000"});
    ARNES_REQUIERE_TRAZA(p);
    auto bind = p.esperar_llamada("bind");
    ASSERT_TRUE(bind);
    ASSERT_TRUE(bind->direccion);
    EXPECT_EQ(bind->direccion->puerto_crudo, 5000);
    EXPECT_EQ(bind->direccion->puerto, ntohs(5000));
    // La pista del síntoma dice qué puerto vio bind() y cuál se pidió (5000 = 0x1388).
    EXPECT_EQ(pista_sin_htons(*bind, 5000).rfind("bind() recibió el puerto 0x8813 = 34835; "
                                                 "pediste 5000: falta htons()", 0),
              0u);
    EXPECT_EQ(pista_sin_htons(*bind, 34835), "");  // pidió 34835 con htons(): nada que decir
}

// retener_en() para a accept() a la entrada hasta soltar(); luego accept() decodifica al cliente.
TEST(Traza, RetieneYSueltaAccept) {
    Opciones o;
    o.retener_en = "accept|accept4";
    Programa p(kMuestra, {"socket", "bind", "0", "listen", "5", "accept"}, o);
    ARNES_REQUIERE_TRAZA(p);
    auto puerto = p.esperar_escucha();
    ASSERT_TRUE(puerto);
    ASSERT_TRUE(p.esperar_retenido()) << p.resumen();
    EXPECT_EQ(p.donde_esta(), "accept(3, …)");
    Conexion c1 = Conexion::conectar(*puerto);
    Conexion c2 = Conexion::conectar(*puerto);
    ASSERT_TRUE(c1.valida());
    ASSERT_TRUE(c2.valida());  // en la cola de listen() aunque nadie acepte
    EXPECT_TRUE(p.llamadas("accept|accept4").at(0).terminada == false);
    p.soltar();
    auto accept = p.esperar_llamada("accept|accept4");
    ASSERT_TRUE(accept) << p.resumen();
    EXPECT_GE(accept->resultado, 0);
    ASSERT_TRUE(accept->direccion);
    EXPECT_EQ(accept->direccion->ip, "127.0.0.1");
    EXPECT_EQ(accept->direccion->puerto, c1.local().puerto);
    EXPECT_TRUE(p.esperar_salida(std::regex("accept\\(\\): cliente")));
}

// escritura_maxima recorta los write() a sockets: el programa ve una escritura parcial.
TEST(Traza, EscrituraMaximaProvocaEscriturasParciales) {
    Escucha escucha;
    Opciones o;
    o.escritura_maxima = 1000;
    ARNES_REQUIERE_CAMBIOS();
    Programa p(kMuestra,
               {"socket", "conectar", std::to_string(escucha.puerto()), "escribir", "100000"}, o);
    ARNES_REQUIERE_TRAZA(p);
    Conexion c = escucha.aceptar();
    ASSERT_TRUE(c.valida());
    auto escritura = p.esperar_llamada(
        [](const Llamada& l) { return l.nombre == "write" && l.args[0] == 3; });
    ASSERT_TRUE(escritura) << p.resumen();
    EXPECT_EQ(escritura->args[2], 100000);
    EXPECT_EQ(escritura->resultado, 1000);
    EXPECT_EQ(escritura->datos, std::string(256, 'x'));
    EXPECT_TRUE(p.esperar_salida(std::regex("write\\(\\): 100000 -> 1000")));
    EXPECT_EQ(c.recibir_todo().size(), 1000u);
}

// Dos programas trazados a la vez en la misma prueba: cada trazador ve solo a los suyos.
TEST(Traza, DosProgramasTrazadosALaVez) {
    Programa servidor(kMuestra, {"socket", "bind", "0", "listen", "5", "accept", "eco"});
    ARNES_REQUIERE_TRAZA(servidor);
    auto puerto = servidor.esperar_escucha();
    ASSERT_TRUE(puerto);
    Programa cliente(kMuestra, {"socket", "conectar", std::to_string(*puerto), "escribir", "5"});
    ASSERT_TRUE(cliente.trazado());
    auto fin = cliente.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 0) << cliente.resumen();
    auto connect = cliente.llamadas("connect");
    ASSERT_EQ(connect.size(), 1u);
    EXPECT_EQ(connect[0].direccion->puerto, *puerto);
    auto fin_servidor = servidor.esperar_fin();
    ASSERT_TRUE(fin_servidor) << servidor.resumen();
    EXPECT_TRUE(cliente.llamadas("accept|accept4").empty());
    EXPECT_TRUE(servidor.llamadas("connect").empty());
    EXPECT_EQ(servidor.llamadas("accept|accept4").size(), 1u);
}

// cierres_tras() sin ningún close() dice hasta qué llamada llega lo observado (un close() posterior
// aún no se ha visto), no «(ninguno)» a secas.
TEST(Traza, SinCierresDiceHastaDondeLlegaLoObservado) {
    Programa p(kMuestra, {"socket", "bind", "0", "listen", "5", "accept"});
    ARNES_REQUIERE_TRAZA(p);
    auto escucha = p.esperar_llamada("listen");
    ASSERT_TRUE(escucha) << p.resumen();
    ASSERT_TRUE(p.esperar_llamada([](const Llamada& l) { return coincide_nombre("accept|accept4", l.nombre); },
                                  kPlazo, false))
        << p.resumen();
    const std::string t = cierres_tras(p, *escucha);
    EXPECT_EQ(t.rfind("ningún close() después de listen(3, 5) = 0 y hasta la última llamada observada, [pid ", 0), 0u)
        << t;
    EXPECT_NE(t.find("] accept"), std::string::npos) << t;
}

// cierres_tras() dice dónde llegó cada close(): tras qué llamada de su proceso.
TEST(Traza, LosCierresDicenDondeLlegaron) {
    Programa p(kMuestra, {"socket", "bind", "0", "listen", "5", "cerrar"});
    ARNES_REQUIERE_TRAZA(p);
    ASSERT_TRUE(p.esperar_fin()) << p.resumen();
    const auto escuchas = p.llamadas("listen");
    ASSERT_EQ(escuchas.size(), 1u) << p.resumen();
    const std::string t = cierres_tras(p, escuchas.front());
    EXPECT_EQ(t.rfind("close() después de listen(3, 5) = 0:\n[pid ", 0), 0u) << t;
    EXPECT_NE(t.find("] close(3) = 0, justo después de write(1, \"listen(): escuchando"), std::string::npos) << t;
}

// Una señal enviada a un programa trazado le llega (el trazador la reinyecta).
TEST(Traza, LasSenalesLleganAlProgramaTrazado) {
    Programa p(kMuestra, {"dormir", "5000"});
    ARNES_REQUIERE_TRAZA(p);
    ASSERT_TRUE(p.esperar_llamada([](const Llamada& l) { return l.nombre == "clock_nanosleep"; },
                                  kPlazo, false));
    p.senal(SIGTERM);
    auto fin = p.esperar_fin(1000ms);
    ASSERT_TRUE(fin);
    EXPECT_TRUE(fin->por_senal);
    EXPECT_EQ(fin->senal, SIGTERM);
    EXPECT_FALSE(fin->por_arnes);
}

// ARNES_SIN_TRAZA=1 fuerza la ejecución sin traza, que dice por qué y funciona igual.
TEST(Traza, SinTrazaPorVariableDeEntorno) {
    setenv("ARNES_SIN_TRAZA", "1", 1);
    Programa p(kMuestra, {"socket", "salir", "4"});
    unsetenv("ARNES_SIN_TRAZA");
    EXPECT_FALSE(p.trazado());
    EXPECT_NE(p.motivo_sin_traza().find("ARNES_SIN_TRAZA"), std::string::npos);
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 4);
    EXPECT_TRUE(p.llamadas().empty());
    EXPECT_FALSE(p.esperar_llamada("socket", 100ms));
    EXPECT_NE(p.resumen().find("sin traza"), std::string::npos);
}

// --- higiene ---

// Un hijo que nadie recoge aparece como zombi, con y sin traza.
TEST(Higiene, DetectaZombis) {
    for (bool trazar : {false, true}) {
        Opciones o;
        o.trazar = trazar;
        Programa p(kMuestra, {"socket", "fork", "dormir", "3000"}, o);
        ASSERT_TRUE(p.esperar_salida(std::regex("fork\\(\\): hijo")));
        EXPECT_TRUE(hasta_que([&] { return p.zombis().size() == 1; }))
            << (trazar ? "trazado" : "sin traza");
        EXPECT_EQ(p.hijos(), p.zombis());
        auto fds = p.descriptores();
        EXPECT_NE(std::find(fds.begin(), fds.end(), 3), fds.end());
    }
}

// --- interlocutor ---

// 8 MiB de eco sin interbloqueo: se envía y se recibe a la vez.
TEST(Interlocutor, EcoDeOchoMiB) {
    Programa p(kMuestra, {"socket", "bind", "0", "listen", "1", "accept", "eco"}, sin_traza());
    auto puerto = p.esperar_escucha();
    ASSERT_TRUE(puerto);
    Conexion c = Conexion::conectar(*puerto);
    ASSERT_TRUE(c.valida());
    std::string datos = datos_de_prueba(8 << 20);
    EXPECT_TRUE(c.eco(datos, 4000ms) == datos);
    c.cerrar_escritura();
    EXPECT_TRUE(p.esperar_salida(std::regex("eco: 8388608 bytes"))) << p.resumen();
}

// Byte a byte: los bytes llegan en segmentos separados, así que el programa necesita varias
// lecturas. Con carga, algunas pueden juntar bytes; para que haya al menos dos sin depender de la
// suerte, el resto se envía solo cuando la traza ya muestra la primera lectura con datos.
TEST(Interlocutor, ByteAByte) {
    Programa p(kMuestra, {"socket", "bind", "0", "listen", "1", "accept", "eco"});
    ARNES_REQUIERE_TRAZA(p);
    auto puerto = p.esperar_escucha();
    ASSERT_TRUE(puerto);
    Conexion c = Conexion::conectar(*puerto);
    ASSERT_TRUE(c.enviar_byte_a_byte("h"));
    ASSERT_TRUE(p.esperar_llamada([](const Llamada& l) {
        return l.nombre == "read" && l.args[0] == 4 && l.terminada && l.resultado > 0;
    }));
    ASSERT_TRUE(c.enviar_byte_a_byte("ola\n"));
    EXPECT_EQ(c.recibir(5), "hola\n");
    auto lecturas = p.llamadas("read");
    auto con_datos = std::count_if(lecturas.begin(), lecturas.end(), [](const Llamada& l) {
        return l.args[0] == 4 && l.terminada && l.resultado > 0;
    });
    EXPECT_GE(con_datos, 2) << "lecturas con datos";
}

// Conectar a un PuertoCerrado da ECONNREFUSED.
TEST(Interlocutor, PuertoCerradoRechaza) {
    PuertoCerrado cerrado;
    Conexion c = Conexion::conectar(cerrado.puerto());
    EXPECT_FALSE(c.valida());
    EXPECT_EQ(c.error(), ECONNREFUSED);
}

// Cierre ordenado (EOF) y reinicio (RST) se distinguen; recibir_linea() no se come lo siguiente.
TEST(Interlocutor, CierresYLineas) {
    Escucha escucha;
    Conexion a = Conexion::conectar(escucha.puerto());
    Conexion b = escucha.aceptar();
    ASSERT_TRUE(a.valida() && b.valida());
    EXPECT_EQ(a.local().puerto, b.remota().puerto);
    ASSERT_TRUE(a.enviar("uno\ndos\n"));
    EXPECT_EQ(b.recibir_linea(), "uno\n");
    EXPECT_EQ(b.recibir_linea(), "dos\n");
    a.cerrar();
    EXPECT_EQ(b.esperar_cierre(1000ms), Cierre::kOrdenado);

    Conexion x = Conexion::conectar(escucha.puerto());
    Conexion y = escucha.aceptar();
    x.reiniciar();
    EXPECT_EQ(y.esperar_cierre(1000ms), Cierre::kReinicio);

    Conexion z = Conexion::conectar(escucha.puerto());
    Conexion w = escucha.aceptar();
    EXPECT_EQ(w.esperar_cierre(50ms), Cierre::kPlazo);
}

// error_al_cerrarse() distingue un cierre ordenado de uno que dejó bytes sin leer (RST), aunque
// los dos lados ya hubieran visto el fin de fichero del otro.
TEST(Interlocutor, ErrorAlCerrarseVeElRstTardio) {
    Escucha escucha;
    Conexion a = Conexion::conectar(escucha.puerto());
    Conexion b = escucha.aceptar();
    ASSERT_TRUE(a.enviar("hola\n"));
    EXPECT_EQ(b.recibir_linea(), "hola\n");
    b.cerrar_escritura();
    EXPECT_EQ(a.esperar_cierre(1000ms), Cierre::kOrdenado);
    a.cerrar_escritura();
    EXPECT_EQ(b.esperar_cierre(1000ms), Cierre::kOrdenado);
    b.cerrar();
    EXPECT_EQ(a.error_al_cerrarse(5000ms), 0);

    Conexion x = Conexion::conectar(escucha.puerto());
    Conexion y = escucha.aceptar();
    y.cerrar_escritura();
    EXPECT_EQ(x.esperar_cierre(1000ms), Cierre::kOrdenado);
    ASSERT_TRUE(x.enviar("sin leer\n"));
    pollfd hay{y.fd(), POLLIN, 0};
    ASSERT_EQ(poll(&hay, 1, 1000), 1);  // «sin leer» ya está en la cola de y
    y.cerrar();  // con bytes sin leer en su cola: el núcleo envía RST en vez de FIN
    EXPECT_GT(x.error_al_cerrarse(5000ms), 0);

    Conexion z = Conexion::conectar(escucha.puerto());
    Conexion w = escucha.aceptar();
    EXPECT_EQ(z.error_al_cerrarse(50ms), -1);  // nadie cerró
}

// Los datos de prueba son deterministas y van en líneas del ancho pedido.
TEST(Interlocutor, DatosDePrueba) {
    std::string d = datos_de_prueba(2500, 1000);
    EXPECT_EQ(d.size(), 2500u);
    EXPECT_EQ(d[999], '\n');
    EXPECT_EQ(d[1999], '\n');
    EXPECT_EQ(d[2499], '\n');
    EXPECT_EQ(std::count(d.begin(), d.end(), '\n'), 3);
    EXPECT_EQ(d, datos_de_prueba(2500, 1000));
}

// --- PruebaDeEtapa ---

class EtapaDePrueba : public PruebaDeEtapa {
protected:
    EtapaDePrueba() : PruebaDeEtapa(etapas::k02) {}
};

// Sin SOCKETS_PROGRAMAS la prueba falla con un informe en español, sin romperse.
TEST_F(EtapaDePrueba, SinVariableFallaConInforme) {
    unsetenv("SOCKETS_PROGRAMAS");
    std::unique_ptr<Programa> p;
    EXPECT_NONFATAL_FAILURE(p = servidor({"0"}), "SOCKETS_PROGRAMAS no está definida");
    ASSERT_TRUE(p);
    auto fin = p->esperar_fin(100ms);
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 127);
}

// Con la variable pero sin el programa, también falla con un informe.
TEST_F(EtapaDePrueba, ProgramaAusenteFallaConInforme) {
    setenv("SOCKETS_PROGRAMAS", "/no/existe", 1);
    std::unique_ptr<Programa> p;
    EXPECT_NONFATAL_FAILURE(p = cliente({"127.0.0.1", "1"}), "✗ Etapa 02 · bind");
    unsetenv("SOCKETS_PROGRAMAS");
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->vivo());
}

// --- Fallos provocados ---

// socket() provocado con EMFILE: el programa ve -1 y EMFILE, y la traza lo marca como provocado.
TEST(Fallos, SocketFallaConEmfile) {
    Opciones o;
    o.fallos = {Fallo{"socket", EMFILE}};
    ARNES_REQUIERE_CAMBIOS();
    Programa p(kMuestra, {"socket"}, o);
    ARNES_REQUIERE_TRAZA(p);
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 1) << p.resumen();
    EXPECT_NE(p.errores().find("socket(): " + std::string(std::strerror(EMFILE))),
              std::string::npos)
        << p.errores();
    auto sockets = p.llamadas("socket");
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_TRUE(sockets[0].provocado);
    EXPECT_EQ(sockets[0].resultado, -EMFILE);
    EXPECT_EQ(sockets[0].texto(),
              "socket(AF_INET, SOCK_STREAM, 0) = -1 demasiados ficheros abiertos en el proceso "
              "(EMFILE) [provocado por la prueba]");
}

// Solo falla la aparición pedida: con vez = 2, el primer socket() funciona y el segundo no.
TEST(Fallos, SoloFallaLaVezPedida) {
    Opciones o;
    o.fallos = {Fallo{"socket", ENFILE, 2}};
    ARNES_REQUIERE_CAMBIOS();
    Programa p(kMuestra, {"socket", "socket", "socket"}, o);
    ARNES_REQUIERE_TRAZA(p);
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 1) << p.resumen();
    auto sockets = p.llamadas("socket");
    ASSERT_EQ(sockets.size(), 2u) << enumerar(sockets);
    EXPECT_FALSE(sockets[0].provocado);
    EXPECT_EQ(sockets[0].resultado, 3);
    EXPECT_TRUE(sockets[1].provocado);
    EXPECT_EQ(sockets[1].resultado, -ENFILE);
    EXPECT_TRUE(p.esperar_salida(std::regex("socket\\(\\): descriptor 3")));
}

// accept() provocado con ECONNABORTED no se ejecuta: el cliente sigue en la cola de listen().
TEST(Fallos, AcceptFallaSinSacarAlClienteDeLaCola) {
    Opciones o;
    o.fallos = {Fallo{"accept|accept4", ECONNABORTED}};
    ARNES_REQUIERE_CAMBIOS();
    o.retener_en = "accept|accept4";
    Programa p(kMuestra, {"socket", "bind", "0", "listen", "5", "accept"}, o);
    ARNES_REQUIERE_TRAZA(p);
    auto puerto = p.esperar_escucha();
    ASSERT_TRUE(puerto);
    ASSERT_TRUE(p.esperar_retenido()) << p.resumen();
    Conexion c = Conexion::conectar(*puerto);
    ASSERT_TRUE(c.valida());
    p.soltar();
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 1) << p.resumen();
    auto accept = p.llamadas("accept|accept4");
    ASSERT_EQ(accept.size(), 1u);
    EXPECT_TRUE(accept[0].provocado);
    EXPECT_EQ(accept[0].resultado, -ECONNABORTED);
    EXPECT_NE(p.errores().find("accept(): "), std::string::npos) << p.errores();
    // Nadie aceptó: el programa murió con el cliente aún en la cola, y el núcleo lo reinicia.
    EXPECT_EQ(c.esperar_cierre(), Cierre::kReinicio);
}

// write() provocado con EPIPE (sin SIGPIPE) y write() corto: el programa ve lo que toca.
TEST(Fallos, WriteFallaOSeQuedaCorto) {
    {
        Escucha escucha;
        Opciones o;
        o.fallos = {Fallo{"write", EPIPE}};
        ARNES_REQUIERE_CAMBIOS();
        Programa p(kMuestra,
                   {"socket", "conectar", std::to_string(escucha.puerto()), "escribir", "100"}, o);
        ARNES_REQUIERE_TRAZA(p);
        Conexion c = escucha.aceptar();
        auto fin = p.esperar_fin();
        ASSERT_TRUE(fin);
        EXPECT_FALSE(fin->por_senal) << p.resumen();
        EXPECT_EQ(fin->codigo, 1) << p.resumen();
        auto escrituras = p.llamadas("write");
        auto w = primera(escrituras, [](const Llamada& l) { return l.provocado; });
        ASSERT_TRUE(w) << enumerar(escrituras);
        EXPECT_EQ(w->resultado, -EPIPE);
        EXPECT_EQ(c.recibir_todo(), "");  // no se escribió nada
    }
    {
        Escucha escucha;
        Opciones o;
        o.fallos = {Fallo{"write", 0, 1, 10}};
        ARNES_REQUIERE_CAMBIOS();
        Programa p(kMuestra, {"socket", "conectar", std::to_string(escucha.puerto()), "escribir",
                              "100", "escribir", "100"},
                   o);
        Conexion c = escucha.aceptar();
        auto fin = p.esperar_fin();
        ASSERT_TRUE(fin);
        EXPECT_EQ(fin->codigo, 0) << p.resumen();
        EXPECT_TRUE(p.esperar_salida(std::regex("write\\(\\): 100 -> 10$")));
        EXPECT_TRUE(p.esperar_salida(std::regex("write\\(\\): 100 -> 100$")));  // solo la 1.ª
        auto w = p.llamadas("write");
        EXPECT_EQ(std::count_if(w.begin(), w.end(), [](const Llamada& l) { return l.provocado; }),
                  1);
        EXPECT_EQ(c.recibir_todo().size(), 110u);
    }
}

// fork() provocado con EAGAIN: no nace ningún hijo (glibc usa clone o clone3).
TEST(Fallos, ForkFallaSinCrearHijos) {
    Opciones o;
    o.fallos = {Fallo{"fork|vfork|clone|clone3", EAGAIN}};
    ARNES_REQUIERE_CAMBIOS();
    Programa p(kMuestra, {"socket", "fork"}, o);
    ARNES_REQUIERE_TRAZA(p);
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 1) << p.resumen();
    auto forks = p.llamadas("fork|vfork|clone|clone3");
    ASSERT_EQ(forks.size(), 1u);
    EXPECT_TRUE(forks[0].provocado);
    EXPECT_EQ(forks[0].resultado, -EAGAIN);
    EXPECT_NE(p.errores().find("fork(): "), std::string::npos) << p.errores();
}

// Las lecturas y escrituras que no son de sockets (cargador, stdout) no cuentan como apariciones.
TEST(Fallos, LasEscriturasQueNoSonDeSocketsNoCuentan) {
    Escucha escucha;
    Opciones o;
    o.fallos = {Fallo{"write", ECONNRESET}};
    ARNES_REQUIERE_CAMBIOS();
    Programa p(kMuestra,
               {"charlar", "10", "socket", "conectar", std::to_string(escucha.puerto()),
                "escribir", "5"},
               o);
    ARNES_REQUIERE_TRAZA(p);
    Conexion c = escucha.aceptar();
    auto fin = p.esperar_fin();
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->codigo, 1) << p.resumen();
    EXPECT_EQ(p.salida().substr(0, 10), std::string(10, 'z'));  // stdout no falló
    auto w = primera(p.llamadas("write"), [](const Llamada& l) { return l.provocado; });
    ASSERT_TRUE(w);
    EXPECT_EQ(w->args[0], 3);
}

// Los códigos internos del núcleo (que solo ve el trazador) tienen nombre y explicación.
TEST(Informe, NombraLosCodigosInternosDelNucleo) {
    EXPECT_EQ(nombre_errno(512), "ERESTARTSYS");
    EXPECT_EQ(nombre_errno(513), "ERESTARTNOINTR");
    EXPECT_EQ(nombre_errno(514), "ERESTARTNOHAND");
    EXPECT_EQ(nombre_errno(515), "ENOIOCTLCMD");
    EXPECT_EQ(nombre_errno(516), "ERESTART_RESTARTBLOCK");
    EXPECT_EQ(texto_errno(512).rfind("la llamada fue interrumpida por una señal", 0), 0u)
        << texto_errno(512);
    for (int e = 512; e <= 516; ++e)
        EXPECT_EQ(texto_errno(e).find("Unknown error"), std::string::npos) << texto_errno(e);
}

// --- lo que ve el programa, no el núcleo ---

namespace {

/// Lanza la muestra con un manejador de SIGUSR1 (`orden`: manejador o manejador_restart), la
/// espera dentro de accept() y le manda SIGUSR1. Devuelve el primer accept(), ya decidido.
std::optional<Llamada> accept_interrumpido(std::unique_ptr<Programa>& p, const std::string& orden) {
    p = std::make_unique<Programa>(kMuestra, std::vector<std::string>{orden, "socket", "bind", "0", "listen", "5", "accept"});
    if (!p->trazado()) return std::nullopt;
    auto a = p->esperar_llamada([](const Llamada& l) { return l.nombre == "accept" || l.nombre == "accept4"; },
                                kPlazo, false);
    if (!a) return std::nullopt;
    p->senal(SIGUSR1);
    return p->esperar_llamada(
        [&](const Llamada& l) { return l.orden == a->orden && (l.reiniciada || l.resultado != -512); });
}

}  // namespace

// Una llamada que una señal interrumpe, con un manejador sin SA_RESTART, vuelve con EINTR: la
// traza dice lo que ve el programa, nunca el código interno del núcleo (ERESTARTSYS).
TEST(Traza, UnaLlamadaInterrumpidaVuelveConEintr) {
    std::unique_ptr<Programa> p;
    auto a = accept_interrumpido(p, "manejador");
    if (p && !p->trazado()) GTEST_SKIP() << p->motivo_sin_traza();
    ASSERT_TRUE(a) << p->resumen();
    EXPECT_EQ(a->resultado, -EINTR) << a->texto();
    EXPECT_FALSE(a->reiniciada) << a->texto();
    EXPECT_NE(a->texto().find("(EINTR)"), std::string::npos) << a->texto();
    EXPECT_EQ(a->texto().find("ERESTART"), std::string::npos) << a->texto();
}

// Con SA_RESTART el núcleo repite la llamada: el programa no la ve volver, y la traza lo dice.
TEST(Traza, ConSaRestartElNucleoRepiteLaLlamada) {
    std::unique_ptr<Programa> p;
    auto a = accept_interrumpido(p, "manejador_restart");
    if (p && !p->trazado()) GTEST_SKIP() << p->motivo_sin_traza();
    ASSERT_TRUE(a) << p->resumen();
    EXPECT_TRUE(a->reiniciada) << a->texto();
    EXPECT_NE(a->texto().find("el núcleo la repite"), std::string::npos) << a->texto();
    EXPECT_EQ(a->texto().find("ERESTART"), std::string::npos) << a->texto();
}

// La traza lee la acción que pide sigaction() y reconoce la huella de signal().
TEST(Traza, LeeLaAccionDeSigactionYReconoceSignal) {
    for (const char* orden : {"ignorar_pipe", "signal_pipe"}) {
        Programa p(kMuestra, {orden, "salir", "0"});
        if (!p.trazado()) GTEST_SKIP() << p.motivo_sin_traza();
        p.esperar_fin();
        auto a = primera(p.llamadas("rt_sigaction"), [](const Llamada& l) { return l.args[0] == SIGPIPE && l.accion; });
        ASSERT_TRUE(a) << orden << "\n" << enumerar(p.llamadas("rt_sigaction"));
        EXPECT_EQ(a->accion->manejador, 1UL) << orden;  // SIG_IGN
        EXPECT_EQ(a->accion->de_signal(SIGPIPE), std::string(orden) == "signal_pipe") << orden << ": " << a->texto();
    }
}

// Un contenido que difiere se dice dónde: la posición del primer byte distinto, no solo cuentas.
TEST(Texto, PrimeraDiferenciaDiceDondeDifierenLosBytes) {
    EXPECT_EQ(primera_diferencia("hola", "hola"), "llegaron los 4 bytes esperados, idénticos");
    const std::string mismo_largo = primera_diferencia("abcdef", "abcXef");
    EXPECT_NE(mismo_largo.find("llegaron los 6 bytes esperados, pero desde la posición 3"), std::string::npos) << mismo_largo;
    EXPECT_NE(mismo_largo.find("se esperaba «def» y llegó «Xef»"), std::string::npos) << mismo_largo;
    const std::string corto = primera_diferencia("abcdef", "abc");
    EXPECT_NE(corto.find("llegaron 3 bytes de los 6 esperados: los 3 primeros coinciden"), std::string::npos) << corto;
    const std::string largo = primera_diferencia("abc", "abcde");
    EXPECT_NE(largo.find("2 bytes de más: «de»"), std::string::npos) << largo;
}

// La causa de un final con error se reconoce en la última línea de stderr que la nombra, y solo
// si siempre es un fallo del programa (no un error de la red).
TEST(Causa, ReconoceLosErroresQueSiempreSonDelPrograma) {
    auto c = causa_en_errores("[servidor] accept(): cliente …\n[servidor] error: close(): descriptor de fichero no válido (EBADF)\n");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->llamada, "close");
    EXPECT_EQ(c->sintoma, "descriptor_no_valido");
    EXPECT_NE(c->pista.find("cerraste un descriptor que ya estaba cerrado"), std::string::npos) << c->pista;
    auto e = causa_en_errores("[servidor] error: accept(): llamada interrumpida por una señal (EINTR)");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sintoma, "eintr_no_reintentado");
    EXPECT_NE(e->pista.find("vuelve a llamar a accept()"), std::string::npos) << e->pista;
    EXPECT_FALSE(causa_en_errores("[servidor] error: read(): conexión reiniciada por el otro extremo (ECONNRESET)"));
    EXPECT_FALSE(causa_en_errores(""));
}

