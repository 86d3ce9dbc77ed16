// A table from ids to values, for the loader's table of the ids a file declares. Private to the
// load module.
//
// Open addressing with linear probing, each slot holding its id's hash beside it: finding an id
// reads one slot, and the id's text only when the hashes agree. std::unordered_map follows a
// bucket to a chain of separately allocated nodes instead, and on a file of thousands of ids
// nearly every one of those reads misses the processor's caches: that was a sixth of the time
// of loading a 5,000-post file. The interface is the part of std::unordered_map the loader
// uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace assure::load {

// Requires: the text of every id outlives the table (it keeps views); Value is cheap to copy.
template <typename Value>
class IdTable {
 public:
  using Entry = std::pair<std::string_view, Value>;

 private:
  struct Slot {
    size_t hash = 0;  // 0: the slot is empty (an id whose hash is 0 is stored as 1)
    Entry entry;
  };

 public:
  class const_iterator {
   public:
    const Entry& operator*() const { return slot_->entry; }
    const Entry* operator->() const { return &slot_->entry; }
    const_iterator& operator++() {
      ++slot_;
      SkipEmpty();
      return *this;
    }
    bool operator==(const const_iterator& other) const { return slot_ == other.slot_; }

   private:
    friend class IdTable;
    const_iterator(const Slot* slot, const Slot* end) : slot_(slot), end_(end) { SkipEmpty(); }
    void SkipEmpty() {
      while (slot_ != end_ && slot_->hash == 0) ++slot_;
    }
    const Slot* slot_;
    const Slot* end_;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const_iterator begin() const { return {slots_.data(), slots_.data() + slots_.size()}; }
  const_iterator end() const {
    return {slots_.data() + slots_.size(), slots_.data() + slots_.size()};
  }

  // Makes room for `ids` ids in all, so that adding them allocates nothing.
  void reserve(size_t ids) {
    if (2 * ids > slots_.size()) Rehash(ids);
  }

  // Adds `id` with `value` unless the table has it already. Returns the id's entry (the earlier
  // one when it was there) and whether it was added.
  std::pair<const_iterator, bool> try_emplace(std::string_view id, const Value& value) {
    if (2 * (size_ + 1) > slots_.size()) Rehash(2 * size_ + 8);
    const size_t hash = Hash(id);
    Slot* slot = Probe(id, hash);
    const bool added = slot->hash == 0;
    if (added) {
      slot->hash = hash;
      slot->entry = Entry(id, value);
      ++size_;
    }
    return {const_iterator(slot, slots_.data() + slots_.size()), added};
  }

  // The entry of `id`, or end().
  const_iterator find(std::string_view id) const {
    if (size_ == 0) return end();
    const Slot* slot = const_cast<IdTable*>(this)->Probe(id, Hash(id));
    return slot->hash == 0 ? end() : const_iterator(slot, slots_.data() + slots_.size());
  }

 private:
  static size_t Hash(std::string_view id) {
    const size_t hash = std::hash<std::string_view>{}(id);
    return hash == 0 ? 1 : hash;
  }

  // The slot holding `id`, or the empty slot where it would go. Requires: a free slot.
  Slot* Probe(std::string_view id, size_t hash) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.hash == 0 || (slot.hash == hash && slot.entry.first == id)) return &slot;
    }
  }

  // Resizes to a power of two of at least twice `ids` slots (a table at most half full).
  void Rehash(size_t ids) {
    size_t capacity = 16;
    while (capacity < 2 * ids) capacity *= 2;
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.hash != 0) *Probe(slot.entry.first, slot.hash) = slot;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace assure::load
