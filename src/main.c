/* main.c - argv -> cli -> run -> exit status. Nothing else (curl's
 * tool_main.c): every decision lives in a module the tests can reach. */
#include <signal.h>
#include <stdlib.h>

#include "cli.h"
#include "msg.h"
#include "run.h"

int main(int argc, char **argv)
{
  /* A closed stdout pipe (apilint ... | head) must be an error we report,
   * not a silent death mid-report. */
  signal(SIGPIPE, SIG_IGN);
  struct al_cli cli;
  struct al_err err = {0};
  int status;
  if (al_cli_parse(argc, argv, &cli, &err) != AL_OK) {
    al_msg_err(&err);
    status = 2;
  } else {
    status = al_run(&cli);
  }
  al_cli_cleanup(&cli);
  return status;
}
