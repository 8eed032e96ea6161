/* Ajustes del curso en cada página del sitio (lo carga el pie, pie.html). Las reglas que lo
 * justifican están en docs/dev/estilo_docs.md; la prueba docs/navegador comprueba cada uno.
 *
 *  1. El menú del teléfono lista las páginas del curso (las del árbol lateral), no las dos
 *     entradas de Doxygen.
 *  2. Botón de tema claro/oscuro (la extensión de doxygen-awesome-css), en español.
 *  3. La navegación «anterior / siguiente» (div.pasos, al pie de cada lección) también arriba;
 *     en el teléfono, las tablas anchas se leen fila a fila, como fichas.
 *  4. Diagramas: los <iframe> de Doxygen pasan a <img> (que se encoge en el teléfono) y tocar uno
 *     lo abre a tamaño completo; los de secuencia (\msc) se ven algo mayores en el escritorio.
 *  5. Las páginas de código de solutions/NN_x/ se titulan «Lección NN · servidor.cpp».
 *  6. El buscador: palabras de las páginas (buscar_indice.js, que genera docs/sitio.cpp), sin
 *     tildes ni mayúsculas, en lugar del de Doxygen, que solo conoce símbolos.
 */
(function () {
  'use strict';

  /* Cuando la página ha cargado y menu.js ya ha dibujado el menú y la caja de búsqueda. */
  function despues_de_cargar(hacer) {
    if (document.readyState === 'complete') {
      setTimeout(hacer, 0);
    } else {
      window.addEventListener('load', function () { setTimeout(hacer, 0); });
    }
  }

  /* menu.js vuelve a crear la caja de búsqueda al cargar (a veces después del evento load) y al
   * cambiar de ancho: lo que se pone junto a ella se vuelve a poner cada vez que cambia. */
  function con_cada_caja(hacer) {
    despues_de_cargar(hacer);
    new MutationObserver(hacer).observe(document.body, {childList: true, subtree: true});
  }

  /* 1. Menú: menudata.js trae «Arquitectura» y «Páginas relacionadas»; se cambia, antes de que
   *    initMenu() lo dibuje (al cargar la página), por las páginas del árbol lateral. */
  if (typeof menudata !== 'undefined' && typeof NAVTREE !== 'undefined' && NAVTREE[0] && NAVTREE[0][2]) {
    menudata = {children: NAVTREE[0][2].map(function (e) { return {text: e[0], url: e[1]}; })};
  }

  /* La página en la que estás, marcada en el menú (cuando initMenu ya lo ha dibujado). */
  despues_de_cargar(function () {
    var aqui = window.location.pathname.split('/').pop() || 'index.html';
    document.querySelectorAll('#main-menu a').forEach(function (a) {
      if (a.getAttribute('href') === aqui) a.setAttribute('aria-current', 'page');
    });
  });

  /* 2. Tema claro u oscuro. Sin el botón, el sitio sigue al sistema (prefers-color-scheme).
   *    El botón es el de la extensión de doxygen-awesome-css, pero se coloca aquí: su init() lo
   *    pone junto a la caja de búsqueda y, si menu.js la vuelve a crear después, se pierde. */
  if (typeof DoxygenAwesomeDarkModeToggle !== 'undefined' && typeof $ !== 'undefined') {
    var boton = document.createElement('doxygen-awesome-dark-mode-toggle');
    boton.title = 'Cambiar entre el tema claro y el oscuro';
    boton.updateIcon();
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () {
      boton.updateIcon();
    });
    var colocarBoton = function () {
      var caja = document.getElementById('MSearchBox');
      if (caja && boton.parentNode !== caja.parentNode) caja.parentNode.appendChild(boton);
    };
    con_cada_caja(colocarBoton);
  }

  var contenido = document.querySelector('div.contents');

  /* 3. Anterior / siguiente, también arriba. */
  var pasos = contenido && contenido.querySelector('div.pasos');
  if (pasos) {
    var arriba = pasos.cloneNode(true);
    arriba.classList.add('pasos-arriba');
    var bloque = contenido.querySelector('div.textblock') || contenido;  // div.contents es flex
    bloque.insertBefore(arriba, bloque.firstChild);
  }

  /* 3b. Tablas de tres columnas o más: en el teléfono cada fila se lee como una ficha, con el
   *     nombre de cada columna delante de su celda (estilo.css, clase «fichas»), en vez de
   *     desplazarse de lado. */
  document.querySelectorAll('div.contents table.markdownTable').forEach(function (tabla) {
    var cabeceras = Array.prototype.map.call(tabla.querySelectorAll('tr.markdownTableHead th'),
                                             function (th) { return th.textContent.trim(); });
    if (cabeceras.length < 3) return;
    tabla.classList.add('fichas');
    tabla.querySelectorAll('tr:not(.markdownTableHead)').forEach(function (fila) {
      Array.prototype.forEach.call(fila.children, function (celda, i) {
        if (cabeceras[i]) celda.setAttribute('data-columna', cabeceras[i]);
      });
    });
  });

  /* 4. Diagramas. */
  document.querySelectorAll('div.contents iframe[src$=".svg"]').forEach(function (marco) {
    var imagen = document.createElement('img');
    imagen.src = marco.getAttribute('src');
    imagen.width = marco.width;
    imagen.height = marco.height;
    imagen.alt = 'diagrama';
    marco.replaceWith(imagen);
  });
  document.querySelectorAll('div.contents img[src$=".svg"]').forEach(function (imagen) {
    if (imagen.closest('div.mscgraph')) {
      /* mscgen escribe con letra de 12 px: a 1,3 veces su tamaño se lee como el texto (16 px).
       * En el teléfono manda max-width: 100 % (estilo.css). */
      imagen.style.width = Math.round(imagen.width * 1.3) + 'px';
    }
    if (imagen.parentNode.tagName === 'A') return;
    var enlace = document.createElement('a');
    enlace.href = imagen.getAttribute('src');
    enlace.title = 'Abrir el diagrama a tamaño completo';
    imagen.replaceWith(enlace);
    enlace.appendChild(imagen);
  });

  /* 5. Títulos de las páginas de código de las soluciones (sitio de profesores). */
  var ruta = document.querySelectorAll('#nav-path li.navelem a');
  if (ruta.length >= 3 && ruta[0].textContent === 'solutions') {
    var leccion = /^(\d\d)_/.exec(ruta[1].textContent);
    var titulo = document.querySelector('div.headertitle div.title');
    if (leccion && titulo) {
      var nombre = 'Lección ' + leccion[1] + ' · ' + ruta[ruta.length - 1].textContent;
      titulo.textContent = /^Referencia/.test(titulo.textContent.trim())
          ? nombre + ' (referencia)' : nombre;
      document.title = 'Sockets paso a paso: ' + titulo.textContent;
    }
  }

  /* 6. El buscador. */
  if (typeof INDICE_BUSQUEDA === 'undefined' || typeof searchBox === 'undefined') return;
  var indice = INDICE_BUSQUEDA;
  var terminos = Object.keys(indice.terminos);
  var MAXIMO = 10;

  /* Sin tildes y en minúsculas, carácter a carácter (mismo largo: sirve para situar el extracto). */
  function plegar(texto) {
    return texto.split('').map(function (c) {
      return c.normalize('NFD').charAt(0).toLowerCase();
    }).join('');
  }
  function palabras(texto) {
    return (plegar(texto).match(/[a-z0-9_]+/g) || []).filter(function (p) { return p.length > 1; });
  }
  function escapar(t) {
    return t.replace(/[&<>"]/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
    });
  }

  /* Puntos de cada sección para una consulta. Por palabra de la consulta: la palabra exacta vale 1
   * y una que empieza por ella («zombi» → «zombis») 0,6; dentro de la sección, las veces que sale
   * en el texto (con rendimientos decrecientes) y 3 más si sale en su título; todo por lo rara
   * que es la palabra buscada en el sitio (idf: en cuántas secciones sale, con cualquier forma).
   * Tienen que salir todas las palabras; las lecciones valen 1,3 veces más, para que lo que una
   * lección enseña salga antes que sus menciones. */
  function buscar(consulta) {
    var buscadas = palabras(consulta);
    if (!buscadas.length) return [];
    var n = indice.secciones.length;
    var total = null;
    buscadas.forEach(function (buscada) {
      var puntos = {};
      terminos.forEach(function (termino) {
        var factor = termino === buscada ? 1
            : (buscada.length >= 3 && termino.lastIndexOf(buscada, 0) === 0 ? 0.6 : 0);
        if (!factor) return;
        indice.terminos[termino].forEach(function (e) {
          var veces = e[1], v = factor * (veces * 2.2 / (veces + 1.2) + (e[2] ? 3 : 0));
          puntos[e[0]] = Math.max(puntos[e[0]] || 0, v);
        });
      });
      /* Lo rara que es la palabra buscada (con todas sus formas): pesa igual en cada sección. */
      var idf = Math.log(1 + n / Math.max(1, Object.keys(puntos).length));
      Object.keys(puntos).forEach(function (k) { puntos[k] *= idf; });
      if (total === null) {
        total = puntos;
      } else {
        var ambos = {};
        Object.keys(total).forEach(function (s) { if (s in puntos) ambos[s] = total[s] + puntos[s]; });
        total = ambos;
      }
    });
    return Object.keys(total).map(function (s) {
      var seccion = indice.secciones[s];
      return {s: +s, puntos: total[s] * (/^leccion\d\d/.test(seccion[0]) ? 1.3 : 1)};
    }).sort(function (a, b) { return b.puntos - a.puntos || a.s - b.s; })
      .slice(0, MAXIMO).map(function (r) { return r.s; });
  }

  /* Unas palabras alrededor de la primera aparición, con lo buscado marcado. */
  function extracto(texto, buscadas) {
    var plano = plegar(texto), desde = -1;
    buscadas.forEach(function (b) {
      var i = plano.search(new RegExp('(^|[^a-z0-9_])' + b));
      if (i >= 0 && (desde < 0 || i < desde)) desde = i;
    });
    var inicio = Math.max(0, desde - 60);
    if (inicio > 0) {  // sin cortar una palabra por delante
      var espacio = texto.indexOf(' ', inicio);
      if (espacio >= 0 && espacio < desde) inicio = espacio + 1;
    }
    var fin = Math.min(texto.length, inicio + 170);
    var trozo = texto.slice(inicio, fin), trozoPlano = plano.slice(inicio, fin);
    var marcas = [];
    buscadas.forEach(function (b) {
      var re = new RegExp('(^|[^a-z0-9_])(' + b + '[a-z0-9_]*)', 'g'), m;
      while ((m = re.exec(trozoPlano))) marcas.push([m.index + m[1].length, m.index + m[0].length]);
    });
    marcas.sort(function (a, b) { return a[0] - b[0]; });
    var html = '', hasta = 0;
    marcas.forEach(function (m) {
      if (m[0] < hasta) return;
      html += escapar(trozo.slice(hasta, m[0])) + '<mark>' + escapar(trozo.slice(m[0], m[1])) + '</mark>';
      hasta = m[1];
    });
    html += escapar(trozo.slice(hasta));
    return (inicio > 0 ? '… ' : '') + html + (fin < texto.length ? ' …' : '');
  }

  var panel = document.createElement('div');
  panel.id = 'buscar-panel';
  panel.setAttribute('role', 'listbox');
  panel.hidden = true;
  document.body.appendChild(panel);
  var elegido = 0;

  function campo() { return document.getElementById('MSearchField'); }

  function colocar() {
    var c = campo();
    if (!c) return;
    var r = c.getBoundingClientRect();
    var ancho = Math.min(520, window.innerWidth - 16);
    panel.style.width = ancho + 'px';
    panel.style.top = Math.round(r.bottom + 6) + 'px';
    panel.style.left = Math.round(Math.max(8, Math.min(r.left, window.innerWidth - ancho - 8))) + 'px';
  }

  function mostrar() {
    var c = campo();
    var consulta = c ? c.value.trim() : '';
    if (!consulta) { cerrar(); return; }
    var buscadas = palabras(consulta);
    var encontrados = buscar(consulta);
    elegido = 0;
    if (!encontrados.length) {
      panel.innerHTML = '<div class="buscar-nada">Nada en el curso con «' + escapar(consulta) + '».</div>';
    } else {
      panel.innerHTML = encontrados.map(function (s, k) {
        var e = indice.secciones[s];
        var donde = e[2] === e[1] ? escapar(e[1]) : escapar(e[1]) + ' › ' + escapar(e[2]);
        return '<a class="buscar-resultado' + (k === 0 ? ' elegido' : '') + '" role="option" href="' +
            escapar(e[0]) + '"><span class="buscar-donde">' + donde + '</span>' +
            '<span class="buscar-extracto">' + extracto(e[3], buscadas) + '</span></a>';
      }).join('');
    }
    colocar();
    panel.hidden = false;
  }

  function cerrar() { panel.hidden = true; }

  function elegir(paso) {
    var enlaces = panel.querySelectorAll('a.buscar-resultado');
    if (!enlaces.length) return;
    enlaces[elegido].classList.remove('elegido');
    elegido = (elegido + paso + enlaces.length) % enlaces.length;
    enlaces[elegido].classList.add('elegido');
    enlaces[elegido].scrollIntoView({block: 'nearest'});
  }

  /* Doxygen vuelve a crear la caja al cambiar de ancho (menu.js) con sus manejadores en línea
   * («searchBox.OnSearchFieldChange(event)»...): en lugar de quitarlos, se cambian los métodos
   * a los que llaman, y lo nuestro se escucha en el documento, valga para la caja que valga. */
  searchBox.OnSearchFieldChange = function () {};
  searchBox.OnSearchSelectShow = function () { return false; };
  searchBox.OnSearchSelectHide = function () { return false; };
  searchBox.Search = mostrar;
  searchBox.CloseResultsWindow = function () {
    var c = campo();
    if (c) c.value = '';
    cerrar();
    searchBox.OnSearchFieldFocus(false);
  };
  document.addEventListener('input', function (e) {
    if (e.target && e.target.id === 'MSearchField') mostrar();
  }, true);
  document.addEventListener('keydown', function (e) {
    if (!e.target || e.target.id !== 'MSearchField') return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      elegir(e.key === 'ArrowDown' ? 1 : -1);
      e.preventDefault();
    } else if (e.key === 'Enter') {
      var uno = panel.querySelectorAll('a.buscar-resultado')[elegido];
      if (!panel.hidden && uno) window.location.href = uno.href;
      e.preventDefault();
    } else if (e.key === 'Escape') {
      cerrar();
    }
  }, true);
  document.addEventListener('focusin', function (e) {
    if (e.target && e.target.id === 'MSearchField' && e.target.value.trim()) mostrar();
  });
  document.addEventListener('mousedown', function (e) {
    if (!panel.hidden && !panel.contains(e.target) && !(e.target.id === 'MSearchField')) cerrar();
  });
  window.addEventListener('resize', function () { if (!panel.hidden) colocar(); });
  /* El texto de la caja vacía: la caja se crea al cargar y otra vez al cambiar de ancho. */
  function rotular() {
    var c = campo();
    if (c) c.setAttribute('placeholder', 'Buscar en el curso');
  }
  con_cada_caja(rotular);
  document.addEventListener('focusin', rotular);
})();
