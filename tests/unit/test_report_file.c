/* test_report_file.c - report files are written whole or not at all. The
 * failures are real ones, not simulated: a directory that does not exist, a
 * target that is a directory (rename fails), a writer that reports an
 * error, and the kernel refusing to grow the file (RLIMIT_FSIZE makes
 * write(2) fail with EFBIG exactly as a full disk fails with ENOSPC: at
 * fflush time, after the writer believed it succeeded). Tests run as root,
 * so read-only permissions would not stop a write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_fixture.h"

struct file_state {
  struct fx *fx;
  char dir[64];
  char path[128]; /* dir/report.out */
};

static int setup(void **state)
{
  struct file_state *s = calloc(1, sizeof *s);
  if (!s)
    return -1;
  s->fx = fx_new();
  strcpy(s->dir, "/tmp/al_rfile_XXXXXX");
  if (!mkdtemp(s->dir))
    return -1;
  snprintf(s->path, sizeof s->path, "%s/report.out", s->dir);
  *state = s;
  return 0;
}

/* Removes everything the test left in its directory (one level). */
static int teardown(void **state)
{
  struct file_state *s = *state;
  DIR *d = opendir(s->dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      char p[512];
      snprintf(p, sizeof p, "%s/%s", s->dir, e->d_name);
      if (rmdir(p) != 0)
        unlink(p);
    }
    closedir(d);
  }
  rmdir(s->dir);
  fx_free(s->fx);
  free(s);
  return 0;
}

/* Entries in the test directory besides . and .. */
static int dir_entries(const struct file_state *s)
{
  DIR *d = opendir(s->dir);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  struct al_buf b;
  al_buf_init(&b);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    assert_int_equal(al_buf_append(&b, chunk, n), AL_OK);
  fclose(f);
  char *text = al_buf_detach(&b);
  assert_non_null(text);
  return text;
}

static void put_file(const char *path, const char *text, mode_t mode)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(chmod(path, mode), 0);
}

static void test_report_writer_registry(void **state)
{
  (void)state;
  assert_ptr_equal(al_reporter_find("text"), &al_reporter_text);
  assert_ptr_equal(al_reporter_find("json"), &al_reporter_json);
  assert_ptr_equal(al_reporter_find("junit"), &al_reporter_junit);
  assert_null(al_reporter_find("no-such-format"));
  assert_null(al_reporter_find("JSON"));
  assert_null(al_reporter_find(NULL));
}

