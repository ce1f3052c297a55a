// HTTP-level behaviour of the real server that Kommo API v4 clients depend on
// (../../../shared/kommo-api-v4.md §1, §3, §16; API.md "Conventions"): chunked bodies, malformed
// input as problem+json, limits, query-string forms, 204 for empty lists, next links, SIGTERM.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

constexpr int kLeads = 12;

struct World {
  std::vector<std::int64_t> lead_ids;  // ascending
  domain::UserId admin_id = 0;
  std::string token;  // the administrator's personal token
};

SharedServers& Servers() {
  static SharedServers servers;
  return servers;
}
std::map<Engine, World>& Worlds() {
  static std::map<Engine, World> worlds;
  return worlds;
}

base::Status Seed(storage::Store& store, World& world) {
  GH_ASSIGN_OR_RETURN(SeededAccount account, SeedAccount(store, "proto"));
  world.admin_id = account.admin_id;
  return store.Write(account.account.id, [&](storage::AccountWriter& w) -> base::Status {
    for (int i = 0; i < kLeads; ++i) {
      const storage::Lead lead{.name = "Protocol lead " + std::to_string(i),
                               .price = 100 * i,
                               .responsible_user_id = account.admin_id,
                               .created_by = account.admin_id,
                               .created_at = 1'700'000'000 + i,
                               .updated_at = 1'700'000'000 + i};
      GH_ASSIGN_OR_RETURN(storage::Lead stored, w.Create(lead));
      world.lead_ids.push_back(stored.id);
    }
    return base::Status::Ok();
  });
}

// Error answers: exactly application/problem+json, a top-level status equal to the HTTP one.
void ExpectProblem(const Response& r, int status, const std::string& what) {
  EXPECT_EQ(r.status, status) << what << ": " << r.Describe();
  EXPECT_EQ(r.Header("content-type"), "application/problem+json") << what << ": " << r.Describe();
  ASSERT_TRUE(r.is_json && r.body_json.is_object()) << what << ": " << r.Describe();
  EXPECT_TRUE(r.body_json.contains("status") && r.body_json["status"].is_number_integer() &&
              r.body_json["status"].get<int>() == status)
      << what << ": " << r.Describe();
  for (const char* key : {"title", "type", "detail"}) {
    EXPECT_TRUE(r.body_json.contains(key)) << what << ": no " << key << " in " << r.Describe();
  }
}

std::set<std::int64_t> IdSet(const std::vector<std::int64_t>& ids) {
  return std::set<std::int64_t>(ids.begin(), ids.end());
}

class ProtocolTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(GetParam());
    std::string error;
    World& world = Worlds()[GetParam()];
    server_ = Servers().Get(
        GetParam(), [&world](storage::Store& store) { return Seed(store, world); }, &error);
    ASSERT_NE(server_, nullptr) << error;
    world_ = &world;
    if (world.token.empty()) {
      HttpClient client = server_->Client();
      Response login = Login(client, "admin@proto.test");
      ASSERT_EQ(login.status, 200) << login.Describe();
      world.token = CreateToken(client, "protocol");
      ASSERT_FALSE(world.token.empty()) << "POST /api/v4/security/tokens failed";
    }
  }

  void TearDown() override {
    if (server_ == nullptr) return;
    // Whatever the test sent, the server still answers.
    HttpClient probe = server_->Client();
    Response health = probe.Get("/healthz");
    EXPECT_EQ(health.status, 200) << "server unhealthy after the test: " << health.Describe()
                                  << "\n"
                                  << server_->process().LogTail();
  }

  static void TearDownTestSuite() {
    for (const std::string& failure : Servers().StopAll()) ADD_FAILURE() << failure;
    Worlds().clear();
  }

  HttpClient Admin() {
    HttpClient client = server_->Client();
    client.SetBearer(world_->token);
    return client;
  }

  TestServer* server_ = nullptr;
  World* world_ = nullptr;
};

