/// \file ejecucion.h
/// \brief La biblioteca de ejecución del arnés, sin GoogleTest (`arnes_ejecucion`): lanzar un
///        programa en su propio grupo, capturar su salida, trazar sus llamadas al sistema, hablar
///        con él por loopback, mirar su higiene en /proc y describir todo eso en español.
///
/// La usan las pruebas (a través de arnes.h, que añade GoogleTest, los veredictos y la fijación
/// de cada etapa) y las herramientas que solo ejecutan y trazan programas (./tutorial traza,
/// tests/herramientas/traza_vista.cpp), que no enlazan GoogleTest.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arnes {

using Ms = std::chrono::milliseconds;

/// Plazo por defecto para esperar algo de un programa (línea, llamada, fin).
inline constexpr Ms kPlazo{4000};

// ---------------------------------------------------------------------------------------------
// Informes para el alumno
// ---------------------------------------------------------------------------------------------

/// Una etapa del curso (una fila «etapa» de etapas.tsv). Las constantes están en
/// arnes/tabla.h, generada por CMake: `arnes::etapas::k03`.
struct Etapa {
    int numero;           ///< 0..7 (0: los argumentos, comunes a todas las lecciones).
    const char* nombre;   ///< Una palabra: "listen", "read_write"...
    const char* titulo;   ///< Para el alumno: "accept y connect", "read y write"...
    const char* carpeta;  ///< "03_listen" (carpeta de lessons/ y solutions/), "-" si no tiene.
    const char* pagina;   ///< "docs/03_listen.md"
};

/// Una sección de la documentación que un informe puede citar (una fila «seccion» de
/// etapas.tsv): `arnes::secciones::l03_escuchar`. Solo se pueden citar las de la tabla, y una
/// prueba de la documentación comprueba que cada una existe en el sitio generado.
struct Seccion {
    const char* pagina;  ///< "docs/03_listen.md"
    const char* ancla;   ///< "l03_escuchar" (el {#ancla} del encabezado)
    const char* titulo;  ///< "Escuchar" (el texto del encabezado)
};

/// Dónde leer: una sección de la documentación y, si hace falta, páginas del manual.
struct Lectura {
    Lectura() = default;  ///< Sin sección: la página de la etapa del informe.
    Lectura(const Seccion& s, std::string man_ = {}) : seccion(&s), man(std::move(man_)) {}  // NOLINT: implícito a propósito
    const Seccion* seccion = nullptr;
    std::string man;  ///< «man 2 listen», «man 7 signal, man 2 write (EPIPE)»...

    /// «docs/03_listen.md, sección «Escuchar»; man 2 listen».
    std::string texto(const Etapa& etapa) const;
};

/// Un informe de fallo: entrada / esperado / observado / pista / dónde leer.
struct Informe {
    std::string entrada;    ///< Qué hizo la prueba (orden lanzada, datos enviados...).
    std::string esperado;   ///< Qué debía pasar.
    std::string observado;  ///< Qué pasó de verdad.
    std::string pista;      ///< Una pista concreta para arreglarlo.
    Lectura leer;           ///< Dónde leer (sección de la documentación, página del manual).
};

/// «SO_REUSEADDR», «SO_LINGER»... el nombre de una opción de setsockopt() (o su número).
std::string nombre_opcion(long nivel, long opcion);
/// Datos legibles para un informe: «hola\n» entre comillas latinas, como mucho `max` caracteres.
std::string visible(std::string_view datos, std::size_t max = 60);
/// Un número con su nombre en singular o plural: «1 byte», «0 bytes», «3 llamadas».
std::string cuenta(std::size_t n, std::string_view singular, std::string_view plural);
/// Qué llegó, comparado byte a byte con lo que se esperaba: cuántos bytes llegaron y dónde
/// difieren por primera vez, con lo que había que recibir y lo que llegó desde ahí:
/// «llegaron los 20000 bytes, pero desde la posición 100 no son los enviados: se esperaba «…» y
/// llegó «…»». Nunca habla solo de cuentas cuando lo que difiere son los bytes.
std::string primera_diferencia(std::string_view esperado, std::string_view recibido);
/// La primera línea de `texto` en la que `patron` aparece, o "".
std::string primera_linea(const std::string& texto, const std::regex& patron);

