/* test_checks.c - the named C checks, table-driven: what must fire and,
 * above all, what must not (an empty "errors" list, a null "error", free
 * text, a generic 500 page, a 4xx with a stack trace). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "rule_logic.h"
#include "ruleset.h"

struct check_case {
  const char *raw;      /* the response; "\n" line ends */
  int fires;            /* 1: exactly one hit expected */
  const char *contains; /* text the hit's detail must contain, or NULL */
};

/* Runs check 'name' on 'raw' (a GET) and returns the hits. */
static void run_check(const char *name, const char *raw,
                      struct al_check_hits *hits)
{
  const struct al_check_def *def = al_check_find(name);
  assert_non_null(def);
  void *st = NULL;
  struct al_err err = {0};
  if (def->init)
    assert_int_equal(def->init(&st, &err), AL_OK);
  struct al_response res;
  al_response_init(&res);
  assert_int_equal(al_response_parse_raw(raw, strlen(raw), "GET", &res, &err),
                   AL_OK);
  struct al_check_input in = {NULL, &res, NULL, NULL};
  assert_int_equal(def->eval(st, &in, hits), AL_OK);
  al_response_cleanup(&res);
  if (def->free_state)
    def->free_state(st);
}

static void run_table(const char *name, const struct check_case *cases,
                      size_t n)
{
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    struct al_check_hits hits = {0};
    run_check(name, cases[i].raw, &hits);
    const char *detail = hits.count ? hits.items[0].detail : "";
    if ((hits.count > 0) != (cases[i].fires != 0) || hits.count > 1) {
      print_error("%s case %zu: expected %s, got %zu hit(s) '%s'\n", name, i,
                  cases[i].fires ? "a hit" : "no hit", hits.count, detail);
      bad++;
    } else if (cases[i].contains && !strstr(detail, cases[i].contains)) {
      print_error("%s case %zu: detail '%s' lacks '%s'\n", name, i, detail,
                  cases[i].contains);
      bad++;
    }
    for (size_t h = 0; h < hits.count; h++) {
      /* Evidence is short and on one line. */
      const char *ev = hits.items[h].evidence;
      if (strlen(ev) > 200 || strchr(ev, '\n')) {
        print_error("%s case %zu: evidence too long or multi-line: %s\n", name,
                    i, ev);
        bad++;
      }
    }
    al_check_hits_cleanup(&hits);
  }
  assert_int_equal(bad, 0);
}

#define OK_JSON "HTTP/1.1 200 OK\nContent-Type: application/json\n\n"

static void test_error_body_fires_on_failure_members(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      {OK_JSON "{\"success\": false}", 1, "\"success\": false"},
      {OK_JSON "{\"result\" : false,\n \"status\" : 400}", 1,
       "\"result\": false, \"status\": 400"},
      {OK_JSON "{\"ok\": false}", 1, "\"ok\": false"},
      {OK_JSON "{\"error\": \"user not found\"}", 1,
       "\"error\": \"user not found\""},
      {OK_JSON "{\"errors\": [{\"field\": \"name\"}]}", 1,
       "\"errors\": [{\"field\":\"name\"}]"},
      {OK_JSON "{\"errors\": {\"name\": \"required\"}}", 1, "\"errors\""},
      {OK_JSON "{\"error\": true}", 1, "\"error\": true"},
      {OK_JSON "{\"status\": 500}", 1, "\"status\": 500"},
      {OK_JSON "{\"code\": 404, \"data\": null}", 1, "\"code\": 404"},
      {OK_JSON "{\"statusCode\": 422}", 1, "\"statusCode\": 422"},
      {"HTTP/1.1 200 OK\nContent-Type: application/problem+json\n\n"
       "{\"type\": \"about:blank\", \"title\": \"Forbidden\", \"status\": 403}",
       1, "\"status\": 403"},
      {OK_JSON "  \n {\"Success\": false}", 1, "\"Success\": false"},
      /* Labelled text, but it is a JSON object: the member still speaks. */
      {"HTTP/1.1 200 OK\nContent-Type: text/plain\n\n{\"success\": false}", 1,
       "\"success\": false"},
      {OK_JSON "{\"error\": \"x\", \"errors\": [1], \"ok\": false, "
               "\"status\": 500}",
       1, ", ..."},
  };
  run_table("error-body", cases, sizeof cases / sizeof cases[0]);
}

