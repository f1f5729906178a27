/* test_json_body.c - the body read as JSON once per evaluation
 * (json_body.h): what is one value, how many values a body holds, that
 * nothing is parsed before a check asks, and that the engine's checks
 * share one parse (counted through cJSON's allocation hooks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "json_body.h"
#include "rule_config.h"
#include "ruleset.h"

static void set_body(struct al_buf *b, const char *text)
{
  al_buf_init(b);
  assert_int_equal(al_buf_append(b, text, strlen(text)), AL_OK);
}

/* One value or not, and how many values, for 'text'. */
static void judge(const char *text, int *is_value, int *count)
{
  struct al_buf b;
  set_body(&b, text);
  struct al_json_body j;
  al_json_body_init(&j, &b);
  *is_value = al_json_body_value(&j) != NULL;
  *count = al_json_body_count(&j);
  al_json_body_cleanup(&j);
  al_buf_cleanup(&b);
}

static void test_values_and_counts(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    int is_value, count;
  } cases[] = {
      {"{\"a\": 1}", 1, 1},
      {"\xEF\xBB\xBF {\"a\": 1}\r\n", 1, 1},
      {"[1, 2]", 1, 1},
      {"\"text\"", 1, 1},
      {"42", 1, 1},
      {"{\"a\": 1}\n{\"a\": 2}\n", 0, 2}, /* NDJSON */
      {"{\"a\": 1} trailing", 0, 0},
      {"<html>", 0, 0},
      {"", 0, 0},
      {" \r\n\t", 0, 0},
      /* RFC 8259 §8.2: a lone surrogate escape is still JSON */
      {"{\"s\": \"\\ud83d\"}", 1, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int v, c;
    judge(cases[i].text, &v, &c);
    if (v != cases[i].is_value || c != cases[i].count)
      print_error("case %zu '%s': value %d count %d\n", i, cases[i].text, v, c);
    assert_int_equal(v, cases[i].is_value);
    assert_int_equal(c, cases[i].count);
  }
}

static void test_too_deep_cannot_be_judged(void **state)
{
  (void)state;
  struct al_buf b;
  al_buf_init(&b);
  for (int i = 0; i <= CJSON_NESTING_LIMIT; i++)
    assert_int_equal(al_buf_append_char(&b, '['), AL_OK);
  for (int i = 0; i <= CJSON_NESTING_LIMIT; i++)
    assert_int_equal(al_buf_append_char(&b, ']'), AL_OK);
  struct al_json_body j;
  al_json_body_init(&j, &b);
  assert_null(al_json_body_value(&j));
  assert_int_equal(al_json_body_count(&j), -1);
  al_json_body_cleanup(&j);
  al_buf_cleanup(&b);
}

static void test_parsed_once_and_lazily(void **state)
{
  (void)state;
  struct al_buf b;
  set_body(&b, " {\"id\": 7} ");
  struct al_json_body j;
  al_json_body_init(&j, &b);
  const char *s;
  size_t n;
  assert_int_equal(al_json_body_core(&b, &s, &n), 1);
  assert_int_equal(n, 9);
  assert_null(j.root); /* the core alone parses nothing */
  const cJSON *first = al_json_body_value(&j);
  assert_non_null(first);
  assert_ptr_equal(al_json_body_value(&j), first);
  assert_int_equal(al_json_body_count(&j), 1);
  assert_ptr_equal(al_json_body_value(&j), first);
  al_json_body_cleanup(&j);
  al_buf_cleanup(&b);
}

/* cJSON allocations, counted while 'counting' is set. */
static int counting;
static size_t allocations;

static void *counting_malloc(size_t size)
{
  if (counting)
    allocations++;
  return malloc(size);
}

static void count_cjson(void)
{
  cJSON_Hooks hooks = {counting_malloc, free};
  cJSON_InitHooks(&hooks);
}

/* Allocations of one parse of 'text'. */
static size_t one_parse(const char *text)
{
  allocations = 0;
  counting = 1;
  cJSON *v = cJSON_Parse(text);
  counting = 0;
  assert_non_null(v);
  cJSON_Delete(v);
  return allocations;
}

/* Allocations while the built-in rules judge 'raw' (an answer to GET). */
static size_t judged(const char *raw)
{
  struct al_err err = {0};
  struct al_ruleset *rs = NULL;
  struct al_rule_config cfg;
  assert_int_equal(al_ruleset_new_builtin(&rs, &err), AL_OK);
  assert_int_equal(al_rule_config_init(&cfg, rs), AL_OK);
  struct al_request req;
  al_request_init(&req);
  req.method = al_strdup("GET");
  req.url = al_strdup("http://127.0.0.1:1/x");
  struct al_response res;
  al_response_init(&res);
  assert_int_equal(al_response_parse_raw(raw, strlen(raw), "GET", &res, &err),
                   AL_OK);
  struct al_endpoint_result er;
  al_endpoint_result_init(&er);
  allocations = 0;
  counting = 1;
  assert_int_equal(al_engine_eval(rs, &cfg, &req, &res, NULL, NULL, &er),
                   AL_OK);
  counting = 0;
  size_t n = allocations;
  al_endpoint_result_cleanup(&er);
  al_response_cleanup(&res);
  al_request_cleanup(&req);
  al_rule_config_cleanup(&cfg);
  al_ruleset_free(rs);
  return n;
}

#define BODY "{\"id\": 7, \"name\": \"seven\", \"tags\": [\"a\", \"b\"]}"

/* error-body, body-status-mismatch and content-type-body all read a 200's
 * JSON body, client-error-without-detail, body-status-mismatch and
 * content-type-body a 400's: one parse between them. */
static void test_checks_share_one_parse(void **state)
{
  (void)state;
  count_cjson();
  size_t once = one_parse(BODY);
  assert_true(once > 4);
  assert_int_equal(judged("HTTP/1.1 200 OK\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: 46\r\n\r\n" BODY),
                   once);
  assert_int_equal(judged("HTTP/1.1 400 Bad Request\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: 46\r\n\r\n" BODY),
                   once);
  /* No JSON, no parse. */
  assert_int_equal(judged("HTTP/1.1 200 OK\r\n"
                          "Content-Type: text/plain\r\n"
                          "Content-Length: 5\r\n\r\nhello"),
                   0);
  cJSON_InitHooks(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values_and_counts),
      cmocka_unit_test(test_too_deep_cannot_be_judged),
      cmocka_unit_test(test_parsed_once_and_lazily),
      cmocka_unit_test(test_checks_share_one_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
