// AdminService::SetUsersActive: the batch of Kommo's Users::activate/deactivate, all or none,
// with the rules and effects of PATCH {is_active}.
#include <gtest/gtest.h>

#include <vector>

#include "service/admin/admin_service.h"
#include "service/bootstrap.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

class UserActivationTest : public testing::AdminFixture {
 protected:
  // One session and one API token of `user`.
  void GiveSessionAndToken(domain::UserId user, const std::string& tag) {
    Write([&](storage::AccountWriter& w) -> base::Status {
      const std::int64_t now = clock_.NowSeconds();
      const storage::SessionRow session{.id = "s-" + tag,
                                        .token_hash = "h-" + tag,
                                        .user_id = user,
                                        .created_at = now,
                                        .last_seen_at = now,
                                        .expires_at = now + 3600};
      GH_RETURN_IF_ERROR(w.CreateSession(session));
      const storage::ApiTokenRow token{
          .user_id = user, .name = "ci", .token_hash = "t-" + tag, .created_at = now};
      return w.CreateApiToken(token).status();
    });
  }

  bool IsActive(domain::UserId user) { return Reader().GetUser(user)->user.is_active; }

  // The refusal's only field error, as "path code".
  static std::string Refusal(const base::Status& status) {
    EXPECT_EQ(status.code(), Code::kInvalidArgument) << status.ToString();
    if (status.fields().size() != 1) return status.ToString();
    return status.fields()[0].path + " " + status.fields()[0].code;
  }
};

TEST_F(UserActivationTest, DeactivationEndsSessionsAndTokensAndLogsEachChange) {
  const domain::UserId ann = AddUser("ann@acme.test", LeadsView(Level::kAllowed));
  const domain::UserId bob = AddUser("bob@acme.test");
  const domain::UserId off = AddUser("off@acme.test", {}, 0, false, false, /*is_active=*/false);
  GiveSessionAndToken(ann, "ann");
  GiveSessionAndToken(bob, "bob");
  const domain::RecordRef any_lead{DataSet::kLeads, admin_id_, 0, 0};
  ASSERT_TRUE(As(admin_id_).policy->Check(ann, Action::kView, any_lead).allowed);

  const std::vector<domain::UserId> ids = {ann, off, bob};
  ASSERT_TRUE(admin_service_.SetUsersActive(Admin(), ids, false).ok());
  EXPECT_FALSE(IsActive(ann));
  EXPECT_FALSE(IsActive(bob));
  for (domain::UserId user : {ann, bob}) {
    EXPECT_TRUE(Reader().ListSessions(user)->empty());
    EXPECT_TRUE(Reader().ListApiTokens(user)->at(0).revoked);
  }
  // The already inactive user logs nothing; the others log what PATCH logs.
  const auto logged = EventsOfType("user_deactivated");
  ASSERT_EQ(logged.size(), 2u);
  for (const storage::EventRow& event : logged) {
    EXPECT_NE(event.entity_id, off);
    EXPECT_EQ(event.actor_user_id, admin_id_);
    EXPECT_NE(event.value_after_json.find("\"sessions_ended\":1"), std::string::npos);
    EXPECT_NE(event.value_after_json.find("\"tokens_revoked\":1"), std::string::npos);
  }
  EXPECT_TRUE(EventsOfType("user_updated").empty());
  // The refreshed policy no longer knows ann as active.
  EXPECT_FALSE(As(admin_id_).policy->Check(ann, Action::kView, any_lead).allowed);

  ASSERT_TRUE(admin_service_.SetUsersActive(Admin(), ids, true).ok());
  EXPECT_TRUE(IsActive(ann) && IsActive(off) && IsActive(bob));
  EXPECT_EQ(EventsOfType("user_activated").size(), 3u);
  EXPECT_NE(Reader().GetUser(off)->reactivated_at, 0);
  // Asking again changes and logs nothing.
  const std::size_t events = AllEvents().size();
  EXPECT_TRUE(admin_service_.SetUsersActive(Admin(), ids, true).ok());
  EXPECT_EQ(AllEvents().size(), events);
}

TEST_F(UserActivationTest, OneUnknownIdChangesNobody) {
  const domain::UserId ann = AddUser("ann@acme.test");
  GiveSessionAndToken(ann, "ann");
  const std::size_t events = AllEvents().size();
  std::size_t failed = 99;
  const std::vector<domain::UserId> ids = {ann, 987654};
  base::Status status = admin_service_.SetUsersActive(Admin(), ids, false, &failed);
  EXPECT_EQ(Refusal(status), "id NotFound");
  EXPECT_EQ(failed, 1u);
  EXPECT_TRUE(IsActive(ann));
  EXPECT_EQ(Reader().ListSessions(ann)->size(), 1u);
  EXPECT_FALSE(Reader().ListApiTokens(ann)->at(0).revoked);
  EXPECT_EQ(AllEvents().size(), events);
}

