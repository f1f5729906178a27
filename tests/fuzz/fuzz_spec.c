/* fuzz_spec.c - libFuzzer target: arbitrary bytes as a spec file. The spec
 * loader must answer every input with a spec or a positioned error, never a
 * crash, a leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed environment, so ${VAR} expansion is exercised deterministically
 * and the fuzzer never depends on the process environment. */
static const char *fixed_getenv(const char *name, void *ctx)
{
  (void)ctx;
  if (!strcmp(name, "FIXTURE_URL") || !strcmp(name, "BASE"))
    return "http://127.0.0.1:8080";
  if (!strcmp(name, "TOKEN"))
    return "s3cr3t-token";
  if (!strcmp(name, "EMPTY"))
    return "";
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct al_spec_opts opts = {0};
  opts.getenv_fn = fixed_getenv;
  struct al_spec *spec = NULL;
  struct al_err err = {0};
  al_spec_parse((const char *)data, size, "fuzz.yaml", &opts, &spec, &err);
  al_spec_free(spec);
  return 0;
}
