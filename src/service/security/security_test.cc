// Account security: password change/reset, login throttling, 2FA, sessions, IP whitelist and the
// security policy, against a real SQLite store and a FakeClock.
#include "service/security/security.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/tokens.h"
#include "auth/totp.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using testing::AuthFixture;
using testing::kPassword;
using testing::kPeer;

class SecurityTest : public AuthFixture {
 protected:
  Caller Admin() { return CallerFor(MustLogin("admin@acme.test")); }

  Caller System() { return SystemOf("local"); }

  void Patch(const PolicyPatch& patch) {
    auto r = security_service_.PatchSecurityPolicy(Admin(), patch);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  // Enrols and confirms 2FA for the caller's user; returns the secret and recovery codes.
  std::pair<std::string, std::vector<std::string>> TurnOnTwoFactor(const Caller& caller) {
    auto enrollment = security_service_.EnrollTwoFactor(caller);
    EXPECT_TRUE(enrollment.ok()) << enrollment.status().ToString();
    auto code = auth::TotpCode(enrollment->secret, clock_.NowSeconds());
    auto codes = security_service_.ConfirmTwoFactor(caller, *code);
    EXPECT_TRUE(codes.ok()) << codes.status().ToString();
    return {enrollment->secret, codes.ok() ? *codes : std::vector<std::string>{}};
  }

  base::Result<LoginResult> TryLogin(const std::string& email, const std::string& password,
                                     const std::string& code, AuthError* error,
                                     const std::string& peer = kPeer) {
    LoginInput in = Input(email, password, peer);
    in.code = code;
    return auth_->Login(in, error);
  }

  IpWhitelist Whitelist(std::vector<std::string> values, bool block_api = false,
                        bool report_only = false) {
    IpWhitelist w{.enabled = true, .block_api = block_api, .report_only = report_only};
    for (auto& v : values) w.entries.push_back({std::move(v), ""});
    return w;
  }
};

// ---- stored settings ----

TEST(SecuritySettingsTest, StoredJsonRoundTripsAndDefaults) {
  auto defaults = ParseIpWhitelist("[]");  // the schema's default
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(*defaults, IpWhitelist{});
  IpWhitelist w{true, true, false, {{"10.0.0.0/8", "office"}, {"2001:db8::/32", ""}}};
  EXPECT_EQ(*ParseIpWhitelist(SerializeIpWhitelist(w)), w);
  const SecurityPolicy p{
      .require_two_factor = true, .lockout_threshold = 5, .trusted_proxies = {"10.0.0.1"}};
  EXPECT_EQ(*ParseSecurityPolicy(SerializeSecurityPolicy(p)), p);
  EXPECT_EQ(*ParseSecurityPolicy("{}"), SecurityPolicy{});
  EXPECT_EQ(ParseSecurityPolicy("{broken").status().code(), Code::kInternal);
}

// Every field of the policy survives storing and reading, by its stored name, and every field of
// a patch (seats too) survives the pending approval that keeps it.
TEST(SecuritySettingsTest, EveryWhitelistFlagIsStoredAndReadByName) {
  const IpWhitelist w{.enabled = true,
                      .block_api = true,
                      .report_only = true,
                      .entries = {{"10.0.0.0/8", "office"}}};
  EXPECT_EQ(*ParseIpWhitelist(SerializeIpWhitelist(w)), w);
  EXPECT_EQ(IpWhitelistJson(w), nlohmann::json::parse(R"({"enabled": true, "block_api": true,
      "report_only": true, "entries": [{"value": "10.0.0.0/8", "note": "office"}]})"));
  EXPECT_EQ(*ParseIpWhitelist(SerializeIpWhitelist(IpWhitelist{})), IpWhitelist{});
}

TEST(SecuritySettingsTest, EveryPolicyFieldIsStoredAndReadByName) {
  const SecurityPolicy p{.require_two_factor = true,
                         .session_idle_minutes = 60,
                         .session_max_hours = 48,
                         .lockout_threshold = 5,
                         .lockout_minutes = 30,
                         .dormant_days = 90,
                         .four_eyes = true,
                         .trusted_proxies = {"10.0.0.1", "192.0.2.0/24"}};
  EXPECT_EQ(*ParseSecurityPolicy(SerializeSecurityPolicy(p)), p);
  const nlohmann::json stored = SecurityPolicyJson(p);
  EXPECT_EQ(stored, nlohmann::json::parse(R"({"require_two_factor": true,
      "session_idle_minutes": 60, "session_max_hours": 48, "lockout_threshold": 5,
      "lockout_minutes": 30, "dormant_days": 90, "four_eyes": true,
      "trusted_proxies": ["10.0.0.1", "192.0.2.0/24"]})"));

  const PolicyPatch patch{.require_two_factor = false,
                          .session_idle_minutes = 61,
                          .session_max_hours = 49,
                          .lockout_threshold = 6,
                          .lockout_minutes = 31,
                          .dormant_days = 91,
                          .four_eyes = false,
                          .seats = 12,
                          .trusted_proxies = std::vector<std::string>{"10.0.0.2"}};
  auto kept = ParsePolicyPatch(SerializePolicyPatch(patch));
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(SerializePolicyPatch(*kept), SerializePolicyPatch(patch));
  EXPECT_EQ(nlohmann::json::parse(SerializePolicyPatch(patch)).size(), 9u);
  EXPECT_EQ(SerializePolicyPatch(PolicyPatch{}), "{}");
}

TEST(SecuritySettingsTest, WhitelistVerdicts) {
  AccountSecurity security{.whitelist = {true, false, false, {{"10.0.0.0/8", ""}}},
                           .whitelist_ranges = {*auth::ParseIpRange("10.0.0.0/8")}};
  auto inside = *auth::ParseIpAddress("10.9.8.7");
  auto outside = *auth::ParseIpAddress("192.0.2.1");
  auto mapped = *auth::ParseIpAddress("::ffff:10.1.1.1");
  EXPECT_EQ(CheckWhitelist(security, inside, false), WhitelistVerdict::kAllowed);
  EXPECT_EQ(CheckWhitelist(security, mapped, false), WhitelistVerdict::kAllowed);
  EXPECT_EQ(CheckWhitelist(security, outside, false), WhitelistVerdict::kRefused);
  EXPECT_EQ(CheckWhitelist(security, outside, true), WhitelistVerdict::kAllowed);
  security.whitelist.block_api = true;
  EXPECT_EQ(CheckWhitelist(security, outside, true), WhitelistVerdict::kRefused);
  security.whitelist.report_only = true;
  EXPECT_EQ(CheckWhitelist(security, outside, false), WhitelistVerdict::kWouldRefuse);
  security.whitelist.enabled = false;
  EXPECT_EQ(CheckWhitelist(security, outside, true), WhitelistVerdict::kAllowed);
}

// ---- passwords ----

TEST_F(SecurityTest, PasswordChangeEndsOtherSessionsAndRevokesTokens) {
  AddUser("sam@acme.test");
  LoginResult here = MustLogin("sam@acme.test");
  LoginResult elsewhere = MustLogin("sam@acme.test");
  Caller sam = CallerFor(here);
  auto token = auth_->CreatePersonalToken(sam, "x", clock_.NowSeconds() + 86400, "");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(security_service_.ChangePassword(sam, kPassword, "a much better secret").ok());
  EXPECT_TRUE(Auth(SessionCredentials(here)).ok());
  EXPECT_EQ(Auth(SessionCredentials(elsewhere)).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(Auth(BearerCredentials(token->token)).status().code(), Code::kUnauthenticated);
  AuthError error;
  EXPECT_FALSE(TryLogin("sam@acme.test", kPassword, "", &error).ok());
  EXPECT_TRUE(TryLogin("sam@acme.test", "a much better secret", "", &error).ok());
  EXPECT_EQ(Events("password_changed").size(), 1u);
}

TEST_F(SecurityTest, PasswordChangeChecksCurrentPasswordAndPolicy) {
  AddUser("sam@acme.test");
  Caller sam = CallerFor(MustLogin("sam@acme.test"));
  struct Case {
    const char* current;
    const char* next;
    const char* path;
    const char* code;
  } cases[] = {
      {"wrong current pw", "a much better secret", "current_password", "Invalid"},
      {kPassword, "short", "new_password", "TooShort"},
      {kPassword, "SAM@acme.test", "new_password", "EqualsEmail"},
      {kPassword, "password1234", "new_password", "TooCommon"},
  };
  for (const Case& c : cases) {
    Status s = security_service_.ChangePassword(sam, c.current, c.next);
    ASSERT_EQ(s.code(), Code::kInvalidArgument) << c.next;
    ASSERT_EQ(s.fields().size(), 1u);
    EXPECT_EQ(s.fields()[0].path, c.path);
    EXPECT_EQ(s.fields()[0].code, c.code);
  }
}

TEST_F(SecurityTest, PasswordChangeNeedsAWebSession) {
  Caller admin = Admin();
  auto token = auth_->CreatePersonalToken(admin, "x", clock_.NowSeconds() + 86400, "");
  auto bearer = Auth(BearerCredentials(token->token));
  ASSERT_TRUE(bearer.ok());
  EXPECT_EQ(
      security_service_.ChangePassword(bearer->caller, kPassword, "a much better secret").code(),
      Code::kPermissionDenied);
}

TEST_F(SecurityTest, ResetPasswordBySystemEndsEverySession) {
  domain::UserId sam = AddUser("sam@acme.test");
  LoginResult login = MustLogin("sam@acme.test");
  ASSERT_TRUE(
      security_service_.ResetPassword(System(), sam, "brand new secret!", auth_->common_passwords())
          .ok());
  EXPECT_FALSE(Auth(SessionCredentials(login)).ok());
  AuthError error;
  EXPECT_TRUE(TryLogin("sam@acme.test", "brand new secret!", "", &error).ok());
  auto relogin = TryLogin("sam@acme.test", "brand new secret!", "", &error);
  ASSERT_TRUE(relogin.ok());
  Caller user = CallerFor(*relogin);
  EXPECT_EQ(security_service_.ResetPassword(user, admin_, "x x x x x x x x", {}).code(),
            Code::kPermissionDenied);
}

TEST_F(SecurityTest, AnAdministratorResetsAnothersPasswordNotTheirOwn) {
  domain::UserId sam = AddUser("sam@acme.test");
  const Caller admin = Admin();
  EXPECT_EQ(security_service_.ResetPassword(admin, admin_, "brand new secret!").code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(Events("password_reset").empty());
  ASSERT_TRUE(security_service_.ResetPassword(admin, sam, "brand new secret!").ok());
  auto events = Events("password_reset");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_id, sam);
  EXPECT_EQ(events[0].actor_user_id, admin_);
  AuthError error;
  EXPECT_TRUE(TryLogin("sam@acme.test", "brand new secret!", "", &error).ok());
  EXPECT_TRUE(TryLogin("admin@acme.test", kPassword, "", &error).ok());  // untouched
}

// ---- login throttling ----

TEST_F(SecurityTest, RepeatedFailuresLockTheEmailWithRetryAfterAndLogIt) {
  Patch({.lockout_threshold = 3, .lockout_minutes = 5});
  AuthError error;
  for (int i = 0; i < 3; ++i) {
    auto r = TryLogin("admin@acme.test", "wrong wrong wrong", "", &error);
    ASSERT_EQ(r.status().code(), Code::kUnauthenticated) << i;
  }
  AuthError locked;
  auto r = TryLogin("admin@acme.test", kPassword, "", &locked);  // even the right password
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_GT(locked.retry_after, 290);
  EXPECT_LE(locked.retry_after, 300);
  EXPECT_EQ(Events("login_locked").size(), 1u);
  EXPECT_EQ(Events("login_failed").size(), 3u);
  clock_.Advance(300);
  EXPECT_TRUE(TryLogin("admin@acme.test", kPassword, "", &error).ok());
  EXPECT_EQ(Events("login_unlocked").size(), 1u);
}

TEST_F(SecurityTest, UnknownEmailsLockExactlyLikeKnownOnes) {
  Patch({.lockout_threshold = 3});
  AuthError error;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(TryLogin("ghost@acme.test", "wrong", "", &error).status().code(),
              Code::kUnauthenticated);
  }
  EXPECT_EQ(TryLogin("ghost@acme.test", "wrong", "", &error).status().code(),
            Code::kResourceExhausted);
  // Another email from another address is not affected.
  EXPECT_TRUE(TryLogin("admin@acme.test", kPassword, "", &error, "198.51.100.1").ok());
}

// ---- two-step verification ----

TEST_F(SecurityTest, EnrolConfirmThenLoginNeedsACodeUsedOnce) {
  AddUser("sam@acme.test");
  Caller sam = CallerFor(MustLogin("sam@acme.test"));
  auto state = security_service_.GetTwoFactor(sam);
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->enabled);

