// List (catalog) elements: the list filtered by ids and text before paging; updates with the
// Lists feature, all-or-nothing batches, elements of another list or account treated as missing,
// and the activity-log entry of every change.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "service/admin/admin_events.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using ::testing::HasSubstr;

class CatalogElementsTest : public testing::RecordsFixture {
 protected:
  void SetUp() override {
    RecordsFixture::SetUp();
    if (HasFatalFailure()) return;
    domain::Rights with_lists = testing::Uniform(Level::kIfResponsible);
    with_lists.catalog_access = true;
    lister_ = AddUser("lists@acme.test", with_lists, sales_);
    without_ = AddUser("plain@acme.test", testing::Uniform(Level::kAllowed), sales_);
    admin_ = AddUser("admin@acme.test", testing::Uniform(Level::kAllowed), sales_, true);
    products_ = MakeList(account_, admin_, "Products");
    services_ = MakeList(account_, admin_, "Services");
    const std::vector<ListItemInput> items = {{"Widget", R"([{"field_id":1}])"}, {"Gadget", ""}};
    auto added = service_->AddCatalogElements(As(lister_), products_, items);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    widget_ = (*added)[0];
    gadget_ = (*added)[1];
  }

  std::int64_t MakeList(domain::AccountId account, domain::UserId admin, const std::string& name) {
    const std::vector<CatalogInput> names = {{.name = name}};
    auto created = service_->AddCatalogs(As(admin, account), names);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? (*created)[0].id : 0;
  }

  std::vector<storage::ListItem> Stored(std::int64_t list) {
    auto items = store_->Reader(account_).ListItems(list);
    EXPECT_TRUE(items.ok());
    return items.ok() ? *items : std::vector<storage::ListItem>{};
  }

  domain::UserId lister_ = 0, without_ = 0, admin_ = 0;
  std::int64_t products_ = 0, services_ = 0;
  storage::ListItem widget_, gadget_;
};

TEST_F(CatalogElementsTest, UpdatesNamedFieldsAndLogsBeforeAndAfter) {
  clock_.Advance(60);
  std::vector<ListItemUpdate> changes(2);
  changes[0].id = widget_.id;
  changes[0].name = "Widget Pro";
  changes[1].id = gadget_.id;
  changes[1].custom_fields_json = R"([{"field_id":2}])";
  auto updated = service_->UpdateCatalogElements(As(lister_), products_, changes);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  ASSERT_EQ(updated->size(), 2u);
  const std::vector<storage::ListItem> stored = Stored(products_);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].name, "Widget Pro");
  EXPECT_EQ(stored[0].custom_fields_json, R"([{"field_id":1}])");  // not named: kept
  EXPECT_EQ(stored[0].updated_at, clock_.NowSeconds());
  EXPECT_EQ(stored[0].created_at, widget_.created_at);
  EXPECT_EQ(stored[1].name, "Gadget");
  EXPECT_EQ(stored[1].custom_fields_json, R"([{"field_id":2}])");
  EXPECT_EQ((*updated)[0], stored[0]);

  std::vector<storage::EventRow> events = Events("catalog_element_updated");
  ASSERT_EQ(events.size(), 2u);
  // One write, one second: order the two by element, not by id.
  if (events[0].entity_id != widget_.id) std::swap(events[0], events[1]);
  const storage::EventRow& renamed = events[0];
  EXPECT_EQ(renamed.entity_type, "catalog_element");
  EXPECT_EQ(renamed.entity_id, widget_.id);
  EXPECT_EQ(renamed.actor_user_id, lister_);
  EXPECT_EQ(renamed.value_before_json, R"([{"catalog_element":{"catalog_id":)" +
                                           std::to_string(products_) + R"(,"name":"Widget"}}])");
  EXPECT_EQ(renamed.value_after_json, R"([{"catalog_element":{"catalog_id":)" +
                                          std::to_string(products_) + R"(,"name":"Widget Pro"}}])");
  EXPECT_EQ(events[1].entity_id, gadget_.id);
  EXPECT_THAT(events[1].value_before_json, HasSubstr(R"("custom_fields_values":null)"));
  EXPECT_THAT(events[1].value_after_json, HasSubstr(R"("custom_fields_values":[{"field_id":2}])"));

  // An empty custom_fields_json clears the values.
  std::vector<ListItemUpdate> clear(1);
  clear[0].id = widget_.id;
  clear[0].custom_fields_json = "";
  ASSERT_TRUE(service_->UpdateCatalogElements(As(lister_), products_, clear).ok());
  EXPECT_EQ(Stored(products_)[0].custom_fields_json, "");
}

