/* rule_builtin.h - the rule files of rules/ as compiled into the binary by
 * cmake/embed_rules.cmake (generated rule_builtin.c). */
#ifndef AL_RULE_BUILTIN_H
#define AL_RULE_BUILTIN_H

#include <stddef.h>

struct al_builtin_rule_file {
  const char *name; /* "rules/core.yaml" */
  const char *text; /* NUL-terminated */
  size_t len;       /* without the NUL */
};

extern const struct al_builtin_rule_file al_builtin_rule_files[];
extern const size_t al_builtin_rule_file_count;

#endif
