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

#include "check_fixture.h"

/* The rows here name only the response: the check gets a GET's answer and
 * no request (check_fixture.h's CK_NO_REQUEST). */
struct check_case {
  const char *raw;      /* the response; "\n" line ends */
  int fires;            /* 1: exactly one hit expected */
  const char *contains; /* text the hit's detail must contain, or NULL */
};

/* Runs check 'name' on 'raw' (a GET) and returns the hits. */
static void run_check(const char *name, const char *raw,
                      struct al_check_hits *hits)
{
  const struct ck_case c = {NULL, NULL, raw, 0, NULL};
  ck_run(name, &c, CK_NO_REQUEST, hits);
}

static void run_table(const char *name, const struct check_case *cases,
                      size_t n)
{
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    const struct ck_case c = {NULL, NULL, cases[i].raw, cases[i].fires,
                              cases[i].contains};
    bad += ck_expect(name, i, &c, CK_NO_REQUEST);
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
       "a Ruby backtrace: 'app/models/user.rb:12:in'"},
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
  struct al_check_input in = {NULL, &res, NULL, NULL, NULL, NULL};
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
  ck_assert_read_body_fires("not-modified-body", "GET",
                            "HTTP/1.1 304 Not Modified\n");
}

/* libcurl may count bytes after a bodyless head and drop them: the finding
 * still comes, with the status line as evidence. */
static void test_counted_but_dropped_stray_bytes_still_fire(void **state)
{
  (void)state;
  struct al_response res;
  ck_parse("HTTP/1.1 204 No Content\n", "GET", &res);
  res.stray_size = 12;
  struct al_check_hits hits = {0};
  ck_eval("no-content-body", NULL, &res, &hits);
  assert_int_equal(hits.count, 1);
  assert_string_equal(hits.items[0].detail, "12 bytes sent after the head");
  assert_string_equal(hits.items[0].evidence, "HTTP/1.1 204 No Content");
  al_check_hits_cleanup(&hits);
  al_response_cleanup(&res);
}

/* 2xx bodies real APIs send on success. */
static void test_error_body_corpus_success_shapes_stay_quiet(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      /* GraphQL without errors, and with an empty list */
      {OK_JSON "{\"data\":{\"user\":{\"id\":\"42\",\"name\":\"hak\","
               "\"errors\":[\"nested, not top-level\"]}}}",
       0, NULL},
      {OK_JSON "{\"data\":{\"users\":[]},\"errors\":[]}", 0, NULL},
      {OK_JSON "{\"data\":{\"ok\":false},\"extensions\":{\"cost\":3}}", 0,
       NULL},
      {OK_JSON "{\"error\":null}", 0, NULL},
      {OK_JSON "{\"error\":\"\"}", 0, NULL},
      {OK_JSON "{\"error\":false}", 0, NULL},
      {OK_JSON "{\"status\":\"ok\"}", 0, NULL},
      {OK_JSON "{\"status\":200}", 0, NULL},
      {OK_JSON "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":"
               "\"DOWN\",\"details\":{\"error\":\"timeout\"}}}}",
       0, NULL},
      {OK_JSON "{\"code\":0,\"msg\":\"success\",\"data\":{}}", 0, NULL},
      {OK_JSON "{\"code\":\"E_OK\"}", 0, NULL},
      {OK_JSON "{\"code\":\"404\"}", 0, NULL},
      {OK_JSON "{\"ok\":true}", 0, NULL},
      {OK_JSON "{\"success\":true}", 0, NULL},
      {OK_JSON "[{\"id\":1,\"success\":false},{\"id\":2,\"error\":\"x\"}]", 0,
       NULL},
      {OK_JSON "{\"items\":[{\"id\":1}],\"status\":\"active\","
               "\"next\":\"/items?page=2\"}",
       0, NULL},
      /* A job, an operation, a delivery, a lint report: resources that
       * describe a failure of their own, fetched by a request that worked */
      {OK_JSON "{\"id\":1,\"status\":\"failed\"}", 0, NULL},
      {OK_JSON "{\"id\":\"job_7\",\"status\":\"failed\",\"error\":\"timeout "
               "writing to s3\"}",
       0, NULL},
      {OK_JSON "{\"executionArn\":\"arn:aws:states:eu-west-1:1:execution:x:"
               "y\",\"status\":\"FAILED\",\"error\":\"States.TaskFailed\","
               "\"cause\":\"boom\"}",
       0, NULL},
      {OK_JSON "{\"name\":\"operations/123\",\"done\":true,\"error\":"
               "{\"code\":13,\"message\":\"internal\"}}",
       0, NULL},
      {OK_JSON "{\"id\":981,\"event\":\"push\",\"status\":503,"
               "\"delivered_at\":\"2026-11-22T03:00:00Z\"}",
       0, NULL},
      {OK_JSON "{\"id\":\"run-7\",\"errors\":[{\"line\":3,\"msg\":\"unknown "
               "key\"}],\"warnings\":[]}",
       0, NULL},
      {OK_JSON "{\"jsonrpc\":\"2.0\",\"result\":false,\"id\":1}", 0, NULL},
      /* Nested members are not looked at (RULES.md: top-level only) */
      {OK_JSON "{\"data\":{\"success\":false}}", 0, NULL},
      {OK_JSON "{\"meta\":{\"status\":500},\"data\":[]}", 0, NULL},
      /* Not JSON: text that merely contains the words */
      {"HTTP/1.1 200 OK\nContent-Type: text/html\n\n<html><body><pre>"
       "{\"success\": false}</pre> is what a bad API sends.</body></html>",
       0, NULL},
      {"HTTP/1.1 200 OK\nContent-Type: text/event-stream\n\ndata: "
       "{\"error\":\"x\"}\n\n",
       0, NULL},
      {"HTTP/1.1 200 OK\nContent-Type: application/javascript\n\n"
       "cb({\"success\":false})",
       0, NULL},
      /* Labelled JSON but not valid JSON: no crash, no finding */
      {OK_JSON "{\"success\": false,}", 0, NULL},
      {OK_JSON "{\"success\": false} trailing", 0, NULL},
      {OK_JSON "{'success': false}", 0, NULL},
      {OK_JSON "{\"error\": \"unterminated", 0, NULL},
      {OK_JSON "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{", 0, NULL},
      /* NDJSON: a log of records, each may say it failed */
      {"HTTP/1.1 200 OK\nContent-Type: application/x-ndjson\n\n"
       "{\"event\":\"login\",\"success\":false}\n{\"event\":\"login\","
       "\"success\":true}\n",
       0, NULL},
      {OK_JSON "{\"count\":0,\"errors\":0,\"error\":0}", 0, NULL},
  };
  run_table("error-body", cases, sizeof cases / sizeof cases[0]);
}

