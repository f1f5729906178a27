/* outfile.c - report files whole or not at all (see outfile.h). The only
 * module-level state is the table of named temporary files a signal
 * handler must be able to remove: a handler cannot be passed a context. */
/* O_TMPFILE, linkat, realpath, mkstemp, copy_file_range. */
#define _GNU_SOURCE

#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/sendfile.h>
#endif

#include "outpath.h"

#include "buf.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

enum kind { OUT_DIRECT, OUT_UNNAMED, OUT_NAMED };

struct al_outfile {
  enum kind kind;
  FILE *f;
  char *shown;  /* owned; the path as the user gave it */
  char *target; /* owned; the file to replace (a symlink resolved) */
  int slot;     /* OUT_NAMED: index in the signal table */
};

/* Named temporary files a signal handler may have to unlink. Slots are
 * claimed and released with the catchable signals blocked, so a handler
 * never sees a half-written name. */
#define MAX_NAMED 32
static char named_paths[MAX_NAMED][PATH_MAX];
static volatile sig_atomic_t named_used[MAX_NAMED];
static int force_named = -1; /* -1: not decided yet (read the environment) */

void al_outfile_force_named(int on)
{
  force_named = on;
}

static int use_named_only(void)
{
  if (force_named < 0) {
    const char *e = getenv("APILINT_NO_O_TMPFILE");
    force_named = e && *e && strcmp(e, "0") != 0;
  }
  return force_named;
}

void al_outfile_unlink_all_signal_safe(void)
{
  for (int i = 0; i < MAX_NAMED; i++) {
    if (named_used[i])
      unlink(named_paths[i]);
  }
}

static void block_signals(sigset_t *old)
{
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGQUIT);
  sigprocmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old)
{
  sigprocmask(SIG_SETMASK, old, NULL);
}

/* Claims a table slot for 'path'; call with signals blocked. -1 when the
 * table is full or the path too long. */
static int claim_slot(const char *path)
{
  size_t n = strlen(path);
  if (n >= PATH_MAX)
    return -1;
  for (int i = 0; i < MAX_NAMED; i++) {
    if (!named_used[i]) {
      memcpy(named_paths[i], path, n + 1);
      named_used[i] = 1;
      return i;
    }
  }
  return -1;
}

static void release_slot(int i)
{
  if (i >= 0)
    named_used[i] = 0;
}

/* The mode a new report file gets, as open(2) with 0666 would give it; a
 * replaced file keeps its own. umask() can only be read by setting it; this
 * runs on the main thread before any transfer thread exists. */
static mode_t file_mode(const char *path)
{
  struct stat st;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
    return st.st_mode & 07777;
  mode_t mask = umask(077);
  umask(mask);
  return 0666 & ~mask;
}

/* The directory part of 'path' ("." when there is none). NULL on OOM. */
static char *dir_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash)
    return al_strdup(".");
  return al_strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static void proc_fd_path(int fd, char out[64])
{
  snprintf(out, 64, "/proc/self/fd/%d", fd);
}

/* An unnamed file in the target's directory, or -1 when the kernel, the
 * file system or a missing /proc (needed to give it a name later) does
 * not allow it. */
static int open_unnamed(const char *target, mode_t mode)
{
#ifdef O_TMPFILE
  if (use_named_only())
    return -1;
  char *dir = dir_of(target);
  if (!dir)
    return -1;
  int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  free(dir);
  if (fd < 0)
    return -1;
  char proc[64];
  proc_fd_path(fd, proc);
  if (access(proc, F_OK) != 0) {
    close(fd);
    return -1;
  }
  return fd;
#else
  (void)target;
  (void)mode;
  return -1;
#endif
}

/* A named "TARGET.XXXXXX" registered for the signal handler. */
static int open_named(struct al_outfile *o)
{
  size_t n = strlen(o->target);
  char *tmp = malloc(n + sizeof ".XXXXXX");
  if (!tmp) {
    errno = ENOMEM;
    return -1;
  }
  memcpy(tmp, o->target, n);
  memcpy(tmp + n, ".XXXXXX", sizeof ".XXXXXX");
  sigset_t old;
  block_signals(&old);
  int fd = mkostemp(tmp, O_CLOEXEC);
  if (fd >= 0) {
    o->slot = claim_slot(tmp);
    if (o->slot < 0) {
      unlink(tmp);
      close(fd);
      fd = -1;
      errno = EMFILE;
    }
  }
  restore_signals(&old);
  free(tmp);
  return fd;
}

