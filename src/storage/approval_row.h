// The stored form of a four-eyes approval request (table approvals, migration 18); what the
// kinds and change_json mean is the service's (service/security/four_eyes.h).
#pragma once

#include <cstdint>
#include <string>

namespace gatehouse::storage {

struct ApprovalRow {
  std::int64_t id = 0;
  std::string kind{};          // "ip_whitelist", "security_policy", "admin_grant"
  std::int64_t target_id = 0;  // the user of an admin_grant; 0 otherwise
  std::string change_json{};   // the change, as the service applies it
  std::string status{};        // "pending", "approved", "rejected", "expired"
  std::int64_t requested_by = 0;
  std::int64_t requested_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t decided_by = 0;  // 0: nobody yet (and for an expiry)
  std::int64_t decided_at = 0;
  bool operator==(const ApprovalRow&) const = default;
};

}  // namespace gatehouse::storage