/* What the rule is for: the envelopes real APIs use to hide a failure in a
 * 200. */
static void test_error_body_corpus_hidden_failures_fire(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      /* Slack-style */
      {OK_JSON "{\"ok\":false,\"error\":\"channel_not_found\"}", 1,
       "\"ok\": false, \"error\": \"channel_not_found\""},
      /* GraphQL with errors */
      {OK_JSON "{\"data\":null,\"errors\":[{\"message\":\"Not authorised\","
               "\"extensions\":{\"code\":\"FORBIDDEN\"}}]}",
       1, "\"errors\": [{\"message\":\"Not authorised\""},
      /* JSON-RPC error: the protocol says 200, the request still failed */
      {OK_JSON "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":"
               "\"Method not found\"},\"id\":1}",
       1, "\"error\": {\"code\":-32601"},
      /* seed 000 and 002 with a BOM */
      {OK_JSON "\xEF\xBB\xBF{\"result\": false, \"status\": 400}", 1,
       "\"result\": false, \"status\": 400"},
      {OK_JSON "{\"success\":false,\"message\":\"invalid password\","
               "\"data\":null}",
       1, "\"success\": false"},
      {OK_JSON "{\"code\":500,\"msg\":\"system busy\",\"data\":null}", 1,
       "\"code\": 500"},
      {OK_JSON "{\"statusCode\":401,\"message\":\"Unauthorized\"}", 1,
       "\"statusCode\": 401"},
      /* A resource id does not excuse success:false */
      {OK_JSON "{\"id\":7,\"success\":false}", 1, "\"success\": false"},
  };
  run_table("error-body", cases, sizeof cases / sizeof cases[0]);
}
/* ------------------------------------------------------------------ */
/* The real-world corpus: what products actually send. Must-not-fire    */
/* first - a linter that cries wolf gets switched off.                  */

#define NGINX_PAD                                                              \
  "<!-- a padding to disable MSIE and Chrome friendly error page -->\n"        \
  "<!-- a padding to disable MSIE and Chrome friendly error page -->\n"

