/* expect.c - `expect:` and status sets (expect.h): the one loader both the
 * spec and the rule files use, the one membership test the engine and the
 * checks use, and header patterns compiled once at load. */
#include "expect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "headers.h"

static const char *const expect_keys[] = {"status", "headers", NULL};

/* ---- status sets ---- */

static enum al_code bad_status(const struct al_loader *L,
                               const struct al_ynode *n, const char *key,
                               const char *got)
{
  return al_loader_fail(L, n,
                        "'%s' must be an integer, a list of integers or a "
                        "class like \"2xx\", got %s",
                        key, got);
}

static enum al_code status_item(const struct al_loader *L,
                                const struct al_ynode *n, const char *key,
                                struct al_status_set *set)
{
  char buf[64];
  long code;
  int cls;
  if (n->kind == AL_YNODE_SCALAR &&
      (cls = al_loader_status_class(n->value)) != 0) {
    set->classes[cls] = 1;
    return AL_OK;
  }
  if (n->kind != AL_YNODE_SCALAR || !al_ynode_int(n, &code))
    return bad_status(L, n, key, al_loader_got(n, buf, sizeof buf));
  if (code < 100 || code > 599)
    return al_loader_fail(L, n, "'%s' must be between 100 and 599, got %ld",
                          key, code);
  long *grown = realloc(set->codes, (set->code_count + 1) * sizeof *grown);
  if (!grown)
    return al_loader_oom(L);
  set->codes = grown;
  set->codes[set->code_count++] = code;
  return AL_OK;
}

/* Moves the codes and the text into one allocation, codes first, text
 * after them: a spec keeps a set per endpoint (expect.h). */
static enum al_code pack_set(struct al_status_set *set, const char *text,
                             size_t len)
{
  size_t codes = set->code_count * sizeof *set->codes;
  char *block = malloc(codes + len + 1);
  if (!block)
    return AL_E_NOMEM;
  if (codes)
    memcpy(block, set->codes, codes);
  memcpy(block + codes, text, len);
  block[codes + len] = '\0';
  free(set->codes);
  set->codes = codes ? (long *)(void *)block : NULL;
  set->text = block + codes;
  return AL_OK;
}

enum al_code al_status_set_load(const struct al_loader *L,
                                const struct al_ynode *n, const char *key,
                                struct al_status_set *set)
{
  struct al_buf text;
  enum al_code rc = AL_OK;
  char buf[64];
  al_buf_init(&text);
  if (n->kind == AL_YNODE_SEQ) {
    if (n->count == 0) {
      rc = bad_status(L, n, key, "an empty list");
      goto out;
    }
    rc = al_buf_append_char(&text, '[');
    for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
      rc = status_item(L, n->items[i], key, set);
      if (rc == AL_OK && al_buf_printf(&text, "%s%s", i ? ", " : "",
                                       n->items[i]->value) != AL_OK)
        rc = al_loader_oom(L);
    }
    if (rc == AL_OK && al_buf_append_char(&text, ']') != AL_OK)
      rc = al_loader_oom(L);
  } else if (n->kind == AL_YNODE_SCALAR) {
    rc = status_item(L, n, key, set);
    if (rc == AL_OK && al_buf_append_str(&text, n->value) != AL_OK)
      rc = al_loader_oom(L);
  } else {
    rc = bad_status(L, n, key, al_loader_got(n, buf, sizeof buf));
  }
  if (rc != AL_OK)
    goto out;
  if (pack_set(set, text.data ? text.data : "", text.len) != AL_OK)
    rc = al_loader_oom(L);
out:
  al_buf_cleanup(&text);
  return rc;
}

int al_status_set_has(const struct al_status_set *set, long status)
{
  if (!set)
    return 0;
  for (size_t i = 0; i < set->code_count; i++) {
    if (set->codes[i] == status)
      return 1;
  }
  return status >= 100 && status <= 599 && set->classes[status / 100];
}

