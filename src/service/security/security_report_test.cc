// The security report over real stored data, on SQLite and (with GATEHOUSE_TEST_PG_URL)
// PostgreSQL: each check arranged, its exact finding asserted, and its absence once fixed.
#include "service/security/security_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/bootstrap.h"
#include "service/events.h"
#include "service/policy_cache.h"
#include "service/security/security_settings.h"
#include "service/service_test_util.h"
#include "storage/store_test_util.h"

namespace gatehouse::service {
namespace {

using storage::testing::Engine;

class SecurityReportTest : public testing::AcmeEngineFixture {
 protected:
  void SetUp() override {
    AcmeEngineFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Login(admin_, clock_.NowSeconds());  // an administrator in use, not a dormant one
  }

  Caller As(domain::UserId user) { return SessionOf(user); }
  Caller System() { return SystemOf(); }

  struct NewUser {
    std::string name;
    domain::Rights rights{};
    bool is_admin = false;
    bool is_free = false;
    bool is_active = true;
    std::optional<domain::RoleId> role_id{};
  };
  domain::UserId AddUser(const NewUser& in) {
    domain::UserId id = 0;
    Write([&](storage::AccountWriter& w) -> base::Status {
      const storage::UserRow row{.user = {.name = in.name,
                                          .email = in.name + "@acme.test",
                                          .is_admin = in.is_admin,
                                          .is_active = in.is_active,
                                          .is_free = in.is_free,
                                          .role_id = in.role_id,
                                          .rights = in.rights},
                                 .created_at = clock_.NowSeconds()};
      GH_ASSIGN_OR_RETURN(id, w.CreateUser(row));
      return w.SetLastLogin(id, clock_.NowSeconds());
    });
    return id;
  }
  void Login(domain::UserId user, std::int64_t at) {
    Write([&](storage::AccountWriter& w) { return w.SetLastLogin(user, at); });
  }
  void EnableTwoFactor(domain::UserId user) {
    Write([&](storage::AccountWriter& w) {
      return w.SetTwoFactor(user, "JBSWY3DPEHPK3PXP", true, 0, {});
    });
  }
  void Deactivate(domain::UserId user) {
    Write([&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(user));
      row.user.is_active = false;
      return w.UpdateUser(row);
    });
  }
  void SetPolicy(const SecurityPolicy& policy, const IpWhitelist& whitelist = {}) {
    Write([&](storage::AccountWriter& w) {
      return w.PutSecuritySettings(
          {SerializeSecurityPolicy(policy), SerializeIpWhitelist(whitelist), clock_.NowSeconds()});
    });
  }
  // Settings under which none of the account-wide checks fire.
  void Harden() {
    EnableTwoFactor(admin_);
    SetPolicy(SecurityPolicy{.require_two_factor = true},
              IpWhitelist{.enabled = true, .entries = {{"10.0.0.0/8", "office"}}});
  }
  void AddSession(const std::string& id, domain::UserId user, std::int64_t created,
                  std::int64_t last_seen, const std::string& location = "unknown") {
    Write([&](storage::AccountWriter& w) {
      return w.CreateSession(storage::SessionRow{.id = id,
                                                 .token_hash = "hash-" + id,
                                                 .account_id = account_,
                                                 .user_id = user,
                                                 .ip = "203.0.113.9",
                                                 .location = location,
                                                 .created_at = created,
                                                 .last_seen_at = last_seen,
                                                 .expires_at = created + 30 * kDaySeconds});
    });
  }
  void AddEvent(const std::string& type, domain::UserId entity, std::int64_t at,
                const std::string& ip, const std::string& after) {
    Write([&](storage::AccountWriter& w) {
      Caller caller = System();
      caller.client_ip = ip;
      return RecordEvent(w, caller, at, {type, "user", entity, "[]", after});
    });
  }
  void FailLogin(const std::string& email, const std::string& ip, std::int64_t at) {
    AddEvent("login_failed", 0, at, ip,
             R"([{"login":{"email":")" + email + R"(","reason":"wrong_credentials"}}])");
  }