static void test_leak_corpus_stock_error_pages_stay_quiet(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      /* nginx 500/502/503/504, with the version in the footer */
      {"HTTP/1.1 500 Internal Server Error\nServer: nginx/1.22.1\n"
       "Content-Type: text/html\n\n"
       "<html>\n<head><title>500 Internal Server Error</title></head>\n"
       "<body>\n<center><h1>500 Internal Server Error</h1></center>\n"
       "<hr><center>nginx/1.22.1</center>\n</body>\n</html>\n" NGINX_PAD,
       0, NULL},
      {"HTTP/1.1 502 Bad Gateway\nServer: nginx/1.22.1\n"
       "Content-Type: text/html\n\n"
       "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n"
       "<center><h1>502 Bad Gateway</h1></center>\n"
       "<hr><center>nginx/1.22.1</center>\n</body>\n</html>\n" NGINX_PAD,
       0, NULL},
      {"HTTP/1.1 503 Service Temporarily Unavailable\nServer: nginx\n\n"
       "<html>\n<head><title>503 Service Temporarily Unavailable</title>"
       "</head>\n<body>\n<center><h1>503 Service Temporarily Unavailable"
       "</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n",
       0, NULL},
      {"HTTP/1.1 504 Gateway Time-out\nServer: nginx/1.25.3\n\n"
       "<html>\n<head><title>504 Gateway Time-out</title></head>\n<body>\n"
       "<center><h1>504 Gateway Time-out</h1></center>\n"
       "<hr><center>nginx/1.25.3</center>\n</body>\n</html>\n",
       0, NULL},
      /* Apache httpd 500 and 503 */
      {"HTTP/1.1 500 Internal Server Error\n"
       "Server: Apache/2.4.57 (Debian)\nContent-Type: text/html; "
       "charset=iso-8859-1\n\n"
       "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
       "<title>500 Internal Server Error</title>\n</head><body>\n"
       "<h1>Internal Server Error</h1>\n<p>The server encountered an internal "
       "error or\nmisconfiguration and was unable to complete\nyour "
       "request.</p>\n<p>Please contact the server administrator at \n "
       "webmaster@localhost to inform them of the time this error "
       "occurred,\n and the actions you performed just before this "
       "error.</p>\n<p>More information about this error may be available\n"
       "in the server error log.</p>\n<hr>\n<address>Apache/2.4.57 (Debian) "
       "Server at api.example.com Port 443</address>\n</body></html>\n",
       0, NULL},
      {"HTTP/1.1 503 Service Unavailable\nServer: Apache/2.4.41 (Ubuntu)\n\n"
       "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
       "<title>503 Service Unavailable</title>\n</head><body>\n"
       "<h1>Service Unavailable</h1>\n<p>The server is temporarily unable "
       "to service your\nrequest due to maintenance downtime or capacity\n"
       "problems. Please try again later.</p>\n</body></html>\n",
       0, NULL},
      /* Cloudflare 502 and 522 (trimmed; the structure and words are
       * theirs) */
      {"HTTP/1.1 502 Bad Gateway\nServer: cloudflare\n"
       "CF-RAY: 7d5b3c2a1f0e4d3c-FRA\nContent-Type: text/html\n\n"
       "<!DOCTYPE html>\n<!--[if lt IE 7]> <html class=\"no-js ie6 oldie\" "
       "lang=\"en-US\"> <![endif]-->\n<head>\n<title>api.example.com | 502: "
       "Bad gateway</title>\n<meta charset=\"UTF-8\" />\n<link "
       "rel=\"stylesheet\" id=\"cf_styles-css\" "
       "href=\"/cdn-cgi/styles/main.css\" />\n</head>\n<body>\n<div "
       "id=\"cf-wrapper\">\n<h1><span class=\"inline-block\">Bad "
       "gateway</span> <span class=\"code-label\">Error code 502</span></h1>\n"
       "<div>Visit <a href=\"https://www.cloudflare.com/5xx-error-landing?"
       "utm_source=errorcode_502&utm_campaign=api.example.com\" "
       "target=\"_blank\">cloudflare.com</a> for more information.</div>\n"
       "<h2>What happened?</h2><p>The web server reported a bad gateway "
       "error.</p>\n<h2>What can I do?</h2><p>Please try again in a few "
       "minutes.</p>\n<p>Cloudflare Ray ID: <strong "
       "class=\"font-semibold\">7d5b3c2a1f0e4d3c</strong> &bull; Your IP: "
       "<button type=\"button\" id=\"cf-footer-item-ip\">Click to "
       "reveal</button> &bull; Performance &amp; security by <a "
       "rel=\"noopener noreferrer\" "
       "href=\"https://www.cloudflare.com/5xx-error-landing\">Cloudflare</a>"
       "</p>\n<script>(function(){function d(){var "
       "b=a.getElementById(\"cf-footer-item-ip\");b.classList.add(\"hidden\")"
       "}var a=document;})();</script>\n</div>\n</body>\n</html>\n",
       0, NULL},
      {"HTTP/1.1 522 \nServer: cloudflare\n\n<title>api.example.com | 522: "
       "Connection timed out</title> ... <h2>What happened?</h2><p>The "
       "initial connection between Cloudflare's network and the origin web "
       "server timed out. As a result, the web page can not be "
       "displayed.</p>",
       0, NULL},
      /* Cloudflare 1020 (a 403) */
      {"HTTP/1.1 403 Forbidden\nServer: cloudflare\n\n<title>Access denied | "
       "api.example.com used Cloudflare to restrict access</title> <h1><span "
       "data-translate=\"error\">Error</span><span>1020</span></h1> <h2 "
       "class=\"cf-subheadline\">Access denied</h2> <p>This website is using "
       "a security service to protect itself from online attacks.</p>",
       0, NULL},
      /* AWS ALB 502/503, CloudFront, API Gateway */
      {"HTTP/1.1 502 Bad Gateway\nServer: awselb/2.0\n"
       "Content-Type: text/html\n\n<html>\r\n<head><title>502 Bad "
       "Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
       "Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
       0, NULL},
      {"HTTP/1.1 503 Service Temporarily Unavailable\nServer: awselb/2.0\n\n"
       "<html>\r\n<head><title>503 Service Temporarily Unavailable</title>"
       "</head>\r\n<body>\r\n<center><h1>503 Service Temporarily "
       "Unavailable</h1></center>\r\n</body>\r\n</html>\r\n",
       0, NULL},
      {"HTTP/1.1 503 Service Unavailable\nServer: CloudFront\n"
       "X-Cache: Error from cloudfront\n\n<!DOCTYPE HTML PUBLIC "
       "\"-//W3C//DTD HTML 4.01 Transitional//EN\" "
       "\"http://www.w3.org/TR/html4/loose.dtd\">\n<HTML><HEAD><META "
       "HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; "
       "charset=iso-8859-1\">\n<TITLE>ERROR: The request could not be "
       "satisfied</TITLE>\n</HEAD><BODY>\n<H1>503 ERROR</H1>\n<H2>The request "
       "could not be satisfied.</H2>\n<HR noshade size=\"1px\">\nThe origin "
       "server is not available.\n<BR clear=\"all\">\n<HR noshade "
       "size=\"1px\"><PRE>\nGenerated by cloudfront (CloudFront)\nRequest ID: "
       "q9nL3h0dT6bI8pX_2Ow1bGmJcE2yUu0z4Jq0k8VdAe-0Y1Zr3TdGQA==\n</PRE>\n"
       "<ADDRESS>\n</ADDRESS>\n</BODY></HTML>",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nx-amzn-RequestId: "
       "5f0c3c1e-8d5a-4a4e-9d1b-1e2f3a4b5c6d\nx-amzn-ErrorType: "
       "InternalServerErrorException\n\n{\"message\": \"Internal server "
       "error\"}",
       0, NULL},
      /* Google Frontend 502 */
      {"HTTP/1.1 502 Bad Gateway\nServer: Google Frontend\n\n"
       "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <meta "
       "name=viewport content=\"initial-scale=1, minimum-scale=1, "
       "width=device-width\">\n  <title>Error 502 (Server Error)!!1</title>\n"
       "  <style>*{margin:0;padding:0}html{background:#fff;color:#222;"
       "padding:15px}body{background:url(//www.google.com/images/errors/"
       "robot.png) 100% 5px no-repeat}#logo{background:url(//www.google.com/"
       "images/branding/googlelogo/1x/googlelogo_color_150x54dp.png) "
       "no-repeat}</style>\n  <a href=//www.google.com/><span id=logo "
       "aria-label=Google></span></a>\n  <p><b>502.</b> <ins>That\xe2\x80\x99s "
       "an error.</ins>\n  <p>The server encountered a temporary error and "
       "could not complete your request.<p>Please try again in 30 seconds.  "
       "<ins>That\xe2\x80\x99s all we know.</ins>\n",
       0, NULL},
      /* Envoy / Istio */
      {"HTTP/1.1 503 Service Unavailable\nServer: envoy\n"
       "Content-Type: text/plain\n\nupstream connect error or "
       "disconnect/reset before headers. reset reason: connection failure, "
       "transport failure reason: delayed connect error: 111",
       0, NULL},
      {"HTTP/1.1 503 Service Unavailable\nServer: envoy\n\nno healthy "
       "upstream",
       0, NULL},
      /* HAProxy, Varnish, Traefik, Kong, Heroku, IIS */
      {"HTTP/1.0 503 Service Unavailable\nCache-Control: no-cache\n"
       "Connection: close\nContent-Type: text/html\n\n<html><body><h1>503 "
       "Service Unavailable</h1>\nNo server is available to handle this "
       "request.\n</body></html>",
       0, NULL},
      {"HTTP/1.1 503 Backend fetch failed\nServer: Varnish\n\n<!DOCTYPE "
       "html>\n<html>\n  <head>\n    <title>503 Backend fetch failed</title>\n"
       "  </head>\n  <body>\n    <h1>Error 503 Backend fetch failed</h1>\n"
       "    <p>Backend fetch failed</p>\n    <h3>Guru Meditation:</h3>\n    "
       "<p>XID: 32770</p>\n    <hr>\n    <p>Varnish cache server</p>\n  "
       "</body>\n</html>\n",
       0, NULL},
      {"HTTP/1.1 502 Bad Gateway\n\nBad Gateway", 0, NULL},
      {"HTTP/1.1 502 Bad Gateway\nServer: kong/3.4.2\n\n{\n  \"message\":"
       "\"An invalid response was received from the upstream server\",\n  "
       "\"request_id\":\"5f1a2b3c4d5e6f708192a3b4c5d6e7f8\"\n}",
       0, NULL},
      {"HTTP/1.1 503 Service Unavailable\nServer: Cowboy\n\n<!DOCTYPE "
       "html>\n<html>\n  <head>\n    <meta name=\"viewport\" "
       "content=\"width=device-width, initial-scale=1\">\n    <meta "
       "charset=\"utf-8\">\n    <title>Application Error</title>\n    "
       "<style media=\"screen\">\n      html,body,iframe {\n        margin: "
       "0;\n        padding: 0;\n      }\n    </style>\n  </head>\n  <body>\n"
       "    <iframe "
       "src=\"//www.herokucdn.com/error-pages/application-error.html\">"
       "</iframe>\n  </body>\n</html>",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nServer: Microsoft-IIS/10.0\n"
       "X-Powered-By: ASP.NET\n\n<h2>500 - Internal server error.</h2>\n  "
       "<h3>There is a problem with the resource you are looking for, and it "
       "cannot be displayed.</h3>",
       0, NULL},
      /* Spring Boot's production whitelabel JSON: "path" is the URL */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n"
       "\n{\"timestamp\":\"2026-11-22T03:04:05.678+00:00\",\"status\":500,"
       "\"error\":\"Internal Server Error\",\"path\":\"/api/users/42\"}",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: "
       "application/problem+json\n\n{\"type\":\"about:blank\",\"title\":"
       "\"Internal Server Error\",\"status\":500,\"detail\":\"Failed to read "
       "request\",\"instance\":\"/api/users/42\"}",
       0, NULL},
      /* Spring whitelabel HTML page */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: "
       "text/html;charset=UTF-8\n\n<html><body><h1>Whitelabel Error "
       "Page</h1><p>This application has no explicit mapping for /error, so "
       "you are seeing this as a fallback.</p><div id='created'>Sun Nov 22 "
       "03:04:05 UTC 2026</div><div>There was an unexpected error "
       "(type=Internal Server Error, status=500).</div></body></html>",
       0, NULL},
      /* Django, Rails, Express, Laravel, FastAPI, Go in production */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error "
       "(500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n"
       "</body>\n</html>\n",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html; "
       "charset=utf-8\n\n<!DOCTYPE html>\n<html>\n<head>\n  <title>We're "
       "sorry, but something went wrong (500)</title>\n  <meta "
       "name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
       "  <style>\n  .rails-default-error-page {\n    background-color: "
       "#EFEFEF;\n    font-family: arial, sans-serif;\n  }\n  </style>\n"
       "</head>\n\n<body class=\"rails-default-error-page\">\n  <!-- This "
       "file lives in public/500.html -->\n  <div class=\"dialog\">\n    "
       "<div>\n      <h1>We're sorry, but something went wrong.</h1>\n    "
       "</div>\n    <p>If you are the application owner check the logs for "
       "more information.</p>\n  </div>\n</body>\n</html>\n",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nX-Powered-By: Express\n"
       "Content-Security-Policy: default-src 'none'\n"
       "X-Content-Type-Options: nosniff\nContent-Type: text/html; "
       "charset=utf-8\n\n<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
       "charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n"
       "<pre>Internal Server Error</pre>\n</body>\n</html>\n",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: "
       "application/problem+json; charset=utf-8\n\n{\"type\":\"https://"
       "tools.ietf.org/html/rfc9110#section-15.6.1\",\"title\":\"An error "
       "occurred while processing your request.\",\"status\":500,"
       "\"traceId\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-"
       "00\"}",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html; "
       "charset=UTF-8\nSet-Cookie: laravel_session=eyJpdiI6; path=/; "
       "httponly\n\n<!DOCTYPE html>\n<html lang=\"en\">\n    <head>\n        "
       "<meta charset=\"utf-8\">\n        <title>Server Error</title>\n"
       "        <link rel=\"preconnect\" href=\"https://fonts.bunny.net\">\n"
       "        <style>\n            html{line-height:1.15;-webkit-text-size-"
       "adjust:100%}body{margin:0}\n        </style>\n    </head>\n    <body "
       "class=\"antialiased\">\n        <div class=\"relative flex "
       "items-top justify-center min-h-screen\">\n                <div "
       "class=\"px-4 text-lg text-gray-500 border-r border-gray-400 "
       "tracking-wider\">\n                    500                </div>\n"
       "                <div class=\"ml-4 text-lg text-gray-500 uppercase "
       "tracking-wider\">\n                    Server Error                "
       "</div>\n        </div>\n    </body>\n</html>\n",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<h1>Whoops, looks like something went wrong.</h1>",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nserver: uvicorn\n"
       "content-type: text/plain; charset=utf-8\n\nInternal Server Error",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nserver: uvicorn\n"
       "content-type: application/json\n\n{\"detail\":\"Internal Server "
       "Error\"}",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/plain; "
       "charset=utf-8\nX-Content-Type-Options: nosniff\n\nInternal Server "
       "Error\n\n",
       0, NULL},
      /* A maintenance page that loads its own scripts and styles, with a
       * preload Link header */
      {"HTTP/1.1 503 Service Unavailable\nRetry-After: 600\n"
       "Link: </app/main.js>; rel=preload; as=script, </srv/static/app.css>; "
       "rel=preload; as=style\nContent-Security-Policy: script-src 'self' "
       "/app/main.js /node_modules/htmx.org/dist/htmx.min.js\n"
       "Content-Type: text/html\n\n<!doctype html><html><head><title>Down "
       "for maintenance</title><link rel=\"stylesheet\" "
       "href=\"/srv/static/app.css\"><script src=\"/app/main.js\"></script>"
       "<script src='/node_modules/htmx.org/dist/htmx.min.js'></script>"
       "<style>body{background:url(/app/img/bg.png)}</style></head><body>"
       "<h1>We'll be back soon</h1><p>Sorry for the inconvenience. We're "
       "performing some maintenance at the moment and will be back online "
       "shortly (around 10:00 UTC).</p><a href=/home/status.json>status</a>"
       "</body></html>",
       0, NULL},
      /* URL routes that share a name with server directories */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n"
       "\n{\"timestamp\":\"2026-11-22T03:04:05.678+00:00\",\"status\":500,"
       "\"error\":\"Internal Server Error\",\"path\":\"/home/feed/"
       "recommendations\"}",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n"
       "\n{\"error\":\"could not load /home/dashboard/widgets\","
       "\"instance\":\"/home\",\"see\":\"/app/status\","
       "\"retry\":\"/srv/v2/jobs/17\",\"opt\":\"/opt/out/email\"}",
       0, NULL},
      /* "at" in plain English */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n"
       "\n{\"error\":\"error at login, please retry at 10:00 (UTC) or contact "
       "us at support@example.com\",\"hint\":\"we looked at it (twice)\"}",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/plain\n\n"
       "Something failed at step 3 of 5 (payment). Our team has been "
       "notified at 03:04:05; please try again at a later time.",
       0, NULL},
      /* Correlation ids and an empty stack */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n"
       "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n"
       "X-Request-Id: 7f3c2a9e-1b4d-4e8f-9a6b-0c5d2e1f3a4b\n\n{\"error\":"
       "\"internal\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
       "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"stack\":null,"
       "\"trace\":null,\"exception\":null}",
       0, NULL},
      /* X-Powered-By, Server and the like are version-disclosure's
       * business, not this rule's */
      {"HTTP/1.1 500 Internal Server Error\nX-Powered-By: PHP/8.2.12\n"
       "X-AspNet-Version: 4.0.30319\nX-AspNetMvc-Version: 5.2\n"
       "Server: Apache/2.4.57 (Unix) OpenSSL/3.0.11 PHP/8.2.12 mod_wsgi/4.9.4 "
       "Python/3.11\nX-Runtime: 0.012345\n\nInternal Server Error",
       0, NULL},
      /* Words that only look like the patterns */
      {"HTTP/1.1 500 Internal Server Error\n\nFatal error: the payment "
       "provider is down. Our engineers are on it; status at "
       "https://status.example.com/incidents/ORA.",
       0, NULL},
      {"HTTP/1.1 500 Internal Server Error\n\n{\"error\":\"internal\","
       "\"docs\":\"https://docs.example.com/errors/system.html\","
       "\"code\":\"E_SQL_UNAVAILABLE\",\"message\":\"The database is "
       "unavailable. Please try again.\"}",
       0, NULL},
      {"HTTP/1.1 503 Service Unavailable\n\n{\"error\":\"maintenance\","
       "\"token\":null,\"password_reset\":\"disabled until 10:00\"}",
       0, NULL},
  };
  run_table("server-error-leak", cases, sizeof cases / sizeof cases[0]);
}

