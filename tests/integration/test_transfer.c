/* test_transfer.c - the request engine against the fixture server over real
 * sockets on 127.0.0.1: order, headers, caps, hostile servers, transport
 * errors, and bytes after bodyless answers (204/304/HEAD) that libcurl does
 * not read. One server serves every test; its request log proves what was
 * sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "spec.h"
#include "transfer.h"

#define ORDER_COUNT 200
#define BIG_SIZE (3u * 1024u * 1024u)
#define MIB (1024u * 1024u)

static char g_dir[256];
static char g_log[300];
static pid_t g_server = -1;
static long g_port;

/* ---- the fixture server ---- */

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  assert_int_equal(fputs(text, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
}

static void write_big_file(const char *path)
{
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  for (size_t i = 0; i < BIG_SIZE; i++)
    fputc('a' + (int)(i % 26), f);
  assert_int_equal(fclose(f), 0);
}

static const char fixed_replies[] =
    "Replies for test_transfer.c\n"
    "=== GET /headers\n"
    "HTTP/1.1 200 OK\n"
    "X-Dup: one\n"
    "Set-Cookie: a=1\n"
    "X-Folded: first\n"
    "  second\n"
    "X-Dup: two\n"
    "Content-Length: auto\n"
    "\n"
    "ok\n"
    "=== GET /interim raw\n"
    "HTTP/1.1 103 Early Hints\\r\\nLink: </s.css>\\r\\n\\r\\n"
    "HTTP/1.1 200 OK\\r\\nX-Final: yes\\r\\nContent-Length: 2\\r\\n\\r\\nok\n"
    "=== GET /redirect\n"
    "HTTP/1.1 301 Moved Permanently\n"
    "Location: /target\n"
    "Content-Length: 0\n"
    "\n"
    "=== GET /target\n"
    "HTTP/1.1 200 OK\n"
    "Content-Length: auto\n"
    "\n"
    "target\n"
    "=== GET /big body-file=big.bin\n"
    "HTTP/1.1 200 OK\n"
    "Content-Length: auto\n"
    "\n"
    "=== GET /endless endless\n"
    "HTTP/1.1 200 OK\n"
    "Content-Type: text/plain\n"
    "\n"
    "=== GET /bomb body-file=bomb.gz\n"
    "HTTP/1.1 200 OK\n"
    "Content-Encoding: gzip\n"
    "Content-Length: auto\n"
    "\n"
    "=== GET /many headers=5000\n"
    "HTTP/1.1 200 OK\n"
    "Content-Length: 0\n"
    "=== GET /not-http raw close\n"
    "SSH-2.0-OpenSSH_9.2\\r\\n\n"
    "=== GET /interim-close raw close\n"
    "HTTP/1.1 100 Continue\\r\\n\\r\\n\n"
    "=== GET /interim-never raw\n"
    "HTTP/1.1 103 Early Hints\\r\\nLink: </a.css>\\r\\n\\r\\n"
    "HTTP/1.1 102 Processing\\r\\n\\r\\n\n"
    "=== GET /status-999 raw close\n"
    "HTTP/1.1 999 Weird\\r\\nContent-Length: 2\\r\\n\\r\\nok\n"
    "=== GET /big-field raw body-file=big-field.bin\n"
    "HTTP/1.1 200 OK\\r\\nX-Big: \n"
    "=== GET /gzip-garbage body-file=gzip-garbage.bin\n"
    "HTTP/1.1 200 OK\n"
    "Content-Encoding: gzip\n"
    "Content-Length: auto\n"
    "\n"
    "=== GET /never never\n"
    "=== GET /truncated raw close\n"
    "HTTP/1.1 200 OK\\r\\nContent-Length: 100\\r\\n\\r\\nshort\n"
    "=== GET /nc-same\n"
    "# a 204 whose body comes in the same write as its head\n"
    "HTTP/1.1 204 No Content\n"
    "\n"
    "stray-body\n"
    "=== GET /nc-close close\n"
    "HTTP/1.1 204 No Content\n"
    "\n"
    "closing-body\n"
    "=== GET /nc-split-close split=30 close\n"
    "HTTP/1.1 204 No Content\n"
    "\n"
    "late-closing-body\n"
    "=== GET /nc-split split=50\n"
    "HTTP/1.1 204 No Content\n"
    "\n"
    "late-body\n"
    "=== GET /nm\n"
    "HTTP/1.1 304 Not Modified\n"
    "ETag: \"v1\"\n"
    "\n"
    "not-modified-body\n"
    "=== GET /nc-clean\n"
    "HTTP/1.1 204 No Content\n"
    "=== GET /nc-clean-paced\n"
    "HTTP/1.1 204 No Content\n"
    "=== GET /nc-then-half-status raw split=50 close\n"
    "# late stray bytes, then a status line cut short by the end\n"
    "HTTP/1.1 204 No Content\\r\\n\\r\\nlate-bodyHTTP/1.\n"
    "=== GET /nc-conn-close\n"
    "HTTP/1.1 204 No Content\n"
    "Connection: close\n"
    "=== GET /nc-then-status raw split=50\n"
    "# late stray bytes, then what looks like the sentinel's answer, in one\n"
    "# write: only the bytes before the status line are stray\n"
    "HTTP/1.1 204 No Content\\r\\n\\r\\nearlyHTTP/1.1 200 OK\\r\\n\\r\\n\n"
    "=== GET /nc-half-status raw split=50 close\n"
    "# a status line cut short, then the end: it could be the sentinel's\n"
    "HTTP/1.1 204 No Content\\r\\n\\r\\nHTTP/1.1 2\n"
    "=== GET /clean\n"
    "HTTP/1.1 200 OK\n"
    "Content-Length: auto\n"
    "\n"
    "clean\n"
    "=== HEAD /head-body\n"
    "HTTP/1.1 200 OK\n"
    "Content-Length: 9\n"
    "\n"
    "head-body\n"
    "=== GET /reuse-plain\n"
    "HTTP/1.1 200 OK\n"
    "Content-Length: auto\n"
    "\n"
    "plain\n"
    "=== GET /reuse-headers\n"
    "HTTP/1.1 200 OK\n"
    "X-Seen: yes\n"
    "Content-Length: auto\n"
    "\n"
    "headers\n"
    "=== POST /echo\n"
    "HTTP/1.1 201 Created\n"
    "Location: /echo/1\n"
    "Content-Length: 0\n";

static void write_replies(const char *path)
{
  struct al_buf b;
  al_buf_init(&b);
  assert_int_equal(al_buf_append_str(&b, fixed_replies), AL_OK);
  /* Different delays make transfers finish out of order. */
  for (int i = 0; i < ORDER_COUNT; i++)
    assert_int_equal(al_buf_printf(&b,
                                   "=== GET /order/%d delay=%d\n"
                                   "HTTP/1.1 200 OK\n"
                                   "Content-Length: auto\n\n"
                                   "item-%d\n",
                                   i, (i * 37) % 23, i),
                     AL_OK);
  write_file(path, al_buf_str(&b));
  al_buf_cleanup(&b);
}

static long read_port(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  long port = -1;
  if (fscanf(f, "%ld", &port) != 1)
    port = -1;
  fclose(f);
  return port;
}

static void sleep_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int group_setup(void **state)
{
  (void)state;
  snprintf(g_dir, sizeof g_dir, "/tmp/al-transfer-XXXXXX");
  assert_non_null(mkdtemp(g_dir));
  char path[400], cmd[800];
  snprintf(path, sizeof path, "%s/big.bin", g_dir);
  write_big_file(path);
  /* A header line past libcurl's 100 KiB limit for one head line. */
  snprintf(
      cmd, sizeof cmd,
      "{ head -c 110000 /dev/zero | tr '\\0' a; "
      "printf '\\r\\nContent-Length: 2\\r\\n\\r\\nok'; } > '%s/big-field.bin'",
      g_dir);
  assert_int_equal(system(cmd), 0);
  /* A complete gzip stream, then bytes that are not part of it. */
  snprintf(cmd, sizeof cmd,
           "{ printf '{\"ok\": true}' | gzip -c; printf 'garbage'; } "
           "> '%s/gzip-garbage.bin'",
           g_dir);
  assert_int_equal(system(cmd), 0);
  /* 100 MiB of zeros compress to about 100 KiB: a decompression bomb well
   * past the default 64 MiB read limit. */
  snprintf(cmd, sizeof cmd,
           "head -c 104857600 /dev/zero | gzip -c > '%s/bomb.gz'", g_dir);
  assert_int_equal(system(cmd), 0);
  char replies[400], port_file[400];
  snprintf(replies, sizeof replies, "%s/replies", g_dir);
  snprintf(port_file, sizeof port_file, "%s/port", g_dir);
  snprintf(g_log, sizeof g_log, "%s/log", g_dir);
  write_replies(replies);

  g_server = fork();
  assert_true(g_server >= 0);
  if (g_server == 0) {
    execl(AL_FIXTURE_SERVER, AL_FIXTURE_SERVER, "--replies", replies,
          "--port-file", port_file, "--log", g_log, "--max-seconds", "300",
          (char *)NULL);
    _exit(127);
  }
  for (int i = 0; i < 400 && (g_port = read_port(port_file)) <= 0; i++)
    sleep_ms(25);
  assert_true(g_port > 0);

  struct al_err err;
  assert_int_equal(al_transfer_global_init(&err), AL_OK);
  return 0;
}

static int group_teardown(void **state)
{
  (void)state;
  int rc = 0;
  if (g_server > 0) {
    kill(g_server, SIGTERM);
    int status = 0, done = 0;
    for (int i = 0; i < 100 && !done; i++) {
      done = waitpid(g_server, &status, WNOHANG) == g_server;
      if (!done)
        sleep_ms(50);
    }
    if (!done) {
      kill(g_server, SIGKILL);
      waitpid(g_server, &status, 0);
    }
    /* A clean stop on SIGTERM, sanitizers included, is part of the job. */
    if (!done || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "fixture server did not stop cleanly (status %d)\n",
              status);
      rc = -1;
    }
  }
  al_transfer_global_cleanup();
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", g_dir);
  return rc;
}

