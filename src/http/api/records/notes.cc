// Notes and links of leads, contacts, companies and customers (kommo-api-v4.md §13-§15 pointers;
// Kommo's "Events and Notes" and "Links between entities"). The services decide every right
// (service/records/notes.h, service/records/links.h); this file parses and renders. Per
// attachable kind <e> (domain::kAttachableDataSets):
//   GET|POST|PATCH /api/v4/<e>/notes              GET /api/v4/<e>/notes/{id}
//   GET|POST|PATCH /api/v4/<e>/{entity_id}/notes  GET|PATCH /api/v4/<e>/{entity_id}/notes/{id}
//   GET /api/v4/<e>/{id}/links
// and per kind linked pair by pair (domain::kPairLinkedDataSets; a customer's links are written
// through its _embedded):
//   POST /api/v4/<e>/link, /api/v4/<e>/unlink (items name entity_id)
//   POST /api/v4/<e>/{id}/link, /api/v4/<e>/{id}/unlink (the path names it)
// Bodies are checked key by key: a field Gatehouse does not store is a 400 naming it, never
// accepted and dropped; on PATCH the read-only fields a GET shows are ignored (§16.8).
#include "service/records/notes.h"

#include <nlohmann/json.hpp>

#include "domain/rights.h"
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/records/record_json.h"
#include "http/json.h"
#include "service/records/links.h"

