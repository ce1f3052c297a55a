// Status and Result<T>: the one error type at every module edge.
//
// Our code throws nothing (../STYLE.md). A function that can fail returns a Status or a
// Result<T>; both are [[nodiscard]] so a failure cannot be dropped silently. A Status carries a
// code (mapped to an HTTP status in one table under http/), a message for a person, and, for
// invalid input, one FieldError per offending field.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gatehouse::base {

enum class Code {
  kOk = 0,
  kInvalidArgument,     // bad input; field errors say which and why (HTTP 400)
  kUnauthenticated,     // no or bad credentials (401)
  kPermissionDenied,    // known caller, not allowed (403)
  kNotFound,            // missing, or not visible to the caller (404)
  kConflict,            // violates a rule about current state (409)
  kAlreadyExists,       // unique key taken (409)
  kFailedPrecondition,  // state does not allow it now, e.g. last admin (422)
  kResourceExhausted,   // throttled or out of seats (429 / 402 by context)
  kUnavailable,         // dependency down (503)
  kInternal,            // a bug or an unexpected storage failure (500)
};

// Stable lower-case name of a code, used in logs and problem types.
const char* CodeName(Code code);

// One offending input field: `path` in dotted form ("rights.leads.add"), `code` a short
// machine word ("NotSupportedChoice"), `detail` a sentence a person understands.
struct FieldError {
  std::string path{};
  std::string code{};
  std::string detail{};

  bool operator==(const FieldError&) const = default;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status Error(Code code, std::string message) {
    return Status(code, std::move(message), {});
  }
  static Status Invalid(std::string message, std::vector<FieldError> fields = {}) {
    return Status(Code::kInvalidArgument, std::move(message), std::move(fields));
  }
  static Status InvalidField(std::string path, std::string code, std::string detail) {
    std::string message = detail;
    return Status(Code::kInvalidArgument, std::move(message),
                  {FieldError{std::move(path), std::move(code), std::move(detail)}});
  }
  static Status Unauthenticated(std::string message) {
    return Error(Code::kUnauthenticated, std::move(message));
  }
  static Status NotFound(std::string message) { return Error(Code::kNotFound, std::move(message)); }
  // "<what> <id> not found": the one answer for something named by its id that is missing,
  // invisible to the caller or another account's.
  static Status NotFound(std::string_view what, std::int64_t id);
  // The same of an id the request sent in the field at `path`: kInvalidArgument with the field
  // error {path, "NotFound", "<what> <id> not found"}.
  static Status FieldNotFound(std::string path, std::string_view what, std::int64_t id);
  static Status Denied(std::string message) {
    return Error(Code::kPermissionDenied, std::move(message));
  }
  static Status Internal(std::string message) { return Error(Code::kInternal, std::move(message)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& fields() const { return fields_; }

  // "invalid_argument: rights.leads.add: only A or D ..." for logs and test failures.
  std::string ToString() const;

 private:
  Status(Code code, std::string message, std::vector<FieldError> fields)
      : code_(code), message_(std::move(message)), fields_(std::move(fields)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::vector<FieldError> fields_;
};

// What a failed lookup of something the client named answers: `missing` when the lookup found
// nothing, the lookup's own error otherwise (the database away, a broken row), so that a failure
// of ours is never reported as the client's mistake ("pipeline 1 does not exist" while the
// database was restarting).
inline Status NotFoundAs(const Status& failed, Status missing) {
  return failed.code() == Code::kNotFound ? std::move(missing) : failed;
}

// A value or a non-OK Status. Construct from either; read value() only when ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value) : state_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(state_).ok() && "a Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace gatehouse::base

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define GH_RETURN_IF_ERROR(expr)                   \
  do {                                             \
    ::gatehouse::base::Status gh_status_ = (expr); \
    if (!gh_status_.ok()) return gh_status_;       \
  } while (0)

#define GH_CONCAT_INNER(a, b) a##b
#define GH_CONCAT(a, b) GH_CONCAT_INNER(a, b)
// GH_ASSIGN_OR_RETURN(auto x, MakeX()); declares x from a Result or returns its Status.
#define GH_ASSIGN_OR_RETURN(lhs, rexpr) \
  GH_ASSIGN_OR_RETURN_IMPL(GH_CONCAT(gh_result_, __LINE__), lhs, rexpr)
#define GH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                             \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
