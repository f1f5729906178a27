/* transfer.c - the request stage of the pipeline: struct al_request in,
 * struct al_response out, through one curl multi handle (the only curl_multi
 * user). Up to 'jobs' transfers run at once over a shared connection cache;
 * each result is written at its request's index, so output order is input
 * order whatever order transfers finish in. */
#include "transfer.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

#define POLL_MS 1000
#define HEADER_BYTES_CAP (256u * 1024u) /* names + values kept per response */
#define HEAD_TEXT_CAP (256u * 1024u)    /* each verbose head capture */
#define STRAY_CHUNK 16384
#define MAX_WATCHES 256 /* connections watched at once, bounding open fds */

struct transfer;

/* A request's header lines for CURLOPT_HTTPHEADER, in storage its slot
 * keeps from one request to the next. libcurl only reads the list (struct
 * curl_slist is public), and building it with curl_slist_append cost two
 * allocations a line, and curl_slist_free_all two frees, every request. */
struct header_list {
  struct al_buf text;       /* the lines, each ending in its own NUL */
  struct curl_slist *nodes; /* owned; nodes[i].data points into text */
  size_t count;             /* lines in text */
  size_t cap;               /* of nodes */
};

/* One easy handle and the state of the transfer it is running. Each has its
 * own error buffer because transfers finish out of order. */
struct slot {
  struct transfer *t;
  CURL *easy;
  struct header_list headers; /* must outlive the transfer */
  char errbuf[CURL_ERROR_SIZE];
  const struct al_request *req; /* borrowed from the caller */
  struct al_response *res;      /* borrowed from the caller */
  size_t index;                 /* of req/res in the batch */
  const struct al_transfer_opts *opts;
  uint64_t read_limit;
  int busy;
  int head_done;    /* the empty line ending the final head was seen */
  int framing_bad;  /* and its framing is invalid (al_response_framing_error):
                       the head no longer changes, so finish() need not look
                       again unless it was */
  int last_dropped; /* the last header field went past a cap */
  int hit_limit;    /* the write callback stopped at the read limit */
  int oom;          /* a callback ran out of memory */
  size_t header_bytes;
  uint64_t excess; /* bytes libcurl read after a bodyless head and threw
                      away (its "Excess found" note) */
  /* The connection this transfer was given, from the prereq callback
   * (as libcurl writes the addresses); conn_known 0 until then. */
  char primary_ip[64];
  char local_ip[64];
  int primary_port, local_port;
  int conn_known;
  int taken_fd;     /* our descriptor of that socket once taken after a
                       bodyless head; -1 otherwise */
  int h2;           /* libcurl itself said this transfer runs as an HTTP/2
                       stream (see on_debug): only then may it share its
                       connection, and only then is "HTTP/2" in its status
                       line true */
  int lied;         /* the status line claimed HTTP/2 on an HTTP/1.x
                       connection: the answer was cut off (see on_header) */
  int shared_abort; /* not sent: libcurl gave it a connection another
                       HTTP/1.x transfer is using (see on_prereq) */
  int fresh;        /* restarted after shared_abort: on a new connection */
  int restarts;
  /* The easy handle keeps its options between requests (curl_easy_reset
   * and setting them all again cost more than a fast server's answer)
   * when 'reusable': the last request set nothing but what every request
   * sets (request_is_plain), with the same reach and HTTP/2 choice, and
   * ended cleanly (note_end). */
  int reusable;
  int plain_set; /* the last request was plain */
  const struct al_reach *reach_set;
  int h2_set;
  int attempt; /* retries made for this request so far */
  int waiting; /* between attempts: off the multi handle until
                  retry_at_ms */
  long long retry_at_ms;
};

/* Where a TLS connection's byte stream is between records, so stray
 * records can be counted across reads (see scan_tls). */
struct tls_scan {
  int on;               /* the connection is TLS */
  unsigned char hdr[5]; /* a record header being read */
  size_t have;          /* bytes of it so far */
  size_t skip;          /* record body bytes still to pass over */
};

/* A connection taken from libcurl after a bodyless answer (see
 * take_connection), watched for body bytes that come late. */
struct watch {
  struct tls_scan tls;
  int fd;
  struct al_response *res;
  size_t index; /* of res in the batch: on_done is due when the watch ends */
  size_t cap;
  long long deadline_ms;
  int asked;          /* the sentinel went out, or some of it */
  size_t stray_from;  /* res->stray's length when the watch began */
  uint64_t size_from; /* res->stray_size then */
  /* The first bytes read since, whatever body_cap keeps: when they are
   * the start of the sentinel's answer, nothing was stray. */
  char first[32];
  size_t first_len;
};

struct transfer {
  CURLM *multi;
  struct slot *slots;
  size_t nslots;
  struct watch *watches; /* owned */
  size_t nwatches;
  size_t watch_cap; /* MAX_WATCHES + jobs: see al_transfer_run() */
  const struct al_transfer_opts *opts;
  uint64_t read_limit;
  curl_socket_t *socks; /* owned; every socket libcurl has open */
  size_t nsocks;
  size_t socks_cap;
  int oom;
  int lie_seen;  /* a status line claimed HTTP/2 on an HTTP/1.x connection:
                    libcurl may now share such connections (see on_prereq) */
  int proxy_env; /* the environment has a proxy variable (proxy_env_set) */
  char accept_encoding[80]; /* libcurl's own line (setup_accept_encoding) */
};

void al_transfer_opts_init(struct al_transfer_opts *opts)
{
  opts->jobs = 8;
  opts->body_cap = 1024u * 1024u;
  opts->read_limit = 0;
  opts->header_cap = 1000;
  opts->verbose = 0;
  opts->stray_wait_ms = 200;
  opts->pacer = NULL;
  opts->no_sentinel = 0;
  opts->on_done = NULL;
  opts->on_done_ctx = NULL;
  opts->on_tick = NULL;
  opts->may_start = NULL;
  opts->stop = NULL;
  opts->wake_fd = -1;
  opts->response_ring = 0;
  opts->prepare = NULL;
}

void al_pacer_init(struct al_pacer *p, const struct al_rate *rate)
{
  p->interval_ms = al_rate_interval_ms(rate);
  p->next_ms = 0;
  p->started = 0;
}

static int stopped(const struct al_transfer_opts *opts)
{
  return opts->stop && *opts->stop;
}

/* Whether request 'index' may start now (see may_start in transfer.h). */
static int may_start(const struct transfer *t, size_t index, size_t in_flight)
{
  const struct al_transfer_opts *o = t->opts;
  if (!o->may_start || (in_flight == 0 && t->nwatches == 0))
    return 1;
  return o->may_start(o->on_done_ctx, index);
}

static void notify_done(const struct al_transfer_opts *opts, size_t index)
{
  if (opts->on_done)
    opts->on_done(opts->on_done_ctx, index);
}

enum al_code al_transfer_global_init(struct al_err *err)
{
  CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK)
    return al_err_set(err, AL_E_NETWORK, "", 0, 0,
                      "cannot initialise libcurl: %s", curl_easy_strerror(rc));
  return AL_OK;
}

void al_transfer_global_cleanup(void)
{
  curl_global_cleanup();
}

static long long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- which socket a transfer uses ----
 * libcurl 7.88 tells a transfer's socket only after the transfer is done
 * (CURLINFO_ACTIVESOCKET), when the connection is already back in the cache
 * and another transfer may hold it. So we track the sockets libcurl opens
 * and learn each transfer's one from the prereq callback (its local and
 * remote port), to act on it the moment a bodyless head has been read. */

static curl_socket_t on_open_socket(void *clientp, curlsocktype purpose,
                                    struct curl_sockaddr *addr)
{
  struct transfer *t = clientp;
  if (purpose != CURLSOCKTYPE_IPCXN)
    return CURL_SOCKET_BAD;
  if (t->nsocks == t->socks_cap) {
    size_t cap = t->socks_cap ? t->socks_cap * 2 : 16;
    curl_socket_t *p = realloc(t->socks, cap * sizeof *p);
    if (!p) {
      t->oom = 1;
      return CURL_SOCKET_BAD;
    }
    t->socks = p;
    t->socks_cap = cap;
  }
  curl_socket_t fd = socket(addr->family, addr->socktype, addr->protocol);
  if (fd != CURL_SOCKET_BAD)
    t->socks[t->nsocks++] = fd;
  return fd;
}

static int on_close_socket(void *clientp, curl_socket_t fd)
{
  struct transfer *t = clientp;
  for (size_t i = 0; i < t->nsocks; i++) {
    if (t->socks[i] == fd) {
      t->socks[i] = t->socks[--t->nsocks];
      break;
    }
  }
  return close(fd);
}

/* 1 when 'sa' is the address 'ip' (as libcurl writes it) and 'port'. */
static int is_address(const struct sockaddr_storage *sa, const char *ip,
                      int port)
{
  char text[INET6_ADDRSTRLEN];
  int p;
  if (sa->ss_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    p = ntohs(in->sin_port);
    if (!inet_ntop(AF_INET, &in->sin_addr, text, sizeof text))
      return 0;
  } else if (sa->ss_family == AF_INET6) {
    const struct sockaddr_in6 *in6 =
        (const struct sockaddr_in6 *)(const void *)sa;
    p = ntohs(in6->sin6_port);
    if (!inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text))
      return 0;
  } else {
    return 0;
  }
  return p == port && ip && strcmp(text, ip) == 0;
}