/* ---- running requests ---- */

struct batch {
  struct al_request *reqs;
  struct al_response *res;
  size_t n;
};

static void batch_init(struct batch *b, size_t n)
{
  b->n = n;
  b->reqs = calloc(n, sizeof *b->reqs);
  b->res = calloc(n, sizeof *b->res);
  assert_non_null(b->reqs);
  assert_non_null(b->res);
  for (size_t i = 0; i < n; i++) {
    al_request_init(&b->reqs[i]);
    b->reqs[i].timeout_ms = AL_SPEC_TIMEOUT_DEFAULT_MS;
    al_response_init(&b->res[i]);
  }
}

static void batch_set_url(struct batch *b, size_t i, const char *method,
                          const char *url)
{
  b->reqs[i].method = al_strdup(method);
  b->reqs[i].url = al_strdup(url);
  assert_non_null(b->reqs[i].method);
  assert_non_null(b->reqs[i].url);
}

static void batch_set(struct batch *b, size_t i, const char *method,
                      const char *path)
{
  char url[256];
  snprintf(url, sizeof url, "http://127.0.0.1:%ld%s", g_port, path);
  batch_set_url(b, i, method, url);
}

static void batch_run(struct batch *b, const struct al_transfer_opts *opts)
{
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_transfer_run(b->reqs, b->res, b->n, opts, &err), AL_OK);
}

static void batch_free(struct batch *b)
{
  for (size_t i = 0; i < b->n; i++) {
    al_request_cleanup(&b->reqs[i]);
    al_response_cleanup(&b->res[i]);
  }
  free(b->reqs);
  free(b->res);
}

/* One request with default options; 'res' must be cleaned up by the
 * caller through batch_free. */
static struct al_response *run_one(struct batch *b, const char *method,
                                   const char *path,
                                   const struct al_transfer_opts *opts)
{
  struct al_transfer_opts defaults;
  al_transfer_opts_init(&defaults);
  batch_init(b, 1);
  batch_set(b, 0, method, path);
  batch_run(b, opts ? opts : &defaults);
  return &b->res[0];
}

