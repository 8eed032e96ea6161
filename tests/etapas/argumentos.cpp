/// \file argumentos.cpp
/// \brief Etapa 00 · argumentos: con argumentos que no valen, el servidor y el cliente terminan
///        enseguida con código 2 y explican el uso en español, sin estrellarse ni colgarse.
///
/// Vale para todas las lecciones (y sus esqueletos): leer los argumentos es de sockets_comun.h.
#include "arnes/arnes.h"

#include <string>
#include <vector>

namespace {

using arnes::Informe;
using arnes::Ms;
using arnes::Opciones;
using arnes::Programa;

const arnes::Lectura kLeerServidor{arnes::secciones::s00_uso_servidor, "lessons/comun/sockets_comun.h"};
const arnes::Lectura kLeerCliente{arnes::secciones::s00_uso_cliente, "lessons/comun/sockets_comun.h"};

class Argumentos : public arnes::PruebaDeEtapa {
protected:
    Argumentos() : PruebaDeEtapa(arnes::etapas::k00) {}

    /// Sin traza y con un límite corto: estas pruebas solo miran cómo termina el programa.
    static Opciones rapidas() {
        Opciones o;
        o.trazar = false;
        o.limite = Ms(3000);
        return o;
    }

    /// Comprueba que `p` termina con código 2 y, si `uso` es true, que stderr lleva «uso:».
    void comprobar_rechazo(Programa& p, const std::string& motivo, const arnes::Lectura& leer,
                           bool uso = true) {
        p.cerrar_entrada();  // si los aceptara por error, la lección 03 no se quedaría esperando
        auto fin = p.esperar_fin(Ms(2000));
        const std::string entrada = p.orden() + "\n(" + motivo + ")";
        const std::string esperado =
            "que termine enseguida con código 2 y explique en stderr cómo se usa («uso: …»)";
        ASSERT_TRUE(fin) << informe(
            {entrada, esperado, "no terminó en 2 s\n" + p.resumen(),
             "comprueba los argumentos al principio de main(), antes de crear el socket: "
             "atrapa sockets::ErrorDeUso y devuelve sockets::uso(...)",
             leer});
        const std::string err = p.errores();
        const bool explica = uso ? err.find("uso:") != std::string::npos : !err.empty();
        EXPECT_TRUE(!fin->por_senal && fin->codigo == 2 && explica) << informe(
            {entrada, esperado, p.resumen(),
             fin->por_senal
                 ? arnes::pista_por_senal(*fin, "comprueba los argumentos antes de usarlos (argc, "
                                                "y el puerto con leer_puerto())")
             : fin->codigo != 2 ? "un error en los argumentos sale con código 2 (0 es éxito, 1 "
                                  "es un fallo de una llamada al sistema)"
                                : "explica en stderr qué falló y cómo se usa: «uso: …»",
             leer});
    }
};

// «servidor» sin argumentos: falta el puerto.
TEST_F(Argumentos, ServidorSinPuertoExplicaElUso) {
    auto p = servidor({}, rapidas());
    comprobar_rechazo(*p, "falta el puerto", kLeerServidor);
}

// «servidor P extra»: sobra un argumento.
TEST_F(Argumentos, ServidorConArgumentosDeMasExplicaElUso) {
    auto p = servidor({"0", "extra"}, rapidas());
    comprobar_rechazo(*p, "sobra un argumento", kLeerServidor);
}

// «servidor abc»: el puerto no es un número.
TEST_F(Argumentos, ServidorConPuertoNoNumericoExplicaElUso) {
    auto p = servidor({"abc"}, rapidas());
    comprobar_rechazo(*p, "el puerto no es un número", kLeerServidor);
}

// «servidor -1»: un puerto negativo no existe.
TEST_F(Argumentos, ServidorConPuertoNegativoExplicaElUso) {
    auto p = servidor({"-1"}, rapidas());
    comprobar_rechazo(*p, "un puerto negativo no existe", kLeerServidor);
}

// «servidor 70000»: los puertos TCP van de 0 a 65535.
TEST_F(Argumentos, ServidorConPuertoFueraDeRangoExplicaElUso) {
    auto p = servidor({"70000"}, rapidas());
    comprobar_rechazo(*p, "los puertos TCP van de 0 a 65535", kLeerServidor);
}

// «servidor ""»: un puerto vacío no es un puerto.
TEST_F(Argumentos, ServidorConPuertoVacioExplicaElUso) {
    auto p = servidor({""}, rapidas());
    comprobar_rechazo(*p, "el puerto está vacío", kLeerServidor);
}

// «servidor 12abc»: el puerto lleva letras detrás de las cifras.
TEST_F(Argumentos, ServidorConPuertoConLetrasExplicaElUso) {
    auto p = servidor({"12abc"}, rapidas());
    comprobar_rechazo(*p, "el puerto lleva letras tras las cifras", kLeerServidor);
}

// «cliente» sin argumentos: faltan el host y el puerto.
TEST_F(Argumentos, ClienteSinArgumentosExplicaElUso) {
    auto p = cliente({}, rapidas());
    comprobar_rechazo(*p, "faltan el host y el puerto", kLeerCliente);
}

// «cliente 127.0.0.1»: falta el puerto.
TEST_F(Argumentos, ClienteSinPuertoExplicaElUso) {
    auto p = cliente({"127.0.0.1"}, rapidas());
    comprobar_rechazo(*p, "falta el puerto", kLeerCliente);
}

// «cliente 127.0.0.1 P MENSAJE extra»: sobra un argumento.
TEST_F(Argumentos, ClienteConArgumentosDeMasExplicaElUso) {
    auto p = cliente({"127.0.0.1", std::to_string(arnes::puerto_libre()), "hola", "extra"},
                     rapidas());
    comprobar_rechazo(*p, "sobra un argumento", kLeerCliente);
}

// «cliente 127.0.0.1 abc» y «… 70000»: el puerto no vale.
TEST_F(Argumentos, ClienteConPuertoNoValidoExplicaElUso) {
    for (const char* puerto : {"abc", "70000", "-1", ""}) {
        auto p = cliente({"127.0.0.1", puerto}, rapidas());
        comprobar_rechazo(*p, std::string("el puerto «") + puerto + "» no vale", kLeerCliente);
    }
}

// «cliente 999.1.1.1 P»: 999 no cabe en un byte, no es una IPv4.
TEST_F(Argumentos, ClienteConIpImposibleExplicaElUso) {
    auto p = cliente({"999.1.1.1", std::to_string(arnes::puerto_libre())}, rapidas());
    comprobar_rechazo(*p, "999 no cabe en un byte: no es una dirección IPv4", kLeerCliente,
                      false);
}

// «cliente hola P»: solo se admite una IPv4 con puntos o «localhost» (nada de DNS).
TEST_F(Argumentos, ClienteConHostDesconocidoExplicaElUso) {
    auto p = cliente({"hola", std::to_string(arnes::puerto_libre())}, rapidas());
    comprobar_rechazo(*p, "«hola» no es una dirección IPv4 ni «localhost»", kLeerCliente, false);
}

}  // namespace
