/* response.h - what came back for one request: the final status line,
 * headers in order with repeats, the body (capped, after content decoding,
 * with its true size still counted), bytes found on the connection after a
 * response that may not carry a body (204/304/HEAD: libcurl does not read
 * them, so transfer.c looks for them), timings, and curl's reason when no
 * HTTP response was received. Filled by transfer.c; read by the engine and
 * the reporters. */
#ifndef AL_RESPONSE_H
#define AL_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"
#include "headers.h"

/* One attempt that ended in a transport failure and was retried (--retry):
 * the last attempt is the response itself. */
struct al_attempt {
  char *error;       /* owned; curl's "(7) Failed to connect ..." */
  double elapsed_ms; /* that attempt's time */
  long wait_ms;      /* how long apilint waited before the next attempt */
};

struct al_response {
  int received; /* 1 when a final HTTP response (status + headers) arrived */
  long status;  /* final status, e.g. 204; 0 if none */
  char *status_line;  /* owned; "HTTP/1.1 204 No Content", no CRLF; NULL if
                         none */
  char *http_version; /* owned; "1.0", "1.1", "2" */
  struct al_headers headers; /* owned; the final response's fields */
  size_t headers_dropped;    /* fields past the cap (not stored) */
  size_t interim_count;      /* 1xx responses that came before the final one
                                (or before the transfer failed) */
  long last_interim_status;  /* the last of those, e.g. 100; 0 if none */
  char *last_interim_line;   /* owned; its status line, "HTTP/1.1 100
                                Continue", no CRLF; NULL if none. With
                                received=0 and interim_count>0 the server
                                answered only with 1xx (informational-as-
                                final), a broken answer, not silence. */

  struct al_buf body;  /* owned; at most the body cap, decoded */
  uint64_t body_size;  /* bytes of body seen in all (decoded) */
  int body_truncated;  /* body_size > body.len */
  int body_incomplete; /* reading stopped before the body ended: the read
                          limit was hit or the transfer failed midway */
  int body_limit_hit;  /* apilint stopped reading at its read limit: the
                          answer is complete as far as the server goes (no
                          transport failure), checks saw only a prefix */
  uint64_t read_limit; /* that limit, bytes (with body_limit_hit) */

  /* Bytes that followed a response which must not have a body (204, 304,
   * any answer to HEAD). stray_size counts all seen, including bytes
   * libcurl read with the head and dropped (their content is lost); stray
   * keeps up to the body cap of those read off the connection afterwards.
   * See transfer.h for how and when they are looked for. */
  struct al_buf stray;
  uint64_t stray_size;

  int transport_failed;  /* 1 when the transfer failed (curl_code != 0) */
  int curl_code;         /* CURLcode; 0 = success */
  char *transport_error; /* owned; "(7) Failed to connect to 127.0.0.1 port
                            9: Connection refused"; NULL on success */

  double elapsed_ms; /* request start to transfer end (last attempt) */
  struct al_attempt *attempts; /* owned; the failed attempts before the one
                                  above, oldest first (--retry) */
  size_t attempt_count;
  int reused_connection; /* 1 when sent over a kept-alive connection that an
                            earlier request opened */

  /* Only with --verbose: the request as sent (request line and headers) and
   * the response head (status line and headers), raw, as text. Secrets are
   * NOT masked here: the printer masks them. */
  struct al_buf sent_head;     /* owned */
  struct al_buf received_head; /* owned */
};

void al_response_init(struct al_response *res);
void al_response_cleanup(struct al_response *res);

/* What says a response carries content (RFC 9110 §6.4.1, §8.6; RFC 9112
 * §6.1): the one answer to "does it carry content", for the engine's
 * `content:` condition and the 204/304 checks alike. */
struct al_content_signals {
  uint64_t body_bytes;           /* body bytes received */
  uint64_t stray_bytes;          /* bytes after the head of a bodyless answer */
  const char *content_length;    /* borrowed from res: the first
                                    Content-Length value above 0, or NULL */
  const char *transfer_encoding; /* borrowed from res: the first
                                    Transfer-Encoding value, or NULL */
};

