// In-process benchmarks of Assure's loader and checks, each set against the floor: libyaml's
// bare event parse of the same bytes, which any YAML-based loader must pay.
//
// Usage: bench_assure [--benchmark_...] INPUT...   (or one INPUT in $ASSURE_BENCH_DATA)
// An INPUT is a posts-<N>.yaml file (bench/generate.py --posts N) or a directory of typical
// councils (bench/generate.py --typical). For a posts-<N>.yaml file:
//   Floor/N         libyaml event parse of the file's bytes, already in memory
//   Tree/N          assure::yaml::Parse alone: the tree of nodes the loader validates
//   Load/N          assure::load::ParseArrangements (the tree, validation, references)
//   Check/N         assure::RunChecks on arrangements already loaded
//   LoadAndCheck/N  both
// and for a directory of K files (K = 153 for England), all read into memory beforehand:
//   TypicalK/Floor, TypicalK/LoadAndCheck   (all K files, one after another)
//
// Give one INPUT per process, as bench/run.sh does. Every input stays loaded while the process
// runs, and a large one changes the heap for the others: with the 50,000-post file loaded in
// the same process, Check/5000 took 11-15 ms instead of 2.7 ms.
#include <benchmark/benchmark.h>
#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/checks.hpp"
#include "load/arrangements_yaml.hpp"
#include "load/yaml_tree.hpp"
#include "yaml_events.hpp"