/* Realistic leaks: debug modes left on, frameworks' raw exception output,
 * database drivers' messages. */
static void test_leak_corpus_real_leaks_fire(void **state)
{
  (void)state;
  static const struct check_case cases[] = {
      /* Spring Boot, server.error.include-stacktrace=always */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n"
       "\n{\"timestamp\":\"2026-11-22T03:04:05.678+00:00\",\"status\":500,"
       "\"error\":\"Internal Server Error\",\"trace\":\"java.lang."
       "NullPointerException: Cannot invoke \\\"com.example.User.getName()"
       "\\\" because \\\"user\\\" is null\\n\\tat com.example.api."
       "UserController.get(UserController.java:42)\\n\\tat java.base/"
       "jdk.internal.reflect.DirectMethodHandleAccessor.invoke("
       "DirectMethodHandleAccessor.java:103)\\n\",\"message\":\"Cannot "
       "invoke\",\"path\":\"/api/users/42\"}",
       1, "a Java stack trace: 'at com.example.api.UserController.get("},
      /* Java 9+ module frame alone */
      {ISE "\tat java.base/java.util.Objects.requireNonNull(Objects.java:209)",
       1, "a Java stack trace"},
      /* Flask debug (Werkzeug) */
      {"HTTP/1.1 500 INTERNAL SERVER ERROR\nServer: Werkzeug/3.0.1 "
       "Python/3.12.0\nContent-Type: text/html; charset=utf-8\n\n<!doctype "
       "html>\n<html lang=en>\n  <head>\n    <title>KeyError: 'user_id'\n "
       "// Werkzeug Debugger</title>\n    <link rel=\"stylesheet\" "
       "href=\"?__debugger__=yes&amp;cmd=resource&amp;f=style.css\">\n",
       1, "the Werkzeug debugger"},
      /* Django DEBUG = True, HTML (curly apostrophe, Django 3+) and the
       * plain-text variant API clients get */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<div id=\"explanation\">\n  <p>\n    You\xe2\x80\x99re seeing this "
       "error because you have <code>DEBUG = True</code> in your\n    Django "
       "settings file. Change that to <code>False</code>, and Django will\n"
       "    display a standard page generated by the handler for this status "
       "code.\n  </p>\n</div>",
       1, "the Django debug page"},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/plain; "
       "charset=utf-8\n\nProgrammingError at /api/users/\nrelation "
       "\"users_profile\" does not exist\nLINE 1: SELECT \"users_profile\"."
       "\"id\" FROM \"users_profile\"\n\nRequest Method: GET\nRequest URL: "
       "http://api.example.com/api/users/\nDjango Version: 4.2.7\n\n"
       "You're seeing this error because you have DEBUG = True in your\n"
       "Django settings file.",
       1, "a PostgreSQL error"},
      /* Rails development page */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\" "
       "/>\n  <title>Action Controller: Exception caught</title>\n",
       1, "the Rails debug page"},
      {ISE "NoMethodError (undefined method `name' for nil):\n  "
           "app/controllers/users_controller.rb:12:in 'UsersController#show'",
       1, "a Ruby backtrace: 'app/controllers/users_controller.rb:12:in'"},
      /* Laravel: Ignition page, debug JSON, Whoops (Laravel 5) */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<script>window.data = {\"report\":{\"exception_class\":"
       "\"Illuminate\\\\Database\\\\QueryException\",\"message\":\"...\"}};"
       "</script>",
       1, "the Laravel/Symfony debug page"},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n"
       "\n{\n    \"message\": \"Undefined variable $user\",\n    "
       "\"exception\": \"ErrorException\",\n    \"file\": "
       "\"/app/app/Http/Controllers/UserController.php\",\n    \"line\": "
       "25,\n    \"trace\": []\n}",
       1, "a server file path: '/app/app/Http/Controllers/UserController.php'"},
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<title>Whoops! There was an error.</title> ... <div "
       "class=\"frame-class\">Whoops\\Handler\\PrettyPageHandler</div>",
       1, "the Laravel/Symfony debug page"},
      /* ASP.NET: developer exception page, a Linux frame, a JSON-escaped
       * Windows frame */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<h1>An unhandled exception occurred while processing the "
       "request.</h1>\n<div class=\"titleerror\">NullReferenceException: "
       "Object reference not set to an instance of an object.</div>\n<p "
       "class=\"location\">Api.Controllers.UsersController.Get(int id) in "
       "<code title=\"C:\\src\\Api\\Controllers\\UsersController.cs\">"
       "UsersController.cs</code></p>",
       1, "the ASP.NET developer exception page"},
      {ISE "System.NullReferenceException: Object reference not set to an "
           "instance of an object.\n   at "
           "Api.Controllers.UsersController.Get(Int32 id) in "
           "C:\\src\\Api\\Controllers\\UsersController.cs:line 42",
       1, "a .NET exception: 'System.NullReferenceException:'"},
      {ISE "   at Api.Controllers.UsersController.Get(Int32 id) in "
           "/src/Api/Controllers/UsersController.cs:line 42",
       1, "a .NET stack frame"},
      {ISE "{\"error\":\"System.Exception: boom\"}", 1, "a .NET exception"},
      {ISE "Microsoft.Data.SqlClient.SqlException (0x80131904): Login failed",
       1, "a .NET exception"},
      /* Node.js */
      {ISE "ReferenceError: foo is not defined\n    at Object.<anonymous> "
           "(/usr/src/app/index.js:10:11)\n    at Module._compile "
           "(node:internal/modules/cjs/loader:1256:14)",
       1,
       "a Node.js stack trace: 'at Object.<anonymous> "
       "(/usr/src/app/index.js:10:11)'"},
      {ISE "{\"stack\":\"Error: db\\n    at async Promise.all (index 0)\\n    "
           "at async getUser (C:\\\\projects\\\\api\\\\src\\\\users.js:14:22)"
           "\"}",
       1, "a Node.js stack trace"},
      {ISE "TypeError: x\n    at new UserService (/workspace/api/dist/"
           "user.service.js:31:7)",
       1, "a Node.js stack trace"},
      {ISE "<pre>Error: boom<br> &nbsp; &nbsp;at Layer.handle [as "
           "handle_request] (/work/api/lib/router/layer.js:95:5)</pre>",
       1, "a Node.js stack trace"},
      /* Go */
      {ISE "panic: runtime error: invalid memory address or nil pointer "
           "dereference\n[signal SIGSEGV: segmentation violation code=0x1 "
           "addr=0x0 pc=0x4a5b6c]\n\ngoroutine 18 [running]:\n"
           "main.(*Server).getUser(0x0, {0x7f, 0x1})\n",
       1, "a Go panic trace"},
      {ISE "main.handler(...)\n\t/build/internal/handlers/users.go:42 +0x1d", 1,
       "a Go stack frame: '/build/internal/handlers/users.go:42 +0x1d'"},
      /* PHP warnings and notices with paths */
      {"HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n"
       "<br />\n<b>Warning</b>:  Undefined variable $user in "
       "<b>/usr/share/nginx/html/api/users.php</b> on line <b>12</b><br />",
       1, "a PHP error"},
      {ISE "PHP Warning:  mysqli_connect(): (HY000/2002): Connection refused "
           "in /var/www/html/db.php on line 5",
       1, "a PHP error"},
      /* SQL drivers and ORMs */
      {ISE "{\"error\":\"(psycopg2.errors.UndefinedTable) relation "
           "\\\"users\\\" does not exist\\nLINE 1: SELECT users.id FROM "
           "users\\n[SQL: SELECT users.id FROM users]\\n(Background on this "
           "error at: https://sqlalche.me/e/20/f405)\"}",
       1, "a PostgreSQL error"},
      {ISE "sqlalchemy.exc.OperationalError: connection refused", 1,
       "an SQLAlchemy error"},
      {ISE "{\"message\":\"could not execute statement; SQL [n/a]; constraint "
           "[uk_users_email]\"}",
       1, "a Hibernate error"},
      {ISE "{\"error\":\"SQLITE_ERROR: no such table: users\"}", 1,
       "an SQLite error: 'SQLITE_ERROR:'"},
      {ISE "Incorrect syntax near the keyword 'FROM'.", 1,
       "an SQL Server error"},
      {ISE "{\"error\":\"MongoServerError: E11000 duplicate key error "
           "collection: app.users index: email_1 dup key: { email: "
           "\\\"a@example.com\\\" }\"}",
       1, "a MongoDB error"},
      {ISE "{\"code\":\"ER_NO_SUCH_TABLE\",\"sqlMessage\":\"Table "
           "'app.users' doesn't exist\"}",
       1, "a MySQL error"},
      {ISE "ER_DUP_ENTRY: Duplicate entry 'a@example.com' for key "
           "'users.email'",
       1, "a MySQL error"},
      /* In headers */
      {"HTTP/1.1 500 Internal Server Error\nX-Debug-Exception: "
       "An%20exception%20occurred%20in%20the%20driver\n"
       "X-Debug-Exception-File: "
       "%2Fsrv%2Fapp%2Fvendor%2Fdoctrine%2Fdbal%2Fsrc%2FDriver.php:67\n",
       1, "a debug exception header: 'X-Debug-Exception'"},
      {"HTTP/1.1 500 Internal Server Error\nX-Error: "
       "java.lang.IllegalStateException: pool exhausted\n",
       1, "a Java exception"},
      {"HTTP/1.1 503 Service Unavailable\nX-Error-Source: "
       "/srv/api/app/db.py\n",
       1, "a server file path: '/srv/api/app/db.py'"},
      /* Paths in JSON, Windows paths with JSON-escaped backslashes */
      {ISE "{\"errno\":-2,\"code\":\"ENOENT\",\"syscall\":\"open\","
           "\"path\":\"/home/node/app/config/default.json\"}",
       1, "a server file path: '/home/node/app/config/default.json'"},
      {ISE "{\"error\":\"cannot open C:\\\\inetpub\\\\wwwroot\\\\web.config\"}",
       1, "a server file path"},
      {ISE "Error loading /var/task/index.mjs", 1, "a server file path"},
  };
  run_table("server-error-leak", cases, sizeof cases / sizeof cases[0]);
}

