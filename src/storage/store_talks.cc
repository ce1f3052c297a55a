// Shared Inbox: conversations listed through their linked record's permission predicate, and
// their messages.
//
// Shape of the visibility condition (one branch per linked data set whose filter admits
// anything; values are bound, the text depends only on the filters' shapes):
//   c.account_id = ? AND (
//     (c.entity_type = ? AND EXISTS (SELECT 1 FROM leads AS l WHERE l.account_id = c.account_id
//                                    AND l.id = c.entity_id AND <leads permission>))
//     OR (c.entity_type = ? AND EXISTS (SELECT 1 FROM contacts AS l WHERE ... <contacts ...>)))
// The permission SQL names its columns unqualified (responsible_user_id, pipeline_id,
// status_id); inside the subquery they bind to the innermost table, the linked record, in both
// engines, so the predicate is exactly the one the record lists use.
#include <algorithm>

#include "storage/record_codec.h"
#include "storage/store.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::array kMessageFields{Field("conversation_id", &ConversationMessage::conversation_id),
                                    Field("author_user_id", &ConversationMessage::author_user_id),
                                    Field("text", &ConversationMessage::text),
                                    Field("created_at", &ConversationMessage::created_at)};
using MessageCodec = RowCodec<ConversationMessage, kMessageFields>;

// "WHERE ..." of the visible conversations of `account`; matches_nothing when no branch is left.
SqlCondition VisibleWhere(AccountId account, const ConversationQuery& query) {
  struct Linked {
    std::string_view entity_type;
    std::string_view table;
    const policy::ListFilter* filter;
    bool stages;
  };
  const Linked linked[] = {{"leads", "leads", &query.leads, true},
                           {"contacts", "contacts", &query.contacts, false}};
  SqlCondition out;
  out.sql = "c.account_id = ?";
  out.params.push_back(Int(account));
  std::string branches;
  Params branch_params;
  for (const Linked& l : linked) {
    const SqlCondition permission = PermissionCondition(*l.filter, l.stages);
    if (permission.matches_nothing) continue;
    if (!branches.empty()) branches += " OR ";
    branches += "(c.entity_type = ? AND EXISTS (SELECT 1 FROM " + std::string(l.table) +
                " AS l WHERE l.account_id = c.account_id AND l.id = c.entity_id";
    branch_params.push_back(Text(std::string(l.entity_type)));
    if (!permission.sql.empty()) branches += " AND " + permission.sql;
    branch_params.insert(branch_params.end(), permission.params.begin(), permission.params.end());
    branches += "))";
  }
  if (branches.empty()) {
    out.matches_nothing = true;
    return out;
  }
  out.sql += " AND (" + branches + ")";
  out.params.insert(out.params.end(), branch_params.begin(), branch_params.end());
  AndIn(out.sql, out.params, "c.id", query.ids);
  return out;
}

Result<Page<Conversation>> ListVisible(sql::Connection& c, AccountId account,
                                       const ConversationQuery& query) {
  Page<Conversation> page;
  SqlCondition where = VisibleWhere(account, query);
  if (where.matches_nothing) return page;
  const auto [limit, offset] = WindowOf(query.limit, query.page);
  // Conversation columns qualified with the alias `c`, as FromRow reads them.
  static const std::string columns = RecordCodec<Conversation>::Columns("c");
  std::string sql = "SELECT " + columns + " FROM conversations AS c WHERE " + where.sql +
                    " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?";
  where.params.push_back(Int(limit + 1));
  if (offset > 0) {
    sql += " OFFSET ?";
    where.params.push_back(Int(offset));
  }
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.QueryPlannedWithValues(sql, where.params));
  for (const auto& row : rows.rows) page.items.push_back(RecordCodec<Conversation>::FromRow(row));
  CutToLimit(page, limit, [&](const Conversation& last) { return last.updated_at; });
  return page;
}

}  // namespace

Result<Page<Conversation>> AccountReader::ListVisibleConversations(
    const ConversationQuery& query) const {
  return WithConnection([&](sql::Connection& c) { return ListVisible(c, account_id_, query); });
}

Result<Conversation> AccountReader::GetVisibleConversation(const ConversationQuery& query,
                                                           RecordId id) const {
  ConversationQuery one = query;
  one.ids = {id};
  one.limit = 1;
  one.page = 1;
  GH_ASSIGN_OR_RETURN(Page<Conversation> page, ListVisibleConversations(one));
  if (page.items.empty()) return Status::NotFound("conversation not found");
  return std::move(page.items.front());
}

Result<std::vector<ConversationMessage>> AccountReader::ListConversationMessages(
    RecordId conversation_id, int limit, int page) const {
  return WithConnection([&](sql::Connection& c) {
    return ChildRows<MessageCodec>(c, "talk_messages", "conversation_id", account_id_,
                                   conversation_id, limit, page);
  });
}

Result<ConversationMessage> AccountWriter::AppendConversationMessage(
    const ConversationMessage& input) {
  ConversationMessage message = input;
  if (message.text.empty()) return Status::InvalidField("text", "Required", "text is required");
  if (message.created_at == 0) message.created_at = Now();
  if (message.author_user_id != 0) {
    Params user{Int(account_id_), Int(message.author_user_id)};
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        fixed_->Query("SELECT id FROM users WHERE account_id = ? AND id = ?", user));
    if (rows.empty()) {
      return Status::InvalidField(
          "author_user_id", "NotFound",
          "user " + std::to_string(message.author_user_id) + " does not exist in this account");
    }
  }
  // Moving the conversation first also proves it is one of this account.
  Params touch{Int(message.created_at), Int(message.created_at), Int(account_id_),
               Int(message.conversation_id)};
  GH_RETURN_IF_ERROR(ExecuteOne(*fixed_,
                                "UPDATE conversations SET updated_at = ?, last_message_at = ? "
                                "WHERE account_id = ? AND id = ?",
                                touch, "conversation"));
  return InsertRow<MessageCodec>(*fixed_, "talk_messages", account_id_, std::move(message));
}

}  // namespace gatehouse::storage