void al_status_set_cleanup(struct al_status_set *set)
{
  if (set->codes)
    free(set->codes); /* and the text with them (pack_set) */
  else
    free(set->text);
  memset(set, 0, sizeof *set);
}

/* ---- header expectations ---- */

int al_expect_compile_header(struct al_header_expect *he, char *why,
                             size_t why_size)
{
  he->re = al_ere_compile(he->pattern, why, why_size);
  return he->re != NULL;
}

static enum al_code expect_header(const struct al_loader *L,
                                  const struct al_ynode *key,
                                  const struct al_ynode *val,
                                  al_expect_text_fn text, void *ctx,
                                  struct al_header_expect *he)
{
  char buf[64];
  int present;
  if (!al_headers_is_token(key->value))
    return al_loader_fail(L, key, "'%s' is not a valid header name",
                          key->value);
  he->name = al_strdup(key->value);
  if (!he->name)
    return al_loader_oom(L);
  if (val->kind == AL_YNODE_SCALAR && al_ynode_bool(val, &present)) {
    he->kind = present ? AL_HEXPECT_PRESENT : AL_HEXPECT_ABSENT;
    return AL_OK;
  }
  if (val->kind != AL_YNODE_SCALAR || al_ynode_is_null(val))
    return al_loader_fail(L, val,
                          "expected header '%s' must be a regex string, true "
                          "(must be present) or false (must be absent), got "
                          "%s",
                          key->value, al_loader_got(val, buf, sizeof buf));
  he->kind = AL_HEXPECT_MATCH;
  enum al_code rc = text(ctx, val, &he->pattern);
  if (rc != AL_OK)
    return rc;
  char why[300];
  if (!al_expect_compile_header(he, why, sizeof why))
    return al_loader_fail(L, val, "bad regular expression for header '%s': %s",
                          key->value, why);
  return AL_OK;
}

static enum al_code load_headers(const struct al_loader *L,
                                 const struct al_ynode *n,
                                 al_expect_text_fn text, void *ctx,
                                 struct al_expect *ex)
{
  enum al_code rc = al_loader_need_kind(L, n, AL_YNODE_MAP, "headers",
                                        "a mapping of header names to a "
                                        "regex, true or false");
  if (rc != AL_OK || n->count == 0)
    return rc;
  ex->headers = calloc(n->count, sizeof *ex->headers);
  if (!ex->headers)
    return al_loader_oom(L);
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    for (size_t k = 0; k < i; k++) {
      if (al_strcaseeq(n->keys[k]->value, n->keys[i]->value))
        return al_loader_fail(
            L, n->keys[i], "header '%s' given twice (first at %d:%d)",
            n->keys[i]->value, n->keys[k]->line, n->keys[k]->col);
    }
    ex->header_count++; /* counted first so a half-filled one is freed */
    rc = expect_header(L, n->keys[i], n->items[i], text, ctx, &ex->headers[i]);
  }
  return rc;
}

enum al_code al_expect_load(const struct al_loader *L, const struct al_ynode *n,
                            al_expect_text_fn text, void *ctx,
                            struct al_expect *ex)
{
  enum al_code rc = al_loader_need_kind(L, n, AL_YNODE_MAP, "expect",
                                        "a mapping (status, headers)");
  if (rc == AL_OK)
    rc = al_loader_check_keys(L, n, expect_keys, "expect");
  ex->line = n->line;
  ex->col = n->col;
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    if (strcmp(n->keys[i]->value, "status") == 0) {
      ex->has_status = 1;
      rc = al_status_set_load(L, n->items[i], "status", &ex->status);
    } else {
      rc = load_headers(L, n->items[i], text, ctx, ex);
    }
  }
  return rc;
}

void al_expect_cleanup(struct al_expect *ex)
{
  al_status_set_cleanup(&ex->status);
  for (size_t i = 0; i < ex->header_count; i++) {
    free(ex->headers[i].name);
    free(ex->headers[i].pattern);
    al_ere_free(ex->headers[i].re);
  }
  free(ex->headers);
  memset(ex, 0, sizeof *ex);
}
