// Shared pieces of the record resources (leads, contacts, companies, tasks, unsorted, export):
// query-string parsing into a storage::ListQuery, request-body parsing into service inputs,
// Kommo-shaped rendering, and error responses. Internal to src/http/api/; handlers call these,
// then the RecordService, and make no rights decisions themselves.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "base/status.h"
#include "http/api/api.h"
#include "http/api/body_reader.h"
#include "http/json.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "service/records/records.h"
#include "storage/query.h"
#include "storage/value_ranges.h"

namespace gatehouse::http::api::records {

using Service = std::shared_ptr<const service::RecordService>;

// One registration function per resource file; leads, contacts, companies and tasks are
// registered by one template in records_routes.cc.
void RegisterLeadSummaryRoute(Router& router, const Service& service);
void RegisterUnsortedRoutes(Router& router, const Service& service);
void RegisterCatalogRoutes(Router& router, const Service& service);
void RegisterTalkRoutes(Router& router, const Service& service);
// Notes and links of leads, contacts and companies (notes.cc), with their own services.
void RegisterNoteAndLinkRoutes(Router& router, ApiContext& context);
void RegisterCustomerStatusRoutes(Router& router, const Service& service);
// /api/v4/{leads|contacts|companies}/tags (tags.cc).
void RegisterTagRoutes(Router& router, const Service& service);
// /api/v4/leads/loss_reasons (loss_reasons.cc).
void RegisterLossReasonRoutes(Router& router, const Service& service);
// POST /api/v4/leads/complex (leads_complex.cc).
void RegisterComplexLeadRoute(Router& router, const Service& service);

enum class Resource { kLeads, kContacts, kCompanies, kTasks, kUnsorted, kCustomers };

// What a list (or export) request asks for.
struct ListParams {
  storage::ListQuery query{};  // permission left empty: the service sets it
  service::Embed embed{};
};

// Parses page, limit (1..250), query, order[...], with=..., filter[...] of `resource` (Kommo
// names, kommo-api-v4.md §9-§12). Unknown parameters, unknown filters and filters the store
// cannot apply are refused (kInvalidArgument with one FieldError per offending key). Exports
// (`for_export`) take no page or limit.
base::Result<ListParams> ParseListParams(const Request& request, Resource resource,
                                         bool for_export = false);
// The query of GET /api/v4/leads/unsorted/summary: filter[uid] (one uid or several),
// filter[created_at] (read as the lists read dates) and filter[pipeline_id] (one id or several,
// positive). Any other key and every bad value is kInvalidArgument naming it.
base::Result<storage::ListQuery> ParseUnsortedSummaryQuery(const Request& request);

// Text fields of record bodies. kLine (names, uids) refuses every control character (C0 and
// DEL); kMultiline (task text, results, messages) allows tab, CR and LF among them.
enum class TextKind { kLine, kMultiline };
// Kommo's limit on a record's name, in characters (UTF-8 code points).
inline constexpr std::size_t kMaxNameChars = 255;
// At most this many tags in one _embedded.tags, tags_to_add or tags_to_delete (and one POST
// /{entity}/tags is at most 250 items, like every batch).
inline constexpr std::size_t kMaxTagsPerWrite = 100;
// The field error for `text` at `path`, if it breaks the rules of `kind` or is longer than
// `max_chars` characters (0: no limit); codes "InvalidCharacter" and "TooLong".
std::optional<base::FieldError> CheckText(std::string_view path, std::string_view text,
                                          TextKind kind, std::size_t max_chars);
// The "name" of a catalog-like batch item (tag, loss reason, catalog, element): a non-empty
// line of at most kMaxNameChars characters. Otherwise a field error (Required "name must be a
// non-empty string", or CheckText's) is appended to `errors` and "" returned.
std::string RequiredName(const nlohmann::json& item, std::vector<base::FieldError>& errors);
// The member `key` of a body item, or nullptr when it is absent or null: in the record resources'
// bodies null counts as absent (as BodyReader's kRecordBody dialect).
const nlohmann::json* PresentMember(const nlohmann::json& item, std::string_view key);
// Appends a field error NotSupported "<key> is not a field of <what>" for every member of
// `item` whose key is not in `known`.
void RefuseUnknownKeys(const nlohmann::json& item, std::initializer_list<std::string_view> known,
                       std::string_view what, std::vector<base::FieldError>& errors);

// The request body parsed and split (SplitBatch, body_reader.h); `body` keeps the items alive.
struct Batch {
  std::shared_ptr<const nlohmann::json> body{};
  BatchBody parts{};
  bool is_array = false;  // paths of field errors carry the item index only for arrays
};
// The body of a batch write (POST, PATCH on a collection): a JSON array of objects, as Kommo
// documents for every record resource; a bare object is refused ("body", InvalidType).
// At most `max_items` items (TooMany on "body").
base::Result<Batch> ReadBatch(const Request& request, std::size_t max_items = kMaxBatchItems);
// The body of PATCH /{entity}/{id}: exactly one JSON object.
base::Result<Batch> ReadObject(const Request& request);

// with= of a single-record GET (the only parameter it takes).
base::Result<service::Embed> ParseEmbed(const Request& request, Resource resource);

// Body items to service inputs. Field errors (paths relative to the item, e.g. "price",
// "_embedded.contacts.0.id") are appended to `errors`; read-only fields are ignored and empty
// `_embedded` arrays are not requests to unlink (§16.8). `patch` requires "id".
service::LeadInput ParseLead(const nlohmann::json& item, bool patch,
                             std::vector<base::FieldError>& errors);
service::ContactInput ParseContact(const nlohmann::json& item, bool patch,
                                   std::vector<base::FieldError>& errors);
service::CompanyInput ParseCompany(const nlohmann::json& item, bool patch,
                                   std::vector<base::FieldError>& errors);
service::TaskInput ParseTask(const nlohmann::json& item, bool patch,
                             std::vector<base::FieldError>& errors);
service::CustomerInput ParseCustomer(const nlohmann::json& item, bool patch,
                                     std::vector<base::FieldError>& errors);

// An item of POST /api/v4/leads/unsorted/forms or .../sip (kommo-api-v4.md §12), one shape for
// both: source_uid (required), source_name, pipeline_id, created_at, metadata, request_id and
// _embedded leads (one: name, price), contacts and companies (at most one); any other key, a
// second lead, the lead's custom fields or tags and a contact's or company's
// responsible_user_id or tags are field errors naming them. ParseIncomingItem reads all but
// `metadata` (record_body.cc); the others add their category's:
// - a form's (ParseIncomingForm): any object, kept as sent;
// - a call's (ParseIncomingSip, incoming_body.cc): required, Kommo's SipMetadata fields only
//   (uniq, phone, called_at, duration, service_code required; link, from,
//   is_call_event_needed, call_responsible optional; a phone sent as an integer is its decimal
//   text), each error at "metadata.<key>". The text rules of the note a call may become and
//   call_responsible's user are the service's checks (RecordService::AddIncoming).
service::IncomingInput ParseIncomingItem(const nlohmann::json& item,
                                         std::vector<base::FieldError>& errors);
service::IncomingInput ParseIncomingForm(const nlohmann::json& item,
                                         std::vector<base::FieldError>& errors);
service::IncomingInput ParseIncomingSip(const nlohmann::json& item,
                                        std::vector<base::FieldError>& errors);

// The keys a record write may carry (ApiKind<R>::kBody in records_routes.cc): the fields the
// kind stores, and the read-only ones a client sends back as it read them (what GET renders,
// and Kommo's other read-only fields), at the top level and inside `_embedded`. Any other key is
// a field error NotSupported naming it ("source_id", "_embedded.catalog_elements"): nothing is
// answered 200 and dropped.
struct BodyFields {
  std::span<const std::string_view> top{};
  std::span<const std::string_view> embedded{};  // empty: the kind takes no _embedded
};
void CheckBodyFields(const nlohmann::json& item, const BodyFields& fields,
                     std::vector<base::FieldError>& errors);

// A write item of record kind R (Lead, Contact, Company, Task, Customer) as POST and PATCH on
// /api/v4/<plural> read it: its keys checked against the kind's BodyFields, then parsed with its
// created/updated stamps (record_writes.cc).
template <typename R>
service::Input<R> ParseRecordWrite(const nlohmann::json& item, bool patch,
                                   std::vector<base::FieldError>& errors);

// An item of POST /api/v4/leads/complex (leads_complex.cc): a lead as ParseRecordWrite reads
// one, whose `_embedded.contacts[0]` / `_embedded.companies[0]` is a new record (no id: read as
// POST /<plural> reads one, its errors under "_embedded.<plural>.0.") or an existing one by id,
// linked (its other fields are not applied: a client library sends the record as it loaded it).
// At most one of each ("_embedded.contacts", TooMany); a lead's only contact is its main one
// unless is_main says otherwise; "_embedded.metadata" (Kommo's incoming leads) is refused.
service::ComplexLeadInput ParseComplexLead(const nlohmann::json& item,
                                           std::vector<base::FieldError>& errors);

// Moves `inner` into `errors`, each path prefixed with `prefix` ("_embedded.leads.0.").
void AppendUnder(const std::string& prefix, std::vector<base::FieldError>& inner,
                 std::vector<base::FieldError>& errors);

// created_at / updated_at of a write: integers of unix time in [0, kMaxTimestamp] (null and 0:
// absent); created_by / updated_by: integers >= 0 (0: Kommo's robot/API; whether the user
// exists is the store's check); else field errors InvalidValue.
inline constexpr std::int64_t kMaxTimestamp = storage::kMaxTime;
service::Stamps ParseStamps(const nlohmann::json& item, std::vector<base::FieldError>& errors);

// Renders one record as JSON text (Kommo field names; absolute _links.self), written directly
// rather than through a document tree: these are the API's hottest responses. `embed` says
// which links the response shows (tasks have none).
std::string RecordJson(const Request& request, const service::LeadView& view,
                       domain::AccountId account_id, const service::Embed& embed);
std::string RecordJson(const Request& request, const service::ContactView& view,
                       domain::AccountId account_id, const service::Embed& embed);
std::string RecordJson(const Request& request, const service::CompanyView& view,
                       domain::AccountId account_id, const service::Embed& embed);
std::string RecordJson(const Request& request, const service::TaskView& view,
                       domain::AccountId account_id, const service::Embed& embed);
std::string RecordJson(const Request& request, const service::CustomerView& view,
                       domain::AccountId account_id, const service::Embed& embed);
nlohmann::json IncomingJson(const Request& request, const storage::IncomingLead& item,
                            domain::AccountId account_id);

// problem+json for a failed batch item: validation errors carry the item's request_id and, in
// a batch (`batch`), paths prefixed with its index ("0.price"); other errors name the item in
// the detail.
Response BatchProblem(const base::Status& status, std::size_t index,
                      const std::vector<std::string>& request_ids, bool batch);
// 400 with one validation-errors entry per item that has errors (`errors[i]` for item i).
Response ParseProblem(const std::vector<std::vector<base::FieldError>>& errors,
                      const std::vector<std::string>& request_ids, bool batch);

// Response of a batch write: {"_links", "_embedded": {plural: [{id, request_id, [updated_at],
// _links}]}} (POST: without updated_at; PATCH: with).
Response WrittenResponse(const Request& request, std::string_view plural,
                         const std::vector<service::Written>& written,
                         const std::vector<std::string>& request_ids, bool with_updated_at);

// Response of PATCH /{plural}/{id}: {id, updated_at, _links}.
Response WrittenOne(const Request& request, std::string_view plural,
                    const service::Written& written);

// api.h's OneById with the records' problem+json.
template <typename Get, typename Render>
Response OneById(const Request& request, Get get, Render render) {
  return api::OneById(request, get, render,
                      [](const base::Status& s) { return ProblemResponse(s); });
}

// The handler of a GET of one resource by its {id} (OneById): the RecordService method `get`
// finds it, answered 200 with `render(request, value, the caller's account_id)`.
template <typename Value, typename Id, typename Render>
Handler OneByIdHandler(Service service,
                       base::Result<Value> (service::RecordService::*get)(const service::Caller&,
                                                                          Id) const,
                       Render render) {
  return [service = std::move(service), get, render](Request& r) -> Response {
    return OneById(
        r, [&](const service::Caller& c, std::int64_t id) { return ((*service).*get)(c, id); },
        [&](const service::Caller& c, const Value& value) {
          return JsonResponse(200, render(r, value, c.account_id));
        });
  };
}

// api.h's RemoveById with the records' problem+json.
template <typename Remove>
Response RemoveById(const Request& request, Remove remove) {
  return api::RemoveById(request, remove, [](const base::Status& s) { return ProblemResponse(s); });
}

// Parses every item of `batch` with `parse(item, errors)`; all items' field errors are reported
// together (ParseProblem).
template <typename Input, typename Parse>
std::variant<std::vector<Input>, Response> ParseEach(const Batch& batch, Parse parse) {
  std::vector<std::vector<base::FieldError>> errors(batch.parts.items.size());
  std::vector<Input> inputs;
  bool failed = false;
  for (std::size_t i = 0; i < batch.parts.items.size(); ++i) {
    inputs.push_back(parse(*batch.parts.items[i], errors[i]));
    failed = failed || !errors[i].empty();
  }
  if (failed) return ParseProblem(errors, batch.parts.request_ids, batch.is_array);
  return inputs;
}

// Parses every item of `batch` with `parse`; all items' field errors are reported together.
template <typename Input>
std::variant<std::vector<Input>, Response> ParseItems(
    const Batch& batch, bool patch,
    Input (*parse)(const nlohmann::json&, bool, std::vector<base::FieldError>&)) {
  return ParseEach<Input>(batch,
                          [&](const nlohmann::json& item, std::vector<base::FieldError>& errors) {
                            return parse(item, patch, errors);
                          });
}

// A batch write (POST, PATCH or DELETE on a collection): the body read by ReadBatch, every item
// parsed by `parse(item, errors)` (ParseEach), then `write(inputs, &failed)`, which answers a
// Result or a Status. A failed write is the BatchProblem of item `failed`; otherwise the answer
// is `respond(batch, written)`. A resource with a smaller limit than Kommo's general one passes
// it as `max_items`.
template <typename Input, typename Parse, typename Write, typename Respond>
Response BatchWrite(const Request& request, Parse parse, Write write, Respond respond,
                    std::size_t max_items = kMaxBatchItems) {
  auto batch = ReadBatch(request, max_items);
  if (!batch.ok()) return ProblemResponse(batch.status());
  auto inputs = ParseEach<Input>(*batch, parse);
  if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
  std::size_t failed = 0;
  auto written = write(std::get<std::vector<Input>>(inputs), &failed);
  if (!written.ok()) {
    base::Status status;
    if constexpr (std::is_same_v<decltype(written), base::Status>) {
      status = written;
    } else {
      status = written.status();
    }
    return BatchProblem(status, failed, batch->parts.request_ids, batch->is_array);
  }
  return respond(*batch, written);
}

// `rows` (the answer of a batch write) rendered by `render(row)`, each with the request_id of
// its batch item.
template <typename Row, typename Render>
nlohmann::json WithRequestIds(const Batch& batch, const std::vector<Row>& rows, Render render) {
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    nlohmann::json item = render(rows[i]);
    item["request_id"] = batch.parts.request_ids[i];
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace gatehouse::http::api::records
