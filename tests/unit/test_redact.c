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
  assert_false(al_redactor_is_secret_name(&r, "Accept-Language"));
  assert_string_equal(al_redact_header(&r, "Accept", "text/plain"),
                      "text/plain");
  /* An empty credential field is shown empty: nothing was sent to hide. */
  assert_string_equal(al_redact_header(&r, "Authorization", ""), "");
  assert_string_equal(al_redact_header(&r, "Cookie", " "), " ");
  assert_string_equal(al_redact_header(&r, "Authorization", " x"), "***");
  /* NULL redactor: the built-in names still count */
  assert_true(al_redactor_is_secret_name(NULL, "cookie"));
  assert_false(al_redactor_is_secret_name(NULL, "X-Request-Id"));
  al_redactor_cleanup(&r);
}

static void test_redact_header_masks_added_names(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_name(&r, "X-Tenant"), AL_OK);
  assert_int_equal(al_redactor_add_name(&r, "x-tenant"), AL_OK);
  assert_int_equal(al_redactor_add_name(&r, "Cookie"), AL_OK);
  assert_int_equal(al_redactor_add_name(&r, "X-Api-Key"), AL_OK);
  assert_int_equal(r.name_count, 1); /* repeats and built-ins not stored */
  assert_true(al_redactor_is_secret_name(&r, "X-TENANT"));
  assert_string_equal(al_redact_header(&r, "x-tenant", "k"), "***");
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
  /* the whole value, the token, and the whole value URL-encoded ("%20",
   * "+"): the token needs no escaping, so it is there once */
  assert_int_equal(r.value_count, 4);
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
  assert_int_equal(al_redactor_add_name(&r, "X-Tenant"), AL_OK);
  assert_int_equal(al_headers_add(&h, "Accept", "application/json"), AL_OK);
  assert_int_equal(al_headers_add(&h, "x-tenant", "key-0001"), AL_OK);
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

/* Item: credential-looking header names are masked without being listed,
 * with the same list the unauthenticated probe strips. */
static void test_redact_masks_credential_header_names(void **state)
{
  (void)state;
  const char *secret[] = {"X-API-Key",     "X-Auth-Token",
                          "Api-Key",       "x-apikey",
                          "X-Session-Id",  "X-Client-Secret",
                          "X-DB-Password", "X-Authorization",
                          "X-OAuth-Scope", "Authentication-Info",
                          "Set-Cookie"};
  const char *shown[] = {
      "X-Author",           "X-Authority",  "Accept",      "WWW-Authenticate",
      "Proxy-Authenticate", "X-Request-Id", "Content-Type"};
  for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++) {
    assert_true(al_redact_is_credential_header(secret[i]));
    assert_true(al_redactor_is_secret_name(NULL, secret[i]));
    assert_string_equal(al_redact_header(NULL, secret[i], "v"), "***");
  }
  for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
    assert_false(al_redact_is_credential_header(shown[i]));
    assert_string_equal(al_redact_header(NULL, shown[i], "v"), "v");
  }
  /* their values are collected as secrets too */
  struct al_redactor r;
  struct al_headers h;
  al_redactor_init(&r);
  al_headers_init(&h);
  assert_int_equal(al_headers_add(&h, "X-Auth-Token", "hdr-tok-123"), AL_OK);
  assert_int_equal(al_headers_add(&h, "X-Author", "jane-doe"), AL_OK);
  assert_int_equal(al_redactor_add_headers(&r, &h), AL_OK);
  expect_text(&r, "hdr-tok-123 by jane-doe", "*** by jane-doe");
  al_headers_cleanup(&h);
  al_redactor_cleanup(&r);
}