  SecurityReport Report() {
    auto report = security_service_.BuildSecurityReport(As(admin_));
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : SecurityReport{};
  }
  static std::vector<std::string> Codes(const SecurityReport& report) {
    std::vector<std::string> out;
    for (const Finding& f : report.findings) out.push_back(f.code);
    return out;
  }
  // A copy: callers pass the temporary Report().
  static std::optional<Finding> Find(const SecurityReport& report, const std::string& code) {
    for (const Finding& f : report.findings) {
      if (f.code == code) return f;
    }
    return std::nullopt;
  }
  // The affected entries as "type:id" (numeric ids) or "type:key".
  static std::vector<std::string> Ids(const Finding& f) {
    std::vector<std::string> out;
    for (const Affected& a : f.affected) {
      out.push_back(a.type + ":" + (a.key.empty() ? std::to_string(a.id) : a.key));
    }
    return out;
  }
  static std::string U(domain::UserId id) { return "user:" + std::to_string(id); }
};

TEST_P(SecurityReportTest, AdministratorsAndTheSystemOnly) {
  const domain::UserId member = AddUser({"member"});
  auto denied = security_service_.BuildSecurityReport(As(member));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), base::Code::kPermissionDenied);
  EXPECT_TRUE(security_service_.BuildSecurityReport(System()).ok());
}

TEST_P(SecurityReportTest, AFreshWorkspaceHasItsSettingsFindingsInOrder) {
  SecurityReport report = Report();
  EXPECT_EQ(report.generated_at, clock_.NowSeconds());
  EXPECT_EQ(Codes(report),
            (std::vector<std::string>{"admins_without_two_factor", "ip_whitelist_off",
                                      "two_factor_not_required"}));
  EXPECT_EQ(report.Count(Severity::kHigh), 1);
  EXPECT_EQ(report.Count(Severity::kMedium), 2);
  EXPECT_EQ(report.Count(Severity::kLow), 0);
  const Finding& admins = report.findings[0];
  EXPECT_EQ(admins.severity, Severity::kHigh);
  EXPECT_EQ(admins.title, "1 active administrator has not enabled two-step verification.");
  EXPECT_EQ(Ids(admins), std::vector<std::string>{U(admin_)});
  EXPECT_EQ(admins.affected[0].name, "Admin");
  EXPECT_NE(admins.fix.find("/api/v4/security/two_factor/enroll"), std::string::npos);
  const Finding& policy = report.findings[2];
  EXPECT_EQ(Ids(policy), std::vector<std::string>{"account:" + std::to_string(account_)});
  EXPECT_EQ(
      policy.affected[0].counts,
      (std::vector<std::pair<std::string, std::int64_t>>{{"active_users_without_two_factor", 1}}));

  Harden();
  EXPECT_TRUE(Report().findings.empty());

  SetPolicy(SecurityPolicy{.require_two_factor = true},
            IpWhitelist{.enabled = true, .report_only = true});
  SecurityReport again = Report();
  ASSERT_EQ(Codes(again), std::vector<std::string>{"ip_whitelist_report_only"});
  EXPECT_EQ(again.findings[0].severity, Severity::kLow);
}

TEST_P(SecurityReportTest, TooManyAdministratorsByCountOrByShare) {
  Harden();
  // One administrator and one member: 50%, but one is never too many.
  AddUser({"member"});
  EXPECT_FALSE(Find(Report(), "too_many_administrators"));

  // Two administrators of five active paid users: 40% > 20%.
  const domain::UserId second = AddUser({"second", {}, true});
  EnableTwoFactor(second);
  AddUser({"m2"});
  AddUser({"m3"});
  AddUser({"free", {}, false, /*is_free=*/true});
  std::optional<Finding> share = Find(Report(), "too_many_administrators");
  ASSERT_TRUE(share);
  EXPECT_EQ(share->severity, Severity::kMedium);
  EXPECT_EQ(share->title, "2 active administrators: more than 20% of the 5 active paid users.");
  EXPECT_EQ(Ids(*share), (std::vector<std::string>{U(admin_), U(second)}));

  // Two of ten: exactly 20% is not more.
  for (int i = 0; i < 5; ++i) AddUser({"extra" + std::to_string(i)});
  EXPECT_FALSE(Find(Report(), "too_many_administrators"));

  // Four of twelve: over the count, and 33% over the share.
  for (const char* name : {"third", "fourth"}) EnableTwoFactor(AddUser({name, {}, true}));
  std::optional<Finding> both = Find(Report(), "too_many_administrators");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->title,
            "4 active administrators: more than 3, and more than 20% of the 12 active paid "
            "users.");
  EXPECT_EQ(both->affected.size(), 4u);

  // Four of twenty-two (18%): over the count only.
  for (int i = 0; i < 10; ++i) AddUser({"more" + std::to_string(i)});
  std::optional<Finding> count = Find(Report(), "too_many_administrators");
  ASSERT_TRUE(count);
  EXPECT_EQ(count->title, "4 active administrators: more than 3.");
}

