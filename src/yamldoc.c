/* yamldoc.c - the only libyaml user. Pulls parser events and builds the
 * al_ynode tree (every node with its 1-based line:col), refusing what a spec
 * never needs and what makes YAML dangerous or ambiguous: anchors and aliases
 * (billion laughs), complex keys, duplicate keys, a second document. libyaml's
 * errors are reworded into plain words with the position they are about. */
#include "yamldoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "buf.h"
#include "strmap.h"

/* Deeper nesting than this is refused: a spec is a few levels deep, and the
 * builder recurses once per level, so the limit also bounds the stack. */
#define YDOC_MAX_DEPTH 64
/* A spec is a hand-written file; anything larger is a mistake or an attack. */
#define YDOC_MAX_FILE (16L * 1024 * 1024)

struct ydoc {
  yaml_parser_t parser;
  const char *text; /* borrowed; to place reader errors by byte offset */
  size_t len;
  const char *file;
  struct al_err *err;
};

static int mark_line(yaml_mark_t m)
{
  return (int)m.line + 1;
}

static int mark_col(yaml_mark_t m)
{
  return (int)m.column + 1;
}

/* libyaml's wording is written for YAML implementers; these are the problems
 * a person editing a spec actually meets, said in their terms. */
static const char *plain_problem(const char *problem)
{
  static const struct {
    const char *libyaml;
    const char *plain;
  } table[] = {
      {"could not find expected ':'", "expected ':' after a mapping key"},
      {"mapping values are not allowed in this context",
       "unexpected ':' (a value that contains \": \" must be quoted)"},
      {"did not find expected key",
       "expected a key at this indentation (check the indentation)"},
      {"did not find expected '-' indicator",
       "expected a '-' list item at this indentation (check the indentation)"},
      {"block sequence entries are not allowed in this context",
       "a '-' list item where none is allowed (check the indentation)"},
      {"found character that cannot start any token",
       "a character that cannot start a YAML token here (a tab in the "
       "indentation, or an unquoted '@' or '`'?)"},
      {"found unexpected end of stream",
       "unexpected end of file (an unclosed quote?)"},
      {"did not find expected ',' or ']'",
       "expected ',' or ']' in a [...] list"},
      {"did not find expected ',' or '}'",
       "expected ',' or '}' in a {...} mapping"},
      {"did not find expected node content",
       "expected a value (a scalar, a list or a mapping)"},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (strcmp(problem, table[i].libyaml) == 0)
      return table[i].plain;
  }
  return problem;
}

/* Reader errors (bad UTF-8, control characters) only carry a byte offset. */
static void offset_position(const struct ydoc *d, size_t offset, int *line,
                            int *col)
{
  int l = 1, c = 1;
  if (offset > d->len)
    offset = d->len;
  for (size_t i = 0; i < offset; i++) {
    unsigned char ch = (unsigned char)d->text[i];
    if (ch == '\n') {
      l++;
      c = 1;
    } else if ((ch & 0xC0) != 0x80) {
      c++; /* count characters, not UTF-8 continuation bytes */
    }
  }
  *line = l;
  *col = c;
}

/* Where a line of the text starts and how it is laid out: the column
 * (1-based) of its first character other than a space, and of the first
 * character after a leading "- " (a list item's content). */
struct line_shape {
  int indent;      /* 0 for a blank line */
  int content;     /* after "- " when the line is a list item, else indent */
  int dash;        /* 1 when the line starts with "- " */
  const char *key; /* borrowed: the key's first byte, or NULL */
  int key_len;
};

static struct line_shape shape_of_line(const struct ydoc *d, size_t line0)
{
  struct line_shape sh = {0, 0, 0, NULL, 0};
  size_t i = 0;
  for (size_t l = 0; l < line0 && i < d->len; i++) {
    if (d->text[i] == '\n')
      l++;
  }
  size_t start = i;
  while (i < d->len && d->text[i] == ' ')
    i++;
  if (i >= d->len || d->text[i] == '\n' || d->text[i] == '\r' ||
      d->text[i] == '#')
    return sh;
  sh.indent = (int)(i - start) + 1;
  if (d->text[i] == '-' && i + 1 < d->len && d->text[i + 1] == ' ') {
    sh.dash = 1;
    for (i++; i < d->len && d->text[i] == ' '; i++)
      ;
  }
  sh.content = (int)(i - start) + 1;
  size_t k = i;
  while (k < d->len && d->text[k] != ':' && d->text[k] != '\n' &&
         d->text[k] != ' ' && k - i < 64)
    k++;
  if (k < d->len && d->text[k] == ':' && k > i) {
    sh.key = d->text + i;
    sh.key_len = (int)(k - i);
  }
  return sh;
}

/* The two indentation mistakes people make in a list of mappings, said as
 * the column to move to rather than in libyaml's terms. Returns 1 with the
 * message in 'err', 0 when the problem is something else. */
