/* probe_run.c - plans, sends and judges the probes of a lint run (see
 * probe_run.h). The planner (probe.c) decides what each probe sends; this
 * file decides when, and hands the answers to the engine. */
#include "probe_run.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "probe.h"
#include "strmap.h"

/* The probes of one endpoint. answers[i] holds plan.items[i].repeat
 * answers (NULL for an entry with a note), allocated when sending. */
struct endpoint_probes {
  struct al_probe_plan plan;
  struct al_response **answers; /* owned; plan.count of them once sent */
  size_t *sent;    /* owned; per plan item: requests sent (a stopped burst
                      sends fewer than its repeat) */
  int *stopped;    /* owned; per plan item: a burst stopped early */
  int unpaced;     /* its bursts went out while --rate paced the rest */
  char **declared; /* owned; methods declared for the path */
  size_t declared_count;
  struct al_probe_target target; /* borrows the above and the spec */
  int selected[16];              /* by index in al_probe_all() */
  int asked[16]; /* named by the spec or --probe, not just implied by
                    `apilint check` */
};

struct al_probe_run {
  const struct al_probe_run_endpoint *endpoints; /* borrowed */
  size_t count;
  struct endpoint_probes *eps; /* owned; one per endpoint */
  int check_mode;
  /* The endpoints grouped by path (index_paths), built once an endpoint
   * has a probe: path -> its first endpoint, and per endpoint the next on
   * its path (NO_NEXT at a group's end). Keys borrowed from the spec. */
  struct al_strmap path_first;
  size_t *path_next; /* owned; NULL until built */
};

/* ------------------------------------------------------------------ */
/* planning                                                           */

/* Length of 'path' without its query string. */
static size_t path_len(const char *path)
{
  return strcspn(path, "?#");
}

#define NO_NEXT ((size_t)-1)

/* Groups the run's endpoints by path (query string left out): the methods
 * declared for a path and the peers of a probe answer are then a walk of
 * one group. Scanning every endpoint for every endpoint made planning
 * quadratic (three quarters of a 10,000-endpoint run, with no probe on).
 * Each chain lists its endpoints in run order, as the scans did. */
static enum al_code index_paths(struct al_probe_run *pr)
{
  size_t n = pr->count ? pr->count : 1;
  size_t *last = malloc(n * sizeof *last);
  pr->path_next = malloc(n * sizeof *pr->path_next);
  enum al_code rc = last && pr->path_next ? AL_OK : AL_E_NOMEM;
  for (size_t k = 0; rc == AL_OK && k < pr->count; k++) {
    const char *path = pr->endpoints[k].endpoint->path;
    size_t head = 0;
    int added = 0;
    pr->path_next[k] = NO_NEXT;
    rc = al_strmap_add(&pr->path_first, path, path_len(path), k, &added, &head);
    if (rc != AL_OK)
      break;
    if (added) {
      last[k] = k;
    } else {
      pr->path_next[last[head]] = k;
      last[head] = k;
    }
  }
  free(last);
  return rc;
}

/* The first endpoint of the run on the path of endpoint 'k' (its group;
 * follow path_next). */
static size_t path_group(const struct al_probe_run *pr, size_t k)
{
  const char *path = pr->endpoints[k].endpoint->path;
  size_t first = k;
  al_strmap_get(&pr->path_first, path, path_len(path), &first);
  return first;
}

static int listed(char *const *list, size_t n, const char *s)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

/* Every method the endpoint's spec declares for its path: probes may send
 * these, whatever they are, because the spec's author said they exist. */
static enum al_code collect_declared(const struct al_probe_run *pr, size_t k)
{
  struct endpoint_probes *ep = &pr->eps[k];
  const struct al_spec *spec = pr->endpoints[k].spec;
  for (size_t o = path_group(pr, k); o != NO_NEXT; o = pr->path_next[o]) {
    const struct al_probe_run_endpoint *other = &pr->endpoints[o];
    if (other->spec != spec ||
        listed(ep->declared, ep->declared_count, other->endpoint->method))
      continue;
    char **grown =
        realloc(ep->declared, (ep->declared_count + 1) * sizeof *ep->declared);
    if (!grown)
      return AL_E_NOMEM;
    ep->declared = grown;
    if (!(ep->declared[ep->declared_count] =
              al_strdup(other->endpoint->method)))
      return AL_E_NOMEM;
    ep->declared_count++;
  }
  return AL_OK;
}

