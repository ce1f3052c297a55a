// The contract's resource shapes and flows against the real server (API.md; kommo-api-v4.md
// §2-§8, §13): account, users and their rights object, roles, groups, pipelines, rights changes
// applying on the very next request, events filtered by view, personal tokens, the OAuth code
// flow, and login answers that do not tell whether an email exists.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "auth/tokens.h"
#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

using domain::UserId;

struct World {
  domain::UserId admin_id = 0;
  domain::UserId rep_id = 0;  // leads M, group Sales
  domain::UserId mgr_id = 0;  // leads A, group Sales
  domain::GroupId sales_group = 0;
  domain::RecordId rep_lead = 0;
  domain::RecordId mgr_lead = 0;
  std::string admin_token;
  std::string rep_token;
};

SharedServers& Servers() {
  static SharedServers servers;
  return servers;
}
std::map<Engine, World>& Worlds() {
  static std::map<Engine, World> worlds;
  return worlds;
}

domain::Rights LettersRights(const std::string& leads, const std::string& contacts,
                             const std::string& tasks) {
  using domain::Action;
  using domain::DataSet;
  domain::Rights r;
  const Action record[] = {Action::kView, Action::kEdit, Action::kAdd, Action::kDelete,
                           Action::kExport};
  for (int i = 0; i < 5; ++i) {
    r.Set(DataSet::kLeads, record[i], *domain::LevelFromLetter(leads.substr(i, 1)));
    r.Set(DataSet::kContacts, record[i], *domain::LevelFromLetter(contacts.substr(i, 1)));
    r.Set(DataSet::kCompanies, record[i], *domain::LevelFromLetter(contacts.substr(i, 1)));
  }
  const Action task[] = {Action::kView, Action::kEdit, Action::kDelete};
  for (int i = 0; i < 3; ++i) {
    r.Set(DataSet::kTasks, task[i], *domain::LevelFromLetter(tasks.substr(i, 1)));
  }
  return r;
}

base::Status Seed(storage::Store& store, World& world) {
  GH_ASSIGN_OR_RETURN(SeededAccount account, SeedAccount(store, "res"));
  world.admin_id = account.admin_id;
  return store.Write(account.account.id, [&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(world.sales_group, w.CreateGroup("Sales"));
    auto user = [&](const std::string& key, const domain::Rights& rights) -> base::Result<UserId> {
      const storage::UserRow row{.user = {.name = "User " + key,
                                          .email = key + "@res.test",
                                          .group_id = world.sales_group,
                                          .rights = rights},
                                 .password_hash = PasswordHash(),
                                 .created_at = 1'700'000'000};
      return w.CreateUser(row);
    };
    GH_ASSIGN_OR_RETURN(world.rep_id, user("rep", LettersRights("MMADD", "MMADD", "MMD")));
    GH_ASSIGN_OR_RETURN(world.mgr_id, user("mgr", LettersRights("AAAAA", "AAAAA", "AAA")));
    storage::Lead lead{.name = "Rep's lead", .responsible_user_id = world.rep_id};
    GH_ASSIGN_OR_RETURN(storage::Lead rep_lead, w.Create(lead));
    world.rep_lead = rep_lead.id;
    lead.name = "Manager's lead";
    lead.responsible_user_id = world.mgr_id;
    GH_ASSIGN_OR_RETURN(storage::Lead mgr_lead, w.Create(lead));
    world.mgr_lead = mgr_lead.id;
    return base::Status::Ok();
  });
}

json EntityRights(const std::string& letters) {  // view edit add delete export
  return {{"view", letters.substr(0, 1)},
          {"edit", letters.substr(1, 1)},
          {"add", letters.substr(2, 1)},
          {"delete", letters.substr(3, 1)},
          {"export", letters.substr(4, 1)}};
}

json FullRights(const std::string& leads, const std::string& others = "ADADD") {
  return {{"leads", EntityRights(leads)},
          {"contacts", EntityRights(others)},
          {"companies", EntityRights(others)},
          {"tasks", {{"view", "A"}, {"edit", "A"}, {"delete", "D"}}},
          {"incoming_leads", {{"view", "D"}, {"accept", "D"}, {"decline", "D"}}},
          {"mail_access", false},
          {"catalog_access", false},
          {"status_rights", json::array()}};
}

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::set<std::string> Keys(const json& object) {
  std::set<std::string> out;
  if (object.is_object()) {
    for (auto it = object.begin(); it != object.end(); ++it) out.insert(it.key());
  }
  return out;
}

// A unique suffix per test within one process (tests share the engine's server).
std::string Unique() {
  static int counter = 0;
  return std::to_string(++counter) + "x" + std::to_string(Now() % 100000);
}

class ResourcesTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(GetParam());
    std::string error;
    World& world = Worlds()[GetParam()];
    server_ = Servers().Get(
        GetParam(), [&world](storage::Store& store) { return Seed(store, world); }, &error);
    ASSERT_NE(server_, nullptr) << error;
    w_ = &world;
    if (world.admin_token.empty()) {
      HttpClient admin = server_->Client();
      ASSERT_EQ(Login(admin, "admin@res.test").status, 200);
      world.admin_token = CreateToken(admin, "resources-admin");
      ASSERT_FALSE(world.admin_token.empty());
      HttpClient rep = server_->Client();
      ASSERT_EQ(Login(rep, "rep@res.test").status, 200);
      world.rep_token = CreateToken(rep, "resources-rep");
      ASSERT_FALSE(world.rep_token.empty());
    }
  }

  static void TearDownTestSuite() {
    for (const std::string& failure : Servers().StopAll()) ADD_FAILURE() << failure;
    Worlds().clear();
  }

  HttpClient Bearer(const std::string& token) {
    HttpClient client = server_->Client();
    client.SetBearer(token);
    return client;
  }
  HttpClient Admin() { return Bearer(w_->admin_token); }

  // POST /api/v4/users with one user; returns its id (0 on failure, with a test failure).
  UserId CreateUser(const std::string& key, const json& rights) {
    HttpClient admin = Admin();
    json user = {{"name", "Created " + key},
                 {"email", key + "@res.test"},
                 {"password", kPassword},
                 {"rights", rights},
                 {"request_id", "r-" + key}};
    Response r = admin.SendJson("POST", "/api/v4/users", json::array({user}));
    EXPECT_EQ(r.status, 201) << r.Describe();
    if (r.status != 201) return 0;
    const json& users = r.body_json["_embedded"]["users"];
    EXPECT_TRUE(users.is_array() && users.size() == 1) << r.Describe();
    if (!users.is_array() || users.empty()) return 0;
    EXPECT_EQ(users[0].value("request_id", std::string()), "r-" + key) << r.Describe();
    return users[0].value("id", UserId{0});
  }

  TestServer* server_ = nullptr;
  World* w_ = nullptr;
};

// ---- account ----

