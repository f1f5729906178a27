/* test_probe.c - the probe planner: what every probe plans for typical
 * endpoints (a GET with credentials, a POST with a JSON body, a HEAD, a
 * key in the query), the notes when a probe sends nothing, and above all
 * the safety rule: no planned request uses DELETE, PUT or POST unless the
 * spec declares it for the path or lists it in probe_methods:, checked
 * over every combination of endpoint method, declared methods and
 * probe_methods. Also burst pick/statuses, explain and list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "explain.h"
#include "probe.h"

#define URL "http://127.0.0.1:8080/users"

/* An endpoint, its request and the target that points at them. */
struct fixture {
  struct al_endpoint ep;
  struct al_request req;
  struct al_probe_target t;
  const char *declared[8];
  const char *probe_methods[8];
  const char *secrets[4];
};

static void fx_init(struct fixture *f, const char *method, const char *url)
{
  memset(f, 0, sizeof *f);
  al_headers_init(&f->ep.headers);
  al_request_init(&f->req);
  f->req.method = al_strdup(method);
  f->req.url = al_strdup(url);
  f->req.timeout_ms = 2500;
  assert_non_null(f->req.method);
  assert_non_null(f->req.url);
  f->declared[0] = method;
  f->t.endpoint = &f->ep;
  f->t.request = &f->req;
  f->t.declared = f->declared;
  f->t.declared_count = 1;
  f->t.probe_methods = f->probe_methods;
  f->t.probe_method_count = 0;
  f->t.secret_headers = f->secrets;
  f->t.secret_header_count = 0;
  f->t.burst = 0;
}

static void fx_header(struct fixture *f, const char *name, const char *value)
{
  assert_int_equal(al_headers_add(&f->req.headers, name, value), AL_OK);
}

/* Sets the request body and the endpoint's `json:` text. */
static void fx_body(struct fixture *f, const char *json)
{
  free(f->req.body);
  f->req.body = al_strdup(json);
  f->req.body_len = strlen(json);
  f->ep.body = f->req.body; /* borrowed: freed once, with the request */
  f->ep.body_len = f->req.body_len;
}

static void fx_cleanup(struct fixture *f)
{
  al_request_cleanup(&f->req);
  al_headers_cleanup(&f->ep.headers);
}

static const struct al_probe_def *probe(const char *name)
{
  const struct al_probe_def *p = al_probe_find(name);
  assert_non_null(p);
  return p;
}

/* Plans probe 'name' for the fixture and expects success. */
static void plan_ok(struct al_probe_plan *plan, struct fixture *f,
                    const char *name, const struct al_response *res)
{
  struct al_err err;
  memset(&err, 0, sizeof err);
  al_probe_plan_init(plan);
  enum al_code rc = al_probe_plan_add(plan, probe(name), &f->t, res, &err);
  if (rc != AL_OK)
    fail_msg("plan %s: %d %s", name, rc, err.msg);
  assert_true(plan->count > 0);
}

/* The plan has exactly one entry, a note containing 'part'. */
static void assert_note(const struct al_probe_plan *plan, const char *part)
{
  assert_int_equal(plan->count, 1);
  const struct al_probe_request *it = &plan->items[0];
  assert_non_null(it->note);
  assert_null(it->request.method);
  assert_string_equal(it->sent, "");
  assert_int_equal(it->repeat, 0);
  if (!strstr(it->note, part))
    fail_msg("note '%s' lacks '%s'", it->note, part);
}

static void assert_no_body(const struct al_request *r)
{
  assert_null(r->body);
  assert_int_equal(r->body_len, 0);
  assert_null(al_headers_get(&r->headers, "Content-Type"));
  assert_null(al_headers_get(&r->headers, "Content-Length"));
  assert_null(al_headers_get(&r->headers, "Transfer-Encoding"));
}

/* ------------------------------------------------------------------ */

static void test_method_permitted(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL);
  assert_true(al_probe_method_permitted(&f.t, "GET"));
  assert_true(al_probe_method_permitted(&f.t, "PATCH"));
  assert_true(al_probe_method_permitted(&f.t, "OPTIONS"));
  assert_true(al_probe_method_permitted(&f.t, "HEAD"));
  assert_false(al_probe_method_permitted(&f.t, "DELETE"));
  assert_false(al_probe_method_permitted(&f.t, "PUT"));
  assert_false(al_probe_method_permitted(&f.t, "POST"));
  /* a server that folds case would take these for the real thing */
  assert_false(al_probe_method_permitted(&f.t, "delete"));
  assert_false(al_probe_method_permitted(&f.t, "Post"));
  assert_false(al_probe_method_permitted(&f.t, ""));
  assert_false(al_probe_method_permitted(&f.t, NULL));

  f.declared[1] = "PUT";
  f.t.declared_count = 2;
  f.probe_methods[0] = "DELETE";
  f.t.probe_method_count = 1;
  assert_true(al_probe_method_permitted(&f.t, "PUT"));
  assert_true(al_probe_method_permitted(&f.t, "DELETE"));
  assert_false(al_probe_method_permitted(&f.t, "POST"));
  fx_cleanup(&f);
}

