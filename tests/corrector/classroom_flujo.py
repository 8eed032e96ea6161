#!/usr/bin/env python3
"""Ejecuta un flujo de GitHub Classroom (.github/workflows/classroom.yml) como lo haría GitHub
Actions, para la prueba corrector/classroom (prueba_classroom.sh).

Los pasos «run:» se ejecutan de verdad y en orden, con bash -eo pipefail en el checkout del
alumno, con GITHUB_WORKSPACE, RUNNER_TEMP y un GITHUB_OUTPUT por paso; el primer paso que falla
para el trabajo (como en Actions). Solo se emulan dos acciones:
  · actions/checkout: sin «repository», el checkout del alumno ya está en WORKSPACE; con
    «repository», «ref» y «path», un clon de ese repositorio (REPOS: nombre=carpeta) en ese
    commit;
  · classroom-resources/autograding-grading-reporter: decodifica el «result» (base64 de JSON)
    de cada runner y suma, como su NotifyClassroom, el «score» de cada prueba y el «max_score».
Escribe en stdout, para que bash lo lea sin Python, tres líneas «clave<TAB>valor» y la salida:
  fallido<TAB>el nombre del paso que falló (vacío si ninguno)
  puntos<TAB>la suma de los «score» (vacío si el reporter no llegó a ejecutarse)
  maximo<TAB>la suma de los «max_score» (ídem)
  salida
  …la salida del paso que falló (sus últimos 3000 caracteres), hasta el final.

Uso: classroom_flujo.py FLUJO WORKSPACE RUNNER_TEMP nombre=carpeta...
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys

import yaml


def main():
    flujo, ws, temp = sys.argv[1:4]
    repos = dict(a.split("=", 1) for a in sys.argv[4:])
    with open(flujo, encoding="utf-8") as f:
        wf = yaml.safe_load(f)
    (trabajo,) = wf["jobs"].values()
    salidas = {}
    resultado = {"fallido": None, "salida": "", "puntos": None, "maximo": None}

    def resolver(texto):
        return re.sub(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.(\w+)\s*\}\}",
                      lambda m: salidas.get(m.group(1), {}).get(m.group(2), ""), texto)

    for i, paso in enumerate(trabajo["steps"]):
        nombre = paso.get("name", f"paso {i}")
        usa = paso.get("uses", "")
        con = paso.get("with", {}) or {}
        if usa.startswith("actions/checkout@"):
            if "repository" in con:
                destino = os.path.join(ws, con.get("path", "."))
                shutil.rmtree(destino, ignore_errors=True)
                origen = repos[con["repository"]]
                subprocess.run(["git", "clone", "-q", origen, destino], check=True)
                subprocess.run(["git", "-C", destino, "checkout", "-q", "--detach", con["ref"]], check=True)
        elif usa.startswith("classroom-resources/autograding-grading-reporter@"):
            puntos = maximo = 0
            for runner in con["runners"].split(","):
                runner = runner.strip()
                codificado = resolver(paso["env"][f"{runner.upper()}_RESULTS"])
                r = json.loads(base64.b64decode(codificado).decode("utf-8"))
                if not r.get("max_score"):
                    continue
                maximo += r["max_score"]
                puntos += sum(t.get("score", 0) for t in r["tests"])
            resultado["puntos"], resultado["maximo"] = round(puntos, 2), round(maximo, 2)
        elif usa:
            sys.exit(f"classroom_flujo.py: no sé emular la acción {usa}")
        elif "run" in paso:
            fichero = os.path.join(temp, f"salida-{i}")
            open(fichero, "w").close()
            entorno = dict(os.environ, GITHUB_WORKSPACE=ws, RUNNER_TEMP=temp, GITHUB_OUTPUT=fichero, CI="true")
            p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", paso["run"]],
                               cwd=ws, env=entorno, capture_output=True, text=True)
            if p.returncode != 0:
                resultado["fallido"] = nombre
                resultado["salida"] = (p.stdout + p.stderr)[-3000:]
                break
            with open(fichero, encoding="utf-8") as f:
                salidas[paso.get("id", f"paso-{i}")] = dict(
                    linea.rstrip("\n").split("=", 1) for linea in f if "=" in linea)
    for clave in ("fallido", "puntos", "maximo"):
        valor = resultado[clave]
        print(f"{clave}\t{'' if valor is None else valor}")
    print("salida")
    sys.stdout.write(resultado["salida"])


if __name__ == "__main__":
    main()
