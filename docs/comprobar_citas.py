#!/usr/bin/env python3
"""Comprueba que cada cita de la documentación copia el texto fuente palabra por palabra.

Una cita es un bloque «> …» de una página docs/*.md (los recuadros «El paso del texto»). Se
permite marcar omisiones con «…» (o «[…]»): cada trozo entre omisiones tiene que aparecer tal cual
en el texto fuente, o en una de las otras fuentes que se citan (--fuente: RFC 1945 en la lección
10). Solo se normalizan los espacios y los saltos de línea; una paráfrasis falla.
Además, cada sección «## El paso del texto» tiene que tener al menos una cita.

En un programa (.cpp de lessons/ o solutions/), las citas son lo que va entre «» en su comentario
inicial (las líneas «///» del principio, que el listado enseña): ahí se permite además que la
primera letra cambie de mayúscula a minúscula, porque la cita sigue a una frase nuestra.

Uso: comprobar_citas.py TEXTO_FUENTE [--fuente OTRA]... PAGINA.md|PROGRAMA.cpp...
"""
import re
import sys


def normalizar(texto):
    return " ".join(texto.split())


def citas(lineas):
    """Devuelve (número de línea, texto) de cada bloque de líneas «>» consecutivas."""
    bloque, inicio = [], 0
    for numero, linea in enumerate(lineas + [""], start=1):
        if linea.startswith(">"):
            if not bloque:
                inicio = numero
            bloque.append(linea[1:].strip())
        elif bloque:
            yield inicio, normalizar(" ".join(bloque))
            bloque = []


def main():
    argumentos = sys.argv[1:]
    fuentes = argumentos[:1]
    while len(argumentos) > 2 and argumentos[1] == "--fuente":
        fuentes.append(argumentos[2])
        del argumentos[1:3]
    if len(argumentos) < 2:
        print("uso: comprobar_citas.py TEXTO_FUENTE [--fuente OTRA]... PAGINA.md...", file=sys.stderr)
        return 2
    textos = []
    for ruta in fuentes:
        with open(ruta, encoding="utf-8") as f:
            textos.append(normalizar(f.read()))
    fuente = textos[0]  # el texto fuente del curso: el único que citan los programas
    fallos = total = 0
    fuente_minusculas = fuente.lower()
    for pagina in argumentos[1:]:
        with open(pagina, encoding="utf-8") as f:
            lineas = f.read().split("\n")
        if pagina.endswith(".cpp"):
            cabecera = []
            for linea in lineas:
                if not linea.startswith("///"):
                    break
                cabecera.append(linea[3:].strip())
            for cita in re.findall(r"«([^»]*)»", normalizar(" ".join(cabecera))):
                total += 1
                for trozo in re.split(r"\[…\]|…", cita):
                    trozo = trozo.strip()
                    if trozo and trozo not in fuente and trozo.lower() not in fuente_minusculas:
                        fallos += 1
                        print(f"✗ {pagina}: la cita del comentario inicial no está tal cual en el texto fuente:")
                        print(f"    «{trozo}»")
            continue
        for numero, cita in citas(lineas):
            total += 1
            for trozo in re.split(r"\[…\]|…|\.\.\.", cita):
                trozo = trozo.strip()
                if trozo and not any(trozo in texto for texto in textos):
                    fallos += 1
                    print(f"✗ {pagina}:{numero}: la cita no está tal cual en el texto fuente:")
                    print(f"    «{trozo}»")
        # Cada «El paso del texto» cita algo.
        texto = "\n".join(lineas)
        for seccion in re.findall(r"^## El paso del texto\n(.*?)(?=^## |\Z)", texto, re.M | re.S):
            if not re.search(r"^>", seccion, re.M):
                fallos += 1
                print(f"✗ {pagina}: la sección «El paso del texto» no cita el texto (ningún «>»)")
    if fallos:
        print(f"✗ Citas: {fallos} {'fallo' if fallos == 1 else 'fallos'}"
              " (cópialas del texto fuente; marca lo omitido con «…»)")
        return 1
    print(f"✓ Citas: {total} citas copiadas tal cual del texto fuente")
    return 0


if __name__ == "__main__":
    sys.exit(main())