TEST_F(CatalogElementsTest, EventsFilterByKommosCatalogEntityName) {
  auto repair = service_->AddCatalogElements(As(lister_), services_,
                                             std::vector<ListItemInput>{{"Repair", ""}});
  ASSERT_TRUE(repair.ok()) << repair.status().ToString();
  const AdminService admin_service(AdminDeps{store_.get(), policies_.get(), &clock_});
  auto ids_for = [&](const std::string& entity) {
    EventFilter filter;
    filter.entity_types = {entity};
    auto page = admin_service.ListEvents(As(admin_), filter);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::int64_t> ids;
    if (page.ok()) {
      for (const storage::EventRow& event : page->items) ids.push_back(event.entity_id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  EXPECT_EQ(ids_for("catalog_" + std::to_string(products_)),
            (std::vector<std::int64_t>{widget_.id, gadget_.id}));
  EXPECT_EQ(ids_for("catalog_" + std::to_string(services_)),
            (std::vector<std::int64_t>{(*repair)[0].id}));
  EXPECT_TRUE(ids_for("catalog_999999").empty());
}

TEST_F(CatalogElementsTest, OneUnknownElementChangesNothing) {
  const domain::AccountId other = other_account_;
  const domain::UserId their_admin =
      AddUser("admin@other.test", testing::Uniform(Level::kAllowed), 0, true, other);
  const std::int64_t their_list = MakeList(other, their_admin, "Theirs");
  const std::vector<ListItemInput> their_input = {{"Their widget", ""}};
  auto theirs = service_->AddCatalogElements(As(their_admin, other), their_list, their_input);
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
  const std::vector<ListItemInput> service_input = {{"Support", ""}};
  auto in_services = service_->AddCatalogElements(As(lister_), services_, service_input);
  ASSERT_TRUE(in_services.ok());

  const std::vector<storage::ListItem> before = Stored(products_);
  const std::size_t events_before = Events().size();
  struct Case {
    std::string what;
    std::int64_t id;
  };
  for (const Case& c : {Case{"missing", 987654}, Case{"of another list", (*in_services)[0].id},
                        Case{"of another account", (*theirs)[0].id}}) {
    std::vector<ListItemUpdate> changes(2);
    changes[0].id = widget_.id;
    changes[0].name = "Changed";
    changes[1].id = c.id;
    changes[1].name = "Changed too";
    std::size_t failed = 99;
    auto result = service_->UpdateCatalogElements(As(lister_), products_, changes, &failed);
    ASSERT_EQ(result.status().code(), Code::kInvalidArgument) << c.what;
    EXPECT_EQ(failed, 1u) << c.what;
    ASSERT_EQ(result.status().fields().size(), 1u) << c.what;
    EXPECT_EQ(result.status().fields()[0].path, "id") << c.what;
    EXPECT_EQ(result.status().fields()[0].code, "NotFound") << c.what;
    EXPECT_EQ(Stored(products_), before) << c.what;
    EXPECT_EQ(Events().size(), events_before) << c.what;
  }
  EXPECT_EQ(Stored(services_)[0].name, "Support");
  auto their_items = store_->Reader(other).ListItems(their_list);
  ASSERT_TRUE(their_items.ok());
  EXPECT_EQ((*their_items)[0].name, "Their widget");
}

// The elements' list counts only the elements the ids and the text select, so a next page is
// one of matching elements; the Lists feature and the catalog come first.
TEST_F(CatalogElementsTest, ListFiltersByIdsAndTextBeforePaging) {
  const std::vector<ListItemInput> more = {{"Blue widget", ""}, {"Green WIDGET", ""}};
  auto added = service_->AddCatalogElements(As(lister_), products_, more);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const RecordId blue = (*added)[0].id, green = (*added)[1].id;
  auto listed = [&](int limit, int page, std::vector<RecordId> ids, std::string_view text) {
    std::vector<RecordId> out;
    auto found = service_->ListCatalogElements(As(lister_), products_, limit, page, ids, text);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    if (!found.ok()) return std::pair(out, false);
    for (const storage::ListItem& item : found->items) out.push_back(item.id);
    return std::pair(out, found->has_next);
  };
  using Listed = std::pair<std::vector<RecordId>, bool>;
  EXPECT_EQ(listed(50, 1, {}, "widget"), Listed({widget_.id, blue, green}, false));
  EXPECT_EQ(listed(2, 1, {}, "widget"), Listed({widget_.id, blue}, true));
  EXPECT_EQ(listed(2, 2, {}, "widget"), Listed({green}, false));
  // Four elements, but two match: no next page after the first.
  EXPECT_EQ(listed(1, 1, {gadget_.id, green}, ""), Listed({gadget_.id}, true));
  EXPECT_EQ(listed(1, 1, {gadget_.id, green}, "WIDGET"), Listed({green}, false));
  EXPECT_EQ(listed(50, 1, {gadget_.id}, "widget"), Listed({}, false));

  const std::vector<RecordId> ids = {gadget_.id};
  EXPECT_EQ(service_->ListCatalogElements(As(without_), products_, 50, 1, ids, "g").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(
      service_->ListCatalogElements(As(lister_), products_ + 1000, 50, 1, ids, "g").status().code(),
      Code::kNotFound);
}

TEST_F(CatalogElementsTest, NeedsTheListsFeatureAndAnExistingCatalog) {
  std::vector<ListItemUpdate> changes(1);
  changes[0].id = widget_.id;
  changes[0].name = "Nope";
  auto denied = service_->UpdateCatalogElements(As(without_), products_, changes);
  EXPECT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_THAT(denied.status().message(), HasSubstr("catalog_access"));
  EXPECT_EQ(service_->UpdateCatalogElements(As(lister_), products_ + 1000, changes).status().code(),
            Code::kNotFound);
  changes[0].name = "";
  EXPECT_EQ(service_->UpdateCatalogElements(As(lister_), products_, changes).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(Stored(products_)[0].name, "Widget");
  EXPECT_TRUE(Events("catalog_element_updated").empty());
}

}  // namespace
}  // namespace gatehouse::service