static void test_method_not_allowed_sends_patch_only_by_default(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL "?page=2");
  fx_header(&f, "Authorization", "Bearer tok-123456");
  fx_header(&f, "Content-Type", "application/json");
  fx_header(&f, "Accept", "application/json");
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "method-not-allowed", NULL);
  assert_int_equal(plan.count, 1);
  const struct al_probe_request *it = &plan.items[0];
  assert_string_equal(it->step, "undeclared-method");
  assert_null(it->note);
  assert_int_equal(it->repeat, 1);
  assert_string_equal(it->request.method, "PATCH");
  assert_string_equal(it->request.url, URL "?page=2");
  assert_int_equal(it->request.timeout_ms, 2500);
  assert_string_equal(it->sent, "PATCH /users?page=2");
  assert_no_body(&it->request);
  /* credentials stay: a 401 must not hide the 405 */
  assert_string_equal(al_headers_get(&it->request.headers, "Authorization"),
                      "Bearer tok-123456");
  assert_string_equal(al_headers_get(&it->request.headers, "Accept"),
                      "application/json");
  al_probe_plan_cleanup(&plan);
  assert_int_equal(plan.count, 0);
  fx_cleanup(&f);
}

static void test_method_not_allowed_listed_methods(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL);
  f.probe_methods[0] = "POST";
  f.probe_methods[1] = "DELETE";
  f.t.probe_method_count = 2;
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "method-not-allowed", NULL);
  /* at most two, in the order PATCH, DELETE, PUT, POST */
  assert_int_equal(plan.count, 2);
  assert_string_equal(plan.items[0].request.method, "PATCH");
  assert_string_equal(plan.items[1].request.method, "DELETE");
  assert_string_equal(plan.items[1].sent, "DELETE /users");
  al_probe_plan_cleanup(&plan);

  /* PATCH declared for the path: the next listed one, never a declared */
  f.declared[1] = "PATCH";
  f.declared[2] = "DELETE";
  f.t.declared_count = 3;
  plan_ok(&plan, &f, "method-not-allowed", NULL);
  assert_int_equal(plan.count, 1);
  assert_string_equal(plan.items[0].request.method, "POST");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

static void test_method_not_allowed_note_when_nothing_left(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL);
  f.declared[1] = "patch"; /* declared in any case counts */
  f.t.declared_count = 2;
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "method-not-allowed", NULL);
  assert_note(&plan, "probe_methods:");
  assert_string_equal(plan.items[0].step, "undeclared-method");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

static void test_options_and_head(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "POST", URL);
  fx_header(&f, "Content-Type", "application/json");
  fx_header(&f, "Content-Length", "15");
  fx_header(&f, "X-Api-Key", "k-999999");
  fx_body(&f, "{\"name\":\"ann\"}");
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "options", NULL);
  assert_int_equal(plan.count, 1);
  assert_string_equal(plan.items[0].step, "options");
  assert_string_equal(plan.items[0].request.method, "OPTIONS");
  assert_string_equal(plan.items[0].sent, "OPTIONS /users");
  assert_no_body(&plan.items[0].request);
  assert_non_null(al_headers_get(&plan.items[0].request.headers, "X-Api-Key"));
  al_probe_plan_cleanup(&plan);

  plan_ok(&plan, &f, "head", NULL);
  assert_int_equal(plan.count, 1);
  assert_string_equal(plan.items[0].step, "head");
  assert_string_equal(plan.items[0].request.method, "HEAD");
  assert_string_equal(plan.items[0].sent, "HEAD /users");
  assert_no_body(&plan.items[0].request);
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);

  fx_init(&f, "HEAD", URL);
  plan_ok(&plan, &f, "head", NULL);
  assert_note(&plan, "HEAD request already");
  al_probe_plan_cleanup(&plan);
  /* OPTIONS for a HEAD endpoint is still fine */
  plan_ok(&plan, &f, "options", NULL);
  assert_string_equal(plan.items[0].request.method, "OPTIONS");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