/* Fills 'out' (pointers into 'res', valid while it is); returns 1 when any
 * signal is there, else 0. */
int al_response_content_signals(const struct al_response *res,
                                struct al_content_signals *out);
/* 1 when the response carries content in any form: body bytes, stray bytes
 * after a bodyless status, a Content-Length above 0, or a Transfer-Encoding.
 * (For 204/304 rules; a plain 200's body is just res->body.) */
int al_response_has_content_signal(const struct al_response *res);
/* 1 when a Content-Length value says there are bytes: after OWS it starts
 * with a decimal number above 0 ("17", "0017"; not "0", "", "-1", "x"). */
int al_response_length_above_zero(const char *v);

/* What the server answered with, for reports: the final status (line), or
 * when only 1xx interim responses came, the last of those (informational-
 * as-final); 0 / NULL when nothing came. */
long al_response_answer_status(const struct al_response *res);
const char *al_response_answer_line(const struct al_response *res);

/* RFC 9112 §4 status-line, "HTTP/" version SP 3DIGIT [SP reason], in
 * line[0..len) (no line end): 1 with *status (000-999: which of them a
 * caller accepts is its policy) and *version_len (the bytes after "HTTP/",
 * "1.1"), else 0. The one status-line parser, for the network (transfer.c)
 * and for responses written as text (al_response_parse_raw). */
int al_response_parse_status_line(const char *line, size_t len, long *status,
                                  size_t *version_len);

enum al_field {
  AL_FIELD_NONE,    /* no ':' or nothing before it: not a field line */
  AL_FIELD_OK,      /* name: value, the name a token (RFC 9110 §5.1) */
  AL_FIELD_BAD_NAME /* split, but the name is not a token */
};

/* RFC 9112 §5 field line "name: value" in line[0..len): the name is
 * line[0..*name_len) (up to the first ':'), the value *value[0..*value_len)
 * with surrounding SP/HTAB trimmed. What a line with a bad name is worth is
 * the caller's (the network keeps it as evidence, an example refuses it). */
enum al_field al_response_split_field(const char *line, size_t len,
                                      size_t *name_len, const char **value,
                                      size_t *value_len);

/* 1 when the response's framing is invalid (RFC 9112 §6.3): a
 * Content-Length that is not 1*DIGIT ("1;", "", "-1", "0x10") or that
 * holds different lengths, in a list ("1, 2") or on several lines (RFC
 * 9110 §8.6; the same length repeated is tolerated), on a response whose
 * length it decides (not a 1xx, 204, 304 or an answer to HEAD, and no
 * Transfer-Encoding). Then 'why' (at most 'size' bytes) names the field
 * and its value, and the client MUST discard the response: transfer.c
 * and al_response_parse_raw make it a transport error (received 0) even
 * when libcurl read it leniently. 'method' is the request's, may be NULL. */
int al_response_framing_error(const struct al_response *res, const char *method,
                              char *why, size_t size);

/* Parses a canned raw response ("HTTP/1.1 204 No Content\nName: v\n\nbody",
 * LF or CRLF line ends; one final newline of the body is dropped, as the
 * fixture server does) into 'res' (initialised by the caller). Models
 * libcurl: for 204/304 and for a HEAD request the bytes after the head
 * are not body but stray bytes left on the connection (res->stray). A 1xx
 * head is interim: the text after it is the next head; a 1xx with nothing
 * after it is a 1xx and then a closed connection (received 0, curl's
 * "(52) Empty reply from server"). A response whose framing is invalid
 * (al_response_framing_error) is a transport error "(8) invalid
 * Content-Length: ..." with received 0, as on the network. A
 * "Transfer-Encoding: chunked" body is kept as sent (not decoded). Returns
 * AL_E_RULES with the reason in 'err' when the text is not a response. */
enum al_code al_response_parse_raw(const char *text, size_t len,
                                   const char *method, struct al_response *res,
                                   struct al_err *err);

#endif
