// /api/v4/talks: the Shared Inbox (list, get, post a message). The service decides every right
// (mail_access, then the linked record's view); this file parses and renders.
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/records/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

namespace {

std::string TalkPath(domain::RecordId id) { return "/api/v4/talks/" + std::to_string(id); }

// Kommo's talk shape plus the linked record as lead_id or contact_id.
json TalkJson(const Request& r, const storage::Conversation& talk, domain::AccountId account_id) {
  json out = {{"id", talk.id},
              {"talk_id", talk.id},
              {"entity_type", service::TalkEntityName(talk)},
              {"entity_id", talk.entity_id},
              {"responsible_user_id", talk.responsible_user_id},
              {"origin", talk.channel},
              {"subject", talk.subject},
              {"is_in_work", !talk.is_closed},
              {"created_at", talk.created_at},
              {"updated_at", talk.updated_at},
              {"last_message_at", talk.last_message_at},
              {"account_id", account_id},
              {"_links", SelfLinks(r, TalkPath(talk.id))}};
  out[std::string(service::TalkEntityName(talk)) + "_id"] = talk.entity_id;
  return out;
}

json MessageJson(const Request& r, const storage::ConversationMessage& message) {
  return {{"id", message.id},
          {"talk_id", message.conversation_id},
          {"author_id", message.author_user_id},
          {"text", message.text},
          {"created_at", message.created_at},
          {"_links", SelfLinks(r, TalkPath(message.conversation_id) + "/messages")}};
}

}  // namespace

void RegisterTalkRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/talks",
             [service](Request& r) -> Response {
               auto paging = ParseOnlyPaging(r.query);
               if (!paging.ok()) return ProblemResponse(paging.status());
               const int page = paging->page, limit = paging->limit;
               const service::Caller& caller = CallerOf(r);
               auto talks = service->ListTalks(caller, limit, page);
               if (!talks.ok()) return ProblemResponse(talks.status());
               return StoredPageResponse(r, "talks", page, *talks,
                                         [&](const storage::Conversation& talk) {
                                           return TalkJson(r, talk, caller.account_id);
                                         });
             },
             {.name = "talks.list"});

  router.Add(Method::kGet, "/api/v4/talks/{id:int}",
             OneByIdHandler(service, &service::RecordService::GetTalk, TalkJson),
             {.name = "talks.get"});

  // The conversation's messages, oldest first: also what a message's _links.self names.
  router.Add(Method::kGet, "/api/v4/talks/{id:int}/messages",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               auto paging = ParseOnlyPaging(r.query);
               if (!paging.ok()) return ProblemResponse(paging.status());
               const int page = paging->page, limit = paging->limit;
               const service::Caller& caller = CallerOf(r);
               auto messages = service->ListTalkMessages(caller, *id, limit, page);
               if (!messages.ok()) return ProblemResponse(messages.status());
               // A next page exists when the message after this page does (a page of one).
               bool has_next = false;
               if (messages->size() == static_cast<std::size_t>(limit)) {
                 auto after = service->ListTalkMessages(caller, *id, 1, page * limit + 1);
                 if (!after.ok()) return ProblemResponse(after.status());
                 has_next = !after->empty();
               }
               json items = json::array();
               for (const storage::ConversationMessage& message : *messages) {
                 items.push_back(MessageJson(r, message));
               }
               return ListResponse(r, "messages", std::move(items), page, has_next);
             },
             {.name = "talks.messages.list"});

  router.Add(Method::kPost, "/api/v4/talks/{id:int}/messages",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               auto body = ReadObject(r);
               if (!body.ok()) return ProblemResponse(body.status());
               const json& item = *body->parts.items.front();
               // A message is its text; anything else sent with it is refused, not dropped.
               constexpr std::string_view kMessageKeys[] = {"text"};
               std::vector<base::FieldError> unknown;
               CheckBodyFields(item, {kMessageKeys, {}}, unknown);
               if (!unknown.empty()) {
                 return ProblemResponse(
                     base::Status::Invalid("Request validation failed", std::move(unknown)));
               }
               std::string text;
               if (auto it = item.find("text"); it != item.end() && !it->is_null()) {
                 if (!it->is_string()) {
                   return ProblemResponse(
                       base::Status::InvalidField("text", "InvalidType", "text must be a string"));
                 }
                 text = it->get<std::string>();
                 if (auto error = CheckText("text", text, TextKind::kMultiline, 0)) {
                   return ProblemResponse(base::Status::Invalid(error->detail, {*error}));
                 }
               }
               auto message = service->AddTalkMessage(CallerOf(r), *id, text);
               if (!message.ok()) return ProblemResponse(message.status());
               return JsonResponse(201, MessageJson(r, *message));
             },
             {.name = "talks.messages.add"});
}

}  // namespace gatehouse::http::api::records
