// The authorization suite that cannot be fooled: random workspaces (users at every level D/M/G/A
// with stage rights on random (pipeline, status) pairs incl. won 142 / lost 143, several groups,
// roles, administrators, a deactivated user; random leads, contacts, companies, tasks and links)
// seeded through the Store, served by the real binary, and every answer compared with the naive
// reference model (tests/model/reference_model.h) over the model the Store loads back.
//
// Each user is checked through their own web session or personal token, and again through an
// administrator's token with X-Context-User-ID (view-as): list contents (all pages, limit 250 and
// a small limit through the next links), GET by id (200 iff viewable, else 404), CSV export
// (the exportable set), embedded links, PATCH (404 / 403 / 200, stage moves by the target stage
// rule), DELETE, and deactivated users refused (401). Custom fields (issue 15 §3), with random
// field rights on users and roles: the definitions listed, the custom_fields_values of every
// listed and fetched record, and field writes (hidden 400, read-only 403, both changing nothing).
//
// Replay: the seed is printed; GATEHOUSE_SEED=<n> runs the same workspaces again.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/api/harness.h"
#include "tests/model/reference_model.h"

namespace gatehouse::apitest {
namespace {

using domain::Action;
using domain::DataSet;
using domain::Level;
using domain::RecordId;
using domain::RecordRef;
using domain::UserId;

constexpr int kWorkspaces = 3;
constexpr int kLeads = 60;
constexpr int kContacts = 40;
constexpr int kCompanies = 25;
constexpr int kTasks = 25;
constexpr int kCustomers = 30;
constexpr int kRandomUsers = 7;  // plus the seeding administrator, a second one, a deactivated one
constexpr std::size_t kMaxReported = 40;

std::uint64_t BaseSeed() {
  static const std::uint64_t seed = [] {
    if (const char* env = std::getenv("GATEHOUSE_SEED"); env != nullptr && *env != '\0') {
      return static_cast<std::uint64_t>(std::strtoull(env, nullptr, 10));
    }
    return static_cast<std::uint64_t>(std::random_device{}()) << 16 ^
           static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count() &
                                      0xffff);
  }();
  return seed;
}

const char* Plural(DataSet ds) {
  switch (ds) {
    case DataSet::kLeads:
      return "leads";
    case DataSet::kContacts:
      return "contacts";
    case DataSet::kCompanies:
      return "companies";
    case DataSet::kTasks:
      return "tasks";
    case DataSet::kCustomers:
      return "customers";
    default:
      return "incoming_leads";
  }
}

// Customers: the leads' rights without stage rights (SPEC §1).
constexpr DataSet kRecordSets[] = {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies,
                                   DataSet::kTasks, DataSet::kCustomers};

struct Record {
  RecordId id = 0;
  RecordRef ref;
  bool deleted = false;
};

struct Workspace {
  std::uint64_t seed = 0;
  std::string subdomain;
  storage::AccountRow account;
  UserId admin_id = 0;
  UserId deactivated_id = 0;   // deactivated in the seed; owns records
  std::vector<UserId> actors;  // active users checked one by one (incl. a second admin)
  domain::AccountModel model;  // as the Store loads it back
  std::map<DataSet, std::vector<Record>> records;
  std::map<RecordId, std::vector<RecordId>> lead_contacts;
  std::map<RecordId, RecordId> lead_company;
  std::map<RecordId, std::vector<RecordId>> customer_contacts;
  std::map<RecordId, RecordId> customer_company;
  std::vector<domain::StageKey> lead_stages;  // every non-incoming (pipeline, status)
  // Lead prices: as seeded, and of the leads the test adds or accepts (no write changes one).
  std::map<RecordId, std::int64_t> lead_price;
  std::map<UserId, std::string> emails;
  struct Incoming {
    std::string uid;
    RecordRef ref;
    bool declined = false;
  };
  std::vector<Incoming> incoming;  // pending incoming (unsorted) leads
  // Notes (issue 15): per data set, (note id, its record's id).
  std::map<DataSet, std::vector<std::pair<RecordId, RecordId>>> notes;
  // Custom fields (issue 15 §3): the defined field ids of leads, contacts and companies, and per
  // record the fields holding values (as seeded, then as the accepted writes left them).
  std::map<DataSet, std::vector<std::int64_t>> fields;
  std::map<std::pair<DataSet, RecordId>, std::set<std::int64_t>> valued;
};

constexpr DataSet kFieldSets[] = {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies};

// ---- random workspace ----

Level RandomLevel(std::mt19937_64& rng) {
  return static_cast<Level>(std::uniform_int_distribution<int>(0, 3)(rng));
}
Level RandomAD(std::mt19937_64& rng) {
  return std::bernoulli_distribution(0.5)(rng) ? Level::kAllowed : Level::kDenied;
}

domain::Rights RandomRights(std::mt19937_64& rng, const std::vector<domain::StageKey>& stages) {
  domain::Rights r;
  for (DataSet ds : domain::kAllDataSets) {
    for (Action a : domain::kAllActions) {
      if (!model::RefActionApplies(ds, a)) continue;
      const bool ad = a == Action::kAdd || ds == DataSet::kIncomingLeads;
      // View leans wide so that edit/delete/export (never wider than view) vary too.
      Level level = ad ? RandomAD(rng) : RandomLevel(rng);
      if (a == Action::kView && std::bernoulli_distribution(0.3)(rng)) level = Level::kAllowed;
      r.Set(ds, a, level);
    }
  }
  const int entries = std::uniform_int_distribution<int>(0, 3)(rng);
  std::set<domain::StageKey> used;
  for (int i = 0; i < entries; ++i) {
    const domain::StageKey key =
        stages[std::uniform_int_distribution<std::size_t>(0, stages.size() - 1)(rng)];
    if (!used.insert(key).second) continue;
    domain::StageRights sr;
    sr.stage = key;
    for (Action a : domain::kStageActions) {
      if (std::bernoulli_distribution(0.6)(rng)) sr.Set(a, RandomLevel(rng));
    }
    r.stage_rights.push_back(sr);
  }
  r.mail_access = std::bernoulli_distribution(0.5)(rng);
  r.catalog_access = std::bernoulli_distribution(0.5)(rng);
  return model::RefNormalize(r);
}

// Random custom_fields_rights over the workspace's fields: per data set nothing, some or most
// fields restricted, each view and edit A or D (stored normalized, as the service stores them).
std::vector<domain::FieldRight> RandomFieldRights(
    std::mt19937_64& rng, const std::map<DataSet, std::vector<std::int64_t>>& fields) {
  std::vector<domain::FieldRight> entries;
  for (const auto& [ds, ids] : fields) {
    const double share = std::uniform_int_distribution<int>(0, 2)(rng) * 0.4;
    for (std::int64_t id : ids) {
      if (!std::bernoulli_distribution(share)(rng)) continue;
      entries.push_back(
          {ds, id, std::bernoulli_distribution(0.5)(rng), std::bernoulli_distribution(0.5)(rng)});
    }
  }
  domain::NormalizeFieldRights(entries);
  return entries;
}

base::Status SeedWorkspace(storage::Store& store, Workspace& ws) {
  std::mt19937_64 rng(ws.seed);
  GH_ASSIGN_OR_RETURN(SeededAccount account, SeedAccount(store, ws.subdomain));
  ws.account = account.account;
  ws.admin_id = account.admin_id;
  ws.emails[ws.admin_id] = account.admin_email;
  auto pick = [&rng](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  GH_RETURN_IF_ERROR(store.Write(ws.account.id, [&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(domain::GroupId default_group, w.DefaultGroupId());
    std::vector<domain::GroupId> groups = {default_group};
    for (const char* name : {"Sales", "Support", "Field"}) {
      GH_ASSIGN_OR_RETURN(domain::GroupId g, w.CreateGroup(name));
      groups.push_back(g);
    }
    GH_RETURN_IF_ERROR(
        w.CreatePipeline("Second", 2, false, {{0, "Qualify", 20, 0}, {0, "Offer", 30, 0}})
            .status());
    GH_ASSIGN_OR_RETURN(std::vector<domain::Pipeline> pipelines, w.ListPipelines());
    for (const domain::Pipeline& p : pipelines) {
      for (const domain::Stage& s : p.stages) {
        if (s.type == domain::kStageTypeIncoming) continue;
        ws.lead_stages.push_back({p.id, s.id});
      }
    }
    for (DataSet ds : kFieldSets) {
      for (int i = 0; i < 4; ++i) {
        const domain::CustomField field{
            .data_set = ds, .name = std::string(Plural(ds)) + " field " + std::to_string(i)};
        GH_ASSIGN_OR_RETURN(domain::CustomField stored, w.CreateCustomField(field));
        ws.fields[ds].push_back(stored.id);
      }
    }
    std::vector<domain::Role> roles;
    for (const char* name : {"Role one", "Role two"}) {
      domain::Role role{0, name, RandomRights(rng, ws.lead_stages)};
      role.rights.field_rights = RandomFieldRights(rng, ws.fields);
      GH_ASSIGN_OR_RETURN(role.id, w.CreateRole(role));
      roles.push_back(role);
    }
    auto make_user = [&](const std::string& key, bool admin) -> base::Result<UserId> {
      storage::UserRow row;
      row.user.name = "User " + key;
      row.user.email = key + "@" + ws.subdomain + ".test";
      row.user.group_id = groups[pick(groups.size())];
      row.user.is_admin = admin;
      if (admin) {
        row.user.rights = domain::Rights::AllAllowed();
      } else if (std::bernoulli_distribution(0.3)(rng)) {
        const domain::Role& role = roles[pick(roles.size())];
        row.user.role_id = role.id;
        row.user.rights = role.rights;
      } else {
        row.user.rights = RandomRights(rng, ws.lead_stages);
        row.user.rights.field_rights = RandomFieldRights(rng, ws.fields);
      }
      row.password_hash = PasswordHash();
      row.created_at = 1'700'000'000;
      GH_ASSIGN_OR_RETURN(UserId id, w.CreateUser(row));
      ws.emails[id] = row.user.email;
      return id;
    };
    for (int i = 0; i < kRandomUsers; ++i) {
      GH_ASSIGN_OR_RETURN(UserId id, make_user("user" + std::to_string(i), false));
      ws.actors.push_back(id);
    }
    GH_ASSIGN_OR_RETURN(UserId second_admin, make_user("admin2", true));
    ws.actors.push_back(second_admin);
    GH_ASSIGN_OR_RETURN(ws.deactivated_id, make_user("gone", false));

    // Owners: every user (admins, the soon-deactivated one) and sometimes nobody.
    std::vector<UserId> owners = ws.actors;
    owners.push_back(ws.admin_id);
    owners.push_back(ws.deactivated_id);
    auto owner = [&]() -> UserId {
      return std::bernoulli_distribution(0.05)(rng) ? 0 : owners[pick(owners.size())];
    };
    for (int i = 0; i < kLeads; ++i) {
      storage::Lead lead;
      lead.name = "Lead " + std::to_string(i);
      lead.price = static_cast<std::int64_t>(pick(100000));
      const domain::StageKey stage = ws.lead_stages[pick(ws.lead_stages.size())];
      lead.pipeline_id = stage.pipeline_id;
      lead.status_id = stage.status_id;
      lead.responsible_user_id = owner();
      lead.created_at = lead.updated_at = 1'700'000'000 + i;
      GH_ASSIGN_OR_RETURN(storage::Lead stored, w.Create(lead));
      ws.lead_price[stored.id] = stored.price;
      ws.records[DataSet::kLeads].push_back(
          {stored.id,
           {DataSet::kLeads, stored.responsible_user_id, stored.pipeline_id, stored.status_id}});
    }
    for (int i = 0; i < kContacts; ++i) {
      const storage::Contact contact{.name = "Contact " + std::to_string(i),
                                     .first_name = "First",
                                     .last_name = "Last " + std::to_string(i),
                                     .responsible_user_id = owner(),
                                     .created_at = 1'700'000'000 + i,
                                     .updated_at = 1'700'000'000 + i};
      GH_ASSIGN_OR_RETURN(storage::Contact stored, w.Create(contact));
      ws.records[DataSet::kContacts].push_back(
          {stored.id, {DataSet::kContacts, stored.responsible_user_id, 0, 0}});
    }
    for (int i = 0; i < kCompanies; ++i) {
      const storage::Company company{.name = "Company " + std::to_string(i),
                                     .responsible_user_id = owner(),
                                     .created_at = 1'700'000'000 + i,
                                     .updated_at = 1'700'000'000 + i};
      GH_ASSIGN_OR_RETURN(storage::Company stored, w.Create(company));
      ws.records[DataSet::kCompanies].push_back(
          {stored.id, {DataSet::kCompanies, stored.responsible_user_id, 0, 0}});
    }
    // Values on about two fields in three of every lead, contact and company.
    for (DataSet ds : kFieldSets) {
      for (const Record& r : ws.records[ds]) {
        for (std::int64_t field : ws.fields[ds]) {
          if (!std::bernoulli_distribution(0.65)(rng)) continue;
          const domain::FieldValue value{"seed " + std::to_string(field), 0};
          GH_RETURN_IF_ERROR(
              w.SetFieldValues(ds, r.id, field, std::span<const domain::FieldValue>(&value, 1)));
          ws.valued[{ds, r.id}].insert(field);
        }
      }
    }
    for (const Record& lead : ws.records[DataSet::kLeads]) {
      const auto& contacts = ws.records[DataSet::kContacts];
      const int n = static_cast<int>(pick(3));
      std::set<RecordId> linked;
      for (int k = 0; k < n; ++k) {
        const RecordId c = contacts[pick(contacts.size())].id;
        if (!linked.insert(c).second) continue;
        GH_RETURN_IF_ERROR(w.LinkContact(lead.id, c, k == 0));
        ws.lead_contacts[lead.id].push_back(c);
      }
      if (std::bernoulli_distribution(0.5)(rng)) {
        const auto& companies = ws.records[DataSet::kCompanies];
        const RecordId c = companies[pick(companies.size())].id;
        GH_RETURN_IF_ERROR(w.LinkCompany(lead.id, c));
        ws.lead_company[lead.id] = c;
      }
    }
    // Notes on every third lead, contact and company (a note is visible exactly when its
    // record is: CheckNotes).
    for (int k = 0; k < 3; ++k) {
      const DataSet ds = kRecordSets[k];
      const auto& pool = ws.records[ds];
      for (std::size_t i = 0; i < pool.size(); i += 3) {
        const storage::Note note{.entity_type = ds,
                                 .entity_id = pool[i].id,
                                 .note_type = "common",
                                 .params_json = R"({"text":"seeded"})",
                                 .created_at = 1'700'000'000 + static_cast<std::int64_t>(i),
                                 .updated_at = 1'700'000'000 + static_cast<std::int64_t>(i)};
        GH_ASSIGN_OR_RETURN(storage::Note stored, w.CreateNote(note));
        ws.notes[ds].push_back({stored.id, stored.entity_id});
      }
    }
    // Customers in random customer statuses, linked to contacts and companies like leads.
    GH_ASSIGN_OR_RETURN(std::vector<storage::CustomerStatus> statuses, w.ListCustomerStatuses());
    for (int i = 0; i < kCustomers; ++i) {
      storage::Customer customer;
      customer.name = "Customer " + std::to_string(i);
      customer.status_id = statuses[pick(statuses.size())].id;
      customer.next_price = static_cast<std::int64_t>(pick(10000));
      customer.responsible_user_id = owner();
      customer.created_at = customer.updated_at = 1'700'000'000 + i;
      GH_ASSIGN_OR_RETURN(storage::Customer stored, w.Create(customer));
      ws.records[DataSet::kCustomers].push_back(
          {stored.id, {DataSet::kCustomers, stored.responsible_user_id, 0, 0}});
      const auto& contacts = ws.records[DataSet::kContacts];
      std::set<RecordId> linked;
      for (int k = static_cast<int>(pick(3)); k > 0; --k) {
        const RecordId c = contacts[pick(contacts.size())].id;
        if (!linked.insert(c).second) continue;
        GH_RETURN_IF_ERROR(w.LinkCustomerContact(stored.id, c, linked.size() == 1));
        ws.customer_contacts[stored.id].push_back(c);
      }
      if (std::bernoulli_distribution(0.5)(rng)) {
        const auto& companies = ws.records[DataSet::kCompanies];
        const RecordId c = companies[pick(companies.size())].id;
        GH_RETURN_IF_ERROR(w.LinkCustomerCompany(stored.id, c));
        ws.customer_company[stored.id] = c;
      }
    }
    for (int i = 0; i < kTasks; ++i) {
      storage::Task task;
      const int kind = static_cast<int>(pick(4));
      if (kind < 3) {
        const DataSet ds = kRecordSets[kind];
        const auto& pool = ws.records[ds];
        task.entity_type = ds;
        task.entity_id = pool[pick(pool.size())].id;
      }
      task.text = "Task " + std::to_string(i);
      task.complete_till = 1'800'000'000 + i;
      task.responsible_user_id = owner();
      task.created_at = task.updated_at = 1'700'000'000 + i;
      GH_ASSIGN_OR_RETURN(storage::Task stored, w.Create(task));
      ws.records[DataSet::kTasks].push_back(
          {stored.id, {DataSet::kTasks, stored.responsible_user_id, 0, 0}});
    }
    for (int i = 0; i < 8; ++i) {
      const storage::IncomingLead item{
          .uid = "uid-" + ws.subdomain + "-" + std::to_string(i),
          .category = domain::IncomingCategory::kForms,
          .source_uid = "form-1",
          .source_name = "Web form",
          .pipeline_id = ws.lead_stages[pick(ws.lead_stages.size())].pipeline_id,
          .responsible_user_id = owner(),
          .lead_name = "Incoming " + std::to_string(i),
          .created_at = 1'700'000'000 + i,
          .updated_at = 1'700'000'000 + i};
      GH_ASSIGN_OR_RETURN(storage::IncomingLead stored, w.Create(item));
      ws.incoming.push_back(
          {stored.uid,
           {DataSet::kIncomingLeads, stored.responsible_user_id, stored.pipeline_id, 0}});
    }
    // Deactivated after the records: a deactivated user still owns records (and a group).
    GH_ASSIGN_OR_RETURN(storage::UserRow gone, w.GetUser(ws.deactivated_id));
    gone.user.is_active = false;
    GH_RETURN_IF_ERROR(w.UpdateUser(gone));
    return base::Status::Ok();
  }));
  GH_ASSIGN_OR_RETURN(ws.model, store.Reader(ws.account.id).LoadAccountModel());
  return base::Status::Ok();
}

// ---- checking ----

class Checker {
 public:
  explicit Checker(Workspace& ws) : ws_(ws) {}

  const std::vector<std::string>& differences() const { return differences_; }
  std::size_t checks() const { return checks_; }
  // Expected outcomes by request kind ("GET 404": 812, ...), to show the mix is not one-sided.
  std::string Outcomes() const {
    std::string out;
    for (const auto& [k, n] : outcomes_)
      out += (out.empty() ? "" : ", ") + k + ": " + std::to_string(n);
    return out;
  }

  bool Can(UserId user, Action action, const RecordRef& ref) const {
    return model::RefCheck(ws_.model, user, action, ref);
  }

  // A new lead (POST or accepted) may enter a stage unless the user's stage rights there deny
  // editing it even as its responsible user (docs/api.md, records rules).
  bool StageAdmitsNewLead(UserId user, const domain::StageKey& stage) const {
    model::RefDecision d =
        model::RefDecide(ws_.model, user, Action::kEdit,
                         {DataSet::kLeads, user, stage.pipeline_id, stage.status_id});
    return d.allowed || d.rule != model::RefRule::kStageRight;
  }

  void Report(UserId user, const std::string& channel, const std::string& what,
              const Record* record = nullptr) {
    std::string line = "[" + channel + "] user " + std::to_string(user) + ": " + what;
    if (const domain::User* u = ws_.model.FindUser(user))
      line += "\n    user " + model::UserToString(*u);
    if (record != nullptr) line += "\n    record " + model::RecordToString(record->ref);
    differences_.push_back(std::move(line));
  }

  std::set<RecordId> Expected(UserId user, DataSet ds, Action action) const {
    std::set<RecordId> out;
    for (const Record& r : ws_.records.at(ds)) {
      if (!r.deleted && Can(user, action, r.ref)) out.insert(r.id);
    }
    return out;
  }

  const Record* Find(DataSet ds, RecordId id) const {
    for (const Record& r : ws_.records.at(ds)) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }

  void CompareSets(UserId user, const std::string& channel, const std::string& what, DataSet ds,
                   const std::set<RecordId>& got, const std::set<RecordId>& want) {
    ++checks_;
    for (RecordId id : got) {
      if (!want.count(id)) {
        Report(user, channel, what + ": id " + std::to_string(id) + " shown but not allowed",
               Find(ds, id));
      }
    }
    for (RecordId id : want) {
      if (!got.count(id)) {
        Report(user, channel, what + ": id " + std::to_string(id) + " allowed but missing",
               Find(ds, id));
      }
    }
  }

  // Lists of every record type, limit 250 and (leads) a small limit through next links.
  void CheckLists(HttpClient& client, UserId user, const std::string& channel) {
    for (DataSet ds : kRecordSets) {
      const std::set<RecordId> want = Expected(user, ds, Action::kView);
      for (int limit : {250, 11}) {
        if (limit != 250 && ds != DataSet::kLeads) continue;
        const std::string target =
            std::string("/api/v4/") + Plural(ds) + "?limit=" + std::to_string(limit);
        std::string error;
        std::vector<RecordId> ids = CollectIds(client, target, Plural(ds), 40, &error);
        if (!error.empty()) Report(user, channel, "GET " + target + ": " + error);
        std::set<RecordId> got(ids.begin(), ids.end());
        if (got.size() != ids.size()) Report(user, channel, "GET " + target + ": duplicate ids");
        CompareSets(user, channel, "GET " + target, ds, got, want);
      }
    }
  }

  // GET /api/v4/{leads|contacts|companies}/notes: exactly the notes whose record the user may
  // view (issue 15), through the next links with a small limit.
  void CheckNotes(HttpClient& client, UserId user, const std::string& channel) {
    for (int k = 0; k < 3; ++k) {
      const DataSet ds = kRecordSets[k];
      const std::set<RecordId> visible = Expected(user, ds, Action::kView);
      std::set<RecordId> want;
      std::map<RecordId, RecordId> record_of;
      for (const auto& [note, record] : ws_.notes.at(ds)) {
        record_of[note] = record;
        if (visible.count(record)) want.insert(note);
      }
      const std::string target = std::string("/api/v4/") + Plural(ds) + "/notes?limit=7";
      std::string error;
      std::vector<RecordId> ids = CollectIds(client, target, "notes", 40, &error);
      if (!error.empty()) Report(user, channel, "GET " + target + ": " + error);
      ++checks_;
      const std::set<RecordId> got(ids.begin(), ids.end());
      for (RecordId id : got) {
        if (!want.count(id)) {
          Report(user, channel,
                 "GET " + target + ": note " + std::to_string(id) + " of record " +
                     std::to_string(record_of[id]) + " shown but its record is not viewable");
        }
      }
      for (RecordId id : want) {
        if (!got.count(id)) {
          Report(user, channel,
                 "GET " + target + ": note " + std::to_string(id) + " of viewable record " +
                     std::to_string(record_of[id]) + " missing");
        }
      }
    }
  }

  // GET /api/v4/leads/summary, whole and per pipeline: every stage of the pipelines asked for,
  // each with the reference model's count and sum of prices of the leads the user may view,
  // and the total; before the writes and again after them (adds, moves, accepts, deletes).
  void CheckSummary(HttpClient& client, UserId user, const std::string& channel) {
    std::map<std::pair<std::int64_t, std::int64_t>, std::pair<std::int64_t, std::int64_t>> want;
    for (const domain::Pipeline& p : ws_.model.pipelines) {
      for (const domain::Stage& s : p.stages) want[{p.id, s.id}] = {0, 0};
    }
    for (const Record& r : ws_.records.at(DataSet::kLeads)) {
      if (r.deleted || !Can(user, Action::kView, r.ref)) continue;
      auto& cell = want[{r.ref.pipeline_id, r.ref.status_id}];
      cell.first += 1;
      cell.second += ws_.lead_price.at(r.id);
    }
    std::vector<std::int64_t> filters = {0};
    for (const domain::Pipeline& p : ws_.model.pipelines) filters.push_back(p.id);
    for (std::int64_t pipeline : filters) {
      ++checks_;
      const std::string target =
          "/api/v4/leads/summary" +
          (pipeline == 0 ? std::string() : "?filter[pipeline_id]=" + std::to_string(pipeline));
      Response r = client.Get(target);
      if (r.status != 200 || !r.is_json || !r.body_json.contains("_embedded") ||
          !r.body_json.contains("total")) {
        Report(user, channel, "GET " + target + ": " + r.Describe());
        continue;
      }
      std::int64_t count = 0;
      std::int64_t price = 0;
      std::size_t stages = 0;
      for (const auto& [stage, totals] : want) {
        if (pipeline != 0 && stage.first != pipeline) continue;
        ++stages;
        count += totals.first;
        price += totals.second;
      }
      const json& got = r.body_json["_embedded"]["stages"];
      if (!got.is_array() || got.size() != stages) {
        Report(user, channel,
               "GET " + target + ": expected " + std::to_string(stages) + " stages, got " + r.body);
        continue;
      }
      for (const json& stage : got) {
        const std::pair<std::int64_t, std::int64_t> key{stage.value("pipeline_id", std::int64_t{0}),
                                                        stage.value("status_id", std::int64_t{0})};
        auto it = want.find(key);
        const std::pair<std::int64_t, std::int64_t> have{stage.value("count", std::int64_t{-1}),
                                                         stage.value("price", std::int64_t{-1})};
        if (it == want.end() || (pipeline != 0 && key.first != pipeline) || have != it->second) {
          Report(user, channel,
                 "GET " + target + ": stage " + stage.dump() + " expected count " +
                     (it == want.end() ? std::string("(no such stage)")
                                       : std::to_string(it->second.first) + " price " +
                                             std::to_string(it->second.second)));
        }
      }
      const json& total = r.body_json["total"];
      if (total.value("count", std::int64_t{-1}) != count ||
          total.value("price", std::int64_t{-1}) != price) {
        Report(user, channel,
               "GET " + target + ": total " + total.dump() + " expected count " +
                   std::to_string(count) + " price " + std::to_string(price));
      }
    }
  }

  // Embedded links: a lead's contacts and company, a contact's leads, a company's leads and
  // contacts appear only when viewable (and every viewable linked one appears).
  void CheckEmbedded(HttpClient& client, UserId user, const std::string& channel) {
    const std::set<RecordId> leads = Expected(user, DataSet::kLeads, Action::kView);
    const std::set<RecordId> contacts = Expected(user, DataSet::kContacts, Action::kView);
    const std::set<RecordId> companies = Expected(user, DataSet::kCompanies, Action::kView);
    auto embedded_ids = [](const json& item, const char* key) {
      std::set<RecordId> out;
      if (item.contains("_embedded") && item["_embedded"].contains(key) &&
          item["_embedded"][key].is_array()) {
        for (const json& e : item["_embedded"][key]) {
          if (e.contains("id") && e["id"].is_number_integer()) out.insert(e["id"].get<RecordId>());
        }
      }
      return out;
    };
    auto intersect = [](const std::vector<RecordId>& linked, const std::set<RecordId>& visible) {
      std::set<RecordId> out;
      for (RecordId id : linked) {
        if (visible.count(id)) out.insert(id);
      }
      return out;
    };
    // Leads with contacts (and the company, always embedded).
    for (const json& lead :
         ListItems(client, user, channel, "/api/v4/leads?with=contacts&limit=250", "leads")) {
      const RecordId id = lead.value("id", RecordId{0});
      auto it = ws_.lead_contacts.find(id);
      const std::vector<RecordId> linked =
          it == ws_.lead_contacts.end() ? std::vector<RecordId>{} : it->second;
      CompareSets(user, channel, "lead " + std::to_string(id) + " _embedded.contacts",
                  DataSet::kContacts, embedded_ids(lead, "contacts"), intersect(linked, contacts));
      std::vector<RecordId> company;
      if (auto c = ws_.lead_company.find(id); c != ws_.lead_company.end()) {
        company.push_back(c->second);
      }
      CompareSets(user, channel, "lead " + std::to_string(id) + " _embedded.companies",
                  DataSet::kCompanies, embedded_ids(lead, "companies"),
                  intersect(company, companies));
    }
    // Customers with contacts and company: each linked record only when viewable.
    for (const json& customer :
         ListItems(client, user, channel, "/api/v4/customers?with=contacts,companies&limit=250",
                   "customers")) {
      const RecordId id = customer.value("id", RecordId{0});
      auto it = ws_.customer_contacts.find(id);
      const std::vector<RecordId> linked =
          it == ws_.customer_contacts.end() ? std::vector<RecordId>{} : it->second;
      CompareSets(user, channel, "customer " + std::to_string(id) + " _embedded.contacts",
                  DataSet::kContacts, embedded_ids(customer, "contacts"),
                  intersect(linked, contacts));
      std::vector<RecordId> company;
      if (auto c = ws_.customer_company.find(id); c != ws_.customer_company.end()) {
        company.push_back(c->second);
      }
      CompareSets(user, channel, "customer " + std::to_string(id) + " _embedded.companies",
                  DataSet::kCompanies, embedded_ids(customer, "companies"),
                  intersect(company, companies));
    }
    // Contacts with leads.
    std::map<RecordId, std::vector<RecordId>> contact_leads;
    for (const auto& [lead, cs] : ws_.lead_contacts) {
      for (RecordId c : cs) contact_leads[c].push_back(lead);
    }
    for (const json& contact :
         ListItems(client, user, channel, "/api/v4/contacts?with=leads&limit=250", "contacts")) {
      const RecordId id = contact.value("id", RecordId{0});
      CompareSets(user, channel, "contact " + std::to_string(id) + " _embedded.leads",
                  DataSet::kLeads, embedded_ids(contact, "leads"),
                  intersect(contact_leads[id], leads));
    }
    // Companies with leads and contacts: leads exactly, contacts only ever viewable ones.
    std::map<RecordId, std::vector<RecordId>> company_leads;
    for (const auto& [lead, c] : ws_.lead_company) company_leads[c].push_back(lead);
    for (const json& company :
         ListItems(client, user, channel, "/api/v4/companies?with=leads,contacts&limit=250",
                   "companies")) {
      const RecordId id = company.value("id", RecordId{0});
      CompareSets(user, channel, "company " + std::to_string(id) + " _embedded.leads",
                  DataSet::kLeads, embedded_ids(company, "leads"),
                  intersect(company_leads[id], leads));
      for (RecordId c : embedded_ids(company, "contacts")) {
        ++checks_;
        if (!contacts.count(c)) {
          Report(user, channel,
                 "company " + std::to_string(id) + " embeds contact " + std::to_string(c) +
                     " that is not viewable",
                 Find(DataSet::kContacts, c));
        }
      }
    }
  }

  // GET /{plural}/{id} for every record: 200 iff viewable, else 404.
  // `fraction` < 1 checks a random sample of that size.
  void CheckGets(HttpClient& client, UserId user, const std::string& channel, std::mt19937_64& rng,
                 double fraction = 1.0) {
    for (DataSet ds : kRecordSets) {
      for (const Record& r : ws_.records.at(ds)) {
        if (r.deleted || !std::bernoulli_distribution(fraction)(rng)) continue;
        const std::string target =
            std::string("/api/v4/") + Plural(ds) + "/" + std::to_string(r.id);
        Response resp = client.Get(target);
        const int want = Can(user, Action::kView, r.ref) ? 200 : 404;
        ++checks_;
        ++outcomes_["GET " + std::to_string(want)];
        if (resp.status != want) {
          Report(user, channel,
                 "GET " + target + " expected " + std::to_string(want) + ", got " + resp.Describe(),
                 &r);
        } else if (want == 200 &&
                   (!resp.is_json || resp.body_json.value("id", RecordId{0}) != r.id)) {
          Report(user, channel, "GET " + target + " body without the id: " + resp.Describe(), &r);
        } else if (want == 404 && resp.Header("content-type") != "application/problem+json") {
          Report(user, channel, "GET " + target + " 404 not problem+json", &r);
        }
      }
    }
  }

  // Filters combine with the rights: a filtered list (or export) is the visible (exportable)
  // set narrowed by the filter, never more.
  void CheckFiltered(HttpClient& client, UserId user, const std::string& channel) {
    const domain::StageKey stage = ws_.lead_stages.back();  // a closing stage of the last pipeline
    const domain::PipelineId pipeline = stage.pipeline_id;
    struct Case {
      DataSet ds;
      std::string query;
      std::function<bool(const RecordRef&)> keep;
    };
    const std::vector<Case> cases = {
        {DataSet::kLeads, "filter[pipeline_id]=" + std::to_string(pipeline),
         [&](const RecordRef& r) { return r.pipeline_id == pipeline; }},
        {DataSet::kLeads,
         "filter[statuses][0][pipeline_id]=" + std::to_string(stage.pipeline_id) +
             "&filter[statuses][0][status_id]=" + std::to_string(stage.status_id),
         [&](const RecordRef& r) {
           return r.pipeline_id == stage.pipeline_id && r.status_id == stage.status_id;
         }},
        {DataSet::kLeads, "filter[responsible_user_id]=" + std::to_string(user),
         [&](const RecordRef& r) { return r.responsible_user_id == user; }},
        {DataSet::kContacts, "filter[responsible_user_id][]=" + std::to_string(user),
         [&](const RecordRef& r) { return r.responsible_user_id == user; }},
        {DataSet::kTasks, "filter[responsible_user_id][]=" + std::to_string(ws_.admin_id),
         [&](const RecordRef& r) { return r.responsible_user_id == ws_.admin_id; }},
        {DataSet::kCustomers, "filter[responsible_user_id][]=" + std::to_string(user),
         [&](const RecordRef& r) { return r.responsible_user_id == user; }},
    };
    for (const Case& c : cases) {
      std::set<RecordId> want;
      for (RecordId id : Expected(user, c.ds, Action::kView)) {
        if (c.keep(Find(c.ds, id)->ref)) want.insert(id);
      }
      const std::string target = std::string("/api/v4/") + Plural(c.ds) + "?limit=250&" + c.query;
      std::string error;
      std::vector<RecordId> ids = CollectIds(client, target, Plural(c.ds), 5, &error);
      if (!error.empty()) Report(user, channel, "GET " + target + ": " + error);
      CompareSets(user, channel, "GET " + target, c.ds, std::set<RecordId>(ids.begin(), ids.end()),
                  want);
    }
    // The export takes the list's filters.
    std::set<RecordId> want;
    for (RecordId id : Expected(user, DataSet::kLeads, Action::kExport)) {
      if (Find(DataSet::kLeads, id)->ref.pipeline_id == pipeline) want.insert(id);
    }
    const std::string target =
        "/api/v4/leads/export?filter[pipeline_id]=" + std::to_string(pipeline);
    Response resp = client.Get(target);
    ++checks_;
    if (want.empty() && (resp.status == 403 || resp.status == 204)) return;
    if (resp.status != 200) {
      Report(user, channel, "GET " + target + " expected 200, got " + resp.Describe());
      return;
    }
    std::set<RecordId> got;
    std::vector<std::vector<std::string>> rows = ParseCsv(resp.body);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (!rows[i].empty() && !rows[i][0].empty()) {
        got.insert(std::strtoll(rows[i][0].c_str(), nullptr, 10));
      }
    }
    CompareSets(user, channel, "GET " + target, DataSet::kLeads, got, want);
  }

  // A batch PATCH is all or nothing: with one refused item, the status is that item's and the
  // editable item is left unchanged.
  void CheckBatch(HttpClient& client, HttpClient& admin, UserId user, const std::string& channel,
                  std::mt19937_64& rng) {
    std::vector<Record*> editable;
    std::vector<Record*> refused;
    for (Record& r : ws_.records.at(DataSet::kLeads)) {
      if (r.deleted) continue;
      (Can(user, Action::kEdit, r.ref) ? editable : refused).push_back(&r);
    }
    if (editable.empty()) return;
    std::shuffle(editable.begin(), editable.end(), rng);
    std::shuffle(refused.begin(), refused.end(), rng);
    const std::string name = "batch by " + std::to_string(user);
    if (!refused.empty()) {
      Record& ok = *editable[0];
      Record& bad = *refused[0];
      const int want = Can(user, Action::kView, bad.ref) ? 403 : 404;
      Response resp = client.SendJson(
          "PATCH", "/api/v4/leads",
          json::array({{{"id", ok.id}, {"name", name}}, {{"id", bad.id}, {"name", name}}}));
      ExpectStatus(user, channel,
                   "PATCH /api/v4/leads batch [" + std::to_string(ok.id) + " editable, " +
                       std::to_string(bad.id) + " not]",
                   want, resp, &bad);
      Response check = admin.Get("/api/v4/leads/" + std::to_string(ok.id));
      ++checks_;
      if (check.body_json.value("name", std::string()) == name) {
        Report(user, channel, "a refused batch PATCH still renamed lead " + std::to_string(ok.id),
               &ok);
      }
    }
    json items = json::array();
    for (std::size_t i = 0; i < editable.size() && i < 3; ++i) {
      items.push_back({{"id", editable[i]->id}, {"name", name}});
    }
    Response resp = client.SendJson("PATCH", "/api/v4/leads", items);
    ExpectStatus(user, channel, "PATCH /api/v4/leads batch of editable leads", 200, resp, nullptr);
  }

  // POST of one record per data set: 200 iff `add` is A (SPEC §2) and, for a lead, the stage
  // it is created in (a random one) admits it; 403 otherwise. Created records join the model
  // (as the administrator reads them back).
  void CheckAdds(HttpClient& client, HttpClient& admin, UserId user, const std::string& channel,
                 std::mt19937_64& rng) {
    for (DataSet ds :
         {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies, DataSet::kCustomers}) {
      const std::string target = std::string("/api/v4/") + Plural(ds);
      json item = {{"name", "added by " + std::to_string(user)}};
      bool admitted = true;
      if (ds == DataSet::kLeads) {
        const domain::StageKey stage = ws_.lead_stages[std::uniform_int_distribution<std::size_t>(
            0, ws_.lead_stages.size() - 1)(rng)];
        item["pipeline_id"] = stage.pipeline_id;
        item["status_id"] = stage.status_id;
        admitted = StageAdmitsNewLead(user, stage);
      }
      Response resp = client.SendJson("POST", target, json::array({item}));
      const int want = Can(user, Action::kAdd, RecordRef{ds, 0, 0, 0}) && admitted ? 200 : 403;
      if (!ExpectStatus(user, channel, "POST " + target, want, resp, nullptr) || want != 200) {
        continue;
      }
      const json& items = resp.body_json["_embedded"][Plural(ds)];
      if (!items.is_array() || items.empty()) {
        Report(user, channel, "POST " + target + " without _embedded ids: " + resp.Describe());
        continue;
      }
      const RecordId id = items[0].value("id", RecordId{0});
      Response got = admin.Get(target + "/" + std::to_string(id));
      if (got.status != 200) {
        Report(user, channel,
               "created " + target + "/" + std::to_string(id) + " not readable: " + got.Describe());
        continue;
      }
      RecordRef ref{ds, got.body_json.value("responsible_user_id", UserId{0}), 0, 0};
      if (ds == DataSet::kLeads) {
        ref.pipeline_id = got.body_json.value("pipeline_id", domain::PipelineId{0});
        ref.status_id = got.body_json.value("status_id", domain::StatusId{0});
      }
      if (ds == DataSet::kLeads) ws_.lead_price[id] = got.body_json.value("price", std::int64_t{0});
      ++checks_;
      if (ref.responsible_user_id != user) {
        Report(user, channel,
               "created " + target + "/" + std::to_string(id) +
                   " is not the creator's: " + got.Describe());
      }
      ws_.records[ds].push_back({id, ref});
    }
  }

  // Incoming leads: the list and GET by uid show exactly the viewable ones.
  void CheckIncoming(HttpClient& client, UserId user, const std::string& channel) {
    std::set<std::string> want;
    for (const Workspace::Incoming& item : ws_.incoming) {
      if (!item.declined && Can(user, Action::kView, item.ref)) want.insert(item.uid);
    }
    std::set<std::string> got;
    std::string next = "/api/v4/leads/unsorted?limit=250";
    for (int page = 0; page < 5 && !next.empty(); ++page) {
      Response resp = client.Get(next);
      if (resp.status == 204) break;
      if (resp.status != 200) {
        Report(user, channel, "GET " + next + ": " + resp.Describe());
        break;
      }
      for (const json& item : resp.body_json["_embedded"]["unsorted"]) {
        got.insert(item.value("uid", std::string()));
      }
      next.clear();
      if (resp.body_json["_links"].contains("next")) {
        next = PathOfHref(resp.body_json["_links"]["next"]["href"].get<std::string>());
      }
    }
    ++checks_;
    if (got != want) {
      std::string text = "GET /api/v4/leads/unsorted: got";
      for (const std::string& uid : got) text += " " + uid;
      text += "; want";
      for (const std::string& uid : want) text += " " + uid;
      Report(user, channel, text);
    }
    for (const Workspace::Incoming& item : ws_.incoming) {
      if (item.declined) continue;
      const int want_status = Can(user, Action::kView, item.ref) ? 200 : 404;
      Response resp = client.Get("/api/v4/leads/unsorted/" + item.uid);
      ++checks_;
      ++outcomes_["UNSORTED GET " + std::to_string(want_status)];
      if (resp.status != want_status) {
        Report(user, channel,
               "GET /api/v4/leads/unsorted/" + item.uid + " expected " +
                   std::to_string(want_status) + ", got " + resp.Describe() + "\n    record " +
                   model::RecordToString(item.ref));
      }
    }
  }

  // Accept of one pending incoming lead into a random stage of its pipeline: 404 unless
  // viewable, 403 unless acceptable and the stage admits the new lead. The lead joins the model.
  void CheckAccept(HttpClient& client, UserId user, const std::string& channel,
                   std::mt19937_64& rng) {
    Workspace::Incoming& item =
        ws_.incoming[std::uniform_int_distribution<std::size_t>(0, ws_.incoming.size() - 1)(rng)];
    if (item.declined) return;
    std::vector<domain::StageKey> stages;
    for (const domain::StageKey& stage : ws_.lead_stages) {
      if (stage.pipeline_id == item.ref.pipeline_id) stages.push_back(stage);
    }
    if (stages.empty()) return;
    const domain::StageKey stage =
        stages[std::uniform_int_distribution<std::size_t>(0, stages.size() - 1)(rng)];
    int want = 200;
    if (!Can(user, Action::kView, item.ref)) {
      want = 404;
    } else if (!Can(user, Action::kAccept, item.ref) || !StageAdmitsNewLead(user, stage)) {
      want = 403;
    }
    const std::string target = "/api/v4/leads/unsorted/" + item.uid + "/accept";
    Response resp = client.SendJson("POST", target, {{"status_id", stage.status_id}});
    ++checks_;
    ++outcomes_["ACCEPT " + std::to_string(want)];
    if (resp.status != want) {
      Report(user, channel,
             "POST " + target + " into stage " + std::to_string(stage.status_id) + " expected " +
                 std::to_string(want) + ", got " + resp.Describe() + "\n    record " +
                 model::RecordToString(item.ref));
    }
    if (resp.status != 200) return;
    item.declined = true;  // no longer pending
    const json& leads = resp.body_json["_embedded"]["leads"];
    if (!leads.is_array() || leads.empty()) {
      Report(user, channel, "POST " + target + " without _embedded.leads: " + resp.Describe());
      return;
    }
    // The item's responsible user keeps it, unless deactivated: then the accepting user.
    UserId responsible = user;
    if (const domain::User* owner = ws_.model.FindUser(item.ref.responsible_user_id);
        owner != nullptr && owner->is_active) {
      responsible = owner->id;
    }
    const RecordId lead_id = leads[0].value("id", RecordId{0});
    ws_.records[DataSet::kLeads].push_back(
        {lead_id, {DataSet::kLeads, responsible, stage.pipeline_id, stage.status_id}});
    ws_.lead_price[lead_id] = leads[0].value("price", std::int64_t{0});  // seeded without one
  }

  // Decline of one pending incoming lead: 404 unless viewable, 403 unless declinable.
  void CheckDecline(HttpClient& client, UserId user, const std::string& channel,
                    std::mt19937_64& rng) {
    Workspace::Incoming& item =
        ws_.incoming[std::uniform_int_distribution<std::size_t>(0, ws_.incoming.size() - 1)(rng)];
    if (item.declined) return;
    int want = 200;
    if (!Can(user, Action::kView, item.ref)) {
      want = 404;
    } else if (!Can(user, Action::kDecline, item.ref)) {
      want = 403;
    }
    const std::string target = "/api/v4/leads/unsorted/" + item.uid + "/decline";
    Response resp = client.Send("DELETE", target);
    ++checks_;
    ++outcomes_["DECLINE " + std::to_string(want)];
    const bool ok = want == 200 ? (resp.status == 200 || resp.status == 204) : resp.status == want;
    if (!ok) {
      Report(user, channel,
             "DELETE " + target + " expected " + std::to_string(want) + ", got " + resp.Describe() +
                 "\n    record " + model::RecordToString(item.ref));
    }
    if (resp.status == 200 || resp.status == 204) item.declined = true;
  }

  // CSV export of leads, contacts, companies and customers: exactly the exportable set.
  void CheckExports(HttpClient& client, UserId user, const std::string& channel) {
    for (DataSet ds :
         {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies, DataSet::kCustomers}) {
      const std::set<RecordId> want = Expected(user, ds, Action::kExport);
      const std::string target = std::string("/api/v4/") + Plural(ds) + "/export";
      Response resp = client.Get(target);
      ++checks_;
      if (want.empty() && (resp.status == 403 || resp.status == 204)) continue;
      if (resp.status != 200) {
        Report(user, channel, "GET " + target + " expected 200, got " + resp.Describe());
        continue;
      }
      if (resp.Header("content-type").rfind("text/csv", 0) != 0) {
        Report(user, channel, "GET " + target + " content type " + resp.Header("content-type"));
      }
      std::vector<std::vector<std::string>> rows = ParseCsv(resp.body);
      if (rows.empty() || rows[0].empty() || rows[0][0] != "id") {
        Report(user, channel,
               "GET " + target + " no header row starting with id: " + resp.body.substr(0, 200));
        continue;
      }
      std::set<RecordId> got;
      for (std::size_t i = 1; i < rows.size(); ++i) {
        if (rows[i].empty() || (rows[i].size() == 1 && rows[i][0].empty())) continue;
        got.insert(std::strtoll(rows[i][0].c_str(), nullptr, 10));
      }
      CompareSets(user, channel, "GET " + target, ds, got, want);
    }
  }

  // ---- custom fields (issue 15 §3) ----

  // The field ids of a record's custom_fields_values (null or absent: none).
  static std::set<std::int64_t> FieldIdsOf(const json& record) {
    std::set<std::int64_t> out;
    auto it = record.find("custom_fields_values");
    if (it == record.end() || !it->is_array()) return out;
    for (const json& entry : *it) out.insert(entry.value("field_id", std::int64_t{-1}));
    return out;
  }

  // The fields of `record` (of `ds`) that hold values and that the user may view.
  std::set<std::int64_t> ExpectedFields(UserId user, DataSet ds, RecordId record) const {
    auto it = ws_.valued.find({ds, record});
    if (it == ws_.valued.end()) return {};
    const std::vector<std::int64_t> valued(it->second.begin(), it->second.end());
    const std::vector<std::int64_t> visible = model::RefVisibleFields(ws_.model, user, ds, valued);
    return {visible.begin(), visible.end()};
  }

  void CompareFields(UserId user, const std::string& channel, const std::string& what,
                     const std::set<std::int64_t>& got, const std::set<std::int64_t>& want,
                     const Record* record = nullptr) {
    ++checks_;
    if (got == want) return;
    auto text = [](const std::set<std::int64_t>& ids) {
      std::string out;
      for (std::int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
      return "[" + out + "]";
    };
    Report(user, channel, what + ": fields " + text(got) + ", expected " + text(want), record);
  }

  // Field visibility: the definitions listed (and each definition's GET: 200 iff viewable), and
  // the custom_fields_values of every record of the lists and of a few single GETs: exactly the
  // fields holding values that the reference model lets the user view.
  void CheckFieldVisibility(HttpClient& client, UserId user, const std::string& channel,
                            std::mt19937_64& rng) {
    for (DataSet ds : kFieldSets) {
      const std::string base = std::string("/api/v4/") + Plural(ds);
      const std::vector<std::int64_t>& defined = ws_.fields.at(ds);
      const std::vector<std::int64_t> visible =
          model::RefVisibleFields(ws_.model, user, ds, defined);
      std::set<std::int64_t> listed;
      for (const json& field :
           ListItems(client, user, channel, base + "/custom_fields?limit=250", "custom_fields")) {
        listed.insert(field.value("id", std::int64_t{-1}));
      }
      CompareFields(user, channel, "GET " + base + "/custom_fields", listed,
                    {visible.begin(), visible.end()});
      for (std::int64_t id : defined) {
        const bool may = std::find(visible.begin(), visible.end(), id) != visible.end();
        ExpectStatus(user, channel, "GET " + base + "/custom_fields/" + std::to_string(id),
                     may ? 200 : 404, client.Get(base + "/custom_fields/" + std::to_string(id)),
                     nullptr);
      }
      for (const json& item : ListItems(client, user, channel, base + "?limit=250", Plural(ds))) {
        const RecordId id = item.value("id", RecordId{0});
        CompareFields(user, channel, "GET " + base + " record " + std::to_string(id),
                      FieldIdsOf(item), ExpectedFields(user, ds, id), Find(ds, id));
      }
      const std::set<RecordId> viewable = Expected(user, ds, Action::kView);
      const std::vector<RecordId> ids(viewable.begin(), viewable.end());
      for (int k = 0; k < 4 && !ids.empty(); ++k) {
        const RecordId id = ids[std::uniform_int_distribution<std::size_t>(0, ids.size() - 1)(rng)];
        const std::string target = base + "/" + std::to_string(id);
        Response r = client.Get(target);
        if (!ExpectStatus(user, channel, "GET " + target + " (fields)", 200, r, Find(ds, id))) {
          continue;
        }
        CompareFields(user, channel, "GET " + target, FieldIdsOf(r.body_json),
                      ExpectedFields(user, ds, id), Find(ds, id));
      }
    }
  }

  // Field writes on records the user may edit: a hidden field is answered like an unknown one
  // (400), a read-only one 403, and either way the record (its name sent alongside, every
  // field's values) is unchanged as the administrator reads it; an editable field is 200 and
  // holds the value written.
  void CheckFieldWrites(HttpClient& client, HttpClient& admin, UserId user,
                        const std::string& channel, std::mt19937_64& rng) {
    for (DataSet ds : kFieldSets) {
      std::vector<Record*> editable;
      for (Record& r : ws_.records.at(ds)) {
        if (!r.deleted && Can(user, Action::kEdit, r.ref)) editable.push_back(&r);
      }
      const std::vector<std::int64_t>& defined = ws_.fields.at(ds);
      for (int k = 0; k < 4 && !editable.empty(); ++k) {
        Record& r =
            *editable[std::uniform_int_distribution<std::size_t>(0, editable.size() - 1)(rng)];
        const std::int64_t field =
            defined[std::uniform_int_distribution<std::size_t>(0, defined.size() - 1)(rng)];
        const model::RefFieldAccess access = model::RefFieldRights(ws_.model, user, ds, field);
        const std::string target =
            std::string("/api/v4/") + Plural(ds) + "/" + std::to_string(r.id);
        const std::string value = "by " + std::to_string(user) + " #" + std::to_string(++writes_);
        const json body = {
            {"name", "field write " + value},
            {"custom_fields_values",
             json::array({{{"field_id", field}, {"values", json::array({{{"value", value}}})}}})}};
        const Response before = admin.Get(target);
        const int want = !access.view ? 400 : !access.edit ? 403 : 200;
        ++outcomes_["FIELD " + std::to_string(want)];
        const Response resp = client.SendJson("PATCH", target, body);
        ExpectStatus(user, channel,
                     "PATCH " + target + " field " + std::to_string(field) + " " + body.dump(),
                     want, resp, &r);
        const Response after = admin.Get(target);
        ++checks_;
        if (before.status != 200 || after.status != 200) {
          Report(user, "admin", "GET " + target + ": " + after.Describe(), &r);
          continue;
        }
        if (resp.status != 200) {
          if (after.body_json.value("name", "") != before.body_json.value("name", "") ||
              after.body_json.value("custom_fields_values", json()) !=
                  before.body_json.value("custom_fields_values", json())) {
            Report(user, channel,
                   "refused PATCH " + target + " changed the record: before " +
                       before.body_json.dump() + " after " + after.body_json.dump(),
                   &r);
          }
          continue;
        }
        bool holds = false;
        const json shown = after.body_json.value("custom_fields_values", json::array());
        for (const json& entry : shown.is_array() ? shown : json::array()) {
          if (entry.value("field_id", std::int64_t{0}) != field) continue;
          const json values = entry.value("values", json::array());
          holds = values.size() == 1 && values[0].value("value", "") == value;
        }
        if (!holds) {
          Report(user, channel,
                 "accepted PATCH " + target + " field " + std::to_string(field) +
                     ": the administrator reads " + after.body_json.dump(),
                 &r);
        }
        ws_.valued[{ds, r.id}].insert(field);
      }
    }
  }

  // PATCH of a few random records per type: 404 unless viewable, 403 unless editable, else 200.
  void CheckPatches(HttpClient& client, UserId user, const std::string& channel,
                    std::mt19937_64& rng) {
    for (DataSet ds : kRecordSets) {
      auto& pool = ws_.records.at(ds);
      for (int k = 0; k < 6; ++k) {
        Record& r = pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
        const json body = ds == DataSet::kTasks
                              ? json{{"text", "patched by " + std::to_string(user)}}
                              : json{{"name", "patched by " + std::to_string(user)}};
        const std::string target =
            std::string("/api/v4/") + Plural(ds) + "/" + std::to_string(r.id);
        Response resp = client.SendJson("PATCH", target, body);
        int want = 200;
        if (r.deleted || !Can(user, Action::kView, r.ref)) {
          want = 404;
        } else if (!Can(user, Action::kEdit, r.ref)) {
          want = 403;
        }
        ExpectStatus(user, channel, "PATCH " + target + " " + body.dump(), want, resp, &r);
      }
    }
  }

  // Stage moves: allowed iff the lead is editable where it is and in the target stage.
  void CheckStageMoves(HttpClient& client, UserId user, const std::string& channel,
                       std::mt19937_64& rng) {
    auto& pool = ws_.records.at(DataSet::kLeads);
    for (int k = 0; k < 5; ++k) {
      Record& r = pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
      const domain::StageKey to = ws_.lead_stages[std::uniform_int_distribution<std::size_t>(
          0, ws_.lead_stages.size() - 1)(rng)];
      RecordRef target_ref = r.ref;
      target_ref.pipeline_id = to.pipeline_id;
      target_ref.status_id = to.status_id;
      const json body = {{"pipeline_id", to.pipeline_id}, {"status_id", to.status_id}};
      const std::string target = "/api/v4/leads/" + std::to_string(r.id);
      Response resp = client.SendJson("PATCH", target, body);
      int want = 200;
      if (r.deleted || !Can(user, Action::kView, r.ref)) {
        want = 404;
      } else if (!Can(user, Action::kEdit, r.ref) || !Can(user, Action::kEdit, target_ref)) {
        want = 403;
      }
      const Record before = r;
      if (ExpectStatus(user, channel,
                       "MOVE " + target + " " + body.dump() + " (to stage " +
                           model::RecordToString(target_ref) + ")",
                       want, resp, &before) &&
          resp.status == 200) {
        r.ref = target_ref;
      }
    }
  }

  // DELETE of a few random records of `ds`: 404 unless viewable, 403 unless deletable.
  void CheckDeletes(HttpClient& client, UserId user, const std::string& channel, DataSet ds,
                    std::mt19937_64& rng) {
    auto& pool = ws_.records.at(ds);
    for (int k = 0; k < 3; ++k) {
      Record& r = pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
      const std::string target = std::string("/api/v4/") + Plural(ds) + "/" + std::to_string(r.id);
      Response resp = client.Send("DELETE", target);
      int want = 204;
      if (r.deleted || !Can(user, Action::kView, r.ref)) {
        want = 404;
      } else if (!Can(user, Action::kDelete, r.ref)) {
        want = 403;
      }
      ++checks_;
      ++outcomes_["DELETE " + std::to_string(want)];
      const bool ok =
          want == 204 ? (resp.status == 204 || resp.status == 200) : resp.status == want;
      if (!ok) {
        Report(
            user, channel,
            "DELETE " + target + " expected " + std::to_string(want) + ", got " + resp.Describe(),
            &r);
      }
      if (resp.status == 204 || resp.status == 200) r.deleted = true;
    }
  }

 private:
  bool ExpectStatus(UserId user, const std::string& channel, const std::string& what, int want,
                    const Response& resp, const Record* record) {
    ++checks_;
    ++outcomes_[what.substr(0, what.find(' ')) + " " + std::to_string(want)];
    if (resp.status == want) return true;
    Report(user, channel, what + " expected " + std::to_string(want) + ", got " + resp.Describe(),
           record);
    return false;
  }

  std::vector<json> ListItems(HttpClient& client, UserId user, const std::string& channel,
                              const std::string& target, const char* plural) {
    std::vector<json> out;
    std::string next = target;
    for (int page = 0; page < 20 && !next.empty(); ++page) {
      Response resp = client.Get(next);
      if (resp.status == 204) break;
      if (resp.status != 200 || !resp.is_json) {
        Report(user, channel, "GET " + next + ": " + resp.Describe());
        break;
      }
      for (const json& item : resp.body_json["_embedded"][plural]) out.push_back(item);
      next.clear();
      const json& links = resp.body_json["_links"];
      if (links.contains("next") && links["next"].contains("href")) {
        next = PathOfHref(links["next"]["href"].get<std::string>());
      }
    }
    return out;
  }

  Workspace& ws_;

  std::vector<std::string> differences_;
  std::size_t checks_ = 0;
  int writes_ = 0;  // field values written, to make each one unique
  std::map<std::string, int> outcomes_;
};

// ---- the test ----

struct Param {
  Engine engine;
  int workspace;
};
void PrintTo(const Param& p, std::ostream* os) {
  *os << EngineName(p.engine) << " workspace " << p.workspace;
}

class AuthorizationTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override { GH_API_REQUIRE_ENGINE(GetParam().engine); }
};

TEST_P(AuthorizationTest, EveryAnswerMatchesTheReferenceModel) {
  const auto started = std::chrono::steady_clock::now();
  auto lap = [&started](const char* phase) {
    const double s = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count() /
                     1000.0;
    std::cout << "[ authz    ]   " << phase << " done at " << s << " s" << std::endl;
  };
  Workspace ws;
  ws.seed = BaseSeed() + static_cast<std::uint64_t>(GetParam().workspace);
  ws.subdomain = "ws" + std::to_string(GetParam().workspace);
  const std::string replay =
      "seed " + std::to_string(ws.seed) + " (replay: GATEHOUSE_SEED=" + std::to_string(BaseSeed()) +
      " api_authorization_test --gtest_filter='*/" + EngineName(GetParam().engine) + "_" +
      std::to_string(GetParam().workspace) + "')";
  std::cout << "[ authz    ] " << EngineName(GetParam().engine) << " workspace "
            << GetParam().workspace << ": " << replay << std::endl;
  RecordProperty("seed", std::to_string(BaseSeed()));

  base::Result<std::unique_ptr<TestServer>> server = TestServer::Create(
      GetParam().engine, [&ws](storage::Store& store) { return SeedWorkspace(store, ws); });
  ASSERT_TRUE(server.ok()) << server.status().ToString() << "; " << replay;
  const std::uint16_t port = (*server)->port();
  Checker checker(ws);
  std::mt19937_64 rng(ws.seed ^ 0x5eed);

  // The administrator's token for view-as.
  HttpClient admin_session(port);
  Response admin_login = Login(admin_session, ws.emails[ws.admin_id], kPassword, ws.subdomain);
  ASSERT_EQ(admin_login.status, 200) << admin_login.Describe();
  const std::string admin_token = CreateToken(admin_session, "view-as");
  ASSERT_FALSE(admin_token.empty()) << "POST /api/v4/security/tokens refused for the admin";

  // Each actor's own channel: even ones a web session (CSRF on writes), odd ones a personal token.
  struct Actor {
    UserId id = 0;
    std::string channel;
    std::unique_ptr<HttpClient> own;
    std::unique_ptr<HttpClient> session;  // also kept for token actors (deactivation check)
    std::string csrf;
  };
  std::vector<Actor> actors;
  for (std::size_t i = 0; i < ws.actors.size(); ++i) {
    Actor a;
    a.id = ws.actors[i];
    a.session = std::make_unique<HttpClient>(port);
    Response login = Login(*a.session, ws.emails[a.id], kPassword, ws.subdomain);
    ASSERT_EQ(login.status, 200) << "login of " << ws.emails[a.id] << ": " << login.Describe();
    ASSERT_TRUE(login.is_json && login.body_json.value("user_id", UserId{0}) == a.id)
        << login.Describe();
    a.csrf = login.body_json.value("csrf_token", std::string());
    if (i % 2 == 0) {
      a.channel = "session";
      a.own = std::make_unique<HttpClient>(port);
      // A second client sharing the cookie jar would be simpler; re-login keeps sessions apart.
      Response again = Login(*a.own, ws.emails[a.id], kPassword, ws.subdomain);
      ASSERT_EQ(again.status, 200) << again.Describe();
      a.csrf = again.body_json.value("csrf_token", std::string());
    } else {
      a.channel = "token";
      const std::string token = CreateToken(*a.session, "authz");
      ASSERT_FALSE(token.empty()) << "token for user " << a.id;
      a.own = std::make_unique<HttpClient>(port);
      a.own->SetBearer(token);
    }
    actors.push_back(std::move(a));
  }

  lap("seed, start, logins");
  // Phase 1: reads through the own channel and through view-as.
  for (Actor& a : actors) {
    checker.CheckLists(*a.own, a.id, a.channel);
    checker.CheckGets(*a.own, a.id, a.channel, rng);
    checker.CheckExports(*a.own, a.id, a.channel);
    checker.CheckEmbedded(*a.own, a.id, a.channel);
    checker.CheckFiltered(*a.own, a.id, a.channel);
    checker.CheckIncoming(*a.own, a.id, a.channel);
    checker.CheckSummary(*a.own, a.id, a.channel);
    checker.CheckNotes(*a.own, a.id, a.channel);
    checker.CheckFieldVisibility(*a.own, a.id, a.channel, rng);
    HttpClient as(port);
    as.SetBearer(admin_token);
    as.SetHeader("X-Context-User-ID", std::to_string(a.id));
    Response account = as.Get("/api/v4/account");
    if (account.status != 200 || account.body_json.value("current_user_id", UserId{0}) != a.id) {
      checker.Report(a.id, "view-as", "GET /api/v4/account: " + account.Describe());
    }
    checker.CheckLists(as, a.id, "view-as");
    checker.CheckGets(as, a.id, "view-as", rng, 0.35);
    checker.CheckExports(as, a.id, "view-as");
    checker.CheckSummary(as, a.id, "view-as");
    checker.CheckNotes(as, a.id, "view-as");
    checker.CheckFieldVisibility(as, a.id, "view-as", rng);
  }
  lap("reads");
  // Phase 2: PATCH outcomes, then stage moves (the model follows every successful move).
  HttpClient admin_api(port);
  admin_api.SetBearer(admin_token);
  for (Actor& a : actors) {
    checker.CheckAdds(*a.own, admin_api, a.id, a.channel, rng);
    checker.CheckPatches(*a.own, a.id, a.channel, rng);
    checker.CheckBatch(*a.own, admin_api, a.id, a.channel, rng);
    checker.CheckFieldWrites(*a.own, admin_api, a.id, a.channel, rng);
  }
  for (Actor& a : actors) checker.CheckStageMoves(*a.own, a.id, a.channel, rng);
  // The lists follow the moves at once.
  for (Actor& a : actors) {
    HttpClient as(port);
    as.SetBearer(admin_token);
    as.SetHeader("X-Context-User-ID", std::to_string(a.id));
    checker.CheckLists(as, a.id, "view-as after moves");
  }
  for (Actor& a : actors) checker.CheckAccept(*a.own, a.id, a.channel, rng);
  for (Actor& a : actors) checker.CheckDecline(*a.own, a.id, a.channel, rng);
  lap("writes");
  // Phase 3: deletes, tasks first (a record's deletion may take its tasks along).
  for (DataSet ds : {DataSet::kTasks, DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies,
                     DataSet::kCustomers}) {
    for (Actor& a : actors) {
      checker.CheckDeletes(*a.own, a.id, a.channel, ds, rng);
    }
  }
  // The board summary follows every write above (from the counters the writes keep), for
  // every actor, through view-as.
  for (Actor& a : actors) {
    HttpClient as(port);
    as.SetBearer(admin_token);
    as.SetHeader("X-Context-User-ID", std::to_string(a.id));
    checker.CheckSummary(as, a.id, "view-as after writes");
  }

  // Deactivated users: the seeded one cannot log in or be acted as.
  {
    HttpClient gone(port);
    Response login = Login(gone, ws.emails[ws.deactivated_id], kPassword, ws.subdomain);
    if (login.status != 401) {
      checker.Report(ws.deactivated_id, "session",
                     "login of a deactivated user: " + login.Describe());
    }
    HttpClient as(port);
    as.SetBearer(admin_token);
    as.SetHeader("X-Context-User-ID", std::to_string(ws.deactivated_id));
    Response r = as.Get("/api/v4/leads");
    if (r.status != 401 && r.status != 403) {
      checker.Report(ws.deactivated_id, "view-as",
                     "X-Context-User-ID of a deactivated user: " + r.Describe());
    }
  }
  // One actor deactivated now by the administrator: their session and token stop at once.
  {
    Actor& token_actor = actors[1];
    Actor& session_actor = actors[0];
    for (Actor* a : {&token_actor, &session_actor}) {
      Response patch = admin_session.SendJson("PATCH", "/api/v4/users/" + std::to_string(a->id),
                                              {{"is_active", false}});
      if (patch.status != 200 && patch.status != 202) {
        checker.Report(a->id, "admin",
                       "PATCH /api/v4/users/{id} is_active=false: " + patch.Describe());
        continue;
      }
      for (HttpClient* c : {a->own.get(), a->session.get()}) {
        Response r = c->Get("/api/v4/leads");
        if (r.status != 401) {
          checker.Report(a->id, a->channel,
                         "request after deactivation expected 401, got " + r.Describe());
        }
      }
    }
  }

  const auto seconds = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count() /
                       1000.0;
  std::cout << "[ authz    ] " << checker.checks() << " checks, " << checker.differences().size()
            << " differences, " << seconds << " s; expected " << checker.Outcomes() << std::endl;
  if (!checker.differences().empty()) {
    std::string text;
    for (std::size_t i = 0; i < checker.differences().size() && i < kMaxReported; ++i) {
      text += checker.differences()[i] + "\n";
    }
    ADD_FAILURE() << checker.differences().size() << " differences from the reference model; "
                  << replay << "\n"
                  << text;
  }
  const int code = (*server)->Stop();
  EXPECT_EQ(code, 0) << "server exit on SIGTERM; log:\n" << (*server)->process().LogTail();
}

std::vector<Param> Params() {
  std::vector<Param> out;
  for (Engine e : {Engine::kSqlite, Engine::kPostgres}) {
    for (int i = 0; i < kWorkspaces; ++i) out.push_back({e, i});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthorizationTest, ::testing::ValuesIn(Params()),
                         [](const ::testing::TestParamInfo<Param>& info) {
                           return std::string(EngineName(info.param.engine)) + "_" +
                                  std::to_string(info.param.workspace);
                         });

}  // namespace
}  // namespace gatehouse::apitest
