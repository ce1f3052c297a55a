// Kommo list query strings -> storage::ListQuery (kommo-api-v4.md §1 "Query-string syntax",
// §9-§12). Every key is validated; a filter the store cannot apply is refused rather than
// silently ignored, so a client never mistakes an unfiltered page for a filtered one.
#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

#include "domain/incoming_category.h"
#include "domain/rights.h"
#include "http/api/paging.h"
#include "http/api/records/record_json.h"
#include "http/api/stage_keys.h"
#include "http/http_date.h"

namespace gatehouse::http::api::records {

using base::FieldError;
using base::Result;
using base::Status;

namespace {

// Collects field errors from the typed Query accessors.
class Errors {
 public:
  template <typename T>
  std::optional<T> Take(Result<T> result) {
    if (result.ok()) return std::move(result).value();
    const Status& s = result.status();
    if (s.fields().empty()) {
      errors_.push_back({"query", "InvalidValue", s.message()});
    } else {
      errors_.insert(errors_.end(), s.fields().begin(), s.fields().end());
    }
    return std::nullopt;
  }
  void Add(std::string path, std::string code, std::string detail) {
    errors_.push_back({std::move(path), std::move(code), std::move(detail)});
  }
  bool empty() const { return errors_.empty(); }
  Status ToStatus() const {
    std::string names;
    for (const FieldError& e : errors_)
      names += (names.empty() ? "" : "; ") + e.path + ": " + e.detail;
    return Status::Invalid("invalid query: " + names, errors_);
  }