TEST_P(ResourcesTest, AccountNamesTheCurrentUser) {
  HttpClient admin = Admin();
  Response r = admin.Get("/api/v4/account");
  ASSERT_EQ(r.status, 200) << r.Describe();
  for (const char* key : {"id", "name", "subdomain", "current_user_id", "_links"}) {
    EXPECT_TRUE(r.body_json.contains(key)) << key << " missing: " << r.Describe();
  }
  EXPECT_EQ(r.body_json["current_user_id"], w_->admin_id);
  EXPECT_EQ(r.body_json["subdomain"], "res");

  HttpClient rep = Bearer(w_->rep_token);
  Response mine = rep.Get("/api/v4/account");
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_EQ(mine.body_json["current_user_id"], w_->rep_id);

  HttpClient as = Admin();
  as.SetHeader("X-Context-User-ID", std::to_string(w_->rep_id));
  Response view_as = as.Get("/api/v4/account");
  ASSERT_EQ(view_as.status, 200) << view_as.Describe();
  EXPECT_EQ(view_as.body_json["current_user_id"], w_->rep_id);

  Response groups = admin.Get("/api/v4/account?with=users_groups");
  ASSERT_EQ(groups.status, 200) << groups.Describe();
  const json& list = groups.body_json["_embedded"]["users_groups"];
  ASSERT_TRUE(list.is_array()) << groups.Describe();
  std::set<std::string> names;
  for (const json& g : list) names.insert(g.value("name", std::string()));
  EXPECT_TRUE(names.count("Sales")) << groups.Describe();
}

TEST_P(ResourcesTest, ContextHeaderOnANonAdminTokenIs403) {
  HttpClient rep = Bearer(w_->rep_token);
  rep.SetHeader("X-Context-User-ID", std::to_string(w_->mgr_id));
  Response r = rep.Get("/api/v4/leads");
  EXPECT_EQ(r.status, 403) << r.Describe();
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
}

// ---- users ----

TEST_P(ResourcesTest, UserRightsObjectHasKommoKeysPlusIncomingLeads) {
  HttpClient admin = Admin();
  Response r = admin.Get("/api/v4/users?limit=250");
  ASSERT_EQ(r.status, 200) << r.Describe();
  for (const char* key : {"_total_items", "_page", "_links", "_embedded"}) {
    EXPECT_TRUE(r.body_json.contains(key)) << key << ": " << r.Describe();
  }
  const json& users = r.body_json["_embedded"]["users"];
  ASSERT_TRUE(users.is_array() && users.size() >= 3) << r.Describe();
  // kommo-api-v4.md §5 (user object, incl. the fields seen in real responses) + incoming_leads.
  const std::set<std::string> want = {"leads",
                                      "contacts",
                                      "companies",
                                      "tasks",
                                      "mail_access",
                                      "catalog_access",
                                      "files_access",
                                      "status_rights",
                                      "catalog_rights",
                                      "custom_fields_rights",
                                      "oper_day_reports_view_access",
                                      "oper_day_user_tracking",
                                      "is_admin",
                                      "is_free",
                                      "is_active",
                                      "group_id",
                                      "role_id",
                                      "incoming_leads"};
  const std::set<std::string> letters = {"D", "M", "G", "A"};
  for (const json& user : users) {
    for (const char* key : {"id", "name", "email", "rights", "_links"}) {
      EXPECT_TRUE(user.contains(key)) << key << ": " << user.dump();
    }
    const json& rights = user["rights"];
    EXPECT_EQ(Keys(rights), want) << user.dump();
    for (const char* ds : {"leads", "contacts", "companies"}) {
      EXPECT_EQ(Keys(rights[ds]),
                (std::set<std::string>{"view", "edit", "add", "delete", "export"}))
          << ds << ": " << user.dump();
      for (const auto& [action, level] : rights[ds].items()) {
        EXPECT_TRUE(level.is_string() && letters.count(level.get<std::string>()))
            << ds << "." << action << ": " << user.dump();
      }
    }
    EXPECT_EQ(Keys(rights["tasks"]), (std::set<std::string>{"view", "edit", "delete"}))
        << user.dump();
    EXPECT_EQ(Keys(rights["incoming_leads"]), (std::set<std::string>{"view", "accept", "decline"}))
        << user.dump();
    for (const char* flag :
         {"mail_access", "catalog_access", "files_access", "is_admin", "is_free", "is_active"}) {
      EXPECT_TRUE(rights[flag].is_boolean()) << flag << ": " << user.dump();
    }
    EXPECT_TRUE(rights["status_rights"].is_array() || rights["status_rights"].is_null());
  }
  Response one = admin.Get("/api/v4/users/" + std::to_string(w_->rep_id));
  ASSERT_EQ(one.status, 200) << one.Describe();
  EXPECT_EQ(one.body_json["id"], w_->rep_id);
  EXPECT_EQ(one.body_json["rights"]["leads"]["view"], "M") << one.Describe();
  EXPECT_EQ(one.body_json["rights"]["group_id"], w_->sales_group) << one.Describe();
}

TEST_P(ResourcesTest, NonAdminGetsUsersWithoutRights) {
  HttpClient rep = Bearer(w_->rep_token);
  Response r = rep.Get("/api/v4/users");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json& users = r.body_json["_embedded"]["users"];
  ASSERT_TRUE(users.is_array() && !users.empty()) << r.Describe();
  for (const json& user : users) {
    EXPECT_FALSE(user.contains("rights")) << "a non-admin sees rights: " << user.dump();
  }
  // Writes stay administrators' only.
  Response post = rep.SendJson(
      "POST", "/api/v4/users",
      json::array({{{"name", "Nope"}, {"email", "nope@res.test"}, {"password", kPassword}}}));
  EXPECT_EQ(post.status, 403) << post.Describe();
}

TEST_P(ResourcesTest, PostUserCreatesAUserWhoCanLogIn) {
  const std::string key = "new" + Unique();
  const UserId id = CreateUser(key, FullRights("AAADD"));
  ASSERT_NE(id, 0);
  HttpClient fresh = server_->Client();
  Response login = Login(fresh, key + "@res.test");
  ASSERT_EQ(login.status, 200) << login.Describe();
  EXPECT_EQ(login.body_json["user_id"], id);
  for (const char* key2 : {"user_id", "account_id", "csrf_token", "must_enroll_two_factor"}) {
    EXPECT_TRUE(login.body_json.contains(key2)) << key2 << ": " << login.Describe();
  }
  Response account = fresh.Get("/api/v4/account");
  ASSERT_EQ(account.status, 200) << account.Describe();
  EXPECT_EQ(account.body_json["current_user_id"], id);
  // A seeded lead of another user is visible (view A) but not deletable (delete D).
  Response get = fresh.Get("/api/v4/leads/" + std::to_string(w_->mgr_lead));
  EXPECT_EQ(get.status, 200) << get.Describe();
  Response del = fresh.Send("DELETE", "/api/v4/leads/" + std::to_string(w_->mgr_lead));
  EXPECT_EQ(del.status, 403) << del.Describe();
}

