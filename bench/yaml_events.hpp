// The floor's loop, shared by yaml_floor.cpp (a whole process per file) and bench_assure.cpp (in
// process): every event of the parser's input parsed and freed, nothing else.
#pragma once

#include <yaml.h>

// Parses `parser`'s input event by event until the end of the stream. Returns the number of
// events, or -1 when the input is not YAML (the parser's problem and problem_mark say why).
inline long ParseEvents(yaml_parser_t& parser) {
  long events = 0;
  for (bool done = false; !done; ++events) {
    yaml_event_t event;
    if (yaml_parser_parse(&parser, &event) == 0) return -1;
    done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  return events;
}