static void test_unauthenticated_strips_credential_headers(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL);
  fx_header(&f, "Authorization", "Bearer tok-123456");
  fx_header(&f, "Accept", "application/json");
  fx_header(&f, "X-Api-Key", "k-999999");
  fx_header(&f, "authorization", "Basic second"); /* repeated: listed once */
  fx_header(&f, "X-Author", "Ann");               /* a name, not a secret */
  fx_header(&f, "X-Tenant", "acme-secret-tenant");
  f.secrets[0] = "x-tenant";
  f.t.secret_header_count = 1;
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "unauthenticated", NULL);
  assert_int_equal(plan.count, 1);
  const struct al_probe_request *it = &plan.items[0];
  assert_string_equal(it->step, "no-credentials");
  assert_string_equal(it->request.method, "GET");
  assert_string_equal(it->request.url, URL);
  assert_string_equal(it->sent,
                      "GET /users without Authorization, X-Api-Key, X-Tenant");
  const struct al_headers *h = &it->request.headers;
  assert_int_equal(h->count, 2);
  assert_string_equal(al_headers_get(h, "Accept"), "application/json");
  assert_string_equal(al_headers_get(h, "X-Author"), "Ann");
  assert_null(strstr(it->sent, "tok-123456"));
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

/* Which header names count as credentials, one at a time. */
static void test_unauthenticated_credential_names(void **state)
{
  (void)state;
  static const struct {
    const char *name;
    int credential;
  } cases[] = {
      {"Authorization", 1},    {"Proxy-Authorization", 1},
      {"Cookie", 1},           {"COOKIE", 1},
      {"X-API-Key", 1},        {"apikey", 1},
      {"X-Api_Key", 1},        {"X-Auth-Token", 1},
      {"X-Authentication", 1}, {"X-OAuth-Signature", 1},
      {"X-Authorisation", 1},  {"Auth", 1},
      {"X-Session-Id", 1},     {"X-Client-Secret", 1},
      {"X-Access-Token", 1},   {"X-Password", 1},
      {"X-Author", 0},         {"X-Authority", 0},
      {"Accept", 0},           {"Content-Type", 0},
      {"X-Request-Id", 0},     {"User-Agent", 0},
      {"If-None-Match", 0},    {"X-Author-Auth", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct fixture f;
    fx_init(&f, "GET", URL);
    fx_header(&f, cases[i].name, "v-123456");
    struct al_probe_plan plan;
    plan_ok(&plan, &f, "unauthenticated", NULL);
    assert_int_equal(plan.count, 1);
    if (cases[i].credential != (plan.items[0].note == NULL))
      fail_msg("%s: credential %d, plan %s", cases[i].name, cases[i].credential,
               plan.items[0].note ? plan.items[0].note : plan.items[0].sent);
    if (cases[i].credential)
      assert_int_equal(plan.items[0].request.headers.count, 0);
    al_probe_plan_cleanup(&plan);
    fx_cleanup(&f);
  }
}

static void test_unauthenticated_strips_query_credentials(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET",
          URL "?page=2&API_KEY=s3cr3t-value&x=1&access_token=abc#top");
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "unauthenticated", NULL);
  assert_int_equal(plan.count, 1);
  const struct al_probe_request *it = &plan.items[0];
  assert_string_equal(it->request.url, URL "?page=2&x=1");
  assert_string_equal(it->sent, "GET /users?page=2&x=1 without API_KEY "
                                "(query), access_token (query)");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);

  /* only credentials in the query: the '?' goes too */
  fx_init(&f, "GET", URL "?token=t-1234");
  plan_ok(&plan, &f, "unauthenticated", NULL);
  assert_string_equal(plan.items[0].request.url, URL);
  assert_string_equal(plan.items[0].sent, "GET /users without token (query)");
  al_probe_plan_cleanup(&plan);

  /* other probes keep the key but never show its value */
  plan_ok(&plan, &f, "options", NULL);
  assert_string_equal(plan.items[0].request.url, URL "?token=t-1234");
  assert_string_equal(plan.items[0].sent, "OPTIONS /users?token=***");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);

  /* a parameter that merely resembles one stays */
  fx_init(&f, "GET", URL "?tokens=3&my_api_key=1");
  plan_ok(&plan, &f, "unauthenticated", NULL);
  assert_note(&plan, "no credentials");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