/* Whether any probe is selected: without one, nothing is planned at all. */
static int any_selected(const struct endpoint_probes *ep)
{
  for (size_t i = 0; i < sizeof ep->selected / sizeof *ep->selected; i++)
    if (ep->selected[i])
      return 1;
  return 0;
}

static void select_probes(struct endpoint_probes *ep,
                          const struct al_endpoint *endpoint,
                          const struct al_probe_run_opts *opts)
{
  size_t n;
  const struct al_probe_def *defs = al_probe_all(&n);
  al_probe_select((const char *const *)endpoint->probes, endpoint->probe_count,
                  ep->asked);
  al_probe_select(opts->cli_probes, opts->cli_probe_count, ep->asked);
  for (size_t i = 0; i < n; i++)
    ep->selected[i] = ep->asked[i] || (opts->check_mode && defs[i].safe);
}

static void fill_target(struct endpoint_probes *ep,
                        const struct al_probe_run_endpoint *in,
                        const struct al_probe_run_opts *opts)
{
  struct al_probe_target *t = &ep->target;
  const struct al_endpoint *endpoint = in->endpoint;
  t->endpoint = endpoint;
  t->request = in->request;
  t->declared = (const char *const *)ep->declared;
  t->declared_count = ep->declared_count;
  t->probe_methods = (const char *const *)endpoint->probe_methods;
  t->probe_method_count = endpoint->probe_method_count;
  t->secret_headers = (const char *const *)in->spec->secret_headers;
  t->secret_header_count = in->spec->secret_header_count;
  /* --burst is a deliberate choice of the person running apilint: it wins
   * over the spec's `burst:`, as --enable/--disable win over `rules:`. */
  long burst = opts->cli_burst ? opts->cli_burst : endpoint->burst;
  t->burst = burst > 0 ? (size_t)burst : 0; /* 0: the planner's default */
}

static int safe_method(const char *method)
{
  return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
         strcmp(method, "OPTIONS") == 0;
}

static void drop_last(struct al_probe_plan *plan)
{
  struct al_probe_request *last = &plan->items[--plan->count];
  free(last->sent);
  free(last->note);
  al_request_cleanup(&last->request);
}

/* `apilint check` never repeats a request that could change data, not
 * even for a probe asked for by name (--probe all, --probe NAME): what the
 * probe planned from 'from' on that would send the endpoint's own method
 * again, when that method is not GET, HEAD or OPTIONS, becomes one note
 * saying so. (method-not-allowed sends another method, PATCH, without a
 * body: not a repeat.) A spec asks for such probes knowingly. */
static enum al_code keep_check_promise(struct endpoint_probes *ep, size_t from)
{
  const char *own = ep->target.request->method;
  int repeats = 0;
  for (size_t j = from; own && !safe_method(own) && j < ep->plan.count; j++) {
    const char *m = ep->plan.items[j].request.method;
    repeats |= m && strcmp(m, own) == 0;
  }
  if (!repeats)
    return AL_OK;
  while (ep->plan.count > from + 1)
    drop_last(&ep->plan);
  struct al_probe_request *it = &ep->plan.items[from];
  char *sent = al_strdup("");
  struct al_buf note;
  al_buf_init(&note);
  if (!sent ||
      al_buf_printf(&note,
                    "`apilint check` never repeats a %s (a request that "
                    "could change data); list the probe in a spec's "
                    "`probes:` to send it",
                    own) != AL_OK) {
    free(sent);
    al_buf_cleanup(&note);
    return AL_E_NOMEM;
  }
  free(it->sent);
  free(it->note);
  it->sent = sent;
  it->note = al_buf_detach(&note);
  al_request_cleanup(&it->request);
  it->repeat = 0;
  return AL_OK;
}

/* Plans the selected probes of one phase. A probe that `apilint check`
 * implies without being asked is quiet about what it cannot do (no
 * credentials to leave out...) and never repeats a request that could
 * change data (not-acceptable resending a POST): a quick look must be
 * harmless. */