static void test_redact_credential_param_names(void **state)
{
  (void)state;
  const char *cred[] = {
      "api_key",         "apikey", "API-KEY",  "access_token",  "token",
      "auth_token",      "key",    "password", "client_secret", "refresh_token",
      "X-Amz-Signature", "sig",    "pwd",      "api%5Fkey",     "api%5fKEY",
      "access%5Ftoken",  "to%6Ben"};
  const char *plain[] = {"page", "monkey", "keyword",    "id",     "author",
                         "q",    "tokens", "my_api_key", "api%5F", "%"};
  for (size_t i = 0; i < sizeof cred / sizeof cred[0]; i++)
    assert_true(al_redact_is_credential_param(cred[i], strlen(cred[i])));
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
    assert_false(al_redact_is_credential_param(plain[i], strlen(plain[i])));
  /* 'len' bounds the name: "token" inside a longer buffer */
  assert_true(al_redact_is_credential_param("token=abc", 5));
  assert_false(al_redact_is_credential_param("keys", 3 + 1));
}

static void test_redact_add_url_masks_query_credentials(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(
      al_redactor_add_url(&r, "http://127.0.0.1:8/me?access_token=qtok-999&"
                              "page=22&api_key=qk%2F888&key=kkk-1"),
      AL_OK);
  expect_text(&r, "GET /me?access_token=qtok-999&page=22&api_key=qk%2F888",
              "GET /me?access_token=***&page=22&api_key=***");
  /* the server sees (and echoes) the decoded value */
  expect_text(&r, "{\"key\": \"qk/888\", \"k\": \"kkk-1\"}",
              "{\"key\": \"***\", \"k\": \"***\"}");
  expect_text(&r, "page 22", "page 22");
  al_redactor_cleanup(&r);
}

static void test_redact_add_url_masks_userinfo_password(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_url(&r, "http://admin:hunter22@127.0.0.1:8"),
                   AL_OK);
  assert_int_equal(al_redactor_add_url(&r, "https://bob@h/x?q=1"), AL_OK);
  assert_int_equal(
      al_redactor_add_url(&r, "error: got \"http://u:p%40ss-99@h:1/ x\""),
      AL_OK);
  expect_text(&r, "http://admin:hunter22@127.0.0.1:8/me",
              "http://admin:***@127.0.0.1:8/me");
  expect_text(&r, "pw hunter22, p@ss-99, p%40ss-99 bob",
              "pw ***, ***, *** bob");
  al_redactor_cleanup(&r);
}

static void test_redact_masks_escaped_echoes(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_value(&r, "Bearer ab/c\"d\\e<f=="), AL_OK);
  expect_text(&r, "json ab\\/c\\\"d\\\\e<f== end", "json *** end");
  expect_text(&r, "plain json ab/c\\\"d\\\\e<f== end", "plain json *** end");
  expect_text(&r, "go ab/c\\\"d\\\\e\\u003cf== end", "go *** end");
  expect_text(&r, "url ab%2Fc%22d%5Ce%3Cf%3D%3D end", "url *** end");
  expect_text(&r, "url ab%2fc%22d%5ce%3cf%3d%3d end", "url *** end");
  expect_text(&r, "html ab/c&quot;d\\e&lt;f== end", "html *** end");
  expect_text(&r, "raw ab/c\"d\\e<f== end", "raw *** end");
  al_redactor_cleanup(&r);
}

static void test_redact_values_masks_bytes_only_when_needed(void **state)
{
  (void)state;
  struct al_redactor r;
  struct al_buf out;
  int masked = -1;
  al_redactor_init(&r);
  al_buf_init(&out);
  assert_int_equal(al_redactor_add_value(&r, "sekrit-1"), AL_OK);
  /* no secret: nothing appended, the caller keeps its text */
  assert_int_equal(al_redact_values(&r, "a\0b", 3, 0, &out, &masked), AL_OK);
  assert_int_equal(masked, 0);
  assert_int_equal(out.len, 0);
  /* a secret: masked, other bytes (NUL, control) kept as they are */
  static const char text[] = "x\0\x01sekrit-1 tail sekrit-1";
  assert_int_equal(
      al_redact_values(&r, text, sizeof text - 1, 0, &out, &masked), AL_OK);
  assert_int_equal(masked, 1);
  static const char want[] = "x\0\x01*** tail ***";
  assert_int_equal(out.len, sizeof want - 1);
  assert_memory_equal(out.data, want, sizeof want - 1);
  al_buf_cleanup(&out);
  /* NULL redactor and empty text */
  assert_int_equal(al_redact_values(NULL, "sekrit-1", 8, 0, &out, &masked),
                   AL_OK);
  assert_int_equal(masked, 0);
  assert_int_equal(al_redact_values(&r, NULL, 0, 0, &out, &masked), AL_OK);
  assert_int_equal(masked, 0);
  al_buf_cleanup(&out);
  al_redactor_cleanup(&r);
}

