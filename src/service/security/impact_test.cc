// The impact preview against brute force: on a random workspace (users in two groups, random
// rights with stage rights, 300 records of every data set, some with nobody responsible), the
// gain and lose of every reported pair equal the number of records for which
// AccountPolicy::Check flips, compiled before and after the change the save would make; pairs
// left out flip nothing; and the preview saves nothing. Replay a failure with GATEHOUSE_SEED.
#include "service/security/impact.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "policy/account_policy.h"
#include "policy/roles.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using domain::RecordRef;

std::uint64_t Seed() { return storage::testing::SeedOr(20261127); }

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
      // A record of a kind without stages, owned by a random user.
      auto add_owned = [&](auto record, DataSet data_set) -> Status {
        record.responsible_user_id = Owner();
        GH_RETURN_IF_ERROR(w.Create(record).status());
        records_.push_back({data_set, record.responsible_user_id, 0, 0});
        return Status::Ok();
      };
      for (int i = 0; i < count; ++i) {
        switch (i % 5) {
          case 0: {
            const domain::StageKey stage = stages_[Pick(stages_.size())];
            GH_ASSIGN_OR_RETURN(const storage::Lead l,
                                w.Create(storage::Lead{.pipeline_id = stage.pipeline_id,
                                                       .status_id = stage.status_id,
                                                       .responsible_user_id = Owner()}));
            lead_ids_.push_back(l.id);
            records_.push_back(
                {DataSet::kLeads, l.responsible_user_id, l.pipeline_id, l.status_id});
            break;
          }
          case 1:
            GH_RETURN_IF_ERROR(add_owned(storage::Contact{}, DataSet::kContacts));
            break;
          case 2:
            GH_RETURN_IF_ERROR(add_owned(storage::Company{}, DataSet::kCompanies));
            break;
          case 3: {
            const storage::Task t{
                .entity_type = DataSet::kLeads, .entity_id = lead_ids_.back(), .text = "call"};
            GH_RETURN_IF_ERROR(add_owned(t, DataSet::kTasks));
            break;
          }
          default: {
            const storage::IncomingLead item{.uid = "in-" + std::to_string(i),
                                             .category = domain::IncomingCategory::kForms,
                                             .pipeline_id = pipelines_.front().id};
            GH_RETURN_IF_ERROR(add_owned(item, DataSet::kIncomingLeads));
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
        // Reported for a level or count change, or for field rights alone.
        EXPECT_FALSE(impact->changes.empty() && impact->field_changes.empty());
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

  // A role with random rights, applied to `holders`.
  domain::Role AddRoleHeldBy(const std::string& name, std::vector<domain::UserId> holders) {
    domain::Role role{0, name, RandomRights()};
    Status made = store_->Write(account_, [&](storage::AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(role.id, w.CreateRole(role));
      for (domain::UserId id : holders) {
        GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(id));
        policy::ApplyRole(role, row.user);
        GH_RETURN_IF_ERROR(w.UpdateUser(row));
      }
      return Status::Ok();
    });
    EXPECT_TRUE(made.ok()) << made.ToString();
    return role;
  }

  // What a preview must leave alone: the model, the activity log, the security revision.
  struct Snapshot {
    domain::AccountModel model;
    std::size_t events = 0;
    std::int64_t revision = 0;
  };
  // Applies `patch` of user `target` to `after` (a copy of `before`) as the save would.
  void ApplySavedUserPatch(domain::AccountModel& after, const domain::AccountModel& before,
                           domain::UserId target, const UserPatch& patch) {
    auto row = Reader().GetUser(target);
    ASSERT_TRUE(row.ok());
    auto changed = ApplyUserPatch(*row, patch, before, default_group_);
    ASSERT_TRUE(changed.ok()) << changed.status().ToString();
    for (domain::User& user : after.users) {
      if (user.id == target) user = changed->user;
    }
  }
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
    UserPatch patch{.rights = RandomRightsInput()};
    if (round % 4 == 1) patch.flags.group_id = std::optional<domain::GroupId>(sales_);
    if (round % 4 == 2) patch.flags.group_id = std::optional<domain::GroupId>(default_group_);
    if (round == 7) patch.flags.is_active = false;
    if (round == 11) patch.flags.is_admin = true;
    const Snapshot snapshot = Take();
    auto report = security_service_.PreviewUserChange(Admin(), target, patch);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    // What the save makes of the same patch, applied to a copy of the model.
    domain::AccountModel after = snapshot.model;
    ASSERT_NO_FATAL_FAILURE(ApplySavedUserPatch(after, snapshot.model, target, patch));
    SCOPED_TRACE("round " + std::to_string(round));
    ExpectBruteForce(*report, snapshot.model, after);
    ExpectUnchanged(snapshot);
    moved += report->gain + report->lose;
  }
  EXPECT_GT(moved, 0);
}

