// The impact preview against brute force: on a random workspace (users in two groups, random
// rights with stage rights, 300 records of every data set, some with nobody responsible), the
// gain and lose of every reported pair equal the number of records for which
// AccountPolicy::Check flips, compiled before and after the change the save would make; pairs
// left out flip nothing; and the preview saves nothing. Replay a failure with GATEHOUSE_SEED.
#include "service/impact.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "policy/account_policy.h"
#include "policy/roles.h"
#include "service/admin_test_util.h"

namespace gatehouse::service {
namespace {

using base::Code;
using base::Status;
using domain::Action;
using domain::DataSet;
using domain::Level;
using domain::RecordRef;

std::uint64_t Seed() {
  const char* text = std::getenv("GATEHOUSE_SEED");
  return text != nullptr ? std::strtoull(text, nullptr, 10) : 20261127;
}

constexpr char kLetters[] = {'D', 'M', 'G', 'A'};

class ImpactTest : public testing::AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    rng_.seed(Seed());
    Status made = store_->Write(account_, [&](storage::AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(sales_, w.CreateGroup("Sales"));
      return w.CreatePipeline("Second", 2, false, {{0, "Talks", 20, 0}}).status();
    });
    ASSERT_TRUE(made.ok()) << made.ToString();
    auto pipelines = Reader().ListPipelines();
    ASSERT_TRUE(pipelines.ok());
    pipelines_ = *pipelines;
    for (const auto& p : pipelines_) {
      for (const auto& s : p.stages) {
        stages_.push_back({p.id, s.id});
        if (s.type == domain::kStageTypeIncoming) incoming_stages_.push_back({p.id, s.id});
      }
    }
    // Four users (the fixture's five seats hold the administrator too), in both groups.
    for (int i = 0; i < 4; ++i) {
      users_.push_back(AddUser("u" + std::to_string(i) + "@acme.test", RandomRights(),
                               i % 2 == 0 ? sales_ : default_group_));
    }
    FillRecords(300);
  }

  std::size_t Pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  // A user, the administrator, or nobody (0, stored as NULL).
  domain::UserId Owner() {
    const std::size_t i = Pick(users_.size() + 2);
    if (i == users_.size()) return 0;
    return i > users_.size() ? admin_id_ : users_[i];
  }

  bool IsIncoming(const domain::StageKey& stage) const {
    return std::find(incoming_stages_.begin(), incoming_stages_.end(), stage) !=
           incoming_stages_.end();
  }

  domain::Rights RandomRights() {
    domain::Rights rights;
    for (DataSet data_set : domain::kAllDataSets) {
      for (Action action : domain::kAllActions) {
        if (!domain::ActionApplies(data_set, action)) continue;
        const bool only_ad = domain::TakesOnlyAllowedOrDenied(data_set, action);
        rights.Set(
            data_set, action,
            only_ad ? (Pick(2) ? Level::kAllowed : Level::kDenied) : static_cast<Level>(Pick(4)));
      }
    }
    for (const domain::StageKey& stage : stages_) {
      if (Pick(4) != 0) continue;
      domain::StageRights entry{stage, {}};
      for (Action action : domain::kStageActions) {
        if (action == Action::kExport && IsIncoming(stage)) continue;
        if (Pick(2)) entry.Set(action, static_cast<Level>(Pick(4)));
      }
      rights.stage_rights.push_back(entry);
    }
    policy::Normalize(rights);
    return rights;
  }

  // A rights object as PATCH would receive it: some data sets (tasks sometimes without `view`,
  // as Kommo clients send it), sometimes status_rights.
  RightsInput RandomRightsInput() {
    RightsInput in;
    for (DataSet data_set : domain::kAllDataSets) {
      if (Pick(2)) continue;
      const std::string name(domain::DataSetName(data_set));
      in.data_sets.push_back(name);
      for (Action action : domain::kAllActions) {
        if (!domain::ActionApplies(data_set, action)) continue;
        if (data_set == DataSet::kTasks && action == Action::kView && Pick(2)) continue;
        const bool only_ad = domain::TakesOnlyAllowedOrDenied(data_set, action);
        const char letter = only_ad ? (Pick(2) ? 'A' : 'D') : kLetters[Pick(4)];
        in.raw.general.push_back({name, std::string(domain::ActionName(action)), {letter}});
      }
    }
    if (Pick(2)) {
      in.has_status_rights = true;
      for (const domain::StageKey& stage : stages_) {
        if (Pick(3) != 0) continue;
        policy::RawStageRights entry{stage.pipeline_id, stage.status_id, {}};
        for (Action action : domain::kStageActions) {
          if (action == Action::kExport && IsIncoming(stage)) continue;
          if (Pick(2))
            entry.actions.push_back(
                {std::string(domain::ActionName(action)), std::string(1, kLetters[Pick(4)])});
        }
        in.raw.stages.push_back(entry);
      }
    }
    if (in.data_sets.empty() && !in.has_status_rights) in.mail_access = true;
    return in;
  }