/* ---- one answer per request ----
 * libcurl 7.88 marks a host "can multiplex" on the strength of the status
 * line alone: "HTTP/2 200" (or "HTTP/2.0 200") read on a plain HTTP/1.1
 * connection sets conn->httpversion = 20 and the host's connection bundle
 * to BUNDLE_MULTIPLEX (lib/http.c, Curl_http_statusline), and every
 * transfer that allows HTTP/2 (libcurl's default is CURL_HTTP_VERSION_2TLS,
 * which allows it even for http:// URLs in lib/url.c IsMultiplexingPossible)
 * may then be handed a connection another transfer is still waiting on
 * (lib/url.c ConnectionExists: the stream limit is checked only on real
 * HTTP/2 connections). Two requests then go out on one HTTP/1.1
 * connection and the transfers read each other's answers. So, whatever
 * the server claims, every answer stays with its own request, while a real
 * HTTP/2 connection still multiplexes:
 *   - plain http:// asks for HTTP/1.1 (configure): libcurl then never
 *     offers such a transfer a connection that is in use;
 *   - a transfer knows it runs on HTTP/2 only from libcurl's own note
 *     ("Using Stream ID", or the h2c upgrade's "Received 101, Switching
 *     to HTTP/2"; see may_be_h2), never from the server's status line; a
 *     status line claiming HTTP/2 on any other transfer is a malformed
 *     answer (on_header), and the connection is closed;
 *   - once that has happened, a transfer handed a connection that another,
 *     not-HTTP/2 transfer of ours is using is stopped before it sends
 *     anything (on_prereq) and started again on a connection of its own.
 *     (Only then: a transfer libcurl has finished but we have not collected
 *     yet still looks busy, and its connection, rightly reused, would cost
 *     a needless reconnect in every run.) */

/* 1 when the transfer may run over HTTP/2: https:// (ALPN may pick h2).
 * An option that allows HTTP/2 over http:// (h2c, prior knowledge) must
 * make this 1 too, so that libcurl's note on the stream is seen. */
static int may_be_h2(const struct al_request *req)
{
  if (req->reach && (req->reach->http_version == AL_HTTP_2 ||
                     req->reach->http_version == AL_HTTP_2_PRIOR))
    return 1; /* --http2 (Upgrade: h2c), --http2-prior-knowledge */
  return req->url && strncasecmp(req->url, "https://", 8) == 0;
}

/* 1 when another running transfer that is not an HTTP/2 stream holds the
 * connection 's' was just given (the same addresses and ports), or one
 * libcurl has finished but we have not collected: then 's' merely restarts
 * on a new connection. */
static int shares_http1_connection(const struct slot *s)
{
  const struct transfer *t = s->t;
  for (size_t i = 0; i < t->nslots; i++) {
    const struct slot *o = &t->slots[i];
    if (o != s && o->busy && o->conn_known && !o->h2 &&
        o->local_port == s->local_port && o->primary_port == s->primary_port &&
        strcmp(o->local_ip, s->local_ip) == 0 &&
        strcmp(o->primary_ip, s->primary_ip) == 0)
      return 1;
  }
  return 0;
}

/* 'ip' (NULL: "") into out[size], cut to fit as snprintf would. */
static void copy_address(char *out, size_t size, const char *ip)
{
  size_t n = ip ? strnlen(ip, size - 1) : 0;
  memcpy(out, ip ? ip : "", n);
  out[n] = '\0';
}

/* Called when the transfer has its connection, new or reused, just before
 * the request goes out: notes that connection's addresses. The socket is
 * looked up from them only for an answer that needs it (conn_socket): two
 * system calls per open socket for every request cost more than the
 * request itself on a fast server. */
static int on_prereq(void *clientp, char *primary_ip, char *local_ip,
                     int primary_port, int local_port)
{
  struct slot *s = clientp;
  copy_address(s->primary_ip, sizeof s->primary_ip, primary_ip);
  copy_address(s->local_ip, sizeof s->local_ip, local_ip);
  s->primary_port = primary_port;
  s->local_port = local_port;
  s->conn_known = 1;
  if (s->t->lie_seen && shares_http1_connection(s)) {
    s->shared_abort = 1;
    return CURL_PREREQFUNC_ABORT; /* nothing has been sent yet */
  }
  return CURL_PREREQFUNC_OK;
}

/* The socket of the transfer's connection (found by its addresses among
 * those libcurl opened), or CURL_SOCKET_BAD. */
static curl_socket_t conn_socket(const struct slot *s)
{
  const struct transfer *t = s->t;
  if (!s->conn_known)
    return CURL_SOCKET_BAD;
  for (size_t i = 0; i < t->nsocks; i++) {
    struct sockaddr_storage local, remote;
    socklen_t llen = sizeof local, rlen = sizeof remote;
    if (getsockname(t->socks[i], (struct sockaddr *)&local, &llen) == 0 &&
        getpeername(t->socks[i], (struct sockaddr *)&remote, &rlen) == 0 &&
        is_address(&local, s->local_ip, s->local_port) &&
        is_address(&remote, s->primary_ip, s->primary_port))
      return t->socks[i];
  }
  return CURL_SOCKET_BAD;
}

/* A connection that answered without a body is never reused: bytes that
 * come later than we look would be read as the next response's head (a new
 * connection costs far less than a poisoned result). We take the socket
 * away from libcurl while the transfer is still running, before libcurl
 * puts the connection back in its cache: our own descriptor keeps the real
 * socket, and libcurl's descriptor number is pointed at a socket already at
 * end of file, which libcurl's liveness check drops (and closes) instead of
 * reusing. libcurl reads nothing more for a bodyless answer, so the running
 * transfer does not notice. Returns our descriptor, or -1. */
static int take_connection(curl_socket_t sock)
{
  int pair[2];
  int real = dup(sock);
  if (real < 0)
    return -1;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) {
    close(real);
    return -1;
  }
  close(pair[1]);
  int ok = dup2(pair[0], sock) >= 0;
  close(pair[0]);
  if (!ok) {
    close(real);
    return -1;
  }
  return real;
}

/* An answer that cannot carry a body, so libcurl reads none. */
static int is_bodyless(const struct slot *s)
{
  return s->res->status == 204 || s->res->status == 304 ||
         (s->req->method && strcmp(s->req->method, "HEAD") == 0);
}

/* Stray bytes are looked for on HTTP/1.x: on plain http:// the socket
 * carries them as they are; over TLS it carries records, which show that
 * the server sent more and about how much, but not what (see scan_tls).
 * HTTP/2 frames every body: libcurl's nghttp2 refuses DATA on a bodyless
 * answer itself (RFC 9113 8.1.1), so there is nothing left to find. */
static int bodyless_http1(const struct slot *s)
{
  const struct al_response *res = s->res;
  return is_bodyless(s) && res->http_version &&
         strncmp(res->http_version, "1.", 2) == 0 && s->req->url;
}

static int is_tls_url(const struct al_request *req)
{
  return req->url && strncasecmp(req->url, "https://", 8) == 0;
}

/* At the end of the final head. Not while libcurl is still sending the
 * request body (a server may answer early): it still needs the socket. */
static void take_if_bodyless(struct slot *s)
{
  if (s->taken_fd >= 0 || !bodyless_http1(s))
    return;
  curl_off_t sent = 0;
  if (s->req->body &&
      (curl_easy_getinfo(s->easy, CURLINFO_SIZE_UPLOAD_T, &sent) != CURLE_OK ||
       (uint64_t)sent < (uint64_t)s->req->body_len))
    return;
  curl_socket_t fd = conn_socket(s);
  if (fd != CURL_SOCKET_BAD)
    s->taken_fd = take_connection(fd);
}

/* ---- receiving the head ---- */

static void forget_head(struct slot *s)
{
  struct al_response *res = s->res;
  res->status = 0;
  free(res->status_line);
  res->status_line = NULL;
  free(res->http_version);
  res->http_version = NULL;
  al_headers_cleanup(&res->headers);
  res->headers_dropped = 0;
  s->header_bytes = 0;
  s->last_dropped = 0;
}

static void start_head(struct slot *s, const char *line, size_t len,
                       long status, size_t version_len)
{
  struct al_response *res = s->res;
  forget_head(s);
  res->status = status;
  res->status_line = al_strndup(line, len);
  res->http_version = al_strndup(line + 5, version_len);
  if (!res->status_line || !res->http_version)
    s->oom = 1;
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t';
}

/* obs-fold: a line starting with whitespace continues the previous field;
 * it is joined with one space (RFC 9112 5.2). */
static void fold_into_last(struct slot *s, const char *text, size_t len)
{
  struct al_headers *h = &s->res->headers;
  if (s->last_dropped || h->count == 0 ||
      s->header_bytes + len + 1 > HEADER_BYTES_CAP)
    return;
  if (al_headers_extend_last(h, text, len) != AL_OK) {
    s->oom = 1;
    return;
  }
  s->header_bytes += len + 1;
}