TEST_P(ResourcesTest, InvalidLettersAreValidationErrorsNamingTheField) {
  HttpClient admin = Admin();
  struct Case {
    json rights;
    std::string path;
  };
  json add_m = FullRights("AAADD");
  add_m["leads"]["add"] = "M";
  json view_x = FullRights("AAADD");
  view_x["contacts"]["view"] = "X";
  json incoming_g = FullRights("AAADD");
  incoming_g["incoming_leads"]["accept"] = "G";
  const std::vector<Case> cases = {{add_m, "rights.leads.add"},
                                   {view_x, "rights.contacts.view"},
                                   {incoming_g, "rights.incoming_leads.accept"}};
  for (const Case& c : cases) {
    const std::string key = "bad" + Unique();
    Response r = admin.SendJson("POST", "/api/v4/users",
                                json::array({{{"name", "Bad " + key},
                                              {"email", key + "@res.test"},
                                              {"password", kPassword},
                                              {"rights", c.rights}}}));
    EXPECT_EQ(r.status, 400) << c.path << ": " << r.Describe();
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    std::vector<std::string> paths;
    for (const json& item : r.body_json.value("validation-errors", json::array())) {
      for (const json& e : item.value("errors", json::array())) {
        paths.push_back(e.value("path", std::string()));
      }
    }
    EXPECT_NE(std::find(paths.begin(), paths.end(), c.path), paths.end())
        << "want path " << c.path << ": " << r.Describe();
    // Nothing was created.
    HttpClient nobody = server_->Client();
    EXPECT_EQ(Login(nobody, key + "@res.test").status, 401);
  }
}

TEST_P(ResourcesTest, RightsAreNormalizedAndEchoed) {
  const std::string key = "norm" + Unique();
  json rights = FullRights("MAAAG");  // view M, edit A, add A, delete A, export G
  HttpClient admin = Admin();
  Response r = admin.SendJson("POST", "/api/v4/users",
                              json::array({{{"name", "Norm " + key},
                                            {"email", key + "@res.test"},
                                            {"password", kPassword},
                                            {"rights", rights}}}));
  ASSERT_EQ(r.status, 201) << r.Describe();
  const json& created = r.body_json["_embedded"]["users"][0];
  const json want = {{"view", "M"}, {"edit", "M"}, {"add", "A"}, {"delete", "M"}, {"export", "M"}};
  EXPECT_EQ(created["rights"]["leads"], want) << r.Describe();
  Response get = admin.Get("/api/v4/users/" + std::to_string(created.value("id", 0)));
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.body_json["rights"]["leads"], want) << get.Describe();
}

// ---- rights changes apply on the very next request ----

TEST_P(ResourcesTest, RightsChangeAppliesOnTheNextRequest) {
  const std::string key = "chg" + Unique();
  const UserId id = CreateUser(key, FullRights("DDADD"));
  ASSERT_NE(id, 0);
  HttpClient user = server_->Client();
  ASSERT_EQ(Login(user, key + "@res.test").status, 200);
  const std::string lead = "/api/v4/leads/" + std::to_string(w_->mgr_lead);
  EXPECT_EQ(user.Get(lead).status, 404);

  HttpClient admin = Admin();
  Response patch = admin.SendJson("PATCH", "/api/v4/users/" + std::to_string(id),
                                  {{"rights", FullRights("ADADD")}});
  ASSERT_TRUE(patch.status == 200 || patch.status == 202) << patch.Describe();
  EXPECT_EQ(user.Get(lead).status, 200) << "view A not applied on the next request";

  patch = admin.SendJson("PATCH", "/api/v4/users/" + std::to_string(id),
                         {{"rights", FullRights("MDADD")}});
  ASSERT_TRUE(patch.status == 200 || patch.status == 202) << patch.Describe();
  EXPECT_EQ(user.Get(lead).status, 404) << "view M not applied on the next request";

  // Group change: G sees the Sales members' leads only while in Sales.
  patch = admin.SendJson("PATCH", "/api/v4/users/" + std::to_string(id),
                         {{"rights", FullRights("GDADD")}, {"group_id", w_->sales_group}});
  ASSERT_TRUE(patch.status == 200 || patch.status == 202) << patch.Describe();
  EXPECT_EQ(user.Get(lead).status, 200) << "team-wide in the manager's group";
}

// ---- roles ----

TEST_P(ResourcesTest, RolePatchUpdatesHoldersOnTheNextRequest) {
  HttpClient admin = Admin();
  const std::string name = "Seller " + Unique();
  Response post = admin.SendJson("POST", "/api/v4/roles",
                                 json::array({{{"name", name}, {"rights", FullRights("DDADD")}}}));
  ASSERT_EQ(post.status, 201) << post.Describe();
  const json& roles = post.body_json["_embedded"]["roles"];
  ASSERT_TRUE(roles.is_array() && roles.size() == 1) << post.Describe();
  const std::int64_t role_id = roles[0].value("id", std::int64_t{0});
  ASSERT_NE(role_id, 0);
  Response get = admin.Get("/api/v4/roles/" + std::to_string(role_id));
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.body_json["name"], name);
  EXPECT_EQ(get.body_json["rights"]["leads"]["view"], "D");

  const std::string key = "holder" + Unique();
  json rights = {{"role_id", role_id}};
  const UserId id = CreateUser(key, rights);
  ASSERT_NE(id, 0);
  Response holder_row = admin.Get("/api/v4/users/" + std::to_string(id));
  EXPECT_EQ(holder_row.body_json["rights"]["role_id"], role_id) << holder_row.Describe();
  HttpClient holder = server_->Client();
  ASSERT_EQ(Login(holder, key + "@res.test").status, 200);
  const std::string lead = "/api/v4/leads/" + std::to_string(w_->mgr_lead);
  EXPECT_EQ(holder.Get(lead).status, 404);

  Response patch = admin.SendJson("PATCH", "/api/v4/roles/" + std::to_string(role_id),
                                  {{"rights", FullRights("ADADD")}});
  EXPECT_EQ(patch.status, 202) << patch.Describe();
  EXPECT_FALSE(patch.body.empty()) << "202 with an empty body (kommo-api-v4.md §16.6)";
  EXPECT_FALSE(patch.body_json.contains("status")) << patch.Describe();
  EXPECT_EQ(holder.Get(lead).status, 200) << "role change not applied to its holder";
  Response after = admin.Get("/api/v4/users/" + std::to_string(id));
  EXPECT_EQ(after.body_json["rights"]["leads"]["view"], "A") << after.Describe();

  // A held role cannot be deleted; a free one can (204).
  Response refused = admin.Send("DELETE", "/api/v4/roles/" + std::to_string(role_id));
  EXPECT_TRUE(refused.status >= 400 && refused.status < 500) << refused.Describe();
  EXPECT_EQ(admin.Get("/api/v4/roles/" + std::to_string(role_id)).status, 200);
  Response spare = admin.SendJson(
      "POST", "/api/v4/roles",
      json::array({{{"name", "Spare " + Unique()}, {"rights", FullRights("ADADD")}}}));
  ASSERT_EQ(spare.status, 201) << spare.Describe();
  const std::int64_t spare_id = spare.body_json["_embedded"]["roles"][0].value("id", 0);
  Response del = admin.Send("DELETE", "/api/v4/roles/" + std::to_string(spare_id));
  EXPECT_EQ(del.status, 204) << del.Describe();
  EXPECT_TRUE(del.body.empty());
  EXPECT_EQ(admin.Get("/api/v4/roles/" + std::to_string(spare_id)).status, 404);

  // Roles are administrators' only.
  HttpClient rep = Bearer(w_->rep_token);
  EXPECT_EQ(rep.Get("/api/v4/roles").status, 403);
}

