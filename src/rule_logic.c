/* rule_logic.c - the destructors of the rule stage's private types
 * (rule_logic.h): conditions, examples and a rule's logic. Here and not in
 * ruleset.c so that everything that builds or runs these types (the
 * loader, the example runner) can free them without depending on the
 * loader. */
#include "rule_logic.h"

#include <stdlib.h>
#include <string.h>

static void cond_cleanup(struct al_cond *c)
{
  al_status_set_cleanup(&c->status);
  for (size_t i = 0; i < c->method_count; i++)
    free(c->methods[i]);
  free(c->methods);
  free(c->name);
  free(c->pattern);
  al_ere_free(c->re);
  for (size_t i = 0; i < c->block_count; i++)
    al_cond_block_cleanup(&c->blocks[i]);
  free(c->blocks);
  memset(c, 0, sizeof *c);
}

void al_cond_block_cleanup(struct al_cond_block *b)
{
  for (size_t i = 0; i < b->count; i++)
    cond_cleanup(&b->conds[i]);
  free(b->conds);
  b->conds = NULL;
  b->count = 0;
}

void al_rule_example_cleanup(struct al_rule_example *ex)
{
  free(ex->method);
  al_headers_cleanup(&ex->request_headers);
  free(ex->response);
  free(ex->transport);
  al_expect_cleanup(&ex->expect);
  free(ex->message_contains);
  free(ex->endpoint_method);
  free(ex->endpoint_response);
  for (size_t i = 0; i < ex->peer_count; i++) {
    free(ex->peers[i].method);
    free(ex->peers[i].response);
  }
  free(ex->peers);
  memset(ex, 0, sizeof *ex);
}

void al_rule_logic_free(struct al_rule_logic *logic)
{
  if (!logic)
    return;
  al_cond_block_cleanup(&logic->when);
  al_cond_block_cleanup(&logic->require);
  if (logic->check && logic->check->free_state)
    logic->check->free_state(logic->check_state);
  free(logic->message);
  free(logic->probes);
  for (size_t i = 0; i < logic->example_count; i++)
    al_rule_example_cleanup(&logic->examples[i]);
  free(logic->examples);
  free(logic);
}
