/* test_shard.c - the shard stage: --shard values (I/N, auto from a table
 * of CI variables), the deal (a partition, balanced, path groups whole,
 * independent of the endpoints' order and of base_url), the digest, and
 * al_shard_apply keeping one shard with each endpoint's loaded index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "shard.h"
#include "spec.h"

static const char *const *env_table;

static const char *table_getenv(const char *name)
{
  for (size_t i = 0; env_table && env_table[i]; i += 2)
    if (strcmp(env_table[i], name) == 0)
      return env_table[i + 1];
  return NULL;
}

static enum al_code parse_with(const char *arg, const char *const *env,
                               struct al_shard *out, struct al_err *err)
{
  env_table = env;
  return al_shard_parse(arg, table_getenv, out, err);
}

static void test_shard_parse_accepts_i_of_n(void **state)
{
  (void)state;
  struct al_shard s;
  struct al_err err = {0};
  assert_int_equal(parse_with("2/3", NULL, &s, &err), AL_OK);
  assert_int_equal(s.index, 2);
  assert_int_equal(s.total, 3);
  assert_int_equal(parse_with("1000/1000", NULL, &s, &err), AL_OK);
  assert_int_equal(parse_with("1/1", NULL, &s, &err), AL_OK);
}

static void test_shard_parse_rejects_bad_values(void **state)
{
  (void)state;
  static const char *const bad[] = {"0/3",  "4/3",  "3",      "/3",   "1/",
                                    "a/b",  "1/0",  "-1/3",   "1/3x", "1//3",
                                    " 1/3", "1/+3", "1/1001", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct al_shard s;
    struct al_err err = {0};
    assert_int_equal(parse_with(bad[i], NULL, &s, &err), AL_E_USAGE);
    assert_non_null(strstr(err.msg, "--shard must be I/N"));
    assert_int_equal(s.total, 0);
  }
}

static void test_shard_parse_auto_reads_gitlab_variables(void **state)
{
  (void)state;
  struct al_shard s;
  struct al_err err = {0};
  static const char *const two_of_four[] = {"CI_NODE_INDEX", "2",
                                            "CI_NODE_TOTAL", "4", NULL};
  assert_int_equal(parse_with("auto", two_of_four, &s, &err), AL_OK);
  assert_int_equal(s.index, 2);
  assert_int_equal(s.total, 4);
  /* GitLab without parallel: CI_NODE_TOTAL=1 and no index. */
  static const char *const alone[] = {"CI_NODE_TOTAL", "1", NULL};
  assert_int_equal(parse_with("auto", alone, &s, &err), AL_OK);
  assert_int_equal(s.index, 1);
  assert_int_equal(s.total, 1);

  static const char *const zero[] = {"CI_NODE_INDEX", "0", "CI_NODE_TOTAL", "4",
                                     NULL};
  assert_int_equal(parse_with("auto", zero, &s, &err), AL_E_USAGE);
  assert_non_null(strstr(err.msg, "CI_NODE_INDEX must be a number from 1"));
  static const char *const big[] = {"CI_NODE_INDEX", "5", "CI_NODE_TOTAL", "4",
                                    NULL};
  assert_int_equal(parse_with("auto", big, &s, &err), AL_E_USAGE);
  static const char *const junk[] = {"CI_NODE_INDEX", "1", "CI_NODE_TOTAL",
                                     "four", NULL};
  assert_int_equal(parse_with("auto", junk, &s, &err), AL_E_USAGE);
  assert_non_null(strstr(err.msg, "CI_NODE_TOTAL must be a number"));
  static const char *const no_index[] = {"CI_NODE_TOTAL", "4", NULL};
  assert_int_equal(parse_with("auto", no_index, &s, &err), AL_E_USAGE);
  assert_non_null(strstr(err.msg, "CI_NODE_INDEX is not set"));
  assert_int_equal(parse_with("auto", NULL, &s, &err), AL_E_USAGE);
  assert_non_null(strstr(err.msg, "CI_NODE_TOTAL is not set"));
}

/* A spec of 'n' endpoints on /p/I (in reverse order when 'reverse'),
 * plus GET and POST /g, under 'base'. */
static struct al_spec *make_spec(int n, int reverse, const char *base)
{
  struct al_buf b;
  al_buf_init(&b);
  al_buf_printf(&b, "version: 1\nbase_url: %s\nendpoints:\n", base);
  for (int k = 0; k < n; k++) {
    int i = reverse ? n - 1 - k : k;
    al_buf_printf(&b, "  - {name: p%d, path: /p/%d}\n", i, i);
  }
  al_buf_append_str(&b, "  - {name: g-get, path: /g}\n"
                        "  - {name: g-post, method: POST, path: \"/g?x=1\"}\n");
  struct al_spec *spec = NULL;
  struct al_err err = {0};
  enum al_code rc =
      al_spec_parse(b.data, b.len, "dir/api.yaml", NULL, &spec, &err);
  if (rc != AL_OK)
    fail_msg("spec: %s", err.msg);
  al_buf_cleanup(&b);
  return spec;
}

