// Demo workspace generator. Structure goes through the AccountWriter (validated); records go in
// as multi-row INSERTs on the writer's connection, because 1,000,000 leads must load in well
// under a minute and every reference they hold was created a moment before in this transaction.
#include "storage/demo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <type_traits>

#include "policy/rights_validation.h"
#include "storage/record_codec.h"

namespace gatehouse::storage {

using base::Code;
using base::Result;
using base::Status;
using domain::Action;
using domain::DataSet;
using domain::Level;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::array kFirstNames = {
    "Anna",  "Boris", "Clara",  "David",  "Elena", "Farid", "Greta", "Hugo", "Irina",  "Jonas",
    "Katja", "Liam",  "Maria",  "Nikita", "Olga",  "Pavel", "Quinn", "Rosa", "Sergei", "Tanja",
    "Umar",  "Vera",  "Walter", "Xenia",  "Yusuf", "Zoe",   "Lucas", "Mila", "Oscar",  "Sofia"};
constexpr std::array kLastNames = {"Ivanova",  "Schmidt", "Garcia", "Novak",  "Rossi",
                                   "Kowalski", "Dubois",  "Jensen", "Silva",  "Petrov",
                                   "Müller",   "Tanaka",  "Okafor", "Haddad", "Larsen",
                                   "Moreau",   "Fischer", "Romano", "Nguyen", "Andersen"};
constexpr std::array kCompanyStems = {
    "Northwind", "Bluebird",   "Ironbridge", "Silverline", "Greenfield", "Redwood",    "Brightway",
    "Stonegate", "Clearwater", "Highpoint",  "Sunrise",    "Oakridge",   "Blackstone", "Riverside",
    "Goldleaf",  "Crestview",  "Lakeside",   "Summit",     "Evergreen",  "Pinecrest",  "Harbor",
    "Westbrook", "Eastgate",   "Maple",      "Granite",    "Falcon",     "Orion",      "Vertex"};
constexpr std::array kCompanySuffixes = {"Ltd",      "Inc",      "GmbH",    "LLC",     "Group",
                                         "Partners", "Holdings", "Systems", "Trading", "Labs"};
constexpr std::array kProducts = {"CRM licences",     "Annual support",   "Onboarding package",
                                  "Website redesign", "Data migration",   "Training day",
                                  "Cloud hosting",    "Security audit",   "Custom integration",
                                  "Premium plan",     "Hardware refresh", "Consulting retainer",
                                  "Mobile app",       "Analytics add-on", "Renewal",
                                  "Pilot project"};
constexpr std::array kTaskTexts = {"Call back about the offer", "Send the proposal",
                                   "Schedule a demo",           "Follow up on the invoice",
                                   "Prepare the contract",      "Check in after onboarding",
                                   "Confirm the meeting",       "Ask for a referral"};
constexpr std::array kTalkSubjects = {
    "Question about the invoice", "Delivery date", "Price request",
    "Contract renewal",           "Login problem", "Meeting next week"};
constexpr std::array kTalkMessages = {
    "Hello, could you send me the details?", "Thanks, we will get back to you today.",
    "Is the offer still valid this month?", "I have attached the signed copy.",
    "Can we move the call to Thursday?"};
// Shared Inbox conversations: one per 4 leads, at most this many (a page of the inbox each).
constexpr std::int64_t kMaxConversations = 300;

template <typename Array>
const char* Pick(std::mt19937_64& rng, const Array& values) {
  return values[std::uniform_int_distribution<std::size_t>(0, values.size() - 1)(rng)];
}

std::int64_t Uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

// Rights from one letter per data set action, in the SPEC's table order, then normalized.
domain::Rights MakeRights(std::string_view leads, std::string_view contacts,
                          std::string_view companies, std::string_view tasks,
                          std::string_view incoming, bool features) {
  domain::Rights rights;
  auto set = [&rights](DataSet data_set, std::initializer_list<Action> actions,
                       std::string_view letters) {
    std::size_t i = 0;
    for (Action action : actions) {
      rights.Set(data_set, action, *domain::LevelFromLetter(letters.substr(i++, 1)));
    }
  };
  const auto record = {Action::kView, Action::kAdd, Action::kEdit, Action::kDelete,
                       Action::kExport};
  set(DataSet::kLeads, record, leads);
  set(DataSet::kContacts, record, contacts);
  set(DataSet::kCompanies, record, companies);
  set(DataSet::kTasks, {Action::kView, Action::kEdit, Action::kDelete}, tasks);
  set(DataSet::kIncomingLeads, {Action::kView, Action::kAccept, Action::kDecline}, incoming);
  rights.mail_access = features;
  rights.catalog_access = features;
  return rights;
}

struct Structure {
  std::vector<domain::Pipeline> pipelines;
  std::vector<UserId> owners;  // active users who own records
  UserId admin = 0;
  std::int64_t users = 0;
};

Result<Structure> CreateStructure(AccountWriter& w, const DemoOptions& options,
                                  const std::string& password_hash, std::mt19937_64& rng,
                                  std::int64_t now) {
  Structure s;
  GH_ASSIGN_OR_RETURN(GroupId main_group, w.DefaultGroupId());
  GH_RETURN_IF_ERROR(
      w.CreatePipeline("Partners", 2, false,
                       {{0, "Lead in", 20, 0}, {0, "Proposal", 30, 0}, {0, "Contract", 40, 0}})
          .status());
  GH_RETURN_IF_ERROR(
      w.CreatePipeline("Renewals", 3, false, {{0, "Due soon", 20, 0}, {0, "Contacted", 30, 0}})
          .status());
  GH_ASSIGN_OR_RETURN(s.pipelines, w.ListPipelines());
  const domain::Pipeline& main = s.pipelines.front();
  auto stage_at = [&main](std::size_t i) {
    return main.stages[std::min(i, main.stages.size() - 1)].id;
  };

  GH_ASSIGN_OR_RETURN(GroupId sales, w.CreateGroup("Sales"));
  GH_ASSIGN_OR_RETURN(GroupId marketing, w.CreateGroup("Marketing"));
  GH_ASSIGN_OR_RETURN(GroupId support, w.CreateGroup("Support"));

  struct RoleSpec {
    const char* name;
    domain::Rights rights;
  };
  std::vector<RoleSpec> specs;
  specs.push_back({"Sales manager", MakeRights("AAAGG", "AAAGG", "AAAGD", "AAG", "AAA", true)});
  domain::Rights rep = MakeRights("GAMDD", "GAMDD", "GAMDD", "MMD", "AAD", true);
  domain::StageRights won;  // closed deals are visible to the whole floor, but frozen
  won.stage = {main.id, domain::kWonStatusId};
  won.Set(Action::kView, Level::kAllowed);
  won.Set(Action::kEdit, Level::kDenied);
  rep.stage_rights.push_back(won);
  specs.push_back({"Sales rep", rep});
  specs.push_back(
      {"Marketing analyst", MakeRights("ADDDA", "ADDDA", "ADDDA", "ADD", "ADD", false)});
  domain::Rights agent = MakeRights("MAMDD", "AAMDD", "AAMDD", "MMM", "DDD", true);
  specs.push_back({"Support agent", agent});
  domain::Rights intern = MakeRights("MAMDD", "MAMDD", "MDMDD", "MMD", "DDD", false);
  domain::StageRights decision;  // interns do not see deals at the decision stage
  decision.stage = {main.id, stage_at(3)};
  decision.Set(Action::kView, Level::kDenied);
  intern.stage_rights.push_back(decision);
  specs.push_back({"Intern", intern});
  specs.push_back({"Auditor", MakeRights("ADDDD", "ADDDD", "ADDDD", "ADD", "ADD", false)});
  std::vector<domain::Role> roles;
  for (RoleSpec& spec : specs) {
    policy::Normalize(spec.rights);
    domain::Role role{0, spec.name, spec.rights};
    GH_ASSIGN_OR_RETURN(role.id, w.CreateRole(role));
    roles.push_back(role);
  }

  UserRow admin;
  admin.user.name = "Demo Admin";
  admin.user.email = options.admin_email;
  admin.user.is_admin = true;
  admin.user.group_id = main_group;
  admin.user.rights = domain::Rights::AllAllowed();
  admin.password_hash = password_hash;
  admin.created_at = now;
  GH_ASSIGN_OR_RETURN(s.admin, w.CreateUser(admin));
  s.users = 1;

  // ~30 users: (group, role index) per slot; two deactivated, one free, one more admin.
  struct Slot {
    GroupId group;
    int role;
  };
  std::vector<Slot> slots;
  for (int i = 0; i < 3; ++i) slots.push_back({sales, 0});
  for (int i = 0; i < 12; ++i) slots.push_back({sales, 1});
  for (int i = 0; i < 4; ++i) slots.push_back({marketing, 2});
  for (int i = 0; i < 6; ++i) slots.push_back({support, 3});
  for (int i = 0; i < 3; ++i) slots.push_back({sales, 4});
  slots.push_back({main_group, 5});
  for (std::size_t i = 0; i < slots.size(); ++i) {
    UserRow row;
    const std::string first = kFirstNames[i % kFirstNames.size()];
    const std::string last = kLastNames[(i * 7) % kLastNames.size()];
    row.user.name = first + " " + last;
    std::string email = first + "." + last + "@demo.example";
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    row.user.email = email;
    row.user.group_id = slots[i].group;
    const domain::Role& role = roles[static_cast<std::size_t>(slots[i].role)];
    row.user.role_id = role.id;
    row.user.rights = role.rights;
    row.user.is_active = !(i == 10 || i == 20);
    row.user.is_free = i == 22;
    row.user.is_admin = i == 1;
    row.password_hash = password_hash;
    row.created_at = now - Uniform(rng, 30, 700) * 86400;
    row.last_login_at = row.user.is_active ? now - Uniform(rng, 0, 40) * 86400 : 0;
    GH_ASSIGN_OR_RETURN(UserId id, w.CreateUser(row));
    ++s.users;
    const bool owner = row.user.is_active && !row.user.is_free && slots[i].group != marketing;
    if (owner) s.owners.push_back(id);
  }
  return s;
}

// Inserts rows in multi-row statements of up to `batch` rows; returns the new ids.
class BulkInserter {
 public:
  BulkInserter(sql::Connection& c, std::string_view table, std::string_view columns, int width,
               int batch)
      : c_(c), table_(table), columns_(columns), width_(width), batch_(batch) {}

