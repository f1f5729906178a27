/* openapi.c - OpenAPI/Swagger document tree -> apilint spec tree (see
 * openapi.h for what becomes what), and the commented YAML writer for
 * `apilint import`. Every node of the spec tree carries the line:col of the
 * document node it was made from, so a spec error, and every finding,
 * points into the document the team edits.
 *
 * Safety: the walk is bounded everywhere a hostile document could make it
 * loop or explode - $ref chains (REF_HOPS), schema nesting (SAMPLE_DEPTH,
 * and a schema already being sampled is not entered again), copied
 * examples (COPY_DEPTH), properties per object (SAMPLE_PROPS). */
#include "openapi.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define REF_HOPS 32
#define SAMPLE_DEPTH 8
#define COPY_DEPTH 24
#define SAMPLE_PROPS 64
#define STACK_MAX 64
/* Values one endpoint's body may hold (a schema of 8 levels of 64 $ref'd
 * properties would otherwise be 64^8), and bytes of copied examples; past
 * either the rest is null. Over the whole document, more values than
 * TOTAL_VALUES is an error rather than a spec nobody can read. */
#define ENDPOINT_VALUES 20000
#define ENDPOINT_BYTES (1024UL * 1024)
#define TOTAL_VALUES 2000000

static const char *const methods[] = {
    "get", "put", "post", "delete", "options", "head", "patch", "trace", NULL};

struct conv {
  const char *file;
  const struct al_ynode *root;
  const struct al_openapi_opts *opts;
  struct al_err *err;
  int swagger; /* 2.0: parameters carry their type, body is a parameter */
  struct al_openapi *imp;
  struct al_ynode *endpoints; /* borrowed from imp->spec */
  char **names;               /* owned; endpoint names so far */
  size_t name_count;
  char **secrets; /* owned; names for `secrets:`, each once */
  size_t secret_count;
  size_t budget, budget_bytes; /* left for the endpoint being built */
  size_t total;                /* values made for the whole document */
  /* Schemas being sampled, innermost last: a schema met again is a cycle. */
  const struct al_ynode *stack[STACK_MAX];
  size_t depth;
};

