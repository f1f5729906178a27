/* check_fixture.h - runs one named C check (src/checks.c) on a response
 * written out as raw text and judges tables of such cases; shared by the
 * check tests (test_checks.c, test_checks_catalogue.c) so that every check
 * is run, and every hit judged, the same way.
 *
 * A table row says whether the check must fire (exactly one hit) or stay
 * quiet, and optionally text the hit's detail must contain. Every hit's
 * detail and evidence must also be short and on one line (reports quote
 * them). Mismatches are printed row by row and fail the test once the
 * whole table has run, so that one run shows every broken row.
 *
 * A test file's run_table() sums ck_expect() over its rows and asserts the
 * sum is 0. Include after <cmocka.h>. Static functions: each test program
 * includes it once. */
#ifndef AL_CHECK_FIXTURE_H
#define AL_CHECK_FIXTURE_H

#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "headers.h"
#include "request.h"
#include "response.h"
#include "rule_logic.h"

struct ck_case {
  const char *method;   /* NULL = GET */
  const char *accept;   /* the request's Accept, or NULL for none */
  const char *raw;      /* the response; "\n" line ends */
  int fires;            /* 1: exactly one hit expected */
  const char *contains; /* text the hit's detail must contain, or NULL */
};

/* ck_run flags. */
enum {
  CK_NO_REQUEST = 1, /* the check gets no request at all (in->req NULL) */
  CK_TRUNCATED = 2,  /* the body is marked as cut at the read limit */
};

/* Parses 'raw' as the answer to 'method' into 'res' (initialised here;
 * the caller cleans it up). */
static void ck_parse(const char *raw, const char *method,
                     struct al_response *res)
{
  struct al_err err = {0};
  al_response_init(res);
  assert_int_equal(al_response_parse_raw(raw, strlen(raw), method, res, &err),
                   AL_OK);
}

/* Runs check 'name' (with its own state, if it has one) on 'req' (may be
 * NULL) and 'res'; appends to 'hits'. */
static void ck_eval(const char *name, const struct al_request *req,
                    const struct al_response *res, struct al_check_hits *hits)
{
  const struct al_check_def *def = al_check_find(name);
  if (!def)
    print_error("no check '%s'\n", name);
  assert_non_null(def);
  void *st = NULL;
  struct al_err err = {0};
  if (def->init)
    assert_int_equal(def->init(&st, &err), AL_OK);
  /* The body read as JSON once, as the engine does for every check. */
  struct al_json_body json;
  al_json_body_init(&json, &res->body);
  struct al_check_input in = {req, res, NULL, NULL, NULL, &json};
  assert_int_equal(def->eval(st, &in, hits), AL_OK);
  al_json_body_cleanup(&json);
  if (def->free_state)
    def->free_state(st);
}

/* Runs check 'name' on one exchange: c's request (method, Accept) and raw
 * response; 'flags' are CK_* bits. */
static void ck_run(const char *name, const struct ck_case *c, unsigned flags,
                   struct al_check_hits *hits)
{
  const char *method = c->method ? c->method : "GET";
  struct al_request req;
  al_request_init(&req);
  req.method = al_strdup(method);
  req.url = al_strdup("http://127.0.0.1/x");
  assert_non_null(req.method);
  assert_non_null(req.url);
  if (c->accept)
    assert_int_equal(al_headers_add(&req.headers, "Accept", c->accept), AL_OK);
  struct al_response res;
  ck_parse(c->raw, method, &res);
  if (flags & CK_TRUNCATED) {
    res.body_truncated = 1;
    res.body_size = res.body.len + 1000;
  }
  ck_eval(name, (flags & CK_NO_REQUEST) ? NULL : &req, &res, hits);
  al_response_cleanup(&res);
  al_request_cleanup(&req);
}

/* Runs row 'i' of check 'name''s table and judges it; returns the number
 * of problems found (printed). */
static int ck_expect(const char *name, size_t i, const struct ck_case *c,
                     unsigned flags)
{
  int bad = 0;
  struct al_check_hits hits = {0};
  ck_run(name, c, flags, &hits);
  const char *detail = hits.count ? hits.items[0].detail : "";
  if ((hits.count > 0) != (c->fires != 0) || hits.count > 1) {
    print_error("%s case %zu: expected %s, got %zu hit(s) '%s'\n", name, i,
                c->fires ? "a hit" : "no hit", hits.count, detail);
    bad++;
  } else if (c->contains && !strstr(detail, c->contains)) {
    print_error("%s case %zu: detail '%s' lacks '%s'\n", name, i, detail,
                c->contains);
    bad++;
  }
  for (size_t h = 0; h < hits.count; h++) {
    /* Details and evidence stay short and on one line. */
    const char *ev = hits.items[h].evidence;
    const char *d = hits.items[h].detail;
    if (strlen(ev) > 200 || strchr(ev, '\n') || strlen(d) > 300 ||
        strchr(d, '\n')) {
      print_error("%s case %zu: detail/evidence too long or multi-line: "
                  "%s | %s\n",
                  name, i, d, ev);
      bad++;
    }
  }
  al_check_hits_cleanup(&hits);
  return bad;
}

/* Body bytes the transfer did read count for check 'name' (a check of a
 * bodyless answer) even where the head 'raw' announces none: 4 bytes
 * "oops" read after it make exactly one hit, "4 body bytes", with them as
 * evidence. */
static void ck_assert_read_body_fires(const char *name, const char *method,
                                      const char *raw)
{
  struct al_response res;
  ck_parse(raw, method, &res);
  assert_int_equal(al_buf_append_str(&res.body, "oops"), AL_OK);
  res.body_size = 4;
  struct al_check_hits hits = {0};
  ck_eval(name, NULL, &res, &hits);
  assert_int_equal(hits.count, 1);
  assert_non_null(strstr(hits.items[0].detail, "4 body bytes"));
  assert_string_equal(hits.items[0].evidence, "oops");
  al_check_hits_cleanup(&hits);
  al_response_cleanup(&res);
}

#endif