  void Add(Params row) {
    for (Value& v : row) params_.push_back(std::move(v));
    ++rows_;
  }
  bool Full() const { return rows_ >= batch_; }

  Status Flush(std::vector<RecordId>* ids) {
    if (rows_ == 0) return Status::Ok();
    std::string& sql = rows_ == batch_ ? full_sql_ : partial_sql_;
    if (rows_ != batch_ || sql.empty()) sql = Statement(rows_, ids != nullptr);
    if (ids != nullptr) {
      GH_ASSIGN_OR_RETURN(sql::Rows rows, c_.Query(sql, params_));
      for (const auto& r : rows.rows) ids->push_back(sql::AsInt(r[0]));
    } else {
      GH_RETURN_IF_ERROR(c_.Execute(sql, params_).status());
    }
    params_.clear();
    rows_ = 0;
    return Status::Ok();
  }

 private:
  std::string Statement(int rows, bool returning) const {
    std::string sql =
        "INSERT INTO " + std::string(table_) + " (" + std::string(columns_) + ") VALUES ";
    const std::string tuple = Tuple(width_);
    for (int i = 0; i < rows; ++i) sql += (i == 0 ? "" : ", ") + tuple;
    if (returning) sql += " RETURNING id";
    return sql;
  }

  sql::Connection& c_;
  std::string_view table_;
  std::string_view columns_;
  int width_;
  int batch_;
  int rows_ = 0;
  Params params_;
  std::string full_sql_;
  std::string partial_sql_;
};

struct Loader {
  AccountWriter& w;
  const Structure& s;
  std::mt19937_64& rng;
  std::int64_t now;
  const DemoProgress& progress;
  std::int64_t done = 0;
  std::int64_t total = 0;

