// The one reader of request bodies: typed members of a JSON object read one by one, each
// mistyped or missing member becoming a base::FieldError (path, code, detail) that the handler
// answers as problem+json validation-errors. It never throws: every access checks the type
// first. And the one batch splitter: the items of a batch body with their request_ids.
//
// Paths are the member's name, under `prefix` when the object is nested ("enums.0.value").
// Codes and details, which tests and clients read (the HTTP contract):
//   Required     "<name> is required"
//   InvalidType  "<name> must be a string" | "must be an integer" | "must be true or false"
//   OutOfRange   "<name> is out of range"   (SmallInt: an integer past int)
//   InvalidType  "<name> is out of range"   (BodyDialect::whole_numbers: an integer past int64)
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace gatehouse::http::api {

// What a body's clients send beyond plain JSON types; each resource family keeps the one its
// clients have always been answered with.
struct BodyDialect {
  // Forms (application/x-www-form-urlencoded; the auth and security routes) carry every value
  // as a string: an integer may be a decimal string, a boolean "1", "0", "true" or "false".
  bool form_strings = false;
  // Record bodies (Kommo's clients): an integer may be a whole float below 9e15 (3.0), and an
  // integer past int64 is "out of range" rather than "not an integer".
  bool whole_numbers = false;
  // A member that is null is absent for every read, Find included, and a required one is
  // missing (Required). Otherwise (the admin bodies) Find returns a null member, optional reads
  // skip it, and a required one is mistyped (InvalidType).
  bool null_is_absent = false;
};

// The dialects of the three families.
inline constexpr BodyDialect kAdminBody = {
    .form_strings = false, .whole_numbers = false, .null_is_absent = false};
inline constexpr BodyDialect kRecordBody = {
    .form_strings = false, .whole_numbers = true, .null_is_absent = true};
inline constexpr BodyDialect kFormBody = {
    .form_strings = true, .whole_numbers = false, .null_is_absent = true};

// Reads typed members of one JSON object (anything else reads as an empty object), appending
// one error per missing or mistyped member to `errors`, which must outlive the reader. Not
// thread-safe; the object must outlive the reader.
class BodyReader {
 public:
  BodyReader(const nlohmann::json& object, std::vector<base::FieldError>& errors,
             std::string prefix = "", BodyDialect dialect = kAdminBody)
      : object_(object), errors_(errors), prefix_(std::move(prefix)), dialect_(dialect) {}
  // The same at the top level, collecting its own errors (read them with status()).
  explicit BodyReader(const nlohmann::json& object, BodyDialect dialect = kAdminBody)
      : object_(object), errors_(own_errors_), dialect_(dialect) {}
  BodyReader(const BodyReader&) = delete;
  BodyReader& operator=(const BodyReader&) = delete;

  // The member itself (no type check), or nullptr when absent (or null, under null_is_absent).
  const nlohmann::json* Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }

  // Typed members: nullopt when absent or null (an error when `required`) or mistyped.
  std::optional<std::string> String(std::string_view name, bool required = false);
  std::optional<std::int64_t> Int(std::string_view name, bool required = false);
  std::optional<bool> Bool(std::string_view name, bool required = false);
  // An integer that fits int (OutOfRange otherwise).
  std::optional<int> SmallInt(std::string_view name);
  // Absent: nullopt; null: an engaged empty optional; an integer: its value.
  std::optional<std::optional<std::int64_t>> NullableInt(std::string_view name);
  // `value` (found elsewhere, e.g. in an array) read as an integer; errors name `path` as is.
  std::optional<std::int64_t> IntAt(const nlohmann::json& value, std::string_view path);

  // The path of member `name`: "prefix.name", or "name" without a prefix.
  std::string Path(std::string_view name) const;
  // Appends an error at `path` as given (no prefix added).
  void Add(std::string path, std::string code, std::string detail);
  // Refuses every member no read has asked for (Find and the typed reads) unless `read_only`
  // names it: one UnknownField error "<path> is not a member of this resource" each, so nothing
  // a client sends is answered 200 and dropped. `read_only`: members GET renders that a client
  // may send back unchanged (Kommo's clients do); they are ignored. Call after the reads.
  void RefuseUnread(std::span<const std::string_view> read_only);
  void RefuseUnread(std::initializer_list<std::string_view> read_only = {}) {
    RefuseUnread(std::span<const std::string_view>(read_only.begin(), read_only.size()));
  }
  // OK, or kInvalidArgument "Request validation failed" with every error collected so far.
  base::Status status() const;

 private:
  std::nullopt_t Missing(std::string_view name);
  std::nullopt_t Mistyped(std::string_view path, std::string_view what);
  // The member to read: nullptr when absent or null (a required one then reports Required,
  // except a null one outside null_is_absent, which the type check reports).
  const nlohmann::json* Member(std::string_view name, bool required);

  const nlohmann::json& object_;
  mutable std::vector<std::string> asked_;    // every name a read asked for, for RefuseUnread
  std::vector<base::FieldError> own_errors_;  // errors_ when none were given
  std::vector<base::FieldError>& errors_;
  std::string prefix_;
  BodyDialect dialect_;
};

// Most items one batch write takes (Kommo's limit).
inline constexpr std::size_t kMaxBatchItems = 250;

// A batch body split into its items, which point into the body (it must outlive them).
// `request_ids` echo each item's "request_id" (a string, or an integer as sent), or its index
// when absent.
struct BatchBody {
  std::vector<const nlohmann::json*> items{};
  std::vector<std::string> request_ids{};
};
// A JSON array of 1..`max_items` objects (a resource may take fewer than Kommo's general limit),
// or one object as a batch of one. kInvalidArgument otherwise: path "body" (InvalidType,
// Required, TooMany), or one InvalidType per item that is not an object (path: its index).
base::Result<BatchBody> SplitBatch(const nlohmann::json& body,
                                   std::size_t max_items = kMaxBatchItems);

// An item's request_id as SplitBatch echoes it: a string, an integer as sent, or `index`.
std::string RequestIdOf(const nlohmann::json& item, std::size_t index);

}  // namespace gatehouse::http::api
