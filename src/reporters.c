/* reporters.c - the registry of output formats: a format name to its
 * writer (report_text.c, report_json.c, report_junit.c). Apart from
 * report.c, whose helpers the writers call, so the writers and their
 * registry do not form a cycle. */
#include <string.h>

#include "report.h"

al_report_write_fn al_report_writer(const char *format)
{
  if (!format)
    return NULL;
  if (strcmp(format, "text") == 0)
    return al_report_write_text;
  if (strcmp(format, "json") == 0)
    return al_report_write_json;
  if (strcmp(format, "junit") == 0)
    return al_report_write_junit;
  return NULL;
}
