// Demo workspace generator. Structure goes through the AccountWriter (validated); records go in
// as multi-row INSERTs on the writer's connection, because 1,000,000 leads must load in well
// under a minute and every reference they hold was created a moment before in this transaction.
#include "storage/demo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <type_traits>

#include "base/text.h"
#include "policy/rights_validation.h"
#include "storage/bulk_inserter.h"
#include "storage/closest_task.h"
#include "storage/record_codec.h"

namespace gatehouse::storage {

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

// One of `values` (not empty), uniformly.
template <typename T>
const T& Any(std::mt19937_64& rng, const std::vector<T>& values) {
  return values[static_cast<std::size_t>(
      Uniform(rng, 0, static_cast<std::int64_t>(values.size()) - 1))];
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

// The demo roles, in the order CreateDemoUsers' slots name them: sales manager, sales rep,
// marketing analyst, support agent, intern, auditor.
Result<std::vector<domain::Role>> CreateDemoRoles(AccountWriter& w, const domain::Pipeline& main) {
  struct RoleSpec {
    const char* name;
    domain::Rights rights;
  };
  std::vector<RoleSpec> specs;
  specs.push_back({"Sales manager", MakeRights("AAAGG", "AAAGG", "AAAGD", "AAG", "AAA", true)});
  domain::Rights rep = MakeRights("GAMDD", "GAMDD", "GAMDD", "MMD", "AAD", true);
  // Closed deals are visible to the whole floor, but frozen.
  domain::StageRights won{.stage = {main.id, domain::kWonStatusId}};
  won.Set(Action::kView, Level::kAllowed);
  won.Set(Action::kEdit, Level::kDenied);
  rep.stage_rights.push_back(won);
  specs.push_back({"Sales rep", rep});
  specs.push_back(
      {"Marketing analyst", MakeRights("ADDDA", "ADDDA", "ADDDA", "ADD", "ADD", false)});
  domain::Rights agent = MakeRights("MAMDD", "AAMDD", "AAMDD", "MMM", "DDD", true);
  specs.push_back({"Support agent", agent});
  domain::Rights intern = MakeRights("MAMDD", "MAMDD", "MDMDD", "MMD", "DDD", false);
  // Interns do not see deals at the decision stage.
  domain::StageRights decision{
      .stage = {main.id, main.stages[std::min<std::size_t>(3, main.stages.size() - 1)].id}};
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
  return roles;
}

// A group and the index of its members' role in CreateDemoRoles' list.
struct Slot {
  GroupId group;
  int role;
};

// ~30 users, one per slot: two deactivated, one free, one more admin. Adds them to s.users, and
// the active, paying ones outside `marketing` to s.owners.
Status CreateDemoUsers(AccountWriter& w, const std::vector<Slot>& slots,
                       const std::vector<domain::Role>& roles, GroupId marketing,
                       const std::string& password_hash, std::mt19937_64& rng, std::int64_t now,
                       Structure& s) {
  for (std::size_t i = 0; i < slots.size(); ++i) {
    UserRow row;
    const std::string first = kFirstNames[i % kFirstNames.size()];
    const std::string last = kLastNames[(i * 7) % kLastNames.size()];
    row.user.name = first + " " + last;
    row.user.email = base::AsciiLower(first + "." + last + "@demo.example");
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
    const bool owner = row.user.HoldsSeat() && slots[i].group != marketing;
    if (owner) s.owners.push_back(id);
  }
  return Status::Ok();
}

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

  GH_ASSIGN_OR_RETURN(GroupId sales, w.CreateGroup("Sales"));
  GH_ASSIGN_OR_RETURN(GroupId marketing, w.CreateGroup("Marketing"));
  GH_ASSIGN_OR_RETURN(GroupId support, w.CreateGroup("Support"));
  GH_ASSIGN_OR_RETURN(std::vector<domain::Role> roles, CreateDemoRoles(w, s.pipelines.front()));

  const UserRow admin{.user = {.name = "Demo Admin",
                               .email = options.admin_email,
                               .is_admin = true,
                               .group_id = main_group,
                               .rights = domain::Rights::AllAllowed()},
                      .password_hash = password_hash,
                      .created_at = now};
  GH_ASSIGN_OR_RETURN(s.admin, w.CreateUser(admin));
  s.users = 1;

  std::vector<Slot> slots;
  for (int i = 0; i < 3; ++i) slots.push_back({sales, 0});
  for (int i = 0; i < 12; ++i) slots.push_back({sales, 1});
  for (int i = 0; i < 4; ++i) slots.push_back({marketing, 2});
  for (int i = 0; i < 6; ++i) slots.push_back({support, 3});
  for (int i = 0; i < 3; ++i) slots.push_back({sales, 4});
  slots.push_back({main_group, 5});
  GH_RETURN_IF_ERROR(CreateDemoUsers(w, slots, roles, marketing, password_hash, rng, now, s));
  return s;
}

// The records the load created, by kind.
struct Loaded {
  std::vector<RecordId> companies;
  std::vector<RecordId> contacts;
  std::vector<RecordId> leads;
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
  UserId Owner() { return Any(rng, s.owners); }
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

