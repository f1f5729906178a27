/* test_regressions.c - inputs found by the fuzzers (tests/fuzz) and the
 * robustness review that once crashed, hung or exhausted memory, each kept
 * as a test that must now end quickly with a clear answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ere.h"
#include "ruleset.h"
#include "spec.h"

static const char *no_env(const char *name, void *ctx)
{
  (void)name;
  (void)ctx;
  return NULL;
}

/* fuzz_spec, oom-898656f9: an expectation pattern with 68 '+' in a row made
 * glibc's regcomp double its tree per '+' and die past 2 GB. The loader
 * (ere.h's parser since issue 14) refuses it by position. */
static void test_regression_stacked_plus_in_spec_pattern(void **state)
{
  (void)state;
  char text[512];
  char pluses[69];
  memset(pluses, '+', 68);
  pluses[68] = '\0';
  snprintf(text, sizeof text,
           "version: 1\n"
           "base_url: http://127.0.0.1:8080\n"
           "endpoints:\n"
           "  - path: /users\n"
           "    expect:\n"
           "      headers: {Location: \"^l: # %s[a\"}\n",
           pluses);
  struct al_spec_opts opts = {0};
  opts.getenv_fn = no_env;
  struct al_spec *spec = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(
      al_spec_parse(text, strlen(text), "fuzz.yaml", &opts, &spec, &err),
      AL_E_SPEC);
  assert_null(spec);
  assert_int_equal(err.line, 6);
  assert_int_equal(err.col, 27);
  assert_non_null(strstr(err.msg, "right after another"));
}

/* The same pattern in a --rules file. */
static void test_regression_stacked_repetition_in_rule_pattern(void **state)
{
  (void)state;
  static const char text[] =
      "rules:\n"
      "  - id: my-rule\n"
      "    severity: warning\n"
      "    summary: s\n"
      "    message: m\n"
      "    require: {headers: {X-A: \"x{0,255}{0,255}\"}}\n";
  struct al_ruleset *rs = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_ruleset_new_builtin(&rs, &err), AL_OK);
  size_t before = rs->count;
  assert_int_equal(al_ruleset_parse(rs, text, strlen(text), "r.yaml", &err),
                   AL_E_RULES);
  assert_int_equal(rs->count, before);
  assert_int_equal(err.line, 6);
  assert_non_null(strstr(err.msg, "right after another"));
  al_ruleset_free(rs);
}

/* Patterns people write: accepted by ere.h, and regcomp agrees they
 * compile (the two dialects agree on what both accept: test_ere). */
static void test_ere_accepts_ordinary_patterns(void **state)
{
  (void)state;
  static const char *const ok[] = {
      "^/users/[0-9]+$",  "[!-~]",
      "a{1,255}",         "(foo|bar)+baz",
      "[[:alpha:]]{2,8}", "^[A-Za-z0-9._~-]{1,200}$",
      "\\+\\+",           "[+*?]{2}",
      "[]{]{3}",          "^(gzip|br|deflate)(, *(gzip|br|deflate))*$",
      "(a{1,20}){1,20}",  "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$",
      "^\\\\1$",          "",
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    char why[300];
    struct al_ere *ere = al_ere_compile(ok[i], why, sizeof why);
    if (!ere)
      fail_msg("'%s' refused: %s", ok[i], why);
    al_ere_free(ere);
    regex_t re;
    assert_int_equal(regcomp(&re, ok[i], REG_EXTENDED | REG_NOSUB), 0);
    regfree(&re);
  }
}

/* Patterns glibc compiles or matches in exponential time or memory
 * (issue 14 item 4: the first took 24 s and 11.4 GB in regcomp): refused
 * at once, with a reason. */
static void test_ere_refuses_explosive_patterns(void **state)
{
  (void)state;
  static const struct {
    const char *pattern;
    const char *says;
  } bad[] = {
      {"^((a?a?a?a?){1,25}){1,25}$", "more than 2000 states"},
      {"(a*)\\1c", "backreferences"},
      {"x[[:alpha:]](b)\\2", "backreferences"},
      {"a++", "right after another"},
      {"a*?", "right after another"},
      {"a{2}{3}", "right after another"},
      {"(x){0,255}+", "right after another"},
      {"(x{0,255}){0,255}", "too costly"},
      {"((a{1,100}){1,100}){3}", "too costly"},
      {"x{0,29000}", "above 255"},
      {"(.*){1,9000}", "above 255"},
      {"(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
       "a))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
       "nested too deeply"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char why[300] = "";
    clock_t t0 = clock();
    struct al_ere *re = al_ere_compile(bad[i].pattern, why, sizeof why);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (re || !strstr(why, bad[i].says))
      fail_msg("'%s': got '%s', wanted '%s'", bad[i].pattern,
               re ? "(accepted)" : why, bad[i].says);
    assert_true(secs < 0.5);
  }
}

/* Found while wiring ere.h in (issue 14): a repeated group that matches
 * only the empty string costs no instruction, so the program-size bound
 * let "(){255}" nested five deep through, and compiling it looped 255^5
 * times. It compiles now at once, to a program that matches like glibc. */
static void test_regression_ere_repeated_empty_group(void **state)
{
  (void)state;
  static const char *const patterns[] = {
      "((((){255}){255}){255}){255}",
      "^x((((((()()){255}){255}){255}){255}){255}){255}y$",
      "(((((((|){2}){255}){255}){255}){255}){255})",
  };
  for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
    char why[300];
    clock_t t0 = clock();
    struct al_ere *re = al_ere_compile(patterns[i], why, sizeof why);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 0.5);
    if (!re)
      continue; /* refused is fine too: what matters is the time */
    regex_t g;
    assert_int_equal(regcomp(&g, "^xy$", REG_EXTENDED | REG_NOSUB), 0);
    static const char *const texts[] = {"", "xy", "x", "xxy", "axyb"};
    for (size_t k = 0; i == 1 && k < sizeof texts / sizeof texts[0]; k++)
      assert_int_equal(al_ere_match(re, texts[k], strlen(texts[k])),
                       regexec(&g, texts[k], 0, NULL, 0) == 0);
    regfree(&g);
    if (i != 1)
      assert_int_equal(al_ere_match(re, "abc", 3), 1);
    al_ere_free(re);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_regression_stacked_plus_in_spec_pattern),
      cmocka_unit_test(test_regression_stacked_repetition_in_rule_pattern),
      cmocka_unit_test(test_ere_accepts_ordinary_patterns),
      cmocka_unit_test(test_ere_refuses_explosive_patterns),
      cmocka_unit_test(test_regression_ere_repeated_empty_group),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
