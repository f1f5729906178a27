/* rule_logic.h - private to the rule stage (ruleset.c loads it,
 * rule_logic.c frees it, engine.c and checks*.c judge with it,
 * rule_example.c runs its examples, explain.c prints it) and its unit tests:
 * what a rule tests, as parsed from its `when:` / `require:` / `check:`
 * data, the named C checks, and the canned examples every rule carries.
 * Other modules see only struct al_rule. */
#ifndef AL_RULE_LOGIC_H
#define AL_RULE_LOGIC_H

#include <stddef.h>

#include "common.h"
#include "expect.h"
#include "finding.h"
#include "headers.h"
#include "json_body.h"
#include "probe.h"
#include "request.h"
#include "response.h"
#include "spec.h"
#include "suggest.h"

struct al_ruleset;
struct al_rule_config;
struct al_redactor;
struct al_probe_context;

/* One condition of a `when:` or `require:` block. A block holds when every
 * condition in it holds. */
enum al_cond_kind {
  AL_COND_STATUS,          /* status: 201 | [429, 503] | "4xx" */
  AL_COND_METHOD,          /* method: POST | [POST, PUT] */
  AL_COND_REQ_HEADER,      /* request-headers: {Name: true|false|"ERE"} */
  AL_COND_RES_HEADER,      /* headers: {Name: true|false|"ERE"} */
  AL_COND_BODY,            /* body: true|false (body bytes received) */
  AL_COND_CONTENT,         /* content: true|false (any content signal) */
  AL_COND_REQ_BODY,        /* request-body: true|false (the request sent one) */
  AL_COND_ENDPOINT_STATUS, /* endpoint-status: 200 | [..] | "2xx": a probe
                              answer, and the endpoint's own answer came
                              with such a status */
  AL_COND_ANY,             /* any: [block, ...]  at least one block holds */
  AL_COND_NOT              /* not: block        the block does not hold */
};

enum al_header_test {
  AL_HTEST_PRESENT, /* true */
  AL_HTEST_ABSENT,  /* false */
  AL_HTEST_MATCH    /* "ERE": present and one field value matches */
};

struct al_cond_block;

struct al_cond {
  enum al_cond_kind kind;
  int line, col; /* in the rule file, for messages */
  /* STATUS, ENDPOINT_STATUS */
  struct al_status_set status; /* owned */
  /* METHOD */
  char **methods; /* owned */
  size_t method_count;
  /* REQ_HEADER / RES_HEADER */
  char *name; /* owned */
  enum al_header_test test;
  char *pattern;     /* owned; MATCH only */
  struct al_ere *re; /* MATCH only; owned, compiled at load (ere.h) */
  /* BODY / CONTENT / REQ_BODY */
  int want; /* 1 = must be there, 0 = must not */
  /* ANY: blocks; NOT: one block */
  struct al_cond_block *blocks; /* owned */
  size_t block_count;
};

struct al_cond_block {
  struct al_cond *conds; /* owned */
  size_t count;
};

/* What a C check sees, and what it reports: zero or more hits, each
 * becoming one finding whose message is the rule's template with {detail}
 * filled in. */
struct al_check_input {
  const struct al_request *req;   /* may be NULL */
  const struct al_response *res;  /* never NULL */
  const struct al_expect *expect; /* may be NULL */
  /* may be NULL; checks show secret-named header values as *** */
  const struct al_redactor *redactor;
  /* NULL for an endpoint's own request; for a probe's answer, the probe,
   * the endpoint's own answer and the other answers (engine.h). */
  const struct al_probe_context *probe;
  /* The body of 'res' read as JSON, parsed once for every check of this
   * evaluation (json_body.h); the engine owns it. NULL: a check that reads
   * JSON makes its own view (unit tests of one check). */
  struct al_json_body *json;
};

struct al_check_hit {
  char *detail;   /* owned */
  char *evidence; /* owned */
};

struct al_check_hits {
  struct al_check_hit *items; /* owned */
  size_t count;
};

