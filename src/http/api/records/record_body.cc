// Request bodies of the record resources -> service inputs: the per-kind parsers, the text and
// name rules, and which fields a write may carry. nlohmann never throws here: every access checks
// the type first.
#include <algorithm>
#include <cmath>
#include <limits>

#include "base/text.h"
#include "domain/rights.h"
#include "http/api/records/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using base::FieldError;
using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// The record-specific reads on top of BodyReader (kRecordBody: null counts as absent, a whole
// float is an integer): text rules, names, custom fields, links and tags.
class Fields {
 public:
  Fields(const json& item, std::vector<FieldError>& errors)
      : reader_(item, errors, "", kRecordBody), item_(item), errors_(errors) {}

  const json* Find(std::string_view key) const { return reader_.Find(key); }

  // A string field under the text rules of `kind`, at most `max_chars` characters (0: any).
  std::optional<std::string> String(std::string_view key, TextKind kind = TextKind::kLine,
                                    std::size_t max_chars = 0) {
    std::optional<std::string> text = reader_.String(key);
    if (!text) return std::nullopt;
    if (std::optional<FieldError> error = CheckText(key, *text, kind, max_chars)) {
      errors_.push_back(std::move(*error));
      return std::nullopt;
    }
    return text;
  }

  // A record's name: one line of at most kMaxNameChars characters.
  std::optional<std::string> Name(std::string_view key) {
    return String(key, TextKind::kLine, kMaxNameChars);
  }

  std::optional<std::int64_t> Int(std::string_view key) { return reader_.Int(key); }
  // An integer that may not be negative: a negative one is kept, with an InvalidValue `detail`.
  std::optional<std::int64_t> NonNegativeInt(std::string_view key, std::string detail) {
    std::optional<std::int64_t> value = Int(key);
    if (value && *value < 0) Add(std::string(key), "InvalidValue", std::move(detail));
    return value;
  }
  std::optional<std::int64_t> IntAt(const json& v, std::string_view path) {
    return reader_.IntAt(v, path);
  }
  std::optional<bool> Bool(std::string_view key) { return reader_.Bool(key); }

  // custom_fields_values: an array (stored as text) or null (clears); absent: unchanged.
  std::optional<std::string> CustomFields() {
    auto it = item_.find("custom_fields_values");
    if (it == item_.end()) return std::nullopt;
    if (it->is_null()) return std::string();
    if (!it->is_array()) return Fail("custom_fields_values", "must be an array or null");
    return it->dump(-1, ' ', false, json::error_handler_t::replace);
  }

  // `_embedded.<key>`: a non-empty array of objects, or nullptr (absent, null or empty).
  const json* EmbeddedArray(std::string_view key) {
    const json* embedded = Find("_embedded");
    if (embedded == nullptr) return nullptr;
    if (!embedded->is_object()) {
      Fail("_embedded", "must be an object");
      return nullptr;
    }
    auto it = embedded->find(std::string(key));
    if (it == embedded->end() || it->is_null()) return nullptr;
    const std::string path = "_embedded." + std::string(key);
    if (!it->is_array()) {
      Fail(path, "must be an array");
      return nullptr;
    }
    if (it->empty()) return nullptr;  // §16.8: not a request to unlink
    return &*it;
  }

  // The one company under _embedded.companies, of a record that has at most one (`what`: "a
  // lead"); nullopt when none is sent.
  std::optional<domain::RecordId> OneCompany(std::string_view what) {
    std::vector<service::LinkInput> companies = Links("companies");
    if (companies.size() > 1) {
      Add("_embedded.companies", "TooMany", std::string(what) + " has at most one company");
      return std::nullopt;
    }
    if (companies.empty()) return std::nullopt;
    return companies.front().id;
  }

