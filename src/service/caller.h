// Who is asking: the authenticated user of a request, resolved by the auth layer, with the
// account's policy snapshot taken once for the whole request.
//
// Every service call takes a Caller. Services decide rights through `policy` only; a Caller for
// a deactivated or unknown user is never built (authentication refuses first), and a policy
// Check for such a user denies anyway.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/ids.h"
#include "policy/account_policy.h"

namespace gatehouse::service {

enum class Via : std::uint8_t {
  kSystem,   // the CLI or the server itself (no HTTP caller)
  kSession,  // a web session cookie
  kToken,    // a long-lived personal token
  kOAuth,    // an OAuth access token of an integration
};

struct Caller {
  domain::AccountId account_id = 0;
  domain::UserId user_id = 0;   // whose rights apply (the X-Context-User-ID user when set)
  domain::UserId actor_id = 0;  // who authenticated (the token's owner); equals user_id usually
  Via via = Via::kSystem;
  std::string client_ip{};    // resolved client address (trusted proxies applied)
  std::string session_id{};   // for kSession: the session's public id
  std::int64_t token_id = 0;  // for kToken/kOAuth: the token row id
  // The workspace requires 2FA and this user has none yet: only enrolment may proceed.
  bool must_enroll_two_factor = false;
  std::shared_ptr<const policy::AccountPolicy> policy{};

  bool is_admin() const { return policy && policy->IsAdmin(user_id); }
};

// kPermissionDenied "only administrators may <action>" unless the caller is an active
// administrator of its account: the one check of every administrators-only use case (and of the
// HTTP routes flagged administrators_only).
base::Status RequireAdmin(const Caller& caller, std::string_view action = "do this");

// kPermissionDenied while an administrator acts as another user (X-Context-User-ID): what a
// user does for their own account (password, 2FA, sessions, tokens, OAuth grants) is theirs
// alone, so a borrowed identity can neither read nor mint credentials.
base::Status RequireSelf(const Caller& caller);

}  // namespace gatehouse::service
