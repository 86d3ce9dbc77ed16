// Fuzz target for the parsers of untrusted input: an arrangements file (YAML, as `assure check`
// and `PUT .../import` read it) and a JSON body (as the API reads it, load/json_input.hpp).
// Whatever the bytes, the loaders must return arrangements or errors (never crash, hang or read out
// of bounds), and arrangements they return must survive the checks and the writers.
//
// With clang: `make fuzz` builds this with -fsanitize=fuzzer,address and runs it. Without it,
// `make test` replays tests/fuzz/corpus (kept crashers and seeds) through the same function.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/checks.hpp"
#include "load/arrangements_json.hpp"
#include "load/arrangements_yaml.hpp"
#include "load/json_input.hpp"

namespace assure::fuzz {

// Runs one input through both loaders, and whatever loads through the checks and writers.
void OneInput(std::string_view bytes) {
  // The reader of every JSON body: a value or one error, never deeper than the bound.
  Result<nlohmann::ordered_json> body = load::ParseJsonInput(bytes, "fuzz.json", "body");
  if (!body.ok() && (body.errors().size() != 1 || body.errors()[0].message.empty())) {
    __builtin_trap();
  }
  for (int as_json = 0; as_json < 2; ++as_json) {
    Result<Arrangements> loaded = as_json ? load::ParseArrangementsJson(bytes, "fuzz.json")
                                          : load::ParseArrangements(bytes, "fuzz.yaml");
    if (!loaded.ok()) {
      for (const Error& e : loaded.errors()) {
        if (e.message.empty()) __builtin_trap();  // every error must say something
      }
      continue;
    }
    const Arrangements& a = loaded.value();
    const CheckReport report = RunChecks(a, a.authority.as_of);
    if (report.findings.size() != Checks().size()) __builtin_trap();
    // What loads is written back and loads again, equal.
    Result<Arrangements> again = load::ParseArrangements(load::WriteArrangements(a), "again");
    if (!again.ok() || !(again.value() == a)) __builtin_trap();
  }
}

}  // namespace assure::fuzz

#ifdef ASSURE_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  assure::fuzz::OneInput(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
#endif