/* The evidence of a leak is a short, one-line excerpt; credentials in it
 * (a connection string, a password setting) are masked. */
static void test_leak_evidence_is_short_one_line_and_masked(void **state)
{
  (void)state;
  struct al_check_hits hits = {0};
  run_check("server-error-leak",
            ISE "Traceback (most recent call last):\n  File "
                "\"/srv/app/db.py\", line 3, in connect\n"
                "psycopg2.OperationalError: could not connect to "
                "postgresql://app:Sup3rS3cret@db:5432/app password=hunter22\n"
                "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
                "more lines that are never quoted",
            &hits);
  assert_int_equal(hits.count, 1);
  const char *ev = hits.items[0].evidence;
  assert_non_null(strstr(ev, "Traceback (most recent call last):"));
  assert_null(strchr(ev, '\n'));
  assert_true(strlen(ev) <= 130);
  assert_null(strstr(ev, "never quoted"));
  assert_null(strstr(ev, "Sup3rS3cret"));
  assert_null(strstr(ev, "hunter22"));
  al_check_hits_cleanup(&hits);

  /* The quote itself masks too. */
  run_check("server-error-leak",
            ISE "connect failed: mongodb://root:Pa55word@mongo:27017/app "
                "MongoServerError: auth failed",
            &hits);
  assert_int_equal(hits.count, 1);
  assert_non_null(strstr(hits.items[0].detail, "a MongoDB error"));
  assert_null(strstr(hits.items[0].evidence, "Pa55word"));
  assert_non_null(strstr(hits.items[0].evidence, "root:***@mongo"));
  al_check_hits_cleanup(&hits);

  /* A match deep in a 1 MiB body: the evidence is still short. */
  size_t n = 1 << 20;
  char *raw = malloc(n + 200);
  assert_non_null(raw);
  int head = snprintf(raw, 200, "%s", ISE);
  memset(raw + head, 'x', n);
  strcpy(raw + head + n - 100, "\n    at getUser (/app/src/users.js:14:22)");
  run_check("server-error-leak", raw, &hits);
  free(raw);
  assert_int_equal(hits.count, 1);
  assert_true(strlen(hits.items[0].evidence) <= 130);
  assert_true(strlen(hits.items[0].detail) <= 120);
  al_check_hits_cleanup(&hits);
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
      cmocka_unit_test(test_error_body_corpus_success_shapes_stay_quiet),
      cmocka_unit_test(test_error_body_corpus_hidden_failures_fire),
      cmocka_unit_test(test_leak_corpus_stock_error_pages_stay_quiet),
      cmocka_unit_test(test_leak_corpus_real_leaks_fire),
      cmocka_unit_test(test_leak_evidence_is_short_one_line_and_masked),
      cmocka_unit_test(test_unknown_check_names_get_a_suggestion),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