static enum al_code fail_at(struct conv *C, const struct al_ynode *at,
                            const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static enum al_code fail_at(struct conv *C, const struct al_ynode *at,
                            const char *fmt, ...)
{
  char msg[sizeof C->err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return al_err_set(C->err, AL_E_SPEC, C->file, at ? at->line : 0,
                    at ? at->col : 0, "%s", msg);
}

static enum al_code oom(struct conv *C)
{
  return al_err_set(C->err, AL_E_NOMEM, C->file, 0, 0, "out of memory");
}

static int is_scalar(const struct al_ynode *n)
{
  return n && n->kind == AL_YNODE_SCALAR;
}

static const char *str_of(const struct al_ynode *n)
{
  return is_scalar(n) ? n->value : NULL;
}

/* The key node of 'map' for 'key', for positions. */
static const struct al_ynode *key_node(const struct al_ynode *map,
                                       const char *key)
{
  if (!map || map->kind != AL_YNODE_MAP)
    return NULL;
  for (size_t i = 0; i < map->count; i++) {
    if (strcmp(map->keys[i]->value, key) == 0)
      return map->keys[i];
  }
  return NULL;
}

/* ---- $ref ---- */

/* One JSON-pointer segment, unescaped (~1 -> '/', ~0 -> '~', %XX). */
static char *pointer_segment(const char *s, size_t len)
{
  char *out = malloc(len + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '~' && i + 1 < len && (s[i + 1] == '0' || s[i + 1] == '1')) {
      out[o++] = s[i + 1] == '0' ? '~' : '/';
      i++;
    } else if (s[i] == '%' && i + 2 < len) {
      char hex[3] = {s[i + 1], s[i + 2], '\0'};
      char *end;
      long v = strtol(hex, &end, 16);
      if (*end == '\0' && v > 0) {
        out[o++] = (char)v;
        i += 2;
      } else {
        out[o++] = s[i];
      }
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = '\0';
  return out;
}

static enum al_code pointer_walk(struct conv *C, const struct al_ynode *ref,
                                 const char *pointer,
                                 const struct al_ynode **out)
{
  const struct al_ynode *n = C->root;
  const char *p = pointer;
  while (*p == '/') {
    p++;
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char *seg = pointer_segment(p, len);
    if (!seg)
      return oom(C);
    const struct al_ynode *next = NULL;
    if (n->kind == AL_YNODE_MAP) {
      next = al_ynode_get(n, seg);
    } else if (n->kind == AL_YNODE_SEQ) {
      char *e;
      long idx = strtol(seg, &e, 10);
      if (*e == '\0' && idx >= 0 && (size_t)idx < n->count)
        next = n->items[idx];
    }
    free(seg);
    if (!next)
      return fail_at(C, ref, "$ref '%s' points at nothing in this document",
                     ref->value);
    n = next;
    p += len;
  }
  if (*p)
    return fail_at(C, ref, "$ref '%s' is not a JSON pointer ('#/...')",
                   ref->value);
  *out = n;
  return AL_OK;
}

/* Follows 'n' while it is a {$ref: ...} mapping. External references are
 * refused: apilint reads one file (bundle the document first). */
static enum al_code deref(struct conv *C, const struct al_ynode *n,
                          const struct al_ynode **out)
{
  for (int hop = 0; hop <= REF_HOPS; hop++) {
    const struct al_ynode *ref = al_ynode_get(n, "$ref");
    if (!ref) {
      *out = n;
      return AL_OK;
    }
    if (!is_scalar(ref))
      return fail_at(C, ref, "$ref must be a string");
    if (ref->value[0] != '#')
      return fail_at(C, ref,
                     "external $ref '%s' is not supported: apilint reads one "
                     "file (bundle the document first, e.g. with 'redocly "
                     "bundle' or 'swagger-cli bundle')",
                     ref->value);
    enum al_code rc = pointer_walk(C, ref, ref->value + 1, &n);
    if (rc != AL_OK)
      return rc;
  }
  return fail_at(C, n, "$ref chain longer than %d hops (a $ref loop?)",
                 REF_HOPS);
}

/* deref() that gives NULL for NULL. */
static enum al_code deref_opt(struct conv *C, const struct al_ynode *n,
                              const struct al_ynode **out)
{
  if (!n) {
    *out = NULL;
    return AL_OK;
  }
  return deref(C, n, out);
}

/* ---- spec tree helpers ---- */

/* A literal string for the spec: '$' doubled so ${VAR} expansion leaves it
 * as the document wrote it; control bytes become '?'. */
static struct al_ynode *lit(const char *s, const struct al_ynode *at)
{
  struct al_buf b;
  al_buf_init(&b);
  for (; *s; s++) {
    char c = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    if (al_buf_append_char(&b, c) != AL_OK ||
        (c == '$' && al_buf_append_char(&b, '$') != AL_OK)) {
      al_buf_cleanup(&b);
      return NULL;
    }
  }
  struct al_ynode *n = al_ynode_new_scalar(al_buf_str(&b), b.len, 1,
                                           at ? at->line : 1, at ? at->col : 1);
  al_buf_cleanup(&b);
  return n;
}

/* A string the spec loader must expand (it holds ${VAR:-default}). */
static struct al_ynode *raw(const char *s, const struct al_ynode *at)
{
  return al_ynode_new_scalar(s, strlen(s), 1, at ? at->line : 1,
                             at ? at->col : 1);
}

static struct al_ynode *plain(const char *s, const struct al_ynode *at)
{
  return al_ynode_new_scalar(s, strlen(s), 0, at ? at->line : 1,
                             at ? at->col : 1);
}

static enum al_code push_unique(char ***arr, size_t *count, const char *s)
{
  for (size_t i = 0; i < *count; i++) {
    if (strcmp((*arr)[i], s) == 0)
      return AL_OK;
  }
  char *copy = al_strdup(s);
  char **grown = copy ? realloc(*arr, (*count + 1) * sizeof *grown) : NULL;
  if (!grown) {
    free(copy);
    return AL_E_NOMEM;
  }
  grown[(*count)++] = copy;
  *arr = grown;
  return AL_OK;
}

/* NAME for ${NAME}: upper case, other bytes '_', never starting with a
 * digit; "V" for a parameter without a name (NULL or ""). */
static void var_name(const char *s, char *out, size_t size)
{
  size_t o = 0;
  if (!s)
    s = "";
  if (*s >= '0' && *s <= '9' && o + 1 < size)
    out[o++] = '_';
  for (; *s && o + 1 < size; s++) {
    char c = *s;
    if (c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      c = '_';
    out[o++] = c;
  }
  if (o == 0)
    out[o++] = 'V';
  out[o] = '\0';
}

/* A default inside ${NAME:-...}: it ends at the first '}', so one in the
 * value is percent-encoded (URL parts) or replaced (headers). */
static enum al_code append_var(struct al_buf *b, const char *name,
                               const char *value)
{
  if (al_buf_printf(b, "${%s:-", name) != AL_OK)
    return AL_E_NOMEM;
  for (const char *p = value; *p; p++) {
    if (al_buf_append_char(b, *p == '}' ? ')' : *p) != AL_OK)
      return AL_E_NOMEM;
  }
  return al_buf_append_char(b, '}');
}

static int unreserved(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == ',';
}

static enum al_code percent_encode(struct al_buf *b, const char *s)
{
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    enum al_code rc = unreserved(c) ? al_buf_append_char(b, (char)c)
                                    : al_buf_printf(b, "%%%02X", c);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

/* ---- example values ---- */

static struct al_ynode *sample(struct conv *C, const struct al_ynode *schema,
                               int depth, enum al_code *rc);

/* Takes one value of 'bytes' from the endpoint's budget; 0 when it is
 * spent (the value is then written as null). */
static int spend(struct conv *C, size_t bytes)
{
  if (C->budget == 0 || C->budget_bytes < bytes) {
    C->budget = 0;
    return 0;
  }
  C->budget--;
  C->budget_bytes -= bytes;
  C->total++;
  return 1;
}

/* A copy of a document value (an `example:`) as a json: tree. */
static struct al_ynode *copy_value(struct conv *C, const struct al_ynode *n,
                                   int depth)
{
  if (!spend(C, n->kind == AL_YNODE_SCALAR ? n->value_len : 0))
    return plain("null", n);
  if (n->kind == AL_YNODE_SCALAR) {
    if (!n->quoted)
      return al_ynode_new_scalar(n->value, n->value_len, 0, n->line, n->col);
    return lit(n->value, n);
  }
  struct al_ynode *c = n->kind == AL_YNODE_MAP
                           ? al_ynode_new_map(n->line, n->col)
                           : al_ynode_new_seq(n->line, n->col);
  if (!c || depth >= COPY_DEPTH)
    return c;
  for (size_t i = 0; i < n->count; i++) {
    struct al_ynode *item = copy_value(C, n->items[i], depth + 1);
    enum al_code rc = n->kind == AL_YNODE_MAP
                          ? al_ynode_map_add(c, n->keys[i]->value, item)
                          : al_ynode_seq_add(c, item);
    if (rc != AL_OK) {
      al_ynode_free(c);
      return NULL;
    }
  }
  return c;
}

/* The first type of 'schema' other than "null" ("type: [string, null]" in
 * 3.1), or NULL. */
static const char *schema_type(const struct al_ynode *schema)
{
  const struct al_ynode *t = al_ynode_get(schema, "type");
  if (is_scalar(t))
    return t->value;
  if (t && t->kind == AL_YNODE_SEQ) {
    for (size_t i = 0; i < t->count; i++) {
      if (is_scalar(t->items[i]) && strcmp(t->items[i]->value, "null") != 0)
        return t->items[i]->value;
    }
  }
  if (al_ynode_get(schema, "properties"))
    return "object";
  if (al_ynode_get(schema, "items"))
    return "array";
  return NULL;
}

/* A documented value: example, examples (3.1 list, or a map of example
 * objects), default, const, enum[0]. Borrowed, or NULL. */
static const struct al_ynode *documented(struct conv *C,
                                         const struct al_ynode *n)
{
  const struct al_ynode *v = al_ynode_get(n, "example");
  if (v)
    return v;
  v = al_ynode_get(n, "examples");
  if (v && v->kind == AL_YNODE_SEQ && v->count)
    return v->items[0];
  if (v && v->kind == AL_YNODE_MAP && v->count) {
    const struct al_ynode *ex = NULL;
    if (deref(C, v->items[0], &ex) == AL_OK && al_ynode_get(ex, "value"))
      return al_ynode_get(ex, "value");
  }
  if ((v = al_ynode_get(n, "default")) != NULL)
    return v;
  if ((v = al_ynode_get(n, "const")) != NULL)
    return v;
  v = al_ynode_get(n, "enum");
  if (v && v->kind == AL_YNODE_SEQ && v->count)
    return v->items[0];
  return NULL;
}

static const char *string_sample(const struct al_ynode *schema)
{
  static const struct {
    const char *format, *value;
  } formats[] = {
      {"date-time", "2024-01-01T00:00:00Z"},
      {"date", "2024-01-01"},
      {"time", "00:00:00Z"},
      {"uuid", "00000000-0000-4000-8000-000000000000"},
      {"email", "user@example.com"},
      {"uri", "https://example.com/"},
      {"url", "https://example.com/"},
      {"hostname", "example.com"},
      {"ipv4", "192.0.2.1"},
      {"ipv6", "2001:db8::1"},
      {"byte", "YXBpbGludA=="},
      {"password", "password"},
  };
  const char *f = str_of(al_ynode_get(schema, "format"));
  for (size_t i = 0; f && i < sizeof formats / sizeof formats[0]; i++) {
    if (strcmp(f, formats[i].format) == 0)
      return formats[i].value;
  }
  return "string";
}

/* A number at or above `minimum` (1 when there is none). */
static struct al_ynode *number_sample(const struct al_ynode *schema,
                                      int integer)
{
  const struct al_ynode *min = al_ynode_get(schema, "minimum");
  char buf[64] = "1";
  if (is_scalar(min) && !min->quoted) {
    double d = strtod(min->value, NULL);
    if (d > 1 || d < 0) {
      if (integer)
        snprintf(buf, sizeof buf, "%.0f", d);
      else
        snprintf(buf, sizeof buf, "%g", d);
    }
  }
  return plain(buf, schema);
}

static int on_stack(const struct conv *C, const struct al_ynode *schema)
{
  for (size_t i = 0; i < C->depth; i++) {
    if (C->stack[i] == schema)
      return 1;
  }
  return 0;
}

/* The required properties of an object schema (and of its allOf parts)
 * into 'obj'. */
static enum al_code sample_required(struct conv *C,
                                    const struct al_ynode *schema,
                                    struct al_ynode *obj, int depth)
{
  enum al_code rc = AL_OK;
  const struct al_ynode *all = al_ynode_get(schema, "allOf");
  for (size_t i = 0; all && all->kind == AL_YNODE_SEQ && i < all->count; i++) {
    const struct al_ynode *part = NULL;
    if ((rc = deref(C, all->items[i], &part)) != AL_OK ||
        (rc = sample_required(C, part, obj, depth)) != AL_OK)
      return rc;
  }
  const struct al_ynode *req = al_ynode_get(schema, "required");
  const struct al_ynode *props = al_ynode_get(schema, "properties");
  for (size_t i = 0; req && req->kind == AL_YNODE_SEQ && i < req->count &&
                     obj->count < SAMPLE_PROPS;
       i++) {
    const char *name = str_of(req->items[i]);
    if (!name || al_ynode_get(obj, name))
      continue;
    const struct al_ynode *prop = al_ynode_get(props, name);
    struct al_ynode *v =
        prop ? sample(C, prop, depth + 1, &rc) : lit("string", req->items[i]);
    if (rc != AL_OK) {
      al_ynode_free(v);
      return rc;
    }
    if (al_ynode_map_add(obj, name, v) != AL_OK)
      return oom(C);
  }
  return AL_OK;
}

static struct al_ynode *sample_inner(struct conv *C,
                                     const struct al_ynode *schema, int depth,
                                     enum al_code *rc)
{
  const struct al_ynode *v = documented(C, schema);
  if (v)
    return copy_value(C, v, 0);
  const struct al_ynode *alt = al_ynode_get(schema, "oneOf");
  if (!alt)
    alt = al_ynode_get(schema, "anyOf");
  if (alt && alt->kind == AL_YNODE_SEQ && alt->count)
    return sample(C, alt->items[0], depth, rc);
  const char *type = schema_type(schema);
  if (!type && al_ynode_get(schema, "allOf"))
    type = "object";
  if (!type)
    return plain("null", schema);
  if (strcmp(type, "string") == 0)
    return lit(string_sample(schema), schema);
  if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0)
    return number_sample(schema, type[0] == 'i');
  if (strcmp(type, "boolean") == 0)
    return plain("true", schema);
  if (strcmp(type, "array") == 0) {
    struct al_ynode *seq = al_ynode_new_seq(schema->line, schema->col);
    const struct al_ynode *min = al_ynode_get(schema, "minItems");
    const struct al_ynode *items = al_ynode_get(schema, "items");
    if (seq && items && is_scalar(min) && atol(min->value) > 0) {
      if (al_ynode_seq_add(seq, sample(C, items, depth + 1, rc)) != AL_OK &&
          *rc == AL_OK)
        *rc = oom(C);
    }
    return seq;
  }
  if (strcmp(type, "object") == 0) {
    struct al_ynode *obj = al_ynode_new_map(schema->line, schema->col);
    if (obj && depth < SAMPLE_DEPTH)
      *rc = sample_required(C, schema, obj, depth);
    return obj;
  }
  return plain("null", schema);
}

/* A minimal valid value for 'schema': its documented value, else one built
 * from its type (objects: required properties only). A schema that is
 * already being sampled (a cycle) or nested too deep gives null. Sets *rc
 * on a bad $ref or OOM (then the result may be NULL or partial). */
static struct al_ynode *sample(struct conv *C, const struct al_ynode *schema,
                               int depth, enum al_code *rc)
{
  const struct al_ynode *s = NULL;
  if ((*rc = deref(C, schema, &s)) != AL_OK)
    return NULL;
  if (depth > SAMPLE_DEPTH || C->depth >= STACK_MAX || on_stack(C, s) ||
      s->kind != AL_YNODE_MAP || !spend(C, 0))
    return plain("null", s);
  C->stack[C->depth++] = s;
  struct al_ynode *v = sample_inner(C, s, depth, rc);
  C->depth--;
  if (!v && *rc == AL_OK)
    *rc = oom(C);
  return v;
}

/* A parameter's value as text: a documented value (lists joined with ','),
 * else the schema's sample. NULL for objects (not written) or on OOM. */
static char *param_text(struct conv *C, const struct al_ynode *param,
                        enum al_code *rc)
{
  const struct al_ynode *schema = al_ynode_get(param, "schema");
  const struct al_ynode *v = documented(C, param);
  struct al_ynode *made = NULL;
  if (!v && schema) {
    const struct al_ynode *s = NULL;
    if ((*rc = deref(C, schema, &s)) != AL_OK)
      return NULL;
    v = documented(C, s);
    const char *type = schema_type(s);
    const struct al_ynode *items = al_ynode_get(s, "items");
    if (!v && type && strcmp(type, "array") == 0 && items) {
      /* one item: a list parameter with nothing in it says nothing */
      if ((*rc = deref(C, items, &items)) != AL_OK)
        return NULL;
      v = documented(C, items);
      if (!v)
        v = made = sample(C, items, SAMPLE_DEPTH, rc);
    }
    if (!v)
      v = made = sample(C, s, SAMPLE_DEPTH, rc);
  }
  if (!v && !schema) /* Swagger 2.0: the parameter is its own schema */
    v = made = sample(C, param, SAMPLE_DEPTH, rc);
  if (*rc != AL_OK) {
    al_ynode_free(made);
    return NULL;
  }
  struct al_buf b;
  al_buf_init(&b);
  if (v && is_scalar(v)) {
    al_buf_append_str(&b, al_ynode_is_null(v) ? "1" : v->value);
  } else if (v && v->kind == AL_YNODE_SEQ) {
    for (size_t i = 0; i < v->count; i++) {
      if (is_scalar(v->items[i]))
        al_buf_printf(&b, "%s%s", b.len ? "," : "", v->items[i]->value);
    }
  } else {
    al_buf_append_str(&b, "1");
  }
  al_ynode_free(made);
  char *out = al_buf_detach(&b);
  al_buf_cleanup(&b);
  if (!out)
    *rc = oom(C);
  return out;
}

/* ---- operations ---- */

struct op {
  const char *method;          /* lower case, as in the document */
  const char *path;            /* the path template */
  const struct al_ynode *key;  /* the method's key: the op's position */
  const struct al_ynode *node; /* the operation object */
  const struct al_ynode *item; /* its path item */
  struct al_ynode *headers;    /* building: the endpoint's headers */
  struct al_buf query;         /* building: "?a=1&b=2" */
  struct al_buf cookie;        /* building: "a=1; b=2" */
};

/* The parameters that apply: the operation's, then the path item's that
 * the operation does not redefine (same name and `in`). */
static enum al_code collect_params(struct conv *C, const struct op *op,
                                   const struct al_ynode **out, size_t *count,
                                   size_t max)
{
  const struct al_ynode *lists[2] = {al_ynode_get(op->node, "parameters"),
                                     al_ynode_get(op->item, "parameters")};
  *count = 0;
  for (int l = 0; l < 2; l++) {
    const struct al_ynode *list = lists[l];
    if (!list || list->kind != AL_YNODE_SEQ)
      continue;
    for (size_t i = 0; i < list->count && *count < max; i++) {
      const struct al_ynode *p = NULL;
      enum al_code rc = deref(C, list->items[i], &p);
      if (rc != AL_OK)
        return rc;
      const char *name = str_of(al_ynode_get(p, "name"));
      const char *in = str_of(al_ynode_get(p, "in"));
      if (!name || !in)
        continue;
      int dup = 0;
      for (size_t k = 0; k < *count; k++) {
        if (strcmp(str_of(al_ynode_get(out[k], "name")), name) == 0 &&
            strcmp(str_of(al_ynode_get(out[k], "in")), in) == 0)
          dup = 1;
      }
      if (!dup)
        out[(*count)++] = p;
    }
  }
  return AL_OK;
}

static int is_true(const struct al_ynode *n)
{
  int b;
  return n && al_ynode_bool(n, &b) && b;
}

/* Header fields a parameter must not set (OpenAPI 3: they are ignored). */
static int reserved_header(const char *name)
{
  return al_strcaseeq(name, "Accept") || al_strcaseeq(name, "Content-Type") ||
         al_strcaseeq(name, "Authorization");
}

static int token_name(const char *s)
{
  if (!*s)
    return 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c <= 0x20 || c >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", c))
      return 0;
  }
  return 1;
}

static enum al_code add_header(struct conv *C, struct op *op, const char *name,
                               const char *value, const struct al_ynode *at)
{
  (void)C;
  if (!op->headers) {
    op->headers = al_ynode_new_map(at->line, at->col);
    if (!op->headers)
      return AL_E_NOMEM;
  }
  for (size_t i = 0; i < op->headers->count; i++) {
    if (al_strcaseeq(op->headers->keys[i]->value, name))
      return AL_OK; /* first one wins: parameters before credentials */
  }
  return al_ynode_map_add(op->headers, name, raw(value, at));
}

/* ${NAME:-value} for a parameter into 'b'; URL parts percent-encoded. */
static enum al_code param_var(struct conv *C, const struct al_ynode *p, int url,
                              struct al_buf *b)
{
  enum al_code rc = AL_OK;
  char var[128];
  var_name(str_of(al_ynode_get(p, "name")), var, sizeof var);
  char *value = param_text(C, p, &rc);
  if (!value)
    return rc != AL_OK ? rc : oom(C);
  struct al_buf v;
  al_buf_init(&v);
  if (url)
    rc = percent_encode(&v, value);
  else
    rc = al_buf_append_str(&v, value);
  if (rc == AL_OK)
    rc = append_var(b, var, al_buf_str(&v));
  free(value);
  al_buf_cleanup(&v);
  return rc == AL_OK ? AL_OK : oom(C);
}

static enum al_code apply_param(struct conv *C, struct op *op,
                                const struct al_ynode *p)
{
  const char *name = str_of(al_ynode_get(p, "name"));
  const char *in = str_of(al_ynode_get(p, "in"));
  if (strcmp(in, "path") == 0 || !is_true(al_ynode_get(p, "required")))
    return AL_OK; /* path parameters are filled in by build_path */
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = AL_OK;
  if (strcmp(in, "query") == 0) {
    if ((rc = al_buf_append_char(&op->query, op->query.len ? '&' : '?')) ==
            AL_OK &&
        (rc = percent_encode(&op->query, name)) == AL_OK &&
        (rc = al_buf_append_char(&op->query, '=')) == AL_OK)
      rc = param_var(C, p, 1, &op->query);
  } else if (strcmp(in, "header") == 0 && token_name(name) &&
             !reserved_header(name)) {
    if ((rc = param_var(C, p, 0, &b)) == AL_OK)
      rc = add_header(C, op, name, al_buf_str(&b), p);
  } else if (strcmp(in, "cookie") == 0 && token_name(name)) {
    if ((rc = al_buf_printf(&op->cookie, "%s%s=", op->cookie.len ? "; " : "",
                            name)) == AL_OK)
      rc = param_var(C, p, 1, &op->cookie);
  }
  al_buf_cleanup(&b);
  return rc;
}

/* The path template with each {name} as ${NAME:-value}. */
static enum al_code build_path(struct conv *C, const struct op *op,
                               const struct al_ynode *const *params,
                               size_t count, struct al_buf *out)
{
  enum al_code rc = AL_OK;
  for (const char *s = op->path; *s && rc == AL_OK; s++) {
    const char *close = *s == '{' ? strchr(s, '}') : NULL;
    if (!close) {
      unsigned char c = (unsigned char)*s;
      rc = c <= 0x20 || c == 0x7f || c == '$' ? al_buf_printf(out, "%%%02X", c)
                                              : al_buf_append_char(out, *s);
      continue;
    }
    char *name = al_strndup(s + 1, (size_t)(close - s - 1));
    if (!name)
      return oom(C);
    const struct al_ynode *p = NULL;
    for (size_t i = 0; i < count && !p; i++) {
      if (strcmp(str_of(al_ynode_get(params[i], "in")), "path") == 0 &&
          strcmp(str_of(al_ynode_get(params[i], "name")), name) == 0)
        p = params[i];
    }
    if (p) {
      rc = param_var(C, p, 1, out);
    } else {
      char var[128];
      var_name(name, var, sizeof var);
      rc = append_var(out, var, "1");
    }
    free(name);
    s = close;
  }
  return rc == AL_OK ? AL_OK : oom(C);
}

/* The security requirement that applies: the operation's, else the
 * document's; its first alternative. NULL = none. */
static const struct al_ynode *security_of(const struct conv *C,
                                          const struct op *op)
{
  const struct al_ynode *sec = al_ynode_get(op->node, "security");
  if (!sec)
    sec = al_ynode_get(C->root, "security");
  if (!sec || sec->kind != AL_YNODE_SEQ || sec->count == 0 ||
      sec->items[0]->kind != AL_YNODE_MAP)
    return NULL;
  return sec->items[0];
}

static enum al_code add_secret(struct conv *C, const char *name)
{
  return push_unique(&C->secrets, &C->secret_count, name) == AL_OK ? AL_OK
                                                                   : oom(C);
}

static enum al_code apply_scheme(struct conv *C, struct op *op,
                                 const struct al_ynode *scheme,
                                 const struct al_ynode *at)
{
  const char *type = str_of(al_ynode_get(scheme, "type"));
  const char *how = str_of(al_ynode_get(scheme, "scheme"));
  if (!type)
    return AL_OK;
  enum al_code rc = AL_OK;
  if ((strcmp(type, "http") == 0 && how && al_strcaseeq(how, "bearer")) ||
      strcmp(type, "oauth2") == 0 || strcmp(type, "openIdConnect") == 0) {
    if ((rc = add_secret(C, "API_TOKEN")) == AL_OK)
      rc = add_header(C, op, "Authorization", "Bearer ${API_TOKEN:-replace-me}",
                      at);
  } else if ((strcmp(type, "http") == 0 && how && al_strcaseeq(how, "basic")) ||
             strcmp(type, "basic") == 0) {
    /* base64("user:password"), as the Authorization header carries it */
    if ((rc = add_secret(C, "API_CREDENTIALS")) == AL_OK)
      rc = add_header(C, op, "Authorization",
                      "Basic ${API_CREDENTIALS:-dXNlcjpwYXNzd29yZA==}", at);
  } else if (strcmp(type, "apiKey") == 0) {
    const char *name = str_of(al_ynode_get(scheme, "name"));
    const char *in = str_of(al_ynode_get(scheme, "in"));
    if (!name || !in || !token_name(name))
      return AL_OK;
    char var[128];
    var_name(name, var, sizeof var);
    struct al_buf v;
    al_buf_init(&v);
    rc = al_buf_printf(&v, "${%s:-replace-me}", var);
    if (rc == AL_OK)
      rc = add_secret(C, var);
    if (rc == AL_OK && strcmp(in, "header") == 0) {
      if ((rc = add_secret(C, name)) == AL_OK)
        rc = add_header(C, op, name, al_buf_str(&v), at);
    } else if (rc == AL_OK && strcmp(in, "query") == 0) {
      rc = al_buf_printf(&op->query, "%s%s=%s", op->query.len ? "&" : "?", name,
                         al_buf_str(&v));
    } else if (rc == AL_OK && strcmp(in, "cookie") == 0) {
      rc = al_buf_printf(&op->cookie, "%s%s=%s", op->cookie.len ? "; " : "",
                         name, al_buf_str(&v));
    }
    al_buf_cleanup(&v);
  }
  return rc == AL_OK ? AL_OK : oom(C);
}

static enum al_code apply_security(struct conv *C, struct op *op)
{
  const struct al_ynode *req = security_of(C, op);
  if (!req)
    return AL_OK;
  const struct al_ynode *schemes =
      C->swagger ? al_ynode_get(C->root, "securityDefinitions")
                 : al_ynode_get(al_ynode_get(C->root, "components"),
                                "securitySchemes");
  for (size_t i = 0; i < req->count; i++) {
    const struct al_ynode *scheme = al_ynode_get(schemes, req->keys[i]->value);
    enum al_code rc = deref_opt(C, scheme, &scheme);
    if (rc == AL_OK && scheme)
      rc = apply_scheme(C, op, scheme, req->keys[i]);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

/* expect.status from the documented codes: 200 / [200, 404] / "2xx". */
static enum al_code build_expect(struct conv *C, const struct op *op,
                                 struct al_ynode *ep)
{
  const struct al_ynode *responses = al_ynode_get(op->node, "responses");
  if (!responses || responses->kind != AL_YNODE_MAP)
    return AL_OK;
  struct al_ynode *list = al_ynode_new_seq(responses->line, responses->col);
  if (!list)
    return oom(C);
  for (size_t i = 0; i < responses->count; i++) {
    const struct al_ynode *k = responses->keys[i];
    const char *code = k->value;
    struct al_ynode *item = NULL;
    if (strlen(code) == 3 && code[0] >= '1' && code[0] <= '5' &&
        (code[1] == 'X' || code[1] == 'x') &&
        (code[2] == 'X' || code[2] == 'x')) {
      char cls[4] = {code[0], 'x', 'x', '\0'};
      item = lit(cls, k);
    } else if (strlen(code) == 3 && code[0] >= '1' && code[0] <= '5' &&
               code[1] >= '0' && code[1] <= '9' && code[2] >= '0' &&
               code[2] <= '9') {
      item = plain(code, k);
    } else {
      continue; /* `default` and x- extensions say nothing to check */
    }
    if (al_ynode_seq_add(list, item) != AL_OK) {
      al_ynode_free(list);
      return oom(C);
    }
  }
  if (list->count == 0) {
    al_ynode_free(list);
    return AL_OK;
  }
  struct al_ynode *status = list;
  if (list->count == 1) {
    status = list->items[0];
    list->count = 0;
    al_ynode_free(list);
  }
  struct al_ynode *expect = al_ynode_new_map(responses->line, responses->col);
  if (!expect || al_ynode_map_add(expect, "status", status) != AL_OK) {
    if (!expect)
      al_ynode_free(status);
    al_ynode_free(expect);
    return oom(C);
  }
  return al_ynode_map_add(ep, "expect", expect) == AL_OK ? AL_OK : oom(C);
}

static int json_media(const char *type)
{
  size_t n = strlen(type);
  const char *semi = strchr(type, ';');
  if (semi)
    n = (size_t)(semi - type);
  return (n == 16 && strncmp(type, "application/json", 16) == 0) ||
         (n > 5 && strncmp(type + n - 5, "+json", 5) == 0);
}

/* json: from the request body's example, else its schema's minimal value;
 * a non-JSON media type with a string example becomes body:. */
static enum al_code build_body(struct conv *C, struct op *op, const char **key,
                               struct al_ynode **out)
{
  enum al_code rc = AL_OK;
  const struct al_ynode *schema = NULL, *media = NULL, *media_key = NULL;
  if (C->swagger) {
    const struct al_ynode *params[64];
    size_t count = 0;
    if ((rc = collect_params(C, op, params, &count, 64)) != AL_OK)
      return rc;
    for (size_t i = 0; i < count && !schema; i++) {
      if (strcmp(str_of(al_ynode_get(params[i], "in")), "body") == 0)
        schema = al_ynode_get(params[i], "schema");
    }
    if (!schema)
      return AL_OK;
  } else {
    const struct al_ynode *body = NULL;
    if ((rc = deref_opt(C, al_ynode_get(op->node, "requestBody"), &body)) !=
        AL_OK)
      return rc;
    const struct al_ynode *content = al_ynode_get(body, "content");
    if (!content || content->kind != AL_YNODE_MAP || content->count == 0)
      return AL_OK;
    for (size_t i = 0; i < content->count && !media; i++) {
      if (json_media(content->keys[i]->value)) {
        media = content->items[i];
        media_key = content->keys[i];
      }
    }
    if (!media) {
      /* A text body can only come from a documented string. */
      const struct al_ynode *ex = documented(C, content->items[0]);
      if (!is_scalar(ex))
        return AL_OK;
      if ((rc = add_header(C, op, "Content-Type", content->keys[0]->value,
                           content->keys[0])) != AL_OK)
        return oom(C);
      *key = "body";
      *out = lit(ex->value, ex);
      return *out ? AL_OK : oom(C);
    }
    schema = al_ynode_get(media, "schema");
  }
  struct al_ynode *value = NULL;
  const struct al_ynode *ex = media ? documented(C, media) : NULL;
  if (ex)
    value = copy_value(C, ex, 0);
  else if (schema)
    value = sample(C, schema, 0, &rc);
  else
    return AL_OK;
  if (rc != AL_OK) {
    al_ynode_free(value);
    return rc;
  }
  if (!value)
    return oom(C);
  if (media_key && strncmp(media_key->value, "application/json", 16) != 0 &&
      add_header(C, op, "Content-Type", media_key->value, media_key) != AL_OK) {
    al_ynode_free(value);
    return oom(C);
  }
  *key = "json";
  *out = value;
  return AL_OK;
}

static enum al_code unique_name(struct conv *C, const struct op *op, char **out)
{
  char upper[16];
  size_t m = 0;
  for (; op->method[m] && m + 1 < sizeof upper; m++)
    upper[m] = (char)(op->method[m] >= 'a' && op->method[m] <= 'z'
                          ? op->method[m] - 'a' + 'A'
                          : op->method[m]);
  upper[m] = '\0';
  const char *id = str_of(al_ynode_get(op->node, "operationId"));
  struct al_buf b;
  al_buf_init(&b);
  if (id && *id)
    al_buf_append_str(&b, id);
  else
    al_buf_printf(&b, "%s %s", upper, op->path);
  for (int n = 1;; n++) {
    int taken = 0;
    for (size_t i = 0; i < C->name_count && !taken; i++)
      taken = strcmp(C->names[i], al_buf_str(&b)) == 0;
    if (!taken)
      break;
    al_buf_reset(&b);
    if (n == 1 && id && *id)
      al_buf_printf(&b, "%s (%s %s)", id, upper, op->path);
    else
      al_buf_printf(&b, "%s %s #%d", upper, op->path, n + 1);
  }
  enum al_code rc = push_unique(&C->names, &C->name_count, al_buf_str(&b));
  *out = rc == AL_OK ? al_buf_detach(&b) : NULL;
  al_buf_cleanup(&b);
  return *out ? AL_OK : oom(C);
}

/* "GET /pets/{id}: Summary", one line, cut. */
static char *op_comment(const struct op *op, const char *method)
{
  const char *summary = str_of(al_ynode_get(op->node, "summary"));
  struct al_buf b;
  al_buf_init(&b);
  al_buf_printf(&b, "%s %s", method, op->path);
  if (summary && *summary) {
    al_buf_append_str(&b, ": ");
    size_t start = b.len;
    for (const char *s = summary; *s && b.len - start < 70; s++)
      al_buf_append_char(&b, (unsigned char)*s < 0x20 ? ' ' : *s);
  }
  char *out = al_buf_detach(&b);
  al_buf_cleanup(&b);
  return out;
}

static enum al_code add_comment(struct conv *C, char *comment)
{
  struct al_openapi *imp = C->imp;
  char **grown =
      realloc(imp->comments, (imp->endpoint_count + 1) * sizeof *grown);
  if (!grown || !comment) {
    free(comment);
    if (grown)
      imp->comments = grown;
    return oom(C);
  }
  imp->comments = grown;
  imp->comments[imp->endpoint_count++] = comment;
  return AL_OK;
}

static enum al_code build_endpoint(struct conv *C, struct op *op,
                                   struct al_ynode *ep)
{
  enum al_code rc;
  const struct al_ynode *params[128];
  size_t count = 0;
  char *name = NULL;
  struct al_buf path, b;
  al_buf_init(&path);
  al_buf_init(&b);
  char method[16];
  size_t m = 0;
  for (; op->method[m] && m + 1 < sizeof method; m++)
    method[m] = (char)(op->method[m] - 'a' + 'A');
  method[m] = '\0';
  C->budget = ENDPOINT_VALUES;
  C->budget_bytes = ENDPOINT_BYTES;
  if (C->total > TOTAL_VALUES) {
    rc = fail_at(C, op->key,
                 "the document's examples and schemas make more than %d "
                 "values before this operation: too large to import",
                 TOTAL_VALUES);
    goto out;
  }
  if ((rc = collect_params(C, op, params, &count, 128)) != AL_OK ||
      (rc = unique_name(C, op, &name)) != AL_OK)
    goto out;
  for (size_t i = 0; i < count && rc == AL_OK; i++)
    rc = apply_param(C, op, params[i]);
  if (rc == AL_OK)
    rc = apply_security(C, op);
  if (rc == AL_OK)
    rc = build_path(C, op, params, count, &path);
  if (rc == AL_OK &&
      al_buf_append(&path, op->query.data, op->query.len) != AL_OK)
    rc = oom(C);
  if (rc != AL_OK)
    goto out;
  if (op->cookie.len &&
      add_header(C, op, "Cookie", al_buf_str(&op->cookie), op->key) != AL_OK) {
    rc = oom(C);
    goto out;
  }
  al_buf_printf(&b, "%s:%d:%d", C->file, op->key->line, op->key->col);
  if (al_ynode_map_add(ep, "name", lit(name, op->key)) != AL_OK ||
      al_ynode_map_add(ep, "method", lit(method, op->key)) != AL_OK ||
      al_ynode_map_add(ep, "path", raw(al_buf_str(&path), op->key)) != AL_OK ||
      al_ynode_map_add(ep, "source", lit(al_buf_str(&b), op->key)) != AL_OK) {
    rc = oom(C);
    goto out;
  }
  int safe = strcmp(op->method, "get") == 0 || strcmp(op->method, "head") == 0;
  const char *body_key = NULL;
  struct al_ynode *body = NULL;
  if (!safe && (rc = build_body(C, op, &body_key, &body)) != AL_OK)
    goto out;
  if (op->headers) {
    struct al_ynode *h = op->headers;
    op->headers = NULL;
    if (al_ynode_map_add(ep, "headers", h) != AL_OK) {
      al_ynode_free(body);
      rc = oom(C);
      goto out;
    }
  }
  if (body && al_ynode_map_add(ep, body_key, body) != AL_OK) {
    rc = oom(C);
    goto out;
  }
  if ((rc = build_expect(C, op, ep)) != AL_OK)
    goto out;
  if (!safe && !(C->opts && C->opts->all_methods)) {
    al_buf_reset(&b);
    al_buf_printf(&b,
                  "%s may change data: written but not sent (apilint import "
                  "--methods all sends it)",
                  method);
    if (al_ynode_map_add(ep, "skip", lit(al_buf_str(&b), op->key)) != AL_OK) {
      rc = oom(C);
      goto out;
    }
    C->imp->skipped_count++;
  }
  rc = add_comment(C, op_comment(op, method));
out:
  free(name);
  al_buf_cleanup(&path);
  al_buf_cleanup(&b);
  return rc;
}

static enum al_code convert_op(struct conv *C, const char *path,
                               const struct al_ynode *item, size_t m)
{
  struct op op;
  memset(&op, 0, sizeof op);
  op.method = methods[m];
  op.path = path;
  op.item = item;
  op.key = key_node(item, methods[m]);
  al_buf_init(&op.query);
  al_buf_init(&op.cookie);
  enum al_code rc = deref(C, al_ynode_get(item, methods[m]), &op.node);
  if (rc == AL_OK && op.node->kind != AL_YNODE_MAP)
    rc = fail_at(C, op.node, "an operation must be a mapping");
  struct al_ynode *ep = NULL;
  if (rc == AL_OK) {
    ep = al_ynode_new_map(op.key->line, op.key->col);
    if (!ep)
      rc = oom(C);
  }
  if (rc == AL_OK)
    rc = build_endpoint(C, &op, ep);
  if (rc == AL_OK) {
    rc = al_ynode_seq_add(C->endpoints, ep) == AL_OK ? AL_OK : oom(C);
    ep = NULL;
  }
  al_ynode_free(ep);
  al_ynode_free(op.headers);
  al_buf_cleanup(&op.query);
  al_buf_cleanup(&op.cookie);
  return rc;
}

static enum al_code convert_paths(struct conv *C)
{
  const struct al_ynode *paths = al_ynode_get(C->root, "paths");
  if (!paths && !C->swagger)
    return AL_OK; /* 3.1: a document of webhooks or components only */
  if (!paths || paths->kind != AL_YNODE_MAP)
    return fail_at(C, paths ? paths : C->root,
                   "'paths' must be a mapping of paths to operations");
  for (size_t i = 0; i < paths->count; i++) {
    const char *path = paths->keys[i]->value;
    if (path[0] != '/')
      continue; /* x- extensions */
    const struct al_ynode *item = NULL;
    enum al_code rc = deref(C, paths->items[i], &item);
    if (rc != AL_OK)
      return rc;
    if (item->kind != AL_YNODE_MAP)
      continue;
    /* In the document's order, so the spec reads like the document. */
    for (size_t k = 0; k < item->count; k++) {
      for (size_t m = 0; methods[m]; m++) {
        if (strcmp(item->keys[k]->value, methods[m]) == 0 &&
            (rc = convert_op(C, path, item, m)) != AL_OK)
          return rc;
      }
    }
  }
  return AL_OK;
}

/* ---- base URL ---- */

/* servers[0].url with its {variables} at their defaults. */
static enum al_code server_url(struct conv *C, struct al_buf *out)
{
  const struct al_ynode *servers = al_ynode_get(C->root, "servers");
  const struct al_ynode *server =
      servers && servers->kind == AL_YNODE_SEQ && servers->count
          ? servers->items[0]
          : NULL;
  const char *url = str_of(al_ynode_get(server, "url"));
  if (!url)
    return AL_OK;
  const struct al_ynode *vars = al_ynode_get(server, "variables");
  for (const char *s = url; *s; s++) {
    const char *close = *s == '{' ? strchr(s, '}') : NULL;
    if (!close) {
      if (al_buf_append_char(out, *s) != AL_OK)
        return oom(C);
      continue;
    }
    char *name = al_strndup(s + 1, (size_t)(close - s - 1));
    if (!name)
      return oom(C);
    const char *def = str_of(al_ynode_get(al_ynode_get(vars, name), "default"));
    free(name);
    if (al_buf_append_str(out, def ? def : "") != AL_OK)
      return oom(C);
    s = close;
  }
  return AL_OK;
}

static enum al_code swagger_url(struct conv *C, struct al_buf *out)
{
  const struct al_ynode *schemes = al_ynode_get(C->root, "schemes");
  const char *scheme = "http";
  for (size_t i = 0;
       schemes && schemes->kind == AL_YNODE_SEQ && i < schemes->count; i++) {
    const char *s = str_of(schemes->items[i]);
    if (s && (strcmp(s, "https") == 0 || strcmp(s, "http") == 0)) {
      scheme = s;
      break;
    }
  }
  const char *host = str_of(al_ynode_get(C->root, "host"));
  const char *base = str_of(al_ynode_get(C->root, "basePath"));
  if (!host)
    return AL_OK;
  return al_buf_printf(out, "%s://%s%s", scheme, host, base ? base : "") ==
                 AL_OK
             ? AL_OK
             : oom(C);
}

static int url_ok(const char *u)
{
  if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
    return 0;
  const char *host = strstr(u, "://") + 3;
  if (*host == '\0' || *host == '/')
    return 0;
  for (; *u; u++) {
    if ((unsigned char)*u <= 0x20 || *u == '}' || *u == '{' || *u == 0x7f)
      return 0;
  }
  return 1;
}

static enum al_code build_base_url(struct conv *C, struct al_ynode *spec)
{
  struct al_buf url, b;
  al_buf_init(&url);
  al_buf_init(&b);
  enum al_code rc = C->swagger ? swagger_url(C, &url) : server_url(C, &url);
  const char *u = al_buf_str(&url);
  if (rc == AL_OK) {
    /* A relative server URL is relative to where the document is served:
     * unknown here, so localhost, which --base-url or API_URL replace. */
    if (u[0] == '/')
      rc = al_buf_printf(&b, "${API_URL:-http://localhost%s}", u);
    else if (url_ok(u))
      rc = al_buf_printf(&b, "${API_URL:-%s}", u);
    else
      rc = al_buf_append_str(&b, "${API_URL:-http://localhost}");
  }
  const struct al_ynode *at =
      al_ynode_get(C->root, C->swagger ? "host" : "servers");
  if (rc == AL_OK &&
      al_ynode_map_add(spec, "base_url",
                       raw(al_buf_str(&b), at ? at : C->root)) != AL_OK)
    rc = oom(C);
  al_buf_cleanup(&url);
  al_buf_cleanup(&b);
  return rc;
}

/* ---- the whole document ---- */

static enum al_code check_version(struct conv *C)
{
  const struct al_ynode *v = al_ynode_get(C->root, "openapi");
  const struct al_ynode *s = al_ynode_get(C->root, "swagger");
  char title[256];
  const struct al_ynode *info = al_ynode_get(C->root, "info");
  const char *name = str_of(al_ynode_get(info, "title"));
  const char *version = str_of(al_ynode_get(info, "version"));
  if (s) {
    if (!is_scalar(s) || strcmp(s->value, "2.0") != 0)
      return fail_at(C, s, "swagger version '%s' is not supported (2.0 is)",
                     is_scalar(s) ? s->value : "?");
    C->swagger = 1;
  } else if (!is_scalar(v) || (strncmp(v->value, "3.0", 3) != 0 &&
                               strncmp(v->value, "3.1", 3) != 0)) {
    return fail_at(C, v,
                   "OpenAPI version '%s' is not supported (2.0, 3.0 and 3.1 "
                   "are)",
                   is_scalar(v) ? v->value : "?");
  }
  snprintf(title, sizeof title, "%s %s%s%s%s%s",
           C->swagger ? "Swagger" : "OpenAPI", C->swagger ? "2.0" : v->value,
           name ? ", " : "", name ? name : "", version ? " " : "",
           version ? version : "");
  for (char *p = title; *p; p++) {
    if ((unsigned char)*p < 0x20)
      *p = ' ';
  }
  C->imp->title = al_strdup(title);
  return C->imp->title ? AL_OK : oom(C);
}

static enum al_code build_secrets(struct conv *C, struct al_ynode *spec)
{
  if (C->secret_count == 0)
    return AL_OK;
  struct al_ynode *list = al_ynode_new_seq(1, 1);
  if (!list)
    return oom(C);
  for (size_t i = 0; i < C->secret_count; i++) {
    if (al_ynode_seq_add(list, lit(C->secrets[i], NULL)) != AL_OK) {
      al_ynode_free(list);
      return oom(C);
    }
  }
  return al_ynode_map_add(spec, "secrets", list) == AL_OK ? AL_OK : oom(C);
}

int al_openapi_is_document(const struct al_ynode *root)
{
  return root && root->kind == AL_YNODE_MAP &&
         (al_ynode_get(root, "openapi") || al_ynode_get(root, "swagger"));
}

enum al_code al_openapi_convert(const struct al_ynode *doc, const char *path,
                                const struct al_openapi_opts *opts,
                                struct al_openapi **out, struct al_err *err)
{
  struct conv C;
  memset(&C, 0, sizeof C);
  C.file = path;
  C.root = doc;
  C.opts = opts;
  C.err = err;
  *out = NULL;
  enum al_code rc = AL_OK;
  C.imp = calloc(1, sizeof *C.imp);
  if (!C.imp || !(C.imp->source = al_strdup(path)) ||
      !(C.imp->spec = al_ynode_new_map(doc->line, doc->col)) ||
      !(C.endpoints = al_ynode_new_seq(doc->line, doc->col))) {
    al_ynode_free(C.endpoints);
    rc = oom(&C);
    goto out;
  }
  struct al_ynode *endpoints = C.endpoints;
  if ((rc = check_version(&C)) != AL_OK ||
      (rc = al_ynode_map_add(C.imp->spec, "version", plain("1", doc))) !=
          AL_OK ||
      (rc = build_base_url(&C, C.imp->spec)) != AL_OK) {
    al_ynode_free(endpoints);
    goto out;
  }
  rc = convert_paths(&C);
  /* secrets: before endpoints, as a reader expects it near the top. */
  if (rc == AL_OK)
    rc = build_secrets(&C, C.imp->spec);
  if (rc == AL_OK)
    rc = al_ynode_map_add(C.imp->spec, "endpoints", endpoints) == AL_OK
             ? AL_OK
             : oom(&C);
  else
    al_ynode_free(endpoints);
out:
  for (size_t i = 0; i < C.name_count; i++)
    free(C.names[i]);
  free(C.names);
  for (size_t i = 0; i < C.secret_count; i++)
    free(C.secrets[i]);
  free(C.secrets);
  if (rc != AL_OK) {
    al_openapi_free(C.imp);
    return rc;
  }
  *out = C.imp;
  return AL_OK;
}

void al_openapi_free(struct al_openapi *imp)
{
  if (!imp)
    return;
  al_ynode_free(imp->spec);
  for (size_t i = 0; i < imp->endpoint_count; i++)
    free(imp->comments[i]);
  free(imp->comments);
  free(imp->title);
  free(imp->source);
  free(imp);
}

/* ---- the YAML writer ---- */

static int keyword(const char *s)
{
  static const char *const words[] = {"true", "false", "null", "yes", "no",
                                      "on",   "off",   "y",    "n",   NULL};
  for (size_t i = 0; words[i]; i++) {
    if (al_strcaseeq(s, words[i]))
      return 1;
  }
  return 0;
}

/* A string that reads back as the same string when written plain. */
static int plain_safe(const char *s)
{
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '/'))
    return 0;
  size_t len = strlen(s);
  if (s[len - 1] == ':' || s[len - 1] == ' ' || keyword(s))
    return 0;
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || strchr("_./-{}$:+=%?&,() ", c)))
      return 0;
    if ((c == ':' && p[1] == ' ') || (c == ' ' && p[1] == '#') ||
        (c == ' ' && p[1] == ' '))
      return 0;
  }
  return 1;
}