  // Gives `record` an owner who created it at a random time and updated it since.
  template <typename R>
  void Own(R& record) {
    record.responsible_user_id = Owner();
    record.created_by = record.responsible_user_id;
    record.created_at = Created();
    record.updated_at = record.created_at + Uniform(rng, 0, now - record.created_at);
  }

  Company MakeCompany() {
    Company c{.name = CompanyName()};
    Own(c);
    return c;
  }

  Contact MakeContact() {
    Contact c{.first_name = Pick(rng, kFirstNames), .last_name = Pick(rng, kLastNames)};
    c.name = c.first_name + " " + c.last_name;
    Own(c);
    return c;
  }

  Lead MakeLead() {
    Lead l;
    const domain::Pipeline& pipeline =
        Uniform(rng, 0, 9) < 7 ? s.pipelines.front() : Any(rng, s.pipelines);
    l.pipeline_id = pipeline.id;
    l.status_id = Any(rng, pipeline.stages).id;
    l.name = std::string(Pick(rng, kProducts)) + " for " + CompanyName();
    // Log-uniform prices from 300 to 300,000, rounded to tens.
    l.price = static_cast<std::int64_t>(std::exp(std::uniform_real_distribution<double>(
                                            std::log(300.0), std::log(300000.0))(rng)) /
                                        10) *
              10;
    l.responsible_user_id = Owner();
    l.created_by = Uniform(rng, 0, 9) == 0 ? 0 : l.responsible_user_id;
    l.updated_by = l.created_by;
    l.created_at = Created();
    l.updated_at = l.created_at + Uniform(rng, 0, now - l.created_at);
    if (l.status_id == domain::kWonStatusId || l.status_id == domain::kLostStatusId) {
      l.closed_at = l.updated_at;
    }
    return l;
  }