static void add_field(struct slot *s, const char *line, size_t len)
{
  struct al_response *res = s->res;
  size_t name_len, vlen;
  const char *v;
  /* A field with a bad name is kept: it is evidence of what was sent. */
  if (al_response_split_field(line, len, &name_len, &v, &vlen) == AL_FIELD_NONE)
    return; /* not a field; libcurl passes such lines through */
  if (res->headers.count >= s->opts->header_cap ||
      s->header_bytes + name_len + vlen > HEADER_BYTES_CAP) {
    res->headers_dropped++;
    s->last_dropped = 1;
    return;
  }
  if (al_headers_add_len(&res->headers, line, name_len, v, vlen) != AL_OK)
    s->oom = 1;
  s->header_bytes += name_len + vlen;
  s->last_dropped = 0;
}

/* At the end of a 1xx head: kept apart from the final head, so a server
 * that answers only with 1xx can be told from one that sends nothing. */
static void note_interim(struct slot *s)
{
  struct al_response *res = s->res;
  res->interim_count++;
  res->last_interim_status = res->status;
  free(res->last_interim_line);
  res->last_interim_line = NULL;
  if (res->status_line &&
      !(res->last_interim_line = al_strdup(res->status_line)))
    s->oom = 1;
}

/* libcurl calls this once per head line of every response on the way,
 * 1xx interim heads included; only the final head is kept. */
static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
  struct slot *s = userp;
  size_t len = size * n;
  size_t l = len;
  while (l > 0 && (data[l - 1] == '\n' || data[l - 1] == '\r'))
    l--;
  if (s->head_done)
    return len; /* trailer fields after a chunked body: not the head */

  long status;
  size_t version_len;
  if (al_response_parse_status_line(data, l, &status, &version_len)) {
    start_head(s, data, l, status, version_len);
    if (!s->h2 && version_len > 0 && data[5] >= '2' && data[5] <= '9') {
      /* HTTP/2 and later have no status line (RFC 9113 8.3.2): on this
       * connection the server speaks HTTP/1.x and lies. Stop here, before
       * libcurl acts on the claim any further; the connection is closed. */
      s->lied = 1;
      s->t->lie_seen = 1;
      return 0;
    }
  } else if (l == 0) {
    if (s->res->status >= 100 && s->res->status < 200)
      note_interim(s);
    else if (s->res->status >= 200) {
      s->head_done = 1;
      /* Invalid framing: the response is discarded anyway (finish() says
       * why), so stop now rather than wait for a length that may never
       * come. */
      char why[8];
      s->framing_bad = al_response_framing_error(
          s->res, s->req ? s->req->method : NULL, why, sizeof why);
      if (s->framing_bad)
        return 0;
      /* Only a flag in libcurl, read when it writes a note: the note on
       * bytes after this head comes once this callback has returned. */
      if (is_bodyless(s))
        curl_easy_setopt(s->easy, CURLOPT_VERBOSE, 1L);
      take_if_bodyless(s);
    }
  } else if (is_blank(data[0])) {
    size_t skip = 0;
    while (skip < l && is_blank(data[skip]))
      skip++;
    fold_into_last(s, data + skip, l - skip);
  } else {
    add_field(s, data, l);
  }
  return s->oom ? 0 : len;
}

/* Keeps at most body_cap bytes (after content decoding) but counts all, and
 * stops at the read limit so an endless body or a decompression bomb costs
 * bounded memory and time. */
static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
  struct slot *s = userp;
  struct al_response *res = s->res;
  size_t len = size * n;
  res->body_size += len;
  if (res->body.len < s->opts->body_cap) {
    size_t room = s->opts->body_cap - res->body.len;
    if (al_buf_append(&res->body, data, len < room ? len : room) != AL_OK) {
      s->oom = 1;
      return 0;
    }
  }
  if (res->body_size > s->read_limit) {
    s->hit_limit = 1;
    return 0;
  }
  return len;
}

static void append_capped(struct slot *s, struct al_buf *b, const char *data,
                          size_t len)
{
  if (b->len >= HEAD_TEXT_CAP)
    return;
  size_t room = HEAD_TEXT_CAP - b->len;
  if (al_buf_append(b, data, len < room ? len : room) != AL_OK)
    s->oom = 1;
}

/* Always installed: libcurl 7.88 tells only in an informational note that it
 * read and dropped bytes after a head that cannot have a body. */
static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size,
                    void *userp)
{
  struct slot *s = userp;
  (void)easy;
  static const char excess[] = "Excess found: excess = ";
  if (type == CURLINFO_TEXT && size > sizeof excess - 1 &&
      memcmp(data, excess, sizeof excess - 1) == 0) {
    uint64_t v = 0;
    for (size_t i = sizeof excess - 1; i < size; i++) {
      if (data[i] < '0' || data[i] > '9')
        break;
      v = v * 10 + (uint64_t)(data[i] - '0');
    }
    s->excess += v;
  }
  /* libcurl's own notes, never the server's words: headers come as
   * CURLINFO_HEADER_IN, and these texts start libcurl's messages. */
  static const char stream[] = "Using Stream ID: ";
  static const char upgrade[] = "Received 101, Switching to HTTP/2";
  if (type == CURLINFO_TEXT &&
      ((size >= sizeof stream - 1 &&
        memcmp(data, stream, sizeof stream - 1) == 0) ||
       (size >= sizeof upgrade - 1 &&
        memcmp(data, upgrade, sizeof upgrade - 1) == 0)))
    s->h2 = 1;
  if (!s->opts->verbose)
    return 0;
  if (type == CURLINFO_HEADER_OUT)
    append_capped(s, &s->res->sent_head, data, size);
  else if (type == CURLINFO_HEADER_IN)
    append_capped(s, &s->res->received_head, data, size);
  return 0;
}

/* ---- setting up a transfer ---- */

static int has_header(const struct al_request *req, const char *name)
{
  return al_headers_get(&req->headers, name) != NULL;
}

static int method_is(const struct al_request *req, const char *m)
{
  return req->method && strcmp(req->method, m) == 0;
}

/* Appends 'line', its NUL ending it. */
static int add_line(struct header_list *l, const char *line)
{
  if (al_buf_append(&l->text, line, strlen(line) + 1) != AL_OK)
    return -1;
  l->count++;
  return 0;
}

/* Appends the line "name: value", or "name;" for an empty value (libcurl's
 * way to send a field with nothing after the colon). */
static int add_field_line(struct header_list *l, const char *name,
                          const char *value)
{
  int empty = !value || !value[0];
  if (al_buf_append_str(&l->text, name) != AL_OK ||
      al_buf_append_str(&l->text, empty ? ";" : ": ") != AL_OK ||
      (!empty && al_buf_append_str(&l->text, value) != AL_OK) ||
      al_buf_append_char(&l->text, '\0') != AL_OK)
    return -1;
  l->count++;
  return 0;
}

/* Links a node to each line of l->text, now that it no longer moves. */
static int link_lines(struct header_list *l)
{
  if (l->count > l->cap) {
    struct curl_slist *n = realloc(l->nodes, l->count * sizeof *n);
    if (!n)
      return -1;
    l->nodes = n;
    l->cap = l->count;
  }
  char *line = l->text.data;
  for (size_t i = 0; i < l->count; i++) {
    l->nodes[i].data = line;
    l->nodes[i].next = i + 1 < l->count ? &l->nodes[i + 1] : NULL;
    line += strlen(line) + 1;
  }
  return 0;
}

/* 1 when the request may go through a proxy: its reach names one, or it
 * names none and the environment has a proxy variable ("" is no proxy,
 * whatever the environment). */
static int via_proxy(const struct slot *s)
{
  const struct al_reach *r = s->req->reach;
  if (r && r->proxy)
    return r->proxy[0] != '\0';
  return s->t->proxy_env;
}

/* 1 when the header lines libcurl adds itself (User-Agent, Accept,
 * Accept-Encoding) go first in our list instead: libcurl then writes each
 * once, where from its options it prints User-Agent and Accept-Encoding
 * into lines of their own in every transfer and then copies them into the
 * request, a character at a time (about 5k instructions a request). The
 * bytes sent are the same only where libcurl writes nothing between those
 * lines and our list (lib/http.c Curl_http): no proxy (Proxy-Connection
 * comes after them, and a CONNECT takes its User-Agent from the option
 * alone) and no --http2 (h2c's Upgrade lines come before the list). It
 * depends only on the reach and the environment, so a reused handle's
 * User-Agent option (configure_handle) still fits (can_reuse_handle). */
static int defaults_in_list(const struct slot *s)
{
  const struct al_reach *r = s->req->reach;
  return !(r && r->http_version == AL_HTTP_2) && !via_proxy(s);
}

/* What libcurl 7.88 sends, in its order, for a request that does not have
 * them (see defaults_in_list). */
static int add_defaults(const struct slot *s, struct header_list *out)
{
  const struct al_request *req = s->req;
  if (!has_header(req, "User-Agent") &&
      add_line(out, "User-Agent: apilint/" AL_VERSION) != 0)
    return -1;
  if (!has_header(req, "Accept") && add_line(out, "Accept: */*") != 0)
    return -1;
  if (!has_header(req, "Accept-Encoding") &&
      add_line(out, s->t->accept_encoding) != 0)
    return -1;
  return 0;
}