TEST_P(SecurityReportTest, AdministratorsWithoutTwoFactorAreActiveOnes) {
  Harden();
  const domain::UserId second = AddUser({"second", {}, true});
  AddUser({"former", {}, true, false, /*is_active=*/false});
  std::optional<Finding> f = Find(Report(), "admins_without_two_factor");
  ASSERT_TRUE(f);
  EXPECT_EQ(Ids(*f), std::vector<std::string>{U(second)});
  EnableTwoFactor(second);
  EXPECT_FALSE(Find(Report(), "admins_without_two_factor"));
}

TEST_P(SecurityReportTest, ExportRightsAllowedAndTeamWide) {
  Harden();
  auto with_export = [](DataSet ds, Level level) {
    domain::Rights r;
    r.Set(ds, Action::kView, level);
    r.Set(ds, Action::kExport, level);
    return r;
  };
  const domain::UserId all_leads = AddUser({"all", with_export(DataSet::kLeads, Level::kAllowed)});
  domain::Rights both = with_export(DataSet::kContacts, Level::kTeamWide);
  both.Set(DataSet::kCompanies, Action::kView, Level::kAllowed);
  both.Set(DataSet::kCompanies, Action::kExport, Level::kAllowed);
  const domain::UserId mixed = AddUser({"mixed", both});
  const domain::UserId team = AddUser({"team", with_export(DataSet::kContacts, Level::kTeamWide)});
  AddUser({"own", with_export(DataSet::kLeads, Level::kIfResponsible)});
  AddUser({"free", with_export(DataSet::kLeads, Level::kAllowed), false, /*is_free=*/true});
  AddUser({"gone", with_export(DataSet::kLeads, Level::kAllowed), false, false, false});
  auto pipelines = Reader().ListPipelines();
  ASSERT_TRUE(pipelines.ok() && !pipelines->empty());
  domain::Rights stage = with_export(DataSet::kLeads, Level::kIfResponsible);
  domain::StageRights won{.stage = {pipelines->front().id, domain::kWonStatusId}};
  won.Set(Action::kView, Level::kAllowed);
  won.Set(Action::kExport, Level::kAllowed);
  stage.stage_rights = {won};
  const domain::UserId staged = AddUser({"staged", stage});

  SecurityReport report = Report();
  std::optional<Finding> allowed = Find(report, "export_rights_allowed");
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->severity, Severity::kMedium);
  EXPECT_EQ(Ids(*allowed), (std::vector<std::string>{U(all_leads), U(mixed), U(staged)}));
  EXPECT_EQ(allowed->affected[0].detail, "exports leads A");
  EXPECT_EQ(allowed->affected[1].detail, "exports contacts G, companies A");
  EXPECT_EQ(allowed->affected[2].detail,
            "exports leads in stage " + std::to_string(pipelines->front().id) + "/142 A");
  EXPECT_EQ(allowed->title,
            "3 users may export every lead, contact or company of a data set or stage (export "
            "right A).");
  std::optional<Finding> team_wide = Find(report, "export_rights_team_wide");
  ASSERT_TRUE(team_wide);
  EXPECT_EQ(team_wide->severity, Severity::kLow);
  EXPECT_EQ(Ids(*team_wide), std::vector<std::string>{U(team)});
}

TEST_P(SecurityReportTest, DormantUsersStillActiveOrHoldingWideRights) {
  Harden();
  const std::int64_t start = clock_.NowSeconds();
  const domain::UserId idle = AddUser({"idle"});
  const domain::UserId recent = AddUser({"recent"});
  domain::Rights wide;
  wide.Set(DataSet::kLeads, Action::kView, Level::kTeamWide);
  const domain::UserId gone_wide = AddUser({"gone_wide", wide, false, false, false});
  AddUser({"gone_narrow", {}, false, false, false});
  clock_.Advance(100 * kDaySeconds);
  Login(admin_, clock_.NowSeconds());
  Login(recent, clock_.NowSeconds() - 10 * kDaySeconds);

  // dormant_days unset: 90 days.
  std::optional<Finding> f = Find(Report(), "dormant_users");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kMedium);
  EXPECT_EQ(Ids(*f), (std::vector<std::string>{U(idle), U(gone_wide)}));
  EXPECT_EQ(f->title,
            "2 users have not logged in for 90 days and still are active or hold wide rights.");
  EXPECT_EQ(f->affected[0].detail, "last login 100 days ago; active");
  EXPECT_EQ(f->affected[1].detail, "last login 100 days ago; deactivated, wide rights");
  EXPECT_EQ(f->affected[0].counts,
            (std::vector<std::pair<std::string, std::int64_t>>{{"days_without_login", 100}}));

  // A longer policy window clears them; the last login is what counts.
  SetPolicy(SecurityPolicy{.require_two_factor = true, .dormant_days = 120},
            IpWhitelist{.enabled = true});
  EXPECT_FALSE(Find(Report(), "dormant_users"));
  EXPECT_GT(clock_.NowSeconds() - start, 90 * kDaySeconds);
}

