// Notes of leads, contacts, companies and customers (Kommo's /api/v4/{entity}/notes).
//
// Rights (SPEC §2: "a note is visible and editable exactly when its record is"): a note has no
// rights of its own.
//   - Lists run through the caller's view filter of the record's data set inside the SQL query
//     (AccountReader::ListVisibleNotes): one statement per page, never filtered afterwards.
//   - A note whose record the caller may not view does not exist for them: kNotFound "note <id>
//     not found", as for a missing note; the notes of such a record are kNotFound "<kind> <id>
//     not found".
//   - Adding or editing a note needs view (else kNotFound) and edit (else kPermissionDenied
//     naming the right) on its record: writing a note changes what the record shows.
//   - A batch runs in one transaction; one refused or invalid item changes nothing.
//   - Every write appends its activity-log event on the record in the same transaction:
//     common_note_added, service_note_added, geo_note_added (Kommo's), call and SMS notes
//     note_added, every edit note_updated; value_after [{"note": {"id": N}}].
//
// Note types (Kommo's, developers.kommo.com "Notes types") and their params, all validated:
// a type, a param or a value Gatehouse cannot store faithfully is kInvalidArgument naming it
// ("note_type", "params.duration", "params.foo"); nothing is dropped.
//   common                    text
//   call_in, call_out         uniq, duration (seconds >= 0), source, phone; link (http(s) URL),
//                             call_status (1..7), call_result optional
//   service_message,
//   extended_service_message  service, text
//   sms_in, sms_out           text, phone
//   geolocation               text, address, longitude, latitude
// attachment notes name files in Kommo's file storage, which Gatehouse does not keep: refused.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "domain/rights.h"
#include "service/caller.h"
#include "service/records/records.h"
#include "storage/query.h"
#include "storage/record_rows.h"
#include "storage/store.h"

namespace gatehouse::service {

// A POST or PATCH item. Unset optionals: defaults on POST (responsible: the caller), the stored
// value on PATCH. `id` is for PATCH only.
struct NoteInput {
  RecordId id = 0;
  std::optional<RecordId> entity_id{};  // POST: required (body or path); PATCH: must not change
  std::optional<std::string> note_type{};
  // The params object as sent (JSON text). PATCH: merged key by key into the stored params (a
  // null value removes an optional key) unless note_type changes, when it replaces them.
  std::optional<std::string> params_json{};
  std::optional<UserId> responsible_user_id{};
};

// A note as a response shows it: with its responsible user's group (Kommo's group_id).
struct NoteView {
  storage::Note note{};
  GroupId group_id = 0;
};

// What a list asks for besides the rights (Kommo's filter[id], filter[entity_id],
// filter[note_type], filter[updated_at], order, page, limit).
struct NoteFilter {
  std::vector<RecordId> ids{};
  std::vector<RecordId> entity_ids{};  // filter[entity_id] of a kind's list
  std::vector<std::string> note_types{};
  storage::Range updated_at{};
  storage::OrderField order_field = storage::OrderField::kId;
  storage::OrderDirection order_direction = storage::OrderDirection::kAsc;
  int limit = 50;
  int page = 1;
};

struct NoteWritten {
  RecordId id = 0;
  RecordId entity_id = 0;
  std::int64_t updated_at = 0;
};

// The note types Gatehouse stores, in Kommo's order.
std::span<const std::string_view> NoteTypes();

// The canonical params of a note of `note_type` (a JSON object as text), or kInvalidArgument
// naming the offending field ("note_type", "params", "params.<key>").
base::Result<std::string> ValidateNoteParams(std::string_view note_type,
                                             std::string_view params_json);

// Creates `note` (of a lead, contact or company; its params valid for its type) through `w`,
// with CreateNote's checks (its record exists, its responsible user is active), and logs its
// added event on the record in the same transaction, as NoteService::Add does (note_added for a
// call). No rights are checked: the caller has checked them.
base::Result<storage::Note> WriteNewNote(storage::AccountWriter& w, const Caller& caller,
                                         std::int64_t now, const storage::Note& note);

class NoteService {
 public:
  NoteService(storage::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  // `data_set` is an attachable kind (kInvalidArgument otherwise). With
  // `record`, only that record's notes, and kNotFound when the caller may not view it.
  base::Result<ListPage<NoteView>> List(const Caller& caller, domain::DataSet data_set,
                                        const NoteFilter& filter,
                                        std::optional<RecordId> record = std::nullopt) const;
  // One note; kNotFound unless it is a note of `data_set` (and of `record`, when given)
  // whose record the caller may view.
  base::Result<NoteView> Get(const Caller& caller, domain::DataSet data_set, RecordId id,
                             std::optional<RecordId> record = std::nullopt) const;
  base::Result<std::vector<NoteWritten>> Add(const Caller& caller, domain::DataSet data_set,
                                             std::span<const NoteInput> items,
                                             FailedItem failed = nullptr) const;
  base::Result<std::vector<NoteWritten>> Update(const Caller& caller, domain::DataSet data_set,
                                                std::span<const NoteInput> items,
                                                FailedItem failed = nullptr) const;

 private:
  storage::Store& store_;
  const base::Clock& clock_;
};

}  // namespace gatehouse::service