static int indentation_hint(struct ydoc *d, const char *problem)
{
  yaml_parser_t *p = &d->parser;
  yaml_mark_t at = p->problem_mark;
  struct line_shape here = shape_of_line(d, at.line);
  if (!here.key || here.dash)
    return 0;
  if (strcmp(problem, "did not find expected '-' indicator") == 0 &&
      p->context) {
    /* A key between a list's '-' and its item's keys, or at the '-'
     * column without a '-'. */
    struct line_shape item = shape_of_line(d, p->context_mark.line);
    if (!item.dash || here.indent >= item.content)
      return 0;
    /* The item to continue is the nearest one above, not the list's first. */
    size_t item_line = p->context_mark.line;
    for (size_t l = at.line; l-- > p->context_mark.line;) {
      struct line_shape above = shape_of_line(d, l);
      if (above.dash && above.indent == item.indent) {
        item_line = l;
        break;
      }
    }
    al_err_set(d->err, AL_E_SPEC, d->file, mark_line(at), here.indent,
               "'%.*s' is at column %d: indent it to column %d to continue "
               "the list item at %d:%d, or start a new item with '- ' at "
               "column %d",
               here.key_len, here.key, here.indent, item.content,
               (int)item_line + 1, item.indent, item.indent);
    return 1;
  }
  if (strcmp(problem, "mapping values are not allowed in this context") == 0) {
    /* A key indented deeper than the key above it reads as the rest of
     * that key's plain value, and its ':' is then out of place. */
    for (size_t l = at.line; l-- > 0;) {
      struct line_shape above = shape_of_line(d, l);
      if (above.indent == 0)
        continue;
      if (!above.key || here.indent <= above.content)
        return 0;
      al_err_set(d->err, AL_E_SPEC, d->file, mark_line(at), here.indent,
                 "'%.*s' is at column %d, deeper than '%.*s' above it: "
                 "indent it to column %d (a value that contains \": \" "
                 "must be quoted)",
                 here.key_len, here.key, here.indent, above.key_len, above.key,
                 above.content);
      return 1;
    }
  }
  return 0;
}

static enum al_code parser_error(struct ydoc *d)
{
  yaml_parser_t *p = &d->parser;
  if (p->error == YAML_MEMORY_ERROR)
    return al_err_set(d->err, AL_E_NOMEM, d->file, 0, 0, "out of memory");
  const char *problem = p->problem ? p->problem : "invalid YAML";
  if (p->error == YAML_READER_ERROR) {
    int line, col;
    offset_position(d, p->problem_offset, &line, &col);
    if (p->problem_value != -1)
      return al_err_set(d->err, AL_E_SPEC, d->file, line, col,
                        "invalid YAML text: %s (byte 0x%02X)", problem,
                        (unsigned)p->problem_value & 0xFFu);
    return al_err_set(d->err, AL_E_SPEC, d->file, line, col,
                      "invalid YAML text: %s", problem);
  }
  if (indentation_hint(d, problem))
    return AL_E_SPEC;
  yaml_mark_t at = p->problem_mark;
  /* A key without ':' is reported by libyaml where it gave up (often the
   * next line); the key itself is where the user has to look. */
  if (p->context && strcmp(problem, "could not find expected ':'") == 0)
    at = p->context_mark;
  if (p->context && at.line == p->context_mark.line &&
      at.column == p->context_mark.column)
    return al_err_set(d->err, AL_E_SPEC, d->file, mark_line(at), mark_col(at),
                      "%s (%s)", plain_problem(problem), p->context);
  if (p->context)
    return al_err_set(d->err, AL_E_SPEC, d->file, mark_line(at), mark_col(at),
                      "%s (%s at %d:%d)", plain_problem(problem), p->context,
                      mark_line(p->context_mark), mark_col(p->context_mark));
  return al_err_set(d->err, AL_E_SPEC, d->file, mark_line(at), mark_col(at),
                    "%s", plain_problem(problem));
}

static enum al_code next_event(struct ydoc *d, yaml_event_t *ev)
{
  if (!yaml_parser_parse(&d->parser, ev))
    return parser_error(d);
  return AL_OK;
}

/* A scalar node with room for 'len' bytes of value and a NUL right after
 * it, in one allocation (value = the bytes after the node). */
static struct al_ynode *scalar_new(const char *value, size_t len)
{
  struct al_ynode *n = calloc(1, sizeof *n + len + 1);
  if (!n)
    return NULL;
  n->kind = AL_YNODE_SCALAR;
  n->value = (char *)(n + 1);
  if (len)
    memcpy(n->value, value, len);
  n->value[len] = '\0';
  n->value_len = len;
  return n;
}

static struct al_ynode *node_new(enum al_ynode_kind kind, yaml_mark_t at)
{
  struct al_ynode *n = calloc(1, sizeof *n);
  if (n) {
    n->kind = kind;
    n->line = mark_line(at);
    n->col = mark_col(at);
  }
  return n;
}

void al_ynode_free(struct al_ynode *node)
{
  if (!node)
    return;
  for (size_t i = 0; i < node->count; i++) {
    if (node->keys)
      al_ynode_free(node->keys[i]);
    if (node->items)
      al_ynode_free(node->items[i]);
  }
  free(node->keys);
  free(node->items);
  free(node); /* and its value with it (scalar_new) */
}

