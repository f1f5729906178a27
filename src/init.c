/* init.c - `apilint init [FILE]`: the spec template onto disk, never over
 * anything that is already there. */
#include "init.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

static enum al_code write_all(int fd, const char *text, size_t len)
{
  while (len > 0) {
    ssize_t n = write(fd, text, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return AL_E_IO;
    text += n;
    len -= (size_t)n;
  }
  return AL_OK;
}

/* The template goes to a temporary file beside 'path' first and is then
 * hard-linked into place: link() fails with EEXIST when anything (a file,
 * a directory, a dangling symlink) already has the name, so nothing is ever
 * replaced, and a reader never sees half a template. */
enum al_code al_init_write(const char *path, struct al_err *err)
{
  if (strcmp(path, "-") == 0) {
    if (fwrite(al_spec_template, 1, al_spec_template_len, stdout) !=
            al_spec_template_len ||
        fflush(stdout) != 0)
      return al_err_set(err, AL_E_IO, "", 0, 0, "cannot write to stdout: %s",
                        strerror(errno));
    return AL_OK;
  }
  struct al_buf tmp;
  al_buf_init(&tmp);
  if (al_buf_printf(&tmp, "%s.XXXXXX", path) != AL_OK)
    return AL_E_NOMEM;
  enum al_code rc = AL_OK;
  int fd = mkstemp(tmp.data);
  if (fd < 0) {
    rc = al_err_set(err, AL_E_IO, path, 0, 0, "cannot create: %s",
                    strerror(errno));
    goto out;
  }
  if (write_all(fd, al_spec_template, al_spec_template_len) != AL_OK ||
      fsync(fd) != 0) {
    rc = al_err_set(err, AL_E_IO, path, 0, 0, "cannot write: %s",
                    strerror(errno));
    close(fd);
    unlink(tmp.data);
    goto out;
  }
  close(fd);
  if (link(tmp.data, path) != 0) {
    int e = errno;
    rc = e == EEXIST
             ? al_err_set(err, AL_E_USAGE, path, 0, 0,
                          "already exists; apilint init never replaces a "
                          "file (remove it, or name another)")
             : al_err_set(err, AL_E_IO, path, 0, 0, "cannot create: %s",
                          strerror(e));
  }
  unlink(tmp.data);
out:
  al_buf_cleanup(&tmp);
  return rc;
}
