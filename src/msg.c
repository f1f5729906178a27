/* msg.c - the only writer to stderr (see msg.h). Keeping every diagnostic in
 * one format lets editors and CI log parsers pick out file:line:col. */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>

static void msg_vwrite(const char *kind, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;

static int progress_shown;

void al_msg_progress(const char *line)
{
  /* \r back to the start, the line, then erase what a longer previous
   * line left (EL, "erase in line"). */
  fprintf(stderr, "\r%s\033[K", line);
  fflush(stderr);
  progress_shown = 1;
}

void al_msg_progress_clear(void)
{
  if (!progress_shown)
    return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  progress_shown = 0;
}

static void msg_vwrite(const char *kind, const char *fmt, va_list ap)
{
  al_msg_progress_clear();
  fprintf(stderr, "apilint: %s: ", kind);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  fflush(stderr);
}

void al_msg_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  msg_vwrite("error", fmt, ap);
  va_end(ap);
}

void al_msg_err(const struct al_err *err)
{
  if (!err)
    return;
  if (err->file[0] && err->line > 0 && err->col > 0)
    al_msg_error("%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
  else if (err->file[0] && err->line > 0)
    al_msg_error("%s:%d: %s", err->file, err->line, err->msg);
  else if (err->file[0])
    al_msg_error("%s: %s", err->file, err->msg);
  else
    al_msg_error("%s", err->msg);
}
