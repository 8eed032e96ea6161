/// \file
/// \brief Lección 05 · read y write — servidor: devuelve (eco) todo lo que recibe.
///
/// Quinto paso del servidor: «escribir y recibir datos del cliente, por medio de las funciones
/// write() y read()», las mismas que con un fichero. Ambos lados deben saber qué esperan: aquí,
/// un protocolo de eco por líneas (docs/protocolo.md). Este servidor atiende a un cliente hasta
/// que cierra su lado, cierra y termina.
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
// TODO(etapa 05): comentario, el acuerdo entre los dos programas: qué envía el cliente y qué le
// TODO(etapa 05): devuelve el servidor.
// TODO(etapa 05): Lee: docs/05_read_write.md, sección «El protocolo».
// [05-protocolo]

// [05-escribir-todo]
// TODO(etapa 05): Paso 2 de 3 · escribirlo todo. Una función documentada con ///, escribir_todo,
// TODO(etapa 05): que recibe un descriptor, un puntero a los datos y cuántos bytes son, y no vuelve
// TODO(etapa 05): hasta haberlos escrito todos: write() puede escribir MENOS de lo pedido, y puede
// TODO(etapa 05): volver con -1 y EINTR si la interrumpe una señal (eso no es un error: se repite).
// TODO(etapa 05): Cualquier otro fallo, con sockets::comprobar(). Úsala en atender(), en lugar de
// TODO(etapa 05): write().
// TODO(etapa 05): Pruebas: Eco.CompletaLasEscriturasParciales,
// TODO(etapa 05): Eco.CompletaUnaEscrituraCortaProvocada.
// TODO(etapa 05): Lee: docs/05_read_write.md, sección «Lecturas y escrituras parciales»; man 2
// TODO(etapa 05): write.
// [05-escribir-todo]

// [05-atender]
// TODO(etapa 05): Paso 1 de 3 · el eco. Una función documentada con ///, atender, que recibe el
// TODO(etapa 05): descriptor de la conexión, devuelve a ese cliente cada byte que le llega, en el
// TODO(etapa 05): mismo orden, hasta el fin de fichero, y devuelve cuántos bytes devolvió en total
// TODO(etapa 05): (un std::size_t). Un read() no es un mensaje: reenvía lo que llegue, sin esperar
// TODO(etapa 05): a tener una línea. read() devuelve 0 cuando el cliente cerró su lado: es el final
// TODO(etapa 05): normal, no un error. Usa un búfer fijo (16 KiB basta). Para escribir, de momento,
// TODO(etapa 05): un write() por cada trozo leído (el paso 2 lo completa).
// TODO(etapa 05): Pruebas: Eco.DevuelveUnaLinea, Eco.DevuelveLoQueLlegaByteAByte,
// TODO(etapa 05): Eco.DevuelveOchoMiBIntactos, Eco.TerminaElBucleCuandoElClienteCierra.
// TODO(etapa 05): Lee: docs/05_read_write.md, sección «El servidor: eco de cada byte»; man 2
// TODO(etapa 05): read.
// [05-atender]

// [05-sigpipe]
// TODO(etapa 05): Paso 3 de 3 · SIGPIPE. Una función documentada con ///, ignorar_sigpipe, sin
// TODO(etapa 05): parámetros, que hace que el proceso ignore la señal SIGPIPE. Así, seguir
// TODO(etapa 05): escribiendo a un cliente que ya cerró (tras el RST con el que responde al primer
// TODO(etapa 05): write()) da el error EPIPE, que se explica, en vez de matar al proceso en
// TODO(etapa 05): silencio. Hazlo con sigaction(2), no con signal(), y compruébalo con
// TODO(etapa 05): sockets::comprobar().
// TODO(etapa 05): Prueba: Eco.SobreviveAUnClienteQueCierraSinLeer.
// TODO(etapa 05): Lee: docs/05_read_write.md, sección «SIGPIPE»; man 2 sigaction, man 7 signal.
// [05-sigpipe]

/// El servidor, paso a paso: cada lección le añade una etapa.
/// Lanza std::system_error si falla una llamada al sistema.
void servir(std::uint16_t puerto) {
    // [05-sigpipe-llamada]
    // TODO(etapa 05): Paso 3 de 3 (continúa) · usar ignorar_sigpipe(). Llámala al empezar, antes de
    // TODO(etapa 05): crear el socket.
    // TODO(etapa 05): Prueba: Eco.IgnoraSigpipeConSigaction.
    // [05-sigpipe-llamada]

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
    // accept() saca de la cola la siguiente conexión (o espera a que llegue una) y devuelve un
    // descriptor NUEVO para hablar con ese cliente; en `cliente` deja su dirección.
    sockaddr_in cliente{};
    socklen_t largo_cliente = sizeof cliente;  // entrada: tamaño del hueco; salida: lo usado
    int conexion = accept(escucha, reinterpret_cast<sockaddr*>(&cliente), &largo_cliente);
    // ECONNABORTED: el cliente que estaba en la cola se fue (RST) antes de que lo aceptáramos.
    // No es un fallo del servidor: se pide el siguiente.
    while (conexion == -1 && errno == ECONNABORTED)
        conexion = accept(escucha, reinterpret_cast<sockaddr*>(&cliente), &largo_cliente);
    sockets::comprobar("accept()", conexion);
    std::cout << "[servidor] accept(): cliente " << texto_de(cliente) << " en el descriptor "
              << conexion << std::endl;
    // [04-accept]

    // [05-eco]
    // TODO(etapa 05): Paso 1 de 3 (continúa) · usar el eco. Antes de cerrar la conexión, atiende al
    // TODO(etapa 05): cliente con tu función, sobre el descriptor conectado (no sobre el de
    // TODO(etapa 05): escucha).
    // TODO(etapa 05): Prueba: Eco.LeeYEscribeEnElDescriptorAceptado.
    // [05-eco]

    // [04-cerrar]
    sockets::comprobar("close()", close(conexion));  // la conexión con este cliente
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