static enum al_code plan_phase(struct endpoint_probes *ep,
                               enum al_probe_phase phase,
                               const struct al_response *own, int check_mode,
                               struct al_err *err)
{
  size_t n;
  const struct al_probe_def *defs = al_probe_all(&n);
  for (size_t i = 0; i < n && i < sizeof ep->selected / sizeof *ep->selected;
       i++) {
    if (!ep->selected[i] || defs[i].phase != phase)
      continue;
    size_t before = ep->plan.count;
    enum al_code rc =
        al_probe_plan_add(&ep->plan, &defs[i], &ep->target, own, err);
    if (rc != AL_OK)
      return rc;
    if (check_mode && ep->asked[i]) {
      rc = keep_check_promise(ep, before);
      if (rc != AL_OK)
        return rc;
      continue;
    }
    if (!check_mode)
      continue;
    /* Implied: keep only what is harmless and says something. */
    size_t kept = before;
    for (size_t j = before; j < ep->plan.count; j++) {
      struct al_probe_request *item = &ep->plan.items[j];
      int keep = !item->note && safe_method(item->request.method);
      if (keep && kept != j) {
        struct al_probe_request tmp = ep->plan.items[kept];
        ep->plan.items[kept] = *item;
        *item = tmp;
      }
      kept += keep;
    }
    while (ep->plan.count > kept)
      drop_last(&ep->plan);
  }
  return AL_OK;
}

enum al_code al_probe_run_plan(const struct al_probe_run_endpoint *endpoints,
                               size_t count,
                               const struct al_probe_run_opts *opts,
                               struct al_probe_run **out, struct al_err *err)
{
  *out = NULL;
  struct al_probe_run *pr = calloc(1, sizeof *pr);
  if (!pr || !(pr->eps = calloc(count ? count : 1, sizeof *pr->eps))) {
    free(pr);
    return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
  }
  pr->endpoints = endpoints;
  pr->count = count;
  pr->check_mode = opts->check_mode;
  al_strmap_init(&pr->path_first);
  for (size_t k = 0; k < count; k++)
    al_probe_plan_init(&pr->eps[k].plan);
  enum al_code rc = AL_OK;
  for (size_t k = 0; rc == AL_OK && k < count; k++) {
    struct endpoint_probes *ep = &pr->eps[k];
    select_probes(ep, endpoints[k].endpoint, opts);
    if (!any_selected(ep))
      continue;
    if (!pr->path_next)
      rc = index_paths(pr);
    if (rc == AL_OK)
      rc = collect_declared(pr, k);
    if (rc != AL_OK)
      break;
    fill_target(ep, &endpoints[k], opts);
    rc = plan_phase(ep, AL_PROBE_PHASE_FIRST, NULL, opts->check_mode, err);
    if (rc == AL_OK)
      rc = plan_phase(ep, AL_PROBE_PHASE_LAST, NULL, opts->check_mode, err);
  }
  if (rc != AL_OK) {
    if (rc == AL_E_NOMEM)
      al_err_set(err, rc, "", 0, 0, "out of memory");
    al_probe_run_free(pr);
    return rc;
  }
  *out = pr;
  return AL_OK;
}

/* ------------------------------------------------------------------ */
/* sending                                                            */

/* Where each request of a batch came from, so its answer goes home. */
struct slot {
  size_t endpoint, item, rep;
};

/* Phases sent in one batch: FIRST and AFTER together, LAST alone. */
static int in_batch(enum al_probe_phase phase, int last_batch)
{
  return last_batch ? phase == AL_PROBE_PHASE_LAST
                    : phase != AL_PROBE_PHASE_LAST;
}

/* The requests of plan item i still to send in this round: all of them,
 * or for a burst at most 'per_round', and none once it was stopped. */
static size_t round_share(const struct endpoint_probes *ep, size_t i,
                          int last_batch, size_t per_round)
{
  const struct al_probe_request *item = &ep->plan.items[i];
  if (!item->request.method || !in_batch(item->probe->phase, last_batch) ||
      ep->stopped[i])
    return 0;
  size_t left = item->repeat - ep->sent[i];
  return left < per_round ? left : per_round;
}