static void assert_clean_response(const struct al_response *r, long status)
{
  if (r->transport_failed)
    fprintf(stderr, "unexpected transport error: %s\n", r->transport_error);
  assert_int_equal(r->transport_failed, 0);
  assert_int_equal(r->received, 1);
  assert_int_equal(r->status, status);
}

static void assert_transport_error(const struct al_response *r)
{
  assert_int_equal(r->transport_failed, 1);
  assert_int_equal(r->received, 0);
  assert_int_equal(r->status, 0);
  assert_null(r->status_line);
  assert_int_not_equal(r->curl_code, 0);
  assert_non_null(r->transport_error);
  char prefix[16];
  snprintf(prefix, sizeof prefix, "(%d) ", r->curl_code);
  assert_memory_equal(r->transport_error, prefix, strlen(prefix));
}

/* The logged lines for 'method path' (each ends with '\n'), or "" when
 * there is none. Caller frees. */
static char *log_lines_for(const char *method, const char *path)
{
  FILE *f = fopen(g_log, "r");
  assert_non_null(f);
  struct al_buf out;
  al_buf_init(&out);
  char prefix[300];
  snprintf(prefix, sizeof prefix, "%s\t%s\t", method, path);
  char line[16384];
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, prefix, strlen(prefix)) == 0)
      assert_int_equal(al_buf_append_str(&out, line), AL_OK);
  }
  fclose(f);
  char *s = al_buf_detach(&out);
  al_buf_cleanup(&out);
  assert_non_null(s);
  return s;
}

