#!/usr/bin/env python3
"""El navegador como interlocutor de una prueba: abre una URL en Chromium sin ventana, espera a
que cargue (con sus imágenes) y evalúa una expresión de JavaScript en la página.

La expresión devuelve un objeto de valores simples; se imprime una línea «clave<TAB>valor» por
cada uno (los valores, en una sola línea). Lo lee arnes::en_el_navegador() (tests/arnes/arnes.h).

Habla con Chromium por el protocolo DevTools sobre una tubería con la clase Chromium de
docs/navegador.py, la misma que prueba la documentación en el navegador.

Uso: navegador.py URL EXPRESIÓN
Sale con 0 si evaluó la expresión, 77 (omitida) si no hay Chromium o no puede arrancar aquí, y
1 si la página no cargó o la expresión falló (el motivo, en stdout).
"""
import os
import shutil
import sys
import tempfile

OMITIDA = 77
RAIZ = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(RAIZ, "docs"))


def main():
    if len(sys.argv) != 3:
        print("uso: navegador.py URL EXPRESIÓN", file=sys.stderr)
        return 2
    url, expresion = sys.argv[1], sys.argv[2]
    ejecutable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not ejecutable:
        print("no está Chromium (para tenerla: sudo apt-get install -y chromium)")
        return OMITIDA
    try:
        from navegador import Chromium  # docs/navegador.py
    except ImportError as e:
        print(f"no encuentro docs/navegador.py junto a las pruebas ({e})")
        return OMITIDA
    with tempfile.TemporaryDirectory(prefix="sockets-chromium-") as perfil:
        try:
            navegador = Chromium(ejecutable, perfil)
        except OSError as e:
            print(f"Chromium no arranca aquí: {e}")
            return OMITIDA
        try:
            try:
                objetivo = navegador.orden("Target.createTarget", {"url": "about:blank"}, sesion=False)
            except (TimeoutError, RuntimeError) as e:
                print(f"Chromium no arranca aquí: {e}")
                return OMITIDA
            navegador.sesion = navegador.orden(
                "Target.attachToTarget", {"targetId": objetivo["targetId"], "flatten": True},
                sesion=False)["sessionId"]
            navegador.orden("Page.enable")
            navegador.abrir(url)
            valores = navegador.evaluar(expresion)
        except (TimeoutError, RuntimeError) as e:
            print(f"la página {url} no se pudo mirar: {e}")
            return 1
        finally:
            navegador.cerrar()
    if not isinstance(valores, dict):
        print(f"la expresión no devolvió un objeto: {valores!r}")
        return 1
    for clave, valor in valores.items():
        print(f"{clave}\t{' '.join(str(valor).split())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
