/* test_cli.c - the command line: every option of CONTRACT.md, the commands,
 * and the usage errors (which must name the problem and point at --help). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* argv strings are writable in a real main(); string literals are const
 * here (-Wwrite-strings), so the tests copy them into writable storage that
 * lives as long as the parsed struct borrows it (until the next call). */
static char arg_store[32][128];
static char *arg_ptrs[32];

static enum al_code parse_args(struct al_cli *cli, struct al_err *err, int argc,
                               const char *const *args)
{
  for (int i = 0; i < argc && i < 32; i++) {
    snprintf(arg_store[i], sizeof arg_store[i], "%s", args[i]);
    arg_ptrs[i] = arg_store[i];
  }
  return al_cli_parse(argc, arg_ptrs, cli, err);
}

static void test_cli_defaults_for_a_plain_spec(void **state)
{
  (void)state;
  const char *argv[] = {"apilint", "specs/api.yaml"};
  struct al_cli cli;
  struct al_err err = {0};
  assert_int_equal(parse_args(&cli, &err, ARGC(argv), argv), AL_OK);
  assert_int_equal(cli.command, AL_CMD_LINT);
  assert_int_equal(cli.jobs, 8);
  assert_int_equal(cli.timeout_ms, 10000);
  assert_int_equal(cli.fail_on, AL_SEV_ERROR);
  assert_string_equal(cli.format, "text");
  assert_int_equal(cli.spec_count, 1);
  assert_string_equal(cli.specs[0], "specs/api.yaml");
  assert_int_equal(cli.probe_count, 0);
  assert_null(cli.probes);
  assert_int_equal(cli.burst, 0);
  al_cli_cleanup(&cli);
}

static void test_cli_parses_every_option(void **state)
{
  (void)state;
  const char *argv[] = {"apilint",
                        "-j16",
                        "--junit",
                        "out.xml",
                        "--json=o.json",
                        "-f",
                        "json",
                        "--fail-on",
                        "warning",
                        "--base-url",
                        "http://127.0.0.1:1",
                        "-H",
                        "X-A: 1",
                        "--header=X-B: 2",
                        "--timeout",
                        "2.5",
                        "--rules",
                        "org.yaml",
                        "--enable",
                        "a-rule",
                        "--disable",
                        "b-rule",
                        "--no-color",
                        "--probe",
                        "head",
                        "--probe=rate-limit",
                        "--burst",
                        "200",
                        "-qv",
                        "one.yaml",
                        "two.yaml"};
  struct al_cli cli;
  struct al_err err = {0};
  assert_int_equal(parse_args(&cli, &err, ARGC(argv), argv), AL_OK);
  assert_int_equal(cli.jobs, 16);
  assert_string_equal(cli.junit_path, "out.xml");
  assert_string_equal(cli.json_path, "o.json");
  assert_string_equal(cli.format, "json");
  assert_int_equal(cli.fail_on, AL_SEV_WARNING);
  assert_string_equal(cli.base_url, "http://127.0.0.1:1");
  assert_int_equal(cli.header_count, 2);
  assert_string_equal(cli.headers[1], "X-B: 2");
  assert_int_equal(cli.timeout_ms, 2500);
  assert_int_equal(cli.rule_file_count, 1);
  assert_int_equal(cli.switch_count, 2);
  assert_string_equal(cli.switches[0].id, "a-rule");
  assert_int_equal(cli.switches[0].on, 1);
  assert_int_equal(cli.switches[1].on, 0);
  assert_true(cli.no_color);
  assert_int_equal(cli.probe_count, 2);
  assert_string_equal(cli.probes[0], "head");
  assert_string_equal(cli.probes[1], "rate-limit");
  assert_int_equal(cli.burst, 200);
  assert_true(cli.quiet);
  assert_true(cli.verbose);
  assert_int_equal(cli.spec_count, 2);
  al_cli_cleanup(&cli);
}