TEST_P(ProtocolTest, ChunkedRequestBodyIsRead) {
  HttpClient client = Admin();
  const std::string body = R"([{"name":"Chunked lead of the protocol suite","price":4321}])";
  Response r = client.Send("POST", "/api/v4/leads", body, {{"Content-Type", "application/json"}},
                           /*chunk_size=*/7);
  ASSERT_EQ(r.status, 200) << r.Describe();
  ASSERT_TRUE(r.is_json) << r.Describe();
  const json& leads = r.body_json["_embedded"]["leads"];
  ASSERT_TRUE(leads.is_array() && leads.size() == 1) << r.Describe();
  const std::int64_t id = leads[0]["id"].get<std::int64_t>();
  Response get = client.Get("/api/v4/leads/" + std::to_string(id));
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.body_json["name"], "Chunked lead of the protocol suite");
  EXPECT_EQ(get.body_json["price"], 4321);
}

TEST_P(ProtocolTest, MalformedJsonIsProblem400) {
  HttpClient client = Admin();
  for (const std::string body : {R"([{"name":)", "{{", "[1,2", "not json", "\"\xff\xfe\""}) {
    Response r = client.Send("POST", "/api/v4/leads", body, {{"Content-Type", "application/json"}});
    ExpectProblem(r, 400, "POST /api/v4/leads " + body);
    EXPECT_TRUE(r.body_json.contains("validation-errors") ||
                (r.body_json.contains("detail") && r.body_json["detail"].is_string() &&
                 !r.body_json["detail"].get<std::string>().empty()))
        << r.Describe();
  }
}

TEST_P(ProtocolTest, WrongTypesAreValidationErrors) {
  HttpClient client = Admin();
  struct Case {
    std::string target;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"/api/v4/leads", R"([{"name":"x","price":"a lot"}])"},
      {"/api/v4/leads", R"([{"name":17}])"},
      {"/api/v4/leads", R"([{"name":"x","responsible_user_id":"me"}])"},
      {"/api/v4/contacts", R"([{"name":["a"]}])"},
  };
  for (const Case& c : cases) {
    Response r = client.Send("POST", c.target, c.body, {{"Content-Type", "application/json"}});
    ExpectProblem(r, 400, "POST " + c.target + " " + c.body);
    ASSERT_TRUE(r.body_json.contains("validation-errors")) << r.Describe();
    const json& ve = r.body_json["validation-errors"];
    ASSERT_TRUE(ve.is_array() && !ve.empty()) << r.Describe();
    EXPECT_TRUE(ve[0].contains("request_id")) << r.Describe();
    ASSERT_TRUE(ve[0]["errors"].is_array() && !ve[0]["errors"].empty()) << r.Describe();
    for (const char* key : {"code", "path", "detail"}) {
      EXPECT_TRUE(ve[0]["errors"][0].contains(key)) << key << " missing: " << r.Describe();
    }
  }
  // A body that is an object where the collection takes an array (or the reverse on /{id}).
  Response r = client.Send("PATCH", "/api/v4/leads/" + std::to_string(world_->lead_ids[0]),
                           R"([{"name":"x"}])", {{"Content-Type", "application/json"}});
  ExpectProblem(r, 400, "PATCH /api/v4/leads/{id} with an array");
}

TEST_P(ProtocolTest, HugeBodyIs413) {
  HttpClient client = Admin();
  std::string body = R"([{"name":")" + std::string(3u << 20, 'x') + R"("}])";
  Response r = client.Send("POST", "/api/v4/leads", body, {{"Content-Type", "application/json"}});
  ExpectProblem(r, 413, "POST of a 3 MiB body");
  // Chunked: the limit applies to the decoded body too.
  HttpClient chunked = Admin();
  Response c =
      chunked.Send("POST", "/api/v4/leads", body, {{"Content-Type", "application/json"}}, 64 << 10);
  ExpectProblem(c, 413, "chunked POST of a 3 MiB body");
}

TEST_P(ProtocolTest, MalformedPercentEncodingIs400) {
  HttpClient client = Admin();
  for (const std::string target :
       {"/api/v4/leads?filter%ZZid%5D=1", "/api/v4/leads?filter[name]=%E", "/api/v4/leads?x=%g1",
        "/api/v4/leads?limit=%"}) {
    Response r = client.Get(target);
    ExpectProblem(r, 400, "GET " + target);
  }
}

