/* test_yamldoc.c - the YAML tree: positions, scalar typing, and every
 * refusal (anchors, aliases, complex and duplicate keys, second documents,
 * syntax errors) with the line and column it is reported at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "yamldoc.h"

static struct al_ynode *parse_ok(const char *text)
{
  struct al_ynode *root = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  enum al_code rc = al_yamldoc_parse(text, strlen(text), "t.yaml", &root, &err);
  if (rc != AL_OK)
    fail_msg("unexpected error %d: %s:%d:%d: %s", rc, err.file, err.line,
             err.col, err.msg);
  assert_non_null(root);
  return root;
}

static void
test_yamldoc_parse_records_line_and_column_of_every_node(void **state)
{
  (void)state;
  struct al_ynode *root = parse_ok("version: 1\n"
                                   "endpoints:\n"
                                   "  - name: x\n"
                                   "    path: \"/a\"\n");
  assert_int_equal(root->kind, AL_YNODE_MAP);
  assert_int_equal(root->count, 2);
  assert_int_equal(root->keys[1]->line, 2);
  assert_int_equal(root->keys[1]->col, 1);
  const struct al_ynode *eps = al_ynode_get(root, "endpoints");
  assert_non_null(eps);
  assert_int_equal(eps->kind, AL_YNODE_SEQ);
  assert_int_equal(eps->line, 3);
  assert_int_equal(eps->col, 3);
  const struct al_ynode *ep = eps->items[0];
  assert_int_equal(ep->kind, AL_YNODE_MAP);
  assert_int_equal(ep->line, 3);
  assert_int_equal(ep->col, 5);
  const struct al_ynode *path = al_ynode_get(ep, "path");
  assert_non_null(path);
  assert_string_equal(path->value, "/a");
  assert_int_equal(path->value_len, 2);
  assert_int_equal(path->line, 4);
  assert_int_equal(path->col, 11);
  assert_int_equal(path->quoted, 1);
  assert_int_equal(al_ynode_get(ep, "name")->quoted, 0);
  al_ynode_free(root);
}

static void test_yamldoc_get_is_exact_and_null_safe(void **state)
{
  (void)state;
  struct al_ynode *root = parse_ok("Name: a\nlist: [1]\n");
  assert_null(al_ynode_get(root, "name"));
  assert_non_null(al_ynode_get(root, "Name"));
  assert_null(al_ynode_get(NULL, "Name"));
  assert_null(al_ynode_get(al_ynode_get(root, "list"), "Name"));
  al_ynode_free(root);
}

struct scalar_case {
  const char *yaml; /* the value after "v: " */
  int is_int;
  long int_value;
  int is_double;
  double double_value;
  int is_bool;
  int bool_value;
  int is_null;
  const char *describe;
};

static const struct scalar_case scalar_cases[] = {
    {"42", 1, 42, 1, 42.0, 0, 0, 0, "a number"},
    {"-7", 1, -7, 1, -7.0, 0, 0, 0, "a number"},
    {"+3", 1, 3, 1, 3.0, 0, 0, 0, "a number"},
    {"2.5", 0, 0, 1, 2.5, 0, 0, 0, "a number"},
    {".5", 0, 0, 1, 0.5, 0, 0, 0, "a number"},
    {"1e3", 0, 0, 1, 1000.0, 0, 0, 0, "a number"},
    {"\"42\"", 0, 0, 0, 0, 0, 0, 0, "a string"},
    {"'2.5'", 0, 0, 0, 0, 0, 0, 0, "a string"},
    {"0x1F", 0, 0, 0, 0, 0, 0, 0, "a string"},
    {"99999999999999999999999", 0, 0, 1, 1e23, 0, 0, 0, "a number"},
    {"true", 0, 0, 0, 0, 1, 1, 0, "true/false"},
    {"False", 0, 0, 0, 0, 1, 0, 0, "true/false"},
    {"TRUE", 0, 0, 0, 0, 1, 1, 0, "true/false"},
    {"yes", 0, 0, 0, 0, 0, 0, 0, "a string"}, /* YAML 1.1 only */
    {"\"true\"", 0, 0, 0, 0, 0, 0, 0, "a string"},
    {"null", 0, 0, 0, 0, 0, 0, 1, "null"},
    {"~", 0, 0, 0, 0, 0, 0, 1, "null"},
    {"", 0, 0, 0, 0, 0, 0, 1, "null"},
    {"''", 0, 0, 0, 0, 0, 0, 0, "a string"},
    {"!!str 5", 0, 0, 0, 0, 0, 0, 0, "a string"},
    {"2xx", 0, 0, 0, 0, 0, 0, 0, "a string"},
    {"[1]", 0, 0, 0, 0, 0, 0, 0, "a list"},
    {"{a: 1}", 0, 0, 0, 0, 0, 0, 0, "a mapping"},
};

