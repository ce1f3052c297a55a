// Records -> Kommo JSON, and the error and written responses of the record resources. The
// request bodies are read in record_body.cc.
#include "http/api/records/record_json.h"

#include "domain/rights.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "http/json_writer.h"
#include "service/json_text.h"

namespace gatehouse::http::api::records {

using base::FieldError;
using base::Status;
using domain::RecordId;
using nlohmann::json;

namespace {

json IdLink(const Request& request, std::string_view plural, std::int64_t id) {
  return {
      {"id", id},
      {"_links", SelfLinks(request, "/api/v4/" + std::string(plural) + "/" + std::to_string(id))}};
}

}  // namespace

// ---- rendering ----

namespace {

// The stored custom_fields_values array as is, or null when empty or not a JSON array (what a
// parse and re-dump gave, without building the tree: the text was written by dump()).
void WriteCustomFields(JsonWriter& w, const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const std::size_t second =
      first == std::string::npos ? first : text.find_first_not_of(" \t\r\n", first + 1);
  if (first == std::string::npos || text[first] != '[' || second == std::string::npos ||
      text[second] == ']' || !json::accept(text)) {
    w.Null();
    return;
  }
  w.Raw(text);
}

// {"id": id, "_links": {"self": {"href": ...}}}, then further members, then the caller closes.
void OpenIdLink(JsonWriter& w, const std::string& base_url, std::string_view plural,
                std::int64_t id) {
  w.BeginObject().Member("id", id);
  WriteSelfLinks(w, base_url, plural, id);
}

void WriteIdLinks(JsonWriter& w, const std::string& base_url, std::string_view plural,
                  const std::vector<RecordId>& ids) {
  w.Key(plural).BeginArray();
  for (RecordId id : ids) {
    OpenIdLink(w, base_url, plural, id);
    w.EndObject();
  }
  w.EndArray();
}

// The members every record has about who owns it and when it changed.
template <typename Record>
void WriteOwnership(JsonWriter& w, const Record& r, domain::GroupId group_id) {
  w.Member("responsible_user_id", r.responsible_user_id)
      .Member("group_id", group_id)
      .Member("created_by", r.created_by)
      .Member("updated_by", r.updated_by)
      .Member("created_at", r.created_at)
      .Member("updated_at", r.updated_at)
      .Key("closest_task_at")
      .IntOrNull(r.closest_task_at)
      .Member("is_deleted", false);
}

// custom_fields_values, account_id, _links, then "_embedded": {"tags": [{id, name, color}]
// left open for the record's links; the caller closes both objects.
void WriteTailAndOpenEmbedded(JsonWriter& w, const std::string& custom_fields,
                              domain::AccountId account_id, const std::string& base_url,
                              std::string_view plural, RecordId id,
                              const std::vector<storage::Tag>& tags) {
  w.Key("custom_fields_values");
  WriteCustomFields(w, custom_fields);
  w.Member("account_id", account_id);
  WriteSelfLinks(w, base_url, plural, id);
  w.Key("_embedded").BeginObject().Key("tags").BeginArray();
  for (const storage::Tag& tag : tags) {
    w.BeginObject().Member("id", tag.id).Member("name", tag.name).Key("color");
    if (tag.color.empty()) {
      w.Null();
    } else {
      w.String(tag.color);
    }
    w.EndObject();
  }
  w.EndArray();
}

// "contacts": [{id, _links, is_main}] of a lead or customer.
void WriteContactLinks(JsonWriter& w, const std::string& base_url,
                       const std::vector<storage::LeadContactLink>& contacts) {
  w.Key("contacts").BeginArray();
  for (const storage::LeadContactLink& link : contacts) {
    OpenIdLink(w, base_url, "contacts", link.contact_id);
    w.Member("is_main", link.is_main).EndObject();
  }
  w.EndArray();
}

// "loss_reason": [reason] of a lead (Kommo renders it as an array of at most one reason).
void WriteLossReason(JsonWriter& w, const std::string& base_url,
                     const std::optional<storage::LossReason>& loss_reason) {
  w.Key("loss_reason").BeginArray();
  if (loss_reason) {
    const storage::LossReason& reason = *loss_reason;
    w.BeginObject()
        .Member("id", reason.id)
        .Member("name", reason.name)
        .Member("sort", reason.sort)
        .Member("created_at", reason.created_at)
        .Member("updated_at", reason.updated_at);
    WriteSelfLinks(w, base_url, "leads/loss_reasons", reason.id);
    w.EndObject();
  }
  w.EndArray();
}

// A lead, contact, company or customer (`view`, of the `plural` resource): id and name, the
// members `head(w)` writes, the ownership members, custom_fields_values, account_id, _links,
// then "_embedded": the tags and the links `links(w, base_url)` writes.
template <typename View, typename Head, typename Links>
std::string RenderRecord(const Request& request, const View& view, domain::AccountId account_id,
                         std::string_view plural, Head head, Links links) {
  const auto& record = view.record;
  const std::string base_url = BaseUrl(request);
  std::string out;
  out.reserve(640 + record.name.size() + record.custom_fields_json.size());
  JsonWriter w(out);
  w.BeginObject().Member("id", record.id).Member("name", record.name);
  head(w);
  WriteOwnership(w, record, view.group_id);
  WriteTailAndOpenEmbedded(w, record.custom_fields_json, account_id, base_url, plural, record.id,
                           view.tags);
  links(w, base_url);
  w.EndObject().EndObject();
  return out;
}

}  // namespace

std::string RecordJson(const Request& request, const service::LeadView& view,
                       domain::AccountId account_id, const service::Embed& embed) {
  const storage::Lead& l = view.record;
  return RenderRecord(
      request, view, account_id, "leads",
      [&](JsonWriter& w) {
        w.Member("price", l.price)
            .Member("status_id", l.status_id)
            .Member("pipeline_id", l.pipeline_id)
            .Key("loss_reason_id")
            .IntOrNull(l.loss_reason_id)
            .Key("closed_at")
            .IntOrNull(l.closed_at)
            .Key("score")
            .Null()
            .Key("labor_cost")
            .Null();
      },
      [&](JsonWriter& w, const std::string& base_url) {
        WriteIdLinks(w, base_url, "companies", view.companies);
        if (embed.contacts) WriteContactLinks(w, base_url, view.contacts);
        if (embed.loss_reason) WriteLossReason(w, base_url, view.loss_reason);
      });
}

std::string RecordJson(const Request& request, const service::CustomerView& view,
                       domain::AccountId account_id, const service::Embed& embed) {
  const storage::Customer& c = view.record;
  return RenderRecord(
      request, view, account_id, "customers",
      [&](JsonWriter& w) {
        w.Member("next_price", c.next_price)
            .Key("next_date")
            .IntOrNull(c.next_date)
            .Member("status_id", c.status_id)
            .Key("periodicity")
            .IntOrNull(c.periodicity);
      },
      [&](JsonWriter& w, const std::string& base_url) {
        if (embed.contacts) WriteContactLinks(w, base_url, view.contacts);
        if (embed.companies) WriteIdLinks(w, base_url, "companies", view.companies);
      });
}

std::string RecordJson(const Request& request, const service::ContactView& view,
                       domain::AccountId account_id, const service::Embed& embed) {
  const storage::Contact& c = view.record;
  return RenderRecord(
      request, view, account_id, "contacts",
      [&](JsonWriter& w) {
        w.Member("first_name", c.first_name)
            .Member("last_name", c.last_name)
            .Member("is_unsorted", false);
      },
      [&](JsonWriter& w, const std::string& base_url) {
        w.Key("companies").BeginArray().EndArray();
        if (embed.leads) WriteIdLinks(w, base_url, "leads", view.leads);
        if (embed.customers) WriteIdLinks(w, base_url, "customers", view.customers);
      });
}

std::string RecordJson(const Request& request, const service::CompanyView& view,
                       domain::AccountId account_id, const service::Embed& embed) {
  return RenderRecord(
      request, view, account_id, "companies", [](JsonWriter&) {},
      [&](JsonWriter& w, const std::string& base_url) {
        if (embed.leads) WriteIdLinks(w, base_url, "leads", view.leads);
        if (embed.customers) WriteIdLinks(w, base_url, "customers", view.customers);
        if (embed.contacts) {
          std::vector<RecordId> contacts;
          for (const storage::LeadContactLink& link : view.contacts) {
            contacts.push_back(link.contact_id);
          }
          WriteIdLinks(w, base_url, "contacts", contacts);
        }
      });
}

std::string RecordJson(const Request& request, const service::TaskView& view,
                       domain::AccountId account_id, const service::Embed&) {
  const storage::Task& t = view.record;
  std::string out;
  JsonWriter w(out);
  w.BeginObject()
      .Member("id", t.id)
      .Member("created_by", t.created_by)
      .Member("updated_by", t.updated_by)
      .Member("created_at", t.created_at)
      .Member("updated_at", t.updated_at)
      .Member("responsible_user_id", t.responsible_user_id)
      .Member("group_id", view.group_id)
      .Key("entity_id")
      .IntOrNull(t.entity_id)
      .Key("entity_type");
  if (t.entity_type) {
    w.String(domain::DataSetName(*t.entity_type));
  } else {
    w.Null();
  }
  w.Member("is_completed", t.is_completed)
      .Member("task_type_id", t.task_type_id)
      .Member("text", t.text)
      .Member("duration", t.duration)
      .Member("complete_till", t.complete_till)
      .Key("result");
  if (t.result_text.empty()) {
    w.BeginArray().EndArray();
  } else {
    w.BeginObject().Member("text", t.result_text).EndObject();
  }
  w.Member("account_id", account_id);
  WriteSelfLinks(w, BaseUrl(request), "tasks", t.id);
  w.EndObject();
  return out;
}

json IncomingJson(const Request& request, const storage::IncomingLead& item,
                  domain::AccountId account_id) {
  json lead = {{"name", item.lead_name}, {"price", item.lead_price}};
  if (item.accepted_lead_id != 0) {
    lead["id"] = item.accepted_lead_id;
    lead["_links"] = SelfLinks(request, "/api/v4/leads/" + std::to_string(item.accepted_lead_id));
  }
  json contacts = json::array();
  json companies = json::array();
  if (!item.embedded_json.empty()) {
    json embedded = json::parse(item.embedded_json, nullptr, false);
    auto render = [&](std::string_view key, std::string_view plural, json& out) {
      if (!embedded.is_object() || !embedded[key].is_array()) return;
      for (json record : embedded[key]) {
        if (record.contains("id")) {
          record["_links"] =
              SelfLinks(request, "/api/v4/" + std::string(plural) + "/" +
                                     std::to_string(record["id"].get<std::int64_t>()));
        }
        out.push_back(std::move(record));
      }
    };
    render("contacts", "contacts", contacts);
    render("companies", "companies", companies);
  }
  return {{"uid", item.uid},
          {"source_uid", item.source_uid},
          {"source_name", item.source_name},
          {"category", item.category ? domain::IncomingCategoryName(*item.category) : ""},
          {"pipeline_id", item.pipeline_id},
          {"state", item.state},
          {"created_at", item.created_at},
          {"metadata", service::StoredJsonOrNull(item.metadata_json)},
          {"account_id", account_id},
          {"_links", SelfLinks(request, "/api/v4/leads/unsorted/" + item.uid)},
          {"_embedded",
           {{"leads", json::array({std::move(lead)})},
            {"contacts", std::move(contacts)},
            {"companies", std::move(companies)}}}};
}

// ---- responses ----

Response BatchProblem(const Status& status, std::size_t index,
                      const std::vector<std::string>& request_ids, bool batch) {
  const std::string request_id =
      index < request_ids.size() ? request_ids[index] : std::to_string(index);
  const ProblemOptions options{.request_id = request_id};
  if (!batch) return ProblemResponse(status, options);
  const std::string item = "item " + std::to_string(index) + " (request_id " + request_id + ")";
  if (status.code() == base::Code::kInternal) return ProblemResponse(status);
  if (status.code() == base::Code::kInvalidArgument) {
    std::vector<FieldError> fields = status.fields();
    if (fields.empty()) fields.push_back({"", "Invalid", status.message()});
    for (FieldError& f : fields)
      f.path = std::to_string(index) + (f.path.empty() ? "" : ".") + f.path;
    return ValidationProblem({{request_id, std::move(fields)}},
                             item + ": " + status.message() + "; nothing was changed");
  }
  return ProblemResponse(
      Status::Error(status.code(), item + ": " + status.message() + "; nothing was changed"),
      options);
}

Response ParseProblem(const std::vector<std::vector<FieldError>>& errors,
                      const std::vector<std::string>& request_ids, bool batch) {
  std::vector<ItemErrors> items;
  std::string detail;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (errors[i].empty()) continue;
    std::vector<FieldError> fields = errors[i];
    for (FieldError& f : fields) {
      if (detail.empty()) detail = (batch ? "item " + std::to_string(i) + ": " : "") + f.detail;
      if (batch) f.path = std::to_string(i) + "." + f.path;
    }
    items.push_back(
        {i < request_ids.size() ? request_ids[i] : std::to_string(i), std::move(fields)});
  }
  return ValidationProblem(items, detail.empty() ? "Request validation failed" : detail);
}

Response WrittenResponse(const Request& request, std::string_view plural,
                         const std::vector<service::Written>& written,
                         const std::vector<std::string>& request_ids, bool with_updated_at) {
  json items = json::array();
  for (std::size_t i = 0; i < written.size(); ++i) {
    json item = IdLink(request, plural, written[i].id);
    item["request_id"] = i < request_ids.size() ? request_ids[i] : std::to_string(i);
    if (with_updated_at) item["updated_at"] = written[i].updated_at;
    items.push_back(std::move(item));
  }
  return EmbeddedResponse(request, plural, std::move(items));
}

Response WrittenOne(const Request& request, std::string_view plural,
                    const service::Written& written) {
  json body = IdLink(request, plural, written.id);
  body["updated_at"] = written.updated_at;
  return JsonResponse(200, body);
}

}  // namespace gatehouse::http::api::records
