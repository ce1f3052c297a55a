#include "storage/demo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

class DemoTest : public testing::StoreTest {};

TEST_P(DemoTest, FillsARealisticWorkspace) {
  int hashes = 0;
  DemoOptions options{
      .leads = 500, .password = "demo-password-1", .hash_password = [&](std::string_view p) {
        ++hashes;
        return "hash:" + std::string(p);
      }};
  std::vector<std::pair<std::int64_t, std::int64_t>> reports;
  auto result = FillDemo(*store_, options, [&](std::int64_t done, std::int64_t total) {
    reports.push_back({done, total});
  });
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->created_account);
  EXPECT_EQ(hashes, 1);
  EXPECT_EQ(result->password, "demo-password-1");
  EXPECT_EQ(result->leads, 500);
  EXPECT_EQ(result->contacts, 250);
  EXPECT_EQ(result->companies, 50);
  EXPECT_EQ(result->tasks, 250);
  EXPECT_EQ(result->conversations, 125);
  EXPECT_GE(result->users, 30);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back(), std::make_pair(std::int64_t{1050}, std::int64_t{1050}));

  AccountReader r = store_->Reader(result->account_id);
  auto admin = r.FindUserByEmail(options.admin_email);
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->user.is_admin);
  EXPECT_EQ(admin->password_hash, "hash:demo-password-1");
  std::set<std::string> groups;
  auto group_list = r.ListGroups();
  ASSERT_TRUE(group_list.ok());
  for (const auto& g : *group_list) groups.insert(g.name);
  EXPECT_TRUE(groups.count("Sales") && groups.count("Marketing") && groups.count("Support"));
  EXPECT_GE(r.ListRoles()->size(), 5u);
  auto pipelines = *r.ListPipelines();
  EXPECT_EQ(pipelines.size(), 3u);

  // Users at every level, some inactive, stage rights present.
  auto model = *r.LoadAccountModel();
  std::set<domain::Level> view_levels;
  bool stage_rights = false, inactive = false;
  for (const auto& u : model.users) {
    view_levels.insert(u.rights.Get(domain::DataSet::kLeads, domain::Action::kView));
    stage_rights = stage_rights || !u.rights.stage_rights.empty();
    inactive = inactive || !u.is_active;
  }
  EXPECT_GE(view_levels.size(), 3u);
  EXPECT_TRUE(stage_rights);
  EXPECT_TRUE(inactive);

  // Every lead sits in a stage of its pipeline and has an active owner.
  testing::FilteredQuery q;
  q.permission.otherwise.kind = policy::Audience::Kind::kAll;
  EXPECT_EQ(*r.Count<Lead>(q.permission, q), 500);
  EXPECT_EQ(*r.Count<Contact>(q.permission, q), 250);
  EXPECT_EQ(*r.Count<Company>(q.permission, q), 50);
  EXPECT_EQ(*r.Count<Task>(q.permission, q), 250);
  // Shared Inbox conversations, each linked to a record and holding messages.
  auto talks = r.List<Conversation>(q.permission, q);
  ASSERT_TRUE(talks.ok()) << talks.status().ToString();
  ASSERT_FALSE(talks->items.empty());
  for (const Conversation& talk : talks->items) {
    EXPECT_TRUE(talk.entity_type == domain::DataSet::kLeads ||
                talk.entity_type == domain::DataSet::kContacts);
    EXPECT_NE(talk.entity_id, 0);
    auto messages = r.ListConversationMessages(talk.id);
    ASSERT_TRUE(messages.ok());
    EXPECT_GE(messages->size(), 1u);
    EXPECT_LE(messages->size(), 3u);
  }
  // Each lead's closest_task_at is its open tasks' earliest deadline (0: none).
  std::map<RecordId, std::int64_t> closest;
  testing::FilteredQuery every_task = q;
  every_task.limit = kMaxPageLimit;  // the 250 tasks, one page
  auto tasks = r.List<Task>(every_task.permission, every_task);
  ASSERT_TRUE(tasks.ok()) << tasks.status().ToString();
  ASSERT_EQ(tasks->items.size(), 250u);
  for (const Task& t : tasks->items) {
    if (t.is_completed || t.entity_type != domain::DataSet::kLeads) continue;
    auto [it, added] = closest.emplace(t.entity_id, t.complete_till);
    if (!added) it->second = std::min(it->second, t.complete_till);
  }
  EXPECT_FALSE(closest.empty());
  std::set<std::string> names;
  ASSERT_TRUE(r.Export<Lead>(q.permission, q, [&](std::span<const Lead> batch) {
                 for (const Lead& l : batch) {
                   auto task = closest.find(l.id);
                   EXPECT_EQ(l.closest_task_at, task == closest.end() ? 0 : task->second) << l.id;
                   const domain::Pipeline* p = model.FindPipeline(l.pipeline_id);
                   EXPECT_NE(p, nullptr);
                   if (p != nullptr) {
                     EXPECT_TRUE(p->HasStage(l.status_id));
                   }
                   const domain::User* owner = model.FindUser(l.responsible_user_id);
                   EXPECT_TRUE(owner != nullptr && owner->is_active);
                   EXPECT_GT(l.price, 0);
                   names.insert(l.name);
                   if (l.status_id == domain::kWonStatusId) {
                     EXPECT_GT(l.closed_at, 0);
                   }
                 }
                 return Status::Ok();
               }).ok());
  EXPECT_GT(names.size(), 100u);  // plausible, varied names

  // Running again on the existing account adds records only.
  options.leads = 20;
  auto again = FillDemo(*store_, options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->created_account);
  EXPECT_EQ(again->account_id, result->account_id);
  EXPECT_EQ(*r.Count<Lead>(q.permission, q), 520);
  EXPECT_EQ(r.ListUsers()->size(), model.users.size());
}

GH_INSTANTIATE_STORE_TEST(DemoTest);

}  // namespace
}  // namespace gatehouse::storage
