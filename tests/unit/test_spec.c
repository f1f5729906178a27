/* test_spec.c - the spec loader: a spec using every key (each parsed field
 * checked), every kind of error with its exact line and column, variable
 * expansion and secret detection. Variables come from a table through
 * opts.getenv_fn, never from the process environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "spec.h"

/* NULL-terminated name/value pairs. */
static const char *const test_env[] = {
    "API_TOKEN",   "tok-abcdef", "SESSION_ID", "sess-999",  "A",
    "alpha",       "B",          "beta",       "EMPTY",     "",
    "DB_PASSWORD", "hunter2pw",  "my_apikey",  "key-lower", "PLAIN_VAR",
    "plain-value", "LISTED",     "listed-val", "PORT",      "8080",
    NULL};

static const char *table_getenv(const char *name, void *ctx)
{
  const char *const *env = ctx;
  for (size_t i = 0; env[i]; i += 2) {
    if (strcmp(env[i], name) == 0)
      return env[i + 1];
  }
  return NULL;
}

static struct al_spec_opts test_opts(void)
{
  struct al_spec_opts o;
  memset(&o, 0, sizeof o);
  o.getenv_fn = table_getenv;
  o.getenv_ctx = (void *)(uintptr_t)test_env;
  return o;
}

static struct al_spec *load_ok(const char *text)
{
  struct al_spec_opts o = test_opts();
  struct al_spec *spec = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  enum al_code rc =
      al_spec_parse(text, strlen(text), "specs/full.yaml", &o, &spec, &err);
  if (rc != AL_OK)
    fail_msg("unexpected error %d: %s:%d:%d: %s", rc, err.file, err.line,
             err.col, err.msg);
  assert_non_null(spec);
  return spec;
}

static int has_secret_value(const struct al_spec *spec, const char *v)
{
  for (size_t i = 0; i < spec->secret_value_count; i++) {
    if (strcmp(spec->secret_values[i], v) == 0)
      return 1;
  }
  return 0;
}

static const char full_spec[] =
    "version: 1\n"                                                /* 1 */
    "base_url: ${API_URL:-http://127.0.0.1:8080/api/}\n"          /* 2 */
    "secrets: [X-Api-Key, SESSION_ID]\n"                          /* 3 */
    "defaults:\n"                                                 /* 4 */
    "  headers: {Accept: application/json, Authorization: "       /* 5 */
    "\"Bearer ${API_TOKEN}\", X-Session: \"${SESSION_ID}\"}\n"    /* 5 */
    "  timeout: 5\n"                                              /* 6 */
    "rules:\n"                                                    /* 7 */
    "  disable: [created-without-location]\n"                     /* 8 */
    "  enable: [version-disclosure]\n"                            /* 9 */
    "  severity: {retry-after-missing: error}\n"                  /* 10 */
    "endpoints:\n"                                                /* 11 */
    "  - name: create user\n"                                     /* 12 */
    "    method: POST\n"                                          /* 13 */
    "    path: /users\n"                                          /* 14 */
    "    headers: {X-Request-Id: abc, accept: text/plain, "       /* 15 */
    "X-Api-Key: k-123456}\n"                                      /* 15 */
    "    json: {name: hak, age: 42, ratio: 1.5, admin: false, "   /* 16 */
    "nick: null, tags: [a, \"1\"], quoted: \"42\", price: $$5, "  /* 16 */
    "big: 12345678901234567, nested: {port: '${PORT}'}}\n"        /* 16 */
    "    timeout: 2.5\n"                                          /* 17 */
    "    expect:\n"                                               /* 18 */
    "      status: 201\n"                                         /* 19 */
    "      headers:\n"                                            /* 20 */
    "        Content-Location: \"^/users/[0-9]+$\"\n"             /* 21 */
    "        X-Debug: false\n"                                    /* 22 */
    "        Location: true\n"                                    /* 23 */
    "    probes: [method-not-allowed, unauthenticated]\n"         /* 24 */
    "    rules: {disable: [error-body-on-success], "              /* 25 */
    "severity: {server-error: warning}}\n"                        /* 25 */
    "  - path: /users/${USER_ID:-42}\n"                           /* 26 */
    "    expect: {status: [200, \"3xx\"]}\n"                      /* 27 */
    "  - method: PATCH\n"                                         /* 28 */
    "    path: /users/1\n"                                        /* 29 */
    "    headers: {content-type: application/merge-patch+json}\n" /* 30 */
    "    json: [1, {a: b}]\n"                                     /* 31 */
    "    expect: {status: 2xx}\n"                                 /* 32 */
    "  - method: PROPFIND\n"                                      /* 33 */
    "    path: /dav/\n"                                           /* 34 */
    "    body: \"raw $$ text\"\n"                                 /* 35 */
    "    expect: {status: \"4XX\"}\n"                             /* 36 */
    "    probe_methods: [DELETE, PUT]\n"                          /* 37 */
    "    burst: 7\n";                                             /* 38 */

