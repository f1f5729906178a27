/* outpath.c - what file a report path names (see outpath.h). Identity is
 * the kernel's (device and inode), not the spelling: "./r.json", "r.json",
 * a hard link and a symlink to it are one file. */
/* realpath, readlink. */
#define _DEFAULT_SOURCE

#include "outpath.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

#define MAX_LINKS 40 /* as the kernel's own limit on a path walk */

/* 'link' resolved against the directory of 'from' when relative. */
static char *beside(const char *from, const char *link)
{
  if (link[0] == '/')
    return al_strdup(link);
  const char *slash = strrchr(from, '/');
  if (!slash)
    return al_strdup(link);
  struct al_buf b;
  al_buf_init(&b);
  if (al_buf_append(&b, from, (size_t)(slash - from) + 1) != AL_OK ||
      al_buf_append_str(&b, link) != AL_OK) {
    al_buf_cleanup(&b);
    return NULL;
  }
  return al_buf_detach(&b);
}

char *al_outpath_target(const char *path)
{
  char *cur = al_strdup(path);
  for (int hops = 0; cur && hops < MAX_LINKS; hops++) {
    struct stat st;
    if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
      return cur;
    char link[PATH_MAX];
    ssize_t n = readlink(cur, link, sizeof link - 1);
    if (n < 0)
      return cur;
    link[n] = '\0';
    char *next = beside(cur, link);
    free(cur);
    cur = next;
  }
  free(cur);
  return al_strdup(path); /* a loop: opening it will fail with ELOOP */
}

/* A file's identity: device and inode when it exists, else those of its
 * resolved parent directory plus its name. */
struct identity {
  dev_t dev;
  ino_t ino;
  char *name; /* owned; NULL when the file exists */
  int is_null;
};

static enum al_code identify(const char *path, struct identity *id)
{
  memset(id, 0, sizeof *id);
  char *target = al_outpath_target(path);
  if (!target)
    return AL_E_NOMEM;
  struct stat st, null_st;
  enum al_code rc = AL_OK;
  if (stat(target, &st) == 0) {
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    id->is_null = S_ISCHR(st.st_mode) && stat("/dev/null", &null_st) == 0 &&
                  st.st_rdev == null_st.st_rdev;
    free(target);
    return AL_OK;
  }
  /* Not there yet: the directory it would be made in, and its name. */
  char *slash = strrchr(target, '/');
  const char *dir = slash ? (slash == target ? "/" : target) : ".";
  const char *name = slash ? slash + 1 : target;
  if (slash && slash != target)
    *slash = '\0';
  if (stat(dir, &st) == 0) {
    id->dev = st.st_dev;
    id->ino = st.st_ino;
  } else {
    id->dev = (dev_t)-1; /* no such directory: only equal names clash */
    id->ino = (ino_t)-1;
  }
  if (!(id->name = al_strdup(name)))
    rc = AL_E_NOMEM;
  free(target);
  return rc;
}

static int same(const struct identity *a, const struct identity *b)
{
  if (a->dev != b->dev || a->ino != b->ino || !a->name != !b->name)
    return 0;
  return !a->name || strcmp(a->name, b->name) == 0;
}

enum al_code al_outpath_check(const struct al_outpath_use *uses, size_t count,
                              struct al_err *err)
{
  struct identity *ids = calloc(count ? count : 1, sizeof *ids);
  if (!ids)
    return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < count; i++)
    rc = identify(uses[i].path, &ids[i]);
  if (rc != AL_OK)
    al_err_set(err, rc, "", 0, 0, "out of memory");
  for (size_t i = 0; rc == AL_OK && i < count; i++) {
    for (size_t j = 0; rc == AL_OK && j < i; j++) {
      const struct al_outpath_use *a = &uses[j], *b = &uses[i];
      if ((!a->written && !b->written) || ids[i].is_null ||
          !same(&ids[i], &ids[j]))
        continue;
      /* The report is named second when an input comes first. */
      const struct al_outpath_use *w = b->written ? b : a;
      const struct al_outpath_use *o = w == b ? a : b;
      rc = al_err_set(err, AL_E_USAGE, "", 0, 0,
                      "%s '%s' names the same file as %s '%s': %s (try "
                      "'apilint --help')",
                      w->role, w->path, o->role, o->path,
                      o->written ? "one report would replace the other"
                                 : "the report would replace it");
    }
  }
  for (size_t i = 0; i < count; i++)
    free(ids[i].name);
  free(ids);
  return rc;
}