TEST_P(ResourcesTest, RolesPostAcceptsASingleObject) {
  HttpClient admin = Admin();
  Response post = admin.SendJson("POST", "/api/v4/roles",
                                 {{"name", "Single " + Unique()}, {"rights", FullRights("ADADD")}});
  EXPECT_EQ(post.status, 201) << post.Describe();
}

// ---- groups ----

TEST_P(ResourcesTest, UsersGroupsCrud) {
  HttpClient admin = Admin();
  Response list = admin.Get("/api/v4/users_groups");
  ASSERT_EQ(list.status, 200) << list.Describe();
  ASSERT_TRUE(list.body_json["_embedded"]["users_groups"].is_array()) << list.Describe();
  const std::string name = "Team " + Unique();
  Response post = admin.SendJson("POST", "/api/v4/users_groups", json::array({{{"name", name}}}));
  ASSERT_TRUE(post.status == 200 || post.status == 201) << post.Describe();
  const json& created = post.body_json["_embedded"]["users_groups"];
  ASSERT_TRUE(created.is_array() && created.size() == 1) << post.Describe();
  const std::int64_t id = created[0].value("id", std::int64_t{0});
  ASSERT_NE(id, 0);
  Response rename = admin.SendJson("PATCH", "/api/v4/users_groups/" + std::to_string(id),
                                   {{"name", name + " renamed"}});
  EXPECT_TRUE(rename.status == 200 || rename.status == 202) << rename.Describe();
  Response account = admin.Get("/api/v4/account?with=users_groups");
  bool found = false;
  for (const json& g : account.body_json["_embedded"]["users_groups"]) {
    if (g.value("id", std::int64_t{0}) == id) {
      found = true;
      EXPECT_EQ(g.value("name", std::string()), name + " renamed");
    }
  }
  EXPECT_TRUE(found) << account.Describe();
  Response del = admin.Send("DELETE", "/api/v4/users_groups/" + std::to_string(id));
  EXPECT_EQ(del.status, 204) << del.Describe();
  HttpClient rep = Bearer(w_->rep_token);
  Response denied = rep.SendJson("POST", "/api/v4/users_groups", json::array({{{"name", "x"}}}));
  EXPECT_EQ(denied.status, 403) << denied.Describe();
}

// ---- pipelines ----

TEST_P(ResourcesTest, PipelinesHaveWonAndLost) {
  HttpClient rep = Bearer(w_->rep_token);  // every user may read pipelines
  Response r = rep.Get("/api/v4/leads/pipelines");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json& pipelines = r.body_json["_embedded"]["pipelines"];
  ASSERT_TRUE(pipelines.is_array() && !pipelines.empty()) << r.Describe();
  for (const json& p : pipelines) {
    std::set<std::int64_t> ids;
    for (const json& s : p["_embedded"]["statuses"]) ids.insert(s.value("id", std::int64_t{0}));
    EXPECT_TRUE(ids.count(142)) << p.dump();
    EXPECT_TRUE(ids.count(143)) << p.dump();
    const std::int64_t id = p.value("id", std::int64_t{0});
    Response one = rep.Get("/api/v4/leads/pipelines/" + std::to_string(id));
    EXPECT_EQ(one.status, 200) << one.Describe();
    Response statuses = rep.Get("/api/v4/leads/pipelines/" + std::to_string(id) + "/statuses");
    EXPECT_EQ(statuses.status, 200) << statuses.Describe();
  }
  Response denied = rep.SendJson(
      "POST", "/api/v4/leads/pipelines",
      json::array(
          {{{"name", "Nope"}, {"sort", 5}, {"is_main", false}, {"is_unsorted_on", false}}}));
  EXPECT_EQ(denied.status, 403) << denied.Describe();
}

// ---- events ----

TEST_P(ResourcesTest, EventsAreFilteredByViewAndSettingsAreForAdmins) {
  HttpClient admin = Admin();
  // Two leads through the API: one for the rep (leads view M), one for the manager.
  Response post =
      admin.SendJson("POST", "/api/v4/leads",
                     json::array({{{"name", "Evented rep"}, {"responsible_user_id", w_->rep_id}},
                                  {{"name", "Evented mgr"}, {"responsible_user_id", w_->mgr_id}}}));
  ASSERT_EQ(post.status, 200) << post.Describe();
  const std::int64_t rep_lead = post.body_json["_embedded"]["leads"][0].value("id", 0);
  const std::int64_t mgr_lead = post.body_json["_embedded"]["leads"][1].value("id", 0);

  auto events = [](HttpClient& c) {
    std::vector<json> out;
    std::string next = "/api/v4/events?limit=100";
    for (int page = 0; page < 30 && !next.empty(); ++page) {
      Response r = c.Get(next);
      if (r.status != 200) {
        EXPECT_EQ(r.status, 204) << r.Describe();
        break;
      }
      for (const json& e : r.body_json["_embedded"]["events"]) out.push_back(e);
      next.clear();
      if (r.body_json["_links"].contains("next")) {
        next = PathOfHref(r.body_json["_links"]["next"]["href"].get<std::string>());
      }
    }
    return out;
  };
  auto has_added = [](const std::vector<json>& list, std::int64_t id) {
    return std::any_of(list.begin(), list.end(), [id](const json& e) {
      return e.value("type", std::string()) == "lead_added" &&
             e.value("entity_id", std::int64_t{0}) == id;
    });
  };
  std::vector<json> all = events(admin);
  EXPECT_TRUE(has_added(all, rep_lead));
  EXPECT_TRUE(has_added(all, mgr_lead));
  const std::set<std::string> entity_types = {"lead", "contact", "company", "task"};
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&](const json& e) {
    return !entity_types.count(e.value("entity_type", std::string()));
  })) << "the administrator sees no settings/security events";
  for (const json& e : all) EXPECT_TRUE(e["id"].is_string()) << e.dump();

  HttpClient rep = Bearer(w_->rep_token);
  std::vector<json> mine = events(rep);
  EXPECT_TRUE(has_added(mine, rep_lead)) << "the rep's own lead_added is missing";
  EXPECT_FALSE(has_added(mine, mgr_lead)) << "the rep sees an event of a lead they cannot view";
  for (const json& e : mine) {
    EXPECT_TRUE(entity_types.count(e.value("entity_type", std::string())))
        << "a non-admin sees a non-entity event: " << e.dump();
    if (e.value("entity_type", std::string()) == "lead") {
      const std::int64_t id = e.value("entity_id", std::int64_t{0});
      EXPECT_EQ(rep.Get("/api/v4/leads/" + std::to_string(id)).status, 200)
          << "event of a lead the rep cannot view: " << e.dump();
    }
  }
}

// Every event of `target` and the pages after it (via _links.next), or a failure.
std::vector<json> AllEvents(HttpClient& client, std::string target) {
  std::vector<json> out;
  for (int page = 0; page < 30 && !target.empty(); ++page) {
    Response r = client.Get(target);
    if (r.status != 200) {
      EXPECT_EQ(r.status, 204) << target << ": " << r.Describe();
      break;
    }
    for (const json& e : r.body_json["_embedded"]["events"]) out.push_back(e);
    target.clear();
    if (r.body_json["_links"].contains("next")) {
      target = PathOfHref(r.body_json["_links"]["next"]["href"].get<std::string>());
    }
  }
  return out;
}