  // [{id, is_main?}, ...] under _embedded.<key>.
  std::vector<service::LinkInput> Links(std::string_view key) {
    std::vector<service::LinkInput> out;
    const json* list = EmbeddedArray(key);
    if (list == nullptr) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& entry = (*list)[i];
      const std::string path = "_embedded." + std::string(key) + "." + std::to_string(i);
      if (!entry.is_object()) {
        Fail(path, "must be an object with an id");
        continue;
      }
      auto id_it = entry.find("id");
      std::optional<std::int64_t> id =
          id_it == entry.end() ? std::nullopt : IntAt(*id_it, path + ".id");
      if (!id) {
        if (id_it == entry.end()) errors_.push_back({path + ".id", "Required", "id is required"});
        continue;
      }
      bool is_main = false;
      auto main_it = entry.find("is_main");
      if (main_it != entry.end() && main_it->is_boolean()) is_main = main_it->get<bool>();
      out.push_back({*id, is_main});
    }
    return out;
  }

  // [{id} | {name}, ...] at `path` (a record sent back as read has {id, name, color}: the id
  // counts). Kommo names tags by either; an entry with neither is an error.
  std::vector<service::TagRef> TagRefs(const json& list, const std::string& path) {
    std::vector<service::TagRef> out;
    if (list.size() > kMaxTagsPerWrite) {
      Add(path, "TooMany", "at most " + std::to_string(kMaxTagsPerWrite) + " tags per list");
      return out;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const json& entry = list[i];
      const std::string at = path + "." + std::to_string(i);
      if (!entry.is_object()) {
        Add(at, "InvalidType", at + " must be an object with an id or a name");
        continue;
      }
      service::TagRef ref{.path = at};
      auto id_it = entry.find("id");
      if (id_it != entry.end() && !id_it->is_null()) {
        std::optional<std::int64_t> id = IntAt(*id_it, at + ".id");
        if (!id) continue;
        if (*id <= 0) {
          Add(at + ".id", "InvalidValue", "a tag id is a positive integer");
          continue;
        }
        ref.id = *id;
      } else {
        Fields tag(entry, errors_);
        const std::size_t before = errors_.size();
        std::optional<std::string> name = tag.Name("name");
        for (std::size_t e = before; e < errors_.size(); ++e) errors_[e].path = at + ".name";
        if (errors_.size() > before) continue;
        if (!name || name->empty()) {
          Add(at, "Required", at + " needs an id or a name");
          continue;
        }
        ref.name = std::move(*name);
      }
      out.push_back(std::move(ref));
    }
    return out;
  }

  // _embedded.tags (replaces the record's tags; null clears them, an empty array changes
  // nothing: kommo-api-v4.md §16.8), tags_to_add and tags_to_delete.
  service::TagsInput Tags() {
    service::TagsInput in;
    if (const json* embedded = Find("_embedded"); embedded != nullptr && embedded->is_object()) {
      auto it = embedded->find("tags");
      if (it != embedded->end()) {
        if (it->is_null()) {
          in.set.emplace();
        } else if (!it->is_array()) {
          Add("_embedded.tags", "InvalidType", "_embedded.tags must be an array or null");
        } else if (!it->empty()) {
          in.set = TagRefs(*it, "_embedded.tags");
        }
      }
    }
    for (const char* key : {"tags_to_add", "tags_to_delete"}) {
      const json* list = Find(key);
      if (list == nullptr) continue;
      if (!list->is_array()) {
        Add(key, "InvalidType", std::string(key) + " must be an array");
        continue;
      }
      (std::string_view(key) == "tags_to_add" ? in.add : in.remove) = TagRefs(*list, key);
    }
    return in;
  }

  std::optional<std::int64_t> RequiredId(bool patch) {
    if (!patch) return std::nullopt;
    std::optional<std::int64_t> id = Int("id");
    if (!id && Find("id") == nullptr) {
      errors_.push_back({"id", "Required", "id is required"});
    } else if (id && *id <= 0) {
      errors_.push_back({"id", "InvalidValue", "id must be a positive integer"});
    }
    return id;
  }

  void Add(std::string path, std::string code, std::string detail) {
    reader_.Add(std::move(path), std::move(code), std::move(detail));
  }

 private:
  std::nullopt_t Fail(std::string_view path, std::string_view what) {
    errors_.push_back(
        {std::string(path), "InvalidType", std::string(path) + " " + std::string(what)});
    return std::nullopt;
  }

  BodyReader reader_;
  const json& item_;
  std::vector<FieldError>& errors_;
};

}  // namespace

