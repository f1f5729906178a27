/* test_checks_catalogue.c - the named C checks behind the fuller catalogue
 * (rules/catalogue-checks.yaml), table-driven: what must fire and, above
 * all, what must stay quiet - the correct answers real servers send and
 * near misses (a problem+json with a real detail, a 202 whose link sits in
 * _links, a HEAD answer with only Content-Length, a browser's Accept). */
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

static void run_table(const char *name, const struct ck_case *cases, size_t n)
{
  int bad = 0;
  for (size_t i = 0; i < n; i++)
    bad += ck_expect(name, i, &cases[i], 0);
  assert_int_equal(bad, 0);
}

#define JSON_HEAD(status)                                                      \
  "HTTP/1.1 " status "\nContent-Type: application/json\n\n"

/* ------------------------------------------------------------------ */
/* accepted-without-monitor: no-monitor-link                           */

static void test_monitor_fires_without_any_way_to_follow(void **state)
{
  (void)state;
  static const struct ck_case cases[] = {
      {"POST", NULL, "HTTP/1.1 202 Accepted\n", 1, "an empty body"},
      {"POST", NULL, "HTTP/1.1 202 Accepted\nContent-Length: 0\n\n", 1,
       "an empty body"},
      {"POST", NULL, JSON_HEAD("202 Accepted") "{\"message\": \"accepted\"}", 1,
       "no link in the body"},
      {"POST", NULL, JSON_HEAD("202 Accepted") "{\"jobId\": \"7\"}", 1, NULL},
      /* An id and a status, but the client must guess the address. */
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"id\": \"7\", \"status\": \"queued\"}", 1,
       NULL},
      /* A link-named member without a URL or path. */
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"location\": \"eu-west-1\", \"url\": \"\"}",
       1, NULL},
      {"POST", NULL,
       "HTTP/1.1 202 Accepted\nContent-Type: text/plain\n\nqueued, come back "
       "later",
       1, NULL},
      /* An empty Location is no way to follow anything. */
      {"POST", NULL, "HTTP/1.1 202 Accepted\nLocation: \n", 1, NULL},
      /* Inside links, a child that is neither a path nor a URL. */
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"links\": {\"status\": \"queued\"}}", 1,
       NULL},
      {"DELETE", NULL, JSON_HEAD("202 Accepted") "{}", 1, NULL},
  };
  run_table("no-monitor-link", cases, sizeof cases / sizeof cases[0]);
}

static void test_monitor_quiet_with_a_link_anywhere(void **state)
{
  (void)state;
  static const struct ck_case cases[] = {
      {"POST", NULL, "HTTP/1.1 202 Accepted\nLocation: /jobs/7\n", 0, NULL},
      {"POST", NULL, "HTTP/1.1 202 Accepted\nContent-Location: /jobs/7\n", 0,
       NULL},
      {"POST", NULL,
       "HTTP/1.1 202 Accepted\nLink: </jobs/7>; rel=\"monitor\"\n", 0, NULL},
      /* Azure's long-running operations. */
      {"PUT", NULL,
       "HTTP/1.1 202 Accepted\nOperation-Location: "
       "https://x.cognitiveservices.azure.com/operations/7\n",
       0, NULL},
      {"PUT", NULL,
       "HTTP/1.1 202 Accepted\nAzure-AsyncOperation: "
       "https://management.azure.com/operations/7\n",
       0, NULL},
      /* HAL, JSON:API, plain members, nested, relative paths. */
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"_links\": {\"self\": {\"href\": "
                                 "\"/jobs/7\"}}}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"data\": {\"id\": \"7\", \"links\": "
                                 "{\"self\": \"https://api.x.com/jobs/7\"}}}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"status_url\": \"jobs/7/status\"}", 0,
       NULL},
      {"POST", NULL, JSON_HEAD("202 Accepted") "{\"statusUrl\": \"/jobs/7\"}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"monitor\": \"/operations/7\"}", 0, NULL},
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"links\": [{\"rel\": \"status\", "
                                 "\"href\": \"/jobs/7\"}]}",
       0, NULL},
      /* Azure Durable Functions. */
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"id\": \"abc\", \"statusQueryGetUri\": "
                                 "\"http://localhost:7071/runtime/webhooks/"
                                 "durabletask/instances/abc\"}",
       0, NULL},
      /* Any absolute URL, whatever the member's name. */
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"job\": {\"poll\": "
                                 "\"https://api.x.com/jobs/7\"}}",
       0, NULL},
      {"POST", NULL, JSON_HEAD("202 Accepted") "\"https://api.x.com/jobs/7\"",
       0, NULL},
      {"POST", NULL,
       "HTTP/1.1 202 Accepted\nContent-Type: text/plain\n\nSee "
       "HTTPS://api.x.com/jobs/7 for progress",
       0, NULL},
      {"POST", NULL,
       "HTTP/1.1 202 Accepted\nContent-Type: text/html\n\n<p>Queued: <a "
       "href=\"/jobs/7\">status</a></p>",
       0, NULL},
      /* Any path inside a link-named member, whatever the child's name. */
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"id\": \"op_123\", \"links\": "
                                 "{\"status\": \"/operations/op_123\"}}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("202 Accepted") "{\"_links\": {\"job\": \"jobs/7\"}}", 0,
       NULL},
      /* A 202 to GET or HEAD: the request's own URL is the monitor
       * (GitHub's statistics "computing, ask again"). */
      {NULL, NULL, JSON_HEAD("202 Accepted") "{}", 0, NULL},
      {"GET", NULL, "HTTP/1.1 202 Accepted\nContent-Length: 0\n\n", 0, NULL},
      {"HEAD", NULL, "HTTP/1.1 202 Accepted\n", 0, NULL},
  };
  run_table("no-monitor-link", cases, sizeof cases / sizeof cases[0]);
}

