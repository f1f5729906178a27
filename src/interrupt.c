/* interrupt.c - the signal handlers of a lint run (see interrupt.h). Only
 * async-signal-safe calls happen in the handler: a store to a
 * sig_atomic_t, write(2) to a non-blocking pipe, unlink(2) and _exit(2). */
#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t first_signal;
static int wake_pipe[2] = {-1, -1};
static struct sigaction old_int, old_term;
static int installed;

int al_interrupt_exit_status(int sig)
{
  return 128 + sig;
}

static void on_signal(int sig)
{
  if (stop_flag) {
    /* The second signal: the user does not want to wait for the reports.
     * Unnamed temporary files vanish with the process; named ones are
     * removed here. */
    al_outfile_unlink_all_signal_safe();
    _exit(al_interrupt_exit_status(first_signal ? first_signal : sig));
  }
  first_signal = sig;
  stop_flag = 1;
  if (wake_pipe[1] >= 0) {
    int saved = errno;
    char c = 1;
    ssize_t n = write(wake_pipe[1], &c, 1);
    (void)n;
    errno = saved;
  }
}

static int make_pipe(void)
{
  if (pipe(wake_pipe) != 0) {
    wake_pipe[0] = wake_pipe[1] = -1;
    return -1;
  }
  for (int i = 0; i < 2; i++) {
    int fl = fcntl(wake_pipe[i], F_GETFL);
    fcntl(wake_pipe[i], F_SETFL, fl | O_NONBLOCK);
    fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
  }
  return 0;
}

int al_interrupt_install(void)
{
  stop_flag = 0;
  first_signal = 0;
  int rc = make_pipe();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  /* No SA_RESTART: a blocking call should notice. The run checks the flag
   * after every wait. */
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  installed = 1;
  return rc;
}

void al_interrupt_restore(void)
{
  if (!installed)
    return;
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  installed = 0;
  for (int i = 0; i < 2; i++) {
    if (wake_pipe[i] >= 0)
      close(wake_pipe[i]);
    wake_pipe[i] = -1;
  }
}

volatile sig_atomic_t *al_interrupt_flag(void)
{
  return &stop_flag;
}

int al_interrupt_wake_fd(void)
{
  return wake_pipe[0];
}

int al_interrupt_signal(void)
{
  return first_signal;
}
