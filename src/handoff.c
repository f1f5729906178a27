/* handoff.c - the producer/worker queue (see handoff.h). A ring of indexes
 * under one mutex, and a flag that says a batch is being worked on: the
 * thread that sets it works on its batch without the lock, the other one
 * keeps off. Each side signals the other only when it is known to be
 * waiting, and the worker only for a batch of work. */
/* SCHED_IDLE in <sched.h>. */
#define _GNU_SOURCE

#include "handoff.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#include "thread.h"

/* A waiting worker is woken when this many indexes are queued (or by a
 * nudge or the finish): one wake-up per answer costs more than the
 * judging it starts (10,000 answers: 6,660 futex calls, 0.5 s of system
 * time, against 40 with batches). */
#define WAKE_BATCH 32

/* The most the worker takes at once. Small: at its priority the worker
 * may be stopped for long in the middle of a batch, and a producer that
 * needs that batch done waits for it. */
#define WORKER_BATCH 8

/* The most the producer takes at once, when it does the work itself. */
#define PRODUCER_BATCH 64

struct al_handoff {
  pthread_mutex_t lock;
  pthread_cond_t work;     /* the worker waits here for an index */
  pthread_cond_t progress; /* the producer waits here for a batch to end */
  size_t *ring;            /* owned; 'capacity' indexes */
  size_t capacity;
  size_t head;          /* next to take */
  size_t queued;        /* how many after head */
  size_t done;          /* the published count */
  int busy;             /* a batch is being worked on, without the lock */
  int closed;           /* the worker is to return */
  int producer_in;      /* in a wait or the finish: the worker keeps off */
  int worker_waiting;   /* waiting on 'work' */
  int producer_waiting; /* waiting on 'progress' */
  al_handoff_fn fn;
  void *ctx;
  pthread_t thread;
};

/* Takes up to 'max' queued indexes into 'batch' and works on them with
 * the lock released; then publishes the count and wakes a waiting
 * producer. Called with the lock held, nothing busy and something
 * queued; returns with the lock held. */
static void work_batch(struct al_handoff *h, size_t *batch, size_t max)
{
  size_t n = 0;
  while (n < max && h->queued > 0) {
    batch[n++] = h->ring[h->head];
    h->head = (h->head + 1) % h->capacity;
    h->queued--;
  }
  h->busy = 1;
  pthread_mutex_unlock(&h->lock);
  size_t done = h->fn(h->ctx, batch, n);
  pthread_mutex_lock(&h->lock);
  h->busy = 0;
  if (done > h->done)
    h->done = done;
  if (h->producer_waiting)
    pthread_cond_broadcast(&h->progress);
}

/* The worker asks for CPU time nothing else wants (see handoff.h). Only a
 * help: where the system says no, it runs as any other thread. */
static void lower_priority(void)
{
#ifdef SCHED_IDLE
  struct sched_param none = {0};
  (void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
#endif
}

static void *worker_main(void *arg)
{
  struct al_handoff *h = arg;
  size_t batch[WORKER_BATCH];
  lower_priority();
  pthread_mutex_lock(&h->lock);
  for (;;) {
    /* (A batch is busy only on the producer, which is 'in' meanwhile.) */
    while (!h->closed && (h->queued == 0 || h->producer_in)) {
      h->worker_waiting = 1;
      pthread_cond_wait(&h->work, &h->lock);
    }
    h->worker_waiting = 0;
    if (h->closed)
      break;
    work_batch(h, batch, WORKER_BATCH);
  }
  pthread_mutex_unlock(&h->lock);
  return NULL;
}

/* The producer, lock held: works on what is queued, or waits for the
 * worker's batch to end, until the count reaches 'want' or nothing is
 * left to do. The worker keeps off meanwhile, and is woken after if
 * anything is queued still. */
static void help_until(struct al_handoff *h, size_t want)
{
  size_t batch[PRODUCER_BATCH];
  h->producer_in = 1;
  while (h->done < want) {
    if (h->busy) {
      h->producer_waiting = 1;
      pthread_cond_wait(&h->progress, &h->lock);
      h->producer_waiting = 0;
    } else if (h->queued > 0) {
      work_batch(h, batch, PRODUCER_BATCH);
    } else {
      break;
    }
  }
  h->producer_in = 0;
  if (h->worker_waiting && h->queued > 0)
    pthread_cond_signal(&h->work);
}

static void handoff_free(struct al_handoff *h)
{
  pthread_cond_destroy(&h->progress);
  pthread_cond_destroy(&h->work);
  pthread_mutex_destroy(&h->lock);
  free(h->ring);
  free(h);
}

enum al_code al_handoff_start(size_t capacity, const char *name,
                              al_handoff_fn fn, void *ctx,
                              struct al_handoff **out)
{
  *out = NULL;
  struct al_handoff *h = calloc(1, sizeof *h);
  if (!h)
    return AL_E_NOMEM;
  h->capacity = capacity ? capacity : 1;
  h->fn = fn;
  h->ctx = ctx;
  /* Each step undoes only what the ones before it made. */
  if (!(h->ring = calloc(h->capacity, sizeof *h->ring)))
    goto no_ring;
  if (pthread_mutex_init(&h->lock, NULL) != 0)
    goto no_lock;
  if (pthread_cond_init(&h->work, NULL) != 0)
    goto no_work;
  if (pthread_cond_init(&h->progress, NULL) != 0)
    goto no_progress;
  if (!al_thread_start(&h->thread, worker_main, h, name))
    goto no_thread;
  *out = h;
  return AL_OK;
no_thread:
  pthread_cond_destroy(&h->progress);
no_progress:
  pthread_cond_destroy(&h->work);
no_work:
  pthread_mutex_destroy(&h->lock);
no_lock:
  free(h->ring);
no_ring:
  free(h);
  return AL_E_NOMEM;
}

enum al_code al_handoff_put(struct al_handoff *h, size_t index)
{
  enum al_code rc = AL_OK;
  pthread_mutex_lock(&h->lock);
  if (h->queued == h->capacity) {
    rc = AL_E_INTERNAL;
  } else {
    h->ring[(h->head + h->queued) % h->capacity] = index;
    h->queued++;
    if (h->worker_waiting && h->queued >= WAKE_BATCH)
      pthread_cond_signal(&h->work);
  }
  pthread_mutex_unlock(&h->lock);
  return rc;
}

void al_handoff_nudge(struct al_handoff *h)
{
  pthread_mutex_lock(&h->lock);
  if (h->worker_waiting && h->queued > 0)
    pthread_cond_signal(&h->work);
  pthread_mutex_unlock(&h->lock);
}

size_t al_handoff_done(struct al_handoff *h)
{
  pthread_mutex_lock(&h->lock);
  size_t done = h->done;
  pthread_mutex_unlock(&h->lock);
  return done;
}

size_t al_handoff_wait_done(struct al_handoff *h, size_t want)
{
  pthread_mutex_lock(&h->lock);
  help_until(h, want);
  size_t done = h->done;
  pthread_mutex_unlock(&h->lock);
  return done;
}

void al_handoff_finish(struct al_handoff *h)
{
  if (!h)
    return;
  pthread_mutex_lock(&h->lock);
  help_until(h, SIZE_MAX);
  h->closed = 1;
  pthread_cond_signal(&h->work);
  pthread_mutex_unlock(&h->lock);
  pthread_join(h->thread, NULL);
  handoff_free(h);
}
