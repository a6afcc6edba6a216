# cmake -DIN=file -DOUT=file.c -DSYMBOL=name -P EmbedFile.cmake
# Writes a C file defining `const char SYMBOL[]` (NUL-terminated) and
# `const size_t SYMBOL_len` with the bytes of IN (any bytes: UTF-8 is fine).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "(char)0x\\1," bytes "${hex}")
string(REGEX REPLACE "((\\(char\\)0x..,){16})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "/* generated from ${IN}; do not edit */\n#include <stddef.h>\n"
  "extern const char ${SYMBOL}[];\nextern const size_t ${SYMBOL}_len;\n"
  "const char ${SYMBOL}[] = {\n${bytes}0x00};\nconst size_t ${SYMBOL}_len = ${len};\n")
