// The command line's heap, prepared for a large input. Private to the cli module.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace assure::cli {

// The total size in bytes of the regular files among `paths` (others count 0).
size_t TotalFileSize(const std::vector<std::string>& paths);

// Prepares the heap for loading `input_bytes` of arrangements in this process: when the input
// is large, grows the heap once, by enough for the whole load, and asks the kernel to back it
// with huge pages. Only an optimisation: where the kernel or the allocator declines, nothing
// changes but the speed. Call before loading; meant for a short-lived process.
void PrepareHeapFor(size_t input_bytes);

}  // namespace assure::cli
