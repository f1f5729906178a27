/* outfile.h - report files written whole or not at all, and never left
 * behind half-made. A report's file is opened (its temporary made) before
 * the first request, so an unwritable path stops the run with nothing sent;
 * it is written while the run streams; it is put in place only when
 * complete.
 *
 * Where the kernel allows it (Linux O_TMPFILE), the temporary file has no
 * name at all until it is linked into place, so no signal, not even
 * SIGKILL, can leave one visible. Elsewhere it is a named "PATH.XXXXXX"
 * that is unlinked on failure, on al_outfile_abort and by
 * al_outfile_unlink_all_signal_safe (the signal handler's last act).
 *
 * Nothing is fsync'ed. Whole or nothing holds against everything that can
 * happen to apilint (an error, a full disk, a signal, SIGKILL): the target
 * is the old file or the new one, never a part. What a sync would add is
 * the report surviving a power cut in the seconds after the run (it may
 * then be missing or short). At 10,000 endpoints the sync cost 40-90 ms
 * at the end of every run (one journal commit of the whole report), on
 * the critical path of every CI job that never loses its machine. Whoever
 * needs it runs sync(1) after apilint. */
#ifndef AL_OUTFILE_H
#define AL_OUTFILE_H

#include <stdio.h>

#include "common.h"

struct al_outfile; /* opaque */

/* Opens a report destination for 'path' (as the user gave it; used in
 * messages). A regular file, a new file, or a symlink to either, get a
 * temporary file in the target's directory; a device or pipe
 * (/dev/stdout) is opened for writing directly, since it cannot be
 * replaced. On success sets '*out' (free with al_outfile_commit or
 * al_outfile_abort). On failure returns AL_E_IO / AL_E_NOMEM with 'err'
 * naming the path and the reason, and nothing was created. */
enum al_code al_outfile_open(const char *path, struct al_outfile **out,
                             struct al_err *err);

/* The stream to write to; borrowed, valid until commit or abort. */
FILE *al_outfile_stream(struct al_outfile *o);

/* Whether a write to 'f' can wait on a reader for as long as it likes: a
 * pipe, FIFO, socket or terminal (--json /dev/stdout, a pager). Not a
 * regular file (every report file's temporary is one) nor /dev/null. */
int al_stream_may_block(FILE *f);

/* Copies bytes [from, to) of the regular file 'in' (a reporter's part
 * file) to the end of what was written to 'out', inside the kernel (no
 * copy through user space), when 'out' is a regular file and the kernel
 * can; afterwards 'out' continues after the copied bytes. Returns the
 * offset in 'in' up to which it copied ('from' when it copied nothing:
 * 'out' not a regular file, the kernel refused), for the caller to copy
 * the rest through stdio; -1 when a flush or a seek failed (errno). The
 * position of 'in' is left alone. */
long al_stream_copy_in_kernel(FILE *in, long from, long to, FILE *out);

/* Flushes and puts the file in place (replacing what was there,
 * keeping its permission bits; a new file gets 0666 & ~umask), then frees
 * 'o'. On failure the target is untouched, the temporary file is gone, and
 * 'err' says why (AL_E_IO). */
enum al_code al_outfile_commit(struct al_outfile *o, struct al_err *err);

/* Discards the temporary file and frees 'o' (NULL-safe). The target is
 * untouched. */
void al_outfile_abort(struct al_outfile *o);

/* Unlinks every named temporary file still open, using only
 * async-signal-safe calls: for a signal handler that is about to _exit. */
void al_outfile_unlink_all_signal_safe(void);

/* Test hook: 1 makes al_outfile_open act as if O_TMPFILE were unsupported
 * (the named fallback). Read from APILINT_NO_O_TMPFILE as well. */
void al_outfile_force_named(int on);

#endif
