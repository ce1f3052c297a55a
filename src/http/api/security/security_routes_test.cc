// The security routes through the Router: lockout 429 + Retry-After, 2FA problem types, the
// require-2FA restricted session, sessions list shape, IP whitelist and policy validation.
#include <gtest/gtest.h>

#include "auth/totp.h"
#include "http/api/auth/auth_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

class SecurityRoutesTest : public testing::RoutesFixture {
 protected:
  Response Call(Method method, const std::string& target, const WebSession& s,
                const std::string& body = "") {
    return Send(WithSession(MakeRequest(method, target, body), s));
  }
  Response PatchPolicy(const WebSession& admin, const json& body) {
    return Call(Method::kPatch, "/api/v4/security/policy", admin, body.dump());
  }
};

TEST_F(SecurityRoutesTest, LockoutAnswers429WithRetryAfter) {
  WebSession admin = MustWebLogin("admin@acme.test");
  ASSERT_EQ(PatchPolicy(admin, {{"lockout_threshold", 3}, {"lockout_minutes", 2}}).status, 200);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Login("admin@acme.test", "wrong wrong").status, 401);
  Response locked = Login("admin@acme.test");
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.content_type, kProblemJson);
  const int retry = std::stoi(std::string(locked.headers.Get("Retry-After")));
  EXPECT_GT(retry, 100);
  EXPECT_LE(retry, 120);
}

TEST_F(SecurityRoutesTest, TwoFactorProblemTypesOnLogin) {
  WebSession sam_web = MustWebLogin("admin@acme.test");
  Response enrolled = Call(Method::kPost, "/api/v4/security/two_factor/enroll", sam_web, "{}");
  ASSERT_EQ(enrolled.status, 200) << enrolled.body;
  const std::string secret = BodyOf(enrolled)["secret"];
  EXPECT_NE(BodyOf(enrolled)["qr_svg"].get<std::string>().find("<svg"), std::string::npos);
  Response confirmed = Call(Method::kPost, "/api/v4/security/two_factor/confirm", sam_web,
                            json({{"code", *auth::TotpCode(secret, clock_.NowSeconds())}}).dump());
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(BodyOf(confirmed)["recovery_codes"].size(), 10u);

  Response missing = Login("admin@acme.test");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(BodyOf(missing)["type"], "https://httpstatus.es/401/two-factor-required");
  Response wrong = Login("admin@acme.test", service::testing::kPassword, "000000");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(BodyOf(wrong)["type"], "https://httpstatus.es/401/two-factor-invalid");
  clock_.Advance(30);
  Response ok = Login("admin@acme.test", service::testing::kPassword,
                      *auth::TotpCode(secret, clock_.NowSeconds()));
  EXPECT_EQ(ok.status, 200) << ok.body;
  Response state = Call(Method::kGet, "/api/v4/security/two_factor", sam_web);
  EXPECT_EQ(BodyOf(state)["enabled"], true);
}

// A personal token made before the workspace required two-step verification keeps working, but
// cannot mint further tokens for its user until they enrol.
TEST_F(SecurityRoutesTest, RequiredTwoFactorStopsTokensMintingTokens) {
  AddUser("sam@acme.test");
  WebSession sam = MustWebLogin("sam@acme.test");
  const std::string token_request =
      json({{"name", "x"}, {"expires_at", clock_.NowSeconds() + 86400 * 30}}).dump();
  Response created = Call(Method::kPost, "/api/v4/security/tokens", sam, token_request);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = BodyOf(created)["token"];
  WebSession admin = MustWebLogin("admin@acme.test");
  ASSERT_EQ(PatchPolicy(admin, {{"require_two_factor", true}}).status, 200);
  EXPECT_EQ(Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), token)).status, 200);
  Response minted =
      Send(WithBearer(MakeRequest(Method::kPost, "/api/v4/security/tokens", token_request), token));
  EXPECT_EQ(minted.status, 403) << minted.body;
}