static void outfile_free(struct al_outfile *o)
{
  if (!o)
    return;
  free(o->shown);
  free(o->target);
  free(o);
}

enum al_code al_outfile_open(const char *path, struct al_outfile **out,
                             struct al_err *err)
{
  *out = NULL;
  struct al_outfile *o = calloc(1, sizeof *o);
  if (!o || !(o->shown = al_strdup(path))) {
    free(o);
    return al_err_set(err, AL_E_NOMEM, path, 0, 0, "out of memory");
  }
  o->slot = -1;
  struct stat st;
  /* A device or pipe (--junit /dev/stdout) cannot be replaced, only
   * written; renaming over it would swap the device node for a file. */
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    o->kind = OUT_DIRECT;
    o->f = fopen(path, "w");
    if (!o->f) {
      int e = errno;
      outfile_free(o);
      return al_err_set(err, AL_E_IO, path, 0, 0, "cannot open: %s",
                        strerror(e));
    }
    *out = o;
    return AL_OK;
  }
  /* Through a symlink the file it names is replaced (or, for a dangling
   * link, created); the link stays. */
  o->target = al_outpath_target(path);
  if (!o->target) {
    outfile_free(o);
    return al_err_set(err, AL_E_NOMEM, path, 0, 0, "out of memory");
  }
  mode_t mode = file_mode(o->target);
  int fd = open_unnamed(o->target, mode);
  o->kind = OUT_UNNAMED;
  if (fd < 0) {
    o->kind = OUT_NAMED;
    fd = open_named(o);
  }
  if (fd < 0) {
    int e = errno;
    outfile_free(o);
    return al_err_set(err, AL_E_IO, path, 0, 0,
                      "cannot create a temporary file next to the report: %s",
                      strerror(e));
  }
  if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w"))) {
    int e = errno;
    close(fd);
    o->f = NULL;
    al_outfile_abort(o);
    return al_err_set(err, AL_E_IO, path, 0, 0, "cannot open: %s", strerror(e));
  }
  *out = o;
  return AL_OK;
}

FILE *al_outfile_stream(struct al_outfile *o)
{
  return o->f;
}

/* Gives the unnamed file 'fd' the name 'target'. A new target gets it in
 * one step, so no other name ever exists. An existing one cannot be
 * replaced by linkat, so the file gets a temporary name first and is
 * renamed over it, with the catchable signals blocked in between (only
 * SIGKILL in those two system calls could leave that name behind). */
static int link_into_place(int fd, const char *target)
{
  char proc[64];
  proc_fd_path(fd, proc);
  if (linkat(AT_FDCWD, proc, AT_FDCWD, target, AT_SYMLINK_FOLLOW) == 0)
    return 0;
  if (errno != EEXIST)
    return -1;
  size_t n = strlen(target);
  char *tmp = malloc(n + 16);
  if (!tmp) {
    errno = ENOMEM;
    return -1;
  }
  int rc = -1;
  sigset_t old;
  block_signals(&old);
  for (unsigned attempt = 0; attempt < 100; attempt++) {
    snprintf(tmp, n + 16, "%s.%06x", target,
             (unsigned)(((unsigned)getpid() * 2654435761u + attempt * 40503u) &
                        0xffffffu));
    if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
      int slot = claim_slot(tmp);
      rc = rename(tmp, target);
      int e = errno;
      if (rc != 0)
        unlink(tmp);
      release_slot(slot);
      errno = e;
      break;
    }
    if (errno != EEXIST)
      break;
  }
  restore_signals(&old);
  free(tmp);
  return rc;
}

int al_stream_may_block(FILE *f)
{
  struct stat st, null;
  if (fstat(fileno(f), &st) != 0)
    return 1; /* not known: assume the worst */
  return !S_ISREG(st.st_mode) &&
         !(S_ISCHR(st.st_mode) && stat("/dev/null", &null) == 0 &&
           st.st_rdev == null.st_rdev);
}