  void Report() {
    if (progress) progress(done, total);
  }
  UserId Owner() {
    return s.owners[static_cast<std::size_t>(
        Uniform(rng, 0, static_cast<std::int64_t>(s.owners.size()) - 1))];
  }
  std::int64_t Created() { return now - Uniform(rng, 0, 730 * 86400); }

  std::string CompanyName() {
    return std::string(Pick(rng, kCompanyStems)) + " " + Pick(rng, kCompanySuffixes);
  }

  template <typename R, typename Make>
  Status Load(std::int64_t count, Make make, std::vector<RecordId>* ids) {
    using Codec = RecordCodec<R>;
    constexpr int kBatch = 400;
    BulkInserter inserter(w.connection(), Codec::Table().table, Codec::InsertColumns(),
                          Codec::kInsertCount, kBatch);
    for (std::int64_t i = 0; i < count; ++i) {
      R record = make();
      // The rows bypass AccountWriter::Create, so the totals are counted here.
      w.CountTotals(record, +1);
      Params row;
      row.reserve(Codec::kInsertCount);
      Codec::Append(record, row);
      row.push_back(Int(w.account_id()));
      inserter.Add(std::move(row));
      if (inserter.Full()) {
        GH_RETURN_IF_ERROR(inserter.Flush(ids));
        done += kBatch;
        if ((done / kBatch) % 25 == 0) Report();
      }
    }
    GH_RETURN_IF_ERROR(inserter.Flush(ids));
    done += count % kBatch;
    Report();
    return Status::Ok();
  }
};

// SQLite builds an index from sorted input far faster than it absorbs millions of random-order
// inserts, so the bulk tables' secondary indexes are dropped for the load and rebuilt after it,
// inside the same transaction (a failure restores them with the rollback). Returns their SQL.
Result<std::vector<std::string>> DropBulkIndexes(sql::Connection& c) {
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql "
                              "IS NOT NULL AND tbl_name IN ('leads', 'contacts', 'companies', "
                              "'tasks', 'lead_contacts', 'lead_companies')"));
  std::vector<std::string> definitions;
  for (const auto& row : rows.rows) {
    // Names come from our own schema, never from input.
    GH_RETURN_IF_ERROR(c.ExecuteScript("DROP INDEX " + sql::AsText(row[0])));
    definitions.push_back(sql::AsText(row[1]));
  }
  return definitions;
}

}  // namespace