/* The request's fields in order, then what turns off libcurl's own
 * additions the spec did not ask for; libcurl's own lines first when they
 * are ours to write (defaults_in_list). */
static int build_header_list(const struct slot *s, int has_body,
                             struct header_list *out)
{
  const struct al_request *req = s->req;
  al_buf_reset(&out->text);
  out->count = 0;
  int rc = defaults_in_list(s) ? add_defaults(s, out) : 0;
  for (size_t i = 0; i < req->headers.count && rc == 0; i++) {
    const struct al_header *h = &req->headers.items[i];
    rc = add_field_line(out, h->name, h->value);
  }
  /* libcurl would wait up to a second for "100 Continue" on big bodies;
   * it never asks for one without a body (lib/http.c: only a POST of over
   * 1 MiB or an upload), so bodiless requests need not carry the line
   * libcurl would read through for every request. */
  if (rc == 0 && has_body && !has_header(req, "Expect"))
    rc = add_line(out, "Expect:");
  /* A body without a declared type must not be labelled a form. */
  if (rc == 0 && has_body && !has_header(req, "Content-Type"))
    rc = add_line(out, "Content-Type:");
  return rc == 0 ? link_lines(out) : rc;
}

#define SET(opt, val)                                                          \
  do {                                                                         \
    if (rc == CURLE_OK)                                                        \
      rc = curl_easy_setopt(e, opt, val);                                      \
  } while (0)

static long curl_http_version(enum al_http_version v)
{
  switch (v) {
  case AL_HTTP_1_1:
    return CURL_HTTP_VERSION_1_1;
  case AL_HTTP_2:
    return CURL_HTTP_VERSION_2_0;
  case AL_HTTP_2_PRIOR:
    return CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
  case AL_HTTP_ANY:
    break;
  }
  return CURL_HTTP_VERSION_NONE;
}

/* TLS, HTTP version and proxy, as curl's command line sets them. Unset
 * fields keep libcurl's defaults; in particular an unset proxy leaves
 * libcurl reading http_proxy / https_proxy / all_proxy / no_proxy. */