namespace gatehouse::http::api::records {

using base::FieldError;
using base::Result;
using base::Status;
using nlohmann::json;

namespace {

using NoteServicePtr = std::shared_ptr<const service::NoteService>;
using LinkServicePtr = std::shared_ptr<const service::LinkService>;

std::string NotePath(const storage::Note& note) {
  return "/api/v4/" + std::string(domain::DataSetName(note.entity_type)) + "/" +
         std::to_string(note.entity_id) + "/notes/" + std::to_string(note.id);
}

json NoteJson(const Request& r, const service::NoteView& view, domain::AccountId account_id) {
  const storage::Note& n = view.note;
  json params = json::parse(n.params_json, nullptr, false);
  if (!params.is_object()) params = json::object();
  return {{"id", n.id},
          {"entity_id", n.entity_id},
          {"created_by", n.created_by},
          {"updated_by", n.updated_by},
          {"created_at", n.created_at},
          {"updated_at", n.updated_at},
          {"responsible_user_id", n.responsible_user_id},
          {"group_id", view.group_id},
          {"note_type", n.note_type},
          {"params", std::move(params)},
          {"account_id", account_id},
          {"_links", SelfLinks(r, NotePath(n))}};
}

// An integer of a body object: a field error when present but not an integer.
std::optional<std::int64_t> IntField(const json& item, std::string_view key,
                                     std::vector<FieldError>& errors) {
  const json* it = PresentMember(item, key);
  if (it == nullptr) return std::nullopt;
  if (it->is_number_integer() &&
      !(it->is_number_unsigned() && it->get<std::uint64_t>() > (std::uint64_t{1} << 62))) {
    return it->get<std::int64_t>();
  }
  errors.push_back({std::string(key), "InvalidType", std::string(key) + " must be an integer"});
  return std::nullopt;
}

// Keys of a note item: writable, read-only (ignored on PATCH, refused on POST: a new note's
// author and times are the caller's and the server's), or unknown (refused).
void CheckNoteKeys(const json& item, bool patch, std::vector<FieldError>& errors) {
  static const std::vector<std::string_view> kWritable = {"id",
                                                          "entity_id",
                                                          "note_type",
                                                          "params",
                                                          "responsible_user_id",
                                                          "request_id",
                                                          "is_needs_to_trigger_digital_pipeline"};
  static const std::vector<std::string_view> kReadOnly = {
      "created_by", "updated_by", "created_at", "updated_at", "group_id", "account_id", "_links"};
  for (auto it = item.begin(); it != item.end(); ++it) {
    const std::string& key = it.key();
    if (std::find(kWritable.begin(), kWritable.end(), key) != kWritable.end()) continue;
    const bool read_only = std::find(kReadOnly.begin(), kReadOnly.end(), key) != kReadOnly.end();
    if (read_only && patch) continue;
    errors.push_back({key, read_only ? "ReadOnly" : "UnknownField",
                      key + (read_only ? " is set by the server" : " is not a field of a note")});
  }
}

service::NoteInput ParseNote(const json& item, bool patch, std::vector<FieldError>& errors) {
  service::NoteInput in;
  CheckNoteKeys(item, patch, errors);
  if (patch) {
    std::optional<std::int64_t> id = IntField(item, "id", errors);
    if (!id && item.find("id") == item.end()) {
      errors.push_back({"id", "Required", "id is required"});
    } else if (id && *id <= 0) {
      errors.push_back({"id", "InvalidValue", "id must be a positive integer"});
    }
    in.id = id.value_or(0);
  } else if (item.contains("id")) {
    errors.push_back({"id", "ReadOnly", "id is set by the server"});
  }
  in.entity_id = IntField(item, "entity_id", errors);
  in.responsible_user_id = IntField(item, "responsible_user_id", errors);
  if (const json* it = PresentMember(item, "note_type")) {
    if (it->is_string()) {
      in.note_type = it->get<std::string>();
    } else {
      errors.push_back({"note_type", "InvalidType", "note_type must be a string"});
    }
  }
  if (const json* it = PresentMember(item, "params")) {
    if (it->is_object()) {
      in.params_json = it->dump(-1, ' ', false, json::error_handler_t::replace);
    } else {
      errors.push_back({"params", "InvalidType", "params must be an object"});
    }
  }
  if (auto it = item.find("is_needs_to_trigger_digital_pipeline"); it != item.end()) {
    if (!it->is_boolean() && !it->is_null()) {
      errors.push_back({"is_needs_to_trigger_digital_pipeline", "InvalidType",
                        "is_needs_to_trigger_digital_pipeline must be true or false"});
    } else if (it->is_boolean() && it->get<bool>()) {
      errors.push_back({"is_needs_to_trigger_digital_pipeline", "NotSupported",
                        "Gatehouse has no digital pipeline (Salesbot) to trigger"});
    }
  }
  return in;
}

// A link item: entity_id (unless the path names it), to_entity_id, to_entity_type, metadata
// {main_contact}.
struct LinkParse {
  bool entity_in_path = false;
};

// A link's metadata: {main_contact} (true, false or null), or is_main, the name Kommo's link
// requests use for it (its responses say main_contact); nothing else.
void ParseLinkMetadata(const json& metadata, service::LinkItem& out,
                       std::vector<FieldError>& errors) {
  if (!metadata.is_object()) {
    errors.push_back({"metadata", "InvalidType", "metadata must be an object"});
    return;
  }
  for (auto it = metadata.begin(); it != metadata.end(); ++it) {
    const std::string path = "metadata." + it.key();
    if (it.key() == "main_contact" || it.key() == "is_main") {
      if (it->is_boolean()) {
        if (out.main_contact && *out.main_contact != it->get<bool>()) {
          errors.push_back(
              {path, "InvalidValue", "metadata.is_main and metadata.main_contact disagree"});
        }
        out.main_contact = it->get<bool>();
      } else if (!it->is_null()) {
        errors.push_back({path, "InvalidType", path + " must be true or false"});
      }
    } else {
      errors.push_back(
          {path, "NotSupported",
           path + " is not kept here (main_contact, or is_main, is the only link metadata)"});
    }
  }
}

service::LinkItem ParseLink(const json& item, bool entity_in_path,
                            std::vector<FieldError>& errors) {
  service::LinkItem out;
  for (auto it = item.begin(); it != item.end(); ++it) {
    const std::string& key = it.key();
    if (key == "to_entity_id" || key == "to_entity_type" || key == "metadata" ||
        key == "request_id" || key == "entity_id" || key == "entity_type") {
      continue;
    }
    errors.push_back({key, "UnknownField", key + " is not a field of a link"});
  }
  std::optional<std::int64_t> entity = IntField(item, "entity_id", errors);
  if (!entity_in_path) {
    if (!entity && !item.contains("entity_id")) {
      errors.push_back({"entity_id", "Required", "entity_id is required"});
    }
    out.entity_id = entity.value_or(0);
  } else if (entity) {
    out.entity_id = *entity;  // checked against the path by the caller
  }
  std::optional<std::int64_t> to = IntField(item, "to_entity_id", errors);
  if (!to && !item.contains("to_entity_id")) {
    errors.push_back({"to_entity_id", "Required", "to_entity_id is required"});
  }
  out.to_entity_id = to.value_or(0);
  const json* type = PresentMember(item, "to_entity_type");
  if (type == nullptr) {
    errors.push_back({"to_entity_type", "Required", "to_entity_type is required"});
  } else if (!type->is_string()) {
    errors.push_back({"to_entity_type", "InvalidType", "to_entity_type must be a string"});
  } else {
    out.to_entity_type = type->get<std::string>();
  }
  if (const json* m = PresentMember(item, "metadata")) {
    ParseLinkMetadata(*m, out, errors);
  }
  return out;
}

// One item of a link or unlink body of `data_set` (ParseLink): its entity_type, when sent, must
// be the path's kind, and its entity_id, when sent, the `record` the path names (if any).
service::LinkItem ParseLinkOf(const json& item, domain::DataSet data_set,
                              std::optional<domain::RecordId> record,
                              std::vector<FieldError>& errors) {
  service::LinkItem link = ParseLink(item, record.has_value(), errors);
  if (auto t = item.find("entity_type");
      t != item.end() &&
      !(t->is_string() && domain::DataSetFromName(t->get<std::string>()) == data_set)) {
    errors.push_back({"entity_type", "Invalid", "entity_type differs from the path"});
  }
  if (record) {
    if (link.entity_id != 0 && link.entity_id != *record) {
      errors.push_back({"entity_id", "Invalid", "entity_id differs from the path"});
    }
    link.entity_id = *record;
  }
  return link;
}

json LinkJson(const service::LinkView& link) {
  json metadata = nullptr;
  if (link.main_contact) metadata = {{"main_contact", *link.main_contact}};
  return {{"entity_id", link.entity_id},
          {"entity_type", std::string(domain::DataSetName(link.data_set))},
          {"to_entity_id", link.to_entity_id},
          {"to_entity_type", std::string(domain::DataSetName(link.to_data_set))},
          {"metadata", std::move(metadata)}};
}

// filter[id], filter[entity_id] (kind lists only), filter[note_type], filter[updated_at] (a
// timestamp: updated at or after it; or [from]/[to]), order[id|created_at|updated_at], page,
// limit.
// The record a route nested under one record names in its path (`param`); none on a route that
// is not nested.
Result<std::optional<domain::RecordId>> PathRecord(const Request& r, bool nested,
                                                   std::string_view param) {
  if (!nested) return std::optional<domain::RecordId>();
  GH_ASSIGN_OR_RETURN(std::int64_t id, r.ParamInt(param));
  return std::optional<domain::RecordId>(id);
}

Result<service::NoteFilter> ParseNoteFilter(const Request& r, bool of_record) {
  if (of_record) {
    GH_RETURN_IF_ERROR(r.query.CheckKnownKeys({"page", "limit", "order", "filter"},
                                              {"id", "note_type", "updated_at"}));
  } else {
    GH_RETURN_IF_ERROR(r.query.CheckKnownKeys({"page", "limit", "order", "filter"},
                                              {"id", "entity_id", "note_type", "updated_at"}));
  }
  service::NoteFilter f;
  GH_ASSIGN_OR_RETURN(Paging paging, ParsePaging(r.query));
  f.page = paging.page;
  f.limit = paging.limit;
  GH_ASSIGN_OR_RETURN(f.ids, r.query.GetIntList("filter[id]"));
  if (!of_record) {
    GH_ASSIGN_OR_RETURN(f.entity_ids, r.query.GetIntList("filter[entity_id]"));
  }
  GH_ASSIGN_OR_RETURN(f.note_types, r.query.GetStringList("filter[note_type]"));
  for (const std::string& type : f.note_types) {
    const auto types = service::NoteTypes();
    if (std::find(types.begin(), types.end(), type) == types.end()) {
      return Status::InvalidField("filter[note_type]", "NotSupportedChoice",
                                  "no note is of type '" + type + "' here");
    }
  }
  GH_ASSIGN_OR_RETURN(std::optional<IntRange> updated, r.query.GetRange("filter[updated_at]"));
  if (updated) {
    f.updated_at.from = updated->from;
    f.updated_at.to = updated->to;
    const QueryNode* node = r.query.Find("filter[updated_at]");
    if (node != nullptr && node->is_value()) f.updated_at.to.reset();  // Kommo: "after"
  }
  using storage::OrderField;
  GH_ASSIGN_OR_RETURN(
      std::optional<ListOrder> order,
      ParseOrder(r.query, {OrderField::kId, OrderField::kCreatedAt, OrderField::kUpdatedAt}));
  if (order) {
    f.order_field = order->field;
    f.order_direction = order->direction;
  }
  return f;
}

Response NotesWritten(const Request& r, domain::DataSet entity_type,
                      const std::vector<service::NoteWritten>& written,
                      const std::vector<std::string>& request_ids, bool patch) {
  json items = json::array();
  for (std::size_t i = 0; i < written.size(); ++i) {
    const storage::Note note{
        .id = written[i].id, .entity_type = entity_type, .entity_id = written[i].entity_id};
    json item = {{"id", note.id},
                 {"entity_id", note.entity_id},
                 {"request_id", i < request_ids.size() ? request_ids[i] : std::to_string(i)},
                 {"_links", SelfLinks(r, NotePath(note))}};
    if (patch) item["updated_at"] = written[i].updated_at;
    items.push_back(std::move(item));
  }
  return EmbeddedResponse(r, "notes", std::move(items));
}

// The note routes of `data_set`; the path names the kind, so the handlers pass it on as it is.
void RegisterNotesOf(Router& router, const NoteServicePtr& notes, domain::DataSet data_set) {
  const std::string kind(domain::DataSetName(data_set));
  const std::string collection = "/api/v4/" + kind + "/notes";
  const std::string of_record = "/api/v4/" + kind + "/{entity_id:int}/notes";

  auto list = [notes, data_set](Request& r, bool with_record) -> Response {
    auto in_path = PathRecord(r, with_record, "entity_id");
    if (!in_path.ok()) return ProblemResponse(in_path.status());
    const std::optional<domain::RecordId> record = *in_path;
    auto filter = ParseNoteFilter(r, with_record);
    if (!filter.ok()) return ProblemResponse(filter.status());
    const service::Caller& caller = CallerOf(r);
    auto page = notes->List(caller, data_set, *filter, record);
    if (!page.ok()) return ProblemResponse(page.status());
    return StoredPageResponse(r, "notes", filter->page, *page, [&](const service::NoteView& view) {
      return NoteJson(r, view, caller.account_id);
    });
  };
  auto get = [notes, data_set](Request& r, bool with_record) -> Response {
    auto in_path = PathRecord(r, with_record, "entity_id");
    if (!in_path.ok()) return ProblemResponse(in_path.status());
    const std::optional<domain::RecordId> record = *in_path;
    auto id = r.ParamInt("id");
    if (!id.ok()) return ProblemResponse(id.status());
    Status known = r.query.CheckKnownKeys({});
    if (!known.ok()) return ProblemResponse(known);
    const service::Caller& caller = CallerOf(r);
    auto view = notes->Get(caller, data_set, *id, record);
    if (!view.ok()) return ProblemResponse(view.status());
    return JsonResponse(200, NoteJson(r, *view, caller.account_id));
  };
  // POST and PATCH of a batch; `record` (from the path) fills or must match each entity_id.
  auto write = [notes, data_set, kind](Request& r, bool patch, bool with_record) -> Response {
    auto in_path = PathRecord(r, with_record, "entity_id");
    if (!in_path.ok()) return ProblemResponse(in_path.status());
    const std::optional<domain::RecordId> record = *in_path;
    auto batch = ReadBatch(r);
    if (!batch.ok()) return ProblemResponse(batch.status());
    auto inputs = ParseItems<service::NoteInput>(*batch, patch, &ParseNote);
    if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
    auto& items = std::get<std::vector<service::NoteInput>>(inputs);
    if (record) {
      std::vector<std::vector<FieldError>> errors(items.size());
      bool failed = false;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].entity_id && *items[i].entity_id != *record) {
          errors[i].push_back({"entity_id", "Invalid", "entity_id differs from the path's record"});
          failed = true;
        }
        items[i].entity_id = *record;
      }
      if (failed) return ParseProblem(errors, batch->parts.request_ids, batch->is_array);
    }
    std::size_t failed = 0;
    const service::Caller& caller = CallerOf(r);
    auto written = patch ? notes->Update(caller, data_set, items, &failed)
                         : notes->Add(caller, data_set, items, &failed);
    if (!written.ok()) {
      return BatchProblem(written.status(), failed, batch->parts.request_ids, batch->is_array);
    }
    return NotesWritten(r, data_set, *written, batch->parts.request_ids, patch);
  };

  // The same four routes on the data set's notes and on one record's notes.
  for (const bool of_one : {false, true}) {
    const std::string& path = of_one ? of_record : collection;
    const std::string name = kind + (of_one ? ".record_notes" : ".notes");
    router.Add(Method::kGet, path, [list, of_one](Request& r) { return list(r, of_one); },
               {.name = name + ".list"});
    router.Add(Method::kGet, path + "/{id:int}",
               [get, of_one](Request& r) { return get(r, of_one); }, {.name = name + ".get"});
    router.Add(Method::kPost, path, [write, of_one](Request& r) { return write(r, false, of_one); },
               {.name = name + ".add"});
    router.Add(Method::kPatch, path, [write, of_one](Request& r) { return write(r, true, of_one); },
               {.name = name + ".update"});
  }
  router.Add(Method::kPatch, of_record + "/{id:int}",
             [notes, data_set, kind](Request& r) -> Response {
               auto record = r.ParamInt("entity_id");
               if (!record.ok()) return ProblemResponse(record.status());
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               auto batch = ReadObject(r);
               if (!batch.ok()) return ProblemResponse(batch.status());
               json item = *batch->parts.items.front();
               if (!item.contains("id")) item["id"] = *id;  // the path decides which note
               std::vector<FieldError> errors;
               service::NoteInput in = ParseNote(item, true, errors);
               if (in.id != *id) errors.push_back({"id", "Invalid", "id differs from the path"});
               if (in.entity_id && *in.entity_id != *record) {
                 errors.push_back({"entity_id", "Invalid", "entity_id differs from the path"});
               }
               if (!errors.empty()) return ParseProblem({errors}, batch->parts.request_ids, false);
               in.entity_id = *record;
               auto written = notes->Update(CallerOf(r), data_set, std::span(&in, 1));
               if (!written.ok()) {
                 return BatchProblem(written.status(), 0, batch->parts.request_ids, false);
               }
               const storage::Note note{.id = written->front().id,
                                        .entity_type = data_set,
                                        .entity_id = written->front().entity_id};
               return JsonResponse(200, {{"id", note.id},
                                         {"entity_id", note.entity_id},
                                         {"updated_at", written->front().updated_at},
                                         {"_links", SelfLinks(r, NotePath(note))}});
             },
             {.name = kind + ".record_notes.update_one"});
}

