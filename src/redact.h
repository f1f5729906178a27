/* redact.h - keeps secrets out of every report and terminal line. Knows the
 * header names whose values are secret (Authorization, Proxy-Authorization,
 * Cookie, Set-Cookie, plus the spec's `secrets:`) and secret values (tokens
 * expanded from secret variables, credentials sent in headers), and replaces
 * them with "***" wherever text is shown. */
#ifndef AL_REDACT_H
#define AL_REDACT_H

#include <stddef.h>

#include "common.h"
#include "headers.h"

struct al_redactor {
  char **names; /* owned; secret header names beyond the built-in four */
  size_t name_count;
  char **values; /* owned; secret values, longest first */
  size_t value_count;
};

void al_redactor_init(struct al_redactor *r);
void al_redactor_cleanup(struct al_redactor *r);
enum al_code al_redactor_add_name(struct al_redactor *r, const char *name);
/* Adds a secret value. Values shorter than 3 bytes are ignored (masking
 * every "a" would make reports unreadable and protects nothing). For a
 * credential such as "Bearer abc123" the token after the scheme is added
 * too. */
enum al_code al_redactor_add_value(struct al_redactor *r, const char *value);
/* Adds the values of every secret-named header in 'h' as secret values. */
enum al_code al_redactor_add_headers(struct al_redactor *r,
                                     const struct al_headers *h);
/* 1 if a header of this name is shown as ***. 'r' may be NULL: then only
 * the built-in four names count (the spec loader uses that). */
int al_redactor_is_secret_name(const struct al_redactor *r, const char *name);
/* The value to show for header 'name': "***" for a secret name, else 'value'
 * (borrowed either way; static "***"). Does not mask values inside values:
 * use al_redact_text for free text. */
const char *al_redact_header(const struct al_redactor *r, const char *name,
                             const char *value);
/* A new string (caller frees) that is 'text' (len bytes, may hold NUL,
 * which comes out as "\0"-free text: bytes below 0x20 other than \t \n \r
 * become '?', and so does DEL) with every secret value replaced by "***".
 * NULL only on OOM.
 * 'r' may be NULL (no values masked, control bytes still cleaned). */
char *al_redact_text(const struct al_redactor *r, const char *text, size_t len);

#endif