static void test_spec_parse_reads_every_key_of_a_full_spec(void **state)
{
  (void)state;
  struct al_spec *spec = load_ok(full_spec);

  assert_string_equal(spec->path, "specs/full.yaml");
  assert_string_equal(spec->name, "full");
  assert_int_equal(spec->version, 1);
  assert_string_equal(spec->base_url, "http://127.0.0.1:8080/api/");
  assert_int_equal(spec->default_timeout_ms, 5000);

  assert_int_equal(spec->rules.disable_count, 1);
  assert_string_equal(spec->rules.disable[0].id, "created-without-location");
  assert_int_equal(spec->rules.disable[0].line, 8);
  assert_int_equal(spec->rules.disable[0].col, 13);
  assert_int_equal(spec->rules.enable_count, 1);
  assert_string_equal(spec->rules.enable[0].id, "version-disclosure");
  assert_int_equal(spec->rules.severity_count, 1);
  assert_string_equal(spec->rules.severity[0].id, "retry-after-missing");
  assert_int_equal(spec->rules.severity[0].severity, AL_SEV_ERROR);
  assert_int_equal(spec->rules.severity[0].line, 10);
  assert_int_equal(spec->rules.severity[0].col, 14);

  assert_int_equal(spec->endpoint_count, 4);

  const struct al_endpoint *e = &spec->endpoints[0];
  assert_string_equal(e->name, "create user");
  assert_string_equal(e->method, "POST");
  assert_string_equal(e->path, "/users");
  assert_string_equal(e->url, "http://127.0.0.1:8080/api/users");
  assert_int_equal(e->line, 12);
  assert_int_equal(e->col, 5);
  /* defaults first, endpoint's replace case-insensitively, then JSON's
   * Content-Type */
  assert_int_equal(e->headers.count, 6);
  assert_string_equal(al_headers_get(&e->headers, "Accept"), "text/plain");
  assert_int_equal(al_headers_count(&e->headers, "accept"), 1);
  assert_string_equal(al_headers_get(&e->headers, "Authorization"),
                      "Bearer tok-abcdef");
  assert_string_equal(al_headers_get(&e->headers, "X-Session"), "sess-999");
  assert_string_equal(al_headers_get(&e->headers, "X-Request-Id"), "abc");
  assert_string_equal(al_headers_get(&e->headers, "X-Api-Key"), "k-123456");
  assert_string_equal(al_headers_get(&e->headers, "Content-Type"),
                      "application/json");
  assert_non_null(e->body);
  assert_string_equal(e->body,
                      "{\"name\":\"hak\",\"age\":42,\"ratio\":1.5,"
                      "\"admin\":false,\"nick\":null,\"tags\":[\"a\",\"1\"],"
                      "\"quoted\":\"42\",\"price\":\"$5\","
                      "\"big\":12345678901234567,"
                      "\"nested\":{\"port\":\"8080\"}}");
  assert_int_equal(e->body_len, strlen(e->body));
  assert_int_equal(e->timeout_ms, 2500);
  assert_int_equal(e->has_expect, 1);
  assert_int_equal(e->expect.line, 19);
  assert_int_equal(e->expect.col, 7);
  assert_int_equal(e->expect.has_status, 1);
  assert_int_equal(e->expect.status.code_count, 1);
  assert_int_equal(e->expect.status.codes[0], 201);
  assert_string_equal(e->expect.status.text, "201");
  assert_true(al_status_set_has(&e->expect.status, 201));
  assert_false(al_status_set_has(&e->expect.status, 200));
  assert_int_equal(e->expect.header_count, 3);
  assert_string_equal(e->expect.headers[0].name, "Content-Location");
  assert_int_equal(e->expect.headers[0].kind, AL_HEXPECT_MATCH);
  assert_string_equal(e->expect.headers[0].pattern, "^/users/[0-9]+$");
  assert_string_equal(e->expect.headers[1].name, "X-Debug");
  assert_int_equal(e->expect.headers[1].kind, AL_HEXPECT_ABSENT);
  assert_null(e->expect.headers[1].pattern);
  assert_int_equal(e->expect.headers[2].kind, AL_HEXPECT_PRESENT);
  assert_int_equal(e->probe_count, 2);
  assert_string_equal(e->probes[0], "method-not-allowed");
  assert_string_equal(e->probes[1], "unauthenticated");
  assert_int_equal(e->probe_method_count, 0);
  assert_null(e->probe_methods);
  assert_int_equal(e->burst, 0);
  assert_non_null(e->rules);
  assert_int_equal(e->rules->disable_count, 1);
  assert_string_equal(e->rules->disable[0].id, "error-body-on-success");
  assert_int_equal(e->rules->severity_count, 1);
  assert_string_equal(e->rules->severity[0].id, "server-error");
  assert_int_equal(e->rules->severity[0].severity, AL_SEV_WARNING);

  e = &spec->endpoints[1];
  assert_string_equal(e->name, "GET /users/42");
  assert_string_equal(e->method, "GET");
  assert_string_equal(e->url, "http://127.0.0.1:8080/api/users/42");
  assert_int_equal(e->line, 26);
  assert_int_equal(e->col, 5);
  assert_int_equal(e->timeout_ms, 5000); /* from defaults */
  assert_null(e->body);
  assert_int_equal(e->headers.count, 3); /* the defaults */
  assert_null(al_headers_get(&e->headers, "Content-Type"));
  assert_string_equal(e->expect.status.text, "[200, 3xx]");
  assert_true(al_status_set_has(&e->expect.status, 200));
  assert_true(al_status_set_has(&e->expect.status, 302));
  assert_false(al_status_set_has(&e->expect.status, 201));
  assert_false(al_status_set_has(&e->expect.status, 404));
  assert_int_equal(e->probe_count, 0);

  e = &spec->endpoints[2];
  assert_string_equal(e->name, "PATCH /users/1");
  assert_string_equal(e->body, "[1,{\"a\":\"b\"}]");
  /* the endpoint's own Content-Type wins over the JSON default */
  assert_int_equal(al_headers_count(&e->headers, "Content-Type"), 1);
  assert_string_equal(al_headers_get(&e->headers, "Content-Type"),
                      "application/merge-patch+json");
  assert_true(al_status_set_has(&e->expect.status, 204));
  assert_false(al_status_set_has(&e->expect.status, 301));

  e = &spec->endpoints[3];
  assert_string_equal(e->method, "PROPFIND");
  assert_string_equal(e->url, "http://127.0.0.1:8080/api/dav/");
  assert_string_equal(e->body, "raw $ text");
  assert_int_equal(e->body_len, 10);
  assert_null(al_headers_get(&e->headers, "Content-Type"));
  assert_true(al_status_set_has(&e->expect.status, 404));
  assert_string_equal(e->expect.status.text, "4XX");
  assert_int_equal(e->probe_count, 0);
  assert_int_equal(e->probe_method_count, 2);
  assert_string_equal(e->probe_methods[0], "DELETE");
  assert_string_equal(e->probe_methods[1], "PUT");
  assert_int_equal(e->burst, 7);

  assert_int_equal(spec->secret_header_count, 2);
  assert_string_equal(spec->secret_headers[0], "X-Api-Key");
  assert_string_equal(spec->secret_headers[1], "SESSION_ID");
  assert_true(has_secret_value(spec, "tok-abcdef"));
  assert_true(has_secret_value(spec, "sess-999"));
  assert_true(has_secret_value(spec, "Bearer tok-abcdef"));
  assert_true(has_secret_value(spec, "k-123456"));
  assert_false(has_secret_value(spec, "abc"));
  assert_false(has_secret_value(spec, "8080"));
  al_spec_free(spec);
}

/* The authority check must not reject what libcurl takes. */
static void test_spec_parse_accepts_every_base_url_form(void **state)
{
  (void)state;
  static const char *const good[] = {
      "http://127.0.0.1:8080",
      "http://127.0.0.1:65535/api/",
      "https://h:1",
      "http://[::1]:8080/v1",
      "http://[::1]",
      "http://user:pw@127.0.0.1:9/x",
      "http://localhost:/",
      "HTTP://LOCALHOST",
      "http://h/path:with:colons",
      "http://h/a@b",
  };
  struct al_spec_opts o = test_opts();
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    char text[256];
    snprintf(text, sizeof text,
             "version: 1\nbase_url: \"%s\"\nendpoints: [{path: /x}]\n",
             good[i]);
    struct al_spec *spec = NULL;
    struct al_err err;
    memset(&err, 0, sizeof err);
    enum al_code rc =
        al_spec_parse(text, strlen(text), "b.yaml", &o, &spec, &err);
    print_message("%s: %s\n", good[i], err.msg);
    assert_int_equal(rc, AL_OK);
    assert_string_equal(spec->base_url, good[i]);
    al_spec_free(spec);
  }
}

/* Only a real backreference is refused: an escaped backslash before a
 * digit, or a "\\1" inside a bracket expression, is an ordinary pattern. */
static void
test_spec_parse_accepts_patterns_without_backreferences(void **state)
{
  (void)state;
  static const char *const good[] = {
      "^a\\\\1$", "[\\1]+", "[]\\1]", "[^]\\2]", "[[:digit:]\\3]x", "\\.[0-9]",
  };
  struct al_spec_opts o = test_opts();
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    char text[256];
    snprintf(text, sizeof text,
             "version: 1\nbase_url: http://h:1\nendpoints:\n"
             "  - path: /x\n    expect: {headers: {X-A: '%s'}}\n",
             good[i]);
    struct al_spec *spec = NULL;
    struct al_err err;
    memset(&err, 0, sizeof err);
    enum al_code rc =
        al_spec_parse(text, strlen(text), "p.yaml", &o, &spec, &err);
    print_message("%s: %s\n", good[i], err.msg);
    assert_int_equal(rc, AL_OK);
    al_spec_free(spec);
  }
}

