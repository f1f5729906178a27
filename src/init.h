/* init.h - `apilint init [FILE]`: writes the commented spec template
 * (specs/api.yaml, compiled into the binary) so a team starts from a file
 * that shows every key and loads as it is. */
#ifndef AL_INIT_H
#define AL_INIT_H

#include "common.h"

/* The template's text (NUL-terminated) and its length, generated from
 * specs/api.yaml by cmake/embed_text.cmake; static storage. */
extern const char *const al_spec_template;
extern const size_t al_spec_template_len;

/* Writes the template to 'path', or to stdout when 'path' is "-".
 * Never replaces anything: an existing file, directory, symlink (dangling
 * or not) at 'path' is an AL_E_USAGE error. The file is written whole or
 * not at all (a failed write removes it). On failure fills 'err'. */
enum al_code al_init_write(const char *path, struct al_err *err);

#endif
