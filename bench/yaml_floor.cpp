// The floor: libyaml's bare event parse of each file given, and nothing else. Any loader built on
// a YAML parser pays at least this, so the benchmarks report Assure's time as a ratio to it.
//
// Usage: yaml_floor FILE...   Exit 0 when every file parses, 2 when one cannot be read or parsed.
#include <yaml.h>

#include <cstdio>

#include "yaml_events.hpp"

namespace {

// Parses `path` event by event until the end of the stream. Returns the number of events, or -1.
long ParseFile(const char* path) {
  std::FILE* file = std::fopen(path, "rb");
  if (file == nullptr) {
    std::perror(path);
    return -1;
  }
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_file(&parser, file);
  const long events = ParseEvents(parser);
  if (events < 0) {
    std::fprintf(stderr, "%s:%zu:%zu: %s\n", path, parser.problem_mark.line + 1,
                 parser.problem_mark.column + 1, parser.problem ? parser.problem : "error");
  }
  yaml_parser_delete(&parser);
  std::fclose(file);
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: yaml_floor FILE...\n");
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    if (ParseFile(argv[i]) < 0) status = 2;
  }
  return status;
}