static void test_cli_recognises_commands(void **state)
{
  (void)state;
  struct al_cli cli;
  struct al_err err = {0};
  const char *rules[] = {"apilint", "rules"};
  assert_int_equal(parse_args(&cli, &err, ARGC(rules), rules), AL_OK);
  assert_int_equal(cli.command, AL_CMD_RULES);
  al_cli_cleanup(&cli);

  const char *explain[] = {"apilint", "explain", "retry-after-missing"};
  assert_int_equal(parse_args(&cli, &err, ARGC(explain), explain), AL_OK);
  assert_int_equal(cli.command, AL_CMD_EXPLAIN);
  assert_string_equal(cli.target, "retry-after-missing");
  al_cli_cleanup(&cli);

  /* A probe name parses like a rule id; the run decides which it is. */
  const char *explain_probe[] = {"apilint", "explain", "rate-limit"};
  assert_int_equal(parse_args(&cli, &err, ARGC(explain_probe), explain_probe),
                   AL_OK);
  assert_int_equal(cli.command, AL_CMD_EXPLAIN);
  assert_string_equal(cli.target, "rate-limit");
  assert_int_equal(cli.probe_count, 0);
  al_cli_cleanup(&cli);

  const char *check[] = {"apilint", "check", "http://127.0.0.1:9/x", "-X",
                         "POST"};
  assert_int_equal(parse_args(&cli, &err, ARGC(check), check), AL_OK);
  assert_int_equal(cli.command, AL_CMD_CHECK);
  assert_string_equal(cli.target, "http://127.0.0.1:9/x");
  assert_string_equal(cli.method, "POST");
  al_cli_cleanup(&cli);

  /* A spec file named like a command, given as a path. */
  const char *path[] = {"apilint", "./rules"};
  assert_int_equal(parse_args(&cli, &err, ARGC(path), path), AL_OK);
  assert_int_equal(cli.command, AL_CMD_LINT);
  al_cli_cleanup(&cli);

  const char *version[] = {"apilint", "--version"};
  assert_int_equal(parse_args(&cli, &err, ARGC(version), version), AL_OK);
  assert_int_equal(cli.command, AL_CMD_VERSION);
  al_cli_cleanup(&cli);
}

/* --probe is repeatable, takes `all`, keeps each name once in order; --burst
 * takes 1..1000. */
static void test_cli_collects_probes_and_burst(void **state)
{
  (void)state;
  const char *argv[] = {"apilint", "--probe",  "all",        "--probe=head",
                        "a.yaml",  "--probe",  "all",        "--probe",
                        "head",    "--probe",  "rate-limit", "--burst",
                        "1000",    "--burst=1"};
  struct al_cli cli;
  struct al_err err = {0};
  assert_int_equal(parse_args(&cli, &err, ARGC(argv), argv), AL_OK);
  assert_int_equal(cli.command, AL_CMD_LINT);
  assert_int_equal(cli.probe_count, 3);
  assert_string_equal(cli.probes[0], "all");
  assert_string_equal(cli.probes[1], "head");
  assert_string_equal(cli.probes[2], "rate-limit");
  assert_int_equal(cli.burst, 1); /* the last one given */
  assert_int_equal(cli.spec_count, 1);
  al_cli_cleanup(&cli);
  assert_null(cli.probes);
  assert_int_equal(cli.probe_count, 0);

  /* every probe name of RULES.md */
  static const char *const names[] = {
      "method-not-allowed", "options", "unauthenticated", "malformed-body",
      "conditional",        "head",    "not-acceptable",  "rate-limit"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char *one[] = {"apilint", "--probe", names[i], "a.yaml"};
    assert_int_equal(parse_args(&cli, &err, ARGC(one), one), AL_OK);
    assert_int_equal(cli.probe_count, 1);
    assert_string_equal(cli.probes[0], names[i]);
    al_cli_cleanup(&cli);
  }
}