  auto enrollment = security_service_.EnrollTwoFactor(sam);
  ASSERT_TRUE(enrollment.ok());
  EXPECT_EQ(enrollment->secret.size(), 32u);
  EXPECT_EQ(enrollment->otpauth_uri.rfind("otpauth://totp/", 0), 0u);
  EXPECT_EQ(enrollment->qr_svg.rfind("<svg", 0), 0u);
  EXPECT_TRUE(security_service_.GetTwoFactor(sam)->pending);
  EXPECT_EQ(security_service_.ConfirmTwoFactor(sam, "000000").status().fields()[0].path, "code");
  const std::string confirm_code = *auth::TotpCode(enrollment->secret, clock_.NowSeconds());
  auto codes = security_service_.ConfirmTwoFactor(sam, confirm_code);
  ASSERT_TRUE(codes.ok()) << codes.status().ToString();
  EXPECT_EQ(codes->size(), 10u);
  EXPECT_TRUE(security_service_.GetTwoFactor(sam)->enabled);
  EXPECT_EQ(security_service_.GetTwoFactor(sam)->recovery_codes_left, 10);

  AuthError missing;
  EXPECT_EQ(TryLogin("sam@acme.test", kPassword, "", &missing).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(missing.type_suffix, kTwoFactorRequired);
  AuthError replay;  // the confirmation's code, within its own window: refused
  EXPECT_FALSE(TryLogin("sam@acme.test", kPassword, confirm_code, &replay).ok());
  EXPECT_EQ(replay.type_suffix, kTwoFactorInvalid);

  clock_.Advance(30);
  const std::string next = *auth::TotpCode(enrollment->secret, clock_.NowSeconds());
  AuthError ok_error;
  auto login = TryLogin("sam@acme.test", kPassword, next, &ok_error);
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  AuthError again;
  EXPECT_FALSE(TryLogin("sam@acme.test", kPassword, next, &again).ok());
  EXPECT_EQ(again.type_suffix, kTwoFactorInvalid);
  EXPECT_EQ(store_->Reader(account_).GetUser(sam.user_id)->totp_last_step,
            auth::TotpStep(clock_.NowSeconds()));
}

TEST_F(SecurityTest, RecoveryCodeWorksOnce) {
  AddUser("sam@acme.test");
  Caller sam = CallerFor(MustLogin("sam@acme.test"));
  auto [secret, codes] = TurnOnTwoFactor(sam);
  ASSERT_EQ(codes.size(), 10u);
  AuthError e1, e2;
  EXPECT_TRUE(TryLogin("sam@acme.test", kPassword, codes[3], &e1).ok());
  EXPECT_FALSE(TryLogin("sam@acme.test", kPassword, codes[3], &e2).ok());
  EXPECT_EQ(e2.type_suffix, kTwoFactorInvalid);
  EXPECT_EQ(store_->Reader(account_).GetUser(sam.user_id)->recovery_code_hashes.size(), 9u);
}

// A code is read alike at login and in the settings: "123 456" as authenticator apps show it.
TEST_F(SecurityTest, ACodeWithASpaceAsAppsShowItWorksAtLoginAndInTheSettings) {
  AddUser("sam@acme.test");
  Caller sam = CallerFor(MustLogin("sam@acme.test"));
  auto [secret, codes] = TurnOnTwoFactor(sam);
  auto spaced = [&, secret = secret] {
    const std::string code = *auth::TotpCode(secret, clock_.NowSeconds());
    return code.substr(0, 3) + " " + code.substr(3);
  };
  clock_.Advance(30);
  AuthError error;
  auto login = TryLogin("sam@acme.test", kPassword, spaced(), &error);
  ASSERT_TRUE(login.ok()) << login.status().ToString() << " " << error.type_suffix;
  clock_.Advance(30);
  auto fresh = security_service_.RegenerateRecoveryCodes(sam, spaced());
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  clock_.Advance(30);
  EXPECT_TRUE(security_service_.DisableTwoFactor(sam, spaced()).ok());
}

TEST_F(SecurityTest, ConfirmingEndsOtherSessions) {
  AddUser("sam@acme.test");
  LoginResult other = MustLogin("sam@acme.test");
  LoginResult here = MustLogin("sam@acme.test");
  TurnOnTwoFactor(CallerFor(here));
  EXPECT_TRUE(Auth(SessionCredentials(here)).ok());
  EXPECT_FALSE(Auth(SessionCredentials(other)).ok());
}

TEST_F(SecurityTest, DisableNeedsACurrentCode) {
  AddUser("sam@acme.test");
  Caller sam = CallerFor(MustLogin("sam@acme.test"));
  auto [secret, codes] = TurnOnTwoFactor(sam);
  EXPECT_EQ(security_service_.DisableTwoFactor(sam, "").code(), Code::kInvalidArgument);
  EXPECT_EQ(security_service_.DisableTwoFactor(sam, "123456").code(), Code::kInvalidArgument);
  clock_.Advance(30);
  ASSERT_TRUE(
      security_service_.DisableTwoFactor(sam, *auth::TotpCode(secret, clock_.NowSeconds())).ok());
  EXPECT_FALSE(security_service_.GetTwoFactor(sam)->enabled);
  AuthError error;
  EXPECT_TRUE(TryLogin("sam@acme.test", kPassword, "", &error).ok());
  EXPECT_EQ(Events("two_factor_disabled").size(), 1u);
}

TEST_F(SecurityTest, AdminResetClearsTwoFactorAndEndsSessions) {
  domain::UserId sam_id = AddUser("sam@acme.test");
  LoginResult login = MustLogin("sam@acme.test");
  TurnOnTwoFactor(CallerFor(login));
  EXPECT_EQ(security_service_.ResetTwoFactor(CallerFor(login), admin_).code(),
            Code::kPermissionDenied);
  ASSERT_TRUE(security_service_.ResetTwoFactor(Admin(), sam_id).ok());
  EXPECT_FALSE(Auth(SessionCredentials(login)).ok());
  AuthError error;
  EXPECT_TRUE(TryLogin("sam@acme.test", kPassword, "", &error).ok());
  auto events = Events("two_factor_reset");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_id, sam_id);
  EXPECT_EQ(events[0].actor_user_id, admin_);
}