static void test_unauthenticated_keeps_method_and_body(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "POST", URL);
  fx_header(&f, "Content-Type", "application/json");
  fx_header(&f, "Cookie", "sid=abcdef");
  fx_body(&f, "{\"name\":\"ann\"}");
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "unauthenticated", NULL);
  const struct al_probe_request *it = &plan.items[0];
  assert_string_equal(it->request.method, "POST");
  assert_string_equal(it->request.body, "{\"name\":\"ann\"}");
  assert_int_equal(it->request.body_len, 14);
  assert_string_equal(al_headers_get(&it->request.headers, "Content-Type"),
                      "application/json");
  assert_null(al_headers_get(&it->request.headers, "Cookie"));
  assert_string_equal(it->sent, "POST /users without Cookie");
  /* only a Cookie left out: a session, its own step */
  assert_string_equal(it->step, "no-cookie");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);

  /* a Cookie and anything else: the ordinary step */
  static const char *const others[][2] = {{"Authorization", "Bearer t-1"},
                                          {"X-Api-Key", "k-1"}};
  for (size_t i = 0; i < 2; i++) {
    fx_init(&f, "GET", URL);
    fx_header(&f, "Cookie", "sessionid=abc; csrftoken=def");
    fx_header(&f, others[i][0], others[i][1]);
    plan_ok(&plan, &f, "unauthenticated", NULL);
    assert_string_equal(plan.items[0].step, "no-credentials");
    al_probe_plan_cleanup(&plan);
    fx_cleanup(&f);
  }
  fx_init(&f, "GET", URL "?api_key=k-1");
  fx_header(&f, "Cookie", "sessionid=abc");
  plan_ok(&plan, &f, "unauthenticated", NULL);
  assert_string_equal(plan.items[0].step, "no-credentials");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);

  fx_init(&f, "GET", URL);
  fx_header(&f, "Accept", "application/json");
  plan_ok(&plan, &f, "unauthenticated", NULL);
  assert_note(&plan, "no credentials");
  assert_string_equal(plan.items[0].step, "no-credentials");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

static void test_malformed_body_post_with_json(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "POST", URL);
  fx_header(&f, "Content-Type", "text/plain");
  fx_header(&f, "Content-Length", "99");
  fx_header(&f, "Authorization", "Bearer tok-123456");
  fx_body(&f, "{\"name\":\"ann\",\"age\":3,\"admin\":false,\"nick\":null,"
              "\"tags\":[1],\"meta\":{\"a\":1}}");
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "malformed-body", NULL);
  assert_int_equal(plan.count, 3);
  static const char *const steps[] = {"invalid-json", "wrong-types",
                                      "missing-fields"};
  static const char *const bodies[] = {
      "{\"name\": \"apilint-probe\",",
      "{\"name\":{\"apilint-probe\":\"not-a-string\"},\"age\":\"not-a-"
      "number\",\"admin\":\"not-a-boolean\",\"nick\":{\"apilint-probe\":"
      "\"not-a-string\"},\"tags\":\"not-an-object\",\"meta\":\"not-an-"
      "object\"}",
      "{}"};
  for (size_t i = 0; i < 3; i++) {
    const struct al_probe_request *it = &plan.items[i];
    assert_string_equal(it->step, steps[i]);
    assert_null(it->note);
    assert_int_equal(it->repeat, 1);
    assert_string_equal(it->request.method, "POST");
    assert_string_equal(it->request.body, bodies[i]);
    assert_int_equal(it->request.body_len, strlen(bodies[i]));
    assert_int_equal(al_headers_count(&it->request.headers, "Content-Type"), 1);
    assert_string_equal(al_headers_get(&it->request.headers, "Content-Type"),
                        "application/json");
    assert_null(al_headers_get(&it->request.headers, "Content-Length"));
    assert_non_null(al_headers_get(&it->request.headers, "Authorization"));
    assert_true(strncmp(it->sent, "POST /users with ", 17) == 0);
  }
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

static void test_malformed_body_fallbacks(void **state)
{
  (void)state;
  static const char *const not_objects[] = {"[1, 2]", "{}", "not json", "3",
                                            NULL};
  for (size_t i = 0; i < 5; i++) {
    struct fixture f;
    fx_init(&f, "PUT", URL);
    if (not_objects[i])
      fx_body(&f, not_objects[i]);
    struct al_probe_plan plan;
    plan_ok(&plan, &f, "malformed-body", NULL);
    assert_int_equal(plan.count, 3);
    assert_string_equal(plan.items[1].request.method, "PUT");
    assert_string_equal(plan.items[1].request.body, "{\"name\": 123}");
    al_probe_plan_cleanup(&plan);
    fx_cleanup(&f);
  }
}

