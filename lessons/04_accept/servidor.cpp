/// \file
/// \brief Lección 04 · accept — servidor: pide al sistema el primer cliente de la cola.
///
/// Cuarto paso del servidor: «pedir y aceptar las conexiones de clientes al sistema operativo»
/// con accept(2), que da el siguiente cliente de la cola o espera a que llegue uno. Devuelve un
/// descriptor nuevo, solo para ese cliente; el socket de escucha sigue siendo el socket con
/// nombre. Este servidor acepta a un cliente, dice quién es, cierra y termina.
/// Las marcas `// [NN-nombre]` rodean el código de la etapa NN.
#include "sockets_comun.h"

namespace {

// [04-texto]
// TODO(etapa 04): Objetivo: una función documentada con ///, llamada texto_de, que recibe una
// TODO(etapa 04): dirección IPv4 (una sockaddr_in, por referencia constante) y devuelve un
// TODO(etapa 04): std::string «IP:PUERTO», por ejemplo «127.0.0.1:5000»: la IP convertida a texto y
// TODO(etapa 04): el puerto en el orden del host. Si la conversión de la IP falla, lanza la
// TODO(etapa 04): excepción con sockets::comprobar(): ojo, inet_ntop() no devuelve -1 al fallar,
// TODO(etapa 04): sino un puntero nulo (mira su man); comprobar() espera el -1 de las llamadas.
// TODO(etapa 04): Lee: docs/04_accept.md, sección «Mostrar una dirección»; man 3 inet_ntop, man 3
// TODO(etapa 04): ntohs.
// [04-texto]

/// El servidor, paso a paso: cada lección le añade una etapa.
/// Lanza std::system_error si falla una llamada al sistema.
void servir(std::uint16_t puerto) {
    // [01-socket]
    const int escucha = socket(AF_INET, SOCK_STREAM, 0);  // IPv4 y flujo de bytes (TCP)
    sockets::comprobar("socket()", escucha);               // -1 y errno si no pudo
    std::cout << "[servidor] socket(): descriptor " << escucha << std::endl;
    // [01-socket]

    // [02-bind]
    // SO_REUSEADDR: al reiniciar el servidor, su puerto puede seguir ocupado por conexiones
    // viejas en TIME_WAIT (las guarda el extremo que cerró primero, 60 s en Linux, por si llegan
    // segmentos rezagados). Sin esta opción bind() fallaría con EADDRINUSE hasta que caduquen.
    const int si = 1;
    sockets::comprobar("setsockopt()",
                       setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si));

    sockaddr_in direccion{};                        // dirección IPv4, todo a cero
    direccion.sin_family = AF_INET;
    direccion.sin_addr.s_addr = htonl(INADDR_ANY);  // cualquier interfaz de esta máquina
    direccion.sin_port = htons(puerto);             // el puerto, en orden de red (big endian)
    // bind() acepta cualquier familia con el tipo genérico sockaddr: de ahí la conversión (cast).
    sockets::comprobar("bind()", bind(escucha, reinterpret_cast<const sockaddr*>(&direccion),
                                      sizeof direccion));

    // Con PUERTO 0 el núcleo eligió un puerto libre: getsockname() dice cuál es el real.
    socklen_t largo = sizeof direccion;
    sockets::comprobar("getsockname()",
                       getsockname(escucha, reinterpret_cast<sockaddr*>(&direccion), &largo));
    const std::uint16_t puerto_real = ntohs(direccion.sin_port);  // de orden de red al del host
    std::cout << "[servidor] bind(): socket enlazado al puerto " << puerto_real << std::endl;
    // [02-bind]

    // [03-listen]
    // listen() vuelve pasivo al socket: desde ahora el núcleo completa por su cuenta el saludo de
    // TCP con cada cliente que llegue y guarda la conexión en la cola hasta que la pidamos.
    constexpr int kCola = 5;  // cuántas conexiones completas pueden esperar en la cola
    sockets::comprobar("listen()", listen(escucha, kCola));
    std::cout << "[servidor] listen(): escuchando en el puerto " << puerto_real << " (cola de "
              << kCola << ")" << std::endl;
    // [03-listen]

    // [04-accept]
    // TODO(etapa 04): Objetivo: sustituir la espera de la entrada estándar por aceptar al primer
    // TODO(etapa 04): cliente de la cola. La llamada devuelve un descriptor NUEVO, el de la
    // TODO(etapa 04): conexión con ese cliente: guárdalo en una variable llamada «conexion», y la
    // TODO(etapa 04): dirección del cliente en una sockaddr_in llamada «cliente» (las etapas
    // TODO(etapa 04): siguientes usan esos nombres).
    // TODO(etapa 04):   - Si falla con ECONNABORTED (el cliente se fue mientras esperaba en la
    // TODO(etapa 04):     cola), no es un error del servidor: vuelve a intentarlo. Cualquier otro
    // TODO(etapa 04):     fallo, con sockets::comprobar().
    // TODO(etapa 04):   - Después imprime (IP:PUERTO es el cliente, con texto_de(); N, el
    // TODO(etapa 04):     descriptor nuevo):
    // TODO(etapa 04):       [servidor] accept(): cliente IP:PUERTO en el descriptor N
    // TODO(etapa 04): Lee: docs/04_accept.md, sección «Aceptar un cliente»; man 2 accept (sección
    // TODO(etapa 04): ERRORS).
    // TODO(etapa 04): Luego borra la espera que sigue (el comentario y la lectura de std::cin).
    // Aún no llamamos a accept(), pero los clientes ya pueden conectar: el núcleo los deja en la
    // cola. Pruébalo desde otra terminal con «nc 127.0.0.1 PUERTO» (nc conecta aunque nadie le
    // conteste) y mira la conexión con «ss -tn». Esperamos al fin de la entrada (Ctrl+D).
    std::cin.ignore(std::numeric_limits<std::streamsize>::max());  // lee y descarta hasta EOF
    // [04-accept]

    // [04-cerrar]
    // TODO(etapa 04): Objetivo: antes de terminar, cierra la conexión con el cliente y compruébalo
    // TODO(etapa 04): (el socket de escucha se sigue cerrando al final, como antes). Lee:
    // TODO(etapa 04): docs/04_accept.md, sección «Aceptar un cliente»; man 2 close.
    // [04-cerrar]

    // [01-cerrar]
    sockets::comprobar("close()", close(escucha));  // todo descriptor abierto se cierra
    // [01-cerrar]
}

}  // namespace

/// Punto de entrada: `servidor PUERTO`. Devuelve 0 si todo fue bien, 1 si falló una llamada al
/// sistema y 2 si los argumentos no son válidos.
int main(int argc, char* argv[]) {
    try {
        if (argc < 2) throw sockets::ErrorDeUso("falta el PUERTO");
        if (argc > 2) throw sockets::ErrorDeUso("sobran argumentos");
        const std::uint16_t puerto = sockets::leer_puerto(argv[1]);  // 0: lo elige el núcleo
        servir(puerto);
        return EXIT_SUCCESS;
    } catch (const sockets::ErrorDeUso& e) {
        return sockets::uso("servidor", "PUERTO", e);  // código 2
    } catch (const std::exception& e) {
        std::cerr << "[servidor] error: " << e.what() << std::endl;
        return EXIT_FAILURE;
    }
}
