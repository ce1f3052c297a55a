// NoteService (notes.h): the note types' params, and the use cases over the record's rights.
#include "service/records/notes.h"

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "service/json_text.h"
#include "service/records/noted_records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::Action;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

enum class ParamKind : std::uint8_t {
  kLine,        // one line of text, at most 255 characters
  kText,        // text, tabs and line breaks allowed, at most kMaxTextChars characters
  kUrl,         // an http:// or https:// URL, at most 2048 characters
  kSeconds,     // an integer >= 0
  kCallStatus,  // an integer 1..7 (Kommo's call statuses)
};

constexpr std::size_t kMaxTextChars = 65535;

struct ParamSpec {
  std::string_view key;
  ParamKind kind;
  bool required;
};

struct NoteTypeSpec {
  std::string_view type;
  std::vector<ParamSpec> params;
  std::string_view added_event;
};

const std::vector<NoteTypeSpec>& Specs() {
  static const std::vector<NoteTypeSpec> specs = [] {
    const std::vector<ParamSpec> call = {
        {"uniq", ParamKind::kLine, true},        {"duration", ParamKind::kSeconds, true},
        {"source", ParamKind::kLine, true},      {"phone", ParamKind::kLine, true},
        {"link", ParamKind::kUrl, false},        {"call_status", ParamKind::kCallStatus, false},
        {"call_result", ParamKind::kLine, false}};
    const std::vector<ParamSpec> service = {{"service", ParamKind::kLine, true},
                                            {"text", ParamKind::kText, true}};
    const std::vector<ParamSpec> sms = {{"text", ParamKind::kText, true},
                                        {"phone", ParamKind::kLine, true}};
    return std::vector<NoteTypeSpec>{
        {"common", {{"text", ParamKind::kText, true}}, "common_note_added"},
        {"call_in", call, "note_added"},
        {"call_out", call, "note_added"},
        {"service_message", service, "service_note_added"},
        {"geolocation",
         {{"text", ParamKind::kText, true},
          {"address", ParamKind::kLine, true},
          {"longitude", ParamKind::kLine, true},
          {"latitude", ParamKind::kLine, true}},
         "geo_note_added"},
        {"sms_in", sms, "note_added"},
        {"sms_out", sms, "note_added"},
        {"extended_service_message", service, "service_note_added"},
    };
  }();
  return specs;
}

const NoteTypeSpec* FindSpec(std::string_view type) {
  for (const NoteTypeSpec& spec : Specs()) {
    if (spec.type == type) return &spec;
  }
  return nullptr;
}

Status UnsupportedType(std::string_view type) {
  if (type == "attachment") {
    return Status::InvalidField("note_type", "NotSupported",
                                "attachment notes name files in Kommo's file storage, which "
                                "Gatehouse does not keep");
  }
  std::string names;
  for (const NoteTypeSpec& spec : Specs()) {
    names += (names.empty() ? "" : ", ") + std::string(spec.type);
  }
  return Status::InvalidField(
      "note_type", "NotSupportedChoice",
      "note_type '" + std::string(type) + "' is not stored here; one of " + names);
}

// A text value's characters: no control characters but tab and line breaks (kText), none at
// all (kLine); at most `max` code points.
std::optional<std::string> TextProblem(std::string_view text, bool multiline, std::size_t max) {
  if (base::HasControlCharacter(text, multiline)) return "contains a control character";
  if (base::CodePoints(text) > max) return "is longer than " + std::to_string(max) + " characters";
  return std::nullopt;
}