static size_t count_lines(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* ---- tests ---- */

static void test_transfer_keeps_spec_order_at_jobs_16(void **state)
{
  (void)state;
  struct batch b;
  batch_init(&b, ORDER_COUNT);
  for (size_t i = 0; i < ORDER_COUNT; i++) {
    char path[64];
    snprintf(path, sizeof path, "/order/%zu", i);
    batch_set(&b, i, "GET", path);
  }
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.jobs = 16;
  batch_run(&b, &opts);
  for (size_t i = 0; i < ORDER_COUNT; i++) {
    char want[64];
    snprintf(want, sizeof want, "item-%zu", i);
    assert_clean_response(&b.res[i], 200);
    assert_string_equal(al_buf_str(&b.res[i].body), want);
    assert_int_equal(b.res[i].body_size, strlen(want));
  }
  /* 16 connections at most, reused for the other requests. */
  size_t reused = 0;
  for (size_t i = 0; i < ORDER_COUNT; i++)
    reused += (size_t)b.res[i].reused_connection;
  assert_true(reused >= ORDER_COUNT - 16);
  char *lines = log_lines_for("GET", "/order/7");
  assert_int_equal(count_lines(lines), 1);
  free(lines);
  batch_free(&b);
}

static void test_transfer_keeps_headers_in_order_with_repeats(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/headers", NULL);
  assert_clean_response(r, 200);
  assert_string_equal(r->status_line, "HTTP/1.1 200 OK");
  assert_string_equal(r->http_version, "1.1");
  static const char *const want[][2] = {{"X-Dup", "one"},
                                        {"Set-Cookie", "a=1"},
                                        {"X-Folded", "first second"},
                                        {"X-Dup", "two"},
                                        {"Content-Length", "2"}};
  assert_int_equal(r->headers.count, 5);
  for (size_t i = 0; i < 5; i++) {
    assert_string_equal(r->headers.items[i].name, want[i][0]);
    assert_string_equal(r->headers.items[i].value, want[i][1]);
  }
  assert_int_equal(r->headers_dropped, 0);
  assert_string_equal(al_buf_str(&r->body), "ok");
  batch_free(&b);
}

static void test_transfer_keeps_only_final_head_after_1xx(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/interim", NULL);
  assert_clean_response(r, 200);
  assert_int_equal(r->interim_count, 1);
  assert_int_equal(r->last_interim_status, 103);
  assert_string_equal(r->last_interim_line, "HTTP/1.1 103 Early Hints");
  assert_string_equal(r->status_line, "HTTP/1.1 200 OK");
  assert_string_equal(al_headers_get(&r->headers, "X-Final"), "yes");
  assert_null(al_headers_get(&r->headers, "Link"));
  assert_string_equal(al_buf_str(&r->body), "ok");
  batch_free(&b);
}

static void test_transfer_does_not_follow_redirects(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/redirect", NULL);
  assert_clean_response(r, 301);
  assert_string_equal(al_headers_get(&r->headers, "Location"), "/target");
  char *lines = log_lines_for("GET", "/target");
  assert_string_equal(lines, "");
  free(lines);
  batch_free(&b);
}

static void test_transfer_caps_body_and_counts_true_size(void **state)
{
  (void)state;
  struct batch b;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.body_cap = MIB;
  struct al_response *r = run_one(&b, "GET", "/big", &opts);
  assert_clean_response(r, 200);
  assert_int_equal(r->body.len, MIB);
  assert_int_equal(r->body_size, BIG_SIZE);
  assert_int_equal(r->body_truncated, 1);
  assert_int_equal(r->body_incomplete, 0);
  assert_memory_equal(r->body.data, "abcdefghijklmnopqrstuvwxyzabc", 29);
  batch_free(&b);
}

static void test_transfer_stops_endless_body_at_read_limit(void **state)
{
  (void)state;
  struct batch b;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.body_cap = 64 * 1024;
  opts.read_limit = 4 * MIB;
  struct al_response *r = run_one(&b, "GET", "/endless", &opts);
  /* Issue 9 item 7: apilint chose to stop reading; the answer is judged,
   * not reported as a transport failure. */
  assert_int_equal(r->received, 1);
  assert_int_equal(r->status, 200);
  assert_int_equal(r->transport_failed, 0);
  assert_int_equal(r->curl_code, 0);
  assert_null(r->transport_error);
  assert_int_equal(r->body_limit_hit, 1);
  assert_int_equal(r->read_limit, 4 * MIB);
  assert_int_equal(r->body_incomplete, 1);
  assert_int_equal(r->body_truncated, 1);
  assert_int_equal(r->body.len, 64 * 1024);
  assert_true(r->body_size > 4 * MIB);
  batch_free(&b);
}

static void test_transfer_bounds_gzip_bomb_after_decoding(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/bomb", NULL);
  assert_int_equal(r->received, 1);
  assert_int_equal(r->status, 200);
  assert_int_equal(r->transport_failed, 0);
  assert_null(r->transport_error);
  assert_int_equal(r->body_limit_hit, 1);
  assert_int_equal(r->read_limit, 64 * (uint64_t)MIB);
  /* Capped after decoding: zeros, not gzip bytes, and no more than the cap
   * held in memory. */
  assert_int_equal(r->body.len, MIB);
  assert_true(r->body.cap <= 2 * MIB);
  assert_int_equal(r->body.data[0], 0);
  assert_int_equal(r->body.data[MIB - 1], 0);
  assert_true(r->body_size > 64 * (uint64_t)MIB);
  batch_free(&b);
}

static void test_transfer_caps_thousands_of_headers(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/many", NULL);
  assert_clean_response(r, 200);
  assert_int_equal(r->headers.count, 1000);
  /* Content-Length and 5000 fillers came: 5001 fields. */
  assert_int_equal(r->headers_dropped, 4001);
  assert_string_equal(r->headers.items[0].name, "Content-Length");
  assert_string_equal(r->headers.items[999].name, "X-Filler-999");
  batch_free(&b);
}

static void test_transfer_reports_non_http_status_line(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/not-http", NULL);
  assert_transport_error(r);
  batch_free(&b);
}

/* libcurl takes any three digits; 999 is no HTTP status (RFC 9110 15). */
static void test_transfer_reports_status_above_599(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/status-999", NULL);
  assert_transport_error(r);
  assert_int_equal(r->curl_code, 8);
  assert_string_equal(r->transport_error,
                      "(8) invalid status code 999 (not 100-599)");
  assert_int_equal(r->status, 0);
  assert_null(r->status_line);
  batch_free(&b);
}

/* libcurl leaves its error buffer empty here; "Out of memory" alone would
 * blame apilint for the server's 110 KB header line. */
static void test_transfer_names_oversized_header_line(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/big-field", NULL);
  assert_transport_error(r);
  assert_int_equal(r->curl_code, 27);
  assert_non_null(strstr(r->transport_error, "header line over libcurl's"));
  batch_free(&b);
}

/* The decoder's CURLE_WRITE_ERROR must not read as a failed disk write. */
static void test_transfer_names_garbage_after_gzip(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/gzip-garbage", NULL);
  assert_int_equal(r->received, 1);
  assert_int_equal(r->status, 200);
  assert_int_equal(r->transport_failed, 1);
  assert_int_equal(r->curl_code, 23);
  assert_null(strstr(r->transport_error, "disk"));
  assert_non_null(strstr(r->transport_error, "Content-Encoding"));
  batch_free(&b);
}

static void test_transfer_reports_1xx_then_close(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/interim-close", NULL);
  assert_transport_error(r);
  assert_int_equal(r->headers.count, 0);
  /* ...but the 1xx is kept apart: the server did answer (only with 1xx),
   * which informational-as-final reports instead of transport-error. */
  assert_int_equal(r->interim_count, 1);
  assert_int_equal(r->last_interim_status, 100);
  assert_string_equal(r->last_interim_line, "HTTP/1.1 100 Continue");
  batch_free(&b);
}

/* 103 then 102 and then silence: the timeout ends it; both 1xx counted,
 * the last one kept. */
static void test_transfer_reports_1xx_then_silence(void **state)
{
  (void)state;
  struct batch b;
  batch_init(&b, 1);
  batch_set(&b, 0, "GET", "/interim-never");
  b.reqs[0].timeout_ms = 500;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  batch_run(&b, &opts);
  struct al_response *r = &b.res[0];
  assert_transport_error(r);
  assert_int_equal(r->curl_code, 28);
  assert_int_equal(r->interim_count, 2);
  assert_int_equal(r->last_interim_status, 102);
  assert_string_equal(r->last_interim_line, "HTTP/1.1 102 Processing");
  assert_int_equal(r->headers.count, 0);
  batch_free(&b);
}

/* The head arrived and is judged; the broken body is still reported. */
static void test_transfer_keeps_head_of_truncated_body(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/truncated", NULL);
  assert_int_equal(r->received, 1);
  assert_int_equal(r->status, 200);
  assert_int_equal(r->transport_failed, 1);
  assert_int_equal(r->curl_code, 18);
  assert_int_equal(r->body_incomplete, 1);
  assert_string_equal(al_buf_str(&r->body), "short");
  assert_string_equal(al_headers_get(&r->headers, "Content-Length"), "100");
  batch_free(&b);
}

static void test_transfer_times_out_on_silent_server(void **state)
{
  (void)state;
  struct batch b;
  batch_init(&b, 1);
  batch_set(&b, 0, "GET", "/never");
  b.reqs[0].timeout_ms = 500;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  double start = now_ms();
  batch_run(&b, &opts);
  double took = now_ms() - start;
  assert_transport_error(&b.res[0]);
  assert_int_equal(b.res[0].curl_code, 28);
  printf("# silent server: timeout 500 ms, finished after %.0f ms\n", took);
  batch_free(&b);
}

static void test_transfer_reports_refused_connection(void **state)
{
  (void)state;
  /* A port that was free a moment ago and has no listener now. */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  socklen_t len = sizeof addr;
  assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
  close(fd);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(addr.sin_port));

  struct batch b;
  batch_init(&b, 1);
  batch_set_url(&b, 0, "GET", url);
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  batch_run(&b, &opts);
  assert_transport_error(&b.res[0]);
  assert_int_equal(b.res[0].curl_code, 7);
  batch_free(&b);
}

/* https:// to the plain-HTTP fixture server: the TLS handshake cannot
 * succeed (the server waits for a request line that never comes, or answers
 * garbage), which must come back as a transport error within the timeout,
 * not a crash or a hang. (DNS failures
 * are not tested: resolving a name would send a query to the machine's
 * resolver, and tests only ever talk to 127.0.0.1.) */