enum al_check_scope {
  AL_CHECK_RESPONSE,  /* runs on received responses */
  AL_CHECK_TRANSPORT, /* runs only when no usable response came */
  AL_CHECK_INTERIM,   /* runs only when no final response came but 1xx
                         interim ones did (received 0, interim_count > 0) */
  AL_CHECK_EXPECT     /* runs only when the endpoint has an `expect:` */
};

struct al_check_def {
  const char *name;
  enum al_check_scope scope;
  const char *doc; /* one line, for rules/README.md and error hints */
  /* Prepares private state once at load (compiled regexes); may be NULL. */
  enum al_code (*init)(void **state, struct al_err *err);
  void (*free_state)(void *state);
  enum al_code (*eval)(const void *state, const struct al_check_input *in,
                       struct al_check_hits *out);
};

/* The check called 'name', or NULL. */
const struct al_check_def *al_check_find(const char *name);
/* The closest check name to a misspelt 'name', or NULL. */
const char *al_check_suggest(const char *name);
/* All checks, for listing; sets *count. */
const struct al_check_def *al_check_all(size_t *count);

/* Appends a hit (copies both strings). */
enum al_code al_check_hits_add(struct al_check_hits *hits, const char *detail,
                               const char *evidence);
void al_check_hits_cleanup(struct al_check_hits *hits);

/* An answer sent along in a probe example (`peers:`). */
struct al_example_peer {
  char *method;   /* owned */
  char *response; /* owned; raw text as in an example */
  size_t response_len;
};

/* One canned example of a rule: a raw HTTP response (or a transport error)
 * that must fire the rule, or must not. A probe example ('probe' set: every
 * example of a rule with `probe:`, and one that names a probe) is the answer
 * to that probe's request, judged through al_engine_eval_probe. */
struct al_rule_example {
  int fires; /* 1: under `fires:`; 0: under `passes:` */
  int line, col;
  char *method;                      /* owned; default "GET" */
  struct al_headers request_headers; /* owned */
  char *response; /* owned; raw text "HTTP/1.1 204 ...\n...\n\nbody"; NULL
                     with 'transport' */
  size_t response_len;
  char *transport; /* owned; curl's reason, for transport-error; or NULL */
  int has_expect;
  struct al_expect expect; /* owned; freed with al_rule_example_cleanup */
  char *message_contains;  /* owned; fires only: the finding must say this */
  /* Probe examples only ('probe' NULL otherwise). */
  const struct al_probe_def *probe; /* borrowed (static table) */
  const char *step;                 /* borrowed from probe->steps */
  char *endpoint_method;            /* owned; default "GET" */
  char *endpoint_response; /* owned; the endpoint's own answer, raw; NULL =
                              none received */
  size_t endpoint_response_len;
  struct al_example_peer *peers; /* owned; the other probes' answers */
  size_t peer_count;
};

struct al_rule_logic {
  struct al_cond_block when;
  int has_require;
  struct al_cond_block require;
  const struct al_check_def *check; /* NULL with has_require */
  void *check_state;                /* owned by check->free_state */
  char *message;                    /* owned; the finding's template */
  /* `probe:`: when set, the rule judges only these probes' answers and
   * never an endpoint's own answer. */
  struct al_probe_filter *probes; /* owned array */
  size_t probe_count;
  struct al_rule_example *examples; /* owned */
  size_t example_count;
};

void al_rule_logic_free(struct al_rule_logic *logic);
void al_rule_example_cleanup(struct al_rule_example *ex);
void al_cond_block_cleanup(struct al_cond_block *b);

/* Runs one example of rs->rules[index] through al_engine_eval (a probe
 * example through al_engine_eval_probe, its endpoint answer and peers as
 * the context) with every other rule disabled. Sets *fired (the rule's outcome
 * is FAIL or ERROR) and, when 'message' is not NULL, *message to a new copy of
 * the first finding's message (NULL if none; caller frees). */
enum al_code al_rule_example_run(const struct al_ruleset *rs, size_t index,
                                 const struct al_rule_example *ex, int *fired,
                                 char **message, struct al_err *err);

#endif
