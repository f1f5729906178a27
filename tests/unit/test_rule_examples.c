/* test_rule_examples.c - the rules are data and their own documentation:
 * every built-in rule's `examples:` are run through the real engine. A
 * `fires:` example must produce a finding of that rule (with the text of
 * `message-contains:` when given), a `passes:` example must not, and a rule
 * without at least one of each fails the suite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "probe.h"
#include "rule_logic.h"
#include "ruleset.h"

/* Runs every example of rs->rules[index]; prints each problem and returns
 * how many there were (a missing kind of example counts as one). */
static int rule_example_problems(const struct al_ruleset *rs, size_t index)
{
  const struct al_rule *rule = &rs->rules[index];
  const struct al_rule_logic *lg = rule->logic;
  int problems = 0;
  size_t fires = 0, passes = 0;
  for (size_t i = 0; i < lg->example_count; i++) {
    const struct al_rule_example *ex = &lg->examples[i];
    fires += ex->fires != 0;
    passes += ex->fires == 0;
    int fired = -1;
    char *message = NULL;
    struct al_err err = {0};
    enum al_code rc =
        al_rule_example_run(rs, index, ex, &fired, &message, &err);
    if (rc != AL_OK) {
      print_error("%s: example at line %d did not run: %s\n", rule->id,
                  ex->line, err.msg);
      problems++;
    } else if (ex->fires && !fired) {
      print_error("%s: example at line %d should fire and does not\n", rule->id,
                  ex->line);
      problems++;
    } else if (!ex->fires && fired) {
      print_error("%s: example at line %d should pass but fires: %s\n",
                  rule->id, ex->line, message ? message : "");
      problems++;
    } else if (ex->fires && ex->message_contains &&
               (!message || !strstr(message, ex->message_contains))) {
      print_error("%s: example at line %d: message '%s' does not contain "
                  "'%s'\n",
                  rule->id, ex->line, message ? message : "",
                  ex->message_contains);
      problems++;
    }
    free(message);
  }
  if (fires == 0) {
    print_error("%s: no `fires:` example\n", rule->id);
    problems++;
  }
  if (passes == 0) {
    print_error("%s: no `passes:` example\n", rule->id);
    problems++;
  }
  return problems;
}

/* A ruleset of the rules in 'text' (a rules file); al_ruleset_free() it. */
static struct al_ruleset *parse_rules(const char *text)
{
  struct al_ruleset *rs = calloc(1, sizeof *rs);
  struct al_err err = {0};
  assert_non_null(rs);
  enum al_code rc = al_ruleset_parse(rs, text, strlen(text), "t.yaml", &err);
  if (rc != AL_OK)
    print_error("t.yaml: %s\n", err.msg);
  assert_int_equal(rc, AL_OK);
  return rs;
}

static void test_every_builtin_rule_example_holds(void **state)
{
  (void)state;
  struct al_ruleset *rs = NULL;
  struct al_err err = {0};
  assert_int_equal(al_ruleset_new_builtin(&rs, &err), AL_OK);
  assert_true(rs->count >= 10);
  int problems = 0;
  size_t examples = 0;
  for (size_t i = 0; i < rs->count; i++) {
    problems += rule_example_problems(rs, i);
    examples += rs->rules[i].logic->example_count;
  }
  assert_true(examples >= 2 * rs->count);
  al_ruleset_free(rs);
  assert_int_equal(problems, 0);
}

static void test_the_ten_core_rules_are_built_in(void **state)
{
  (void)state;
  static const char *const core[] = {"error-body-on-success",
                                     "created-without-location",
                                     "unauthorized-without-challenge",
                                     "method-not-allowed-without-allow",
                                     "retry-after-missing",
                                     "no-content-with-body",
                                     "not-modified-with-body",
                                     "server-error-leak",
                                     "transport-error",
                                     "expectation"};
  struct al_ruleset *rs = NULL;
  struct al_err err = {0};
  assert_int_equal(al_ruleset_new_builtin(&rs, &err), AL_OK);
  for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
    const struct al_rule *r = al_ruleset_find(rs, core[i]);
    if (!r)
      print_error("missing core rule %s\n", core[i]);
    assert_non_null(r);
    assert_true(strlen(r->summary) > 0);
    assert_true(strlen(r->explain) > 0);
    assert_string_equal(r->origin, "built-in");
  }
  al_ruleset_free(rs);
}