// ---------------------------------------------------------------------------------------------
// Traza de llamadas al sistema
// ---------------------------------------------------------------------------------------------

/// Una dirección de socket leída de la memoria del programa trazado.
struct Direccion {
    int familia = -1;        ///< AF_INET, AF_INET6...
    std::string ip;          ///< "127.0.0.1"
    int puerto = -1;         ///< En orden de host (ya convertido con ntohs).
    int puerto_crudo = -1;   ///< Los dos bytes tal como estaban en memoria, leídos en orden de host
                             ///< (si el alumno olvidó htons(), puerto_crudo == el puerto que quería).
};

/// La acción que un programa pide para una señal con sigaction(2) (rt_sigaction en el núcleo):
/// lo que el trazador lee de su struct sigaction a la entrada.
struct AccionSenal {
    unsigned long manejador = 0;  ///< SIG_DFL (0), SIG_IGN (1) o la dirección del manejador.
    unsigned long banderas = 0;   ///< sa_flags (SA_RESTART, SA_NOCLDSTOP...).
    unsigned long mascara = 0;    ///< sa_mask, las 64 primeras señales (bit s-1: la señal s).
    /// ¿Es la huella de signal(2) de glibc? signal() pide SA_RESTART y bloquea la propia señal
    /// en el manejador (sa_mask = {senal}); sigaction() con sigemptyset() no hace ninguna de las dos.
    bool de_signal(int senal) const;
};

/// Un descriptor vigilado por poll()/ppoll(): un pollfd leído de la memoria del programa.
struct Sondeo {
    int fd = -1;
    short eventos = 0;    ///< events: lo que pide (POLLIN, POLLOUT...).
    short devueltos = 0;  ///< revents: lo que pasó (a la salida de la llamada).
};

/// Una llamada al sistema observada (entrada y, si volvió, salida).
struct Llamada {
    long orden = 0;                    ///< Posición en la traza (0, 1, 2...).
    pid_t pid = 0;                     ///< Proceso que la hizo (el principal o un hijo).
    long nr = -1;                      ///< Número de llamada de la arquitectura.
    std::string nombre;                ///< "socket", "bind", "accept4", "clone"... o "nr123".
    std::array<long, 6> args{};        ///< Argumentos en la entrada.
    bool terminada = false;            ///< false: entró y aún no ha vuelto (bloqueada).
    long resultado = 0;                ///< Valor devuelto (>= 0) o -errno.
    std::optional<Direccion> direccion;///< bind/connect (entrada); accept/getsockname (salida).
    std::string datos;                 ///< write/send/sendto: primeros 256 bytes; read/recv: los leídos;
                                       ///< setsockopt: el valor de la opción (sus bytes).
    bool provocado = false;            ///< El arnés la hizo fallar o la recortó a propósito
                                       ///< (Opciones::fallos): no es un error del programa.
    long largo_entrada = -1;           ///< accept/accept4: el socklen_t al que apunta addrlen a la
                                       ///< entrada (el tamaño del hueco); -1 si no se pudo leer.
    std::optional<AccionSenal> accion; ///< rt_sigaction: la acción nueva que pidió (si pidió una).
    /// Una señal la interrumpió y el núcleo la repitió él solo (SA_RESTART, o la señal no tenía
    /// manejador): el programa no la vio volver. Si en cambio la vio volver con -1 y EINTR,
    /// `resultado` es -EINTR (nunca los códigos internos del núcleo, ERESTARTSYS...).
    bool reiniciada = false;
    std::vector<Sondeo> sondeos;       ///< poll/ppoll: los pollfd (los 256 primeros), con revents
                                       ///< a la salida.
    long espera_ms = -2;               ///< poll/ppoll: el plazo en ms (-1: sin plazo; -2: no es
                                       ///< un poll o no se pudo leer).

    /// «bind(3, {AF_INET, 0.0.0.0:5000}, 16) = 0», para los informes.
    std::string texto() const;
};

