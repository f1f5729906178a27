/* fixture_server.c - the test-only HTTP/1.1 server (curl's sws.c idea), also
 * the demo API server. It answers each request with a canned reply looked up
 * by method and target, and can misbehave on demand, so tests can make it
 * send what libcurl would hide (a body on a 204) or never answer at all.
 *
 * Usage:
 *   fixture_server --replies FILE --port-file FILE [--log FILE] [--port N]
 *                  [--max-seconds N] [--log-times]
 *
 * Binds 127.0.0.1 (port 0 = any free port unless --port), writes the port
 * and "\n" to --port-file once listening (written to a temporary file, then
 * renamed, so a reader never sees half a number), and serves until SIGTERM,
 * SIGINT or --max-seconds (default 900) pass. One detached thread per
 * connection, at most 256 at once; connections are keep-alive by default.
 *
 * The replies file
 * ----------------
 *   Lines before the first "=== " line are comments.
 *
 *   === METHOD PATH [directive ...]
 *   # lines starting with '#' right after the === line are comments
 *   HTTP/1.1 200 OK
 *   Content-Type: text/plain
 *   Content-Length: auto
 *
 *   the body
 *   === GET /next
 *   ...
 *
 * METHOD is a method token or "*" (any method); PATH is compared exactly
 * with the request target, query string included. Entries are tried in file
 * order and the first matching one (method, path and conditions below)
 * wins. Everything up to the next "=== " line (or the end of the file) is the
 * reply. By default the head (status line and header lines, up to and
 * including the first empty line) is sent with CRLF line ends, the rest is
 * the body, sent verbatim with its final newline removed, and a header line
 * "Content-Length: auto" gets the body's real length. An entry without an
 * empty line is all head (the empty line is added). Directives:
 *   raw          send the entry's bytes exactly as written: no CRLF, no auto
 *                length, no filler headers; only its final newline is
 *                removed. Escapes \r \n \\ \xNN are decoded, so any byte can
 *                be written. (The head/body split used by split=MS is the
 *                first empty line, "\r\n\r\n" or "\n\n".)
 *   delay=MS     wait MS milliseconds before answering
 *   never        read the request, never answer; hold the connection until
 *                the client closes it or the server stops
 *   drop=N       the first N requests for this METHOD TARGET (counted as for
 *                from=) get no answer: the connection is reset (RST) as soon
 *                as the request has been read; later ones get the reply
 *   close        close the connection after the response
 *   echo         after the entry's body, send the request's head (request
 *                line and header lines) as received (an echoing server: a debug
 * page, a traceback), then close the connection, which ends the body (write no
 * Content-Length in such an entry) split=MS     send the head, wait MS
 * milliseconds, send the body endless      after the head, send body bytes (the
 * entry's body, or 'x' filler when it has none) until the client goes away
 *   trickle=MS   send the reply one byte at a time, MS milliseconds apart
 *                (a slowloris server: each byte keeps the connection alive);
 *                with split=N the head goes at once and only the body,
 *                N ms later, trickles
 *   headers=N    add N lines "X-Filler-<i>: <i>" (i = 1..N) to the head
 *   body-file=P  the body is the bytes of file P (relative to the replies
 *                file's directory); with raw the bytes follow the entry's
 *
 * Conditions: an entry with these matches only a request for which all of
 * them hold (else the next entries are tried):
 *   from=N       the N-th request (1-based) for this METHOD TARGET and later
 *                ones; requests are counted per method and target over the
 *                server's life, whatever entry answered them. For a rate
 *                limit put "=== GET /x from=3" (the 429) before "=== GET /x".
 *   header=Name  the request has a field Name (name case-insensitive)
 *   header=Name:SUB  ... whose value contains SUB (case-sensitive)
 *   no-header=Name   the request has no field Name
 *   body=SUB     the request body (its first 1 MiB, de-chunked) contains SUB
 *                (case-sensitive)
 * header= and no-header= may be given up to 16 times. In SUB, %XX is a
 * byte: write %20 for a space (directives are split at spaces), %25 for %.
 *
 * A HEAD request gets exactly what its entry says, a body included: write a
 * "=== HEAD" entry for a correct answer to HEAD. A request no entry matches
 * gets 404 with "X-Fixture: miss" and the body "no fixture for METHOD PATH"
 * (no body for HEAD).
 *
 * --log FILE: one line per request received, flushed at once, written as
 * soon as the request head is read:
 *   METHOD<TAB>TARGET<TAB>Name: value<TAB>Name: value...
 * (the request's headers in order; tabs and control bytes inside a value are
 * written as spaces so a line stays one line). With --log-times each line
 * starts with "MS<TAB>": milliseconds since the server started (monotonic
 * clock, three decimals), taken when the request head was complete, so a
 * test can measure the pace of a client.
 *
 * Requests are HTTP/1.x: request line, headers, then a body by Content-Length
 * or chunked (read and discarded, so keep-alive stays in step; "Expect:
 * 100-continue" gets its "100 Continue" first). HTTP/1.0 requests and
 * "Connection: close" close the connection after the reply. A request head
 * over 64 KiB or a malformed one (or malformed body framing) gets 400 and the
 * connection is closed. A keep-alive connection idle for 60 s is closed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 256
#define REQUEST_HEAD_MAX (64 * 1024)
#define MAX_REQUEST_HEADERS 512
#define SLICE_MS 100 /* how often blocked waits look at the stop flag */
#define IDLE_TIMEOUT_MS 60000 /* a keep-alive connection with no request */
#define LINGER_MS 1000        /* reading what the client still sends on close */
#define BODY_KEEP (1024 * 1024) /* request body bytes kept for body= */
#define MAX_CONDS 16            /* header=/no-header= per entry */

