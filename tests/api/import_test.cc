// `gatehouse import` end to end (issue 16, SPEC §6): a demo workspace served by one Gatehouse
// server (which speaks Kommo's API v4) is imported over loopback HTTP into a fresh database of
// each engine, a second server serves the result, and every user's view is compared
// (import_side.h): the users with their flags, group, role and rights, and for every user who
// can act, the leads (with their loss reasons), contacts, companies, customers (with their
// tags, field values and links), tasks and notes they see through the API (view-as,
// X-Context-User-ID) before and after; and the customer statuses, loss reasons and stage
// descriptions. Also: an import killed midway (SIGKILL), twice, and run again ends with the same
// account and nothing twice; a rerun of a finished import creates nothing; a foreign account is
// refused; a source with customers switched off is imported without them.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "tests/api/import_proxy.h"
#include "tests/api/import_side.h"

namespace gatehouse::apitest {
namespace {

constexpr char kNewPassword[] = "Imported-Harbor-Lantern-93";
constexpr int kCustomers = 24;  // added to the demo's, with tags, field values, links

class ImportTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(GetParam());
    dir_ = std::make_unique<TempDir>();
    source_db_ = "sqlite:" + dir_->path() + "/source.db";
    ASSERT_EQ(Gatehouse(std::string("GATEHOUSE_ADMIN_PASSWORD=") + kPassword,
                        "demo --db " + source_db_ + " --subdomain src --leads 80 --seed 7",
                        dir_->path() + "/demo.log"),
              0)
        << ReadFile(dir_->path() + "/demo.log");
    auto source = ServerProcess::Start(source_db_, dir_->path() + "/source.log");
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    source_ = std::move(*source);
    HttpClient admin(source_->port());
    ASSERT_EQ(Login(admin, "admin@src.gatehouse.local", kPassword, "src").status, 200);
    token_ = CreateToken(admin, "import");
    ASSERT_FALSE(token_.empty());
    AddFieldsTagsAndNotes();
    if (HasFatalFailure()) return;
    AddLossReasonsAndDescriptions();
    if (HasFatalFailure()) return;
    AddCustomerStatuses();
    if (HasFatalFailure()) return;
    AddCustomers();
  }

  HttpClient Api() const {
    HttpClient api(source_->port());
    api.SetBearer(token_);
    return api;
  }

