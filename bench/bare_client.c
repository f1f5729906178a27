/* bare_client.c - the least any libcurl tool can cost, for bench/run.sh:
 * GET BASE/e/1 .. BASE/e/N through one multi handle, JOBS in flight,
 * connections reused, each status compared with 200, bodies discarded.
 *   bare_client BASE_URL N [JOBS [USER_AGENT]]
 * With USER_AGENT it sends the request head apilint sends (that
 * User-Agent, and the Accept-Encoding of libcurl's decoders), set the
 * cheapest way libcurl offers: its own options.
 * Prints "requests=N wrong=W" and exits 1 if any answer was not a 200. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

static size_t discard(char *p, size_t size, size_t n, void *u)
{
  (void)p;
  (void)u;
  return size * n;
}

static const char *user_agent; /* NULL: libcurl's plain head */

static void add(CURLM *multi, CURL *easy, const char *base, long i)
{
  char url[512];
  snprintf(url, sizeof url, "%s/e/%ld", base, i);
  curl_easy_setopt(easy, CURLOPT_URL, url); /* libcurl copies it */
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
  if (user_agent) {
    curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  }
  curl_multi_add_handle(multi, easy);
}

int main(int argc, char **argv)
{
  if (argc < 3)
    return fprintf(stderr,
                   "usage: bare_client BASE_URL N [JOBS [USER_AGENT]]\n"),
           2;
  const char *base = argv[1];
  long n = atol(argv[2]), jobs = argc > 3 ? atol(argv[3]) : 8, next = 1;
  long done = 0, wrong = 0;
  user_agent = argc > 4 ? argv[4] : NULL;
  int running = 0;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM *multi = curl_multi_init();
  for (long j = 0; j < jobs && next <= n; j++)
    add(multi, curl_easy_init(), base, next++);
  while (done < n) {
    curl_multi_perform(multi, &running);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(multi, &left))) {
      long status = 0;
      curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      wrong += m->data.result != CURLE_OK || status != 200;
      done++;
      CURL *easy = m->easy_handle;
      curl_multi_remove_handle(multi, easy);
      if (next <= n)
        add(multi, easy, base, next++); /* same handle: its connection */
      else
        curl_easy_cleanup(easy);
    }
    if (done < n)
      curl_multi_poll(multi, NULL, 0, 1000, NULL);
  }
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  printf("requests=%ld wrong=%ld\n", done, wrong);
  return wrong ? 1 : 0;
}
