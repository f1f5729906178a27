/* test_openapi.c - the import stage: OpenAPI documents (written here, in
 * memory) become spec trees that the spec loader accepts, with the right
 * names, paths, credentials, expectations, skips and positions; and the
 * refusals (external and dangling $refs, $ref loops, unsupported versions)
 * name the place in the document. Also the yamldoc pieces import needs:
 * JSON surrogate escapes and the node constructors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "openapi.h"
#include "spec.h"
#include "yamldoc.h"

/* Imports 'text' and loads the result as a spec; fails the test on error. */
static struct al_spec *import_ok(const char *text, int all_methods)
{
  struct al_ynode *doc = NULL;
  struct al_openapi *imp = NULL;
  struct al_spec *spec = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  struct al_openapi_opts opts = {all_methods};
  if (al_yamldoc_parse(text, strlen(text), "doc.yaml", &doc, &err) != AL_OK ||
      al_openapi_convert(doc, "doc.yaml", &opts, &imp, &err) != AL_OK ||
      al_spec_build(imp->spec, "doc.yaml", NULL, &spec, &err) != AL_OK)
    fail_msg("import failed: %s:%d:%d: %s", err.file, err.line, err.col,
             err.msg);
  al_openapi_free(imp);
  al_ynode_free(doc);
  return spec;
}

/* Imports 'text', which must fail at line:col with 'msg' in the message. */
static void import_fails(const char *text, int line, int col, const char *msg)
{
  struct al_ynode *doc = NULL;
  struct al_openapi *imp = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_yamldoc_parse(text, strlen(text), "doc.yaml", &doc, &err),
                   AL_OK);
  assert_int_equal(al_openapi_convert(doc, "doc.yaml", NULL, &imp, &err),
                   AL_E_SPEC);
  assert_null(imp);
  if (!strstr(err.msg, msg))
    fail_msg("message '%s' lacks '%s'", err.msg, msg);
  assert_int_equal(err.line, line);
  assert_int_equal(err.col, col);
  al_ynode_free(doc);
}

static const char *const petstore =
    "openapi: 3.0.3\n"                                          /* 1 */
    "info: {title: t, version: '1'}\n"                          /* 2 */
    "servers: [{url: 'https://{region}.example.com/v1', "       /* 3 */
    "variables: {region: {default: eu}}}]\n"                    /*   */
    "components:\n"                                             /* 4 */
    "  securitySchemes:\n"                                      /* 5 */
    "    key: {type: apiKey, in: query, name: api_key}\n"       /* 6 */
    "  parameters:\n"                                           /* 7 */
    "    Id: {name: pet id, in: path, required: true, schema: " /* 8 */
    "{type: string, example: 'a b'}}\n"                         /*   */
    "security: [{key: []}]\n"                                   /* 9 */
    "paths:\n"                                                  /* 10 */
    "  /pets/{pet id}:\n"                                       /* 11 */
    "    parameters: [{$ref: '#/components/parameters/Id'}]\n"  /* 12 */
    "    delete:\n"                                             /* 13 */
    "      responses: {'204': {description: x}}\n"              /* 14 */
    "    get:\n"                                                /* 15 */
    "      operationId: getPet\n"                               /* 16 */
    "      security: []\n"                                      /* 17 */
    "      responses: {'200': {description: x}, '4XX': {description: y},"
    " default: {description: z}}\n";

static void test_openapi_import_names_paths_positions(void **state)
{
  (void)state;
  struct al_spec *spec = import_ok(petstore, 0);
  assert_string_equal(spec->base_url, "https://eu.example.com/v1");
  assert_int_equal(spec->endpoint_count, 1);
  assert_int_equal(spec->skipped_count, 1);
  const struct al_endpoint *get = &spec->endpoints[0];
  assert_string_equal(get->name, "getPet");
  /* the $ref'd path parameter, percent-encoded; security: [] = none */
  assert_string_equal(get->path, "/pets/a%20b");
  assert_null(al_headers_get(&get->headers, "Authorization"));
  assert_string_equal(al_endpoint_file(spec, get), "doc.yaml");
  assert_int_equal(get->line, 15);
  assert_int_equal(get->col, 5);
  assert_true(get->has_expect);
  assert_true(al_status_set_has(&get->expect.status, 200));
  assert_true(al_status_set_has(&get->expect.status, 404));
  assert_false(al_status_set_has(&get->expect.status, 500));
  const struct al_endpoint *del = &spec->skipped[0];
  assert_string_equal(del->name, "DELETE /pets/{pet id}");
  assert_non_null(strstr(del->skip, "DELETE may change data"));
  /* the document's security: an API key in the query, a secret */
  assert_non_null(strstr(del->path, "?api_key=replace-me"));
  assert_int_equal(del->line, 13);
  al_spec_free(spec);
}

