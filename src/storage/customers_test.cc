// Customers in the store (migration 16), on both engines: statuses, the kind's rules, filters,
// links, totals, reassignment.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "storage/store_test_util.h"
#include "storage/value_ranges.h"

namespace gatehouse::storage {
namespace {

class CustomersTest : public StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("buyers");
    owner_ = NewUser(account_, "owner@buyers.test");
    other_ = NewUser(account_, "other@buyers.test");
  }

  Customer New(std::string name, UserId responsible, std::int64_t status_id = 0) {
    return Customer{.name = std::move(name),
                    .status_id = status_id,
                    .responsible_user_id = responsible,
                    .created_by = responsible};
  }

  base::Result<Customer> Create(const Customer& c) {
    Customer out;
    Status status = store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(out, w.Create(c));
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return out;
  }

  std::vector<CustomerStatus> Statuses() {
    auto statuses = store_->Reader(account_).ListCustomerStatuses();
    EXPECT_TRUE(statuses.ok()) << statuses.status().ToString();
    return statuses.ok() ? *statuses : std::vector<CustomerStatus>{};
  }

  void ExpectTotalsExact(const std::string& when) {
    auto differences = store_->Reader(account_).VerifyRecordTotals();
    ASSERT_TRUE(differences.ok()) << differences.status().ToString();
    EXPECT_TRUE(differences->empty()) << when << ": " << differences->front().data_set << " "
                                      << differences->front().responsible_user_id;
  }

  AccountId account_ = 0;
  UserId owner_ = 0;
  UserId other_ = 0;
};

TEST_P(CustomersTest, EveryAccountHasTheSystemStatusesFirstAndLast) {
  const std::vector<CustomerStatus> statuses = Statuses();
  ASSERT_EQ(statuses.size(), 5u);
  EXPECT_EQ(statuses.front().name, "Recently bought");
  EXPECT_EQ(statuses.front().type, kCustomerStatusRecentlyBought);
  EXPECT_TRUE(statuses.front().is_default);
  EXPECT_EQ(statuses[1].type, kCustomerStatusRegular);
  EXPECT_FALSE(statuses[1].is_default);
  EXPECT_EQ(statuses[2].type, kCustomerStatusExpectedPurchase);
  EXPECT_EQ(statuses[3].type, kCustomerStatusPurchaseMissed);
  EXPECT_EQ(statuses[4].type, kCustomerStatusClosed);
  for (std::size_t i = 2; i < 5; ++i) EXPECT_TRUE(statuses[i].is_default) << i;
  // Another account has its own.
  const AccountId other = NewAccount("elsewhere");
  auto theirs = store_->Reader(other).ListCustomerStatuses();
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(theirs->size(), 5u);
  EXPECT_NE(theirs->front().id, statuses.front().id);
  EXPECT_EQ(store_->Reader(other).GetCustomerStatus(statuses.front().id).status().code(),
            Code::kNotFound);
}

TEST_P(CustomersTest, ANewCustomerStartsInTheFirstStatusAndOnlyInAStatusOfItsAccount) {
  const std::vector<CustomerStatus> statuses = Statuses();
  auto created = Create(New("Acme", owner_));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->status_id, statuses.front().id);
  EXPECT_EQ(created->updated_by, owner_);  // defaults to created_by
  EXPECT_NE(created->created_at, 0);

  auto second = Create(New("Beta", owner_, statuses[2].id));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->status_id, statuses[2].id);

  const AccountId foreign = NewAccount("foreign");
  auto foreign_statuses = store_->Reader(foreign).ListCustomerStatuses();
  ASSERT_TRUE(foreign_statuses.ok());
  auto wrong = Create(New("Gamma", owner_, foreign_statuses->front().id));
  EXPECT_EQ(wrong.status().code(), Code::kInvalidArgument);
  ASSERT_FALSE(wrong.status().fields().empty());
  EXPECT_EQ(wrong.status().fields().front().path, "status_id");

  Customer negative = New("Delta", owner_);
  negative.next_price = -1;
  EXPECT_EQ(Create(negative).status().code(), Code::kInvalidArgument);
  for (const auto& [field, set] :
       std::vector<std::pair<std::string, std::function<void(Customer&)>>>{
           {"next_price", [](Customer& c) { c.next_price = kMaxAmount + 1; }},
           {"periodicity", [](Customer& c) { c.periodicity = kMaxPeriodicityDays + 1; }},
           {"next_date", [](Customer& c) { c.next_date = kMaxTime + 1; }}}) {
    Customer out_of_range = New("Zeta", owner_);
    set(out_of_range);
    auto refused = Create(out_of_range);
    ASSERT_FALSE(refused.ok()) << field;
    ASSERT_FALSE(refused.status().fields().empty()) << field;
    EXPECT_EQ(refused.status().fields().front().path, field);
  }
  Customer inactive_owner = New("Epsilon", 999'999);
  EXPECT_EQ(Create(inactive_owner).status().code(), Code::kInvalidArgument);
}

