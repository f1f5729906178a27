/* openapi.h - the import stage: an OpenAPI document (Swagger 2.0, OpenAPI
 * 3.0 or 3.1, JSON or YAML, already read by yamldoc) becomes the yamldoc
 * tree of an apilint spec, which spec.c then validates like a file. The
 * same tree is what `apilint import` writes as commented YAML, so the
 * written spec and the in-memory one (`apilint openapi.yaml`) are one thing.
 *
 * What the document says becomes:
 *   servers[0] / host+basePath+schemes  -> base_url: ${API_URL:-...}
 *   each operation                      -> one endpoint, named by its
 *                                          operationId, else "METHOD path",
 *                                          with `source: FILE:LINE:COL`, the
 *                                          operation's place in the document
 *   path, required query/header params  -> ${NAME:-value} from example,
 *                                          examples, default, enum, the
 *                                          schema's type
 *   security schemes                    -> credential headers (or query
 *                                          parameter, cookie) from secret
 *                                          variables listed under secrets:
 *   documented response codes           -> expect.status (not `default`)
 *   request bodies                      -> json: from examples, else a
 *                                          minimal body of required fields
 *   any method but GET and HEAD         -> `skip:` with the reason, unless
 *                                          all_methods
 * Only local $refs ("#/...") are followed, each with a bounded number of
 * hops and a cycle-safe walk of schemas; an external $ref is an error
 * naming where it is written. */
#ifndef AL_OPENAPI_H
#define AL_OPENAPI_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"
#include "yamldoc.h"

struct al_openapi_opts {
  int all_methods; /* --methods all: no `skip:` for methods but GET/HEAD */
};

/* The spec made from one document. */
struct al_openapi {
  struct al_ynode *spec; /* owned; the spec's tree: version, base_url,
                            secrets, endpoints. Scalars are positioned at
                            the document nodes they come from. */
  char **comments;       /* owned; one line per endpoint (same order as the
                            tree's endpoints), "GET /pets/{id}: summary" */
  size_t endpoint_count;
  size_t skipped_count; /* endpoints written with `skip:` */
  char *title;          /* owned; "OpenAPI 3.0.3, Petstore 1.0.0" */
  char *source;         /* owned; the document path, as given */
};

/* 1 when 'root' is an OpenAPI or Swagger document (a mapping with an
 * `openapi` or `swagger` key), not an apilint spec. */
int al_openapi_is_document(const struct al_ynode *root);

/* Converts the document 'doc' read from 'path' ('path' is written in each
 * endpoint's `source:` and in errors). 'opts' may be NULL (defaults).
 * On success returns AL_OK and sets '*out' (caller frees with
 * al_openapi_free). On failure returns AL_E_SPEC (an unsupported version,
 * no operations, an external or dangling $ref, a $ref loop...) or
 * AL_E_NOMEM, with 'err' naming path:line:col in the document. 'doc' is
 * only read; '*out' borrows nothing from it. */
enum al_code al_openapi_convert(const struct al_ynode *doc, const char *path,
                                const struct al_openapi_opts *opts,
                                struct al_openapi **out, struct al_err *err);

/* Writes the spec as commented YAML that al_spec_load reads back into the
 * same spec. Deterministic: the same document gives the same bytes.
 * Returns AL_OK or AL_E_IO (a write failed). */
enum al_code al_openapi_write(FILE *out, const struct al_openapi *imp);

void al_openapi_free(struct al_openapi *imp);

#endif
