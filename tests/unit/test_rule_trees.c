/* test_rule_trees.c - the built-in rule trees made at build time
 * (tools/rule_trees.c, rule_builtin.h) are exactly what al_yamldoc_parse
 * makes of the embedded rule texts: every node's kind, value bytes and
 * length, line, column, quoted flag, children and key order. Start-up reads
 * the trees instead of parsing the texts, so this is what keeps `apilint
 * rules`, `explain`, every line:col and every report unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rule_builtin.h"
#include "ruleset.h"
#include "yamldoc.h"

static struct al_ynode *parse_text(const struct al_builtin_rule_file *f)
{
  struct al_ynode *root = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  if (al_yamldoc_parse(f->text, f->len, f->name, &root, &err) != AL_OK)
    fail_msg("%s: %s:%d:%d: %s", f->name, err.file, err.line, err.col, err.msg);
  assert_non_null(root);
  return root;
}

/* Fails, naming the file and the parsed node's position, at the first
 * difference between 'want' (parsed now) and 'got' (built in). */
static void same_tree(const char *file, const struct al_ynode *want,
                      const struct al_ynode *got, int depth)
{
  assert_true(depth < 1000);
  assert_non_null(got);
  const char *what = NULL;
  if (got->kind != want->kind)
    what = "kind";
  else if (got->line != want->line || got->col != want->col)
    what = "line:col";
  else if (got->quoted != want->quoted)
    what = "quoted";
  else if (got->value_len != want->value_len)
    what = "value_len";
  else if ((got->value == NULL) != (want->value == NULL))
    what = "value (NULL or not)";
  else if (want->value && memcmp(got->value, want->value, want->value_len + 1))
    what = "value bytes (or its NUL)";
  else if (got->count != want->count)
    what = "count";
  else if (want->count && (got->keys == NULL) != (want->keys == NULL))
    what = "keys (present or not)";
  else if (want->count && (got->items == NULL) != (want->items == NULL))
    what = "items (present or not)";
  if (what)
    fail_msg("%s: the node parsed at %d:%d differs in its %s", file, want->line,
             want->col, what);
  for (size_t i = 0; i < want->count; i++) {
    if (want->keys)
      same_tree(file, want->keys[i], got->keys[i], depth + 1);
    if (want->items)
      same_tree(file, want->items[i], got->items[i], depth + 1);
  }
}

static size_t node_count(const struct al_ynode *n)
{
  size_t total = 1;
  for (size_t i = 0; i < n->count; i++) {
    if (n->keys)
      total += node_count(n->keys[i]);
    if (n->items)
      total += node_count(n->items[i]);
  }
  return total;
}

static void test_every_rule_file_has_its_tree_in_order(void **state)
{
  (void)state;
  assert_true(al_builtin_rule_file_count > 0);
  assert_int_equal(al_builtin_rule_tree_count, al_builtin_rule_file_count);
  for (size_t i = 0; i < al_builtin_rule_file_count; i++)
    assert_string_equal(al_builtin_rule_trees[i].name,
                        al_builtin_rule_files[i].name);
}

static void test_each_tree_is_the_parse_of_its_text(void **state)
{
  (void)state;
  size_t nodes = 0;
  for (size_t i = 0; i < al_builtin_rule_file_count; i++) {
    struct al_ynode *parsed = parse_text(&al_builtin_rule_files[i]);
    same_tree(al_builtin_rule_files[i].name, parsed,
              al_builtin_rule_trees[i].root, 0);
    nodes += node_count(parsed);
    al_ynode_free(parsed);
  }
  assert_true(nodes > 1000); /* the comparison really walked the rules */
}

/* Equal strings, or both NULL (a rule may leave a text out). */
static void same_text(const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    assert_ptr_equal(a, b);
  else
    assert_string_equal(a, b);
}

/* The rule set from the trees is the one the texts give, rule by rule. */
static void test_builtin_rules_are_those_of_the_texts(void **state)
{
  (void)state;
  struct al_err err;
  memset(&err, 0, sizeof err);
  struct al_ruleset *built = NULL;
  assert_int_equal(al_ruleset_new_builtin(&built, &err), AL_OK);
  struct al_ruleset *parsed = calloc(1, sizeof *parsed);
  assert_non_null(parsed);
  for (size_t i = 0; i < al_builtin_rule_file_count; i++) {
    const struct al_builtin_rule_file *f = &al_builtin_rule_files[i];
    assert_int_equal(al_ruleset_parse(parsed, f->text, f->len, f->name, &err),
                     AL_OK);
  }
  assert_int_equal(built->count, parsed->count);
  for (size_t i = 0; i < built->count; i++) {
    const struct al_rule *a = &built->rules[i], *b = &parsed->rules[i];
    assert_string_equal(a->id, b->id);
    assert_int_equal(a->severity, b->severity);
    assert_int_equal(a->enabled, b->enabled);
    same_text(a->summary, b->summary);
    same_text(a->explain, b->explain);
    same_text(a->level, b->level);
    same_text(a->source, b->source);
    assert_string_equal(a->origin, "built-in");
    assert_int_equal(a->line, b->line);
  }
  al_ruleset_free(built);
  al_ruleset_free(parsed);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_rule_file_has_its_tree_in_order),
      cmocka_unit_test(test_each_tree_is_the_parse_of_its_text),
      cmocka_unit_test(test_builtin_rules_are_those_of_the_texts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