// "type:entity_id" of each event, in order.
std::vector<std::string> TypeAndEntity(const std::vector<json>& events) {
  std::vector<std::string> out;
  for (const json& e : events) {
    out.push_back(e.value("type", std::string()) + ":" +
                  std::to_string(e.value("entity_id", std::int64_t{0})));
  }
  return out;
}

TEST_P(ResourcesTest, OneEventByIdFollowsTheListsVisibility) {
  HttpClient admin = Admin();
  Response post = admin.SendJson(
      "POST", "/api/v4/leads",
      json::array({{{"name", "Single rep " + Unique()}, {"responsible_user_id", w_->rep_id}},
                   {{"name", "Single mgr " + Unique()}, {"responsible_user_id", w_->mgr_id}}}));
  ASSERT_EQ(post.status, 200) << post.Describe();
  const std::int64_t rep_lead = post.body_json["_embedded"]["leads"][0].value("id", 0);
  const std::int64_t mgr_lead = post.body_json["_embedded"]["leads"][1].value("id", 0);
  auto added = [&](std::int64_t lead) {
    Response r = admin.Get(
        "/api/v4/events?filter[type][]=lead_added&filter[entity]=lead"
        "&filter[entity_id][]=" +
        std::to_string(lead));
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.body_json["_embedded"]["events"][0] : json();
  };
  const json rep_event = added(rep_lead);
  const json mgr_event = added(mgr_lead);
  Response settings_list = admin.Get("/api/v4/events?filter[type][]=token_created&limit=1");
  ASSERT_EQ(settings_list.status, 200) << settings_list.Describe();
  const json settings_event = settings_list.body_json["_embedded"]["events"][0];
  auto path = [](const json& e) { return "/api/v4/events/" + e.value("id", std::string()); };

  HttpClient rep = Bearer(w_->rep_token);
  Response mine = rep.Get(path(rep_event));
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_EQ(mine.Header("content-type"), "application/hal+json");
  EXPECT_EQ(mine.body_json, rep_event) << "GET /events/{id} differs from the list item";
  Response missing = rep.Get("/api/v4/events/0000000000000000000000000z");
  EXPECT_EQ(missing.status, 404) << missing.Describe();
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  for (const json& hidden : {mgr_event, settings_event}) {
    Response refused = rep.Get(path(hidden));
    EXPECT_EQ(refused.status, 404) << refused.Describe();
    EXPECT_EQ(refused.body_json.value("detail", std::string()),
              missing.body_json.value("detail", std::string()));
    Response seen = admin.Get(path(hidden));
    ASSERT_EQ(seen.status, 200) << seen.Describe();
    EXPECT_EQ(seen.body_json, hidden);
  }
}

TEST_P(ResourcesTest, EventTypesListWhatIsRecordedWithStableCodes) {
  HttpClient rep = Bearer(w_->rep_token);
  Response r = rep.Get("/api/v4/events/types?language_code=en");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json& types = r.body_json["_embedded"]["events_types"];
  ASSERT_TRUE(types.is_array() && !types.empty()) << r.Describe();
  EXPECT_EQ(r.body_json.value("_total_items", std::size_t{0}), types.size());
  std::map<std::string, json> by_key;
  for (const json& t : types) by_key[t.value("key", std::string())] = t;
  EXPECT_EQ(by_key["lead_added"], json({{"key", "lead_added"}, {"type", 1}, {"lang", "New lead"}}));
  EXPECT_EQ(by_key["lead_deleted"].value("type", 0), 7);
  // Every type this server has recorded so far is listed.
  HttpClient admin = Admin();
  for (const json& e : AllEvents(admin, "/api/v4/events?limit=250")) {
    EXPECT_TRUE(by_key.count(e.value("type", std::string()))) << e.dump();
  }
  Response other = rep.Get("/api/v4/events/types?language_code=de");
  EXPECT_EQ(other.status, 400) << other.Describe();
  EXPECT_EQ(other.body_json["validation-errors"][0]["errors"][0].value("path", std::string()),
            "language_code");
}