/* The walker itself must be able to fail: a rule with no `passes:`, one
 * whose `fires:` example does not fire, and one whose message does not say
 * what the example claims. */
static void test_rule_without_passes_example_fails_the_suite(void **state)
{
  (void)state;
  static const char text[] = "rules:\n"
                             "  - id: only-fires\n"
                             "    severity: info\n"
                             "    summary: s\n"
                             "    message: m\n"
                             "    when: {status: 200}\n"
                             "    require: {headers: {ETag: true}}\n"
                             "    examples:\n"
                             "      fires:\n"
                             "        - \"HTTP/1.1 200 OK\\n\"\n"
                             "  - id: wrong-example\n"
                             "    severity: info\n"
                             "    summary: s\n"
                             "    message: no etag\n"
                             "    when: {status: 200}\n"
                             "    require: {headers: {ETag: true}}\n"
                             "    examples:\n"
                             "      fires:\n"
                             "        - \"HTTP/1.1 200 OK\\nETag: x\\n\"\n"
                             "      passes:\n"
                             "        - \"HTTP/1.1 200 OK\\nETag: x\\n\"\n"
                             "  - id: wrong-message\n"
                             "    severity: info\n"
                             "    summary: s\n"
                             "    message: no etag\n"
                             "    when: {status: 200}\n"
                             "    require: {headers: {ETag: true}}\n"
                             "    examples:\n"
                             "      fires:\n"
                             "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                             "          message-contains: Last-Modified\n"
                             "      passes:\n"
                             "        - \"HTTP/1.1 200 OK\\nETag: x\\n\"\n"
                             "  - id: all-good\n"
                             "    severity: info\n"
                             "    summary: s\n"
                             "    message: no etag\n"
                             "    when: {status: 200}\n"
                             "    require: {headers: {ETag: true}}\n"
                             "    examples:\n"
                             "      fires:\n"
                             "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                             "          message-contains: no etag\n"
                             "      passes:\n"
                             "        - \"HTTP/1.1 200 OK\\nETag: x\\n\"\n";
  struct al_ruleset *rs = parse_rules(text);
  assert_int_equal(rs->count, 4);
  assert_int_equal(rule_example_problems(rs, 0), 1);
  assert_int_equal(rule_example_problems(rs, 1), 1);
  assert_int_equal(rule_example_problems(rs, 2), 1);
  assert_int_equal(rule_example_problems(rs, 3), 0);
  al_ruleset_free(rs);
}

/* The rules of rules/probes.yaml, each judging its probe's answers only,
 * and every example of theirs run as a probe answer. */
static void test_probe_rules_are_built_in(void **state)
{
  (void)state;
  static const struct {
    const char *id, *probe, *step;
  } want[] = {
      {"not-found-instead-of-405", "method-not-allowed", NULL},
      {"undeclared-method-accepted", "method-not-allowed", NULL},
      {"options-without-allow", "options", NULL},
      {"allow-inconsistent", "options", NULL},
      /* not no-cookie: a session cookie has no 401 challenge */
      {"forbidden-instead-of-401", "unauthenticated", "no-credentials"},
      {"auth-not-enforced", "unauthenticated", NULL},
      {"validation-server-error", "malformed-body", NULL},
      {"malformed-input-accepted", "malformed-body", "invalid-json"},
      {"conditional-ignored", "conditional", NULL},
      {"head-differs-from-get", "head", NULL},
      {"no-rate-limit", "rate-limit", NULL},
  };
  struct al_ruleset *rs = NULL;
  struct al_err err = {0};
  assert_int_equal(al_ruleset_new_builtin(&rs, &err), AL_OK);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const struct al_rule *r = al_ruleset_find(rs, want[i].id);
    if (!r)
      print_error("missing probe rule %s\n", want[i].id);
    assert_non_null(r);
    const struct al_rule_logic *lg = r->logic;
    assert_true(lg->probe_count >= 1);
    assert_string_equal(lg->probes[0].probe->name, want[i].probe);
    if (want[i].step)
      assert_string_equal(lg->probes[0].step, want[i].step);
    else
      assert_null(lg->probes[0].step);
    assert_true(strlen(r->explain) > 0 && strstr(r->explain, "Fix"));
    assert_true(strlen(r->source) > 0 && strlen(r->level) > 0);
    for (size_t e = 0; e < lg->example_count; e++) {
      assert_non_null(lg->examples[e].probe);
      assert_true(al_probe_filter_matches(lg->probes, lg->probe_count,
                                          lg->examples[e].probe->name,
                                          lg->examples[e].step));
    }
  }
  /* not the missing-fields step: {} may be a complete request */
  const struct al_rule *mia = al_ruleset_find(rs, "malformed-input-accepted");
  assert_false(al_probe_filter_matches(mia->logic->probes,
                                       mia->logic->probe_count,
                                       "malformed-body", "missing-fields"));
  assert_true(al_probe_filter_matches(mia->logic->probes,
                                      mia->logic->probe_count, "malformed-body",
                                      "wrong-types"));
  al_ruleset_free(rs);
}

