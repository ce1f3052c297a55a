// The activity log and explain through the Router (no network): events and their visibility,
// one event, event types and value filters, explain for administrators and members, and the
// routes in the OpenAPI document.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "http/api/admin/admin_http_test_util.h"
#include "http/api/openapi.h"
#include "service/event_types.h"
#include "service/records/records.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

TEST_F(AdminHttpTest, EventsAndExplain) {
  const storage::Lead own = AddLead(member_);
  const storage::Lead other = AddLead(admin_id_);
  AddEvent("lead_added", "lead", own.id, member_);
  AddEvent("lead_added", "lead", other.id, admin_id_);
  json events = EventsOf("lead", member_);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["entity_id"], own.id);
  EXPECT_EQ(events[0]["type"], "lead_added");
  EXPECT_TRUE(events[0]["id"].is_string());
  EXPECT_EQ(events[0]["id"].get<std::string>().size(), 26u);
  EXPECT_TRUE(events[0]["value_after"].is_array());
  EXPECT_EQ(events[0]["_embedded"]["entity"]["_links"]["self"]["href"],
            "http://acme.test/api/v4/leads/" + std::to_string(own.id));
  // Settings events are for administrators only; nothing visible is a 204.
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events?filter[type][]=user_added", member_).status, 204);
  Response admin = Call(Method::kGet, "/api/v4/events?filter[type][]=user_added", admin_id_);
  ASSERT_EQ(admin.status, 200);
  EXPECT_EQ(Body(admin)["_embedded"]["events"][0]["entity_type"], "user");
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events?filter[entity_id][]=1", admin_id_).status, 400);
  // The log as CSV: administrators only, every matching event, with the chain fields.
  Response exported =
      Call(Method::kGet, "/api/v4/events/export?filter[type][]=user_added", admin_id_);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.content_type, "text/csv");
  const std::size_t header_end = exported.body.find("\r\n");
  EXPECT_EQ(exported.body.substr(0, header_end),
            "id,created_at,created_by,actor_ip,type,entity_type,entity_id,value_before,"
            "value_after,seq,prev_hash,hash");
  const std::size_t lines =
      static_cast<std::size_t>(std::count(exported.body.begin(), exported.body.end(), '\n'));
  EXPECT_EQ(lines - 1, Body(admin)["_embedded"]["events"].size()) << exported.body;
  EXPECT_NE(exported.body.find(",user_added,user,"), std::string::npos) << exported.body;
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events/export", member_).status, 403);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events/export?limit=5", admin_id_).status, 400);
  Response logged = Call(Method::kGet, "/api/v4/events?filter[type][]=export_performed", admin_id_);
  ASSERT_EQ(logged.status, 200) << logged.body;
  EXPECT_EQ(Body(logged)["_embedded"]["events"][0]["entity_type"], "event");
  // The activity log's hash chain: administrators only.
  Response verified = Call(Method::kGet, "/api/v4/security/audit/verify", admin_id_);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(Body(verified)["intact"], true);
  EXPECT_GT(Body(verified)["events_checked"].get<std::int64_t>(), 0);
  EXPECT_EQ(Body(verified)["events_checked"], Body(verified)["head_seq"]);
  EXPECT_TRUE(Body(verified)["first_break"].is_null());
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/audit/verify", member_).status, 403);
  // Kommo's with= values are accepted; anything else is refused by name.
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events?with=lead_name,contact_name", admin_id_).status,
            200);
  Response bogus = Call(Method::kGet, "/api/v4/events?with=bogus", admin_id_);
  EXPECT_EQ(bogus.status, 400);
  EXPECT_NE(bogus.body.find("with=bogus"), std::string::npos) << bogus.body;

  const std::string explain = "/api/v4/security/explain?user_id=" + std::to_string(member_) +
                              "&entity_type=leads&entity_id=" + std::to_string(other.id) +
                              "&action=view";
  Response explained = Call(Method::kGet, explain, admin_id_);
  ASSERT_EQ(explained.status, 200) << explained.body;
  json e = Body(explained);
  EXPECT_EQ(e["allowed"], false);
  EXPECT_EQ(e["rule"], "general_right");
  EXPECT_EQ(e["level"], "M");
  EXPECT_EQ(e["match"], "not_responsible");
  EXPECT_TRUE(e["stage"].is_null());
  EXPECT_FALSE(e["reasons"].empty());
  // Point-in-time replay (replay_http_test.cc): now is within the history, so at=now answers
  // like the present-time explain.
  Response at =
      Call(Method::kGet, explain + "&at=" + std::to_string(clock_.NowSeconds()), admin_id_);
  ASSERT_EQ(at.status, 200) << at.body;
  EXPECT_EQ(Body(at)["allowed"], e["allowed"]);
  EXPECT_EQ(Body(at)["match"], e["match"]);
  EXPECT_EQ(Body(at)["at"], clock_.NowSeconds());
}