static void test_spec_parse_applies_base_url_override(void **state)
{
  (void)state;
  struct al_spec_opts o = test_opts();
  o.base_url_override = "https://example.test:9";
  const char *text = "version: 1\n"
                     "base_url: ${UNSET_BUT_OVERRIDDEN}\n"
                     "endpoints: [{path: /x}]\n";
  struct al_spec *spec = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_spec_parse(text, strlen(text), "o.yml", &o, &spec, &err),
                   AL_OK);
  assert_string_equal(spec->base_url, "https://example.test:9");
  assert_string_equal(spec->endpoints[0].url, "https://example.test:9/x");
  assert_string_equal(spec->name, "o");
  al_spec_free(spec);

  o.base_url_override = "ftp://nope";
  assert_int_equal(al_spec_parse(text, strlen(text), "o.yml", &o, &spec, &err),
                   AL_E_SPEC);
  assert_null(spec);
  assert_non_null(strstr(err.msg, "--base-url must start with http://"));
}

/* An endpoint's timeout is decided here once: its own, else defaults',
 * else the run's (--timeout), else 10 s. */
static void test_spec_parse_decides_every_timeout(void **state)
{
  (void)state;
  static const struct {
    const char *defaults;
    long run_ms, want_a, want_b;
  } cases[] = {
      {"", 0, AL_SPEC_TIMEOUT_DEFAULT_MS, 1500},
      {"", 2500, 2500, 1500},
      {"defaults: {timeout: 4}\n", 2500, 4000, 1500},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[256];
    snprintf(text, sizeof text,
             "version: 1\nbase_url: http://h:1\n%sendpoints:\n"
             "  - path: /a\n  - path: /b\n    timeout: 1.5\n",
             cases[i].defaults);
    struct al_spec_opts o = test_opts();
    o.timeout_ms = cases[i].run_ms;
    struct al_spec *spec = NULL;
    struct al_err err;
    memset(&err, 0, sizeof err);
    assert_int_equal(
        al_spec_parse(text, strlen(text), "t.yaml", &o, &spec, &err), AL_OK);
    assert_int_equal(spec->endpoints[0].timeout_ms, cases[i].want_a);
    assert_int_equal(spec->endpoints[1].timeout_ms, cases[i].want_b);
    al_spec_free(spec);
  }
}

static void test_spec_parse_without_getenv_fn_uses_the_environment(void **state)
{
  (void)state;
  const char *text = "version: 1\n"
                     "base_url: http://h:1\n"
                     "endpoints: [{path: \"/${AL_TEST_SPEC_VAR}\"}]\n";
  struct al_spec *spec = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(setenv("AL_TEST_SPEC_VAR", "from-env", 1), 0);
  assert_int_equal(
      al_spec_parse(text, strlen(text), "e.yaml", NULL, &spec, &err), AL_OK);
  assert_string_equal(spec->endpoints[0].path, "/from-env");
  al_spec_free(spec);
  unsetenv("AL_TEST_SPEC_VAR");
}

/* Writes 'text' to a new file 'name' in a new directory made from the
 * mkdtemp template 'dir'; its path goes in 'path'. */
static void write_spec_file(char *dir, const char *name, char *path,
                            size_t size, const char *text)
{
  assert_non_null(mkdtemp(dir));
  snprintf(path, size, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_spec_load_reads_a_file_and_names_the_spec(void **state)
{
  (void)state;
  char dir[] = "/tmp/test_spec_XXXXXX";
  char path[64];
  write_spec_file(dir, "pets.api.yaml", path, sizeof path,
                  "version: 1\nbase_url: http://h:1/\nendpoints:\n"
                  "  - path: /pets\n");
  struct al_spec *spec = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_spec_load(path, NULL, &spec, &err), AL_OK);
  assert_string_equal(spec->path, path);
  assert_string_equal(spec->name, "pets.api");
  assert_string_equal(spec->endpoints[0].url, "http://h:1/pets");
  al_spec_free(spec);
  remove(path);
  rmdir(dir);

  assert_int_equal(al_spec_load(path, NULL, &spec, &err), AL_E_IO);
  assert_null(spec);
  assert_string_equal(err.file, path);
}

/* ---- a file read as a stream (spec.c load_streamed) or whole ---- */

/* Loads 'text' twice: from a file (al_spec_load, which streams a spec whose
 * endpoints come last) and as text (al_spec_parse, the whole tree). Both
 * must give the same result; 'spec' gets the file's. */
static enum al_code load_both(const char *text, struct al_spec **spec,
                              struct al_err *err)
{
  char dir[] = "/tmp/test_spec_XXXXXX";
  char path[64];
  write_spec_file(dir, "s.yaml", path, sizeof path, text);
  struct al_spec_opts o = test_opts();
  struct al_spec *whole = NULL;
  struct al_err werr;
  memset(&werr, 0, sizeof werr);
  memset(err, 0, sizeof *err);
  enum al_code wrc = al_spec_parse(text, strlen(text), path, &o, &whole, &werr);
  enum al_code rc = al_spec_load(path, &o, spec, err);
  remove(path);
  rmdir(dir);
  assert_int_equal(rc, wrc);
  if (rc != AL_OK) {
    assert_null(*spec);
    assert_int_equal(err->line, werr.line);
    assert_int_equal(err->col, werr.col);
    assert_string_equal(err->msg, werr.msg);
    return rc;
  }
  assert_int_equal((*spec)->endpoint_count, whole->endpoint_count);
  assert_int_equal((*spec)->skipped_count, whole->skipped_count);
  assert_int_equal((*spec)->secret_value_count, whole->secret_value_count);
  for (size_t i = 0; i < whole->endpoint_count; i++) {
    const struct al_endpoint *a = &(*spec)->endpoints[i];
    const struct al_endpoint *b = &whole->endpoints[i];
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->method, b->method);
    assert_string_equal(a->url, b->url);
    assert_int_equal(a->line, b->line);
    assert_int_equal(a->col, b->col);
    assert_int_equal(a->timeout_ms, b->timeout_ms);
    assert_int_equal(a->headers.count, b->headers.count);
    assert_int_equal(a->body_len, b->body_len);
    assert_int_equal(a->probe_count, b->probe_count);
    assert_int_equal(a->rules ? a->rules->disable_count : 0,
                     b->rules ? b->rules->disable_count : 0);
    assert_int_equal(a->has_expect, b->has_expect);
    if (a->has_expect)
      assert_string_equal(a->expect.status.text, b->expect.status.text);
  }
  al_spec_free(whole);
  return rc;
}

static void test_spec_load_streamed_equals_the_whole_tree(void **state)
{
  (void)state;
  struct al_spec *spec = NULL;
  struct al_err err;
  assert_int_equal(load_both(full_spec, &spec, &err), AL_OK);
  assert_int_equal(spec->endpoint_count, 4);
  assert_int_equal(spec->endpoints[0].timeout_ms, 2500);
  assert_int_equal(spec->endpoints[1].timeout_ms, 5000); /* defaults' */
  al_spec_free(spec);

  /* Many endpoints: the endpoint array grows as they are read. */
  struct al_buf many;
  al_buf_init(&many);
  assert_int_equal(al_buf_append_str(&many, "version: 1\nbase_url: "
                                            "http://h:1\nendpoints:\n"),
                   AL_OK);
  for (int i = 0; i < 100; i++)
    assert_int_equal(al_buf_printf(&many, "  - {name: e%d, path: /e/%d%s}\n", i,
                                   i, i % 7 ? "" : ", skip: true"),
                     AL_OK);
  assert_int_equal(load_both(many.data, &spec, &err), AL_OK);
  assert_int_equal(spec->endpoint_count, 85);
  assert_int_equal(spec->skipped_count, 15);
  assert_string_equal(spec->endpoints[84].url, "http://h:1/e/99");
  al_spec_free(spec);
  al_buf_cleanup(&many);
}