// GET /api/v4/<kind>/{id}/links of `data_set`.
void RegisterLinkListOf(Router& router, const LinkServicePtr& links, domain::DataSet data_set) {
  const std::string kind(domain::DataSetName(data_set));
  router.Add(
      Method::kGet, "/api/v4/" + kind + "/{id:int}/links",
      [links, data_set](Request& r) -> Response {
        auto id = r.ParamInt("id");
        if (!id.ok()) return ProblemResponse(id.status());
        Status known = r.query.CheckKnownKeys({"filter"}, {"to_entity_id", "to_entity_type"});
        if (!known.ok()) return ProblemResponse(known);
        auto to_id = r.query.GetInt("filter[to_entity_id]");
        if (!to_id.ok()) return ProblemResponse(to_id.status());
        auto to_type = r.query.GetString("filter[to_entity_type]");
        if (!to_type.ok()) return ProblemResponse(to_type.status());
        if (to_id->has_value() && !to_type->has_value()) {
          return ProblemResponse(Status::InvalidField("filter[to_entity_type]", "Required",
                                                      "filter[to_entity_id] needs "
                                                      "filter[to_entity_type]"));
        }
        const std::string type = to_type->value_or("");
        std::optional<domain::DataSet> to_data_set;  // none: links to every kind
        if (!type.empty()) {
          to_data_set = domain::AttachableDataSetFromName(type);
          if (!to_data_set) {
            return ProblemResponse(
                Status::InvalidField("filter[to_entity_type]", "NotSupportedChoice",
                                     "links here are to " + domain::AttachableNames()));
          }
        }
        auto found = links->List(CallerOf(r), data_set, *id, to_data_set, to_id->value_or(0));
        if (!found.ok()) return ProblemResponse(found.status());
        if (found->empty()) return Response::NoContent();
        json items = json::array();
        for (const service::LinkView& link : *found) items.push_back(LinkJson(link));
        return EmbeddedResponse(r, "links", std::move(items), /*with_total=*/true);
      },
      {.name = kind + ".links.list"});
}