// "Why can I see this?": everyone may ask the engine about their own access to a record they
// may view; another user's access and invisible records stay an administrator's question.
TEST_F(AdminHttpTest, MembersExplainTheirOwnAccessOnly) {
  const storage::Lead own = AddLead(member_);
  const storage::Lead other = AddLead(admin_id_);
  auto explain = [](domain::UserId user, std::int64_t lead, const char* action) {
    return "/api/v4/security/explain?user_id=" + std::to_string(user) +
           "&entity_type=leads&entity_id=" + std::to_string(lead) + "&action=" + action;
  };
  Response mine = Call(Method::kGet, explain(member_, own.id, "view"), member_);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(Body(mine)["allowed"], true);
  EXPECT_EQ(Body(mine)["level"], "M");
  EXPECT_EQ(Body(mine)["match"], "responsible");
  EXPECT_EQ(Body(mine)["responsible_user_id"], member_);
  Response edit = Call(Method::kGet, explain(member_, own.id, "edit"), member_);
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(Body(edit)["action"], "edit");

  // A lead the member may not view answers like a missing one: nothing about it leaks.
  Response hidden = Call(Method::kGet, explain(member_, other.id, "view"), member_);
  EXPECT_EQ(hidden.status, 404);
  Response missing = Call(Method::kGet, explain(member_, 987654, "view"), member_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Body(hidden)["detail"], "leads " + std::to_string(other.id) + " not found");
  // Another user's access: administrators only.
  EXPECT_EQ(Call(Method::kGet, explain(admin_id_, own.id, "view"), member_).status, 403);
  // Bad input is still a 400 naming the field.
  Response bad = Call(Method::kGet, explain(member_, own.id, "fly"), member_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["validation-errors"][0]["errors"][0]["path"], "action");
  // The administrator sees the member's denial of the other lead, with the reason.
  Response admin = Call(Method::kGet, explain(member_, other.id, "view"), admin_id_);
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(Body(admin)["allowed"], false);
}

// Customers have the leads' rights: explain names them, events follow them (issue 15 §4).
TEST_F(AdminHttpTest, CustomersAreExplainedAndTheirEventsShownByTheLeadsRights) {
  auto add = [&](domain::UserId responsible) {
    base::Result<storage::Customer> created =
        store_->WriteResult(account_, [&](storage::AccountWriter& w) {
          return w.Create(storage::Customer{.name = "Buyer", .responsible_user_id = responsible});
        });
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : storage::Customer{};
  };
  const storage::Customer own = add(member_);
  const storage::Customer other = add(admin_id_);
  auto explain = [](domain::UserId user, std::int64_t id) {
    return "/api/v4/security/explain?user_id=" + std::to_string(user) +
           "&entity_type=customers&entity_id=" + std::to_string(id) + "&action=view";
  };
  Response mine = Call(Method::kGet, explain(member_, own.id), member_);
  ASSERT_EQ(mine.status, 200) << mine.body;
  json e = Body(mine);
  EXPECT_EQ(e["entity_type"], "customers");
  EXPECT_EQ(e["allowed"], true);
  EXPECT_EQ(e["rule"], "general_right");
  EXPECT_EQ(e["level"], "M");
  EXPECT_NE(e["reasons"][0]["text"].get<std::string>().find("customers have the leads' rights"),
            std::string::npos)
      << mine.body;
  Response hidden = Call(Method::kGet, explain(member_, other.id), member_);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(Body(hidden)["detail"], "customers " + std::to_string(other.id) + " not found");
  // A missing customer answers the same.
  EXPECT_EQ(Call(Method::kGet, explain(member_, 987654), member_).status, 404);

  AddEvent("customer_added", "customer", own.id, member_);
  AddEvent("customer_added", "customer", other.id, admin_id_);
  json listed = EventsOf("customer", member_);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["entity_id"], own.id);
  EXPECT_EQ(listed[0]["_embedded"]["entity"]["_links"]["self"]["href"],
            "http://acme.test/api/v4/customers/" + std::to_string(own.id));
  EXPECT_EQ(EventsOf("customer", admin_id_).size(), 2u);
}