TEST_F(SecurityRoutesTest, RequiredTwoFactorSessionReachesOnlyEnrolment) {
  AddUser("sam@acme.test");
  WebSession admin = MustWebLogin("admin@acme.test");
  ASSERT_EQ(PatchPolicy(admin, {{"require_two_factor", true}}).status, 200);
  Response login = Login("sam@acme.test");
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(BodyOf(login)["must_enroll_two_factor"], true);
  WebSession sam{testing::SetCookieToken(login), BodyOf(login)["csrf_token"]};
  Response blocked = Call(Method::kGet, "/api/v4/probe", sam);
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(BodyOf(blocked)["type"], "https://httpstatus.es/403/two-factor-enrollment-required");
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/sessions", sam).status, 403);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/two_factor", sam).status, 200);
  // The console asks who is signed in before it can send the user to the enrolment page.
  Response session = Call(Method::kGet, "/auth/session", sam);
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(BodyOf(session)["authenticated"], true);
  EXPECT_EQ(BodyOf(session)["must_enroll_two_factor"], true);
  Response enrolled = Call(Method::kPost, "/api/v4/security/two_factor/enroll", sam, "{}");
  ASSERT_EQ(enrolled.status, 200);
  const std::string secret = BodyOf(enrolled)["secret"];
  ASSERT_EQ(Call(Method::kPost, "/api/v4/security/two_factor/confirm", sam,
                 json({{"code", *auth::TotpCode(secret, clock_.NowSeconds())}}).dump())
                .status,
            200);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/probe", sam).status, 200);
  EXPECT_EQ(BodyOf(Call(Method::kGet, "/auth/session", sam))["must_enroll_two_factor"], false);
}

TEST_F(SecurityRoutesTest, NewRecoveryCodesReplaceTheOldOnes) {
  WebSession web = MustWebLogin("admin@acme.test");
  const std::string path = "/api/v4/security/two_factor/recovery_codes";
  Response off = Call(Method::kPost, path, web, json({{"code", "123456"}}).dump());
  EXPECT_EQ(off.status, 422) << off.body;  // not on yet: nothing to replace
  Response enrolled = Call(Method::kPost, "/api/v4/security/two_factor/enroll", web, "{}");
  const std::string secret = BodyOf(enrolled)["secret"];
  Response confirmed = Call(Method::kPost, "/api/v4/security/two_factor/confirm", web,
                            json({{"code", *auth::TotpCode(secret, clock_.NowSeconds())}}).dump());
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  const json old_codes = BodyOf(confirmed)["recovery_codes"];

  Response missing = Call(Method::kPost, path, web, "{}");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(BodyOf(missing)["validation-errors"][0]["errors"][0]["path"], "code");
  Response wrong = Call(Method::kPost, path, web, json({{"code", "000000"}}).dump());
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(BodyOf(wrong)["validation-errors"][0]["errors"][0]["path"], "code");

  // With an old recovery code: ten new ones, and every old one stops working.
  Response renewed = Call(Method::kPost, path, web, json({{"code", old_codes[0]}}).dump());
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  const json new_codes = BodyOf(renewed)["recovery_codes"];
  ASSERT_EQ(new_codes.size(), 10u);
  EXPECT_NE(new_codes, old_codes);
  EXPECT_EQ(Login("admin@acme.test", service::testing::kPassword, old_codes[1]).status, 401);
  EXPECT_EQ(Login("admin@acme.test", service::testing::kPassword, new_codes[1]).status, 200);

  // With a TOTP code, which then counts as used at login too.
  clock_.Advance(30);
  const std::string code = *auth::TotpCode(secret, clock_.NowSeconds());
  ASSERT_EQ(Call(Method::kPost, path, web, json({{"code", code}}).dump()).status, 200);
  EXPECT_EQ(Call(Method::kPost, path, web, json({{"code", code}}).dump()).status, 400);
  Response replay = Login("admin@acme.test", service::testing::kPassword, code);
  EXPECT_EQ(BodyOf(replay)["type"], "https://httpstatus.es/401/two-factor-invalid");
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/two_factor", web).status, 200);
}

TEST_F(SecurityRoutesTest, SessionsListAndEnd) {
  WebSession admin = MustWebLogin("admin@acme.test");
  Response list = Call(Method::kGet, "/api/v4/security/sessions", admin);
  ASSERT_EQ(list.status, 200) << list.body;
  json item = BodyOf(list)["_embedded"]["sessions"][0];
  for (const char* key :
       {"id", "user_id", "device", "ip", "location", "created_at", "last_activity_at", "current"}) {
    EXPECT_TRUE(item.contains(key)) << key;
  }
  EXPECT_EQ(item["current"], true);
  EXPECT_EQ(item["location"], "unknown");  // test peers are not in a geolocation database
  WebSession other = MustWebLogin("admin@acme.test");
  Response ended =
      Call(Method::kPost, "/api/v4/security/sessions/end", admin, R"({"scope":"others"})");
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(BodyOf(ended)["ended"], 1);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/probe", other).status, 401);
  const std::string id = item["id"];
  EXPECT_EQ(Call(Method::kDelete, "/api/v4/security/sessions/" + id, admin).status, 204);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/probe", admin).status, 401);
}