static void write_string(struct al_buf *b, const char *s, int flow)
{
  if (plain_safe(s) && !(flow && strpbrk(s, ",[]{}"))) {
    al_buf_append_str(b, s);
    return;
  }
  al_buf_append_char(b, '"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      al_buf_printf(b, "\\%c", c);
    else if (c == '\n')
      al_buf_append_str(b, "\\n");
    else if (c == '\t')
      al_buf_append_str(b, "\\t");
    else if (c < 0x20 || c == 0x7f)
      al_buf_printf(b, "\\x%02X", c);
    else
      al_buf_append_char(b, (char)c);
  }
  al_buf_append_char(b, '"');
}

static void write_scalar(struct al_buf *b, const struct al_ynode *n, int flow)
{
  if (n->quoted)
    write_string(b, n->value, flow);
  else
    al_buf_append_str(b, n->value[0] ? n->value : "null");
}

static void indent(struct al_buf *b, int n)
{
  for (int i = 0; i < n; i++)
    al_buf_append_char(b, ' ');
}

static void write_node(struct al_buf *b, const struct al_ynode *n, int ind,
                       const struct al_openapi *imp);

/* A short list of short scalars reads best on one line: [200, 404]. */
static int scalar_list(const struct al_ynode *seq)
{
  size_t total = 0;
  for (size_t i = 0; i < seq->count; i++) {
    if (seq->items[i]->kind != AL_YNODE_SCALAR)
      return 0;
    total += seq->items[i]->value_len + 2;
  }
  return total < 60;
}