/* Makes room for one more child; 'cap' is the builder's private capacity. */
static enum al_code grow(struct al_ynode *n, size_t *cap, int with_keys)
{
  if (n->count < *cap)
    return AL_OK;
  size_t ncap = *cap ? *cap * 2 : 4;
  struct al_ynode **items = realloc(n->items, ncap * sizeof *items);
  if (!items)
    return AL_E_NOMEM;
  n->items = items;
  if (with_keys) {
    struct al_ynode **keys = realloc(n->keys, ncap * sizeof *keys);
    if (!keys)
      return AL_E_NOMEM;
    n->keys = keys;
  }
  *cap = ncap;
  return AL_OK;
}

static enum al_code refuse_anchor(struct ydoc *d, const yaml_char_t *anchor,
                                  yaml_mark_t at)
{
  return al_err_set(d->err, AL_E_SPEC, d->file, mark_line(at), mark_col(at),
                    "anchors (&%s) are not supported in this file; write the "
                    "value out where it is needed",
                    (const char *)anchor);
}

static enum al_code refuse_alias(struct ydoc *d, const yaml_event_t *ev)
{
  return al_err_set(d->err, AL_E_SPEC, d->file, mark_line(ev->start_mark),
                    mark_col(ev->start_mark),
                    "aliases (*%s) are not supported in this file; write the "
                    "value out where it is needed",
                    (const char *)ev->data.alias.anchor);
}

static const yaml_char_t *event_anchor(const yaml_event_t *ev)
{
  switch (ev->type) {
  case YAML_SCALAR_EVENT:
    return ev->data.scalar.anchor;
  case YAML_SEQUENCE_START_EVENT:
    return ev->data.sequence_start.anchor;
  case YAML_MAPPING_START_EVENT:
    return ev->data.mapping_start.anchor;
  default:
    return NULL;
  }
}

static enum al_code build_scalar(struct ydoc *d, const yaml_event_t *ev,
                                 struct al_ynode **out)
{
  const char *value = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  if (memchr(value, '\0', len))
    return al_err_set(d->err, AL_E_SPEC, d->file, mark_line(ev->start_mark),
                      mark_col(ev->start_mark),
                      "a NUL character (\\0) in a string is not supported");
  struct al_ynode *n = scalar_new(value, len);
  if (!n)
    return AL_E_NOMEM;
  n->line = mark_line(ev->start_mark);
  n->col = mark_col(ev->start_mark);
  /* An explicit !!str makes a plain scalar a string, as YAML says. */
  const char *tag = (const char *)ev->data.scalar.tag;
  n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
              (tag && strcmp(tag, YAML_STR_TAG) == 0);
  *out = n;
  return AL_OK;
}

static enum al_code build_node(struct ydoc *d, yaml_event_t *ev, int depth,
                               struct al_ynode **out);

/* Small maps (nearly all of them) are scanned for an earlier equal key; a
 * big one (a long `headers:` map) is indexed from SCAN_KEYS keys on, so the
 * duplicate check stays linear. 'seen' indexes map->keys[0..seen->count),
 * caught up here (the keys so far are distinct). */
#define SCAN_KEYS 8

static enum al_code find_key(const struct al_ynode *map, struct al_strmap *seen,
                             const struct al_ynode *key,
                             const struct al_ynode **first)
{
  *first = NULL;
  if (map->count < SCAN_KEYS) {
    for (size_t i = 0; i < map->count; i++) {
      const struct al_ynode *k = map->keys[i];
      if (k->value_len == key->value_len &&
          memcmp(k->value, key->value, key->value_len) == 0) {
        *first = k;
        break;
      }
    }
    return AL_OK;
  }
  while (seen->count < map->count) {
    const struct al_ynode *k = map->keys[seen->count];
    int added = 0;
    if (al_strmap_add(seen, k->value, k->value_len, seen->count, &added,
                      NULL) != AL_OK)
      return AL_E_NOMEM;
  }
  size_t at = 0;
  if (al_strmap_get(seen, key->value, key->value_len, &at))
    *first = map->keys[at];
  return AL_OK;
}

/* Reads the key event of a mapping entry, or reports the mapping's end. */
static enum al_code build_key(struct ydoc *d, yaml_event_t *ev,
                              const struct al_ynode *map,
                              struct al_strmap *seen, struct al_ynode **key)
{
  if (ev->type == YAML_ALIAS_EVENT)
    return refuse_alias(d, ev);
  if (ev->type != YAML_SCALAR_EVENT)
    return al_err_set(d->err, AL_E_SPEC, d->file, mark_line(ev->start_mark),
                      mark_col(ev->start_mark),
                      "a mapping key must be a plain string, got %s",
                      ev->type == YAML_MAPPING_START_EVENT ? "a mapping"
                                                           : "a list");
  if (ev->data.scalar.anchor)
    return refuse_anchor(d, ev->data.scalar.anchor, ev->start_mark);
  enum al_code rc = build_scalar(d, ev, key);
  if (rc != AL_OK)
    return rc;
  const struct al_ynode *first = NULL;
  if (find_key(map, seen, *key, &first) != AL_OK)
    rc = al_err_set(d->err, AL_E_NOMEM, d->file, 0, 0, "out of memory");
  else if (first) {
    rc = al_err_set(d->err, AL_E_SPEC, d->file, (*key)->line, (*key)->col,
                    "duplicate key '%s' (first at %d:%d)", (*key)->value,
                    first->line, first->col);
    al_ynode_free(*key);
    *key = NULL;
  }
  return rc;
}

