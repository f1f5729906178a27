/* handoff.c - the producer/worker queue (see handoff.h). A ring of indexes
 * under one mutex. Each side signals the other only when it is known to
 * be waiting, and the worker only for a batch of work. */
#include "handoff.h"

#include <pthread.h>
#include <stdlib.h>

#include "thread.h"

/* A waiting worker is woken when this many indexes are queued (or by a
 * nudge, a wait or the finish): one wake-up per answer costs more than
 * the judging it starts (10,000 answers: 6,660 futex calls, 0.5 s of
 * system time, against 40 with batches). */
#define WAKE_BATCH 32

struct al_handoff {
  pthread_mutex_t lock;
  pthread_cond_t work;     /* the worker waits here for an index */
  pthread_cond_t progress; /* the producer waits here for a count */
  size_t *ring;            /* owned; 'capacity' indexes */
  size_t capacity;
  size_t head;          /* next to take */
  size_t queued;        /* how many after head */
  size_t done;          /* the worker's published count */
  int closed;           /* the producer has finished */
  int ended;            /* the worker has returned */
  int worker_waiting;   /* in al_handoff_take, nothing queued */
  int producer_waiting; /* in al_handoff_wait_done */
  al_handoff_fn fn;
  void *ctx;
  pthread_t thread;
};

static void *worker_main(void *arg)
{
  struct al_handoff *h = arg;
  h->fn(h, h->ctx);
  pthread_mutex_lock(&h->lock);
  h->ended = 1;
  pthread_cond_broadcast(&h->progress);
  pthread_mutex_unlock(&h->lock);
  return NULL;
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
  while (h->done < want && !h->ended) {
    if (h->worker_waiting && h->queued > 0) /* it may be what we wait on */
      pthread_cond_signal(&h->work);
    h->producer_waiting = 1;
    pthread_cond_wait(&h->progress, &h->lock);
  }
  h->producer_waiting = 0;
  size_t done = h->done;
  pthread_mutex_unlock(&h->lock);
  return done;
}

void al_handoff_finish(struct al_handoff *h)
{
  if (!h)
    return;
  pthread_mutex_lock(&h->lock);
  h->closed = 1;
  pthread_cond_signal(&h->work);
  pthread_mutex_unlock(&h->lock);
  pthread_join(h->thread, NULL);
  handoff_free(h);
}

size_t al_handoff_take(struct al_handoff *h, size_t *out, size_t max)
{
  pthread_mutex_lock(&h->lock);
  while (h->queued == 0 && !h->closed) {
    h->worker_waiting = 1;
    pthread_cond_wait(&h->work, &h->lock);
  }
  h->worker_waiting = 0;
  size_t n = 0;
  while (n < max && h->queued > 0) {
    out[n++] = h->ring[h->head];
    h->head = (h->head + 1) % h->capacity;
    h->queued--;
  }
  pthread_mutex_unlock(&h->lock);
  return n;
}

void al_handoff_publish(struct al_handoff *h, size_t done)
{
  pthread_mutex_lock(&h->lock);
  if (done > h->done)
    h->done = done;
  if (h->producer_waiting)
    pthread_cond_broadcast(&h->progress);
  pthread_mutex_unlock(&h->lock);
}