static void test_error_body_stays_quiet_on_success_shapes(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      {OK_JSON "{\"errors\": []}", 0, NULL},
      {OK_JSON "{\"items\": [1, 2], \"errors\": {}}", 0, NULL},
      {OK_JSON "{\"error\": null}", 0, NULL},
      {OK_JSON "{\"error\": \"\"}", 0, NULL},
      {OK_JSON "{\"error\": \"  \"}", 0, NULL},
      {OK_JSON "{\"error\": false}", 0, NULL},
      {OK_JSON "{\"error\": 0}", 0, NULL},
      {"HTTP/1.1 200 OK\nContent-Type: text/plain\n\nno error", 0, NULL},
      {"HTTP/1.1 200 OK\nContent-Type: text/plain\n\nerror: none, success: "
       "false alarm",
       0, NULL},
      {OK_JSON "{\"success\": true, \"result\": true, \"ok\": true}", 0, NULL},
      {OK_JSON "{\"success\": \"false\"}", 0, NULL},
      {OK_JSON "{\"status\": \"400\"}", 0, NULL},
      {OK_JSON "{\"status\": \"failed\", \"id\": 7}", 0, NULL},
      {OK_JSON "{\"code\": 200}", 0, NULL},
      {OK_JSON "{\"status\": 399}", 0, NULL},
      {OK_JSON "{\"status\": 600}", 0, NULL},
      {OK_JSON "{\"status\": 404.5}", 0, NULL},
      {OK_JSON "{\"data\": {\"error\": \"nested\", \"success\": false}}", 0,
       NULL},
      {OK_JSON "[{\"success\": false}]", 0, NULL},
      {OK_JSON "{\"success\": false", 0, NULL},
      {OK_JSON "", 0, NULL},
      {"HTTP/1.1 200 OK\n", 0, NULL},
  };
  run_table("error-body", cases, sizeof cases / sizeof cases[0]);
}

#define ISE "HTTP/1.1 500 Internal Server Error\nContent-Type: text/plain\n\n"

static void test_leak_finds_traces_sql_debug_pages_and_paths(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      {ISE "java.lang.NullPointerException\n\tat "
           "com.acme.UserService.find(UserService.java:42)\n",
       1, "a Java stack trace: 'at com.acme.UserService.find"},
      {ISE "Exception in thread \"main\" java.lang.IllegalStateException: "
           "boom",
       1, "a Java exception"},
      {ISE "Traceback (most recent call last):\n  File \"app.py\", line 3", 1,
       "a Python traceback"},
      {ISE "  File \"/srv/app/models.py\", line 88, in save", 1,
       "a Python stack frame"},
      {ISE
       "TypeError: x is undefined\n    at getUser (/app/src/users.js:14:22)",
       1, "a Node.js stack trace"},
      {ISE "Error: boom\n    at /app/server.js:10:5", 1,
       "a Node.js stack trace"},
      {ISE "    at Module._compile (node:internal/modules/cjs/loader:1105:14)",
       1, "a Node.js stack trace"},
      {ISE "panic: boom\n\ngoroutine 1 [running]:\nmain.main()", 1,
       "a Go panic trace"},
      {ISE "panic: runtime error: index out of range [3] with length 3", 1,
       "a Go panic"},
      {ISE "PHP Fatal error:  Uncaught Exception: x in /srv/a.php:3 on line 3",
       1, "a PHP error"},
      {ISE "PHP Fatal error:  Uncaught Error: Call to a member function "
           "getName() on null in /app/src/C.php:42\nStack trace:\n#0 "
           "/app/public/index.php(17): C->show('42')",
       1, "a PHP error: 'Fatal error: Uncaught Error:'"},
      {ISE "Stack trace:\r\n#0 /srv/x.php(3): f()", 1, "a PHP stack trace"},
      {"HTTP/1.1 500 Internal Server Error\n\n{\"error\": \"TypeError: "
       "x\\n    at getUser (/app/src/users.js:14:22)\\n    at next\"}",
       1, "a Node.js stack trace: 'at getUser (/app/src/users.js:14:22)'"},
      {ISE "System.NullReferenceException: Object reference not set", 1,
       "a .NET exception"},
      {ISE "   at Api.Users.Get() in C:\\src\\Api\\Users.cs:line 42", 1,
       "a .NET stack frame"},
      {ISE "app/models/user.rb:12:in `find'", 1,
       "a Ruby backtrace: 'app/models/user.rb:12:in '"},
      {ISE "SQLSTATE[23000]: Integrity constraint violation", 1,
       "an SQL error"},
      {ISE "ORA-00942: table or view does not exist", 1, "an Oracle error"},
      {ISE "ERROR: syntax error at or near \"FROM\"", 1, "an SQL syntax error"},
      {ISE "You have an error in your SQL syntax; check the manual", 1,
       "an SQL syntax error"},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<title>KeyError: 'id' // Werkzeug Debugger</title>",
       1, "the Werkzeug debugger"},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<p>You're seeing this error because you have <code>DEBUG = "
       "True</code> in your Django settings file.</p>",
       1, "the Django debug page"},
      {ISE "ActiveRecord::RecordNotFound (Couldn't find User)", 1,
       "the Rails debug page"},
      {ISE "Illuminate\\Database\\QueryException", 1, "Laravel"},
      {ISE "failed to open /var/www/app/config.php", 1, "a server file path"},
      {ISE "cannot read /home/deploy/app/.env", 1, "a server file path"},
      {ISE "C:\\inetpub\\wwwroot\\web.config", 1, "a server file path"},
      {ISE "{\"message\": \"ENOENT: no such file or directory, open "
           "'/srv/app/config/production.json'\"}",
       1, "a server file path: '/srv/app/config/production.json'"},
      {ISE "Error: Cannot find module '/app/lib/db.js'", 1,
       "a server file path"},
      {"HTTP/1.1 503 Service Unavailable\nX-Debug-Exception: "
       "System.TimeoutException: db\n",
       1, "a .NET exception"},
      /* A NUL byte before the trace cannot hide it. */
      {ISE "binary\0\0 Traceback (most recent call last):", 1,
       "a Python traceback"},
  };
  /* The NUL case needs its true length: run it apart from the table. */
  run_table("server-error-leak", cases, sizeof cases / sizeof cases[0] - 1);
  const char nul_raw[] = ISE "binary\0\0 Traceback (most recent call last):";
  const struct al_check_def *def = al_check_find("server-error-leak");
  void *st = NULL;
  struct al_err err = {0};
  assert_int_equal(def->init(&st, &err), AL_OK);
  struct al_response res;
  al_response_init(&res);
  assert_int_equal(
      al_response_parse_raw(nul_raw, sizeof nul_raw - 1, "GET", &res, &err),
      AL_OK);
  struct al_check_input in = {NULL, &res, NULL, NULL};
  struct al_check_hits hits = {0};
  assert_int_equal(def->eval(st, &in, &hits), AL_OK);
  assert_int_equal(hits.count, 1);
  assert_non_null(strstr(hits.items[0].detail, "a Python traceback"));
  al_check_hits_cleanup(&hits);
  al_response_cleanup(&res);
  def->free_state(st);
}