static CURLcode configure_reach(CURL *e, const struct al_reach *r)
{
  CURLcode rc = CURLE_OK;
  if (r->cacert)
    SET(CURLOPT_CAINFO, r->cacert);
  if (r->capath)
    SET(CURLOPT_CAPATH, r->capath);
  if (r->insecure == 1) {
    SET(CURLOPT_SSL_VERIFYPEER, 0L);
    SET(CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (r->cert)
    SET(CURLOPT_SSLCERT, r->cert);
  if (r->cert_type)
    SET(CURLOPT_SSLCERTTYPE, r->cert_type);
  if (r->key)
    SET(CURLOPT_SSLKEY, r->key);
  if (r->key_type)
    SET(CURLOPT_SSLKEYTYPE, r->key_type);
  if (r->key_password)
    SET(CURLOPT_KEYPASSWD, r->key_password);
  if (r->http_version != AL_HTTP_ANY)
    SET(CURLOPT_HTTP_VERSION, curl_http_version(r->http_version));
  if (r->proxy)
    SET(CURLOPT_PROXY, r->proxy);
  if (r->noproxy)
    SET(CURLOPT_NOPROXY, r->noproxy);
  return rc;
}

/* 1 when the environment has any variable libcurl 7.88 reads to choose a
 * proxy (lib/url.c detect_proxy and create_conn_helper_init_proxy:
 * http_proxy, https_proxy or HTTPS_PROXY, all_proxy or ALL_PROXY, no_proxy
 * or NO_PROXY). HTTP_PROXY, which libcurl ignores, counts too: a variable
 * too many only keeps libcurl's own look-ups. */
static int proxy_env_set(void)
{
  static const char *const names[] = {
      "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
      "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (getenv(names[i]))
      return 1;
  }
  return 0;
}

/* The Accept-Encoding line libcurl 7.88 makes of CURLOPT_ACCEPT_ENCODING
 * "": its decoders, in its order (lib/content_encoding.c
 * Curl_all_content_encodings and the encodings[] it walks), "identity"
 * when it has none. */
static void setup_accept_encoding(struct transfer *t)
{
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  const char *zlib = v->features & CURL_VERSION_LIBZ ? ", deflate, gzip" : "";
  const char *br = v->features & CURL_VERSION_BROTLI ? ", br" : "";
  const char *zstd = v->features & CURL_VERSION_ZSTD ? ", zstd" : "";
  char list[40];
  snprintf(list, sizeof list, "%s%s%s", zlib, br, zstd);
  snprintf(t->accept_encoding, sizeof t->accept_encoding, "Accept-Encoding: %s",
           list[0] ? list + 2 : "identity");
}

/* What is the same for every request on this handle: set once after each
 * curl_easy_reset. */
static CURLcode configure_handle(struct slot *s)
{
  CURL *e = s->easy;
  CURLcode rc = CURLE_OK;
  SET(CURLOPT_PRIVATE, (void *)s);
  SET(CURLOPT_ERRORBUFFER, s->errbuf);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_FOLLOWLOCATION, 0L);
  /* Decode, so caps apply to real bytes. Needed even where our list sends
   * the Accept-Encoding line: libcurl decodes only with this set
   * (lib/http.c Curl_http_header). */
  SET(CURLOPT_ACCEPT_ENCODING, "");
  if (!defaults_in_list(s))
    SET(CURLOPT_USERAGENT, "apilint/" AL_VERSION);
  SET(CURLOPT_HEADERFUNCTION, on_header);
  SET(CURLOPT_HEADERDATA, (void *)s);
  SET(CURLOPT_WRITEFUNCTION, on_body);
  SET(CURLOPT_WRITEDATA, (void *)s);
  SET(CURLOPT_DEBUGFUNCTION, on_debug);
  SET(CURLOPT_DEBUGDATA, (void *)s);
  SET(CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  SET(CURLOPT_OPENSOCKETDATA, (void *)s->t);
  SET(CURLOPT_CLOSESOCKETFUNCTION, on_close_socket);
  SET(CURLOPT_CLOSESOCKETDATA, (void *)s->t);
  SET(CURLOPT_PREREQFUNCTION, on_prereq);
  SET(CURLOPT_PREREQDATA, (void *)s);
  /* A proxy's answer to CONNECT is not the API's head: on_header must see
   * only the origin's. */
  SET(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  /* With no proxy variable in the environment (looked at once, in setup)
   * libcurl would still look for five of them in every transfer; "" says
   * what it would find: no proxy and no exceptions. A proxy or noproxy of
   * the command line or the spec replaces these (configure_reach). */
  if (!s->t->proxy_env) {
    SET(CURLOPT_PROXY, "");
    SET(CURLOPT_NOPROXY, "");
  }
  return rc;
}

/* 1 when the request sets no option beyond those configure() sets for
 * every request: no body, not HEAD, not an empty POST/PUT/PATCH, not a
 * fresh connection, and no user info in the URL (libcurl keeps
 * authentication state in the handle). */
static int request_is_plain(const struct slot *s)
{
  const struct al_request *req = s->req;
  return !s->fresh && req->body == NULL && req->url && !strchr(req->url, '@') &&
         !method_is(req, "HEAD") && !method_is(req, "POST") &&
         !method_is(req, "PUT") && !method_is(req, "PATCH");
}

/* Whether the handle can run the slot's request as the last request left
 * it (see reusable in struct slot). */
static int can_reuse_handle(const struct slot *s)
{
  return s->reusable && request_is_plain(s) && s->reach_set == s->req->reach &&
         s->h2_set == may_be_h2(s->req);
}

/* At the end of a transfer: the handle may run the next plain request
 * without a reset only if this one was plain and nothing in the handle can
 * differ from a fresh one's: it succeeded on a reused connection (libcurl
 * 7.88 counts its own retries on a dead connection in the handle and
 * never clears that count; a retry connects anew), and no authentication
 * challenge or bodyless answer was handled. */
static void note_end(struct slot *s, CURLcode result)
{
  long connects = -1;
  long status = s->res->status;
  s->reusable = s->plain_set && result == CURLE_OK && !s->lied &&
                !s->shared_abort && s->head_done && status != 401 &&
                status != 407 && !is_bodyless(s) &&
                curl_easy_getinfo(s->easy, CURLINFO_NUM_CONNECTS, &connects) ==
                    CURLE_OK &&
                connects == 0;
}

/* Sets up the easy handle for the slot's request: everything after a
 * curl_easy_reset, or, when the handle can be reused (can_reuse_handle),
 * only what every request sets. */
static CURLcode configure(struct slot *s)
{
  CURL *e = s->easy;
  const struct al_request *req = s->req;
  long timeout = req->timeout_ms; /* > 0: checked in al_transfer_run */
  CURLcode rc = CURLE_OK;
  int reuse = can_reuse_handle(s);
  s->reusable = 0; /* until note_end says otherwise */
  s->plain_set = request_is_plain(s);
  s->reach_set = req->reach;
  s->h2_set = may_be_h2(req);
  s->errbuf[0] = '\0';
  if (!reuse) {
    curl_easy_reset(e);
    rc = configure_handle(s);
    /* Plain http:// speaks HTTP/1.1 (libcurl's default would allow HTTP/2
     * there only by an upgrade we never ask for, yet lets a transfer share
     * a connection a lying server marked as multiplexing): see "one answer
     * per request". An option asking for HTTP/2 over http:// replaces
     * this. */
    if (!may_be_h2(req))
      SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    if (s->fresh)
      SET(CURLOPT_FRESH_CONNECT, 1L);
    if (rc == CURLE_OK && req->reach)
      rc = configure_reach(e, req->reach);
  }
  /* From here on, what every request sets: a reused handle gets each of
   * these anew, so nothing of the last request's stays. */
  SET(CURLOPT_URL, req->url);
  SET(CURLOPT_TIMEOUT_MS, timeout);
  SET(CURLOPT_CONNECTTIMEOUT_MS, timeout);
  /* libcurl formats every informational note, and passes every head and
   * body chunk to on_debug, while verbose is on: only -v needs all that.
   * Otherwise it is on from the start for HEAD, and turned on in on_header
   * when a 204/304 head ends, in time for the "Excess found" note; and on
   * for a transfer that may run over HTTP/2, whose stream note tells a
   * real HTTP/2 answer from a lying status line (see may_be_h2). */
  SET(CURLOPT_VERBOSE,
      s->opts->verbose || method_is(req, "HEAD") || may_be_h2(req) ? 1L : 0L);

  int has_body = req->body != NULL;
  if (method_is(req, "HEAD")) {
    SET(CURLOPT_NOBODY, 1L);
  } else {
    if (!has_body && (method_is(req, "POST") || method_is(req, "PUT") ||
                      method_is(req, "PATCH"))) {
      /* Send "Content-Length: 0" as servers expect for an empty body. */
      SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
      SET(CURLOPT_POSTFIELDS, "");
      has_body = 1;
    } else if (has_body) {
      SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
      SET(CURLOPT_POSTFIELDS, req->body);
    }
    SET(CURLOPT_CUSTOMREQUEST, req->method ? req->method : "GET");
  }
  if (rc != CURLE_OK)
    return rc;
  if (build_header_list(s, has_body, &s->headers) != 0)
    return CURLE_OUT_OF_MEMORY;
  SET(CURLOPT_HTTPHEADER, s->headers.count ? s->headers.nodes : NULL);
  return rc;
}

#undef SET

static void set_transport_error(struct al_response *res, int code,
                                const char *reason)
{
  struct al_buf b;
  al_buf_init(&b);
  res->transport_failed = 1;
  res->curl_code = code;
  free(res->transport_error);
  res->transport_error = NULL;
  if (al_buf_printf(&b, "(%d) %s", code, reason) == AL_OK)
    res->transport_error = al_buf_detach(&b);
  al_buf_cleanup(&b);
}

/* ---- bytes after a bodyless answer ---- */

#define TLS_APPDATA 23
#define TLS13_OVERHEAD 17 /* AEAD tag (16) + inner content type (1) */
#define TLS13_ALERT 19    /* an encrypted alert: 2 bytes + overhead */

/* Counts the plaintext of the application-data records in 'n' bytes of a
 * TLS stream: what a server sent after the bodyless head is encrypted, but
 * its records are not. Sizes are TLS 1.3's (TLS 1.2 adds up to 7 bytes);
 * a record no bigger than an encrypted alert is taken for close_notify,
 * and alert records (type 21 in TLS 1.2) are not content. */
static void scan_tls(struct tls_scan *sc, struct al_response *res,
                     const unsigned char *p, size_t n)
{
  while (n > 0) {
    if (sc->skip > 0) {
      size_t k = n < sc->skip ? n : sc->skip;
      sc->skip -= k;
      p += k;
      n -= k;
      continue;
    }
    sc->hdr[sc->have++] = *p++;
    n--;
    if (sc->have < sizeof sc->hdr)
      continue;
    size_t len = ((size_t)sc->hdr[3] << 8) | sc->hdr[4];
    if (sc->hdr[0] == TLS_APPDATA && len > TLS13_ALERT)
      res->stray_size += len - TLS13_OVERHEAD;
    sc->skip = len;
    sc->have = 0;
  }
}

/* Reads what is waiting on 'fd' now, keeping up to 'cap' bytes in
 * res->stray (on TLS: counting its records' plaintext, see scan_tls).
 * Returns the bytes read, 0 when none are waiting, -1 when the peer closed
 * or the socket failed. Reads at most cap + one chunk, so a server
 * streaming forever cannot keep us here. */
static long long read_stray(struct al_response *res, int fd, size_t cap,
                            struct tls_scan *tls, struct watch *w)
{
  char chunk[STRAY_CHUNK];
  long long total = 0;
  for (;;) {
    ssize_t n = recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n == 0 ||
        (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
      return total > 0 ? total : -1;
    if (n < 0)
      return total;
    total += n;
    if (w && w->first_len < sizeof w->first) {
      size_t k = sizeof w->first - w->first_len;
      k = (size_t)n < k ? (size_t)n : k;
      memcpy(w->first + w->first_len, chunk, k);
      w->first_len += k;
    }
    if (tls->on)
      scan_tls(tls, res, (const unsigned char *)chunk, (size_t)n);
    else
      res->stray_size += (uint64_t)n;
    if (!tls->on && res->stray.len < cap) {
      size_t room = cap - res->stray.len;
      if (al_buf_append(&res->stray, chunk,
                        (size_t)n < room ? (size_t)n : room) != AL_OK)
        return total;
    }
    if ((uint64_t)total >= cap)
      return total;
  }
}

/* Whether a read of a watched connection answers the question: on plain
 * HTTP any byte (or the end) does; over TLS only content or the end (a
 * record may come in pieces, and an alert is no content). */
static int stray_settled(const struct tls_scan *tls, long long got,
                         uint64_t before, const struct al_response *res)
{
  if (!tls->on)
    return got != 0;
  return got < 0 || res->stray_size > before;
}

/* ---- the sentinel: asking the server where its answer ended ----
 * A server that wrongly sends a body after a bodyless head sends it before
 * it answers the next request on that connection: HTTP/1.1 answers go out
 * in the order the requests came (RFC 9112 section 9.3.2). So on plain
 * HTTP/1.x, where nothing stands between us and the server, a watch asks
 * one more question, "OPTIONS * HTTP/1.1" with "Connection: close" (safe,
 * about the server as a whole, not a resource: RFC 9110
 * section 9.3.7), and ends at the first bytes that come: the sentinel's
 * status line (nothing was stray) or stray bytes (cut where the sentinel's
 * answer begins). A correct server settles its watch in one round trip
 * instead of stray_wait_ms, which still bounds every watch: a server that
 * never answers the sentinel is watched as long as before. Not through a
 * proxy (the connection is the proxy's), not over TLS (the stream is
 * encrypted), not with --rate (a paced run sends nothing unpaced), not in
 * a rate-limit burst (no_sentinel), not after an answer that closes its
 * connection (answer_keeps_connection). */

/* host[:port] of an http:// URL, without any userinfo, into 'out'; 0
 * when it does not fit or there is none. */
static int url_authority(const char *url, char *out, size_t size)
{
  if (strncasecmp(url, "http://", 7) != 0)
    return 0;
  const char *start = url + 7;
  size_t len = strcspn(start, "/?#");
  const char *at = memchr(start, '@', len);
  if (at) {
    len -= (size_t)(at + 1 - start);
    start = at + 1;
  }
  if (len == 0 || len >= size)
    return 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)start[i];
    if (c <= 0x20 || c == 0x7f)
      return 0;
  }
  memcpy(out, start, len);
  out[len] = '\0';
  return 1;
}

/* 1 when the comma-separated field value 'list' has 'token' (any case). */
static int list_has_token(const char *list, const char *token)
{
  size_t want = strlen(token);
  for (const char *p = list; *p;) { /* bounded: p moves on every turn */
    p += strspn(p, " \t,");
    size_t len = strcspn(p, ",");
    size_t end = len;
    while (end > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t'))
      end--;
    if (end == want && strncasecmp(p, token, want) == 0)
      return 1;
    p += len;
  }
  return 0;
}

/* The connection stays open after this answer: not "Connection: close",
 * not HTTP/1.0 without "keep-alive". A server about to close would leave
 * the sentinel unread, and its close() then resets the connection, which
 * can discard a late body still on its way. */
static int answer_keeps_connection(const struct al_response *res)
{
  const char *conn = al_headers_get(&res->headers, "Connection");
  if (conn && list_has_token(conn, "close"))
    return 0;
  if (res->http_version && strcmp(res->http_version, "1.0") == 0)
    return conn && list_has_token(conn, "keep-alive");
  return 1;
}

static int may_ask_sentinel(const struct transfer *t, const struct slot *s,
                            const struct tls_scan *tls)
{
  const struct al_pacer *pace = t->opts->pacer;
  return !tls->on && !via_proxy(s) && !t->opts->no_sentinel &&
         !(pace && pace->interval_ms > 0) && answer_keeps_connection(s->res);
}

/* 1 when any of the sentinel request was written on 'fd' (it is small: a
 * connection's send buffer takes it whole; a part sent may be answered
 * too, so it counts as asked). */
static int send_sentinel(int fd, const struct al_request *req)
{
  char host[512];
  char line[sizeof host + 128];
  if (!url_authority(req->url, host, sizeof host))
    return 0;
  int n = snprintf(line, sizeof line,
                   "OPTIONS * HTTP/1.1\r\nHost: %s\r\nUser-Agent: "
                   "apilint/" AL_VERSION "\r\nConnection: close\r\n\r\n",
                   host);
  if (n <= 0 || (size_t)n >= sizeof line)
    return 0;
  return send(fd, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) > 0;
}

/* The start of a status line, "HTTP/1.x DDD": '#' is a digit. */
static const char status_shape[] = "HTTP/1.# ###";
#define STATUS_SHAPE_LEN (sizeof status_shape - 1)

/* Whether the n bytes at 'p' (n <= STATUS_SHAPE_LEN) begin like one. */
static int fits_status_shape(const char *p, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    char want = status_shape[i];
    if (want == '#' ? !(p[i] >= '0' && p[i] <= '9') : p[i] != want)
      return 0;
  }
  return 1;
}

/* How many of the n bytes at 'p' are CR and LF before anything else. */
static size_t empty_lines(const char *p, size_t n)
{
  size_t i = 0;
  while (i < n && (p[i] == '\r' || p[i] == '\n'))
    i++;
  return i;
}

/* Where in 'p' (n bytes) a whole status line start begins, with the empty
 * lines right before it (RFC 9112 section 2.2 has readers skip them); n
 * if none. */
static size_t status_line_at(const char *p, size_t n)
{
  for (size_t i = 0; i + STATUS_SHAPE_LEN <= n; i++) {
    if (p[i] == 'H' && fits_status_shape(p + i, STATUS_SHAPE_LEN)) {
      while (i > 0 && (p[i - 1] == '\r' || p[i - 1] == '\n'))
        i--;
      return i;
    }
  }
  return n;
}

/* 1 when the bytes at 'p' (n) are empty lines and then the start of a
 * status line, whole or cut short: the sentinel's answer, or all that
 * came of it. */
static int starts_like_answer(const char *p, size_t n)
{
  size_t i = empty_lines(p, n);
  size_t rest = n - i;
  if (rest > STATUS_SHAPE_LEN)
    rest = STATUS_SHAPE_LEN;
  return fits_status_shape(p + i, rest);
}

/* 1 while all the watch has read might yet be the sentinel's answer, cut
 * short by the network: it is no answer to the question yet. */
static int sentinel_answer_partial(const struct watch *w)
{
  if (!w->asked || w->first_len == 0 || w->first_len == sizeof w->first)
    return 0;
  size_t shown = w->first_len - empty_lines(w->first, w->first_len);
  return shown < STATUS_SHAPE_LEN && starts_like_answer(w->first, w->first_len);
}

/* Sets what the watch found stray to its first 'n' bytes. */
static void keep_stray(struct watch *w, uint64_t n)
{
  struct al_buf *b = &w->res->stray;
  w->res->stray_size = w->size_from + n;
  if (b->len > w->stray_from + n) {
    b->len = w->stray_from + (size_t)n;
    b->data[b->len] = '\0';
  }
}

/* What the watch read since it began, less the sentinel's answer and all
 * after it. Its first bytes say whether anything came before the answer
 * (whatever body_cap keeps); where something did, the kept bytes say how
 * much. A status line cut short is taken for the sentinel's too: a finding
 * needs bytes that cannot be its answer. (A stray body bigger than
 * body_cap keeps the count read, which may then take in part of the
 * sentinel's answer: the finding is true, its size an upper bound.) */
static void drop_sentinel_answer(struct watch *w)
{
  if (!w->asked || w->first_len == 0)
    return;
  if (starts_like_answer(w->first, w->first_len)) {
    keep_stray(w, 0);
    return;
  }
  struct al_buf *b = &w->res->stray;
  size_t kept = b->len > w->stray_from ? b->len - w->stray_from : 0;
  const char *p = b->data ? b->data + w->stray_from : "";
  size_t at = status_line_at(p, kept);
  if (at == kept) { /* no whole status line: a cut-short one may end it */
    size_t tail = kept < STATUS_SHAPE_LEN ? kept : STATUS_SHAPE_LEN - 1;
    for (; tail > 0; tail--) {
      if (fits_status_shape(p + kept - tail, tail))
        break;
    }
    at = kept - tail;
  }
  int capped = b->len >= w->cap;
  if (at < kept || !capped)
    keep_stray(w, at);
}

/* Reads what followed the bodyless answer on the connection taken from
 * libcurl (see take_connection), now or, if nothing is there yet, while
 * watching it for up to stray_wait_ms (ended sooner by the sentinel). A
 * connection libcurl had to close is read just the same: it still holds what
 * the server sent. */
static int look_for_stray(struct transfer *t, struct slot *s)
{
  struct al_response *res = s->res;
  if (is_bodyless(s))
    res->stray_size += s->excess;
  int fd = s->taken_fd;
  s->taken_fd = -1;
  if (fd < 0)
    return 0;
  struct tls_scan tls;
  memset(&tls, 0, sizeof tls);
  tls.on = is_tls_url(s->req);
  uint64_t before = res->stray_size;
  long long got = read_stray(res, fd, t->opts->body_cap, &tls, NULL);
  if (stray_settled(&tls, got, before, res) || s->excess > 0 ||
      t->opts->stray_wait_ms <= 0 || t->nwatches == t->watch_cap) {
    close(fd);
    return 0;
  }
  struct watch *w = &t->watches[t->nwatches++];
  w->fd = fd;
  w->res = res;
  w->index = s->index;
  w->cap = t->opts->body_cap;
  w->tls = tls;
  w->deadline_ms = now_ms() + t->opts->stray_wait_ms;
  w->stray_from = res->stray.len;
  w->size_from = res->stray_size;
  w->first_len = 0;
  w->asked = may_ask_sentinel(t, s, &tls) && send_sentinel(fd, s->req);
  return 1;
}

/* Ends watch 'i'; its response is final now ('notify': say so). */
static void end_watch(struct transfer *t, size_t i, int notify)
{
  size_t index = t->watches[i].index;
  drop_sentinel_answer(&t->watches[i]);
  close(t->watches[i].fd);
  t->watches[i] = t->watches[--t->nwatches];
  if (notify)
    notify_done(t->opts, index);
}

static void check_watches(struct transfer *t)
{
  long long now = now_ms();
  for (size_t i = 0; i < t->nwatches;) {
    struct watch *w = &t->watches[i];
    uint64_t before = w->res->stray_size;
    long long got = read_stray(w->res, w->fd, w->cap, &w->tls, w);
    int settled = stray_settled(&w->tls, got, before, w->res) &&
                  !(got > 0 && sentinel_answer_partial(w));
    if (settled || now >= w->deadline_ms) {
      end_watch(t, i, 1);
    } else {
      i++;
    }
  }
}

/* ---- finishing a transfer ---- */

/* Some of libcurl's failures caused by what the server sent leave the error
 * buffer empty, and curl_easy_strerror() would then blame us ("Out of
 * memory", "Failed writing received data to disk/application"). Names the
 * server's part where it is the likely one. */
static const char *silent_reason(const struct slot *s, CURLcode result)
{
  if (result == CURLE_OUT_OF_MEMORY && !s->head_done)
    return "response head rejected: a header line over libcurl's 100 KiB "
           "limit (or out of memory)";
  if (result == CURLE_WRITE_ERROR && s->head_done &&
      al_headers_get(&s->res->headers, "Content-Encoding"))
    return "the body does not decode as its Content-Encoding says (bytes "
           "after the end of the compressed data)";
  return curl_easy_strerror(result);
}

static void finish(struct transfer *t, struct slot *s, CURLcode result)
{
  struct al_response *res = s->res;
  curl_off_t total_us = 0;
  if (curl_easy_getinfo(s->easy, CURLINFO_TOTAL_TIME_T, &total_us) == CURLE_OK)
    res->elapsed_ms = (double)total_us / 1000.0;
  long connects = 0;
  if (curl_easy_getinfo(s->easy, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK)
    res->reused_connection = connects == 0 && result == CURLE_OK;

  char framing[300];
  if (s->shared_abort && result == CURLE_ABORTED_BY_CALLBACK) {
    set_transport_error(res, CURLE_WEIRD_SERVER_REPLY,
                        "no connection of its own: libcurl kept offering "
                        "connections that other HTTP/1.x requests are using "
                        "(after a server claimed HTTP/2)");
  } else if (s->lied) {
    char reason[160];
    snprintf(reason, sizeof reason,
             "status line claims HTTP/%s on an HTTP/1.x connection (HTTP/2 "
             "has no status line, RFC 9113 8.3.2): a malformed answer",
             res->http_version ? res->http_version : "2");
    res->status = 0; /* nothing a rule could judge */
    s->head_done = 0;
    set_transport_error(res, CURLE_WEIRD_SERVER_REPLY, reason);
  } else if (s->head_done && res->status > 599) {
    /* libcurl takes any three digits; RFC 9110 15: outside 100-599 is not
     * an HTTP status, so nothing a rule could judge (whatever became of
     * the body). */
    char reason[64];
    snprintf(reason, sizeof reason, "invalid status code %ld (not 100-599)",
             res->status);
    set_transport_error(res, CURLE_WEIRD_SERVER_REPLY, reason);
  } else if (s->head_done && s->framing_bad &&
             al_response_framing_error(res, s->req ? s->req->method : NULL,
                                       framing, sizeof framing)) {
    /* libcurl reads "1;", "1, 2" or two different lengths leniently (or
     * times out waiting for the larger one); the client MUST discard
     * such a response (RFC 9112 §6.3), so it is no answer, and the reason
     * names the field whatever curl made of it. */
    set_transport_error(res, CURLE_WEIRD_SERVER_REPLY, framing);
  } else if (result == CURLE_OK && s->head_done) {
    res->received = 1;
  } else if (s->hit_limit && s->head_done) {
    /* apilint chose to stop reading; the server answered correctly as far
     * as anyone knows. Judge the prefix, report no failure. */
    res->received = 1;
    res->body_incomplete = 1;
    res->body_limit_hit = 1;
    res->read_limit = s->read_limit;
  } else if (result == CURLE_OK) {
    set_transport_error(res, CURLE_WEIRD_SERVER_REPLY,
                        "no final HTTP response head received");
  } else {
    res->received = s->head_done;
    res->body_incomplete = s->head_done;
    set_transport_error(res, (int)result,
                        s->errbuf[0] ? s->errbuf : silent_reason(s, result));
  }
  if (!res->received) {
    size_t interim = res->interim_count;
    forget_head(s);
    res->interim_count = interim;
  }
  res->body_truncated = res->body_size > res->body.len;
  int watched = res->received && look_for_stray(t, s);
  if (s->taken_fd >= 0) {
    close(s->taken_fd);
    s->taken_fd = -1;
  }
  /* A watched answer is final when its watch ends (end_watch). */
  if (!watched)
    notify_done(t->opts, s->index);
}

/* ---- retries (--retry) ---- */

/* Only failures before any answer: nothing the server said is thrown away,
 * and a request that got an answer (even a 503) is never asked again. */
static int should_retry(const struct slot *s, CURLcode result)
{
  const struct al_reach *r = s->req->reach;
  if (!r || r->retry <= s->attempt || result == CURLE_OK || s->head_done ||
      s->res->status != 0 || s->res->interim_count > 0 || s->hit_limit ||
      s->oom)
    return 0;
  switch (result) {
  case CURLE_COULDNT_CONNECT:    /* refused */
  case CURLE_OPERATION_TIMEDOUT: /* no answer in time */
  case CURLE_GOT_NOTHING:        /* closed without a byte */
  case CURLE_SEND_ERROR:         /* reset while sending */
  case CURLE_RECV_ERROR:         /* reset while waiting */
    return 1;
  default:
    return 0;
  }
}

/* Keeps the failed attempt in res->attempts, clears the rest of the
 * response for the next one and sets when it may start. */
static void schedule_retry(struct slot *s, CURLcode result)
{
  struct al_response *res = s->res;
  struct al_attempt *grown =
      realloc(res->attempts, (res->attempt_count + 1) * sizeof *grown);
  if (!grown) {
    s->oom = 1;
    return;
  }
  res->attempts = grown;
  struct al_attempt *a = &grown[res->attempt_count++];
  struct al_buf b;
  al_buf_init(&b);
  a->error = NULL;
  if (al_buf_printf(&b, "(%d) %s", (int)result,
                    s->errbuf[0] ? s->errbuf : curl_easy_strerror(result)) ==
      AL_OK)
    a->error = al_buf_detach(&b);
  al_buf_cleanup(&b);
  if (!a->error)
    s->oom = 1;
  curl_off_t us = 0;
  a->elapsed_ms =
      curl_easy_getinfo(s->easy, CURLINFO_TOTAL_TIME_T, &us) == CURLE_OK
          ? (double)us / 1000.0
          : 0;
  s->attempt++;
  a->wait_ms = al_reach_retry_wait_ms(s->req->reach, s->attempt);
  if (s->taken_fd >= 0) {
    close(s->taken_fd);
    s->taken_fd = -1;
  }
  /* Everything but the attempts list starts afresh. */
  struct al_attempt *keep = res->attempts;
  size_t kept = res->attempt_count;
  res->attempts = NULL;
  res->attempt_count = 0;
  al_response_cleanup(res);
  res->attempts = keep;
  res->attempt_count = kept;
  s->waiting = 1;
  s->retry_at_ms = now_ms() + a->wait_ms;
}

/* ---- pacing (--rate) ---- */

/* 1 when the pacer lets a request start now. */
static int pace_ready(const struct transfer *t, long long now)
{
  const struct al_pacer *p = t->opts->pacer;
  return !p || p->interval_ms <= 0 || now >= p->next_ms;
}

static void pace_started(struct transfer *t, long long now)
{
  struct al_pacer *p = t->opts->pacer;
  if (!p || p->interval_ms <= 0)
    return;
  long long base = p->next_ms > now ? p->next_ms : now;
  p->next_ms = base + (long long)(p->interval_ms + 0.5);
  p->started++;
}

static void reset_slot_state(struct slot *s)
{
  s->head_done = 0;
  s->framing_bad = 0;
  s->last_dropped = 0;
  s->hit_limit = 0;
  s->header_bytes = 0;
  s->excess = 0;
  s->conn_known = 0;
  s->taken_fd = -1;
  s->waiting = 0;
  s->h2 = 0;
  s->lied = 0;
  s->shared_abort = 0;
}

/* Sets up the slot's easy handle for its request and hands it to libcurl.
 * Returns AL_OK (a request libcurl refuses to set up gets a transport error
 * instead) or AL_E_NOMEM / AL_E_NETWORK. */
static enum al_code launch(struct transfer *t, struct slot *s,
                           struct al_err *err)
{
  struct al_response *res = s->res;
  reset_slot_state(s);
  CURLcode rc = configure(s);
  if (rc == CURLE_OUT_OF_MEMORY)
    return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
  if (rc != CURLE_OK) {
    set_transport_error(res, (int)rc, curl_easy_strerror(rc));
    notify_done(t->opts, s->index);
    return AL_OK;
  }
  CURLMcode mc = curl_multi_add_handle(t->multi, s->easy);
  if (mc != CURLM_OK)
    return al_err_set(
        err, mc == CURLM_OUT_OF_MEMORY ? AL_E_NOMEM : AL_E_NETWORK, "", 0, 0,
        "cannot start a transfer: %s", curl_multi_strerror(mc));
  s->busy = 1;
  pace_started(t, now_ms());
  return AL_OK;
}

/* Request 'index', at 'at' in a ring, built by opts->prepare when there is
 * one (transfer.h), and sendable: its timeout is set. */
static enum al_code prepared(const struct al_transfer_opts *opts,
                             const struct al_request *requests, size_t index,
                             size_t at, struct al_err *err)
{
  if (!opts->prepare)
    return AL_OK; /* every timeout checked up front */
  enum al_code code = opts->prepare(opts->on_done_ctx, index, err);
  if (code == AL_OK && requests[at].timeout_ms <= 0)
    code = al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                      "request %zu has no timeout", index);
  return code;
}

/* Starts requests[index] on a free slot (see launch). */
static enum al_code start(struct transfer *t, struct slot *s,
                          const struct al_request *req, struct al_response *res,
                          size_t index, struct al_err *err)
{
  s->req = req;
  s->res = res;
  s->index = index;
  s->fresh = 0;
  s->restarts = 0;
  return launch(t, s, err);
}

/* A transfer stopped by on_prereq sent nothing: it starts again on a new
 * connection (CURLOPT_FRESH_CONNECT: libcurl neither reuses nor shares it),
 * so no request is ever sent twice. Returns 1 when the slot runs again, 0
 * when the transfer has ended (then its result is to be recorded, unless
 * launch() already recorded why it could not start: *code, s->busy). */
#define MAX_RESTARTS 3
static int restart_unshared(struct transfer *t, struct slot *s, CURLcode result,
                            enum al_code *code, struct al_err *err)
{
  if (!s->shared_abort || result != CURLE_ABORTED_BY_CALLBACK ||
      s->restarts >= MAX_RESTARTS)
    return 0;
  curl_multi_remove_handle(t->multi, s->easy);
  s->busy = 0;
  s->restarts++;
  s->fresh = 1;
  *code = launch(t, s, err);
  return s->busy;
}

static void cleanup(struct transfer *t)
{
  /* A watched answer is complete but for late stray bytes; after a stop
   * nobody waits for them. */
  while (t->nwatches > 0)
    end_watch(t, 0, !stopped(t->opts));
  for (size_t i = 0; i < t->nslots; i++) {
    struct slot *s = &t->slots[i];
    if (s->easy) {
      if (s->busy)
        curl_multi_remove_handle(t->multi, s->easy);
      curl_easy_cleanup(s->easy);
    }
    if (s->taken_fd >= 0)
      close(s->taken_fd);
    al_buf_cleanup(&s->headers.text);
    free(s->headers.nodes);
  }
  if (t->multi)
    curl_multi_cleanup(t->multi); /* closes cached connections: needs socks */
  free(t->socks);                 /* closes the cached connections */
  free(t->slots);
  free(t->watches);
}

static enum al_code setup(struct transfer *t, size_t jobs,
                          const struct al_transfer_opts *opts,
                          struct al_err *err)
{
  t->opts = opts;
  uint64_t base = opts->body_cap ? opts->body_cap : 1024u * 1024u;
  t->read_limit = opts->read_limit ? opts->read_limit : base * 64u;
  t->proxy_env = proxy_env_set();
  setup_accept_encoding(t);
  t->slots = calloc(jobs, sizeof *t->slots);
  t->watch_cap = MAX_WATCHES + jobs;
  t->watches = calloc(t->watch_cap, sizeof *t->watches);
  t->multi = curl_multi_init();
  if (!t->slots || !t->watches || !t->multi)
    return al_err_set(err, AL_E_NOMEM, "", 0, 0, "cannot set up the transfer");
  curl_multi_setopt(t->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)jobs);
  curl_multi_setopt(t->multi, CURLMOPT_MAXCONNECTS, (long)jobs);
  /* Every slot is fit for cleanup() before the first handle can fail (no
   * fd 0 closed for a slot never reached). */
  t->nslots = jobs;
  for (size_t i = 0; i < jobs; i++) {
    t->slots[i].t = t;
    t->slots[i].taken_fd = -1;
    t->slots[i].opts = opts;
    t->slots[i].read_limit = t->read_limit;
    al_buf_init(&t->slots[i].headers.text);
  }
  for (size_t i = 0; i < jobs; i++) {
    t->slots[i].easy = curl_easy_init();
    if (!t->slots[i].easy)
      return al_err_set(err, AL_E_NETWORK, "", 0, 0,
                        "cannot create a curl handle");
  }
  return AL_OK;
}

/* Collects every finished transfer; its slot becomes free. */
static enum al_code drain(struct transfer *t, size_t *in_flight,
                          struct al_err *err)
{
  CURLMsg *msg;
  int queued;
  while ((msg = curl_multi_info_read(t->multi, &queued))) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    CURL *easy = msg->easy_handle;
    CURLcode result = msg->data.result;
    struct slot *s = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&s);
    if (!s)
      return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                        "finished transfer without its slot");
    note_end(s, result);
    if (should_retry(s, result)) {
      curl_multi_remove_handle(t->multi, easy);
      schedule_retry(s, result);
      continue;
    }
    enum al_code code = AL_OK;
    int restarted = s->shared_abort && s->restarts < MAX_RESTARTS &&
                    result == CURLE_ABORTED_BY_CALLBACK;
    if (restart_unshared(t, s, result, &code, err))
      continue;
    if (code != AL_OK)
      return code;
    if (!restarted) /* else launch() recorded why it could not start */
      finish(t, s, result);
    curl_multi_remove_handle(t->multi, easy);
    s->busy = 0;
    (*in_flight)--;
    if (s->oom)
      return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
  }
  return AL_OK;
}

