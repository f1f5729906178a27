/* explain.h - what `apilint rules` and `apilint explain` print: the rules
 * of a ruleset and the probes, for a reader. Writes to the FILE it is given
 * only; reads everything it is given, owns nothing. */
#ifndef AL_EXPLAIN_H
#define AL_EXPLAIN_H

#include <stdio.h>

#include "common.h"
#include "probe.h"
#include "ruleset.h"

/* `apilint rules`: one line per rule in ruleset order: id, severity,
 * whether it is on by default, summary, in aligned columns under a header
 * line; a rule with `probe:` ends its line with the probes it judges,
 * " [probe: options]". AL_E_IO when writing fails. */
enum al_code al_explain_write_rules(FILE *out, const struct al_ruleset *rs);

/* `apilint explain ID`: id, severity (and default on/off), level, source,
 * the probes it judges (`probe:`), its named check, where it is defined,
 * summary, the explain text, and the rule's examples (the raw responses
 * that fire it, with the finding each really gives, and that pass it).
 * AL_E_IO when writing fails. */
enum al_code al_explain_write_rule(FILE *out, const struct al_rule *rule);

/* `apilint explain PROBE`: name, summary, phase, whether `check URL` runs
 * it, the safety rule, what it sends (steps), the rules that judge it and
 * the source. Writes to 'out' only; AL_E_IO when writing fails. */
enum al_code al_explain_write_probe(FILE *out, const struct al_probe_def *p);
/* A short aligned list of the probes (name, summary), for `apilint rules`.
 */
enum al_code al_explain_write_probes(FILE *out);

#endif