static void test_leak_stays_quiet_on_generic_errors(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      {ISE "Internal Server Error", 0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n\n"
       "{\"error\": \"internal server error\", \"requestId\": \"7f3c\"}",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<html><head><title>500 Internal Server Error</title></head><body>"
       "<center><h1>500 Internal Server Error</h1></center><hr>"
       "<center>nginx</center></body></html>",
       0, NULL},
      {"HTTP/1.1 503 Service Unavailable\n\nService temporarily unavailable, "
       "try again at 10:00",
       0, NULL},
      {ISE "Something went wrong at our end. See "
           "https://status.example.com/home/incidents/ (look at the status "
           "page)",
       0, NULL},
      {ISE "Fatal error: the database is down", 0, NULL},
      {ISE "Maintenance: see https://example.com/srv/status or /app/status", 0,
       NULL},
      {ISE "{\"type\": \"about:blank\", \"title\": \"Internal Server Error\", "
           "\"status\": 500, \"instance\": \"/errors/7f3c\"}",
       0, NULL},
      {"HTTP/1.1 502 Bad Gateway\n", 0, NULL},
  };
  run_table("server-error-leak", cases, sizeof cases / sizeof cases[0]);
}

/* The rule (not just the check) ignores a 4xx, whatever its body shows. */
static void test_leak_rule_does_not_judge_a_404_with_a_trace(void **state)
{
  (void)state;
  struct al_ruleset *rs = NULL;
  struct al_err err = {0};
  assert_int_equal(al_ruleset_new_builtin(&rs, &err), AL_OK);
  long idx = al_ruleset_index(rs, "server-error-leak");
  assert_true(idx >= 0);
  static const char *const raws[] = {
      "HTTP/1.1 404 Not Found\n\njava.lang.IllegalStateException\n\tat "
      "com.acme.A.b(A.java:1)",
      "HTTP/1.1 400 Bad Request\n\nTraceback (most recent call last):",
      "HTTP/1.1 500 Internal Server Error\n\nTraceback (most recent call "
      "last):",
  };
  for (size_t i = 0; i < 3; i++) {
    char method[] = "GET";
    struct al_rule_example ex = {0};
    ex.fires = 1;
    ex.method = method;
    ex.response = al_strdup(raws[i]);
    assert_non_null(ex.response);
    ex.response_len = strlen(raws[i]);
    int fired = -1;
    assert_int_equal(
        al_rule_example_run(rs, (size_t)idx, &ex, &fired, NULL, &err), AL_OK);
    free(ex.response);
    assert_int_equal(fired, i == 2);
  }
  al_ruleset_free(rs);
}