TEST_F(UserActivationTest, AnotherAccountsUserIsNotFound) {
  auto other = CreateAccountWithAdmin(*store_, {"other", "Other", 5, 0},
                                      {"admin@other.test", "Other", ""}, clock_.NowSeconds());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  const domain::UserId stranger =
      store_->Reader(other->id).FindUserByEmail("admin@other.test")->user.id;
  std::size_t failed = 99;
  const std::vector<domain::UserId> ids = {stranger};
  base::Status status = admin_service_.SetUsersActive(Admin(), ids, false, &failed);
  EXPECT_EQ(Refusal(status), "id NotFound");
  EXPECT_EQ(status.fields()[0].detail, "user " + std::to_string(stranger) + " does not exist");
  EXPECT_EQ(failed, 0u);
  EXPECT_TRUE(store_->Reader(other->id).GetUser(stranger)->user.is_active);
}

TEST_F(UserActivationTest, SeatsRefuseTheItemThatWouldExceedThemAndNobodyChanges) {
  // kSeats = 5: the administrator and three users hold four; one is left.
  for (int i = 0; i < 3; ++i) AddUser("u" + std::to_string(i) + "@acme.test");
  const domain::UserId first = AddUser("a@acme.test", {}, 0, false, false, false);
  const domain::UserId free_user = AddUser("f@acme.test", {}, 0, false, true, false);
  const domain::UserId second = AddUser("b@acme.test", {}, 0, false, false, false);
  std::size_t failed = 99;
  const std::vector<domain::UserId> ids = {first, free_user, second};
  base::Status status = admin_service_.SetUsersActive(Admin(), ids, true, &failed);
  EXPECT_EQ(Refusal(status), "id NoFreeSeat");
  EXPECT_NE(status.message().find("seat"), std::string::npos);
  EXPECT_EQ(failed, 2u);
  EXPECT_FALSE(IsActive(first));
  EXPECT_FALSE(IsActive(free_user));
  EXPECT_TRUE(EventsOfType("user_activated").empty());
  // Without the third, the free user takes no seat and the first takes the last one.
  EXPECT_TRUE(admin_service_.SetUsersActive(Admin(), std::span(ids).first(2), true).ok());
  EXPECT_TRUE(IsActive(first) && IsActive(free_user));
}

TEST_F(UserActivationTest, TheLastActiveAdministratorIsKept) {
  const domain::UserId ann = AddUser("ann@acme.test");
  std::size_t failed = 99;
  const std::vector<domain::UserId> ids = {ann, admin_id_};
  EXPECT_EQ(Refusal(admin_service_.SetUsersActive(Admin(), ids, false, &failed)), "id NotAllowed");
  EXPECT_EQ(failed, 1u);
  EXPECT_TRUE(IsActive(ann));
  EXPECT_TRUE(IsActive(admin_id_));
}

TEST_F(UserActivationTest, DuplicatesAndBatchSizeAreRefused) {
  const domain::UserId ann = AddUser("ann@acme.test");
  const domain::UserId bob = AddUser("bob@acme.test");
  std::size_t failed = 99;
  const std::vector<domain::UserId> twice = {ann, bob, ann};
  EXPECT_EQ(Refusal(admin_service_.SetUsersActive(Admin(), twice, false, &failed)), "id Duplicate");
  EXPECT_EQ(failed, 2u);
  EXPECT_EQ(Refusal(admin_service_.SetUsersActive(Admin(), {}, false)), "body Required");
  const std::vector<domain::UserId> eleven(kMaxUsersPerRequest + 1, ann);
  EXPECT_EQ(Refusal(admin_service_.SetUsersActive(Admin(), eleven, false)), "body TooMany");
  EXPECT_TRUE(IsActive(ann) && IsActive(bob));
}

TEST_F(UserActivationTest, OnlyAdministratorsMayDoIt) {
  const domain::UserId member = AddUser("member@acme.test", LeadsView(Level::kAllowed));
  const domain::UserId ann = AddUser("ann@acme.test");
  const std::vector<domain::UserId> ids = {ann};
  EXPECT_EQ(admin_service_.SetUsersActive(As(member), ids, false).code(), Code::kPermissionDenied);
  EXPECT_TRUE(IsActive(ann));
  EXPECT_TRUE(EventsOfType("user_deactivated").empty());
}

}  // namespace
}  // namespace gatehouse::service
