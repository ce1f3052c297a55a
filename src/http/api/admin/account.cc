// GET /api/v4/account (kommo-api-v4.md §4): any user of the account.
#include <cstdio>

#include "http/api/admin/admin_routes.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "service/admin/admin_settings.h"
#include "storage/record_rows.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

// A stable UUID-shaped chat id per account (Gatehouse has no chat service).
std::string AmojoId(domain::AccountId id) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(id) & 0xffffffffffffULL);
  return buffer;
}

json TaskTypes() {
  return json::array({{{"id", storage::kFollowUpTaskType},
                       {"name", "Follow-up"},
                       {"color", nullptr},
                       {"icon_id", nullptr},
                       {"code", "FOLLOW_UP"}},
                      {{"id", storage::kMeetingTaskType},
                       {"name", "Meeting"},
                       {"color", nullptr},
                       {"icon_id", nullptr},
                       {"code", "MEETING"}}});
}

json DatetimeSettings() {
  return {{"date_pattern", "d.m.Y H:i"}, {"short_date_pattern", "d.m.Y"},
          {"short_time_pattern", "H:i"}, {"date_format", "d.m.Y"},
          {"time_format", "H:i:s"},      {"timezone", "UTC"},
          {"timezone_offset", "+00:00"}};
}

json EntityNames() {
  auto names = [](const char* singular, const char* plural) {
    return json{{"en", {{"singular_form", singular}, {"plural_form", plural}, {"gender", "n"}}}};
  };
  return {{"leads", names("Lead", "Leads")},
          {"contacts", names("Contact", "Contacts")},
          {"companies", names("Company", "Companies")}};
}

// The members every GET /api/v4/account answers (Kommo's, with our fixed values).
json AccountJson(const Request& request, const storage::AccountRow& account,
                 const service::Caller& caller) {
  return {{"id", account.id},
          {"name", account.name},
          {"subdomain", account.subdomain},
          {"created_at", account.created_at},
          {"created_by", 0},
          {"updated_at", account.created_at},
          {"updated_by", 0},
          {"current_user_id", caller.user_id},
          {"country", ""},
          {"currency", "USD"},
          {"currency_symbol", "$"},
          // Gatehouse's customers are Kommo's periodicity mode (next purchase date and price,
          // days between purchases, statuses by purchase timing); "unavailable" would tell
          // clients there are none.
          {"customers_mode", "periodicity"},
          {"is_unsorted_on", true},
          {"is_loss_reason_enabled", true},
          {"is_helpbot_enabled", false},
          {"is_technical_account", false},
          {"contact_name_display_order", 1},
          {"mobile_feature_version", 0},
          {"_links", SelfLinks(request, "/api/v4/account")}};
}

// The with= values that need no lookup.
void AddFixedWithValues(const Request& request, const storage::AccountRow& account,
                        const std::vector<std::string>& with, json& out) {
  if (HasWith(with, "amojo_id")) {
    out["amojo_id"] = AmojoId(account.id);
    out["uuid"] = AmojoId(account.id);
  }
  if (HasWith(with, "version")) out["version"] = 1;
  if (HasWith(with, "is_api_filter_enabled")) out["is_api_filter_enabled"] = true;
  if (HasWith(with, "drive_url")) out["drive_url"] = BaseUrl(request) + "/drive";
  if (HasWith(with, "entity_names")) out["entity_names"] = EntityNames();
  if (HasWith(with, "invoices_settings")) {
    out["invoices_settings"] = {{"lang", "en"}, {"invoices_catalog_id", nullptr}};
  }
  if (HasWith(with, "amojo_rights")) {
    out["_embedded"]["amojo_rights"] = {{"can_direct", false}, {"can_create_groups", false}};
  }
  if (HasWith(with, "task_types")) out["_embedded"]["task_types"] = TaskTypes();
  if (HasWith(with, "datetime_settings")) {
    out["_embedded"]["datetime_settings"] = DatetimeSettings();
  }
}

Response AccountGet(ApiContext& context, Request& request) {
  // Kommo's with= values (kommo-api-v4.md §4).
  if (base::Status s = CheckQuery(
          request, {},
          {"amojo_id", "amojo_rights", "users_groups", "task_types", "version", "entity_names",
           "datetime_settings", "drive_url", "is_api_filter_enabled", "invoices_settings"});
      !s.ok()) {
    return ErrorResponse(s);
  }
  const service::Caller& caller = CallerOf(request);
  auto account = AdminOf(context).GetAccount(caller);
  if (!account.ok()) return ErrorResponse(account.status());
  const std::vector<std::string> with = WithOf(request);
  json out = AccountJson(request, *account, caller);
  AddFixedWithValues(request, *account, with, out);
  if (HasWith(with, "users_groups")) {
    auto groups = AdminOf(context).ListGroups(caller);
    if (!groups.ok()) return ErrorResponse(groups.status());
    json items = json::array();
    for (const domain::Group& group : *groups) {
      items.push_back({{"id", group.id}, {"name", group.name}, {"uuid", nullptr}});
    }
    out["_embedded"]["users_groups"] = std::move(items);
  }
  return JsonResponse(200, out);
}

}  // namespace

void RegisterAccountRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v4/account", Bind(context, AccountGet), {.name = "account.get"});
}

}  // namespace gatehouse::http::api