static void test_report_file_writes_whole_report(void **state)
{
  struct file_state *s = *state;
  struct al_err err = {0};
  mode_t old = umask(022);
  enum al_code rc = al_report_write_file(s->path, al_report_write_json,
                                         &s->fx->report, NULL, &err);
  umask(old);
  assert_int_equal(rc, AL_OK);
  char *want = fx_render(al_report_write_json, &s->fx->report, NULL);
  char *got = slurp(s->path);
  assert_string_equal(got, want);
  free(want);
  free(got);
  assert_int_equal(dir_entries(s), 1); /* no temporary file left */
  struct stat st;
  assert_int_equal(stat(s->path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0644);
}

/* Replacing keeps the old file's permissions (a 0600 report stays
 * private) and leaves nothing else behind. */
static void test_report_file_replaces_and_keeps_mode(void **state)
{
  struct file_state *s = *state;
  put_file(s->path, "OLD\n", 0600);
  struct al_err err = {0};
  assert_int_equal(al_report_write_file(s->path, al_report_write_text,
                                        &s->fx->report, NULL, &err),
                   AL_OK);
  char *got = slurp(s->path);
  assert_non_null(strstr(got, "5 endpoints, 4 errors"));
  free(got);
  struct stat st;
  assert_int_equal(stat(s->path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(dir_entries(s), 1);
}

static void test_report_file_missing_directory(void **state)
{
  struct file_state *s = *state;
  char path[256];
  snprintf(path, sizeof path, "%s/no/such/dir/report.xml", s->dir);
  struct al_err err = {0};
  assert_int_equal(al_report_write_file(path, al_report_write_junit,
                                        &s->fx->report, NULL, &err),
                   AL_E_IO);
  assert_string_equal(err.file, path);
  assert_non_null(strstr(err.msg, "No such file or directory"));
  assert_int_equal(dir_entries(s), 0);
}

/* A failing writer: the old file stays as it was, the temp file goes. */
static enum al_code half_then_fail(FILE *out, const struct al_report *report,
                                   const struct al_report_opts *opts)
{
  (void)report;
  (void)opts;
  fputs("{\"half\": ", out);
  fflush(out); /* the partial text really reaches the temporary file */
  return AL_E_IO;
}

static void test_report_file_writer_error_keeps_old_file(void **state)
{
  struct file_state *s = *state;
  put_file(s->path, "OLD\n", 0644);
  struct al_err err = {0};
  assert_int_equal(
      al_report_write_file(s->path, half_then_fail, &s->fx->report, NULL, &err),
      AL_E_IO);
  assert_true(err.msg[0] != '\0');
  char *got = slurp(s->path);
  assert_string_equal(got, "OLD\n");
  free(got);
  assert_int_equal(dir_entries(s), 1);
}

/* Writes far more than the file size limit allows and reports success:
 * the failure only shows when the buffered bytes are flushed. */
static enum al_code big_writer(FILE *out, const struct al_report *report,
                               const struct al_report_opts *opts)
{
  (void)report;
  (void)opts;
  for (int i = 0; i < 4096; i++)
    fputs("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\n",
          out);
  return AL_OK;
}

static void test_report_file_disk_full_keeps_old_file(void **state)
{
  struct file_state *s = *state;
  put_file(s->path, "OLD\n", 0644);
  struct rlimit saved, small;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
  small = saved;
  small.rlim_cur = 16384;
  void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  struct al_err err = {0};
  enum al_code rc =
      al_report_write_file(s->path, big_writer, &s->fx->report, NULL, &err);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
  signal(SIGXFSZ, old_handler);

  assert_int_equal(rc, AL_E_IO);
  assert_non_null(strstr(err.msg, "File too large"));
  char *got = slurp(s->path);
  assert_string_equal(got, "OLD\n");
  free(got);
  assert_int_equal(dir_entries(s), 1);
}

/* rename(2) itself fails: the target is a non-empty directory. */
static void test_report_file_rename_failure_removes_temp(void **state)
{
  struct file_state *s = *state;
  assert_int_equal(mkdir(s->path, 0755), 0);
  char inner[256];
  snprintf(inner, sizeof inner, "%s/keep", s->path);
  put_file(inner, "x", 0644);
  struct al_err err = {0};
  assert_int_equal(al_report_write_file(s->path, al_report_write_text,
                                        &s->fx->report, NULL, &err),
                   AL_E_IO);
  assert_non_null(strstr(err.msg, "cannot replace"));
  assert_int_equal(dir_entries(s), 1); /* just the directory */
  unlink(inner);
}

/* Through a symlink: the file behind it is replaced, the link stays. */
static void test_report_file_follows_symlink(void **state)
{
  struct file_state *s = *state;
  char real[256];
  snprintf(real, sizeof real, "%s/real.txt", s->dir);
  put_file(real, "OLD\n", 0640);
  assert_int_equal(symlink("real.txt", s->path), 0);
  struct al_err err = {0};
  assert_int_equal(al_report_write_file(s->path, al_report_write_text,
                                        &s->fx->report, NULL, &err),
                   AL_OK);
  struct stat st;
  assert_int_equal(lstat(s->path, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  assert_int_equal(stat(real, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0640);
  char *got = slurp(real);
  assert_non_null(strstr(got, "5 endpoints, 4 errors"));
  free(got);
  assert_int_equal(dir_entries(s), 2);
}

/* A device (--junit /dev/stdout) is written, not replaced. Reached through
 * a link in the test directory, so a regression would only replace the
 * link, never the device node. */
static void test_report_file_writes_device_directly(void **state)
{
  struct file_state *s = *state;
  assert_int_equal(symlink("/dev/null", s->path), 0);
  struct al_err err = {0};
  assert_int_equal(al_report_write_file(s->path, al_report_write_junit,
                                        &s->fx->report, NULL, &err),
                   AL_OK);
  struct stat st;
  assert_int_equal(lstat(s->path, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  assert_int_equal(dir_entries(s), 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_report_writer_registry),
      cmocka_unit_test_setup_teardown(test_report_file_writes_whole_report,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_file_replaces_and_keeps_mode,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_file_missing_directory, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_report_file_writer_error_keeps_old_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_file_disk_full_keeps_old_file,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_report_file_rename_failure_removes_temp, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_file_follows_symlink, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_report_file_writes_device_directly,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