static void test_spec_load_keys_after_the_endpoints_still_apply(void **state)
{
  (void)state;
  struct al_spec *spec = NULL;
  struct al_err err;
  assert_int_equal(load_both("version: 1\nbase_url: http://h:1\n"
                             "endpoints:\n  - path: /a\n"
                             "defaults: {timeout: 3, headers: {X-A: b}}\n",
                             &spec, &err),
                   AL_OK);
  assert_string_equal(spec->endpoints[0].url, "http://h:1/a");
  assert_int_equal(spec->endpoints[0].timeout_ms, 3000);
  assert_int_equal(spec->endpoints[0].headers.count, 1);
  al_spec_free(spec);
}

static void test_spec_load_streamed_errors_are_the_whole_trees(void **state)
{
  (void)state;
  struct al_spec *spec = NULL;
  struct al_err err;
  /* An endpoint's mistake, found while streaming. */
  assert_int_equal(load_both("version: 1\nbase_url: http://h:1\nendpoints:\n"
                             "  - path: /a\n  - path: b\n",
                             &spec, &err),
                   AL_E_SPEC);
  assert_int_equal(err.line, 5);
  /* A YAML mistake after the endpoint that is wrong: the whole-tree reading
   * reports the YAML, so a stream must too. */
  assert_int_equal(load_both("version: 1\nbase_url: http://h:1\nendpoints:\n"
                             "  - path: b\n  - {path: /c\n",
                             &spec, &err),
                   AL_E_SPEC);
  /* A secret listed after the endpoints still masks the message. */
  assert_int_equal(load_both("version: 1\nbase_url: http://h:1\nendpoints:\n"
                             "  - path: /a\n  - path: \"x${PLAIN_VAR}\"\n"
                             "secrets: [PLAIN_VAR]\n",
                             &spec, &err),
                   AL_E_SPEC);
  assert_int_equal(err.line, 5);
  assert_non_null(strstr(err.msg, "x***"));
  assert_null(strstr(err.msg, "plain-value"));
}

/* ---- variable expansion, through a header value ---- */

struct expand_case {
  const char *written; /* single-quoted in YAML */
  const char *expanded;
};

static const struct expand_case expand_cases[] = {
    {"${A}", "alpha"},
    {"x${A}y", "xalphay"},
    {"${A}${B}", "alphabeta"},
    {"${UNSET:-dflt}", "dflt"},
    {"${UNSET:-}", ""},
    {"${UNSET:-a b:c-d}", "a b:c-d"},
    {"${EMPTY:-dflt}", "dflt"},
    {"${EMPTY}", ""},
    {"${A:-unused}", "alpha"},
    {"$$", "$"},
    {"$${A}", "${A}"},
    {"$$$$", "$$"},
    {"cost $5", "cost $5"},
    {"end$", "end$"},
    {"{A}", "{A}"},
};

static void
test_spec_parse_expands_variables_with_defaults_and_dollars(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof expand_cases / sizeof expand_cases[0]; i++) {
    char text[256];
    snprintf(text, sizeof text,
             "version: 1\nbase_url: http://h:1\n"
             "endpoints: [{path: /, headers: {X-V: '%s'}}]\n",
             expand_cases[i].written);
    print_message("case '%s'\n", expand_cases[i].written);
    struct al_spec *spec = load_ok(text);
    assert_string_equal(al_headers_get(&spec->endpoints[0].headers, "X-V"),
                        expand_cases[i].expanded);
    al_spec_free(spec);
  }
}

static void test_spec_parse_expands_variables_in_every_string(void **state)
{
  (void)state;
  struct al_spec *spec = load_ok("version: 1\n"
                                 "base_url: http://h:${PORT}\n"
                                 "endpoints:\n"
                                 "  - name: n-${A}\n"
                                 "    method: ${UNSET_M:-DELETE}\n"
                                 "    path: /${B}\n"
                                 "    body: b-${A}\n"
                                 "    expect: {headers: {X-Re: '^${A}$'}}\n");
  const struct al_endpoint *e = &spec->endpoints[0];
  assert_string_equal(spec->base_url, "http://h:8080");
  assert_string_equal(e->name, "n-alpha");
  assert_string_equal(e->method, "DELETE");
  assert_string_equal(e->url, "http://h:8080/beta");
  assert_string_equal(e->body, "b-alpha");
  assert_string_equal(e->expect.headers[0].pattern, "^alpha$");
  al_spec_free(spec);
}

static void test_spec_parse_detects_secret_variables(void **state)
{
  (void)state;
  struct al_spec *spec = load_ok("version: 1\n"
                                 "base_url: http://h:1\n"
                                 "secrets: [LISTED]\n"
                                 "endpoints:\n"
                                 "  - path: /\n"
                                 "    headers:\n"
                                 "      X-A: ${DB_PASSWORD}\n"
                                 "      X-B: ${my_apikey}\n"
                                 "      X-C: ${PLAIN_VAR}\n"
                                 "      X-D: ${LISTED}\n"
                                 "      X-E: ${UNSET_TOKEN:-dflt-token}\n"
                                 "      X-F: ${A}\n");
  assert_true(has_secret_value(spec, "hunter2pw"));
  assert_true(has_secret_value(spec, "key-lower"));
  assert_true(has_secret_value(spec, "listed-val"));
  assert_true(has_secret_value(spec, "dflt-token"));
  assert_false(has_secret_value(spec, "plain-value"));
  assert_false(has_secret_value(spec, "alpha"));
  assert_int_equal(spec->secret_value_count, 4);
  al_spec_free(spec);
}

static void test_spec_parse_masks_values_of_secret_headers(void **state)
{
  (void)state;
  struct al_spec *spec = load_ok("version: 1\n"
                                 "base_url: http://h:1\n"
                                 "secrets: [x-api-key]\n"
                                 "endpoints:\n"
                                 "  - path: /\n"
                                 "    headers:\n"
                                 "      Cookie: sid=literal-cookie\n"
                                 "      X-API-Key: literal-key\n"
                                 "      X-Other: not-secret\n");
  assert_true(has_secret_value(spec, "sid=literal-cookie"));
  assert_true(has_secret_value(spec, "literal-key"));
  assert_false(has_secret_value(spec, "not-secret"));
  al_spec_free(spec);
}

static void assert_strings(char *const *got, size_t count,
                           const char *const *want)
{
  size_t n = 0;
  while (want[n])
    n++;
  if (count != n)
    fail_msg("%zu strings, wanted %zu", count, n);
  for (size_t i = 0; i < n; i++)
    assert_string_equal(got[i], want[i]);
}

/* defaults' probes:, probe_methods: and burst: reach every endpoint; an
 * endpoint's lists add to them (each name once, defaults' first), its
 * burst: wins. */
static void test_spec_parse_merges_probe_defaults_into_endpoints(void **state)
{
  (void)state;
  struct al_spec *spec = load_ok("version: 1\n"
                                 "base_url: http://h:1\n"
                                 "defaults:\n"
                                 "  probes: [head, options]\n"
                                 "  probe_methods: [DELETE]\n"
                                 "  burst: 20\n"
                                 "endpoints:\n"
                                 "  - path: /inherits\n"
                                 "  - path: /adds\n"
                                 "    probes: [options, rate-limit, all]\n"
                                 "    probe_methods: [PUT, DELETE, "
                                 "\"${METHOD:-PATCH}\"]\n"
                                 "    burst: 1000\n"
                                 "  - path: /empty-lists\n"
                                 "    probes: []\n"
                                 "    probe_methods: []\n"
                                 "    burst: 1\n");
  assert_int_equal(spec->endpoint_count, 3);
  static const char *const inherited[] = {"head", "options", NULL};
  static const char *const added[] = {"head", "options", "rate-limit", "all",
                                      NULL};
  static const char *const delete_only[] = {"DELETE", NULL};
  static const char *const methods[] = {"DELETE", "PUT", "PATCH", NULL};

  const struct al_endpoint *e = &spec->endpoints[0];
  assert_strings(e->probes, e->probe_count, inherited);
  assert_strings(e->probe_methods, e->probe_method_count, delete_only);
  assert_int_equal(e->burst, 20);

  e = &spec->endpoints[1];
  assert_strings(e->probes, e->probe_count, added);
  assert_strings(e->probe_methods, e->probe_method_count, methods);
  assert_int_equal(e->burst, 1000);

  /* an empty list adds nothing and takes nothing away */
  e = &spec->endpoints[2];
  assert_strings(e->probes, e->probe_count, inherited);
  assert_strings(e->probe_methods, e->probe_method_count, delete_only);
  assert_int_equal(e->burst, 1);
  al_spec_free(spec);
}

