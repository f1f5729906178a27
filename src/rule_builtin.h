/* rule_builtin.h - the rule files of rules/ as compiled in: the trees
 * al_yamldoc_parse makes of them, built at build time (tools/rule_trees.c,
 * generated rule_trees.c) so that start-up parses no YAML; apilint reads
 * only these. Their texts (cmake/embed_rules.cmake, generated
 * rule_builtin.c) are in the library apilint_rule_texts, which only
 * tests/unit/test_rule_trees.c links: it proves the trees are the parse of
 * the texts. */
#ifndef AL_RULE_BUILTIN_H
#define AL_RULE_BUILTIN_H

#include <stddef.h>

struct al_ynode;

/* apilint_rule_texts only. */
struct al_builtin_rule_file {
  const char *name; /* "rules/core.yaml" */
  const char *text; /* NUL-terminated */
  size_t len;       /* without the NUL */
};

extern const struct al_builtin_rule_file al_builtin_rule_files[];
extern const size_t al_builtin_rule_file_count;

/* The same files, in the same order, as parsed trees. Static data for the
 * life of the program: read it, never free or change it. */
struct al_builtin_rule_tree {
  const char *name;            /* "rules/core.yaml" */
  const struct al_ynode *root; /* what al_yamldoc_parse gives for the text */
};

extern const struct al_builtin_rule_tree al_builtin_rule_trees[];
extern const size_t al_builtin_rule_tree_count;

#endif