// The link writes of `data_set`, as RegisterNotesOf.
void RegisterLinkWritesOf(Router& router, const LinkServicePtr& links, domain::DataSet data_set) {
  const std::string kind(domain::DataSetName(data_set));
  auto write = [links, data_set](Request& r, bool unlink, bool with_record) -> Response {
    auto in_path = PathRecord(r, with_record, "id");
    if (!in_path.ok()) return ProblemResponse(in_path.status());
    const std::optional<domain::RecordId> record = *in_path;
    auto parse = [&](const json& item, std::vector<FieldError>& errors) {
      return ParseLinkOf(item, data_set, record, errors);
    };
    if (unlink) {
      return BatchWrite<service::LinkItem>(
          r, parse,
          [&](const std::vector<service::LinkItem>& items, std::size_t* failed) {
            return links->Unlink(CallerOf(r), data_set, items, failed);
          },
          [](const Batch&, const Status&) { return Response::NoContent(); });
    }
    return BatchWrite<service::LinkItem>(
        r, parse,
        [&](const std::vector<service::LinkItem>& items, std::size_t* failed) {
          return links->Link(CallerOf(r), data_set, items, failed);
        },
        [&](const Batch&, const auto& linked) {
          json out = json::array();
          for (const service::LinkView& link : *linked) out.push_back(LinkJson(link));
          return EmbeddedResponse(r, "links", std::move(out));
        });
  };
  // POST /<kind>/link and /unlink (the items name entity_id), /<kind>/{id}/link and /unlink.
  for (bool with_record : {false, true}) {
    for (bool unlink : {false, true}) {
      const std::string action = unlink ? "unlink" : "link";
      router.Add(Method::kPost, "/api/v4/" + kind + (with_record ? "/{id:int}/" : "/") + action,
                 [write, unlink, with_record](Request& r) { return write(r, unlink, with_record); },
                 {.name = kind + (with_record ? ".record_links." : ".links.") + action});
    }
  }
}

}  // namespace

void RegisterNoteAndLinkRoutes(Router& router, ApiContext& context) {
  auto notes = std::make_shared<const service::NoteService>(*context.store, *context.clock);
  auto links = std::make_shared<const service::LinkService>(*context.store, *context.clock);
  for (domain::DataSet data_set : domain::kAttachableDataSets) {
    RegisterNotesOf(router, notes, data_set);
    RegisterLinkListOf(router, links, data_set);
    if (domain::IsPairLinked(data_set)) RegisterLinkWritesOf(router, links, data_set);
  }
}

}  // namespace gatehouse::http::api::records