TEST_P(CustomersTest, FiltersByStatusAndNextDateAndRefusesThemOnOtherKinds) {
  const std::vector<CustomerStatus> statuses = Statuses();
  Customer a = New("Alpha", owner_, statuses[0].id);
  a.next_date = 1'800'000'000;
  Customer b = New("Bravo", owner_, statuses[1].id);
  b.next_date = 1'900'000'000;
  Customer c = New("Charlie", other_, statuses[1].id);
  auto ca = Create(a);
  auto cb = Create(b);
  auto cc = Create(c);
  ASSERT_TRUE(ca.ok() && cb.ok() && cc.ok());
  AccountReader reader = store_->Reader(account_);
  const policy::ListFilter all = policy::ListFilter::All();

  const ListQuery by_status{.customer_status_ids = {statuses[1].id}};
  auto page = reader.List<Customer>(all, by_status);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, cb->id);
  EXPECT_EQ(page->items[1].id, cc->id);

  const ListQuery by_date{.next_date = {.from = 1'850'000'000}};
  page = reader.List<Customer>(all, by_date);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, cb->id);
  EXPECT_EQ(page->items[0].next_date, 1'900'000'000);
  auto counted = reader.Count<Customer>(all, by_date);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(*counted, 1);

  // Only the caller's own: the permission filter decides on the responsible user.
  const policy::ListFilter mine{.otherwise = {policy::Audience::Kind::kResponsibleIn, {owner_}}};
  auto own = reader.Count<Customer>(mine, ListQuery{});
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(*own, 2);

  EXPECT_EQ(reader.List<Contact>(all, by_status).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(reader.List<Lead>(all, by_date).status().code(), Code::kInvalidArgument);
}

TEST_P(CustomersTest, LinksToContactsAndOneCompany) {
  auto customer = Create(New("Linked", owner_));
  ASSERT_TRUE(customer.ok());
  RecordId contact_id = 0;
  RecordId company_id = 0;
  RecordId second_id = 0;
  Status wrote = store_->Write(account_, [&](AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(Contact c, w.Create(Contact{.name = "Ann", .responsible_user_id = other_}));
    contact_id = c.id;
    GH_ASSIGN_OR_RETURN(Company co, w.Create(Company{.name = "Acme"}));
    company_id = co.id;
    GH_ASSIGN_OR_RETURN(Company co2, w.Create(Company{.name = "Beta"}));
    second_id = co2.id;
    GH_RETURN_IF_ERROR(w.LinkCustomerContact(customer->id, contact_id, true));
    GH_RETURN_IF_ERROR(w.LinkCustomerCompany(customer->id, company_id));
    return w.LinkCustomerCompany(customer->id, second_id);  // replaces the first
  });
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  AccountReader reader = store_->Reader(account_);
  const RecordId ids[] = {customer->id};
  auto contacts = reader.Linked(Link::kCustomerContacts, ids);
  ASSERT_TRUE(contacts.ok()) << contacts.status().ToString();
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ(contacts->front().id, contact_id);
  EXPECT_TRUE(contacts->front().is_main);
  EXPECT_EQ(contacts->front().ref.data_set, domain::DataSet::kContacts);
  EXPECT_EQ(contacts->front().ref.responsible_user_id, other_);
  auto companies = reader.Linked(Link::kCustomerCompany, ids);
  ASSERT_TRUE(companies.ok());
  ASSERT_EQ(companies->size(), 1u);
  EXPECT_EQ(companies->front().id, second_id);
  // A missing customer or contact links nothing.
  Status missing = store_->Write(account_, [&](AccountWriter& w) {
    return w.LinkCustomerContact(customer->id, 999'999, false);
  });
  EXPECT_EQ(missing.code(), Code::kNotFound);
  // Deleting the customer removes its links with it.
  ASSERT_TRUE(
      store_->Write(account_, [&](AccountWriter& w) { return w.Delete<Customer>(customer->id); })
          .ok());
  contacts = reader.Linked(Link::kCustomerContacts, ids);
  ASSERT_TRUE(contacts.ok());
  EXPECT_TRUE(contacts->empty());
}

TEST_P(CustomersTest, StatusesAreAddedChangedAndDeletedButNotTheSystemOnes) {
  std::vector<CustomerStatus> statuses = Statuses();
  CustomerStatus added;
  Status wrote = store_->Write(account_, [&](AccountWriter& w) -> Status {
    // The type is ignored: a new status is a regular one.
    const CustomerStatus input{
        .name = "Loyal", .type = kCustomerStatusClosed, .color = "#deff81", .is_default = true};
    GH_ASSIGN_OR_RETURN(added, w.CreateCustomerStatus(input));
    return Status::Ok();
  });
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  EXPECT_EQ(added.type, kCustomerStatusRegular);
  EXPECT_FALSE(added.is_default);
  EXPECT_EQ(added.sort, 30);  // after the last regular one
  statuses = Statuses();
  ASSERT_EQ(statuses.size(), 6u);
  EXPECT_EQ(statuses[2].id, added.id);

  auto customer = Create(New("Mover", owner_, added.id));
  ASSERT_TRUE(customer.ok());
  EXPECT_EQ(store_
                ->Write(account_,
                        [&](AccountWriter& w) {
                          return w.DeleteCustomerStatus(statuses[0].id, 1'800'000'000);
                        })
                .code(),
            Code::kFailedPrecondition);
  ASSERT_TRUE(
      store_
          ->Write(account_,
                  [&](AccountWriter& w) { return w.DeleteCustomerStatus(added.id, 1'800'000'000); })
          .ok());
  auto moved = store_->Reader(account_).Get<Customer>(customer->id);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->status_id, statuses[0].id);
  EXPECT_EQ(moved->updated_at, 1'800'000'000);
  EXPECT_EQ(Statuses().size(), 5u);

  // At most kMaxCustomerStatuses per account.
  Status many = store_->Write(account_, [&](AccountWriter& w) -> Status {
    for (int i = 0; i < AccountWriter::kMaxCustomerStatuses; ++i) {
      GH_RETURN_IF_ERROR(
          w.CreateCustomerStatus(CustomerStatus{.name = "S" + std::to_string(i)}).status());
    }
    return Status::Ok();
  });
  EXPECT_EQ(many.code(), Code::kInvalidArgument);
  EXPECT_EQ(Statuses().size(), 5u);  // the failed write changed nothing
}

TEST_P(CustomersTest, TotalsFollowEveryWriteAndReassignmentMovesCustomers) {
  const std::vector<CustomerStatus> statuses = Statuses();
  std::vector<RecordId> ids;
  for (int i = 0; i < 6; ++i) {
    auto c = Create(New("C" + std::to_string(i), i % 3 == 0 ? 0 : (i % 2 ? owner_ : other_)));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ids.push_back(c->id);
  }
  ExpectTotalsExact("after creates");
  AccountReader reader = store_->Reader(account_);
  const ListQuery owned{.responsible_user_ids = {owner_}};
  const policy::ListFilter all = policy::ListFilter::All();
  auto counted = reader.Count<Customer>(all, owned);  // from the totals
  ASSERT_TRUE(counted.ok());
  auto paged = reader.List<Customer>(all, owned);
  ASSERT_TRUE(paged.ok());
  EXPECT_EQ(*counted, static_cast<std::int64_t>(paged->items.size()));

  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(Customer c, w.Get<Customer>(ids[1]));
                            c.responsible_user_id = other_;
                            c.status_id = statuses[3].id;
                            GH_RETURN_IF_ERROR(w.Update(c));
                            return w.Delete<Customer>(ids[2]);
                          })
                  .ok());
  ExpectTotalsExact("after update and delete");

  // A user who still owns customers cannot be removed; reassigning moves them and their count.
  EXPECT_EQ(store_->Write(account_, [&](AccountWriter& w) { return w.DeleteUser(other_); }).code(),
            Code::kFailedPrecondition);
  ReassignCounts moved;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(moved, w.Reassign(other_, owner_, 1'800'000'000));
                            return w.DeleteUser(other_);
                          })
                  .ok());
  EXPECT_EQ(moved.customers, 2);
  ExpectTotalsExact("after reassignment");
  const ListQuery theirs{.responsible_user_ids = {other_}};
  auto left = reader.Count<Customer>(all, theirs);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, 0);
}

GH_INSTANTIATE_STORE_TEST(CustomersTest);

}  // namespace
}  // namespace gatehouse::storage
