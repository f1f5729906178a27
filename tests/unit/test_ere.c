/* test_ere.c - the bounded-cost ERE matcher (src/ere.h): it agrees with
 * glibc's regexec on the syntax it accepts, refuses what it does not
 * support with a reason, refuses patterns whose program would be too big
 * before expanding them, and matches in time linear in the input for the
 * shapes that make backtracking matchers explode. */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ere.h"

static int glibc_match(const char *pattern, const char *text)
{
  regex_t re;
  if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
    return -2;
  int m = regexec(&re, text, 0, NULL, 0) == 0;
  regfree(&re);
  return m;
}

static int our_match(const char *pattern, const char *text)
{
  char why[256];
  struct al_ere *re = al_ere_compile(pattern, why, sizeof why);
  if (!re) {
    fail_msg("'%s' refused: %s", pattern, why);
    return -2;
  }
  int m = al_ere_match(re, text, strlen(text));
  al_ere_free(re);
  return m;
}

/* Every pair of patterns[] x subjects[] (NULL-ended) matches exactly when
 * glibc says so. */
static void assert_agrees_with_glibc(const char *const *patterns,
                                     const char *const *subjects)
{
  for (size_t p = 0; patterns[p]; p++) {
    for (size_t s = 0; subjects[s]; s++) {
      int want = glibc_match(patterns[p], subjects[s]);
      assert_true(want >= 0);
      int got = our_match(patterns[p], subjects[s]);
      if (got != want)
        fail_msg("/%s/ on '%s': glibc %d, al_ere %d", patterns[p], subjects[s],
                 want, got);
    }
  }
}

/* Every pair (pattern, subject) matches exactly when glibc says so. */
static void test_ere_agrees_with_glibc(void **state)
{
  (void)state;
  static const char *const patterns[] = {
      "",
      "a",
      "^a",
      "a$",
      "^abc$",
      "^$",
      "a|b",
      "^(a|b)$",
      "ab*c",
      "ab+c",
      "ab?c",
      "^a{2}$",
      "^a{2,}$",
      "^a{1,3}$",
      "^a{0,0}b$",
      "^(ab){1,2}$",
      "^[0-9]+$",
      "^[^0-9]+$",
      "^[a-cx-z]+$",
      "^[]a]+$",
      "^[^]a]+$",
      "^[a-]+$",
      "^[-a]+$",
      "^[[:digit:][:upper:]]+$",
      "^[[:alpha:]_][[:alnum:]_]*$",
      "[[:space:]]",
      "[[:punct:]]",
      "^[[:xdigit:]]{4}$",
      "\\.",
      "^a\\.b$",
      "\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\",
      "^/users/[0-9]+$",
      "^application/(problem\\+)?json(;.*)?$",
      "^(a*)*$",
      "^(a|)+b$",
      "(|a)b",
      "^(a?){3}a{3}$",
      "^((a?a?a?a?){1,3}){1,3}$",
      "x.y",
      "^.*$",
      "^(GET|HEAD|POST)(, (GET|HEAD|POST))*$",
      "}",
      "]",
      "a^b",
      "a$b",
      "(^a|b$)",
      "^W/\"[^\"]*\"$",
      NULL};
  static const char *const subjects[] = {"",
                                         "a",
                                         "b",
                                         "ab",
                                         "abc",
                                         "ac",
                                         "abbc",
                                         "aa",
                                         "aaa",
                                         "aaaa",
                                         "abab",
                                         "b",
                                         "ba",
                                         "aab",
                                         "123",
                                         "abc123",
                                         "x-y_z",
                                         "]a]",
                                         "a-a",
                                         "9AF",
                                         "_id9",
                                         "a b",
                                         "a.b",
                                         "a+b",
                                         "*+?()[]{}|^$\\",
                                         "/users/42",
                                         "/users/x",
                                         "application/json",
                                         "application/problem+json; q=1",
                                         "text/html",
                                         "xzy",
                                         "GET, HEAD",
                                         "GET, PUT",
                                         "}",
                                         "W/\"abc\"",
                                         "beef",
                                         NULL};
  assert_agrees_with_glibc(patterns, subjects);
}