static void test_yamldoc_scalar_helpers_follow_the_core_schema(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof scalar_cases / sizeof scalar_cases[0]; i++) {
    const struct scalar_case *c = &scalar_cases[i];
    char text[128];
    snprintf(text, sizeof text, "v: %s\n", c->yaml);
    struct al_ynode *root = parse_ok(text);
    const struct al_ynode *v = al_ynode_get(root, "v");
    long l = -1;
    double d = -1;
    int b = -1;
    print_message("case %zu: v: %s\n", i, c->yaml);
    assert_int_equal(al_ynode_int(v, &l), c->is_int);
    if (c->is_int)
      assert_int_equal(l, c->int_value);
    assert_int_equal(al_ynode_double(v, &d), c->is_double);
    if (c->is_double)
      assert_true(d == c->double_value);
    assert_int_equal(al_ynode_bool(v, &b), c->is_bool);
    if (c->is_bool)
      assert_int_equal(b, c->bool_value);
    assert_int_equal(al_ynode_is_null(v), c->is_null);
    assert_string_equal(al_ynode_describe(v), c->describe);
    al_ynode_free(root);
  }
}

static void test_yamldoc_empty_document_is_an_empty_mapping(void **state)
{
  (void)state;
  const char *texts[] = {"", "# only a comment\n", "---\n"};
  for (size_t i = 0; i < 3; i++) {
    struct al_ynode *root = parse_ok(texts[i]);
    assert_int_equal(root->kind, AL_YNODE_MAP);
    assert_int_equal(root->count, 0);
    al_ynode_free(root);
  }
}

static void test_yamldoc_block_scalar_counts_as_quoted(void **state)
{
  (void)state;
  struct al_ynode *root = parse_ok("v: |\n  42\n");
  const struct al_ynode *v = al_ynode_get(root, "v");
  long l;
  assert_string_equal(v->value, "42\n");
  assert_int_equal(v->quoted, 1);
  assert_int_equal(al_ynode_int(v, &l), 0);
  al_ynode_free(root);
}

struct error_case {
  const char *name;
  const char *yaml;
  int line;
  int col;
  const char *msg; /* a substring of the message */
};