// `value` checked against `spec`; the problem found, or nullopt.
std::optional<std::string> ValueProblem(const ParamSpec& spec, const json& value) {
  switch (spec.kind) {
    case ParamKind::kLine:
    case ParamKind::kText:
    case ParamKind::kUrl: {
      if (!value.is_string()) return "must be a string";
      const std::string text = value.get<std::string>();
      if (spec.required && text.empty()) return "must not be empty";
      if (spec.kind == ParamKind::kUrl) {
        if (auto problem = TextProblem(text, false, 2048)) return problem;
        if (text.rfind("http://", 0) != 0 && text.rfind("https://", 0) != 0) {
          return "must be an http:// or https:// URL";
        }
        return std::nullopt;
      }
      return TextProblem(text, spec.kind == ParamKind::kText,
                         spec.kind == ParamKind::kText ? kMaxTextChars : 255);
    }
    case ParamKind::kSeconds:
    case ParamKind::kCallStatus: {
      if (!value.is_number_integer()) return "must be an integer";
      if (value.is_number_unsigned() && value.get<std::uint64_t>() > 1'000'000'000ULL) {
        return "is out of range";
      }
      const std::int64_t n = value.get<std::int64_t>();
      if (spec.kind == ParamKind::kSeconds && (n < 0 || n > 1'000'000'000)) {
        return "must be a number of seconds >= 0";
      }
      if (spec.kind == ParamKind::kCallStatus && (n < 1 || n > 7)) {
        return "must be one of Kommo's call statuses 1..7";
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Result<std::string> Canonical(const NoteTypeSpec& spec, const json& params) {
  if (!params.is_object()) {
    return Status::InvalidField("params", "InvalidType", "params must be an object");
  }
  std::vector<base::FieldError> errors;
  json out = json::object();
  for (auto it = params.begin(); it != params.end(); ++it) {
    const ParamSpec* param = nullptr;
    for (const ParamSpec& p : spec.params) {
      if (p.key == it.key()) param = &p;
    }
    const std::string path = "params." + it.key();
    if (param == nullptr) {
      errors.push_back({path, "UnknownField",
                        path + " is not a parameter of " + std::string(spec.type) + " notes"});
      continue;
    }
    if (it.value().is_null()) continue;  // absent
    if (auto problem = ValueProblem(*param, it.value())) {
      errors.push_back({path, "InvalidValue", path + " " + *problem});
      continue;
    }
    out[it.key()] = it.value();
  }
  for (const ParamSpec& p : spec.params) {
    const std::string path = "params." + std::string(p.key);
    bool reported = false;
    for (const base::FieldError& e : errors) reported = reported || e.path == path;
    if (p.required && !out.contains(p.key) && !reported) {
      errors.push_back(
          {path, "Required", path + " is required for " + std::string(spec.type) + " notes"});
    }
  }
  if (!errors.empty()) {
    std::string detail = errors.front().detail;
    return Status::Invalid(std::move(detail), std::move(errors));
  }
  return Dump(out);
}

std::string NoteValue(RecordId id) { return json::array({{{"note", {{"id", id}}}}}).dump(); }

// A failed read of a note or of the record it is on, as the note's API tells it: a record the
// caller cannot see hides its notes, so either one missing is "note not found".
Status AsNoteNotFound(const Status& status, std::int64_t id) {
  return base::NotFoundAs(status, Status::NotFound("note", id));
}

// An update's new type and parameters on `note`: a new type takes new parameters whole, the same
// type merges the parameters sent over the stored ones.
Status ApplyNoteContent(const NoteInput& in, storage::Note& note) {
  if (in.note_type && *in.note_type != note.note_type) {
    if (FindSpec(*in.note_type) == nullptr) return UnsupportedType(*in.note_type);
    if (!in.params_json) {
      return Status::InvalidField("params", "Required",
                                  "params is required when note_type changes");
    }
    GH_ASSIGN_OR_RETURN(note.params_json, ValidateNoteParams(*in.note_type, *in.params_json));
    note.note_type = *in.note_type;
    return Status::Ok();
  }
  if (!in.params_json) return Status::Ok();
  json merged = json::parse(note.params_json, nullptr, false);
  if (!merged.is_object()) merged = json::object();
  json patch = json::parse(*in.params_json, nullptr, false);
  if (!patch.is_object()) {
    return Status::InvalidField("params", "InvalidType", "params must be an object");
  }
  for (auto it = patch.begin(); it != patch.end(); ++it) merged[it.key()] = it.value();
  GH_ASSIGN_OR_RETURN(note.params_json, ValidateNoteParams(note.note_type, Dump(merged)));
  return Status::Ok();
}

}  // namespace

std::span<const std::string_view> NoteTypes() {
  static const std::vector<std::string_view> types = [] {
    std::vector<std::string_view> out;
    for (const NoteTypeSpec& spec : Specs()) out.push_back(spec.type);
    return out;
  }();
  return types;
}

Result<std::string> ValidateNoteParams(std::string_view note_type, std::string_view params_json) {
  const NoteTypeSpec* spec = FindSpec(note_type);
  if (spec == nullptr) return UnsupportedType(note_type);
  json params = json::parse(params_json, nullptr, false);
  if (params.is_discarded()) {
    return Status::InvalidField("params", "InvalidType", "params must be an object");
  }
  return Canonical(*spec, params);
}

Result<storage::Note> WriteNewNote(storage::AccountWriter& w, const Caller& caller,
                                   std::int64_t now, const storage::Note& note) {
  const NoteTypeSpec* spec = FindSpec(note.note_type);
  const std::optional<NotedKind> kind = NotedKindOf(note.entity_type);
  if (spec == nullptr || !kind) {
    return Status::Internal("a " + note.note_type + " note cannot be written on " +
                            std::string(domain::DataSetName(note.entity_type)));
  }
  GH_ASSIGN_OR_RETURN(storage::Note created, w.CreateNote(note));
  GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                 {std::string(spec->added_event), std::string(kind->name),
                                  created.entity_id, "[]", NoteValue(created.id)}));
  return created;
}

Result<ListPage<NoteView>> NoteService::List(const Caller& caller, domain::DataSet data_set,
                                             const NoteFilter& filter,
                                             std::optional<RecordId> record) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  GH_ASSIGN_OR_RETURN(NotedKind kind, RequireNotedKind(data_set, "notes"));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  storage::NoteQuery query{
      .entity_type = kind.data_set,
      .permission = caller.policy->CompileFilter(caller.user_id, kind.data_set, Action::kView)};
  if (record) {
    GH_RETURN_IF_ERROR(LoadVisibleRef(caller, reader, kind, *record).status());
    query.entity_ids = {*record};
  }
  if (!record) query.entity_ids = filter.entity_ids;
  query.ids = filter.ids;
  query.note_types = filter.note_types;
  query.updated_at = filter.updated_at;
  query.order_field = filter.order_field;
  query.order_direction = filter.order_direction;
  query.limit = filter.limit;
  query.page = filter.page;
  GH_ASSIGN_OR_RETURN(storage::Page<storage::Note> page, reader.ListVisibleNotes(query));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  ListPage<NoteView> out{.has_next = page.next.has_value()};
  for (storage::Note& note : page.items) {
    NoteView view;
    view.group_id = groups.Of(note.responsible_user_id);
    view.note = std::move(note);
    out.items.push_back(std::move(view));
  }
  return out;
}

Result<NoteView> NoteService::Get(const Caller& caller, domain::DataSet data_set, RecordId id,
                                  std::optional<RecordId> record) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  GH_ASSIGN_OR_RETURN(NotedKind kind, RequireNotedKind(data_set, "notes"));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  if (record) GH_RETURN_IF_ERROR(LoadVisibleRef(caller, reader, kind, *record).status());
  Result<storage::Note> note = reader.GetNote(kind.data_set, id);
  if (!note.ok()) return AsNoteNotFound(note.status(), id);
  if (record && note->entity_id != *record) return Status::NotFound("note", id);
  Result<domain::RecordRef> ref = LoadVisibleRef(caller, reader, kind, note->entity_id);
  if (!ref.ok()) return AsNoteNotFound(ref.status(), id);
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  NoteView view;
  view.group_id = groups.Of(note->responsible_user_id);
  view.note = std::move(note).value();
  return view;
}