/* The shard of the endpoint named 'name'. */
static unsigned shard_of_name(const struct al_spec *spec, const unsigned *sh,
                              const char *name)
{
  for (size_t i = 0; i < spec->endpoint_count; i++)
    if (strcmp(spec->endpoints[i].name, name) == 0)
      return sh[i];
  fail_msg("no endpoint %s", name);
  return 0;
}

static void test_shard_assign_partitions_and_balances(void **state)
{
  (void)state;
  struct al_spec *spec = make_spec(40, 0, "http://127.0.0.1:1");
  const struct al_spec *const specs[] = {spec};
  for (unsigned total = 1; total <= 9; total++) {
    unsigned *sh = NULL;
    assert_int_equal(al_shard_assign(specs, 1, total, &sh), AL_OK);
    size_t size[10] = {0};
    for (size_t i = 0; i < spec->endpoint_count; i++) {
      assert_true(sh[i] >= 1 && sh[i] <= total);
      size[sh[i]]++;
    }
    size_t min = SIZE_MAX, max = 0;
    for (unsigned t = 1; t <= total; t++) {
      min = size[t] < min ? size[t] : min;
      max = size[t] > max ? size[t] : max;
    }
    /* 40 single endpoints and one group of 2: at most 2 apart. */
    assert_true(max - min <= 2);
    /* /g and /g?x=1 are one path: one shard. */
    assert_int_equal(shard_of_name(spec, sh, "g-get"),
                     shard_of_name(spec, sh, "g-post"));
    free(sh);
  }
  al_spec_free(spec);
}

static void test_shard_assign_ignores_order_and_base_url(void **state)
{
  (void)state;
  struct al_spec *a = make_spec(30, 0, "http://127.0.0.1:1111");
  struct al_spec *b = make_spec(30, 1, "http://127.0.0.1:2222");
  const struct al_spec *const sa[] = {a};
  const struct al_spec *const sb[] = {b};
  unsigned *ha = NULL, *hb = NULL;
  assert_int_equal(al_shard_assign(sa, 1, 4, &ha), AL_OK);
  assert_int_equal(al_shard_assign(sb, 1, 4, &hb), AL_OK);
  for (size_t i = 0; i < a->endpoint_count; i++)
    assert_int_equal(ha[i], shard_of_name(b, hb, a->endpoints[i].name));
  free(ha);
  free(hb);
  al_spec_free(a);
  al_spec_free(b);
}

static void test_shard_digest_tells_specs_apart(void **state)
{
  (void)state;
  struct al_spec *a = make_spec(5, 0, "http://127.0.0.1:1");
  struct al_spec *a2 = make_spec(5, 0, "http://127.0.0.1:2");
  struct al_spec *b = make_spec(6, 0, "http://127.0.0.1:1");
  char da[17], da2[17], db[17];
  al_shard_digest(a, da);
  al_shard_digest(a2, da2);
  al_shard_digest(b, db);
  assert_int_equal(strlen(da), 16);
  assert_string_equal(da, da2); /* the base URL is not the spec's identity */
  assert_string_not_equal(da, db);
  al_spec_free(a);
  al_spec_free(a2);
  al_spec_free(b);
}

static void test_shard_apply_keeps_one_shard_with_indexes(void **state)
{
  (void)state;
  struct al_spec *full = make_spec(10, 0, "http://127.0.0.1:1");
  const struct al_spec *const cf[] = {full};
  unsigned *sh = NULL;
  assert_int_equal(al_shard_assign(cf, 1, 3, &sh), AL_OK);
  size_t seen = 0;
  for (unsigned t = 1; t <= 3; t++) {
    struct al_spec *spec = make_spec(10, 0, "http://127.0.0.1:1");
    struct al_spec *const specs[] = {spec};
    struct al_shard shard = {t, 3};
    assert_int_equal(al_shard_apply(specs, 1, &shard), AL_OK);
    assert_int_equal(spec->loaded_count, 12);
    assert_int_equal(strlen(spec->digest), 16);
    size_t last = 0;
    for (size_t i = 0; i < spec->endpoint_count; i++) {
      const struct al_endpoint *ep = &spec->endpoints[i];
      assert_int_equal(sh[ep->index], t);
      assert_string_equal(ep->name, full->endpoints[ep->index].name);
      assert_true(i == 0 || ep->index > last); /* spec order kept */
      last = ep->index;
    }
    seen += spec->endpoint_count;
    al_spec_free(spec);
  }
  assert_int_equal(seen, 12);
  free(sh);
  al_spec_free(full);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shard_parse_accepts_i_of_n),
      cmocka_unit_test(test_shard_parse_rejects_bad_values),
      cmocka_unit_test(test_shard_parse_auto_reads_gitlab_variables),
      cmocka_unit_test(test_shard_assign_partitions_and_balances),
      cmocka_unit_test(test_shard_assign_ignores_order_and_base_url),
      cmocka_unit_test(test_shard_digest_tells_specs_apart),
      cmocka_unit_test(test_shard_apply_keeps_one_shard_with_indexes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
