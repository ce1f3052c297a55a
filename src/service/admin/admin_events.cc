// Events are filtered by what the caller may see before they are paged: a page is built by
// reading the log newest first, batch after batch, dropping what the caller may not see.
#include "service/admin/admin_events.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "service/admin/admin_service.h"
#include "service/admin/custom_fields.h"
#include "service/json_text.h"
#include "service/records/records_internal.h"
#include "service/security/replay.h"
#include "service/service_names.h"

namespace gatehouse::service {
namespace {

using domain::DataSet;

constexpr int kBatch = 250;

template <typename T>
bool AnyOrContains(const std::vector<T>& wanted, const T& value) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

// Decides per event, remembering each record's verdict for the rest of the request.
class Visibility {
 public:
  Visibility(const storage::AccountReader& reader, const Caller& caller)
      : reader_(reader), caller_(caller), admin_(caller.is_admin()) {}

  bool Visible(const storage::EventRow& event) {
    if (admin_) return true;
    const std::optional<DataSet> data_set = DataSetOfEventEntity(event.entity_type);
    if (!data_set || event.entity_id == 0) return false;  // settings and security: admins only
    if (event.type == "custom_field_value_changed" && !FieldVisible(*data_set, event)) {
      return false;
    }
    return RecordVisible(*data_set, event.entity_id);
  }

  // Drops from the event's values each entry naming a record the caller may not view (the
  // contact of an entity_linked, the lead an incoming lead became): such a record does not
  // exist for the caller, in the log as anywhere else. Administrators keep every value.
  void Redact(storage::EventRow& event) {
    if (admin_) return;
    event.value_before_json = RedactValue(std::move(event.value_before_json));
    event.value_after_json = RedactValue(std::move(event.value_after_json));
  }

 private:
  bool RecordVisible(DataSet data_set, std::int64_t id) {
    const auto key = std::make_pair(data_set, id);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    bool visible = false;
    auto record = reader_.GetRef(data_set, id);
    // A record that no longer exists: its events are for administrators only.
    if (record.ok() && caller_.policy) {
      visible = caller_.policy->Check(caller_.user_id, domain::Action::kView, *record).allowed;
    }
    cache_.emplace(key, visible);
    return visible;
  }

  // A custom field change is the caller's to see only with the field: a hidden field does not
  // exist for them, and even an event without its values would tell that it changed. Events
  // logged before they named their field are shown to whoever sees every field of the kind.
  bool FieldVisible(DataSet data_set, const storage::EventRow& event) const {
    if (!caller_.policy) return false;
    const std::optional<std::int64_t> field =
        internal::FieldOfValueEvent(event.value_before_json, event.value_after_json);
    if (!field) return caller_.policy->SeesAllFields(caller_.user_id, data_set);
    return caller_.policy->CanViewField(caller_.user_id, data_set, *field);
  }

  // Whether one value entry names a record the caller may not view. Entries name records as
  // {"<entity>": {"id": N, ...}} or {"link": {"entity": {"type": "<entity>", "id": N}}}.
  bool NamesHiddenRecord(const nlohmann::json& entry) {
    if (!entry.is_object()) return false;
    for (const auto& [key, inner] : entry.items()) {
      if (!inner.is_object()) continue;
      const nlohmann::json* ref = &inner;
      std::string type = key;
      if (key == "link") {
        auto linked = inner.find("entity");
        if (linked == inner.end() || !linked->is_object()) continue;
        ref = &*linked;
        type = ref->value("type", std::string());
      }
      const std::optional<DataSet> data_set = DataSetOfEventEntity(type);
      auto id = ref->find("id");
      if (!data_set || id == ref->end() || !id->is_number_integer()) continue;
      if (!RecordVisible(*data_set, id->get<std::int64_t>())) return true;
    }
    return false;
  }

  std::string RedactValue(std::string text) {
    if (text.find("\"id\"") == std::string::npos) return text;  // names no record
    nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!value.is_array()) return text;
    nlohmann::json kept = nlohmann::json::array();
    bool dropped = false;
    for (nlohmann::json& entry : value) {
      if (NamesHiddenRecord(entry)) {
        dropped = true;
      } else {
        kept.push_back(std::move(entry));
      }
    }
    if (!dropped) return text;
    return Dump(kept);
  }

  const storage::AccountReader& reader_;
  const Caller& caller_;
  const bool admin_;
  std::map<std::pair<DataSet, std::int64_t>, bool> cache_;
};

// Kommo names a list's elements `catalog_{list id}`; ours are logged as `catalog_element` with
// the list in their value ([{"catalog_element": {"catalog_id": L, ...}}]).
bool IsElementOfCatalog(const storage::EventRow& event, std::string_view wanted) {
  constexpr std::string_view kPrefix = "catalog_";
  if (event.entity_type != "catalog_element" || wanted.rfind(kPrefix, 0) != 0) return false;
  std::int64_t catalog_id = 0;
  const std::string_view digits = wanted.substr(kPrefix.size());
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), catalog_id);
  if (error != std::errc() || end != digits.data() + digits.size()) return false;
  for (const std::string* text : {&event.value_after_json, &event.value_before_json}) {
    const nlohmann::json value = nlohmann::json::parse(*text, nullptr, false);
    if (!value.is_array()) continue;
    for (const nlohmann::json& entry : value) {
      auto element = entry.find("catalog_element");
      if (element != entry.end() && element->is_object() &&
          element->value("catalog_id", std::int64_t{0}) == catalog_id) {
        return true;
      }
    }
  }
  return false;
}