namespace {

// A batch of note writes to records of `data_set`, each item written by `write` (AddNote,
// UpdateNote), all in one transaction.
template <typename Write>
Result<std::vector<NoteWritten>> WriteNotes(storage::Store& store, const base::Clock& clock,
                                            const Caller& caller, domain::DataSet data_set,
                                            std::span<const NoteInput> items, FailedItem failed,
                                            Write write) {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  GH_ASSIGN_OR_RETURN(NotedKind kind, RequireNotedKind(data_set, "notes"));
  const std::int64_t now = clock.NowSeconds();
  return WriteBatch<NoteWritten>(
      store, caller.account_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<NoteWritten> {
        return write(w, caller, kind, now, items[i]);
      });
}

Result<NoteWritten> AddNote(storage::AccountWriter& w, const Caller& caller, const NotedKind& kind,
                            std::int64_t now, const NoteInput& in) {
  if (!in.entity_id || *in.entity_id <= 0) {
    return Status::InvalidField("entity_id", "Required", "entity_id is required");
  }
  if (!in.note_type) {
    return Status::InvalidField("note_type", "Required", "note_type is required");
  }
  if (FindSpec(*in.note_type) == nullptr) return UnsupportedType(*in.note_type);
  if (!in.params_json) {
    return Status::InvalidField("params", "Required",
                                "params is required for " + *in.note_type + " notes");
  }
  GH_ASSIGN_OR_RETURN(std::string params, ValidateNoteParams(*in.note_type, *in.params_json));
  GH_ASSIGN_OR_RETURN(domain::RecordRef ref, LoadVisibleRef(caller, w, kind, *in.entity_id));
  GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, ref));
  const storage::Note note{.entity_type = kind.data_set,
                           .entity_id = *in.entity_id,
                           .note_type = *in.note_type,
                           .params_json = std::move(params),
                           .responsible_user_id = in.responsible_user_id.value_or(caller.user_id),
                           .created_by = caller.user_id,
                           .updated_by = caller.user_id,
                           .created_at = now,
                           .updated_at = now};
  GH_ASSIGN_OR_RETURN(storage::Note created, WriteNewNote(w, caller, now, note));
  return NoteWritten{created.id, created.entity_id, created.updated_at};
}

