// `gatehouse import` end to end (issue 16, SPEC §6): a demo workspace served by one Gatehouse
// server (which speaks Kommo's API v4) is imported over loopback HTTP into a fresh database of
// each engine, a second server serves the result, and every user's view is compared: the users
// with their flags, group, role and rights, and for every user who can act, the leads,
// contacts, companies and tasks they see through the API (view-as, X-Context-User-ID) before
// and after. Also: an import killed midway (SIGKILL) and run again ends with the same account
// and nothing twice; a rerun of a finished import creates nothing; a foreign account is refused.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

constexpr char kNewPassword[] = "Imported-Harbor-Lantern-93";

// Runs the binary through the shell with `env` assignments; stdout and stderr into `log`.
int Gatehouse(const std::string& env, const std::string& args, const std::string& log) {
  const std::string command =
      env + " " + GATEHOUSE_BINARY + " " + args + " >" + log + " 2>&1 </dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every item of a list, following _links.next.
std::vector<json> All(HttpClient& client, const std::string& target, const std::string& plural,
                      const Headers& headers = {}) {
  std::vector<json> out;
  std::string next = target;
  for (int pages = 0; !next.empty() && pages < 200; ++pages) {
    Response r = client.Get(next, headers);
    if (r.status == 204) break;
    EXPECT_EQ(r.status, 200) << target << " " << r.Describe();
    if (r.status != 200) break;
    for (const json& item : r.body_json["_embedded"][plural]) out.push_back(item);
    next = r.body_json["_links"].contains("next")
               ? PathOfHref(r.body_json["_links"]["next"]["href"].get<std::string>())
               : "";
  }
  return out;
}

// One side (source or target) as the comparison reads it: names instead of ids.
struct Side {
  HttpClient client;
  std::map<std::int64_t, std::string> user_email;  // id -> email
  std::map<std::string, std::int64_t> user_id;     // email -> id
  std::map<std::int64_t, std::string> group_name;
  std::map<std::int64_t, std::string> role_name;
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> stage_name;  // "Pipeline/Stage"
  std::map<std::int64_t, std::string> pipeline_name;
  std::map<std::string, std::string> stage_color;  // "Pipeline/Stage" -> its color
  std::vector<json> users;

  explicit Side(std::uint16_t port) : client(port) {}

  void Load() {
    const Response account = client.Get("/api/v4/account?with=users_groups");
    for (const json& group : account.body_json["_embedded"]["users_groups"]) {
      group_name[group["id"].get<std::int64_t>()] = group["name"].get<std::string>();
    }
    for (const json& role : All(client, "/api/v4/roles", "roles")) {
      role_name[role["id"].get<std::int64_t>()] = role["name"].get<std::string>();
    }
    for (const json& pipeline : All(client, "/api/v4/leads/pipelines", "pipelines")) {
      pipeline_name[pipeline["id"].get<std::int64_t>()] = pipeline["name"].get<std::string>();
      for (const json& status : pipeline["_embedded"]["statuses"]) {
        const std::string name =
            pipeline["name"].get<std::string>() + "/" + status["name"].get<std::string>();
        stage_name[{pipeline["id"].get<std::int64_t>(), status["id"].get<std::int64_t>()}] = name;
        stage_color[name] = status.value("color", "");
      }
    }
    users = All(client, "/api/v4/users?with=role,group", "users");
    for (const json& user : users) {
      user_email[user["id"].get<std::int64_t>()] = user["email"].get<std::string>();
      user_id[user["email"].get<std::string>()] = user["id"].get<std::int64_t>();
    }
  }

  std::string Email(const json& id) const {
    if (!id.is_number_integer() || id.get<std::int64_t>() == 0) return "-";
    auto it = user_email.find(id.get<std::int64_t>());
    return it == user_email.end() ? "?" + id.dump() : it->second;
  }

  std::string Stage(const json& pipeline_id, const json& status_id) const {
    auto it = stage_name.find({pipeline_id.get<std::int64_t>(), status_id.get<std::int64_t>()});
    return it == stage_name.end() ? "?" : it->second;
  }

  // custom_fields_values by field name (ids differ between the two sides).
  static std::string FieldValues(const json& record) {
    std::set<std::string> entries;
    if (record["custom_fields_values"].is_array()) {
      for (const json& entry : record["custom_fields_values"]) {
        std::string values;
        for (const json& value : entry["values"]) values += value["value"].dump() + ",";
        entries.insert(entry["field_name"].get<std::string>() + "=" + values);
      }
    }
    std::string out;
    for (const std::string& entry : entries) out += entry + ";";
    return out;
  }

  static std::string TagNames(const json& record) {
    std::set<std::string> names;
    for (const json& tag : record["_embedded"]["tags"])
      names.insert(tag["name"].get<std::string>());
    std::string out;
    for (const std::string& name : names) out += name + ",";
    return out;
  }

  // A user's flags and rights with every id made a name.
  json UserView(const json& user) const {
    json rights = user["rights"];
    json out = {{"name", user["name"]}, {"email", user["email"]}};
    for (const char* flag : {"is_admin", "is_free", "is_active"}) out[flag] = rights[flag];
    out["group"] =
        rights["group_id"].is_null() ? "" : group_name.at(rights["group_id"].get<std::int64_t>());
    out["role"] =
        rights["role_id"].is_null() ? "" : role_name.at(rights["role_id"].get<std::int64_t>());
    std::set<std::string> stage_rights;
    if (rights["status_rights"].is_array()) {
      for (const json& entry : rights["status_rights"]) {
        stage_rights.insert(Stage(entry["pipeline_id"], entry["status_id"]) + " " +
                            entry["rights"].dump());
      }
    }
    out["stage_rights"] = stage_rights;
    for (const char* key :
         {"status_rights", "is_admin", "is_free", "is_active", "group_id", "role_id"}) {
      rights.erase(key);
    }
    out["rights"] = rights;
    return out;
  }

  // What user `email` sees, as sorted lines.
  std::map<std::string, std::vector<std::string>> Visible(const std::string& email) {
    const Headers as = {{"X-Context-User-ID", std::to_string(user_id.at(email))}};
    std::map<std::string, std::vector<std::string>> out;
    for (const json& lead : All(client, "/api/v4/leads?limit=250&with=contacts", "leads", as)) {
      out["leads"].push_back(
          lead["name"].get<std::string>() + "|" + lead["price"].dump() + "|" +
          Stage(lead["pipeline_id"], lead["status_id"]) + "|" + Email(lead["responsible_user_id"]) +
          "|" + std::to_string(lead["_embedded"]["contacts"].size()) + "|" +
          std::to_string(lead["_embedded"]["companies"].size()) + "|" + lead["created_at"].dump() +
          "|" + TagNames(lead) + "|" + FieldValues(lead));
    }
    for (const char* kind : {"contacts", "companies"}) {
      for (const json& record :
           All(client, std::string("/api/v4/") + kind + "?limit=250", kind, as)) {
        out[kind].push_back(record["name"].get<std::string>() + "|" +
                            Email(record["responsible_user_id"]) + "|" + TagNames(record) + "|" +
                            record["updated_at"].dump());
      }
    }
    for (const json& task : All(client, "/api/v4/tasks?limit=250", "tasks", as)) {
      out["tasks"].push_back(task["text"].get<std::string>() + "|" + task["entity_type"].dump() +
                             "|" + task["complete_till"].dump() + "|" +
                             task["is_completed"].dump() + "|" +
                             Email(task["responsible_user_id"]));
    }
    for (const json& note : All(client, "/api/v4/leads/notes?limit=250", "notes", as)) {
      out["notes"].push_back(note["note_type"].get<std::string>() + "|" + note["params"].dump() +
                             "|" + Email(note["responsible_user_id"]));
    }
    for (auto& [kind, lines] : out) std::sort(lines.begin(), lines.end());
    return out;
  }
};

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
  }

  // What the demo lacks: custom fields with values and a field right, tags, notes.
  void AddFieldsTagsAndNotes() {
    HttpClient api(source_->port());
    api.SetBearer(token_);
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
    // Sales reps may not see the budget.
    for (const json& role : All(api, "/api/v4/roles", "roles")) {
      if (role["name"] != "Sales rep") continue;
      json rights = {{"custom_fields_rights",
                      {{"leads", {{budget["id"].dump(), {{"view", "D"}, {"edit", "D"}}}}}}}};
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

  std::string ImportArgs(const std::string& target_db, const std::string& extra = "") const {
    return "import --from http://127.0.0.1:" + std::to_string(source_->port()) + " --token " +
           token_ + " --db '" + target_db + "' --subdomain dst " + extra;
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

    // Every stage keeps its colour (Kommo's `color`, carried by the import).
    EXPECT_EQ(before.stage_color, after.stage_color);
    ASSERT_EQ(before.users.size(), after.users.size());
    std::map<std::string, json> after_users;
    for (const json& user : after.users) after_users[user["email"]] = after.UserView(user);
    int compared = 0;
    for (const json& user : before.users) {
      const std::string email = user["email"];
      ASSERT_TRUE(after_users.count(email)) << email;
      EXPECT_EQ(before.UserView(user), after_users[email]) << email;
      const json& rights = user["rights"];
      if (!rights["is_active"].get<bool>() || rights["is_free"].get<bool>()) continue;
      auto seen_before = before.Visible(email);
      auto seen_after = after.Visible(email);
      EXPECT_EQ(seen_before, seen_after) << "what " << email << " sees";
      ++compared;
    }
    EXPECT_GT(compared, 20);
    // The source is not trivial: somebody sees only part of the leads.
    auto everything = before.Visible(admin);
    bool partial = false;
    for (const json& user : before.users) {
      const json& rights = user["rights"];
      if (!rights["is_active"].get<bool>() || rights["is_free"].get<bool>()) continue;
      partial =
          partial || before.Visible(user["email"])["leads"].size() < everything["leads"].size();
    }
    EXPECT_TRUE(partial);
    EXPECT_EQ(everything["leads"].size(), 80u);
    (*target)->Stop();
  }

  std::unique_ptr<TempDir> dir_;
  std::string source_db_;
  std::unique_ptr<ServerProcess> source_;
  std::string token_;
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
  for (const char* kind : {"users", "leads", "contacts", "companies", "tasks"}) {
    const std::size_t at = rerun.find(std::string("  ") + kind + " ");
    ASSERT_NE(at, std::string::npos) << rerun;
    const std::string line = rerun.substr(at, rerun.find('\n', at) - at);
    EXPECT_NE(line.find(" 0 created now"), std::string::npos) << line;
  }
  ExpectSameAsSource((*target)->url());
}

TEST_P(ImportTest, AnImportKilledMidwayResumesWithoutDuplicates) {
  auto target = Database::Create(GetParam(), dir_->path());
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  const std::string log = dir_->path() + "/killed.log";
  // Small pages at 10 requests per second: the leads take several pages, and the run is
  // killed in the middle of them.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string command = std::string("exec ") + GATEHOUSE_BINARY + " " +
                                ImportArgs((*target)->url(), "--rate 10 --page-limit 10") + " >" +
                                log + " 2>&1 </dev/null";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  bool in_leads = false;
  for (int i = 0; i < 3000 && !in_leads; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const std::string progress = ReadFile(log);
    // The second page of leads is committed: the kill lands with some leads imported.
    in_leads = progress.find(" leads: 20") != std::string::npos;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(in_leads) << ReadFile(log);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the import ended before it was killed: " << ReadFile(log);

  // Run again: it continues, and the result is the source's, nothing twice.
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

INSTANTIATE_TEST_SUITE_P(Engines, ImportTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return std::string(EngineName(info.param)); });

}  // namespace
}  // namespace gatehouse::apitest