/* Where building a mapping's entries stops early: at the entry whose key is
 * 'key' when its value is a list, which is then left unread (an empty SEQ
 * node in its place) for the caller to read item by item (al_ystream). */
struct entries_stop {
  const char *key; /* NULL: never stop */
  int stopped;     /* set to 1 when it did */
};

/* A list value of the stop key: its SEQ node, empty, the parser inside the
 * list. Takes 'ev' (deletes it). */
static enum al_code stop_at_list(yaml_event_t *ev, struct al_ynode **out)
{
  *out = node_new(AL_YNODE_SEQ, ev->start_mark);
  yaml_event_delete(ev);
  return *out ? AL_OK : AL_E_NOMEM;
}

static int stops_here(const struct entries_stop *stop,
                      const struct al_ynode *key, const yaml_event_t *value)
{
  return stop && stop->key && strcmp(key->value, stop->key) == 0 &&
         value->type == YAML_SEQUENCE_START_EVENT &&
         !value->data.sequence_start.anchor;
}

/* Builds entries until the mapping's end (or 'stop'). 'cap' is the map's
 * private capacity (grow), kept by the caller across a stop. */
static enum al_code build_entries(struct ydoc *d, struct al_ynode *map,
                                  int depth, struct al_strmap *seen,
                                  size_t *cap, struct entries_stop *stop)
{
  for (;;) {
    yaml_event_t ev;
    enum al_code rc = next_event(d, &ev);
    if (rc != AL_OK)
      return rc;
    if (ev.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&ev);
      return AL_OK;
    }
    struct al_ynode *key = NULL;
    rc = build_key(d, &ev, map, seen, &key);
    yaml_event_delete(&ev);
    if (rc == AL_OK)
      rc = grow(map, cap, 1);
    if (rc != AL_OK) {
      al_ynode_free(key);
      return rc;
    }
    map->keys[map->count] = key;
    map->items[map->count] = NULL;
    map->count++; /* counted now so the key is freed with the map on error */
    rc = next_event(d, &ev);
    if (rc != AL_OK)
      return rc;
    struct al_ynode **value = &map->items[map->count - 1];
    if (stops_here(stop, key, &ev)) {
      stop->stopped = 1;
      return stop_at_list(&ev, value);
    }
    rc = build_node(d, &ev, depth + 1, value);
    if (rc != AL_OK)
      return rc;
  }
}

static enum al_code build_map(struct ydoc *d, struct al_ynode *map, int depth)
{
  struct al_strmap seen; /* borrows the keys' text */
  size_t cap = 0;
  al_strmap_init(&seen);
  enum al_code rc = build_entries(d, map, depth, &seen, &cap, NULL);
  al_strmap_cleanup(&seen);
  return rc;
}

static enum al_code build_seq(struct ydoc *d, struct al_ynode *seq, int depth)
{
  size_t cap = 0;
  for (;;) {
    yaml_event_t ev;
    enum al_code rc = next_event(d, &ev);
    if (rc != AL_OK)
      return rc;
    if (ev.type == YAML_SEQUENCE_END_EVENT) {
      yaml_event_delete(&ev);
      return AL_OK;
    }
    rc = grow(seq, &cap, 0);
    if (rc != AL_OK) {
      yaml_event_delete(&ev);
      return rc;
    }
    seq->items[seq->count] = NULL;
    seq->count++;
    rc = build_node(d, &ev, depth + 1, &seq->items[seq->count - 1]);
    if (rc != AL_OK)
      return rc;
  }
}

/* Takes ownership of 'ev' (deletes it). */
static enum al_code build_node(struct ydoc *d, yaml_event_t *ev, int depth,
                               struct al_ynode **out)
{
  enum al_code rc = AL_OK;
  struct al_ynode *n = NULL;
  *out = NULL;
  const yaml_char_t *anchor = event_anchor(ev);
  if (anchor) {
    rc = refuse_anchor(d, anchor, ev->start_mark);
    goto out;
  }
  if (depth > YDOC_MAX_DEPTH) {
    rc = al_err_set(d->err, AL_E_SPEC, d->file, mark_line(ev->start_mark),
                    mark_col(ev->start_mark), "nested more than %d levels deep",
                    YDOC_MAX_DEPTH);
    goto out;
  }
  switch (ev->type) {
  case YAML_SCALAR_EVENT:
    rc = build_scalar(d, ev, &n);
    break;
  case YAML_ALIAS_EVENT:
    rc = refuse_alias(d, ev);
    break;
  case YAML_MAPPING_START_EVENT:
  case YAML_SEQUENCE_START_EVENT: {
    int is_map = ev->type == YAML_MAPPING_START_EVENT;
    n = node_new(is_map ? AL_YNODE_MAP : AL_YNODE_SEQ, ev->start_mark);
    if (!n) {
      rc = AL_E_NOMEM;
      break;
    }
    yaml_event_delete(ev); /* children reuse the parser; done with this */
    ev = NULL;
    rc = is_map ? build_map(d, n, depth) : build_seq(d, n, depth);
    break;
  }
  default:
    rc = al_err_set(d->err, AL_E_INTERNAL, d->file, 0, 0,
                    "unexpected YAML event %d", (int)ev->type);
    break;
  }
out:
  if (ev)
    yaml_event_delete(ev);
  if (rc != AL_OK) {
    al_ynode_free(n);
    return rc;
  }
  *out = n;
  return AL_OK;
}