static const struct error_case error_cases[] = {
    {"test_yamldoc_parse_rejects_duplicate_key", "a: 1\nb: 2\na: 3\n", 3, 1,
     "duplicate key 'a' (first at 1:1)"},
    {"test_yamldoc_parse_rejects_duplicate_key_in_nested_map",
     "x:\n  k: 1\n  k: 2\n", 3, 3, "duplicate key 'k' (first at 2:3)"},
    /* Past the 8 keys that are scanned, keys are found through a hash
     * index: the first of a pair is still named, and keys of the same
     * length but other bytes are not taken for it. */
    {"test_yamldoc_parse_rejects_duplicate_key_in_big_map",
     "k1: 1\nk2: 2\nk3: 3\nk4: 4\nk5: 5\nk6: 6\nk7: 7\nk8: 8\nk9: 9\n"
     "ka: 10\nk3: 11\n",
     11, 1, "duplicate key 'k3' (first at 3:1)"},
    {"test_yamldoc_parse_rejects_late_duplicate_of_a_late_key",
     "k1: 1\nk2: 2\nk3: 3\nk4: 4\nk5: 5\nk6: 6\nk7: 7\nk8: 8\nk9: 9\n"
     "ka: 10\nkb: 11\nka: 12\n",
     12, 1, "duplicate key 'ka' (first at 10:1)"},
    {"test_yamldoc_parse_rejects_anchor", "a: &x 1\nb: 2\n", 1, 4,
     "anchors (&x) are not supported"},
    {"test_yamldoc_parse_rejects_anchor_on_mapping", "a: &m\n  k: 1\n", 1, 4,
     "anchors (&m) are not supported"},
    {"test_yamldoc_parse_rejects_alias", "a: 1\nb: *x\n", 2, 4,
     "aliases (*x) are not supported"},
    {"test_yamldoc_parse_rejects_alias_as_key", "a: 1\n*x : 2\n", 2, 1,
     "aliases (*x) are not supported"},
    {"test_yamldoc_parse_rejects_complex_key", "? [a, b]\n: 1\n", 1, 3,
     "a mapping key must be a plain string, got a list"},
    {"test_yamldoc_parse_rejects_second_document", "a: 1\n---\nb: 2\n", 2, 1,
     "a second YAML document"},
    {"test_yamldoc_parse_reports_missing_colon_at_the_key", "a: 1\nb c\nd: 2\n",
     2, 1, "expected ':' after a mapping key"},
    {"test_yamldoc_parse_reports_unclosed_flow_mapping", "a: {x: 1\n", 2, 1,
     "expected ',' or '}' in a {...} mapping (while parsing a flow mapping "
     "at 1:4)"},
    {"test_yamldoc_parse_reports_tab_indentation", "a:\n\t- b\n", 2, 1,
     "cannot start a YAML token"},
    {"test_yamldoc_parse_reports_bad_indentation", "a:\n  b: 1\n c: 2\n", 3, 2,
     "expected a key"},
    {"test_yamldoc_parse_says_which_column_a_list_item_key_needs",
     "e:\n  - name: x\n   path: /x\n", 3, 4,
     "'path' is at column 4: indent it to column 5 to continue the list "
     "item at 2:3, or start a new item with '- ' at column 3"},
    {"test_yamldoc_parse_names_the_nearest_item_for_a_key_without_dash",
     "e:\n  - a: 1\n  - b: 2\n    c: 3\n  d: 4\n", 5, 3,
     "'d' is at column 3: indent it to column 5 to continue the list item "
     "at 3:3"},
    {"test_yamldoc_parse_says_a_key_is_deeper_than_the_key_above",
     "e:\n  - name: x\n     path: /x\n", 3, 6,
     "'path' is at column 6, deeper than 'name' above it: indent it to "
     "column 5"},
    {"test_yamldoc_parse_reports_invalid_utf8", "a: 1\nb: \xff\n", 2, 4,
     "invalid YAML text"},
    {"test_yamldoc_parse_rejects_nul_in_string", "a: \"x\\0y\"\n", 1, 4,
     "NUL character"},
};

static void run_error_case(void **state)
{
  const struct error_case *c = *state;
  struct al_ynode *root = (struct al_ynode *)1;
  struct al_err err;
  memset(&err, 0, sizeof err);
  enum al_code rc =
      al_yamldoc_parse(c->yaml, strlen(c->yaml), "bad.yaml", &root, &err);
  print_message("got %s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
  assert_int_equal(rc, AL_E_SPEC);
  assert_null(root);
  assert_string_equal(err.file, "bad.yaml");
  assert_int_equal(err.line, c->line);
  assert_int_equal(err.col, c->col);
  assert_non_null(strstr(err.msg, c->msg));
}

static void test_yamldoc_parse_refuses_deep_nesting(void **state)
{
  (void)state;
  char text[400];
  size_t n = 0;
  for (int i = 0; i < 100; i++)
    text[n++] = '[';
  for (int i = 0; i < 100; i++)
    text[n++] = ']';
  text[n] = '\0';
  struct al_ynode *root = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_yamldoc_parse(text, n, "deep.yaml", &root, &err),
                   AL_E_SPEC);
  assert_null(root);
  assert_non_null(strstr(err.msg, "nested more than"));
  assert_int_equal(err.line, 1);
}