static void test_redact_values_keeps_json_valid(void **state)
{
  (void)state;
  struct al_redactor r;
  struct al_buf out;
  int masked = 0;
  al_redactor_init(&r);
  al_buf_init(&out);
  assert_int_equal(al_redactor_add_value(&r, "sekrit-1"), AL_OK);
  assert_int_equal(al_redactor_add_value(&r, "12345"), AL_OK);
  /* a bare secret becomes a string; inside a string (even after an
   * escaped quote) plain "***"; part of a longer number stays */
  const char *body = "{\"id\": 12345, \"n\": 123456, \"t\": \"x sekrit-1 "
                     "y\", \"q\": \"a\\\" 12345\", \"l\": [12345]}";
  assert_int_equal(al_redact_values(&r, body, strlen(body), 1, &out, &masked),
                   AL_OK);
  assert_int_equal(masked, 1);
  assert_string_equal(out.data,
                      "{\"id\": \"***\", \"n\": 123456, \"t\": \"x *** y\", "
                      "\"q\": \"a\\\" ***\", \"l\": [\"***\"]}");
  al_buf_cleanup(&out);
  al_redactor_cleanup(&r);
}

/* The writers' fast path: text it calls plain is copied unmasked and
 * uncleaned, so it must never call plain what masking or cleaning would
 * change. */
static void test_redact_is_plain_only_when_nothing_changes(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  assert_int_equal(al_redactor_add_value(&r, "s3cret-token"), AL_OK);
  const char *plain[] = {"", "GET /e/42", "rate-limit",
                         "http://127.0.0.1:8080/e/1?a=b&c=d"};
  const char *not_plain[] = {"x s3cret-token y", "tab\there", "line\n",
                             "caf\xc3\xa9",      "del\x7f",   "bad\xff"};
  for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
    assert_true(al_redact_is_plain(&r, plain[i], strlen(plain[i])));
    char *same = al_redact_text(&r, plain[i], strlen(plain[i]));
    assert_string_equal(same, plain[i]);
    free(same);
  }
  for (size_t i = 0; i < sizeof not_plain / sizeof *not_plain; i++)
    assert_false(al_redact_is_plain(&r, not_plain[i], strlen(not_plain[i])));
  /* Any byte that starts a secret sends the text the slow way. */
  assert_false(al_redact_is_plain(&r, "s", 1));
  assert_true(al_redact_is_plain(NULL, "s", 1));
  /* Without secret values (NULL or none added) only the bytes count. */
  struct al_redactor none;
  al_redactor_init(&none);
  for (size_t i = 1; i < sizeof not_plain / sizeof *not_plain; i++) {
    assert_false(al_redact_is_plain(NULL, not_plain[i], strlen(not_plain[i])));
    assert_false(al_redact_is_plain(&none, not_plain[i], strlen(not_plain[i])));
  }
  assert_true(al_redact_is_plain(&none, "x s3cret-token ~", 16));
  assert_false(al_redact_is_plain(&none, "nul\0", 4));
  assert_false(al_redact_is_plain(&none, "\x1f", 1));
  al_redactor_cleanup(&r);
}

/* al_redact_is_plain reads the first bytes of the secret values from a
 * table kept as values are added (redact.h starts): it must say "look
 * closer" for exactly the printable bytes some stored value starts with,
 * including the escaped forms added with a value and values added after
 * earlier tests, and for none once the redactor is cleaned up. */