TEST_P(ResourcesTest, EventValueFiltersSelectBeforePaging) {
  HttpClient admin = Admin();
  // A pipeline of this test's own, so its stage ids match only this test's events.
  Response pipeline = admin.SendJson(
      "POST", "/api/v4/leads/pipelines",
      json::array({{{"name", "Value filters " + Unique()},
                    {"sort", 90},
                    {"is_main", false},
                    {"is_unsorted_on", true},
                    {"_embedded",
                     {{"statuses", json::array({{{"name", "One"}, {"sort", 10}},
                                                {{"name", "Two"}, {"sort", 20}}})}}}}}));
  ASSERT_EQ(pipeline.status, 200) << pipeline.Describe();
  const json& created = pipeline.body_json["_embedded"]["pipelines"][0];
  const std::int64_t pipeline_id = created.value("id", std::int64_t{0});
  std::vector<std::int64_t> stages;
  for (const json& s : created["_embedded"]["statuses"]) {
    if (s.value("is_editable", false)) stages.push_back(s.value("id", std::int64_t{0}));
  }
  ASSERT_EQ(stages.size(), 2u) << pipeline.Describe();
  auto lead = [&](UserId responsible) {
    Response r = admin.SendJson("POST", "/api/v4/leads",
                                json::array({{{"name", "Moved " + Unique()},
                                              {"pipeline_id", pipeline_id},
                                              {"status_id", stages[0]},
                                              {"responsible_user_id", responsible}}}));
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.body_json["_embedded"]["leads"][0].value("id", std::int64_t{0});
  };
  const std::int64_t rep_lead = lead(w_->rep_id);
  const std::int64_t mgr_lead = lead(w_->mgr_id);
  auto patch = [&](const json& body) {
    Response r = admin.SendJson("PATCH", "/api/v4/leads", json::array({body}));
    EXPECT_EQ(r.status, 200) << r.Describe();
  };
  patch({{"id", rep_lead}, {"status_id", stages[1]}});
  patch({{"id", mgr_lead}, {"status_id", stages[1]}});
  patch({{"id", rep_lead}, {"status_id", stages[0]}});  // back: matches value_before only
  const UserId heir = CreateUser("heir" + Unique(), FullRights("MMAMM"));
  ASSERT_NE(heir, 0);
  patch({{"id", mgr_lead}, {"responsible_user_id", heir}});

  const std::string p = std::to_string(pipeline_id);
  auto statuses = [&](const std::string& side, std::int64_t stage) {
    return "filter%5B" + side + "%5D%5Bleads_statuses%5D%5B0%5D%5Bpipeline_id%5D=" + p +
           "&filter[" + side + "][leads_statuses][0][status_id]=" + std::to_string(stage);
  };
  const std::string rep_moved = "lead_status_changed:" + std::to_string(rep_lead);
  const std::string mgr_moved = "lead_status_changed:" + std::to_string(mgr_lead);
  // limit=1 pages through the matches only: each page holds the next matching event.
  const std::string to_two = "/api/v4/events?limit=1&" + statuses("value_after", stages[1]);
  EXPECT_EQ(TypeAndEntity(AllEvents(admin, to_two)),
            (std::vector<std::string>{mgr_moved, rep_moved}));
  HttpClient rep = Bearer(w_->rep_token);
  EXPECT_EQ(TypeAndEntity(AllEvents(rep, to_two)), std::vector<std::string>{rep_moved});
  EXPECT_EQ(
      TypeAndEntity(AllEvents(admin, "/api/v4/events?" + statuses("value_before", stages[1]))),
      std::vector<std::string>{rep_moved});
  EXPECT_EQ(TypeAndEntity(AllEvents(admin, "/api/v4/events?" + statuses("value_before", stages[0]) +
                                               "&" + statuses("value_after", stages[1]) +
                                               "&filter[type][]=lead_status_changed")),
            (std::vector<std::string>{mgr_moved, rep_moved}));
  for (const json& e : AllEvents(admin, to_two)) {
    EXPECT_EQ(e["value_after"],
              json::array({{{"lead_status", {{"id", stages[1]}, {"pipeline_id", pipeline_id}}}}}));
  }

  const std::string given = "entity_responsible_changed:" + std::to_string(mgr_lead);
  const std::string to_heir =
      "/api/v4/events?filter[value_after][responsible_user_id]=" + std::to_string(heir);
  EXPECT_EQ(TypeAndEntity(AllEvents(admin, to_heir)), std::vector<std::string>{given});
  Response rep_heir = rep.Get(to_heir);
  EXPECT_EQ(rep_heir.status, 204) << "the rep cannot view the manager's lead: "
                                  << rep_heir.Describe();

  for (const std::string& bad :
       {std::string("filter[value_after][responsible_user_id]=abc"),
        std::string("filter[value_after][leads_statuses][0][pipeline_id]=") + p,
        std::string("filter[value_after][value]=1"),
        "filter[value_before][responsible_user_id]=1&" + statuses("value_after", stages[1])}) {
    Response r = admin.Get("/api/v4/events?" + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.Describe();
    const std::string path =
        r.body_json["validation-errors"][0]["errors"][0].value("path", std::string());
    EXPECT_EQ(path.rfind("filter[value_", 0), 0u) << bad << ": " << r.Describe();
  }
}

// ---- catalogs ----

TEST_P(ResourcesTest, CatalogElementsBatchPatchIsAllOrNothing) {
  HttpClient admin = Admin();
  auto catalog = [&](const std::string& name) {
    Response r = admin.SendJson("POST", "/api/v4/catalogs", json::array({{{"name", name}}}));
    EXPECT_EQ(r.status, 200) << r.Describe();
    return "/api/v4/catalogs/" +
           std::to_string(r.body_json["_embedded"]["catalogs"][0].value("id", 0)) + "/elements";
  };
  const std::string products = catalog("Products " + Unique());
  const std::string services = catalog("Services " + Unique());
  Response added = admin.SendJson(
      "POST", products,
      json::array(
          {{{"name", "Widget"}},
           {{"name", "Gadget"}, {"custom_fields_values", json::array({{{"field_id", 1}}})}}}));
  ASSERT_EQ(added.status, 200) << added.Describe();
  const std::int64_t widget = added.body_json["_embedded"]["elements"][0].value("id", 0);
  const std::int64_t gadget = added.body_json["_embedded"]["elements"][1].value("id", 0);
  Response other = admin.SendJson("POST", services, json::array({{{"name", "Support"}}}));
  ASSERT_EQ(other.status, 200) << other.Describe();
  const std::int64_t support = other.body_json["_embedded"]["elements"][0].value("id", 0);
  auto listed = [&](const std::string& path) {
    Response r = admin.Get(path);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.body_json["_embedded"]["elements"];
  };
  const json before = listed(products);
  auto updates = [&]() {
    Response r = admin.Get("/api/v4/events?filter[type][]=catalog_element_updated&limit=250");
    return r.status == 200 ? r.body_json["_embedded"]["events"].size() : std::size_t{0};
  };
  const std::size_t updates_before = updates();

  // An element of another catalog, or one that does not exist: nothing changes.
  for (std::int64_t stranger : {support, std::int64_t{987654321}}) {
    Response refused = admin.SendJson(
        "PATCH", products,
        json::array({{{"id", widget}, {"name", "Changed"}},
                     {{"id", stranger}, {"name", "Stolen"}, {"request_id", "stranger"}}}));
    EXPECT_EQ(refused.status, 400) << refused.Describe();
    EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
    const json& item = refused.body_json["validation-errors"][0];
    EXPECT_EQ(item.value("request_id", std::string()), "stranger") << refused.Describe();
    EXPECT_EQ(item["errors"][0].value("path", std::string()), "1.id") << refused.Describe();
    EXPECT_EQ(listed(products), before);
  }
  EXPECT_EQ(listed(services)[0].value("name", std::string()), "Support");
  EXPECT_EQ(updates(), updates_before);

  // catalog_access is needed (the rep has none); an unknown catalog is 404.
  HttpClient rep = Bearer(w_->rep_token);
  const json one = json::array({{{"id", widget}, {"name", "Nope"}}});
  EXPECT_EQ(rep.SendJson("PATCH", products, one).status, 403);
  EXPECT_EQ(admin.SendJson("PATCH", "/api/v4/catalogs/987654321/elements", one).status, 404);
  EXPECT_EQ(listed(products), before);

  Response patched =
      admin.SendJson("PATCH", products,
                     json::array({{{"id", widget}, {"name", "Widget Pro"}, {"request_id", "w"}},
                                  {{"id", gadget}, {"custom_fields_values", nullptr}}}));
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  const json& items = patched.body_json["_embedded"]["elements"];
  ASSERT_EQ(items.size(), 2u) << patched.Describe();
  EXPECT_EQ(items[0].value("name", std::string()), "Widget Pro");
  EXPECT_EQ(items[0].value("request_id", std::string()), "w");
  EXPECT_TRUE(items[1]["custom_fields_values"].is_null());
  const json after = listed(products);
  EXPECT_EQ(after[0].value("name", std::string()), "Widget Pro");
  EXPECT_EQ(after[1].value("name", std::string()), "Gadget");
  EXPECT_TRUE(after[1]["custom_fields_values"].is_null());
  EXPECT_EQ(updates(), updates_before + 2);
  EXPECT_EQ(rep.Get("/api/v4/events?filter[type][]=catalog_element_updated").status, 204)
      << "list events are for administrators";
}

TEST_P(ResourcesTest, OpenApiDocumentsTheNewRoutes) {
  HttpClient anonymous = server_->Client();
  Response r = anonymous.Get("/api/v4/openapi.json");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json& paths = r.body_json["paths"];
  EXPECT_TRUE(paths["/api/v4/events/{id}"].contains("get"));
  EXPECT_TRUE(paths["/api/v4/events/types"].contains("get"));
  EXPECT_TRUE(paths["/api/v4/catalogs/{id}/elements"].contains("patch"));
}

// ---- tokens ----

TEST_P(ResourcesTest, PersonalTokenWorksUntilRevoked) {
  HttpClient session = server_->Client();
  ASSERT_EQ(Login(session, "mgr@res.test").status, 200);
  Response created = session.SendJson("POST", "/api/v4/security/tokens",
                                      {{"name", "ci " + Unique()}, {"expires_at", Now() + 86400}});
  ASSERT_EQ(created.status, 201) << created.Describe();
  for (const char* key : {"id", "name", "token", "expires_at"}) {
    EXPECT_TRUE(created.body_json.contains(key)) << key << ": " << created.Describe();
  }
  const std::string token = created.body_json.value("token", std::string());
  const std::int64_t id = created.body_json.value("id", std::int64_t{0});
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2) << "not a JWT: " << token;

  HttpClient bearer = Bearer(token);
  Response account = bearer.Get("/api/v4/account");
  ASSERT_EQ(account.status, 200) << account.Describe();
  EXPECT_EQ(account.body_json["current_user_id"], w_->mgr_id);

  Response list = session.Get("/api/v4/security/tokens");
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_NE(list.body.find(std::to_string(id)), std::string::npos) << list.Describe();
  EXPECT_EQ(list.body.find(token), std::string::npos) << "the token is shown again";

  Response del = session.Send("DELETE", "/api/v4/security/tokens/" + std::to_string(id));
  EXPECT_TRUE(del.status == 204 || del.status == 200) << del.Describe();
  Response revoked = bearer.Get("/api/v4/account");
  EXPECT_EQ(revoked.status, 401) << revoked.Describe();
  EXPECT_EQ(revoked.Header("content-type"), "application/problem+json");
}