static void test_malformed_body_get_endpoint(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL);
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "malformed-body", NULL);
  assert_note(&plan, "probe_methods:");
  al_probe_plan_cleanup(&plan);

  /* declared elsewhere for the path is not enough: only probe_methods */
  f.declared[1] = "POST";
  f.t.declared_count = 2;
  plan_ok(&plan, &f, "malformed-body", NULL);
  assert_note(&plan, "GET");
  al_probe_plan_cleanup(&plan);

  f.probe_methods[0] = "PATCH";
  f.probe_methods[1] = "put";
  f.t.probe_method_count = 2;
  plan_ok(&plan, &f, "malformed-body", NULL);
  assert_int_equal(plan.count, 3);
  for (size_t i = 0; i < 3; i++)
    assert_string_equal(plan.items[i].request.method, "PUT");
  assert_string_equal(plan.items[2].sent,
                      "PUT /users with {} (required fields missing)");
  al_probe_plan_cleanup(&plan);

  f.probe_methods[2] = "POST";
  f.t.probe_method_count = 3;
  plan_ok(&plan, &f, "malformed-body", NULL);
  assert_string_equal(plan.items[0].request.method, "POST");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

static void response_200(struct al_response *res, const char *name,
                         const char *value)
{
  al_response_init(res);
  res->received = 1;
  res->status = 200;
  if (name)
    assert_int_equal(al_headers_add(&res->headers, name, value), AL_OK);
}

static void test_conditional(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL);
  fx_header(&f, "If-None-Match", "\"old\"");
  fx_header(&f, "if-modified-since", "Mon, 01 Jan 2024 00:00:00 GMT");
  fx_header(&f, "Accept", "application/json");
  struct al_response res;
  response_200(&res, "ETag", "W/\"v1\"");
  assert_int_equal(
      al_headers_add(&res.headers, "Last-Modified", "Tue, 02 Jan 2024"), AL_OK);
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "conditional", &res);
  assert_int_equal(plan.count, 1);
  const struct al_probe_request *it = &plan.items[0];
  assert_string_equal(it->step, "if-none-match");
  assert_string_equal(it->request.method, "GET");
  assert_int_equal(al_headers_count(&it->request.headers, "If-None-Match"), 1);
  assert_string_equal(al_headers_get(&it->request.headers, "If-None-Match"),
                      "W/\"v1\"");
  assert_null(al_headers_get(&it->request.headers, "If-Modified-Since"));
  assert_non_null(al_headers_get(&it->request.headers, "Accept"));
  assert_string_equal(it->sent, "GET /users with If-None-Match");
  al_probe_plan_cleanup(&plan);
  al_response_cleanup(&res);

  response_200(&res, "Last-Modified", "Tue, 02 Jan 2024 10:00:00 GMT");
  plan_ok(&plan, &f, "conditional", &res);
  it = &plan.items[0];
  assert_string_equal(it->step, "if-modified-since");
  assert_string_equal(al_headers_get(&it->request.headers, "If-Modified-Since"),
                      "Tue, 02 Jan 2024 10:00:00 GMT");
  assert_null(al_headers_get(&it->request.headers, "If-None-Match"));
  al_probe_plan_cleanup(&plan);
  al_response_cleanup(&res);

  response_200(&res, "Cache-Control", "no-store");
  plan_ok(&plan, &f, "conditional", &res);
  assert_note(&plan, "no ETag or Last-Modified");
  al_probe_plan_cleanup(&plan);

  res.status = 404;
  plan_ok(&plan, &f, "conditional", &res);
  assert_note(&plan, "404");
  al_probe_plan_cleanup(&plan);

  res.received = 0;
  res.status = 0;
  plan_ok(&plan, &f, "conditional", &res);
  assert_note(&plan, "no answer");
  al_probe_plan_cleanup(&plan);
  al_response_cleanup(&res);

  /* the answer is required */
  struct al_err err;
  memset(&err, 0, sizeof err);
  al_probe_plan_init(&plan);
  assert_int_equal(
      al_probe_plan_add(&plan, probe("conditional"), &f.t, NULL, &err),
      AL_E_INTERNAL);
  assert_int_equal(plan.count, 0);
  fx_cleanup(&f);

  /* HEAD endpoints are asked again as HEAD; others are not asked */
  fx_init(&f, "HEAD", URL);
  response_200(&res, "ETag", "\"v2\"");
  plan_ok(&plan, &f, "conditional", &res);
  assert_string_equal(plan.items[0].request.method, "HEAD");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
  fx_init(&f, "POST", URL);
  plan_ok(&plan, &f, "conditional", &res);
  assert_note(&plan, "GET or HEAD");
  al_probe_plan_cleanup(&plan);
  al_response_cleanup(&res);
  fx_cleanup(&f);
}