/* Probe examples run through al_engine_eval_probe: a rule that needs the
 * endpoint's answer fires there and only there, a peer is seen by a check,
 * and a wrong probe example fails the walker like any other. */
static void test_probe_examples_are_judged_as_probe_answers(void **state)
{
  (void)state;
  static const char text[] =
      "rules:\n"
      "  - id: after-ok\n"
      "    severity: info\n"
      "    summary: s\n"
      "    message: \"{probe} after {endpoint-method} {endpoint-status}\"\n"
      "    when: {endpoint-status: 200}\n"
      "    require: {status: 599}\n"
      "    examples:\n"
      "      fires:\n"
      "        - probe: head\n"
      "          endpoint-response: \"HTTP/1.1 200 OK\\n\"\n"
      "          response: \"HTTP/1.1 200 OK\\n\"\n"
      "          message-contains: head/head after GET 200\n"
      "      passes:\n"
      "        - \"HTTP/1.1 200 OK\\n\"\n"
      "        - probe: head\n"
      "          response: \"HTTP/1.1 200 OK\\n\"\n"
      "  - id: wrong-probe-example\n"
      "    severity: info\n"
      "    summary: s\n"
      "    message: m\n"
      "    probe: unauthenticated\n"
      "    require: {not: {status: 2xx}}\n"
      "    examples:\n"
      "      fires:\n"
      "        - \"HTTP/1.1 401 Unauthorized\\n\"\n"
      "      passes:\n"
      "        - \"HTTP/1.1 200 OK\\n\"\n"
      "  - id: peers-seen\n"
      "    severity: info\n"
      "    summary: s\n"
      "    message: \"{detail}\"\n"
      "    probe: options\n"
      "    check: allow-consistency\n"
      "    examples:\n"
      "      fires:\n"
      "        - peers: [{method: PUT, response: \"HTTP/1.1 204 No "
      "Content\\n\"}]\n"
      "          response: \"HTTP/1.1 200 OK\\nAllow: GET\\n\"\n"
      "          message-contains: does not list PUT, but PUT got 204\n"
      "      passes:\n"
      "        - \"HTTP/1.1 200 OK\\nAllow: GET\\n\"\n";
  struct al_ruleset *rs = parse_rules(text);
  assert_int_equal(rs->count, 3);
  assert_int_equal(rule_example_problems(rs, 0), 0);
  /* the shorthand example of a rule without `probe:` is no probe example */
  assert_null(rs->rules[0].logic->examples[1].probe);
  assert_non_null(rs->rules[0].logic->examples[2].probe);
  assert_string_equal(rs->rules[0].logic->examples[2].step, "head");
  assert_string_equal(rs->rules[0].logic->examples[2].method, "HEAD");
  /* a probe rule's shorthand example is its probe's answer, and wrong */
  assert_string_equal(rs->rules[1].logic->examples[0].step, "no-credentials");
  assert_int_equal(rule_example_problems(rs, 1), 2);
  assert_int_equal(rule_example_problems(rs, 2), 0);
  al_ruleset_free(rs);
}

