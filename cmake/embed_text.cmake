# Writes OUT: a C file holding the text file IN as the NUL-terminated string
# `const char *const SYMBOL` (with SYMBOL_len its length without the NUL), so the binary carries
# it. Run by the build (see CMakeLists.txt), e.g. for `apilint init`.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR size "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n  " bytes "${bytes}")
get_filename_component(name "${IN}" NAME)
set(code "/* Generated from ${name} by cmake/embed_text.cmake. */\n#include <stddef.h>\n\n")
string(APPEND code "extern const char *const ${SYMBOL};\nextern const size_t ${SYMBOL}_len;\n\n")
string(APPEND code "static const unsigned char bytes[] = {\n  ${bytes}0x00};\n")
string(APPEND code "const char *const ${SYMBOL} = (const char *)bytes;\n")
string(APPEND code "const size_t ${SYMBOL}_len = ${size};\n")
file(WRITE "${OUT}.tmp" "${code}")
file(RENAME "${OUT}.tmp" "${OUT}")
