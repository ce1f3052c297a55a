// One `gatehouse import` run (internal to src/import/): the class Run with its state, and the
// readers of the source's JSON. The phases are defined by subject: importer.cc runs them in
// order and keeps the maps from source ids to local ids and the counts; import_settings.cc
// imports groups, pipelines, custom fields, roles and users; import_records.cc the records with
// their tags and field values, loss reasons, then tasks and notes; import_customers.cc customer
// statuses and customers.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "domain/account.h"
#include "import/importer.h"
#include "import/kommo_source.h"
#include "service/admin/admin_users.h"
#include "service/caller.h"
#include "storage/store.h"

namespace gatehouse::import::internal {

using base::Result;
using base::Status;
using nlohmann::json;
using storage::AccountWriter;
using storage::UserId;

// The phases, in the order their ids are needed: stage descriptions name their writers, leads
// their loss reasons, customers their statuses (and every record its users and custom fields),
// tasks and notes their records.
inline constexpr std::array<std::string_view, 15> kPhases = {"groups",
                                                             "pipelines",
                                                             "custom_fields",
                                                             "roles",
                                                             "users",
                                                             "stage_descriptions",
                                                             "loss_reasons",
                                                             "contacts",
                                                             "companies",
                                                             "leads",
                                                             "customer_statuses",
                                                             "customers",
                                                             "tasks",
                                                             "notes",
                                                             "finish"};
// The record kinds with custom fields and notes of their own.
inline constexpr std::array<std::string_view, 4> kNoted = {"leads", "contacts", "companies",
                                                           "customers"};

// The part of the API an account may have switched off (Kommo's customers): a first page of it
// refused with one of these is a part not carried, not a failed import.
bool IsCustomersPath(std::string_view path);
bool IsSwitchedOff(int http_status);  // 402, 403, 404

// A key of a source object: 0, "" or `fallback` when the key is missing or of another type.
std::int64_t IntOf(const json& object, std::string_view key);
std::string TextOf(const json& object, std::string_view key);
bool BoolOf(const json& object, std::string_view key, bool fallback);

// `_embedded.<key>` of an item, or an empty array.
const json& Embedded(const json& item, std::string_view key);

// Won (142) and lost (143): the same ids in every account.
bool IsSystemStage(std::int64_t status_id);

// Kommo's tag colours may carry a '#'; Gatehouse keeps six hex digits or none.
std::string TagColor(std::string color);

class Run {
 public:
  Run(storage::Store& store, KommoSource& source, const ImportProgress& progress, std::int64_t now)
      : store_(store), source_(source), progress_(progress), now_(now) {
    system_.via = service::Via::kSystem;
    system_.client_ip = "cli";
  }

  Result<ImportSummary> Go(const ImportOptions& options);

 private:
  // ---- importer.cc: the target account, the maps, the counts ----

  Status OpenAccount(const std::string& name);
  // Users get the source's active state, the account its finish time, the log the counts.
  Status Finish();

  // The mappings of `kind` committed so far (read once per run; then kept up to date here).
  std::map<std::int64_t, std::int64_t>& Map(const std::string& kind);
  std::optional<std::int64_t> Local(const std::string& kind, std::int64_t source_id);
  Status Remember(AccountWriter& w, const std::string& kind, std::int64_t source_id,
                  std::int64_t local_id);
  // A user reference (responsible, created_by): 0 (nobody, the robot) and unknown users are 0.
  UserId LocalUser(std::int64_t source_id);

  void LeaveOut(std::string_view phase, const std::string& reason, std::int64_t n = 1);
  void Progress(std::string_view phase);
  // Walks a list of the source as KommoSource::ForEachPage does. Under /api/v4/customers, a
  // first page the source refuses as switched off (IsSwitchedOff) ends the walk without error
  // and turns customers off for the rest of the run (customers_off_ says why); once off, those
  // lists are not read at all.
  Status Pages(const std::string& path, const std::string& query, const std::string& plural,
               const std::function<Status(const json&)>& visit, bool paged = true);

  // ---- import_settings.cc ----

  // The source's rights object with its stage ids made local (an entry naming a stage that
  // was not imported is dropped, said in the summary), validated and normalized as
  // PATCH /api/v4/users and /roles do (http::api::ParseRights + service::ResolveRights).
  Result<domain::Rights> LocalRights(const json& source_rights, service::UserFlagsInput* flags,
                                     const std::string& who);