static void test_transfer_reports_tls_failure(void **state)
{
  (void)state;
  struct batch b;
  batch_init(&b, 1);
  char url[128];
  snprintf(url, sizeof url, "https://127.0.0.1:%ld/ok", g_port);
  batch_set_url(&b, 0, "GET", url);
  b.reqs[0].timeout_ms = 1000;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  batch_run(&b, &opts);
  assert_transport_error(&b.res[0]);
  /* CURLE_SSL_CONNECT_ERROR or CURLE_OPERATION_TIMEDOUT */
  assert_true(b.res[0].curl_code == 35 || b.res[0].curl_code == 28);
  batch_free(&b);
}

static void test_transfer_rejects_non_http_scheme(void **state)
{
  (void)state;
  struct batch b;
  batch_init(&b, 1);
  batch_set_url(&b, 0, "GET", "file:///etc/passwd");
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  batch_run(&b, &opts);
  assert_transport_error(&b.res[0]);
  assert_int_equal(b.res[0].body.len, 0);
  batch_free(&b);
}

/* libcurl 7.88 reads such a body together with the head and drops it
 * ("Excess found"): its size is all that is left, every time. */
static void test_transfer_finds_204_body_in_same_write(void **state)
{
  (void)state;
  enum { N = 4 };
  struct batch b;
  batch_init(&b, N);
  for (size_t i = 0; i < N; i++)
    batch_set(&b, i, "GET", "/nc-same");
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.jobs = 1;
  batch_run(&b, &opts);
  for (size_t i = 0; i < N; i++) {
    struct al_response *r = &b.res[i];
    assert_clean_response(r, 204);
    assert_int_equal(r->body_size, 0);
    assert_int_equal(r->stray_size, strlen("stray-body"));
    assert_int_equal(al_response_has_content_signal(r), 1);
  }
  batch_free(&b);
}

/* libcurl closes the connection itself here, so only the bytes it read
 * with the head can tell. */
static void test_transfer_finds_204_body_before_close(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/nc-close", NULL);
  assert_clean_response(r, 204);
  assert_int_equal(r->stray_size, strlen("closing-body"));
  batch_free(&b);
}

static void test_transfer_finds_204_body_sent_late(void **state)
{
  (void)state;
  struct batch b;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  /* The server waits 50 ms between head and body; watch long enough that
   * a loaded machine still sees it. */
  opts.stray_wait_ms = 2000;
  struct al_response *r = run_one(&b, "GET", "/nc-split", &opts);
  assert_clean_response(r, 204);
  assert_int_equal(r->stray_size, strlen("late-body"));
  assert_string_equal(al_buf_str(&r->stray), "late-body");
  assert_int_equal(al_response_has_content_signal(r), 1);
  batch_free(&b);
}

/* libcurl closes this connection after the head; the body still comes. */
static void test_transfer_finds_late_body_before_close(void **state)
{
  (void)state;
  struct batch b;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.stray_wait_ms = 2000;
  struct al_response *r = run_one(&b, "GET", "/nc-split-close", &opts);
  assert_clean_response(r, 204);
  assert_string_equal(al_buf_str(&r->stray), "late-closing-body");
  assert_int_equal(r->stray_size, strlen("late-closing-body"));
  batch_free(&b);
}

/* "localhost" may resolve to ::1 first (refused here) and then 127.0.0.1:
 * the connection must still be found among the sockets libcurl opened. */
static void test_transfer_finds_late_body_via_localhost(void **state)
{
  (void)state;
  char url[128];
  snprintf(url, sizeof url, "http://localhost:%ld/nc-split", g_port);
  struct batch b;
  batch_init(&b, 1);
  batch_set_url(&b, 0, "GET", url);
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.stray_wait_ms = 2000;
  batch_run(&b, &opts);
  assert_clean_response(&b.res[0], 204);
  assert_string_equal(al_buf_str(&b.res[0].stray), "late-body");
  batch_free(&b);
}

static void test_transfer_finds_304_body(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/nm", NULL);
  assert_clean_response(r, 304);
  assert_int_equal(r->stray_size, strlen("not-modified-body"));
  assert_int_equal(al_response_has_content_signal(r), 1);
  batch_free(&b);
}

static void test_transfer_finds_head_body(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "HEAD", "/head-body", NULL);
  assert_clean_response(r, 200);
  assert_int_equal(r->body_size, 0);
  assert_int_equal(r->stray_size, strlen("head-body"));
  batch_free(&b);
}

static void test_transfer_finds_nothing_after_correct_204(void **state)
{
  (void)state;
  struct batch b;
  struct al_response *r = run_one(&b, "GET", "/nc-clean", NULL);
  assert_clean_response(r, 204);
  assert_int_equal(r->stray_size, 0);
  assert_int_equal(r->stray.len, 0);
  assert_int_equal(al_response_has_content_signal(r), 0);
  batch_free(&b);
}

/* Logged "OPTIONS *" requests whose Host is 'host' (with our port): each
 * test below names the server its own way (127.1 and 127.0.1 are
 * 127.0.0.1), so a sentinel of an earlier test, which the server may log
 * late, is not counted. */
static size_t sentinels_for(const char *host)
{
  char want[128];
  snprintf(want, sizeof want, "\tHost: %s:%ld\t", host, g_port);
  char *lines = log_lines_for("OPTIONS", "*");
  size_t n = 0;
  for (const char *at = lines; (at = strstr(at, want)) != NULL; at++)
    n++;
  assert_null(strstr(lines, "secret")); /* userinfo never in the Host */
  free(lines);
  return n;
}

/* After a correct 204 the watch asks "OPTIONS *" on that connection and
 * ends at its answer, which is not a stray byte. */
static void test_transfer_sentinel_answer_is_not_stray(void **state)
{
  (void)state;
  char url[128];
  snprintf(url, sizeof url, "http://u:secret@127.1:%ld/nc-clean", g_port);
  struct batch b;
  batch_init(&b, 1);
  batch_set_url(&b, 0, "GET", url);
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.stray_wait_ms = 5000; /* ended by the answer, long before */
  batch_run(&b, &opts);
  struct al_response *r = &b.res[0];
  assert_clean_response(r, 204);
  assert_int_equal(r->stray_size, 0);
  assert_int_equal(r->stray.len, 0);
  batch_free(&b);
  /* The server logs the sentinel once it has read it: by now it has
   * answered it, so the line is there. */
  assert_int_equal(sentinels_for("127.1"), 1);
}

