// RecordService::AddComplexLeads: a lead with its new or existing contact and company in one
// write, each record under its own kind's rights, all or nothing.
#include <gtest/gtest.h>

#include "service/records/records_test_util.h"

namespace gatehouse::service {
namespace {

std::vector<std::string> EventTypesOldestFirst(const std::vector<storage::EventRow>& newest_first) {
  std::vector<std::string> types;
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    types.push_back(it->type);
  }
  return types;
}

class ComplexLeadsTest : public RecordsTest {
 protected:
  // How many records of kind R the account holds (every test here stays under one page).
  template <typename R>
  std::int64_t Count() {
    storage::ListQuery query;
    query.limit = storage::kMaxPageLimit;
    auto page = service_->List<R>(As(admin_), query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? static_cast<std::int64_t>(page->items.size()) : -1;
  }

  base::Result<std::vector<ComplexWritten>> Add(domain::UserId user,
                                                std::vector<ComplexLeadInput> items,
                                                std::size_t* failed = nullptr) {
    return service_->AddComplexLeads(As(user), items, failed);
  }
};

TEST_F(ComplexLeadsTest, CreatesTheLeadWithItsNewContactAndCompanyLinked) {
  const std::size_t events_before = Events().size();
  auto written = Add(allowed_, {{.lead = {.name = "From the site", .responsible_user_id = mate_},
                                 .new_contact = ContactInput{.first_name = "Ann"},
                                 .new_company = CompanyInput{.name = "Ann's shop"}}});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  ASSERT_EQ(written->size(), 1u);
  const ComplexWritten& out = written->front();
  EXPECT_NE(out.contact_id, 0);
  EXPECT_NE(out.company_id, 0);

  auto lead = service_->Get<storage::Lead>(As(admin_), out.id, {.contacts = true});
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  EXPECT_EQ(lead->record.name, "From the site");
  EXPECT_EQ(lead->record.responsible_user_id, mate_);
  ASSERT_EQ(lead->contacts.size(), 1u);
  EXPECT_EQ(lead->contacts[0].contact_id, out.contact_id);
  EXPECT_TRUE(lead->contacts[0].is_main);
  EXPECT_EQ(lead->companies, std::vector<RecordId>{out.company_id});
  // The people go to whoever works the lead, not to the integration that sent it.
  EXPECT_EQ(Reader().Get<storage::Contact>(out.contact_id)->responsible_user_id, mate_);
  EXPECT_EQ(Reader().Get<storage::Contact>(out.contact_id)->first_name, "Ann");
  EXPECT_EQ(Reader().Get<storage::Company>(out.company_id)->responsible_user_id, mate_);

  std::vector<storage::EventRow> events = Events();
  events.resize(events.size() - events_before);
  EXPECT_EQ(EventTypesOldestFirst(events),
            (std::vector<std::string>{"contact_added", "company_added", "lead_added",
                                      "entity_linked", "entity_linked"}));
}

TEST_F(ComplexLeadsTest, WithoutAResponsibleUserEveryRecordGoesToTheCaller) {
  auto written = Add(allowed_, {{.new_contact = ContactInput{.name = "Bob"}}});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->front().company_id, 0);
  EXPECT_EQ(Reader().Get<storage::Lead>(written->front().id)->responsible_user_id, allowed_);
  EXPECT_EQ(Reader().Get<storage::Contact>(written->front().contact_id)->responsible_user_id,
            allowed_);
}

TEST_F(ComplexLeadsTest, LinksExistingRecordsOnlyWhenTheCallerMayViewThem) {
  const storage::Contact theirs = MakeContact(outsider_, "Outsider's");
  const storage::Company company = MakeCompany(mine_, "Mine's");
  auto linked =
      Add(allowed_,
          {{.lead = {.contacts = {{.id = theirs.id, .is_main = true}}, .company = company.id}}});
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_EQ(linked->front().contact_id, theirs.id);
  EXPECT_EQ(linked->front().company_id, company.id);

  // mine_ sees only its own contacts: the outsider's is answered as if it did not exist, and the
  // new company of the same item is not kept.
  const std::int64_t companies = Count<storage::Company>();
  const std::int64_t leads = Count<storage::Lead>();
  auto refused = Add(mine_, {{.lead = {.contacts = {{.id = theirs.id, .is_main = true}}},
                              .new_company = CompanyInput{.name = "Left behind"}}});
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(refused.status().fields().size(), 1u);
  EXPECT_EQ(refused.status().fields()[0].path, "_embedded.contacts.0.id");
  EXPECT_EQ(refused.status().fields()[0].code, "NotFound");
  EXPECT_EQ(Count<storage::Company>(), companies);
  EXPECT_EQ(Count<storage::Lead>(), leads);
}

TEST_F(ComplexLeadsTest, AnotherAccountsRecordsAreUnknownHere) {
  const storage::Contact contact = MakeContact(allowed_);
  const storage::Company company = MakeCompany(allowed_);
  const domain::UserId foreign =
      AddUser("x@other.test", testing::Uniform(Level::kAllowed), 0, true, other_account_);
  const Caller stranger = As(foreign, other_account_);
  auto by_contact = service_->AddComplexLeads(
      stranger, std::vector<ComplexLeadInput>{{.lead = {.contacts = {{.id = contact.id}}}}});
  ASSERT_EQ(by_contact.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(by_contact.status().fields()[0].path, "_embedded.contacts.0.id");
  auto by_company = service_->AddComplexLeads(
      stranger, std::vector<ComplexLeadInput>{{.lead = {.company = company.id}}});
  ASSERT_EQ(by_company.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(by_company.status().fields()[0].path, "_embedded.companies.0.id");
}

TEST_F(ComplexLeadsTest, EachNewRecordNeedsItsKindsAddRight) {
  domain::Rights rights = testing::Uniform(Level::kAllowed);
  rights.Set(DataSet::kCompanies, Action::kAdd, Level::kDenied);
  const domain::UserId no_companies = AddUser("nocompanies@acme.test", rights, sales_);
  const std::int64_t contacts = Count<storage::Contact>();
  auto refused = Add(no_companies, {{.new_contact = ContactInput{.name = "Kept out"},
                                     .new_company = CompanyInput{.name = "Not allowed"}}});
  ASSERT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(refused.status().message(), "companies.add is D (denied)");
  EXPECT_EQ(Count<storage::Contact>(), contacts);

  auto no_leads = Add(denied_, {{.new_contact = ContactInput{.name = "Kept out"}}});
  EXPECT_EQ(no_leads.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(Count<storage::Contact>(), contacts);
}

TEST_F(ComplexLeadsTest, OneContactAndOneCompanyAtMost) {
  const storage::Contact existing = MakeContact(allowed_);
  const storage::Company company = MakeCompany(allowed_);
  auto two_contacts = Add(allowed_, {{.lead = {.contacts = {{.id = existing.id}}},
                                      .new_contact = ContactInput{.name = "Second"}}});
  ASSERT_EQ(two_contacts.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(two_contacts.status().fields()[0].path, "_embedded.contacts");
  EXPECT_EQ(two_contacts.status().fields()[0].code, "TooMany");
  auto two_companies = Add(
      allowed_, {{.lead = {.company = company.id}, .new_company = CompanyInput{.name = "Second"}}});
  ASSERT_EQ(two_companies.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(two_companies.status().fields()[0].path, "_embedded.companies");
}

TEST_F(ComplexLeadsTest, ABatchIsAllOrNothingAndNamesTheFailedItem) {
  const std::int64_t leads = Count<storage::Lead>();
  const std::int64_t contacts = Count<storage::Contact>();
  std::size_t failed = 99;
  auto refused =
      Add(allowed_,
          {{.lead = {.name = "Fine"}, .new_contact = ContactInput{.name = "Fine too"}},
           {.new_contact = ContactInput{.name = "Nobody's", .responsible_user_id = 987654}}},
          &failed);
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument) << refused.status().ToString();
  EXPECT_EQ(failed, 1u);
  ASSERT_FALSE(refused.status().fields().empty());
  EXPECT_EQ(refused.status().fields()[0].path, "_embedded.contacts.0.responsible_user_id");
  EXPECT_EQ(Count<storage::Lead>(), leads);
  EXPECT_EQ(Count<storage::Contact>(), contacts);
}

}  // namespace
}  // namespace gatehouse::service
