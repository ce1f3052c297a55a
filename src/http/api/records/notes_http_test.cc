// Notes and links through the Router (no network): every note type round-trips, bad params are
// 400 naming the field, a note is visible and editable exactly when its record is (at the If
// responsible and Team-wide levels too), and links are enforced on both ends. Every response is
// checked against the OpenAPI document.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api/api.h"
#include "http/api/records/record_routes_test_util.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {
namespace {

class NotesHttpTest : public testing::RecordRoutesFixture {
 protected:
  void SetUp() override {
    RecordRoutesFixture::SetUp();
    if (HasFatalFailure()) return;
    AddSalesUsers({DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies});
  }

  std::vector<std::int64_t> NoteIds(const Response& response) {
    return ListedIds(response, "notes");
  }

  // The body of a POST that adds one common note saying `text`.
  static std::string CommonNote(const std::string& text) {
    return json::array({{{"note_type", "common"}, {"params", {{"text", text}}}}}).dump();
  }

  // Adds a common note to lead `lead` as `user`; returns its id (0 on failure).
  std::int64_t AddNote(domain::RecordId lead, domain::UserId user, const std::string& text) {
    Response r = Send(Method::kPost, "/api/v4/leads/" + std::to_string(lead) + "/notes", user,
                      CommonNote(text));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return 0;
    return Body(r)["_embedded"]["notes"][0]["id"];
  }