/* GET 'path' answers 204 and then exactly 'stray' (kept and counted),
 * watched long enough that a loaded machine still sees a late body. */
static void expect_stray_after_204(const char *path, const char *stray)
{
  struct batch b;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.stray_wait_ms = 2000;
  struct al_response *r = run_one(&b, "GET", path, &opts);
  assert_clean_response(r, 204);
  assert_string_equal(al_buf_str(&r->stray), stray);
  assert_int_equal(r->stray_size, strlen(stray));
  batch_free(&b);
}

static void test_transfer_stray_ends_where_sentinel_answer_begins(void **state)
{
  (void)state;
  expect_stray_after_204("/nc-then-status", "early");
}

/* Stray bytes and then what may be the start of the sentinel's answer:
 * only the bytes before it are stray. */
static void test_transfer_stray_before_half_status_line(void **state)
{
  (void)state;
  expect_stray_after_204("/nc-then-half-status", "late-body");
}

/* Quiet on doubt: bytes that may be the start of the sentinel's answer
 * are no finding. */
static void test_transfer_half_status_line_is_not_stray(void **state)
{
  (void)state;
  expect_stray_after_204("/nc-half-status", "");
}

/* The sentinel's answer is known by its first bytes, whatever body_cap
 * keeps of it: a cap smaller than the answer finds nothing stray. */
static void test_transfer_sentinel_answer_bigger_than_cap(void **state)
{
  (void)state;
  struct batch b;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.body_cap = 10; /* the fixture's 404 to "OPTIONS *" is longer */
  opts.stray_wait_ms = 2000;
  struct al_response *r = run_one(&b, "GET", "/nc-clean", &opts);
  assert_clean_response(r, 204);
  assert_int_equal(r->stray_size, 0);
  assert_int_equal(r->stray.len, 0);
  batch_free(&b);
}

/* Run 'path' on the server named 'host' (another spelling of 127.0.0.1)
 * with 'opts'; a 204 without stray bytes is expected. */
static void run_clean_204_via(const char *host, const char *path,
                              struct al_transfer_opts *opts)
{
  char url[128];
  snprintf(url, sizeof url, "http://%s:%ld%s", host, g_port, path);
  struct batch b;
  batch_init(&b, 1);
  batch_set_url(&b, 0, "GET", url);
  batch_run(&b, opts);
  assert_clean_response(&b.res[0], 204);
  assert_int_equal(b.res[0].stray_size, 0);
  batch_free(&b);
  /* A sentinel would be logged before the server answered it; unanswered
   * within the watch it may still come: wait a little first. */
  struct timespec pause = {0, 100 * 1000 * 1000};
  nanosleep(&pause, NULL);
}

/* An answer that closes its connection gets no sentinel: the server would
 * leave it unread and reset the connection, losing a late body. */
static void test_transfer_no_sentinel_when_answer_closes(void **state)
{
  (void)state;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.stray_wait_ms = 50;
  run_clean_204_via("2130706433", "/nc-conn-close", &opts);
  assert_int_equal(sentinels_for("2130706433"), 0);
}

/* A rate-limit burst (no_sentinel) sends only the requests it planned. */
static void test_transfer_no_sentinel_when_told(void **state)
{
  (void)state;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.stray_wait_ms = 50;
  opts.no_sentinel = 1;
  run_clean_204_via("127.000.000.001", "/nc-clean", &opts);
  assert_int_equal(sentinels_for("127.000.000.001"), 0);
}

/* A paced run (--rate) sends nothing the pacer did not let start. */
static void test_transfer_paced_run_asks_no_sentinel(void **state)
{
  (void)state;
  char url[128];
  snprintf(url, sizeof url, "http://127.0.1:%ld/nc-clean-paced", g_port);
  struct al_rate rate = {1000, 1000}; /* 1000 a second: a pacer, no wait */
  struct al_pacer pacer;
  al_pacer_init(&pacer, &rate);
  struct batch b;
  batch_init(&b, 1);
  batch_set_url(&b, 0, "GET", url);
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.pacer = &pacer;
  opts.stray_wait_ms = 50;
  batch_run(&b, &opts);
  assert_clean_response(&b.res[0], 204);
  assert_int_equal(b.res[0].stray_size, 0);
  batch_free(&b);
  /* A sentinel would be logged before the server answered it; unanswered
   * in 50 ms it may still come: wait as long again first. */
  struct timespec pause = {0, 100 * 1000 * 1000};
  nanosleep(&pause, NULL);
  assert_int_equal(sentinels_for("127.0.1"), 0);
}

/* The bytes after a bodyless answer must not be read as the next response
 * on a reused keep-alive connection. */
static void test_transfer_next_request_after_stray_is_clean(void **state)
{
  (void)state;
  static const char *const paths[] = {"/nc-split", "/clean", "/nc-same",
                                      "/clean",    "/nm",    "/clean",
                                      "/nc-clean", "/clean"};
  size_t n = sizeof paths / sizeof paths[0];
  struct batch b;
  batch_init(&b, n);
  for (size_t i = 0; i < n; i++)
    batch_set(&b, i, "GET", paths[i]);
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.jobs = 1;
  opts.stray_wait_ms = 2000;
  batch_run(&b, &opts);
  for (size_t i = 1; i < n; i += 2) {
    assert_clean_response(&b.res[i], 200);
    assert_string_equal(al_buf_str(&b.res[i].body), "clean");
    assert_int_equal(b.res[i].stray_size, 0);
  }
  for (size_t i = 0; i < n; i += 2)
    assert_int_equal(b.res[i].transport_failed, 0);
  assert_true(b.res[0].stray_size > 0);
  assert_true(b.res[2].stray_size > 0);
  assert_true(b.res[4].stray_size > 0);
  assert_int_equal(b.res[6].stray_size, 0);
  /* Each 200 reused the connection it opened or was given; each bodyless
   * answer after a 200 came over that same connection, which then closed. */
  for (size_t i = 2; i < n; i++)
    assert_int_equal(b.res[i].reused_connection, i % 2 == 0);
  batch_free(&b);
}