static enum al_code expect_event(struct ydoc *d, yaml_event_type_t type,
                                 yaml_event_t *ev)
{
  enum al_code rc = next_event(d, ev);
  if (rc != AL_OK)
    return rc;
  if (ev->type != type) {
    rc = al_err_set(d->err, AL_E_INTERNAL, d->file, mark_line(ev->start_mark),
                    mark_col(ev->start_mark), "unexpected YAML event %d",
                    (int)ev->type);
    yaml_event_delete(ev);
  }
  return rc;
}

/* An empty document (nothing, or a bare '---') reads as an empty mapping so
 * callers report "missing key" rather than "not a mapping". */
static enum al_code empty_map(struct al_ynode **out, int line, int col)
{
  struct al_ynode *n = calloc(1, sizeof *n);
  if (!n)
    return AL_E_NOMEM;
  n->kind = AL_YNODE_MAP;
  n->line = line;
  n->col = col;
  *out = n;
  return AL_OK;
}

/* Reads the stream up to its document's root: sets '*first' to the root's
 * first event (the caller deletes it), or '*empty' to 1 when the stream
 * holds no document. */
static enum al_code read_document_start(struct ydoc *d, yaml_event_t *first,
                                        int *empty)
{
  yaml_event_t ev;
  *empty = 0;
  enum al_code rc = expect_event(d, YAML_STREAM_START_EVENT, &ev);
  if (rc != AL_OK)
    return rc;
  yaml_event_delete(&ev);
  rc = next_event(d, &ev);
  if (rc != AL_OK)
    return rc;
  if (ev.type == YAML_STREAM_END_EVENT) {
    yaml_event_delete(&ev);
    *empty = 1;
    return AL_OK;
  }
  if (ev.type != YAML_DOCUMENT_START_EVENT) {
    yaml_event_delete(&ev);
    return al_err_set(d->err, AL_E_INTERNAL, d->file, 0, 0,
                      "YAML stream without a document start");
  }
  yaml_event_delete(&ev);
  return next_event(d, first);
}

/* After the root node: the document's end, and no second document. */
static enum al_code read_document_end(struct ydoc *d)
{
  yaml_event_t ev;
  enum al_code rc = expect_event(d, YAML_DOCUMENT_END_EVENT, &ev);
  if (rc != AL_OK)
    return rc;
  yaml_event_delete(&ev);
  rc = next_event(d, &ev);
  if (rc != AL_OK)
    return rc;
  if (ev.type == YAML_DOCUMENT_START_EVENT)
    rc = al_err_set(d->err, AL_E_SPEC, d->file, mark_line(ev.start_mark),
                    mark_col(ev.start_mark),
                    "a second YAML document ('---') is not allowed; put "
                    "everything in one document");
  yaml_event_delete(&ev);
  return rc;
}

/* The document's root as callers see it: a null root is an empty mapping.
 * Takes 'root'. */
static enum al_code root_or_empty(struct al_ynode *root, struct al_ynode **out)
{
  if (root->kind == AL_YNODE_SCALAR && !root->quoted &&
      al_ynode_is_null(root)) {
    int line = root->line, col = root->col;
    al_ynode_free(root);
    return empty_map(out, line, col);
  }
  *out = root;
  return AL_OK;
}

static enum al_code parse_stream(struct ydoc *d, struct al_ynode **out)
{
  yaml_event_t ev;
  struct al_ynode *root = NULL;
  int empty = 0;
  enum al_code rc = read_document_start(d, &ev, &empty);
  if (rc != AL_OK)
    return rc;
  if (empty)
    return empty_map(out, 1, 1);
  rc = build_node(d, &ev, 0, &root);
  if (rc == AL_OK)
    rc = read_document_end(d);
  if (rc != AL_OK) {
    al_ynode_free(root);
    return rc;
  }
  return root_or_empty(root, out);
}

