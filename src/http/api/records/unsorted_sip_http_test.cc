// Incoming leads from calls (POST /api/v4/leads/unsorted/sip) through the Router: the body the
// official PHP client sends is taken, every other metadata shape is a 400 naming its key, the
// item is listed as a sip one with its call, and accepting it adds the call note it asks for.
// Every response is checked against the OpenAPI document.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

constexpr char kSip[] = "/api/v4/leads/unsorted/sip";

class UnsortedSipHttpTest : public IncomingHttpTest {
 protected:
  // A call's metadata as amocrm-api-php's SipMetadata::toApi sends it (newest version: `from`
  // only when set, call_responsible null when not).
  static json PhpMetadata() {
    return {{"phone", "+15550100"},
            {"called_at", 1700000000},
            {"duration", 65},
            {"link", nullptr},
            {"service_code", "pbx"},
            {"uniq", "call-1"},
            {"is_call_event_needed", true},
            {"call_responsible", nullptr}};
  }

  // An item with `metadata`, as BaseUnsortedModel::toApi sends one.
  json Item(json metadata) const {
    return {{"source_name", "PBX"},
            {"source_uid", "pbx-1"},
            {"pipeline_id", pipeline_},
            {"created_at", 1700000100},
            {"metadata", std::move(metadata)},
            {"_embedded", {{"leads", json::array({{{"name", "Call from +15550100"}}})}}},
            {"request_id", "0"}};
  }

  // Posts one item with `metadata` as handler_; its uid ("" on failure).
  std::string PostCall(json metadata) {
    Response r =
        Send(Method::kPost, kSip, handler_, json::array({Item(std::move(metadata))}).dump());
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return "";
    return Body(r)["_embedded"]["unsorted"][0]["uid"];
  }

  // Accepts item `uid` as handler_; the lead's id (0 on failure).
  std::int64_t Accept(const std::string& uid) {
    Response r = Send(Method::kPost, "/api/v4/leads/unsorted/" + uid + "/accept", handler_);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return 0;
    return Body(r)["_embedded"]["leads"][0]["id"];
  }
};

TEST_F(UnsortedSipHttpTest, TakesWhatThePhpClientSends) {
  json with_from = PhpMetadata();
  with_from["from"] = 79001112233;  // the PHP client's deprecated from: a string or an integer
  with_from["phone"] = 79001112233;
  const std::string body = json::array({Item(PhpMetadata()), Item(with_from)}).dump();
  Response posted = Send(Method::kPost, kSip, handler_, body);
  ASSERT_EQ(posted.status, 200) << posted.body;
  json added = Body(posted);
  EXPECT_EQ(added["_total_items"], 2);
  ASSERT_EQ(added["_embedded"]["unsorted"].size(), 2u);
  EXPECT_EQ(added["_embedded"]["unsorted"][0]["request_id"], "0");
  const std::string uid = added["_embedded"]["unsorted"][1]["uid"];

  Response read = Send(Method::kGet, "/api/v4/leads/unsorted/" + uid, handler_);
  ASSERT_EQ(read.status, 200) << read.body;
  json item = Body(read);
  EXPECT_EQ(item["category"], "sip");
  EXPECT_EQ(item["source_uid"], "pbx-1");
  EXPECT_EQ(item["created_at"], 1700000100);
  EXPECT_EQ(item["_embedded"]["leads"][0]["name"], "Call from +15550100");
  EXPECT_EQ(item["metadata"], json::parse(R"({"uniq":"call-1","phone":"79001112233",
      "from":"79001112233","called_at":1700000000,"duration":65,"service_code":"pbx",
      "is_call_event_needed":true})"));
}