/* Without watching at all, a connection that answered 204 is still never
 * reused, so a body that comes late cannot poison the next answer. */
static void test_transfer_never_reuses_bodyless_connection(void **state)
{
  (void)state;
  struct batch b;
  batch_init(&b, 2);
  batch_set(&b, 0, "GET", "/nc-split");
  batch_set(&b, 1, "GET", "/clean");
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.jobs = 1;
  opts.stray_wait_ms = 0;
  batch_run(&b, &opts);
  assert_clean_response(&b.res[0], 204);
  assert_clean_response(&b.res[1], 200);
  assert_string_equal(al_buf_str(&b.res[1].body), "clean");
  batch_free(&b);
}

static void test_transfer_sends_method_headers_and_body(void **state)
{
  (void)state;
  struct batch b;
  batch_init(&b, 1);
  batch_set(&b, 0, "POST", "/echo");
  struct al_request *q = &b.reqs[0];
  assert_int_equal(al_headers_add(&q->headers, "X-First", "1"), AL_OK);
  assert_int_equal(al_headers_add(&q->headers, "Accept", "application/json"),
                   AL_OK);
  assert_int_equal(al_headers_add(&q->headers, "X-Second", "2"), AL_OK);
  q->body = al_strdup("{}");
  q->body_len = 2;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.verbose = 1;
  batch_run(&b, &opts);
  struct al_response *r = &b.res[0];
  assert_clean_response(r, 201);
  assert_non_null(strstr(al_buf_str(&r->sent_head), "POST /echo HTTP/1.1"));
  assert_non_null(
      strstr(al_buf_str(&r->received_head), "HTTP/1.1 201 Created"));

  char *line = log_lines_for("POST", "/echo");
  assert_int_equal(count_lines(line), 1);
  const char *first = strstr(line, "\tX-First: 1");
  const char *accept = strstr(line, "\tAccept: application/json");
  const char *second = strstr(line, "\tX-Second: 2");
  assert_non_null(first);
  assert_non_null(accept);
  assert_non_null(second);
  assert_true(first < accept && accept < second);
  assert_non_null(strstr(line, "\tUser-Agent: apilint/" AL_VERSION));
  assert_non_null(strstr(line, "\tContent-Length: 2"));
  assert_null(strstr(line, "*/*"));
  assert_null(strstr(line, "Expect"));
  assert_null(strstr(line, "Content-Type"));
  free(line);
  batch_free(&b);
}

/* ---- the request head is libcurl's own ---- */

static int keep_head_out(CURL *e, curl_infotype type, char *data, size_t size,
                         void *userp)
{
  (void)e;
  if (type == CURLINFO_HEADER_OUT)
    assert_int_equal(al_buf_append(userp, data, size), AL_OK);
  return 0;
}

static size_t discard_body(char *data, size_t size, size_t n, void *userp)
{
  (void)data;
  (void)userp;
  return size * n;
}

/* The head libcurl itself writes for GET 'path' with apilint's User-Agent,
 * every decoder it has (CURLOPT_ACCEPT_ENCODING "") and 'field' (NULL:
 * none) as the one header of its list. */
static void libcurl_head(const char *path, const char *field,
                         struct al_buf *out)
{
  char url[256];
  snprintf(url, sizeof url, "http://127.0.0.1:%ld%s", g_port, path);
  CURL *e = curl_easy_init();
  assert_non_null(e);
  struct curl_slist *list = NULL;
  if (field)
    assert_non_null(list = curl_slist_append(NULL, field));
  curl_easy_setopt(e, CURLOPT_URL, url);
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "apilint/" AL_VERSION);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, keep_head_out);
  curl_easy_setopt(e, CURLOPT_DEBUGDATA, (void *)out);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body);
  assert_int_equal(curl_easy_perform(e), CURLE_OK);
  curl_easy_cleanup(e);
  curl_slist_free_all(list);
}

/* apilint writes the User-Agent, Accept and Accept-Encoding lines itself
 * (transfer.c defaults_in_list): the head it sends must be, to the byte,
 * the one libcurl writes from its own options, whether the request has
 * headers of its own or replaces one of those three. */
static void test_transfer_head_is_what_libcurl_writes(void **state)
{
  (void)state;
  static const struct {
    const char *name, *value;
  } fields[] = {{NULL, NULL},
                {"X-First", "1"},
                {"User-Agent", "mine/1"},
                {"accept", "text/plain"},
                {"Accept-Encoding", "gzip"},
                {"Accept-Encoding", ""}};
  size_t n = sizeof fields / sizeof fields[0];
  struct batch b;
  batch_init(&b, n);
  for (size_t i = 0; i < n; i++) {
    batch_set(&b, i, "GET", "/clean");
    if (fields[i].name)
      assert_int_equal(
          al_headers_add(&b.reqs[i].headers, fields[i].name, fields[i].value),
          AL_OK);
  }
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.verbose = 1;
  opts.jobs = 1;
  batch_run(&b, &opts);
  for (size_t i = 0; i < n; i++) {
    assert_clean_response(&b.res[i], 200);
    /* libcurl's own "Name;" for an empty value, as transfer.c writes it. */
    char field[64] = "";
    const char *name = fields[i].name, *value = fields[i].value;
    if (name && value[0])
      snprintf(field, sizeof field, "%s: %s", name, value);
    else if (name)
      snprintf(field, sizeof field, "%s;", name);
    struct al_buf want;
    al_buf_init(&want);
    libcurl_head("/clean", name ? field : NULL, &want);
    assert_string_equal(al_buf_str(&b.res[i].sent_head), al_buf_str(&want));
    al_buf_cleanup(&want);
  }
  /* The lines are really there (the comparison is not of two empty
   * strings). */
  const char *head = al_buf_str(&b.res[0].sent_head);
  assert_non_null(strstr(head, "\r\nUser-Agent: apilint/" AL_VERSION "\r\n"));
  assert_non_null(strstr(head, "\r\nAccept: */*\r\n"));
  assert_non_null(strstr(head, "\r\nAccept-Encoding: "));
  assert_non_null(
      strstr(al_buf_str(&b.res[2].sent_head), "User-Agent: mine/1"));
  assert_null(strstr(al_buf_str(&b.res[2].sent_head), "apilint/"));
  batch_free(&b);
}

