/* test_handoff.c - the producer/worker queue: every index is worked on
 * once, in the order it was put, one batch at a time; a producer that
 * waits does the work itself; the finish works on what is left. Run under
 * ThreadSanitizer in CI (.ci/test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "handoff.h"

#define MANY 20000
#define WINDOW 512 /* what run.c keeps outstanding at most */

/* What the work saw. Touched only inside the work, which the handoff
 * promises never runs on two threads at once: TSan would see it if it
 * did, and 'inside' counts it for a build without TSan. */
struct record {
  size_t seen[MANY];
  size_t count;
  size_t on_producer; /* indexes worked on by the producer's thread */
  size_t batches;
  int inside;
  int overlapped;
  pthread_t producer;
};

static size_t work(void *ctx, const size_t *batch, size_t n)
{
  struct record *r = ctx;
  if (__atomic_fetch_add(&r->inside, 1, __ATOMIC_SEQ_CST) != 0)
    r->overlapped = 1;
  for (size_t i = 0; i < n && r->count < MANY; i++)
    r->seen[r->count++] = batch[i];
  if (pthread_equal(pthread_self(), r->producer))
    r->on_producer += n;
  r->batches++;
  __atomic_fetch_sub(&r->inside, 1, __ATOMIC_SEQ_CST);
  return r->count;
}

static struct record *new_record(void)
{
  struct record *r = calloc(1, sizeof *r);
  assert_non_null(r);
  r->producer = pthread_self();
  return r;
}

static struct al_handoff *start(struct record *r, size_t capacity)
{
  struct al_handoff *h = NULL;
  assert_int_equal(al_handoff_start(capacity, "test-handoff", work, r, &h),
                   AL_OK);
  return h;
}

static void assert_in_order(const struct record *r, size_t n)
{
  assert_int_equal(r->count, n);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(r->seen[i], i);
  assert_false(r->overlapped);
}

/* Fewer than a wake-up's batch, never nudged: the worker sleeps on, so
 * the producer that waits for them must work on them itself. */
static void test_handoff_a_waiting_producer_does_the_work(void **state)
{
  (void)state;
  struct record *r = new_record();
  struct al_handoff *h = start(r, 64);
  for (size_t i = 0; i < 10; i++)
    assert_int_equal(al_handoff_put(h, i), AL_OK);
  assert_int_equal(al_handoff_wait_done(h, 10), 10);
  assert_int_equal(r->on_producer, 10);
  al_handoff_finish(h);
  assert_in_order(r, 10);
  free(r);
}

/* The finish works on what is still queued before the worker stops. */
static void test_handoff_finish_works_on_what_is_left(void **state)
{
  (void)state;
  struct record *r = new_record();
  struct al_handoff *h = start(r, 64);
  for (size_t i = 0; i < 5; i++)
    assert_int_equal(al_handoff_put(h, i), AL_OK);
  al_handoff_finish(h);
  assert_in_order(r, 5);
  free(r);
}

/* As run.c drives it: puts as fast as it can within a window, waits when
 * the window is full, nudges now and then. Both threads end up working;
 * every index once, in order, never two batches at once. */
static void test_handoff_many_in_a_window_stay_in_order(void **state)
{
  (void)state;
  struct record *r = new_record();
  struct al_handoff *h = start(r, WINDOW);
  size_t known = 0;
  for (size_t i = 0; i < MANY; i++) {
    if (i >= known + WINDOW)
      known = al_handoff_wait_done(h, i - WINDOW + 1);
    assert_true(i < known + WINDOW);
    assert_int_equal(al_handoff_put(h, i), AL_OK);
    if (i % 100 == 0) {
      al_handoff_nudge(h);
      known = al_handoff_done(h);
    }
  }
  al_handoff_finish(h);
  assert_in_order(r, MANY);
  assert_true(r->batches > 1);
  free(r);
}

/* A full queue refuses the put and keeps what it had. */
static void test_handoff_refuses_a_put_beyond_its_room(void **state)
{
  (void)state;
  struct record *r = new_record();
  struct al_handoff *h = start(r, 4);
  for (size_t i = 0; i < 4; i++)
    assert_int_equal(al_handoff_put(h, i), AL_OK);
  /* Below a wake-up's batch the worker sleeps, so the queue stays full. */
  assert_int_equal(al_handoff_put(h, 4), AL_E_INTERNAL);
  al_handoff_finish(h);
  assert_in_order(r, 4);
  free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_handoff_a_waiting_producer_does_the_work),
      cmocka_unit_test(test_handoff_finish_works_on_what_is_left),
      cmocka_unit_test(test_handoff_many_in_a_window_stay_in_order),
      cmocka_unit_test(test_handoff_refuses_a_put_beyond_its_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
