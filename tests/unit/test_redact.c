/* test_redact.c - secrets never shown: secret header names, secret values in
 * free text (longest first), credentials split from their scheme, cookie
 * values, and control bytes cleaned out of text meant for a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "redact.h"

/* Redacts 'text' (a C string) and checks the result. */
static void expect_text(const struct al_redactor *r, const char *text,
                        const char *want)
{
  char *got = al_redact_text(r, text, strlen(text));
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void test_redact_header_masks_builtin_names_in_any_case(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  const char *secret[] = {"Authorization", "authorization",
                          "PROXY-AUTHORIZATION", "Cookie", "set-cookie"};
  for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++) {
    assert_true(al_redactor_is_secret_name(&r, secret[i]));
    assert_string_equal(al_redact_header(&r, secret[i], "v"), "***");
  }
  assert_false(al_redactor_is_secret_name(&r, "Accept"));
  assert_false(al_redactor_is_secret_name(&r, "Authorization-Hint"));
  assert_string_equal(al_redact_header(&r, "Accept", "text/plain"),
                      "text/plain");
  /* NULL redactor: the built-in names still count */
  assert_true(al_redactor_is_secret_name(NULL, "cookie"));
  assert_false(al_redactor_is_secret_name(NULL, "X-Api-Key"));
  al_redactor_cleanup(&r);
}

static void test_redact_header_masks_added_names(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_name(&r, "X-Api-Key"), AL_OK);
  assert_int_equal(al_redactor_add_name(&r, "x-api-key"), AL_OK);
  assert_int_equal(al_redactor_add_name(&r, "Cookie"), AL_OK);
  assert_int_equal(r.name_count, 1); /* repeats and built-ins not stored */
  assert_true(al_redactor_is_secret_name(&r, "X-API-KEY"));
  assert_string_equal(al_redact_header(&r, "x-api-key", "k"), "***");
  al_redactor_cleanup(&r);
}

static void test_redact_text_masks_values_longest_first(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_value(&r, "abc"), AL_OK);
  assert_int_equal(al_redactor_add_value(&r, "abcdef123"), AL_OK);
  assert_int_equal(al_redactor_add_value(&r, "abc"), AL_OK);
  assert_int_equal(r.value_count, 2);
  assert_string_equal(r.values[0], "abcdef123");
  assert_string_equal(r.values[1], "abc");
  expect_text(&r, "token=abcdef123; short=abc; abcab",
              "token=***; short=***; ***ab");
  expect_text(&r, "abcdef123abcdef123", "******");
  expect_text(&r, "nothing here", "nothing here");
  expect_text(&r, "", "");
  al_redactor_cleanup(&r);
}

static void test_redact_ignores_values_shorter_than_three_bytes(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_value(&r, "ab"), AL_OK);
  assert_int_equal(al_redactor_add_value(&r, ""), AL_OK);
  assert_int_equal(al_redactor_add_value(&r, NULL), AL_OK);
  assert_int_equal(r.value_count, 0);
  expect_text(&r, "ab a b", "ab a b");
  al_redactor_cleanup(&r);
}

static void test_redact_splits_bearer_token_from_its_scheme(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_value(&r, "Bearer eyJhbGciOi.x.y"), AL_OK);
  assert_int_equal(r.value_count, 2);
  expect_text(&r, "Authorization: Bearer eyJhbGciOi.x.y", "Authorization: ***");
  expect_text(&r, "{\"echo\":\"eyJhbGciOi.x.y\"}", "{\"echo\":\"***\"}");
  al_redactor_cleanup(&r);
}

static void test_redact_decodes_basic_credentials(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  /* "aladdin:opensesame" */
  assert_int_equal(al_redactor_add_value(&r, "Basic YWxhZGRpbjpvcGVuc2VzYW1l"),
                   AL_OK);
  expect_text(&r, "user aladdin:opensesame logged in", "user *** logged in");
  expect_text(&r, "password was opensesame", "password was ***");
  expect_text(&r, "YWxhZGRpbjpvcGVuc2VzYW1l", "***");
  al_redactor_cleanup(&r);
}

static void test_redact_add_headers_collects_secret_header_values(void **state)
{
  (void)state;
  struct al_redactor r;
  struct al_headers h;
  al_redactor_init(&r);
  al_headers_init(&h);
  assert_int_equal(al_redactor_add_name(&r, "X-Api-Key"), AL_OK);
  assert_int_equal(al_headers_add(&h, "Accept", "application/json"), AL_OK);
  assert_int_equal(al_headers_add(&h, "x-api-key", "key-0001"), AL_OK);
  assert_int_equal(al_headers_add(&h, "Cookie", "sid=s3ss10n; theme=dark"),
                   AL_OK);
  assert_int_equal(
      al_headers_add(&h, "Set-Cookie", "token=t0k3n; Path=/; HttpOnly"), AL_OK);
  assert_int_equal(al_redactor_add_headers(&r, &h), AL_OK);
  expect_text(&r, "key-0001 s3ss10n dark t0k3n application/json /",
              "*** *** *** *** application/json /");
  al_headers_cleanup(&h);
  al_redactor_cleanup(&r);
}

static void test_redact_text_replaces_control_bytes(void **state)
{
  (void)state;
  const char text[] = "a\x1b[31mred\x07\tb\r\nc\x7f\0d\x01";
  char *got = al_redact_text(NULL, text, sizeof text - 1);
  assert_non_null(got);
  assert_string_equal(got, "a?[31mred?\tb\r\nc??d?");
  free(got);
}

static void test_redact_text_keeps_utf8(void **state)
{
  (void)state;
  const char text[] = "caf\xc3\xa9 \xe2\x9c\x93";
  char *got = al_redact_text(NULL, text, sizeof text - 1);
  assert_non_null(got);
  assert_string_equal(got, text);
  free(got);
}

static void test_redact_text_masks_a_secret_beside_control_bytes(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_value(&r, "s3cr3t"), AL_OK);
  const char text[] = "\x1bs3cr3t\0s3cr3";
  char *got = al_redact_text(&r, text, sizeof text - 1);
  assert_non_null(got);
  assert_string_equal(got, "?***?s3cr3");
  free(got);
  al_redactor_cleanup(&r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_redact_header_masks_builtin_names_in_any_case),
      cmocka_unit_test(test_redact_header_masks_added_names),
      cmocka_unit_test(test_redact_text_masks_values_longest_first),
      cmocka_unit_test(test_redact_ignores_values_shorter_than_three_bytes),
      cmocka_unit_test(test_redact_splits_bearer_token_from_its_scheme),
      cmocka_unit_test(test_redact_decodes_basic_credentials),
      cmocka_unit_test(test_redact_add_headers_collects_secret_header_values),
      cmocka_unit_test(test_redact_text_replaces_control_bytes),
      cmocka_unit_test(test_redact_text_keeps_utf8),
      cmocka_unit_test(test_redact_text_masks_a_secret_beside_control_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
