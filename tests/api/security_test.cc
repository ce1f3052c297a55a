// Account security against the real server (API.md "Authentication" and "Our extensions"):
// two-step verification with replay refusal and single-use recovery codes, session expiry,
// X-Forwarded-For from an untrusted peer, the whitelist's lock-out guard, seats, user removal
// without reassignment, login throttling and ending other sessions. Each refusal is checked for
// a clear error and for having changed nothing.
//
// Every test gets its own freshly seeded server: these tests change workspace-wide settings
// (policy, whitelist, throttle state) that would leak into each other on a shared one.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth/totp.h"
#include "policy/rights_validation.h"
#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

constexpr char kChromeWindows[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36";
constexpr char kFirefoxLinux[] =
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0";

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string TypeOf(const Response& r) {
  return r.is_json && r.body_json.is_object() ? r.body_json.value("type", std::string()) : "";
}

struct World {
  domain::AccountId account_id = 0;
  domain::UserId admin_id = 0;
  domain::UserId rep_id = 0;
  domain::RecordId rep_lead = 0;
};

base::Status Seed(storage::Store& store, World& world) {
  GH_ASSIGN_OR_RETURN(SeededAccount account, SeedAccount(store, "sec"));
  world.account_id = account.account.id;
  world.admin_id = account.admin_id;
  return store.Write(account.account.id, [&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(world.rep_id, CreateSeededUser(w, "Rep", "rep@sec.test"));
    const storage::Lead lead{.name = "Rep's lead", .responsible_user_id = world.rep_id};
    GH_ASSIGN_OR_RETURN(storage::Lead created, w.Create(lead));
    world.rep_lead = created.id;
    return base::Status::Ok();
  });
}

class SecurityTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(GetParam());
    auto server =
        TestServer::Create(GetParam(), [this](storage::Store& store) { return Seed(store, w_); });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  void TearDown() override {
    if (server_ == nullptr) return;
    const int code = server_->Stop();
    EXPECT_EQ(code, 0) << "server did not exit cleanly on SIGTERM\n"
                       << server_->process().LogTail();
    server_.reset();
  }

  // A client logged in as the administrator (cookie session with CSRF token).
  HttpClient Admin() {
    HttpClient admin = server_->Client();
    Response r = Login(admin, "admin@sec.test");
    EXPECT_EQ(r.status, 200) << r.Describe();
    return admin;
  }

  std::vector<storage::SessionRow> SessionsOf(domain::UserId user_id) {
    auto rows = server_->store().Reader(w_.account_id).ListSessions(user_id);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<storage::SessionRow>{};
  }

  std::vector<std::int64_t> UserIds(HttpClient& client) {
    std::string error;
    std::vector<std::int64_t> ids =
        CollectIds(client, "/api/v4/users?limit=250", "users", 10, &error);
    EXPECT_TRUE(error.empty()) << error;
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Response LoginWithCode(HttpClient& client, const std::string& email, const std::string& code) {
    Response r = client.SendJson("POST", "/auth/login",
                                 {{"email", email}, {"password", kPassword}, {"code", code}});
    if (r.status == 200 && r.is_json && r.body_json.contains("csrf_token")) {
      client.SetCsrf(r.body_json["csrf_token"].get<std::string>());
    }
    return r;
  }

  World w_;
  std::unique_ptr<TestServer> server_;
};

// 1. Enrol, confirm, and the login answers with and without codes.
TEST_P(SecurityTest, TwoFactorLoginRefusesMissingWrongAndReplayedCodes) {
  HttpClient admin = Admin();
  Response enroll = admin.SendJson("POST", "/api/v4/security/two_factor/enroll", json::object());
  ASSERT_EQ(enroll.status, 200) << enroll.Describe();
  const std::string secret = enroll.body_json.value("secret", std::string());
  ASSERT_FALSE(secret.empty()) << enroll.Describe();
  EXPECT_NE(enroll.body_json.value("otpauth_uri", std::string()).find("otpauth://totp/"),
            std::string::npos);

  auto confirm_code = auth::TotpCode(secret, Now());
  ASSERT_TRUE(confirm_code.ok()) << confirm_code.status().ToString();
  Response confirm =
      admin.SendJson("POST", "/api/v4/security/two_factor/confirm", {{"code", *confirm_code}});
  ASSERT_EQ(confirm.status, 200) << confirm.Describe();
  const json& recovery = confirm.body_json["recovery_codes"];
  ASSERT_TRUE(recovery.is_array()) << confirm.Describe();
  ASSERT_EQ(recovery.size(), 10u) << confirm.Describe();
  Response state = admin.Get("/api/v4/security/two_factor");
  ASSERT_EQ(state.status, 200) << state.Describe();
  EXPECT_EQ(state.body_json.value("enabled", false), true) << state.Describe();
  EXPECT_EQ(state.body_json.value("recovery_codes_left", -1), 10) << state.Describe();

  const std::size_t sessions_before = SessionsOf(w_.admin_id).size();

  // No code: 401 two-factor-required, no session.
  HttpClient other = server_->Client();
  Response missing = Login(other, "admin@sec.test");
  EXPECT_EQ(missing.status, 401) << missing.Describe();
  EXPECT_TRUE(EndsWith(TypeOf(missing), "/two-factor-required")) << missing.Describe();
  EXPECT_EQ(other.Get("/api/v4/account").status, 401);

  // A wrong code (one that no step of the window accepts): 401 two-factor-invalid.
  std::set<std::string> valid;
  for (int step = -2; step <= 2; ++step) {
    valid.insert(*auth::TotpCode(secret, Now() + step * auth::kTotpStepSeconds));
  }
  std::string wrong = "000000";
  for (int n = 0; valid.count(wrong) != 0; ++n) wrong = std::to_string(100000 + n * 7919);
  Response bad = LoginWithCode(other, "admin@sec.test", wrong);
  EXPECT_EQ(bad.status, 401) << bad.Describe();
  EXPECT_TRUE(EndsWith(TypeOf(bad), "/two-factor-invalid")) << bad.Describe();
  EXPECT_EQ(other.Get("/api/v4/account").status, 401);
  EXPECT_EQ(SessionsOf(w_.admin_id).size(), sessions_before);

  // The next step's code (the confirmation used the current one): 200.
  auto code = auth::TotpCode(secret, Now() + auth::kTotpStepSeconds);
  ASSERT_TRUE(code.ok());
  Response good = LoginWithCode(other, "admin@sec.test", *code);
  ASSERT_EQ(good.status, 200) << good.Describe();
  EXPECT_EQ(other.Get("/api/v4/account").status, 200);
  EXPECT_EQ(SessionsOf(w_.admin_id).size(), sessions_before + 1);

  // The same code on a new login: refused (replay), no session.
  HttpClient replay = server_->Client();
  Response replayed = LoginWithCode(replay, "admin@sec.test", *code);
  EXPECT_EQ(replayed.status, 401) << replayed.Describe();
  EXPECT_TRUE(EndsWith(TypeOf(replayed), "/two-factor-invalid")) << replayed.Describe();
  EXPECT_EQ(replay.Get("/api/v4/account").status, 401);
  EXPECT_EQ(SessionsOf(w_.admin_id).size(), sessions_before + 1);

  // A recovery code works once.
  const std::string recovery_code = recovery[0].get<std::string>();
  HttpClient first = server_->Client();
  Response used = LoginWithCode(first, "admin@sec.test", recovery_code);
  ASSERT_EQ(used.status, 200) << used.Describe();
  EXPECT_EQ(first.Get("/api/v4/account").status, 200);
  Response left = first.Get("/api/v4/security/two_factor");
  EXPECT_EQ(left.body_json.value("recovery_codes_left", -1), 9) << left.Describe();
  HttpClient second = server_->Client();
  Response again = LoginWithCode(second, "admin@sec.test", recovery_code);
  EXPECT_EQ(again.status, 401) << again.Describe();
  EXPECT_TRUE(EndsWith(TypeOf(again), "/two-factor-invalid")) << again.Describe();
  EXPECT_EQ(second.Get("/api/v4/account").status, 401);
  EXPECT_EQ(SessionsOf(w_.admin_id).size(), sessions_before + 2);
  Response still = first.Get("/api/v4/security/two_factor");
  EXPECT_EQ(still.body_json.value("recovery_codes_left", -1), 9) << still.Describe();
}

// 2. A session idle for longer than the policy allows is refused and removed.
TEST_P(SecurityTest, IdleSessionExpires) {
  HttpClient admin = Admin();
  Response patched =
      admin.SendJson("PATCH", "/api/v4/security/policy", {{"session_idle_minutes", 60}});
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  EXPECT_EQ(patched.body_json.value("session_idle_minutes", 0), 60) << patched.Describe();

  HttpClient rep = server_->Client();
  ASSERT_EQ(Login(rep, "rep@sec.test").status, 200);
  ASSERT_EQ(rep.Get("/api/v4/account").status, 200);
  std::vector<storage::SessionRow> sessions = SessionsOf(w_.rep_id);
  ASSERT_EQ(sessions.size(), 1u);
  const std::string session_id = sessions[0].id;

  // Two hours idle (the policy allows one). The server counts idleness from the later of
  // created_at and last_seen_at, so the row is rewritten (same id and token hash) as a session
  // created three hours ago and last seen two hours ago.
  storage::SessionRow aged_row = sessions[0];
  aged_row.created_at = Now() - 3 * 3600;
  aged_row.last_seen_at = Now() - 2 * 3600;
  base::Status aged = server_->store().Write(w_.account_id, [&](storage::AccountWriter& w) {
    GH_RETURN_IF_ERROR(w.DeleteSession(session_id));
    return w.CreateSession(aged_row);
  });
  ASSERT_TRUE(aged.ok()) << aged.ToString();
  ASSERT_EQ(SessionsOf(w_.rep_id).size(), 1u);

  Response expired = rep.Get("/api/v4/account");
  EXPECT_EQ(expired.status, 401) << expired.Describe();
  EXPECT_EQ(expired.Header("content-type").find("application/problem+json"), 0u)
      << expired.Describe();
  EXPECT_TRUE(SessionsOf(w_.rep_id).empty());
  EXPECT_EQ(rep.Get("/api/v4/account").status, 401);    // stays ended
  EXPECT_EQ(admin.Get("/api/v4/account").status, 200);  // other sessions untouched
  ASSERT_EQ(Login(rep, "rep@sec.test").status, 200);    // a new login works
  EXPECT_EQ(rep.Get("/api/v4/account").status, 200);
}

// 3. X-Forwarded-For from an untrusted peer is ignored; the lock-out guard.
TEST_P(SecurityTest, ForwardedForFromUntrustedPeerIsIgnoredAndLockOutGuarded) {
  HttpClient admin = Admin();
  Response policy = admin.Get("/api/v4/security/policy");
  ASSERT_EQ(policy.status, 200) << policy.Describe();
  const json& proxies = policy.body_json["trusted_proxies"];
  for (const json& p : proxies) {
    ASSERT_NE(p.get<std::string>().rfind("127.", 0), 0u) << "loopback is a trusted proxy";
  }

  json loopback_only = {{"enabled", true},
                        {"entries", json::array({{{"value", "127.0.0.1/32"}, {"note", "me"}}})}};
  Response put = admin.SendJson("PUT", "/api/v4/security/ip_whitelist", loopback_only);
  ASSERT_EQ(put.status, 200) << put.Describe();
  Response saved = admin.Get("/api/v4/security/ip_whitelist");
  ASSERT_EQ(saved.status, 200) << saved.Describe();
  EXPECT_EQ(saved.body_json.value("enabled", false), true);
  ASSERT_EQ(saved.body_json["entries"].size(), 1u) << saved.Describe();
  const std::string stored = saved.body_json["entries"][0].value("value", std::string());
  EXPECT_TRUE(stored == "127.0.0.1/32" || stored == "127.0.0.1") << stored;  // may be normalised

  // The spoofed header does not move the client outside the whitelist.
  HttpClient spoofed = server_->Client();
  spoofed.SetHeader("X-Forwarded-For", "10.9.9.9");
  Response login = Login(spoofed, "rep@sec.test");
  ASSERT_EQ(login.status, 200) << login.Describe();
  Response account = spoofed.Get("/api/v4/account");
  EXPECT_EQ(account.status, 200) << account.Describe();
  Response mine = spoofed.Get("/api/v4/security/sessions");
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  for (const json& s : mine.body_json["_embedded"]["sessions"]) {
    EXPECT_EQ(s.value("ip", std::string()), "127.0.0.1") << s.dump();
  }

  // A whitelist without 127.0.0.1 would lock the administrator out: refused, naming it, with or
  // without a spoofed header, and nothing saved.
  json lock_out = {{"enabled", true},
                   {"entries", json::array({{{"value", "10.0.0.0/8"}, {"note", "office"}}})}};
  for (bool spoof : {false, true}) {
    Headers headers;
    if (spoof) headers.emplace_back("X-Forwarded-For", "10.9.9.9");
    Response refused = admin.SendJson("PUT", "/api/v4/security/ip_whitelist", lock_out, headers);
    EXPECT_TRUE(refused.status == 400 || refused.status == 422) << refused.Describe();
    EXPECT_NE(refused.body.find("127.0.0.1"), std::string::npos) << refused.Describe();
    Response after = admin.Get("/api/v4/security/ip_whitelist");
    ASSERT_EQ(after.status, 200) << after.Describe();
    EXPECT_EQ(after.body_json, saved.body_json) << after.Describe();
  }
}

// 4. Adding a paid user beyond the seats is refused.
TEST_P(SecurityTest, SeatOverflowIsRefused) {
  HttpClient admin = Admin();
  Response users = admin.Get("/api/v4/users?limit=250");
  ASSERT_EQ(users.status, 200) << users.Describe();
  std::int64_t paid = 0;
  for (const json& u : users.body_json["_embedded"]["users"]) {
    const json& rights = u["rights"];
    if (rights.value("is_active", false) && !rights.value("is_free", true)) ++paid;
  }
  ASSERT_EQ(paid, 2) << users.Describe();  // admin and rep
  Response patched = admin.SendJson("PATCH", "/api/v4/security/policy", {{"seats", paid}});
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  EXPECT_EQ(patched.body_json.value("seats", 0), paid);

  const std::vector<std::int64_t> before = UserIds(admin);
  json user = {{"name", "One Too Many"},
               {"email", "extra@sec.test"},
               {"password", kPassword},
               {"request_id", "extra"}};
  Response refused = admin.SendJson("POST", "/api/v4/users", json::array({user}));
  EXPECT_TRUE(refused.status == 402 || refused.status == 422) << refused.Describe();
  EXPECT_EQ(refused.Header("content-type").find("application/problem+json"), 0u)
      << refused.Describe();
  EXPECT_NE(refused.body.find("seat"), std::string::npos) << refused.Describe();
  EXPECT_EQ(UserIds(admin), before);
  Response policy = admin.Get("/api/v4/security/policy");
  EXPECT_EQ(policy.body_json.value("seats", 0), paid) << policy.Describe();
  HttpClient extra = server_->Client();
  EXPECT_EQ(Login(extra, "extra@sec.test").status, 401);
}

// 5. Removing a user needs reassign_to; with it, the records move and the user is gone.
TEST_P(SecurityTest, RemovingUserNeedsReassignment) {
  HttpClient admin = Admin();
  const std::string rep_path = "/api/v4/users/" + std::to_string(w_.rep_id);
  const std::string lead_path = "/api/v4/leads/" + std::to_string(w_.rep_lead);

  Response refused = admin.Send("DELETE", rep_path);
  EXPECT_EQ(refused.status, 400) << refused.Describe();
  EXPECT_NE(refused.body.find("reassign_to"), std::string::npos) << refused.Describe();
  if (refused.is_json && refused.body_json.contains("validation-errors")) {
    EXPECT_EQ(refused.body_json["validation-errors"][0]["errors"][0].value("path", std::string()),
              "reassign_to")
        << refused.Describe();
  }
  EXPECT_EQ(admin.Get(rep_path).status, 200);
  Response lead = admin.Get(lead_path);
  ASSERT_EQ(lead.status, 200) << lead.Describe();
  EXPECT_EQ(lead.body_json.value("responsible_user_id", std::int64_t{0}), w_.rep_id);
  HttpClient rep = server_->Client();
  EXPECT_EQ(Login(rep, "rep@sec.test").status, 200);

  Response removed = admin.Send("DELETE", rep_path + "?reassign_to=" + std::to_string(w_.admin_id));
  EXPECT_EQ(removed.status, 204) << removed.Describe();
  EXPECT_EQ(admin.Get(rep_path).status, 404);
  Response moved = admin.Get(lead_path);
  ASSERT_EQ(moved.status, 200) << moved.Describe();
  EXPECT_EQ(moved.body_json.value("responsible_user_id", std::int64_t{0}), w_.admin_id);
  EXPECT_EQ(rep.Get("/api/v4/account").status, 401);  // the removed user's session ended
}

// 6. Repeated wrong passwords lock the email out, with the same answers for an unknown one.
TEST_P(SecurityTest, LoginThrottlingLocksOutWithRetryAfter) {
  HttpClient admin = Admin();
  Response patched = admin.SendJson("PATCH", "/api/v4/security/policy", {{"lockout_threshold", 3}});
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  Response policy = admin.Get("/api/v4/security/policy");
  ASSERT_EQ(policy.status, 200) << policy.Describe();
  const int threshold = policy.body_json.value("lockout_threshold", 0);
  ASSERT_EQ(threshold, 3) << policy.Describe();

  struct Attempt {
    int status;
    std::string type;
    bool retry_after;
  };
  // Wrong passwords until the first 429 (bounded); returns every answer.
  auto hammer = [&](const std::string& email) {
    std::vector<Attempt> out;
    HttpClient client = server_->Client();
    for (int i = 0; i < threshold + 3; ++i) {
      Response r = Login(client, email, "Wrong-Password-0000");
      out.push_back({r.status, TypeOf(r), r.HasHeader("retry-after")});
      if (r.status == 429) {
        const std::string retry = r.Header("retry-after");
        EXPECT_FALSE(retry.empty()) << r.Describe();
        EXPECT_GT(std::atoll(retry.c_str()), 0) << r.Describe();
        EXPECT_EQ(r.Header("content-type").find("application/problem+json"), 0u) << r.Describe();
        break;
      }
      EXPECT_EQ(r.status, 401) << r.Describe();
    }
    return out;
  };

  const std::vector<Attempt> known = hammer("rep@sec.test");
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(known.back().status, 429);
  EXPECT_LE(static_cast<int>(known.size()), threshold + 1);

  // Locked: even the right password is refused, and no session is made.
  HttpClient rep = server_->Client();
  Response locked = Login(rep, "rep@sec.test");
  EXPECT_EQ(locked.status, 429) << locked.Describe();
  EXPECT_TRUE(locked.HasHeader("retry-after")) << locked.Describe();
  EXPECT_EQ(rep.Get("/api/v4/account").status, 401);
  EXPECT_TRUE(SessionsOf(w_.rep_id).empty());

  // An unknown email gets the same sequence of answers.
  const std::vector<Attempt> unknown = hammer("nobody@sec.test");
  ASSERT_EQ(unknown.size(), known.size());
  for (std::size_t i = 0; i < known.size(); ++i) {
    EXPECT_EQ(unknown[i].status, known[i].status) << "attempt " << i;
    EXPECT_EQ(unknown[i].type, known[i].type) << "attempt " << i;
    EXPECT_EQ(unknown[i].retry_after, known[i].retry_after) << "attempt " << i;
  }

  // Other users are not locked out.
  HttpClient admin2 = server_->Client();
  EXPECT_EQ(Login(admin2, "admin@sec.test").status, 200);
}

// 7. The session list shows the device; ending the others ends another session of the user.
TEST_P(SecurityTest, SessionsListDeviceAndEndOthers) {
  HttpClient a = server_->Client();
  a.SetHeader("User-Agent", kChromeWindows);
  ASSERT_EQ(Login(a, "rep@sec.test").status, 200);
  HttpClient b = server_->Client();
  b.SetHeader("User-Agent", kFirefoxLinux);
  ASSERT_EQ(Login(b, "rep@sec.test").status, 200);
  HttpClient admin = Admin();

  Response list = a.Get("/api/v4/security/sessions");
  ASSERT_EQ(list.status, 200) << list.Describe();
  const json& sessions = list.body_json["_embedded"]["sessions"];
  ASSERT_EQ(sessions.size(), 2u) << list.Describe();
  int current = 0;
  for (const json& s : sessions) {
    EXPECT_EQ(s.value("user_id", std::int64_t{0}), w_.rep_id) << s.dump();
    const std::string device = s.value("device", std::string());
    if (s.value("current", false)) {
      ++current;
      EXPECT_NE(device.find("Chrome"), std::string::npos) << device;
      EXPECT_NE(device.find("Windows"), std::string::npos) << device;
    } else {
      EXPECT_NE(device.find("Firefox"), std::string::npos) << device;
      EXPECT_NE(device.find("Linux"), std::string::npos) << device;
    }
  }
  EXPECT_EQ(current, 1) << list.Describe();

  Response ended = a.SendJson("POST", "/api/v4/security/sessions/end", {{"scope", "others"}});
  ASSERT_EQ(ended.status, 200) << ended.Describe();
  EXPECT_EQ(ended.body_json.value("ended", std::int64_t{-1}), 1) << ended.Describe();
  EXPECT_EQ(b.Get("/api/v4/account").status, 401);
  EXPECT_EQ(a.Get("/api/v4/account").status, 200);
  EXPECT_EQ(admin.Get("/api/v4/account").status, 200);  // another user's session is kept
  Response after = a.Get("/api/v4/security/sessions");
  ASSERT_EQ(after.status, 200) << after.Describe();
  ASSERT_EQ(after.body_json["_embedded"]["sessions"].size(), 1u) << after.Describe();
  EXPECT_TRUE(after.body_json["_embedded"]["sessions"][0].value("current", false));
}

// SPEC §8: a change on one node applies on every node within a second. Each server caches the
// rights it compiled and the tokens it verified; both must notice changes made elsewhere.
TEST_P(SecurityTest, ChangesMadeElsewhereApplyWithinASecond) {
  auto second = ServerProcess::Start(server_->db_url(), server_->dir() + "/second.log");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  HttpClient rep = server_->Client();
  ASSERT_EQ(Login(rep, "rep@sec.test").status, 200);
  Response created = rep.SendJson("POST", "/api/v4/security/tokens",
                                  {{"name", "two servers"}, {"expires_at", Now() + 86400}});
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string token = created.body_json.value("token", std::string());
  const std::int64_t token_id = created.body_json.value("id", std::int64_t{0});

  HttpClient on_first = server_->Client();
  HttpClient on_second((*second)->port());
  on_first.SetBearer(token);
  on_second.SetBearer(token);
  const std::string lead = "/api/v4/leads/" + std::to_string(w_.rep_lead);
  // Both servers now hold the verified token and the compiled rights.
  ASSERT_EQ(on_first.Get(lead).status, 200);
  ASSERT_EQ(on_second.Get(lead).status, 200);

  // Polls `target` on `client` (bounded: 3 s) until it answers `status`; returns the wait.
  const auto wait_for = [](HttpClient& client, const std::string& target, int status) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(3)) {
      if (client.Get(target).status == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::chrono::steady_clock::now() - start;
  };

  // A rights change written by another process (this test's own store): the lead disappears.
  ASSERT_TRUE(server_->store()
                  .Write(w_.account_id,
                         [&](storage::AccountWriter& w) -> base::Status {
                           GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(w_.rep_id));
                           row.user.rights.Set(domain::DataSet::kLeads, domain::Action::kView,
                                               domain::Level::kDenied);
                           policy::Normalize(row.user.rights);
                           return w.UpdateUser(row);
                         })
                  .ok());
  EXPECT_LT(wait_for(on_first, lead, 404), std::chrono::milliseconds(2500));
  EXPECT_LT(wait_for(on_second, lead, 404), std::chrono::milliseconds(2500));
  EXPECT_EQ(on_first.Get(lead).status, 404);
  EXPECT_EQ(on_second.Get(lead).status, 404);

  // The token revoked through the first server: the first refuses it at once, the second
  // within a second.
  ASSERT_EQ(on_second.Get("/api/v4/account").status, 200);
  Response revoked = rep.Send("DELETE", "/api/v4/security/tokens/" + std::to_string(token_id));
  ASSERT_TRUE(revoked.status == 204 || revoked.status == 200) << revoked.Describe();
  EXPECT_EQ(on_first.Get("/api/v4/account").status, 401);
  EXPECT_LT(wait_for(on_second, "/api/v4/account", 401), std::chrono::milliseconds(2500));
  EXPECT_EQ(on_second.Get("/api/v4/account").status, 401);
  EXPECT_EQ((*second)->Stop(), 0) << (*second)->LogTail();
}