static void test_no_content_counts_every_content_signal(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      {"HTTP/1.1 204 No Content\n\n{\"deleted\": true}", 1,
       "17 bytes sent after the head"},
      {"HTTP/1.1 204 No Content\nContent-Length: 5\n", 1, "Content-Length: 5"},
      {"HTTP/1.1 204 No Content\nTransfer-Encoding: chunked\n", 1,
       "Transfer-Encoding: chunked"},
      {"HTTP/1.1 204 No Content\nContent-Length: 3\n\nabc", 1,
       "3 bytes sent after the head, Content-Length: 3"},
      {"HTTP/1.1 204 No Content\n", 0, NULL},
      /* Content-Length: 0 is the later rule content-length-on-no-content. */
      {"HTTP/1.1 204 No Content\nContent-Length: 0\n", 0, NULL},
  };
  run_table("no-content-body", cases, sizeof cases / sizeof cases[0]);
}

static void test_not_modified_counts_only_bytes(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      {"HTTP/1.1 304 Not Modified\nETag: \"v1\"\n\n{\"id\": 1}", 1,
       "9 bytes sent after the head"},
      {"HTTP/1.1 304 Not Modified\nETag: \"v1\"\nContent-Length: 1234\n", 0,
       NULL},
      {"HTTP/1.1 304 Not Modified\nTransfer-Encoding: chunked\n", 0, NULL},
      {"HTTP/1.1 304 Not Modified\n", 0, NULL},
  };
  run_table("not-modified-body", cases, sizeof cases / sizeof cases[0]);

  /* Body bytes that transfer.c did read count too. */
  struct al_response res;
  struct al_err err = {0};
  al_response_init(&res);
  static const char raw[] = "HTTP/1.1 304 Not Modified\n";
  assert_int_equal(al_response_parse_raw(raw, strlen(raw), "GET", &res, &err),
                   AL_OK);
  assert_int_equal(al_buf_append_str(&res.body, "oops"), AL_OK);
  res.body_size = 4;
  struct al_check_input in = {NULL, &res, NULL, NULL};
  struct al_check_hits hits = {0};
  assert_int_equal(al_check_find("not-modified-body")->eval(NULL, &in, &hits),
                   AL_OK);
  assert_int_equal(hits.count, 1);
  assert_non_null(strstr(hits.items[0].detail, "4 body bytes"));
  assert_string_equal(hits.items[0].evidence, "oops");
  al_check_hits_cleanup(&hits);
  al_response_cleanup(&res);
}

/* libcurl may count bytes after a bodyless head and drop them: the finding
 * still comes, with the status line as evidence. */
static void test_counted_but_dropped_stray_bytes_still_fire(void **state)
{
  (void)state;
  struct al_response res;
  struct al_err err = {0};
  al_response_init(&res);
  static const char raw[] = "HTTP/1.1 204 No Content\n";
  assert_int_equal(al_response_parse_raw(raw, strlen(raw), "GET", &res, &err),
                   AL_OK);
  res.stray_size = 12;
  struct al_check_input in = {NULL, &res, NULL, NULL};
  struct al_check_hits hits = {0};
  assert_int_equal(al_check_find("no-content-body")->eval(NULL, &in, &hits),
                   AL_OK);
  assert_int_equal(hits.count, 1);
  assert_string_equal(hits.items[0].detail, "12 bytes sent after the head");
  assert_string_equal(hits.items[0].evidence, "HTTP/1.1 204 No Content");
  al_check_hits_cleanup(&hits);
  al_response_cleanup(&res);
}

static void test_unknown_check_names_get_a_suggestion(void **state)
{
  (void)state;
  assert_null(al_check_find("error_body"));
  assert_string_equal(al_check_suggest("error_body"), "error-body");
  assert_string_equal(al_check_suggest("server-eror-leak"),
                      "server-error-leak");
  assert_null(al_check_suggest("completely-different"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_error_body_fires_on_failure_members),
      cmocka_unit_test(test_error_body_stays_quiet_on_success_shapes),
      cmocka_unit_test(test_leak_finds_traces_sql_debug_pages_and_paths),
      cmocka_unit_test(test_leak_stays_quiet_on_generic_errors),
      cmocka_unit_test(test_leak_rule_does_not_judge_a_404_with_a_trace),
      cmocka_unit_test(test_no_content_counts_every_content_signal),
      cmocka_unit_test(test_not_modified_counts_only_bytes),
      cmocka_unit_test(test_counted_but_dropped_stray_bytes_still_fire),
      cmocka_unit_test(test_unknown_check_names_get_a_suggestion),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