/// Nombres de familia para los informes: «AF_INET», «AF_UNIX», «familia 99».
std::string nombre_familia(long familia);
/// Nombres de tipo de socket: «SOCK_STREAM», «SOCK_DGRAM»...
std::string nombre_tipo(long tipo);
/// Los eventos de poll() por su nombre: «POLLIN|POLLOUT» («0» si ninguno).
std::string nombre_eventos(short eventos);
/// Texto de un errno en español cuando se conoce («conexión rechazada (ECONNREFUSED)»).
std::string texto_errno(int error);
/// Nombre simbólico de un errno: «ECONNREFUSED» (o «errno 999» si no se conoce).
std::string nombre_errno(int error);
/// Nombre de una señal: «SIGPIPE» (o «señal 99» si no se conoce).
std::string nombre_senal(int senal);

/// Lecturas y escrituras de datos, como alternativas para Programa::llamadas() y coincide_nombre().
inline constexpr const char* kLecturas = "read|recv|recvfrom|recvmsg|readv";
inline constexpr const char* kEscrituras = "write|send|sendto|sendmsg|writev";
/// ¿`nombre` («recvfrom») está entre las alternativas «a|b|c» (kLecturas, «accept|accept4»)?
bool coincide_nombre(std::string_view alternativas, std::string_view nombre);
/// La primera llamada que cumple `condicion`, o nullopt.
std::optional<Llamada> primera(const std::vector<Llamada>& llamadas,
                               const std::function<bool(const Llamada&)>& condicion);
/// Las últimas `max` llamadas, una por línea: «[pid 123] read(4, …) = 5».
std::string enumerar(const std::vector<Llamada>& llamadas, std::size_t max = 8);

// ---------------------------------------------------------------------------------------------
// Un programa del alumno en marcha
// ---------------------------------------------------------------------------------------------

/// Un fallo provocado: el trazador hace que una llamada al sistema elegida falle (o se quede
/// corta) para ver si el programa comprueba lo que devuelve y sobrevive a lo que debe.
///
/// Con `error` distinto de 0, la llamada no llega a ejecutarse: a la entrada el trazador la cambia
/// por una llamada inexistente y a la salida pone -`error` como resultado, así que el programa ve
/// -1 y errno == `error` sin que el núcleo haya hecho nada (un accept() así no saca a ningún
/// cliente de la cola; un fork() así no crea ningún hijo). Con `error` == 0 la llamada se ejecuta,
/// pero con su tercer argumento (el tamaño) recortado a `cuenta`: una lectura o escritura corta.
///
/// Ojo: un EPIPE provocado no trae SIGPIPE (el de verdad sí, si no se ignora), y un EINTR
/// provocado no trae ninguna señal.
///
/// Solo falla la aparición número `vez` de la llamada, contando las de todos los procesos del
/// programa (padre e hijos) en el orden en que el trazador las ve. Las lecturas y escrituras
/// (read, write, recv, send...) solo cuentan si su descriptor es un socket: así no cuentan las
/// del cargador dinámico ni las de stdin/stdout. La llamada aparece en la traza con
/// `Llamada::provocado` a true. Necesita traza.
struct Fallo {
    std::string llamada;  ///< Nombre(s) de la llamada, con alternativas: «socket»,
                          ///< «accept|accept4», «fork|vfork|clone|clone3».
    int error = 0;        ///< errno que verá el programa (EMFILE, ECONNABORTED...); 0: corta.
    int vez = 1;          ///< Qué aparición falla: 1 la primera, 2 la segunda...
    long cuenta = 0;      ///< Con `error` 0: tamaño máximo que se deja pedir (si pide más, se
                          ///< recorta; si no, la llamada sigue igual). Solo para llamadas con
                          ///< el tamaño en el tercer argumento (read, write, recv, send...).
};

/// ¿Puede el trazador cambiar llamadas en esta arquitectura (recortar el tamaño de una escritura,
/// Opciones::escritura_maxima; hacer fallar una llamada, Opciones::fallos)? Solo sabe hacerlo en
/// x86-64 y aarch64; en las demás, las pruebas que lo necesitan se omiten con
/// ARNES_REQUIERE_CAMBIOS() en vez de pasar sin haber comprobado nada. ARNES_SIN_CAMBIOS=1 hace
/// como si no pudiera (para ver la omisión en x86-64).
bool trazador_cambia_llamadas();

