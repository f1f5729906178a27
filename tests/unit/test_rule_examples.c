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
  struct al_ruleset *rs = calloc(1, sizeof *rs);
  struct al_err err = {0};
  assert_non_null(rs);
  assert_int_equal(al_ruleset_parse(rs, text, strlen(text), "t.yaml", &err),
                   AL_OK);
  assert_int_equal(rs->count, 4);
  assert_int_equal(rule_example_problems(rs, 0), 1);
  assert_int_equal(rule_example_problems(rs, 1), 1);
  assert_int_equal(rule_example_problems(rs, 2), 1);
  assert_int_equal(rule_example_problems(rs, 3), 0);
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

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_builtin_rule_example_holds),
      cmocka_unit_test(test_the_ten_core_rules_are_built_in),
      cmocka_unit_test(test_rule_without_passes_example_fails_the_suite),
      cmocka_unit_test(test_parse_raw_puts_bytes_after_204_in_stray),
      cmocka_unit_test(test_parse_raw_rejects_what_is_not_a_response),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
