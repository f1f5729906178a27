/* yaml_events.c - the least reading a spec can cost, for bench/run.sh:
 * libyaml's parser alone, every event of FILE pulled and dropped, nothing
 * built from them (apilint's loader does this and then builds endpoints).
 *   yaml_events FILE
 * Prints "events=N" and exits 1 when the file cannot be read or parsed. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
  if (argc != 2)
    return fprintf(stderr, "usage: yaml_events FILE\n"), 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f)
    return perror(argv[1]), 1;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser))
    return fclose(f), 1;
  yaml_parser_set_input_file(&parser, f);
  long events = 0;
  int end = 0, ok = 1;
  while (!end) { /* bounded: libyaml ends every stream with STREAM-END */
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      fprintf(stderr, "%s: %s\n", argv[1],
              parser.problem ? parser.problem : "parse error");
      ok = 0;
      break;
    }
    end = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
    events++;
  }
  yaml_parser_delete(&parser);
  fclose(f);
  printf("events=%ld\n", events);
  return ok ? 0 : 1;
}