static void test_not_acceptable(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL);
  fx_header(&f, "Accept", "application/json");
  fx_header(&f, "X-Request-Id", "r1");
  fx_header(&f, "accept", "text/html");
  struct al_probe_plan plan;
  plan_ok(&plan, &f, "not-acceptable", NULL);
  const struct al_probe_request *it = &plan.items[0];
  assert_string_equal(it->step, "unsupported-accept");
  assert_int_equal(al_headers_count(&it->request.headers, "Accept"), 1);
  assert_string_equal(al_headers_get(&it->request.headers, "Accept"),
                      "application/x-apilint-unsupported");
  assert_non_null(al_headers_get(&it->request.headers, "X-Request-Id"));
  assert_string_equal(
      it->sent, "GET /users with Accept: application/x-apilint-unsupported");
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

static void test_rate_limit_burst_sizes(void **state)
{
  (void)state;
  static const struct {
    size_t burst, repeat;
    const char *sent;
  } cases[] = {
      {0, AL_PROBE_BURST_DEFAULT, "50 x GET /users"},
      {1, 1, "1 x GET /users"},
      {7, 7, "7 x GET /users"},
      {AL_PROBE_BURST_MAX, AL_PROBE_BURST_MAX, "1000 x GET /users"},
      {AL_PROBE_BURST_MAX + 1, AL_PROBE_BURST_MAX, "1000 x GET /users"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct fixture f;
    fx_init(&f, "GET", URL);
    fx_header(&f, "Authorization", "Bearer tok-123456");
    f.t.burst = cases[i].burst;
    struct al_probe_plan plan;
    plan_ok(&plan, &f, "rate-limit", NULL);
    assert_int_equal(plan.count, 1);
    assert_string_equal(plan.items[0].step, "burst");
    assert_int_equal(plan.items[0].repeat, cases[i].repeat);
    assert_string_equal(plan.items[0].sent, cases[i].sent);
    assert_non_null(
        al_headers_get(&plan.items[0].request.headers, "Authorization"));
    al_probe_plan_cleanup(&plan);
    fx_cleanup(&f);
  }
}

/* Plans of several probes add up in one plan, in call order. */
static void test_plan_accumulates(void **state)
{
  (void)state;
  struct fixture f;
  fx_init(&f, "GET", URL);
  fx_header(&f, "Authorization", "Bearer tok-123456");
  struct al_probe_plan plan;
  al_probe_plan_init(&plan);
  struct al_err err;
  memset(&err, 0, sizeof err);
  static const char *const names[] = {"options", "head", "unauthenticated"};
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(
        al_probe_plan_add(&plan, probe(names[i]), &f.t, NULL, &err), AL_OK);
  assert_int_equal(plan.count, 3);
  for (size_t i = 0; i < 3; i++)
    assert_string_equal(plan.items[i].probe->name, names[i]);
  al_probe_plan_cleanup(&plan);
  fx_cleanup(&f);
}

/* ------------------------------------------------------------------ */
/* safety                                                             */

static int word_in(const char *const *list, size_t n, const char *m)
{
  for (size_t i = 0; i < n; i++)
    if (al_strcaseeq(list[i], m))
      return 1;
  return 0;
}

static int restricted(const char *m)
{
  return al_strcaseeq(m, "DELETE") || al_strcaseeq(m, "PUT") ||
         al_strcaseeq(m, "POST");
}

/* Every probe, every endpoint method, every subset of extra declared
 * methods and of probe_methods, with the endpoint's own method declared
 * (as the contract says) and, to prove the gate holds even then, not
 * declared. No planned request may use DELETE, PUT or POST (any case)
 * unless declared or listed; a plan_add that fails must leave nothing
 * behind. */
static void test_safety_exhaustive(void **state)
{
  (void)state;
  static const char *const methods[] = {"GET",     "HEAD", "PATCH",
                                        "DELETE",  "POST", "PUT",
                                        "OPTIONS", "post", "delete"};
  static const char *const pool[] = {"PATCH", "DELETE", "PUT", "POST"};
  size_t nprobes;
  const struct al_probe_def *all = al_probe_all(&nprobes);
  size_t planned = 0, restricted_planned = 0, refused = 0;
  for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++)
    for (int own = 0; own < 2; own++)
      for (unsigned dmask = 0; dmask < 16; dmask++)
        for (unsigned pmask = 0; pmask < 16; pmask++) {
          struct fixture f;
          fx_init(&f, methods[m], URL "?api_key=k-123456");
          fx_header(&f, "Authorization", "Bearer tok-123456");
          fx_header(&f, "Content-Type", "application/json");
          fx_body(&f, "{\"name\":\"ann\"}");
          size_t nd = 0, np = 0;
          if (own)
            f.declared[nd++] = methods[m];
          for (unsigned b = 0; b < 4; b++) {
            if (dmask & (1u << b))
              f.declared[nd++] = pool[b];
            if (pmask & (1u << b))
              f.probe_methods[np++] = pool[b];
          }
          f.t.declared_count = nd;
          f.t.probe_method_count = np;
          struct al_response res;
          response_200(&res, "ETag", "\"v1\"");
          for (size_t p = 0; p < nprobes; p++) {
            struct al_probe_plan plan;
            al_probe_plan_init(&plan);
            struct al_err err;
            memset(&err, 0, sizeof err);
            enum al_code rc =
                al_probe_plan_add(&plan, &all[p], &f.t, &res, &err);
            if (rc != AL_OK) {
              /* only the gate may refuse, and only for the own method */
              assert_int_equal(rc, AL_E_INTERNAL);
              assert_false(own);
              assert_true(restricted(methods[m]));
              assert_non_null(strstr(err.msg, "probe_methods:"));
              refused++;
            }
            for (size_t i = 0; i < plan.count; i++) {
              const struct al_probe_request *it = &plan.items[i];
              assert_ptr_equal(it->probe, &all[p]);
              assert_true(al_probe_has_step(&all[p], it->step));
              assert_non_null(it->sent);
              assert_null(strstr(it->sent, "tok-123456"));
              assert_null(strstr(it->sent, "k-123456"));
              if (it->note) {
                assert_null(it->request.method);
                continue;
              }
              const char *pm = it->request.method;
              assert_non_null(pm);
              planned++;
              if (restricted(pm)) {
                restricted_planned++;
                if (!word_in(f.declared, nd, pm) &&
                    !word_in(f.probe_methods, np, pm))
                  fail_msg("%s planned %s for a %s endpoint (dmask %u, "
                           "pmask %u, own %d)",
                           all[p].name, pm, methods[m], dmask, pmask, own);
              }
              assert_true(al_probe_method_permitted(&f.t, pm));
            }
            al_probe_plan_cleanup(&plan);
          }
          al_response_cleanup(&res);
          fx_cleanup(&f);
        }
  /* the test saw both kinds of outcome, so it can fail */
  assert_true(planned > 0);
  assert_true(restricted_planned > 0);
  assert_true(refused > 0);
}