/* ------------------------------------------------------------------ */
/* client-error-without-detail: no-error-detail                        */

static void test_error_detail_fires_on_bodies_that_say_nothing(void **state)
{
  (void)state;
  static const struct ck_case cases[] = {
      {"POST", NULL, "HTTP/1.1 400 Bad Request\n", 1, "empty body"},
      {"POST", NULL, "HTTP/1.1 400 Bad Request\n\n  \r\n ", 1, "empty body"},
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/plain\n\nBad Request", 1,
       "the body says only 'Bad Request'"},
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/plain\n\n400 Bad "
       "Request\n",
       1, NULL},
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/plain\n\nerror", 1, NULL},
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/plain\n\nInvalid request.",
       1, NULL},
      {"POST", NULL, JSON_HEAD("400 Bad Request") "{}", 1, NULL},
      {"POST", NULL, JSON_HEAD("400 Bad Request") "null", 1, NULL},
      {"POST", NULL, JSON_HEAD("400 Bad Request") "\"Bad Request\"", 1, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": \"Bad Request\"}", 1,
       "'{\"error\": \"Bad Request\"}'"},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": \"BAD_REQUEST\"}", 1, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"name\": \"BadRequestException\", "
                                    "\"message\": \"Bad Request\"}",
       1, NULL},
      /* Spring Boot's default error body. */
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"timestamp\": "
                                    "\"2026-11-22T03:04:05.678+00:00\", "
                                    "\"status\": 400, \"error\": \"Bad "
                                    "Request\", \"path\": \"/api/users\"}",
       1, NULL},
      /* ASP.NET Core's bare ProblemDetails. */
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: application/problem+json\n\n"
       "{\"type\": \"https://tools.ietf.org/html/rfc9110#section-15.5.1\", "
       "\"title\": \"Bad Request\", \"status\": 400, \"traceId\": "
       "\"00-84c1fd4063c38d9f3900d06e56542d48-85d1d4-00\"}",
       1, NULL},
      /* Spring Boot 3's ProblemDetail for any unreadable body: its detail
       * is a fixed text that names nothing. */
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: application/problem+json\n\n"
       "{\"type\": \"about:blank\", \"title\": \"Bad Request\", "
       "\"status\": 400, \"detail\": \"Failed to read request\", "
       "\"instance\": \"/ce3\"}",
       1, NULL},
      /* NestJS without a ValidationPipe message. */
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"statusCode\": 400, \"message\": \"Bad "
                                    "Request\"}",
       1, NULL},
      /* Rails API default. */
      {"POST", NULL,
       JSON_HEAD("422 Unprocessable Entity") "{\"status\": 422, \"error\": "
                                             "\"Unprocessable Entity\"}",
       1, NULL},
      /* Google-style envelope that says nothing. */
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": {\"code\": 400, \"message\": "
                                    "\"Bad Request\", \"status\": "
                                    "\"INVALID_ARGUMENT\"}}",
       1, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"success\": false, \"message\": "
                                    "\"Validation failed\"}",
       1, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": \"invalid_request\"}", 1,
       NULL},
      {"POST", NULL, JSON_HEAD("400 Bad Request") "{\"errors\": []}", 1, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"errors\": [{\"code\": \"invalid\"}]}",
       1, NULL},
      {"PUT", NULL,
       JSON_HEAD("409 Conflict") "{\"message\": \"Conflict\", \"requestId\": "
                                 "\"7f3c9a\"}",
       1, NULL},
      /* Seed 004: jsonify(error="잘못된 요청입니다."), 400 */
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": \"\xEC\x9E\x98\xEB\xAA\xBB"
                                    "\xEB\x90\x9C \xEC\x9A\x94\xEC\xB2\xAD"
                                    "\xEC\x9E\x85\xEB\x8B\x88\xEB\x8B\xA4."
                                    "\"}",
       1, NULL},
      /* Stock pages: nginx, Apache, Werkzeug, Django, Express. */
      {"GET", NULL,
       "HTTP/1.1 400 Bad Request\nServer: nginx/1.22.1\nContent-Type: "
       "text/html\n\n<html>\r\n<head><title>400 Bad Request</title></head>\r\n"
       "<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>"
       "nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n<!-- a padding to "
       "disable MSIE and Chrome friendly error page -->\r\n",
       1, NULL},
      {"GET", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/html\n\n<html><head>"
       "<title>400 Bad Request</title></head><body><center><h1>400 Bad "
       "Request</h1></center><hr><center>nginx</center></body></html>",
       1, NULL},
      {"GET", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/html\n\n<!DOCTYPE HTML "
       "PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>400 Bad "
       "Request</title>\n</head><body>\n<h1>Bad Request</h1>\n<p>Your browser "
       "sent a request that this server could not understand.<br />\n</p>\n"
       "<hr>\n<address>Apache/2.4.57 (Debian) Server at localhost Port "
       "80</address>\n</body></html>\n",
       1, NULL},
      {"POST", NULL,
       "HTTP/1.1 400 BAD REQUEST\nContent-Type: text/html; "
       "charset=utf-8\n\n<!doctype html>\n<html lang=en>\n<title>400 Bad "
       "Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent "
       "a request that this server could not understand.</p>\n",
       1, NULL},
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/html\n\n<h1>Bad Request "
       "(400)</h1>",
       1, NULL},
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/html\n\n<!DOCTYPE "
       "html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
       "Error</title>\n</head>\n<body>\n<pre>Bad Request</pre>\n</body>\n"
       "</html>\n",
       1, NULL},
  };
  run_table("no-error-detail", cases, sizeof cases / sizeof cases[0]);
}