TEST_F(SecurityTest, RequiredTwoFactorRestrictsSessionsUntilEnrolled) {
  AddUser("sam@acme.test");
  Patch({.require_two_factor = true});
  LoginResult login = MustLogin("sam@acme.test");
  EXPECT_TRUE(login.must_enroll_two_factor);
  auto a = Auth(SessionCredentials(login));
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->must_enroll_two_factor);
  EXPECT_TRUE(security_service_.GetTwoFactor(a->caller)->required);
  TurnOnTwoFactor(a->caller);
  EXPECT_FALSE(Auth(SessionCredentials(login))->must_enroll_two_factor);
  // Required: it cannot be switched off.
  EXPECT_EQ(security_service_.DisableTwoFactor(a->caller, "123456").code(),
            Code::kFailedPrecondition);
}

// ---- sessions ----

TEST_F(SecurityTest, SessionsAreListedAndEndedByTheirOwnerOrAnAdmin) {
  domain::UserId sam_id = AddUser("sam@acme.test");
  AddUser("kim@acme.test");
  LoginResult sam_login = MustLogin("sam@acme.test");
  Caller sam = CallerFor(sam_login);
  Caller kim = CallerFor(MustLogin("kim@acme.test"));
  Caller admin = Admin();

  auto own = security_service_.ListSessions(sam, 0, false);
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_TRUE((*own)[0].current);
  EXPECT_EQ((*own)[0].device, "Chrome 120 on Linux");
  EXPECT_EQ((*own)[0].ip, kPeer);
  EXPECT_FALSE((*own)[0].location.empty());
  EXPECT_EQ(security_service_.ListSessions(kim, sam_id, false).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(security_service_.ListSessions(kim, 0, true).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(security_service_.ListSessions(admin, sam_id, false)->size(), 1u);
  EXPECT_EQ(security_service_.ListSessions(admin, 0, true)->size(), 3u);

  EXPECT_EQ(security_service_.EndSession(kim, sam_login.session_id).code(), Code::kNotFound);
  ASSERT_TRUE(security_service_.EndSession(admin, sam_login.session_id).ok());
  EXPECT_FALSE(Auth(SessionCredentials(sam_login)).ok());
}

TEST_F(SecurityTest, EndSessionsByScope) {
  domain::UserId sam_id = AddUser("sam@acme.test");
  LoginResult sam1 = MustLogin("sam@acme.test");
  LoginResult sam2 = MustLogin("sam@acme.test");
  LoginResult admin_login = MustLogin("admin@acme.test");
  LoginResult admin_other = MustLogin("admin@acme.test");
  Caller sam = CallerFor(sam1);
  Caller admin = CallerFor(admin_login);

  EXPECT_EQ(security_service_.EndSessions(sam, "account", 0).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(security_service_.EndSessions(sam, "everything", 0).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(*security_service_.EndSessions(sam, "others", 0), 1);
  EXPECT_TRUE(Auth(SessionCredentials(sam1)).ok());
  EXPECT_FALSE(Auth(SessionCredentials(sam2)).ok());
  EXPECT_EQ(*security_service_.EndSessions(admin, "user", sam_id), 1);
  EXPECT_FALSE(Auth(SessionCredentials(sam1)).ok());
  LoginResult sam3 = MustLogin("sam@acme.test");
  EXPECT_EQ(*security_service_.EndSessions(admin, "account", 0), 2);  // sam3 and admin_other
  EXPECT_FALSE(Auth(SessionCredentials(sam3)).ok());
  EXPECT_FALSE(Auth(SessionCredentials(admin_other)).ok());
  EXPECT_TRUE(Auth(SessionCredentials(admin_login)).ok());
  EXPECT_EQ(Events("sessions_ended").size(), 3u);
  // The CLI's helper ends every session of a user.
  LoginResult sam4 = MustLogin("sam@acme.test");
  EXPECT_EQ(*security_service_.EndUserSessions(System(), sam_id), 1);
  EXPECT_FALSE(Auth(SessionCredentials(sam4)).ok());
}

// ---- IP whitelist ----

TEST_F(SecurityTest, WhitelistEntriesAreValidatedOneErrorEach) {
  IpWhitelist w = Whitelist({"203.0.113.0/24", "10.0.0.0/33", "nonsense", "2001:db8::/32"});
  auto r = security_service_.PutIpWhitelist(Admin(), w);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().fields().size(), 2u);
  EXPECT_EQ(r.status().fields()[0].path, "entries.1.value");
  EXPECT_EQ(r.status().fields()[1].path, "entries.2.value");
}

TEST_F(SecurityTest, LockOutGuardShowsTheAdminsAddress) {
  auto r = security_service_.PutIpWhitelist(Admin(), Whitelist({"198.51.100.0/24"}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(kPeer), std::string::npos);
  EXPECT_EQ(r.status().fields()[0].code, "LockOut");
  // Report-only cannot lock anyone out, so it may be saved.
  EXPECT_TRUE(
      security_service_.PutIpWhitelist(Admin(), Whitelist({"198.51.100.0/24"}, false, true)).ok());
}

TEST_F(SecurityTest, EnforcedWhitelistRefusesLoginsAndCutsLiveSessions) {
  AddUser("sam@acme.test");
  LoginResult roaming = MustLogin("sam@acme.test");  // from kPeer
  LoginInput away = Input("sam@acme.test", kPassword, "198.51.100.7");
  AuthError unused;
  auto away_login = auth_->Login(away, &unused);
  ASSERT_TRUE(away_login.ok());
  auto saved = security_service_.PutIpWhitelist(Admin(), Whitelist({"203.0.113.0/24"}));
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->entries[0].value, "203.0.113.0/24");

  AuthError error;
  auto refused = auth_->Login(away, &error);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(error.type_suffix, kIpNotAllowed);
  EXPECT_TRUE(Auth(SessionCredentials(roaming)).ok());
  auto cut = Auth(SessionCredentials(*away_login, false, "198.51.100.7"));
  EXPECT_EQ(cut.status().code(), Code::kPermissionDenied);
  EXPECT_FALSE(Events("ip_whitelist_refused").empty());
}

TEST_F(SecurityTest, BlockApiDecidesWhetherTokensAreRefused) {
  Caller admin = Admin();
  auto token = auth_->CreatePersonalToken(admin, "x", clock_.NowSeconds() + 86400, "");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(security_service_.PutIpWhitelist(admin, Whitelist({kPeer})).ok());
  EXPECT_TRUE(Auth(BearerCredentials(token->token, "198.51.100.7")).ok());
  ASSERT_TRUE(security_service_.PutIpWhitelist(admin, Whitelist({kPeer}, /*block_api=*/true)).ok());
  EXPECT_EQ(Auth(BearerCredentials(token->token, "198.51.100.7")).status().code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(Auth(BearerCredentials(token->token, kPeer)).ok());
}

TEST_F(SecurityTest, ReportOnlyLogsInsteadOfRefusing) {
  ASSERT_TRUE(
      security_service_.PutIpWhitelist(Admin(), Whitelist({kPeer}, true, /*report_only=*/true))
          .ok());
  AuthError error;
  EXPECT_TRUE(auth_->Login(Input("admin@acme.test", kPassword, "198.51.100.7"), &error).ok());
  auto events = Events("ip_whitelist_would_refuse");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_ip, "198.51.100.7");
}

TEST_F(SecurityTest, ForwardedForCountsOnlyFromTrustedProxies) {
  ASSERT_TRUE(security_service_.PutIpWhitelist(Admin(), Whitelist({kPeer})).ok());
  // An untrusted peer cannot claim a whitelisted address.
  LoginInput spoofed = Input("admin@acme.test", kPassword, "198.51.100.7");
  spoofed.client.forwarded_for = kPeer;
  AuthError error;
  EXPECT_EQ(auth_->Login(spoofed, &error).status().code(), Code::kPermissionDenied);
  // Behind a trusted proxy the forwarded address is the client (and HTTPS makes the cookie
  // Secure).
  Patch({.trusted_proxies = std::vector<std::string>{"10.0.0.0/8"}});
  LoginInput proxied = Input("admin@acme.test", kPassword, "10.1.2.3");
  proxied.client.forwarded_for = std::string("198.51.100.7, ") + kPeer;
  proxied.client.forwarded_proto = "https";
  auto login = auth_->Login(proxied, &error);
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_TRUE(login->secure);
  Credentials c = SessionCredentials(*login, false, "10.1.2.3");
  c.client.forwarded_for = kPeer;
  auto a = Auth(c);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->caller.client_ip, kPeer);
}

// ---- policy ----

TEST_F(SecurityTest, PolicyIsValidatedFieldByField) {
  Caller admin = Admin();
  auto r = security_service_.PatchSecurityPolicy(
      admin, {.session_idle_minutes = 1,
              .session_max_hours = 0,
              .lockout_threshold = 1000,
              .lockout_minutes = 0,
              .dormant_days = 3,
              .seats = 0,
              .trusted_proxies = std::vector<std::string>{"10.0.0.1", "x"}});
  ASSERT_FALSE(r.ok());
  std::vector<std::string> paths;
  for (const auto& f : r.status().fields()) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"session_idle_minutes", "session_max_hours",
                                             "lockout_threshold", "lockout_minutes", "dormant_days",
                                             "trusted_proxies.1", "seats"}));
  // Nothing was saved.
  EXPECT_EQ(security_service_.GetSecurityPolicy(admin)->policy, SecurityPolicy{});
}