  // A task on a lead (~60%), a contact (~30%) or nothing.
  Task MakeTask(const Loaded& loaded) {
    Task t;
    const std::int64_t kind = Uniform(rng, 0, 9);
    if (kind < 6 && !loaded.leads.empty()) {
      t.entity_type = domain::DataSet::kLeads;
      t.entity_id = Any(rng, loaded.leads);
    } else if (kind < 9 && !loaded.contacts.empty()) {
      t.entity_type = domain::DataSet::kContacts;
      t.entity_id = Any(rng, loaded.contacts);
    }
    t.task_type_id = Uniform(rng, 1, 2);
    t.text = Pick(rng, kTaskTexts);
    t.responsible_user_id = Owner();
    t.created_by = t.responsible_user_id;
    t.created_at = Created();
    t.updated_at = t.created_at;
    t.complete_till = t.created_at + Uniform(rng, 1, 30) * 86400;
    t.is_completed = t.complete_till < now && Uniform(rng, 0, 3) != 0;
    return t;
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

// Companies, contacts, leads and tasks, n leads and as many of the others as their share of them.
Status LoadRecords(Loader& loader, std::int64_t n, Loaded& loaded) {
  loader.total = n + n / 2 + n / 10 + n / 2;
  GH_RETURN_IF_ERROR(loader.Load<Company>(
      n / 10, [&] { return loader.MakeCompany(); }, &loaded.companies));
  GH_RETURN_IF_ERROR(loader.Load<Contact>(
      n / 2, [&] { return loader.MakeContact(); }, &loaded.contacts));
  GH_RETURN_IF_ERROR(loader.Load<Lead>(
      n, [&] { return loader.MakeLead(); }, &loaded.leads));
  return loader.Load<Task>(
      n / 2, [&] { return loader.MakeTask(loaded); }, nullptr);
}

// Links: ~70% of leads get a main contact, ~40% a company. Returns how many.
Result<std::int64_t> LinkLeads(Loader& loader, const Loaded& loaded) {
  std::mt19937_64& rng = loader.rng;
  sql::Connection& c = loader.w.connection();
  const Value account = Int(loader.w.account_id());
  BulkInserter contact_links(c, "lead_contacts", "account_id, lead_id, contact_id, is_main", 4,
                             500);
  BulkInserter company_links(c, "lead_companies", "account_id, lead_id, company_id", 3, 500);
  std::int64_t links = 0;
  for (RecordId lead : loaded.leads) {
    if (!loaded.contacts.empty() && Uniform(rng, 0, 9) < 7) {
      contact_links.Add({account, Int(lead), Int(Any(rng, loaded.contacts)), Int(1)});
      ++links;
      if (contact_links.Full()) GH_RETURN_IF_ERROR(contact_links.Flush(nullptr));
    }
    if (!loaded.companies.empty() && Uniform(rng, 0, 9) < 4) {
      company_links.Add({account, Int(lead), Int(Any(rng, loaded.companies))});
      ++links;
      if (company_links.Full()) GH_RETURN_IF_ERROR(company_links.Flush(nullptr));
    }
  }
  GH_RETURN_IF_ERROR(contact_links.Flush(nullptr));
  GH_RETURN_IF_ERROR(company_links.Flush(nullptr));
  return links;
}

// Shared Inbox conversations on leads (~70%) and contacts, each with one to three messages,
// so the inbox shows each user the conversations of the records they may view. Written
// through the writer: they are few, and it checks the linked record exists. Returns how many.
Result<std::int64_t> CreateConversations(Loader& loader, const Loaded& loaded, std::int64_t n) {
  std::mt19937_64& rng = loader.rng;
  const std::int64_t talks = std::min(n / 4, kMaxConversations);
  std::int64_t created_talks = 0;
  for (std::int64_t i = 0; i < talks; ++i) {
    Conversation talk;
    const bool on_lead = loaded.contacts.empty() || Uniform(rng, 0, 9) < 7;
    const std::vector<RecordId>& targets = on_lead ? loaded.leads : loaded.contacts;
    if (targets.empty()) break;
    talk.entity_type = on_lead ? domain::DataSet::kLeads : domain::DataSet::kContacts;
    talk.entity_id = Any(rng, targets);
    talk.channel = Uniform(rng, 0, 1) == 0 ? "chat" : "email";
    talk.subject = Pick(rng, kTalkSubjects);
    talk.responsible_user_id = loader.Owner();
    talk.created_at = loader.now - Uniform(rng, 1, 60) * 86400;
    GH_ASSIGN_OR_RETURN(Conversation created, loader.w.Create(talk));
    const std::int64_t messages = Uniform(rng, 1, 3);
    for (std::int64_t m = 0; m < messages; ++m) {
      const ConversationMessage message{
          .conversation_id = created.id,
          .author_user_id = m % 2 == 0 ? 0 : talk.responsible_user_id,
          .text = Pick(rng, kTalkMessages),
          .created_at = talk.created_at + (m + 1) * 3600,
      };
      GH_RETURN_IF_ERROR(loader.w.AppendConversationMessage(message).status());
    }
    ++created_talks;
  }
  return created_talks;
}

// Customers (repeat buyers) in every customer status, most with a main contact, some with
// a company. Written through the writer: they are few, and it resolves their status. Adds
// them and their links to `result`.
Status CreateCustomers(Loader& loader, const Loaded& loaded, std::int64_t n, DemoResult& result) {
  std::mt19937_64& rng = loader.rng;
  AccountWriter& w = loader.w;
  GH_ASSIGN_OR_RETURN(std::vector<CustomerStatus> statuses, w.ListCustomerStatuses());
  const std::int64_t buyers = std::min<std::int64_t>(n / 10, 500);
  for (std::int64_t i = 0; i < buyers && !statuses.empty(); ++i) {
    Customer c;
    c.name = loader.CompanyName();
    c.status_id = Any(rng, statuses).id;
    c.next_price = Uniform(rng, 5, 500) * 100;
    c.periodicity = 7 * Uniform(rng, 1, 12);
    loader.Own(c);
    c.next_date = loader.now + Uniform(rng, -10, 60) * 86400;
    GH_ASSIGN_OR_RETURN(Customer created, w.Create(c));
    if (!loaded.contacts.empty() && Uniform(rng, 0, 9) < 8) {
      GH_RETURN_IF_ERROR(w.LinkCustomerContact(created.id, Any(rng, loaded.contacts), true));
      ++result.links;
    }
    if (!loaded.companies.empty() && Uniform(rng, 0, 9) < 3) {
      GH_RETURN_IF_ERROR(w.LinkCustomerCompany(created.id, Any(rng, loaded.companies)));
      ++result.links;
    }
    ++result.customers;
  }
  return Status::Ok();
}

// The structure of an account that exists already: its pipelines, and its active, paying users
// as owners.
Result<Structure> ExistingStructure(const AccountWriter& w) {
  Structure s;
  GH_ASSIGN_OR_RETURN(s.pipelines, w.ListPipelines());
  GH_ASSIGN_OR_RETURN(auto users, w.ListUsers());
  for (const UserRow& u : users) {
    if (u.user.HoldsSeat()) s.owners.push_back(u.user.id);
  }
  return s;
}

// A random password of 16 characters that are easy to read.
std::string RandomPassword() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::random_device device;
  std::string password;
  for (int i = 0; i < 16; ++i) password += kAlphabet[device() % (sizeof(kAlphabet) - 1)];
  return password;
}

// The body of FillDemo's write: structure (new accounts), records, links, conversations and
// customers, counted in `result`.
Status FillAccount(AccountWriter& w, const DemoOptions& options, const std::string& hash,
                   std::mt19937_64& rng, std::int64_t now, const DemoProgress& progress,
                   DemoResult& result) {
  Structure s;
  if (result.created_account) {
    GH_ASSIGN_OR_RETURN(s, CreateStructure(w, options, hash, rng, now));
    result.users = s.users;
  } else {
    GH_ASSIGN_OR_RETURN(s, ExistingStructure(w));
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
  Loaded loaded;
  GH_RETURN_IF_ERROR(LoadRecords(loader, n, loaded));
  GH_ASSIGN_OR_RETURN(result.links, LinkLeads(loader, loaded));
  for (const std::string& index : indexes) {
    GH_RETURN_IF_ERROR(w.connection().ExecuteScript(index));
  }
  // The tasks went in with their own SQL: their records' closest_task_at follows them here.
  for (domain::DataSet data_set : domain::kAttachableDataSets) {
    GH_RETURN_IF_ERROR(RefreshClosestTask(w.connection(), data_set, w.account_id(), 0));
  }
  GH_ASSIGN_OR_RETURN(result.conversations, CreateConversations(loader, loaded, n));
  GH_RETURN_IF_ERROR(CreateCustomers(loader, loaded, n, result));
  if (w.connection().dialect() == sql::Dialect::kSqlite) {
    GH_RETURN_IF_ERROR(w.connection().ExecuteScript("PRAGMA cache_size=-32768"));
  }
  result.leads = static_cast<std::int64_t>(loaded.leads.size());
  result.contacts = static_cast<std::int64_t>(loaded.contacts.size());
  result.companies = static_cast<std::int64_t>(loaded.companies.size());
  result.tasks = n / 2;
  return Status::Ok();
}

}  // namespace

Result<DemoResult> FillDemo(Store& store, const DemoOptions& options,
                            const DemoProgress& progress) {
  if (options.leads < 0) return Status::InvalidField("leads", "Invalid", "leads must be >= 0");
  DemoResult result;
  std::mt19937_64 rng(options.seed);
  const std::int64_t now = options.now != 0 ? options.now : store.clock().NowSeconds();
  result.password = options.password.empty() ? RandomPassword() : options.password;
  const std::string hash = options.hash_password ? options.hash_password(result.password) : "";
  result.admin_email = options.admin_email;

  Result<AccountRow> account = store.FindAccount(options.subdomain);
  if (!account.ok() && account.status().code() == Code::kNotFound) {
    account = store.CreateAccount({options.subdomain, options.account_name, 40, now});
    result.created_account = account.ok();
  }
  if (!account.ok()) return account.status();
  result.account_id = account->id;
  GH_RETURN_IF_ERROR(store.Write(result.account_id, [&](AccountWriter& w) {
    return FillAccount(w, options, hash, rng, now, progress, result);
  }));
  return result;
}

}  // namespace gatehouse::storage