TEST_P(SecurityReportTest, DeactivatedUsersStillOwningRecordsWithCounts) {
  Harden();
  const domain::UserId leaver = AddUser({"leaver"});
  const domain::UserId stayer = AddUser({"stayer"});
  Write([&](storage::AccountWriter& w) -> base::Status {
    for (int i = 0; i < 2; ++i) {
      GH_RETURN_IF_ERROR(
          w.Create(storage::Lead{.name = "Deal", .responsible_user_id = leaver}).status());
    }
    GH_RETURN_IF_ERROR(
        w.Create(storage::Lead{.name = "Kept", .responsible_user_id = stayer}).status());
    GH_ASSIGN_OR_RETURN(const storage::Contact contact,
                        w.Create(storage::Contact{.name = "Ann", .responsible_user_id = leaver}));
    const storage::Conversation talk{.channel = "email",
                                     .subject = "Hello",
                                     .entity_type = DataSet::kContacts,
                                     .entity_id = contact.id,
                                     .responsible_user_id = leaver};
    GH_RETURN_IF_ERROR(w.Create(talk).status());
    const storage::Task task{.text = "Call",
                             .complete_till = clock_.NowSeconds() + kDaySeconds,
                             .responsible_user_id = leaver};
    GH_RETURN_IF_ERROR(w.Create(task).status());
    GH_RETURN_IF_ERROR(
        w.Create(storage::Customer{.name = "Buyer", .responsible_user_id = leaver}).status());
    GH_ASSIGN_OR_RETURN(std::vector<domain::Pipeline> pipelines, w.ListPipelines());
    const storage::IncomingLead pending{.uid = "u-1",
                                        .category = domain::IncomingCategory::kForms,
                                        .pipeline_id = pipelines.front().id,
                                        .responsible_user_id = leaver,
                                        .lead_name = "Form"};
    return w.Create(pending).status();
  });
  EXPECT_FALSE(Find(Report(), "deactivated_users_own_records"));  // still active

  Deactivate(leaver);
  std::optional<Finding> f = Find(Report(), "deactivated_users_own_records");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kMedium);
  EXPECT_EQ(f->title, "1 deactivated user is still responsible for 7 records.");
  ASSERT_EQ(Ids(*f), std::vector<std::string>{U(leaver)});
  EXPECT_EQ(f->affected[0].counts,
            (std::vector<std::pair<std::string, std::int64_t>>{{"leads", 2},
                                                               {"contacts", 1},
                                                               {"companies", 0},
                                                               {"tasks", 1},
                                                               {"incoming_leads", 1},
                                                               {"conversations", 1},
                                                               {"customers", 1}}));

  Write([&](storage::AccountWriter& w) {
    return w.Reassign(leaver, stayer, clock_.NowSeconds()).status();
  });
  EXPECT_FALSE(Find(Report(), "deactivated_users_own_records"));
}

TEST_P(SecurityReportTest, IdleSessionsPastTheIdleLimitOrAWeek) {
  Harden();
  const domain::UserId user = AddUser({"user"});
  const std::int64_t now = clock_.NowSeconds();
  AddSession("s-fresh", user, now - 2 * kDaySeconds, now - 3600);
  AddSession("s-stale", user, now - 3 * kDaySeconds, now - 25 * 3600);
  // Default idle limit 24 h: the stale one is flagged (expired but not ended).
  std::optional<Finding> f = Find(Report(), "idle_sessions");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kLow);
  EXPECT_EQ(f->title, "1 session has had no activity for 1 day or more.");
  ASSERT_EQ(Ids(*f), std::vector<std::string>{"session:s-stale"});
  EXPECT_EQ(f->affected[0].user_id, user);
  EXPECT_EQ(f->affected[0].name, "user");
  EXPECT_EQ(f->affected[0].detail,
            "idle 1 day, from 203.0.113.9; expired by the idle limit but not ended");

  // A 30-day idle limit: the cap of 7 days applies, and such sessions still work.
  SetPolicy(SecurityPolicy{.require_two_factor = true, .session_idle_minutes = 30 * 24 * 60},
            IpWhitelist{.enabled = true});
  EXPECT_FALSE(Find(Report(), "idle_sessions"));
  AddSession("s-week", user, now - 9 * kDaySeconds, now - 8 * kDaySeconds);
  std::optional<Finding> week = Find(Report(), "idle_sessions");
  ASSERT_TRUE(week);
  EXPECT_EQ(week->title, "1 session has had no activity for 7 days or more.");
  ASSERT_EQ(Ids(*week), std::vector<std::string>{"session:s-week"});
  EXPECT_EQ(week->affected[0].detail, "idle 8 days, from 203.0.113.9; still valid");
}