/// Cómo lanzar un programa.
struct Opciones {
    bool trazar = true;            ///< Trazar con ptrace (siguiendo fork). Sin permiso: se avisa.
    Ms limite{8000};               ///< Vida máxima; al vencer se mata el grupo entero.
    std::size_t max_salida = 1 << 20;  ///< Tope de stdout/stderr capturado (el resto se descarta).
    long escritura_maxima = 0;     ///< >0: cada write()/send() a un socket escribe como mucho
                                   ///< esto (el arnés recorta el tamaño pedido): fuerza escrituras
                                   ///< parciales. Necesita traza.
    std::string retener_en;        ///< Como Programa::retener_en(), pero activo desde el primer
                                   ///< instante (sin carrera con el arranque). Necesita traza.
    std::vector<Fallo> fallos;     ///< Llamadas que el trazador hará fallar (ver Fallo).
                                   ///< Necesita traza.
    /// Ficheros del sistema que solo este programa ve cambiados: ruta → contenido, como
    /// {"/etc/hosts", "127.0.0.1 prueba\n"}. El programa corre en sus propios espacios de nombres
    /// de usuario y de montajes, con cada contenido montado (bind) encima de su ruta, que debe
    /// existir; el resto de la máquina no ve nada. Antes de usarlo: ARNES_REQUIERE_ESPACIOS().
    std::vector<std::pair<std::string, std::string>> ficheros;
};

/// Cómo acabó un programa.
struct Fin {
    bool por_senal = false;  ///< Terminó por una señal (SIGSEGV, SIGPIPE, SIGKILL del arnés...).
    int codigo = 0;          ///< Código de salida (si no fue por señal).
    int senal = 0;           ///< Señal (si fue por señal).
    bool por_arnes = false;  ///< Lo mató el arnés (plazo `limite` vencido, matar() o destructor).
    std::string texto() const;  ///< «terminó con código 1» / «murió por la señal SIGPIPE».
};

/// Un programa lanzado por el arnés, en su propio grupo de procesos.
///
/// Al destruirse mata el grupo entero (SIGKILL) y recoge a todos: ningún proceso sobrevive a la
/// prueba. Toda la E/S es asíncrona: stdout y stderr se capturan en segundo plano.
class Programa {
public:
    /// Lanza `ruta` con `args` (sin argv[0]). No lanza excepciones: si no se puede ejecutar, el
    /// programa aparece como terminado con código 127 y `errores()` dice por qué.
    Programa(std::string ruta, std::vector<std::string> args, Opciones opciones = {});
    ~Programa();
    Programa(const Programa&) = delete;
    Programa& operator=(const Programa&) = delete;

    pid_t pid() const;                      ///< PID del proceso principal (líder del grupo).
    std::string orden() const;              ///< «servidor 0», para la línea «entrada» del informe.

    /// ¿Se están trazando sus llamadas? Si es false, `motivo_sin_traza()` dice por qué.
    bool trazado() const;
    std::string motivo_sin_traza() const;

    // --- entrada y salida estándar ---
    void escribir_entrada(std::string_view datos);  ///< Escribe en su stdin.
    void cerrar_entrada();                          ///< Cierra su stdin (EOF).
    std::string salida() const;                     ///< stdout capturado hasta ahora.
    std::string errores() const;                    ///< stderr capturado hasta ahora.
    /// Bytes de stdout y stderr que se descartaron por pasar de `max_salida`.
    std::size_t descartado() const;

    /// Espera a que una línea de stdout contenga `patron`; devuelve el primer grupo (o todo el
    /// acierto). Se busca línea a línea (solo líneas completas, o la última si stdout se cerró);
    /// devuelve nullopt al vencer el plazo o en cuanto stdout se cierra sin acierto.
    std::optional<std::string> esperar_salida(const std::regex& patron, Ms plazo = kPlazo);
    /// Espera la línea «escuchando ... puerto N» y devuelve N.
    std::optional<int> esperar_escucha(Ms plazo = kPlazo);

    // --- fin ---
    /// Espera a que el proceso principal termine. nullopt si sigue vivo al vencer el plazo.
    std::optional<Fin> esperar_fin(Ms plazo = kPlazo);
    /// ¿Sigue vivo el proceso principal?
    bool vivo() const;
    /// Envía una señal al proceso principal.
    void senal(int numero);
    /// Mata el grupo entero ya (SIGKILL) y espera a que desaparezca.
    void matar();

