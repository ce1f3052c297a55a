// Store behaviour on every engine: accounts and the security model, scoping by account, and the
// filters of a list's items.
// Validated writes are tested in store_write_rules_test.cc, sessions, tokens and the activity
// log in store_auth_test.cc.
#include "storage/store.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

class AccountStoreTest : public StoreTest {};

TEST_P(AccountStoreTest, NewAccountHasDefaultGroupAndMainPipeline) {
  AccountId id = NewAccount("acme");
  AccountReader r = store_->Reader(id);
  auto groups = r.ListGroups();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ(*r.DefaultGroupId(), groups->front().id);
  auto pipelines = r.ListPipelines();
  ASSERT_TRUE(pipelines.ok());
  ASSERT_EQ(pipelines->size(), 1u);
  const domain::Pipeline& p = pipelines->front();
  EXPECT_TRUE(p.is_main);
  ASSERT_GE(p.stages.size(), 4u);
  EXPECT_EQ(p.stages.front().type, domain::kStageTypeIncoming);
  EXPECT_EQ(p.stages[p.stages.size() - 2].id, domain::kWonStatusId);
  EXPECT_EQ(p.stages.back().id, domain::kLostStatusId);
  EXPECT_EQ(store_->FindAccount("acme")->id, id);
  EXPECT_EQ(r.Account()->seats, 50);
}

TEST_P(AccountStoreTest, DuplicateOrBadSubdomainRefused) {
  NewAccount("acme");
  EXPECT_EQ(store_->CreateAccount({"acme", "x", 1, 0}).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(store_->CreateAccount({"Bad Name", "x", 1, 0}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->ListAccounts()->size(), 1u);
}

TEST_P(AccountStoreTest, UserEmailIsUniqueCaseInsensitive) {
  AccountId a = NewAccount("acme");
  NewUser(a, "Ann@Example.com");
  Status status = store_->Write(a, [](AccountWriter& w) {
    return w.CreateUser({.user = {.name = "dup", .email = "ann@example.COM"}}).status();
  });
  EXPECT_EQ(status.code(), Code::kAlreadyExists);
  EXPECT_EQ(store_->Reader(a).FindUserByEmail("ANN@example.com")->user.email, "Ann@Example.com");
  // Another account may use the same address.
  AccountId b = NewAccount("other");
  EXPECT_NE(NewUser(b, "ann@example.com"), 0);
}

TEST_P(AccountStoreTest, WriteResultAnswersOnlyWhatWasCommitted) {
  AccountId a = NewAccount("acme");
  auto create = [](std::string email, bool then_fail) {
    return [email, then_fail](AccountWriter& w) -> base::Result<UserId> {
      GH_ASSIGN_OR_RETURN(UserId id, w.CreateUser({.user = {.name = "someone", .email = email}}));
      if (then_fail) return Status::Invalid("refused after the insert");
      return id;
    };
  };
  base::Result<UserId> ann = store_->WriteResult(a, create("ann@acme.test", false));
  ASSERT_TRUE(ann.ok()) << ann.status().ToString();
  EXPECT_EQ(store_->Reader(a).GetUser(*ann)->user.email, "ann@acme.test");
  // A body that fails after its insert answers its error, and the insert is rolled back.
  base::Result<UserId> bob = store_->WriteResult(a, create("bob@acme.test", true));
  EXPECT_EQ(bob.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->Reader(a).FindUserByEmail("bob@acme.test").status().code(), Code::kNotFound);
  // So does one the store refuses (the address is taken).
  EXPECT_EQ(store_->WriteResult(a, create("ANN@acme.test", false)).status().code(),
            Code::kAlreadyExists);
}

TEST_P(AccountStoreTest, ModelRoundTripsRightsAndRoleLinks) {
  AccountId a = NewAccount("acme");
  domain::Rights rights;
  rights.Set(domain::DataSet::kLeads, domain::Action::kView, domain::Level::kTeamWide);
  rights.Set(domain::DataSet::kLeads, domain::Action::kEdit, domain::Level::kIfResponsible);
  rights.Set(domain::DataSet::kIncomingLeads, domain::Action::kAccept, domain::Level::kAllowed);
  rights.mail_access = true;
  domain::StageRights stage{
      .stage = {store_->Reader(a).ListPipelines()->front().id, domain::kWonStatusId}};
  stage.Set(domain::Action::kView, domain::Level::kAllowed);
  rights.stage_rights.push_back(stage);
  UserId user = 0;
  RoleId role = 0;
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(role, w.CreateRole({0, "Rep", rights}));
                            const UserRow row{.user = {.name = "Ann",
                                                       .email = "ann@x.io",
                                                       .role_id = role,
                                                       .rights = rights},
                                              .recovery_code_hashes = {"h1", "h2"}};
                            GH_ASSIGN_OR_RETURN(user, w.CreateUser(row));
                            return Status::Ok();
                          })
                  .ok());
  auto model = store_->Reader(a).LoadAccountModel();
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->id, a);
  ASSERT_NE(model->FindUser(user), nullptr);
  EXPECT_EQ(model->FindUser(user)->rights, rights);
  EXPECT_EQ(model->FindUser(user)->role_id, role);
  EXPECT_EQ(model->FindRole(role)->rights, rights);
  EXPECT_EQ(store_->Reader(a).GetUser(user)->recovery_code_hashes,
            std::vector<std::string>({"h1", "h2"}));

  // Editing the role updates every holder; a held role cannot be deleted.
  domain::Rights wider = rights;
  wider.Set(domain::DataSet::kContacts, domain::Action::kView, domain::Level::kAllowed);
  ASSERT_TRUE(store_->Write(a,
                            [&](AccountWriter& w) {
                              return w.UpdateRole({role, "Rep", wider});
                            })
                  .ok());
  EXPECT_EQ(store_->Reader(a).GetUser(user)->user.rights, wider);
  EXPECT_EQ(store_->Write(a, [&](AccountWriter& w) { return w.DeleteRole(role); }).code(),
            Code::kFailedPrecondition);
}

