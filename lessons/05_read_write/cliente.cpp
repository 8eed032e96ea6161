/// \file
/// \brief Lección 05 · read y write — cliente: envía líneas y muestra su eco.
///
/// Tercer paso del cliente: «escribir y recibir datos del servidor por medio de las funciones
/// write() y read()». Con el protocolo de eco por líneas (docs/protocolo.md), envía cada línea
/// y lee hasta tener su respuesta completa, aunque llegue a trozos.
/// Las marcas `// [NN-nombre]` rodean el código de la etapa NN.
#include "sockets_comun.h"

namespace {

// [04-texto]
/// «IP:PUERTO» de una dirección IPv4, para mostrarla: inet_ntop(3) y ntohs(3).
std::string texto_de(const sockaddr_in& direccion) {
    char ip[INET_ADDRSTRLEN];  // cabe «255.255.255.255» con su '\0'
    if (inet_ntop(AF_INET, &direccion.sin_addr, ip, sizeof ip) == nullptr)
        sockets::comprobar("inet_ntop()", -1);  // no ocurre con AF_INET y este tamaño
    return std::string(ip) + ":" + std::to_string(ntohs(direccion.sin_port));
}
// [04-texto]

// [05-protocolo]
// TODO(etapa 05): Antes de empezar · el protocolo. Lee docs/protocolo.md y resume aquí, en un
// TODO(etapa 05): comentario, el acuerdo. Una línea de más de 1 MiB es un error: declara ese límite
// TODO(etapa 05): como una constante llamada kLineaMaxima. Lee: docs/05_read_write.md, sección
// TODO(etapa 05): «El protocolo».
// [05-protocolo]

// [05-escribir-todo]
// TODO(etapa 05): Paso 2 de 3 · escribirlo todo. Una función documentada con ///, escribir_todo,
// TODO(etapa 05): que recibe un descriptor, un puntero a los datos y cuántos bytes son, y no vuelve
// TODO(etapa 05): hasta haberlos escrito todos: write() puede escribir MENOS de lo pedido, y puede
// TODO(etapa 05): volver con -1 y EINTR si la interrumpe una señal (se repite). Cualquier otro
// TODO(etapa 05): fallo, con sockets::comprobar(). Úsala para enviar cada línea, en lugar de
// TODO(etapa 05): write().
// TODO(etapa 05): Prueba: ClienteEco.CompletaUnaEscrituraCortaProvocada.
// TODO(etapa 05): Lee: docs/05_read_write.md, sección «Lecturas y escrituras parciales»; man 2
// TODO(etapa 05): write.
// [05-escribir-todo]

// [05-leer-linea]
// TODO(etapa 05): Paso 1 de 3 · juntar una línea. Una función documentada con ///, leer_linea, que
// TODO(etapa 05): recibe el descriptor, un std::string «pendiente» (lo que sobró de lecturas
// TODO(etapa 05): anteriores) y un std::string donde dejar la línea; devuelve true si dejó una
// TODO(etapa 05): línea completa (sin su salto de línea) y false si el servidor cerró sin que
// TODO(etapa 05): quedara nada pendiente. Lee trozos hasta ver el salto de línea y deja en
// TODO(etapa 05): «pendiente» lo que venga detrás: es el principio de la línea siguiente.
// TODO(etapa 05):   - read() con -1 y EINTR se repite; otro -1, con sockets::comprobar().
// TODO(etapa 05):   - El servidor cierra (read() da 0) a media línea: error (lanza
// TODO(etapa 05):     std::runtime_error).
// TODO(etapa 05):   - Más de kLineaMaxima bytes sin salto de línea: error.
// TODO(etapa 05): Prueba: ClienteEco.JuntaUnEcoQueLlegaByteAByte.
// TODO(etapa 05): Lee: docs/05_read_write.md, sección «El cliente: juntar la respuesta hasta el
// TODO(etapa 05): salto de línea»; man 2 read.
// [05-leer-linea]

/// El cliente, paso a paso: habla con el servidor `host`:`puerto` y le envía `mensaje` o, si es
/// nullptr, cada línea de la entrada estándar. Lanza std::system_error si falla una llamada.
void conversar(in_addr host, std::uint16_t puerto, const char* mensaje) {
    // [05-sigpipe]
    // TODO(etapa 05): Paso 3 de 3 · SIGPIPE. Al empezar, el cliente ignora la señal SIGPIPE, para
    // TODO(etapa 05): que seguir escribiendo a un servidor que ya cerró (tras el RST con el que
    // TODO(etapa 05): responde al primer write()) dé el error EPIPE en vez de matarlo en silencio.
    // TODO(etapa 05): Hazlo con sigaction(2), no con signal(), y compruébalo con
    // TODO(etapa 05): sockets::comprobar().
    // TODO(etapa 05): Prueba: ClienteEco.SobreviveAEscribirEnUnaConexionCerrada.
    // TODO(etapa 05): Lee: docs/05_read_write.md, sección «SIGPIPE»; man 2 sigaction, man 7
    // TODO(etapa 05): signal.
    // [05-sigpipe]

    // [01-socket]
    const int conexion = socket(AF_INET, SOCK_STREAM, 0);  // IPv4 y flujo de bytes (TCP)
    sockets::comprobar("socket()", conexion);               // -1 y errno si no pudo
    std::cout << "[cliente] socket(): descriptor " << conexion << std::endl;
    // [01-socket]

    // [04-connect]
    sockaddr_in servidor{};             // la dirección del socket con nombre del servidor
    servidor.sin_family = AF_INET;
    servidor.sin_addr = host;           // ya en orden de red: así la dejó inet_pton()
    servidor.sin_port = htons(puerto);  // el puerto, en orden de red (big endian)
    const std::string llamada = "connect() a " + texto_de(servidor);  // para el mensaje de error
    // connect() hace el saludo de tres pasos de TCP: vuelve cuando la conexión está hecha, o con
    // -1 y ECONNREFUSED si en ese puerto no escucha nadie.
    sockets::comprobar(llamada, connect(conexion, reinterpret_cast<const sockaddr*>(&servidor),
                                        sizeof servidor));

    // El núcleo dio al socket del cliente una dirección y un puerto efímero: getsockname().
    sockaddr_in local{};
    socklen_t largo = sizeof local;
    sockets::comprobar("getsockname()",
                       getsockname(conexion, reinterpret_cast<sockaddr*>(&local), &largo));
    std::cout << "[cliente] connect(): conectado a " << texto_de(servidor) << " desde "
              << texto_de(local) << std::endl;
    // [04-connect]

    // [05-eco]
    // TODO(etapa 05): Paso 1 de 3 (continúa) · conversar. Las líneas salen de MENSAJE si lo hay o,
    // TODO(etapa 05): si mensaje es nullptr, de la entrada estándar (un mismo bucle sirve para las
    // TODO(etapa 05): dos si lees de un std::istream). Por cada línea: si pasa de kLineaMaxima,
    // TODO(etapa 05): error; si no, envíala con su salto de línea (de momento con un write(); el
    // TODO(etapa 05): paso 2 lo completa), espera su eco con leer_linea() (si el servidor cierra
    // TODO(etapa 05): sin responder, error: «el servidor cerró la conexión antes de responder») e
    // TODO(etapa 05): imprime:
    // TODO(etapa 05):   [cliente] eco: LÍNEA
    // TODO(etapa 05): Pruebas: ClienteEco.ImprimeElEcoDelMensaje,
    // TODO(etapa 05): ClienteEco.EnviaCadaLineaDeLaEntrada,
    // TODO(etapa 05): ClienteEco.FallaSiElServidorCierraSinResponder.
    // TODO(etapa 05): Lee: docs/05_read_write.md, sección «El cliente: juntar la respuesta hasta
    // TODO(etapa 05): el salto de línea». Después borra la línea (void) de abajo.
    (void)mensaje;  // sin usar hasta la etapa 05, que lo envía
    // [05-eco]

    // [01-cerrar]
    sockets::comprobar("close()", close(conexion));  // todo descriptor abierto se cierra
    // [01-cerrar]
}

}  // namespace