/* Without any probe key nothing is set; `all` alone is kept as written
 * (al_probe_select() expands it), and an endpoint's list is its own. */
static void test_spec_parse_probes_without_defaults(void **state)
{
  (void)state;
  struct al_spec *spec = load_ok("version: 1\n"
                                 "base_url: http://h:1\n"
                                 "defaults: {timeout: 1}\n"
                                 "endpoints:\n"
                                 "  - path: /none\n"
                                 "  - path: /all\n"
                                 "    probes: [all]\n"
                                 "  - path: /every-name\n"
                                 "    probes: [method-not-allowed, options, "
                                 "unauthenticated, malformed-body, "
                                 "conditional, head, not-acceptable, "
                                 "rate-limit]\n"
                                 "    probe_methods: [POST, M-SEARCH, "
                                 "\"PROP!FIND\"]\n");
  const struct al_endpoint *e = &spec->endpoints[0];
  assert_int_equal(e->probe_count, 0);
  assert_null(e->probes);
  assert_int_equal(e->probe_method_count, 0);
  assert_null(e->probe_methods);
  assert_int_equal(e->burst, 0);

  e = &spec->endpoints[1];
  static const char *const all[] = {"all", NULL};
  assert_strings(e->probes, e->probe_count, all);
  assert_int_equal(e->probe_method_count, 0);

  e = &spec->endpoints[2];
  assert_int_equal(e->probe_count, 8);
  assert_string_equal(e->probes[0], "method-not-allowed");
  assert_string_equal(e->probes[7], "rate-limit");
  static const char *const methods[] = {"POST", "M-SEARCH", "PROP!FIND", NULL};
  assert_strings(e->probe_methods, e->probe_method_count, methods);
  al_spec_free(spec);
}

/* ---- errors: each with its exact position ---- */

struct error_case {
  const char *name;
  const char *yaml;
  int line;
  int col;
  const char *msg;  /* exact message, or NULL */
  const char *part; /* a substring, when the message is long */
};

#define HEAD "version: 1\nbase_url: http://h:1\nendpoints:\n"
/* defaults: at line 3, its keys from line 4 */
#define DHEAD "version: 1\nbase_url: http://h:1\ndefaults:\n"
/* an endpoint at line 4, its keys from line 5 */
#define EP HEAD "  - path: /a\n"

