/* test_fingerprint.c - finding fingerprints are stable and say only what
 * they must: rule, method, path template, probe; ${VAR} defaults dropped;
 * a spec read from text records the template its fingerprint uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fingerprint.h"
#include "spec.h"

static void expect_template(const char *path, const char *want)
{
  struct al_buf b;
  al_buf_init(&b);
  assert_int_equal(al_fingerprint_template(&b, path), AL_OK);
  assert_string_equal(al_buf_str(&b), want);
  al_buf_cleanup(&b);
}

static void test_fingerprint_template_drops_defaults(void **state)
{
  (void)state;
  expect_template("/users", "/users");
  expect_template("/users/${USER_ID:-42}", "/users/${USER_ID}");
  expect_template("/u/${A:-1}/p/${B}/q?x=${C:-a b}", "/u/${A}/p/${B}/q?x=${C}");
  expect_template("/price/$${X:-1}", "/price/$${X:-1}"); /* $$ = a literal $ */
  expect_template("/a:-b/${X}", "/a:-b/${X}");
  expect_template("/${X", "/${X");
  expect_template("", "");
}

static void test_fingerprint_is_stable_and_hex(void **state)
{
  (void)state;
  char a[AL_FINGERPRINT_SIZE], b[AL_FINGERPRINT_SIZE];
  al_fingerprint_make("server-error", "GET", "/users", NULL, a);
  al_fingerprint_make("server-error", "GET", "/users", "", b);
  assert_string_equal(a, b);
  assert_true(al_fingerprint_valid(a));
  /* The recipe is API (baselines store it): pinned. */
  assert_string_equal(a, "99f755e74d9107b8");
}

static void test_fingerprint_differs_in_each_part(void **state)
{
  (void)state;
  char base[AL_FINGERPRINT_SIZE], other[AL_FINGERPRINT_SIZE];
  al_fingerprint_make("server-error", "GET", "/users", NULL, base);
  al_fingerprint_make("server-error-leak", "GET", "/users", NULL, other);
  assert_string_not_equal(base, other);
  al_fingerprint_make("server-error", "POST", "/users", NULL, other);
  assert_string_not_equal(base, other);
  al_fingerprint_make("server-error", "GET", "/users/", NULL, other);
  assert_string_not_equal(base, other);
  al_fingerprint_make("server-error", "GET", "/users", "head", other);
  assert_string_not_equal(base, other);
  /* Parts are separated: moving a byte from one to the next changes it. */
  al_fingerprint_make("server-errorG", "ET", "/users", NULL, other);
  assert_string_not_equal(base, other);
}

static void test_fingerprint_valid_refuses_other_text(void **state)
{
  (void)state;
  assert_false(al_fingerprint_valid(NULL));
  assert_false(al_fingerprint_valid(""));
  assert_false(al_fingerprint_valid("6d2c3a2c6d1b0cb"));
  assert_false(al_fingerprint_valid("6d2c3a2c6d1b0cb9a"));
  assert_false(al_fingerprint_valid("6D2C3A2C6D1B0CB9"));
  assert_false(al_fingerprint_valid("6d2c3a2c6d1b0cbg"));
}

/* Two spec texts that differ in base URL (port), defaults of variables,
 * names, headers and order give their endpoints the same fingerprints. */
static void test_fingerprint_result_ignores_port_defaults_and_order(void **st)
{
  (void)st;
  const char *one = "version: 1\n"
                    "base_url: http://127.0.0.1:1111\n"
                    "endpoints:\n"
                    "  - {name: a, path: \"/u/${ID:-1}\"}\n"
                    "  - {name: b, method: POST, path: /v}\n";
  const char *two = "version: 1\n"
                    "base_url: http://127.0.0.1:2222/\n"
                    "endpoints:\n"
                    "  - {name: other, method: POST, path: /v,"
                    " headers: {X-A: b}}\n"
                    "  - {name: renamed, path: \"/u/${ID:-99}\"}\n";
  struct al_spec *s1 = NULL, *s2 = NULL;
  struct al_err err = {0};
  assert_int_equal(al_spec_parse(one, strlen(one), "one.yaml", NULL, &s1, &err),
                   AL_OK);
  assert_int_equal(al_spec_parse(two, strlen(two), "two.yaml", NULL, &s2, &err),
                   AL_OK);
  assert_string_equal(s1->endpoints[0].path, "/u/1");
  assert_string_equal(s1->endpoints[0].path_template, "/u/${ID:-1}");
  char fp[4][AL_FINGERPRINT_SIZE];
  const struct al_endpoint *eps[4] = {&s1->endpoints[0], &s1->endpoints[1],
                                      &s2->endpoints[1], &s2->endpoints[0]};
  for (int i = 0; i < 4; i++) {
    struct al_endpoint_result er;
    al_endpoint_result_init(&er);
    er.endpoint = eps[i];
    struct al_rule_result *rr = al_rule_results_add(
        &er.results, &er.result_count, "server-error", AL_OUTCOME_PASS);
    assert_non_null(rr);
    assert_int_equal(al_rule_result_add_finding(rr, AL_SEV_ERROR, "m",
                                                i ? "other evidence" : "e",
                                                "MUST", ""),
                     AL_OK);
    assert_int_equal(al_fingerprint_result(&er), AL_OK);
    assert_true(al_fingerprint_valid(rr->findings[0].fingerprint));
    memcpy(fp[i], rr->findings[0].fingerprint, sizeof fp[i]);
    al_endpoint_result_cleanup(&er);
  }
  assert_string_equal(fp[0], fp[2]);
  assert_string_equal(fp[1], fp[3]);
  assert_string_not_equal(fp[0], fp[1]);
  al_spec_free(s1);
  al_spec_free(s2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fingerprint_template_drops_defaults),
      cmocka_unit_test(test_fingerprint_is_stable_and_hex),
      cmocka_unit_test(test_fingerprint_differs_in_each_part),
      cmocka_unit_test(test_fingerprint_valid_refuses_other_text),
      cmocka_unit_test(test_fingerprint_result_ignores_port_defaults_and_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
