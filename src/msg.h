/* msg.h - the only writer to stderr. One format for every diagnostic:
 *   apilint: error: specs/pets.yaml:14:9: unknown key 'methd'
 *   (did you mean 'method'?), all on one line.
 */
#ifndef AL_MSG_H
#define AL_MSG_H

#include "common.h"

void al_msg_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Prints 'err' as an error line: "apilint: error: FILE:LINE:COL: MSG". */
void al_msg_err(const struct al_err *err);

/* The live progress line of a run on a terminal: 'line' (one line, no
 * newline, already safe to show) drawn over the previous one in place.
 * The caller decides whether stderr is a terminal worth drawing on; msg.c
 * only remembers that a line is showing, so that every other message, and
 * al_msg_progress_clear(), first erases it. */
void al_msg_progress(const char *line);

/* Erases the progress line if one is showing (before other output reaches
 * the same terminal, and at the end of the run). */
void al_msg_progress_clear(void);

#endif
