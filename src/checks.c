/* checks.c - the registry of named C checks that rule files refer to with
 * `check: NAME` for what `when:`/`require:` data cannot say. The checks
 * themselves live by concern: checks_body.c (what a body says), checks_leak.c
 * (internals a 5xx shows), checks_headers.c (header syntax and content),
 * checks_transport.c (the exchange itself: transport, interim-only, bodyless
 * answers, the spec's expectations), checks_probe.c (probe answers against the
 * others), and what more than one of them needs in checks_util.c (the hit list
 * among it). Input is one response; output is zero or more hits (detail +
 * evidence) the engine turns into findings. */
#include <stdlib.h>
#include <string.h>

#include "checks_impl.h"
#include "rule_logic.h"

/* ------------------------------------------------------------------ */

static const struct al_check_def checks[] = {
    {"accept-unmatched", AL_CHECK_RESPONSE,
     "a 2xx's Content-Type matches no media range of the request's Accept "
     "with q above 0 (RFC 9110 12.5.1 specificity; a +json type "
     "matches json)",
     NULL, NULL, al_checks_accept},
    {"allow-consistency", AL_CHECK_RESPONSE,
     "for an OPTIONS probe's answer: a method its Allow lists got 405, or one "
     "it does not list got 2xx, in the endpoint's other answers",
     NULL, NULL, al_checks_allow_consistency},
    {"allow-syntax", AL_CHECK_RESPONSE,
     "an Allow field is not a comma-separated list of method tokens (RFC "
     "9110 10.2.1; empty elements allowed); one hit per bad field",
     NULL, NULL, al_checks_allow_syntax},
    {"body-status-mismatch", AL_CHECK_RESPONSE,
     "the body, one JSON object, has a top-level status/statusCode/"
     "status_code number 100-599 other than the real status (a resource's "
     "own status does not count)",
     NULL, NULL, al_checks_body_status},
    {"content-type-body", AL_CHECK_RESPONSE,
     "Content-Type says JSON and the body is not JSON, or says text/html "
     "and the body is a JSON object or array",
     NULL, NULL, al_checks_content_type_body},
    {"content-type-syntax", AL_CHECK_RESPONSE,
     "a Content-Type field is not a media type: type/subtype, then ; "
     "name=token-or-quoted-string parameters (RFC 9110 8.3.1, 5.6.6); one "
     "hit per bad field",
     NULL, NULL, al_checks_content_type_syntax},
    {"error-body", AL_CHECK_RESPONSE,
     "the body, one JSON object, says the request failed (success/result/ok "
     "false, a non-empty error/errors, a 4xx/5xx status/code/statusCode; a "
     "resource's own error or status does not count)",
     NULL, NULL, al_checks_error_body},
    {"etag-syntax", AL_CHECK_RESPONSE,
     "an ETag field is not an entity-tag: [W/]\"...\" (RFC 9110 8.8.3); "
     "one hit per bad field",
     NULL, NULL, al_checks_etag_syntax},
    {"expectation", AL_CHECK_EXPECT,
     "the endpoint's `expect:` (status, headers) is not met; one hit per "
     "mismatch",
     NULL, NULL, al_checks_expectation},
    {"head-body", AL_CHECK_RESPONSE,
     "the answer to HEAD carries actual body bytes (Content-Length and "
     "Transfer-Encoding do not count)",
     NULL, NULL, al_checks_content_bytes},
    {"head-matches-get", AL_CHECK_RESPONSE,
     "for a HEAD probe's answer to a GET endpoint: a status or Content-Type "
     "media type other than the GET answer's",
     NULL, NULL, al_checks_head_matches_get},
    {"http-date-syntax", AL_CHECK_RESPONSE,
     "a Date or Last-Modified field is not an HTTP-date: IMF-fixdate or "
     "the obsolete RFC 850 / asctime forms (RFC 9110 5.6.7); one hit per bad "
     "field",
     NULL, NULL, al_checks_http_date_syntax},
    {"interim-only", AL_CHECK_INTERIM,
     "only 1xx interim responses came and no final one (the server closed "
     "or the timeout struck); the detail quotes the last 1xx status line and "
     "curl's reason",
     NULL, NULL, al_checks_interim_only},
    {"location-syntax", AL_CHECK_RESPONSE,
     "a Location field is not a URI-reference (RFC 3986 4.1: spaces, "
     "non-ASCII bytes, a bad %-escape, a second #...); one hit per bad field",
     NULL, NULL, al_checks_location_syntax},
    {"no-content-body", AL_CHECK_RESPONSE,
     "the response carries content: stray bytes after the head, body bytes, "
     "Content-Length above 0, or Transfer-Encoding",
     NULL, NULL, al_checks_no_content},
    {"no-error-detail", AL_CHECK_RESPONSE,
     "the body is empty or says nothing about what was wrong (only reason "
     "phrases, generic words, a stock error page)",
     NULL, NULL, al_checks_error_detail},
    {"no-monitor-link", AL_CHECK_RESPONSE,
     "no Location, Content-Location, Link (or Operation-Location) header "
     "and no link in the body",
     NULL, NULL, al_checks_monitor},
    {"not-modified-body", AL_CHECK_RESPONSE,
     "the response carries actual content bytes (Content-Length and "
     "Transfer-Encoding may describe the representation and do not count)",
     NULL, NULL, al_checks_content_bytes},
    {"server-error-leak", AL_CHECK_RESPONSE,
     "body or headers show a stack trace, an SQL error, a framework debug "
     "page or a server file path",
     al_checks_leak_init, al_checks_leak_free, al_checks_leak},
    {"singleton-repeated", AL_CHECK_RESPONSE,
     "a field defined as one value (Content-Type, Location, ETag, Date, "
     "Last-Modified, Retry-After, Content-Location, Content-Range, Expires, "
     "Age) comes on several lines with different values (RFC 9110 5.3)",
     NULL, NULL, al_checks_singleton_repeated},
    {"transport", AL_CHECK_TRANSPORT,
     "no usable HTTP response: curl's reason is the detail", NULL, NULL,
     al_checks_transport},
    {"validator-unchanged", AL_CHECK_RESPONSE,
     "for a conditional probe's answer: it shows the validator the request "
     "sent (ETag, Last-Modified) or none, so the resource did not change",
     NULL, NULL, al_checks_validator_unchanged},
    {"version-disclosure", AL_CHECK_RESPONSE,
     "Server or X-Powered-By carries a product version (nginx/1.22.1, "
     "Express 4.x), or X-AspNet-Version / X-AspNetMvc-Version is sent; the "
     "detail quotes the headers",
     al_checks_version_init, al_checks_version_free, al_checks_version},
    {"www-authenticate-syntax", AL_CHECK_RESPONSE,
     "a WWW-Authenticate field is not a challenge list (RFC 9110 "
     "11.6.1); one hit per bad field",
     NULL, NULL, al_checks_www_authenticate},
};

const struct al_check_def *al_check_all(size_t *count)
{
  *count = sizeof checks / sizeof checks[0];
  return checks;
}

const struct al_check_def *al_check_find(const char *name)
{
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
    if (strcmp(checks[i].name, name) == 0)
      return &checks[i];
  return NULL;
}

const char *al_check_suggest(const char *name)
{
  struct al_suggest sug;
  al_suggest_init(&sug, name);
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
    al_suggest_consider(&sug, checks[i].name);
  return al_suggest_result(&sug);
}