/* Growable bytes: replies built at load time, request bodies kept. */
struct bytes {
  char *data;
  size_t len;
  size_t cap;
};

/* One header=/no-header= condition of an entry. */
struct header_cond {
  char *name;   /* matched case-insensitively */
  char *substr; /* NULL: any value; else the value must contain it */
  int absent;   /* no-header=: the request must not have the field */
};

struct entry {
  char *method; /* "*" = any */
  char *path;
  int raw;
  int never;
  long drop; /* > 0: reset the connection of the first 'drop' requests */
  int close_after;
  int endless;
  int echo;        /* the body quotes the request (see "echo") */
  char *echo_name; /* owned; echo=NAME: only that field's value */
  long delay_ms;
  long split_ms;   /* -1 = send head and body in one write */
  long trickle_ms; /* > 0: one byte per trickle_ms */
  char *head;      /* bytes sent first */
  size_t head_len;
  char *body; /* bytes sent after the head */
  size_t body_len;
  /* Conditions on the request (all must hold for the entry to match). */
  long from; /* > 0: only from the from-th request for METHOD PATH on */
  struct header_cond conds[MAX_CONDS];
  size_t ncond;
  char *body_substr; /* body=: the request body must contain it; or NULL */
};

/* How many requests each METHOD TARGET has had, for from=. */
struct counter {
  char *key; /* "METHOD TARGET" */
  long count;
};

struct server {
  struct entry *entries;
  size_t count;
  FILE *log;
  int log_times;           /* --log-times */
  struct timespec started; /* CLOCK_MONOTONIC at start, for --log-times */
  pthread_mutex_t log_lock;
  struct counter *counters; /* under count_lock */
  size_t ncounters, counters_cap;
  pthread_mutex_t count_lock;
};

struct conn {
  int fd;
  struct server *srv;
  char buf[REQUEST_HEAD_MAX];
  size_t len; /* bytes in buf not yet consumed */
};

struct request {
  char method[64];
  char target[8192];
  int close_by_default; /* HTTP/1.0 without "Connection: keep-alive" */
  int wants_close;
  int expect_continue;
  int chunked;
  int has_length;
  uint64_t content_length;
  char *fields; /* owned; the header lines as received (for header=) */
  size_t fields_len;
  struct bytes body; /* owned; up to BODY_KEEP bytes of the body */
  long nth;          /* this is the nth request for its METHOD TARGET */
};

/* Set by SIGTERM/SIGINT or the --max-seconds deadline; every blocking wait
 * in the server is sliced so it sees this within SLICE_MS. */
static atomic_int g_stop;

static pthread_mutex_t g_conn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_conn_cond = PTHREAD_COND_INITIALIZER;
static int g_conns;

static void die(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static void die(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("fixture_server: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p)
    die("out of memory");
  return p;
}

static char *xstrndup(const char *s, size_t n)
{
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static void on_signal(int sig)
{
  (void)sig;
  atomic_store(&g_stop, 1);
}

static long long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps 'ms', waking early when the server stops. */
static void sleep_ms(long ms)
{
  long long end = now_ms() + ms;
  while (!atomic_load(&g_stop)) {
    long long left = end - now_ms();
    if (left <= 0)
      break;
    if (left > SLICE_MS)
      left = SLICE_MS;
    struct timespec ts = {(time_t)(left / 1000), (long)(left % 1000) * 1000000};
    nanosleep(&ts, NULL);
  }
}

/* ---- growable bytes, for building replies at load time ---- */

static void bytes_add(struct bytes *b, const void *data, size_t len)
{
  if (b->len + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + len + 1)
      cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
      die("out of memory");
    b->data = p;
    b->cap = cap;
  }
  if (len)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
}

static void bytes_addf(struct bytes *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void bytes_addf(struct bytes *b, const char *fmt, ...)
{
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0)
    bytes_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static char *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot open %s: %s", path, strerror(errno));
  struct bytes b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    bytes_add(&b, chunk, n);
  if (ferror(f))
    die("cannot read %s", path);
  fclose(f);
  bytes_add(&b, "", 0);
  *len = b.len;
  return b.data;
}

/* ---- loading the replies file ---- */

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes \r \n \\ \xNN of raw entries; any other backslash stays as is. */
static void decode_escapes(const char *s, size_t len, struct bytes *out)
{
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '\\' && i + 1 < len) {
      char n = s[i + 1];
      if (n == 'r' || n == 'n' || n == '\\') {
        c = n == 'r' ? '\r' : n == 'n' ? '\n' : '\\';
        i++;
      } else if (n == 'x' && i + 3 < len && hexval(s[i + 2]) >= 0 &&
                 hexval(s[i + 3]) >= 0) {
        c = (char)(hexval(s[i + 2]) * 16 + hexval(s[i + 3]));
        i += 3;
      }
    }
    bytes_add(out, &c, 1);
  }
}

/* Length of 's' without one final "\n" or "\r\n". */
static size_t without_final_newline(const char *s, size_t len)
{
  if (len > 0 && s[len - 1] == '\n') {
    len--;
    if (len > 0 && s[len - 1] == '\r')
      len--;
  }
  return len;
}

static size_t line_end(const char *s, size_t len, size_t pos)
{
  const char *nl = memchr(s + pos, '\n', len - pos);
  return nl ? (size_t)(nl - s) + 1 : len;
}

/* The line s[pos..end) without its "\n" / "\r\n". */
static size_t line_content_len(const char *s, size_t pos, size_t end)
{
  size_t n = end - pos;
  if (n > 0 && s[pos + n - 1] == '\n')
    n--;
  if (n > 0 && s[pos + n - 1] == '\r')
    n--;
  return n;
}

