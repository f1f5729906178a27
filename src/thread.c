/* thread.c - see thread.h. */
/* pthread_setname_np. */
#define _GNU_SOURCE

#include "thread.h"

#include <signal.h>

int al_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg,
                    const char *name)
{
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(thread, NULL, fn, arg);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
#ifdef __GLIBC__
  if (rc == 0 && name)
    (void)pthread_setname_np(*thread, name); /* a name is only a help */
#else
  (void)name;
#endif
  return rc == 0;
}