// Nothing a call sends is answered 200 and dropped or kept wrong: each other shape is a 400 at
// its metadata key, and nothing is kept.
TEST_F(UnsortedSipHttpTest, RefusesEveryOtherMetadataShapeByPath) {
  const domain::UserId leaver = AddUser("leaver@acme.test", {}, sales_);
  SetActive(leaver, false);
  const std::vector<std::pair<json, std::string>> edits = {
      {{{"foo", 1}}, "metadata.foo"},
      {{{"", 1}}, "metadata.\"\""},
      {{{"uniq", nullptr}}, "metadata.uniq"},
      {{{"uniq", ""}}, "metadata.uniq"},
      {{{"uniq", 7}}, "metadata.uniq"},
      {{{"uniq", "a\nb"}}, "metadata.uniq"},
      {{{"uniq", std::string(256, 'u')}}, "metadata.uniq"},
      {{{"phone", nullptr}}, "metadata.phone"},
      {{{"phone", ""}}, "metadata.phone"},
      {{{"phone", true}}, "metadata.phone"},
      {{{"phone", -5}}, "metadata.phone"},
      {{{"phone", 1.5}}, "metadata.phone"},
      {{{"called_at", nullptr}}, "metadata.called_at"},
      {{{"called_at", "today"}}, "metadata.called_at"},
      {{{"called_at", -1}}, "metadata.called_at"},
      {{{"called_at", 99999999999999}}, "metadata.called_at"},
      {{{"duration", nullptr}}, "metadata.duration"},
      {{{"duration", -1}}, "metadata.duration"},
      {{{"duration", "65"}}, "metadata.duration"},
      {{{"duration", 2000000000}}, "metadata.duration"},
      {{{"service_code", nullptr}}, "metadata.service_code"},
      {{{"service_code", ""}}, "metadata.service_code"},
      {{{"link", 5}}, "metadata.link"},
      {{{"link", "ftp://pbx.test/1.mp3"}}, "metadata.link"},
      {{{"link", "javascript:alert(1)"}}, "metadata.link"},
      {{{"from", json::object()}}, "metadata.from"},
      {{{"from", "a\001b"}}, "metadata.from"},
      {{{"is_call_event_needed", "yes"}}, "metadata.is_call_event_needed"},
      {{{"call_responsible", "5"}}, "metadata.call_responsible"},
      {{{"call_responsible", 0}}, "metadata.call_responsible"},
      {{{"call_responsible", 999999}}, "metadata.call_responsible"},
      {{{"call_responsible", leaver}}, "metadata.call_responsible"},
  };
  auto refused = [&](const json& item, const std::string& path) {
    Response r = Send(Method::kPost, kSip, handler_, json::array({item}).dump());
    EXPECT_EQ(r.status, 400) << item.dump() << ": " << r.body;
    EXPECT_THAT(ErrorPaths(r), ::testing::Contains("0." + path)) << item.dump() << ": " << r.body;
  };
  for (const auto& [edit, path] : edits) {
    json metadata = PhpMetadata();
    for (const auto& [key, value] : edit.items()) {
      if (value.is_null()) {
        metadata.erase(key);  // a required key missing (null is the same: absent)
      } else {
        metadata[key] = value;
      }
    }
    refused(Item(metadata), path);
  }
  json item = Item(PhpMetadata());
  for (const json& metadata : {json(nullptr), json::array(), json("call"), json::object()}) {
    item["metadata"] = metadata;
    refused(item, metadata.is_object() ? "metadata.uniq" : "metadata");
  }
  item.erase("metadata");
  refused(item, "metadata");
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted", handler_).status, 204);  // none kept
}

TEST_F(UnsortedSipHttpTest, NeedsLeadsAddAsFormsDo) {
  const std::string body = json::array({Item(PhpMetadata())}).dump();
  Response refused = Send(Method::kPost, kSip, viewer_, body);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("leads.add"), std::string::npos) << refused.body;
  EXPECT_EQ(Send(Method::kPost, kSip, allowed_, body).status, 200);
}