// "View as" borrows a user's rights, never their credentials: an administrator acting as sam
// can neither read nor end sam's sessions and tokens, nor grant an integration access as sam
// (the code would yield tokens acting as sam, and their changes would name sam).
TEST_F(SecurityRoutesTest, ActingAsAnotherUserReachesNoneOfTheirCredentials) {
  const domain::UserId sam = AddUser("sam@acme.test");
  WebSession sams = MustWebLogin("sam@acme.test");
  Response own = Call(Method::kGet, "/api/v4/security/sessions", sams);
  ASSERT_EQ(own.status, 200) << own.body;
  const std::string sams_session = BodyOf(own)["_embedded"]["sessions"][0]["id"];
  WebSession admin = MustWebLogin("admin@acme.test");
  Response added = Call(Method::kPost, "/api/v4/security/integrations", admin,
                        R"({"name":"Zap","redirect_uri":"https://zap.example/cb"})");
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string client_id = BodyOf(added)["client_id"];
  auto as_sam = [&](Method method, const std::string& target, const std::string& body = "") {
    Request r = WithSession(MakeRequest(method, target, body), admin);
    r.headers.Add("X-Context-User-ID", std::to_string(sam));
    return r;
  };
  EXPECT_EQ(Send(as_sam(Method::kGet, "/api/v4/security/sessions")).status, 403);
  EXPECT_EQ(
      Send(as_sam(Method::kPost, "/api/v4/security/sessions/end", R"({"scope":"others"})")).status,
      403);
  EXPECT_EQ(Send(as_sam(Method::kDelete, "/api/v4/security/sessions/" + sams_session)).status, 403);
  EXPECT_EQ(Send(as_sam(Method::kGet, "/api/v4/security/tokens")).status, 403);
  EXPECT_EQ(Send(as_sam(Method::kDelete, "/api/v4/security/tokens/1")).status, 403);
  EXPECT_EQ(Send(as_sam(Method::kGet, "/oauth?client_id=" + client_id + "&state=s")).status, 403);
  Request allow = as_sam(Method::kPost, "/oauth");
  allow.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  allow.body = "client_id=" + client_id + "&state=s&decision=allow&csrf_token=" + admin.csrf;
  Response refused = Send(allow);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.headers.Find("Location"), nullptr);
  // sam's session survived, and the administrator's own requests still work.
  EXPECT_EQ(Call(Method::kGet, "/api/v4/probe", sams).status, 200);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/sessions", admin).status, 200);
}

TEST_F(SecurityRoutesTest, AdminResetsAUsersTwoFactor) {
  domain::UserId sam = AddUser("sam@acme.test");
  WebSession sam_web = MustWebLogin("sam@acme.test");
  WebSession admin = MustWebLogin("admin@acme.test");
  const std::string path = "/api/v4/users/" + std::to_string(sam) + "/two_factor/reset";
  EXPECT_EQ(Call(Method::kPost, path, sam_web, "{}").status, 403);
  EXPECT_EQ(Call(Method::kPost, path, admin, "{}").status, 204);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/probe", sam_web).status, 401);  // sessions ended
  EXPECT_EQ(Call(Method::kPost, "/api/v4/users/999999/two_factor/reset", admin, "{}").status, 404);
}