Result<NoteWritten> UpdateNote(storage::AccountWriter& w, const Caller& caller,
                               const NotedKind& kind, std::int64_t now, const NoteInput& in) {
  Result<storage::Note> stored = w.GetNote(kind.data_set, in.id);
  if (!stored.ok()) return AsNoteNotFound(stored.status(), in.id);
  storage::Note note = std::move(stored).value();
  Result<domain::RecordRef> ref = LoadVisibleRef(caller, w, kind, note.entity_id);
  if (!ref.ok()) return AsNoteNotFound(ref.status(), in.id);
  GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, *ref));
  if (in.entity_id && *in.entity_id != note.entity_id) {
    return Status::InvalidField("entity_id", "Invalid", "a note cannot move to another record");
  }
  GH_RETURN_IF_ERROR(ApplyNoteContent(in, note));
  if (in.responsible_user_id) note.responsible_user_id = *in.responsible_user_id;
  note.updated_by = caller.user_id;
  note.updated_at = now;
  GH_RETURN_IF_ERROR(w.UpdateNote(note));
  GH_RETURN_IF_ERROR(RecordEvent(
      w, caller, now,
      {"note_updated", std::string(kind.name), note.entity_id, "[]", NoteValue(note.id)}));
  return NoteWritten{note.id, note.entity_id, note.updated_at};
}

}  // namespace

Result<std::vector<NoteWritten>> NoteService::Add(const Caller& caller, domain::DataSet data_set,
                                                  std::span<const NoteInput> items,
                                                  FailedItem failed) const {
  return WriteNotes(store_, clock_, caller, data_set, items, failed, AddNote);
}

Result<std::vector<NoteWritten>> NoteService::Update(const Caller& caller, domain::DataSet data_set,
                                                     std::span<const NoteInput> items,
                                                     FailedItem failed) const {
  return WriteNotes(store_, clock_, caller, data_set, items, failed, UpdateNote);
}

}  // namespace gatehouse::service