static void build_cooked(struct entry *e, const char *text, size_t len,
                         long filler, const char *file_body, size_t file_len)
{
  /* Find the first empty line: it ends the head. */
  size_t pos = 0, head_end = len, body_start = len;
  while (pos < len) {
    size_t end = line_end(text, len, pos);
    if (line_content_len(text, pos, end) == 0) {
      head_end = pos;
      body_start = end;
      break;
    }
    pos = end;
  }
  const char *body = text + body_start;
  size_t body_len = without_final_newline(body, len - body_start);
  if (file_body) {
    body = file_body;
    body_len = file_len;
  }

  struct bytes head = {0};
  for (pos = 0; pos < head_end;) {
    size_t end = line_end(text, head_end, pos);
    size_t n = line_content_len(text, pos, end);
    static const char auto_len[] = "Content-Length: auto";
    if (n == sizeof auto_len - 1 && strncasecmp(text + pos, auto_len, n) == 0)
      bytes_addf(&head, "Content-Length: %zu", body_len);
    else
      bytes_add(&head, text + pos, n);
    bytes_add(&head, "\r\n", 2);
    pos = end;
  }
  for (long i = 1; i <= filler; i++)
    bytes_addf(&head, "X-Filler-%ld: %ld\r\n", i, i);
  if (head.len > 0)
    bytes_add(&head, "\r\n", 2);
  else
    bytes_add(&head, "", 0);
  e->head = head.data;
  e->head_len = head.len;
  e->body = xstrndup(body, body_len);
  e->body_len = body_len;
}

static void build_raw(struct entry *e, const char *text, size_t len,
                      const char *file_body, size_t file_len)
{
  struct bytes all = {0};
  decode_escapes(text, without_final_newline(text, len), &all);
  bytes_add(&all, "", 0);
  if (file_body)
    bytes_add(&all, file_body, file_len);
  /* Split after the first empty line, for split=MS and endless. The bytes
   * may hold NULs, so no str* functions here. */
  size_t cut = all.len;
  for (size_t i = 0; i + 1 < all.len; i++) {
    if (all.data[i] != '\n')
      continue;
    if (all.data[i + 1] == '\n') {
      cut = i + 2;
      break;
    }
    if (i + 2 < all.len && all.data[i + 1] == '\r' && all.data[i + 2] == '\n') {
      cut = i + 3;
      break;
    }
  }
  e->head = xstrndup(all.data, cut);
  e->head_len = cut;
  e->body = xstrndup(all.data + cut, all.len - cut);
  e->body_len = all.len - cut;
  free(all.data);
}

/* "a%20b" -> "a b": directives are split at spaces, so a space in a
 * header= or body= substring is written %20 (any %XX is decoded). */
static char *percent_decode(const char *s)
{
  struct bytes b = {0};
  for (size_t i = 0; s[i]; i++) {
    char c = s[i];
    if (c == '%' && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    }
    bytes_add(&b, &c, 1);
  }
  if (!b.data)
    bytes_add(&b, "", 0);
  return b.data;
}

static long parse_number(const char *s, const char *what, const char *file,
                         int line)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end != '\0' || v < 0)
    die("%s:%d: bad %s value '%s'", file, line, what, s);
  return v;
}

/* Parses "=== METHOD PATH directives..." and the entry text after it. */
static void load_entry(struct entry *e, char *spec_line, const char *text,
                       size_t len, const char *dir, const char *file, int line)
{
  char *save = NULL;
  char *method = strtok_r(spec_line + 4, " \t\r\n", &save);
  char *path = method ? strtok_r(NULL, " \t\r\n", &save) : NULL;
  if (!method || !path)
    die("%s:%d: expected '=== METHOD PATH [directive ...]'", file, line);
  memset(e, 0, sizeof *e);
  e->method = xstrndup(method, strlen(method));
  e->path = xstrndup(path, strlen(path));
  e->split_ms = -1;
  long filler = 0;
  char *file_body = NULL;
  size_t file_len = 0;
  for (char *d; (d = strtok_r(NULL, " \t\r\n", &save));) {
    if (strcmp(d, "raw") == 0)
      e->raw = 1;
    else if (strcmp(d, "never") == 0)
      e->never = 1;
    else if (strncmp(d, "drop=", 5) == 0)
      e->drop = parse_number(d + 5, "drop", file, line);
    else if (strcmp(d, "close") == 0)
      e->close_after = 1;
    else if (strcmp(d, "echo") == 0)
      e->echo = e->close_after = 1;
    else if (strncmp(d, "echo=", 5) == 0 && d[5]) {
      e->echo = e->close_after = 1;
      free(e->echo_name);
      e->echo_name = xstrndup(d + 5, strlen(d + 5));
    } else if (strcmp(d, "endless") == 0)
      e->endless = 1;
    else if (strncmp(d, "delay=", 6) == 0)
      e->delay_ms = parse_number(d + 6, "delay", file, line);
    else if (strncmp(d, "split=", 6) == 0)
      e->split_ms = parse_number(d + 6, "split", file, line);
    else if (strncmp(d, "trickle=", 8) == 0)
      e->trickle_ms = parse_number(d + 8, "trickle", file, line);
    else if (strncmp(d, "headers=", 8) == 0)
      filler = parse_number(d + 8, "headers", file, line);
    else if (strncmp(d, "body-file=", 10) == 0) {
      char full[PATH_MAX];
      int n = d[10] == '/' ? snprintf(full, sizeof full, "%s", d + 10)
                           : snprintf(full, sizeof full, "%s/%s", dir, d + 10);
      if (n < 0 || (size_t)n >= sizeof full)
        die("%s:%d: body-file path too long", file, line);
      free(file_body);
      file_body = read_file(full, &file_len);
    } else if (strncmp(d, "from=", 5) == 0) {
      e->from = parse_number(d + 5, "from", file, line);
    } else if (strncmp(d, "header=", 7) == 0 ||
               strncmp(d, "no-header=", 10) == 0) {
      int absent = d[0] == 'n';
      const char *arg = d + (absent ? 10 : 7);
      if (e->ncond == MAX_CONDS)
        die("%s:%d: more than %d header conditions", file, line, MAX_CONDS);
      struct header_cond *hc = &e->conds[e->ncond++];
      const char *colon = absent ? NULL : strchr(arg, ':');
      size_t nlen = colon ? (size_t)(colon - arg) : strlen(arg);
      if (nlen == 0)
        die("%s:%d: '%s' needs a header name", file, line, d);
      hc->name = xstrndup(arg, nlen);
      hc->substr = colon ? percent_decode(colon + 1) : NULL;
      hc->absent = absent;
    } else if (strncmp(d, "body=", 5) == 0) {
      free(e->body_substr);
      e->body_substr = percent_decode(d + 5);
    } else
      die("%s:%d: unknown directive '%s'", file, line, d);
  }
  if (e->raw)
    build_raw(e, text, len, file_body, file_len);
  else
    build_cooked(e, text, len, filler, file_body, file_len);
  free(file_body);
}