TEST_P(AccountStoreTest, PipelinesAndStages) {
  AccountId a = NewAccount("acme");
  domain::Pipeline second = NewPipeline(a, "Second", {{0, "Only", 20, 0}});
  ASSERT_EQ(second.stages.size(), 4u);  // incoming, Only, 142, 143
  EXPECT_FALSE(second.is_main);
  // Generated ids never collide with the shared closing stages.
  for (const domain::Stage& s : second.stages) {
    if (s.id != domain::kWonStatusId && s.id != domain::kLostStatusId) {
      EXPECT_GT(s.id, 1000);
    }
  }
  // The only working stage cannot go; system stages cannot go.
  EXPECT_EQ(
      store_
          ->Write(a,
                  [&](AccountWriter& w) { return w.DeleteStage(second.id, second.stages[1].id); })
          .code(),
      Code::kFailedPrecondition);
  EXPECT_EQ(
      store_->Write(a, [&](AccountWriter& w) { return w.DeleteStage(second.id, 142); }).code(),
      Code::kFailedPrecondition);
  // A pipeline with leads cannot be deleted; an empty one can.
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) {
                            return w.Create(Lead{.pipeline_id = second.id}).status();
                          })
                  .ok());
  EXPECT_EQ(store_->Write(a, [&](AccountWriter& w) { return w.DeletePipeline(second.id); }).code(),
            Code::kFailedPrecondition);
}

// ---- account scoping ----

class ScopingTest : public StoreTest {};