    // --- traza ---
    /// Copia de todas las llamadas observadas hasta ahora, en orden.
    std::vector<Llamada> llamadas() const;
    /// Solo las llamadas con ese nombre (de cualquier proceso del programa). Admite alternativas
    /// separadas por '|': «accept|accept4», «fork|vfork|clone|clone3».
    std::vector<Llamada> llamadas(std::string_view nombre) const;
    /// Espera una llamada que cumpla `condicion` (por defecto, ya terminada). Devuelve nullopt al
    /// vencer el plazo o en cuanto la traza acaba (o si no hay traza). `condicion` se evalúa con
    /// el estado interno bloqueado: no debe llamar a métodos de este Programa.
    std::optional<Llamada> esperar_llamada(const std::function<bool(const Llamada&)>& condicion,
                                           Ms plazo = kPlazo, bool terminada = true);
    /// Atajo: espera que termine la primera llamada con ese nombre (admite «a|b»).
    std::optional<Llamada> esperar_llamada(std::string_view nombre, Ms plazo = kPlazo);

    /// Retiene a cualquier proceso del programa a la entrada de la llamada `nombre` (no la
    /// ejecuta) hasta `soltar()`. Sirve para llenar la cola de listen() antes de accept().
    /// Admite alternativas «accept|accept4». Necesita traza.
    void retener_en(std::string_view nombre);
    /// ¿Hay un proceso retenido? Espera hasta `plazo`.
    bool esperar_retenido(Ms plazo = kPlazo);
    /// Deja seguir a los retenidos y deja de retener.
    void soltar();

    /// Espera a que el proceso `pid` del programa (un hijo trazado) termine y el trazador lo
    /// recoja: desde ese momento su padre ya recibió SIGCHLD y lo ve como zombi. false al vencer
    /// el plazo. Necesita traza.
    bool esperar_terminado(pid_t pid, Ms plazo = kPlazo);

    /// Dónde está bloqueado: «accept(3, …)» según la traza, o lo que diga /proc/PID/syscall
    /// (o /proc/PID/wchan). Cadena vacía si el proceso ya no existe.
    std::string donde_esta(pid_t pid = 0) const;

    // --- higiene ---
    /// Descriptores abiertos por un proceso (por defecto el principal), de /proc/PID/fd.
    std::vector<int> descriptores(pid_t pid = 0) const;
    /// Hijos directos del proceso principal que siguen existiendo (vivos o zombis).
    std::vector<pid_t> hijos() const;
    /// Hijos directos en estado zombi («defunct» en ps).
    std::vector<pid_t> zombis() const;
    /// Procesos que siguen en su grupo (incluido el principal si vive).
    std::vector<pid_t> procesos_del_grupo() const;

    /// Resumen para informes: orden, estado o fin, dónde está bloqueado, cola de stdout/stderr.
    std::string resumen() const;

    struct Estado;  ///< Detalle interno (hilos de captura y de traza).

private:
    std::shared_ptr<Estado> estado_;
};

/// Los close() de cualquier proceso del programa posteriores a la llamada `desde` (los anteriores
/// son del arranque), cada uno con la llamada que su proceso hizo justo antes (dónde llegó), para
/// un informe. Sin ninguno, dice hasta qué llamada llega lo observado: «ningún close() después
/// de listen(3, 5) = 0 y hasta la última llamada observada, [pid 7] read(4, …)».
std::string cierres_tras(const Programa& p, const Llamada& desde);

/// Copia el descriptor `fd` del proceso `pid` (pidfd_getfd(2)); -1 y errno si no se puede
/// (ENOSYS donde la arquitectura o el núcleo no tienen pidfd).
int copiar_descriptor(pid_t pid, int fd);
/// Valor entero de una opción del socket `fd` del proceso `pid` (getsockopt(2) sobre una copia).
std::optional<int> opcion_de_socket(pid_t pid, int fd, int nivel, int opcion);

// ---------------------------------------------------------------------------------------------
// El interlocutor: sockets de la prueba por loopback
// ---------------------------------------------------------------------------------------------

/// Cómo acabó una espera de lectura.
// Cierre::kPlazo «oculta» a arnes::kPlazo para -Wshadow, pero al ser un enum con ámbito nunca se
// confunden: se silencia el aviso solo aquí.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
enum class Cierre { kNinguno, kOrdenado /* EOF */, kReinicio /* ECONNRESET */, kPlazo };
#pragma GCC diagnostic pop