static void load_replies(struct server *srv, const char *path)
{
  size_t len;
  char *text = read_file(path, &len);
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(dir, sizeof dir, ".");

  size_t cap = 16;
  srv->entries = xmalloc(cap * sizeof *srv->entries);
  srv->count = 0;
  size_t pos = 0;
  int lineno = 1;
  /* Skip the comment lines before the first entry. */
  while (pos < len && strncmp(text + pos, "=== ", 4) != 0) {
    pos = line_end(text, len, pos);
    lineno++;
  }
  while (pos < len) {
    size_t end = line_end(text, len, pos);
    char *spec_line = xstrndup(text + pos, end - pos);
    int spec_lineno = lineno;
    pos = end;
    lineno++;
    /* '#' lines right after the === line are comments. */
    while (pos < len && text[pos] == '#') {
      pos = line_end(text, len, pos);
      lineno++;
    }
    size_t start = pos;
    while (pos < len && strncmp(text + pos, "=== ", 4) != 0) {
      pos = line_end(text, len, pos);
      lineno++;
    }
    if (srv->count == cap) {
      cap *= 2;
      struct entry *p = realloc(srv->entries, cap * sizeof *p);
      if (!p)
        die("out of memory");
      srv->entries = p;
    }
    load_entry(&srv->entries[srv->count++], spec_line, text + start,
               pos - start, dir, path, spec_lineno);
    free(spec_line);
  }
  free(text);
}

static void free_replies(struct server *srv)
{
  for (size_t i = 0; i < srv->count; i++) {
    free(srv->entries[i].method);
    free(srv->entries[i].path);
    free(srv->entries[i].head);
    free(srv->entries[i].body);
    for (size_t k = 0; k < srv->entries[i].ncond; k++) {
      free(srv->entries[i].conds[k].name);
      free(srv->entries[i].conds[k].substr);
    }
    free(srv->entries[i].body_substr);
    free(srv->entries[i].echo_name);
  }
  free(srv->entries);
  for (size_t i = 0; i < srv->ncounters; i++)
    free(srv->counters[i].key);
  free(srv->counters);
}

/* ---- socket I/O, every wait sliced so the stop flag is seen ---- */

/* Waits until fd is ready for 'events'. Returns 1 when ready, 0 on timeout,
 * -1 when the server stops or the socket fails. */
static int wait_fd(int fd, short events, long timeout_ms)
{
  long long end = now_ms() + timeout_ms;
  while (!atomic_load(&g_stop)) {
    long long left = end - now_ms();
    if (left <= 0)
      return 0;
    struct pollfd p = {fd, events, 0};
    int r = poll(&p, 1, (int)(left < SLICE_MS ? left : SLICE_MS));
    if (r > 0)
      return (p.revents & (events | POLLHUP | POLLERR)) ? 1 : -1;
    if (r < 0 && errno != EINTR)
      return -1;
  }
  return -1;
}

static int send_all(int fd, const char *data, size_t len)
{
  while (len > 0) {
    if (wait_fd(fd, POLLOUT, IDLE_TIMEOUT_MS) != 1)
      return -1;
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        continue;
      return -1;
    }
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Reads more bytes into c->buf. Returns the count, 0 on EOF, -1 on error,
 * timeout or stop. */
static ssize_t conn_fill(struct conn *c, long timeout_ms)
{
  if (c->len == sizeof c->buf)
    return -1;
  for (;;) {
    if (wait_fd(c->fd, POLLIN, timeout_ms) != 1)
      return -1;
    ssize_t n =
        recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
      continue;
    if (n > 0)
      c->len += (size_t)n;
    return n;
  }
}

static void conn_consume(struct conn *c, size_t n)
{
  memmove(c->buf, c->buf + n, c->len - n);
  c->len -= n;
}

/* Reads 'n' bytes of request body, keeping up to BODY_KEEP of them in
 * 'keep' (NULL: discards them). */
static int conn_skip(struct conn *c, uint64_t n, struct bytes *keep)
{
  while (n > 0) {
    if (c->len == 0 && conn_fill(c, IDLE_TIMEOUT_MS) <= 0)
      return -1;
    size_t take = c->len < n ? c->len : (size_t)n;
    if (keep && keep->len < BODY_KEEP) {
      size_t room = BODY_KEEP - keep->len;
      bytes_add(keep, c->buf, take < room ? take : room);
    }
    conn_consume(c, take);
    n -= take;
  }
  return 0;
}

/* Returns the length of the next line (with its "\n"), reading as needed;
 * 0 on failure. */
static size_t conn_line(struct conn *c)
{
  for (;;) {
    char *nl = memchr(c->buf, '\n', c->len);
    if (nl)
      return (size_t)(nl - c->buf) + 1;
    if (conn_fill(c, IDLE_TIMEOUT_MS) <= 0)
      return 0;
  }
}

static int skip_chunked_body(struct conn *c, struct bytes *keep)
{
  for (int guard = 0; guard < 1000000; guard++) {
    size_t n = conn_line(c);
    if (n == 0)
      return -1;
    char *end;
    errno = 0;
    unsigned long long size = strtoull(c->buf, &end, 16);
    if (errno || end == c->buf)
      return -1;
    conn_consume(c, n);
    if (size == 0) {
      /* Trailer fields, up to an empty line. */
      for (;;) {
        n = conn_line(c);
        if (n == 0)
          return -1;
        int empty = n <= 2 && (c->buf[0] == '\n' || c->buf[0] == '\r');
        conn_consume(c, n);
        if (empty)
          return 0;
      }
    }
    if (conn_skip(c, size, keep) != 0)
      return -1;
    n = conn_line(c); /* the CRLF after the chunk data */
    if (n == 0)
      return -1;
    conn_consume(c, n);
  }
  return -1;
}

/* ---- requests ---- */

static void log_text(FILE *f, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch, f);
  }
}

