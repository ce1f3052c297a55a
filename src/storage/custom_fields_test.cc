// Custom fields in the store (migration 15), on both engines: definitions with their enums,
// values read for a page in one call, account and kind scoping, deleting a field or a record
// deleting its values, field rights kept in the rights text.
#include <gtest/gtest.h>

#include "storage/rights_json.h"
#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using base::Status;
using domain::CustomField;
using domain::DataSet;
using domain::FieldType;

class CustomFieldsStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
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
      Lead l;
      l.name = "L" + std::to_string(i);
      GH_ASSIGN_OR_RETURN(Lead stored, w.Create(l));
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

TEST_P(CustomFieldsStoreTest, FieldRightsAreKeptWithTheRights) {
  domain::Rights rights;
  rights.field_rights = {{DataSet::kContacts, 7, true, false}, {DataSet::kLeads, 3, false, false}};
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

GH_INSTANTIATE_STORE_TEST(CustomFieldsStoreTest);

}  // namespace
}  // namespace gatehouse::storage