// A user who forgot their password gets a new one from an administrator, in the console as with
// the CLI's `user reset-password`: the old sessions and tokens stop working at once.
TEST_F(SecurityRoutesTest, AdminSetsAUsersPassword) {
  domain::UserId sam = AddUser("sam@acme.test");
  WebSession sam_web = MustWebLogin("sam@acme.test");
  WebSession admin = MustWebLogin("admin@acme.test");
  Response token =
      Call(Method::kPost, "/api/v4/security/tokens", sam_web,
           json({{"name", "script"}, {"expires_at", clock_.NowSeconds() + 86400 * 30}}).dump());
  ASSERT_EQ(token.status, 201) << token.body;
  const std::string sams_token = BodyOf(token)["token"];
  const std::string path = "/api/v4/users/" + std::to_string(sam) + "/password";
  const std::string fresh = json({{"password", "a fresh long passphrase"}}).dump();

  EXPECT_EQ(Call(Method::kPost, path, sam_web, fresh).status, 403);  // not an administrator
  Response weak = Call(Method::kPost, path, admin, json({{"password", "short"}}).dump());
  ASSERT_EQ(weak.status, 400) << weak.body;
  EXPECT_EQ(BodyOf(weak)["validation-errors"][0]["errors"][0]["path"], "password");
  Response extra = Call(Method::kPost, path, admin,
                        json({{"password", "a fresh long passphrase"}, {"notify", true}}).dump());
  ASSERT_EQ(extra.status, 400) << extra.body;
  EXPECT_EQ(BodyOf(extra)["validation-errors"][0]["errors"][0]["path"], "notify");
  // One's own password asks for the current one: a stolen session is not enough.
  Response own =
      Call(Method::kPost, "/api/v4/users/" + std::to_string(admin_) + "/password", admin, fresh);
  EXPECT_EQ(own.status, 403) << own.body;
  EXPECT_NE(BodyOf(own)["detail"].get<std::string>().find("/api/v4/security/password"),
            std::string::npos);
  EXPECT_EQ(Call(Method::kPost, "/api/v4/users/999999/password", admin, fresh).status, 404);
  // Nothing above changed sam's credentials.
  ASSERT_EQ(Call(Method::kGet, "/api/v4/probe", sam_web).status, 200);

  EXPECT_EQ(Call(Method::kPost, path, admin, fresh).status, 204);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/probe", sam_web).status, 401);  // sessions ended
  EXPECT_EQ(Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), sams_token)).status, 401);
  EXPECT_EQ(Login("sam@acme.test").status, 401);  // the old password
  EXPECT_EQ(Login("sam@acme.test", "a fresh long passphrase").status, 200);
}

TEST_F(SecurityRoutesTest, WhitelistValidationLockOutAndEnforcement) {
  WebSession admin = MustWebLogin("admin@acme.test");
  Response bad = Call(Method::kPut, "/api/v4/security/ip_whitelist", admin,
                      R"({"enabled":true,"entries":[{"value":"203.0.113.0/24"},
                          {"value":"1.2.3.4/40"},{"value":7},"::1"]})");
  ASSERT_EQ(bad.status, 400);
  json errors = BodyOf(bad)["validation-errors"][0]["errors"];
  ASSERT_EQ(errors.size(), 1u);  // the shape is checked first
  EXPECT_EQ(errors[0]["path"], "entries.2.value");
  Response bad_ranges = Call(Method::kPut, "/api/v4/security/ip_whitelist", admin,
                             R"({"enabled":true,"entries":["203.0.113.0/24","1.2.3.4/40",
                                 {"value":"10.0.0.300"},"::1"]})");
  ASSERT_EQ(bad_ranges.status, 400);
  errors = BodyOf(bad_ranges)["validation-errors"][0]["errors"];
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0]["path"], "entries.1.value");
  EXPECT_EQ(errors[1]["path"], "entries.2.value");

  Response lockout = Call(Method::kPut, "/api/v4/security/ip_whitelist", admin,
                          R"({"enabled":true,"entries":[{"value":"198.51.100.0/24"}]})");
  ASSERT_EQ(lockout.status, 400);
  EXPECT_NE(lockout.body.find(service::testing::kPeer), std::string::npos);
  // The address the guard saw, also as a member of its own for clients to show.
  EXPECT_EQ(BodyOf(lockout)["client_ip"], service::testing::kPeer);
  EXPECT_EQ(BodyOf(lockout)["validation-errors"][0]["errors"][0]["code"], "LockOut");
  EXPECT_FALSE(BodyOf(bad_ranges).contains("client_ip"));  // only on the lock-out refusal

  Response saved = Call(Method::kPut, "/api/v4/security/ip_whitelist", admin,
                        R"({"enabled":true,"block_api":false,"report_only":false,
                            "entries":[{"value":"203.0.113.5","note":"office"}]})");
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(BodyOf(saved)["entries"][0]["note"], "office");
  EXPECT_EQ(BodyOf(Call(Method::kGet, "/api/v4/security/ip_whitelist", admin)), BodyOf(saved));
  Response refused = Login("admin@acme.test", service::testing::kPassword, "", "198.51.100.9");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(BodyOf(refused)["type"], "https://httpstatus.es/403/ip-not-allowed");
}