  // What the demo lacks: custom fields (of leads and of customers) with values and field
  // rights, tags, notes.
  void AddFieldsTagsAndNotes() {
    HttpClient api = Api();
    Response fields = api.SendJson(
        "POST", "/api/v4/leads/custom_fields",
        json::array({{{"name", "Budget"}, {"type", "numeric"}},
                     {{"name", "Channel"},
                      {"type", "select"},
                      {"enums", json::array({{{"value", "Web"}}, {{"value", "Fair"}}})}}}));
    ASSERT_EQ(fields.status, 200) << fields.Describe();
    const json budget = fields.body_json["_embedded"]["custom_fields"][0];
    const json channel = fields.body_json["_embedded"]["custom_fields"][1];
    std::vector<json> leads = All(api, "/api/v4/leads?limit=250", "leads");
    ASSERT_EQ(leads.size(), 80u);
    json patch = json::array();
    json notes = json::array();
    for (std::size_t i = 0; i < leads.size(); i += 3) {
      patch.push_back(
          {{"id", leads[i]["id"]},
           {"custom_fields_values",
            json::array({{{"field_id", budget["id"]}, {"values", {{{"value", 1000 + i}}}}},
                         {{"field_id", channel["id"]},
                          {"values", {{{"enum_id", channel["enums"][i % 2]["id"]}}}}}})},
           {"tags_to_add", json::array({{{"name", i % 2 == 0 ? "vip" : "renewal"}}})}});
      notes.push_back({{"entity_id", leads[i]["id"]},
                       {"note_type", "common"},
                       {"params", {{"text", "Called on day " + std::to_string(i)}}}});
    }
    Response patched = api.SendJson("PATCH", "/api/v4/leads", patch);
    ASSERT_EQ(patched.status, 200) << patched.Describe();
    Response noted = api.SendJson("POST", "/api/v4/leads/notes", notes);
    ASSERT_EQ(noted.status, 200) << noted.Describe();
    AddCustomerFields(api);
    if (HasFatalFailure()) return;
    // Sales reps may not see the budget, nor the customers' discount.
    for (const json& role : All(api, "/api/v4/roles", "roles")) {
      if (role["name"] != "Sales rep") continue;
      const json hidden = {{"view", "D"}, {"edit", "D"}};
      json rights = {{"custom_fields_rights",
                      {{"leads", {{budget["id"].dump(), hidden}}},
                       {"customers", {{customer_fields_[1]["id"].dump(), hidden}}}}}};
      Response r =
          api.SendJson("PATCH", "/api/v4/roles/" + role["id"].dump(), {{"rights", rights}});
      ASSERT_EQ(r.status, 202) << r.Describe();
    }
    // A stage coloured by hand, unlike its position's palette colour.
    const json pipeline = All(api, "/api/v4/leads/pipelines", "pipelines").front();
    for (const json& status : pipeline["_embedded"]["statuses"]) {
      if (status["type"] != 0 || status["id"] == 142 || status["id"] == 143) continue;
      Response r = api.SendJson(
          "PATCH",
          "/api/v4/leads/pipelines/" + pipeline["id"].dump() + "/statuses/" + status["id"].dump(),
          {{"color", "#123456"}});
      ASSERT_EQ(r.status, 200) << r.Describe();
      break;
    }
  }

  void AddCustomerFields(HttpClient& api) {
    Response fields = api.SendJson(
        "POST", "/api/v4/customers/custom_fields",
        json::array({{{"name", "Tier"},
                      {"type", "select"},
                      {"enums", json::array({{{"value", "Gold"}}, {{"value", "Silver"}}})}},
                     {{"name", "Discount"}, {"type", "numeric"}}}));
    ASSERT_EQ(fields.status, 200) << fields.Describe();
    customer_fields_ = fields.body_json["_embedded"]["custom_fields"];
  }

  // Two loss reasons, each the reason of some lost leads; descriptions of a working stage (two
  // levels) and of won 142 in every pipeline.
  void AddLossReasonsAndDescriptions() {
    HttpClient api = Api();
    Response reasons = api.SendJson("POST", "/api/v4/leads/loss_reasons",
                                    json::array({{{"name", "Too expensive"}, {"sort", 20}},
                                                 {{"name", "Chose a competitor"}, {"sort", 10}}}));
    ASSERT_EQ(reasons.status, 200) << reasons.Describe();
    const json added = reasons.body_json["_embedded"]["loss_reasons"];
    const std::vector<json> leads = All(api, "/api/v4/leads?limit=250", "leads");
    json lost = json::array();
    for (std::size_t i = 1; i < leads.size(); i += 7) {
      lost.push_back(
          {{"id", leads[i]["id"]}, {"status_id", 143}, {"loss_reason_id", added[i % 2]["id"]}});
    }
    Response patched = api.SendJson("PATCH", "/api/v4/leads", lost);
    ASSERT_EQ(patched.status, 200) << patched.Describe();
    for (const json& pipeline : All(api, "/api/v4/leads/pipelines", "pipelines")) {
      bool working = false;
      for (const json& status : pipeline["_embedded"]["statuses"]) {
        json descriptions = json::array({{{"level", "candidate"}, {"description", "Ask again"}}});
        if (status["id"] != 142) {
          if (working || status["type"] != 0 || status["id"] == 143) continue;
          working = true;
          descriptions = json::array(
              {{{"level", "newbie"}, {"description", "Call within a day"}},
               {{"level", "master"}, {"description", pipeline["name"].get<std::string>()}}});
        }
        Response r = api.SendJson(
            "PATCH",
            "/api/v4/leads/pipelines/" + pipeline["id"].dump() + "/statuses/" + status["id"].dump(),
            {{"descriptions", descriptions}});
        ASSERT_EQ(r.status, 200) << r.Describe();
      }
    }
  }