static int parse_request_line(const char *line, size_t n, struct request *r)
{
  const char *sp1 = memchr(line, ' ', n);
  if (!sp1 || sp1 == line || (size_t)(sp1 - line) >= sizeof r->method)
    return -1;
  const char *rest = sp1 + 1;
  size_t rest_len = n - (size_t)(rest - line);
  const char *sp2 = memchr(rest, ' ', rest_len);
  if (!sp2 || sp2 == rest || (size_t)(sp2 - rest) >= sizeof r->target)
    return -1;
  const char *version = sp2 + 1;
  size_t vlen = n - (size_t)(version - line);
  if (vlen < 8 || strncmp(version, "HTTP/1.", 7) != 0)
    return -1;
  memcpy(r->method, line, (size_t)(sp1 - line));
  r->method[sp1 - line] = '\0';
  memcpy(r->target, rest, (size_t)(sp2 - rest));
  r->target[sp2 - rest] = '\0';
  r->close_by_default = version[7] == '0';
  return 0;
}

static int value_has_token(const char *v, size_t n, const char *token)
{
  size_t tl = strlen(token);
  for (size_t i = 0; i + tl <= n; i++)
    if (strncasecmp(v + i, token, tl) == 0)
      return 1;
  return 0;
}

/* Takes note of the fields that decide how the request is read and the
 * connection kept. Returns -1 for a malformed Content-Length. */
static int note_field(struct request *r, const char *name, size_t name_len,
                      const char *v, size_t vlen)
{
  if (name_len == 14 && strncasecmp(name, "Content-Length", 14) == 0) {
    char num[32];
    if (vlen == 0 || vlen >= sizeof num)
      return -1;
    memcpy(num, v, vlen);
    num[vlen] = '\0';
    char *end;
    errno = 0;
    unsigned long long cl = strtoull(num, &end, 10);
    if (errno || *end != '\0' || num[0] < '0' || num[0] > '9')
      return -1;
    r->content_length = cl;
    r->has_length = 1;
  } else if (name_len == 17 &&
             strncasecmp(name, "Transfer-Encoding", 17) == 0) {
    r->chunked = value_has_token(v, vlen, "chunked");
  } else if (name_len == 10 && strncasecmp(name, "Connection", 10) == 0) {
    if (value_has_token(v, vlen, "close"))
      r->wants_close = 1;
    else if (value_has_token(v, vlen, "keep-alive"))
      r->close_by_default = 0;
  } else if (name_len == 6 && strncasecmp(name, "Expect", 6) == 0) {
    r->expect_continue = value_has_token(v, vlen, "100-continue");
  }
  return 0;
}

/* Reads one request head and logs it. Returns 1 on success, 0 when the
 * client closed (or went idle) between requests, -1 on a bad request. */
static int read_request(struct conn *c, struct request *r)
{
  /* Empty lines before a request line are tolerated (RFC 9112 2.2). */
  size_t head_len = 0;
  for (;;) {
    size_t lead = 0;
    while (lead < c->len && (c->buf[lead] == '\r' || c->buf[lead] == '\n'))
      lead++;
    conn_consume(c, lead);
    char *end = NULL;
    for (size_t i = 0; i + 1 < c->len && !end; i++) {
      if (c->buf[i] != '\n')
        continue;
      if (c->buf[i + 1] == '\n')
        end = c->buf + i + 2;
      else if (c->buf[i + 1] == '\r' && i + 2 < c->len && c->buf[i + 2] == '\n')
        end = c->buf + i + 3;
    }
    if (end) {
      head_len = (size_t)(end - c->buf);
      break;
    }
    if (conn_fill(c, IDLE_TIMEOUT_MS) <= 0)
      return c->len == 0 ? 0 : -1; /* closed between requests, or too big */
  }
  size_t pos = 0;
  memset(r, 0, sizeof *r);
  size_t end = line_end(c->buf, head_len, pos);
  if (parse_request_line(c->buf + pos, line_content_len(c->buf, pos, end), r) !=
      0) {
    conn_consume(c, head_len);
    return -1;
  }

  struct server *srv = c->srv;
  if (srv->log) {
    pthread_mutex_lock(&srv->log_lock);
    if (srv->log_times) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      double ms = (double)(now.tv_sec - srv->started.tv_sec) * 1000.0 +
                  (double)(now.tv_nsec - srv->started.tv_nsec) / 1e6;
      fprintf(srv->log, "%.3f\t", ms);
    }
    fprintf(srv->log, "%s\t%s", r->method, r->target);
  }
  int bad = 0;
  for (pos = end; pos < head_len;) {
    end = line_end(c->buf, head_len, pos);
    size_t n = line_content_len(c->buf, pos, end);
    const char *line = c->buf + pos;
    pos = end;
    if (n == 0)
      break;
    const char *colon = memchr(line, ':', n);
    if (!colon) {
      bad = 1;
      continue;
    }
    size_t name_len = (size_t)(colon - line);
    const char *v = colon + 1;
    size_t vlen = n - name_len - 1;
    while (vlen > 0 && (*v == ' ' || *v == '\t')) {
      v++;
      vlen--;
    }
    while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
      vlen--;
    if (srv->log) {
      fputc('\t', srv->log);
      log_text(srv->log, line, name_len);
      fputs(": ", srv->log);
      log_text(srv->log, v, vlen);
    }
    if (note_field(r, line, name_len, v, vlen) != 0)
      bad = 1;
  }
  if (srv->log) {
    fputc('\n', srv->log);
    fflush(srv->log);
    pthread_mutex_unlock(&srv->log_lock);
  }
  if (r->close_by_default)
    r->wants_close = 1;
  r->fields = xstrndup(c->buf, head_len);
  r->fields_len = head_len;
  conn_consume(c, head_len);
  return bad ? -1 : 1;
}