/// Un socket TCP conectado de la prueba (RAII, solo movible).
class Conexion {
public:
    Conexion() = default;
    explicit Conexion(int fd);
    ~Conexion();
    Conexion(Conexion&& otra) noexcept;
    Conexion& operator=(Conexion&& otra) noexcept;
    Conexion(const Conexion&) = delete;
    Conexion& operator=(const Conexion&) = delete;

    /// Conecta a 127.0.0.1:puerto. Si falla, `valida()` es false y `error()` tiene el errno.
    static Conexion conectar(int puerto, Ms plazo = kPlazo);
    /// Conecta a ip:puerto, con la IP escrita como IPv4 («127.0.0.2») o como IPv6 («::1»).
    static Conexion conectar(const std::string& ip, int puerto, Ms plazo = kPlazo);

    bool valida() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    int error() const { return error_; }

    /// Envía todo (bucle con poll). false si no pudo (error o plazo).
    bool enviar(std::string_view datos, Ms plazo = kPlazo);
    /// Envía byte a byte, cada uno en su propio segmento (TCP_NODELAY + pausa breve).
    bool enviar_byte_a_byte(std::string_view datos, Ms plazo = kPlazo);
    /// Recibe hasta tener `n` bytes, EOF, error o plazo.
    std::string recibir(std::size_t n, Ms plazo = kPlazo);
    /// Recibe hasta el primer '\n' (incluido), EOF, error o plazo.
    std::string recibir_linea(Ms plazo = kPlazo);
    /// Recibe hasta EOF (o error o plazo); `como` dice cómo acabó.
    std::string recibir_todo(Ms plazo = kPlazo, Cierre* como = nullptr);
    /// Envía y recibe a la vez (sin interbloqueo con mensajes grandes) hasta recibir
    /// `datos.size()` bytes: devuelve lo recibido.
    std::string eco(std::string_view datos, Ms plazo = kPlazo);
    /// Espera a que el otro extremo cierre; no consume datos pendientes más allá de descartarlos.
    Cierre esperar_cierre(Ms plazo = kPlazo);

    /// Encoge el búfer de recepción del socket (SO_RCVBUF) a unos `bytes`: un extremo que no lee
    /// llena antes el camino, y el otro lo nota enseguida (sus escrituras dan EAGAIN o esperan).
    void reducir_recepcion(int bytes);
    /// Espera (como mucho `plazo`) a que la conexión se cierre del todo por los dos lados (estado
    /// TCP CLOSED o TIME_WAIT) y devuelve su error pendiente (SO_ERROR): 0 si acabó con fines de
    /// fichero ordenados, EPIPE o ECONNRESET si el otro extremo envió un RST (por ejemplo, porque
    /// cerró con bytes sin leer; si enviar() o recibir() ya lo vieron, el error que vieron). -1
    /// si a los `plazo` ms sigue abierta. No cierra el descriptor.
    int error_al_cerrarse(Ms plazo);
    void cerrar_escritura();   ///< shutdown(SHUT_WR): el otro lado verá EOF.
    void reiniciar();          ///< Cierra con RST (SO_LINGER 0).
    void cerrar();             ///< close() normal.

    Direccion local() const;   ///< getsockname()
    Direccion remota() const;  ///< getpeername()

private:
    int fd_ = -1;
    int error_ = 0;
};

/// Un socket de escucha de la prueba en 127.0.0.1, puerto elegido por el núcleo.
class Escucha {
public:
    explicit Escucha(int cola = 16);
    /// En otra IP de loopback («127.0.0.2»: Linux lleva todo 127.0.0.0/8 a lo; «::1», la de
    /// IPv6). Si no se puede, `fd()` es -1.
    explicit Escucha(const std::string& ip, int cola = 16);
    ~Escucha();
    Escucha(const Escucha&) = delete;
    Escucha& operator=(const Escucha&) = delete;

    int puerto() const { return puerto_; }
    int fd() const { return fd_; }
    /// Acepta una conexión (o inválida si vence el plazo).
    Conexion aceptar(Ms plazo = kPlazo);

private:
    int fd_ = -1;
    int puerto_ = 0;
};