  // The statuses unlike a new account's: "Buy soon" deleted, "Closed" renamed and recoloured,
  // "VIP buyers" added.
  void AddCustomerStatuses() {
    HttpClient api = Api();
    for (const json& status : All(api, "/api/v4/customers/statuses", "statuses")) {
      const std::string path = "/api/v4/customers/statuses/" + status["id"].dump();
      if (status["name"] == "Buy soon") {
        Response r = api.Send("DELETE", path);
        ASSERT_EQ(r.status, 204) << r.Describe();
      } else if (status["type"] == 3) {
        Response r = api.SendJson("PATCH", path, {{"name", "Gone quiet"}, {"color", "#ccc8f9"}});
        ASSERT_EQ(r.status, 200) << r.Describe();
      }
    }
    Response added = api.SendJson("POST", "/api/v4/customers/statuses",
                                  json::array({{{"name", "VIP buyers"}, {"color", "#ffdbdb"}}}));
    ASSERT_EQ(added.status, 200) << added.Describe();
  }

  // kCustomers customers in every status, owned by the active users in turn, with tags, field
  // values, contacts (one main) and some a company; tasks and notes on some.
  void AddCustomers() {
    HttpClient api = Api();
    const std::vector<json> statuses = All(api, "/api/v4/customers/statuses", "statuses");
    const std::vector<json> contacts = All(api, "/api/v4/contacts?limit=250", "contacts");
    const std::vector<json> companies = All(api, "/api/v4/companies?limit=250", "companies");
    std::vector<json> owners;
    for (const json& user : All(api, "/api/v4/users", "users")) {
      if (user["rights"]["is_active"].get<bool>()) owners.push_back(user["id"]);
    }
    ASSERT_TRUE(!statuses.empty() && contacts.size() > 1 && !companies.empty() && !owners.empty());
    json customers = json::array();
    for (int i = 0; i < kCustomers; ++i) {
      const json tier = {{"field_id", customer_fields_[0]["id"]},
                         {"values", {{{"enum_id", customer_fields_[0]["enums"][i % 2]["id"]}}}}};
      const json discount = {{"field_id", customer_fields_[1]["id"]}, {"values", {{{"value", i}}}}};
      json customer = {{"name", "Buyer " + std::to_string(i)},
                       {"next_price", 1000 * i},
                       {"next_date", 1767225600 + i * 86400},
                       {"periodicity", 7 * (1 + i % 4)},
                       {"status_id", statuses[i % statuses.size()]["id"]},
                       {"responsible_user_id", owners[i % owners.size()]},
                       {"custom_fields_values", json::array({tier, discount})}};
      json& embedded = customer["_embedded"];
      embedded["tags"] = json::array({{{"name", i % 3 == 0 ? "loyal" : "wholesale"}}});
      embedded["contacts"] =
          json::array({{{"id", contacts[i % contacts.size()]["id"]}, {"is_main", true}}});
      if (i % 4 == 0) {
        embedded["contacts"].push_back({{"id", contacts[(i + 1) % contacts.size()]["id"]}});
      }
      if (i % 2 == 0) embedded["companies"] = {{{"id", companies[i % companies.size()]["id"]}}};
      customers.push_back(std::move(customer));
    }
    Response created = api.SendJson("POST", "/api/v4/customers", customers);
    ASSERT_EQ(created.status, 200) << created.Describe();
    AddCustomerTasksAndNotes(api, created.body_json["_embedded"]["customers"], owners);
  }

