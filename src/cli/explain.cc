// `gatehouse explain`: the HTTP explain (and its viewers form) from the command line, as the
// system, for one account — with --at, a point-in-time replay (service/security/replay.h).
#include <cstdio>
#include <optional>
#include <string>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "http/api/security/security_explain.h"
#include "service/admin/admin_service.h"
#include "service/security/replay.h"
#include "service/security/security_service.h"

namespace gatehouse::cli {
namespace {

int Usage(const std::string& what) {
  std::fprintf(stderr, "gatehouse: %s\n", what.c_str());
  return kExitUsage;
}

void PrintExplanation(const service::ExplainRequest& request,
                      const service::ExplainResult& result) {
  const policy::Explanation& e = result.explanation;
  std::printf("user %lld %s %s %s %lld%s: %s by %s (level %c, %s)\n",
              static_cast<long long>(request.user_id), e.decision.allowed ? "may" : "may not",
              std::string(domain::ActionName(request.action)).c_str(),
              std::string(domain::DataSetName(request.data_set)).c_str(),
              static_cast<long long>(request.entity_id),
              request.at ? (" at " + std::to_string(*request.at)).c_str() : "",
              e.decision.allowed ? "allowed" : "denied", policy::RuleName(e.decision.rule),
              domain::LevelLetter(e.decision.level), policy::MatchName(e.decision.match));
  for (const policy::Reason& reason : e.reasons) {
    std::printf("  %s: %s\n", reason.code.c_str(), reason.text.c_str());
  }
}

void PrintViewers(const service::ViewersRequest& request, const service::ViewersResult& result) {
  std::printf("%zu user(s) could view %s %lld%s:\n", result.viewers.size(),
              std::string(domain::DataSetName(request.data_set)).c_str(),
              static_cast<long long>(request.entity_id),
              request.at ? (" at " + std::to_string(*request.at)).c_str() : "");
  for (const service::Viewer& viewer : result.viewers) {
    const policy::Decision& d = viewer.explanation.decision;
    std::printf("  user %lld: %s (level %c, %s)\n", static_cast<long long>(viewer.user_id),
                policy::RuleName(d.rule), domain::LevelLetter(d.level), policy::MatchName(d.match));
  }
}

// Prints the engine's answer to `request`: the API's JSON document (--json) or text.
template <typename Request, typename Answered, typename Json, typename Text>
int Answer(bool json, const Request& request, const base::Result<Answered>& result, Json to_json,
           Text print) {
  if (!result.ok()) return Fail("explain failed", result.status());
  if (json) {
    std::printf("%s\n", to_json(request, *result).c_str());
  } else {
    print(request, *result);
  }
  return 0;
}

}  // namespace

int RunExplain(const ExplainOptions& options) {
  const std::optional<domain::DataSet> data_set =
      domain::RecordDataSetFromName(options.entity_type);
  if (!data_set || *data_set == domain::DataSet::kIncomingLeads) {
    return Usage("--entity-type must be leads, contacts, companies, tasks or customers");
  }
  std::optional<std::int64_t> at;
  if (options.at >= 0) at = options.at;
  std::optional<domain::Action> action;
  if (!options.viewers) {
    action = domain::ActionFromName(options.action);
    if (options.user_id <= 0) return Usage("--user-id is required (or --viewers)");
    if (!action || *action == domain::Action::kAccept || *action == domain::Action::kDecline) {
      return Usage("--action must be view, edit, delete, export or add");
    }
  }
  auto store = OpenMigratedStore(options.db, 1);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());
  auto account = ResolveAccount(**store, options.subdomain);
  if (!account.ok()) return Fail("cannot find the account", account.status());
  const service::Caller system = SystemCaller(account->id);
  base::SystemClock clock;
  const service::AdminDeps deps{store->get(), nullptr, &clock};
  if (options.viewers) {
    const service::ViewersRequest request{*data_set, options.entity_id, at};
    return Answer(options.json, request,
                  service::SecurityService(deps).ListViewers(system, request),
                  http::api::ViewersJson, PrintViewers);
  }
  const service::ExplainRequest request{options.user_id, *data_set, options.entity_id, *action, at};
  return Answer(options.json, request, service::AdminService(deps).ExplainAccess(system, request),
                http::api::ExplainJson, PrintExplanation);
}

}  // namespace gatehouse::cli