static void test_yamldoc_load_reads_a_file(void **state)
{
  (void)state;
  char path[] = "/tmp/test_yamldoc_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fputs("k: v\n", f);
  fclose(f);
  struct al_ynode *root = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_yamldoc_load(path, &root, &err), AL_OK);
  assert_string_equal(al_ynode_get(root, "k")->value, "v");
  al_ynode_free(root);
  remove(path);
}

static void test_yamldoc_load_reports_a_missing_file(void **state)
{
  (void)state;
  struct al_ynode *root = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  assert_int_equal(al_yamldoc_load("/nonexistent/x.yaml", &root, &err),
                   AL_E_IO);
  assert_null(root);
  assert_string_equal(err.file, "/nonexistent/x.yaml");
  assert_non_null(strstr(err.msg, "No such file"));
}

/* Writes "k: v" and a comment, 'len' bytes in all, to a temporary file. */
static void write_padded(char *path, size_t len)
{
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fputs("k: v\n#", f);
  for (size_t i = 6; i < len - 1; i++)
    fputc('x', f);
  fputc('\n', f);
  assert_int_equal(fclose(f), 0);
}

/* The limit is the largest size taken, not one byte under it: a file of
 * exactly 8192 bytes (the first read's size) was once refused as "larger
 * than 8192 bytes". */
static void test_yamldoc_load_max_takes_exactly_max_bytes(void **state)
{
  (void)state;
  struct al_ynode *root = NULL;
  struct al_err err;
  memset(&err, 0, sizeof err);
  char path[] = "/tmp/test_yamldoc_XXXXXX";
  write_padded(path, 8192);
  assert_int_equal(al_yamldoc_load_max(path, 8192, &root, &err), AL_OK);
  assert_string_equal(al_ynode_get(root, "k")->value, "v");
  al_ynode_free(root);
  root = NULL;
  assert_int_equal(al_yamldoc_load_max(path, 8191, &root, &err), AL_E_IO);
  assert_null(root);
  assert_string_equal(err.file, path);
  assert_string_equal(err.msg, "file is larger than 8191 bytes");
  remove(path);
}

/* ---- al_ystream: one list of the root, item by item ---- */