void AppendUnder(const std::string& prefix, std::vector<FieldError>& inner,
                 std::vector<FieldError>& errors) {
  for (FieldError& error : inner) {
    error.path = prefix + error.path;
    errors.push_back(std::move(error));
  }
}

// ---- bodies ----

std::optional<FieldError> CheckText(std::string_view path, std::string_view text, TextKind kind,
                                    std::size_t max_chars) {
  if (base::HasControlCharacter(text, kind == TextKind::kMultiline)) {
    const bool nul = text.find('\0') != std::string_view::npos;
    return FieldError{
        std::string(path), "InvalidCharacter",
        std::string(path) + (nul ? " contains a NUL character" : " contains a control character")};
  }
  if (max_chars > 0 && base::CodePoints(text) > max_chars) {
    return FieldError{
        std::string(path), "TooLong",
        std::string(path) + " is longer than " + std::to_string(max_chars) + " characters"};
  }
  return std::nullopt;
}

std::string RequiredName(const json& item, std::vector<FieldError>& errors) {
  auto name = item.find("name");
  if (name == item.end() || !name->is_string() || name->get<std::string>().empty()) {
    errors.push_back({"name", "Required", "name must be a non-empty string"});
    return "";
  }
  if (auto error = CheckText("name", name->get<std::string>(), TextKind::kLine, kMaxNameChars)) {
    errors.push_back(std::move(*error));
    return "";
  }
  return name->get<std::string>();
}

void RefuseUnknownKeys(const json& item, std::initializer_list<std::string_view> known,
                       std::string_view what, std::vector<FieldError>& errors) {
  for (const auto& [key, value] : item.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      errors.push_back({key, "NotSupported", key + " is not a field of " + std::string(what)});
    }
  }
}

Result<Batch> ReadBatch(const Request& request, std::size_t max_items) {
  GH_ASSIGN_OR_RETURN(json body, ParseJsonBody(request));
  if (!body.is_array()) {
    return Status::InvalidField("body", "InvalidType",
                                "the body must be a JSON array of objects, even for one item");
  }
  Batch batch;
  batch.is_array = body.is_array();
  batch.body = std::make_shared<const json>(std::move(body));
  GH_ASSIGN_OR_RETURN(batch.parts, SplitBatch(*batch.body, max_items));
  return batch;
}

const json* PresentMember(const json& item, std::string_view key) {
  auto it = item.find(std::string(key));
  return it == item.end() || it->is_null() ? nullptr : &*it;
}

Result<Batch> ReadObject(const Request& request) {
  GH_ASSIGN_OR_RETURN(json body, ParseJsonBody(request));
  if (!body.is_object()) {
    return Status::InvalidField("body", "InvalidType", "the body must be a JSON object");
  }
  Batch batch{.body = std::make_shared<const json>(std::move(body))};
  GH_ASSIGN_OR_RETURN(batch.parts, SplitBatch(*batch.body));
  return batch;
}

namespace {

// The tags, contacts and one company of a record that links them (a lead or a customer, `what`
// naming it in OneCompany's error).
template <typename Input>
void ReadTagsAndLinks(Fields& f, Input& in, std::string_view what) {
  in.tags = f.Tags();
  in.contacts = f.Links("contacts");
  in.company = f.OneCompany(what);
}

}  // namespace

service::LeadInput ParseLead(const json& item, bool patch, std::vector<FieldError>& errors) {
  Fields f(item, errors);
  service::LeadInput in{.id = f.RequiredId(patch).value_or(0),
                        .name = f.Name("name"),
                        .price = f.NonNegativeInt("price", "price must be >= 0")};
  in.pipeline_id = f.Int("pipeline_id");
  in.status_id = f.Int("status_id");
  in.responsible_user_id = f.Int("responsible_user_id");
  in.closed_at = f.Int("closed_at");
  in.loss_reason_id = f.Int("loss_reason_id");
  in.custom_fields_json = f.CustomFields();
  ReadTagsAndLinks(f, in, "a lead");
  return in;
}