  void AddCustomerTasksAndNotes(HttpClient& api, const json& customers,
                                const std::vector<json>& owners) {
    json tasks = json::array();
    json notes = json::array();
    for (std::size_t i = 0; i < customers.size(); ++i) {
      const json id = customers[i]["id"];
      if (i % 4 == 0) {
        tasks.push_back({{"entity_type", "customers"},
                         {"entity_id", id},
                         {"text", "Call buyer " + std::to_string(i)},
                         {"complete_till", 1767225600 + i * 3600},
                         {"responsible_user_id", owners[(i + 1) % owners.size()]}});
      }
      if (i % 3 == 0) {
        notes.push_back({{"entity_id", id},
                         {"note_type", "common"},
                         {"params", {{"text", "Ordered again " + std::to_string(i)}}}});
      }
    }
    Response tasked = api.SendJson("POST", "/api/v4/tasks", tasks);
    ASSERT_EQ(tasked.status, 200) << tasked.Describe();
    Response noted = api.SendJson("POST", "/api/v4/customers/notes", notes);
    ASSERT_EQ(noted.status, 200) << noted.Describe();
  }

  std::string ImportArgs(const std::string& target_db, const std::string& extra = "",
                         std::uint16_t from_port = 0) const {
    return "import --from http://127.0.0.1:" +
           std::to_string(from_port != 0 ? from_port : source_->port()) + " --token " + token_ +
           " --db '" + target_db + "' --subdomain dst " + extra;
  }

  // Starts the import with small pages at 10 requests per second and kills it (SIGKILL) once
  // its progress shows `marker`: a page of that phase is committed, the next one is not.
  void KillImportAt(const std::string& target_db, const std::string& marker,
                    const std::string& log) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      const std::string command = std::string("exec ") + GATEHOUSE_BINARY + " " +
                                  ImportArgs(target_db, "--rate 10 --page-limit 10") + " >" + log +
                                  " 2>&1 </dev/null";
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    bool reached = false;
    for (int i = 0; i < 6000 && !reached; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      reached = ReadFile(log).find(marker) != std::string::npos;
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(reached) << ReadFile(log);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the import ended before it was killed: " << ReadFile(log);
  }

  // Serves `target_db`, gives the imported administrator a password, and compares every
  // user's view with the source's.
  void ExpectSameAsSource(const std::string& target_db) {
    const std::string admin = "admin@src.gatehouse.local";
    ASSERT_EQ(
        Gatehouse(std::string("GATEHOUSE_NEW_PASSWORD=") + kNewPassword,
                  "user reset-password --db '" + target_db + "' --subdomain dst --email " + admin,
                  dir_->path() + "/reset.log"),
        0)
        << ReadFile(dir_->path() + "/reset.log");
    auto target = ServerProcess::Start(target_db, dir_->path() + "/target.log");
    ASSERT_TRUE(target.ok()) << target.status().ToString();
    Side after((*target)->port());
    ASSERT_EQ(Login(after.client, admin, kNewPassword, "dst").status, 200);
    Side before(source_->port());
    before.client.SetBearer(token_);
    before.Load();
    after.Load();

    // Every stage keeps its colour (Kommo's `color`, carried by the import), and its
    // descriptions; the account its customer statuses and loss reasons, each once.
    EXPECT_EQ(before.stage_color, after.stage_color);
    EXPECT_EQ(before.descriptions, after.descriptions);
    EXPECT_EQ(before.customer_statuses, after.customer_statuses);
    EXPECT_EQ(before.loss_reasons, after.loss_reasons);
    ASSERT_EQ(before.users.size(), after.users.size());
    std::map<std::string, json> after_users;
    for (const json& user : after.users) after_users[user["email"]] = after.UserView(user);
    std::map<std::string, Side::Lines> seen;  // by every user who can act, in the source
    for (const json& user : before.users) {
      const std::string email = user["email"];
      ASSERT_TRUE(after_users.count(email)) << email;
      EXPECT_EQ(before.UserView(user), after_users[email]) << email;
      const json& rights = user["rights"];
      if (!rights["is_active"].get<bool>() || rights["is_free"].get<bool>()) continue;
      seen[email] = before.Visible(email);
      EXPECT_EQ(seen[email], after.Visible(email)) << "what " << email << " sees";
    }
    ExpectNotTrivial(before, seen.at(admin), seen);
    (*target)->Stop();
  }