static int hex_val(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The code unit of a "\uXXXX" escape at 's' (len bytes left), or -1. */
static long u_escape(const char *s, size_t len)
{
  if (len < 6 || s[0] != '\\' || s[1] != 'u')
    return -1;
  long v = 0;
  for (int i = 2; i < 6; i++) {
    int h = hex_val(s[i]);
    if (h < 0)
      return -1;
    v = v * 16 + h;
  }
  return v;
}

/* JSON writes characters beyond U+FFFF as two \u escapes (a UTF-16
 * surrogate pair), which YAML does not have: libyaml refuses them. Returns
 * a new copy of a JSON text with each pair as one \UXXXXXXXX escape and
 * each lone surrogate as \uFFFD, or NULL when there is nothing to change
 * (or on OOM: then libyaml reports the escape). Only for JSON documents: in
 * YAML a "\u" outside double quotes is literal text. Positions after a pair
 * on the same line move two columns left. */
static char *json_surrogates(const char *text, size_t len, size_t *out_len)
{
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                     text[i] == '\r'))
    i++;
  if (i >= len || (text[i] != '{' && text[i] != '['))
    return NULL;
  int found = 0;
  for (size_t k = i; k + 5 < len; k++) {
    if (text[k] == '\\') {
      long u = u_escape(text + k, len - k);
      if (u >= 0xD800 && u <= 0xDFFF) {
        found = 1;
        break;
      }
      k++; /* skip the escaped character ("\\u" is not an escape) */
    }
  }
  if (!found)
    return NULL;
  char *out = malloc(len + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t k = 0; k < len;) {
    long u = text[k] == '\\' ? u_escape(text + k, len - k) : -1;
    if (u >= 0xD800 && u <= 0xDBFF) {
      long lo = u_escape(text + k + 6, len - k - 6);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        long cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        o += (size_t)snprintf(out + o, 11, "\\U%08lX", cp);
        k += 12;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) {
      memcpy(out + o, "\\uFFFD", 6);
      o += 6;
      k += 6;
      continue;
    }
    if (text[k] == '\\' && k + 1 < len) {
      out[o++] = text[k++];
    }
    out[o++] = text[k++];
  }
  out[o] = '\0';
  *out_len = o;
  return out;
}

enum al_code al_yamldoc_parse(const char *text, size_t len,
                              const char *filename, struct al_ynode **out,
                              struct al_err *err)
{
  size_t fixed_len = 0;
  char *fixed = json_surrogates(text, len, &fixed_len);
  if (fixed) {
    text = fixed;
    len = fixed_len;
  }
  struct ydoc d;
  *out = NULL;
  memset(&d, 0, sizeof d);
  d.text = text;
  d.len = len;
  d.file = filename ? filename : "";
  d.err = err;
  if (!yaml_parser_initialize(&d.parser)) {
    free(fixed);
    return al_err_set(err, AL_E_NOMEM, d.file, 0, 0, "out of memory");
  }
  yaml_parser_set_input_string(&d.parser, (const unsigned char *)text, len);
  enum al_code rc = parse_stream(&d, out);
  yaml_parser_delete(&d.parser);
  free(fixed);
  return rc;
}

static enum al_code read_file(const char *path, size_t max, char **text,
                              size_t *len, struct al_err *err)
{
  struct al_buf b;
  al_buf_init(&b);
  switch (al_buf_read_file(&b, path, max)) {
  case AL_READ_OK:
    break;
  case AL_READ_CANNOT_OPEN:
    return al_err_set(err, AL_E_IO, path, 0, 0, "cannot open: %s",
                      strerror(errno));
  case AL_READ_CANNOT_READ:
    return al_err_set(err, AL_E_IO, path, 0, 0, "cannot read: %s",
                      strerror(errno));
  case AL_READ_TOO_LARGE:
    return al_err_set(err, AL_E_IO, path, 0, 0, "file is larger than %zu bytes",
                      max);
  case AL_READ_NOMEM:
    return al_err_set(err, AL_E_NOMEM, path, 0, 0, "out of memory");
  }
  *len = b.len;
  *text = al_buf_detach(&b); /* "" for an empty file */
  if (!*text)
    return al_err_set(err, AL_E_NOMEM, path, 0, 0, "out of memory");
  return AL_OK;
}

enum al_code al_yamldoc_load(const char *path, struct al_ynode **out,
                             struct al_err *err)
{
  return al_yamldoc_load_max(path, (size_t)YDOC_MAX_FILE, out, err);
}

enum al_code al_yamldoc_load_max(const char *path, size_t max_bytes,
                                 struct al_ynode **out, struct al_err *err)
{
  char *text = NULL;
  size_t len = 0;
  *out = NULL;
  enum al_code rc = read_file(path, max_bytes, &text, &len, err);
  if (rc != AL_OK)
    return rc;
  rc = al_yamldoc_parse(text, len, path, out, err);
  free(text);
  return rc;
}

/* ---- one list of the root mapping, item by item (al_ystream) ---- */

struct al_ystream {
  struct ydoc d; /* no text: errors here are not shown (yamldoc.h) */
  FILE *f;
  size_t max;  /* bytes the file may have */
  size_t read; /* bytes read so far */
  struct al_ynode *root;
  struct al_strmap seen; /* the root's keys (duplicate check) */
  size_t cap;            /* the root's capacity (grow) */
  int in_list;           /* 1 while the list's items are being read */
  struct al_err scratch; /* where this stream's errors go */
};

