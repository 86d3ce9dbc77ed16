// A stream of edits for the durability test: opens the store at argv[1], imports the
// arrangements file argv[2], then edits it (renaming the authority "NAME #VERSION") as fast as it
// can, printing each acknowledged version on its own line as soon as Update returns it. The test
// kills it with SIGKILL part-way; every version printed must then be in the store.
#include <cstdio>
#include <string>

#include "load/arrangements_yaml.hpp"
#include "store/store.hpp"

int main(int argc, char** argv) {
  using namespace assure;
  if (argc != 3) {
    std::fprintf(stderr, "usage: edit_stream DATABASE ARRANGEMENTS.yaml\n");
    return 2;
  }
  Result<Arrangements> loaded = load::LoadArrangementsFile(argv[2]);
  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(argv[1]);
  if (!loaded.ok() || !opened.ok()) {
    std::fprintf(stderr, "edit_stream: cannot start\n");
    return 2;
  }
  store::Store& db = *opened.value();
  Arrangements arrangements = loaded.value();
  const std::string name = arrangements.authority.name;
  Result<int64_t> version = db.Import(arrangements, {"edit-stream", "the first import", ""});
  for (int i = 0; i < 100000 && version.ok(); ++i) {
    std::printf("%lld\n", static_cast<long long>(version.value()));
    std::fflush(stdout);
    arrangements.authority.name = name + " #" + std::to_string(version.value() + 1);
    version = db.Update(arrangements.authority.id, version.value(), arrangements,
                        {"edit-stream", "edit number " + std::to_string(i + 1), ""});
  }
  if (!version.ok()) {
    std::fprintf(stderr, "edit_stream: %s\n", version.errors().front().message.c_str());
    return 1;
  }
  return 0;
}