service::ContactInput ParseContact(const json& item, bool patch, std::vector<FieldError>& errors) {
  Fields f(item, errors);
  service::ContactInput in{.id = f.RequiredId(patch).value_or(0),
                           .name = f.Name("name"),
                           .first_name = f.Name("first_name"),
                           .last_name = f.Name("last_name"),
                           .responsible_user_id = f.Int("responsible_user_id"),
                           .custom_fields_json = f.CustomFields(),
                           .tags = f.Tags()};
  // _embedded.leads is what GET ?with=leads shows (links the leads own): read-only, so a
  // record sent back as read is accepted. A company link asks for something not kept here.
  if (f.EmbeddedArray("companies") != nullptr) {
    f.Add("_embedded.companies", "NotSupported",
          "a contact is linked to companies through its leads (_embedded.companies of a lead)");
  }
  return in;
}

service::CompanyInput ParseCompany(const json& item, bool patch, std::vector<FieldError>& errors) {
  Fields f(item, errors);
  service::CompanyInput in{.id = f.RequiredId(patch).value_or(0),
                           .name = f.Name("name"),
                           .responsible_user_id = f.Int("responsible_user_id"),
                           .custom_fields_json = f.CustomFields(),
                           .tags = f.Tags()};
  // _embedded.leads and _embedded.contacts are what GET ?with=leads,contacts shows (links the
  // leads own): read-only, ignored like Kommo's other read-only fields.
  return in;
}

service::CustomerInput ParseCustomer(const json& item, bool patch,
                                     std::vector<FieldError>& errors) {
  Fields f(item, errors);
  service::CustomerInput in{
      .id = f.RequiredId(patch).value_or(0),
      .name = f.Name("name"),
      .next_price = f.NonNegativeInt("next_price", "next_price must be >= 0"),
      .next_date = f.NonNegativeInt("next_date", "next_date must be a unix time")};
  in.status_id = f.Int("status_id");
  in.periodicity = f.NonNegativeInt("periodicity", "periodicity must be >= 0");
  in.responsible_user_id = f.Int("responsible_user_id");
  in.custom_fields_json = f.CustomFields();
  // ltv, purchases_count and average_check are what Kommo computes from a customer's purchases
  // (transactions), which Gatehouse does not keep: storing a client's figure would return it
  // as if computed, and ignoring it would drop it, so a value is refused (GET never renders
  // them, so nothing read is refused when sent back; null counts as absent).
  for (const char* key : {"ltv", "purchases_count", "average_check"}) {
    if (f.Find(key) != nullptr) {
      f.Add(key, "NotSupported",
            std::string(key) +
                " is computed from purchases, which this server does not keep; it cannot be set");
    }
  }
  ReadTagsAndLinks(f, in, "a customer");
  return in;
}

service::TaskInput ParseTask(const json& item, bool patch, std::vector<FieldError>& errors) {
  Fields f(item, errors);
  service::TaskInput in{.id = f.RequiredId(patch).value_or(0),
                        .text = f.String("text", TextKind::kMultiline),
                        .complete_till = f.Int("complete_till")};
  if (std::optional<std::string> type = f.String("entity_type")) {
    in.entity_type = domain::AttachableDataSetFromName(*type);
    if (!in.entity_type) {
      f.Add("entity_type", "NotSupportedChoice",
            "entity_type must be " + domain::AttachableNames());
    }
  }
  in.entity_id = f.Int("entity_id");
  in.task_type_id = f.Int("task_type_id");
  in.duration = f.Int("duration");
  in.is_completed = f.Bool("is_completed");
  in.responsible_user_id = f.Int("responsible_user_id");
  if (const json* result = f.Find("result")) {
    if (result->is_object()) {
      constexpr std::string_view kResultKeys[] = {"text"};
      std::vector<FieldError> inner;
      CheckBodyFields(*result, {kResultKeys, {}}, inner);
      Fields r(*result, inner);
      std::optional<std::string> text = r.String("text", TextKind::kMultiline);
      if (text) in.result_text = text;
      AppendUnder("result.", inner, errors);
    } else if (!(result->is_array() && result->empty())) {
      f.Add("result", "InvalidType", "result must be an object {\"text\": ...}");
    }
  }
  return in;
}

