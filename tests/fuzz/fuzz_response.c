/* fuzz_response.c - libFuzzer target: arbitrary bytes as a raw HTTP response
 * (what a hostile server could send, as the rule examples write it), judged
 * by every built-in rule with a redactor that holds a secret. The first byte
 * picks the request method (low bits), so the HEAD and bodyless paths are
 * reached, and (high bit) whether the transfer then failed mid-body, the
 * path where a head is judged and a transport error reported too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "engine.h"
#include "redact.h"
#include "rule_logic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct al_ruleset *rules;

static const char *const methods[] = {"GET",    "HEAD",    "POST", "PUT",
                                      "DELETE", "OPTIONS", "PATCH"};

#define SECRET "s3cr3t-token"

/* The promise the redactor keeps: whatever the server echoes, the secret
 * never appears in a finding. */
static void check_no_secret(const struct al_endpoint_result *er)
{
  for (size_t i = 0; i < er->result_count; i++) {
    const struct al_rule_result *rr = &er->results[i];
    for (size_t k = 0; k < rr->finding_count; k++) {
      const struct al_finding *f = &rr->findings[k];
      if ((f->message && strstr(f->message, SECRET)) ||
          (f->evidence && strstr(f->evidence, SECRET)))
        __builtin_trap();
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct al_err err = {0};
  if (!rules && al_ruleset_new_builtin(&rules, &err) != AL_OK)
    __builtin_trap();
  if (size == 0)
    return 0;
  const char *method =
      methods[(data[0] & 0x7f) % (sizeof methods / sizeof *methods)];
  struct al_request req;
  struct al_response res;
  struct al_rule_config cfg = {0};
  struct al_redactor red;
  struct al_endpoint_result er;
  al_request_init(&req);
  al_response_init(&res);
  al_redactor_init(&red);
  al_endpoint_result_init(&er);
  req.method = al_strdup(method);
  req.url = al_strdup("http://127.0.0.1/fuzz");
  if (!req.method || !req.url)
    goto out;
  if (al_headers_add(&req.headers, "Authorization", "Bearer " SECRET) != AL_OK)
    goto out;
  if (al_redactor_add_value(&red, SECRET) != AL_OK ||
      al_redactor_add_headers(&red, &req.headers) != AL_OK)
    goto out;
  if (al_response_parse_raw((const char *)data + 1, size - 1, method, &res,
                            &err) != AL_OK)
    goto out;
  if (data[0] & 0x80) {
    res.transport_failed = 1;
    res.body_incomplete = 1;
    res.curl_code = 18;
    free(res.transport_error); /* a lone 1xx already set one */
    res.transport_error = al_strdup("(18) transfer closed after " SECRET);
    if (!res.transport_error)
      goto out;
  }
  if (al_rule_config_init(&cfg, rules) != AL_OK)
    goto out;
  for (size_t i = 0; i < cfg.count; i++)
    cfg.enabled[i] = 1;
  if (al_engine_eval(rules, &cfg, &req, &res, NULL, &red, &er) == AL_OK)
    check_no_secret(&er);
out:
  al_endpoint_result_cleanup(&er);
  al_rule_config_cleanup(&cfg);
  al_redactor_cleanup(&red);
  al_response_cleanup(&res);
  al_request_cleanup(&req);
  return 0;
}
