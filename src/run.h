/* run.h - one apilint invocation from parsed options to exit status: loads
 * rules and specs (all of them before anything is sent), sends the requests,
 * judges the responses, writes the reports. */
#ifndef AL_RUN_H
#define AL_RUN_H

#include "cli.h"

/* Runs the command in 'cli' and returns the process exit status
 * (enum al_exit). Diagnostics go through msg.c; reports to stdout and the
 * files named in 'cli'. */
int al_run(const struct al_cli *cli);

#endif