// Accepting a call that asks for its call event adds a call_in note to the lead, its
// responsible user the call's call_responsible (else the acceptor); one that does not, none.
TEST_F(UnsortedSipHttpTest, AcceptingAddsTheCallNoteItAsksFor) {
  json metadata = PhpMetadata();
  metadata["link"] = "https://pbx.test/rec/1.mp3";
  metadata["call_responsible"] = mine_;
  const std::int64_t lead = Accept(PostCall(metadata));
  ASSERT_NE(lead, 0);
  const std::string notes = "/api/v4/leads/" + std::to_string(lead) + "/notes";
  Response listed = Send(Method::kGet, notes, handler_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  json shown = Body(listed)["_embedded"]["notes"];
  ASSERT_EQ(shown.size(), 1u) << shown.dump();
  EXPECT_EQ(shown[0]["note_type"], "call_in");
  EXPECT_EQ(shown[0]["responsible_user_id"], mine_);
  EXPECT_EQ(shown[0]["created_by"], handler_);
  EXPECT_EQ(shown[0]["params"], json::parse(R"({"uniq":"call-1","duration":65,"source":"pbx",
      "phone":"+15550100","link":"https://pbx.test/rec/1.mp3"})"));

  const std::int64_t own = Accept(PostCall(PhpMetadata()));
  Response own_notes =
      Send(Method::kGet, "/api/v4/leads/" + std::to_string(own) + "/notes", handler_);
  ASSERT_EQ(own_notes.status, 200) << own_notes.body;
  EXPECT_EQ(Body(own_notes)["_embedded"]["notes"][0]["responsible_user_id"], handler_);
  EXPECT_FALSE(Body(own_notes)["_embedded"]["notes"][0]["params"].contains("link"));

  metadata["is_call_event_needed"] = false;
  const std::int64_t silent = Accept(PostCall(metadata));
  ASSERT_NE(silent, 0);
  EXPECT_EQ(
      Send(Method::kGet, "/api/v4/leads/" + std::to_string(silent) + "/notes", handler_).status,
      204);
}

TEST_F(UnsortedSipHttpTest, ListedAsSipItems) {
  Response form = Send(Method::kPost, "/api/v4/leads/unsorted/forms", handler_,
                       R"([{"source_uid":"site","metadata":{"form_id":"contact"}}])");
  ASSERT_EQ(form.status, 200) << form.body;
  const std::string form_uid = Body(form)["_embedded"]["unsorted"][0]["uid"];
  const std::string call_uid = PostCall(PhpMetadata());

  auto uids = [&](const std::string& query) {
    std::vector<std::string> out;
    Response r = Send(Method::kGet, "/api/v4/leads/unsorted" + query, handler_);
    EXPECT_TRUE(r.status == 200 || r.status == 204) << r.body;
    if (r.status != 200) return out;
    const json body = Body(r);
    for (const json& item : body["_embedded"]["unsorted"]) out.push_back(item["uid"]);
    return out;
  };
  EXPECT_THAT(uids("?filter[category]=sip"), ::testing::ElementsAre(call_uid));
  EXPECT_THAT(uids("?filter[category][]=sip"), ::testing::ElementsAre(call_uid));
  EXPECT_THAT(uids("?filter[category][]=forms"), ::testing::ElementsAre(form_uid));
  EXPECT_THAT(uids("?filter[category][]=mail"), ::testing::IsEmpty());
  EXPECT_THAT(uids(""), ::testing::UnorderedElementsAre(form_uid, call_uid));
  json listed = Body(Send(Method::kGet, "/api/v4/leads/unsorted?filter[category]=sip", handler_));
  EXPECT_EQ(listed["_embedded"]["unsorted"][0]["category"], "sip");
  EXPECT_EQ(listed["_embedded"]["unsorted"][0]["metadata"]["phone"], "+15550100");
  EXPECT_EQ(listed["_embedded"]["unsorted"][0]["metadata"]["duration"], 65);
}

}  // namespace
}  // namespace gatehouse::http::api