/* Writes 'text' to a new temporary file; its path goes in 'path'. */
static void write_file(char *path, const char *text)
{
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_ystream_reads_the_list_item_by_item(void **state)
{
  (void)state;
  char path[] = "/tmp/test_ystream_XXXXXX";
  write_file(path, "version: 1\nbase: x\nendpoints:\n  - {a: 1}\n"
                   "  - b: [2, 3]\n    c: d\n  - plain\n");
  const struct al_ynode *root = NULL;
  struct al_ystream *s = al_ystream_open(path, "endpoints", &root);
  assert_non_null(s);
  assert_int_equal(root->count, 3);
  assert_string_equal(al_ynode_get(root, "base")->value, "x");
  const struct al_ynode *list = al_ynode_get(root, "endpoints");
  assert_int_equal(list->kind, AL_YNODE_SEQ);
  assert_int_equal(list->count, 0);
  assert_int_equal(list->line, 4);
  struct al_ynode *item = NULL;
  assert_int_equal(al_ystream_next(s, &item), 1);
  assert_string_equal(al_ynode_get(item, "a")->value, "1");
  assert_int_equal(item->line, 4);
  al_ynode_free(item);
  assert_int_equal(al_ystream_next(s, &item), 1);
  assert_int_equal(al_ynode_get(item, "b")->count, 2);
  assert_string_equal(al_ynode_get(item, "c")->value, "d");
  assert_int_equal(item->line, 5);
  assert_int_equal(item->col, 5);
  al_ynode_free(item);
  assert_int_equal(al_ystream_next(s, &item), 1);
  assert_string_equal(item->value, "plain");
  al_ynode_free(item);
  assert_int_equal(al_ystream_next(s, &item), 0);
  assert_null(item);
  assert_int_equal(al_ystream_next(s, &item), 0);
  assert_int_equal(al_ystream_finish(s), 1);
  al_ystream_close(s);
  remove(path);
}

static void test_ystream_finish_reads_the_items_not_taken(void **state)
{
  (void)state;
  char path[] = "/tmp/test_ystream_XXXXXX";
  write_file(path, "endpoints:\n  - a\n  - b\n");
  const struct al_ynode *root = NULL;
  struct al_ystream *s = al_ystream_open(path, "endpoints", &root);
  assert_non_null(s);
  assert_int_equal(al_ystream_finish(s), 1);
  al_ystream_close(s);
  remove(path);
}

/* A list much longer than the queue between the parser's thread and the
 * reader: every item arrives, in order; the keys after the list are
 * still refused at the end. */
static void write_long_list(char *path, int items, const char *after)
{
  struct al_buf b;
  al_buf_init(&b);
  assert_int_equal(al_buf_append_str(&b, "version: 1\nendpoints:\n"), AL_OK);
  for (int i = 0; i < items; i++)
    assert_int_equal(
        al_buf_printf(&b, "  - name: e%d\n    expect: {status: 200}\n", i),
        AL_OK);
  assert_int_equal(al_buf_append_str(&b, after), AL_OK);
  write_file(path, al_buf_str(&b));
  al_buf_cleanup(&b);
}

static void test_ystream_long_list_arrives_whole_and_in_order(void **state)
{
  (void)state;
  char path[] = "/tmp/test_ystream_XXXXXX";
  write_long_list(path, 5000, "");
  const struct al_ynode *root = NULL;
  struct al_ystream *s = al_ystream_open(path, "endpoints", &root);
  assert_non_null(s);
  struct al_ynode *item = NULL;
  int got, n = 0;
  char want[32];
  while ((got = al_ystream_next(s, &item)) == 1 && n <= 5000) {
    snprintf(want, sizeof want, "e%d", n++);
    assert_string_equal(al_ynode_get(item, "name")->value, want);
    al_ynode_free(item);
  }
  assert_int_equal(got, 0);
  assert_int_equal(n, 5000);
  assert_int_equal(al_ystream_finish(s), 1);
  al_ystream_close(s);
  remove(path);
}

/* Closed after a few items while the parser's thread waits for room (and
 * after a refusal at the end): no hang, nothing leaked (ASan). */
static void test_ystream_close_early_stops_the_parser(void **state)
{
  (void)state;
  char path[] = "/tmp/test_ystream_XXXXXX";
  write_long_list(path, 5000, "version: 2\n");
  const struct al_ynode *root = NULL;
  struct al_ystream *s = al_ystream_open(path, "endpoints", &root);
  assert_non_null(s);
  struct al_ynode *item = NULL;
  assert_int_equal(al_ystream_next(s, &item), 1);
  al_ynode_free(item);
  al_ystream_close(s); /* with most of the list unread */
  s = al_ystream_open(path, "endpoints", &root);
  assert_non_null(s);
  assert_int_equal(al_ystream_finish(s), 0); /* the key after the list */
  al_ystream_close(s);
  remove(path);
}

/* Whatever the whole-tree reading could say otherwise is refused, at the
 * step where it shows: open (NULL), next (-1) or finish (0). */
struct refusal {
  const char *text;
  int at; /* 0 open, 1 next, 2 finish */
};

static const struct refusal refusals[] = {
    {"endpoints: [a]\nversion: 1\n", 2},     /* a key after the list */
    {"endpoints: [a]\nendpoints: [b]\n", 2}, /* a duplicate list */
    {"endpoints: [a]\n---\nx: 1\n", 2},      /* a second document */
    {"endpoints: [a]\nx: [\n", 2},           /* broken after the list */
    {"{\"endpoints\": [\"a\"]}\n", 0},       /* JSON: read whole */
    {"  [1, 2]\n", 0},                       /* JSON after spaces */
    {"version: 1\n", 0},                     /* no such list */
    {"endpoints: {a: 1}\n", 0},              /* not a list */
    {"endpoints: &l [a]\n", 0},              /* an anchor on it */
    {"- a\n- b\n", 0},                       /* the root is a list */
    {"a: 1\na: 2\nendpoints: [x]\n", 0},     /* duplicate before it */
    {"x: *y\nendpoints: [a]\n", 0},          /* an alias before it */
    {"", 0},                                 /* no document */
    {"endpoints:\n  - {a: 1, a: 2}\n", 1},   /* duplicate in an item */
    {"endpoints:\n  - &x a\n", 1},           /* an anchor in an item */
    {"endpoints:\n  - a\n  - [b\n", 1},      /* broken in an item */
};

static void run_refusal(void **state)
{
  const struct refusal *r = *state;
  char path[] = "/tmp/test_ystream_XXXXXX";
  write_file(path, r->text);
  const struct al_ynode *root = NULL;
  struct al_ystream *s = al_ystream_open(path, "endpoints", &root);
  if (r->at == 0) {
    assert_null(s);
    assert_null(root);
  } else {
    assert_non_null(s);
    struct al_ynode *item = NULL;
    int got;
    while ((got = al_ystream_next(s, &item)) == 1)
      al_ynode_free(item);
    assert_int_equal(got, r->at == 1 ? -1 : 0);
    assert_int_equal(al_ystream_finish(s), 0);
  }
  al_ystream_close(s);
  remove(path);
}

static void test_ystream_refuses_what_is_not_a_regular_file(void **state)
{
  (void)state;
  const struct al_ynode *root = NULL;
  assert_null(al_ystream_open("/dev/null", "endpoints", &root));
  assert_null(al_ystream_open("/nonexistent/x.yaml", "endpoints", &root));
  assert_null(root);
}

int main(void)
{
  const struct CMUnitTest fixed[] = {
      cmocka_unit_test(
          test_yamldoc_parse_records_line_and_column_of_every_node),
      cmocka_unit_test(test_yamldoc_get_is_exact_and_null_safe),
      cmocka_unit_test(test_yamldoc_scalar_helpers_follow_the_core_schema),
      cmocka_unit_test(test_yamldoc_empty_document_is_an_empty_mapping),
      cmocka_unit_test(test_yamldoc_block_scalar_counts_as_quoted),
      cmocka_unit_test(test_yamldoc_parse_refuses_deep_nesting),
      cmocka_unit_test(test_yamldoc_load_reads_a_file),
      cmocka_unit_test(test_yamldoc_load_reports_a_missing_file),
      cmocka_unit_test(test_yamldoc_load_max_takes_exactly_max_bytes),
      cmocka_unit_test(test_ystream_reads_the_list_item_by_item),
      cmocka_unit_test(test_ystream_finish_reads_the_items_not_taken),
      cmocka_unit_test(test_ystream_long_list_arrives_whole_and_in_order),
      cmocka_unit_test(test_ystream_close_early_stops_the_parser),
      cmocka_unit_test(test_ystream_refuses_what_is_not_a_regular_file),
  };
  enum {
    NERR = sizeof error_cases / sizeof error_cases[0],
    NREF = sizeof refusals / sizeof refusals[0],
    NFIXED = sizeof fixed / sizeof fixed[0]
  };
  struct CMUnitTest tests[NERR + NREF + NFIXED];
  size_t n = 0;
  for (size_t i = 0; i < NFIXED; i++)
    tests[n++] = fixed[i];
  for (size_t i = 0; i < NERR; i++) {
    struct CMUnitTest t = {error_cases[i].name, run_error_case, NULL, NULL,
                           (void *)(uintptr_t)&error_cases[i]};
    tests[n++] = t;
  }
  static char names[NREF][32];
  for (size_t i = 0; i < NREF; i++) {
    snprintf(names[i], sizeof names[i], "ystream_refusal_%zu", i);
    struct CMUnitTest t = {names[i], run_refusal, NULL, NULL,
                           (void *)(uintptr_t)&refusals[i]};
    tests[n++] = t;
  }
  return _cmocka_run_group_tests("yamldoc", tests, n, NULL, NULL);
}