static const struct error_case error_cases[] = {
    {"test_spec_load_rejects_unknown_key",
     HEAD "  - path: /a\n    methd: GET\n", 5, 5,
     "unknown key 'methd' (did you mean 'method'?)", NULL},
    {"test_spec_load_suggests_for_swapped_letters",
     HEAD "  - path: /a\n    ehaders: {}\n", 5, 5,
     "unknown key 'ehaders' (did you mean 'headers'?)", NULL},
    {"test_spec_load_suggests_for_wrong_case", "Version: 1\n", 1, 1,
     "unknown key 'Version' (did you mean 'version'?)", NULL},
    {"test_spec_load_lists_keys_when_nothing_is_close",
     HEAD "  - path: /a\nzzzzzz: 1\n", 5, 1, NULL,
     "unknown key 'zzzzzz' in the spec (expected one of: version, base_url, "
     "defaults, rules, endpoints, secrets)"},
    {"test_spec_load_rejects_unknown_key_in_defaults",
     "version: 1\nbase_url: http://h:1\ndefaults: {timeout: 1, header: {}}\n",
     3, 24, "unknown key 'header' (did you mean 'headers'?)", NULL},
    {"test_spec_load_rejects_unknown_key_in_expect",
     HEAD "  - path: /a\n    expect: {statuss: 200}\n", 5, 14,
     "unknown key 'statuss' (did you mean 'status'?)", NULL},
    {"test_spec_load_rejects_unknown_key_in_rules",
     "version: 1\nbase_url: http://h:1\nrules: {disabled: [x]}\n", 3, 9,
     "unknown key 'disabled' (did you mean 'disable'?)", NULL},
    {"test_spec_load_rejects_bad_status_word",
     HEAD "  - path: /a\n    expect:\n      status: ok\n", 6, 15,
     "'status' must be an integer, a list of integers or a class like "
     "\"2xx\", got \"ok\"",
     NULL},
    {"test_spec_load_rejects_bad_status_in_list",
     HEAD "  - path: /a\n    expect: {status: [200, true]}\n", 5, 28,
     "'status' must be an integer, a list of integers or a class like "
     "\"2xx\", got true",
     NULL},
    {"test_spec_load_rejects_status_mapping",
     HEAD "  - path: /a\n    expect: {status: {a: 1}}\n", 5, 22,
     "'status' must be an integer, a list of integers or a class like "
     "\"2xx\", got a mapping",
     NULL},
    {"test_spec_load_rejects_status_out_of_range",
     HEAD "  - path: /a\n    expect: {status: 600}\n", 5, 22,
     "'status' must be between 100 and 599, got 600", NULL},
    {"test_spec_load_rejects_status_class_6xx",
     HEAD "  - path: /a\n    expect: {status: 6xx}\n", 5, 22,
     "'status' must be an integer, a list of integers or a class like "
     "\"2xx\", got \"6xx\"",
     NULL},
    {"test_spec_load_rejects_unset_variable",
     HEAD "  - path: /users/${USER_ID}\n", 4, 11,
     "environment variable 'USER_ID' is not set (set it, or write "
     "${USER_ID:-default} to give a default)",
     NULL},
    {"test_spec_load_rejects_unset_variable_in_base_url",
     "version: 1\nbase_url: \"${API_URL}\"\n", 2, 11, NULL,
     "environment variable 'API_URL' is not set"},
    {"test_spec_load_rejects_unterminated_variable", HEAD "  - path: /${A:-x\n",
     4, 11, NULL, "unterminated '${'"},
    {"test_spec_load_rejects_bad_variable_name", HEAD "  - path: /${1A}\n", 4,
     11, NULL, "bad variable reference"},
    {"test_spec_load_rejects_json_and_body_together",
     HEAD "  - path: /a\n    json: {a: 1}\n    body: x\n", 6, 5,
     "an endpoint has either 'json' or 'body', not both ('json' at 5:5)", NULL},
    {"test_spec_load_rejects_duplicate_endpoint_names",
     HEAD "  - path: /a\n  - path: /b\n  - path: /a\n", 6, 5,
     "duplicate endpoint name 'GET /a': the endpoints at lines 4 and 6 have "
     "it (names must be unique in a file; add or change 'name:')",
     NULL},
    {"test_spec_load_rejects_duplicate_explicit_names",
     HEAD "  - {name: x, path: /a}\n  - name: x\n    path: /b\n", 5, 11, NULL,
     "duplicate endpoint name 'x': the endpoints at lines 4 and 5"},
    {"test_spec_load_rejects_missing_version",
     "base_url: http://h:1\nendpoints: [{path: /}]\n", 1, 1,
     "missing required key 'version' (write 'version: 1' at the top)", NULL},
    {"test_spec_load_rejects_wrong_version",
     "version: 2\nbase_url: http://h:1\n", 1, 10,
     "unsupported spec version 2 (this apilint reads version 1)", NULL},
    {"test_spec_load_rejects_quoted_version", "version: \"1\"\n", 1, 10,
     "'version' must be the number 1, got \"1\"", NULL},
    {"test_spec_load_rejects_missing_base_url",
     "# a comment\nversion: 1\nendpoints: [{path: /}]\n", 2, 1, NULL,
     "missing required key 'base_url'"},
    {"test_spec_load_rejects_base_url_without_scheme",
     "version: 1\nbase_url: 127.0.0.1:8080\n", 2, 11,
     "'base_url' must start with http:// or https://, got \"127.0.0.1:8080\"",
     NULL},
    {"test_spec_load_rejects_base_url_with_query",
     "version: 1\nbase_url: http://h/?a=1\n", 2, 11, NULL,
     "must not have a query"},
    {"test_spec_load_rejects_base_url_port_out_of_range",
     "version: 1\nbase_url: http://127.0.0.1:99999/api\n", 2, 11,
     "'base_url' has a port that is not a number from 1 to 65535, got "
     "\"http://127.0.0.1:99999/api\"",
     NULL},
    {"test_spec_load_rejects_base_url_port_not_a_number",
     "version: 1\nbase_url: http://h:80a\n", 2, 11, NULL,
     "has a port that is not a number from 1 to 65535"},
    {"test_spec_load_rejects_base_url_port_zero",
     "version: 1\nbase_url: http://h:0\n", 2, 11, NULL,
     "has a port that is not a number from 1 to 65535"},
    {"test_spec_load_rejects_base_url_huge_port",
     "version: 1\nbase_url: http://h:99999999999999999999999\n", 2, 11, NULL,
     "has a port that is not a number from 1 to 65535"},
    {"test_spec_load_rejects_base_url_unclosed_ipv6",
     "version: 1\nbase_url: \"http://[::1\"\n", 2, 11, NULL,
     "has an IPv6 host without its closing ']'"},
    {"test_spec_load_rejects_base_url_junk_after_ipv6",
     "version: 1\nbase_url: \"http://[::1]x/\"\n", 2, 11, NULL,
     "has bytes after its IPv6 host's ']'"},
    {"test_spec_load_rejects_base_url_with_empty_host_and_port",
     "version: 1\nbase_url: http://:8080\n", 2, 11, NULL, "has no host"},
    {"test_spec_load_rejects_base_url_with_empty_host_after_user",
     "version: 1\nbase_url: http://user@/x\n", 2, 11, NULL, "has no host"},
    {"test_spec_load_rejects_backreference_in_header_pattern",
     HEAD "  - path: /a\n    expect:\n      headers: {X-Id: \"(a*)\\\\1c\"}\n",
     6, 23, NULL,
     "bad regular expression for header 'X-Id': backreferences (\\1-\\9) are "
     "not supported"},
    {"test_spec_load_rejects_missing_endpoints",
     "version: 1\nbase_url: http://h:1\n", 1, 1, NULL,
     "missing required key 'endpoints'"},
    {"test_spec_load_rejects_endpoints_mapping",
     "version: 1\nbase_url: http://h:1\nendpoints: {path: /}\n", 3, 12,
     "'endpoints' must be a list of endpoints, got a mapping", NULL},
    {"test_spec_load_rejects_endpoint_that_is_not_a_mapping",
     HEAD "  - /users\n", 4, 5, NULL,
     "each endpoint must be a mapping (name, method, path...), got "
     "\"/users\""},
    {"test_spec_load_rejects_missing_path",
     HEAD "  - path: /a\n  - name: x\n    method: GET\n", 5, 5,
     "endpoint is missing required key 'path' (like path: /users)", NULL},
    {"test_spec_load_rejects_relative_path", HEAD "  - path: users\n", 4, 11,
     "'path' must start with '/', got \"users\"", NULL},
    {"test_spec_load_rejects_path_with_space", HEAD "  - path: /a b\n", 4, 11,
     NULL, "must not contain spaces"},
    {"test_spec_load_rejects_bad_regex",
     HEAD "  - path: /a\n    expect:\n      headers:\n        X-Id: \"([a-\"\n",
     7, 15, NULL, "bad regular expression for header 'X-Id': "},
    {"test_spec_load_rejects_null_header_expectation",
     HEAD "  - path: /a\n    expect: {headers: {X-Id: }}\n", 5, 30, NULL,
     "expected header 'X-Id' must be a regex string, true (must be present) "
     "or false (must be absent), got nothing"},
    {"test_spec_load_rejects_timeout_list",
     HEAD "  - path: /a\n    timeout: [1]\n", 5, 14,
     "'timeout' must be a number of seconds, got a list", NULL},
    {"test_spec_load_rejects_zero_timeout",
     HEAD "  - path: /a\n    timeout: 0\n", 5, 14,
     "'timeout' must be more than 0 seconds, got 0", NULL},
    {"test_spec_load_rejects_quoted_timeout",
     "version: 1\nbase_url: http://h:1\ndefaults:\n  timeout: \"5\"\n", 4, 12,
     "'timeout' must be a number of seconds, got \"5\"", NULL},
    {"test_spec_load_rejects_timeout_word",
     HEAD "  - path: /a\n    timeout: 5s\n", 5, 14,
     "'timeout' must be a number of seconds, got \"5s\"", NULL},
    {"test_spec_load_rejects_bad_method_token",
     HEAD "  - path: /a\n    method: \"GE T\"\n", 5, 13, NULL,
     "'method' must be an HTTP method token (like GET, POST, PROPFIND"},
    {"test_spec_load_rejects_method_list",
     HEAD "  - path: /a\n    method: [GET]\n", 5, 13,
     "'method' must be a string, got a list", NULL},
    {"test_spec_load_reports_yaml_syntax_error",
     "version: 1\nbase_url: http://h:1\nendpoints\n  - path: /\n", 3, 1, NULL,
     "expected ':' after a mapping key"},
    {"test_spec_load_refuses_alias",
     HEAD "  - path: /a\n    headers: &h {A: b}\n  - path: /b\n"
          "    headers: *h\n",
     5, 14, NULL, "anchors (&h) are not supported"},
    {"test_spec_load_refuses_duplicate_yaml_key",
     HEAD "  - path: /a\n    path: /b\n", 5, 5,
     "duplicate key 'path' (first at 4:5)", NULL},
    {"test_spec_load_rejects_unknown_probe",
     HEAD "  - path: /a\n    probes: [head, optons]\n", 5, 20,
     "unknown probe 'optons' (did you mean 'options'?)", NULL},
    {"test_spec_load_rejects_unknown_probe_without_suggestion",
     HEAD "  - path: /a\n    probes: [fuzz-everything]\n", 5, 14,
     "unknown probe 'fuzz-everything' (known probes: method-not-allowed, "
     "options, unauthenticated, malformed-body, conditional, head, "
     "not-acceptable, rate-limit, or all)",
     NULL},
    {"test_spec_load_suggests_all_for_a_misspelt_all", EP "    probes: [al]\n",
     5, 14, "unknown probe 'al' (did you mean 'all'?)", NULL},
    {"test_spec_load_rejects_unknown_probe_in_defaults",
     DHEAD "  probes: [head, haed]\n", 4, 18,
     "unknown probe 'haed' (did you mean 'head'?)", NULL},
    {"test_spec_load_rejects_probe_name_case", EP "    probes: [HEAD]\n", 5, 14,
     "unknown probe 'HEAD' (did you mean 'head'?)", NULL},
    {"test_spec_load_rejects_probe_listed_twice",
     EP "    probes: [head, options, head]\n", 5, 29,
     "probe 'head' is listed twice (first at 5:14)", NULL},
    {"test_spec_load_rejects_all_listed_twice_in_defaults",
     DHEAD "  probes:\n    - all\n    - all\n", 6, 7,
     "probe 'all' is listed twice (first at 5:7)", NULL},
    {"test_spec_load_rejects_probes_that_are_a_string", EP "    probes: head\n",
     5, 13, "'probes' must be a list of probe names (or all), got \"head\"",
     NULL},
    {"test_spec_load_rejects_probe_that_is_a_mapping",
     EP "    probes: [{head: 1}]\n", 5, 14,
     "'probes' must list probe names (or all), got a mapping", NULL},
    {"test_spec_load_rejects_null_probe", EP "    probes: [~]\n", 5, 14,
     "'probes' must list probe names (or all), got ~", NULL},
    {"test_spec_load_rejects_probe_methods_in_lower_case",
     EP "    probe_methods: [PUT, delete]\n", 5, 26,
     "'probe_methods' must list methods in upper case (methods are "
     "case-sensitive; like DELETE, PUT), got \"delete\"",
     NULL},
    {"test_spec_load_rejects_probe_method_that_is_not_a_token",
     DHEAD "  probe_methods: [\"DE LETE\"]\n", 4, 19,
     "'probe_methods' must list HTTP method tokens (like DELETE, PUT: "
     "letters, digits and !#$%&'*+-.^_`|~), got \"DE LETE\"",
     NULL},
    {"test_spec_load_rejects_empty_probe_method",
     EP "    probe_methods: [\"\"]\n", 5, 21, NULL,
     "'probe_methods' must list HTTP method tokens"},
    {"test_spec_load_rejects_probe_methods_that_are_a_string",
     EP "    probe_methods: DELETE\n", 5, 20,
     "'probe_methods' must be a list of HTTP methods (like [DELETE, PUT]), "
     "got \"DELETE\"",
     NULL},
    {"test_spec_load_rejects_probe_method_that_is_a_list",
     EP "    probe_methods: [[PUT]]\n", 5, 21,
     "'probe_methods' must list HTTP methods (like DELETE, PUT), got a "
     "list",
     NULL},
    {"test_spec_load_rejects_null_probe_method",
     EP "    probe_methods: [PUT, ~]\n", 5, 26,
     "'probe_methods' must list HTTP methods (like DELETE, PUT), got ~", NULL},
    {"test_spec_load_rejects_probe_methods_with_unset_variable",
     EP "    probe_methods: [\"${NOPE}\"]\n", 5, 21, NULL,
     "environment variable 'NOPE' is not set"},
    {"test_spec_load_rejects_probe_method_listed_twice",
     EP "    probe_methods:\n      - PUT\n      - DELETE\n      - PUT\n", 8, 9,
     "method 'PUT' is listed twice in 'probe_methods' (first at 6:9)", NULL},
    {"test_spec_load_rejects_zero_burst", EP "    burst: 0\n", 5, 12,
     "'burst' must be from 1 to 1000 requests, got 0", NULL},
    {"test_spec_load_rejects_burst_over_the_maximum", DHEAD "  burst: 1001\n",
     4, 10, "'burst' must be from 1 to 1000 requests, got 1001", NULL},
    {"test_spec_load_rejects_negative_burst", EP "    burst: -5\n", 5, 12,
     "'burst' must be from 1 to 1000 requests, got -5", NULL},
    {"test_spec_load_rejects_fractional_burst", EP "    burst: 2.5\n", 5, 12,
     "'burst' must be a whole number of requests from 1 to 1000, got 2.5",
     NULL},
    {"test_spec_load_rejects_quoted_burst", EP "    burst: \"50\"\n", 5, 12,
     "'burst' must be a whole number of requests from 1 to 1000, got \"50\"",
     NULL},
    {"test_spec_load_rejects_burst_list", DHEAD "  burst: [50]\n", 4, 10,
     "'burst' must be a whole number of requests from 1 to 1000, got a list",
     NULL},
    {"test_spec_load_rejects_burst_key_typo", EP "    bursts: 5\n", 5, 5,
     "unknown key 'bursts' (did you mean 'burst'?)", NULL},
    {"test_spec_load_rejects_probe_methods_key_typo",
     EP "    probe_method: [PUT]\n", 5, 5,
     "unknown key 'probe_method' (did you mean 'probe_methods'?)", NULL},
    {"test_spec_load_rejects_probe_key_typo_in_defaults",
     DHEAD "  probe: [head]\n", 4, 3,
     "unknown key 'probe' (did you mean 'probes'?)", NULL},
    {"test_spec_load_lists_defaults_keys_when_nothing_is_close",
     DHEAD "  zzzzzz: 1\n", 4, 3,
     "unknown key 'zzzzzz' in defaults (expected one of: headers, timeout, "
     "probes, probe_methods, burst, tls, http_version, proxy, noproxy, rate, "
     "retry)",
     NULL},
    {"test_spec_load_rejects_defaults_that_are_a_list",
     "version: 1\nbase_url: http://h:1\ndefaults: [head]\n", 3, 11,
     "'defaults' must be a mapping (headers, timeout, probes, probe_methods, "
     "burst, tls, http_version, proxy, noproxy, rate, retry), got a list",
     NULL},
    /* defaults' keys for reaching the API (issue 9). */
    {"test_spec_load_rejects_tls_key_typo", DHEAD "  tls: {ca_cert: x}\n", 4, 9,
     "unknown key 'ca_cert' (did you mean 'cacert'?)", NULL},
    {"test_spec_load_rejects_tls_insecure_not_bool",
     DHEAD "  tls:\n    insecure: maybe\n", 5, 15,
     "'insecure' must be true or false, got \"maybe\"", NULL},
    {"test_spec_load_rejects_bad_cert_type",
     DHEAD "  tls: {cert: c.pem, cert_type: JKS}\n", 4, 33,
     "'cert_type' must be PEM, DER or P12, got \"JKS\"", NULL},
    {"test_spec_load_rejects_tls_that_is_a_string", DHEAD "  tls: on\n", 4, 8,
     "'tls' must be a mapping (cacert, capath, insecure, cert, cert_type, key, "
     "key_type, key_password), got \"on\"",
     NULL},
    {"test_spec_load_rejects_bad_http_version", DHEAD "  http_version: 3\n", 4,
     17,
     "'http_version' must be \"1.1\", \"2\" or \"2-prior-knowledge\", got "
     "\"3\"",
     NULL},
    {"test_spec_load_rejects_bad_rate", DHEAD "  rate: 10/day\n", 4, 9,
     "'rate' must be N, N/s, N/m or N/h (N from 1 to 1000000), got "
     "\"10/day\"",
     NULL},
    {"test_spec_load_rejects_negative_retry_count",
     DHEAD "  retry: {count: -1}\n", 4, 18,
     "'count' must be a whole number of retries from 0 to 100, got -1", NULL},
    {"test_spec_load_rejects_retry_key_typo",
     DHEAD "  retry: {count: 2, dealy: 1}\n", 4, 21,
     "unknown key 'dealy' (did you mean 'delay'?)", NULL},
    {"test_spec_load_rejects_proxy_without_port_or_scheme",
     DHEAD "  proxy: proxyhost\n", 4, 10,
     "'proxy' must be a URL like http://proxy:3128, got \"proxyhost\"", NULL},
    {"test_spec_load_rejects_bad_severity",
     "version: 1\nbase_url: http://h:1\nrules:\n"
     "  severity: {server-error: fatal}\n",
     4, 28,
     "severity of 'server-error' must be error, warning or info, got "
     "\"fatal\"",
     NULL},
    {"test_spec_load_rejects_rule_list_that_is_a_string",
     "version: 1\nbase_url: http://h:1\nrules: {disable: server-error}\n", 3,
     18, "'disable' must be a list of rule ids, got \"server-error\"", NULL},
    {"test_spec_load_rejects_bad_header_name",
     HEAD "  - path: /a\n    headers: {\"X Bad\": 1}\n", 5, 15, NULL,
     "'X Bad' is not a valid header name"},
    {"test_spec_load_rejects_header_given_twice_in_other_case",
     HEAD "  - path: /a\n    headers: {Accept: a, accept: b}\n", 5, 26,
     "header 'accept' given twice (first at 5:15)", NULL},
    {"test_spec_load_rejects_multiline_header_value",
     HEAD "  - path: /a\n    headers:\n      X-A: |\n        one\n", 6, 12,
     NULL, "must be one line"},
    {"test_spec_load_rejects_header_list_value",
     HEAD "  - path: /a\n    headers: {X-A: [1]}\n", 5, 20,
     "header 'X-A' must have a single value, got a list", NULL},
    {"test_spec_load_rejects_null_body", HEAD "  - path: /a\n    body: ~\n", 5,
     11, NULL, "'body' must be a string"},
    {"test_spec_load_rejects_secrets_that_are_not_names",
     "version: 1\nsecrets: [\"a b\"]\n", 2, 11, NULL,
     "'secrets' must list header or variable names"},
    {"test_spec_load_rejects_a_spec_that_is_a_list", "- a\n- b\n", 1, 1, NULL,
     "a spec must be a mapping"},
};