static void test_redact_start_table_follows_the_values(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  for (int c = 0x20; c < 0x7f; c++) {
    char b = (char)c;
    assert_true(al_redact_is_plain(&r, &b, 1));
  }
  assert_int_equal(al_redactor_add_value(&r, "Bearer a\"b/c<d"), AL_OK);
  assert_true(al_redact_is_plain(&r, "zzz", 3));
  assert_int_equal(al_redactor_add_value(&r, "zq9 x"), AL_OK);
  assert_int_equal(al_redactor_add_url(&r, "http://u:p%41ss@h/?token=t%2Bk+n"),
                   AL_OK);
  for (int c = 0x20; c < 0x7f; c++) {
    int starts = 0;
    for (size_t k = 0; k < r.value_count; k++)
      starts |= (unsigned char)r.values[k][0] == c;
    char b = (char)c;
    if (al_redact_is_plain(&r, &b, 1) != !starts)
      fail_msg("byte '%c': plain %d, but %s value starts with it", c,
               al_redact_is_plain(&r, &b, 1), starts ? "a" : "no");
  }
  assert_false(al_redact_is_plain(&r, "zzz", 3));
  al_redactor_cleanup(&r);
  assert_true(al_redact_is_plain(&r, "zzz", 3));
  al_redactor_init(&r);
  assert_true(al_redact_is_plain(&r, "Bearer", 6));
  al_redactor_cleanup(&r);
}

/* Without secret values al_redact_is_plain tests eight bytes at a time:
 * every byte value, at every place in and around a word, must give what
 * the one-byte rule (printable ASCII, 0x20-0x7E) gives. */
static void test_redact_is_plain_word_at_a_time(void **state)
{
  (void)state;
  struct al_redactor r;
  al_redactor_init(&r);
  char text[20];
  for (size_t len = 0; len <= sizeof text; len++) {
    for (size_t at = 0; at < len; at++) {
      for (int c = 0; c < 256; c++) {
        memset(text, 'a', sizeof text);
        text[at] = (char)c;
        int want = c >= 0x20 && c <= 0x7e;
        assert_int_equal(al_redact_is_plain(&r, text, len), want);
        assert_int_equal(al_redact_is_plain(NULL, text, len), want);
      }
    }
    memset(text, '~', sizeof text);
    assert_true(al_redact_is_plain(NULL, text, len));
    memset(text, ' ', sizeof text);
    assert_true(al_redact_is_plain(NULL, text, len));
  }
  al_redactor_cleanup(&r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_redact_header_masks_builtin_names_in_any_case),
      cmocka_unit_test(test_redact_header_masks_added_names),
      cmocka_unit_test(test_redact_text_masks_values_longest_first),
      cmocka_unit_test(test_redact_is_plain_only_when_nothing_changes),
      cmocka_unit_test(test_redact_start_table_follows_the_values),
      cmocka_unit_test(test_redact_is_plain_word_at_a_time),
      cmocka_unit_test(test_redact_ignores_values_shorter_than_three_bytes),
      cmocka_unit_test(test_redact_splits_bearer_token_from_its_scheme),
      cmocka_unit_test(test_redact_decodes_basic_credentials),
      cmocka_unit_test(test_redact_add_headers_collects_secret_header_values),
      cmocka_unit_test(test_redact_text_replaces_control_bytes),
      cmocka_unit_test(test_redact_text_keeps_utf8),
      cmocka_unit_test(test_redact_text_masks_a_secret_beside_control_bytes),
      cmocka_unit_test(test_redact_masks_credential_header_names),
      cmocka_unit_test(test_redact_credential_param_names),
      cmocka_unit_test(test_redact_add_url_masks_query_credentials),
      cmocka_unit_test(test_redact_add_url_masks_userinfo_password),
      cmocka_unit_test(test_redact_masks_escaped_echoes),
      cmocka_unit_test(test_redact_values_masks_bytes_only_when_needed),
      cmocka_unit_test(test_redact_values_keeps_json_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