static size_t round_size(const struct al_probe_run *pr, int last_batch,
                         size_t per_round)
{
  size_t n = 0;
  for (size_t k = 0; k < pr->count; k++)
    for (size_t i = 0; i < pr->eps[k].plan.count; i++)
      n += round_share(&pr->eps[k], i, last_batch, per_round);
  return n;
}

/* Frees what a burst answer holds but what counting it needs: its status,
 * whether it came, whether its transfer failed. */
static void slim(struct al_response *res)
{
  struct al_response kept;
  al_response_init(&kept);
  kept.received = res->received;
  kept.status = res->status;
  kept.transport_failed = res->transport_failed;
  kept.elapsed_ms = res->elapsed_ms;
  al_response_cleanup(res);
  *res = kept;
}

/* Of a burst's answers so far only those al_probe_burst_pick could still
 * choose stay whole (the first 429, 503 and failure, and the last); the
 * rest are counted, not kept. */
static void slim_burst(struct endpoint_probes *ep, size_t i)
{
  size_t n = ep->sent[i];
  struct al_response *a = ep->answers[i];
  size_t keep[4] = {n, n, n, n ? n - 1 : 0};
  for (size_t r = 0; r < n; r++) {
    if (keep[0] == n && a[r].received && a[r].status == 429)
      keep[0] = r;
    if (keep[1] == n && a[r].received && a[r].status == 503)
      keep[1] = r;
    if (keep[2] == n && (!a[r].received || a[r].transport_failed))
      keep[2] = r;
  }
  for (size_t r = 0; r < n; r++)
    if (r != keep[0] && r != keep[1] && r != keep[2] && r != keep[3])
      slim(&a[r]);
}

/* After a round: a burst none of whose requests in it got an answer is
 * stopped. A server that no longer answers would otherwise cost burst x
 * timeout / jobs (21 minutes for 1000 at 10 s and 8 jobs). */
static void account_round(struct al_probe_run *pr, const struct slot *slots,
                          size_t n, int last_batch)
{
  for (size_t j = 0; j < n;) {
    struct endpoint_probes *ep = &pr->eps[slots[j].endpoint];
    size_t i = slots[j].item, answered = 0, count = 0;
    for (; j < n && &pr->eps[slots[j].endpoint] == ep && slots[j].item == i;
         j++, count++)
      answered += ep->answers[i][slots[j].rep].received;
    ep->sent[i] += count;
    if (!last_batch)
      continue;
    slim_burst(ep, i);
    if (answered == 0 && ep->sent[i] < ep->plan.items[i].repeat)
      ep->stopped[i] = 1;
  }
}

/* Whether the answer to 'r' may well have no body: a HEAD, or a request
 * with a validator a server answers with 304. Such an answer is watched
 * for stray bytes for a while after its head (transfer.h, stray_wait_ms),
 * so these go first in a round: their watches then pass while the rest is
 * sent, not after it. */
static int may_answer_bodyless(const struct al_request *r)
{
  return (r->method && strcmp(r->method, "HEAD") == 0) ||
         al_headers_get(&r->headers, "If-None-Match") ||
         al_headers_get(&r->headers, "If-Modified-Since");
}

/* Sends one round: every request of the batch that is due, at most
 * 'per_round' of each burst, those that may be answered without a body
 * first (may_answer_bodyless). Sets *sent_any. */
