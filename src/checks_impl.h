/* checks_impl.h - private to checks*.c: the named C checks, one per rule
 * concern, that checks.c lists in its table (al_check_find/all). Each
 * follows struct al_check_def (rule_logic.h): 'eval' reads one response
 * and adds zero or more hits to 'out'; it owns nothing it is given. A
 * check with 'init' keeps a state (compiled patterns) that its 'free'
 * releases. */
#ifndef AL_CHECKS_IMPL_H
#define AL_CHECKS_IMPL_H

#include "rule_logic.h"

/* checks_body.c: what the body says */
enum al_code al_checks_error_body(const void *state,
                                  const struct al_check_input *in,
                                  struct al_check_hits *out);
enum al_code al_checks_monitor(const void *state,
                               const struct al_check_input *in,
                               struct al_check_hits *out);
enum al_code al_checks_error_detail(const void *state,
                                    const struct al_check_input *in,
                                    struct al_check_hits *out);
enum al_code al_checks_body_status(const void *state,
                                   const struct al_check_input *in,
                                   struct al_check_hits *out);
enum al_code al_checks_content_type_body(const void *state,
                                         const struct al_check_input *in,
                                         struct al_check_hits *out);

/* checks_leak.c: internals a 5xx shows */
enum al_code al_checks_leak_init(void **state, struct al_err *err);
void al_checks_leak_free(void *state);
enum al_code al_checks_leak(const void *state, const struct al_check_input *in,
                            struct al_check_hits *out);

/* checks_headers.c: header content and syntax */
enum al_code al_checks_version_init(void **state, struct al_err *err);
void al_checks_version_free(void *state);
enum al_code al_checks_version(const void *state,
                               const struct al_check_input *in,
                               struct al_check_hits *out);
enum al_code al_checks_accept(const void *state,
                              const struct al_check_input *in,
                              struct al_check_hits *out);
enum al_code al_checks_www_authenticate(const void *state,
                                        const struct al_check_input *in,
                                        struct al_check_hits *out);

/* checks_grammar.c: the grammar of the fields the rules read */
enum al_code al_checks_location_syntax(const void *state,
                                       const struct al_check_input *in,
                                       struct al_check_hits *out);
enum al_code al_checks_allow_syntax(const void *state,
                                    const struct al_check_input *in,
                                    struct al_check_hits *out);
enum al_code al_checks_content_type_syntax(const void *state,
                                           const struct al_check_input *in,
                                           struct al_check_hits *out);
enum al_code al_checks_etag_syntax(const void *state,
                                   const struct al_check_input *in,
                                   struct al_check_hits *out);
enum al_code al_checks_http_date_syntax(const void *state,
                                        const struct al_check_input *in,
                                        struct al_check_hits *out);
enum al_code al_checks_singleton_repeated(const void *state,
                                          const struct al_check_input *in,
                                          struct al_check_hits *out);

/* checks_transport.c: the exchange itself */
enum al_code al_checks_transport(const void *state,
                                 const struct al_check_input *in,
                                 struct al_check_hits *out);
enum al_code al_checks_interim_only(const void *state,
                                    const struct al_check_input *in,
                                    struct al_check_hits *out);
enum al_code al_checks_no_content(const void *state,
                                  const struct al_check_input *in,
                                  struct al_check_hits *out);
enum al_code al_checks_content_bytes(const void *state,
                                     const struct al_check_input *in,
                                     struct al_check_hits *out);
enum al_code al_checks_expectation(const void *state,
                                   const struct al_check_input *in,
                                   struct al_check_hits *out);

/* checks_probe.c: probe answers against the endpoint's other answers */
enum al_code al_checks_allow_consistency(const void *state,
                                         const struct al_check_input *in,
                                         struct al_check_hits *out);
enum al_code al_checks_head_matches_get(const void *state,
                                        const struct al_check_input *in,
                                        struct al_check_hits *out);
enum al_code al_checks_validator_unchanged(const void *state,
                                           const struct al_check_input *in,
                                           struct al_check_hits *out);

#endif