TEST_F(AdminHttpTest, OneEventHasTheListsShapeAndVisibility) {
  const storage::Lead own = AddLead(member_);
  const storage::Lead other = AddLead(admin_id_);
  AddEvent("lead_added", "lead", own.id, member_);
  AddEvent("lead_added", "lead", other.id, admin_id_);
  Response listed = Call(Method::kGet, "/api/v4/events?limit=250", admin_id_);
  ASSERT_EQ(listed.status, 200);
  std::map<std::string, json> by_key;  // "type:entity_id" -> list item
  const json listed_body = Body(listed);
  for (const json& e : listed_body["_embedded"]["events"]) {
    by_key[e["type"].get<std::string>() + ":" +
           std::to_string(e["entity_id"].get<std::int64_t>())] = e;
  }
  const json mine = by_key.at("lead_added:" + std::to_string(own.id));
  const json theirs = by_key.at("lead_added:" + std::to_string(other.id));
  const json settings = by_key.at("user_added:" + std::to_string(admin_id_));
  auto path = [](const json& e) { return "/api/v4/events/" + e["id"].get<std::string>(); };

  Response one = Call(Method::kGet, path(mine), member_);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.content_type, kHalJson);
  EXPECT_EQ(Body(one), mine);  // exactly the list's item
  EXPECT_EQ(Body(one)["_links"]["self"]["href"], "http://acme.test" + path(mine));
  EXPECT_EQ(Call(Method::kGet, path(mine) + "?with=lead_name", member_).status, 200);
  EXPECT_EQ(Call(Method::kGet, path(mine) + "?page=2", member_).status, 400);

  Response missing = Call(Method::kGet, "/api/v4/events/0000000000000000000000000z", member_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, kProblemJson);
  for (const json& hidden : {theirs, settings}) {
    Response refused = Call(Method::kGet, path(hidden), member_);
    EXPECT_EQ(refused.status, 404) << hidden.dump();
    EXPECT_EQ(refused.body, missing.body) << "an invisible event must look missing";
    Response admin = Call(Method::kGet, path(hidden), admin_id_);
    ASSERT_EQ(admin.status, 200) << admin.body;
    EXPECT_EQ(Body(admin), hidden);
  }
}

TEST_F(AdminHttpTest, EventTypes) {
  Response types = Call(Method::kGet, "/api/v4/events/types", member_);
  ASSERT_EQ(types.status, 200) << types.body;
  EXPECT_EQ(types.content_type, kHalJson);
  json body = Body(types);
  const json& list = body["_embedded"]["events_types"];
  EXPECT_EQ(body["_total_items"], list.size());
  EXPECT_EQ(list.size(), service::EventTypes().size());
  EXPECT_EQ(list[0], json({{"key", "lead_added"}, {"type", 1}, {"lang", "New lead"}}));
  std::set<std::string> keys;
  for (const json& t : list) {
    EXPECT_EQ(Keys(t), (std::set<std::string>{"key", "type", "lang"}));
    EXPECT_TRUE(t["type"].is_number_integer());
    keys.insert(t["key"]);
  }
  for (const char* recorded : {"lead_status_changed", "entity_responsible_changed",
                               "catalog_element_updated", "user_rights_changed", "login_failed"}) {
    EXPECT_TRUE(keys.count(recorded)) << recorded;
  }
  Response english = Call(Method::kGet, "/api/v4/events/types?language_code=en", member_);
  EXPECT_EQ(english.status, 200);
  EXPECT_EQ(Body(english)["_embedded"], body["_embedded"]);
  Response russian = Call(Method::kGet, "/api/v4/events/types?language_code=ru", member_);
  EXPECT_EQ(russian.status, 400);
  EXPECT_EQ(Body(russian)["validation-errors"][0]["errors"][0]["path"], "language_code");
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events/types?limit=5", member_).status, 400);
}

