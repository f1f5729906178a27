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
void al_msg_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void al_msg_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Prints 'err' as an error line: "apilint: error: FILE:LINE:COL: MSG". */
void al_msg_err(const struct al_err *err);

#endif