TEST_F(SecurityRoutesTest, PolicyReadAndValidation) {
  WebSession admin = MustWebLogin("admin@acme.test");
  Response read = Call(Method::kGet, "/api/v4/security/policy", admin);
  ASSERT_EQ(read.status, 200);
  json body = BodyOf(read);
  for (const char* key :
       {"require_two_factor", "session_idle_minutes", "session_max_hours", "lockout_threshold",
        "lockout_minutes", "dormant_days", "seats", "trusted_proxies"}) {
    EXPECT_TRUE(body.contains(key)) << key;
  }
  EXPECT_EQ(body["seats"], 10);
  // seats_used counts the active paid users: one more after adding one, none for a free one.
  const std::int64_t used = body["seats_used"];
  EXPECT_GE(used, 1);
  AddUser("paid@acme.test");
  EXPECT_EQ(BodyOf(Call(Method::kGet, "/api/v4/security/policy", admin))["seats_used"], used + 1);
  Response bad = PatchPolicy(admin, {{"require_two_factor", "yes"},
                                     {"session_max_hours", 0},
                                     {"trusted_proxies", json::array({"10.0.0.0/8", 5})}});
  ASSERT_EQ(bad.status, 400);
  std::vector<std::string> paths;
  const json bad_body = BodyOf(bad);
  for (const json& e : bad_body["validation-errors"][0]["errors"]) paths.push_back(e["path"]);
  EXPECT_EQ(paths, (std::vector<std::string>{"require_two_factor", "trusted_proxies.1"}));
  Response range = PatchPolicy(admin, {{"session_max_hours", 0}});
  ASSERT_EQ(range.status, 400);
  EXPECT_EQ(BodyOf(range)["validation-errors"][0]["errors"][0]["path"], "session_max_hours");
  Response ok =
      PatchPolicy(admin, {{"seats", 12}, {"trusted_proxies", json::array({"10.1.2.3/8"})}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(BodyOf(ok)["seats"], 12);
  EXPECT_EQ(BodyOf(ok)["seats_used"], used + 1);
  EXPECT_EQ(BodyOf(ok)["trusted_proxies"][0], "10.0.0.0/8");  // normalized
}

TEST_F(SecurityRoutesTest, PolicyAndWhitelistRefuseMembersTheyDoNotHave) {
  WebSession admin = MustWebLogin("admin@acme.test");
  Response policy = PatchPolicy(admin, {{"lockout_threshold", 5}, {"lockout_treshold", 6}});
  ASSERT_EQ(policy.status, 400) << policy.body;
  EXPECT_EQ(BodyOf(policy)["validation-errors"][0]["errors"][0]["path"], "lockout_treshold");
  EXPECT_EQ(BodyOf(Call(Method::kGet, "/api/v4/security/policy", admin))["lockout_threshold"], 10);
  // What GET shows may be sent back as it is (seats_used is read-only).
  json shown = BodyOf(Call(Method::kGet, "/api/v4/security/policy", admin));
  EXPECT_EQ(PatchPolicy(admin, shown).status, 200);
  Response whitelist = Call(Method::kPut, "/api/v4/security/ip_whitelist", admin,
                            R"({"enabled": false, "entries": [], "enforce": true})");
  ASSERT_EQ(whitelist.status, 400) << whitelist.body;
  EXPECT_EQ(BodyOf(whitelist)["validation-errors"][0]["errors"][0]["path"], "enforce");
}

// Four-eyes approval over HTTP: 202 and nothing applied, the approvals list, who may decide.
TEST_F(SecurityRoutesTest, FourEyesHoldsAWhitelistChangeForAnotherAdministrator) {
  WebSession admin = MustWebLogin("admin@acme.test");
  Response alone = PatchPolicy(admin, {{"four_eyes", true}});
  ASSERT_EQ(alone.status, 400) << alone.body;
  EXPECT_EQ(BodyOf(alone)["validation-errors"][0]["errors"][0]["code"], "NeedsTwoAdministrators");
  AddUser("second@acme.test", /*is_admin=*/true);
  WebSession second = MustWebLogin("second@acme.test");
  Response on = PatchPolicy(admin, {{"four_eyes", true}});
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(BodyOf(on)["four_eyes"], true);

  const std::string office =
      R"({"enabled": true, "entries": [")" + std::string(service::testing::kPeer) + R"("]})";
  Response held = Call(Method::kPut, "/api/v4/security/ip_whitelist", admin, office);
  ASSERT_EQ(held.status, 202) << held.body;
  const std::int64_t id = BodyOf(held)["approval_id"];
  EXPECT_EQ(BodyOf(held)["status"], "pending");
  EXPECT_EQ(BodyOf(Call(Method::kGet, "/api/v4/security/ip_whitelist", admin))["enabled"], false);

  Response listed = Call(Method::kGet, "/api/v4/security/approvals?filter[status]=pending", second);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json item = BodyOf(listed)["_embedded"]["approvals"][0];
  EXPECT_EQ(item["id"], id);
  EXPECT_EQ(item["kind"], "ip_whitelist");
  EXPECT_EQ(item["change"]["enabled"], true);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/approvals?filter[status]=maybe", second).status,
            400);
  Response one = Call(Method::kGet, "/api/v4/security/approvals/" + std::to_string(id), second);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(BodyOf(one)["id"], id);
  EXPECT_EQ(BodyOf(one)["change"]["enabled"], true);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/approvals/999999", second).status, 404);

  // Paging: a second request, one per page, newest first.
  Response also = PatchPolicy(admin, {{"session_idle_minutes", 45}});
  ASSERT_EQ(also.status, 202) << also.body;
  Response first_page = Call(Method::kGet, "/api/v4/security/approvals?limit=1", second);
  ASSERT_EQ(first_page.status, 200) << first_page.body;
  EXPECT_EQ(BodyOf(first_page)["_embedded"]["approvals"][0]["id"], BodyOf(also)["approval_id"]);
  EXPECT_TRUE(BodyOf(first_page)["_links"].contains("next")) << first_page.body;
  Response second_page = Call(Method::kGet, "/api/v4/security/approvals?limit=1&page=2", second);
  ASSERT_EQ(second_page.status, 200) << second_page.body;
  EXPECT_EQ(BodyOf(second_page)["_embedded"]["approvals"][0]["id"], id);
  EXPECT_FALSE(BodyOf(second_page)["_links"].contains("next")) << second_page.body;
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/approvals?page=0", second).status, 400);

  const std::string approve = "/api/v4/security/approvals/" + std::to_string(id) + "/approve";
  EXPECT_EQ(Call(Method::kPost, approve, admin, "{}").status, 403);
  Response approved = Call(Method::kPost, approve, second, "{}");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(BodyOf(approved)["status"], "approved");
  EXPECT_EQ(BodyOf(Call(Method::kGet, "/api/v4/security/ip_whitelist", admin))["enabled"], true);
  EXPECT_EQ(Call(Method::kPost, approve, second, "{}").status, 409);
  EXPECT_EQ(Call(Method::kPost, "/api/v4/security/approvals/999999/reject", second, "{}").status,
            404);

  // Turning it off waits too.
  Response off = PatchPolicy(second, {{"four_eyes", false}});
  ASSERT_EQ(off.status, 202) << off.body;
  EXPECT_EQ(BodyOf(Call(Method::kGet, "/api/v4/security/policy", admin))["four_eyes"], true);
}

TEST_F(SecurityRoutesTest, PasswordChangeOverHttp) {
  WebSession admin = MustWebLogin("admin@acme.test");
  WebSession other = MustWebLogin("admin@acme.test");
  Response weak = Call(
      Method::kPost, "/api/v4/security/password", admin,
      json({{"current_password", service::testing::kPassword}, {"new_password", "short"}}).dump());
  ASSERT_EQ(weak.status, 400);
  EXPECT_EQ(BodyOf(weak)["validation-errors"][0]["errors"][0]["path"], "new_password");
  Response changed = Call(Method::kPost, "/api/v4/security/password", admin,
                          json({{"current_password", service::testing::kPassword},
                                {"new_password", "entirely new secret"}})
                              .dump());
  EXPECT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(Call(Method::kGet, "/api/v4/probe", admin).status, 200);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/probe", other).status, 401);
}

}  // namespace
}  // namespace gatehouse::http::api