TEST_F(AdminHttpTest, EventValueFilters) {
  const storage::Lead own = AddLead(member_);
  const storage::Lead other = AddLead(admin_id_);
  auto pipelines = Reader().ListPipelines();
  ASSERT_TRUE(pipelines.ok());
  const domain::Pipeline& pipeline = pipelines->front();
  ASSERT_EQ(own.pipeline_id, pipeline.id);
  domain::StatusId target = 0;
  for (const domain::Stage& stage : pipeline.stages) {
    if (stage.type != domain::kStageTypeIncoming && stage.id != own.status_id &&
        stage.id != domain::kWonStatusId && stage.id != domain::kLostStatusId) {
      target = stage.id;
    }
  }
  ASSERT_NE(target, 0);
  // Real writes, so the stored values are what the lead service records.
  service::RecordService records(*store_, clock_);
  for (domain::RecordId id : {own.id, other.id}) {
    const service::LeadInput move{.id = id, .status_id = target};
    clock_.Advance(1);
    ASSERT_TRUE(records.Update<storage::Lead>(Admin(), std::vector{move}).ok());
  }
  const service::LeadInput give{.id = other.id, .responsible_user_id = member_};
  clock_.Advance(1);
  ASSERT_TRUE(records.Update<storage::Lead>(Admin(), std::vector{give}).ok());

  auto listed = [&](const std::string& query, domain::UserId as) {
    std::vector<std::string> out;
    Response r = Call(Method::kGet, "/api/v4/events?" + query, as);
    EXPECT_TRUE(r.status == 200 || r.status == 204) << query << ": " << r.body;
    if (r.status != 200) return out;
    const json body = Body(r);
    for (const json& e : body["_embedded"]["events"]) {
      out.push_back(e["type"].get<std::string>() + ":" +
                    std::to_string(e["entity_id"].get<std::int64_t>()));
    }
    return out;
  };
  const std::string p = std::to_string(pipeline.id), s = std::to_string(target);
  const std::string status_after = "filter[value_after][leads_statuses][0][pipeline_id]=" + p +
                                   "&filter[value_after][leads_statuses][0][status_id]=" + s;
  const std::string own_moved = "lead_status_changed:" + std::to_string(own.id);
  const std::string other_moved = "lead_status_changed:" + std::to_string(other.id);
  EXPECT_EQ(listed(status_after, admin_id_), (std::vector<std::string>{other_moved, own_moved}));
  // The member now also sees the other lead (made responsible last).
  EXPECT_EQ(listed(status_after, member_), (std::vector<std::string>{other_moved, own_moved}));
  EXPECT_EQ(listed(status_after + "&limit=1&page=2", admin_id_),
            std::vector<std::string>{own_moved});
  EXPECT_EQ(listed("filter%5Bvalue_after%5D%5Bleads_statuses%5D%5B0%5D%5Bpipeline_id%5D=" + p +
                       "&filter%5Bvalue_after%5D%5Bleads_statuses%5D%5B0%5D%5Bstatus_id%5D=" + s,
                   admin_id_)
                .size(),
            2u);
  EXPECT_EQ(listed("filter[value_before][leads_statuses][0][pipeline_id]=" + p +
                       "&filter[value_before][leads_statuses][0][status_id]=" + s,
                   admin_id_),
            std::vector<std::string>{});
  const std::string given = "entity_responsible_changed:" + std::to_string(other.id);
  EXPECT_EQ(listed("filter[value_after][responsible_user_id]=" + std::to_string(member_), member_),
            std::vector<std::string>{given});
  EXPECT_EQ(listed("filter[value_before][responsible_user_id][]=" + std::to_string(admin_id_) +
                       "&filter[value_after][responsible_user_id][]=" + std::to_string(member_),
                   admin_id_),
            std::vector<std::string>{given});
  EXPECT_EQ(
      listed("filter[value_after][responsible_user_id]=" + std::to_string(admin_id_), admin_id_),
      std::vector<std::string>{});

  struct Bad {
    std::string query;
    std::string path;
  };
  const std::vector<Bad> bad = {
      {"filter[value_after]=1", "filter[value_after]"},
      {"filter[value_after][responsible_user_id]=x", "filter[value_after][responsible_user_id]"},
      {"filter[value_after][responsible_user_id]=-3", "filter[value_after][responsible_user_id]"},
      {"filter[value_before][leads_statuses][0][pipeline_id]=" + p,
       "filter[value_before][leads_statuses][0]"},
      {"filter[value_after][leads_statuses]=5", "filter[value_after][leads_statuses]"},
      {"filter[value_after][value]=5", "filter[value_after][value]"},
      {"filter[value_after][custom_field_values]=5", "filter[value_after][custom_field_values]"},
      {"filter[value_after][colour]=5", "filter[value_after][colour]"},
      {status_after + "&filter[value_after][responsible_user_id]=1", "filter[value_after]"},
      {"filter[value_before][responsible_user_id]=1&" + status_after, "filter[value_after]"},
  };
  for (const Bad& b : bad) {
    Response r = Call(Method::kGet, "/api/v4/events?" + b.query, admin_id_);
    EXPECT_EQ(r.status, 400) << b.query << ": " << r.body;
    EXPECT_EQ(Body(r)["validation-errors"][0]["errors"][0]["path"], b.path) << b.query;
  }
}

TEST_F(AdminHttpTest, OpenApiListsTheNewRoutes) {
  Router router;
  RegisterAdminRoutes(router, context_);
  RegisterRecordRoutes(router, context_);
  json doc = json::parse(OpenApiDocument(router));
  EXPECT_TRUE(doc["paths"]["/api/v4/events/{id}"].contains("get"));
  EXPECT_EQ(doc["paths"]["/api/v4/events/{id}"]["get"]["operationId"], "events.get");
  EXPECT_TRUE(doc["paths"]["/api/v4/events/types"].contains("get"));
  EXPECT_EQ(doc["paths"]["/api/v4/catalogs/{id}/elements"]["patch"]["operationId"],
            "catalogs.elements.update");
}

}  // namespace
}  // namespace gatehouse::http::api
