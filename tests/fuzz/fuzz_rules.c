/* fuzz_rules.c - libFuzzer target: arbitrary bytes as a --rules file added
 * on top of the built-in rules (so replacing a rule by id is exercised too).
 * Every input must load or fail with a positioned error, and on failure the
 * ruleset must stay as it was (ruleset.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loading the built-in rules compiles their regexes, which costs far more
 * than parsing one input; a failed parse leaves the set unchanged, so it is
 * kept across inputs and rebuilt only after a parse that changed it. */
static struct al_ruleset *builtin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct al_err err;
  memset(&err, 0, sizeof err);
  if (!builtin && al_ruleset_new_builtin(&builtin, &err) != AL_OK)
    __builtin_trap(); /* the built-in rules always load */
  const struct al_rule *rules = builtin->rules;
  size_t count = builtin->count;
  if (al_ruleset_parse(builtin, (const char *)data, size, "fuzz.yaml", &err) ==
      AL_OK) {
    al_ruleset_free(builtin);
    builtin = NULL;
  } else if (builtin->rules != rules || builtin->count != count ||
             err.msg[0] == '\0') {
    __builtin_trap(); /* a failure changed the set or said nothing */
  }
  return 0;
}
