/* reporters.c - the registry of output formats and the set of reports one
 * run writes: each a reporter (report.h) streaming into its own
 * destination (a temporary file put in place at the end, or stdout). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "outfile.h"

/* The formats -f and the report options know, in the order --help lists
 * them. A new reporter adds itself here. */
static const struct al_reporter_ops *const registry[] = {
    &al_reporter_text,  &al_reporter_json, &al_reporter_junit,
    &al_reporter_sarif, &al_reporter_html, NULL,
};

const struct al_reporter_ops *al_reporter_find(const char *format)
{
  if (!format)
    return NULL;
  for (size_t i = 0; registry[i]; i++) {
    if (strcmp(registry[i]->format, format) == 0)
      return registry[i];
  }
  return NULL;
}

const struct al_reporter_ops *const *al_reporter_list(void)
{
  return registry;
}

struct output {
  const struct al_reporter_ops *ops;
  struct al_outfile *file; /* owned; NULL for stdout or once settled */
  char *path;              /* owned; as given; NULL for stdout */
  struct al_report_opts opts;
  void *state;
  int begun;  /* begin() succeeded: free() is due */
  int failed; /* err says why */
  struct al_err err;
};

struct al_report_set {
  struct output *items; /* owned */
  size_t count;
};

enum al_code al_report_set_new(struct al_report_set **out)
{
  *out = calloc(1, sizeof **out);
  return *out ? AL_OK : AL_E_NOMEM;
}

enum al_code al_report_set_add(struct al_report_set *set, const char *format,
                               const char *path,
                               const struct al_report_opts *opts,
                               struct al_err *err)
{
  const struct al_reporter_ops *ops = al_reporter_find(format);
  if (!ops)
    return al_err_set(err, AL_E_USAGE, "", 0, 0, "unknown report format '%s'",
                      format ? format : "");
  return al_report_set_add_reporter(set, ops, path, opts, err);
}

enum al_code al_report_set_add_reporter(struct al_report_set *set,
                                        const struct al_reporter_ops *ops,
                                        const char *path,
                                        const struct al_report_opts *opts,
                                        struct al_err *err)
{
  struct output *grown =
      realloc(set->items, (set->count + 1) * sizeof *set->items);
  if (!grown)
    return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
  set->items = grown;
  struct output *o = &set->items[set->count];
  memset(o, 0, sizeof *o);
  o->ops = ops;
  o->opts = *opts;
  if (path) {
    if (!(o->path = al_strdup(path)))
      return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
    enum al_code rc = al_outfile_open(path, &o->file, err);
    if (rc != AL_OK) {
      free(o->path);
      return rc;
    }
  }
  set->count++;
  return AL_OK;
}

static FILE *stream_of(const struct output *o)
{
  return o->file ? al_outfile_stream(o->file) : stdout;
}

static enum al_code fail(struct output *o, enum al_code rc)
{
  o->failed = 1;
  al_err_set(&o->err, rc, o->path ? o->path : "", 0, 0,
             "cannot write the %s report%s: %s", o->ops->format,
             o->path ? "" : " to standard output",
             rc == AL_E_NOMEM ? "out of memory" : "write error");
  return rc;
}

enum al_code al_report_set_begin(struct al_report_set *set,
                                 const struct al_report *report)
{
  enum al_code first = AL_OK;
  for (size_t i = 0; i < set->count; i++) {
    struct output *o = &set->items[i];
    enum al_code rc = o->ops->begin(stream_of(o), report, &o->opts, &o->state);
    if (rc == AL_OK) {
      o->begun = 1;
    } else if (first == AL_OK) {
      first = fail(o, rc);
    } else {
      fail(o, rc);
    }
  }
  return first;
}

enum al_code al_report_set_endpoint(struct al_report_set *set,
                                    const struct al_report_item *item)
{
  enum al_code first = AL_OK;
  for (size_t i = 0; i < set->count; i++) {
    struct output *o = &set->items[i];
    if (o->failed || !o->begun)
      continue;
    enum al_code rc = o->ops->endpoint(o->state, item);
    if (rc != AL_OK && first == AL_OK)
      first = fail(o, rc);
    else if (rc != AL_OK)
      fail(o, rc);
  }
  return first;
}

enum al_code al_report_set_end(struct al_report_set *set)
{
  enum al_code first = AL_OK;
  for (size_t i = 0; i < set->count; i++) {
    struct output *o = &set->items[i];
    enum al_code rc = o->failed ? AL_E_IO : AL_OK;
    if (!o->failed && o->begun) {
      rc = o->ops->end(o->state);
      if (rc != AL_OK)
        fail(o, rc);
    }
    if (o->begun) {
      o->ops->free(o->state);
      o->begun = 0;
      o->state = NULL;
    }
    if (o->file) {
      struct al_outfile *f = o->file;
      o->file = NULL;
      if (o->failed) {
        /* Keep the message about the write; name the file in it. */
        al_outfile_abort(f);
      } else if ((rc = al_outfile_commit(f, &o->err)) != AL_OK) {
        o->failed = 1;
      }
    } else if (!o->failed && (fflush(stdout) != 0 || ferror(stdout))) {
      rc = fail(o, AL_E_IO);
    }
    if (rc != AL_OK && first == AL_OK)
      first = rc;
  }
  return first;
}

int al_report_set_may_block(const struct al_report_set *set)
{
  for (size_t i = 0; i < set->count; i++)
    if (al_stream_may_block(stream_of(&set->items[i])))
      return 1;
  return 0;
}

size_t al_report_set_count(const struct al_report_set *set)
{
  return set->count;
}

const struct al_err *al_report_set_error(const struct al_report_set *set,
                                         size_t i)
{
  return i < set->count && set->items[i].failed ? &set->items[i].err : NULL;
}

void al_report_set_free(struct al_report_set *set)
{
  if (!set)
    return;
  for (size_t i = 0; i < set->count; i++) {
    struct output *o = &set->items[i];
    if (o->begun)
      o->ops->free(o->state);
    al_outfile_abort(o->file);
    free(o->path);
  }
  free(set->items);
  free(set);
}