/* Starts again every request whose retry wait is over (and that the pacer
 * lets go). */
static enum al_code restart_due(struct transfer *t, size_t *in_flight,
                                struct al_err *err)
{
  for (size_t i = 0; i < t->nslots; i++) {
    struct slot *s = &t->slots[i];
    long long now = now_ms();
    if (!s->busy || !s->waiting || now < s->retry_at_ms || !pace_ready(t, now))
      continue;
    s->busy = 0;
    enum al_code rc = start(t, s, s->req, s->res, s->index, err);
    if (rc != AL_OK)
      return rc;
    if (!s->busy) /* libcurl refused the set-up: that is the result */
      (*in_flight)--;
  }
  return AL_OK;
}

/* The earliest moment something is due without network activity: a retry,
 * or the pacer letting the next request start (-1 = none). */
static long long next_wake(const struct transfer *t, int more_to_start)
{
  const struct al_pacer *p = t->opts->pacer;
  long long paced = p && p->interval_ms > 0 ? p->next_ms : -1;
  long long wake = more_to_start ? paced : -1;
  for (size_t i = 0; i < t->nslots; i++) {
    const struct slot *s = &t->slots[i];
    if (!s->busy || !s->waiting)
      continue;
    long long due = s->retry_at_ms > paced ? s->retry_at_ms : paced;
    if (wake < 0 || due < wake)
      wake = due;
  }
  return wake;
}

