/* rule_trees.c - build-time tool: reads each built-in rule file with
 * al_yamldoc_parse and writes a C file holding the trees it produced as
 * static data, so apilint starts without parsing YAML (issue 8 goal 5: the
 * parse was ~13M of the ~16M instructions of loading the rules). Run by the
 * build (CMakeLists.txt):
 *
 *   apilint_rule_trees OUT.c rules/core.yaml rules/other.yaml ...
 *
 * OUT.c defines al_builtin_rule_trees[] (rule_builtin.h), one entry per
 * file in the order given, named "rules/<basename>" like the embedded
 * texts. Every node keeps its kind, value bytes, length, line, col, quoted
 * flag and children in order, so the loader reads exactly what it would
 * have parsed (tests/unit/test_rule_trees.c compares the two).
 *
 * Layout: three arrays shared by all files. nodes[] holds the nodes of each
 * file breadth-first from its root, so a node's children are consecutive;
 * links[] the keys and items arrays the nodes point into; text[] every
 * scalar's value with its NUL. They are not 'const': struct al_ynode's
 * pointers are not pointers to const (parsed trees are built and edited in
 * place), so const objects would need casts that drop const. The program
 * sees them only through 'const struct al_ynode *'. text[] is a list of
 * character constants, not a string literal: ISO C's limit on a literal's
 * length (-Woverlength-strings) and trigraphs ("??(" in a pattern) do not
 * apply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "yamldoc.h"

/* Every node of every file, in output order; per node, where its value
 * starts in text[] and its keys and items in links[]. */
struct flat {
  const struct al_ynode **node;
  size_t *text_at;
  size_t *keys_at;
  size_t *items_at;
  size_t count, cap;
};

static int flat_push(struct flat *f, const struct al_ynode *n)
{
  if (f->count == f->cap) {
    size_t ncap = f->cap ? f->cap * 2 : 1024;
    const struct al_ynode **node = realloc(f->node, ncap * sizeof *node);
    if (!node)
      return -1;
    f->node = node;
    f->cap = ncap;
  }
  f->node[f->count++] = n;
  return 0;
}

/* Appends the tree under 'root' breadth-first: each node's keys, then its
 * items, follow the children of the nodes before it, so they get
 * consecutive indices (what emit_links relies on). */
static int flat_add_tree(struct flat *f, const struct al_ynode *root)
{
  size_t at = f->count;
  if (flat_push(f, root) != 0)
    return -1;
  for (; at < f->count; at++) {
    const struct al_ynode *n = f->node[at];
    for (size_t i = 0; n->keys && i < n->count; i++)
      if (flat_push(f, n->keys[i]) != 0)
        return -1;
    for (size_t i = 0; n->items && i < n->count; i++)
      if (flat_push(f, n->items[i]) != 0)
        return -1;
  }
  return 0;
}

static int flat_alloc_offsets(struct flat *f)
{
  size_t n = f->count ? f->count : 1;
  f->text_at = calloc(n, sizeof *f->text_at);
  f->keys_at = calloc(n, sizeof *f->keys_at);
  f->items_at = calloc(n, sizeof *f->items_at);
  return f->text_at && f->keys_at && f->items_at ? 0 : -1;
}

static void flat_free(struct flat *f)
{
  free(f->node);
  free(f->text_at);
  free(f->keys_at);
  free(f->items_at);
}

/* One byte as a character constant: 'a' when printable, else '\ooo' (a
 * plain number over 127 would not fit a signed char). */
static void emit_char(FILE *out, unsigned char c)
{
  if (c >= ' ' && c <= '~' && c != '\'' && c != '\\')
    fprintf(out, "'%c',", c);
  else
    fprintf(out, "'\\%03o',", c);
}

/* text[]: each scalar's value_len bytes and a NUL, 12 bytes a line. */
static void emit_text(FILE *out, struct flat *f)
{
  size_t at = 0;
  fputs("static char text[] = {", out);
  for (size_t i = 0; i < f->count; i++) {
    const struct al_ynode *n = f->node[i];
    if (n->kind != AL_YNODE_SCALAR)
      continue;
    f->text_at[i] = at;
    for (size_t k = 0; k <= n->value_len; k++, at++) {
      unsigned char c = k < n->value_len ? (unsigned char)n->value[k] : 0;
      fputs(at % 12 ? " " : "\n  ", out);
      emit_char(out, c);
    }
  }
  if (at == 0)
    fputs("0", out); /* no scalar at all: an array cannot be empty */
  fputs("};\n\n", out);
}

/* links[]: per node, its keys then its items, each the address of a child
 * in nodes[]. Children are consecutive from 'child' (breadth-first order,
 * flat_add_tree), which starts after each file's root. */
static void emit_links(FILE *out, struct flat *f)
{
  size_t at = 0, child = 0;
  fputs("static struct al_ynode *links[] = {", out);
  for (size_t i = 0; i < f->count; i++) {
    const struct al_ynode *n = f->node[i];
    if (child <= i)
      child = i + 1; /* a new file's root: its children follow it */
    if (n->keys && n->count) {
      f->keys_at[i] = at;
      for (size_t k = 0; k < n->count; k++, at++)
        fprintf(out, "%s&nodes[%zu],", at % 4 ? " " : "\n  ", child++);
    }
    if (n->items && n->count) {
      f->items_at[i] = at;
      for (size_t k = 0; k < n->count; k++, at++)
        fprintf(out, "%s&nodes[%zu],", at % 4 ? " " : "\n  ", child++);
    }
  }
  if (at == 0)
    fputs("0", out);
  fputs("};\n\n", out);
}

