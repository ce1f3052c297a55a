#include "import/importer.h"

#include <algorithm>

#include "base/clock.h"
#include "base/text.h"
#include "import/import_run.h"
#include "service/events.h"

namespace gatehouse::import {
namespace internal {

std::int64_t IntOf(const json& object, std::string_view key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string TextOf(const json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool BoolOf(const json& object, std::string_view key, bool fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

const json& Embedded(const json& item, std::string_view key) {
  static const json kEmpty = json::array();
  if (!item.is_object()) return kEmpty;
  auto embedded = item.find("_embedded");
  if (embedded == item.end() || !embedded->is_object()) return kEmpty;
  auto it = embedded->find(key);
  return it != embedded->end() && it->is_array() ? *it : kEmpty;
}

bool IsSystemStage(std::int64_t status_id) {
  return status_id == domain::kWonStatusId || status_id == domain::kLostStatusId;
}

std::string TagColor(std::string color) {
  if (!color.empty() && color.front() == '#') color.erase(0, 1);
  return base::IsHexColor(color) ? color : "";
}

bool IsCustomersPath(std::string_view path) {
  constexpr std::string_view kCustomers = "/api/v4/customers";
  return path.substr(0, kCustomers.size()) == kCustomers &&
         (path.size() == kCustomers.size() || path[kCustomers.size()] == '/');
}

// Kommo answers an account with customers switched off with one of these, depending on how.
bool IsSwitchedOff(int http_status) {
  return http_status == 402 || http_status == 403 || http_status == 404;
}

Result<ImportSummary> Run::Go(const ImportOptions& options) {
  GH_ASSIGN_OR_RETURN(json account, source_.GetObject("/api/v4/account?with=users_groups"));
  source_account_id_ = IntOf(account, "id");
  summary_.source = source_.origin();
  summary_.subdomain = options.subdomain.empty() ? TextOf(account, "subdomain") : options.subdomain;
  if (summary_.subdomain.empty()) {
    return Status::InvalidField("subdomain", "Required",
                                "the source names no subdomain: give one with --subdomain");
  }
  GH_RETURN_IF_ERROR(OpenAccount(TextOf(account, "name")));
  for (std::string_view phase : kPhases) counts_[std::string(phase)];

  GH_RETURN_IF_ERROR(Groups(account));
  GH_RETURN_IF_ERROR(Pipelines());
  GH_RETURN_IF_ERROR(CustomFields());
  GH_RETURN_IF_ERROR(Roles());
  GH_RETURN_IF_ERROR(Users(TextOf(account, "name")));
  GH_RETURN_IF_ERROR(FieldWriter());
  GH_RETURN_IF_ERROR(StageDescriptions());
  GH_RETURN_IF_ERROR(LossReasons());
  GH_RETURN_IF_ERROR(Contacts());
  GH_RETURN_IF_ERROR(Companies());
  GH_RETURN_IF_ERROR(Leads());
  GH_RETURN_IF_ERROR(CustomerStatuses());
  GH_RETURN_IF_ERROR(Customers());
  GH_RETURN_IF_ERROR(Tasks());
  GH_RETURN_IF_ERROR(Notes());
  GH_RETURN_IF_ERROR(Finish());

  for (std::string_view phase : kPhases) {
    if (phase != "finish") {
      summary_.counts.emplace_back(std::string(phase), counts_[std::string(phase)]);
    }
  }
  if (!customers_off_.empty()) {
    summary_.not_carried.push_back(
        "customers with their statuses, custom fields, tags, tasks and notes: the source does "
        "not serve them (" +
        customers_off_ + ")");
  }
  for (const auto& [reason, n] : left_out_) {
    summary_.not_carried.push_back(std::to_string(n) + " " + reason);
  }
  summary_.requests = source_.requests();
  summary_.throttled = source_.throttled();
  return summary_;
}

Status Run::OpenAccount(const std::string& name) {
  auto existing = store_.FindAccount(summary_.subdomain);
  if (existing.ok()) {
    account_ = existing->id;
    storage::AccountReader reader = store_.Reader(account_);
    GH_ASSIGN_OR_RETURN(std::optional<storage::ImportSourceRow> from, reader.ImportSource());
    if (from) {
      if (from->source != summary_.source || from->source_account_id != source_account_id_) {
        return Status::InvalidField(
            "subdomain", "AlreadyExists",
            "account '" + summary_.subdomain + "' was imported from " + from->source +
                " (account " + std::to_string(from->source_account_id) + "), not from " +
                summary_.source + " (account " + std::to_string(source_account_id_) +
                "): import into another subdomain");
      }
      summary_.resumed = true;
    } else {
      // An account created by an interrupted first run has no users yet: it is taken over.
      GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> users, reader.ListUsers());
      if (!users.empty()) {
        return Status::InvalidField("subdomain", "AlreadyExists",
                                    "account '" + summary_.subdomain +
                                        "' exists and was not created by an import: import "
                                        "into another subdomain");
      }
    }
  } else if (existing.status().code() == base::Code::kNotFound) {
    GH_ASSIGN_OR_RETURN(storage::AccountRow created,
                        store_.CreateAccount({summary_.subdomain,
                                              name.empty() ? summary_.subdomain : name, 10, now_}));
    account_ = created.id;
    summary_.created_account = true;
  } else {
    return existing.status();
  }
  summary_.account_id = account_;
  system_.account_id = account_;
  if (summary_.resumed) return Status::Ok();
  return store_.Write(account_, [&](AccountWriter& w) -> Status {
    GH_RETURN_IF_ERROR(w.PutImportSource({summary_.source, source_account_id_, now_, 0}));
    json after = json::array(
        {{{"import", {{"source", summary_.source}, {"source_account_id", source_account_id_}}}}});
    return service::RecordEvent(w, system_, now_,
                                {"import_started", "account", account_, "[]", after.dump()});
  });
}

// The mappings of `kind` committed so far (read once per run; then kept up to date here).
std::map<std::int64_t, std::int64_t>& Run::Map(const std::string& kind) {
  auto it = maps_.find(kind);
  if (it != maps_.end()) return it->second;
  auto stored = store_.Reader(account_).ImportMap(kind);
  return maps_[kind] = stored.ok() ? *stored : std::map<std::int64_t, std::int64_t>{};
}

std::optional<std::int64_t> Run::Local(const std::string& kind, std::int64_t source_id) {
  auto& map = Map(kind);
  auto it = map.find(source_id);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

Status Run::Remember(AccountWriter& w, const std::string& kind, std::int64_t source_id,
                     std::int64_t local_id) {
  GH_RETURN_IF_ERROR(w.MapImported(kind, source_id, local_id));
  Map(kind)[source_id] = local_id;
  return Status::Ok();
}

// A user reference (responsible, created_by): 0 (nobody, the robot) and unknown users are 0.
UserId Run::LocalUser(std::int64_t source_id) {
  if (source_id == 0) return 0;
  return Local("user", source_id).value_or(0);
}

void Run::LeaveOut(std::string_view phase, const std::string& reason, std::int64_t n) {
  counts_[std::string(phase)].left_out += n;
  left_out_[reason] += n;
}

Status Run::Pages(const std::string& path, const std::string& query, const std::string& plural,
                  const std::function<Status(const json&)>& visit, bool paged) {
  const bool customers = IsCustomersPath(path);
  if (customers && !customers_off_.empty()) return Status::Ok();
  bool visited = false;
  Status walked = source_.ForEachPage(
      path, query, plural,
      [&](const json& items) {
        visited = true;
        return visit(items);
      },
      paged);
  if (!walked.ok() && customers && !visited && IsSwitchedOff(source_.last_refusal())) {
    customers_off_ = "GET " + path + " answered HTTP " + std::to_string(source_.last_refusal());
    return Status::Ok();
  }
  return walked;
}

void Run::Progress(std::string_view phase) {
  if (!progress_) return;
  const auto at = std::find(kPhases.begin(), kPhases.end(), phase) - kPhases.begin();
  const KindCount& count = counts_[std::string(phase)];
  progress_(phase, static_cast<int>(at), static_cast<int>(kPhases.size()), count.read);
}

// Users get the source's active state, the account its finish time, the log the counts.
Status Run::Finish() {
  Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
    for (const auto& [source_id, active] : source_active_) {
      auto local = Local("user", source_id);
      if (!local) continue;
      GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(*local));
      if (row.user.is_active == active) continue;
      row.user.is_active = active;
      GH_RETURN_IF_ERROR(w.UpdateUser(row));
    }
    GH_RETURN_IF_ERROR(w.PutImportSource({summary_.source, source_account_id_, now_, now_}));
    json counts = json::object();
    for (const auto& [kind, count] : counts_) {
      if (kind == "finish") continue;
      counts[kind] = {
          {"read", count.read}, {"created", count.created}, {"left_out", count.left_out}};
    }
    json after = json::array({{{"import",
                                {{"source", summary_.source},
                                 {"source_account_id", source_account_id_},
                                 {"counts", counts}}}}});
    return service::RecordEvent(w, system_, now_,
                                {"import_finished", "account", account_, "[]", after.dump()});
  });
  Progress("finish");
  return s;
}

}  // namespace internal

base::Result<ImportSummary> Import(storage::Store& store, KommoSource& source,
                                   const ImportOptions& options, const ImportProgress& progress) {
  const std::int64_t now = options.now != 0 ? options.now : base::SystemClock().NowSeconds();
  internal::Run run(store, source, progress, now);
  return run.Go(options);
}

}  // namespace gatehouse::import