/* Waits for curl's sockets and the watched connections, no longer than the
 * nearest watch deadline or 'wake_ms' (a monotonic time; -1 = none). */
static enum al_code wait_for_activity(struct transfer *t, long long wake_ms,
                                      struct al_err *err)
{
  int timeout = POLL_MS;
  long long now = now_ms();
  if (wake_ms >= 0) {
    long long left = wake_ms - now;
    if (left < timeout)
      timeout = left > 0 ? (int)left : 0;
  }
  /* The watched connections, then the stop signal's wake-up descriptor. */
  unsigned nfds = (unsigned)t->nwatches + (t->opts->wake_fd >= 0 ? 1u : 0u);
  struct curl_waitfd *fds = NULL;
  if (nfds > 0) {
    fds = calloc(nfds, sizeof *fds);
    if (!fds)
      return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
  }
  if (t->opts->wake_fd >= 0) {
    fds[nfds - 1].fd = t->opts->wake_fd;
    fds[nfds - 1].events = CURL_WAIT_POLLIN;
  }
  for (size_t i = 0; i < t->nwatches; i++) {
    fds[i].fd = t->watches[i].fd;
    fds[i].events = CURL_WAIT_POLLIN;
    long long left = t->watches[i].deadline_ms - now;
    if (left < 0)
      left = 0;
    if (left < timeout)
      timeout = (int)left;
  }
  CURLMcode mc = curl_multi_poll(t->multi, fds, nfds, timeout, NULL);
  free(fds);
  if (mc != CURLM_OK)
    return al_err_set(err, AL_E_NETWORK, "", 0, 0, "curl_multi_poll: %s",
                      curl_multi_strerror(mc));
  return AL_OK;
}