/* ------------------------------------------------------------------ */
/* bursts                                                             */

static void set_responses(struct al_response *r, const long *statuses, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    al_response_init(&r[i]);
    if (statuses[i] < 0) {
      r[i].transport_failed = 1;
      r[i].curl_code = 28;
    } else {
      r[i].received = 1;
      r[i].status = statuses[i];
    }
  }
}

static void test_burst_pick(void **state)
{
  (void)state;
  static const struct {
    long statuses[6];
    size_t n, pick;
  } cases[] = {
      {{200, 200, 503, 429, 429, 200}, 6, 3}, /* first 429 */
      {{200, -1, 503, 503, 200, 200}, 6, 2},  /* else first 503 */
      {{200, 200, -1, 500, -1, 200}, 6, 2},   /* else first failure */
      {{200, 201, 500, 404, 200, 204}, 6, 5}, /* else the last */
      {{200}, 1, 0},
      {{-1}, 1, 0},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    struct al_response r[6];
    set_responses(r, cases[c].statuses, cases[c].n);
    assert_int_equal(al_probe_burst_pick(r, cases[c].n), cases[c].pick);
    for (size_t i = 0; i < cases[c].n; i++)
      al_response_cleanup(&r[i]);
  }
  /* an answer whose body failed midway is still a failed transfer */
  struct al_response r[2];
  const long st[2] = {200, 200};
  set_responses(r, st, 2);
  r[0].transport_failed = 1;
  assert_int_equal(al_probe_burst_pick(r, 2), 0);
  al_response_cleanup(&r[0]);
  al_response_cleanup(&r[1]);
}

static void test_burst_statuses(void **state)
{
  (void)state;
  const long st[] = {429, 200, -1, 200, 503, 429, 200, -1};
  struct al_response r[8];
  set_responses(r, st, 8);
  char *s = al_probe_burst_statuses(r, 8);
  assert_non_null(s);
  assert_string_equal(s, "200 x3, 429 x2, 503 x1, no answer x2");
  free(s);
  s = al_probe_burst_statuses(r, 1);
  assert_string_equal(s, "429 x1");
  free(s);
  s = al_probe_burst_statuses(r + 2, 1);
  assert_string_equal(s, "no answer x1");
  free(s);
  for (size_t i = 0; i < 8; i++)
    al_response_cleanup(&r[i]);
}

/* ------------------------------------------------------------------ */
/* documentation                                                      */

