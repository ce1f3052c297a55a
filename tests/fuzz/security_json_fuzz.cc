// Fuzzes the security settings body readers: PUT /api/v4/security/ip_whitelist and PATCH
// /api/v4/security/policy (http/api/security/security_json.h), from the raw body through
// ParseObjectBody (a JSON object, or a form when the first input byte is odd) to the entry and
// proxy parsers the service then applies (auth::ParseWhitelistEntry, auth::ParseIpRange).
//
// Invariants: a refusal is kInvalidArgument naming its fields; every entry the reader passes on
// is a string from the body; an entry or proxy that parses prints as a range that parses back to
// itself. No reader throws.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "auth/ip.h"
#include "fuzz_check.h"
#include "http/api/auth/auth_json.h"
#include "http/api/security/security_json.h"
#include "http/request.h"

namespace {

template <typename T>
void CheckRefusal(const gatehouse::base::Result<T>& result) {
  if (result.ok()) return;
  FUZZ_CHECK(result.status().code() == gatehouse::base::Code::kInvalidArgument,
             "a refused body is kInvalidArgument");
  FUZZ_CHECK(!result.status().fields().empty(), "a refused body names its fields");
}

void CheckRange(const std::string& text) {
  auto range = gatehouse::auth::ParseWhitelistEntry(text);
  if (!range.ok()) return;
  auto again = gatehouse::auth::ParseIpRange(range->ToString());
  FUZZ_CHECK(again.ok() && *again == *range, "a saved range reads back as itself");
}

// An integer read from a JSON number is that number (never wrapped around).
void CheckInteger(const nlohmann::json& body, const char* name,
                  const std::optional<std::int64_t>& read) {
  auto it = body.find(name);
  if (!read || it == body.end() || !it->is_number_integer()) return;
  FUZZ_CHECK(nlohmann::json(*read).dump() == it->dump(), "an integer is read as sent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  gatehouse::http::Request request;
  if (data[0] % 2 == 1) {
    request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
  } else {
    request.headers.Add("Content-Type", "application/json");
  }
  request.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto body = gatehouse::http::api::ParseObjectBody(request);
  CheckRefusal(body);
  if (!body.ok()) return 0;
  FUZZ_CHECK(body->is_object(), "a body is an object");

  auto whitelist = gatehouse::http::api::ReadIpWhitelist(*body);
  CheckRefusal(whitelist);
  if (whitelist.ok()) {
    for (const auto& entry : whitelist->entries) CheckRange(entry.value);
  }
  auto policy = gatehouse::http::api::ReadPolicyPatch(*body);
  CheckRefusal(policy);
  if (policy.ok()) {
    using Member = std::pair<const char*, std::optional<std::int64_t>>;
    for (const auto& [name, value] :
         std::initializer_list<Member>{{"session_idle_minutes", policy->session_idle_minutes},
                                       {"session_max_hours", policy->session_max_hours},
                                       {"lockout_threshold", policy->lockout_threshold},
                                       {"lockout_minutes", policy->lockout_minutes},
                                       {"dormant_days", policy->dormant_days},
                                       {"seats", policy->seats}}) {
      CheckInteger(*body, name, value);
    }
  }
  if (policy.ok() && policy->trusted_proxies) {
    for (const std::string& proxy : *policy->trusted_proxies) CheckRange(proxy);
  }

  // The other readers of the auth routes on the same object (login, 2FA, password change).
  gatehouse::http::api::BodyReader fields(*body, gatehouse::http::api::kFormBody);
  (void)fields.String("code", true);
  (void)fields.Int("user_id", false);
  (void)fields.Bool("remember", false);
  gatehouse::base::Status status = fields.status();
  FUZZ_CHECK(status.ok() || (status.code() == gatehouse::base::Code::kInvalidArgument &&
                             !status.fields().empty()),
             "a refused field is kInvalidArgument naming it");
  return 0;
}