/* The raw-response parser models libcurl: after 204/304 and HEAD the bytes
 * past the head are stray bytes, not body. */
static void test_parse_raw_puts_bytes_after_204_in_stray(void **state)
{
  (void)state;
  static const char raw[] =
      "HTTP/1.1 204 No Content\r\nX-A:  1 \r\n\r\nhello\n";
  struct al_response res;
  struct al_err err = {0};
  al_response_init(&res);
  assert_int_equal(al_response_parse_raw(raw, strlen(raw), "GET", &res, &err),
                   AL_OK);
  assert_int_equal(res.received, 1);
  assert_int_equal(res.status, 204);
  assert_string_equal(res.status_line, "HTTP/1.1 204 No Content");
  assert_string_equal(res.http_version, "1.1");
  assert_string_equal(al_headers_get(&res.headers, "x-a"), "1");
  assert_int_equal(res.body.len, 0);
  assert_int_equal(res.body_size, 0);
  assert_int_equal(res.stray_size, 5);
  assert_memory_equal(res.stray.data, "hello", 5);
  al_response_cleanup(&res);

  static const char ok[] = "HTTP/1.1 200 OK\nA: b\n\nline1\nline2\n";
  al_response_init(&res);
  assert_int_equal(al_response_parse_raw(ok, strlen(ok), "GET", &res, &err),
                   AL_OK);
  assert_int_equal(res.body_size, 11);
  assert_string_equal(al_buf_str(&res.body), "line1\nline2");
  assert_int_equal(res.stray_size, 0);
  al_response_cleanup(&res);

  al_response_init(&res);
  assert_int_equal(al_response_parse_raw(ok, strlen(ok), "HEAD", &res, &err),
                   AL_OK);
  assert_int_equal(res.body_size, 0);
  assert_int_equal(res.stray_size, 11);
  al_response_cleanup(&res);
}

static void test_parse_raw_rejects_what_is_not_a_response(void **state)
{
  (void)state;
  static const char *const bad[] = {"hello\n\nbody", "HTTP/1.1 20 OK\n",
                                    "HTTP/1.1 200 OK\nno colon here\n",
                                    "HTTP/1.1 200 OK\n: empty name\n", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct al_response res;
    struct al_err err = {0};
    al_response_init(&res);
    assert_int_equal(
        al_response_parse_raw(bad[i], strlen(bad[i]), "GET", &res, &err),
        AL_E_RULES);
    assert_true(strlen(err.msg) > 0);
    al_response_cleanup(&res);
  }
}

/* One status-line parser for the network and for examples (response.c):
 * what it takes, and the example policy on top (a status a rule can
 * judge). "HTTP/2 200" was refused by the examples' old parser. */