  Status Groups(const json& account);
  Status Pipelines();
  Status Pipeline(AccountWriter& w, const json& pipeline);
  // The descriptions of the stages of every pipeline the source lists (with=descriptions), one
  // pipeline's statuses per transaction; each description id is mapped.
  Status StageDescriptions();
  Status StageDescription(AccountWriter& w, domain::PipelineId pipeline, const json& status,
                          const json& description);
  // Maps the source's stages of a pipeline to the local pipeline's: incoming to incoming, the
  // working stages in sort order (kInternal when their numbers differ).
  Status RememberStages(AccountWriter& w, domain::PipelineId local_id, const std::string& name,
                        const std::optional<json>& incoming, const std::vector<json>& working);
  // Definitions of the custom fields of leads, contacts, companies and customers, with their
  // enums (each enum id mapped too: select values and multitext tags name them).
  Status CustomFields();
  Status CustomField(AccountWriter& w, const std::string& entity_type, domain::DataSet data_set,
                     const json& item);
  // Values are written as the API writes them (type checks included), by an imported
  // administrator: the policy's field rights then let every field through.
  Status FieldWriter();
  Status Roles();
  Status Users(const std::string& account_name);
  Status User(AccountWriter& w, const json& user);
  // The row a new source user is created as: its rights made local, its group and role mapped.
  Result<storage::UserRow> NewUserRow(const json& user, const json& source_rights);

  // ---- import_records.cc ----

  Status FieldValues(AccountWriter& w, const std::string& entity_type, storage::RecordId record,
                     const json& item);
  // Tags of a record: the entity type's catalog gets each tag once (by the source's id),
  // reusing a tag of the same name.
  Status Tags(AccountWriter& w, domain::DataSet entity_type, storage::RecordId record,
              const json& item);
  // Writes `record` (a contact, company or lead) with the source item's tags and custom field
  // values; returns it as stored.
  template <typename R>
  Result<R> CreateTagged(AccountWriter& w, const R& record, const json& item);
  template <typename R>
  void Ownership(R& record, const json& item);
  // Walks a record list, one transaction per page; `create` makes one record (its mapping is
  // written here, in the same transaction).
  Status Records(std::string_view phase, const std::string& path, const std::string& query,
                 const std::string& plural, const std::string& kind,
                 const std::function<Result<std::int64_t>(AccountWriter&, const json&)>& create);
  Status Contacts();
  Status Companies();
  Status Leads();
  // The contacts (with the main one) and the company of a lead or customer (`kind`) `id`, as
  // the source item's _embedded names them.
  Status Links(AccountWriter& w, domain::DataSet kind, storage::RecordId id, const json& item);
  // The local record a task or note is attached to: {its kind, its local id}, or nullopt.
  std::optional<std::pair<domain::DataSet, std::int64_t>> Attached(const std::string& entity_type,
                                                                   std::int64_t entity_id);
  Status Tasks();
  Status Notes();
  // Loss reasons of leads: each the local reason of the same name, or a new one.
  Status LossReasons();

  // ---- import_customers.cc ----

  // Customer statuses: a system one (types 1-4, one of each in every account) is the local one
  // of its type, a regular one the local one of the same name or a new one; each takes the
  // source's name, sort and colour. The first run also deletes the regular statuses the new
  // account came with that the source lacks, before adding, so that the account ends with the
  // source's statuses (and stays within AccountWriter::kMaxCustomerStatuses).
  Status CustomerStatuses();
  // Maps the source status to the local one it matches (by type or name, not yet mapped),
  // which takes its name, sort and colour; false when none matches.
  Result<bool> MatchCustomerStatus(AccountWriter& w, const json& item);
  Status DropUnmatchedCustomerStatuses(AccountWriter& w);
  Status AddCustomerStatus(AccountWriter& w, const json& item);
  // `base` with the source status's name, sort and colour where Gatehouse keeps them (a colour
  // off Kommo's palette keeps base's); nullopt, said in the summary, when still not storable.
  std::optional<storage::CustomerStatus> SourceCustomerStatus(const json& item,
                                                              storage::CustomerStatus base);
  Status Customers();

  storage::Store& store_;
  KommoSource& source_;
  const ImportProgress& progress_;
  std::int64_t now_;
  service::Caller system_;
  storage::AccountId account_ = 0;
  std::int64_t source_account_id_ = 0;
  storage::GroupId default_group_ = 0;
  std::vector<domain::Pipeline> pipelines_;
  std::vector<std::int64_t> source_pipelines_;  // the ids the source lists, in sort order
  std::vector<std::pair<domain::DataSet, std::int64_t>> local_fields_;  // for rights checks
  service::Caller field_writer_;  // an imported administrator, once users exist
  std::map<std::string, std::map<std::int64_t, std::int64_t>> maps_;
  std::map<std::string, KindCount> counts_;
  std::map<std::string, std::int64_t> left_out_;  // reason -> how many
  std::map<std::int64_t, bool> source_active_;    // source user id -> is_active
  std::int64_t free_active_ = 0;
  std::string customers_off_;  // why the source does not serve customers; "" when it does
  ImportSummary summary_;
};

}  // namespace gatehouse::import::internal