/* What follows "key:" or "- ": a scalar or empty collection on the same
 * line, else a newline and the collection below. */
static void write_value(struct al_buf *b, const struct al_ynode *v, int ind,
                        const struct al_openapi *imp)
{
  if (v->kind == AL_YNODE_SCALAR) {
    al_buf_append_char(b, ' ');
    write_scalar(b, v, 0);
    al_buf_append_char(b, '\n');
  } else if (v->count == 0) {
    al_buf_append_str(b, v->kind == AL_YNODE_MAP ? " {}\n" : " []\n");
  } else if (v->kind == AL_YNODE_SEQ && scalar_list(v)) {
    al_buf_append_str(b, " [");
    for (size_t i = 0; i < v->count; i++) {
      if (i)
        al_buf_append_str(b, ", ");
      write_scalar(b, v->items[i], 1);
    }
    al_buf_append_str(b, "]\n");
  } else {
    al_buf_append_char(b, '\n');
    write_node(b, v, ind, imp);
  }
}

static void write_map_entries(struct al_buf *b, const struct al_ynode *n,
                              int ind, int first_inline,
                              const struct al_openapi *imp)
{
  for (size_t i = 0; i < n->count; i++) {
    if (i || !first_inline)
      indent(b, ind);
    write_string(b, n->keys[i]->value, 0);
    al_buf_append_char(b, ':');
    const struct al_ynode *v = n->items[i];
    int is_endpoints = imp && v == al_ynode_get(imp->spec, "endpoints");
    write_value(b, v, ind + 2, is_endpoints ? imp : NULL);
  }
}