TEST_P(SecurityReportTest, PersonalTokensUnusedForNinetyDays) {
  Harden();
  const domain::UserId ann = AddUser({"ann"});
  const std::int64_t now = clock_.NowSeconds();
  const std::int64_t day = kDaySeconds;
  std::int64_t never_used = 0, used_long_ago = 0;
  Write([&](storage::AccountWriter& w) -> base::Status {
    auto token = [&](std::string name, std::int64_t created, std::int64_t used,
                     std::int64_t expires, std::string kind = "long_lived") {
      const std::string hash = "hash-" + name;
      return w.CreateApiToken(storage::ApiTokenRow{.user_id = ann,
                                                   .name = std::move(name),
                                                   .token_hash = hash,
                                                   .kind = std::move(kind),
                                                   .created_at = created,
                                                   .expires_at = expires,
                                                   .last_used_at = used});
    };
    GH_ASSIGN_OR_RETURN(never_used, token("old script", now - 120 * day, 0, now + 200 * day));
    GH_ASSIGN_OR_RETURN(used_long_ago, token("laptop", now - 400 * day, now - 90 * day, 0));
    GH_RETURN_IF_ERROR(token("in use", now - 400 * day, now - 89 * day, now + day).status());
    GH_RETURN_IF_ERROR(token("new", now - 89 * day, 0, now + day).status());
    GH_RETURN_IF_ERROR(token("expired", now - 300 * day, 0, now - day).status());
    GH_ASSIGN_OR_RETURN(std::int64_t revoked, token("revoked", now - 300 * day, 0, 0));
    GH_RETURN_IF_ERROR(w.RevokeApiToken(revoked));
    // An integration's access token is reviewed through its integration, not here.
    return token("oauth", now - 100 * day, 0, now + day, "oauth_access").status();
  });
  std::optional<Finding> f = Find(Report(), "unused_api_tokens");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kLow);
  EXPECT_EQ(f->title, "2 personal API tokens have not been used for 90 days or more.");
  ASSERT_EQ(Ids(*f), (std::vector<std::string>{"token:" + std::to_string(never_used),
                                               "token:" + std::to_string(used_long_ago)}));
  EXPECT_EQ(f->affected[0].name, "ann");
  EXPECT_EQ(f->affected[0].user_id, ann);
  EXPECT_EQ(f->affected[0].detail, "\"old script\", never used, created 120 days ago");
  EXPECT_EQ(f->affected[1].detail, "\"laptop\", last used 90 days ago");
  EXPECT_EQ(f->affected[1].counts, (std::vector<std::pair<std::string, std::int64_t>>{
                                       {"idle_days", 90}, {"expires_at", 0}}));

  Write([&](storage::AccountWriter& w) -> base::Status {
    GH_RETURN_IF_ERROR(w.RevokeApiToken(never_used));
    return w.RevokeApiToken(used_long_ago);
  });
  EXPECT_FALSE(Find(Report(), "unused_api_tokens"));
}