  // Edits lead note `note` to say `text`, as `user`.
  Response EditLeadNote(std::int64_t note, domain::UserId user, const std::string& text) {
    return Send(Method::kPatch, "/api/v4/leads/notes", user,
                json::array({{{"id", note}, {"params", {{"text", text}}}}}).dump());
  }
};

TEST_F(NotesHttpTest, EveryNoteTypeRoundTripsWithItsParams) {
  const auto lead = MakeLead(mine_).id;
  const std::vector<std::pair<std::string, json>> cases = {
      {"common", {{"text", "Called back,\nwill sign"}}},
      {"call_in",
       {{"uniq", "8f2c"},
        {"duration", 60},
        {"source", "Twilio"},
        {"phone", "+14155551234"},
        {"link", "https://example.com/rec.mp3"},
        {"call_status", 4},
        {"call_result", "ok"}}},
      {"call_out", {{"uniq", "x1"}, {"duration", 0}, {"source", "pbx"}, {"phone", "+1"}}},
      {"service_message", {{"service", "Bot"}, {"text", "Done"}}},
      {"extended_service_message", {{"service", "Bot"}, {"text", "Long\ttext"}}},
      {"sms_in", {{"text", "Hi"}, {"phone", "+1"}}},
      {"sms_out", {{"text", "Hello"}, {"phone", "+2"}}},
      {"geolocation",
       {{"text", "Here"},
        {"address", "222 Columbus Ave"},
        {"longitude", "-13"},
        {"latitude", "32"}}},
  };
  for (const auto& [type, params] : cases) {
    Response added = Send(
        Method::kPost, "/api/v4/leads/notes", mine_,
        json::array(
            {{{"entity_id", lead}, {"note_type", type}, {"params", params}, {"request_id", "r1"}}})
            .dump());
    ASSERT_EQ(added.status, 200) << type << ": " << added.body;
    const json item = Body(added)["_embedded"]["notes"][0];
    EXPECT_EQ(item["entity_id"], lead);
    EXPECT_EQ(item["request_id"], "r1");
    const std::int64_t id = item["id"];
    Response got = Send(Method::kGet, "/api/v4/leads/notes/" + std::to_string(id), mine_);
    ASSERT_EQ(got.status, 200) << got.body;
    const json note = Body(got);
    EXPECT_EQ(note["note_type"], type);
    EXPECT_EQ(note["params"], params) << type;
    EXPECT_EQ(note["entity_id"], lead);
    EXPECT_EQ(note["created_by"], mine_);
    EXPECT_EQ(note["responsible_user_id"], mine_);
    EXPECT_EQ(note["group_id"], sales_);
    EXPECT_EQ(
        note["_links"]["self"]["href"],
        "http://crm.test/api/v4/leads/" + std::to_string(lead) + "/notes/" + std::to_string(id));
  }
  EXPECT_EQ(Events("common_note_added").size(), 1u);
  EXPECT_EQ(Events("note_added").size(), 4u);
  EXPECT_EQ(Events("service_note_added").size(), 2u);
  EXPECT_EQ(Events("geo_note_added").size(), 1u);
  const storage::EventRow event = Events("common_note_added").front();
  EXPECT_EQ(event.entity_type, "lead");
  EXPECT_EQ(event.entity_id, lead);
}

TEST_F(NotesHttpTest, BadParamsAndFieldsAre400NamingThePathAndStoreNothing) {
  const auto lead = MakeLead(allowed_).id;
  const std::string target = "/api/v4/leads/" + std::to_string(lead) + "/notes";
  struct Case {
    json item;
    std::string path;
  };
  const std::vector<Case> cases = {
      {{{"note_type", "common"}, {"params", json::object()}}, "0.params.text"},
      {{{"note_type", "common"}, {"params", {{"text", "a"}, {"color", "red"}}}}, "0.params.color"},
      {{{"note_type", "call_in"},
        {"params", {{"uniq", "u"}, {"duration", "60"}, {"source", "s"}, {"phone", "1"}}}},
       "0.params.duration"},
      {{{"note_type", "call_in"},
        {"params",
         {{"uniq", "u"},
          {"duration", 1},
          {"source", "s"},
          {"phone", "1"},
          {"link", "javascript:x"}}}},
       "0.params.link"},
      {{{"note_type", "sms_in"}, {"params", {{"text", "hi"}}}}, "0.params.phone"},
      {{{"note_type", "attachment"}, {"params", {{"file_uuid", "x"}, {"file_name", "a.png"}}}},
       "0.note_type"},
      {{{"note_type", "invoice_paid"}, {"params", {{"text", "x"}}}}, "0.note_type"},
      {{{"note_type", "common"}}, "0.params"},
      {{{"params", {{"text", "x"}}}}, "0.note_type"},
      {{{"note_type", "common"}, {"params", {{"text", "x"}}}, {"color", "red"}}, "0.color"},
      {{{"note_type", "common"}, {"params", {{"text", "x"}}}, {"created_at", 5}}, "0.created_at"},
      {{{"note_type", "common"}, {"params", "text"}}, "0.params"},
      {{{"note_type", "common"},
        {"params", {{"text", "x"}}},
        {"is_needs_to_trigger_digital_pipeline", true}},
       "0.is_needs_to_trigger_digital_pipeline"},
  };
  for (const Case& c : cases) {
    Response r = Send(Method::kPost, target, allowed_, json::array({c.item}).dump());
    EXPECT_EQ(r.status, 400) << c.item.dump() << ": " << r.body;
    EXPECT_THAT(ErrorPaths(r), ::testing::Contains(c.path)) << c.item.dump() << ": " << r.body;
  }
  // A batch with one bad item stores none of them.
  Response batch = Send(Method::kPost, target, allowed_,
                        json::array({{{"note_type", "common"}, {"params", {{"text", "fine"}}}},
                                     {{"note_type", "common"}, {"params", {{"text", 5}}}}})
                            .dump());
  EXPECT_EQ(batch.status, 400);
  EXPECT_THAT(ErrorPaths(batch), ::testing::Contains("1.params.text"));
  EXPECT_EQ(Send(Method::kGet, target, allowed_).status, 204);
  EXPECT_TRUE(Events("common_note_added").empty());
}

TEST_F(NotesHttpTest, PatchMergesParamsAndValidatesAgainstTheType) {
  const auto lead = MakeLead(allowed_).id;
  const std::string base = "/api/v4/leads/" + std::to_string(lead) + "/notes";
  Response added =
      Send(Method::kPost, base, allowed_,
           json::array({{{"note_type", "sms_out"}, {"params", {{"text", "a"}, {"phone", "+1"}}}}})
               .dump());
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t id = Body(added)["_embedded"]["notes"][0]["id"];
  clock_.Advance(10);
  Response patched =
      Send(Method::kPatch, base + "/" + std::to_string(id), allowed_,
           json({{"params", {{"text", "b"}}}, {"created_at", 1}, {"group_id", 3}}).dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  Response got = Send(Method::kGet, base + "/" + std::to_string(id), allowed_);
  EXPECT_EQ(Body(got)["params"], json({{"text", "b"}, {"phone", "+1"}}));
  // Changing the type needs the new type's params in full.
  Response retyped = Send(Method::kPatch, "/api/v4/leads/notes", allowed_,
                          json::array({{{"id", id}, {"note_type", "common"}}}).dump());
  EXPECT_EQ(retyped.status, 400) << retyped.body;
  EXPECT_THAT(ErrorPaths(retyped), ::testing::Contains("0.params"));
  Response moved = Send(Method::kPatch, "/api/v4/leads/notes", allowed_,
                        json::array({{{"id", id}, {"entity_id", lead + 1}}}).dump());
  EXPECT_EQ(moved.status, 400);
  EXPECT_THAT(ErrorPaths(moved), ::testing::Contains("0.entity_id"));
  EXPECT_EQ(Events("note_updated").size(), 1u);
}

TEST_F(NotesHttpTest, ANoteExistsExactlyWhenItsRecordIsVisible) {
  const auto own = MakeLead(mine_).id;
  const auto teammates = MakeLead(allowed_).id;   // sales, like mine_ and team_
  const auto outsiders = MakeLead(outsider_).id;  // marketing
  const std::int64_t own_note = AddNote(own, allowed_, "own");
  const std::int64_t team_note = AddNote(teammates, allowed_, "team");
  const std::int64_t outside_note = AddNote(outsiders, allowed_, "outside");
  ASSERT_NE(outside_note, 0);

  // The list of a kind: each user sees the notes of the records they may view.
  EXPECT_EQ(NoteIds(Send(Method::kGet, "/api/v4/leads/notes", allowed_)),
            (std::vector<std::int64_t>{own_note, team_note, outside_note}));
  EXPECT_EQ(NoteIds(Send(Method::kGet, "/api/v4/leads/notes", mine_)),
            (std::vector<std::int64_t>{own_note}));
  EXPECT_EQ(NoteIds(Send(Method::kGet, "/api/v4/leads/notes", team_)),
            (std::vector<std::int64_t>{own_note, team_note}));
  EXPECT_EQ(NoteIds(Send(Method::kGet, "/api/v4/leads/notes", outsider_)),
            (std::vector<std::int64_t>{outside_note}));
  // filter[id] cannot reach an invisible note either.
  EXPECT_EQ(
      Send(Method::kGet, "/api/v4/leads/notes?filter[id]=" + std::to_string(outside_note), team_)
          .status,
      204);

  // An invisible record's notes are 404, at every path, for reading and writing alike.
  const std::string outside = "/api/v4/leads/" + std::to_string(outsiders) + "/notes";
  for (domain::UserId user : {mine_, team_}) {
    EXPECT_EQ(Send(Method::kGet, outside, user).status, 404);
    EXPECT_EQ(Send(Method::kGet, outside + "/" + std::to_string(outside_note), user).status, 404);
    EXPECT_EQ(
        Send(Method::kGet, "/api/v4/leads/notes/" + std::to_string(outside_note), user).status,
        404);
    EXPECT_EQ(Send(Method::kPost, outside, user, CommonNote("x")).status, 404);
    EXPECT_EQ(EditLeadNote(outside_note, user, "x").status, 404);
  }
  // A note read through another record's path does not exist there.
  EXPECT_EQ(
      Send(Method::kGet,
           "/api/v4/leads/" + std::to_string(own) + "/notes/" + std::to_string(team_note), allowed_)
          .status,
      404);
  // Adding or editing needs edit on the record: view alone is 403.
  EXPECT_EQ(NoteIds(Send(Method::kGet, "/api/v4/leads/" + std::to_string(own) + "/notes", viewer_)),
            (std::vector<std::int64_t>{own_note}));
  Response denied = Send(Method::kPost, "/api/v4/leads/" + std::to_string(own) + "/notes", viewer_,
                         CommonNote("x"));
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_THAT(denied.body, ::testing::HasSubstr("leads.edit"));
  EXPECT_EQ(EditLeadNote(own_note, viewer_, "x").status, 403);
  // The responsible user of a record edits its notes.
  EXPECT_EQ(EditLeadNote(own_note, mine_, "mine").status, 200);
}

TEST_F(NotesHttpTest, ContactAndCompanyNotesFollowTheirRecordsAndGoWithThem) {
  const auto contact = MakeContact(outsider_).id;
  const auto company = MakeCompany(mine_).id;
  Response c = Send(Method::kPost, "/api/v4/contacts/" + std::to_string(contact) + "/notes",
                    outsider_, CommonNote("c"));
  ASSERT_EQ(c.status, 200) << c.body;
  Response k = Send(
      Method::kPost, "/api/v4/companies/notes", mine_,
      json::array({{{"entity_id", company}, {"note_type", "common"}, {"params", {{"text", "k"}}}}})
          .dump());
  ASSERT_EQ(k.status, 200) << k.body;
  EXPECT_EQ(Send(Method::kGet, "/api/v4/contacts/notes", mine_).status, 204);
  EXPECT_EQ(NoteIds(Send(Method::kGet, "/api/v4/contacts/notes", outsider_)).size(), 1u);
  EXPECT_EQ(NoteIds(Send(Method::kGet, "/api/v4/companies/notes", mine_)).size(), 1u);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/companies/notes", outsider_).status, 204);
  // Deleting the company deletes its note.
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/companies/" + std::to_string(company), mine_).status,
            204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/companies/notes", allowed_).status, 204);
}

// Kommo's link requests name the main-contact flag metadata.is_main (its responses say
// main_contact): both are taken, and a contradiction or other metadata is a 400.
TEST_F(NotesHttpTest, LinkMetadataTakesKommosIsMain) {
  const auto lead = MakeLead(mine_).id;
  const auto contact = MakeContact(mine_).id;
  const std::string link = "/api/v4/leads/" + std::to_string(lead) + "/link";
  auto body = [&](json metadata) {
    return json::array({{{"to_entity_id", contact},
                         {"to_entity_type", "contacts"},
                         {"metadata", std::move(metadata)}}})
        .dump();
  };
  Response refused = Send(Method::kPost, link, mine_, body({{"updated_by", 0}}));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_THAT(ErrorPaths(refused), ::testing::Contains("0.metadata.updated_by"));
  Response contradiction =
      Send(Method::kPost, link, mine_, body({{"is_main", true}, {"main_contact", false}}));
  EXPECT_EQ(contradiction.status, 400) << contradiction.body;
  Response linked = Send(Method::kPost, link, mine_, body({{"is_main", true}}));
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(Body(linked)["_embedded"]["links"][0]["metadata"]["main_contact"], true);
}

TEST_F(NotesHttpTest, LinksAreEnforcedOnBothEnds) {
  const auto lead = MakeLead(mine_).id;
  const auto own_contact = MakeContact(mine_).id;
  const auto foreign_contact = MakeContact(outsider_).id;
  const auto company = MakeCompany(mine_).id;
  const std::string link = "/api/v4/leads/link";
  auto item = [&](std::int64_t to, const std::string& type, json metadata = nullptr) {
    json out = {{"entity_id", lead}, {"to_entity_id", to}, {"to_entity_type", type}};
    if (!metadata.is_null()) out["metadata"] = metadata;
    return out;
  };
  // Source editable, target visible: linked, with the main contact's flag.
  Response linked = Send(Method::kPost, link, mine_,
                         json::array({item(own_contact, "contacts", {{"main_contact", true}}),
                                      item(company, "companies")})
                             .dump());
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(Body(linked)["_embedded"]["links"][0]["metadata"]["main_contact"], true);
  EXPECT_EQ(Events("entity_linked").size(), 2u);
  // A target the caller may not view is reported as missing, and nothing of the batch is kept.
  Response hidden =
      Send(Method::kPost, link, mine_, json::array({item(foreign_contact, "contacts")}).dump());
  EXPECT_EQ(hidden.status, 400) << hidden.body;
  EXPECT_THAT(ErrorPaths(hidden), ::testing::Contains("0.to_entity_id"));
  // Edit on the source is needed: the viewer may see both ends but not edit the lead.
  Response viewer =
      Send(Method::kPost, link, viewer_, json::array({item(foreign_contact, "contacts")}).dump());
  EXPECT_EQ(viewer.status, 403) << viewer.body;
  // ... and a source the caller may not view is 404.
  EXPECT_EQ(
      Send(Method::kPost, link, outsider_, json::array({item(foreign_contact, "contacts")}).dump())
          .status,
      404);
  // The contact-side link needs edit on the contact and view on the lead.
  EXPECT_EQ(
      Send(Method::kPost, "/api/v4/contacts/" + std::to_string(foreign_contact) + "/link",
           outsider_, json::array({{{"to_entity_id", lead}, {"to_entity_type", "leads"}}}).dump())
          .status,
      400);
  // Contacts and companies are linked through leads only.
  Response direct = Send(Method::kPost, "/api/v4/contacts/link", mine_,
                         json::array({{{"entity_id", own_contact},
                                       {"to_entity_id", company},
                                       {"to_entity_type", "companies"}}})
                             .dump());
  EXPECT_EQ(direct.status, 400);
  EXPECT_THAT(ErrorPaths(direct), ::testing::Contains("0.to_entity_type"));

  // GET links lists only targets the caller may view.
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) {
                            return w.LinkContact(lead, foreign_contact, false);
                          })
                  .ok());
  const std::string links = "/api/v4/leads/" + std::to_string(lead) + "/links";
  Response all = Send(Method::kGet, links, allowed_);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Body(all)["_total_items"], 3);
  Response own = Send(Method::kGet, links, mine_);
  ASSERT_EQ(own.status, 200);
  std::vector<std::int64_t> targets;
  const json own_body = Body(own);
  for (const json& l : own_body["_embedded"]["links"]) targets.push_back(l["to_entity_id"]);
  EXPECT_EQ(targets, (std::vector<std::int64_t>{company, own_contact}));
  EXPECT_EQ(Send(Method::kGet, links, outsider_).status, 404);
  Response back =
      Send(Method::kGet, "/api/v4/contacts/" + std::to_string(own_contact) + "/links", mine_);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(Body(back)["_embedded"]["links"][0]["to_entity_id"], lead);
  EXPECT_EQ(Body(back)["_embedded"]["links"][0]["metadata"]["main_contact"], true);

  // Unlinking follows the same rules, and logs.
  Response gone =
      Send(Method::kPost, "/api/v4/leads/" + std::to_string(lead) + "/unlink", mine_,
           json::array({{{"to_entity_id", own_contact}, {"to_entity_type", "contacts"}}}).dump());
  EXPECT_EQ(gone.status, 204) << gone.body;
  EXPECT_EQ(Events("entity_unlinked").size(), 1u);
  EXPECT_EQ(Send(Method::kPost, "/api/v4/leads/unlink", mine_,
                 json::array({item(foreign_contact, "contacts")}).dump())
                .status,
            400);
  EXPECT_EQ(Send(Method::kGet, links + "?filter[to_entity_type]=contacts", mine_).status, 204);
}

}  // namespace
}  // namespace gatehouse::http::api
