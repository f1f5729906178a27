/* redact.h - keeps secrets out of every report and terminal line. Knows the
 * header names whose values are secret (Authorization, Proxy-Authorization,
 * Cookie, Set-Cookie, names that look like credentials such as X-Api-Key or
 * X-Auth-Token, plus the spec's `secrets:`) and secret values (tokens
 * expanded from secret variables, credentials sent in headers, credential
 * query parameters and URL passwords, each also in the escaped forms a
 * server echoes them in), and replaces them with "***" wherever text is
 * shown. */
#ifndef AL_REDACT_H
#define AL_REDACT_H

#include <stddef.h>

#include "buf.h"
#include "common.h"
#include "headers.h"

/* Names and values are only ever added, never removed or changed (adding
 * one already there changes nothing): the report writers keep text they
 * cleaned while name_count and value_count stay as they were. */
struct al_redactor {
  char **names; /* owned; secret header names beyond the built-in four */
  size_t name_count;
  char **values; /* owned; secret values, longest first */
  size_t value_count;
  /* starts[c] is 1 when some value starts with byte c: kept with the values
   * so that the writers' per-string test (al_redact_is_plain) need not
   * rebuild it for every string */
  unsigned char starts[256];
};

void al_redactor_init(struct al_redactor *r);
void al_redactor_cleanup(struct al_redactor *r);
enum al_code al_redactor_add_name(struct al_redactor *r, const char *name);
/* Adds a secret value. Values shorter than 3 bytes are ignored (masking
 * every "a" would make reports unreadable and protects nothing). For a
 * credential such as "Bearer abc123" the token after the scheme is added
 * too. Each value is also added as a server would echo it escaped: in a
 * JSON string ("a\/b", "\"", "\\", "\u003c"), percent-encoded (either hex
 * case, '+' for space) and with HTML entities. */
enum al_code al_redactor_add_value(struct al_redactor *r, const char *value);
/* Adds the values of every secret-named header in 'h' as secret values. */
enum al_code al_redactor_add_headers(struct al_redactor *r,
                                     const struct al_headers *h);
/* Adds the secrets found in URLs in 'text' (a URL, or free text holding
 * URLs): every userinfo password ("http://user:PASS@host") and the value
 * of every credential query parameter (al_redact_is_credential_param),
 * each as written and percent-decoded, and the Base64 of "user:PASS" that
 * libcurl sends for user info as "Authorization: Basic ...". */
enum al_code al_redactor_add_url(struct al_redactor *r, const char *text);
/* A new string (caller frees) that is 'url' (or any text holding URLs)
 * with its URL secrets (see al_redactor_add_url) shown as "***" and
 * control bytes as '?': for quoting a URL the user typed in a message.
 * NULL only on OOM. */
char *al_redact_url(const char *url);
/* 1 if a query parameter of this name ('len' bytes, any case) carries a
 * credential: api_key, access_token, token, key, password, client_secret,
 * X-Amz-Signature... The one list the redactor and the unauthenticated
 * probe share. */
int al_redact_is_credential_param(const char *name, size_t len);
/* 1 if a header of this name carries a credential: Authorization,
 * Proxy-Authorization, Cookie, Set-Cookie, and any name with api-key,
 * apikey, api_key, token, session, secret, password or auth in it (but not
 * "author..." other than "authoriz..."/"authoris...", nor the challenges
 * WWW-Authenticate and Proxy-Authenticate). Shared like the above. */
int al_redact_is_credential_header(const char *name);
/* 1 if a header of this name is shown as ***: a credential header (above)
 * or one added by name. 'r' may be NULL: then only the credential headers
 * count (the spec loader uses that). */
int al_redactor_is_secret_name(const struct al_redactor *r, const char *name);
/* The value to show for header 'name': "***" for a secret name with a
 * non-empty value, else 'value' (borrowed either way; static "***"). Does not
 * mask values inside values: use al_redact_text for free text. */
const char *al_redact_header(const struct al_redactor *r, const char *name,
                             const char *value);
/* A new string (caller frees) that is 'text' (len bytes, may hold NUL,
 * which comes out as "\0"-free text: bytes below 0x20 other than \t \n \r
 * become '?', and so does DEL) with every secret value replaced by "***".
 * NULL only on OOM.
 * 'r' may be NULL (no values masked, control bytes still cleaned). */
char *al_redact_text(const struct al_redactor *r, const char *text, size_t len);
/* 1 when 'len' bytes of 'text' are printable ASCII (0x20-0x7E) in which no
 * secret value can start: masking and cleaning would change nothing, so a
 * writer may copy them as they are. A fast, conservative test: 0 means
 * only "look closer". 'r' may be NULL. */
int al_redact_is_plain(const struct al_redactor *r, const char *text,
                       size_t len);
/* Appends to 'out' (initialised by the caller, who frees it) 'text' with
 * every secret value replaced by "***", bytes otherwise unchanged, and sets
 * *masked to 1 - or, when 'text' holds no secret, appends nothing and sets
 * *masked to 0 (the caller keeps using 'text'). For giving checks a body
 * they can only quote masked. With 'json' (the text is a JSON document) a
 * secret outside a string is replaced only when it stands alone, by
 * "\"***\"", so the document stays valid JSON. 'r' may be NULL. */
enum al_code al_redact_values(const struct al_redactor *r, const char *text,
                              size_t len, int json, struct al_buf *out,
                              int *masked);

#endif
