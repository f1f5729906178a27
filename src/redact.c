/* redact.c - secret masking for everything apilint shows. Values are kept
 * longest first so a token is masked whole before a shorter secret that is
 * part of it could leave half of it visible. */
#include "redact.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Values shorter than this are not masked (see redact.h). */
#define MIN_SECRET 3

static const char *const builtin_names[] = {
    "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", NULL};

void al_redactor_init(struct al_redactor *r)
{
  memset(r, 0, sizeof *r);
}

static void free_list(char **list, size_t count)
{
  for (size_t i = 0; i < count; i++)
    free(list[i]);
  free(list);
}

void al_redactor_cleanup(struct al_redactor *r)
{
  if (!r)
    return;
  free_list(r->names, r->name_count);
  free_list(r->values, r->value_count);
  memset(r, 0, sizeof *r);
}

int al_redactor_is_secret_name(const struct al_redactor *r, const char *name)
{
  if (!name)
    return 0;
  for (size_t i = 0; builtin_names[i]; i++) {
    if (al_strcaseeq(builtin_names[i], name))
      return 1;
  }
  for (size_t i = 0; r && i < r->name_count; i++) {
    if (al_strcaseeq(r->names[i], name))
      return 1;
  }
  return 0;
}

enum al_code al_redactor_add_name(struct al_redactor *r, const char *name)
{
  if (al_redactor_is_secret_name(r, name))
    return AL_OK;
  char *copy = al_strdup(name);
  if (!copy)
    return AL_E_NOMEM;
  char **grown = realloc(r->names, (r->name_count + 1) * sizeof *grown);
  if (!grown) {
    free(copy);
    return AL_E_NOMEM;
  }
  grown[r->name_count++] = copy;
  r->names = grown;
  return AL_OK;
}

/* Adds 'len' bytes of 'value', keeping the list longest first. */
static enum al_code add_exact(struct al_redactor *r, const char *value,
                              size_t len)
{
  size_t at = r->value_count;
  if (len < MIN_SECRET)
    return AL_OK;
  for (size_t i = 0; i < r->value_count; i++) {
    size_t vlen = strlen(r->values[i]);
    if (vlen == len && memcmp(r->values[i], value, len) == 0)
      return AL_OK;
    if (vlen < len && at == r->value_count)
      at = i;
  }
  char *copy = al_strndup(value, len);
  if (!copy)
    return AL_E_NOMEM;
  char **grown = realloc(r->values, (r->value_count + 1) * sizeof *grown);
  if (!grown) {
    free(copy);
    return AL_E_NOMEM;
  }
  memmove(grown + at + 1, grown + at, (r->value_count - at) * sizeof *grown);
  grown[at] = copy;
  r->values = grown;
  r->value_count++;
  return AL_OK;
}

static int b64_digit(char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

/* "Basic dXNlcjpwYXNz" also leaks as "user:pass" or "pass" when a server
 * echoes the decoded credentials, so those are secret too. */
static enum al_code add_basic(struct al_redactor *r, const char *b64,
                              size_t len)
{
  char *out = malloc(len + 1);
  size_t n = 0;
  unsigned acc = 0;
  int bits = 0;
  enum al_code rc = AL_OK;
  if (!out)
    return AL_E_NOMEM;
  for (size_t i = 0; i < len && b64[i] != '='; i++) {
    int d = b64_digit(b64[i]);
    if (d < 0)
      goto out; /* not base64: nothing more to learn */
    acc = (acc << 6) | (unsigned)d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (char)((acc >> bits) & 0xFFu);
    }
  }
  out[n] = '\0';
  const char *colon = memchr(out, ':', n);
  if (!colon || memchr(out, '\0', n))
    goto out;
  rc = add_exact(r, out, n);
  if (rc == AL_OK)
    rc = add_exact(r, colon + 1, n - (size_t)(colon + 1 - out));
out:
  free(out);
  return rc;
}

