/// \file texto.h
/// \brief El texto de los registros y de las herramientas: UTF-8 (validar, sanear, cortar sin
///        partir un carácter), caracteres de control fuera, recortes con su marca y anchos de
///        columna. La única implementación: el arnés, las herramientas y el corrector la usan.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace base {

/// Examina la secuencia UTF-8 que empieza en `s[i]` (i < s.size()). Devuelve su largo (1..4)
/// si es válida y completa; -1 si es el principio válido de una secuencia que el final de `s`
/// dejó a medias (datos recortados); 0 si no es UTF-8 válido (byte suelto, sobrelarga, suplente,
/// más allá de U+10FFFF).
int examinar_utf8(std::string_view s, std::size_t i);

/// ¿Es `c` un byte de continuación de UTF-8 (10xxxxxx)?
inline bool continuacion(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// El mayor corte `<= tope` que no parte un carácter UTF-8 (retrocede sobre continuaciones).
std::size_t corte_atras(std::string_view s, std::size_t tope);
/// El menor corte `>= desde` que no parte un carácter UTF-8 (avanza sobre continuaciones).
std::size_t corte_adelante(std::string_view s, std::size_t desde);

/// UTF-8 válido: cada secuencia inválida pasa a U+FFFD.
std::string utf8_saneado(std::string_view s);

/// Sin caracteres de control (salvo \n y \t), sin DEL y sin secuencias de color ANSI
/// (ESC [ … letra): nada de un registro llega a la terminal como una secuencia de escape.
std::string sin_control(std::string_view s);

/// Recorta `s` a `tope` bytes sin partir un carácter y lo dice al final:
/// «\n… (recortado<quien>: N bytes en total)». Si cabe, `s` tal cual.
std::string acotar(std::string_view s, std::size_t tope, std::string_view quien = "");

/// Columnas de pantalla de un texto UTF-8 (un carácter, una columna).
std::size_t ancho(std::string_view s);
/// `s` con espacios a la derecha hasta `n` columnas.
std::string rellenar(const std::string& s, std::size_t n);
/// `s` recortado a `max` columnas (max >= 1), con «…» al final si no cabía.
std::string recortar_ancho(const std::string& s, std::size_t max);

/// La primera secuencia «\xNN\xNN…» de `s` que codifica UTF-8 válido (un carácter no ASCII
/// escrito como bytes escapados), o "".
std::string utf8_escapado(std::string_view s);

}  // namespace base