TEST_F(ImpactTest, RoleChangesReachEveryHolderAndSaveNothing) {
  const domain::Role role = AddRoleHeldBy("Sales rep", {users_[0], users_[3]});
  std::int64_t moved = 0;
  for (int round = 0; round < 10; ++round) {
    const RoleInput input{.rights = RandomRightsInput()};
    const Snapshot snapshot = Take();
    auto report = security_service_.PreviewRoleChange(Admin(), role.id, input);
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
  const UserPatch patch{
      .rights = {.data_sets = {"leads"},
                 .raw = {.general = {{"leads", "view", "A"}, {"leads", "add", "A"}}}}};
  auto report = security_service_.PreviewUserChange(Admin(), user, patch);
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
  const domain::StageKey stage = stages_.front();
  const UserPatch patch{
      .rights = {.raw = {.stages = {{stage.pipeline_id, stage.status_id, {{"view", "D"}}}}},
                 .has_status_rights = true}};
  auto report = security_service_.PreviewUserChange(Admin(), user, patch);
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

// ---- Field rights (issue 15 §3) ----

// Creates custom fields of `data_set` straight through the store; returns them.
std::vector<domain::CustomField> AddFields(storage::Store& store, domain::AccountId account,
                                           DataSet data_set, int count) {
  std::vector<domain::CustomField> out;
  Status made = store.Write(account, [&](storage::AccountWriter& w) -> Status {
    for (int i = 0; i < count; ++i) {
      const domain::CustomField field{
          .data_set = data_set,
          .name = std::string(domain::DataSetName(data_set)) + " field " + std::to_string(i)};
      GH_ASSIGN_OR_RETURN(domain::CustomField stored, w.CreateCustomField(field));
      out.push_back(stored);
    }
    return Status::Ok();
  });
  EXPECT_TRUE(made.ok()) << made.ToString();
  return out;
}

// Every (user, field) whose view or edit differs between the two models' policies, exactly once
// in field_changes, with both sides; none other; the users with only field changes listed too.
void ExpectFieldBruteForce(const ImpactReport& report, const domain::AccountModel& before,
                           const domain::AccountModel& after,
                           const std::vector<domain::CustomField>& fields) {
  const auto old_policy = policy::AccountPolicy::Build(before);
  const auto new_policy = policy::AccountPolicy::Build(after);
  std::int64_t total = 0;
  for (const domain::User& user : before.users) {
    const UserImpact* impact = nullptr;
    for (const UserImpact& u : report.users) impact = u.user_id == user.id ? &u : impact;
    std::vector<std::int64_t> want;
    for (const domain::CustomField& field : fields) {
      const bool view_before = old_policy->CanViewField(user.id, field.data_set, field.id);
      const bool view_after = new_policy->CanViewField(user.id, field.data_set, field.id);
      const bool edit_before = old_policy->CanEditField(user.id, field.data_set, field.id);
      const bool edit_after = new_policy->CanEditField(user.id, field.data_set, field.id);
      if (view_before == view_after && edit_before == edit_after) continue;
      want.push_back(field.id);
      const std::string where =
          "user " + std::to_string(user.id) + " field " + std::to_string(field.id);
      ASSERT_NE(impact, nullptr) << where << " changed but the user is not reported";
      const ImpactFieldChange* change = nullptr;
      for (const ImpactFieldChange& c : impact->field_changes) {
        change = c.field_id == field.id && c.data_set == field.data_set ? &c : change;
      }
      ASSERT_NE(change, nullptr) << where;
      EXPECT_EQ(change->field_name, field.name) << where;
      EXPECT_EQ(change->view_before, view_before) << where;
      EXPECT_EQ(change->view_after, view_after) << where;
      EXPECT_EQ(change->edit_before, edit_before) << where;
      EXPECT_EQ(change->edit_after, edit_after) << where;
    }
    std::vector<std::int64_t> got;
    if (impact != nullptr) {
      for (const ImpactFieldChange& c : impact->field_changes) got.push_back(c.field_id);
      EXPECT_FALSE(impact->changes.empty() && impact->field_changes.empty()) << user.id;
    }
    EXPECT_EQ(got, want) << "user " << user.id << ": the fields reported, in definition order";
    total += static_cast<std::int64_t>(want.size());
  }
  EXPECT_EQ(report.field_changes, total);
}

TEST_F(ImpactTest, FieldRightChangesOfUsersAndRolesMatchTheEngine) {
  std::vector<domain::CustomField> fields = AddFields(*store_, account_, DataSet::kLeads, 4);
  for (DataSet data_set : {DataSet::kContacts, DataSet::kCompanies}) {
    for (const domain::CustomField& f : AddFields(*store_, account_, data_set, 2)) {
      fields.push_back(f);
    }
  }
  auto random_field_rights = [&]() {
    RightsInput in{.has_custom_fields_rights = true};
    for (const domain::CustomField& f : fields) {
      if (Pick(3) == 0) continue;
      in.field_rights.push_back({std::string(domain::DataSetName(f.data_set)), std::to_string(f.id),
                                 Pick(2) ? "A" : "D", Pick(2) ? "A" : "D"});
    }
    return in;
  };
  const domain::Role role = AddRoleHeldBy("Field role", {users_[1], users_[2]});
  std::int64_t reported = 0;
  for (int round = 0; round < 16; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const Snapshot snapshot = Take();
    domain::AccountModel after = snapshot.model;
    base::Result<ImpactReport> report = ImpactReport{};
    if (round % 2 == 0) {
      const domain::UserId target = users_[Pick(users_.size())];
      UserPatch patch{.rights = random_field_rights()};
      if (round == 6) patch.flags.is_admin = true;  // an administrator sees every field
      if (round == 10) patch.flags.is_active = false;
      report = security_service_.PreviewUserChange(Admin(), target, patch);
      ASSERT_NO_FATAL_FAILURE(ApplySavedUserPatch(after, snapshot.model, target, patch));
    } else {
      const RoleInput input{.rights = random_field_rights()};
      report = security_service_.PreviewRoleChange(Admin(), role.id, input);
      auto changed = ApplyRoleInput(snapshot.model, role.id, input);
      ASSERT_TRUE(changed.ok()) << changed.status().ToString();
      policy::UpdateRole(after, *changed);
    }
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ExpectFieldBruteForce(*report, snapshot.model, after, fields);
    ExpectBruteForce(*report, snapshot.model, after);
    ExpectUnchanged(snapshot);
    reported += report->field_changes;
  }
  EXPECT_GT(reported, 0);
}

// A concrete case read by hand: hiding one field and making another read-only for a user with no
// field rights; the rest of the report (levels, counts) stays empty.
TEST_F(ImpactTest, HidingAndNarrowingFieldsIsReportedPerField) {
  const std::vector<domain::CustomField> fields = AddFields(*store_, account_, DataSet::kLeads, 3);
  const domain::UserId user = AddUser("f@acme.test", LeadsView(Level::kAllowed));
  const UserPatch patch{
      .rights = {.has_custom_fields_rights = true,
                 .field_rights = {{"leads", std::to_string(fields[0].id), "D", "D"},
                                  {"leads", std::to_string(fields[2].id), "A", "D"}}}};
  auto report = security_service_.PreviewUserChange(Admin(), user, patch);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->users.size(), 1u);
  EXPECT_EQ(report->users[0].user_id, user);
  EXPECT_TRUE(report->users[0].changes.empty());
  ASSERT_EQ(report->users[0].field_changes.size(), 2u);
  const ImpactFieldChange& hidden = report->users[0].field_changes[0];
  EXPECT_EQ(hidden.field_id, fields[0].id);
  EXPECT_EQ(hidden.data_set, DataSet::kLeads);
  EXPECT_EQ(hidden.field_name, fields[0].name);
  EXPECT_TRUE(hidden.view_before && hidden.edit_before);
  EXPECT_FALSE(hidden.view_after || hidden.edit_after);
  const ImpactFieldChange& read_only = report->users[0].field_changes[1];
  EXPECT_EQ(read_only.field_id, fields[2].id);
  EXPECT_TRUE(read_only.view_before && read_only.view_after && read_only.edit_before);
  EXPECT_FALSE(read_only.edit_after);
  EXPECT_EQ(report->field_changes, 2);
  EXPECT_EQ(report->gain, 0);
  EXPECT_EQ(report->lose, 0);
}

TEST_F(ImpactTest, ErrorsAreTheSaveErrors) {
  const UserPatch bad{
      .rights = {.data_sets = {"leads"}, .raw = {.general = {{"leads", "view", "X"}}}}};
  auto invalid = security_service_.PreviewUserChange(Admin(), users_[0], bad);
  ASSERT_EQ(invalid.status().code(), Code::kInvalidArgument);
  ASSERT_FALSE(invalid.status().fields().empty());
  EXPECT_EQ(invalid.status().fields()[0].path, "rights.leads.view");
  // Exactly what the save answers.
  auto saved = admin_service_.UpdateUser(Admin(), users_[0], bad);
  EXPECT_EQ(saved.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(saved.status().fields(), invalid.status().fields());

  const UserPatch fine{.rights = {.mail_access = true}};
  EXPECT_EQ(security_service_.PreviewUserChange(Admin(), 987654, fine).status().code(),
            Code::kNotFound);
  EXPECT_EQ(security_service_.PreviewUserChange(As(users_[1]), users_[0], fine).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(security_service_.PreviewUserChange(Admin(), users_[0], UserPatch{}).status().code(),
            Code::kInvalidArgument);
  const RoleInput role{.rights = {.mail_access = true}};
  EXPECT_EQ(security_service_.PreviewRoleChange(Admin(), 987654, role).status().code(),
            Code::kNotFound);
  // The last administrator rule of the save holds for its preview.
  const UserPatch demote{.flags = {.is_admin = false}};
  EXPECT_EQ(security_service_.PreviewUserChange(Admin(), admin_id_, demote).status().code(),
            Code::kFailedPrecondition);
}

}  // namespace
}  // namespace gatehouse::service