static enum al_code send_round(struct al_probe_run *pr, int last_batch,
                               size_t per_round,
                               const struct al_transfer_opts *topts,
                               int *sent_any, struct al_err *err)
{
  size_t n = round_size(pr, last_batch, per_round);
  *sent_any = n > 0;
  if (n == 0)
    return AL_OK;
  /* Shallow copies: transfer.c only reads the requests, which stay owned
   * by the plans. */
  struct al_request *reqs = calloc(n, sizeof *reqs);
  struct al_response *res = calloc(n, sizeof *res);
  struct slot *slots = calloc(n, sizeof *slots);
  enum al_code rc = AL_E_NOMEM;
  if (!reqs || !res || !slots)
    goto out;
  size_t j = 0;
  for (int bodyless = 1; bodyless >= 0; bodyless--) {
    for (size_t k = 0; k < pr->count; k++) {
      const struct endpoint_probes *ep = &pr->eps[k];
      for (size_t i = 0; i < ep->plan.count; i++) {
        const struct al_request *req = &ep->plan.items[i].request;
        size_t share = round_share(ep, i, last_batch, per_round);
        if (share == 0 || may_answer_bodyless(req) != bodyless)
          continue;
        for (size_t r = 0; r < share; r++, j++) {
          reqs[j] = *req;
          al_response_init(&res[j]);
          slots[j] = (struct slot){k, i, ep->sent[i] + r};
        }
      }
    }
  }
  rc = al_transfer_run(reqs, res, n, topts, err);
  /* Answers move home whatever happened, so each is freed exactly once. */
  for (j = 0; j < n; j++)
    pr->eps[slots[j].endpoint].answers[slots[j].item][slots[j].rep] = res[j];
  account_round(pr, slots, n, last_batch);
out:
  if (rc == AL_E_NOMEM)
    al_err_set(err, rc, "", 0, 0, "out of memory");
  free(reqs);
  free(res);
  free(slots);
  return rc;
}

/* The probe requests but the bursts go in one round. The bursts follow in
 * rounds of --jobs requests each, so one that meets a dead server stops
 * after a round, and with smaller caps: a thousand answers are counted,
 * one is judged, and a hostile server must not make them cost gigabytes. */
static enum al_code send_batches(struct al_probe_run *pr,
                                 const struct al_transfer_opts *topts,
                                 struct al_err *err)
{
  int sent_any = 0;
  enum al_code rc = send_round(pr, 0, (size_t)-1, topts, &sent_any, err);
  struct al_transfer_opts burst = *topts;
  if (burst.body_cap == 0 || burst.body_cap > 64u * 1024u)
    burst.body_cap = 64u * 1024u;
  if (burst.header_cap == 0 || burst.header_cap > 200)
    burst.header_cap = 200;
  /* --rate paces everything but the burst: a limit is only tested by
   * requests that arrive together (the probe's explain says so). */
  burst.pacer = NULL;
  /* A burst is the requests the limiter should count: no more. */
  burst.no_sentinel = 1;
  if (topts->pacer && topts->pacer->interval_ms > 0) {
    for (size_t k = 0; k < pr->count; k++)
      pr->eps[k].unpaced = 1;
  }
  size_t per_round = topts->jobs > 0 ? (size_t)topts->jobs : 1;
  /* Each round sends at least one request of a burst or stops it, and a
   * burst has at most AL_PROBE_BURST_MAX: the loop ends. */
  do
    if (rc == AL_OK)
      rc = send_round(pr, 1, per_round, &burst, &sent_any, err);
  while (rc == AL_OK && sent_any);
  return rc;
}

static enum al_code alloc_answers(struct endpoint_probes *ep)
{
  const struct al_probe_plan *plan = &ep->plan;
  size_t n = plan->count ? plan->count : 1;
  ep->answers = calloc(n, sizeof *ep->answers);
  ep->sent = calloc(n, sizeof *ep->sent);
  ep->stopped = calloc(n, sizeof *ep->stopped);
  if (!ep->answers || !ep->sent || !ep->stopped)
    return AL_E_NOMEM;
  for (size_t i = 0; i < plan->count; i++) {
    size_t reps = plan->items[i].request.method ? plan->items[i].repeat : 0;
    if (reps == 0)
      continue;
    ep->answers[i] = calloc(reps, sizeof *ep->answers[i]);
    if (!ep->answers[i])
      return AL_E_NOMEM;
    for (size_t r = 0; r < reps; r++)
      al_response_init(&ep->answers[i][r]);
  }
  return AL_OK;
}

/* An endpoint whose own request could not reach its server (refused, DNS,
 * TLS, or no answer within its timeout) gets none of its probes sent: they
 * would only fail the same way and repeat its transport error once per probe.
 * Each planned request becomes an entry with a note instead, so the reports
 * still say what was not sent, and why. */