static int scheme_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static int is_basic(const char *scheme)
{
  static const char lower[] = "basic";
  for (size_t i = 0; i < 5; i++) {
    char c = scheme[i] >= 'A' && scheme[i] <= 'Z' ? (char)(scheme[i] + 32)
                                                  : scheme[i];
    if (c != lower[i])
      return 0;
  }
  return 1;
}

enum al_code al_redactor_add_value(struct al_redactor *r, const char *value)
{
  if (!value)
    return AL_OK;
  size_t len = strlen(value);
  enum al_code rc = add_exact(r, value, len);
  if (rc != AL_OK)
    return rc;
  /* "Scheme credentials": the credentials alone show up in bodies and
   * logs more often than the whole header value does. */
  size_t s = 0;
  while (s < len && scheme_char(value[s]))
    s++;
  if (s == 0 || s == len || value[s] != ' ')
    return AL_OK;
  size_t t = s;
  while (t < len && value[t] == ' ')
    t++;
  size_t end = len;
  while (end > t && value[end - 1] == ' ')
    end--;
  rc = add_exact(r, value + t, end - t);
  if (rc == AL_OK && s == 5 && is_basic(value))
    rc = add_basic(r, value + t, end - t);
  return rc;
}

/* Adds the value of each 'name=value' pair in a cookie list; 'first_only'
 * for Set-Cookie, whose later pairs are attributes (Path=/, Expires=...). */
static enum al_code add_cookie_values(struct al_redactor *r, const char *v,
                                      int first_only)
{
  while (*v) {
    size_t pair = strcspn(v, ";");
    const char *eq = memchr(v, '=', pair);
    if (eq) {
      const char *val = eq + 1;
      size_t vlen = pair - (size_t)(val - v);
      while (vlen && *val == ' ') {
        val++;
        vlen--;
      }
      while (vlen && val[vlen - 1] == ' ')
        vlen--;
      enum al_code rc = add_exact(r, val, vlen);
      if (rc != AL_OK)
        return rc;
    }
    if (first_only || v[pair] == '\0')
      break;
    v += pair + 1;
    while (*v == ' ')
      v++;
  }
  return AL_OK;
}

enum al_code al_redactor_add_headers(struct al_redactor *r,
                                     const struct al_headers *h)
{
  for (size_t i = 0; h && i < h->count; i++) {
    const char *name = h->items[i].name, *value = h->items[i].value;
    if (!value || !al_redactor_is_secret_name(r, name))
      continue;
    enum al_code rc = al_redactor_add_value(r, value);
    if (rc == AL_OK && al_strcaseeq(name, "Cookie"))
      rc = add_cookie_values(r, value, 0);
    else if (rc == AL_OK && al_strcaseeq(name, "Set-Cookie"))
      rc = add_cookie_values(r, value, 1);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

const char *al_redact_header(const struct al_redactor *r, const char *name,
                             const char *value)
{
  return al_redactor_is_secret_name(r, name) ? "***" : value;
}

static int shown_as_is(unsigned char c)
{
  return (c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

char *al_redact_text(const struct al_redactor *r, const char *text, size_t len)
{
  struct al_buf out;
  unsigned char starts[256] = {0}; /* first bytes of secret values */
  size_t count = r ? r->value_count : 0;
  al_buf_init(&out);
  for (size_t k = 0; k < count; k++)
    starts[(unsigned char)r->values[k][0]] = 1;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)text[i];
    size_t matched = 0;
    for (size_t k = 0; starts[c] && k < count; k++) {
      size_t vlen = strlen(r->values[k]);
      if (vlen <= len - i && memcmp(text + i, r->values[k], vlen) == 0) {
        matched = vlen;
        break;
      }
    }
    enum al_code rc;
    if (matched) {
      rc = al_buf_append(&out, "***", 3);
      i += matched;
    } else {
      rc = al_buf_append_char(&out, shown_as_is(c) ? (char)c : '?');
      i++;
    }
    if (rc != AL_OK) {
      al_buf_cleanup(&out);
      return NULL;
    }
  }
  return al_buf_detach(&out);
}