TEST_P(SecurityReportTest, SessionFromANewCountry) {
  Harden();
  const domain::UserId ann = AddUser({"ann"});
  const domain::UserId bob = AddUser({"bob"});
  const std::int64_t now = clock_.NowSeconds();
  AddSession("a-1", ann, now - 3 * 3600, now - 600, "DE");
  AddSession("a-2", ann, now - 2 * 3600, now - 600, "DE");
  AddSession("b-1", bob, now - 3 * 3600, now - 600, "unknown");
  AddSession("b-2", bob, now - 2 * 3600, now - 600, "FR");  // nothing known to compare with
  EXPECT_FALSE(Find(Report(), "session_new_country"));

  AddSession("a-3", ann, now - 3600, now - 60, "BR");
  std::optional<Finding> f = Find(Report(), "session_new_country");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kMedium);
  ASSERT_EQ(Ids(*f), std::vector<std::string>{"session:a-3"});
  EXPECT_EQ(f->affected[0].user_id, ann);
  EXPECT_EQ(f->affected[0].detail, "from BR (203.0.113.9); earlier sessions from DE");

  // Ended sessions still count as history through their login_succeeded entries.
  AddEvent("login_succeeded", bob, now - 5 * kDaySeconds, "198.51.100.1",
           R"([{"session":{"id":"b-0","device":"Firefox","location":"US"}}])");
  std::optional<Finding> g = Find(Report(), "session_new_country");
  ASSERT_TRUE(g);
  EXPECT_EQ(Ids(*g), (std::vector<std::string>{"session:a-3", "session:b-2"}));
}

TEST_P(SecurityReportTest, BurstsOfFailedLoginsPerEmailAndPerAddress) {
  Harden();
  const std::int64_t now = clock_.NowSeconds();
  // Nine failures for one email in ten minutes (different addresses): not yet a burst.
  for (int i = 0; i < 9; ++i) {
    FailLogin("Target@acme.test", "198.51.100." + std::to_string(i), now - 3600 + i * 60);
  }
  EXPECT_FALSE(Find(Report(), "failed_login_burst"));
  // The tenth, still within 15 minutes of the first (case of the email does not matter).
  FailLogin("target@ACME.test", "198.51.100.77", now - 3600 + 14 * 60);
  std::optional<Finding> f = Find(Report(), "failed_login_burst");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kHigh);
  ASSERT_EQ(Ids(*f), std::vector<std::string>{"email:target@acme.test"});
  EXPECT_EQ(f->affected[0].counts,
            (std::vector<std::pair<std::string, std::int64_t>>{{"failures_in_window", 10},
                                                               {"window_started_at", now - 3600},
                                                               {"failures_in_24_hours", 10}}));
  EXPECT_EQ(f->title,
            "Bursts of failed logins in the last 24 hours: 1 email or address with 10 or more "
            "failures within 15 minutes.");

  // One address trying many emails; ten spread over more than 15 minutes are no burst.
  for (int i = 0; i < 10; ++i) {
    FailLogin("u" + std::to_string(i) + "@acme.test", "203.0.113.50", now - 1800 + i * 30);
    FailLogin("slow@acme.test", "192.0.2." + std::to_string(i), now - 7200 + i * 100);
  }
  std::optional<Finding> g = Find(Report(), "failed_login_burst");
  ASSERT_TRUE(g);
  EXPECT_EQ(Ids(*g), (std::vector<std::string>{"email:target@acme.test", "ip:203.0.113.50"}));

  // A day later the log still holds them, but they are out of the 24-hour window.
  clock_.Advance(kDaySeconds);
  Login(admin_, clock_.NowSeconds());
  EXPECT_FALSE(Find(Report(), "failed_login_burst"));
}

TEST_P(SecurityReportTest, UnusedRoles) {
  Harden();
  domain::RoleId used = 0;
  domain::RoleId unused = 0;
  Write([&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(used, w.CreateRole({0, "Sales", {}}));
    GH_ASSIGN_OR_RETURN(unused, w.CreateRole({0, "Legacy", {}}));
    return base::Status::Ok();
  });
  AddUser({"seller", {}, false, false, true, used});
  std::optional<Finding> f = Find(Report(), "unused_roles");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kLow);
  EXPECT_EQ(f->title, "1 role is held by no user.");
  ASSERT_EQ(Ids(*f), std::vector<std::string>{"role:" + std::to_string(unused)});
  EXPECT_EQ(f->affected[0].name, "Legacy");
  Write([&](storage::AccountWriter& w) { return w.DeleteRole(unused); });
  EXPECT_FALSE(Find(Report(), "unused_roles"));
}

TEST_P(SecurityReportTest, OrderIsSeverityThenCode) {
  AddUser({"second", {}, true});  // two administrators of two paid users, neither with 2FA
  Write([&](storage::AccountWriter& w) { return w.CreateRole({0, "Spare", {}}).status(); });
  std::vector<std::string> codes = Codes(Report());
  EXPECT_EQ(codes, (std::vector<std::string>{"admins_without_two_factor", "ip_whitelist_off",
                                             "too_many_administrators", "two_factor_not_required",
                                             "unused_roles"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, SecurityReportTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         storage::testing::EngineName);

}  // namespace
}  // namespace gatehouse::service
