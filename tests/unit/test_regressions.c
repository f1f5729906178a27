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

#include "ere_guard.h"
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
 * must refuse it by position before compiling anything. */
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
  assert_non_null(strstr(err.msg, "repetition operators in a row"));
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
  assert_non_null(strstr(err.msg, "repetition operators in a row"));
  al_ruleset_free(rs);
}

/* Patterns people write: accepted, and regcomp agrees they compile. */
static void test_ere_guard_accepts_ordinary_patterns(void **state)
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
    const char *why = al_ere_guard_problem(ok[i]);
    if (why)
      fail_msg("'%s' refused: %s", ok[i], why);
    regex_t re;
    assert_int_equal(regcomp(&re, ok[i], REG_EXTENDED | REG_NOSUB), 0);
    regfree(&re);
  }
}

/* Patterns glibc compiles or matches in exponential time or memory. */
static void test_ere_guard_refuses_explosive_patterns(void **state)
{
  (void)state;
  static const struct {
    const char *pattern;
    const char *says;
  } bad[] = {
      {"(a*)\\1c", "backreferences"},
      {"x[[:alpha:]](b)\\2", "backreferences"},
      {"a++", "in a row"},
      {"a*?", "in a row"},
      {"a{2}{3}", "in a row"},
      {"(x){0,255}+", "in a row"},
      {"(x{0,255}){0,255}", "expand too far"},
      {"((a{1,100}){1,100}){3}", "expand too far"},
      {"x{0,29000}", "expand too far"},
      {"(.*){1,9000}", "expand too far"},
      {"(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
       "a))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
       "nested too deep"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *why = al_ere_guard_problem(bad[i].pattern);
    if (!why || !strstr(why, bad[i].says))
      fail_msg("'%s': got '%s', wanted '%s'", bad[i].pattern,
               why ? why : "(accepted)", bad[i].says);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_regression_stacked_plus_in_spec_pattern),
      cmocka_unit_test(test_regression_stacked_repetition_in_rule_pattern),
      cmocka_unit_test(test_ere_guard_accepts_ordinary_patterns),
      cmocka_unit_test(test_ere_guard_refuses_explosive_patterns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
