// Four-eyes approval: what waits, who may decide, what applies, expiry and the guards.
#include "service/security/four_eyes.h"

#include <gtest/gtest.h>

#include "service/admin/admin.h"
#include "service/admin/admin_users.h"
#include "service/security/security.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using testing::AuthFixture;
using testing::kPeer;

class FourEyesTest : public AuthFixture {
 protected:
  void SetUp() override {
    AuthFixture::SetUp();
    second_ = AddUser("second@acme.test", /*is_admin=*/true);
    clerk_ = AddUser("clerk@acme.test");
    first_caller_ = CallerFor(MustLogin("admin@acme.test"));
    second_caller_ = CallerFor(MustLogin("second@acme.test"));
  }

  AdminDeps Deps() { return AdminDeps{store_.get(), policies_.get(), &clock_}; }

  void TurnOn() {
    PolicyPatch on;
    on.four_eyes = true;
    std::int64_t pending = 0;
    auto r = security_service_.PatchSecurityPolicy(first_caller_, on, &pending);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(pending, 0) << "turning the policy on applies at once";
    ASSERT_TRUE(r->policy.four_eyes);
  }

  IpWhitelist Office() { return IpWhitelist{.enabled = true, .entries = {{kPeer, "office"}}}; }

  IpWhitelist StoredWhitelist() { return *security_service_.GetIpWhitelist(first_caller_); }
  SecurityPolicy StoredPolicy() {
    return security_service_.GetSecurityPolicy(first_caller_)->policy;
  }

  storage::ApprovalRow Only(std::string_view status) {
    auto rows = security_service_.ListApprovals(first_caller_, status);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(rows.ok() ? rows->size() : 0u, 1u);
    return rows.ok() && !rows->empty() ? rows->front() : storage::ApprovalRow{};
  }

  domain::UserId second_ = 0;
  domain::UserId clerk_ = 0;
  Caller first_caller_;
  Caller second_caller_;
};

TEST_F(FourEyesTest, TurningItOnNeedsASecondActiveAdministrator) {
  SetActive(second_, false);
  PolicyPatch on;
  on.four_eyes = true;
  auto refused = security_service_.PatchSecurityPolicy(first_caller_, on);
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(refused.status().fields().size(), 1u);
  EXPECT_EQ(refused.status().fields()[0].path, "four_eyes");
  EXPECT_EQ(refused.status().fields()[0].code, "NeedsTwoAdministrators");
  EXPECT_FALSE(StoredPolicy().four_eyes);
  SetActive(second_, true);
  TurnOn();
  EXPECT_TRUE(StoredPolicy().four_eyes);
}