  void FillRecords(int count) {
    Status filled = store_->Write(account_, [&](storage::AccountWriter& w) -> Status {
      for (int i = 0; i < count; ++i) {
        switch (i % 5) {
          case 0: {
            storage::Lead l;
            const domain::StageKey stage = stages_[Pick(stages_.size())];
            l.pipeline_id = stage.pipeline_id;
            l.status_id = stage.status_id;
            l.responsible_user_id = Owner();
            GH_ASSIGN_OR_RETURN(l, w.Create(l));
            lead_ids_.push_back(l.id);
            records_.push_back(
                {DataSet::kLeads, l.responsible_user_id, l.pipeline_id, l.status_id});
            break;
          }
          case 1: {
            storage::Contact c;
            c.responsible_user_id = Owner();
            GH_RETURN_IF_ERROR(w.Create(c).status());
            records_.push_back({DataSet::kContacts, c.responsible_user_id, 0, 0});
            break;
          }
          case 2: {
            storage::Company c;
            c.responsible_user_id = Owner();
            GH_RETURN_IF_ERROR(w.Create(c).status());
            records_.push_back({DataSet::kCompanies, c.responsible_user_id, 0, 0});
            break;
          }
          case 3: {
            storage::Task t;
            t.entity_type = "leads";
            t.entity_id = lead_ids_.back();
            t.text = "call";
            t.responsible_user_id = Owner();
            GH_RETURN_IF_ERROR(w.Create(t).status());
            records_.push_back({DataSet::kTasks, t.responsible_user_id, 0, 0});
            break;
          }
          default: {
            storage::IncomingLead item;
            item.uid = "in-" + std::to_string(i);
            item.category = "forms";
            item.pipeline_id = pipelines_.front().id;
            item.responsible_user_id = Owner();
            GH_RETURN_IF_ERROR(w.Create(item).status());
            records_.push_back({DataSet::kIncomingLeads, item.responsible_user_id, 0, 0});
          }
        }
      }
      return Status::Ok();
    });
    ASSERT_TRUE(filled.ok()) << filled.ToString();
  }

  domain::AccountModel Model() {
    auto model = Reader().LoadAccountModel();
    EXPECT_TRUE(model.ok());
    return model.ok() ? *model : domain::AccountModel{};
  }

  static Level Effective(const domain::User& user, DataSet data_set, Action action) {
    if (!user.is_active || user.is_free) return Level::kDenied;
    if (user.is_admin) return Level::kAllowed;
    return user.rights.Get(data_set, action);
  }

  // Compares `report` with Check() over every record, before (`before`) and after (`after`).
  void ExpectBruteForce(const ImpactReport& report, const domain::AccountModel& before,
                        const domain::AccountModel& after) {
    const auto old_policy = policy::AccountPolicy::Build(before);
    const auto new_policy = policy::AccountPolicy::Build(after);
    std::int64_t total_gain = 0, total_lose = 0;
    std::size_t reported_users = 0;
    for (const domain::User& old_user : before.users) {
      const domain::User& new_user = *after.FindUser(old_user.id);
      const UserImpact* impact = nullptr;
      for (const UserImpact& u : report.users) {
        if (u.user_id == old_user.id) impact = &u;
      }
      if (impact != nullptr) {
        ++reported_users;
        EXPECT_FALSE(impact->changes.empty());
        EXPECT_EQ(impact->name, new_user.name);
      }
      for (DataSet data_set : domain::kAllDataSets) {
        for (Action action : domain::kAllActions) {
          if (!domain::ActionApplies(data_set, action)) continue;
          std::int64_t gain = 0, lose = 0;
          for (const RecordRef& r : records_) {
            if (r.data_set != data_set) continue;
            const bool was = old_policy->Check(old_user.id, action, r).allowed;
            const bool is = new_policy->Check(new_user.id, action, r).allowed;
            gain += !was && is;
            lose += was && !is;
          }
          const Level level_before = Effective(old_user, data_set, action);
          const Level level_after = Effective(new_user, data_set, action);
          const ImpactChange* change = nullptr;
          if (impact != nullptr) {
            for (const ImpactChange& c : impact->changes) {
              if (c.data_set == data_set && c.action == action) change = &c;
            }
          }
          const std::string where = "user " + std::to_string(old_user.id) + " " +
                                    std::string(domain::DataSetName(data_set)) + "." +
                                    std::string(domain::ActionName(action)) + " seed " +
                                    std::to_string(Seed());
          if (change == nullptr) {
            EXPECT_EQ(level_before, level_after) << where;
            if (action != Action::kAdd) {
              EXPECT_EQ(gain, 0) << where;
              EXPECT_EQ(lose, 0) << where;
            }
            continue;
          }
          EXPECT_EQ(change->level_before, level_before) << where;
          EXPECT_EQ(change->level_after, level_after) << where;
          const bool counted =
              action != Action::kAdd && action != Action::kAccept && action != Action::kDecline;
          if (!counted) {
            EXPECT_FALSE(change->gain.has_value()) << where;
            EXPECT_FALSE(change->lose.has_value()) << where;
            EXPECT_NE(level_before, level_after) << where;
            continue;
          }
          ASSERT_TRUE(change->gain.has_value() && change->lose.has_value()) << where;
          EXPECT_EQ(*change->gain, gain) << where;
          EXPECT_EQ(*change->lose, lose) << where;
          total_gain += gain;
          total_lose += lose;
        }
      }
    }
    EXPECT_EQ(reported_users, report.users.size());
    EXPECT_EQ(report.gain, total_gain);
    EXPECT_EQ(report.lose, total_lose);
    EXPECT_TRUE(std::is_sorted(report.users.begin(), report.users.end(),
                               [](const auto& a, const auto& b) { return a.user_id < b.user_id; }));
  }