static enum al_code hold_back(struct endpoint_probes *ep)
{
  for (size_t i = 0; i < ep->plan.count; i++) {
    struct al_probe_request *item = &ep->plan.items[i];
    if (item->note)
      continue;
    char *note = al_strdup("the endpoint itself got no answer");
    char *sent = al_strdup("");
    if (!note || !sent) {
      free(note);
      free(sent);
      return AL_E_NOMEM;
    }
    al_request_cleanup(&item->request);
    free(item->sent);
    item->sent = sent;
    item->note = note;
    item->repeat = 0;
  }
  return AL_OK;
}

/* curl's codes for "could not reach it": COULDNT_RESOLVE_PROXY 5, _HOST 6,
 * COULDNT_CONNECT 7, OPERATION_TIMEDOUT 28, SSL_CONNECT_ERROR 35,
 * PEER_FAILED_VERIFICATION 60. A server that answered badly (a broken
 * status line) was reached: its probes are sent. */
static int unreached(const struct al_response *res)
{
  if (!res || res->received || res->interim_count > 0)
    return 0;
  int c = res->curl_code;
  return c == 5 || c == 6 || c == 7 || c == 28 || c == 35 || c == 60;
}

enum al_code al_probe_run_send(struct al_probe_run *pr,
                               const struct al_transfer_opts *topts,
                               struct al_err *err)
{
  /* The conditional probes need the endpoints' own answers, which are in
   * now; planning them first lets them share the first batch. */
  for (size_t k = 0; k < pr->count; k++) {
    enum al_code rc =
        plan_phase(&pr->eps[k], AL_PROBE_PHASE_AFTER, pr->endpoints[k].response,
                   pr->check_mode, err);
    if (rc == AL_OK && unreached(pr->endpoints[k].response))
      rc = hold_back(&pr->eps[k]);
    if (rc == AL_OK)
      rc = alloc_answers(&pr->eps[k]);
    if (rc != AL_OK) {
      if (rc == AL_E_NOMEM)
        al_err_set(err, rc, "", 0, 0, "out of memory");
      return rc;
    }
  }
  return send_batches(pr, topts, err);
}

/* ------------------------------------------------------------------ */
/* judging                                                            */

/* The answer that stands for plan item 'i' (a burst's pick). */
static size_t judged_answer(const struct endpoint_probes *ep, size_t i)
{
  return ep->sent[i] > 1 ? al_probe_burst_pick(ep->answers[i], ep->sent[i]) : 0;
}

static int is_burst(const struct al_probe_request *item)
{
  return item->probe->phase == AL_PROBE_PHASE_LAST;
}

/* "200 x43, 429 x7", and why a stopped burst sent fewer than asked. */
static enum al_code burst_statuses(struct al_probe_result *out,
                                   const struct endpoint_probes *ep, size_t i)
{
  char *counts = al_probe_burst_statuses(ep->answers[i], ep->sent[i]);
  if (counts && ep->unpaced) {
    struct al_buf u;
    al_buf_init(&u);
    enum al_code urc =
        al_buf_printf(&u, "%s; sent at once, not paced by --rate", counts);
    free(counts);
    counts = urc == AL_OK ? al_buf_detach(&u) : NULL;
    al_buf_cleanup(&u);
  }
  if (!counts || !ep->stopped[i]) {
    out->statuses = counts;
    return counts ? AL_OK : AL_E_NOMEM;
  }
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = al_buf_printf(
      &b, "%s; stopped after %zu of %zu: the server no longer answered", counts,
      ep->sent[i], ep->plan.items[i].repeat);
  free(counts);
  out->statuses = rc == AL_OK ? al_buf_detach(&b) : NULL;
  al_buf_cleanup(&b);
  return out->statuses ? AL_OK : AL_E_NOMEM;
}

