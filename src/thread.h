/* thread.h - how apilint starts a thread of its own (the report worker,
 * handoff.h; the spec's YAML parser, yamldoc.c). */
#ifndef AL_THREAD_H
#define AL_THREAD_H

#include <pthread.h>

/* pthread_create of fn(arg) into '*thread', with every catchable signal
 * blocked in the new thread (it inherits that mask), so SIGINT and SIGTERM
 * stay the main thread's to handle; then named 'name' (NULL: unnamed) where
 * the C library can, for `top -H`. Returns 1 when the thread runs, 0 when
 * it could not be created (the caller does the work itself). */
int al_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg,
                    const char *name);

#endif
