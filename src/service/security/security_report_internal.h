// The checks of the security report (security_report.h), shared by its .cc files. Not a public
// interface. Each check reads the snapshot (and the store where it needs more) and appends at
// most one finding per code; order is settled by BuildSecurityReport afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/security/security_report.h"
#include "service/security/security_settings.h"
#include "storage/store.h"

namespace gatehouse::service::report {

// What every check reads, loaded once per report.
struct Snapshot {
  std::int64_t now = 0;
  storage::AccountRow account{};
  std::vector<storage::UserRow> users{};  // by id
  std::vector<domain::Role> roles{};
  SecurityPolicy policy{};
  IpWhitelist whitelist{};
  std::vector<storage::SessionRow> sessions{};

  const storage::UserRow* FindUser(domain::UserId id) const;
  // The user's name, or "user <id>" for one no longer listed.
  std::string UserName(domain::UserId id) const;
};

using Findings = std::vector<Finding>;

Affected UserAffected(const domain::User& user, std::string detail = {});
// "1 user" / "3 users".
std::string Plural(std::int64_t n, const char* one, const char* many);
// A user's rights reach further than their own records: G or A on view, edit, delete or export
// of leads, contacts, companies or tasks, stage rights included.
bool HoldsWideRights(const domain::Rights& rights);

// security_report_users.cc
void CheckAdministrators(const Snapshot& snapshot, Findings& out);
void CheckExportRights(const Snapshot& snapshot, Findings& out);
void CheckDormantUsers(const Snapshot& snapshot, Findings& out);
void CheckUnusedRoles(const Snapshot& snapshot, Findings& out);
base::Status CheckDeactivatedOwners(const storage::AccountReader& reader, const Snapshot& snapshot,
                                    Findings& out);

// security_report_activity.cc
void CheckIdleSessions(const Snapshot& snapshot, Findings& out);
base::Status CheckNewCountries(const storage::AccountReader& reader, const Snapshot& snapshot,
                               Findings& out);
base::Status CheckFailedLogins(const storage::AccountReader& reader, const Snapshot& snapshot,
                               Findings& out);

// security_report_tokens.cc
base::Status CheckUnusedTokens(const storage::AccountReader& reader, const Snapshot& snapshot,
                               Findings& out);

}  // namespace gatehouse::service::report
