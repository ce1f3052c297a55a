// Fuzzes the rights body readers (http/api/admin/rights_json.h): POST and PATCH of /api/v4/users
// and /api/v4/roles, from the raw body through ParseJsonBody to the matrix input, then through the
// policy's validation as the service does.
//
// Invariants: every field error has a path and a code; a body that reads without errors and
// validates yields normalized rights; those rights rendered as Kommo's JSON (RoleRightsJson,
// UserRightsJson) read and validate back to the same rights and user fields. No reader throws.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/account.h"
#include "fuzz_check.h"
#include "http/api/admin/rights_json.h"
#include "http/json.h"
#include "http/request.h"
#include "policy/rights_validation.h"

namespace {

namespace api = gatehouse::http::api;
using gatehouse::base::FieldError;
using gatehouse::domain::Rights;
using nlohmann::json;

const std::vector<gatehouse::domain::Pipeline>& Pipelines() {
  static const std::vector<gatehouse::domain::Pipeline> pipelines = [] {
    using gatehouse::domain::Stage;
    gatehouse::domain::Pipeline one{.id = 1, .name = "Sales"};
    one.stages = {Stage{.id = 9, .type = gatehouse::domain::kStageTypeIncoming}, Stage{.id = 10},
                  Stage{.id = 11}};
    return std::vector<gatehouse::domain::Pipeline>{one};
  }();
  return pipelines;
}

void CheckErrors(const std::vector<FieldError>& errors) {
  for (const FieldError& e : errors) {
    FUZZ_CHECK(!e.path.empty() && !e.code.empty(), "a field error has a path and a code");
  }
}

// Reads `rights` back after rendering it, and checks it is the same.
void CheckRoundTrip(const Rights& rights) {
  gatehouse::service::RightsInput input;
  std::vector<FieldError> errors;
  api::ParseRights(api::RoleRightsJson(rights), "rights", input, nullptr, errors);
  FUZZ_CHECK(errors.empty(), "rendered role rights read without errors");
  auto again = gatehouse::policy::Validate(input.raw, Pipelines());
  FUZZ_CHECK(again.ok(), "rendered role rights validate");
  again->mail_access = input.mail_access.value_or(false);
  again->catalog_access = input.catalog_access.value_or(false);
  again->files_access = input.files_access.value_or(false);
  FUZZ_CHECK(*again == rights, "rendered role rights read back as themselves");

  const gatehouse::domain::User user{.group_id = 3, .role_id = 4, .rights = rights};
  gatehouse::service::UserFlagsInput flags;
  gatehouse::service::RightsInput user_input;
  api::ParseRights(api::UserRightsJson(user), "rights", user_input, &flags, errors);
  FUZZ_CHECK(errors.empty(), "rendered user rights read without errors");
  FUZZ_CHECK(flags.is_admin == false && flags.is_active == true && flags.is_free == false &&
                 flags.group_id == std::optional<std::int64_t>(3) &&
                 flags.role_id == std::optional<std::int64_t>(4),
             "rendered user fields read back as themselves");
}

void Validate(const gatehouse::service::RightsInput& input, const std::vector<FieldError>& errors) {
  CheckErrors(errors);
  if (!errors.empty()) return;
  gatehouse::policy::RawRights raw = input.raw;
  raw.mail_access = input.mail_access.value_or(false);
  raw.catalog_access = input.catalog_access.value_or(false);
  raw.files_access = input.files_access.value_or(false);
  auto rights = gatehouse::policy::Validate(raw, Pipelines());
  if (!rights.ok()) {
    for (const FieldError& e : rights.status().fields()) {
      FUZZ_CHECK(e.path.rfind("rights", 0) == 0, "a rights error points into rights");
    }
    return;
  }
  Rights normalized = *rights;
  gatehouse::policy::Normalize(normalized);
  FUZZ_CHECK(normalized == *rights, "validated rights are normalized");
  CheckRoundTrip(*rights);
}

// A top-level id read from a JSON integer is that integer (never wrapped around).
void CheckId(const json& body, const char* name,
             const std::optional<std::optional<std::int64_t>>& read) {
  auto it = body.find(name);
  if (!read || !*read || it == body.end() || !it->is_number_integer()) return;
  FUZZ_CHECK(json(**read).dump() == it->dump(), "an id is read as sent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gatehouse::http::Request request;
  request.body.assign(reinterpret_cast<const char*>(data), size);
  auto body = gatehouse::http::ParseJsonBody(request);
  if (!body.ok()) return 0;

  if (body->is_object()) {  // PATCH /users/{id}, PATCH /roles/{id}
    std::vector<FieldError> errors;
    gatehouse::service::UserPatch patch = api::ParseUserPatch(*body, errors);
    Validate(patch.rights, errors);
    if (errors.empty()) {  // with errors the patch is refused whatever it holds
      CheckId(*body, "group_id", patch.flags.group_id);
      CheckId(*body, "role_id", patch.flags.role_id);
    }
    errors.clear();
    gatehouse::service::RoleInput role;
    api::ParseRoleInput(*body, role, errors);
    Validate(role.rights, errors);
  }
  auto batch = api::SplitBatch(*body);  // POST /users, POST /roles
  if (!batch.ok()) return 0;
  for (std::size_t i = 0; i < batch->items.size(); ++i) {
    std::vector<FieldError> errors;
    gatehouse::service::NewUserInput user = api::ParseNewUser(*batch->items[i], i, errors);
    CheckErrors(errors);
    FUZZ_CHECK(!user.request_id.empty(), "an item has a request_id");
    errors.clear();
    gatehouse::service::RoleInput role;
    api::ParseRoleInput(*batch->items[i], role, errors);
    Validate(role.rights, errors);
  }
  return 0;
}