TEST_P(ScopingTest, AnotherAccountsRecordsDoNotExist) {
  AccountId mine = NewAccount("mine");
  AccountId theirs = NewAccount("theirs");
  UserId their_user = NewUser(theirs, "t@theirs.io");
  Lead their_lead;
  Contact their_contact;
  Company their_company;
  ASSERT_TRUE(
      store_
          ->Write(theirs,
                  [&](AccountWriter& w) -> Status {
                    GH_ASSIGN_OR_RETURN(
                        their_lead,
                        w.Create(Lead{.name = "theirs", .responsible_user_id = their_user}));
                    GH_ASSIGN_OR_RETURN(their_contact, w.Create(Contact{.name = "their contact"}));
                    GH_ASSIGN_OR_RETURN(their_company, w.Create(Company{.name = "their company"}));
                    return Status::Ok();
                  })
          .ok());
  const Lead my_lead = NewRecord(mine, Lead{});

  AccountReader r = store_->Reader(mine);
  EXPECT_EQ(r.Get<Lead>(their_lead.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.Get<Contact>(their_contact.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.Get<Company>(their_company.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.GetUser(their_user).status().code(), Code::kNotFound);
  auto write = [&](auto fn) { return store_->Write(mine, fn).code(); };
  Lead renamed = their_lead;
  renamed.name = "hijacked";
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Update(renamed); }), Code::kNotFound);
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Delete<Lead>(their_lead.id); }),
            Code::kNotFound);
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Delete<Contact>(their_contact.id); }),
            Code::kNotFound);
  EXPECT_EQ(
      write([&](AccountWriter& w) { return w.LinkContact(my_lead.id, their_contact.id, true); }),
      Code::kNotFound);
  EXPECT_EQ(write([&](AccountWriter& w) { return w.LinkCompany(my_lead.id, their_company.id); }),
            Code::kNotFound);
  EXPECT_EQ(
      write([&](AccountWriter& w) { return w.LinkContact(their_lead.id, their_contact.id, true); }),
      Code::kNotFound);
  // Their responsible user cannot own my records.
  const Lead bad{.responsible_user_id = their_user};
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Create(bad).status(); }),
            Code::kInvalidArgument);
  // Their pipeline cannot hold my lead.
  const Lead cross{.pipeline_id = their_lead.pipeline_id};
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Create(cross).status(); }),
            Code::kInvalidArgument);

  // Lists and counts see only mine; theirs is unchanged.
  testing::FilteredQuery q;
  q.permission.otherwise.kind = policy::Audience::Kind::kAll;
  auto page = r.List<Lead>(q.permission, q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, my_lead.id);
  EXPECT_EQ(*r.Count<Lead>(q.permission, q), 1);
  EXPECT_EQ(*store_->Reader(theirs).Get<Lead>(their_lead.id), their_lead);
  EXPECT_TRUE(store_->Reader(theirs).Get<Contact>(their_contact.id).ok());
  EXPECT_TRUE(store_->Reader(theirs).LeadContacts(their_lead.id)->empty());
}

// GetRef names a record by its data set, as events, notes and tasks do: for every kind it is
// what the kind's RecordTraits::Ref makes of the stored record, and another account's record
// or a missing one does not exist.
TEST_P(ScopingTest, GetRefOfEveryKindIsItsRecordsRef) {
  const AccountId mine = NewAccount("mine");
  const AccountId theirs = NewAccount("theirs");
  const UserId owner = NewUser(mine, "o@mine.io");
  const std::vector<domain::StageKey> stages = StagesOf(mine);
  ASSERT_GE(stages.size(), 2u);
  const domain::StageKey stage = stages[1];
  std::set<domain::DataSet> seen;
  auto check = [&](const auto& stored) {
    using Traits = RecordTraits<std::decay_t<decltype(stored)>>;
    const auto ref = store_->Reader(mine).GetRef(Traits::kDataSet, stored.id);
    ASSERT_TRUE(ref.ok()) << Traits::kName << ": " << ref.status().ToString();
    EXPECT_EQ(*ref, Traits::Ref(stored)) << Traits::kName;
    EXPECT_EQ(ref->responsible_user_id, owner) << Traits::kName;
    EXPECT_EQ(store_->Reader(theirs).GetRef(Traits::kDataSet, stored.id).status().code(),
              Code::kNotFound)
        << Traits::kName;
    EXPECT_EQ(store_->Reader(mine).GetRef(Traits::kDataSet, stored.id + 1000).status().code(),
              Code::kNotFound)
        << Traits::kName;
    seen.insert(Traits::kDataSet);
  };
  check(NewRecord(mine, Lead{.name = "lead",
                             .pipeline_id = stage.pipeline_id,
                             .status_id = stage.status_id,
                             .responsible_user_id = owner}));
  check(NewRecord(mine, Contact{.name = "contact", .responsible_user_id = owner}));
  check(NewRecord(mine, Company{.name = "company", .responsible_user_id = owner}));
  check(NewRecord(mine, Task{.text = "call", .responsible_user_id = owner}));
  check(NewRecord(mine, IncomingLead{.uid = "u-1",
                                     .category = domain::IncomingCategory::kForms,
                                     .pipeline_id = stage.pipeline_id,
                                     .responsible_user_id = owner}));
  check(NewRecord(mine, Customer{.name = "customer", .responsible_user_id = owner}));
  EXPECT_EQ(seen.size(), domain::kAllDataSets.size() + 1);  // and customers
}

// VisitRecordKind hands every data set the kind that is its RecordTraits' data set.
TEST(RecordKindTest, EveryDataSetVisitsItsOwnKind) {
  for (domain::DataSet data_set :
       {domain::DataSet::kLeads, domain::DataSet::kContacts, domain::DataSet::kCompanies,
        domain::DataSet::kTasks, domain::DataSet::kIncomingLeads, domain::DataSet::kCustomers}) {
    EXPECT_EQ(VisitRecordKind(data_set, []<typename R>() { return RecordTraits<R>::kDataSet; }),
              data_set)
        << domain::DataSetName(data_set);
  }
}

