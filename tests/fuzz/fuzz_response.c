/* fuzz_response.c - libFuzzer target: arbitrary bytes as a raw HTTP response
 * (what a hostile server could send, as the rule examples write it), judged
 * by every built-in rule with a redactor that holds a secret. The first byte
 * picks the request method (low bits), so the HEAD and bodyless paths are
 * reached, and (high bit) whether the transfer then failed mid-body, the
 * path where a head is judged and a transport error reported too.
 *
 * The request's URL has a user-info password and a credential query value,
 * as a spec's base_url may (issue 14 items 2 and 7). The findings, and the
 * text (verbose), JSON, JUnit, HTML and SARIF reports written from them, must
 * hold neither secret in any form (as typed, nor the Base64 of "user:PASS"
 * libcurl sends as Authorization: Basic), and the reports no raw control
 * character or bidirectional formatting character a server could steer a
 * terminal with. A broken promise traps. */
#define _GNU_SOURCE /* open_memstream */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "engine.h"
#include "redact.h"
#include "report.h"
#include "rule_logic.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct al_ruleset *rules;

static const char *const methods[] = {"GET",    "HEAD",    "POST", "PUT",
                                      "DELETE", "OPTIONS", "PATCH"};

#define SECRET "s3cr3t-token"
#define URL_PASSWORD "pa55-w0rd"
#define URL_TOKEN "qt0k-3n"
/* base64("alice:pa55-w0rd"), what libcurl sends for the URL's user info */
#define BASIC_B64 "YWxpY2U6cGE1NS13MHJk"
#define URL                                                                    \
  "http://alice:" URL_PASSWORD "@127.0.0.1/fuzz?access_token=" URL_TOKEN

/* The spec and endpoint the reports name (char[]: their members are not
 * const, and nothing writes to them). */
static char spec_path[] = "fuzz.yaml", spec_name[] = "fuzz";
static char ep_name[] = "fuzz endpoint", ep_path[] = "/fuzz";

static int has_secret(const char *text, size_t len)
{
  static const char *const secrets[] = {SECRET, URL_PASSWORD, URL_TOKEN,
                                        BASIC_B64};
  for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
    if (memmem(text, len, secrets[i], strlen(secrets[i])))
      return 1;
  return 0;
}

/* The promise the redactor keeps: whatever the server echoes, the secret
 * never appears in a finding. */
static void check_no_secret(const struct al_endpoint_result *er)
{
  for (size_t i = 0; i < er->result_count; i++) {
    const struct al_rule_result *rr = &er->results[i];
    for (size_t k = 0; k < rr->finding_count; k++) {
      const struct al_finding *f = &rr->findings[k];
      if ((f->message && has_secret(f->message, strlen(f->message))) ||
          (f->evidence && has_secret(f->evidence, strlen(f->evidence))))
        __builtin_trap();
    }
  }
}

/* A byte a report must never hold raw: C0 controls but \t \n \r, DEL, and
 * the UTF-8 of C1 controls and of the bidirectional formatting characters
 * (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069; Unicode UAX #9). */
static int steers_terminal(const unsigned char *p, size_t left)
{
  if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
    return 1;
  if (left >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
    return 1;
  if (left >= 2 && p[0] == 0xd8 && p[1] == 0x9c)
    return 1;
  if (left >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
      (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae)))
    return 1;
  return left >= 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
         p[2] <= 0xa9;
}

/* Writes the report of this one endpoint with 'ops' into memory and holds
 * it to the promises above. */
static void check_report(const struct al_reporter_ops *ops,
                         const struct al_report *report, int verbose)
{
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (!out)
    return;
  struct al_report_opts opts = {0};
  opts.verbose = verbose;
  enum al_code rc = al_report_replay(ops, out, report, &opts);
  if (fclose(out) != 0)
    rc = AL_E_IO;
  if (rc == AL_OK) {
    if (has_secret(text, len))
      __builtin_trap();
    for (size_t i = 0; i < len; i++)
      if (steers_terminal((const unsigned char *)text + i, len - i))
        __builtin_trap();
  }
  free(text);
}

static void check_reports(const struct al_endpoint_result *er,
                          struct al_redactor *red)
{
  struct al_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.path = spec_path;
  spec.name = spec_name;
  spec.version = 1;
  struct al_endpoint_result copy = *er; /* borrowed by the report */
  struct al_spec_result sr;
  memset(&sr, 0, sizeof sr);
  sr.spec = &spec;
  sr.endpoints = &copy;
  sr.endpoint_count = 1;
  sr.base_url = URL;
  struct al_report report;
  al_report_init(&report);
  report.specs = &sr;
  report.spec_count = 1;
  report.fail_on = AL_SEV_ERROR;
  report.redactor = red;
  report.ruleset = rules;
  check_report(&al_reporter_text, &report, 1);
  check_report(&al_reporter_json, &report, 0);
  check_report(&al_reporter_junit, &report, 0);
  check_report(&al_reporter_html, &report, 0);
  check_report(&al_reporter_sarif, &report, 0);
  /* al_report_cleanup would free what the caller owns: nothing to free */
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
  req.url = al_strdup(URL);
  if (!req.method || !req.url)
    goto out;
  if (al_headers_add(&req.headers, "Authorization", "Bearer " SECRET) != AL_OK)
    goto out;
  if (al_redactor_add_value(&red, SECRET) != AL_OK ||
      al_redactor_add_headers(&red, &req.headers) != AL_OK ||
      al_redactor_add_url(&red, URL) != AL_OK)
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
  struct al_endpoint ep;
  memset(&ep, 0, sizeof ep);
  al_headers_init(&ep.headers);
  ep.name = ep_name;
  ep.method = req.method;
  ep.path = ep_path;
  ep.url = req.url;
  ep.line = 3;
  ep.col = 5;
  er.endpoint = &ep;
  er.request = &req;
  er.response = &res;
  if (al_engine_eval(rules, &cfg, &req, &res, NULL, &red, &er) == AL_OK) {
    check_no_secret(&er);
    check_reports(&er, &red);
  }
out:
  al_endpoint_result_cleanup(&er);
  al_rule_config_cleanup(&cfg);
  al_redactor_cleanup(&red);
  al_response_cleanup(&res);
  al_request_cleanup(&req);
  return 0;
}