  // What a preview must leave alone: the model, the activity log, the security revision.
  struct Snapshot {
    domain::AccountModel model;
    std::size_t events = 0;
    std::int64_t revision = 0;
  };
  Snapshot Take() {
    auto revision = store_->SecurityRevision(account_);
    EXPECT_TRUE(revision.ok());
    return {Model(), AllEvents().size(), revision.ok() ? *revision : -1};
  }
  void ExpectUnchanged(const Snapshot& snapshot) {
    const Snapshot now = Take();
    EXPECT_EQ(now.model.users, snapshot.model.users);
    EXPECT_EQ(now.model.roles, snapshot.model.roles);
    EXPECT_EQ(now.events, snapshot.events);
    EXPECT_EQ(now.revision, snapshot.revision);
  }

  domain::GroupId sales_ = 0;
  std::vector<domain::Pipeline> pipelines_;
  std::vector<domain::StageKey> stages_;
  std::vector<domain::StageKey> incoming_stages_;  // take no export right
  std::vector<domain::UserId> users_;
  std::vector<domain::RecordId> lead_ids_;
  std::vector<RecordRef> records_;
  std::mt19937_64 rng_;
};

TEST_F(ImpactTest, UserChangesMatchBruteForceAndSaveNothing) {
  std::int64_t moved = 0;  // the rounds must change something, or they prove nothing
  for (int round = 0; round < 12; ++round) {
    const domain::UserId target = users_[Pick(users_.size())];
    UserPatch patch;
    patch.rights = RandomRightsInput();
    if (round % 4 == 1) patch.flags.group_id = std::optional<domain::GroupId>(sales_);
    if (round % 4 == 2) patch.flags.group_id = std::optional<domain::GroupId>(default_group_);
    if (round == 7) patch.flags.is_active = false;
    if (round == 11) patch.flags.is_admin = true;
    const Snapshot snapshot = Take();
    auto report = PreviewUserChange(deps_, Admin(), target, patch);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    // What the save makes of the same patch, applied to a copy of the model.
    domain::AccountModel after = snapshot.model;
    auto row = Reader().GetUser(target);
    ASSERT_TRUE(row.ok());
    auto changed = ApplyUserPatch(*row, patch, snapshot.model, default_group_);
    ASSERT_TRUE(changed.ok()) << changed.status().ToString();
    for (domain::User& user : after.users) {
      if (user.id == target) user = changed->user;
    }
    SCOPED_TRACE("round " + std::to_string(round));
    ExpectBruteForce(*report, snapshot.model, after);
    ExpectUnchanged(snapshot);
    moved += report->gain + report->lose;
  }
  EXPECT_GT(moved, 0);
}

