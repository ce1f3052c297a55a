// Column lists and row <-> struct mapping of the record tables (internal to storage/).
//
// For each record type R, RecordCodec<R> gives the table traits, the SELECT column list (id
// first), FromRow for that list, the INSERT column list and Params for it (account_id last),
// and the value a cursor holds for an order field.
#pragma once

#include <string_view>
#include <vector>

#include "storage/query.h"
#include "storage/records.h"
#include "storage/sql_filter.h"
#include "storage/store_internal.h"

namespace gatehouse::storage::internal {

// Reads the columns of a row in order.
class RowReader {
 public:
  explicit RowReader(const std::vector<Value>& row) : row_(row) {}
  std::int64_t Int() { return sql::AsInt(row_[i_++]); }
  bool Bool() { return sql::AsInt(row_[i_++]) != 0; }
  std::string Text() { return sql::AsText(row_[i_++]); }

 private:
  const std::vector<Value>& row_;
  std::size_t i_ = 0;
};

template <typename R>
struct RecordCodec;

template <>
struct RecordCodec<Lead> {
  static constexpr std::string_view kWhat = "lead";
  static const TableTraits& Table() { return kLeadsTable; }
  static constexpr std::string_view kColumns =
      "id, name, price, pipeline_id, status_id, responsible_user_id, created_by, updated_by, "
      "created_at, updated_at, closed_at, closest_task_at, loss_reason_id, custom_fields";
  static constexpr std::string_view kInsertColumns =
      "name, price, pipeline_id, status_id, responsible_user_id, created_by, updated_by, "
      "created_at, updated_at, closed_at, closest_task_at, loss_reason_id, custom_fields, "
      "account_id";
  static constexpr int kInsertCount = 14;
  static Lead FromRow(const std::vector<Value>& row) {
    RowReader r(row);
    Lead l;
    l.id = r.Int();
    l.name = r.Text();
    l.price = r.Int();
    l.pipeline_id = r.Int();
    l.status_id = r.Int();
    l.responsible_user_id = r.Int();
    l.created_by = r.Int();
    l.updated_by = r.Int();
    l.created_at = r.Int();
    l.updated_at = r.Int();
    l.closed_at = r.Int();
    l.closest_task_at = r.Int();
    l.loss_reason_id = r.Int();
    l.custom_fields_json = r.Text();
    return l;
  }
  // Values for kInsertColumns without account_id (appended by the caller).
  static void Append(const Lead& l, Params& p) {
    p.insert(p.end(),
             {Text(l.name), Int(l.price), Int(l.pipeline_id), Int(l.status_id),
              NullIfZero(l.responsible_user_id), Int(l.created_by), Int(l.updated_by),
              Int(l.created_at), Int(l.updated_at), NullIfZero(l.closed_at),
              NullIfZero(l.closest_task_at), Int(l.loss_reason_id), Text(l.custom_fields_json)});
  }
};

template <>
struct RecordCodec<Contact> {
  static constexpr std::string_view kWhat = "contact";
  static const TableTraits& Table() { return kContactsTable; }
  static constexpr std::string_view kColumns =
      "id, name, first_name, last_name, responsible_user_id, created_by, updated_by, "
      "created_at, updated_at, closest_task_at, custom_fields";
  static constexpr std::string_view kInsertColumns =
      "name, first_name, last_name, responsible_user_id, created_by, updated_by, created_at, "
      "updated_at, closest_task_at, custom_fields, account_id";
  static constexpr int kInsertCount = 11;
  static Contact FromRow(const std::vector<Value>& row) {
    RowReader r(row);
    Contact c;
    c.id = r.Int();
    c.name = r.Text();
    c.first_name = r.Text();
    c.last_name = r.Text();
    c.responsible_user_id = r.Int();
    c.created_by = r.Int();
    c.updated_by = r.Int();
    c.created_at = r.Int();
    c.updated_at = r.Int();
    c.closest_task_at = r.Int();
    c.custom_fields_json = r.Text();
    return c;
  }
  static void Append(const Contact& c, Params& p) {
    p.insert(p.end(), {Text(c.name), Text(c.first_name), Text(c.last_name),
                       NullIfZero(c.responsible_user_id), Int(c.created_by), Int(c.updated_by),
                       Int(c.created_at), Int(c.updated_at), NullIfZero(c.closest_task_at),
                       Text(c.custom_fields_json)});
  }
};

template <>
struct RecordCodec<Company> {
  static constexpr std::string_view kWhat = "company";
  static const TableTraits& Table() { return kCompaniesTable; }
  static constexpr std::string_view kColumns =
      "id, name, responsible_user_id, created_by, updated_by, created_at, updated_at, "
      "closest_task_at, custom_fields";
  static constexpr std::string_view kInsertColumns =
      "name, responsible_user_id, created_by, updated_by, created_at, updated_at, "
      "closest_task_at, custom_fields, account_id";
  static constexpr int kInsertCount = 9;
  static Company FromRow(const std::vector<Value>& row) {
    RowReader r(row);
    Company c;
    c.id = r.Int();
    c.name = r.Text();
    c.responsible_user_id = r.Int();
    c.created_by = r.Int();
    c.updated_by = r.Int();
    c.created_at = r.Int();
    c.updated_at = r.Int();
    c.closest_task_at = r.Int();
    c.custom_fields_json = r.Text();
    return c;
  }
  static void Append(const Company& c, Params& p) {
    p.insert(p.end(), {Text(c.name), NullIfZero(c.responsible_user_id), Int(c.created_by),
                       Int(c.updated_by), Int(c.created_at), Int(c.updated_at),
                       NullIfZero(c.closest_task_at), Text(c.custom_fields_json)});
  }
};

template <>
struct RecordCodec<Task> {
  static constexpr std::string_view kWhat = "task";
  static const TableTraits& Table() { return kTasksTable; }
  static constexpr std::string_view kColumns =
      "id, entity_type, entity_id, task_type_id, task_text, complete_till, duration, "
      "is_completed, result_text, responsible_user_id, created_by, updated_by, created_at, "
      "updated_at";
  static constexpr std::string_view kInsertColumns =
      "entity_type, entity_id, task_type_id, task_text, complete_till, duration, is_completed, "
      "result_text, responsible_user_id, created_by, updated_by, created_at, updated_at, "
      "account_id";
  static constexpr int kInsertCount = 14;
  static Task FromRow(const std::vector<Value>& row) {
    RowReader r(row);
    Task t;
    t.id = r.Int();
    t.entity_type = r.Text();
    t.entity_id = r.Int();
    t.task_type_id = r.Int();
    t.text = r.Text();
    t.complete_till = r.Int();
    t.duration = r.Int();
    t.is_completed = r.Bool();
    t.result_text = r.Text();
    t.responsible_user_id = r.Int();
    t.created_by = r.Int();
    t.updated_by = r.Int();
    t.created_at = r.Int();
    t.updated_at = r.Int();
    return t;
  }
  static void Append(const Task& t, Params& p) {
    p.insert(p.end(), {Text(t.entity_type), Int(t.entity_id), Int(t.task_type_id), Text(t.text),
                       Int(t.complete_till), Int(t.duration), Bool(t.is_completed),
                       Text(t.result_text), NullIfZero(t.responsible_user_id), Int(t.created_by),
                       Int(t.updated_by), Int(t.created_at), Int(t.updated_at)});
  }
};

template <>
struct RecordCodec<IncomingLead> {
  static constexpr std::string_view kWhat = "incoming lead";
  static const TableTraits& Table() { return kIncomingLeadsTable; }
  static constexpr std::string_view kColumns =
      "id, uid, category, source_uid, source_name, pipeline_id, responsible_user_id, state, "
      "accepted_lead_id, lead_name, lead_price, metadata, embedded, created_at, updated_at";
  static constexpr std::string_view kInsertColumns =
      "uid, category, source_uid, source_name, pipeline_id, responsible_user_id, state, "
      "accepted_lead_id, lead_name, lead_price, metadata, embedded, created_at, updated_at, "
      "account_id";
  static constexpr int kInsertCount = 15;
  static IncomingLead FromRow(const std::vector<Value>& row) {
    RowReader r(row);
    IncomingLead i;
    i.id = r.Int();
    i.uid = r.Text();
    i.category = r.Text();
    i.source_uid = r.Text();
    i.source_name = r.Text();
    i.pipeline_id = r.Int();
    i.responsible_user_id = r.Int();
    i.state = r.Text();
    i.accepted_lead_id = r.Int();
    i.lead_name = r.Text();
    i.lead_price = r.Int();
    i.metadata_json = r.Text();
    i.embedded_json = r.Text();
    i.created_at = r.Int();
    i.updated_at = r.Int();
    return i;
  }
  static void Append(const IncomingLead& i, Params& p) {
    p.insert(p.end(), {Text(i.uid), Text(i.category), Text(i.source_uid), Text(i.source_name),
                       Int(i.pipeline_id), NullIfZero(i.responsible_user_id), Text(i.state),
                       Int(i.accepted_lead_id), Text(i.lead_name), Int(i.lead_price),
                       Text(i.metadata_json), Text(i.embedded_json), Int(i.created_at),
                       Int(i.updated_at)});
  }
};

template <>
struct RecordCodec<Conversation> {
  static constexpr std::string_view kWhat = "conversation";
  static const TableTraits& Table() { return kConversationsTable; }
  static constexpr std::string_view kColumns =
      "id, channel, subject, entity_type, entity_id, responsible_user_id, is_closed, "
      "created_at, updated_at, last_message_at";
  static constexpr std::string_view kInsertColumns =
      "channel, subject, entity_type, entity_id, responsible_user_id, is_closed, created_at, "
      "updated_at, last_message_at, account_id";
  static constexpr int kInsertCount = 10;
  static Conversation FromRow(const std::vector<Value>& row) {
    RowReader r(row);
    Conversation c;
    c.id = r.Int();
    c.channel = r.Text();
    c.subject = r.Text();
    c.entity_type = r.Text();
    c.entity_id = r.Int();
    c.responsible_user_id = r.Int();
    c.is_closed = r.Bool();
    c.created_at = r.Int();
    c.updated_at = r.Int();
    c.last_message_at = r.Int();
    return c;
  }
  static void Append(const Conversation& c, Params& p) {
    p.insert(p.end(), {Text(c.channel), Text(c.subject), Text(c.entity_type), Int(c.entity_id),
                       NullIfZero(c.responsible_user_id), Bool(c.is_closed), Int(c.created_at),
                       Int(c.updated_at), Int(c.last_message_at)});
  }
};

template <typename R>
std::int64_t CursorValue(const R& record, OrderField field) {
  switch (field) {
    case OrderField::kCreatedAt:
      return record.created_at;
    case OrderField::kUpdatedAt:
      return record.updated_at;
    case OrderField::kId:
      break;
  }
  return record.id;
}

// "(?, ?, ...)" with n placeholders.
inline std::string Tuple(int n) {
  std::string text = "(";
  for (int i = 0; i < n; ++i) text += i == 0 ? "?" : ", ?";
  return text + ")";
}

}  // namespace gatehouse::storage::internal