namespace {

// The keys an incoming lead (a form or a call) may carry (kommo-api-v4.md §12): what the item
// keeps. Anything else is refused by name, since an item answered 200 must not lose what it sent.
constexpr std::string_view kFormTop[] = {"source_uid", "source_name", "pipeline_id", "created_at",
                                         "metadata",   "_embedded",   "request_id"};
constexpr std::string_view kFormEmbedded[] = {"leads", "contacts", "companies"};
constexpr std::string_view kFormLead[] = {"name", "price", "custom_fields_values", "_embedded"};
constexpr std::string_view kFormContact[] = {
    "name", "first_name", "last_name", "custom_fields_values", "responsible_user_id", "_embedded"};
constexpr std::string_view kFormCompany[] = {"name", "custom_fields_values", "responsible_user_id",
                                             "_embedded"};
constexpr std::string_view kFormPeopleEmbedded[] = {"tags"};  // refused below with a reason

// A form's _embedded.<key>: each object read as a new record, its errors under
// "_embedded.<key>.<i>.". The responsible user is not theirs to choose: the lead's takes them.
template <typename Input>
void ParseEmbeddedPeople(Fields& f, std::string_view key, std::span<const std::string_view> keys,
                         Input (*parse)(const json&, bool, std::vector<FieldError>&),
                         std::vector<Input>& out, std::vector<FieldError>& errors) {
  const json* items = f.EmbeddedArray(key);
  if (items == nullptr) return;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string prefix = "_embedded." + std::string(key) + "." + std::to_string(i);
    const json& item = (*items)[i];
    if (!item.is_object()) {
      f.Add(prefix, "InvalidType", "each item must be an object");
      continue;
    }
    std::vector<FieldError> inner;
    CheckBodyFields(item, {keys, kFormPeopleEmbedded}, inner);
    Input input = parse(item, false, inner);
    AppendUnder(prefix + ".", inner, errors);
    if (!input.tags.empty()) {
      f.Add(prefix + "._embedded.tags", "NotSupported",
            "the records of an incoming lead are created without tags");
    }
    if (input.responsible_user_id) {
      f.Add(prefix + ".responsible_user_id", "NotSupported",
            "the records of an incoming lead go to the responsible user of the lead it becomes");
    }
    out.push_back(std::move(input));
  }
}

// A form's _embedded.leads: the one lead it proposes, of which the item keeps the name and price.
void ParseProposedLead(Fields& f, const json& leads, service::IncomingInput& in,
                       std::vector<FieldError>& errors) {
  if (leads.size() > 1) f.Add("_embedded.leads", "TooMany", "an incoming lead proposes one lead");
  const json& lead = leads.front();
  if (!lead.is_object()) {
    f.Add("_embedded.leads.0", "InvalidType", "each item must be an object");
    return;
  }
  std::vector<FieldError> inner;
  CheckBodyFields(lead, {kFormLead, {}}, inner);
  for (const char* kept_later : {"custom_fields_values", "_embedded"}) {
    if (lead.contains(kept_later)) {
      inner.push_back({kept_later, "NotSupported",
                       "an incoming lead keeps the proposed lead's name and price; set its " +
                           std::string(kept_later) + " once it is accepted"});
    }
  }
  Fields l(lead, inner);
  in.lead_name = l.Name("name").value_or("");
  in.lead_price = l.Int("price").value_or(0);
  if (in.lead_price < 0 || in.lead_price > storage::kMaxAmount) {
    l.Add("price", "InvalidValue",
          "price must be between 0 and " + std::to_string(storage::kMaxAmount));
  }
  AppendUnder("_embedded.leads.0.", inner, errors);
}

}  // namespace

