/* test_ruleset.c - the rule loader: built-in rules, a user's rule file that
 * adds and overrides by id, every kind of load error with its line and
 * column, and the `apilint rules` / `apilint explain` writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "explain.h"
#include "rule_logic.h"
#include "ruleset.h"

static struct al_ruleset *builtin(void)
{
  struct al_ruleset *rs = NULL;
  struct al_err err = {0};
  assert_int_equal(al_ruleset_new_builtin(&rs, &err), AL_OK);
  assert_non_null(rs);
  return rs;
}

/* Writes 'text' to a new temporary file; returns its path (static). */
static const char *temp_file(const char *text)
{
  static char path[64];
  strcpy(path, "/tmp/apilint-rules-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  assert_int_equal(fputs(text, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
  return path;
}

static const char org_rules[] =
    "# an organisation's own rules\n"
    "version: 1\n"
    "rules:\n"
    "  - id: json-needs-request-id\n"
    "    severity: warning\n"
    "    level: advice\n"
    "    source: internal API guide 4.2\n"
    "    summary: JSON responses carry X-Request-Id\n"
    "    message: \"{status} {method} response without X-Request-Id\"\n"
    "    explain: Every JSON answer names its request for the logs.\n"
    "    when:\n"
    "      headers: {Content-Type: \"^application/(.+\\\\+)?json\"}\n"
    "      not: {status: [204, 304]}\n"
    "    require:\n"
    "      headers: {X-Request-Id: \"^[0-9a-f-]{8,}$\"}\n"
    "    examples:\n"
    "      fires:\n"
    "        - method: POST\n"
    "          response: |\n"
    "            HTTP/1.1 200 OK\n"
    "            Content-Type: application/problem+json\n"
    "          message-contains: 200 POST response without X-Request-Id\n"
    "      passes:\n"
    "        - |\n"
    "          HTTP/1.1 200 OK\n"
    "          Content-Type: application/json\n"
    "          X-Request-Id: 7f3c9a11-0000\n"
    "  - id: created-without-location\n"
    "    severity: error\n"
    "    enabled: false\n"
    "    summary: we insist on Location\n"
    "    message: \"201 without Location\"\n"
    "    when: {status: 201}\n"
    "    require: {headers: {Location: true}}\n";

static void test_user_file_adds_and_overrides_by_id(void **state)
{
  (void)state;
  struct al_ruleset *rs = builtin();
  size_t before = rs->count;
  long loc = al_ruleset_index(rs, "created-without-location");
  assert_true(loc >= 0);
  const char *path = temp_file(org_rules);
  struct al_err err = {0};
  assert_int_equal(al_ruleset_load_file(rs, path, &err), AL_OK);
  assert_int_equal(rs->count, before + 1);
  /* the override keeps its place; the new rule goes last */
  assert_int_equal(al_ruleset_index(rs, "created-without-location"), loc);
  const struct al_rule *over = &rs->rules[loc];
  assert_int_equal(over->severity, AL_SEV_ERROR);
  assert_int_equal(over->enabled, 0);
  assert_string_equal(over->summary, "we insist on Location");
  assert_string_equal(over->origin, path);
  assert_string_equal(over->level, "");
  assert_int_equal(over->line, 28);
  const struct al_rule *mine = &rs->rules[before];
  assert_string_equal(mine->id, "json-needs-request-id");
  assert_string_equal(mine->origin, path);
  assert_int_equal(mine->line, 4);
  assert_int_equal(mine->severity, AL_SEV_WARNING);
  assert_int_equal(mine->enabled, 1);
  assert_string_equal(mine->source, "internal API guide 4.2");
  /* and its examples hold through the engine */
  const struct al_rule_logic *lg = mine->logic;
  assert_int_equal(lg->example_count, 2);
  for (size_t i = 0; i < lg->example_count; i++) {
    int fired = -1;
    char *msg = NULL;
    assert_int_equal(
        al_rule_example_run(rs, before, &lg->examples[i], &fired, &msg, &err),
        AL_OK);
    assert_int_equal(fired, lg->examples[i].fires);
    if (fired)
      assert_string_equal(msg, "200 POST response without X-Request-Id");
    free(msg);
  }
  unlink(path);
  al_ruleset_free(rs);
}

struct load_error {
  const char *text;
  int line, col;
  const char *says;
};

#define RULE_HEAD                                                              \
  "rules:\n"                                                                   \
  "  - id: my-rule\n"                                                          \
  "    severity: warning\n"                                                    \
  "    summary: s\n"                                                           \
  "    message: m\n"

#define PROBE_HEAD                                                             \
  "    probe: head\n"                                                          \
  "    require: {status: 200}\n"                                               \
  "    examples:\n"                                                            \
  "      fires:\n"

static const struct load_error load_errors[] = {
    {RULE_HEAD "    requre: {headers: {ETag: true}}\n", 6, 5,
     "unknown key 'requre' (did you mean 'require'?)"},
    {"rules:\n  - id: my-rule\n    severity: fatal\n", 3, 15,
     "'severity' must be error, warning or info, got 'fatal'"},
    {RULE_HEAD "    require: {headers: {X-A: \"(\"}}\n", 6, 30,
     "invalid regular expression '('"},
    /* Exponential in glibc: a hostile server's long header would hang. */
    {RULE_HEAD "    require: {headers: {X-A: \"(a*)\\\\1c\"}}\n", 6, 30,
     "backreferences (\\1-\\9) are not supported"},
    {RULE_HEAD "    when: {headers: {X-A: \"x[[:alpha:]](b)\\\\2\"}}\n", 6, 27,
     "backreferences (\\1-\\9) are not supported"},
    {RULE_HEAD "    check: error_body\n", 6, 12,
     "unknown check 'error_body' (did you mean 'error-body'?)"},
    {RULE_HEAD "    check: zzz\n", 6, 12, "unknown check 'zzz' (known: "},
    {"rules:\n  - severity: info\n", 2, 5, "rule is missing 'id'"},
    {"rules:\n  - id: My_Rule\n", 2, 9, "must be kebab-case"},
    {RULE_HEAD "    check: error-body\n    require: {body: false}\n", 6, 12,
     "'require:' or 'check:', not both"},
    {RULE_HEAD "    when: {status: 200}\n", 2, 5, "needs 'require:'"},
    {RULE_HEAD "    when: {status: ok}\n    check: error-body\n", 6, 20,
     "'status' must be an integer, a list of integers or a class like "
     "\"2xx\", got \"ok\""},
    {RULE_HEAD "    when: {status: [200, 999]}\n    check: error-body\n", 6, 26,
     "'status' must be between 100 and 599, got 999"},
    {RULE_HEAD "    when: {stauts: 200}\n    check: error-body\n", 6, 12,
     "unknown key 'stauts' (did you mean 'status'?)"},
    {"rules:\n  - id: my-rule\n    severity: info\n    summary: s\n"
     "    message: \"{stats} x\"\n    check: error-body\n",
     5, 14, "unknown placeholder '{stats}'"},
    {"rules:\n  - id: my-rule\n    severity: info\n    summary: s\n"
     "    message: \"a } b\"\n    check: error-body\n",
     5, 14, "a lone '}'"},
    {RULE_HEAD "    check: error-body\n"
               "  - id: my-rule\n    severity: info\n",
     7, 9, "rule 'my-rule' is defined twice in this file (first at line 2)"},
    {"rules:\n  - id: a\n    severity: info\n    summary: s\n    message: m\n"
     "    check: error-body\n    examples:\n      fires:\n"
     "        - \"HTTP/1.1 OK\\n\"\n",
     9, 11, "example response: the first line must be a status line"},
    {"rules:\n  - id: a\n    severity: info\n    summary: s\n    message: m\n"
     "    check: error-body\n    examples:\n      fires:\n"
     "        - {response: \"HTTP/1.1 200 OK\\n\", transport: \"(7) x\"}\n",
     9, 11, "exactly one of 'response' and 'transport'"},
    {"rules:\n  - id: a\n    severity: info\n    summary: s\n    message: m\n"
     "    check: error-body\n    examples:\n      fire: []\n",
     8, 7, "unknown key 'fire' (did you mean 'fires'?)"},
    {RULE_HEAD "    level: should\n    check: error-body\n", 6, 12,
     "'level' must be MUST, MUST NOT, SHOULD, SHOULD NOT, MAY or advice"},
    {RULE_HEAD "    enabled: yes please\n    check: error-body\n", 6, 14,
     "'enabled' must be true or false"},
    {RULE_HEAD "    require: {any: []}\n", 6, 20, "'any' must be a non-empty"},
    {RULE_HEAD "    require: {headers: {Location: ~}}\n", 6, 35,
     "header 'Location' must be true (present), false (absent) or a regular "
     "expression"},
    /* probe: */
    {RULE_HEAD "    probe: optoins\n    require: {status: 200}\n", 6, 12,
     "unknown probe 'optoins' (did you mean 'options'?)"},
    {RULE_HEAD "    probe: al\n    require: {status: 200}\n", 6, 12,
     "unknown probe 'al' (known: method-not-allowed, options, "},
    {RULE_HEAD "    probe: [head, optoins]\n    require: {status: 200}\n", 6,
     19, "unknown probe 'optoins' (did you mean 'options'?)"},
    {RULE_HEAD "    probe: malformed-body/invalid-jsn\n"
               "    require: {status: 200}\n",
     6, 12,
     "probe 'malformed-body' has no step 'invalid-jsn' (did you mean "
     "'invalid-json'?)"},
    {RULE_HEAD "    probe: malformed-body/zzz\n    require: {status: 200}\n", 6,
     12,
     "probe 'malformed-body' has no step 'zzz' (its steps: invalid-json, "
     "wrong-types, missing-fields)"},
    {RULE_HEAD "    probe: []\n    require: {status: 200}\n", 6, 12,
     "'probe' must be a probe name or NAME/STEP, or a non-empty list"},
    {RULE_HEAD "    probe: {head: true}\n    require: {status: 200}\n", 6, 12,
     "'probe' must be a probe name or NAME/STEP, or a non-empty list"},
    {RULE_HEAD "    probe: [[head]]\n    require: {status: 200}\n", 6, 13,
     "'probe' must be a probe name or NAME/STEP (or a list of them), got "},
    {RULE_HEAD "    when: {endpoint-status: 2xxx}\n    check: error-body\n", 6,
     29,
     "'endpoint-status' must be an integer, a list of integers or a class "
     "like \"2xx\", got \"2xxx\""},
    {RULE_HEAD "    when: {endpoint-stauts: 200}\n    check: error-body\n", 6,
     12, "unknown key 'endpoint-stauts' (did you mean 'endpoint-status'?)"},
    {RULE_HEAD "    when: {request-body: maybe}\n    check: error-body\n", 6,
     26, "'request-body' must be true or false"},
    /* probe examples */
    {RULE_HEAD PROBE_HEAD
     "        - {probe: options, response: \"HTTP/1.1 200 OK\\n\"}\n",
     10, 19, "example probe 'options/options' is not one this rule judges"},
    {RULE_HEAD PROBE_HEAD
     "        - {probe: head/hed, response: \"HTTP/1.1 200 OK\\n\"}\n",
     10, 19, "probe 'head' has no step 'hed' (did you mean 'head'?)"},
    {RULE_HEAD "    require: {status: 200}\n    examples:\n      fires:\n"
               "        - {endpoint-response: \"HTTP/1.1 200 OK\\n\", "
               "response: \"HTTP/1.1 200 OK\\n\"}\n",
     9, 11,
     "an example with 'endpoint-response', 'endpoint-method' or "
     "'peers' needs 'probe:'"},
    {RULE_HEAD PROBE_HEAD "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                          "          expect: {status: 200}\n",
     11, 19, "a probe example cannot have it"},
    {RULE_HEAD PROBE_HEAD "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                          "          endpoint-response: \"HTTP/1.1 OK\\n\"\n",
     11, 30, "endpoint-response: the first line must be a status line"},
    {RULE_HEAD PROBE_HEAD "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                          "          endpoint-method: \"GE T\"\n",
     11, 28, "endpoint-method 'GE T' is not a method name"},
    {RULE_HEAD PROBE_HEAD "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                          "          peers: [{method: PUT}]\n",
     11, 19, "a peer needs 'response:'"},
    {RULE_HEAD PROBE_HEAD "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                          "          peers: [{methd: PUT, response: x}]\n",
     11, 20, "unknown key 'methd' (did you mean 'method'?)"},
    {RULE_HEAD PROBE_HEAD "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                          "          peers: [{response: \"HTTP/1.1 2 OK\"}]\n",
     11, 30, "peer response: the first line must be a status line"},
    {RULE_HEAD PROBE_HEAD "        - response: \"HTTP/1.1 200 OK\\n\"\n"
                          "          peers: {method: PUT}\n",
     11, 18, "'peers' must be a list of answers"},
    /* an example's `expect:` is read by the spec's own loader (expect.c):
     * header names are tokens, each given once in any case */
    {RULE_HEAD "    check: error-body\n    examples:\n      fires:\n"
               "        - response: \"HTTP/1.1 200 OK\\n\"\n"
               "          expect: {headers: {ETag: true, etag: false}}\n",
     10, 42, "header 'etag' given twice (first at 10:30)"},
    {RULE_HEAD "    check: error-body\n    examples:\n      fires:\n"
               "        - response: \"HTTP/1.1 200 OK\\n\"\n"
               "          expect: {headers: {\"Bad Name\": true}}\n",
     10, 30, "'Bad Name' is not a valid header name"},
    {RULE_HEAD "    check: error-body\n    examples:\n      fires:\n"
               "        - response: \"HTTP/1.1 200 OK\\n\"\n"
               "          expect: {headers: {ETag: \"(\"}}\n",
     10, 36, "bad regular expression for header 'ETag'"},
    {"version: 2\nrules: []\n", 1, 10, "'version' must be 1"},
    {"rule:\n  - id: x\n", 1, 1, "unknown key 'rule' (did you mean 'rules'?)"},
    {"- id: x\n", 1, 1, "must be a mapping with 'rules:'"},
    {"rules:\n  - id: x\n   severity: [\n", 3, 0, ""},
};

static void test_each_load_error_names_line_and_col(void **state)
{
  (void)state;
  int bad = 0;
  for (size_t i = 0; i < sizeof load_errors / sizeof load_errors[0]; i++) {
    const struct load_error *le = &load_errors[i];
    struct al_ruleset *rs = builtin();
    size_t before = rs->count;
    struct al_err err = {0};
    enum al_code rc =
        al_ruleset_parse(rs, le->text, strlen(le->text), "org.yaml", &err);
    int ok = rc == AL_E_RULES && strcmp(err.file, "org.yaml") == 0 &&
             err.line == le->line && (le->col == 0 || err.col == le->col) &&
             strstr(err.msg, le->says) != NULL && rs->count == before;
    if (!ok) {
      print_error("case %zu: rc %d, got %s:%d:%d: %s\n  wanted line %d col %d "
                  "'%s'\n",
                  i, (int)rc, err.file, err.line, err.col, err.msg, le->line,
                  le->col, le->says);
      bad++;
    }
    al_ruleset_free(rs);
  }
  assert_int_equal(bad, 0);
}

static void test_failed_load_leaves_ruleset_unchanged(void **state)
{
  (void)state;
  struct al_ruleset *rs = builtin();
  long loc = al_ruleset_index(rs, "created-without-location");
  /* the first rule is fine and overrides; the second is broken */
  static const char text[] = "rules:\n"
                             "  - id: created-without-location\n"
                             "    severity: info\n"
                             "    summary: s\n"
                             "    message: m\n"
                             "    check: error-body\n"
                             "  - id: broken\n";
  struct al_err err = {0};
  assert_int_equal(al_ruleset_parse(rs, text, strlen(text), "x.yaml", &err),
                   AL_E_RULES);
  assert_int_equal(rs->rules[loc].severity, AL_SEV_WARNING);
  assert_string_equal(rs->rules[loc].origin, "built-in");
  al_ruleset_free(rs);
}

static void test_missing_file_is_an_io_error(void **state)
{
  (void)state;
  struct al_ruleset *rs = builtin();
  struct al_err err = {0};
  assert_int_equal(
      al_ruleset_load_file(rs, "/nonexistent/apilint/rules.yaml", &err),
      AL_E_IO);
  assert_string_equal(err.file, "/nonexistent/apilint/rules.yaml");
  assert_non_null(strstr(err.msg, "No such file"));
  al_ruleset_free(rs);
}

static void test_find_index_and_suggest(void **state)
{
  (void)state;
  struct al_ruleset *rs = builtin();
  assert_non_null(al_ruleset_find(rs, "server-error-leak"));
  assert_null(al_ruleset_find(rs, "server-leak"));
  assert_int_equal(al_ruleset_index(rs, "nope"), -1);
  assert_string_equal(al_ruleset_suggest(rs, "server-eror-leak"),
                      "server-error-leak");
  assert_string_equal(al_ruleset_suggest(rs, "expectations"), "expectation");
  assert_null(al_ruleset_suggest(rs, "totally-unrelated-words"));
  al_ruleset_free(rs);
}

/* Captures what a writer prints. */
static char *capture(int explain, const struct al_ruleset *rs,
                     const struct al_rule *rule)
{
  /* A tmpfile read back, not open_memstream(): gcc 12 at -O2/-O3 inlines
   * this and takes the stream's pointer to the local 'text' for a pointer
   * into it (-Werror=dangling-pointer false positive in Release builds). */
  FILE *f = tmpfile();
  assert_non_null(f);
  if (explain)
    assert_int_equal(al_explain_write_rule(f, rule), AL_OK);
  else
    assert_int_equal(al_explain_write_rules(f, rs), AL_OK);
  long len = ftell(f);
  assert_true(len >= 0);
  rewind(f);
  char *text = malloc((size_t)len + 1);
  assert_non_null(text);
  assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
  text[len] = '\0';
  assert_int_equal(fclose(f), 0);
  return text;
}

static void test_list_has_one_aligned_line_per_rule(void **state)
{
  (void)state;
  struct al_ruleset *rs = builtin();
  rs->rules[al_ruleset_index(rs, "retry-after-missing")].enabled = 0;
  char *text = capture(0, rs, NULL);
  size_t lines = 0;
  size_t sev_col = strstr(text, "SEVERITY") ? strcspn(text, "S") : 0;
  assert_true(sev_col > 0);
  assert_memory_equal(text + sev_col, "SEVERITY", 8);
  for (char *line = text; *line;) {
    char *nl = strchr(line, '\n');
    assert_non_null(nl);
    if (lines > 0) {
      /* the severity column starts at the same place on every line */
      const struct al_rule *r = &rs->rules[lines - 1];
      assert_int_equal(strncmp(line, r->id, strlen(r->id)), 0);
      const char *sev = al_severity_name(r->severity);
      assert_int_equal(strncmp(line + sev_col, sev, strlen(sev)), 0);
      assert_non_null(strstr(line, r->summary));
      assert_non_null(strstr(line, r->enabled ? "  on  " : "  off  "));
    }
    lines++;
    line = nl + 1;
  }
  assert_int_equal(lines, rs->count + 1);
  free(text);
  al_ruleset_free(rs);
}

static void test_explain_shows_everything_and_the_examples(void **state)
{
  (void)state;
  struct al_ruleset *rs = builtin();
  const struct al_rule *r = al_ruleset_find(rs, "no-content-with-body");
  char *text = capture(1, rs, r);
  static const char *const parts[] = {
      "no-content-with-body\n",
      "severity: error (on by default)",
      "level:    MUST",
      "source:   RFC 9110 \xc2\xa7"
      "15.3.5",
      "stay on the connection and are read as the start of the NEXT",
      "summary:  204 No Content that carries a body",
      "RFC 9112 \xc2\xa7"
      "6.1",
      "Fires on:",
      "    | HTTP/1.1 204 No Content\n    | Content-Length: 17\n    |\n",
      "=> error: 204 No Content carries content: 17 bytes sent after the "
      "head, Content-Length: 17 [no-content-with-body]",
      "Passes on:",
      "request: DELETE",
  };
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    if (!strstr(text, parts[i]))
      print_error("explain lacks '%s':\n%s\n", parts[i], text);
    assert_non_null(strstr(text, parts[i]));
  }
  free(text);
  al_ruleset_free(rs);
}

/* A probe rule says whose answers it judges, in the list and in explain,
 * and its examples show the endpoint's answer and the other answers. */
static void test_list_and_explain_show_the_probe(void **state)
{
  (void)state;
  struct al_ruleset *rs = builtin();
  char *text = capture(0, rs, NULL);
  const char *line = strstr(text, "\nallow-inconsistent ");
  assert_non_null(line);
  const char *end = strchr(line + 1, '\n');
  assert_non_null(end);
  const char *tag = strstr(line, " [probe: options]\n");
  assert_true(tag != NULL && tag < end + 1);
  assert_non_null(strstr(text, " [probe: malformed-body/invalid-json, "
                               "malformed-body/wrong-types]\n"));
  /* a rule without `probe:` has no tag */
  line = strstr(text, "\nserver-error-leak ");
  assert_non_null(line);
  end = strchr(line + 1, '\n');
  assert_true(strstr(line, "[probe:") > end);
  free(text);

  text = capture(1, rs, al_ruleset_find(rs, "allow-inconsistent"));
  static const char *const parts[] = {
      "  probe:    options (judges only this probe's answers)\n",
      "  check:    allow-consistency\n",
      "Fires on:",
      "    endpoint's own GET answered:\n    | HTTP/1.1 200 OK\n",
      "    another probe's PATCH answered:\n    | HTTP/1.1 200 OK\n",
      "    probe options/options sent OPTIONS, answer:\n"
      "    | HTTP/1.1 204 No Content\n    | Allow: GET, HEAD, OPTIONS\n",
      "    => warning: the OPTIONS answer's Allow disagrees with the "
      "endpoint's answers: Allow: GET, HEAD, OPTIONS does not list PATCH, but "
      "PATCH got 200 [allow-inconsistent]\n",
      "Passes on:",
  };
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    if (!strstr(text, parts[i]))
      print_error("explain lacks '%s':\n%s\n", parts[i], text);
    assert_non_null(strstr(text, parts[i]));
  }
  free(text);

  /* request headers of a probe example, and an endpoint that got none */
  text = capture(1, rs, al_ruleset_find(rs, "conditional-ignored"));
  assert_non_null(strstr(text, "    probe conditional/if-modified-since sent "
                               "GET with If-Modified-Since: Sun, 22 Nov 2026 "
                               "03:00:00 GMT, answer:\n"));
  assert_non_null(strstr(text, "    (the endpoint's own GET got no answer)\n"));
  free(text);
  al_ruleset_free(rs);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_user_file_adds_and_overrides_by_id),
      cmocka_unit_test(test_each_load_error_names_line_and_col),
      cmocka_unit_test(test_failed_load_leaves_ruleset_unchanged),
      cmocka_unit_test(test_missing_file_is_an_io_error),
      cmocka_unit_test(test_find_index_and_suggest),
      cmocka_unit_test(test_list_has_one_aligned_line_per_rule),
      cmocka_unit_test(test_explain_shows_everything_and_the_examples),
      cmocka_unit_test(test_list_and_explain_show_the_probe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