/* libyaml's read handler: the file in chunks, refused past 'max' bytes. */
static int stream_read(void *data, unsigned char *buf, size_t size,
                       size_t *size_read)
{
  struct al_ystream *s = data;
  size_t got = fread(buf, 1, size, s->f);
  s->read += got;
  if (ferror(s->f) || s->read > s->max)
    return 0;
  *size_read = got;
  return 1;
}

/* 1 when 'f' is a regular file of at most 'max' bytes that does not start
 * like JSON (a JSON document's surrogate escapes are rewritten in its whole
 * text first: al_yamldoc_parse). Leaves 'f' at its start. */
static int streamable(FILE *f, size_t max)
{
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
      (unsigned long long)st.st_size > max)
    return 0;
  int c;
  do
    c = getc(f);
  while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  rewind(f);
  return c != '{' && c != '[';
}

void al_ystream_close(struct al_ystream *s)
{
  if (!s)
    return;
  yaml_parser_delete(&s->d.parser);
  if (s->f)
    fclose(s->f);
  al_strmap_cleanup(&s->seen);
  al_ynode_free(s->root);
  free(s);
}

/* 1 when the document's root is a mapping with a list under 'key': the
 * entries before it are built, the parser is inside the list. */
static int stream_begin(struct al_ystream *s, const char *key)
{
  yaml_event_t ev;
  int empty = 0;
  if (read_document_start(&s->d, &ev, &empty) != AL_OK || empty)
    return 0;
  int mapping =
      ev.type == YAML_MAPPING_START_EVENT && !ev.data.mapping_start.anchor;
  if (mapping)
    s->root = node_new(AL_YNODE_MAP, ev.start_mark);
  yaml_event_delete(&ev);
  if (!s->root)
    return 0;
  struct entries_stop stop = {key, 0};
  if (build_entries(&s->d, s->root, 0, &s->seen, &s->cap, &stop) != AL_OK ||
      !stop.stopped)
    return 0;
  s->in_list = 1;
  return 1;
}

struct al_ystream *al_ystream_open(const char *path, const char *key,
                                   const struct al_ynode **root)
{
  *root = NULL;
  struct al_ystream *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  al_strmap_init(&s->seen);
  s->d.file = path;
  s->d.err = &s->scratch;
  s->max = (size_t)YDOC_MAX_FILE;
  if (!yaml_parser_initialize(&s->d.parser)) {
    free(s);
    return NULL;
  }
  s->f = fopen(path, "rb");
  int ok = s->f && streamable(s->f, s->max);
  if (ok) {
    yaml_parser_set_input(&s->d.parser, stream_read, s);
    ok = stream_begin(s, key);
  }
  if (!ok) {
    al_ystream_close(s);
    return NULL;
  }
  *root = s->root;
  return s;
}

int al_ystream_next(struct al_ystream *s, struct al_ynode **item)
{
  *item = NULL;
  if (!s->in_list)
    return 0;
  yaml_event_t ev;
  if (next_event(&s->d, &ev) != AL_OK) {
    s->in_list = 0;
    return -1;
  }
  if (ev.type == YAML_SEQUENCE_END_EVENT) {
    yaml_event_delete(&ev);
    s->in_list = 0;
    return 0;
  }
  /* Depth as in the whole tree: root 0, the list 1, its items 2. */
  if (build_node(&s->d, &ev, 2, item) != AL_OK) {
    s->in_list = 0;
    return -1;
  }
  return 1;
}

int al_ystream_finish(struct al_ystream *s)
{
  struct al_ynode *item = NULL;
  int got;
  while ((got = al_ystream_next(s, &item)) == 1) /* bounded by the file */
    al_ynode_free(item);
  if (got < 0)
    return 0;
  size_t before = s->root->count;
  /* Keys after the list: the caller loaded the list without them. */
  return build_entries(&s->d, s->root, 0, &s->seen, &s->cap, NULL) == AL_OK &&
         read_document_end(&s->d) == AL_OK && s->root->count == before;
}

const struct al_ynode *al_ynode_get(const struct al_ynode *map, const char *key)
{
  if (!map || map->kind != AL_YNODE_MAP || !key)
    return NULL;
  for (size_t i = 0; i < map->count; i++) {
    if (strcmp(map->keys[i]->value, key) == 0)
      return map->items[i];
  }
  return NULL;
}

static int is_plain(const struct al_ynode *node)
{
  return node && node->kind == AL_YNODE_SCALAR && !node->quoted;
}

static int is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* YAML 1.2 core schema int, decimal form only: [-+]?[0-9]+ */
static int int_syntax(const char *s)
{
  if (*s == '-' || *s == '+')
    s++;
  if (!is_digit(*s))
    return 0;
  while (is_digit(*s))
    s++;
  return *s == '\0';
}