 private:
  std::vector<FieldError> errors_;
};

// Date filters: "x[from]=&x[to]=", "x=a,b", or a single "x=a" meaning "from a on" (Kommo).
void ParseDate(const Query& q, Errors& errors, std::string_view key, storage::Range& out) {
  const std::string path = "filter[" + std::string(key) + "]";
  const QueryNode* node = q.Find(path);
  if (node == nullptr) return;
  if (node->is_value() && node->value().find(',') == std::string::npos) {
    auto single = errors.Take(q.GetInt(path));
    if (single && *single) out.from = **single;
    return;
  }
  auto range = errors.Take(q.GetRange(path));
  if (range && *range) {
    out.from = (*range)->from;
    out.to = (*range)->to;
  }
}

void ParseIds(const Query& q, Errors& errors, std::string_view key,
              std::vector<std::int64_t>& out) {
  auto ids = errors.Take(q.GetIntList("filter[" + std::string(key) + "]"));
  if (ids) out = std::move(*ids);
}

// order[field]=asc|desc over the fields the resource sorts by (tasks: not updated_at).
void ParseListOrder(const Query& q, Errors& errors, Resource resource, storage::ListQuery& out) {
  using storage::OrderField;
  if (resource == Resource::kTasks && q.Has("order[complete_till]")) {
    errors.Add("order[complete_till]", "NotSupported",
               "order[complete_till] is not supported by this server");
    return;
  }
  const auto order = errors.Take(
      resource == Resource::kTasks
          ? ParseOrder(q, {OrderField::kCreatedAt, OrderField::kId})
          : ParseOrder(q, {OrderField::kCreatedAt, OrderField::kUpdatedAt, OrderField::kId}));
  if (order && *order) {
    out.order_field = (*order)->field;
    out.order_direction = (*order)->direction;
  }
}

// The with= values Kommo documents, per resource, and the Embed flag each sets (none: accepted
// and ignored, as a lead's companies, which are always embedded). Tasks and unsorted take none.
struct WithOption {
  Resource resource;
  std::string_view name;
  bool service::Embed::*flag = nullptr;
};
constexpr WithOption kWithOptions[] = {
    {Resource::kLeads, "contacts", &service::Embed::contacts},
    {Resource::kLeads, "companies"},
    {Resource::kLeads, "catalog_elements"},
    {Resource::kLeads, "is_price_modified_by_robot"},
    {Resource::kLeads, "loss_reason", &service::Embed::loss_reason},
    {Resource::kLeads, "source_id"},
    {Resource::kLeads, "source"},
    {Resource::kContacts, "leads", &service::Embed::leads},
    {Resource::kContacts, "catalog_elements"},
    {Resource::kContacts, "customers", &service::Embed::customers},
    {Resource::kCompanies, "leads", &service::Embed::leads},
    {Resource::kCompanies, "contacts", &service::Embed::contacts},
    {Resource::kCompanies, "catalog_elements"},
    {Resource::kCompanies, "customers", &service::Embed::customers},
    {Resource::kCustomers, "contacts", &service::Embed::contacts},
    {Resource::kCustomers, "companies", &service::Embed::companies},
    {Resource::kCustomers, "catalog_elements"},
};

// with=a,b: the values Kommo documents for the resource; the ones this server cannot honour
// faithfully (only_deleted) are refused, harmless extras are accepted and ignored. `lenient`
// (a single record's GET): like Kommo, an empty value and values it does not know are ignored
// (a widely used client sends with=null on every get by id).
void ParseWith(const Query& q, Errors& errors, Resource resource, service::Embed& embed,
               bool lenient = false) {
  auto list = q.GetStringList("with");
  if (lenient && !list.ok()) return;
  auto with = errors.Take(std::move(list));
  if (!with) return;
  for (const std::string& value : *with) {
    const WithOption* option = std::find_if(
        std::begin(kWithOptions), std::end(kWithOptions),
        [&](const WithOption& o) { return o.resource == resource && o.name == value; });
    if (option == std::end(kWithOptions)) {
      if (!lenient) {
        errors.Add("with", "NotSupportedChoice", "with=" + value + " is not supported here");
      }
      continue;
    }
    if (option->flag != nullptr) embed.*(option->flag) = true;
  }
}

void TakePaging(const Query& q, Errors& errors, storage::ListQuery& out) {
  if (std::optional<Paging> paging = errors.Take(ParsePaging(q, out.limit))) {
    out.page = paging->page;
    out.limit = paging->limit;
  }
}

// filter[name] takes at most this many values.
constexpr std::size_t kMaxNameFilters = 50;

// filter[name]: records whose name contains one of the values, each matched as query is. One
// value ("filter[name]=Acme") or a list ("filter[name][]=a&filter[name][]=b", "[0]=", "[1]=").
// Unlike the id lists, a comma is part of the value, not a separator: names hold commas
// ("Smith, John"), and splitting one would silently widen the list (as the custom field text
// values are read).
void ParseNames(const Query& q, Errors& errors, std::vector<std::string>& out) {
  const std::string path = "filter[name]";
  const QueryNode* node = q.Find(path);
  if (node == nullptr) return;
  std::vector<const QueryNode*> items = {node};
  if (!node->is_value()) {
    if (node->kind() != QueryNode::Kind::kList) {
      errors.Add(path, "InvalidType", "expected " + path + "=name or " + path + "[]=name");
      return;
    }
    items = node->Items();
  }
  if (items.size() > kMaxNameFilters) {
    errors.Add(path, "TooMany",
               path + " takes at most " + std::to_string(kMaxNameFilters) + " values");
    return;
  }
  for (const QueryNode* item : items) {
    if (!item->is_value()) {
      errors.Add(path, "InvalidType", "each " + path + "[] is a plain value");
      return;
    }
    // The query parser refuses an empty filter value already; a name is never "no filter".
    if (item->value().empty()) {
      errors.Add(path, "EmptyValue", "an empty filter value: give a value or leave the filter out");
      return;
    }
  }
  for (const QueryNode* item : items) out.push_back(item->value());
}

// query and filter[name]: one or the other, as before. Both read only the name here, and the AND
// of the two would not be what Kommo answers (its query searches every filled field).
void ParseText(const Query& q, Errors& errors, ListParams& out) {
  auto text = errors.Take(q.GetString("query"));
  if (text && *text) out.query.text = **text;
  ParseNames(q, errors, out.query.names);
  if (!out.query.names.empty() && !out.query.text.empty()) {
    errors.Add("filter[name]", "NotSupported", "use either query or filter[name]");
  }
}

// filter[tags][]=ID (or filter[tags]=ID,ID): records carrying any of the tags, or every one
// of them with filter[tags_logic]=and (Kommo's list filter; "or" is the default).
void ParseTags(const Query& q, Errors& errors, storage::ListQuery& out) {
  ParseIds(q, errors, "tags", out.tag_ids);
  for (std::int64_t id : out.tag_ids) {
    if (id <= 0) errors.Add("filter[tags]", "InvalidValue", "tag ids are positive integers");
  }
  auto logic = errors.Take(q.GetString("filter[tags_logic]"));
  if (!logic || !*logic) return;
  if (**logic == "and") {
    out.tags_all = true;
  } else if (**logic != "or") {
    errors.Add("filter[tags_logic]", "NotSupportedChoice", "filter[tags_logic] is or or and");
  }
}

// filter[custom_fields_values][FIELD_ID][]=v (any of; "=v" alone is one value) and
// filter[custom_fields_values][FIELD_ID][from]=&[to]= (Kommo's forms, kommo-api-v4.md §1). Only
// the shape is checked here; the service checks each condition against its field and the
// caller's field rights (service/admin/custom_fields.h ResolveFieldFilters).
void ParseFieldFilters(const Query& q, Errors& errors, storage::ListQuery& out) {
  const std::string base = "filter[custom_fields_values]";
  const QueryNode* node = q.Find(base);
  if (node == nullptr) return;
  // Field ids are integers, so the map reads as a list (QueryNode): its children are the fields.
  if (node->is_value()) {
    errors.Add(base, "InvalidType",
               "expected " + base + "[FIELD_ID][]=value or " + base + "[FIELD_ID][from]=&[to]=");
    return;
  }
  for (const auto& [key, child] : node->children()) {
    const std::string path = base + "[" + key + "]";
    storage::FieldCondition c;
    const bool id = !key.empty() && key.size() <= 18 &&
                    key.find_first_not_of("0123456789") == std::string::npos && key[0] != '0';
    if (!id) {
      errors.Add(path, "InvalidValue", "a custom field id is a positive integer");
      continue;
    }
    c.field_id = std::stoll(key);
    if (child.is_value()) {
      c.sent.push_back(child.value());
    } else if (child.kind() == QueryNode::Kind::kList) {
      for (const QueryNode* item : child.Items()) {
        if (!item->is_value()) {
          errors.Add(path, "InvalidType", "each value is a plain value");
          break;
        }
        c.sent.push_back(item->value());
      }
    } else {
      for (const auto& [bound, value] : child.children()) {
        if ((bound != "from" && bound != "to") || !value.is_value()) {
          errors.Add(path + "[" + bound + "]", "UnknownParameter",
                     "a custom field filter takes [] values or [from] and [to]");
          continue;
        }
        (bound == "from" ? c.sent_from : c.sent_to) = value.value();
      }
    }
    out.custom_fields.push_back(std::move(c));
  }
}

}  // namespace

Result<service::Embed> ParseEmbed(const Request& request, Resource resource) {
  GH_RETURN_IF_ERROR(request.query.CheckKnownKeys({"with"}));
  Errors errors;
  service::Embed embed;
  ParseWith(request.query, errors, resource, embed, /*lenient=*/true);
  if (!errors.empty()) return errors.ToStatus();
  return embed;
}

namespace {

// Refuses query parameters and filters `resource` does not take (exports: no page or limit).
Status CheckListKeys(const Query& q, Resource resource, bool for_export) {
  auto records = [&](std::initializer_list<std::string_view> filters) {
    return for_export
               ? q.CheckKnownKeys({"with", "query", "filter", "order"}, filters)
               : q.CheckKnownKeys({"with", "page", "limit", "query", "filter", "order"}, filters);
  };
  switch (resource) {
    case Resource::kLeads:
      return records({"id", "name", "price", "statuses", "pipeline_id", "created_by", "updated_by",
                      "responsible_user_id", "created_at", "updated_at", "closed_at",
                      "closest_task_at", "custom_fields_values", "tags", "tags_logic"});
    case Resource::kContacts:
    case Resource::kCompanies:
      return records({"id", "name", "created_by", "updated_by", "responsible_user_id", "created_at",
                      "updated_at", "closest_task_at", "custom_fields_values", "tags",
                      "tags_logic"});
    case Resource::kCustomers:
      return records({"id", "name", "created_by", "updated_by", "responsible_user_id", "created_at",
                      "updated_at", "next_date", "status", "closest_task_at",
                      "custom_fields_values", "tags", "tags_logic"});
    case Resource::kTasks:
      return q.CheckKnownKeys({"page", "limit", "filter", "order", "entity_type"},
                              {"id", "responsible_user_id", "is_completed", "task_type",
                               "entity_type", "entity_id", "updated_at"});
    case Resource::kUnsorted:
      return q.CheckKnownKeys({"page", "limit", "filter", "order"},
                              {"uid", "category", "pipeline_id"});
  }
  return Status::Ok();
}

// filter[...] of leads, contacts, companies and customers (the record lists).
void ParseRecordFilters(const Query& q, Errors& errors, Resource resource, ListParams& out) {
  if (resource == Resource::kLeads) {
    if (auto stages = errors.Take(ParseStageKeys(q, "filter[statuses]"))) {
      out.query.stages = std::move(*stages);
    }
    ParseIds(q, errors, "pipeline_id", out.query.pipeline_ids);
    if (q.Has("filter[price]")) {
      auto price = errors.Take(q.GetRange("filter[price]"));
      if (price && *price) out.query.price = {(*price)->from, (*price)->to};
    }
    ParseDate(q, errors, "closed_at", out.query.closed_at);
  }
  if (resource == Resource::kCustomers) {
    // filter[status]: customer status ids (one or several).
    ParseIds(q, errors, "status", out.query.customer_status_ids);
    ParseDate(q, errors, "next_date", out.query.next_date);
  }
  // Every record list's kind takes tasks (domain::kAttachableDataSets), hence closest_task_at.
  ParseDate(q, errors, "closest_task_at", out.query.closest_task_at);
  ParseText(q, errors, out);
  ParseIds(q, errors, "created_by", out.query.created_by);
  ParseIds(q, errors, "updated_by", out.query.updated_by);
  ParseDate(q, errors, "created_at", out.query.created_at);
  ParseDate(q, errors, "updated_at", out.query.updated_at);
  ParseTags(q, errors, out.query);
  ParseFieldFilters(q, errors, out.query);
}

void ParseTaskFilters(const Query& q, Errors& errors, ListParams& out) {
  ParseDate(q, errors, "updated_at", out.query.updated_at);
  ParseIds(q, errors, "task_type", out.query.task_type_ids);
  auto completed = errors.Take(q.GetBool("filter[is_completed]"));
  if (completed && *completed) out.query.is_completed = **completed;
  // Top-level entity_type is what one client sends (§16.9).
  auto type = errors.Take(q.GetString("filter[entity_type]"));
  if (!type || !*type) type = errors.Take(q.GetString("entity_type"));
  const bool type_given = type && *type;
  if (type_given) {
    out.query.entity_type = domain::AttachableDataSetFromName(**type);
    if (!out.query.entity_type) {
      errors.Add("filter[entity_type]", "NotSupportedChoice",
                 "entity_type must be " + domain::AttachableNames());
    }
  }
  ParseIds(q, errors, "entity_id", out.query.entity_ids);
  if (!out.query.entity_ids.empty() && !type_given) {
    errors.Add("filter[entity_id]", "Required", "filter[entity_id] needs filter[entity_type]");
  }
}

void ParseUnsortedFilters(const Query& q, Errors& errors, ListParams& out) {
  ParseIds(q, errors, "pipeline_id", out.query.pipeline_ids);
  // One uid or several, as the summary reads them: the list and the summary select alike.
  auto uids = errors.Take(q.GetStringList("filter[uid]"));
  if (uids) out.query.uids = std::move(*uids);
  auto categories = errors.Take(q.GetStringList("filter[category]"));
  if (categories) {
    for (const std::string& name : *categories) {
      if (std::optional<domain::IncomingCategory> category =
              domain::IncomingCategoryFromName(name)) {
        out.query.categories.push_back(*category);
      } else {
        errors.Add("filter[category]", "NotSupportedChoice",
                   "category must be sip, mail, chats or forms, not " + name);
      }
    }
  }
}

// If-Modified-Since, which Kommo recommends on list requests: only records updated after that
// time, within filter[updated_at] when both are given. A value that is not an HTTP-date is
// ignored, as RFC 9110 (13.1.3) requires.
void NarrowToModifiedSince(const Request& request, storage::Range& updated_at) {
  const std::string* header = request.headers.Find("If-Modified-Since");
  if (header == nullptr) return;
  const std::optional<std::int64_t> since = ParseHttpDate(*header);
  if (!since) return;
  updated_at.from = std::max(updated_at.from.value_or(0), *since + 1);
}

}  // namespace

Result<ListParams> ParseListParams(const Request& request, Resource resource, bool for_export) {
  const Query& q = request.query;
  GH_RETURN_IF_ERROR(CheckListKeys(q, resource, for_export));
  ListParams out;
  Errors errors;
  // A filter given as a plain value ("filter=x") when the resource takes none is caught above;
  // the ones known to Kommo that the store has no column for are refused here.
  if (!for_export) TakePaging(q, errors, out.query);
  ParseListOrder(q, errors, resource, out.query);
  ParseWith(q, errors, resource, out.embed);
  ParseIds(q, errors, "id", out.query.ids);
  ParseIds(q, errors, "responsible_user_id", out.query.responsible_user_ids);
  switch (resource) {
    case Resource::kLeads:
    case Resource::kCustomers:
    case Resource::kContacts:
    case Resource::kCompanies:
      ParseRecordFilters(q, errors, resource, out);
      break;
    case Resource::kTasks:
      ParseTaskFilters(q, errors, out);
      break;
    case Resource::kUnsorted:
      ParseUnsortedFilters(q, errors, out);
      break;
  }
  if (resource != Resource::kUnsorted) NarrowToModifiedSince(request, out.query.updated_at);
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

Result<storage::ListQuery> ParseUnsortedSummaryQuery(const Request& request) {
  const Query& q = request.query;
  GH_RETURN_IF_ERROR(q.CheckKnownKeys({"filter"}, {"uid", "created_at", "pipeline_id"}));
  Errors errors;
  storage::ListQuery out;
  auto uids = errors.Take(q.GetStringList("filter[uid]"));
  if (uids) out.uids = std::move(*uids);
  ParseDate(q, errors, "created_at", out.created_at);
  ParseIds(q, errors, "pipeline_id", out.pipeline_ids);
  if (std::any_of(out.pipeline_ids.begin(), out.pipeline_ids.end(),
                  [](std::int64_t id) { return id <= 0; })) {
    errors.Add("filter[pipeline_id]", "InvalidValue", "pipeline ids are positive integers");
  }
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

}  // namespace gatehouse::http::api::records
