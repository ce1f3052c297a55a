#include "http/api/security/security_report.h"

#include <cstdio>
#include <optional>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "service/security/security_report.h"
#include "service/security/security_service.h"

namespace gatehouse::cli {
namespace {

// "HIGH    admins_without_two_factor  <title> (2 affected)"
void PrintText(const service::SecurityReport& report) {
  for (const service::Finding& f : report.findings) {
    std::string severity(service::SeverityName(f.severity));
    for (char& c : severity) c = static_cast<char>(c - 'a' + 'A');
    std::printf("%-7s %-30s %s (%zu affected)\n", severity.c_str(), f.code.c_str(), f.title.c_str(),
                f.affected.size());
  }
  std::printf("%zu finding(s): %lld high, %lld medium, %lld low\n", report.findings.size(),
              static_cast<long long>(report.Count(service::Severity::kHigh)),
              static_cast<long long>(report.Count(service::Severity::kMedium)),
              static_cast<long long>(report.Count(service::Severity::kLow)));
}

// True when a finding is at least as severe as `fail_on` (kHigh is the most severe).
bool Reaches(const service::SecurityReport& report, service::Severity fail_on) {
  for (const service::Finding& f : report.findings) {
    if (f.severity <= fail_on) return true;
  }
  return false;
}

}  // namespace

int RunSecurityReport(const SecurityReportOptions& options) {
  std::optional<service::Severity> fail_on;
  if (!options.fail_on.empty()) {
    fail_on = service::SeverityFromName(options.fail_on);
    if (!fail_on) {
      Fail("bad --fail-on",
           base::Status::Invalid("expected high, medium or low, got \"" + options.fail_on + "\""));
      return kExitUsage;
    }
  }
  auto store = OpenMigratedStore(options.db, 1);
  if (!store.ok()) {
    Fail("cannot open " + options.db, store.status());
    return kExitReportFailed;
  }
  auto account = ResolveAccount(**store, options.subdomain);
  if (!account.ok()) {
    Fail("cannot find the account", account.status());
    return kExitReportFailed;
  }
  // The system reads the report (like `gatehouse user ...`): no user, no policy snapshot.
  const service::Caller system = SystemCaller(account->id);
  base::SystemClock clock;
  const service::SecurityService security(service::AdminDeps{store->get(), nullptr, &clock});
  auto report = security.BuildSecurityReport(system);
  if (!report.ok()) {
    Fail("security report failed", report.status());
    return kExitReportFailed;
  }
  if (options.json) {
    // No server, so no host to make the link absolute: the path alone.
    std::printf("%s\n", http::api::SecurityReportJson(*report, "/api/v4/security/report").c_str());
  } else {
    PrintText(*report);
  }
  return fail_on && Reaches(*report, *fail_on) ? kExitFindings : 0;
}

}  // namespace gatehouse::cli
