// The arrangements file written out, through libyaml's emitter so that every value is quoted
// exactly when YAML needs it.
#include <yaml.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "load/arrangements_walk.hpp"
#include "load/arrangements_yaml.hpp"

namespace assure::load {
namespace {

// A text that YAML would read as something other than text unless quoted.
bool NeedsQuotes(const std::string& text) {
  if (text.empty()) return true;
  static const char* const kSpecial[] = {"~",    "null",  "Null",  "NULL",  "true", "True",
                                         "TRUE", "false", "False", "FALSE", "yes",  "Yes",
                                         "no",   "No",    "on",    "On",    "off",  "Off"};
  for (const char* word : kSpecial) {
    if (text == word) return true;
  }
  // Numbers and dates keep their text when quoted.
  return text.find_first_not_of("0123456789-+.:eE") == std::string::npos;
}

class Emitter {
 public:
  Emitter() {
    yaml_emitter_initialize(&emitter_);
    yaml_emitter_set_output(&emitter_, &Emitter::Write, this);
    yaml_emitter_set_unicode(&emitter_, 1);
    yaml_emitter_set_width(&emitter_, 100);
    yaml_emitter_set_indent(&emitter_, 2);
  }
  ~Emitter() { yaml_emitter_delete(&emitter_); }
  Emitter(const Emitter&) = delete;
  Emitter& operator=(const Emitter&) = delete;

  void Begin() {
    yaml_event_t e;
    yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
    Emit(e);
    yaml_document_start_event_initialize(&e, nullptr, nullptr, nullptr, 1);
    Emit(e);
  }
  void End() {
    yaml_event_t e;
    yaml_document_end_event_initialize(&e, 1);
    Emit(e);
    yaml_stream_end_event_initialize(&e);
    Emit(e);
  }
  void MapStart(bool flow = false) {
    yaml_event_t e;
    yaml_mapping_start_event_initialize(&e, nullptr, nullptr, 1,
                                        flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    Emit(e);
  }
  void MapEnd() {
    yaml_event_t e;
    yaml_mapping_end_event_initialize(&e);
    Emit(e);
  }
  void SeqStart(bool flow) {
    yaml_event_t e;
    yaml_sequence_start_event_initialize(
        &e, nullptr, nullptr, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    Emit(e);
  }
  void SeqEnd() {
    yaml_event_t e;
    yaml_sequence_end_event_initialize(&e);
    Emit(e);
  }
  void Key(std::string_view key) { Plain(key); }
  // A value YAML reads as itself: a key, an id, a vocabulary word, a boolean, a number, a date.
  void Plain(std::string_view value) { Scalar(value, YAML_PLAIN_SCALAR_STYLE); }
  // Free text: plain where YAML allows it, quoted where it would read as something else.
  void Text(const std::string& value) {
    Scalar(value, NeedsQuotes(value) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
  }

  void Bool(bool value) { Plain(value ? "true" : "false"); }
  void Number(int value) { Plain(std::to_string(value)); }

  std::string Take() { return std::move(out_); }

 private:
  static int Write(void* self, unsigned char* buffer, size_t size) {
    static_cast<Emitter*>(self)->out_.append(reinterpret_cast<char*>(buffer), size);
    return 1;
  }
  void Scalar(std::string_view value, yaml_scalar_style_t style) {
    yaml_event_t e;
    yaml_scalar_event_initialize(&e, nullptr, nullptr,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), 1, 1, style);
    Emit(e);
  }
  void Emit(yaml_event_t& e) {
    // The emitter only fails on a malformed event sequence, which would be a defect here.
    if (!yaml_emitter_emit(&emitter_, &e)) {
      std::fprintf(stderr, "internal error: YAML emitter: %s\n",
                   emitter_.problem ? emitter_.problem : "unknown");
      std::abort();
    }
  }

  yaml_emitter_t emitter_;
  std::string out_;
};

}  // namespace

std::string WriteArrangements(const Arrangements& arrangements) {
  Emitter emitter;
  Writer<Emitter>(emitter).Write(arrangements);
  return emitter.Take();
}

}  // namespace assure::load