TEST_F(SecurityTest, PolicySavesAndSeatsGoToTheAccount) {
  AddUser("sam@acme.test");
  Caller admin = Admin();
  auto below = security_service_.PatchSecurityPolicy(admin, {.seats = 1});
  ASSERT_FALSE(below.ok());
  EXPECT_EQ(below.status().fields()[0].code, "BelowUsage");
  auto r = security_service_.PatchSecurityPolicy(admin, {.session_idle_minutes = 30, .seats = 25});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->policy.session_idle_minutes, 30);
  EXPECT_EQ(store_->Reader(account_).Account()->seats, 25);
  auto read = security_service_.GetSecurityPolicy(admin);
  EXPECT_EQ(read->policy.session_idle_minutes, 30);
  EXPECT_EQ(read->seats, 25);
  EXPECT_EQ(Events("security_policy_changed").size(), 1u);
  // A shorter idle limit applies to live sessions at once.
  LoginResult login = MustLogin("sam@acme.test");
  clock_.Advance(31 * 60);
  EXPECT_FALSE(Auth(SessionCredentials(login)).ok());
  Caller sam = CallerFor(MustLogin("sam@acme.test"));
  EXPECT_EQ(security_service_.GetSecurityPolicy(sam).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(security_service_.PutIpWhitelist(sam, IpWhitelist{}).status().code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace gatehouse::service