static void run_error_case(void **state)
{
  const struct error_case *c = *state;
  struct al_spec_opts o = test_opts();
  struct al_spec *spec = (struct al_spec *)1;
  struct al_err err;
  memset(&err, 0, sizeof err);
  enum al_code rc = al_spec_parse(c->yaml, strlen(c->yaml), "specs/bad.yaml",
                                  &o, &spec, &err);
  print_message("got %s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
  assert_int_equal(rc, AL_E_SPEC);
  assert_null(spec);
  assert_string_equal(err.file, "specs/bad.yaml");
  assert_int_equal(err.line, c->line);
  assert_int_equal(err.col, c->col);
  if (c->msg)
    assert_string_equal(err.msg, c->msg);
  if (c->part)
    assert_non_null(strstr(err.msg, c->part));
}

/* Issue 9: defaults' keys for reaching the API, with relative tls paths
 * taken from the spec's directory and the key password a secret. */
static void test_spec_parse_reads_reach_keys(void **state)
{
  (void)state;
  struct al_spec *spec = load_ok(
      "version: 1\nbase_url: http://h:1\ndefaults:\n"
      "  tls:\n    cacert: certs/ca.pem\n    capath: /etc/ca.d\n"
      "    insecure: false\n    cert: client.pem\n    cert_type: P12\n"
      "    key: k.pem\n    key_type: PEM\n    key_password: ${DB_PASSWORD}\n"
      "  http_version: 2-prior-knowledge\n"
      "  proxy: http://u:p@proxy:3128\n  noproxy: localhost\n"
      "  rate: 30/m\n  retry: {count: 3, delay: 0.25}\n"
      "endpoints:\n  - path: /x\n");
  const struct al_reach *r = &spec->reach;
  assert_string_equal(r->cacert, "specs/certs/ca.pem");
  assert_string_equal(r->capath, "/etc/ca.d");
  assert_int_equal(r->insecure, 0);
  assert_string_equal(r->cert, "specs/client.pem");
  assert_string_equal(r->cert_type, "P12");
  assert_string_equal(r->key, "specs/k.pem");
  assert_string_equal(r->key_type, "PEM");
  assert_string_equal(r->key_password, "hunter2pw");
  assert_true(has_secret_value(spec, "hunter2pw"));
  assert_int_equal(r->http_version, AL_HTTP_2_PRIOR);
  assert_string_equal(r->proxy, "http://u:p@proxy:3128");
  assert_string_equal(r->noproxy, "localhost");
  assert_int_equal(spec->rate.count, 30);
  assert_int_equal(spec->rate.per_ms, 60000);
  assert_int_equal(r->retry, 3);
  assert_int_equal(r->retry_delay_ms, 250);
  al_spec_free(spec);
}

/* Without those keys nothing is set: the command line and libcurl's
 * defaults decide. */
static void test_spec_parse_leaves_reach_unset(void **state)
{
  (void)state;
  struct al_spec *spec =
      load_ok("version: 1\nbase_url: http://h:1\nendpoints:\n  - path: /x\n");
  const struct al_reach *r = &spec->reach;
  assert_null(r->cacert);
  assert_null(r->proxy);
  assert_int_equal(r->insecure, -1);
  assert_int_equal(r->retry, -1);
  assert_int_equal(r->retry_delay_ms, -1);
  assert_int_equal(r->http_version, AL_HTTP_ANY);
  assert_int_equal(spec->rate.count, 0);
  al_spec_free(spec);
}

int main(void)
{
  enum { NERR = sizeof error_cases / sizeof error_cases[0] };
  const struct CMUnitTest fixed[] = {
      cmocka_unit_test(test_spec_parse_reads_every_key_of_a_full_spec),
      cmocka_unit_test(test_spec_parse_reads_reach_keys),
      cmocka_unit_test(test_spec_parse_leaves_reach_unset),
      cmocka_unit_test(test_spec_parse_applies_base_url_override),
      cmocka_unit_test(test_spec_parse_decides_every_timeout),
      cmocka_unit_test(test_spec_parse_accepts_every_base_url_form),
      cmocka_unit_test(test_spec_parse_accepts_patterns_without_backreferences),
      cmocka_unit_test(test_spec_parse_without_getenv_fn_uses_the_environment),
      cmocka_unit_test(test_spec_load_reads_a_file_and_names_the_spec),
      cmocka_unit_test(test_spec_load_streamed_equals_the_whole_tree),
      cmocka_unit_test(test_spec_load_keys_after_the_endpoints_still_apply),
      cmocka_unit_test(test_spec_load_streamed_errors_are_the_whole_trees),
      cmocka_unit_test(
          test_spec_parse_expands_variables_with_defaults_and_dollars),
      cmocka_unit_test(test_spec_parse_expands_variables_in_every_string),
      cmocka_unit_test(test_spec_parse_detects_secret_variables),
      cmocka_unit_test(test_spec_parse_masks_values_of_secret_headers),
      cmocka_unit_test(test_spec_parse_merges_probe_defaults_into_endpoints),
      cmocka_unit_test(test_spec_parse_probes_without_defaults),
  };
  enum { NFIXED = sizeof fixed / sizeof fixed[0] };
  struct CMUnitTest tests[NFIXED + NERR];
  size_t n = 0;
  for (size_t i = 0; i < NFIXED; i++)
    tests[n++] = fixed[i];
  for (size_t i = 0; i < NERR; i++) {
    struct CMUnitTest t = {error_cases[i].name, run_error_case, NULL, NULL,
                           (void *)(uintptr_t)&error_cases[i]};
    tests[n++] = t;
  }
  return _cmocka_run_group_tests("spec", tests, n, NULL, NULL);
}
