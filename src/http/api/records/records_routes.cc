// RegisterRecordRoutes: wires the record resources to one RecordService.
//
// Leads, contacts, companies, tasks and customers share one registration, RegisterKind<R>, at
// /api/v4/<plural> (kommo-api-v4.md §9-§11): list, get, batch add, batch and single update,
// delete and, for kinds with an export, the CSV export of what the caller may export
// (/api/v4/<plural>/export, with the list's filters; the service logs "export_performed" once
// the rows are read). What differs per kind is its ApiKind (the query-string resource, with= and
// export), its body reader (ParseRecordWrite, record_writes.cc) and its renderer (RecordJson);
// names and CSV columns come from the kind's storage traits.
#include <string>

#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/records/csv.h"
#include "http/api/records/record_json.h"
#include "http/json.h"
#include "storage/record_traits.h"

namespace gatehouse::http::api {
namespace records {
namespace {

using nlohmann::json;

template <typename R>
struct ApiKind;

// What the routes of a kind differ in: its query-string resource, whether a single record takes
// with=, whether it has an export. How its writes are read: ParseRecordWrite (record_writes.cc).
template <>
struct ApiKind<storage::Lead> {
  static constexpr Resource kResource = Resource::kLeads;
  static constexpr bool kEmbeds = true;  // with= on a single record
  static constexpr bool kExport = true;
};

template <>
struct ApiKind<storage::Contact> {
  static constexpr Resource kResource = Resource::kContacts;
  static constexpr bool kEmbeds = true;
  static constexpr bool kExport = true;
};

template <>
struct ApiKind<storage::Company> {
  static constexpr Resource kResource = Resource::kCompanies;
  static constexpr bool kEmbeds = true;
  static constexpr bool kExport = true;
};

template <>
struct ApiKind<storage::Task> {
  static constexpr Resource kResource = Resource::kTasks;
  static constexpr bool kEmbeds = false;  // GET /tasks/{id} takes no query parameters
  static constexpr bool kExport = false;
};

template <>
struct ApiKind<storage::Customer> {
  static constexpr Resource kResource = Resource::kCustomers;
  static constexpr bool kEmbeds = true;
  static constexpr bool kExport = true;
};

// The CSV of a kind: id, then the columns its field table marks exported, then the ones the
// service adds (the custom fields the caller may view, by name, and the tags).
template <typename R>
std::string CsvHeader(const std::vector<std::string>& added) {
  std::string header = "id";
  for (const storage::Field<R>& f : storage::RecordTraits<R>::kFields) {
    if (f.exported) header += "," + std::string(f.column);
  }
  for (const std::string& column : added) header += "," + csv::Text(column);
  return header + "\r\n";
}

template <typename R>
void CsvRow(std::string& body, const R& record, const std::vector<std::string>& added) {
  body += csv::Int(record.id);
  for (const storage::Field<R>& f : storage::RecordTraits<R>::kFields) {
    if (!f.exported) continue;
    body += ',';
    switch (f.kind) {
      case storage::FieldKind::kInt:
      case storage::FieldKind::kReference:
        body += csv::Int(record.*f.integer);
        break;
      case storage::FieldKind::kBool:
        body += csv::Int(record.*f.boolean ? 1 : 0);
        break;
      case storage::FieldKind::kText:
        body += csv::Text(record.*f.text);
        break;
      case storage::FieldKind::kDataSet:
      case storage::FieldKind::kCategory:
        body += csv::Text(storage::NameText(f, record));
        break;
    }
  }
  for (const std::string& cell : added) body += "," + csv::Text(cell);
  body += "\r\n";
}

// "<plural>.<operation>", the route's metric and log name.
template <typename R>
std::string Name(std::string_view operation) {
  return std::string(storage::RecordTraits<R>::kPlural) + "." + std::string(operation);
}

// POST and PATCH on the collection: a batch, all or nothing.
template <typename R>
Response WriteBatch(const Service& service, Request& r, bool patch) {
  using Input = service::Input<R>;
  const std::string plural(storage::RecordTraits<R>::kPlural);
  auto batch = ReadBatch(r);
  if (!batch.ok()) return ProblemResponse(batch.status());
  auto inputs = ParseItems<Input>(*batch, patch, &ParseRecordWrite<R>);
  if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
  const auto& items = std::get<std::vector<Input>>(inputs);
  std::size_t failed = 0;
  auto written = patch ? service->Update<R>(CallerOf(r), items, &failed)
                       : service->Add<R>(CallerOf(r), items, &failed);
  if (!written.ok()) {
    return BatchProblem(written.status(), failed, batch->parts.request_ids, batch->is_array);
  }
  return WrittenResponse(r, plural, *written, batch->parts.request_ids, patch);
}

template <typename R>
void RegisterKind(Router& router, const Service& service) {
  const std::string plural(storage::RecordTraits<R>::kPlural);
  const std::string collection = "/api/v4/" + plural;
  const std::string one = collection + "/{id:int}";

  router.Add(Method::kGet, collection,
             [service, plural](Request& r) -> Response {
               auto params = ParseListParams(r, ApiKind<R>::kResource);
               if (!params.ok()) return ProblemResponse(params.status());
               const service::Caller& caller = CallerOf(r);
               auto page = service->List<R>(caller, params->query, params->embed);
               if (!page.ok()) return ProblemResponse(page.status());
               std::vector<std::string> items;
               items.reserve(page->items.size());
               for (const service::RecordView<R>& view : page->items) {
                 items.push_back(RecordJson(r, view, caller.account_id, params->embed));
               }
               return ListResponse(r, plural, std::move(items), params->query.page, page->has_next);
             },
             {.name = Name<R>("list")});

  router.Add(Method::kGet, one,
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               service::Embed embed;
               if constexpr (ApiKind<R>::kEmbeds) {
                 auto parsed = ParseEmbed(r, ApiKind<R>::kResource);
                 if (!parsed.ok()) return ProblemResponse(parsed.status());
                 embed = *parsed;
               } else {
                 // with= is ignored (a task embeds nothing), as Kommo clients send it on
                 // every get by id.
                 base::Status known = r.query.CheckKnownKeys({"with"});
                 if (!known.ok()) return ProblemResponse(known);
               }
               const service::Caller& caller = CallerOf(r);
               auto view = service->Get<R>(caller, *id, embed);
               if (!view.ok()) return ProblemResponse(view.status());
               return Response::Json(200, RecordJson(r, *view, caller.account_id, embed));
             },
             {.name = Name<R>("get")});

