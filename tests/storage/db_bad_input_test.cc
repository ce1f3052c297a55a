// Bad input on both engines: references that do not exist, that point into another account, or
// that break a rule of the schema are refused with a clear error, and nothing is written.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "storage/store.h"
#include "tests/storage/test_database.h"

namespace gatehouse::storage {
namespace {

using base::Code;
using testing::Engine;
using testing::TestDatabase;

// One account as the tests need it: an admin, a second user, its main pipeline and one record
// of each kind.
struct Fixture {
  AccountRow account;
  domain::UserId admin = 0;
  domain::UserId seller = 0;
  domain::GroupId group = 0;
  domain::Pipeline pipeline;
  Lead lead;
  Contact contact;
  Company company;
};

class DbBadInputTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_REQUIRE_ENGINE(GetParam());
    auto db = TestDatabase::Create(GetParam());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto store = OpenMigratedStore(*db_, 2);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    Make("alpha", &a_);
    Make("beta", &b_);
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  void Make(const std::string& subdomain, Fixture* f) {
    auto account = store_->CreateAccount({subdomain, subdomain, 10, 0});
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    f->account = *account;
    base::Status status = store_->Write(f->account.id, [&](AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(f->group, w.DefaultGroupId());
      const UserRow admin{.user = {.name = "Admin",
                                   .email = "admin@" + subdomain + ".test",
                                   .is_admin = true,
                                   .group_id = f->group}};
      GH_ASSIGN_OR_RETURN(f->admin, w.CreateUser(admin));
      const UserRow seller{.user = {.name = "Seller",
                                    .email = "seller@" + subdomain + ".test",
                                    .group_id = f->group}};
      GH_ASSIGN_OR_RETURN(f->seller, w.CreateUser(seller));
      GH_ASSIGN_OR_RETURN(std::vector<domain::Pipeline> pipelines, w.ListPipelines());
      f->pipeline = pipelines.front();
      const Lead lead{.name = "Lead of " + subdomain,
                      .responsible_user_id = f->seller,
                      .created_at = 1'700'000'000,
                      .updated_at = 1'700'000'000};
      GH_ASSIGN_OR_RETURN(f->lead, w.Create(lead));
      const Contact contact{.name = "Contact of " + subdomain, .responsible_user_id = f->seller};
      GH_ASSIGN_OR_RETURN(f->contact, w.Create(contact));
      const Company company{.name = "Company of " + subdomain, .responsible_user_id = f->seller};
      GH_ASSIGN_OR_RETURN(f->company, w.Create(company));
      return base::Status::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  // Runs `body` as one write of account `f` and returns its status.
  base::Status Write(const Fixture& f, const std::function<base::Status(AccountWriter&)>& body) {
    return store_->Write(f.account.id, body);
  }

  // Number of leads, contacts and companies of `f` as an admin sees them.
  std::int64_t Records(const Fixture& f) {
    ListQuery all;
    AccountReader reader = store_->Reader(f.account.id);
    auto leads = reader.Count<Lead>(policy::ListFilter::All(), all);
    auto contacts = reader.Count<Contact>(policy::ListFilter::All(), all);
    auto companies = reader.Count<Company>(policy::ListFilter::All(), all);
    EXPECT_TRUE(leads.ok() && contacts.ok() && companies.ok());
    return (leads.ok() ? *leads : -1000) + (contacts.ok() ? *contacts : -1000) +
           (companies.ok() ? *companies : -1000);
  }

  // The first working stage (not incoming, won or lost) of `p`.
  domain::StatusId FirstWorkingStage(const domain::Pipeline& p) {
    for (const domain::Stage& s : p.stages) {
      if (s.type == domain::kStageTypeNormal && s.id != domain::kWonStatusId &&
          s.id != domain::kLostStatusId) {
        return s.id;
      }
    }
    return 0;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
  Fixture a_;
  Fixture b_;
};

TEST_P(DbBadInputTest, LeadWithAnotherAccountsResponsibleUserIsRefused) {
  const std::int64_t before = Records(a_) + Records(b_);
  base::Status status = Write(a_, [&](AccountWriter& w) -> base::Status {
    const Lead lead{.name = "x", .responsible_user_id = b_.seller};
    return w.Create(lead).status();
  });
  EXPECT_EQ(status.code(), Code::kInvalidArgument) << status.ToString();
  ASSERT_FALSE(status.fields().empty()) << status.ToString();
  EXPECT_EQ(status.fields()[0].path, "responsible_user_id");
  EXPECT_EQ(Records(a_) + Records(b_), before);
}

TEST_P(DbBadInputTest, LeadWithAnotherAccountsStageIsRefused) {
  const std::int64_t before = Records(a_) + Records(b_);
  base::Status status = Write(a_, [&](AccountWriter& w) -> base::Status {
    const Lead lead{
        .name = "x", .pipeline_id = b_.pipeline.id, .status_id = FirstWorkingStage(b_.pipeline)};
    return w.Create(lead).status();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(status.code() == Code::kInvalidArgument || status.code() == Code::kNotFound)
      << status.ToString();
  EXPECT_EQ(Records(a_) + Records(b_), before);
}

TEST_P(DbBadInputTest, LeadWithAStageOfNoPipelineIsRefused) {
  const std::int64_t before = Records(a_);
  base::Status status = Write(a_, [&](AccountWriter& w) -> base::Status {
    const Lead lead{.name = "x", .pipeline_id = a_.pipeline.id, .status_id = 99'999'999};
    return w.Create(lead).status();
  });
  EXPECT_EQ(status.code(), Code::kInvalidArgument) << status.ToString();
  ASSERT_FALSE(status.fields().empty()) << status.ToString();
  EXPECT_EQ(status.fields()[0].path, "status_id");
  EXPECT_EQ(Records(a_), before);
}

TEST_P(DbBadInputTest, AnotherAccountsRecordsBehaveAsMissing) {
  AccountReader reader = store_->Reader(a_.account.id);
  EXPECT_EQ(reader.Get<Lead>(b_.lead.id).status().code(), Code::kNotFound);
  EXPECT_EQ(reader.Get<Contact>(b_.contact.id).status().code(), Code::kNotFound);
  EXPECT_EQ(reader.Get<Company>(b_.company.id).status().code(), Code::kNotFound);
  EXPECT_EQ(reader.GetUser(b_.seller).status().code(), Code::kNotFound);

  Lead stolen = b_.lead;
  stolen.name = "renamed by alpha";
  stolen.responsible_user_id = a_.seller;
  base::Status update = Write(a_, [&](AccountWriter& w) { return w.Update(stolen); });
  EXPECT_EQ(update.code(), Code::kNotFound) << update.ToString();
  base::Status remove = Write(a_, [&](AccountWriter& w) { return w.Delete<Lead>(b_.lead.id); });
  EXPECT_EQ(remove.code(), Code::kNotFound) << remove.ToString();
  base::Status link =
      Write(a_, [&](AccountWriter& w) { return w.LinkContact(a_.lead.id, b_.contact.id, true); });
  EXPECT_EQ(link.code(), Code::kNotFound) << link.ToString();
  base::Status company =
      Write(a_, [&](AccountWriter& w) { return w.LinkCompany(a_.lead.id, b_.company.id); });
  EXPECT_EQ(company.code(), Code::kNotFound) << company.ToString();

  auto lead = store_->Reader(b_.account.id).Get<Lead>(b_.lead.id);
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  EXPECT_EQ(*lead, b_.lead) << "beta's lead must be untouched";
  auto links = store_->Reader(a_.account.id).LeadContacts(a_.lead.id);
  ASSERT_TRUE(links.ok());
  EXPECT_TRUE(links->empty());
  auto linked = store_->Reader(a_.account.id).LeadCompany(a_.lead.id);
  ASSERT_TRUE(linked.ok());
  EXPECT_FALSE(linked->has_value());
}

TEST_P(DbBadInputTest, UserInAnotherAccountsGroupIsRefused) {
  auto before = store_->Reader(a_.account.id).ListUsers();
  ASSERT_TRUE(before.ok());
  base::Status status = Write(a_, [&](AccountWriter& w) -> base::Status {
    const UserRow row{
        .user = {.name = "Intruder", .email = "intruder@alpha.test", .group_id = b_.group}};
    return w.CreateUser(row).status();
  });
  EXPECT_EQ(status.code(), Code::kInvalidArgument) << status.ToString();
  auto after = store_->Reader(a_.account.id).ListUsers();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), before->size());
}

TEST_P(DbBadInputTest, DuplicateEmailIsAlreadyExistsCaseInsensitively) {
  base::Status status = Write(a_, [&](AccountWriter& w) -> base::Status {
    const UserRow row{.user = {.name = "Twin", .email = "SELLER@alpha.test", .group_id = a_.group}};
    return w.CreateUser(row).status();
  });
  EXPECT_EQ(status.code(), Code::kAlreadyExists) << status.ToString();
  // The same address in another account is fine.
  base::Status other = Write(b_, [&](AccountWriter& w) -> base::Status {
    const UserRow row{.user = {.name = "Alpha's seller's namesake",
                               .email = "seller@alpha.test",
                               .group_id = b_.group}};
    return w.CreateUser(row).status();
  });
  EXPECT_TRUE(other.ok()) << other.ToString();
}

TEST_P(DbBadInputTest, AFailedStepRollsBackTheWholeWrite) {
  const std::int64_t before = Records(a_);
  base::Status status = Write(a_, [&](AccountWriter& w) -> base::Status {
    const Lead lead{.name = "written first", .responsible_user_id = a_.seller};
    GH_RETURN_IF_ERROR(w.Create(lead).status());
    const Contact contact{.name = "written second"};
    GH_RETURN_IF_ERROR(w.Create(contact).status());
    return w.Delete<Lead>(b_.lead.id);  // another account's: kNotFound
  });
  EXPECT_EQ(status.code(), Code::kNotFound) << status.ToString();
  EXPECT_EQ(Records(a_), before);
}

INSTANTIATE_TEST_SUITE_P(Engines, DbBadInputTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return testing::EngineName(info.param); });

}  // namespace
}  // namespace gatehouse::storage