static void free_request(struct request *r)
{
  free(r->fields);
  r->fields = NULL;
  free(r->body.data);
  memset(&r->body, 0, sizeof r->body);
}

/* Counts the request for its METHOD TARGET over the server's life and
 * returns its number (1 for the first), for from=. */
static long count_request(struct server *srv, const struct request *r)
{
  char key[sizeof r->method + sizeof r->target + 2];
  snprintf(key, sizeof key, "%s %s", r->method, r->target);
  pthread_mutex_lock(&srv->count_lock);
  long n = 0;
  for (size_t i = 0; i < srv->ncounters && !n; i++)
    if (strcmp(srv->counters[i].key, key) == 0)
      n = ++srv->counters[i].count;
  if (!n) {
    if (srv->ncounters == srv->counters_cap) {
      size_t cap = srv->counters_cap ? srv->counters_cap * 2 : 16;
      struct counter *p = realloc(srv->counters, cap * sizeof *p);
      if (!p)
        die("out of memory");
      srv->counters = p;
      srv->counters_cap = cap;
    }
    srv->counters[srv->ncounters].key = xstrndup(key, strlen(key));
    n = srv->counters[srv->ncounters++].count = 1;
  }
  pthread_mutex_unlock(&srv->count_lock);
  return n;
}

/* 1 when 'hay' (hlen bytes) contains the string 'needle'. */
static int contains(const char *hay, size_t hlen, const char *needle)
{
  size_t n = strlen(needle);
  if (n == 0)
    return 1;
  for (size_t i = 0; i + n <= hlen; i++)
    if (memcmp(hay + i, needle, n) == 0)
      return 1;
  return 0;
}

/* 1 when the request has a field 'hc->name' whose value contains
 * 'hc->substr' (any value when NULL). */
static int has_field(const struct request *r, const struct header_cond *hc)
{
  size_t nlen = strlen(hc->name);
  size_t pos = line_end(r->fields, r->fields_len, 0); /* the request line */
  while (pos < r->fields_len) {
    size_t end = line_end(r->fields, r->fields_len, pos);
    size_t n = line_content_len(r->fields, pos, end);
    const char *line = r->fields + pos;
    pos = end;
    if (n > nlen && line[nlen] == ':' &&
        strncasecmp(line, hc->name, nlen) == 0 &&
        (!hc->substr || contains(line + nlen + 1, n - nlen - 1, hc->substr)))
      return 1;
  }
  return 0;
}

/* The conditions from=, header=, no-header= and body= of 'e'. */
static int conditions_hold(const struct entry *e, const struct request *r)
{
  if (e->from > 0 && r->nth < e->from)
    return 0;
  for (size_t i = 0; i < e->ncond; i++)
    if (has_field(r, &e->conds[i]) == e->conds[i].absent)
      return 0;
  return !e->body_substr || contains(r->body.data ? r->body.data : "",
                                     r->body.len, e->body_substr);
}

/* Entries are tried in file order; the first that matches wins. */
static const struct entry *find_entry(const struct server *srv,
                                      const struct request *r)
{
  for (size_t i = 0; i < srv->count; i++) {
    const struct entry *e = &srv->entries[i];
    if ((strcmp(e->method, "*") == 0 || strcmp(e->method, r->method) == 0) &&
        strcmp(e->path, r->target) == 0 && conditions_hold(e, r))
      return e;
  }
  return NULL;
}

static int send_miss(int fd, const struct request *r)
{
  char body[sizeof r->method + sizeof r->target + 32];
  int blen =
      snprintf(body, sizeof body, "no fixture for %s %s", r->method, r->target);
  char head[256];
  int hlen = snprintf(head, sizeof head,
                      "HTTP/1.1 404 Not Found\r\n"
                      "X-Fixture: miss\r\n"
                      "Content-Type: text/plain\r\n"
                      "Content-Length: %d\r\n\r\n",
                      blen);
  if (send_all(fd, head, (size_t)hlen) != 0)
    return -1;
  /* A miss is the server's own answer, so it answers HEAD correctly. */
  if (strcmp(r->method, "HEAD") == 0)
    return 0;
  return send_all(fd, body, (size_t)blen);
}

static int send_endless(int fd, const struct entry *e)
{
  char filler[16384];
  memset(filler, 'x', sizeof filler);
  const char *chunk = e->body_len ? e->body : filler;
  size_t len = e->body_len ? e->body_len : sizeof filler;
  while (send_all(fd, chunk, len) == 0) {
  }
  return -1; /* it ends only when the client goes away or the server stops */
}