static struct slot *free_slot(struct transfer *t)
{
  for (size_t i = 0; i < t->nslots; i++) {
    if (!t->slots[i].busy)
      return &t->slots[i];
  }
  return NULL;
}

enum al_code al_transfer_run(const struct al_request *requests,
                             struct al_response *responses, size_t count,
                             const struct al_transfer_opts *opts,
                             struct al_err *err)
{
  if (count == 0)
    return AL_OK;
  /* The timeout is decided once, by the spec loader (spec.h): a request
   * without one is the caller's mistake, never "wait forever". */
  for (size_t i = 0; !opts->prepare && i < count; i++)
    if (requests[i].timeout_ms <= 0)
      return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                        "request %zu has no timeout", i);
  size_t jobs = opts->jobs < 1 ? 1 : (size_t)opts->jobs;
  if (jobs > count)
    jobs = count;
  struct transfer t;
  memset(&t, 0, sizeof t);
  enum al_code code = setup(&t, jobs, opts, err);
  size_t next = 0, in_flight = 0;
  while (code == AL_OK && !stopped(opts) &&
         (next < count || in_flight > 0 || t.nwatches > 0)) {
    /* Each running transfer may add a watch when it ends, so starting new
     * ones only below MAX_WATCHES keeps within watch_cap. */
    code = restart_due(&t, &in_flight, err);
    while (code == AL_OK && t.nwatches < MAX_WATCHES && in_flight < jobs &&
           next < count && !stopped(opts) && may_start(&t, next, in_flight) &&
           pace_ready(&t, now_ms())) {
      struct slot *s = free_slot(&t);
      if (!s) {
        code =
            al_err_set(err, AL_E_INTERNAL, "", 0, 0, "no free transfer slot");
        break;
      }
      s->attempt = 0;
      size_t at = opts->response_ring ? next % opts->response_ring : next;
      code = prepared(opts, requests, next, at, err);
      if (code == AL_OK && stopped(opts))
        break; /* a signal came while it was being prepared */
      if (code == AL_OK)
        code = start(&t, s, &requests[at], &responses[at], next, err);
      in_flight += s->busy;
      next++;
    }
    if (code != AL_OK)
      break;
    int running = 0;
    CURLMcode mc = curl_multi_perform(t.multi, &running);
    if (mc != CURLM_OK) {
      code = al_err_set(err, AL_E_NETWORK, "", 0, 0, "curl_multi_perform: %s",
                        curl_multi_strerror(mc));
      break;
    }
    code = drain(&t, &in_flight, err);
    if (code == AL_OK && t.oom)
      code = al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
    if (code != AL_OK)
      break;
    check_watches(&t);
    if (t.nwatches < MAX_WATCHES && in_flight < jobs && next < count &&
        may_start(&t, next, in_flight) && pace_ready(&t, now_ms()))
      continue; /* a slot is free: fill it before waiting */
    if (in_flight > 0 || t.nwatches > 0 || next < count)
      code = wait_for_activity(&t, next_wake(&t, next < count), err);
    if (opts->on_tick)
      opts->on_tick(opts->on_done_ctx);
  }
  cleanup(&t);
  return code;
}