namespace {

namespace fs = std::filesystem;

struct Input {
  std::string name;  // the file's name, for error messages
  std::string text;  // its bytes
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_assure: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The floor: parse every event of `text` and free it, nothing else. Returns the event count.
long FloorParse(std::string_view text) {
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  const long events = ParseEvents(parser);
  yaml_parser_delete(&parser);
  return events;
}

// Loads `input`, or stops the program: a benchmark of a file with errors would time the error
// path, not the loader.
assure::Arrangements LoadOrDie(const Input& input) {
  assure::Result<assure::Arrangements> result =
      assure::load::ParseArrangements(input.text, input.name);
  if (!result.ok()) {
    for (const assure::Error& e : result.errors()) {
      std::fprintf(stderr, "%s\n", e.ToString().c_str());
    }
    std::fprintf(stderr, "bench_assure: %s has errors\n", input.name.c_str());
    std::exit(2);
  }
  return std::move(result).value();
}

size_t LoadAndCheck(const Input& input) {
  assure::Result<assure::Arrangements> result =
      assure::load::ParseArrangements(input.text, input.name);
  if (!result.ok()) return 0;
  const assure::Arrangements& a = result.value();
  assure::CheckReport report = assure::RunChecks(a, a.authority.as_of);
  benchmark::DoNotOptimize(report);
  return report.findings.size();
}

void SetSize(benchmark::State& state, size_t bytes, size_t files) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["file_bytes"] = static_cast<double>(bytes);
  state.counters["files"] = static_cast<double>(files);
}

void RegisterSized(int posts, std::shared_ptr<const Input> input) {
  const std::string n = std::to_string(posts);
  const auto loaded = std::make_shared<const assure::Arrangements>(LoadOrDie(*input));
  const size_t bytes = input->text.size();
  const double post_count = static_cast<double>(loaded->posts.size());

  benchmark::RegisterBenchmark(("Floor/" + n).c_str(), [input, bytes](benchmark::State& state) {
    for (auto _ : state) {
      if (FloorParse(input->text) < 0) state.SkipWithError("libyaml cannot parse the file");
    }
    SetSize(state, bytes, 1);
  })->Unit(benchmark::kMillisecond);

  benchmark::RegisterBenchmark(("Tree/" + n).c_str(), [input, bytes](benchmark::State& state) {
    for (auto _ : state) {
      assure::Result<assure::yaml::Tree> tree = assure::yaml::Parse(input->text, input->name);
      benchmark::DoNotOptimize(tree);
    }
    SetSize(state, bytes, 1);
  })->Unit(benchmark::kMillisecond);

  benchmark::RegisterBenchmark(("Load/" + n).c_str(), [input, bytes](benchmark::State& state) {
    for (auto _ : state) {
      assure::Result<assure::Arrangements> result =
          assure::load::ParseArrangements(input->text, input->name);
      benchmark::DoNotOptimize(result);
    }
    SetSize(state, bytes, 1);
  })->Unit(benchmark::kMillisecond);

  benchmark::RegisterBenchmark(("Check/" + n).c_str(), [loaded, bytes,
                                                        post_count](benchmark::State& state) {
    for (auto _ : state) {
      assure::CheckReport report = assure::RunChecks(*loaded, loaded->authority.as_of);
      benchmark::DoNotOptimize(report);
    }
    SetSize(state, bytes, 1);
    state.counters["posts"] = post_count;
  })->Unit(benchmark::kMillisecond);

  benchmark::RegisterBenchmark(("LoadAndCheck/" + n).c_str(), [input,
                                                               bytes](benchmark::State& state) {
    for (auto _ : state) {
      benchmark::DoNotOptimize(LoadAndCheck(*input));
    }
    SetSize(state, bytes, 1);
  })->Unit(benchmark::kMillisecond);
}

void RegisterTypical(std::shared_ptr<const std::vector<Input>> inputs) {
  size_t bytes = 0;
  for (const Input& input : *inputs) {
    bytes += input.text.size();
    LoadOrDie(input);
  }
  const size_t files = inputs->size();
  const std::string set = "Typical" + std::to_string(files);  // Typical153 for England

  benchmark::RegisterBenchmark((set + "/Floor").c_str(), [inputs, bytes,
                                                          files](benchmark::State& state) {
    for (auto _ : state) {
      for (const Input& input : *inputs) {
        if (FloorParse(input.text) < 0) state.SkipWithError("libyaml cannot parse a file");
      }
    }
    SetSize(state, bytes, files);
  })->Unit(benchmark::kMillisecond);

  benchmark::RegisterBenchmark((set + "/LoadAndCheck").c_str(), [inputs, bytes,
                                                                 files](benchmark::State& state) {
    for (auto _ : state) {
      for (const Input& input : *inputs) {
        if (LoadAndCheck(input) == 0) state.SkipWithError("a file has errors");
      }
    }
    SetSize(state, bytes, files);
  })->Unit(benchmark::kMillisecond);
}

// Registers the benchmarks of one input: a posts-<N>.yaml file, or a directory of typical files.
bool RegisterInput(const fs::path& path) {
  if (fs::is_directory(path)) {
    auto typical = std::make_shared<std::vector<Input>>();
    std::vector<fs::path> paths;
    for (const fs::directory_entry& entry : fs::directory_iterator(path)) {
      if (entry.path().extension() == ".yaml") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const fs::path& p : paths) typical->push_back(Input{p.string(), ReadFile(p)});
    if (typical->empty()) return false;
    RegisterTypical(typical);
    return true;
  }
  std::smatch m;
  const std::string name = path.filename().string();
  static const std::regex kPattern(R"(posts-([0-9]+)\.yaml)");
  if (!std::regex_match(name, m, kPattern)) return false;
  RegisterSized(std::stoi(m[1].str()),
                std::make_shared<const Input>(Input{path.string(), ReadFile(path)}));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::vector<fs::path> inputs(argv + 1, argv + argc);
  if (inputs.empty()) {
    if (const char* data = std::getenv("ASSURE_BENCH_DATA")) inputs.emplace_back(data);
  }
  if (inputs.empty()) {
    std::fprintf(
        stderr,
        "usage: bench_assure [--benchmark_...] INPUT...   (or INPUT in $ASSURE_BENCH_DATA)\n"
        "  INPUT: a posts-<N>.yaml file (bench/generate.py --posts N), or a directory of\n"
        "  typical councils (bench/generate.py --typical). bench/run.sh runs each input in\n"
        "  its own process, so that one input's heap does not slow the next.\n");
    return 2;
  }
  for (const fs::path& input : inputs) {
    if (!RegisterInput(input)) {
      std::fprintf(stderr,
                   "bench_assure: %s is neither a posts-<N>.yaml file nor a directory of "
                   "*.yaml files\n",
                   input.c_str());
      return 2;
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
