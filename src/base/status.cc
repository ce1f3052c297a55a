#include "base/status.h"

#include "base/enum_names.h"

namespace gatehouse::base {

namespace {

constexpr EnumNames<Code, 11> kCodeNames{{{Code::kOk, "ok"},
                                          {Code::kInvalidArgument, "invalid_argument"},
                                          {Code::kUnauthenticated, "unauthenticated"},
                                          {Code::kPermissionDenied, "permission_denied"},
                                          {Code::kNotFound, "not_found"},
                                          {Code::kConflict, "conflict"},
                                          {Code::kAlreadyExists, "already_exists"},
                                          {Code::kFailedPrecondition, "failed_precondition"},
                                          {Code::kResourceExhausted, "resource_exhausted"},
                                          {Code::kUnavailable, "unavailable"},
                                          {Code::kInternal, "internal"}}};

}  // namespace

const char* CodeName(Code code) { return NameOf(kCodeNames, code); }

Status Status::NotFound(std::string_view what, std::int64_t id) {
  return NotFound(std::string(what) + " " + std::to_string(id) + " not found");
}

Status Status::FieldNotFound(std::string path, std::string_view what, std::int64_t id) {
  return InvalidField(std::move(path), "NotFound", NotFound(what, id).message());
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = std::string(CodeName(code_)) + ": " + message_;
  for (const FieldError& f : fields_) out += "; " + f.path + ": " + f.detail;
  return out;
}

}  // namespace gatehouse::base