  // The source has what the comparison is about, and somebody sees only part of the leads and
  // of the customers.
  static void ExpectNotTrivial(const Side& source, const Side::Lines& everything,
                               const std::map<std::string, Side::Lines>& seen) {
    EXPECT_GT(seen.size(), 20u);
    EXPECT_EQ(everything.at("leads").size(), 80u);
    EXPECT_GE(everything.at("customers").size(), static_cast<std::size_t>(kCustomers));
    EXPECT_EQ(source.loss_reasons.size(), 2u);
    EXPECT_GE(source.descriptions.size(), 3u);
    EXPECT_EQ(source.customer_statuses.size(), 5u);
    const auto has = [&](const char* kind, const std::string& text) {
      return std::any_of(everything.at(kind).begin(), everything.at(kind).end(),
                         [&](const std::string& line) { return line.find(text) != line.npos; });
    };
    EXPECT_TRUE(has("leads", "|Too expensive") && has("leads", "|Chose a competitor"));
    EXPECT_TRUE(has("tasks", "\"customers\"|Buyer ") && has("notes", "customers|Buyer "));
    EXPECT_TRUE(has("customers", "Discount=") && has("customers", "*,"));
    bool partial_leads = false;
    bool partial_customers = false;
    for (const auto& [email, lines] : seen) {
      const auto count = [&](const char* kind) {
        return lines.count(kind) ? lines.at(kind).size() : 0;
      };
      partial_leads = partial_leads || count("leads") < everything.at("leads").size();
      partial_customers =
          partial_customers || count("customers") < everything.at("customers").size();
    }
    EXPECT_TRUE(partial_leads);
    EXPECT_TRUE(partial_customers);
  }

  std::unique_ptr<TempDir> dir_;
  std::string source_db_;
  std::unique_ptr<ServerProcess> source_;
  std::string token_;
  json customer_fields_;  // Tier (select: Gold, Silver), Discount (numeric)
};

TEST_P(ImportTest, EveryUserSeesTheSameRecordsAfterTheImport) {
  auto target = Database::Create(GetParam(), dir_->path());
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  const std::string log = dir_->path() + "/import.log";
  ASSERT_EQ(Gatehouse("", ImportArgs((*target)->url(), "--rate 1000"), log), 0) << ReadFile(log);
  const std::string output = ReadFile(log);
  EXPECT_NE(output.find("a new account"), std::string::npos) << output;
  EXPECT_NE(output.find("gatehouse user reset-password"), std::string::npos) << output;
  EXPECT_NE(output.find("admin@src.gatehouse.local"), std::string::npos) << output;
  ExpectSameAsSource((*target)->url());

  // A rerun of the finished import reads everything again and creates nothing.
  ASSERT_EQ(Gatehouse("", ImportArgs((*target)->url(), "--rate 1000"), log), 0) << ReadFile(log);
  const std::string rerun = ReadFile(log);
  EXPECT_NE(rerun.find("continuing the earlier import"), std::string::npos) << rerun;
  std::set<std::size_t> count_columns;  // where " read," stands: one column for every kind
  for (const char* kind : {"users", "stage_descriptions", "loss_reasons", "leads", "contacts",
                           "companies", "customer_statuses", "customers", "tasks", "notes"}) {
    const std::size_t at = rerun.find(std::string("  ") + kind + " ");
    ASSERT_NE(at, std::string::npos) << rerun;
    const std::string line = rerun.substr(at, rerun.find('\n', at) - at);
    EXPECT_NE(line.find(" 0 created now"), std::string::npos) << line;
    count_columns.insert(line.find(" read,"));
  }
  EXPECT_EQ(count_columns.size(), 1u) << rerun;
  ExpectSameAsSource((*target)->url());
}

