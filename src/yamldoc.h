/* yamldoc.h - the only libyaml user. Turns a YAML document into a small tree
 * in which every node knows its line and column, so the spec and rule loaders
 * can name "file:line:col" in every error. Anchors/aliases are refused (a
 * spec has no need of them and they allow billion-laughs documents); only
 * the first document of a stream is read (a second one is an error).
 * JSON is read as YAML (JSON is YAML 1.2 flow syntax); in a document that
 * starts with '{' or '[', JSON's UTF-16 surrogate escapes ("\ud83d\ude00",
 * which libyaml refuses) are read as the character they stand for, and a
 * lone surrogate as U+FFFD. */
#ifndef AL_YAMLDOC_H
#define AL_YAMLDOC_H

#include <stddef.h>

#include "common.h"

enum al_ynode_kind { AL_YNODE_SCALAR, AL_YNODE_MAP, AL_YNODE_SEQ };

struct al_ynode {
  enum al_ynode_kind kind;
  int line;   /* 1-based position of the node's first character */
  int col;    /* 1-based */
  int quoted; /* 1 if written '...' or "..." or as a block scalar: never
                 a number, a boolean or null, whatever it says */
  /* SCALAR: the value, NUL-terminated (scalars cannot hold NUL here).
   * Owned by the node: it lives in the node's own allocation (a spec of
   * many endpoints is mostly small scalars), so never free or replace it
   * apart from the node. NULL unless SCALAR. */
  char *value;
  size_t value_len;
  /* MAP: keys[i] -> items[i]; keys are scalar nodes (others are refused).
   * SEQ: items[i]. */
  struct al_ynode **keys;  /* owned; MAP only */
  struct al_ynode **items; /* owned */
  size_t count;
};

/* Parses 'len' bytes of YAML text. 'filename' is only used in errors.
 * An empty document gives an empty MAP node.
 * On success returns AL_OK and sets '*out' to a new tree that the caller
 * frees with al_ynode_free(). On failure returns AL_E_SPEC (or AL_E_NOMEM),
 * leaves '*out' NULL and fills 'err' with file:line:col and libyaml's
 * problem in plain words ("expected ':' after a mapping key"...). */
enum al_code al_yamldoc_parse(const char *text, size_t len,
                              const char *filename, struct al_ynode **out,
                              struct al_err *err);

/* Reads the file at 'path' and parses it as above. A missing or unreadable
 * file gives AL_E_IO with the OS reason in 'err'. */
enum al_code al_yamldoc_load(const char *path, struct al_ynode **out,
                             struct al_err *err);

void al_ynode_free(struct al_ynode *node);

/* A big spec read without its whole tree (issue 8: what stays in memory is
 * the loaded endpoints, not their YAML): the root mapping is built up to
 * its key 'key' whose value is a list; that list's items are then read one
 * at a time, each freed by the caller once used.
 *
 * The stream never reports an error. It refuses (al_ystream_open returns
 * NULL, al_ystream_next -1, al_ystream_finish 0) whenever the whole-tree
 * reading could say something different: the file is not a regular file,
 * is over the spec size limit or looks like JSON; the root is not a
 * mapping or has no such list; the YAML is broken anywhere (including
 * anchors, duplicate keys, a second document); keys follow the list (the
 * caller read the list without them); memory runs out. The caller then
 * reads the file whole with al_yamldoc_load, which reports the exact
 * error, or gives the tree the stream could not.
 *
 * al_ystream_open: on success '*root' is the root mapping so far (borrowed:
 * the stream owns it, and it lives until al_ystream_close), its last entry
 * 'key' with an empty SEQ node (the list's position) as its value.
 * al_ystream_next: 1 and '*item' a new tree (the caller frees it), 0 at the
 * end of the list, -1 when the stream refused. al_ystream_finish: reads
 * what remains (items not taken, the rest of the document); 1 when the
 * document ends with the list and is sound, 0 otherwise. */
struct al_ystream;
struct al_ystream *al_ystream_open(const char *path, const char *key,
                                   const struct al_ynode **root);
int al_ystream_next(struct al_ystream *s, struct al_ynode **item);
int al_ystream_finish(struct al_ystream *s);
void al_ystream_close(struct al_ystream *s); /* NULL-safe */

/* Same as al_yamldoc_load, with a size limit of 'max_bytes' instead of the
 * spec limit (16 MB): for recordings (HAR) that are larger by nature. */
enum al_code al_yamldoc_load_max(const char *path, size_t max_bytes,
                                 struct al_ynode **out, struct al_err *err);

/* Building trees in memory (an imported OpenAPI document, `check URL`): the
 * spec loader then validates them like a file, and every error names the
 * line:col given here. Each returns a new node (caller frees with
 * al_ynode_free) or NULL on OOM. 'value' is copied (len bytes; no NUL). */
struct al_ynode *al_ynode_new_scalar(const char *value, size_t len, int quoted,
                                     int line, int col);
struct al_ynode *al_ynode_new_map(int line, int col);
struct al_ynode *al_ynode_new_seq(int line, int col);
/* Appends key -> value to 'map' (a MAP) as a new quoted-key entry; takes
 * ownership of 'value' whatever happens (freed on failure). Duplicate keys
 * are not checked: the builder knows its keys. AL_OK or AL_E_NOMEM. */
enum al_code al_ynode_map_add(struct al_ynode *map, const char *key,
                              struct al_ynode *value);
/* Appends 'item' to 'seq' (a SEQ); takes ownership of 'item' whatever
 * happens. AL_OK or AL_E_NOMEM. */
enum al_code al_ynode_seq_add(struct al_ynode *seq, struct al_ynode *item);

/* The value under 'key' in a MAP (exact match), or NULL. Borrowed from 'map'.
 * NULL-safe: a NULL or non-MAP 'map' gives NULL. */
const struct al_ynode *al_ynode_get(const struct al_ynode *map,
                                    const char *key);

/* Scalar helpers. Each returns 1 and sets *out when 'node' is a SCALAR of
 * that type (plain, i.e. not quoted, for int/bool/null), else 0. */
int al_ynode_int(const struct al_ynode *node, long *out);
int al_ynode_double(const struct al_ynode *node, double *out);
int al_ynode_bool(const struct al_ynode *node, int *out); /* true/false */
int al_ynode_is_null(const struct al_ynode *node);        /* ~, null, empty */

/* "a mapping", "a list", "a string", "a number", "true/false", "null":
 * for messages like "expected a list, got a mapping". */
const char *al_ynode_describe(const struct al_ynode *node);

#endif