static enum al_code fill_result(struct al_probe_result *out,
                                const struct endpoint_probes *ep, size_t i)
{
  const struct al_probe_request *item = &ep->plan.items[i];
  out->probe = al_strdup(item->probe->name);
  out->step = al_strdup(item->step);
  out->sent = al_strdup(item->sent ? item->sent : "");
  if (!out->probe || !out->step || !out->sent)
    return AL_E_NOMEM;
  if (item->note)
    return (out->note = al_strdup(item->note)) ? AL_OK : AL_E_NOMEM;
  out->request = &item->request;
  out->response = &ep->answers[i][judged_answer(ep, i)];
  out->sent_count = ep->sent[i];
  if (is_burst(item))
    return burst_statuses(out, ep, i);
  return AL_OK;
}

/* 1 when 'own' (the endpoint's results) has a finding of rule 'id' with
 * this message. */
static int endpoint_said(const struct al_endpoint_result *own, const char *id,
                         const char *message)
{
  for (size_t i = 0; i < own->result_count; i++) {
    const struct al_rule_result *rr = &own->results[i];
    if (strcmp(rr->rule_id, id) != 0)
      continue;
    for (size_t f = 0; f < rr->finding_count; f++)
      if (strcmp(rr->findings[f].message, message) == 0)
        return 1;
  }
  return 0;
}

/* Drops from a probe's results every failed rule whose findings all repeat,
 * word for word, findings of the endpoint's own answer: the same Server
 * version or the same missing Allow on every probe answer says nothing
 * new, and a linter that repeats itself gets switched off. The endpoint
 * keeps the finding; the probe keeps what is its own. */
static void drop_repeats(struct al_probe_result *pr,
                         const struct al_endpoint_result *own)
{
  size_t kept = 0;
  for (size_t i = 0; i < pr->result_count; i++) {
    struct al_rule_result *rr = &pr->results[i];
    int repeat = rr->outcome == AL_OUTCOME_FAIL && rr->finding_count > 0;
    for (size_t f = 0; repeat && f < rr->finding_count; f++)
      repeat = endpoint_said(own, rr->rule_id, rr->findings[f].message);
    if (repeat) {
      al_rule_result_cleanup(rr);
      continue;
    }
    pr->results[kept++] = *rr;
  }
  pr->result_count = kept;
}