static char *read_all(FILE *f)
{
  rewind(f);
  struct al_buf b;
  al_buf_init(&b);
  char chunk[512];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    assert_int_equal(al_buf_append(&b, chunk, n), AL_OK);
  return al_buf_detach(&b);
}

static void assert_has(const char *text, const char *part)
{
  if (!strstr(text, part))
    fail_msg("missing '%s' in:\n%s", part, text);
}

static void test_explain_every_probe(void **state)
{
  (void)state;
  size_t n;
  const struct al_probe_def *all = al_probe_all(&n);
  assert_int_equal(n, 8);
  for (size_t i = 0; i < n; i++) {
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(al_explain_write_probe(f, &all[i]), AL_OK);
    char *text = read_all(f);
    fclose(f);
    char line[128];
    snprintf(line, sizeof line, "%s (probe)\n", all[i].name);
    assert_true(strncmp(text, line, strlen(line)) == 0);
    assert_has(text, all[i].summary);
    assert_has(text, all[i].judged_by);
    assert_has(text, all[i].source);
    assert_has(text, all[i].steps[0]);
    assert_has(text, all[i].safe ? "run by `apilint check URL`: yes\n"
                                 : "run by `apilint check URL`: no\n");
    assert_has(text, "never DELETE, PUT or POST unless the spec declares it "
                     "for the path or lists it in probe_methods:");
    assert_has(text, "rate-limit runs only when named");
    assert_has(text, all[i].by_name_only ? "never as part of `all`"
                                         : "as part of `all`");
    /* the first line of what it sends, indented */
    char first[96];
    size_t len = strcspn(all[i].sends, "\n");
    snprintf(first, sizeof first, "    %.*s\n", (int)len, all[i].sends);
    assert_has(text, first);
    free(text);
  }
  FILE *f = tmpfile();
  assert_non_null(f);
  assert_int_equal(al_explain_write_probe(f, probe("conditional")), AL_OK);
  char *text = read_all(f);
  fclose(f);
  assert_has(text, "  phase:     after:");
  assert_has(text, "if-none-match, if-modified-since");
  free(text);
}

static void test_list(void **state)
{
  (void)state;
  FILE *f = tmpfile();
  assert_non_null(f);
  assert_int_equal(al_explain_write_probes(f), AL_OK);
  char *text = read_all(f);
  fclose(f);
  size_t n;
  const struct al_probe_def *all = al_probe_all(&n);
  /* header plus one line per probe, every summary in the same column */
  const char *line = text;
  size_t col = strstr(text, "SUMMARY") - text;
  assert_true(strncmp(text, "PROBE ", 6) == 0);
  for (size_t i = 0; i < n; i++) {
    line = strchr(line, '\n');
    assert_non_null(line);
    line++;
    assert_true(strncmp(line, all[i].name, strlen(all[i].name)) == 0);
    assert_true(strncmp(line + col, all[i].summary, strlen(all[i].summary)) ==
                0);
  }
  assert_string_equal(strchr(line, '\n'), "\n");
  free(text);
}

static void test_write_errors(void **state)
{
  (void)state;
  FILE *f = fopen("/dev/full", "w");
  if (!f)
    skip();
  assert_int_equal(al_explain_write_probe(f, probe("head")), AL_E_IO);
  clearerr(f);
  assert_int_equal(al_explain_write_probes(f), AL_E_IO);
  fclose(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_method_permitted),
      cmocka_unit_test(test_method_not_allowed_sends_patch_only_by_default),
      cmocka_unit_test(test_method_not_allowed_listed_methods),
      cmocka_unit_test(test_method_not_allowed_note_when_nothing_left),
      cmocka_unit_test(test_options_and_head),
      cmocka_unit_test(test_unauthenticated_strips_credential_headers),
      cmocka_unit_test(test_unauthenticated_credential_names),
      cmocka_unit_test(test_unauthenticated_strips_query_credentials),
      cmocka_unit_test(test_unauthenticated_keeps_method_and_body),
      cmocka_unit_test(test_malformed_body_post_with_json),
      cmocka_unit_test(test_malformed_body_fallbacks),
      cmocka_unit_test(test_malformed_body_get_endpoint),
      cmocka_unit_test(test_conditional),
      cmocka_unit_test(test_not_acceptable),
      cmocka_unit_test(test_rate_limit_burst_sizes),
      cmocka_unit_test(test_plan_accumulates),
      cmocka_unit_test(test_safety_exhaustive),
      cmocka_unit_test(test_burst_pick),
      cmocka_unit_test(test_burst_statuses),
      cmocka_unit_test(test_explain_every_probe),
      cmocka_unit_test(test_list),
      cmocka_unit_test(test_write_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