TEST_P(ScopingTest, WriteToUnknownAccountIsNotFound) {
  bool ran = false;
  Status status = store_->Write(424242, [&](AccountWriter&) {
    ran = true;
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), Code::kNotFound);
  EXPECT_FALSE(ran);
}

// ---- lists (catalogs) ----

class ListItemsTest : public StoreTest {};

// A list's items filtered by id and by a case-insensitive substring of the name (LIKE's
// wildcards matching themselves), the two ANDed, in SQL before the page is cut, and only within
// the list and its account.
TEST_P(ListItemsTest, FilterByIdsAndNameBeforePaging) {
  const AccountId a = NewAccount("acme");
  const AccountId b = NewAccount("other");
  const std::vector<std::string> names = {"Red widget", "Blue WIDGET", "Gadget", "50% off_sale",
                                          "Green widget"};
  std::int64_t products = 0, services = 0, theirs = 0;
  std::vector<RecordId> ids;
  RecordId in_services = 0, their_item = 0;
  auto add = [](AccountWriter& w, std::int64_t list, const std::string& name) -> Result<RecordId> {
    GH_ASSIGN_OR_RETURN(ListItem item, w.CreateListItem(ListItem{.list_id = list, .name = name}));
    return item.id;
  };
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(List p, w.CreateList("Products", 10));
                            GH_ASSIGN_OR_RETURN(List s, w.CreateList("Services", 20));
                            products = p.id;
                            services = s.id;
                            for (const std::string& name : names) {
                              GH_ASSIGN_OR_RETURN(RecordId id, add(w, products, name));
                              ids.push_back(id);
                            }
                            GH_ASSIGN_OR_RETURN(in_services, add(w, services, "Service widget"));
                            return Status::Ok();
                          })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write(b,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(List t, w.CreateList("Theirs", 10));
                            theirs = t.id;
                            GH_ASSIGN_OR_RETURN(their_item, add(w, theirs, "Their widget"));
                            return Status::Ok();
                          })
                  .ok());
  const RecordId red = ids[0], blue = ids[1], gadget = ids[2];
  struct Case {
    std::vector<RecordId> ids;
    std::string text;
    int limit = 250;
    int page = 1;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {{}, "", 250, 1, names},
      {{}, "widget", 250, 1, {"Red widget", "Blue WIDGET", "Green widget"}},
      {{}, "wIDg", 250, 1, {"Red widget", "Blue WIDGET", "Green widget"}},
      {{}, "%", 250, 1, {"50% off_sale"}},
      {{}, "_", 250, 1, {"50% off_sale"}},
      {{}, "\\", 250, 1, {}},
      {{}, "nothing", 250, 1, {}},
      {{gadget}, "", 250, 1, {"Gadget"}},
      {{gadget, red}, "", 250, 1, {"Red widget", "Gadget"}},
      {{gadget, blue}, "widget", 250, 1, {"Blue WIDGET"}},
      {{gadget}, "widget", 250, 1, {}},
      {{in_services, their_item}, "", 250, 1, {}},  // of another list, of another account
      {{}, "widget", 1, 2, {"Blue WIDGET"}},
      {{}, "widget", 2, 2, {"Green widget"}},
      {{}, "widget", 1, 4, {}},
      {{red, blue, gadget}, "", 2, 2, {"Gadget"}},
  };
  AccountReader r = store_->Reader(a);
  for (const Case& c : cases) {
    const std::string what = "ids " + std::to_string(c.ids.size()) + " text '" + c.text +
                             "' limit " + std::to_string(c.limit) + " page " +
                             std::to_string(c.page);
    auto items = r.ListItems(products, c.limit, c.page, c.ids, c.text);
    ASSERT_TRUE(items.ok()) << what << ": " << items.status().ToString();
    std::vector<std::string> got;
    for (const ListItem& item : *items) got.push_back(item.name);
    EXPECT_EQ(got, c.want) << what;
  }
  EXPECT_TRUE(r.ListItems(theirs, 250, 1, {}, "widget")->empty());
  ASSERT_EQ(r.ListItems(services, 250, 1, {}, "WIDGET")->size(), 1u);
}

GH_INSTANTIATE_STORE_TEST(AccountStoreTest);
GH_INSTANTIATE_STORE_TEST(ScopingTest);
GH_INSTANTIATE_STORE_TEST(ListItemsTest);

}  // namespace
}  // namespace gatehouse::storage