bool Matches(const storage::EventRow& event, const EventFilter& filter) {
  if (!AnyOrContains(filter.ids, event.id)) return false;
  if (!AnyOrContains(filter.created_by, event.actor_user_id)) return false;
  if (!AnyOrContains(filter.types, event.type)) return false;
  if (!AnyOrContains(filter.entity_ids, event.entity_id)) return false;
  if (!filter.entity_types.empty()) {
    const std::optional<DataSet> data_set = DataSetOfEventEntity(event.entity_type);
    bool any = false;
    for (const std::string& wanted : filter.entity_types) {
      const std::optional<DataSet> wanted_set = DataSetOfEventEntity(wanted);
      if (wanted_set ? wanted_set == data_set
                     : wanted == event.entity_type || IsElementOfCatalog(event, wanted)) {
        any = true;
      }
    }
    if (!any) return false;
  }
  return true;
}

// What a value filter selects in the store: one event type and the stored value texts.
struct ValueMatch {
  std::string type;
  std::vector<std::string> before;
  std::vector<std::string> after;
};

// The texts the writer stores for the values `side` names (records_internal.h serializers).
std::vector<std::string> ValueTexts(const EventValueFilter& side) {
  std::vector<std::string> out;
  for (const domain::StageKey& stage : side.leads_statuses) {
    out.push_back(internal::StatusValue(stage.pipeline_id, stage.status_id));
  }
  for (domain::UserId user : side.responsible_user_ids) {
    out.push_back(internal::ResponsibleValue(user));
  }
  return out;
}

// The event type a side of a value filter selects, "" when it is empty.
std::string TypeOf(const EventValueFilter& side) {
  if (!side.leads_statuses.empty()) return "lead_status_changed";
  if (!side.responsible_user_ids.empty()) return "entity_responsible_changed";
  return "";
}

Result<std::optional<ValueMatch>> ValueMatchOf(const EventFilter& filter) {
  const std::pair<const char*, const EventValueFilter*> sides[] = {
      {"filter[value_before]", &filter.value_before}, {"filter[value_after]", &filter.value_after}};
  ValueMatch match;
  for (const auto& [path, side] : sides) {
    if (!side->leads_statuses.empty() && !side->responsible_user_ids.empty()) {
      return Status::InvalidField(
          path, "NotSupported",
          std::string(path) + " takes leads_statuses or responsible_user_id, not both");
    }
    const std::string type = TypeOf(*side);
    if (type.empty()) continue;
    if (!match.type.empty() && match.type != type) {
      return Status::InvalidField(path, "NotSupported",
                                  "filter[value_before] and filter[value_after] must filter the "
                                  "same kind of value");
    }
    match.type = type;
  }
  if (match.type.empty()) return std::optional<ValueMatch>();
  match.before = ValueTexts(filter.value_before);
  match.after = ValueTexts(filter.value_after);
  return std::optional<ValueMatch>(std::move(match));
}

}  // namespace

std::optional<DataSet> DataSetOfEventEntity(std::string_view entity_type) {
  // Kommo's events use singular names; accept the plural ones our records also use.
  if (entity_type == "lead" || entity_type == "leads") return DataSet::kLeads;
  if (entity_type == "contact" || entity_type == "contacts") return DataSet::kContacts;
  if (entity_type == "company" || entity_type == "companies") return DataSet::kCompanies;
  if (entity_type == "task" || entity_type == "tasks") return DataSet::kTasks;
  if (entity_type == "incoming_lead" || entity_type == "unsorted") return DataSet::kIncomingLeads;
  if (entity_type == "customer" || entity_type == "customers") return DataSet::kCustomers;
  return std::nullopt;
}

Result<storage::ChainReport> AdminService::VerifyAuditLog(const Caller& caller) const {
  const bool system = caller.via == Via::kSystem && caller.user_id == 0;
  if (!system) GH_RETURN_IF_ERROR(RequireAdmin(caller));
  return deps_.store->Reader(caller.account_id).VerifyEventChain();
}

