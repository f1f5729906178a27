/* handoff.h - a second thread for the work after an answer arrives.
 *
 * The transfer loop (the producer, on the main thread) puts the index of
 * each answered endpoint; a worker thread (the consumer) takes them, does
 * its work on them, and publishes how far it has got, a count that only
 * grows. The producer reads that count to know which of its buffers the
 * worker is done with, and may wait for it to reach a value.
 *
 * Everything the two threads share goes through these calls (a mutex and
 * two condition variables): a put happens before the take that returns
 * it, and whatever the worker did before publishing a count happens
 * before a read that sees that count. The worker blocks every catchable
 * signal, so signal handlers keep running on the main thread. */
#ifndef AL_HANDOFF_H
#define AL_HANDOFF_H

#include <stddef.h>

#include "common.h"

struct al_handoff; /* opaque */

/* The worker's body: called once, on the worker thread, with 'ctx'. It
 * loops on al_handoff_take until that returns 0. */
typedef void (*al_handoff_fn)(struct al_handoff *h, void *ctx);

/* Starts a worker running 'fn' with room for 'capacity' queued indexes
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

/* Producer: the count the worker last published (0 at first). */
size_t al_handoff_done(struct al_handoff *h);

/* Producer: waits until the published count is at least 'want', and
 * returns it. The caller must know the worker can get there with what is
 * already queued; it returns early only when the worker has ended. */
size_t al_handoff_wait_done(struct al_handoff *h, size_t want);

/* Producer: puts nothing more, waits for the worker to take and finish
 * everything queued and return, and frees 'h' (NULL-safe). */
void al_handoff_finish(struct al_handoff *h);

/* Worker: moves up to 'max' queued indexes, oldest first, into 'out',
 * waiting while none is queued. 0 once the producer has finished and the
 * queue is empty: the worker's cue to return. */
size_t al_handoff_take(struct al_handoff *h, size_t *out, size_t max);

/* Worker: publishes 'done' (never less than before) and wakes a producer
 * waiting for it. */
void al_handoff_publish(struct al_handoff *h, size_t done);

#endif