/* YAML 1.2 core schema float without .inf/.nan (no use for them here):
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int float_syntax(const char *s)
{
  int digits = 0;
  if (*s == '-' || *s == '+')
    s++;
  while (is_digit(*s)) {
    s++;
    digits++;
  }
  if (*s == '.') {
    s++;
    while (is_digit(*s)) {
      s++;
      digits++;
    }
  }
  if (!digits)
    return 0;
  if (*s == 'e' || *s == 'E') {
    s++;
    if (*s == '-' || *s == '+')
      s++;
    if (!is_digit(*s))
      return 0;
    while (is_digit(*s))
      s++;
  }
  return *s == '\0';
}

int al_ynode_int(const struct al_ynode *node, long *out)
{
  if (!is_plain(node) || !int_syntax(node->value))
    return 0;
  errno = 0;
  char *end = NULL;
  long v = strtol(node->value, &end, 10);
  if (errno == ERANGE || !end || *end != '\0')
    return 0;
  *out = v;
  return 1;
}

int al_ynode_double(const struct al_ynode *node, double *out)
{
  if (!is_plain(node) || !float_syntax(node->value))
    return 0;
  errno = 0;
  char *end = NULL;
  double v = strtod(node->value, &end);
  if (errno == ERANGE || !end || *end != '\0')
    return 0;
  *out = v;
  return 1;
}

int al_ynode_bool(const struct al_ynode *node, int *out)
{
  static const char *const yes[] = {"true", "True", "TRUE"};
  static const char *const no[] = {"false", "False", "FALSE"};
  if (!is_plain(node))
    return 0;
  for (size_t i = 0; i < 3; i++) {
    if (strcmp(node->value, yes[i]) == 0) {
      *out = 1;
      return 1;
    }
    if (strcmp(node->value, no[i]) == 0) {
      *out = 0;
      return 1;
    }
  }
  return 0;
}

int al_ynode_is_null(const struct al_ynode *node)
{
  if (!is_plain(node))
    return 0;
  const char *v = node->value;
  return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
         strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

const char *al_ynode_describe(const struct al_ynode *node)
{
  long l;
  double dbl;
  int b;
  if (!node)
    return "nothing";
  switch (node->kind) {
  case AL_YNODE_MAP:
    return "a mapping";
  case AL_YNODE_SEQ:
    return "a list";
  case AL_YNODE_SCALAR:
    break;
  }
  if (al_ynode_is_null(node))
    return "null";
  if (al_ynode_bool(node, &b))
    return "true/false";
  if (al_ynode_int(node, &l) || al_ynode_double(node, &dbl))
    return "a number";
  return "a string";
}

struct al_ynode *al_ynode_new_scalar(const char *value, size_t len, int quoted,
                                     int line, int col)
{
  struct al_ynode *n = scalar_new(value, len);
  if (!n)
    return NULL;
  n->quoted = quoted;
  n->line = line;
  n->col = col;
  return n;
}

static struct al_ynode *new_collection(enum al_ynode_kind kind, int line,
                                       int col)
{
  struct al_ynode *n = calloc(1, sizeof *n);
  if (n) {
    n->kind = kind;
    n->line = line;
    n->col = col;
  }
  return n;
}

struct al_ynode *al_ynode_new_map(int line, int col)
{
  return new_collection(AL_YNODE_MAP, line, col);
}

struct al_ynode *al_ynode_new_seq(int line, int col)
{
  return new_collection(AL_YNODE_SEQ, line, col);
}

/* Capacity is not stored: it is the smallest power of two >= max(count,
 * 4), so a node grows when it is empty or its count is such a power.
 * Only for nodes made by al_ynode_new_*: the parser's have their own. */
static enum al_code append_slot(struct al_ynode *n, int with_keys)
{
  size_t c = n->count;
  if (c != 0 && (c < 4 || (c & (c - 1)) != 0))
    return AL_OK;
  size_t cap = c == 0 ? 4 : c * 2;
  struct al_ynode **items = realloc(n->items, cap * sizeof *items);
  if (!items)
    return AL_E_NOMEM;
  n->items = items;
  if (with_keys) {
    struct al_ynode **keys = realloc(n->keys, cap * sizeof *keys);
    if (!keys)
      return AL_E_NOMEM;
    n->keys = keys;
  }
  return AL_OK;
}

enum al_code al_ynode_map_add(struct al_ynode *map, const char *key,
                              struct al_ynode *value)
{
  if (!value)
    return AL_E_NOMEM;
  struct al_ynode *k =
      al_ynode_new_scalar(key, strlen(key), 1, value->line, value->col);
  if (!k || append_slot(map, 1) != AL_OK) {
    al_ynode_free(k);
    al_ynode_free(value);
    return AL_E_NOMEM;
  }
  map->keys[map->count] = k;
  map->items[map->count] = value;
  map->count++;
  return AL_OK;
}

enum al_code al_ynode_seq_add(struct al_ynode *seq, struct al_ynode *item)
{
  if (!item)
    return AL_E_NOMEM;
  if (append_slot(seq, 0) != AL_OK) {
    al_ynode_free(item);
    return AL_E_NOMEM;
  }
  seq->items[seq->count++] = item;
  return AL_OK;
}