static void test_one_status_line_parser(void **state)
{
  (void)state;
  static const struct {
    const char *line;
    int ok;
    long status;
    const char *version;
  } cases[] = {
      {"HTTP/1.1 200 OK", 1, 200, "1.1"},
      {"HTTP/2 200", 1, 200, "2"},
      {"HTTP/1.0 204", 1, 204, "1.0"},
      {"HTTP/1.1 999 Weird", 1, 999, "1.1"}, /* the caller's policy */
      {"HTTP/1.1 000 Zero", 1, 0, "1.1"},
      {"HTTP/1.1 2000 OK", 0, 0, NULL},
      {"HTTP/1.1 20 OK", 0, 0, NULL},
      {"HTTP/1.1 -1", 0, 0, NULL},
      {"HTTP/1.1", 0, 0, NULL},
      {"HTTP/ 200 OK", 0, 0, NULL},
      {"HTTPS/1.1 200 OK", 0, 0, NULL},
      {"hello world", 0, 0, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    long status = -1;
    size_t vlen = 0;
    int ok = al_response_parse_status_line(cases[i].line, strlen(cases[i].line),
                                           &status, &vlen);
    if (ok != cases[i].ok)
      print_error("'%s': %d, wanted %d\n", cases[i].line, ok, cases[i].ok);
    assert_int_equal(ok, cases[i].ok);
    if (ok) {
      assert_int_equal(status, cases[i].status);
      assert_int_equal(vlen, strlen(cases[i].version));
      assert_memory_equal(cases[i].line + 5, cases[i].version, vlen);
    }
  }
  /* An example may be HTTP/2; it may not hold a status outside 100-599. */
  struct al_response res;
  struct al_err err = {0};
  al_response_init(&res);
  assert_int_equal(
      al_response_parse_raw("HTTP/2 200\n\nok", 14, "GET", &res, &err), AL_OK);
  assert_int_equal(res.status, 200);
  assert_string_equal(res.http_version, "2");
  al_response_cleanup(&res);
  al_response_init(&res);
  assert_int_equal(
      al_response_parse_raw("HTTP/1.1 999 X\n\n", 16, "GET", &res, &err),
      AL_E_RULES);
  al_response_cleanup(&res);
}

/* One answer to "does this response carry content", with what says so:
 * the engine's `content:` condition and the 204/304 checks both use it. */
static void test_content_signals_one_answer(void **state)
{
  (void)state;
  static const struct {
    const char *raw;
    int has;
    const char *cl, *te;
    unsigned long long body, stray;
  } cases[] = {
      {"HTTP/1.1 204 No Content\n\n", 0, NULL, NULL, 0, 0},
      {"HTTP/1.1 204 No Content\nContent-Length: 0\n\n", 0, NULL, NULL, 0, 0},
      {"HTTP/1.1 204 No Content\nContent-Length: 000\n\n", 0, NULL, NULL, 0, 0},
      {"HTTP/1.1 204 No Content\nContent-Length: 17\n\n", 1, "17", NULL, 0, 0},
      {"HTTP/1.1 204 No Content\nContent-Length: 0\nContent-Length: 5\n\n", 1,
       "5", NULL, 0, 0},
      {"HTTP/1.1 204 No Content\nContent-Length: -1\n\n", 0, NULL, NULL, 0, 0},
      {"HTTP/1.1 204 No Content\nContent-Length: x\n\n", 0, NULL, NULL, 0, 0},
      {"HTTP/1.1 204 No Content\nTransfer-Encoding: chunked\n\n", 1, NULL,
       "chunked", 0, 0},
      {"HTTP/1.1 204 No Content\n\nstray", 1, NULL, NULL, 0, 5},
      {"HTTP/1.1 200 OK\n\nbody", 1, NULL, NULL, 4, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct al_response res;
    struct al_err err = {0};
    al_response_init(&res);
    assert_int_equal(al_response_parse_raw(cases[i].raw, strlen(cases[i].raw),
                                           "GET", &res, &err),
                     AL_OK);
    struct al_content_signals sig;
    int has = al_response_content_signals(&res, &sig);
    if (has != cases[i].has)
      print_error("case %zu: has %d, wanted %d\n", i, has, cases[i].has);
    assert_int_equal(has, cases[i].has);
    assert_int_equal(al_response_has_content_signal(&res), cases[i].has);
    if (cases[i].cl)
      assert_string_equal(sig.content_length, cases[i].cl);
    else
      assert_null(sig.content_length);
    if (cases[i].te)
      assert_string_equal(sig.transfer_encoding, cases[i].te);
    else
      assert_null(sig.transfer_encoding);
    assert_int_equal(sig.body_bytes, cases[i].body);
    assert_int_equal(sig.stray_bytes, cases[i].stray);
    al_response_cleanup(&res);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_builtin_rule_example_holds),
      cmocka_unit_test(test_the_ten_core_rules_are_built_in),
      cmocka_unit_test(test_rule_without_passes_example_fails_the_suite),
      cmocka_unit_test(test_probe_rules_are_built_in),
      cmocka_unit_test(test_probe_examples_are_judged_as_probe_answers),
      cmocka_unit_test(test_parse_raw_puts_bytes_after_204_in_stray),
      cmocka_unit_test(test_parse_raw_rejects_what_is_not_a_response),
      cmocka_unit_test(test_one_status_line_parser),
      cmocka_unit_test(test_content_signals_one_answer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