static void test_error_detail_quiet_when_the_body_explains(void **state)
{
  (void)state;
  static const struct ck_case cases[] = {
      /* Seed 000's three good answers. */
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"message\" : \"'name'(body) must be "
                                    "String, input 'name': 123\"}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"errors\": [{\"location\": \"body\", "
                                    "\"param\": \"name\", \"value\": 123, "
                                    "\"error\": \"TypeError\", \"msg\": "
                                    "\"must be String\"}]}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"errors\": {\"message\": \"'name'(body) "
                                    "must be String, input 'name': 123\", "
                                    "\"detail\": []}}",
       0, NULL},
      /* RFC 9457 with a detail, and with invalid-params only. */
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: application/problem+json\n\n"
       "{\"type\": \"about:blank\", \"title\": \"Bad Request\", \"status\": "
       "400, \"detail\": \"age must be a positive integer\"}",
       0, NULL},
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: application/problem+json\n\n"
       "{\"type\": \"https://example.net/validation-error\", \"title\": "
       "\"Bad Request\", \"invalid-params\": [{\"name\": \"age\", \"reason\": "
       "\"must be a positive integer\"}]}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("422 Unprocessable Content") "{\"errors\": [{\"field\": "
                                              "\"email\", \"message\": "
                                              "\"invalid\"}]}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": \"email is "
                                    "required\"}",
       0, NULL},
      /* Django REST framework, Rails, Laravel, FastAPI, GitHub, Stripe. */
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"email\": [\"This field is "
                                    "required.\"]}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("422 Unprocessable Entity") "{\"errors\": {\"email\": "
                                             "[\"invalid\"]}}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("422 Unprocessable Content") "{\"message\": \"The given data "
                                              "was invalid.\", \"errors\": "
                                              "{\"email\": [\"The email field "
                                              "is required.\"]}}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("422 Unprocessable Entity") "{\"detail\": [{\"loc\": "
                                             "[\"body\", \"email\"], \"msg\": "
                                             "\"field required\", \"type\": "
                                             "\"value_error.missing\"}]}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("422 Unprocessable Entity") "{\"message\": \"Validation "
                                             "Failed\", \"errors\": "
                                             "[{\"resource\": \"Issue\", "
                                             "\"field\": \"title\", \"code\": "
                                             "\"missing_field\"}]}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": {\"type\": "
                                    "\"invalid_request_error\", \"message\": "
                                    "\"Missing required param: amount.\", "
                                    "\"param\": \"amount\"}}",
       0, NULL},
      /* ASP.NET Core's ValidationProblemDetails. */
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: application/problem+json\n\n"
       "{\"type\": \"https://tools.ietf.org/html/rfc9110#section-15.5.1\", "
       "\"title\": \"One or more validation errors occurred.\", \"status\": "
       "400, \"errors\": {\"Email\": [\"The Email field is required.\"]}}",
       0, NULL},
      /* OAuth 2.0 with a description; a specific error code. */
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": \"invalid_request\", "
                                    "\"error_description\": \"Missing "
                                    "grant_type\"}",
       0, NULL},
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": \"invalid_grant\"}", 0, NULL},
      {"PUT", NULL, JSON_HEAD("409 Conflict") "{\"code\": \"EMAIL_TAKEN\"}", 0,
       NULL},
      {"PUT", NULL,
       JSON_HEAD("409 Conflict") "{\"message\" : \"First, delete posts\", "
                                 "\"links\": [{\"rel\": \"posts.delete\", "
                                 "\"href\": \"/v1/users/1/posts\"}]}",
       0, NULL},
      /* Seed 004: jsonify(error="이름이 필요합니다."), 400 ("name is
       * required"): Korean text is detail. */
      {"POST", NULL,
       JSON_HEAD("400 Bad Request") "{\"error\": \"\xEC\x9D\xB4\xEB\xA6\x84"
                                    "\xEC\x9D\xB4 \xED\x95\x84\xEC\x9A\x94"
                                    "\xED\x95\xA9\xEB\x8B\x88\xEB\x8B\xA4."
                                    "\"}",
       0, NULL},
      {"POST", NULL, JSON_HEAD("400 Bad Request") "[\"email is required\"]", 0,
       NULL},
      /* Text and HTML that say more than the reason phrase. */
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/plain\n\nmissing name\n",
       0, NULL},
      {"POST", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/plain\n\nBad Request\n"
       "Unexpected token } in JSON at position 10\n",
       0, NULL},
      {"GET", NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: text/html\n\n<html><body>"
       "<h2>Bad Request - Invalid URL</h2><hr><p>HTTP Error 400. The request "
       "URL is invalid.</p></body></html>",
       0, NULL},
      {"GET", NULL,
       "HTTP/1.1 400 Bad Request\nServer: nginx\nContent-Type: "
       "text/html\n\n<html><head><title>400 Request Header Or Cookie Too "
       "Large</title></head><body><center><h1>400 Bad Request</h1></center>"
       "<center>Request Header Or Cookie Too Large</center><hr><center>nginx"
       "</center></body></html>",
       0, NULL},
      /* Not judged: HEAD, and a body cut at the limit. */
      {"HEAD", NULL, "HTTP/1.1 400 Bad Request\nContent-Length: 40\n", 0, NULL},
  };
  run_table("no-error-detail", cases, sizeof cases / sizeof cases[0]);
}