/// Punto de entrada: `cliente HOST PUERTO [MENSAJE]`. Devuelve 0 si todo fue bien, 1 si falló
/// una llamada al sistema y 2 si los argumentos no son válidos.
int main(int argc, char* argv[]) {
    try {
        if (argc < 3) throw sockets::ErrorDeUso("faltan argumentos");
        if (argc > 4) throw sockets::ErrorDeUso("sobran argumentos");
        const in_addr host = sockets::leer_host(argv[1]);             // IPv4 o localhost
        const std::uint16_t puerto = sockets::leer_puerto(argv[2]);  // 0..65535
        const char* mensaje = (argc == 4) ? argv[3] : nullptr;       // nullptr: leer de stdin
        conversar(host, puerto, mensaje);
        return EXIT_SUCCESS;
    } catch (const sockets::ErrorDeUso& e) {
        return sockets::uso("cliente", "HOST PUERTO [MENSAJE]", e);  // código 2
    } catch (const std::system_error& e) {
        std::cerr << "[cliente] error: " << e.what();
        if (e.code() == std::errc::connection_refused)
            std::cerr << " — ¿está el servidor en marcha?";  // una pista, no solo el síntoma
        std::cerr << std::endl;
        return EXIT_FAILURE;
    } catch (const std::exception& e) {
        std::cerr << "[cliente] error: " << e.what() << std::endl;
        return EXIT_FAILURE;
    }
}