#ifdef __linux__
/* Copies [*at, to) of file 'in' to 'out' at its file offset (as write(2)
 * would), moving *at past what was copied, until done or refused.
 * copy_file_range(2) first: a server-side copy on NFS and the like; since
 * Linux 5.19 only within one file system (EXDEV otherwise), and the part
 * files are in /tmp, often another file system than the reports. Then
 * sendfile(2), which copies between any two files. */
static void kernel_copy(int in, loff_t *at, loff_t to, int out)
{
  while (*at < to) {
    ssize_t n = copy_file_range(in, at, out, NULL, (size_t)(to - *at), 0);
    if (n <= 0)
      break;
  }
  while (*at < to) {
    off_t pos = *at;
    ssize_t n = sendfile(out, in, &pos, (size_t)(to - *at));
    if (n <= 0)
      break;
    *at = pos;
  }
}
#endif

long al_stream_copy_in_kernel(FILE *in, long from, long to, FILE *out)
{
#ifdef __linux__
  struct stat st;
  int fd = fileno(out);
  if (from >= to || fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return from;
  /* Bytes stdio still holds: the range's end in 'in', what goes before
   * it in 'out'. */
  if (fflush(in) != 0 || fflush(out) != 0)
    return -1;
  /* Whatever the cause of a refusal (O_APPEND, no such system call, a
   * full disk), the caller's stdio copy does the rest and fails with its
   * own errno if it must, as it did before this path existed. */
  int saved = errno;
  loff_t at = from;
  kernel_copy(fileno(in), &at, to, fd);
  errno = saved;
  if (at == from)
    return from;
  /* The file offset moved through the descriptor, behind stdio's back:
   * POSIX wants the stream positioned before its next use (XSH 2.5.1),
   * and a C library may cache the offset for ftell. */
  off_t end = lseek(fd, 0, SEEK_CUR);
  if (end < 0 || fseeko(out, end, SEEK_SET) != 0)
    return -1;
  return (long)at;
#else
  (void)in;
  (void)to;
  (void)out;
  return from;
#endif
}

enum al_code al_outfile_commit(struct al_outfile *o, struct al_err *err)
{
  enum al_code rc = AL_OK;
  FILE *f = o->f;
  o->f = NULL;
  errno = 0;
  int failed = fflush(f) != 0 || ferror(f);
  int e = errno;
  if (failed) {
    rc = al_err_set(err, AL_E_IO, o->shown, 0, 0, "cannot write the report: %s",
                    e ? strerror(e) : "write error");
    fclose(f);
    goto out;
  }
  if (o->kind == OUT_UNNAMED && link_into_place(fileno(f), o->target) != 0) {
    e = errno;
    fclose(f);
    rc = al_err_set(err, AL_E_IO, o->shown, 0, 0,
                    "cannot replace the report: %s", strerror(e));
    goto out;
  }
  if (fclose(f) != 0 && rc == AL_OK) {
    e = errno;
    rc = al_err_set(err, AL_E_IO, o->shown, 0, 0, "cannot write the report: %s",
                    strerror(e));
    goto out;
  }
  if (o->kind == OUT_NAMED) {
    sigset_t old;
    block_signals(&old);
    int r = rename(named_paths[o->slot], o->target);
    e = errno;
    if (r == 0) {
      release_slot(o->slot);
      o->slot = -1;
    }
    restore_signals(&old);
    if (r != 0) {
      rc = al_err_set(err, AL_E_IO, o->shown, 0, 0,
                      "cannot replace the report: %s", strerror(e));
      goto out;
    }
  }
out:
  al_outfile_abort(o);
  return rc;
}

void al_outfile_abort(struct al_outfile *o)
{
  if (!o)
    return;
  if (o->f)
    fclose(o->f);
  if (o->kind == OUT_NAMED && o->slot >= 0) {
    sigset_t old;
    block_signals(&old);
    unlink(named_paths[o->slot]);
    release_slot(o->slot);
    restore_signals(&old);
  }
  outfile_free(o);
}