static void test_openapi_import_methods_all_builds_minimal_bodies(void **state)
{
  (void)state;
  struct al_spec *spec = import_ok(
      "swagger: '2.0'\n"
      "info: {title: t, version: '1'}\n"
      "host: h.example\n"
      "securityDefinitions: {b: {type: basic}}\n"
      "definitions:\n"
      "  Node: {type: object, required: [id, next], properties: "
      "{id: {type: integer, minimum: 5}, next: {$ref: '#/definitions/Node'}, "
      "extra: {type: string}}}\n"
      "paths:\n"
      "  /nodes:\n"
      "    post:\n"
      "      security: [{b: []}]\n"
      "      parameters: [{name: body, in: body, schema: {$ref: "
      "'#/definitions/Node'}}]\n"
      "      responses: {'201': {description: x}}\n",
      1);
  assert_string_equal(spec->base_url, "http://h.example");
  assert_int_equal(spec->endpoint_count, 1);
  assert_int_equal(spec->skipped_count, 0);
  const struct al_endpoint *ep = &spec->endpoints[0];
  assert_string_equal(ep->method, "POST");
  /* required fields only; the self-reference ends in null */
  assert_string_equal(ep->body, "{\"id\":5,\"next\":null}");
  assert_non_null(
      strstr(al_headers_get(&ep->headers, "Authorization"), "Basic "));
  assert_string_equal(al_headers_get(&ep->headers, "Content-Type"),
                      "application/json");
  al_spec_free(spec);
}

static void test_openapi_import_refuses_with_positions(void **state)
{
  (void)state;
  import_fails("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n"
               "  /a:\n    get:\n      parameters:\n"
               "        - $ref: 'other.yaml#/p'\n",
               7, 17, "external $ref 'other.yaml#/p' is not supported");
  import_fails("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n"
               "  /a:\n    get:\n      parameters:\n"
               "        - $ref: '#/components/parameters/none'\n",
               7, 17, "points at nothing");
  import_fails("openapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
               "components: {parameters: {a: {$ref: '#/components/parameters/"
               "a'}}}\npaths:\n  /a:\n    get:\n      parameters:\n"
               "        - $ref: '#/components/parameters/a'\n",
               3, 30, "$ref chain longer than");
  import_fails("openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n", 1,
               10, "OpenAPI version '4.0.0' is not supported");
}

static void test_openapi_write_reads_back_the_same_spec(void **state)
{
  (void)state;
  struct al_ynode *doc = NULL;
  struct al_openapi *imp = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(
      al_yamldoc_parse(petstore, strlen(petstore), "doc.yaml", &doc, &err),
      AL_OK);
  assert_int_equal(al_openapi_convert(doc, "doc.yaml", NULL, &imp, &err),
                   AL_OK);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  assert_int_equal(al_openapi_write(f, imp), AL_OK);
  fclose(f);
  assert_non_null(strstr(text, "    source: doc.yaml:15:5\n"));
  assert_non_null(strstr(text, "# GET /pets/{pet id}\n"));
  struct al_spec *spec = NULL;
  if (al_spec_parse(text, len, "out.yaml", NULL, &spec, &err) != AL_OK)
    fail_msg("written spec does not load: %d:%d: %s\n%s", err.line, err.col,
             err.msg, text);
  assert_int_equal(spec->endpoint_count, 1);
  assert_string_equal(spec->endpoints[0].path, "/pets/a%20b");
  assert_string_equal(al_endpoint_file(spec, &spec->endpoints[0]), "doc.yaml");
  assert_int_equal(spec->endpoints[0].line, 15);
  al_spec_free(spec);
  free(text);
  al_openapi_free(imp);
  al_ynode_free(doc);
}

static void test_yamldoc_reads_json_surrogate_pairs(void **state)
{
  (void)state;
  const char *text = "{\"a\": \"\\ud83d\\ude00\", \"b\": \"\\udc00x\", "
                     "\"c\": \"\\\\ud83d\"}";
  struct al_ynode *root = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_yamldoc_parse(text, strlen(text), "j.json", &root, &err),
                   AL_OK);
  assert_string_equal(al_ynode_get(root, "a")->value, "\xF0\x9F\x98\x80");
  assert_string_equal(al_ynode_get(root, "b")->value, "\xEF\xBF\xBDx");
  assert_string_equal(al_ynode_get(root, "c")->value, "\\ud83d");
  al_ynode_free(root);
}

static void test_ynode_constructors_grow_and_own(void **state)
{
  (void)state;
  struct al_ynode *map = al_ynode_new_map(3, 4);
  struct al_ynode *seq = al_ynode_new_seq(5, 6);
  assert_non_null(map);
  assert_non_null(seq);
  for (int i = 0; i < 100; i++) {
    char v[16];
    snprintf(v, sizeof v, "%d", i);
    assert_int_equal(
        al_ynode_seq_add(seq, al_ynode_new_scalar(v, strlen(v), 0, i, 1)),
        AL_OK);
  }
  assert_int_equal(al_ynode_map_add(map, "list", seq), AL_OK);
  assert_int_equal(
      al_ynode_map_add(map, "q", al_ynode_new_scalar("x", 1, 1, 7, 8)), AL_OK);
  const struct al_ynode *list = al_ynode_get(map, "list");
  assert_int_equal(list->count, 100);
  long n = 0;
  assert_true(al_ynode_int(list->items[99], &n));
  assert_int_equal(n, 99);
  assert_int_equal(map->keys[1]->line, 7);
  assert_true(al_ynode_get(map, "q")->quoted);
  assert_int_equal(al_ynode_seq_add(seq, NULL), AL_E_NOMEM);
  al_ynode_free(map);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_openapi_import_names_paths_positions),
      cmocka_unit_test(test_openapi_import_methods_all_builds_minimal_bodies),
      cmocka_unit_test(test_openapi_import_refuses_with_positions),
      cmocka_unit_test(test_openapi_write_reads_back_the_same_spec),
      cmocka_unit_test(test_yamldoc_reads_json_surrogate_pairs),
      cmocka_unit_test(test_ynode_constructors_grow_and_own),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