/// Un puerto de loopback que estaba libre hace un instante (para pasarlo como argumento).
int puerto_libre();
/// Un puerto en el que nadie escucha y que nadie tomará mientras viva el objeto (bind sin listen):
/// conectar a él da ECONNREFUSED.
class PuertoCerrado {
public:
    PuertoCerrado();
    /// Ese puerto en esa IP («127.0.0.1», «::1»), si está libre; si no, `puerto()` es 0.
    PuertoCerrado(const std::string& ip, int puerto);
    ~PuertoCerrado();
    PuertoCerrado(const PuertoCerrado&) = delete;
    PuertoCerrado& operator=(const PuertoCerrado&) = delete;
    int puerto() const { return puerto_; }

private:
    int fd_ = -1;
    int puerto_ = 0;
};

/// Datos de prueba deterministas: `n` bytes en líneas de `ancho` (terminadas en '\n').
std::string datos_de_prueba(std::size_t n, std::size_t ancho = 1000);

/// Lo que pasó al hacer de servidor para el cliente del alumno (ver atender_cliente()).
struct Atencion {
    bool conectado = false;           ///< El cliente llegó a conectarse.
    Direccion local;                  ///< Extremo de la prueba (127.0.0.1:puerto de la Escucha).
    Direccion remota;                 ///< Extremo del cliente, visto desde la prueba.
    std::string recibido;             ///< Todo lo que el cliente envió (y se le devolvió).
    Cierre cierre = Cierre::kNinguno; ///< Cómo acabó la conexión.
};
/// Hace de servidor de eco para `cliente`: acepta en `escucha` (si el cliente termina sin
/// conectarse, vuelve enseguida), devuelve cada byte hasta EOF y cierra. Sirve igual para el
/// cliente de la lección 01 (no conecta) que para el de la 07 (shutdown y lectura hasta EOF).
Atencion atender_cliente(Escucha& escucha, Programa& cliente, Ms plazo = kPlazo);

// ---------------------------------------------------------------------------------------------
// El sistema alrededor de la prueba
// ---------------------------------------------------------------------------------------------

/// Sondea `condicion` cada 10 ms hasta que se cumpla (true) o venza `plazo` (false).
bool esperar_que(const std::function<bool()>& condicion, Ms plazo = kPlazo);
/// Ruta de una herramienta del sistema según PATH («/usr/bin/socat»), o "" si no está.
std::string ruta_herramienta(const std::string& nombre);
/// ¿Hay un socket TCP en LISTEN en ese puerto? (según /proc/net/tcp y /proc/net/tcp6)
bool hay_escucha_en(int puerto);
/// ¿Tiene esta máquina IPv6 en loopback (::1)? Si no, `motivo` dice por qué.
bool hay_ipv6(std::string* motivo = nullptr);
/// ¿Puede el arnés dar a un programa sus propios espacios de nombres de usuario y de montajes
/// (Opciones::ficheros)? No en un contenedor que los prohíbe (Docker sin privilegios,
/// user.max_user_namespaces = 0...); entonces `motivo` dice por qué.
bool espacios_permitidos(std::string* motivo = nullptr);

/// Lo que se vio de una página en Chromium (ver en_el_navegador()).
struct EnElNavegador {
    bool omitida = false;                        ///< No hay Chromium (o no arranca aquí): `motivo`.
    std::string motivo;                          ///< Por qué se omitió, o qué falló.
    std::map<std::string, std::string> valores;  ///< Lo que devolvió la expresión: clave → texto.
    bool bien() const { return !omitida && motivo.empty(); }
};
/// El navegador como interlocutor: abre `url` en Chromium sin ventana (tests/arnes/navegador.py,
/// por el protocolo DevTools), espera a que cargue con sus imágenes y evalúa `expresion`,
/// JavaScript que devuelve un objeto de valores simples. Sin Chromium, `omitida` (la prueba
/// llama a GTEST_SKIP con el motivo). Chromium muere con el Programa que lo lanza: no queda nada.
EnElNavegador en_el_navegador(const std::string& url, const std::string& expresion,
                              Ms plazo = Ms(60000));

}  // namespace arnes

// Las constantes de la tabla de etapas (etapas.tsv), generadas por CMake.
#include "arnes/tabla.h"