TEST_F(ImpactTest, RoleChangesReachEveryHolderAndSaveNothing) {
  domain::Role role;
  role.name = "Sales rep";
  role.rights = RandomRights();
  Status made = store_->Write(account_, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(role.id, w.CreateRole(role));
    for (domain::UserId id : {users_[0], users_[3]}) {
      GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(id));
      policy::ApplyRole(role, row.user);
      GH_RETURN_IF_ERROR(w.UpdateUser(row));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(made.ok()) << made.ToString();
  std::int64_t moved = 0;
  for (int round = 0; round < 10; ++round) {
    RoleInput input;
    input.rights = RandomRightsInput();
    const Snapshot snapshot = Take();
    auto report = PreviewRoleChange(deps_, Admin(), role.id, input);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    domain::AccountModel after = snapshot.model;
    auto changed = ApplyRoleInput(snapshot.model, role.id, input);
    ASSERT_TRUE(changed.ok()) << changed.status().ToString();
    policy::UpdateRole(after, *changed);
    SCOPED_TRACE("round " + std::to_string(round));
    ExpectBruteForce(*report, snapshot.model, after);
    for (const UserImpact& impact : report->users) {
      EXPECT_TRUE(impact.user_id == users_[0] || impact.user_id == users_[3]) << impact.user_id;
    }
    ExpectUnchanged(snapshot);
    moved += report->gain + report->lose;
  }
  EXPECT_GT(moved, 0);
}

TEST_F(ImpactTest, WideningViewCountsRecordsWithNobodyResponsible) {
  const domain::UserId user = AddUser("m@acme.test", LeadsView(Level::kIfResponsible));
  UserPatch patch;
  patch.rights.data_sets = {"leads"};
  patch.rights.raw.general = {{"leads", "view", "A"}, {"leads", "add", "A"}};
  auto report = PreviewUserChange(deps_, Admin(), user, patch);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::int64_t leads = 0;
  for (const RecordRef& r : records_) leads += r.data_set == DataSet::kLeads ? 1 : 0;
  ASSERT_EQ(report->users.size(), 1u);
  EXPECT_EQ(report->users[0].user_id, user);
  ASSERT_EQ(report->users[0].changes.size(), 2u);
  const ImpactChange& view = report->users[0].changes[0];
  EXPECT_EQ(view.action, Action::kView);
  EXPECT_EQ(view.level_before, Level::kIfResponsible);
  EXPECT_EQ(view.level_after, Level::kAllowed);
  EXPECT_EQ(view.gain, leads);  // the new user is responsible for none
  EXPECT_EQ(view.lose, 0);
  const ImpactChange& add = report->users[0].changes[1];
  EXPECT_EQ(add.action, Action::kAdd);
  EXPECT_EQ(add.level_after, Level::kAllowed);
  EXPECT_FALSE(add.gain.has_value());
  EXPECT_EQ(report->gain, leads);
}

TEST_F(ImpactTest, StageRightsAloneAreReportedWithEqualLevels) {
  const domain::UserId user = AddUser("s@acme.test", LeadsView(Level::kAllowed));
  UserPatch patch;
  patch.rights.has_status_rights = true;
  const domain::StageKey stage = stages_.front();
  patch.rights.raw.stages = {{stage.pipeline_id, stage.status_id, {{"view", "D"}}}};
  auto report = PreviewUserChange(deps_, Admin(), user, patch);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::int64_t in_stage = 0;
  for (const RecordRef& r : records_) {
    in_stage += r.data_set == DataSet::kLeads && r.pipeline_id == stage.pipeline_id &&
                r.status_id == stage.status_id;
  }
  ASSERT_EQ(report->users.size(), 1u);
  ASSERT_EQ(report->users[0].changes.size(), 1u);
  const ImpactChange& view = report->users[0].changes[0];
  EXPECT_EQ(view.level_before, Level::kAllowed);
  EXPECT_EQ(view.level_after, Level::kAllowed);
  EXPECT_EQ(view.gain, 0);
  EXPECT_EQ(view.lose, in_stage);
}

TEST_F(ImpactTest, ErrorsAreTheSaveErrors) {
  UserPatch bad;
  bad.rights.data_sets = {"leads"};
  bad.rights.raw.general = {{"leads", "view", "X"}};
  auto invalid = PreviewUserChange(deps_, Admin(), users_[0], bad);
  ASSERT_EQ(invalid.status().code(), Code::kInvalidArgument);
  ASSERT_FALSE(invalid.status().fields().empty());
  EXPECT_EQ(invalid.status().fields()[0].path, "rights.leads.view");
  // Exactly what the save answers.
  auto saved = UpdateUser(deps_, Admin(), users_[0], bad);
  EXPECT_EQ(saved.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(saved.status().fields(), invalid.status().fields());

  UserPatch fine;
  fine.rights.mail_access = true;
  EXPECT_EQ(PreviewUserChange(deps_, Admin(), 987654, fine).status().code(), Code::kNotFound);
  EXPECT_EQ(PreviewUserChange(deps_, As(users_[1]), users_[0], fine).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(PreviewUserChange(deps_, Admin(), users_[0], UserPatch{}).status().code(),
            Code::kInvalidArgument);
  RoleInput role;
  role.rights.mail_access = true;
  EXPECT_EQ(PreviewRoleChange(deps_, Admin(), 987654, role).status().code(), Code::kNotFound);
  // The last administrator rule of the save holds for its preview.
  UserPatch demote;
  demote.flags.is_admin = false;
  EXPECT_EQ(PreviewUserChange(deps_, Admin(), admin_id_, demote).status().code(),
            Code::kFailedPrecondition);
}

}  // namespace
}  // namespace gatehouse::service
