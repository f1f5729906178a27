/* template.h - the message templates of rules (`message:`): the placeholder
 * grammar, checked once when a rule loads (ruleset.c) and expanded for every
 * finding (engine.c). What a placeholder stands for is the caller's: the
 * expander names each one it meets and the caller appends its value. */
#ifndef AL_TEMPLATE_H
#define AL_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "common.h"

/* The placeholders a template may hold. "{{" and "}}" are literal braces. */
enum al_placeholder {
  AL_PH_STATUS,          /* {status}: the status code */
  AL_PH_STATUS_LINE,     /* {status-line} */
  AL_PH_METHOD,          /* {method}: the request's */
  AL_PH_DETAIL,          /* {detail}: what the check found */
  AL_PH_PROBE,           /* {probe}: "NAME/STEP" for a probe answer */
  AL_PH_ENDPOINT_METHOD, /* {endpoint-method}: a probe's endpoint's method */
  AL_PH_ENDPOINT_STATUS, /* {endpoint-status}: its answer's status */
  AL_PH_HEADER,          /* {header:NAME}: a response header */
  AL_PH_REQUEST_HEADER   /* {request-header:NAME}: a request header */
};

/* Appends the value of placeholder 'ph' to 'out'; 'arg' is the NAME of
 * {header:NAME} and {request-header:NAME}, NULL for the others. Returns
 * AL_OK or AL_E_NOMEM. */
typedef enum al_code (*al_template_value_fn)(void *ctx, enum al_placeholder ph,
                                             const char *arg,
                                             struct al_buf *out);

/* Returns 1 if 'tmpl' is valid, else 0 with the reason and the byte offset
 * of the problem in why/at. */
int al_template_validate(const char *tmpl, char *why, size_t why_size,
                         size_t *at);

/* Expands 'tmpl' into 'out', asking 'value' (with 'ctx') for every
 * placeholder. Returns 1 when done, 0 when 'tmpl' is invalid (as
 * al_template_validate, 'out' then holds a part), -1 when out of memory. */
int al_template_expand(const char *tmpl, al_template_value_fn value, void *ctx,
                       struct al_buf *out, char *why, size_t why_size,
                       size_t *at);

#endif
