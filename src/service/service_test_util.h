// Test support for the service families: ServiceFixture, a migrated store (SQLite in a temp
// file, or PostgreSQL with GATEHOUSE_TEST_PG_URL), a fake clock, a policy cache and the helpers
// every service test needs; and the three set-ups built on it:
//  - RecordsFixture: two accounts, two groups, users at every rights level, a RecordService;
//  - AdminFixture: an account (kSeats seats) with its administrator and the AdminDeps;
//  - AuthFixture: an account with its administrator (password kPassword) and an AuthService.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/password.h"
#include "auth/tokens.h"
#include "base/clock.h"
#include "service/admin/admin.h"
#include "service/admin/admin_service.h"
#include "service/auth/auth.h"
#include "service/bootstrap.h"
#include "service/caller.h"
#include "service/events.h"
#include "service/policy_cache.h"
#include "service/records/records.h"
#include "service/security/security_service.h"
#include "service/service_names.h"
#include "storage/store.h"
#include "storage/store_test_util.h"

namespace gatehouse::service {

// What the service tests name unqualified, besides service_names.h.
using domain::Action;
using domain::DataSet;
using domain::Level;

}  // namespace gatehouse::service

namespace gatehouse::service::testing {

inline constexpr const char* kPassword = "correct horse battery";
inline constexpr const char* kPeer = "203.0.113.5";

// One Argon2id hash of kPassword shared by every test user (hashing costs ~60 ms).
inline const std::string& PasswordHash() {
  static const std::string hash = [] {
    auto h = auth::HashPassword(kPassword);
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

// Rights with every action of the three record data sets and tasks at `level` (add: A unless
// `level` is D), incoming leads denied.
inline domain::Rights Uniform(Level level) {
  domain::Rights r;
  for (DataSet ds : {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies, DataSet::kTasks}) {
    for (Action a : domain::kAllActions) {
      if (!domain::ActionApplies(ds, a)) continue;
      Level l = level;
      if (a == Action::kAdd) l = level == Level::kDenied ? Level::kDenied : Level::kAllowed;
      r.Set(ds, a, l);
    }
  }
  return r;
}

class ServiceFixture : public ::testing::Test {
 protected:
  // The engine the store runs on; a fixture run on both overrides it (GetParam()).
  virtual storage::testing::Engine engine() const { return storage::testing::Engine::kSqlite; }

  // Opens and migrates store_ (`connections` connections) on engine(), creates policies_ and
  // fills deps_, admin_service_ and security_service_.
  // Skips the test when the engine is PostgreSQL and no test database is configured. With
  // `store_clock` the store reads clock_ instead of the wall clock. Callers check
  // IsSkipped() and HasFatalFailure() afterwards.
  void OpenStore(int connections, bool store_clock) {
    bool skip = false;
    url_ = db_.Create(engine(), &skip);
    if (skip) GTEST_SKIP() << "no PostgreSQL test database (GATEHOUSE_TEST_PG_URL)";
    auto store = storage::Store::Open(url_, connections);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    if (store_clock) store_->set_clock(&clock_);
    ASSERT_TRUE(store_->Migrate().ok());
    policies_ = std::make_unique<PolicyCache>(store_.get());
    deps_ = {store_.get(), policies_.get(), &clock_};
    admin_service_ = AdminService(deps_);
    security_service_ = SecurityService(deps_);
  }

  // OpenStore, then CreateAcme: the set-up of a test about one account and its administrator.
  void OpenAcme(int connections, bool store_clock, std::int64_t seats,
                const std::string& password_hash) {
    OpenStore(connections, store_clock);
    if (IsSkipped() || HasFatalFailure()) return;
    CreateAcme(seats, password_hash);
  }

  // Creates account_ "acme" with `seats` seats and its administrator admin@acme.test (whose
  // password hash is `password_hash`) and sets admin_.
  void CreateAcme(std::int64_t seats, const std::string& password_hash) {
    auto account =
        CreateAccountWithAdmin(*store_, {"acme", "Acme", seats, 0},
                               {"admin@acme.test", "Admin", password_hash}, clock_.NowSeconds());
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = account->id;
    auto admin = Reader().FindUserByEmail("admin@acme.test");
    ASSERT_TRUE(admin.ok());
    admin_ = admin->user.id;
  }

  storage::AccountReader Reader() { return store_->Reader(account_); }

  // Runs `body` in a transaction of account_; it must succeed.
  void Write(const std::function<base::Status(storage::AccountWriter&)>& body) {
    base::Status status = store_->Write(account_, body);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  // Writes `row` as a new user of `account` (0: account_) straight through the store (no
  // rights, no password hashing); returns its id, 0 on failure (a failed expectation).
  domain::UserId CreateUser(storage::UserRow row, domain::AccountId account = 0) {
    domain::UserId id = 0;
    base::Status status = store_->Write(account == 0 ? account_ : account,
                                        [&](storage::AccountWriter& w) -> base::Status {
                                          GH_ASSIGN_OR_RETURN(id, w.CreateUser(row));
                                          return base::Status::Ok();
                                        });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return id;
  }

  // A caller acting as `user` of `account` (0: account_) through `via`, with the account's
  // current policy.
  Caller CallerOf(domain::UserId user, domain::AccountId account, Via via) {
    Caller caller{.account_id = account == 0 ? account_ : account,
                  .user_id = user,
                  .actor_id = user,
                  .via = via,
                  .client_ip = "127.0.0.1"};
    auto policy = policies_->Get(caller.account_id);
    EXPECT_TRUE(policy.ok());
    if (policy.ok()) caller.policy = *policy;
    return caller;
  }

  // A web-session caller acting as `user` of account_, with the account's policy rebuilt now
  // (after writes the cache has not seen), from no address.
  Caller SessionOf(domain::UserId user) {
    EXPECT_TRUE(policies_->Refresh(account_).ok());
    Caller caller = CallerOf(user, 0, Via::kSession);
    caller.client_ip.clear();
    return caller;
  }

  // The system (the CLI, the scheduler) acting on account_ from `ip`.
  Caller SystemOf(const std::string& ip = "") {
    return Caller{.account_id = account_, .via = Via::kSystem, .client_ip = ip};
  }

  // Activates or deactivates user `id` of account_ straight through the store, then refreshes
  // the account's policy.
  void SetActive(domain::UserId id, bool active) {
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(id));
      row.user.is_active = active;
      return w.UpdateUser(row);
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    (void)policies_->Refresh(account_);
  }

  // Every activity-log entry of account_ of `type` (all when empty), newest first.
  std::vector<storage::EventRow> Events(const std::string& type = "") {
    storage::EventQuery query;
    if (!type.empty()) query.types = {type};
    query.limit = 250;
    auto events = Reader().ListEvents(query);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<storage::EventRow>{};
  }

  storage::testing::TestDatabase db_;
  std::string url_;  // the database, for a second Store standing in for another process
  std::unique_ptr<storage::Store> store_;
  base::FakeClock clock_;
  std::unique_ptr<PolicyCache> policies_;
  AdminDeps deps_;                                 // store_, policies_ and clock_
  AdminService admin_service_{AdminDeps{}};        // over deps_
  SecurityService security_service_{AdminDeps{}};  // over deps_ (and auth_ in AuthFixture)
  domain::AccountId account_ = 0;
  domain::UserId admin_ = 0;  // the administrator of account_ (after CreateAcme)
};

// `FixtureT` (a ServiceFixture) run on each engine: INSTANTIATE_TEST_SUITE_P over
// storage::testing::Engine.
template <typename FixtureT>
class OnEachEngine : public FixtureT,
                     public ::testing::WithParamInterface<storage::testing::Engine> {
 protected:
  storage::testing::Engine engine() const override { return this->GetParam(); }
};

// A ServiceFixture on each engine, opened on account acme (50 seats) and its administrator
// admin_, the store on the wall clock: the set-up of the security services' tests.
class AcmeEngineFixture : public OnEachEngine<ServiceFixture> {
 protected:
  void SetUp() override { OpenAcme(2, /*store_clock=*/false, 50, ""); }
};

class RecordsFixture : public ServiceFixture {
 protected:
  // The paid seats of account_.
  virtual std::int64_t Seats() const { return 50; }

  void SetUp() override {
    OpenStore(3, /*store_clock=*/false);
    if (IsSkipped() || HasFatalFailure()) return;
    auto account = store_->CreateAccount({"acme", "Acme", Seats(), 0});
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = account->id;
    auto other = store_->CreateAccount({"other", "Other", 50, 0});
    ASSERT_TRUE(other.ok());
    other_account_ = other->id;
    ArrangeGroupsAndPipeline(stages_);
    if (HasFatalFailure()) return;
    for (domain::StatusId id : stages_) {
      if (id != domain::kWonStatusId && id != domain::kLostStatusId) working_.push_back(id);
    }
    ASSERT_GE(working_.size(), 2u);
    service_ = std::make_unique<RecordService>(*store_, clock_);
  }

  // In account_: sales_ (the default group) and a new group marketing_; pipeline_, the main
  // pipeline, whose stages but the incoming one go into `stages` in order.
  void ArrangeGroupsAndPipeline(std::vector<domain::StatusId>& stages) {
    ASSERT_TRUE(store_
                    ->Write(account_,
                            [&](storage::AccountWriter& w) -> base::Status {
                              GH_ASSIGN_OR_RETURN(sales_, w.DefaultGroupId());
                              GH_ASSIGN_OR_RETURN(marketing_, w.CreateGroup("Marketing"));
                              return base::Status::Ok();
                            })
                    .ok());
    auto pipelines = Reader().ListPipelines();
    ASSERT_TRUE(pipelines.ok() && !pipelines->empty());
    pipeline_ = pipelines->front().id;
    for (const domain::Stage& s : pipelines->front().stages) {
      if (s.type != domain::kStageTypeIncoming) stages.push_back(s.id);
    }
  }

  // Adds a user and refreshes the policy; returns its id.
  domain::UserId AddUser(const std::string& email, domain::Rights rights, domain::GroupId group,
                         bool admin = false, domain::AccountId account = 0) {
    storage::UserRow row{.user = {.name = email,
                                  .email = email,
                                  .is_admin = admin,
                                  .group_id = group,
                                  .rights = std::move(rights)}};
    const domain::UserId id = CreateUser(std::move(row), account);
    EXPECT_TRUE(policies_->Refresh(account == 0 ? account_ : account).ok());
    return id;
  }

  Caller As(domain::UserId user, domain::AccountId account = 0) {
    return CallerOf(user, account, Via::kToken);
  }

  // Direct store writes (no rights involved) for arranging data.
  storage::Lead MakeLead(domain::UserId responsible, domain::StatusId status = 0,
                         const std::string& name = "Deal") {
    const storage::Lead lead{.name = name,
                             .price = 100,
                             .pipeline_id = pipeline_,
                             .status_id = status == 0 ? working_[0] : status,
                             .responsible_user_id = responsible};
    return Made(lead);
  }

  storage::Contact MakeContact(domain::UserId responsible, const std::string& name = "Ann") {
    const storage::Contact contact{.name = name, .responsible_user_id = responsible};
    return Made(contact);
  }

  storage::Company MakeCompany(domain::UserId responsible, const std::string& name = "Acme") {
    const storage::Company company{.name = name, .responsible_user_id = responsible};
    return Made(company);
  }

  // `record` as stored in account_ (with its id).
  template <typename R>
  R Made(const R& record) {
    R out;
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(out, w.Create(record));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  void Link(domain::RecordId lead, domain::RecordId contact, domain::RecordId company = 0) {
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      if (contact != 0) GH_RETURN_IF_ERROR(w.LinkContact(lead, contact, true));
      if (company != 0) GH_RETURN_IF_ERROR(w.LinkCompany(lead, company));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  std::unique_ptr<RecordService> service_;
  domain::AccountId other_account_ = 0;
  domain::GroupId sales_ = 0;
  domain::GroupId marketing_ = 0;
  domain::PipelineId pipeline_ = 0;
  std::vector<domain::StatusId> stages_;   // the main pipeline's, but the incoming
  std::vector<domain::StatusId> working_;  // stages_ but won and lost
};

class AdminFixture : public ServiceFixture {
 protected:
  static constexpr std::int64_t kSeats = 5;

  void SetUp() override {
    OpenAcme(3, /*store_clock=*/true, kSeats, "");
    if (IsSkipped() || HasFatalFailure()) return;
    admin_id_ = admin_;
    auto group = Reader().DefaultGroupId();
    ASSERT_TRUE(group.ok());
    default_group_ = *group;
  }

  // A caller acting as `user` with the account's current policy.
  Caller As(domain::UserId user) { return CallerOf(user, 0, Via::kSystem); }
  Caller Admin() { return As(admin_id_); }

  // Adds a user straight through the store (no password hashing).
  domain::UserId AddUser(const std::string& email, domain::Rights rights = {},
                         domain::GroupId group = 0, bool is_admin = false, bool is_free = false,
                         bool is_active = true) {
    storage::UserRow row{.user = {.name = email.substr(0, email.find('@')),
                                  .email = email,
                                  .is_admin = is_admin,
                                  .is_active = is_active,
                                  .is_free = is_free,
                                  .group_id = group,
                                  .rights = std::move(rights)}};
    const domain::UserId id = CreateUser(std::move(row));
    RefreshPolicy(deps_, account_);
    return id;
  }

  storage::Lead AddLead(domain::UserId responsible, const std::string& name = "Deal") {
    storage::Lead lead{.name = name, .responsible_user_id = responsible};
    base::Status status = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(lead, w.Create(lead));
      return base::Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return lead;
  }

  // Appends an event as `actor` (what the record services do for their writes).
  void AddEvent(const std::string& type, const std::string& entity_type, std::int64_t entity_id,
                domain::UserId actor) {
    // A second apart: event ids order by time only to the millisecond of the wall clock.
    clock_.Advance(1);
    base::Status status = store_->Write(account_, [&](storage::AccountWriter& w) {
      return RecordEvent(w, As(actor), clock_.NowSeconds(), {type, entity_type, entity_id});
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
  }

  // Every event, newest first.
  std::vector<storage::EventRow> AllEvents() { return Events(); }
  std::vector<storage::EventRow> EventsOfType(const std::string& type) {
    std::vector<storage::EventRow> out;
    for (storage::EventRow& e : AllEvents()) {
      if (e.type == type) out.push_back(e);
    }
    return out;
  }

  static domain::Rights LeadsView(domain::Level level) {
    domain::Rights rights;
    rights.Set(domain::DataSet::kLeads, domain::Action::kView, level);
    return rights;
  }

  domain::UserId admin_id_ = 0;  // admin_, under the name the admin tests use
  domain::GroupId default_group_ = 0;
};

class AuthFixture : public ServiceFixture {
 protected:
  void SetUp() override {
    OpenAcme(3, /*store_clock=*/true, 10, PasswordHash());
    if (IsSkipped() || HasFatalFailure()) return;
    AuthOptions options;
    options.common_passwords = auth::CommonPasswords::FromList({"password1234", "qwertyuiop12"});
    auto service = AuthService::Create(store_.get(), policies_.get(), &clock_, std::move(options));
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    auth_ = std::move(service).value();
    security_service_ = SecurityService(deps_, auth_.get());
  }

  // Adds an active user with kPassword; returns its id.
  domain::UserId AddUser(const std::string& email, bool is_admin = false, bool is_free = false) {
    storage::UserRow row{
        .user = {.name = email, .email = email, .is_admin = is_admin, .is_free = is_free},
        .password_hash = PasswordHash()};
    const domain::UserId id = CreateUser(std::move(row));
    (void)policies_->Refresh(account_);
    return id;
  }

  LoginInput Input(const std::string& email, const std::string& password = kPassword,
                   const std::string& peer = kPeer) {
    return LoginInput{
        .email = email,
        .password = password,
        .client = {.peer = peer,
                   .user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"}};
  }

  // Logs in (must succeed).
  LoginResult MustLogin(const std::string& email, const std::string& code = "") {
    LoginInput in = Input(email);
    in.code = code;
    AuthError error;
    auto result = auth_->Login(in, &error);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : LoginResult{};
  }

  Credentials SessionCredentials(const LoginResult& login, bool changes_state = false,
                                 const std::string& peer = kPeer) {
    return Credentials{.session_token = login.session_token,
                       .csrf_token = changes_state ? login.csrf_token : "",
                       .changes_state = changes_state,
                       .client = {.peer = peer}};
  }

  Credentials BearerCredentials(const std::string& token, const std::string& peer = kPeer) {
    return Credentials{.bearer = token, .client = {.peer = peer}};
  }

  base::Result<Authenticated> Auth(const Credentials& c, AuthError* error = nullptr) {
    AuthError ignored;
    return auth_->Authenticate(c, error != nullptr ? error : &ignored);
  }

  Caller CallerFor(const LoginResult& login) {
    auto a = Auth(SessionCredentials(login));
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->caller : Caller{};
  }

  std::unique_ptr<AuthService> auth_;
};

}  // namespace gatehouse::service::testing