static const char *kind_name(enum al_ynode_kind kind)
{
  switch (kind) {
  case AL_YNODE_SCALAR:
    return "AL_YNODE_SCALAR";
  case AL_YNODE_MAP:
    return "AL_YNODE_MAP";
  case AL_YNODE_SEQ:
    break;
  }
  return "AL_YNODE_SEQ";
}

static void emit_nodes(FILE *out, const struct flat *f)
{
  fprintf(out, "static struct al_ynode nodes[%zu] = {\n", f->count);
  for (size_t i = 0; i < f->count; i++) {
    const struct al_ynode *n = f->node[i];
    fprintf(out, "  {.kind = %s, .line = %d, .col = %d, .quoted = %d",
            kind_name(n->kind), n->line, n->col, n->quoted);
    if (n->kind == AL_YNODE_SCALAR)
      fprintf(out, ", .value = &text[%zu], .value_len = %zu", f->text_at[i],
              n->value_len);
    if (n->keys && n->count)
      fprintf(out, ", .keys = &links[%zu]", f->keys_at[i]);
    if (n->items && n->count)
      fprintf(out, ", .items = &links[%zu]", f->items_at[i]);
    if (n->count)
      fprintf(out, ", .count = %zu", n->count);
    fputs("},\n", out);
  }
  fputs("};\n\n", out);
}

static const char *base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static void emit_table(FILE *out, char **paths, const size_t *roots,
                       size_t files)
{
  fputs("const struct al_builtin_rule_tree al_builtin_rule_trees[] = {\n", out);
  for (size_t i = 0; i < files; i++)
    fprintf(out, "  {\"rules/%s\", &nodes[%zu]},\n", base_name(paths[i]),
            roots[i]);
  if (files == 0)
    fputs("  {0, 0},\n", out);
  fprintf(out, "};\nconst size_t al_builtin_rule_tree_count = %zu;\n", files);
}

/* Writes 'out_path' through a temporary file, so an interrupted build never
 * leaves half a file that looks up to date. */
static int write_file(const char *out_path, struct flat *f, char **paths,
                      const size_t *roots, size_t files)
{
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", out_path) >= (int)sizeof tmp)
    return -1;
  FILE *out = fopen(tmp, "w");
  if (!out) {
    perror(tmp);
    return -1;
  }
  fputs("/* Generated from the rules directory by tools/rule_trees.c. */\n"
        "#include \"rule_builtin.h\"\n#include \"yamldoc.h\"\n\n",
        out);
  fprintf(out, "static struct al_ynode nodes[%zu];\n\n", f->count);
  emit_text(out, f);
  emit_links(out, f);
  emit_nodes(out, f);
  emit_table(out, paths, roots, files);
  int failed = ferror(out);
  if (fclose(out) != 0 || failed || rename(tmp, out_path) != 0) {
    perror(out_path);
    remove(tmp);
    return -1;
  }
  return 0;
}

/* Reads and parses one rule file exactly as the embedded text is parsed
 * (al_yamldoc_parse, named "rules/<basename>"), so the tree is the one the
 * loader would have built at start-up. */
static int parse_rule_file(const char *path, struct al_ynode **out)
{
  char name[512];
  snprintf(name, sizeof name, "rules/%s", base_name(path));
  struct al_buf b;
  al_buf_init(&b);
  if (al_buf_read_file(&b, path, 16u * 1024 * 1024) != AL_READ_OK) {
    fprintf(stderr, "apilint_rule_trees: cannot read %s\n", path);
    al_buf_cleanup(&b);
    return -1;
  }
  struct al_err err = {0};
  enum al_code rc = al_yamldoc_parse(al_buf_str(&b), b.len, name, out, &err);
  al_buf_cleanup(&b);
  if (rc != AL_OK) {
    fprintf(stderr, "%s:%d:%d: %s\n", path, err.line, err.col, err.msg);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fputs("usage: apilint_rule_trees OUT.c RULE_FILE.yaml...\n", stderr);
    return 2;
  }
  size_t files = (size_t)argc - 2;
  struct al_ynode **trees = calloc(files ? files : 1, sizeof *trees);
  size_t *roots = calloc(files ? files : 1, sizeof *roots);
  struct flat f = {0};
  int rc = trees && roots ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < files; i++) {
    rc = parse_rule_file(argv[i + 2], &trees[i]);
    if (rc != 0)
      break;
    roots[i] = f.count;
    rc = flat_add_tree(&f, trees[i]);
  }
  if (rc == 0)
    rc = flat_alloc_offsets(&f);
  if (rc == 0)
    rc = write_file(argv[1], &f, argv + 2, roots, files);
  flat_free(&f);
  for (size_t i = 0; trees && i < files; i++)
    al_ynode_free(trees[i]);
  free(trees);
  free(roots);
  return rc == 0 ? 0 : 1;
}