TEST_F(FourEyesTest, AWhitelistChangeWaitsUntilAnotherAdministratorApprovesIt) {
  TurnOn();
  std::int64_t pending = 0;
  auto answered = security_service_.PutIpWhitelist(first_caller_, Office(), &pending);
  ASSERT_TRUE(answered.ok()) << answered.status().ToString();
  ASSERT_GT(pending, 0);
  EXPECT_EQ(*answered, IpWhitelist{}) << "the answer is the whitelist in force: unchanged";
  EXPECT_EQ(StoredWhitelist(), IpWhitelist{});

  storage::ApprovalRow request = Only("pending");
  EXPECT_EQ(request.id, pending);
  EXPECT_EQ(request.kind, kApproveIpWhitelist);
  EXPECT_EQ(request.requested_by, admin_);
  EXPECT_EQ(request.expires_at, clock_.NowSeconds() + kApprovalLifetimeSeconds);

  // The requester cannot approve their own change, nor can the CLI or a non-administrator.
  EXPECT_EQ(security_service_.ApproveRequest(first_caller_, pending).status().code(),
            Code::kPermissionDenied);
  Caller system;
  system.account_id = account_;
  EXPECT_EQ(security_service_.ApproveRequest(system, pending).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(security_service_.ApproveRequest(CallerFor(MustLogin("clerk@acme.test")), pending)
                .status()
                .code(),
            Code::kPermissionDenied);
  EXPECT_EQ(StoredWhitelist(), IpWhitelist{});

  auto approved = security_service_.ApproveRequest(second_caller_, pending);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(approved->decided_by, second_);
  EXPECT_EQ(StoredWhitelist(), Office());
  // Decided once: a second decision is a conflict and changes nothing.
  EXPECT_EQ(security_service_.RejectRequest(second_caller_, pending).status().code(),
            Code::kConflict);
  EXPECT_EQ(StoredWhitelist(), Office());

  ASSERT_EQ(Events("approval_requested").size(), 1u);
  EXPECT_EQ(Events("approval_requested")[0].actor_user_id, admin_);
  ASSERT_EQ(Events("approval_approved").size(), 1u);
  EXPECT_EQ(Events("approval_approved")[0].actor_user_id, second_);
  ASSERT_EQ(Events("ip_whitelist_changed").size(), 1u);
  EXPECT_EQ(Events("ip_whitelist_changed")[0].actor_user_id, second_);
}

TEST_F(FourEyesTest, PolicyChangesAndTurningItOffWaitAndARejectionDropsThem) {
  TurnOn();
  const PolicyPatch off{.lockout_threshold = 5, .four_eyes = false};
  std::int64_t pending = 0;
  auto answered = security_service_.PatchSecurityPolicy(first_caller_, off, &pending);
  ASSERT_TRUE(answered.ok()) << answered.status().ToString();
  ASSERT_GT(pending, 0);
  EXPECT_TRUE(answered->policy.four_eyes);
  EXPECT_TRUE(StoredPolicy().four_eyes);
  EXPECT_EQ(StoredPolicy().lockout_threshold, SecurityPolicy{}.lockout_threshold);

  // A mistake is refused at once, not stored for someone to approve.
  PolicyPatch bad;
  bad.lockout_threshold = 1;
  std::int64_t none = 0;
  EXPECT_EQ(security_service_.PatchSecurityPolicy(first_caller_, bad, &none).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(none, 0);
  // Without a way to hand back a request (the CLI), nothing is applied either.
  EXPECT_EQ(security_service_.PatchSecurityPolicy(first_caller_, off).status().code(),
            Code::kFailedPrecondition);

  auto rejected = security_service_.RejectRequest(second_caller_, pending);
  ASSERT_TRUE(rejected.ok()) << rejected.status().ToString();
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_TRUE(StoredPolicy().four_eyes);
  EXPECT_EQ(Events("approval_rejected").size(), 1u);
  EXPECT_EQ(security_service_.ApproveRequest(second_caller_, pending).status().code(),
            Code::kConflict);

  ASSERT_TRUE(security_service_.PatchSecurityPolicy(second_caller_, off, &pending).ok());
  ASSERT_TRUE(security_service_.ApproveRequest(first_caller_, pending).ok());
  EXPECT_FALSE(StoredPolicy().four_eyes);
  EXPECT_EQ(StoredPolicy().lockout_threshold, 5);
}

TEST_F(FourEyesTest, AGrantOfAdministratorRightsWaitsAndComesAlone) {
  TurnOn();
  const UserPatch grant{.flags = {.is_admin = true}};
  std::int64_t pending = 0;
  auto answered = AdminService(Deps()).UpdateUser(first_caller_, clerk_, grant, &pending);
  ASSERT_TRUE(answered.ok()) << answered.status().ToString();
  ASSERT_GT(pending, 0);
  EXPECT_FALSE(answered->user.is_admin);
  EXPECT_FALSE(store_->Reader(account_).GetUser(clerk_)->user.is_admin);

  const UserPatch grant_and_rename{.name = "Chief", .flags = {.is_admin = true}};
  std::int64_t other = 0;
  auto mixed = AdminService(Deps()).UpdateUser(first_caller_, clerk_, grant_and_rename, &other);
  EXPECT_EQ(mixed.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(store_->Reader(account_).GetUser(clerk_)->user.name, "clerk@acme.test");

  // Other user changes do not wait.
  const UserPatch rename{.name = "Clerk"};
  std::int64_t not_needed = 0;
  ASSERT_TRUE(AdminService(Deps()).UpdateUser(first_caller_, clerk_, rename, &not_needed).ok());
  EXPECT_EQ(not_needed, 0);

  // A new user cannot be made an administrator behind the approval's back.
  const NewUserInput admin_input{.name = "New",
                                 .email = "new@acme.test",
                                 .password = testing::kPassword,
                                 .flags = {.is_admin = true}};
  auto created = AdminService(Deps()).CreateUsers(first_caller_, {admin_input}, nullptr);
  EXPECT_EQ(created.status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(store_->Reader(account_).FindUserByEmail("new@acme.test").ok());

  auto approved = security_service_.ApproveRequest(second_caller_, pending);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->target_id, clerk_);
  EXPECT_TRUE(store_->Reader(account_).GetUser(clerk_)->user.is_admin);
  EXPECT_TRUE((*policies_->Get(account_))->IsAdmin(clerk_));
}

TEST_F(FourEyesTest, UndecidedRequestsExpireAndCannotBeApprovedThen) {
  TurnOn();
  std::int64_t pending = 0;
  ASSERT_TRUE(security_service_.PutIpWhitelist(first_caller_, Office(), &pending).ok());
  clock_.Advance(kApprovalLifetimeSeconds - 1);
  EXPECT_EQ(Only("pending").id, pending);
  clock_.Advance(1);
  // Reading shows the expiry at once and writes nothing: the event comes with the next decision.
  const storage::ApprovalRow expired = Only("expired");
  EXPECT_EQ(expired.id, pending);
  EXPECT_EQ(expired.decided_at, expired.expires_at);
  EXPECT_EQ(security_service_.GetApproval(second_caller_, pending)->status, "expired");
  EXPECT_TRUE(security_service_.ListApprovals(first_caller_, "pending")->empty());
  EXPECT_TRUE(Events("approval_expired").empty());
  EXPECT_EQ(security_service_.ApproveRequest(second_caller_, pending).status().code(),
            Code::kConflict);
  EXPECT_EQ(StoredWhitelist(), IpWhitelist{});
  ASSERT_EQ(Events("approval_expired").size(), 1u);
  EXPECT_EQ(Events("approval_expired")[0].actor_user_id, 0);
}

TEST_F(FourEyesTest, AnApprovalThatNoLongerAppliesIsRefusedAndStaysPending) {
  TurnOn();
  const IpWhitelist elsewhere{.enabled = true, .entries = {{kPeer, ""}}};
  std::int64_t pending = 0;
  ASSERT_TRUE(security_service_.PutIpWhitelist(first_caller_, elsewhere, &pending).ok());
  // The approver connects from another address: the whitelist would lock them out.
  Caller away = second_caller_;
  away.client_ip = "198.51.100.99";
  auto refused = security_service_.ApproveRequest(away, pending);
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Only("pending").id, pending);
  EXPECT_EQ(StoredWhitelist(), IpWhitelist{});
}

TEST_F(FourEyesTest, WhileOnNoChangeLeavesFewerThanTwoAdministrators) {
  TurnOn();
  const UserPatch demote{.flags = {.is_admin = false}};
  EXPECT_EQ(AdminService(Deps()).UpdateUser(first_caller_, second_, demote).status().code(),
            Code::kFailedPrecondition);
  const UserPatch deactivate{.flags = {.is_active = false}};
  EXPECT_EQ(AdminService(Deps()).UpdateUser(first_caller_, second_, deactivate).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(AdminService(Deps()).RemoveUser(first_caller_, second_, admin_).status().code(),
            Code::kFailedPrecondition);
  EXPECT_TRUE(store_->Reader(account_).GetUser(second_)->user.is_admin);
  EXPECT_TRUE(store_->Reader(account_).GetUser(second_)->user.is_active);
}

}  // namespace
}  // namespace gatehouse::service
