// The caller's filters of a list query (ListQuery) as SQL terms: ids, text, names, pipelines,
// stages, responsible users, ranges, tags and custom field values. Only shapes reach the SQL text;
// every value goes into the parameters.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "domain/incoming_category.h"
#include "storage/sql_terms.h"

namespace gatehouse::storage::internal {

using base::Result;
using base::Status;

namespace {

void AddRange(std::string_view column, const Range& range, SqlCondition& where) {
  if (range.from) {
    And(where, std::string(column) + " >= ?");
    where.params.emplace_back(*range.from);
  }
  if (range.to) {
    And(where, std::string(column) + " <= ?");
    where.params.emplace_back(*range.to);
  }
}

Status Unsupported(const TableTraits& table, std::string_view filter) {
  return Status::InvalidField(
      "filter." + std::string(filter), "NotSupported",
      "filter " + std::string(filter) + " does not apply to " + std::string(table.table));
}

// The number terms of a kNumber FieldCondition: the value is one of c.numbers, at least c.from,
// at most c.to.
void AppendNumberMatch(const FieldCondition& c, SqlCondition& filters) {
  const std::string number =
      "(CASE WHEN v.field_id = ? THEN CAST(v.value AS DOUBLE PRECISION) END)";
  auto number_term = [&](std::string_view op, std::size_t n) {
    filters.sql += " AND " + number + std::string(op);
    filters.sql += n == 0 ? " ?" : " (" + Placeholders(n) + ")";
    filters.params.emplace_back(c.field_id);
  };
  if (!c.numbers.empty()) {
    number_term(" IN", c.numbers.size());
    for (double d : c.numbers) filters.params.emplace_back(d);
  }
  if (c.from) {
    number_term(" >=", 0);
    filters.params.emplace_back(*c.from);
  }
  if (c.to) {
    number_term(" <=", 0);
    filters.params.emplace_back(*c.to);
  }
}

// " AND [NOT] <table>.id IN (SELECT record_id FROM custom_field_values ...)": the records with a
// value of the field that matches (FieldCondition). Numbers are stored as their text; the cast
// sits inside a CASE on the field so that PostgreSQL, which may evaluate WHERE terms in any
// order, never casts another field's text.
Status AppendFieldCondition(const TableTraits& table, const FieldCondition& c,
                            SqlCondition& filters) {
  using Match = FieldCondition::Match;
  if (c.match == Match::kUnresolved) {
    return Status::Internal("filter custom_fields_values was not resolved against its field");
  }
  const std::string name(table.table);
  filters.sql += " AND " + name + (c.negate ? ".id NOT IN" : ".id IN") +
                 " (SELECT v.record_id FROM custom_field_values AS v WHERE v.account_id = " + name +
                 ".account_id AND v.entity_type = ? AND v.field_id = ?";
  filters.params.emplace_back(name);
  filters.params.emplace_back(c.field_id);
  switch (c.match) {
    case Match::kText:
      if (c.texts.empty()) break;
      filters.sql += " AND ";
      AppendIn("v.value", c.texts, filters);
      break;
    case Match::kEnum:
      if (c.enum_ids.empty()) break;
      filters.sql += " AND ";
      AppendIn("v.enum_id", c.enum_ids, filters);
      break;
    case Match::kNumber:
      AppendNumberMatch(c, filters);
      break;
    case Match::kUnresolved:
      break;
  }
  filters.sql += ")";
  return Status::Ok();
}

// kInvalidArgument for a filter `table` has no column for (or entity ids without their type, or
// an empty name, which as a substring would match every record).
Status CheckSupported(const TableTraits& table, const ListQuery& q) {
  if (std::find(q.names.begin(), q.names.end(), "") != q.names.end()) {
    return Status::InvalidField("filter.name", "EmptyValue", "filter name has an empty value");
  }
  if (!q.pipeline_ids.empty() && !table.pipeline) return Unsupported(table, "pipeline_id");
  if (!q.stages.empty() && !table.stages) return Unsupported(table, "statuses");
  if (!q.price.empty() && !table.price) return Unsupported(table, "price");
  if (!q.closed_at.empty() && !table.closed_at) return Unsupported(table, "closed_at");
  if (!q.closest_task_at.empty() && !table.closest_task) {
    return Unsupported(table, "closest_task_at");
  }
  if (q.is_completed && !table.completed) return Unsupported(table, "is_completed");
  if ((q.entity_type || !q.entity_ids.empty()) && !table.entity) {
    return Unsupported(table, "entity_type");
  }
  if (!q.entity_ids.empty() && !q.entity_type) {
    return Status::InvalidField("filter.entity_id", "Required",
                                "filter entity_id needs filter entity_type");
  }
  if (!q.updated_by.empty() && !table.updated_by) return Unsupported(table, "updated_by");
  if (!q.task_type_ids.empty() && !table.task_type) return Unsupported(table, "task_type");
  if (!q.categories.empty() && !table.category) return Unsupported(table, "category");
  if (!q.uids.empty() && !table.uid) return Unsupported(table, "uid");
  if (!q.customer_status_ids.empty() && !table.customer_status) return Unsupported(table, "status");
  if (!q.next_date.empty() && !table.next_date) return Unsupported(table, "next_date");
  if (!q.tag_ids.empty() && !table.tags) return Unsupported(table, "tags");
  if (!q.custom_fields.empty() && !table.custom_fields) {
    return Unsupported(table, "custom_fields_values");
  }
  return Status::Ok();
}

// " AND column IN (...)" (or "= ?"), nothing when `ids` is empty.
template <typename Ids>
void AndIn(SqlCondition& filters, std::string_view column, const Ids& ids) {
  if (ids.empty()) return;
  filters.sql += " AND ";
  AppendIn(column, ids, filters);
}

// The name contains one of `texts` (none: no term), case-insensitively; LIKE's wildcards in them
// match themselves. Several are one parenthesized OR group, so the term ANDs with the rest.
void AndNameContainsAny(SqlCondition& filters, const TableTraits& table,
                        const std::vector<std::string>& texts) {
  if (texts.empty()) return;
  const std::string like =
      "lower(" + std::string(table.name_column) + ") LIKE lower(?) ESCAPE '\\'";
  std::string terms;
  for (const std::string& text : texts) {
    std::string pattern = "%";
    for (char c : text) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    terms += (terms.empty() ? "" : " OR ") + like;
    filters.params.emplace_back(std::move(pattern));
  }
  And(filters, texts.size() == 1 ? terms : "(" + terms + ")");
}

// The responsible user is one of `users`; 0 asks for records with nobody responsible (stored as
// NULL).
void AndResponsible(SqlCondition& filters, const std::vector<domain::UserId>& users) {
  std::vector<domain::UserId> ids;
  bool nobody = false;
  for (domain::UserId id : users) {
    if (id == 0) {
      nobody = true;
    } else {
      ids.push_back(id);
    }
  }
  filters.sql += " AND (";
  if (!ids.empty()) AppendIn("responsible_user_id", ids, filters);
  if (nobody) filters.sql += ids.empty() ? "" : " OR ";
  if (nobody) filters.sql += "responsible_user_id IS NULL";
  filters.sql += ")";
}

// The record carries one of the tags q.tag_ids, or all of them with q.tags_all.
void AndTagged(SqlCondition& filters, const TableTraits& table, const ListQuery& q) {
  // The table is never aliased in a WHERE of BuildSelect/BuildCount (plain or merged
  // shape), so its name qualifies the record's columns inside the subquery.
  const std::string name(table.table);
  filters.sql += " AND " + name + ".id IN (SELECT rt.record_id FROM record_tags AS rt WHERE " +
                 "rt.account_id = " + name + ".account_id AND rt.entity_type = ? AND ";
  filters.params.emplace_back(name);
  AppendIn("rt.tag_id", q.tag_ids, filters);
  if (q.tags_all) {
    std::vector<std::int64_t> distinct = q.tag_ids;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    filters.sql += " GROUP BY rt.record_id HAVING COUNT(DISTINCT rt.tag_id) = ?";
    filters.params.emplace_back(static_cast<std::int64_t>(distinct.size()));
  }
  filters.sql += ")";
}

}  // namespace

Result<SqlCondition> CallerFilters(const TableTraits& table, const ListQuery& q) {
  GH_RETURN_IF_ERROR(CheckSupported(table, q));
  SqlCondition filters;
  AndIn(filters, "id", q.ids);
  if (!q.text.empty()) AndNameContainsAny(filters, table, {q.text});
  AndNameContainsAny(filters, table, q.names);
  AndIn(filters, "pipeline_id", q.pipeline_ids);
  if (!q.stages.empty()) {
    filters.sql += " AND (";
    Append(filters, StagesCondition(q.stages));
    filters.sql += ")";
  }
  if (!q.responsible_user_ids.empty()) AndResponsible(filters, q.responsible_user_ids);
  AndIn(filters, "created_by", q.created_by);
  AndIn(filters, "updated_by", q.updated_by);
  AndIn(filters, "task_type_id", q.task_type_ids);
  if (!q.categories.empty()) {
    std::vector<std::string> names;  // the column holds IncomingCategoryName
    for (domain::IncomingCategory category : q.categories) {
      names.emplace_back(domain::IncomingCategoryName(category));
    }
    AndIn(filters, "category", names);
  }
  AndIn(filters, "uid", q.uids);
  AddRange("created_at", q.created_at, filters);
  AddRange("updated_at", q.updated_at, filters);
  AddRange("closed_at", q.closed_at, filters);
  AddRange("closest_task_at", q.closest_task_at, filters);
  AddRange("price", q.price, filters);
  AndIn(filters, "status_id", q.customer_status_ids);
  AddRange("next_date", q.next_date, filters);
  if (q.is_completed) {
    And(filters, "is_completed = ?");
    filters.params.emplace_back(std::int64_t{*q.is_completed ? 1 : 0});
  }
  if (q.entity_type) {
    And(filters, "entity_type = ?");
    filters.params.emplace_back(std::string(domain::DataSetName(*q.entity_type)));
    AndIn(filters, "entity_id", q.entity_ids);
  }
  if (!q.tag_ids.empty()) AndTagged(filters, table, q);
  for (const FieldCondition& condition : q.custom_fields) {
    GH_RETURN_IF_ERROR(AppendFieldCondition(table, condition, filters));
  }
  return filters;
}

}  // namespace gatehouse::storage::internal
