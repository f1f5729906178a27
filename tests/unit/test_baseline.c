/* test_baseline.c - reading baseline files (every error with file:line:col
 * and what was expected), expiry judged against a given day, and applying
 * a baseline to findings: suppressed with the entry's reason, expired
 * entries marking instead of suppressing, unmatched entries counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "baseline.h"
#include "finding.h"

static struct al_baseline *parse_ok(const char *text, const char *today)
{
  struct al_baseline *b = NULL;
  struct al_err err = {0};
  enum al_code rc =
      al_baseline_parse(text, strlen(text), "b.yaml", today, &b, &err);
  if (rc != AL_OK)
    fail_msg("%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
  assert_non_null(b);
  return b;
}

/* Parsing 'text' fails at line:col with a message containing 'want'. */
static void parse_fails(const char *text, int line, int col, const char *want)
{
  struct al_baseline *b = NULL;
  struct al_err err = {0};
  assert_int_equal(
      al_baseline_parse(text, strlen(text), "b.yaml", "2026-06-15", &b, &err),
      AL_E_SPEC);
  assert_null(b);
  assert_string_equal(err.file, "b.yaml");
  if (err.line != line || err.col != col || !strstr(err.msg, want))
    fail_msg("got %d:%d: %s; want %d:%d: ...%s...", err.line, err.col, err.msg,
             line, col, want);
}

static const char *const good = "version: 1\n"
                                "findings:\n"
                                "  - fingerprint: \"0123456789abcdef\"\n"
                                "    rule: server-error\n"
                                "    method: GET\n"
                                "    path: \"/users/${ID}\"\n"
                                "    reason: \"known, API-1\"\n"
                                "    expires: 2026-06-15\n"
                                "  - fingerprint: \"fedcba9876543210\"\n"
                                "    probe: head\n"
                                "    reason: ~\n"
                                "    expires: 2026-06-14\n"
                                "  - {fingerprint: \"00000000000000ff\"}\n";

static void test_baseline_parse_reads_entries_and_judges_expiry(void **state)
{
  (void)state;
  struct al_baseline *b = parse_ok(good, "2026-06-15");
  assert_int_equal(b->count, 3);
  const struct al_baseline_entry *e = &b->entries[0];
  assert_string_equal(e->fingerprint, "0123456789abcdef");
  assert_string_equal(e->rule, "server-error");
  assert_string_equal(e->path, "/users/${ID}");
  assert_string_equal(e->reason, "known, API-1");
  assert_int_equal(e->line, 3);
  /* Suppresses through its last day, not after. */
  assert_false(e->expired);
  assert_true(b->entries[1].expired);
  assert_null(b->entries[1].reason);
  assert_string_equal(b->entries[1].probe, "head");
  assert_string_equal(b->entries[2].rule, "");
  assert_null(b->entries[2].expires);
  assert_ptr_equal(al_baseline_find(b, "fedcba9876543210"), &b->entries[1]);
  assert_null(al_baseline_find(b, "1111111111111111"));
  al_baseline_free(b);
  b = parse_ok(good, "2026-06-16");
  assert_true(b->entries[0].expired);
  al_baseline_free(b);
  b = parse_ok("version: 1\nfindings: []\n", NULL);
  assert_int_equal(b->count, 0);
  al_baseline_free(b);
}

static void test_baseline_parse_errors_name_line_and_column(void **state)
{
  (void)state;
  parse_fails("findings: []\n", 1, 1, "missing required key 'version'");
  parse_fails("version: 2\nfindings: []\n", 1, 10, "'version' must be 1");
  parse_fails("version: 1\n", 1, 1, "missing required key 'findings'");
  parse_fails("version: 1\nfindings: {a: 1}\n", 2, 11, "'findings' must be");
  parse_fails("version: 1\nfinding: []\n", 2, 1,
              "unknown key 'finding' (did you mean 'findings'?)");
  parse_fails("version: 1\nfindings:\n  - rule: x\n", 3, 5,
              "missing required key 'fingerprint'");
  parse_fails("version: 1\nfindings:\n  - fingerprint: ABCDEF0123456789\n", 3,
              18, "16 lower-case hex digits");
  parse_fails("version: 1\nfindings:\n  - {fingerprint: \"0123456789abcdef\","
              " expires: 2027-02-29}\n",
              3, 48, "'expires' must be a date");
  parse_fails("version: 1\nfindings:\n"
              "  - {fingerprint: \"0123456789abcdef\"}\n"
              "  - {fingerprint: \"0123456789abcdef\"}\n",
              4, 5, "already listed at line 3");
  parse_fails("version: 1\nfindings:\n  - {fingerprint: \"0123456789abcdef\","
              " reason: [a]}\n",
              3, 47, "'reason' must be a string");
  parse_fails("version: 1\nfindings: [\n", 3, 1, "expected");
}

static void test_baseline_dates(void **state)
{
  (void)state;
  assert_true(al_baseline_date_valid("2024-02-29"));
  assert_true(al_baseline_date_valid("2000-02-29"));
  assert_false(al_baseline_date_valid("1900-02-29"));
  assert_false(al_baseline_date_valid("2026-13-01"));
  assert_false(al_baseline_date_valid("2026-04-31"));
  assert_false(al_baseline_date_valid("2026-4-1"));
  assert_false(al_baseline_date_valid("2026-04-01T00"));
  char today[11];
  al_baseline_today(today);
  assert_true(al_baseline_date_valid(today));
}

/* A finding of 'rule' with fingerprint 'fp' added to 'er'. */
static struct al_finding *add_finding(struct al_endpoint_result *er,
                                      const char *rule, const char *fp)
{
  struct al_rule_result *rr = al_rule_results_add(
      &er->results, &er->result_count, rule, AL_OUTCOME_PASS);
  assert_non_null(rr);
  assert_int_equal(
      al_rule_result_add_finding(rr, AL_SEV_ERROR, "m", "e", "MUST", ""),
      AL_OK);
  snprintf(rr->findings[0].fingerprint, sizeof rr->findings[0].fingerprint,
           "%s", fp);
  return &rr->findings[0];
}

static void test_baseline_apply_marks_findings(void **state)
{
  (void)state;
  struct al_baseline *b = parse_ok(good, "2026-06-15");
  struct al_endpoint_result er;
  al_endpoint_result_init(&er);
  add_finding(&er, "server-error", "0123456789abcdef");
  add_finding(&er, "head-differs-from-get", "fedcba9876543210");
  add_finding(&er, "server-error-leak", "1111111111111111");
  assert_int_equal(al_baseline_apply(b, &er), AL_OK);
  const struct al_finding *f = er.results[0].findings;
  assert_true(f->suppressed);
  assert_string_equal(f->baseline_reason, "known, API-1");
  assert_null(f->baseline_expired);
  f = er.results[1].findings;
  assert_false(f->suppressed);
  assert_string_equal(f->baseline_expired, "2026-06-14");
  f = er.results[2].findings;
  assert_false(f->suppressed);
  assert_null(f->baseline_expired);
  assert_int_equal(b->suppressed, 1);
  assert_int_equal(b->expired_hits, 1);
  assert_int_equal(b->entries[0].matched, 1);
  assert_int_equal(al_baseline_unmatched(b), 1);
  assert_int_equal(al_baseline_apply(NULL, &er), AL_OK);
  al_endpoint_result_cleanup(&er);
  al_baseline_free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_baseline_parse_reads_entries_and_judges_expiry),
      cmocka_unit_test(test_baseline_parse_errors_name_line_and_column),
      cmocka_unit_test(test_baseline_dates),
      cmocka_unit_test(test_baseline_apply_marks_findings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