TEST_P(ImportTest, AnImportKilledMidwayResumesWithoutDuplicates) {
  auto target = Database::Create(GetParam(), dir_->path());
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  // Killed among the leads (the second of their pages committed, loss reasons and stage
  // descriptions done), then again among the customers (the first of their pages committed).
  KillImportAt((*target)->url(), " leads: 20", dir_->path() + "/killed.log");
  if (HasFatalFailure()) return;
  KillImportAt((*target)->url(), " customers: 10", dir_->path() + "/killed-again.log");
  if (HasFatalFailure()) return;

  // Run again: it continues, and the result is the source's, nothing twice.
  const std::string log = dir_->path() + "/resumed.log";
  ASSERT_EQ(Gatehouse("", ImportArgs((*target)->url(), "--rate 1000"), log), 0) << ReadFile(log);
  const std::string output = ReadFile(log);
  EXPECT_NE(output.find("continuing the earlier import"), std::string::npos) << output;
  ExpectSameAsSource((*target)->url());
}

TEST_P(ImportTest, AnAccountNotImportedFromThisSourceIsRefused) {
  auto target = Database::Create(GetParam(), dir_->path());
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  const std::string log = dir_->path() + "/refused.log";
  ASSERT_EQ(Gatehouse(std::string("GATEHOUSE_ADMIN_PASSWORD=") + kPassword,
                      "init --db '" + (*target)->url() +
                          "' --subdomain dst --name Dst --admin-email a@dst.example",
                      log),
            0)
      << ReadFile(log);
  EXPECT_EQ(Gatehouse("", ImportArgs((*target)->url(), "--rate 1000"), log), 1);
  EXPECT_NE(ReadFile(log).find("exists and was not created by an import"), std::string::npos)
      << ReadFile(log);
  // A bad token: the source's 401, in one line.
  EXPECT_EQ(Gatehouse("",
                      "import --from http://127.0.0.1:" + std::to_string(source_->port()) +
                          " --token nope --db '" + (*target)->url() + "' --subdomain other",
                      log),
            1);
  EXPECT_NE(ReadFile(log).find("the token was refused (401)"), std::string::npos) << ReadFile(log);
}

// Kommo answers the customers of an account that has them switched off with 402: the import
// says so and carries the rest.
TEST_P(ImportTest, ASourceWithCustomersSwitchedOffIsImportedWithoutThem) {
  CustomersOffProxy proxy(source_->port());
  ASSERT_NE(proxy.port(), 0);
  auto target = Database::Create(GetParam(), dir_->path());
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  const std::string log = dir_->path() + "/off.log";
  ASSERT_EQ(Gatehouse("", ImportArgs((*target)->url(), "--rate 1000", proxy.port()), log), 0)
      << ReadFile(log);
  const std::string output = ReadFile(log);
  EXPECT_NE(output.find("customers with their statuses, custom fields, tags, tasks and notes: the "
                        "source does not serve them"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("GET /api/v4/customers/custom_fields answered HTTP 402"), std::string::npos)
      << output;
  EXPECT_NE(output.find("tasks of records that were not imported"), std::string::npos) << output;
  // Read once: the custom fields of customers, the first of their lists; nothing else of theirs.
  EXPECT_EQ(proxy.refused(), 1);
  for (const char* kind : {"leads", "customers", "customer_statuses"}) {
    const std::size_t at = output.find(std::string("  ") + kind + " ");
    ASSERT_NE(at, std::string::npos) << output;
    const std::string line = output.substr(at, output.find('\n', at) - at);
    EXPECT_NE(line.find(kind == std::string("leads") ? " 80 created now" : " 0 created now"),
              std::string::npos)
        << line;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, ImportTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return std::string(EngineName(info.param)); });

}  // namespace
}  // namespace gatehouse::apitest
