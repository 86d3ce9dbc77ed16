// Expected failures as values: what went wrong, where, and which field. No exception crosses a
// module's public header.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace assure {

// What kind of failure an Error is. One table (in the server) maps these to HTTP statuses.
enum class ErrorCode {
  kInvalid,       // bad input: a file or request that breaks the format's rules
  kNotFound,      // no such authority, entry, user...
  kConflict,      // a stale version: someone else changed it first
  kUnauthorized,  // not signed in
  kForbidden,     // signed in, but not allowed
  kUnavailable,   // a database or file that cannot be reached or read
  kInternal,      // a defect; the log has the detail
};

struct Error {
  ErrorCode code = ErrorCode::kInvalid;
  std::string file;     // the file's name as the user gave it; empty when not from a file
  int line = 0;         // 1-based; 0 when the error has no position
  int column = 0;       // 1-based
  std::string field;    // the field concerned, as a path: "posts[2].holder"
  std::string message;  // a sentence a person can act on

  // `FILE:LINE:COL: message`, the form every error is printed in.
  std::string ToString() const;
};

// Either a value or every error found while producing it (never a half-built value).
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}                     // NOLINT: implicit by design
  Result(std::vector<Error> errors) : state_(std::move(errors)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const std::vector<Error>& errors() const { return std::get<std::vector<Error>>(state_); }

 private:
  std::variant<T, std::vector<Error>> state_;
};

}  // namespace assure
