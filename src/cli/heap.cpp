#include "cli/heap.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace assure::cli {

size_t TotalFileSize(const std::vector<std::string>& paths) {
  size_t total = 0;
  for (const std::string& path : paths) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      total += static_cast<size_t>(st.st_size);
    }
  }
  return total;
}

void PrepareHeapFor(size_t input_bytes) {
  // Loading a file takes about ten times its size in memory: the tree of its nodes, then the
  // arrangements, their ids and references. Touched a page at a time, each of those pages costs
  // a page fault, and on a virtual machine a fault costs more than the parse of the page's
  // YAML; a 2 MB huge page costs about what five small ones do. Below a megabyte of input
  // the faults are few and a huge page would cost more than it saves.
  constexpr size_t kMinInput = size_t{1} << 20;
  constexpr size_t kHugePage = size_t{2} << 20;
  constexpr size_t kMaxHeap = size_t{1} << 30;
  if (input_bytes < kMinInput) return;
  const size_t bytes = std::min(kMaxHeap, 16 * input_bytes + 4 * kHugePage);
  // Large blocks come from the heap too (up to glibc's largest threshold, 32 MB), and the heap
  // is never given back: a process that loads, checks and exits has no use for returning it.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(kMaxHeap));
  // The next growth of the heap adds `bytes` to what it needs: a block larger than the heap's
  // free top makes it grow now.
  mallopt(M_TOP_PAD, static_cast<int>(bytes));
  char* block = static_cast<char*>(std::malloc(kHugePage));
  if (block == nullptr) return;
  const auto top = reinterpret_cast<uintptr_t>(sbrk(0));
  const auto from = reinterpret_cast<uintptr_t>(block);
  const uintptr_t begin = (from + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = top & ~(kHugePage - 1);
  std::free(block);
  // Where the block did not come from the top of the heap (glibc fell back to mmap), leave it.
  if (from > top || top - from < bytes || end <= begin) return;
  // A spacer up to the first huge page boundary, kept for good, so that what is allocated next
  // from the heap's top lands in huge pages rather than in the small pages before the boundary
  // (its inside is never touched, so it costs address space only).
  static void* spacer = nullptr;
  if (spacer == nullptr && begin - from > 64) spacer = std::malloc(begin - from - 32);
  // Growing, the allocator wrote a word at the block's end, so the page there is already
  // mapped as a small page: dropped (it is free memory), it comes back as part of a huge one.
  madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

}  // namespace assure::cli