/* A slot's easy handle keeps its options from one plain request to the
 * next (transfer.c can_reuse_handle): nothing a request set may reach the
 * next one. After a POST with a body and a header, a GET sends neither;
 * after a GET with a header, the next GET sends none; after a HEAD, a GET
 * reads its body; each answer is its own. */
static void test_transfer_reused_handle_keeps_nothing_of_the_last(void **state)
{
  (void)state;
  struct batch b;
  batch_init(&b, 8);
  batch_set(&b, 0, "GET", "/reuse-plain"); /* a new connection */
  batch_set(&b, 1, "GET", "/reuse-plain"); /* reused: the handle may be */
  batch_set(&b, 2, "POST", "/echo");
  assert_int_equal(al_headers_add(&b.reqs[2].headers, "X-First", "1"), AL_OK);
  b.reqs[2].body = al_strdup("{}");
  b.reqs[2].body_len = 2;
  batch_set(&b, 3, "GET", "/reuse-plain");
  batch_set(&b, 4, "GET", "/reuse-headers");
  assert_int_equal(al_headers_add(&b.reqs[4].headers, "X-Only", "4"), AL_OK);
  b.reqs[4].timeout_ms = 5000;
  batch_set(&b, 5, "GET", "/reuse-plain");
  batch_set(&b, 6, "HEAD", "/head-body");
  batch_set(&b, 7, "GET", "/reuse-plain");
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.jobs = 1;
  opts.stray_wait_ms = 0;
  batch_run(&b, &opts);
  for (size_t i = 0; i < 8; i++) {
    long want = i == 2 ? 201 : 200;
    assert_clean_response(&b.res[i], want);
  }
  static const size_t plain[] = {0, 1, 3, 5, 7};
  for (size_t k = 0; k < sizeof plain / sizeof *plain; k++) {
    assert_string_equal(al_buf_str(&b.res[plain[k]].body), "plain");
    assert_null(al_headers_get(&b.res[plain[k]].headers, "X-Seen"));
  }
  assert_string_equal(al_buf_str(&b.res[4].body), "headers");
  assert_string_equal(al_headers_get(&b.res[4].headers, "X-Seen"), "yes");
  assert_int_equal(b.res[6].body_size, 0);
  assert_true(b.res[1].reused_connection);

  char *lines = log_lines_for("GET", "/reuse-plain");
  assert_int_equal(count_lines(lines), 5);
  assert_null(strstr(lines, "X-First"));
  assert_null(strstr(lines, "X-Only"));
  assert_null(strstr(lines, "Content-Length"));
  assert_null(strstr(lines, "Content-Type"));
  free(lines);
  lines = log_lines_for("GET", "/reuse-headers");
  assert_int_equal(count_lines(lines), 1);
  assert_non_null(strstr(lines, "\tX-Only: 4"));
  assert_null(strstr(lines, "X-First"));
  free(lines);
  lines = log_lines_for("POST", "/echo");
  assert_non_null(strstr(lines, "\tX-First: 1"));
  free(lines);
  batch_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_transfer_keeps_spec_order_at_jobs_16),
      cmocka_unit_test(test_transfer_keeps_headers_in_order_with_repeats),
      cmocka_unit_test(test_transfer_keeps_only_final_head_after_1xx),
      cmocka_unit_test(test_transfer_does_not_follow_redirects),
      cmocka_unit_test(test_transfer_caps_body_and_counts_true_size),
      cmocka_unit_test(test_transfer_stops_endless_body_at_read_limit),
      cmocka_unit_test(test_transfer_bounds_gzip_bomb_after_decoding),
      cmocka_unit_test(test_transfer_caps_thousands_of_headers),
      cmocka_unit_test(test_transfer_reports_non_http_status_line),
      cmocka_unit_test(test_transfer_reports_status_above_599),
      cmocka_unit_test(test_transfer_names_oversized_header_line),
      cmocka_unit_test(test_transfer_names_garbage_after_gzip),
      cmocka_unit_test(test_transfer_reports_1xx_then_close),
      cmocka_unit_test(test_transfer_reports_1xx_then_silence),
      cmocka_unit_test(test_transfer_keeps_head_of_truncated_body),
      cmocka_unit_test(test_transfer_times_out_on_silent_server),
      cmocka_unit_test(test_transfer_reports_refused_connection),
      cmocka_unit_test(test_transfer_reports_tls_failure),
      cmocka_unit_test(test_transfer_rejects_non_http_scheme),
      cmocka_unit_test(test_transfer_finds_204_body_in_same_write),
      cmocka_unit_test(test_transfer_finds_204_body_before_close),
      cmocka_unit_test(test_transfer_finds_204_body_sent_late),
      cmocka_unit_test(test_transfer_finds_late_body_before_close),
      cmocka_unit_test(test_transfer_finds_late_body_via_localhost),
      cmocka_unit_test(test_transfer_finds_304_body),
      cmocka_unit_test(test_transfer_finds_head_body),
      cmocka_unit_test(test_transfer_finds_nothing_after_correct_204),
      cmocka_unit_test(test_transfer_next_request_after_stray_is_clean),
      cmocka_unit_test(test_transfer_sentinel_answer_is_not_stray),
      cmocka_unit_test(test_transfer_stray_ends_where_sentinel_answer_begins),
      cmocka_unit_test(test_transfer_half_status_line_is_not_stray),
      cmocka_unit_test(test_transfer_paced_run_asks_no_sentinel),
      cmocka_unit_test(test_transfer_sentinel_answer_bigger_than_cap),
      cmocka_unit_test(test_transfer_stray_before_half_status_line),
      cmocka_unit_test(test_transfer_no_sentinel_when_answer_closes),
      cmocka_unit_test(test_transfer_no_sentinel_when_told),
      cmocka_unit_test(test_transfer_never_reuses_bodyless_connection),
      cmocka_unit_test(test_transfer_sends_method_headers_and_body),
      cmocka_unit_test(test_transfer_reused_handle_keeps_nothing_of_the_last),
      cmocka_unit_test(test_transfer_head_is_what_libcurl_writes),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
