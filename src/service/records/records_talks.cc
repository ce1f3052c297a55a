// RecordService: the Shared Inbox. Access is the mail_access feature switch, and then each
// conversation follows its linked record: the store filters by the caller's view filters of
// leads and contacts in SQL, so a page is never filtered afterwards and a get or a write sees
// exactly what the list shows.
#include <nlohmann/json.hpp>

#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::Action;
using domain::DataSet;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

Status RequireInbox(const Caller& caller) {
  return RequireFeature(caller, domain::Feature::kSharedInbox,
                        "mail_access is false: the Shared Inbox feature is not allowed");
}

// The caller's view filters of the data sets a conversation can be linked to.
storage::ConversationQuery Visibility(const Caller& caller) {
  return storage::ConversationQuery{
      .leads = caller.policy->CompileFilter(caller.user_id, DataSet::kLeads, Action::kView),
      .contacts = caller.policy->CompileFilter(caller.user_id, DataSet::kContacts, Action::kView)};
}

Result<storage::Conversation> LoadTalk(const Caller& caller, const storage::AccountReader& reader,
                                       RecordId id) {
  Result<storage::Conversation> talk = reader.GetVisibleConversation(Visibility(caller), id);
  if (!talk.ok()) return base::NotFoundAs(talk.status(), Status::NotFound("talk", id));
  return talk;
}

}  // namespace

Result<ListPage<storage::Conversation>> RecordService::ListTalks(const Caller& caller, int limit,
                                                                 int page) const {
  GH_RETURN_IF_ERROR(RequireInbox(caller));
  storage::ConversationQuery query = Visibility(caller);
  query.limit = limit;
  query.page = page;
  GH_ASSIGN_OR_RETURN(storage::Page<storage::Conversation> rows,
                      store_.Reader(caller.account_id).ListVisibleConversations(query));
  return ListPage<storage::Conversation>{.items = std::move(rows.items),
                                         .has_next = rows.next.has_value()};
}

Result<storage::Conversation> RecordService::GetTalk(const Caller& caller, RecordId id) const {
  GH_RETURN_IF_ERROR(RequireInbox(caller));
  return LoadTalk(caller, store_.Reader(caller.account_id), id);
}

Result<std::vector<storage::ConversationMessage>> RecordService::ListTalkMessages(
    const Caller& caller, RecordId id, int limit, int page) const {
  GH_RETURN_IF_ERROR(RequireInbox(caller));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_RETURN_IF_ERROR(LoadTalk(caller, reader, id).status());
  return reader.ListConversationMessages(id, limit, page);
}

Result<storage::ConversationMessage> RecordService::AddTalkMessage(const Caller& caller,
                                                                   RecordId id,
                                                                   std::string_view text) const {
  GH_RETURN_IF_ERROR(RequireInbox(caller));
  const std::int64_t now = clock_.NowSeconds();
  return store_.WriteResult(
      caller.account_id, [&](storage::AccountWriter& w) -> Result<storage::ConversationMessage> {
        // Visibility is decided inside the transaction that writes, on the rows it writes.
        GH_ASSIGN_OR_RETURN(storage::Conversation talk, LoadTalk(caller, w, id));
        if (text.empty()) return Status::InvalidField("text", "Required", "text is required");
        const storage::ConversationMessage message{.conversation_id = talk.id,
                                                   .author_user_id = caller.user_id,
                                                   .text = std::string(text),
                                                   .created_at = now};
        GH_ASSIGN_OR_RETURN(storage::ConversationMessage added,
                            w.AppendConversationMessage(message));
        const nlohmann::json after = nlohmann::json::array(
            {{{"message", {{"id", added.id}, {"talk_id", talk.id}, {"origin", "gatehouse"}}}}});
        GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                       {"outgoing_chat_message", std::string(TalkEntityName(talk)),
                                        talk.entity_id, "[]", after.dump()}));
        return added;
      });
}

std::string_view TalkEntityName(const storage::Conversation& talk) {
  return storage::VisitRecordKind(talk.entity_type.value_or(DataSet::kContacts),
                                  []<typename R>() { return storage::RecordTraits<R>::kName; });
}

}  // namespace gatehouse::service