// What a resource does not take is refused by name on every resource, not ignored: an ignored
// filter[id] would answer with everyone. Empty filter values, repeated scalars and NUL bytes
// are refused in the one query parser every endpoint shares.
TEST_P(ProtocolTest, UnknownParametersEmptyFiltersRepeatsAndNulAre400ByName) {
  HttpClient client = Admin();
  const std::string lead = std::to_string(world_->lead_ids.front());
  const std::string pipelines = "/api/v4/leads/pipelines";
  Response listed = client.Get(pipelines);
  ASSERT_EQ(listed.status, 200) << listed.Describe();
  const std::string pipeline =
      std::to_string(listed.body_json["_embedded"]["pipelines"][0]["id"].get<std::int64_t>());
  const std::string user = std::to_string(world_->admin_id);
  struct Case {
    std::string target;
    std::string path;
  };
  for (const Case& c : std::vector<Case>{
           {"/api/v4/users?filter[id]=99", "filter[id]"},
           {"/api/v4/users?foo=1", "foo"},
           {"/api/v4/users?with=role,nonsense", "with"},
           {"/api/v4/users/" + user + "?page=2", "page"},
           {"/api/v4/roles?filter[name]=x", "filter[name]"},
           {"/api/v4/roles?with=everyone", "with"},
           {"/api/v4/users_groups?filter[id]=1", "filter[id]"},
           {pipelines + "?filter[id]=1", "filter[id]"},
           {pipelines + "/" + pipeline + "?with=x", "with"},
           {pipelines + "/" + pipeline + "/statuses?filter[id]=1", "filter[id]"},
           {"/api/v4/account?with=users_groups,secrets", "with"},
           {"/api/v4/account?page=1", "page"},
           {"/api/v4/security/report?filter[severity]=high", "filter[severity]"},
           {"/api/v4/leads?filter[id]=", "filter[id]"},
           {"/api/v4/leads?filter[id][]=", "filter[id][]"},
           {"/api/v4/leads?filter[id]=,", "filter[id]"},
           {"/api/v4/contacts?filter[name]=", "filter[name]"},
           {"/api/v4/events?filter[entity_id][]=", "filter[entity_id][]"},
           {"/api/v4/security/sessions?filter[user_id]=", "filter[user_id]"},
           {"/api/v4/leads?limit=1&limit=250", "limit"},
           {"/api/v4/users?page=1&page=2", "page"},
           {"/api/v4/leads?query=a%00b", "query"},
           {"/api/v4/leads/" + lead + "?with=contacts&with=contacts", "with"},
       }) {
    Response r = client.Get(c.target);
    ExpectProblem(r, 400, "GET " + c.target);
    ASSERT_TRUE(r.body_json.contains("validation-errors")) << c.target << ": " << r.Describe();
    EXPECT_EQ(r.body_json["validation-errors"][0]["errors"][0]["path"], c.path)
        << c.target << ": " << r.Describe();
  }
  // What they do take still works.
  for (const std::string target :
       {"/api/v4/users?with=role,group&page=1&limit=10", "/api/v4/roles?with=users",
        "/api/v4/account?with=users_groups,task_types", "/api/v4/users_groups?limit=5",
        "/api/v4/security/report"}) {
    Response r = client.Get(target);
    EXPECT_TRUE(r.status == 200 || r.status == 204) << target << ": " << r.Describe();
  }
}

TEST_P(ProtocolTest, UnknownPathIs404AndUnknownMethodIs405) {
  HttpClient client = Admin();
  ExpectProblem(client.Get("/api/v4/no-such-resource"), 404, "GET unknown path");
  ExpectProblem(client.Get("/no/such/page.json"), 404, "GET unknown path outside the API");
  ExpectProblem(client.Get("/api/v4/leads/999999999"), 404, "GET missing lead");
  Response put = client.Send("PUT", "/api/v4/leads", "[]", {{"Content-Type", "application/json"}});
  ExpectProblem(put, 405, "PUT /api/v4/leads");
  EXPECT_TRUE(put.HasHeader("allow")) << "405 without Allow (RFC 9110 15.5.6): " << put.Describe();
  ExpectProblem(client.Send("DELETE", "/api/v4/account"), 405, "DELETE /api/v4/account");
}

TEST_P(ProtocolTest, UnauthenticatedIsProblem401) {
  HttpClient anonymous = server_->Client();
  ExpectProblem(anonymous.Get("/api/v4/leads"), 401, "GET /api/v4/leads without credentials");
  HttpClient forged = server_->Client();
  forged.SetBearer("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl");
  ExpectProblem(forged.Get("/api/v4/leads"), 401, "GET /api/v4/leads with a forged token");
}