// Dormant users (issue 16): with dormant_days set, the security report lists who the rule
// deactivates within seven days: the rep (never logged in, created in 2023: due at the next
// run) and a user created 25 days ago, in the order of their deadline; not the administrator,
// who just logged in, nor a user created today.
TEST_P(SecurityTest, SecurityReportListsUpcomingDormantDeactivations) {
  HttpClient admin = Admin();
  const std::int64_t now = Now();
  domain::UserId soon = 0, today = 0;
  ASSERT_TRUE(server_->store()
                  .Write(w_.account_id,
                         [&](storage::AccountWriter& w) -> base::Status {
                           storage::UserRow row;
                           row.user.name = "Soon";
                           row.user.email = "soon@sec.test";
                           row.created_at = now - 25 * 86400;
                           row.user.is_active = true;
                           GH_ASSIGN_OR_RETURN(soon, w.CreateUser(row));
                           row.user.name = "Today";
                           row.user.email = "today@sec.test";
                           row.created_at = now;
                           GH_ASSIGN_OR_RETURN(today, w.CreateUser(row));
                           return base::Status::Ok();
                         })
                  .ok());
  Response before = admin.Get("/api/v4/security/report");
  ASSERT_EQ(before.status, 200) << before.Describe();
  EXPECT_EQ(before.body_json["dormant_deactivations"],
            json::parse(R"({"dormant_days":0,"within_days":7,"users":[],"kept":[]})"));

  Response patched = admin.SendJson("PATCH", "/api/v4/security/policy", {{"dormant_days", 30}});
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  Response report = admin.Get("/api/v4/security/report");
  ASSERT_EQ(report.status, 200) << report.Describe();
  const json& dormant = report.body_json["dormant_deactivations"];
  EXPECT_EQ(dormant["dormant_days"], 30);
  EXPECT_EQ(dormant["within_days"], 7);
  ASSERT_EQ(dormant["users"].size(), 2u) << dormant.dump();
  const json& rep = dormant["users"][0];
  EXPECT_EQ(rep["id"], w_.rep_id);
  EXPECT_EQ(rep["name"], "Rep");
  EXPECT_EQ(rep["email"], "rep@sec.test");
  EXPECT_EQ(rep["is_admin"], false);
  EXPECT_EQ(rep["last_login_at"], 0);
  EXPECT_EQ(rep["inactive_since"], 1'700'000'000);
  EXPECT_EQ(rep["deactivate_at"], 1'700'000'000 + 30 * 86400);
  EXPECT_EQ(dormant["users"][1]["id"], soon);
  EXPECT_EQ(dormant["users"][1]["deactivate_at"], now + 5 * 86400);
  EXPECT_EQ(dormant["kept"], json::array());
  (void)today;
  // Listing is not acting: nobody was deactivated by the report.
  auto rep_row = server_->store().Reader(w_.account_id).GetUser(w_.rep_id);
  ASSERT_TRUE(rep_row.ok());
  EXPECT_TRUE(rep_row->user.is_active);
}

INSTANTIATE_TEST_SUITE_P(Engines, SecurityTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& info) {
                           return std::string(EngineName(info.param));
                         });

}  // namespace
}  // namespace gatehouse::apitest