// ---- web login ----

TEST_P(ResourcesTest, LoginFailuresLookTheSame) {
  HttpClient a = server_->Client();
  HttpClient b = server_->Client();
  Response unknown = Login(a, "nobody-" + Unique() + "@res.test", "Whatever-Passw0rd-1");
  Response wrong = Login(b, "mgr@res.test", "Whatever-Passw0rd-1");
  EXPECT_EQ(unknown.status, 401) << unknown.Describe();
  EXPECT_EQ(wrong.status, 401) << wrong.Describe();
  EXPECT_EQ(unknown.Header("content-type"), wrong.Header("content-type"));
  json u = unknown.body_json;
  json w = wrong.body_json;
  for (const char* volatile_key : {"instance", "request_id", "trace_id"}) {
    if (u.is_object()) u.erase(volatile_key);
    if (w.is_object()) w.erase(volatile_key);
  }
  EXPECT_EQ(u, w) << "unknown email: " << unknown.body << "\nwrong password: " << wrong.body;
  EXPECT_TRUE(a.cookies().empty() && b.cookies().empty()) << "a failed login set a cookie";
}

TEST_P(ResourcesTest, LoginCookieCsrfAndLogout) {
  HttpClient web = server_->Client();
  Response login = Login(web, "mgr@res.test");  // no subdomain: one account on this server
  ASSERT_EQ(login.status, 200) << login.Describe();
  std::string cookie;
  for (const auto& [name, value] : login.headers) {
    if (name == "set-cookie") cookie = value;
  }
  std::string lower = cookie;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  EXPECT_NE(lower.find("httponly"), std::string::npos) << cookie;
  EXPECT_NE(lower.find("samesite=lax"), std::string::npos) << cookie;
  EXPECT_NE(lower.find("path=/"), std::string::npos) << cookie;
  HttpClient with_subdomain = server_->Client();
  EXPECT_EQ(Login(with_subdomain, "mgr@res.test", kPassword, "res").status, 200);

  // State changes over the cookie need X-CSRF-Token.
  const std::string csrf = login.body_json.value("csrf_token", std::string());
  web.SetCsrf("");
  Response no_csrf = web.SendJson("POST", "/api/v4/leads", json::array({{{"name", "x"}}}));
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.Describe();
  Response bad_csrf = web.SendJson("POST", "/api/v4/leads", json::array({{{"name", "x"}}}),
                                   {{"X-CSRF-Token", "not-the-token"}});
  EXPECT_EQ(bad_csrf.status, 403) << bad_csrf.Describe();
  web.SetCsrf(csrf);
  Response ok = web.SendJson("POST", "/api/v4/leads", json::array({{{"name", "csrf ok"}}}));
  EXPECT_EQ(ok.status, 200) << ok.Describe();
  EXPECT_EQ(web.Get("/api/v4/account").status, 200);

  Response logout = web.SendJson("POST", "/auth/logout", json::object());
  EXPECT_TRUE(logout.status == 200 || logout.status == 204) << logout.Describe();
  // Whatever cookie the client still holds no longer authenticates.
  Response after = web.Get("/api/v4/account");
  EXPECT_EQ(after.status, 401) << after.Describe();
}

// ---- OAuth ----

std::string QueryParam(const std::string& url, const std::string& name) {
  std::size_t q = url.find('?');
  if (q == std::string::npos) return "";
  std::string query = url.substr(q + 1);
  std::size_t at = 0;
  while (at <= query.size()) {
    std::size_t amp = query.find('&', at);
    std::string pair = query.substr(at, amp == std::string::npos ? std::string::npos : amp - at);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    if (amp == std::string::npos) break;
    at = amp + 1;
  }
  return "";
}

// name -> value of every <input type="hidden"> of an HTML page (attributes in any order).
std::vector<std::pair<std::string, std::string>> HiddenInputs(const std::string& html) {
  std::vector<std::pair<std::string, std::string>> out;
  auto attribute = [](const std::string& tag, const std::string& name) -> std::string {
    const std::string key = name + "=\"";
    std::size_t at = tag.find(" " + key);
    if (at == std::string::npos) return "";
    at += key.size() + 1;
    std::string value = tag.substr(at, tag.find('"', at) - at);
    // Undo the HTML escaping of attribute values.
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
      for (std::size_t p = value.find(from); p != std::string::npos; p = value.find(from, p + 1)) {
        value.replace(p, from.size(), to);
      }
    }
    return value;
  };
  for (std::size_t at = html.find("<input"); at != std::string::npos;
       at = html.find("<input", at + 1)) {
    const std::string tag = html.substr(at, html.find('>', at) - at);
    if (attribute(tag, "type") != "hidden") continue;
    out.emplace_back(attribute(tag, "name"), attribute(tag, "value"));
  }
  return out;
}