TEST_P(ProtocolTest, GetWithJsonContentTypeAndNoAcceptWorks) {
  HttpClient client = Admin();
  Response r = client.Get("/api/v4/account", {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("content-type").rfind("application/hal+json", 0), 0u) << r.Describe();
  EXPECT_FALSE(r.body_json.contains("status")) << "success body with a top-level status";
  Response list = client.Get("/api/v4/leads?limit=3", {{"Content-Type", "application/json"}});
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_EQ(list.Header("content-type").rfind("application/hal+json", 0), 0u);
  EXPECT_FALSE(list.body_json.contains("status"));
}

TEST_P(ProtocolTest, KeepAliveServesManyRequestsOnOneConnection) {
  HttpClient client = Admin();
  for (int i = 0; i < 20; ++i) {
    Response r = client.Get("/api/v4/leads?limit=2");
    ASSERT_EQ(r.status, 200) << r.Describe();
  }
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_P(ProtocolTest, RawAndPercentEncodedBracketsAreEquivalent) {
  HttpClient client = Admin();
  const std::string a = std::to_string(world_->lead_ids[1]);
  const std::string b = std::to_string(world_->lead_ids[4]);
  const std::set<std::int64_t> want = {world_->lead_ids[1], world_->lead_ids[4]};
  const std::vector<std::string> forms = {
      "/api/v4/leads?filter[id][0]=" + a + "&filter[id][1]=" + b,
      "/api/v4/leads?filter%5Bid%5D%5B0%5D=" + a + "&filter%5Bid%5D%5B1%5D=" + b,
      "/api/v4/leads?filter%5bid%5d%5b0%5d=" + a + "&filter%5bid%5d%5b1%5d=" + b,
      "/api/v4/leads?filter[id][]=" + a + "&filter[id][]=" + b,
      "/api/v4/leads?filter%5Bid%5D%5B%5D=" + a + "&filter%5Bid%5D%5B%5D=" + b,
      "/api/v4/leads?filter[id]=" + a + "," + b,
      "/api/v4/leads?filter[id]=" + a + "%2C" + b,
  };
  for (const std::string& target : forms) {
    std::string error;
    std::vector<std::int64_t> ids = CollectIds(client, target, "leads", 5, &error);
    EXPECT_EQ(error, "") << target;
    EXPECT_EQ(IdSet(ids), want) << target;
    EXPECT_EQ(ids.size(), want.size()) << target;
  }
  // A single value in each form.
  for (const std::string& target :
       {"/api/v4/leads?filter[id]=" + a, "/api/v4/leads?filter%5Bid%5D=" + a,
        "/api/v4/leads?filter[id][]=" + a, "/api/v4/leads?filter[id][0]=" + a}) {
    std::string error;
    std::vector<std::int64_t> ids = CollectIds(client, target, "leads", 5, &error);
    EXPECT_EQ(error, "") << target;
    EXPECT_EQ(ids, std::vector<std::int64_t>{world_->lead_ids[1]}) << target;
  }
}

TEST_P(ProtocolTest, EmptyListIs204WithNoBody) {
  HttpClient client = Admin();
  for (const std::string target :
       {"/api/v4/leads?filter[id]=987654321", "/api/v4/leads?page=1000&limit=250",
        "/api/v4/leads?filter%5Bid%5D%5B%5D=987654321"}) {
    Response r = client.Get(target);
    EXPECT_EQ(r.status, 204) << target << ": " << r.Describe();
    EXPECT_TRUE(r.body.empty()) << target << ": " << r.Describe();
    EXPECT_EQ(r.Header("content-length"), r.HasHeader("content-length") ? "0" : "") << target;
  }
  // The connection is still usable after a 204 (no stray body bytes).
  Response after = client.Get("/api/v4/leads?limit=1");
  EXPECT_EQ(after.status, 200) << after.Describe();
}

TEST_P(ProtocolTest, NextLinkCarriesLimitAndFilters) {
  HttpClient client = Admin();
  const std::string filter = "filter[responsible_user_id]=" + std::to_string(world_->admin_id);
  Response first = client.Get("/api/v4/leads?limit=5&" + filter);
  ASSERT_EQ(first.status, 200) << first.Describe();
  EXPECT_EQ(first.body_json["_page"], 1) << first.Describe();
  const json& links = first.body_json["_links"];
  for (const char* rel : {"self", "next", "first"}) {
    ASSERT_TRUE(links.contains(rel) && links[rel]["href"].is_string()) << first.Describe();
  }
  const std::string next = links["next"]["href"].get<std::string>();
  EXPECT_NE(next.find("limit=5"), std::string::npos) << next;
  EXPECT_TRUE(next.find("filter[responsible_user_id]") != std::string::npos ||
              next.find("filter%5Bresponsible_user_id%5D") != std::string::npos ||
              next.find("filter%5bresponsible_user_id%5d") != std::string::npos)
      << next;
  EXPECT_NE(next.find("page=2"), std::string::npos) << next;
  Response second = client.Get(PathOfHref(next));
  ASSERT_EQ(second.status, 200) << second.Describe();
  EXPECT_EQ(second.body_json["_page"], 2);
  EXPECT_EQ(second.body_json["_embedded"]["leads"].size(), 5u);
  EXPECT_TRUE(second.body_json["_links"].contains("prev")) << second.Describe();

  // Following next links from the start visits every lead exactly once, 5 per page.
  std::string error;
  std::vector<std::int64_t> ids =
      CollectIds(client, "/api/v4/leads?limit=5&" + filter, "leads", 20, &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(ids.size(), IdSet(ids).size()) << "a lead listed twice";
  for (std::int64_t id : world_->lead_ids) EXPECT_TRUE(IdSet(ids).count(id)) << id;

  // The filter really travels: one id per page, two pages, then no next link.
  const std::string two =
      "/api/v4/leads?limit=1&filter[id][]=" + std::to_string(world_->lead_ids[2]) +
      "&filter[id][]=" + std::to_string(world_->lead_ids[3]);
  ids = CollectIds(client, two, "leads", 5, &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(IdSet(ids), (std::set<std::int64_t>{world_->lead_ids[2], world_->lead_ids[3]}));
  EXPECT_EQ(ids.size(), 2u);
}

TEST_P(ProtocolTest, BatchWritesNumberRequestIdsAndUseUnixSeconds) {
  HttpClient client = Admin();
  const std::int64_t before = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  Response r = client.SendJson("POST", "/api/v4/leads",
                               json::array({{{"name", "Batch a"}},
                                            {{"name", "Batch b"}},
                                            {{"name", "Batch c"}, {"request_id", "mine"}}}));
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_FALSE(r.body_json.contains("status"));
  const json& leads = r.body_json["_embedded"]["leads"];
  ASSERT_TRUE(leads.is_array() && leads.size() == 3) << r.Describe();
  EXPECT_EQ(leads[0].value("request_id", std::string()), "0") << r.Describe();
  EXPECT_EQ(leads[1].value("request_id", std::string()), "1") << r.Describe();
  EXPECT_EQ(leads[2].value("request_id", std::string()), "mine") << r.Describe();
  for (const json& lead : leads) {
    EXPECT_TRUE(lead.contains("_links") && lead["_links"].contains("self")) << lead.dump();
  }
  Response get = client.Get("/api/v4/leads/" + std::to_string(leads[0].value("id", 0)));
  ASSERT_EQ(get.status, 200) << get.Describe();
  for (const char* field : {"created_at", "updated_at"}) {
    ASSERT_TRUE(get.body_json[field].is_number_integer()) << field << ": " << get.Describe();
    const std::int64_t t = get.body_json[field].get<std::int64_t>();
    EXPECT_GE(t, before - 5) << field << " is not unix seconds";
    EXPECT_LE(t, before + 600) << field << " is not unix seconds";
  }
}

TEST_P(ProtocolTest, PatchIgnoresReadOnlyFieldsAndEmptyEmbeddedArrays) {
  HttpClient client = Admin();
  Response contact =
      client.SendJson("POST", "/api/v4/contacts", json::array({{{"name", "Linked contact"}}}));
  ASSERT_EQ(contact.status, 200) << contact.Describe();
  const std::int64_t contact_id = contact.body_json["_embedded"]["contacts"][0].value("id", 0);
  Response lead = client.SendJson(
      "POST", "/api/v4/leads",
      json::array({{{"name", "Lead with a contact"},
                    {"_embedded", {{"contacts", json::array({{{"id", contact_id}}})}}}}}));
  ASSERT_EQ(lead.status, 200) << lead.Describe();
  const std::int64_t lead_id = lead.body_json["_embedded"]["leads"][0].value("id", 0);
  const std::string path = "/api/v4/leads/" + std::to_string(lead_id);
  Response full = client.Get(path + "?with=contacts");
  ASSERT_EQ(full.status, 200) << full.Describe();
  ASSERT_EQ(full.body_json["_embedded"]["contacts"].size(), 1u) << full.Describe();
  EXPECT_TRUE(full.body_json["_embedded"]["contacts"][0].contains("is_main")) << full.Describe();

  // What a client read back, edited and sent again: read-only fields, empty embedded arrays.
  json body = full.body_json;
  body["name"] = "Renamed with read-only fields";
  body["_embedded"] = {
      {"tags", json::array()}, {"contacts", json::array()}, {"companies", json::array()}};
  Response patch = client.SendJson("PATCH", path, body);
  ASSERT_EQ(patch.status, 200) << patch.Describe();
  EXPECT_EQ(patch.body_json.value("id", std::int64_t{0}), lead_id) << patch.Describe();
  EXPECT_TRUE(patch.body_json.contains("updated_at")) << patch.Describe();
  Response after = client.Get(path + "?with=contacts");
  ASSERT_EQ(after.status, 200) << after.Describe();
  EXPECT_EQ(after.body_json["name"], "Renamed with read-only fields");
  EXPECT_EQ(after.body_json["_embedded"]["contacts"].size(), 1u)
      << "an empty _embedded.contacts unlinked the contact: " << after.Describe();
}

TEST_P(ProtocolTest, TasksAcceptTopLevelEntityType) {
  HttpClient client = Admin();
  const std::int64_t lead = world_->lead_ids[5];
  Response post = client.SendJson("POST", "/api/v4/tasks",
                                  json::array({{{"text", "Call back"},
                                                {"complete_till", 1'900'000'000},
                                                {"entity_type", "leads"},
                                                {"entity_id", lead}}}));
  ASSERT_EQ(post.status, 200) << post.Describe();
  const std::int64_t task = post.body_json["_embedded"]["tasks"][0].value("id", 0);
  for (const std::string& target :
       {"/api/v4/tasks?entity_type=leads&filter[entity_id]=" + std::to_string(lead),
        "/api/v4/tasks?filter[entity_type]=leads&filter[entity_id][]=" + std::to_string(lead)}) {
    std::string error;
    std::vector<std::int64_t> ids = CollectIds(client, target, "tasks", 5, &error);
    EXPECT_EQ(error, "") << target;
    EXPECT_EQ(ids, std::vector<std::int64_t>{task}) << target;
  }
}

TEST_P(ProtocolTest, LimitAbove250IsNotHonoured) {
  HttpClient client = Admin();
  Response r = client.Get("/api/v4/leads?limit=1000");
  // Either refused as invalid or capped at 250; never more than 250 items.
  if (r.status == 400) {
    ExpectProblem(r, 400, "limit=1000");
  } else {
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_LE(r.body_json["_embedded"]["leads"].size(), 250u);
  }
}

TEST_P(ProtocolTest, BrokenRequestLineIs400AndServerSurvives) {
  HttpClient client = server_->Client();
  Response r = client.Raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(r.status, 400) << r.Describe();
  Response bad_chunk = client.Raw(
      "POST /api/v4/leads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  EXPECT_EQ(bad_chunk.status, 400) << bad_chunk.Describe();
  Response healthy = client.Raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(healthy.status, 200) << healthy.Describe();
}

// A server of its own: SIGTERM with an idle kept-alive client ends it with exit code 0.
TEST_P(ProtocolTest, SigtermExitsZero) {
  std::string error;
  base::Result<std::unique_ptr<TestServer>> own = TestServer::Create(
      GetParam(), [](storage::Store& store) { return SeedAccount(store, "sigterm").status(); });
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  HttpClient client = (*own)->Client();
  ASSERT_EQ(client.Get("/healthz").status, 200);
  EXPECT_EQ((*own)->Stop(), 0) << (*own)->process().LogTail();
  EXPECT_FALSE((*own)->process().Running());
}

INSTANTIATE_TEST_SUITE_P(Engines, ProtocolTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& info) {
                           return std::string(EngineName(info.param));
                         });

}  // namespace
}  // namespace gatehouse::apitest
