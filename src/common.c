/* common.c - severity names and the error record (see common.h). */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *al_severity_name(enum al_severity sev)
{
  switch (sev) {
  case AL_SEV_ERROR:
    return "error";
  case AL_SEV_WARNING:
    return "warning";
  case AL_SEV_INFO:
    return "info";
  case AL_SEV_NEVER:
    return "never";
  case AL_SEV_NONE:
    break;
  }
  return "none";
}

int al_severity_parse(const char *word, int allow_never, enum al_severity *out)
{
  static const enum al_severity all[] = {AL_SEV_ERROR, AL_SEV_WARNING,
                                         AL_SEV_INFO, AL_SEV_NEVER};
  if (!word)
    return 0;
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    if (all[i] == AL_SEV_NEVER && !allow_never)
      continue;
    if (strcmp(word, al_severity_name(all[i])) == 0) {
      *out = all[i];
      return 1;
    }
  }
  return 0;
}

enum al_code al_err_set(struct al_err *err, enum al_code code, const char *file,
                        int line, int col, const char *fmt, ...)
{
  if (!err)
    return code;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  err->col = col;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return code;
}