enum al_code al_probe_run_judge(const struct al_probe_run *pr, size_t index,
                                const struct al_ruleset *rs,
                                const struct al_rule_config *cfg,
                                const struct al_redactor *redactor,
                                struct al_endpoint_result *er)
{
  const struct endpoint_probes *ep = &pr->eps[index];
  const struct al_probe_run_endpoint *own = &pr->endpoints[index];
  size_t n = ep->plan.count;
  if (n == 0)
    return AL_OK;
  /* The peers: the endpoint's own exchange, those of the spec's other
   * endpoints on the same path (POST /users is a method of /users too),
   * then every judged probe one. */
  size_t group = 0;
  for (size_t k = path_group(pr, index); k != NO_NEXT; k = pr->path_next[k])
    group++;
  const struct al_request **peer_reqs =
      calloc(n + group + 1, sizeof *peer_reqs);
  const struct al_response **peer_res = calloc(n + group + 1, sizeof *peer_res);
  enum al_code rc = AL_E_NOMEM;
  if (!peer_reqs || !peer_res)
    goto out;
  size_t peers = 0;
  peer_reqs[peers] = own->request;
  peer_res[peers++] = own->response;
  for (size_t k = path_group(pr, index); k != NO_NEXT; k = pr->path_next[k]) {
    const struct al_probe_run_endpoint *other = &pr->endpoints[k];
    if (k != index && other->spec == own->spec) {
      peer_reqs[peers] = other->request;
      peer_res[peers++] = other->response;
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (ep->plan.items[i].note)
      continue;
    peer_reqs[peers] = &ep->plan.items[i].request;
    peer_res[peers++] = &ep->answers[i][judged_answer(ep, i)];
  }
  /* Report order follows the probe table (RULES.md order), whatever
   * phase planned an entry. */
  size_t ndefs;
  const struct al_probe_def *defs = al_probe_all(&ndefs);
  rc = AL_OK;
  for (size_t d = 0; rc == AL_OK && d < ndefs; d++) {
    for (size_t i = 0; rc == AL_OK && i < n; i++) {
      if (ep->plan.items[i].probe != &defs[d])
        continue;
      struct al_probe_result *res = al_endpoint_result_add_probe(er);
      if (!res) {
        rc = AL_E_NOMEM;
        break;
      }
      rc = fill_result(res, ep, i);
      if (rc != AL_OK || res->note)
        continue;
      struct al_probe_context ctx = {res->probe,    res->step, own->request,
                                     own->response, peer_reqs, peer_res,
                                     peers};
      rc = al_engine_eval_probe(rs, cfg, res->request, res->response, &ctx,
                                redactor, res);
      if (rc == AL_OK)
        drop_repeats(res, er);
    }
  }
out:
  free(peer_reqs);
  free(peer_res);
  return rc;
}

enum al_code al_probe_run_describe(const struct al_probe_run *pr, size_t index,
                                   const struct al_redactor *redactor,
                                   struct al_buf *out, size_t *requests)
{
  if (!pr || index >= pr->count)
    return AL_OK;
  const struct endpoint_probes *ep = &pr->eps[index];
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < ep->plan.count; i++) {
    const struct al_probe_request *item = &ep->plan.items[i];
    if (item->note || !item->request.method) {
      rc = al_buf_printf(out, "  probe %s: sends nothing: %s\n",
                         item->probe->name, item->note ? item->note : "");
      continue;
    }
    const struct al_request *r = &item->request;
    rc = al_buf_printf(out, "  probe %s%s%s: %s %s\n", item->probe->name,
                       item->step ? "/" : "", item->step ? item->step : "",
                       r->method, r->url);
    if (rc == AL_OK && item->repeat > 1)
      rc = al_buf_printf(out, "    (x %zu, in rounds of --jobs)\n",
                         item->repeat);
    for (size_t h = 0; rc == AL_OK && h < r->headers.count; h++)
      rc = al_buf_printf(out, "    %s: %s\n", r->headers.items[h].name,
                         al_redact_header(redactor, r->headers.items[h].name,
                                          r->headers.items[h].value));
    if (rc == AL_OK && r->body)
      rc = al_buf_printf(out, "    (body: %zu bytes)\n", r->body_len);
    *requests += item->repeat;
  }
  size_t n;
  const struct al_probe_def *defs = al_probe_all(&n);
  for (size_t i = 0;
       rc == AL_OK && i < n && i < sizeof ep->selected / sizeof *ep->selected;
       i++) {
    if (ep->selected[i] && defs[i].phase == AL_PROBE_PHASE_AFTER)
      rc = al_buf_printf(out,
                         "  probe %s: planned from the endpoint's answer (sent "
                         "only when it carries an ETag or Last-Modified)\n",
                         defs[i].name);
  }
  return rc;
}

int al_probe_run_has_probes(const struct al_probe_run *pr, size_t index)
{
  if (!pr || index >= pr->count)
    return 0;
  const struct endpoint_probes *ep = &pr->eps[index];
  if (ep->plan.count > 0)
    return 1;
  for (size_t i = 0; i < sizeof ep->selected / sizeof ep->selected[0]; i++)
    if (ep->selected[i])
      return 1;
  return 0;
}

int al_probe_run_any(const struct al_probe_run *pr)
{
  for (size_t k = 0; pr && k < pr->count; k++)
    if (al_probe_run_has_probes(pr, k))
      return 1;
  return 0;
}

void al_probe_run_free(struct al_probe_run *pr)
{
  if (!pr)
    return;
  for (size_t k = 0; k < pr->count; k++) {
    struct endpoint_probes *ep = &pr->eps[k];
    for (size_t i = 0; ep->answers && i < ep->plan.count; i++) {
      const struct al_probe_request *item = &ep->plan.items[i];
      for (size_t r = 0; ep->answers[i] && r < item->repeat; r++)
        al_response_cleanup(&ep->answers[i][r]);
      free(ep->answers[i]);
    }
    free(ep->answers);
    free(ep->sent);
    free(ep->stopped);
    al_probe_plan_cleanup(&ep->plan);
    for (size_t i = 0; i < ep->declared_count; i++)
      free(ep->declared[i]);
    free(ep->declared);
  }
  free(pr->eps);
  al_strmap_cleanup(&pr->path_first);
  free(pr->path_next);
  free(pr);
}
