// Custom fields in the store (migration 15), on both engines: definitions with their enums,
// values read for a page in one call, account and kind scoping, deleting a field or a record
// deleting its values, field rights kept in the rights text.
#include <gtest/gtest.h>

#include "storage/rights_json.h"
#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using domain::CustomField;
using domain::DataSet;
using domain::FieldType;

class CustomFieldsStoreTest : public testing::StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("acme");
    other_ = NewAccount("other");
  }

  CustomField Create(AccountId account, CustomField field) {
    CustomField stored;
    Status s = store_->Write(account, [&](AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(stored, w.CreateCustomField(field));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return stored;
  }

  AccountId account_ = 0, other_ = 0;
};

TEST_P(CustomFieldsStoreTest, DefinitionsValuesAndTheirDeletion) {
  CustomField select{0,
                     DataSet::kLeads,
                     "Source",
                     "",
                     FieldType::kSelect,
                     2,
                     false,
                     {{0, "Web", 1}, {0, "Phone", 2}}};
  CustomField text{0, DataSet::kLeads, "Note", "NOTE", FieldType::kText, 1, true, {}};
  select = Create(account_, select);
  text = Create(account_, text);
  Create(account_, {0, DataSet::kContacts, "Other kind", "", FieldType::kText, 0, false, {}});
  Create(other_, {0, DataSet::kLeads, "Other account", "", FieldType::kText, 0, false, {}});
  ASSERT_EQ(select.enums.size(), 2u);
  EXPECT_NE(select.enums[0].id, 0);

  auto listed = store_->Reader(account_).ListCustomFields(DataSet::kLeads);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0], text);  // by sort
  EXPECT_EQ((*listed)[1], select);
  EXPECT_EQ(store_->Reader(other_).GetCustomField(DataSet::kLeads, text.id).status().code(),
            base::Code::kNotFound);
  EXPECT_EQ(store_->Reader(account_).GetCustomField(DataSet::kContacts, text.id).status().code(),
            base::Code::kNotFound);

  // Enums replaced: one renamed, one removed, one added.
  CustomField changed = select;
  changed.enums = {{select.enums[1].id, "Call", 1}, {0, "Fair", 5}};
  Status s = store_->Write(
      account_, [&](AccountWriter& w) -> Status { return w.UpdateCustomField(changed).status(); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto got = store_->Reader(account_).GetCustomField(DataSet::kLeads, select.id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->enums.size(), 2u);
  EXPECT_EQ(got->enums[0].value, "Call");
  EXPECT_EQ(got->enums[0].id, select.enums[1].id);

  std::vector<RecordId> leads;
  s = store_->Write(account_, [&](AccountWriter& w) -> Status {
    for (int i = 0; i < 3; ++i) {
      GH_ASSIGN_OR_RETURN(Lead stored, w.Create(Lead{.name = "L" + std::to_string(i)}));
      leads.push_back(stored.id);
      const std::vector<domain::FieldValue> note = {{"n" + std::to_string(i), 0}};
      GH_RETURN_IF_ERROR(w.SetFieldValues(DataSet::kLeads, stored.id, text.id, note));
      const std::vector<domain::FieldValue> source = {{"Call", got->enums[0].id}};
      GH_RETURN_IF_ERROR(w.SetFieldValues(DataSet::kLeads, stored.id, select.id, source));
    }
    // Replacing keeps one row per value, in order.
    const std::vector<domain::FieldValue> two = {{"a", 0}, {"b", 0}};
    return w.SetFieldValues(DataSet::kLeads, leads[0], text.id, two);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto rows = store_->Reader(account_).FieldValues(DataSet::kLeads, leads);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 7u);
  EXPECT_EQ((*rows)[0].record_id, leads[0]);
  EXPECT_EQ((*rows)[0].value.value, text.id < select.id ? "a" : "Call");
  EXPECT_TRUE(store_->Reader(other_).FieldValues(DataSet::kLeads, leads)->empty());
  EXPECT_TRUE(store_->Reader(account_).FieldValues(DataSet::kContacts, leads)->empty());

  // Deleting a record deletes its values; deleting a field deletes its values everywhere.
  s = store_->Write(account_, [&](AccountWriter& w) { return w.Delete<Lead>(leads[2]); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(store_->Reader(account_).FieldValues(DataSet::kLeads, leads)->size(), 5u);
  s = store_->Write(
      account_, [&](AccountWriter& w) { return w.DeleteCustomField(DataSet::kLeads, text.id); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  rows = store_->Reader(account_).FieldValues(DataSet::kLeads, leads);
  ASSERT_EQ(rows->size(), 2u);
  for (const FieldValueRow& row : *rows) EXPECT_EQ(row.field_id, select.id);
  auto model = store_->Reader(account_).LoadAccountModel();
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->custom_fields,
            (std::vector<std::pair<DataSet, std::int64_t>>{{DataSet::kLeads, select.id},
                                                           {DataSet::kContacts, select.id + 2}}));
}

// Every server's policy snapshot lists the account's fields (AccountModel::custom_fields, which
// lets a GET skip reading definitions the account does not have): a field that comes or goes is
// a security change other servers pick up; editing one is not.
TEST_P(CustomFieldsStoreTest, CreatingOrDeletingAFieldMovesTheSecurityRevision) {
  auto revision = [&] {
    auto r = store_->SecurityRevision(account_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : -1;
  };
  const std::int64_t before = revision();
  CustomField field =
      Create(account_, {0, DataSet::kCompanies, "Size", "", FieldType::kText, 0, false, {}});
  const std::int64_t created = revision();
  EXPECT_GT(created, before);
  auto model = store_->Reader(account_).LoadAccountModel();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->custom_fields,
            (std::vector<std::pair<DataSet, std::int64_t>>{{DataSet::kCompanies, field.id}}));
  field.name = "Head count";
  Status s = store_->Write(
      account_, [&](AccountWriter& w) -> Status { return w.UpdateCustomField(field).status(); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(revision(), created) << "a rename changes nothing a snapshot holds";
  s = store_->Write(account_, [&](AccountWriter& w) -> Status {
    return w.DeleteCustomField(DataSet::kCompanies, field.id);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_GT(revision(), created);
}

TEST_P(CustomFieldsStoreTest, FieldRightsAreKeptWithTheRights) {
  domain::Rights rights{
      .field_rights = {{DataSet::kContacts, 7, true, false}, {DataSet::kLeads, 3, false, false}}};
  domain::NormalizeFieldRights(rights.field_rights);
  const std::string text = RightsToJson(rights);
  auto back = RightsFromJson(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, rights);
  EXPECT_FALSE(back->CanViewField(DataSet::kLeads, 3));
  EXPECT_TRUE(back->CanViewField(DataSet::kContacts, 7));
  EXPECT_FALSE(back->CanEditField(DataSet::kContacts, 7));
  EXPECT_TRUE(back->CanEditField(DataSet::kContacts, 8));
  // Rights without field rights read as before (rows written before migration 15).
  EXPECT_EQ(RightsToJson(domain::Rights{}).find("custom_fields_rights"), std::string::npos);
}

// filter[custom_fields_values] in SQL (sql_filter.cc), inside the permission filter: text,
// enum, numbers compared as numbers (with ranges), negation, and scoping by account and kind.
TEST_P(CustomFieldsStoreTest, ListsFilterOnResolvedFieldConditions) {
  const CustomField amount =
      Create(account_, {0, DataSet::kLeads, "Amount", "", FieldType::kNumeric, 0, false, {}});
  const CustomField city =
      Create(account_, {0, DataSet::kLeads, "City", "", FieldType::kText, 0, false, {}});
  std::vector<RecordId> leads;
  Status s = store_->Write(account_, [&](AccountWriter& w) -> Status {
    const std::vector<std::string> amounts = {"9.5", "10", "250", ""};
    for (std::size_t i = 0; i < amounts.size(); ++i) {
      GH_ASSIGN_OR_RETURN(
          Lead stored, w.Create(Lead{.name = "L" + std::to_string(i), .responsible_user_id = 0}));
      leads.push_back(stored.id);
      if (!amounts[i].empty()) {
        const std::vector<domain::FieldValue> v = {{amounts[i], 0}};
        GH_RETURN_IF_ERROR(w.SetFieldValues(DataSet::kLeads, stored.id, amount.id, v));
      }
      // City holds text that is no number: the cast of Amount must never reach it.
      const std::vector<domain::FieldValue> c = {{i % 2 == 0 ? "Oslo" : "Rome", 7}};
      GH_RETURN_IF_ERROR(w.SetFieldValues(DataSet::kLeads, stored.id, city.id, c));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto ids = [&](std::vector<FieldCondition> conditions,
                 const policy::ListFilter& permission = policy::ListFilter::All()) {
    const ListQuery q{.custom_fields = std::move(conditions)};
    std::vector<RecordId> out;
    auto page = store_->Reader(account_).List<Lead>(permission, q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (page.ok()) {
      for (const Lead& l : page->items) out.push_back(l.id);
    }
    auto count = store_->Reader(account_).Count<Lead>(permission, q);
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    if (count.ok()) {
      EXPECT_EQ(*count, static_cast<std::int64_t>(out.size()));
    }
    return out;
  };
  using Match = FieldCondition::Match;
  auto condition = [](std::int64_t field_id, Match match) {
    return FieldCondition{.field_id = field_id, .match = match};
  };
  FieldCondition range = condition(amount.id, Match::kNumber);
  range.from = 10.0;
  range.to = 100.0;
  EXPECT_EQ(ids({range}), (std::vector<RecordId>{leads[1]}));  // "9.5" < 10 as a number
  FieldCondition equal = condition(amount.id, Match::kNumber);
  equal.numbers = {250.0, 9.5};
  EXPECT_EQ(ids({equal}), (std::vector<RecordId>{leads[0], leads[2]}));
  FieldCondition text = condition(city.id, Match::kText);
  text.texts = {"Rome"};
  EXPECT_EQ(ids({text}), (std::vector<RecordId>{leads[1], leads[3]}));
  FieldCondition by_enum = condition(city.id, Match::kEnum);
  by_enum.enum_ids = {7};
  EXPECT_EQ(ids({by_enum}).size(), 4u);
  FieldCondition none = condition(amount.id, Match::kNumber);
  none.from = 0.0;
  none.negate = true;
  EXPECT_EQ(ids({none}), (std::vector<RecordId>{leads[3]}));  // no amount at all
  EXPECT_EQ(ids({range, text}), (std::vector<RecordId>{leads[1]}));
  // Inside the permission filter: nobody is responsible, so a filter on users admits none.
  const policy::ListFilter someone{.otherwise = {policy::Audience::Kind::kResponsibleIn, {42}}};
  EXPECT_TRUE(ids({text}, someone).empty());

  // Another kind's or account's values never match.
  FieldCondition foreign = text;
  foreign.texts = {"Oslo"};
  ListQuery q{.custom_fields = {foreign}};
  auto contacts = store_->Reader(account_).List<Contact>(policy::ListFilter::All(), q);
  ASSERT_TRUE(contacts.ok()) << contacts.status().ToString();
  EXPECT_TRUE(contacts->items.empty());
  auto other = store_->Reader(other_).List<Lead>(policy::ListFilter::All(), q);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->items.empty());

  // An unresolved condition never runs; tasks have no custom fields.
  const FieldCondition unresolved{.field_id = city.id, .sent = {"Oslo"}};
  q.custom_fields = {unresolved};
  EXPECT_EQ(store_->Reader(account_).List<Lead>(policy::ListFilter::All(), q).status().code(),
            base::Code::kInternal);
  q.custom_fields = {text};
  EXPECT_EQ(store_->Reader(account_).List<Task>(policy::ListFilter::All(), q).status().code(),
            base::Code::kInvalidArgument);
}

// Customers carry custom fields (their own definitions) and tags like the other kinds.
TEST_P(CustomFieldsStoreTest, CustomersHaveFieldsAndTags) {
  const CustomField plan =
      Create(account_, {0, DataSet::kCustomers, "Plan", "", FieldType::kText, 0, false, {}});
  auto listed = store_->Reader(account_).ListCustomFields(DataSet::kCustomers);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].data_set, DataSet::kCustomers);
  EXPECT_TRUE(store_->Reader(account_).ListCustomFields(DataSet::kLeads)->empty());
  RecordId id = 0;
  Status s = store_->Write(account_, [&](AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(Customer stored, w.Create(Customer{.name = "C"}));
    id = stored.id;
    const std::vector<domain::FieldValue> v = {{"Gold", 0}};
    GH_RETURN_IF_ERROR(w.SetFieldValues(DataSet::kCustomers, id, plan.id, v));
    GH_ASSIGN_OR_RETURN(Tag tag, w.CreateTag(domain::DataSet::kCustomers, {0, "loyal", ""}));
    const std::vector<std::int64_t> tags = {tag.id};
    return w.SetRecordTags(domain::DataSet::kCustomers, id, tags);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  const FieldCondition gold{
      .field_id = plan.id, .match = FieldCondition::Match::kText, .texts = {"Gold"}};
  const ListQuery q{.custom_fields = {gold}};
  auto page = store_->Reader(account_).List<Customer>(policy::ListFilter::All(), q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->items.size(), 1u);
  auto tags =
      store_->Reader(account_).TagsOf(domain::DataSet::kCustomers, std::vector<RecordId>{id});
  ASSERT_TRUE(tags.ok());
  ASSERT_EQ(tags->size(), 1u);
  // Deleting the customer deletes its values and tags.
  s = store_->Write(account_, [&](AccountWriter& w) { return w.Delete<Customer>(id); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(store_->Reader(account_)
                  .FieldValues(DataSet::kCustomers, std::vector<RecordId>{id})
                  ->empty());
  EXPECT_TRUE(store_->Reader(account_)
                  .TagsOf(domain::DataSet::kCustomers, std::vector<RecordId>{id})
                  ->empty());
}

GH_INSTANTIATE_STORE_TEST(CustomFieldsStoreTest);

}  // namespace
}  // namespace gatehouse::storage