/* 'imp' is set only for the endpoints list: its items get their comment. */
static void write_node(struct al_buf *b, const struct al_ynode *n, int ind,
                       const struct al_openapi *imp)
{
  if (n->kind == AL_YNODE_MAP) {
    write_map_entries(b, n, ind, 0, NULL);
    return;
  }
  for (size_t i = 0; i < n->count; i++) {
    const struct al_ynode *item = n->items[i];
    if (imp && i < imp->endpoint_count) {
      if (i)
        al_buf_append_char(b, '\n');
      indent(b, ind);
      al_buf_printf(b, "# %s\n", imp->comments[i]);
    }
    indent(b, ind);
    al_buf_append_char(b, '-');
    if (item->kind == AL_YNODE_MAP && item->count) {
      al_buf_append_char(b, ' ');
      write_map_entries(b, item, ind + 2, 1, NULL);
    } else {
      write_value(b, item, ind + 2, NULL);
    }
  }
}

enum al_code al_openapi_write(FILE *out, const struct al_openapi *imp)
{
  struct al_buf b;
  al_buf_init(&b);
  al_buf_printf(&b,
                "# apilint spec imported from %s (%s) by 'apilint import'.\n"
                "#\n"
                "# %zu operations: %zu sent (GET and HEAD), %zu written with "
                "`skip:` (not sent;\n"
                "# 'apilint import --methods all' writes them switched on).\n"
                "# Each endpoint's `source:` is the operation's place in the "
                "document: findings\n"
                "# are reported there. ${NAME:-value} takes NAME from the "
                "environment, else the\n"
                "# value shown (from the document's examples, defaults or "
                "schemas); the\n"
                "# credential variables are listed under `secrets:` and print "
                "as ***.\n"
                "# expect.status lists the documented response codes: any "
                "other is a finding.\n\n",
                imp->source, imp->title ? imp->title : "?", imp->endpoint_count,
                imp->endpoint_count - imp->skipped_count, imp->skipped_count);
  write_map_entries(&b, imp->spec, 0, 0, imp);
  enum al_code rc = AL_OK;
  if (!b.data || fwrite(b.data, 1, b.len, out) != b.len)
    rc = AL_E_IO;
  al_buf_cleanup(&b);
  return rc;
}
