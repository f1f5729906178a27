/* handoff.h - a second thread for the work after an answer arrives.
 *
 * The transfer loop (the producer, on the main thread) puts the index of
 * each answered endpoint; the work on those indexes (judging, reporting)
 * is done in batches, in the order they were put, by a worker thread, and
 * by the producer itself whenever it would otherwise wait for the worker.
 * Never by both at once: one batch at a time, each batch after the one
 * before it. Each batch's work returns a count that only grows (how far
 * the work has got), which the producer reads to know which of its
 * buffers are free again, and may wait for.
 *
 * The worker runs at the lowest priority the system gives a thread of an
 * unprivileged process (SCHED_IDLE on Linux): it uses CPU time nothing
 * else wants, so it never slows the sending, or a server on the same
 * machine that the sending waits for. Where it gets too little time, the
 * producer's waits do the work: a run is never slower than doing it all
 * on one thread by more than the batch the worker holds.
 *
 * Everything the threads share goes through these calls (a mutex and two
 * condition variables): a put happens before the work on that index, and
 * the work behind a count happens before a read that sees that count. The
 * worker blocks every catchable signal, so signal handlers keep running
 * on the main thread. */
#ifndef AL_HANDOFF_H
#define AL_HANDOFF_H

#include <stddef.h>

#include "common.h"

struct al_handoff; /* opaque */

/* The work on 'n' indexes (n >= 1), oldest first, with 'ctx'. Called on
 * the worker thread or on the producer's, never on both at once. Returns
 * the count to publish (it must never be less than the last one). */
typedef size_t (*al_handoff_fn)(void *ctx, const size_t *batch, size_t n);

/* Starts a worker doing 'fn' with room for 'capacity' queued indexes
 * (the producer must never have more outstanding), named 'name' where the
 * system names threads (top -H, /proc/PID/task/TID/comm: at most 15
 * bytes). On success sets '*out'; AL_E_NOMEM when memory or the thread
 * cannot be had, and then nothing was started. */
enum al_code al_handoff_start(size_t capacity, const char *name,
                              al_handoff_fn fn, void *ctx,
                              struct al_handoff **out);

/* Producer: queues 'index'. Never waits. AL_E_INTERNAL when the queue is
 * full (the caller broke its bound); nothing is queued then. A waiting
 * worker is woken only once a batch is queued: the producer calls
 * al_handoff_nudge now and then so that a slow run's last few answers
 * do not wait for more. */
enum al_code al_handoff_put(struct al_handoff *h, size_t index);

/* Producer: wakes the worker if it waits while something is queued. */
void al_handoff_nudge(struct al_handoff *h);

/* Producer: the count last published (0 at first). */
size_t al_handoff_done(struct al_handoff *h);

/* Producer: until the published count is at least 'want', does the work
 * on what is queued itself, or waits for the batch the worker holds; then
 * returns the count. The caller must know the work gets there with what
 * is already queued; it returns early only when nothing is left to do. */
size_t al_handoff_wait_done(struct al_handoff *h, size_t want);

/* Producer: puts nothing more, does the work on whatever is still queued
 * (after the batch the worker holds), stops the worker and frees 'h'
 * (NULL-safe). */
void al_handoff_finish(struct al_handoff *h);

#endif