/* What is refused, and that the reason says why. */
static void test_ere_refuses_with_reasons(void **state)
{
  (void)state;
  static const struct {
    const char *pattern;
    const char *why;
  } bad[] = {
      {"(a)\\1", "backreferences"},
      {"\\d+", "[0-9]"},
      {"\\w", "[[:alnum:]_]"},
      {"\\s", "[[:space:]]"},
      {"\\bx", "not POSIX ERE"},
      {"a**", "right after another"},
      {"a+?", "right after another"},
      {"a{2}{3}", "right after another"},
      {"*a", "nothing to repeat"},
      {"a|*", "nothing to repeat"},
      {"(*a)", "nothing to repeat"},
      {"^*", "anchor"},
      {"(ab", "unmatched '('"},
      {"ab)", "unmatched ')'"},
      {"[ab", "unmatched '['"},
      {"[[:word:]]", "unknown character class"},
      {"[[=a=]]", "equivalence classes"},
      {"[z-a]", "out of order"},
      {"a{", "bound"},
      {"a{x}", "bound"},
      {"a{2,1}", "below n"},
      {"a{256}", "255"},
      {"a\\", "trailing backslash"},
      {"((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
       "(a)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
       "nested too deeply"},
      {"^((a?a?a?a?){1,25}){1,25}$", "too costly"},
      {"(a{255}){255}", "too costly"},
      {"((a{1,255}){1,255}){1,255}", "too costly"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char why[256] = "";
    struct al_ere *re = al_ere_compile(bad[i].pattern, why, sizeof why);
    if (re) {
      al_ere_free(re);
      fail_msg("'%s' was accepted", bad[i].pattern);
    }
    if (!strstr(why, bad[i].why))
      fail_msg("'%s': reason '%s' does not say '%s'", bad[i].pattern, why,
               bad[i].why);
  }
  char *long_pattern = malloc(AL_ERE_MAX_LENGTH + 2);
  assert_non_null(long_pattern);
  memset(long_pattern, 'a', AL_ERE_MAX_LENGTH + 1);
  long_pattern[AL_ERE_MAX_LENGTH + 1] = '\0';
  char why[256];
  assert_null(al_ere_compile(long_pattern, why, sizeof why));
  assert_non_null(strstr(why, "longer than"));
  free(long_pattern);
}

static double seconds_since(const struct timespec *t0)
{
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) +
         (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The classic shapes that make backtracking explode, on long inputs, stay
 * within program size x input length. Generous time bounds (loaded
 * machines, sanitizers): the point is "not exponential". */
static void test_ere_cost_is_bounded(void **state)
{
  (void)state;
  static const char *const shapes[] = {
      "^(a?){250}a{250}$", "^((a?){250}a{250}){2}$",
      "^(a|a)*b$",         "^(a*)*b$",
      "^(a|aa)+$x",        "^((a?a?a?a?){1,5}){1,5}b$",
      "(.*){1,100}y",      "^(a+)+$"};
  size_t len = 8192;
  char *text = malloc(len + 1);
  assert_non_null(text);
  memset(text, 'a', len);
  text[len] = '\0';
  for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
    char why[256];
    struct al_ere *re = al_ere_compile(shapes[i], why, sizeof why);
    if (!re)
      fail_msg("'%s' refused: %s", shapes[i], why);
    assert_true(al_ere_program_size(re) <= AL_ERE_MAX_PROGRAM + 1);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int m = al_ere_match(re, text, len);
    double took = seconds_since(&t0);
    assert_true(m == 0 || m == 1);
    if (took > 5.0)
      fail_msg("'%s' on %zu bytes took %.2f s", shapes[i], len, took);
    al_ere_free(re);
  }
  /* The issue's pattern is refused before anything is expanded. */
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  char why[256];
  assert_null(al_ere_compile("^((a?a?a?a?){1,25}){1,25}$", why, sizeof why));
  assert_true(seconds_since(&t0) < 1.0);
  free(text);
}

/* The matcher starts a thread only where the next byte can begin a match
 * (ere.c find_first), and keeps small programs' thread lists on the stack:
 * patterns whose first bytes come through anchors, empty alternatives,
 * optional or starred prefixes, classes, and programs past the stack size
 * still match exactly as glibc does. */
static void test_ere_start_skip_agrees_with_glibc(void **state)
{
  (void)state;
  static const char *const patterns[] = {
      "b",
      "^b",
      "$",
      "b$",
      "(^|x)a",
      "(x|$)",
      "a*b",
      "(a|)c",
      "[0-9]x",
      "[^a]b",
      "(ab|cd)e",
      "x?y?z",
      "(^b|c$)",
      "^$|q",
      ".b",
      "[A-Za-z][A-Za-z0-9._+-]*/([0-9]+|v[0-9]+\\.[0-9]+)(\\.[0-9A-Za-z+-]+)*"
      "($|[ ;,(])|[A-Za-z0-9)] v?[0-9]+\\.[0-9x]|[A-Za-z]\\(v?[0-9]+\\.[0-9]",
      "(ab){1,80}c",  /* a program larger than the stack lists */
      "^(ab){1,80}$", /* the same, anchored */
      NULL};
  static const char *const subjects[] = {"",
                                         "b",
                                         "ab",
                                         "ba",
                                         "xa",
                                         "a",
                                         "aaab",
                                         "zzzz",
                                         "c",
                                         "ac",
                                         "9x",
                                         "ab",
                                         "abe",
                                         "zcde",
                                         "z",
                                         "..q",
                                         "nginx/1.22.1",
                                         "ECS (nyb/1D13)",
                                         "Gateway/v2",
                                         "Express 4.x",
                                         "Jetty(9.4.44)",
                                         "ababababc",
                                         "abababab",
                                         "xxabababababx",
                                         NULL};
  assert_agrees_with_glibc(patterns, subjects);
}

/* Bytes, not strings: a NUL inside the value is a byte like any other, and
 * high bytes match ranges by value. */
static void test_ere_matches_bytes(void **state)
{
  (void)state;
  char why[256];
  struct al_ere *re = al_ere_compile("^a.b$", why, sizeof why);
  assert_non_null(re);
  assert_int_equal(al_ere_match(re, "a\0b", 3), 1);
  assert_int_equal(al_ere_match(re, "a\0bc", 4), 0);
  al_ere_free(re);
  re = al_ere_compile("[\x80-\xff]", why, sizeof why);
  assert_non_null(re);
  assert_int_equal(al_ere_match(re, "caf\xc3\xa9", 5), 1);
  assert_int_equal(al_ere_match(re, "cafe", 4), 0);
  al_ere_free(re);
}

/* Answers remembered per thread (ere.c's memo) never answer for another
 * regex: more regexes alive than memo slots, each asked about the same
 * texts again and again, interleaved, and a regex freed and another
 * compiled (likely at the same address) before asking again. */
static void test_ere_memo_never_answers_for_another_regex(void **state)
{
  (void)state;
  static const char *const patterns[] = {
      "^a", "b$",  "[0-9]+", "nginx/[0-9]", "^$",     "x|y", "(ab)+c",
      "z",  "^.$", "a.*b",   "[^a]",        "^[A-Z]", "q",   NULL};
  static const char *const texts[] = {
      "a", "ab", "abc", "nginx/1.22.1", "", "Z", "xyz", "ababc", "9", NULL};
  char why[256];
  struct al_ere *res[16];
  size_t n = 0;
  for (; patterns[n]; n++)
    assert_non_null(res[n] = al_ere_compile(patterns[n], why, sizeof why));
  for (int round = 0; round < 3; round++)
    for (size_t t = 0; texts[t]; t++)
      for (size_t p = 0; p < n; p++) {
        size_t q =
            (p * 5 + (size_t)round) % n; /* a different order each round */
        int want = glibc_match(patterns[q], texts[t]);
        int got = al_ere_match(res[q], texts[t], strlen(texts[t]));
        if (got != want)
          fail_msg("/%s/ on '%s' (round %d): glibc %d, al_ere %d", patterns[q],
                   texts[t], round, want, got);
      }
  for (size_t p = 0; p < n; p++)
    al_ere_free(res[p]);
  for (int i = 0; i < 20; i++) {
    struct al_ere *re = al_ere_compile(i % 2 ? "^b" : "^a", why, sizeof why);
    assert_non_null(re);
    assert_int_equal(al_ere_match(re, "a", 1), i % 2 ? 0 : 1);
    al_ere_free(re);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ere_agrees_with_glibc),
      cmocka_unit_test(test_ere_refuses_with_reasons),
      cmocka_unit_test(test_ere_cost_is_bounded),
      cmocka_unit_test(test_ere_matches_bytes),
      cmocka_unit_test(test_ere_start_skip_agrees_with_glibc),
      cmocka_unit_test(test_ere_memo_never_answers_for_another_regex),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