  router.Add(
      Method::kPost, collection,
      [service](Request& r) -> Response { return WriteBatch<R>(service, r, /*patch=*/false); },
      {.name = Name<R>("add")});

  router.Add(
      Method::kPatch, collection,
      [service](Request& r) -> Response { return WriteBatch<R>(service, r, /*patch=*/true); },
      {.name = Name<R>("update")});

  router.Add(Method::kPatch, one,
             [service, plural](Request& r) -> Response {
               using Input = service::Input<R>;
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               auto batch = ReadObject(r);
               if (!batch.ok()) return ProblemResponse(batch.status());
               auto inputs = ParseItems<Input>(*batch, false, &ParseRecordWrite<R>);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               auto& items = std::get<std::vector<Input>>(inputs);
               items.front().id = *id;  // the path decides which record
               auto written = service->Update<R>(CallerOf(r), items);
               if (!written.ok()) {
                 return BatchProblem(written.status(), 0, batch->parts.request_ids, false);
               }
               return WrittenOne(r, plural, written->front());
             },
             {.name = Name<R>("update_one")});

  router.Add(Method::kDelete, one,
             [service](Request& r) -> Response {
               return RemoveById(r, [&](const service::Caller& c, std::int64_t id) {
                 return service->Delete<R>(c, id);
               });
             },
             {.name = Name<R>("delete")});

  if constexpr (ApiKind<R>::kExport) {
    router.Add(Method::kGet, collection + "/export",
               [service, plural](Request& r) -> Response {
                 auto params = ParseListParams(r, ApiKind<R>::kResource, /*for_export=*/true);
                 if (!params.ok()) return ProblemResponse(params.status());
                 // The header names the added columns, known once the export ran.
                 std::string rows;
                 auto result = service->Export<R>(
                     CallerOf(r), params->query, [&](const service::ExportBatch<R>& batch) {
                       for (std::size_t i = 0; i < batch.records.size(); ++i) {
                         CsvRow(rows, batch.records[i], batch.cells[i]);
                       }
                       return base::Status::Ok();
                     });
                 if (!result.ok()) return ProblemResponse(result.status());
                 return csv::Download(CsvHeader<R>(result->columns) + rows, plural);
               },
               {.name = Name<R>("export"), .blocking = true});
  }
}

}  // namespace
}  // namespace records

void RegisterRecordRoutes(Router& router, ApiContext& context) {
  auto service = std::make_shared<const service::RecordService>(*context.store, *context.clock);
  records::RegisterKind<storage::Lead>(router, service);
  records::RegisterLeadSummaryRoute(router, service);
  records::RegisterComplexLeadRoute(router, service);
  records::RegisterKind<storage::Contact>(router, service);
  records::RegisterKind<storage::Company>(router, service);
  records::RegisterKind<storage::Task>(router, service);
  records::RegisterKind<storage::Customer>(router, service);
  records::RegisterCustomerStatusRoutes(router, service);
  records::RegisterUnsortedRoutes(router, service);
  records::RegisterCatalogRoutes(router, service);
  records::RegisterTalkRoutes(router, service);
  records::RegisterNoteAndLinkRoutes(router, context);
  records::RegisterTagRoutes(router, service);
  records::RegisterLossReasonRoutes(router, service);
}

}  // namespace gatehouse::http::api