/* One byte, a pause, the next byte: until the reply is out, the client
 * goes away or the server stops. */
static int send_trickle(int fd, const char *data, size_t len, long ms)
{
  for (size_t i = 0; i < len && !atomic_load(&g_stop); i++) {
    if (send_all(fd, data + i, 1) != 0)
      return -1;
    sleep_ms(ms);
  }
  return atomic_load(&g_stop) ? -1 : 0;
}

/* Where the value of the request's field 'name' is (trimmed), or NULL. */
static const char *field_value(const struct request *r, const char *name,
                               size_t *vlen)
{
  size_t nlen = strlen(name);
  size_t pos = line_end(r->fields, r->fields_len, 0); /* the request line */
  while (pos < r->fields_len) {
    size_t end = line_end(r->fields, r->fields_len, pos);
    size_t n = line_content_len(r->fields, pos, end);
    const char *line = r->fields + pos;
    pos = end;
    if (n > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
      const char *v = line + nlen + 1;
      size_t len = n - nlen - 1;
      while (len > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
      }
      *vlen = len;
      return v;
    }
  }
  return NULL;
}

/* The head, then the body with "{{echo}}" (or its end) replaced by the
 * request's head or one of its field values: the echo directive. */
static int send_echo(int fd, const struct entry *e, const struct request *r)
{
  static const char marker[] = "{{echo}}";
  const char *echo = r->fields ? r->fields : "";
  size_t echo_len = r->fields ? r->fields_len : 0;
  if (e->echo_name && !(echo = field_value(r, e->echo_name, &echo_len))) {
    echo = "";
    echo_len = 0;
  }
  size_t at = e->body_len;
  for (size_t i = 0; i + sizeof marker - 1 <= e->body_len; i++) {
    if (memcmp(e->body + i, marker, sizeof marker - 1) == 0) {
      at = i;
      break;
    }
  }
  size_t rest = at < e->body_len ? at + sizeof marker - 1 : e->body_len;
  struct bytes out = {0};
  bytes_add(&out, e->head, e->head_len);
  bytes_add(&out, e->body, at);
  bytes_add(&out, echo, echo_len);
  bytes_add(&out, e->body + rest, e->body_len - rest);
  int rc = send_all(fd, out.data, out.len);
  free(out.data);
  return rc;
}

/* Holds the connection without answering until the client closes it. */
static void hold_silently(struct conn *c)
{
  for (;;) {
    c->len = 0;
    if (conn_fill(c, IDLE_TIMEOUT_MS * 10) <= 0)
      return;
  }
}

/* Sends the reply. Returns 0 to keep the connection, -1 to close it. */
static int answer(struct conn *c, const struct request *r)
{
  const struct entry *e = find_entry(c->srv, r);
  if (!e)
    return send_miss(c->fd, r);
  if (e->never) {
    hold_silently(c);
    return -1;
  }
  if (e->drop > 0 && r->nth <= e->drop) {
    /* A reset, not a polite close: what a crashing worker or a load
     * balancer dropping a connection looks like to the client. */
    struct linger lg = {1, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(c->fd);
    c->fd = -1;
    return -1;
  }
  if (e->delay_ms > 0)
    sleep_ms(e->delay_ms);
  if (e->trickle_ms > 0) {
    int head_at_once = e->split_ms >= 0;
    if ((head_at_once
             ? send_all(c->fd, e->head, e->head_len)
             : send_trickle(c->fd, e->head, e->head_len, e->trickle_ms)) != 0)
      return -1;
    if (head_at_once)
      sleep_ms(e->split_ms);
    if (send_trickle(c->fd, e->body, e->body_len, e->trickle_ms) != 0)
      return -1;
  } else if (e->endless || e->split_ms >= 0) {
    if (send_all(c->fd, e->head, e->head_len) != 0)
      return -1;
    if (e->endless)
      return send_endless(c->fd, e);
    sleep_ms(e->split_ms);
    if (send_all(c->fd, e->body, e->body_len) != 0)
      return -1;
  } else {
    /* One write, so a body after a bodyless head arrives with the head, as
     * a careless server sends it. */
    char *all = xmalloc(e->head_len + e->body_len);
    memcpy(all, e->head, e->head_len);
    memcpy(all + e->head_len, e->body, e->body_len);
    int rc = e->echo ? send_echo(c->fd, e, r)
                     : send_all(c->fd, all, e->head_len + e->body_len);
    free(all);
    if (rc != 0)
      return -1;
  }
  return e->close_after ? -1 : 0;
}

/* Closes politely: the client gets everything that was sent instead of a
 * reset caused by request bytes we never read. */
static void close_gently(int fd)
{
  shutdown(fd, SHUT_WR);
  char sink[4096];
  long long end = now_ms() + LINGER_MS;
  while (now_ms() < end && wait_fd(fd, POLLIN, LINGER_MS) == 1) {
    ssize_t n = recv(fd, sink, sizeof sink, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
      break;
  }
  close(fd);
}

static const char bad_request[] = "HTTP/1.1 400 Bad Request\r\n"
                                  "Content-Length: 0\r\n"
                                  "Connection: close\r\n\r\n";

static void serve(struct conn *c)
{
  for (;;) {
    struct request r;
    memset(&r, 0, sizeof r);
    int got = read_request(c, &r);
    if (got == 0)
      break;
    if (got < 0) {
      send_all(c->fd, bad_request, sizeof bad_request - 1);
      free_request(&r);
      break;
    }
    if (r.expect_continue) {
      static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
      if (send_all(c->fd, cont, sizeof cont - 1) != 0)
        break;
    }
    int body_ok = r.chunked      ? skip_chunked_body(c, &r.body)
                  : r.has_length ? conn_skip(c, r.content_length, &r.body)
                                 : 0;
    if (body_ok != 0) {
      send_all(c->fd, bad_request, sizeof bad_request - 1);
      free_request(&r);
      break;
    }
    r.nth = count_request(c->srv, &r);
    int stop = answer(c, &r) != 0 || r.wants_close;
    free_request(&r);
    if (stop)
      break;
  }
}

static void *conn_thread(void *arg)
{
  struct conn *c = arg;
  serve(c);
  if (c->fd >= 0)
    close_gently(c->fd);
  free(c);
  pthread_mutex_lock(&g_conn_lock);
  g_conns--;
  pthread_cond_broadcast(&g_conn_cond);
  pthread_mutex_unlock(&g_conn_lock);
  return NULL;
}

/* Waits for a free connection slot; returns 0 when the server stops. */
static int reserve_slot(void)
{
  pthread_mutex_lock(&g_conn_lock);
  while (g_conns >= MAX_CONNECTIONS && !atomic_load(&g_stop)) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += SLICE_MS * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&g_conn_cond, &g_conn_lock, &ts);
  }
  int ok = !atomic_load(&g_stop);
  if (ok)
    g_conns++;
  pthread_mutex_unlock(&g_conn_lock);
  return ok;
}