service::IncomingInput ParseIncomingItem(const json& item, std::vector<FieldError>& errors) {
  CheckBodyFields(item, {kFormTop, kFormEmbedded}, errors);
  Fields f(item, errors);
  const std::size_t errors_before = errors.size();
  service::IncomingInput in{
      .source_uid = f.String("source_uid", TextKind::kLine, kMaxNameChars).value_or("")};
  const bool source_uid_refused = errors.size() > errors_before;
  in.source_name = f.Name("source_name").value_or("");
  in.pipeline_id = f.Int("pipeline_id").value_or(0);
  if (std::optional<std::int64_t> created_at = f.Int("created_at"); created_at && *created_at) {
    if (*created_at < 0 || *created_at > kMaxTimestamp) {
      f.Add("created_at", "InvalidValue",
            "created_at must be a unix time between 0 and " + std::to_string(kMaxTimestamp));
    } else {
      in.created_at = *created_at;
    }
  }
  if (const json* leads = f.EmbeddedArray("leads")) ParseProposedLead(f, *leads, in, errors);
  ParseEmbeddedPeople(f, "contacts", kFormContact, &ParseContact, in.contacts, errors);
  ParseEmbeddedPeople(f, "companies", kFormCompany, &ParseCompany, in.companies, errors);
  if (in.companies.size() > 1) {
    f.Add("_embedded.companies", "TooMany", "an incoming lead has at most one company");
  }
  if (in.source_uid.empty() && !source_uid_refused) {
    f.Add("source_uid", "Required", "source_uid is required");
  }
  return in;
}

service::IncomingInput ParseIncomingForm(const json& item, std::vector<FieldError>& errors) {
  service::IncomingInput in = ParseIncomingItem(item, errors);
  if (const json* metadata = PresentMember(item, "metadata")) {
    if (metadata->is_object()) {
      in.metadata_json = metadata->dump(-1, ' ', false, json::error_handler_t::replace);
    } else {
      errors.push_back({"metadata", "InvalidType", "metadata must be an object"});
    }
  }
  return in;
}

// ---- which fields a write may carry, timestamps ----

void CheckBodyFields(const json& item, const BodyFields& fields, std::vector<FieldError>& errors) {
  if (!item.is_object()) return;
  auto known = [](std::span<const std::string_view> names, const std::string& key) {
    return std::find(names.begin(), names.end(), key) != names.end();
  };
  for (const auto& [key, value] : item.items()) {
    if (!known(fields.top, key)) {
      // A member named "" still gets a path that says which one it is.
      const std::string path = key.empty() ? "\"\"" : key;
      errors.push_back({path, "NotSupported", path + " is not a field this server stores"});
      continue;
    }
    if (key != "_embedded" || value.is_null()) continue;
    if (!value.is_object()) {
      errors.push_back({"_embedded", "InvalidType", "_embedded must be an object"});
      continue;
    }
    for (const auto& [inner, unused] : value.items()) {
      if (known(fields.embedded, inner)) continue;
      const std::string path = "_embedded." + (inner.empty() ? std::string("\"\"") : inner);
      errors.push_back({path, "NotSupported", path + " is not something this server stores"});
    }
  }
}

service::Stamps ParseStamps(const json& item, std::vector<FieldError>& errors) {
  Fields f(item, errors);
  service::Stamps out;
  for (const char* key : {"created_at", "updated_at"}) {
    const std::size_t before = errors.size();
    std::optional<std::int64_t> at = f.Int(key);
    if (errors.size() > before || !at || *at == 0) continue;  // 0: not set, as null
    if (*at < 0 || *at > kMaxTimestamp) {
      f.Add(
          key, "InvalidValue",
          std::string(key) + " must be a unix time between 0 and " + std::to_string(kMaxTimestamp));
      continue;
    }
    (std::string_view(key) == "created_at" ? out.created_at : out.updated_at) = *at;
  }
  // Who: a user id of the account (the store checks it), or 0, Kommo's robot/API.
  for (const char* key : {"created_by", "updated_by"}) {
    const std::size_t before = errors.size();
    std::optional<std::int64_t> user = f.Int(key);
    if (errors.size() > before || !user) continue;
    if (*user < 0) {
      f.Add(key, "InvalidValue", std::string(key) + " must be a user id, or 0 for the API");
      continue;
    }
    (std::string_view(key) == "created_by" ? out.created_by : out.updated_by) = *user;
  }
  return out;
}

}  // namespace gatehouse::http::api::records