namespace {

// Feeds `visit` the events `caller` may see that match `filter` (paging aside), newest first,
// until it returns false. The type, creator, time and value filters run in SQL; the rest and
// visibility per event, before any paging, so pages never lose rows.
Status WalkEvents(const storage::AccountReader& reader, const Caller& caller,
                  const EventFilter& filter,
                  const std::function<bool(storage::EventRow&&)>& visit) {
  Visibility visibility(reader, caller);
  storage::EventQuery query;
  if (filter.created_by.size() == 1) query.actor_user_id = filter.created_by[0];
  query.types = filter.types;
  query.created_at = filter.created_at;
  query.limit = kBatch;
  GH_ASSIGN_OR_RETURN(std::optional<ValueMatch> values, ValueMatchOf(filter));
  if (values) {
    // A value filter selects one type; with filter[type] naming others nothing matches.
    if (!AnyOrContains(filter.types, values->type)) return Status::Ok();
    query.types = {values->type};
    query.value_before = std::move(values->before);
    query.value_after = std::move(values->after);
  }
  while (true) {
    GH_ASSIGN_OR_RETURN(std::vector<storage::EventRow> batch, reader.ListEvents(query));
    if (batch.empty()) return Status::Ok();
    // The cursor is taken before `visit` may move the last event (and its id) away.
    std::string next_before_id = batch.back().id;
    for (storage::EventRow& event : batch) {
      if (!Matches(event, filter) || !visibility.Visible(event)) continue;
      visibility.Redact(event);
      if (!visit(std::move(event))) return Status::Ok();
    }
    if (static_cast<int>(batch.size()) < kBatch) return Status::Ok();
    query.before_id = std::move(next_before_id);
  }
}

}  // namespace

Result<EventPage> AdminService::ListEvents(const Caller& caller, const EventFilter& filter) const {
  const int limit = std::clamp(filter.limit, 1, kMaxEventsLimit);
  const int page = std::max(filter.page, 1);
  const std::int64_t skip = static_cast<std::int64_t>(page - 1) * limit;
  EventPage out;
  std::int64_t seen = 0;
  GH_RETURN_IF_ERROR(WalkEvents(deps_.store->Reader(caller.account_id), caller, filter,
                                [&](storage::EventRow&& event) {
                                  if (seen++ < skip) return true;
                                  if (static_cast<int>(out.items.size()) == limit) {
                                    out.has_next = true;
                                    return false;
                                  }
                                  out.items.push_back(std::move(event));
                                  return true;
                                }));
  return out;
}

Result<std::int64_t> AdminService::ExportEvents(
    const Caller& caller, const EventFilter& filter,
    const std::function<void(const storage::EventRow&)>& visit) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  std::int64_t rows = 0;
  GH_RETURN_IF_ERROR(WalkEvents(deps_.store->Reader(caller.account_id), caller, filter,
                                [&](storage::EventRow&& event) {
                                  visit(event);
                                  ++rows;
                                  return true;
                                }));
  const std::int64_t now = deps_.clock->NowSeconds();
  GH_RETURN_IF_ERROR(deps_.store->Write(caller.account_id, [&](storage::AccountWriter& w) {
    return RecordEvent(
        w, caller, now,
        {"export_performed", "event", 0, "[]", internal::ExportValue("events", rows)});
  }));
  return rows;
}

Result<storage::EventRow> AdminService::GetEvent(const Caller& caller, std::string_view id) const {
  // The id is the caller's input: it is not echoed back.
  const Status not_found = Status::NotFound("event not found");
  storage::AccountReader reader = deps_.store->Reader(caller.account_id);
  Result<storage::EventRow> event = reader.GetEvent(id);
  if (!event.ok()) return base::NotFoundAs(event.status(), not_found);
  Visibility visibility(reader, caller);
  if (!visibility.Visible(*event)) return not_found;
  visibility.Redact(*event);
  return event;
}

Result<ExplainResult> AdminService::ExplainAccess(const Caller& caller,
                                                  const ExplainRequest& request) const {
  if (request.at) return ExplainAt(deps_, caller, request);
  // Anyone may ask about their own rights; only an administrator about another user's.
  const bool self = caller.user_id != 0 && request.user_id == caller.user_id;
  const bool all = IsAdminOrSystem(caller);
  if (!self && !all) GH_RETURN_IF_ERROR(RequireAdmin(caller));
  storage::AccountReader reader = deps_.store->Reader(caller.account_id);
  auto user = reader.GetUser(request.user_id);
  if (!user.ok()) {
    return base::NotFoundAs(user.status(), Status::NotFound("user", request.user_id));
  }
  const std::string record_missing = std::string(domain::DataSetName(request.data_set)) + " " +
                                     std::to_string(request.entity_id) + " not found";
  auto record = reader.GetRef(request.data_set, request.entity_id);
  if (!record.ok()) return base::NotFoundAs(record.status(), Status::NotFound(record_missing));
  // A record the caller may not view does not exist for them: explaining it would reveal its
  // stage and responsible user, so it answers exactly like a missing one.
  if (!all && !internal::CanView(caller, *record)) {
    return Status::NotFound(record_missing);
  }
  ExplainResult out;
  out.record = *record;
  // The system (CLI) has no policy snapshot of its own: the current one is built for it.
  std::shared_ptr<const policy::AccountPolicy> built;
  if (!caller.policy) {
    GH_ASSIGN_OR_RETURN(built, BuildPolicyAt(reader, std::nullopt));
  }
  const policy::AccountPolicy& engine = caller.policy ? *caller.policy : *built;
  out.explanation = engine.Explain(request.user_id, request.action, *record);
  return out;
}

}  // namespace gatehouse::service