static void release_slot(void)
{
  pthread_mutex_lock(&g_conn_lock);
  g_conns--;
  pthread_mutex_unlock(&g_conn_lock);
}

/* Gives connection threads a moment to see the stop flag and finish, so the
 * process exits with everything freed. */
static void wait_for_connections(long timeout_ms)
{
  long long end = now_ms() + timeout_ms;
  pthread_mutex_lock(&g_conn_lock);
  while (g_conns > 0 && now_ms() < end) {
    pthread_mutex_unlock(&g_conn_lock);
    struct timespec ts = {0, 10 * 1000000L};
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&g_conn_lock);
  }
  pthread_mutex_unlock(&g_conn_lock);
}

static int listen_on(long port, long *bound_port)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    die("socket: %s", strerror(errno));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
    die("bind 127.0.0.1:%ld: %s", port, strerror(errno));
  if (listen(fd, 128) != 0)
    die("listen: %s", strerror(errno));
  socklen_t alen = sizeof addr;
  if (getsockname(fd, (struct sockaddr *)&addr, &alen) != 0)
    die("getsockname: %s", strerror(errno));
  *bound_port = ntohs(addr.sin_port);
  return fd;
}

static void write_port_file(const char *path, long port)
{
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "w");
  if (!f || fprintf(f, "%ld\n", port) < 0 || fclose(f) != 0)
    die("cannot write %s", tmp);
  if (rename(tmp, path) != 0)
    die("cannot rename %s to %s: %s", tmp, path, strerror(errno));
}

static void usage(void)
{
  die("usage: fixture_server --replies FILE --port-file FILE [--log FILE] "
      "[--port N] [--max-seconds N] [--log-times]");
}

int main(int argc, char **argv)
{
  const char *replies = NULL, *port_file = NULL, *log_path = NULL;
  long port = 0, max_seconds = 900;
  int log_times = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--log-times") == 0) {
      log_times = 1;
      continue;
    }
    if (i + 1 >= argc)
      usage();
    if (strcmp(argv[i], "--replies") == 0)
      replies = argv[++i];
    else if (strcmp(argv[i], "--port-file") == 0)
      port_file = argv[++i];
    else if (strcmp(argv[i], "--log") == 0)
      log_path = argv[++i];
    else if (strcmp(argv[i], "--port") == 0)
      port = parse_number(argv[++i], "--port", "argv", 0);
    else if (strcmp(argv[i], "--max-seconds") == 0)
      max_seconds = parse_number(argv[++i], "--max-seconds", "argv", 0);
    else
      usage();
  }
  if (!replies || !port_file || port > 65535)
    usage();

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  static struct server srv;
  load_replies(&srv, replies);
  srv.log_times = log_times;
  clock_gettime(CLOCK_MONOTONIC, &srv.started);
  pthread_mutex_init(&srv.log_lock, NULL);
  pthread_mutex_init(&srv.count_lock, NULL);
  if (log_path && !(srv.log = fopen(log_path, "w")))
    die("cannot open %s: %s", log_path, strerror(errno));

  long bound;
  int lfd = listen_on(port, &bound);
  write_port_file(port_file, bound);

  long long deadline = now_ms() + max_seconds * 1000LL;
  while (!atomic_load(&g_stop)) {
    if (now_ms() >= deadline) {
      atomic_store(&g_stop, 1);
      break;
    }
    struct pollfd p = {lfd, POLLIN, 0};
    if (poll(&p, 1, SLICE_MS) <= 0)
      continue;
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
      continue;
    if (!reserve_slot()) {
      close(fd);
      break;
    }
    struct conn *c = xmalloc(sizeof *c);
    c->fd = fd;
    c->srv = &srv;
    c->len = 0;
    pthread_attr_t attr;
    pthread_t tid;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&tid, &attr, conn_thread, c) != 0) {
      close(fd);
      free(c);
      release_slot();
    }
    pthread_attr_destroy(&attr);
  }
  close(lfd);
  wait_for_connections(3000);
  /* Threads still running (a client that never reads) keep using the
   * replies, so only free them when every connection is done. */
  pthread_mutex_lock(&g_conn_lock);
  int idle = g_conns == 0;
  pthread_mutex_unlock(&g_conn_lock);
  if (idle) {
    free_replies(&srv);
    if (srv.log)
      fclose(srv.log);
  }
  return 0;
}