Result<DemoResult> FillDemo(Store& store, const DemoOptions& options,
                            const DemoProgress& progress) {
  if (options.leads < 0) return Status::InvalidField("leads", "Invalid", "leads must be >= 0");
  DemoResult result;
  std::mt19937_64 rng(options.seed);
  const std::int64_t now = options.now != 0 ? options.now : Now();
  result.password = options.password;
  if (result.password.empty()) {
    static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::random_device device;
    for (int i = 0; i < 16; ++i) result.password += kAlphabet[device() % (sizeof(kAlphabet) - 1)];
  }
  const std::string hash = options.hash_password ? options.hash_password(result.password) : "";
  result.admin_email = options.admin_email;

  Result<AccountRow> account = store.FindAccount(options.subdomain);
  if (!account.ok() && account.status().code() == Code::kNotFound) {
    account = store.CreateAccount({options.subdomain, options.account_name, 40, now});
    result.created_account = account.ok();
  }
  if (!account.ok()) return account.status();
  result.account_id = account->id;

  Status status = store.Write(result.account_id, [&](AccountWriter& w) -> Status {
    Structure s;
    if (result.created_account) {
      GH_ASSIGN_OR_RETURN(s, CreateStructure(w, options, hash, rng, now));
      result.users = s.users;
    } else {
      GH_ASSIGN_OR_RETURN(s.pipelines, w.ListPipelines());
      GH_ASSIGN_OR_RETURN(auto users, w.ListUsers());
      for (const UserRow& u : users) {
        if (u.user.is_active && !u.user.is_free) s.owners.push_back(u.user.id);
      }
      result.password.clear();  // existing users keep their passwords
    }
    if (s.owners.empty()) return Status::Error(Code::kFailedPrecondition, "no active users");
    std::vector<std::string> indexes;
    if (w.connection().dialect() == sql::Dialect::kSqlite) {
      GH_RETURN_IF_ERROR(w.connection().ExecuteScript("PRAGMA cache_size=-262144"));
      // A small load into a big database is cheaper with the indexes in place.
      if (options.leads >= 100000) {
        GH_ASSIGN_OR_RETURN(indexes, DropBulkIndexes(w.connection()));
      }
    }

    Loader loader{w, s, rng, now, progress};
    const std::int64_t n = options.leads;
    loader.total = n + n / 2 + n / 10 + n / 2;
    std::vector<RecordId> companies;
    std::vector<RecordId> contacts;
    std::vector<RecordId> leads;
    GH_RETURN_IF_ERROR(loader.Load<Company>(
        n / 10,
        [&] {
          Company c;
          c.name = loader.CompanyName();
          c.responsible_user_id = loader.Owner();
          c.created_by = c.responsible_user_id;
          c.created_at = loader.Created();
          c.updated_at = c.created_at + Uniform(rng, 0, now - c.created_at);
          return c;
        },
        &companies));
    GH_RETURN_IF_ERROR(loader.Load<Contact>(
        n / 2,
        [&] {
          Contact c;
          c.first_name = Pick(rng, kFirstNames);
          c.last_name = Pick(rng, kLastNames);
          c.name = c.first_name + " " + c.last_name;
          c.responsible_user_id = loader.Owner();
          c.created_by = c.responsible_user_id;
          c.created_at = loader.Created();
          c.updated_at = c.created_at + Uniform(rng, 0, now - c.created_at);
          return c;
        },
        &contacts));
    GH_RETURN_IF_ERROR(loader.Load<Lead>(
        n,
        [&] {
          Lead l;
          const auto& pipeline =
              s.pipelines[Uniform(rng, 0, 9) < 7
                              ? 0
                              : static_cast<std::size_t>(Uniform(
                                    rng, 0, static_cast<std::int64_t>(s.pipelines.size()) - 1))];
          l.pipeline_id = pipeline.id;
          l.status_id = pipeline
                            .stages[static_cast<std::size_t>(Uniform(
                                rng, 0, static_cast<std::int64_t>(pipeline.stages.size()) - 1))]
                            .id;
          l.name = std::string(Pick(rng, kProducts)) + " for " + loader.CompanyName();
          // Log-uniform prices from 300 to 300,000, rounded to tens.
          l.price = static_cast<std::int64_t>(std::exp(std::uniform_real_distribution<double>(
                                                  std::log(300.0), std::log(300000.0))(rng)) /
                                              10) *
                    10;
          l.responsible_user_id = loader.Owner();
          l.created_by = Uniform(rng, 0, 9) == 0 ? 0 : l.responsible_user_id;
          l.updated_by = l.created_by;
          l.created_at = loader.Created();
          l.updated_at = l.created_at + Uniform(rng, 0, now - l.created_at);
          if (l.status_id == domain::kWonStatusId || l.status_id == domain::kLostStatusId) {
            l.closed_at = l.updated_at;
          }
          return l;
        },
        &leads));
    GH_RETURN_IF_ERROR(loader.Load<Task>(
        n / 2,
        [&] {
          Task t;
          const std::int64_t kind = Uniform(rng, 0, 9);
          if (kind < 6 && !leads.empty()) {
            t.entity_type = "leads";
            t.entity_id = leads[static_cast<std::size_t>(
                Uniform(rng, 0, static_cast<std::int64_t>(leads.size()) - 1))];
          } else if (kind < 9 && !contacts.empty()) {
            t.entity_type = "contacts";
            t.entity_id = contacts[static_cast<std::size_t>(
                Uniform(rng, 0, static_cast<std::int64_t>(contacts.size()) - 1))];
          }
          t.task_type_id = Uniform(rng, 1, 2);
          t.text = Pick(rng, kTaskTexts);
          t.responsible_user_id = loader.Owner();
          t.created_by = t.responsible_user_id;
          t.created_at = loader.Created();
          t.updated_at = t.created_at;
          t.complete_till = t.created_at + Uniform(rng, 1, 30) * 86400;
          t.is_completed = t.complete_till < now && Uniform(rng, 0, 3) != 0;
          return t;
        },
        nullptr));

    // Links: ~70% of leads get a main contact, ~40% a company.
    BulkInserter contact_links(w.connection(), "lead_contacts",
                               "account_id, lead_id, contact_id, is_main", 4, 500);
    BulkInserter company_links(w.connection(), "lead_companies", "account_id, lead_id, company_id",
                               3, 500);
    for (RecordId lead : leads) {
      if (!contacts.empty() && Uniform(rng, 0, 9) < 7) {
        contact_links.Add({Int(result.account_id), Int(lead),
                           Int(contacts[static_cast<std::size_t>(
                               Uniform(rng, 0, static_cast<std::int64_t>(contacts.size()) - 1))]),
                           Int(1)});
        ++result.links;
        if (contact_links.Full()) GH_RETURN_IF_ERROR(contact_links.Flush(nullptr));
      }
      if (!companies.empty() && Uniform(rng, 0, 9) < 4) {
        company_links.Add({Int(result.account_id), Int(lead),
                           Int(companies[static_cast<std::size_t>(Uniform(
                               rng, 0, static_cast<std::int64_t>(companies.size()) - 1))])});
        ++result.links;
        if (company_links.Full()) GH_RETURN_IF_ERROR(company_links.Flush(nullptr));
      }
    }
    GH_RETURN_IF_ERROR(contact_links.Flush(nullptr));
    GH_RETURN_IF_ERROR(company_links.Flush(nullptr));
    for (const std::string& index : indexes) {
      GH_RETURN_IF_ERROR(w.connection().ExecuteScript(index));
    }
    // Shared Inbox conversations on leads (~70%) and contacts, each with one to three messages,
    // so the inbox shows each user the conversations of the records they may view. Written
    // through the writer: they are few, and it checks the linked record exists.
    const std::int64_t talks = std::min(n / 4, kMaxConversations);
    for (std::int64_t i = 0; i < talks; ++i) {
      Conversation talk;
      const bool on_lead = contacts.empty() || Uniform(rng, 0, 9) < 7;
      const std::vector<RecordId>& targets = on_lead ? leads : contacts;
      if (targets.empty()) break;
      talk.entity_type = on_lead ? "leads" : "contacts";
      talk.entity_id = targets[static_cast<std::size_t>(
          Uniform(rng, 0, static_cast<std::int64_t>(targets.size()) - 1))];
      talk.channel = Uniform(rng, 0, 1) == 0 ? "chat" : "email";
      talk.subject = Pick(rng, kTalkSubjects);
      talk.responsible_user_id = loader.Owner();
      talk.created_at = now - Uniform(rng, 1, 60) * 86400;
      GH_ASSIGN_OR_RETURN(Conversation created, w.Create(talk));
      const std::int64_t messages = Uniform(rng, 1, 3);
      for (std::int64_t m = 0; m < messages; ++m) {
        ConversationMessage message;
        message.conversation_id = created.id;
        message.author_user_id = m % 2 == 0 ? 0 : talk.responsible_user_id;
        message.text = Pick(rng, kTalkMessages);
        message.created_at = talk.created_at + (m + 1) * 3600;
        GH_RETURN_IF_ERROR(w.AppendConversationMessage(message).status());
      }
      ++result.conversations;
    }
    // Customers (repeat buyers) in every customer status, most with a main contact, some with
    // a company. Written through the writer: they are few, and it resolves their status.
    GH_ASSIGN_OR_RETURN(std::vector<CustomerStatus> statuses, w.ListCustomerStatuses());
    const std::int64_t buyers = std::min<std::int64_t>(n / 10, 500);
    for (std::int64_t i = 0; i < buyers && !statuses.empty(); ++i) {
      Customer c;
      c.name = loader.CompanyName();
      c.status_id = statuses[static_cast<std::size_t>(
                                 Uniform(rng, 0, static_cast<std::int64_t>(statuses.size()) - 1))]
                        .id;
      c.next_price = Uniform(rng, 5, 500) * 100;
      c.periodicity = 7 * Uniform(rng, 1, 12);
      c.responsible_user_id = loader.Owner();
      c.created_by = c.responsible_user_id;
      c.created_at = loader.Created();
      c.updated_at = c.created_at + Uniform(rng, 0, now - c.created_at);
      c.next_date = now + Uniform(rng, -10, 60) * 86400;
      GH_ASSIGN_OR_RETURN(Customer created, w.Create(c));
      if (!contacts.empty() && Uniform(rng, 0, 9) < 8) {
        GH_RETURN_IF_ERROR(
            w.LinkCustomerContact(created.id,
                                  contacts[static_cast<std::size_t>(Uniform(
                                      rng, 0, static_cast<std::int64_t>(contacts.size()) - 1))],
                                  true));
        ++result.links;
      }
      if (!companies.empty() && Uniform(rng, 0, 9) < 3) {
        GH_RETURN_IF_ERROR(w.LinkCustomerCompany(
            created.id, companies[static_cast<std::size_t>(
                            Uniform(rng, 0, static_cast<std::int64_t>(companies.size()) - 1))]));
        ++result.links;
      }
      ++result.customers;
    }
    if (w.connection().dialect() == sql::Dialect::kSqlite) {
      GH_RETURN_IF_ERROR(w.connection().ExecuteScript("PRAGMA cache_size=-32768"));
    }
    result.leads = static_cast<std::int64_t>(leads.size());
    result.contacts = static_cast<std::int64_t>(contacts.size());
    result.companies = static_cast<std::int64_t>(companies.size());
    result.tasks = n / 2;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace gatehouse::storage