/* Issue 9: the options for reaching the API, with curl's spellings. */
static void test_cli_parses_reach_options(void **state)
{
  (void)state;
  const char *argv[] = {"apilint",
                        "--cacert",
                        "ca.pem",
                        "--capath=ca.d",
                        "-k",
                        "--cert",
                        "c.pem:pw",
                        "--cert-type",
                        "PEM",
                        "--key",
                        "k.pem",
                        "--key-type",
                        "DER",
                        "--http2-prior-knowledge",
                        "-x",
                        "http://p:1",
                        "--noproxy",
                        "*",
                        "--rate",
                        "5/m",
                        "--retry",
                        "3",
                        "--retry-delay",
                        "0.5",
                        "a.yaml"};
  struct al_cli cli;
  struct al_err err = {0};
  assert_int_equal(parse_args(&cli, &err, ARGC(argv), argv), AL_OK);
  assert_string_equal(cli.reach.cacert, "ca.pem");
  assert_string_equal(cli.reach.capath, "ca.d");
  assert_int_equal(cli.reach.insecure, 1);
  assert_string_equal(cli.reach.cert, "c.pem");
  assert_string_equal(cli.reach.key_password, "pw");
  assert_string_equal(cli.reach.cert_type, "PEM");
  assert_string_equal(cli.reach.key, "k.pem");
  assert_string_equal(cli.reach.key_type, "DER");
  assert_int_equal(cli.reach.http_version, AL_HTTP_2_PRIOR);
  assert_string_equal(cli.reach.proxy, "http://p:1");
  assert_string_equal(cli.reach.noproxy, "*");
  assert_int_equal(cli.rate.count, 5);
  assert_int_equal(cli.rate.per_ms, 60000);
  assert_int_equal(cli.reach.retry, 3);
  assert_int_equal(cli.reach.retry_delay_ms, 500);
  al_cli_cleanup(&cli);

  /* Unset by default; --http1.1 / --http2; --pass. */
  const char *plain[] = {"apilint", "--http1.1", "a.yaml"};
  assert_int_equal(parse_args(&cli, &err, ARGC(plain), plain), AL_OK);
  assert_int_equal(cli.reach.http_version, AL_HTTP_1_1);
  assert_int_equal(cli.reach.insecure, -1);
  assert_int_equal(cli.reach.retry, -1);
  assert_int_equal(cli.reach.retry_delay_ms, -1);
  assert_int_equal(cli.rate.count, 0);
  assert_null(cli.reach.proxy);
  al_cli_cleanup(&cli);
  const char *h2[] = {"apilint", "--http2", "--pass", "pw2", "a.yaml"};
  assert_int_equal(parse_args(&cli, &err, ARGC(h2), h2), AL_OK);
  assert_int_equal(cli.reach.http_version, AL_HTTP_2);
  assert_string_equal(cli.reach.key_password, "pw2");
  al_cli_cleanup(&cli);

  /* Bad values are usage errors. */
  static const char *const bad[][3] = {{"--rate", "5/d", "--rate must be"},
                                       {"--retry", "-1", "--retry must be"},
                                       {"--retry-delay", "x", "--retry-delay"},
                                       {"--key-type", "P12", "--key-type"},
                                       {"--cert-type", "JKS", "--cert-type"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *one[] = {"apilint", bad[i][0], bad[i][1], "a.yaml"};
    assert_int_equal(parse_args(&cli, &err, ARGC(one), one), AL_E_USAGE);
    assert_non_null(strstr(err.msg, bad[i][2]));
    al_cli_cleanup(&cli);
  }
}

/* `apilint check URL` takes the probe options too. */
static void test_cli_check_takes_probe_options(void **state)
{
  (void)state;
  const char *argv[] = {"apilint", "check",      "http://127.0.0.1:9/x",
                        "--probe", "rate-limit", "--burst",
                        "20",      "-H",         "Authorization: Bearer t"};
  struct al_cli cli;
  struct al_err err = {0};
  assert_int_equal(parse_args(&cli, &err, ARGC(argv), argv), AL_OK);
  assert_int_equal(cli.command, AL_CMD_CHECK);
  assert_string_equal(cli.target, "http://127.0.0.1:9/x");
  assert_int_equal(cli.probe_count, 1);
  assert_string_equal(cli.probes[0], "rate-limit");
  assert_int_equal(cli.burst, 20);
  assert_int_equal(cli.header_count, 1);
  al_cli_cleanup(&cli);
}

/* Both options show in --help, in the table's style. */
static void test_cli_help_lists_probe_options(void **state)
{
  (void)state;
  char buf[16384];
  FILE *f = fmemopen(buf, sizeof buf, "w");
  assert_non_null(f);
  al_cli_write_help(f);
  assert_int_equal(fclose(f), 0);
  assert_non_null(
      strstr(buf, "\n      --probe NAME         run an active probe"));
  assert_non_null(strstr(buf, "\n      --burst N            rate-limit probe"));
  assert_non_null(strstr(buf, "apilint explain RULE-ID|PROBE\n"));
  for (const char *line = buf; *line;) {
    const char *end = strchr(line, '\n');
    assert_non_null(end);
    assert_true(end - line <= 79);
    line = end + 1;
  }
}

struct usage_case {
  const char *args[4];
  const char *needle; /* must appear in the message */
};

static void test_cli_rejects_bad_usage_with_a_reason(void **state)
{
  (void)state;
  static const struct usage_case cases[] = {
      {{NULL}, "no spec file given"},
      {{"--jobs", "0", "a.yaml"}, "--jobs must be a number from 1 to 1024"},
      {{"--jobs", "many", "a.yaml"}, "got 'many'"},
      {{"--fail-on", "fatal", "a.yaml"}, "--fail-on must be"},
      {{"-f", "xml", "a.yaml"}, "--format must be one of text, json, junit"},
      {{"--timeout", "-1", "a.yaml"}, "--timeout must be"},
      {{"-H", "NoColon", "a.yaml"}, "--header must look like"},
      {{"--jsn", "x", "a.yaml"}, "did you mean '--json'?"},
      {{"--bogus", "a.yaml"}, "unknown option '--bogus'"},
      {{"-Z", "a.yaml"}, "unknown option '-Z'"},
      {{"a.yaml", "--junit"}, "needs a value"},
      {{"explain"}, "'explain' takes exactly one RULE-ID or PROBE"},
      {{"--probe", "haed", "a.yaml"},
       "unknown probe 'haed' for --probe (did you mean 'head'?)"},
      {{"--probe=al", "a.yaml"},
       "unknown probe 'al' for --probe (did you mean 'all'?)"},
      {{"--probe", "fuzz-everything", "a.yaml"},
       "unknown probe 'fuzz-everything' for --probe (known probes: "
       "method-not-allowed, options, unauthenticated, malformed-body, "
       "conditional, head, not-acceptable, rate-limit, or all)"},
      {{"--probe", "", "a.yaml"}, "unknown probe '' for --probe"},
      {{"a.yaml", "--probe"}, "option '--probe' needs a value"},
      {{"--prbe", "head", "a.yaml"}, "did you mean '--probe'?"},
      {{"--burst", "0", "a.yaml"},
       "--burst must be a number from 1 to 1000, got '0'"},
      {{"--burst", "1001", "a.yaml"},
       "--burst must be a number from 1 to 1000, got '1001'"},
      {{"--burst=50x", "a.yaml"},
       "--burst must be a number from 1 to 1000, got '50x'"},
      {{"--burst", "-5", "a.yaml"},
       "--burst must be a number from 1 to 1000, got '-5'"},
      {{"--brust", "5", "a.yaml"}, "did you mean '--burst'?"},
      {{"rules", "extra"}, "'rules' takes no argument"},
      {{"-X", "POST", "a.yaml"}, "only for 'apilint check URL'"},
      {{"--quiet=yes", "a.yaml"}, "takes no value"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *argv[6] = {"apilint"};
    int argc = 1;
    for (size_t j = 0; j < 4 && cases[i].args[j]; j++)
      argv[argc++] = cases[i].args[j];
    struct al_cli cli;
    struct al_err err = {0};
    enum al_code rc = parse_args(&cli, &err, argc, argv);
    if (rc != AL_E_USAGE || !strstr(err.msg, cases[i].needle) ||
        !strstr(err.msg, "try 'apilint --help'"))
      fail_msg("case %zu: rc=%d msg='%s', wanted '%s'", i, (int)rc, err.msg,
               cases[i].needle);
    al_cli_cleanup(&cli);
  }
}

/* An argument quoted back in a usage error must not carry a terminal
 * escape (ESC, BEL, a UTF-8 encoded C1 CSI) to stderr. */
static void test_cli_usage_error_quotes_arguments_printably(void **state)
{
  (void)state;
  static const char *const bad[] = {"--bogus\033]0;pwned\007",
                                    "--jobs=1\033[2J", "-f\302\23331m"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *argv[] = {"apilint", bad[i], "a.yaml"};
    struct al_cli cli;
    struct al_err err = {0};
    assert_int_equal(parse_args(&cli, &err, ARGC(argv), argv), AL_E_USAGE);
    print_message("%s\n", err.msg);
    for (const unsigned char *p = (const unsigned char *)err.msg; *p; p++) {
      assert_true(*p >= 0x20 && *p != 0x7f);
      assert_false(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
    }
    assert_non_null(strchr(err.msg, '?'));
    al_cli_cleanup(&cli);
  }
}

static void test_cli_double_dash_ends_options(void **state)
{
  (void)state;
  const char *argv[] = {"apilint", "--", "-odd-name.yaml"};
  struct al_cli cli;
  struct al_err err = {0};
  assert_int_equal(parse_args(&cli, &err, ARGC(argv), argv), AL_OK);
  assert_int_equal(cli.spec_count, 1);
  assert_string_equal(cli.specs[0], "-odd-name.yaml");
  al_cli_cleanup(&cli);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cli_defaults_for_a_plain_spec),
      cmocka_unit_test(test_cli_parses_every_option),
      cmocka_unit_test(test_cli_recognises_commands),
      cmocka_unit_test(test_cli_collects_probes_and_burst),
      cmocka_unit_test(test_cli_parses_reach_options),
      cmocka_unit_test(test_cli_check_takes_probe_options),
      cmocka_unit_test(test_cli_help_lists_probe_options),
      cmocka_unit_test(test_cli_rejects_bad_usage_with_a_reason),
      cmocka_unit_test(test_cli_double_dash_ends_options),
      cmocka_unit_test(test_cli_usage_error_quotes_arguments_printably),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