// `browser`, a logged-in cookie session, allows integration `client_id` on the consent page as
// a browser would: the page's form (cookie, form-encoded hidden fields plus the Allow button, no
// X-CSRF-Token header) posted back. Returns the answer to that post (the redirect).
Response AllowInBrowser(HttpClient& browser, const std::string& client_id,
                        const std::string& state) {
  Response r = browser.Get("/oauth?client_id=" + client_id + "&state=" + state);
  if (r.status != 200) return r;
  EXPECT_EQ(r.Header("content-type").rfind("text/html", 0), 0u) << r.Describe();
  std::string form = "decision=allow";
  for (const auto& [name, value] : HiddenInputs(r.body)) {
    form += "&" + auth::PercentEncode(name) + "=" + auth::PercentEncode(value);
  }
  browser.SetCsrf("");
  return browser.Send("POST", "/oauth", form,
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
}

TEST_P(ResourcesTest, OAuthCodeFlowWithRefreshRotation) {
  HttpClient admin = Admin();
  const std::string redirect = "https://integration.example/callback";
  Response reg = admin.SendJson("POST", "/api/v4/security/integrations",
                                {{"name", "Integration " + Unique()}, {"redirect_uri", redirect}});
  ASSERT_TRUE(reg.status == 200 || reg.status == 201) << reg.Describe();
  const std::string client_id = reg.body_json.value("client_id", std::string());
  const std::string client_secret = reg.body_json.value("client_secret", std::string());
  ASSERT_FALSE(client_id.empty() || client_secret.empty()) << reg.Describe();

  // Consent in the browser: the manager's cookie session.
  HttpClient browser = server_->Client();
  ASSERT_EQ(Login(browser, "mgr@res.test").status, 200);
  Response r = AllowInBrowser(browser, client_id, "st4te");
  ASSERT_TRUE(r.status == 302 || r.status == 303 || r.status == 307) << r.Describe();
  const std::string location = r.Header("location");
  ASSERT_EQ(location.rfind(redirect, 0), 0u) << location;
  EXPECT_EQ(QueryParam(location, "state"), "st4te") << location;
  const std::string code = QueryParam(location, "code");
  ASSERT_FALSE(code.empty()) << location;

  HttpClient integration = server_->Client();
  json exchange = {{"client_id", client_id},
                   {"client_secret", client_secret},
                   {"grant_type", "authorization_code"},
                   {"code", code},
                   {"redirect_uri", redirect}};
  Response tokens = integration.SendJson("POST", "/oauth2/access_token", exchange);
  ASSERT_EQ(tokens.status, 200) << tokens.Describe();
  EXPECT_EQ(tokens.Header("content-type").rfind("application/json", 0), 0u) << tokens.Describe();
  EXPECT_EQ(tokens.body_json["token_type"], "Bearer");
  EXPECT_EQ(tokens.body_json["expires_in"], 86400);
  EXPECT_TRUE(tokens.body_json.contains("server_time"));
  const std::string access = tokens.body_json.value("access_token", std::string());
  const std::string refresh = tokens.body_json.value("refresh_token", std::string());
  ASSERT_FALSE(access.empty() || refresh.empty()) << tokens.Describe();
  EXPECT_EQ(std::count(access.begin(), access.end(), '.'), 2) << "access token is not a JWT";

  HttpClient api = Bearer(access);
  Response account = api.Get("/api/v4/account");
  ASSERT_EQ(account.status, 200) << account.Describe();
  EXPECT_EQ(account.body_json["current_user_id"], w_->mgr_id);

  // Refresh rotates: the new pair works, the old refresh token is refused.
  json refresh_body = {{"client_id", client_id},
                       {"client_secret", client_secret},
                       {"grant_type", "refresh_token"},
                       {"refresh_token", refresh},
                       {"redirect_uri", redirect}};
  Response rotated = integration.SendJson("POST", "/oauth2/access_token", refresh_body);
  ASSERT_EQ(rotated.status, 200) << rotated.Describe();
  const std::string refresh2 = rotated.body_json.value("refresh_token", std::string());
  EXPECT_NE(refresh2, refresh);
  HttpClient api2 = Bearer(rotated.body_json.value("access_token", std::string()));
  EXPECT_EQ(api2.Get("/api/v4/account").status, 200);
  Response old = integration.SendJson("POST", "/oauth2/access_token", refresh_body);
  EXPECT_TRUE(old.status == 400 || old.status == 401) << old.Describe();

  // A wrong secret is refused.
  json bad = refresh_body;
  bad["client_secret"] = "wrong";
  bad["refresh_token"] = refresh2;
  Response wrong = integration.SendJson("POST", "/oauth2/access_token", bad);
  EXPECT_TRUE(wrong.status == 400 || wrong.status == 401) << wrong.Describe();

  // A code works once, and a second exchange revokes what it gave (RFC 6749 §4.1.2): the first
  // access token, and the pair its refresh token rotated into.
  EXPECT_EQ(api.Get("/api/v4/account").status, 200);
  Response reuse = integration.SendJson("POST", "/oauth2/access_token", exchange);
  EXPECT_EQ(reuse.status, 400) << reuse.Describe();
  EXPECT_EQ(reuse.body_json.value("hint", std::string()), "invalid_grant") << reuse.Describe();
  EXPECT_EQ(api.Get("/api/v4/account").status, 401);
  EXPECT_EQ(api2.Get("/api/v4/account").status, 401);
  json after_reuse = refresh_body;
  after_reuse["refresh_token"] = refresh2;
  Response revoked = integration.SendJson("POST", "/oauth2/access_token", after_reuse);
  EXPECT_EQ(revoked.status, 400) << revoked.Describe();
}

// An administrator lists the account's integrations and deletes one: everything issued through
// it stops working on the server at once.
TEST_P(ResourcesTest, DeletedIntegrationIsShutOff) {
  HttpClient admin = Admin();
  const std::string redirect = "https://integration.example/callback";
  const std::string name = "Leaked " + Unique();
  Response reg = admin.SendJson("POST", "/api/v4/security/integrations",
                                {{"name", name}, {"redirect_uri", redirect}});
  ASSERT_EQ(reg.status, 201) << reg.Describe();
  const std::int64_t id = reg.body_json.value("id", std::int64_t{0});
  json exchange = {{"client_id", reg.body_json["client_id"]},
                   {"client_secret", reg.body_json["client_secret"]},
                   {"grant_type", "authorization_code"},
                   {"redirect_uri", redirect}};
  HttpClient browser = server_->Client();
  ASSERT_EQ(Login(browser, "mgr@res.test").status, 200);
  Response allowed = AllowInBrowser(browser, exchange["client_id"].get<std::string>(), "s");
  exchange["code"] = QueryParam(allowed.Header("location"), "code");
  HttpClient integration = server_->Client();
  Response tokens = integration.SendJson("POST", "/oauth2/access_token", exchange);
  ASSERT_EQ(tokens.status, 200) << tokens.Describe();
  HttpClient api = Bearer(tokens.body_json.value("access_token", std::string()));
  ASSERT_EQ(api.Get("/api/v4/account").status, 200);

  const std::string path = "/api/v4/security/integrations/" + std::to_string(id);
  Response one = admin.Get(path);
  ASSERT_EQ(one.status, 200) << one.Describe();
  EXPECT_EQ(one.body_json["name"], name);
  EXPECT_EQ(one.body_json["active_tokens"], 1);
  EXPECT_FALSE(one.body_json.contains("client_secret"));
  std::string error;
  std::vector<std::int64_t> ids =
      CollectIds(admin, "/api/v4/security/integrations?limit=1", "integrations", 1000, &error);
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end());
  EXPECT_EQ(Bearer(w_->rep_token).Get(path).status, 403);

  Response deleted = admin.Send("DELETE", path);
  EXPECT_EQ(deleted.status, 204) << deleted.Describe();
  EXPECT_EQ(api.Get("/api/v4/account").status, 401);
  json refresh = exchange;
  refresh.erase("code");
  refresh["grant_type"] = "refresh_token";
  refresh["refresh_token"] = tokens.body_json["refresh_token"];
  Response refused = integration.SendJson("POST", "/oauth2/access_token", refresh);
  EXPECT_EQ(refused.status, 401) << refused.Describe();
  EXPECT_EQ(refused.body_json.value("hint", std::string()), "invalid_client");
  EXPECT_EQ(admin.Get(path).status, 404);
  EXPECT_EQ(admin.Send("DELETE", path).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Engines, ResourcesTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& info) {
                           return std::string(EngineName(info.param));
                         });

}  // namespace
}  // namespace gatehouse::apitest