/* A body cut at the read limit is not judged by the body checks. */
static void test_cut_bodies_are_not_judged(void **state)
{
  (void)state;
  static const struct {
    const char *check;
    struct ck_case c;
  } cases[] = {
      {"no-error-detail",
       {"POST", NULL, "HTTP/1.1 400 Bad Request\n\nBad Request", 1, NULL}},
      {"no-monitor-link",
       {"POST", NULL, JSON_HEAD("202 Accepted") "{\"message\": \"queued\"}", 1,
        NULL}},
      {"body-status-mismatch",
       {NULL, NULL, JSON_HEAD("200 OK") "{\"status\": 500}", 1, NULL}},
      {"content-type-body",
       {NULL, NULL, JSON_HEAD("200 OK") "{\"items\": [1, 2, 3", 1, NULL}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct al_check_hits whole = {0}, cut = {0};
    ck_run(cases[i].check, &cases[i].c, 0, &whole);
    ck_run(cases[i].check, &cases[i].c, CK_TRUNCATED, &cut);
    /* The same bytes fire when whole and stay quiet when cut. */
    if (whole.count != 1 || cut.count != 0)
      print_error("%s: whole %zu hit(s), cut %zu\n", cases[i].check,
                  whole.count, cut.count);
    assert_int_equal(whole.count, 1);
    assert_int_equal(cut.count, 0);
    al_check_hits_cleanup(&whole);
    al_check_hits_cleanup(&cut);
  }
}

/* ------------------------------------------------------------------ */
/* status-mismatch-in-body: body-status-mismatch                       */

static void test_body_status_mismatch(void **state)
{
  (void)state;
  static const struct ck_case cases[] = {
      /* Seed 000's "plainly wrong" example. */
      {NULL, NULL, JSON_HEAD("200 OK") "{\"result\" : false, \"status\" : 400}",
       1, "\"status\": 400"},
      {NULL, NULL,
       JSON_HEAD("500 Internal Server Error") "{\"statusCode\": 200}", 1,
       "\"statusCode\": 200"},
      {NULL, NULL, JSON_HEAD("404 Not Found") "{\"Status\": 400}", 1, NULL},
      {NULL, NULL, JSON_HEAD("400 Bad Request") "{\"status_code\": 422}", 1,
       NULL},
      {NULL, NULL,
       "HTTP/1.1 400 Bad Request\nContent-Type: application/problem+json\n\n"
       "{\"type\": \"about:blank\", \"title\": \"Not Found\", \"status\": 404}",
       1, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"status\": 201.0}", 1, NULL},
      /* Quiet: the same status, strings, out of range, nested, lists. */
      {NULL, NULL, JSON_HEAD("400 Bad Request") "{\"status\": 400}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"status\": \"400\"}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"status\": \"UP\"}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"status\": 1}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"status\": 99}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"status\": 600}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"status\": 404.5}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"code\": 404}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"data\": {\"status\": 500}}", 0,
       NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "[{\"status\": 500}]", 0, NULL},
      {NULL, NULL, "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nstatus: 500",
       0, NULL},
      /* A resource with its own outcome (the error-body exemption). */
      {NULL, NULL,
       JSON_HEAD("200 OK") "{\"id\": \"delivery_9\", \"statusCode\": 503}", 0,
       NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"uuid\": \"x\", \"status\": 500}", 0,
       NULL},
      {NULL, NULL,
       JSON_HEAD("200 OK") "{\"name\": \"operations/7\", \"done\": true, "
                           "\"status\": 500}",
       0, NULL},
      {NULL, NULL,
       JSON_HEAD("200 OK") "{\"state\": \"failed\", \"status\": 502}", 0, NULL},
  };
  run_table("body-status-mismatch", cases, sizeof cases / sizeof cases[0]);
}

/* ------------------------------------------------------------------ */
/* content-type-mismatch: content-type-body                            */

static void test_content_type_body(void **state)
{
  (void)state;
  static const struct ck_case cases[] = {
      {NULL, NULL,
       JSON_HEAD("502 Bad Gateway") "<html><head><title>502 Bad "
                                    "Gateway</title></head></html>",
       1, "Content-Type application/json but the body is not JSON: '<html>"},
      {NULL, NULL, JSON_HEAD("200 OK") "callback({\"id\": 1})", 1, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"id\": 1", 1, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{'id': 1}", 1, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "OK", 1, NULL},
      {NULL, NULL,
       "HTTP/1.1 500 Internal Server Error\nContent-Type: "
       "application/problem+json\n\nInternal Server Error",
       1, "Content-Type application/problem+json"},
      {NULL, NULL,
       "HTTP/1.1 200 OK\nContent-Type: Application/JSON; charset=UTF-8\n\n"
       "<?xml version=\"1.0\"?><a/>",
       1, NULL},
      {NULL, NULL,
       "HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\n\n{\"id\": 1}",
       1, "Content-Type text/html but the body is JSON"},
      {NULL, NULL, "HTTP/1.1 200 OK\nContent-Type: text/html\n\n[1, 2]", 1,
       NULL},
      /* RFC 8259 §2: one value, not several (a stream is NDJSON, which has
       * media types of its own); §8.1: UTF-8. */
      {NULL, NULL, JSON_HEAD("200 OK") "{\"a\":1}{\"a\":1}", 1,
       "Content-Type application/json but the body is not one JSON value but "
       "several in a row (RFC 8259 §2; NDJSON has its own media types): "
       "'{\"a\":1}{\"a\":1}'"},
      {NULL, NULL,
       JSON_HEAD("200 OK") "{\"status\": \"Pulling\"}\r\n{\"status\": "
                           "\"Done\"}\r\n",
       1, "several in a row"},
      {NULL, NULL, JSON_HEAD("200 OK") "1 2", 1, "several in a row"},
      {NULL, NULL,
       "HTTP/1.1 200 OK\nContent-Type: application/json; "
       "charset=iso-8859-1\n\n{\"name\": \"Jos\xE9\"}",
       1,
       "Content-Type application/json but the body is not UTF-8 (RFC 8259 "
       "§8.1): byte 0xE9 at offset 13 of '{\"name\": \"Jos"},
      {NULL, NULL, JSON_HEAD("200 OK") "\"\xC0\xAF\"", 1,
       "byte 0xC0 at offset 1"},
      {NULL, NULL, JSON_HEAD("200 OK") "\"\xED\xA0\x80\"", 1, "not UTF-8"},
      {NULL, NULL, JSON_HEAD("200 OK") "\xEF\xBB\xBF[\"\xFF\"]", 1,
       "byte 0xFF at offset 5"},
      /* Quiet: JSON in every shape, other labels, nothing to judge. */
      {NULL, NULL, JSON_HEAD("200 OK") "{\"id\": 1}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "\xEF\xBB\xBF {\"id\": 1}\n", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "[]", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "\"text\"", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "null", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "42", 0, NULL},
      {NULL, NULL,
       "HTTP/1.1 200 OK\nContent-Type: application/stream+json\n\n{\"a\": 1}\n"
       "{\"a\": 2}\n",
       0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"name\": \"Jos\xC3\xA9\"}", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "", 0, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "  \n", 0, NULL},
      {NULL, NULL,
       "HTTP/1.1 200 OK\nContent-Type: application/x-ndjson\n\n{\"a\": 1}\n"
       "{\"a\": 2}\n",
       0, NULL},
      {NULL, NULL,
       "HTTP/1.1 200 OK\nContent-Type: application/vnd.api+json\n\n{\"data\": "
       "[]}",
       0, NULL},
      {NULL, NULL, "HTTP/1.1 200 OK\nContent-Type: text/plain\n\n{\"id\": 1}",
       0, NULL},
      {NULL, NULL,
       "HTTP/1.1 200 OK\nContent-Type: text/html\n\n<p>{\"id\": 1}</p>", 0,
       NULL},
      {NULL, NULL, "HTTP/1.1 200 OK\nContent-Type: text/html\n\n{not json", 0,
       NULL},
      {NULL, NULL, "HTTP/1.1 200 OK\nContent-Type: text/html\n\n\"a string\"",
       0, NULL},
      {NULL, NULL, "HTTP/1.1 200 OK\n\nnot json", 0, NULL},
      {NULL, NULL, "HTTP/1.1 200 OK\nContent-Type: json\n\nnot json", 0, NULL},
      {NULL, NULL,
       "HTTP/1.1 200 OK\nContent-Type: application/json-seq\n\n\x1e{}\n", 0,
       NULL},
      {"HEAD", NULL,
       "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 5\n",
       0, NULL},
      {NULL, NULL, "HTTP/1.1 204 No Content\nContent-Type: application/json\n",
       0, NULL},
      /* RFC 8259 8.2 allows lone surrogate escapes (cJSON does not):
       * JavaScript's JSON.stringify of a string cut mid-emoji. */
      {NULL, NULL,
       JSON_HEAD("200 OK") "{\"name\": \"\\ud83d\\ude00 ok\", \"bad\": "
                           "\"\\udc00\"}",
       0, NULL},
      {NULL, NULL,
       JSON_HEAD("200 OK") "{\"id\": 7, \"preview\": \"Loved it \\uD83D\"}", 0,
       NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "[\"\\\\\", \"\\ud800\"]", 0, NULL},
      /* ... but a bad escape, or a cut string, is still not JSON. */
      {NULL, NULL, JSON_HEAD("200 OK") "{\"a\": \"\\x\"}", 1, NULL},
      {NULL, NULL, JSON_HEAD("200 OK") "{\"a\": \"\\ud83d", 1, NULL},
  };
  run_table("content-type-body", cases, sizeof cases / sizeof cases[0]);
}

/* Arrays nested deeper than cJSON parses (1000) are valid JSON: not
 * judged. Shallower garbage still is. */
static void test_content_type_body_deep_nesting(void **state)
{
  (void)state;
  static const char head[] = JSON_HEAD("200 OK");
  static const size_t depths[] = {1001, 3000, 999};
  for (size_t d = 0; d < 3; d++) {
    size_t depth = depths[d];
    char *raw = malloc(sizeof head + 2 * depth + 1);
    assert_non_null(raw);
    memcpy(raw, head, sizeof head - 1);
    char *p = raw + sizeof head - 1;
    memset(p, '[', depth);
    memset(p + depth, ']', depth);
    p[2 * depth] = '\0';
    struct ck_case c = {NULL, NULL, raw, 0, NULL};
    int bad = ck_expect("content-type-body", d, &c, 0);
    /* the same, cut short: judged (and fires) only when cJSON can parse
     * that deep */
    p[2 * depth - 1] = '\0';
    struct ck_case cut = {NULL, NULL, raw, depth <= 1000, NULL};
    bad += ck_expect("content-type-body", d, &cut, 0);
    free(raw);
    assert_int_equal(bad, 0);
  }
  /* brackets inside a string do not count as nesting */
  char *raw = malloc(sizeof head + 2100);
  assert_non_null(raw);
  memcpy(raw, head, sizeof head - 1);
  char *p = raw + sizeof head - 1;
  p[0] = '"';
  memset(p + 1, '[', 2000);
  memcpy(p + 2001, "\"x", 3);
  struct ck_case c = {NULL, NULL, raw, 1, NULL};
  int bad = ck_expect("content-type-body", 9, &c, 0);
  free(raw);
  assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* not-acceptable-ignored: accept-unmatched                            */

#define OK_AS(type) "HTTP/1.1 200 OK\nContent-Type: " type "\n\nx"

static void test_accept_unmatched(void **state)
{
  (void)state;
  static const struct ck_case cases[] = {
      {NULL, "application/xml", OK_AS("application/json"), 1,
       "Accept: application/xml, got Content-Type: application/json"},
      {NULL, "application/json", OK_AS("text/html; charset=utf-8"), 1,
       "got Content-Type: text/html"},
      {NULL, "text/*", OK_AS("application/json"), 1, NULL},
      {NULL, "application/json, */*;q=0", OK_AS("text/html"), 1, NULL},
      {NULL, "application/json;q=0", OK_AS("application/json"), 1, NULL},
      {NULL, "application/json; q=0.000", OK_AS("application/json"), 1, NULL},
      /* The most specific range decides (RFC 9110 12.5.1). */
      {NULL, "text/html;q=0, */*", OK_AS("text/html"), 1, NULL},
      {NULL, "application/x-apilint-unsupported", OK_AS("application/json"), 1,
       NULL},
      {"HEAD", "application/xml",
       "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 9\n",
       1, NULL},
      /* A type the client did not list at all. */
      {NULL, "text/csv", OK_AS("application/json"), 1, NULL},
      /* Quiet. */
      {NULL, "application/json", OK_AS("application/json; charset=utf-8"), 0,
       NULL},
      {NULL, "Application/JSON", OK_AS("application/json"), 0, NULL},
      {NULL, "*/*", OK_AS("image/png"), 0, NULL},
      {NULL, "application/*", OK_AS("application/json"), 0, NULL},
      {NULL,
       "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
       "image/webp,*/*;q=0.8",
       OK_AS("application/json"), 0, NULL},
      /* Java's HttpURLConnection default: "*" is not a media range. */
      {NULL, "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
       OK_AS("application/json"), 0, NULL},
      {NULL, "application/json", OK_AS("application/hal+json"), 0, NULL},
      {NULL, "application/json", OK_AS("application/problem+json"), 0, NULL},
      /* RFC 6839 3.1: GitHub answers its vnd.github+json with plain JSON. */
      {NULL, "application/vnd.github+json",
       OK_AS("application/json; charset=utf-8"), 0, NULL},
      {NULL, "application/vnd.github.v3+json", OK_AS("application/json"), 0,
       NULL},
      {NULL, "application/atom+xml", OK_AS("application/xml"), 0, NULL},
      /* ... but not the other way round, nor across suffixes. */
      {NULL, "application/vnd.github+json", OK_AS("application/xml"), 1, NULL},
      {NULL, "application/atom+xml", OK_AS("application/json"), 1, NULL},
      {NULL, "application/json;q=0.5, text/plain;q=0",
       OK_AS("application/json"), 0, NULL},
      {NULL, "text/html;q=0, text/*", OK_AS("text/plain"), 0, NULL},
      {NULL, "application/json;q=0.001", OK_AS("application/json"), 0, NULL},
      {NULL, "application/json; version=\"2,3\"", OK_AS("application/json"), 0,
       NULL},
      {NULL, "", OK_AS("application/json"), 0, NULL},
      {NULL, NULL, OK_AS("application/json"), 0, NULL},
      {NULL, "application/xml", "HTTP/1.1 200 OK\n\nx", 0, NULL},
      {NULL, "application/xml",
       "HTTP/1.1 406 Not Acceptable\nContent-Type: application/json\n\n{}", 0,
       NULL},
      {NULL, "application/xml",
       "HTTP/1.1 404 Not Found\nContent-Type: text/html\n\nx", 0, NULL},
      {"DELETE", "application/xml",
       "HTTP/1.1 204 No Content\nContent-Type: application/json\n", 0, NULL},
      {NULL, "application/xml", OK_AS("garbage"), 0, NULL},
  };
  run_table("accept-unmatched", cases, sizeof cases / sizeof cases[0]);

  /* Without a request there is nothing to compare. */
  struct al_check_hits hits = {0};
  ck_run("accept-unmatched", &cases[0], CK_NO_REQUEST, &hits);
  assert_int_equal(hits.count, 0);
}

/* ------------------------------------------------------------------ */
/* www-authenticate-invalid: www-authenticate-syntax                   */

static void test_www_authenticate_syntax(void **state)
{
  (void)state;
  static const char *const valid[] = {
      "Bearer realm=\"api\", error=\"invalid_token\"",
      "Basic realm=\"x\", charset=\"UTF-8\"",
      "Negotiate",
      "Negotiate abc123==",
      "Negotiate YIIB+wYGKwYBBQUCoIIB7zCCAeugDTALBgkqhkiG9xIBAgKiggHYBIIB1GBpZ",
      "Basic realm=\"a\", Bearer realm=\"b\"",
      "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic "
      "realm=\"simple\"",
      "Bearer realm=\"api\",",
      ", Bearer",
      "Bearer realm = \"api\"",
      "Bearer realm=api",
      "Bearer",
      "Bearer, Basic",
      "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
      "algorithm=SHA-256, "
      "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\""
      ", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"",
      "Bearer error=\"invalid_token\", error_description=\"The access token "
      "expired\"",
      "AWS4-HMAC-SHA256",
      "Bearer realm=\"\"",
      "Bearer , realm=\"a\"",
      "Basic realm=\"caf\xC3\xA9\"",
      "Negotiate abc==, Basic realm=\"x\"",
      /* "realm=" is a token68 by the grammar, like "abc==". */
      "Bearer realm=",
  };
  static const struct {
    const char *value;
    const char *why;
  } invalid[] = {
      {"realm=\"api\"", "an auth-param before any auth-scheme at byte 0"},
      {"Bearer realm=\"unterminated", "an unterminated quoted-string"},
      {"Bearer ,,=", "expected an auth-scheme or an auth-param"},
      {"", "an empty value"},
      {",", "an empty value"},
      {"Bearer realm=\"api\" error=\"x\"",
       "no comma after an auth-param at byte 19"},
      {"realm=\"api\" Bearer", "an auth-param before any auth-scheme"},
      {"Bearer realm=\"a\", error=",
       "an auth-param without a value at byte 24"},
      {"Bearer realm=<x>", "neither a token nor a quoted-string at byte 13"},
      {"Bearer realm=\"a\\", NULL},
      {"Negotiate abc==, realm=\"x\"", "an auth-param after a token68"},
      {"Bearer=\"x\"", "an auth-param before any auth-scheme"},
      {"Bearer\"x\"", "neither a space nor a comma"},
      {"Bearer @@@", "neither a token68 nor an auth-param"},
      {"B\xC3\xA9\x61rer realm=\"x\"", NULL},
      {"Bearer realm=\"a\x01\"", NULL},
  };
  int bad = 0;
  for (size_t i = 0;
       i < sizeof valid / sizeof valid[0] + sizeof invalid / sizeof invalid[0];
       i++) {
    size_t nv = sizeof valid / sizeof valid[0];
    const char *value = i < nv ? valid[i] : invalid[i - nv].value;
    const char *why = i < nv ? NULL : invalid[i - nv].why;
    char raw[512];
    snprintf(raw, sizeof raw,
             "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: %s\n", value);
    struct ck_case c = {NULL, NULL, raw, i >= nv, why};
    struct al_check_hits hits = {0};
    ck_run("www-authenticate-syntax", &c, 0, &hits);
    if (hits.count != (i >= nv ? 1u : 0u) ||
        (why && !strstr(hits.items[0].detail, why))) {
      print_error("'%s': %zu hit(s) '%s'%s%s\n", value, hits.count,
                  hits.count ? hits.items[0].detail : "",
                  why ? ", expected " : "", why ? why : "");
      bad++;
    }
    al_check_hits_cleanup(&hits);
  }
  assert_int_equal(bad, 0);

  /* One finding per bad field; a good field beside it stays quiet; any
   * status; no field at all is another rule's business. */
  static const struct ck_case more[] = {
      {NULL, NULL,
       "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic "
       "realm=\"x\"\nWWW-Authenticate: realm=\"y\"\n",
       1, "'realm=\"y\"'"},
      {NULL, NULL, "HTTP/1.1 200 OK\nWWW-Authenticate: =\n", 1, NULL},
      {NULL, NULL, "HTTP/1.1 401 Unauthorized\n", 0, NULL},
      {NULL, NULL,
       "HTTP/1.1 407 Proxy Authentication Required\n"
       "Proxy-Authenticate: realm=\"x\"\n",
       0, NULL},
  };
  run_table("www-authenticate-syntax", more, sizeof more / sizeof more[0]);

  /* An empty field beside a real challenge is an empty list element of
   * the combined value (RFC 9110 5.6.1). */
  static const struct ck_case empty[] = {
      {NULL, NULL,
       "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: \nWWW-Authenticate: "
       "Negotiate\n",
       0, NULL},
      /* Alone it is no challenge at all. */
      {NULL, NULL, "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: \n", 1,
       "an empty value"},
  };
  run_table("www-authenticate-syntax", empty, sizeof empty / sizeof empty[0]);

  struct ck_case two = {NULL, NULL,
                        "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: a=b\n"
                        "WWW-Authenticate: Basic\nWWW-Authenticate: ,=\n",
                        1, NULL};
  struct al_check_hits hits = {0};
  ck_run("www-authenticate-syntax", &two, 0, &hits);
  assert_int_equal(hits.count, 2);
  assert_string_equal(hits.items[1].evidence, "WWW-Authenticate: ,=");
  al_check_hits_cleanup(&hits);
}

/* ------------------------------------------------------------------ */
/* head-with-body: head-body                                           */

static void test_head_body_counts_only_bytes(void **state)
{
  (void)state;
  static const struct ck_case cases[] = {
      {"HEAD", NULL,
       "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: "
       "9\n\n{\"id\": 1}",
       1, "9 bytes sent after the head"},
      {"HEAD", NULL, "HTTP/1.1 200 OK\n\nx", 1, "1 byte sent after the head"},
      {"HEAD", NULL, "HTTP/1.1 404 Not Found\n\nnot found", 1, NULL},
      /* Content-Length and Transfer-Encoding describe the GET: legal. */
      {"HEAD", NULL,
       "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 9\n",
       0, NULL},
      {"HEAD", NULL, "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n", 0, NULL},
      {"HEAD", NULL, "HTTP/1.1 200 OK\n", 0, NULL},
  };
  run_table("head-body", cases, sizeof cases / sizeof cases[0]);

  /* Body bytes the transfer did read count too, with them as evidence. */
  ck_assert_read_body_fires("head-body", "HEAD", "HTTP/1.1 200 OK\n");
}

/* ------------------------------------------------------------------ */
/* The rules: ids, severities and the checks they name.                */

static void test_catalogue_rules_are_wired(void **state)
{
  (void)state;
  static const struct {
    const char *id, *check;
    enum al_severity sev;
  } rules[] = {
      {"accepted-without-monitor", "no-monitor-link", AL_SEV_WARNING},
      {"client-error-without-detail", "no-error-detail", AL_SEV_WARNING},
      {"status-mismatch-in-body", "body-status-mismatch", AL_SEV_WARNING},
      {"content-type-mismatch", "content-type-body", AL_SEV_ERROR},
      {"not-acceptable-ignored", "accept-unmatched", AL_SEV_WARNING},
      {"www-authenticate-invalid", "www-authenticate-syntax", AL_SEV_ERROR},
      {"head-with-body", "head-body", AL_SEV_ERROR},
  };
  struct al_ruleset *rs = NULL;
  struct al_err err = {0};
  assert_int_equal(al_ruleset_new_builtin(&rs, &err), AL_OK);
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    const struct al_rule *r = al_ruleset_find(rs, rules[i].id);
    if (!r)
      print_error("rule %s missing\n", rules[i].id);
    assert_non_null(r);
    assert_int_equal(r->severity, rules[i].sev);
    assert_non_null(r->logic->check);
    assert_string_equal(r->logic->check->name, rules[i].check);
  }
  al_ruleset_free(rs);

  /* The check table stays sorted by name (rules/README.md lists it so). */
  size_t n = 0;
  const struct al_check_def *all = al_check_all(&n);
  for (size_t i = 1; i < n; i++)
    assert_true(strcmp(all[i - 1].name, all[i].name) < 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_monitor_fires_without_any_way_to_follow),
      cmocka_unit_test(test_monitor_quiet_with_a_link_anywhere),
      cmocka_unit_test(test_error_detail_fires_on_bodies_that_say_nothing),
      cmocka_unit_test(test_error_detail_quiet_when_the_body_explains),
      cmocka_unit_test(test_cut_bodies_are_not_judged),
      cmocka_unit_test(test_body_status_mismatch),
      cmocka_unit_test(test_content_type_body),
      cmocka_unit_test(test_content_type_body_deep_nesting),
      cmocka_unit_test(test_accept_unmatched),
      cmocka_unit_test(test_www_authenticate_syntax),
      cmocka_unit_test(test_head_body_counts_only_bytes),
      cmocka_unit_test(test_catalogue_rules_are_wired),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
