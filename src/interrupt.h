/* interrupt.h - Ctrl-C and SIGTERM for a lint run. The first signal asks
 * the run to stop: no new request starts, the ones in flight are abandoned,
 * and the reports are written whole for what finished, marked interrupted.
 * A second one exits at once (130 / 143) after removing every named
 * temporary report file (outfile.h), so nothing half-made stays behind.
 *
 * Signal handlers cannot be given a context, so the flag and the wake-up
 * pipe are this module's own state: one run per process at a time. */
#ifndef AL_INTERRUPT_H
#define AL_INTERRUPT_H

#include <signal.h>

/* Installs the handlers for SIGINT and SIGTERM (and makes the wake-up
 * pipe). Returns 0, or -1 when the pipe cannot be made (the handlers are
 * installed anyway; waits then end at their own timeouts). */
int al_interrupt_install(void);

/* Puts the previous handlers back and closes the pipe. */
void al_interrupt_restore(void);

/* The flag a handler sets (for struct al_transfer_opts 'stop'). */
volatile sig_atomic_t *al_interrupt_flag(void);

/* The descriptor that becomes readable once a signal came, or -1. */
int al_interrupt_wake_fd(void);

/* 0, or the first signal that came (SIGINT or SIGTERM). */
int al_interrupt_signal(void);

/* The exit status for that signal: 130 for SIGINT, 143 for SIGTERM. */
int al_interrupt_exit_status(int sig);

#endif
