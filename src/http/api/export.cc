// GET /api/v4/{leads|contacts|companies}/export: CSV of what the caller may export, with the
// list's filters. Rows come from the store in batches under the engine's export filter; the
// service logs "export_performed" once the rows are read.
#include <string>

#include "http/api/api.h"
#include "http/api/csv.h"
#include "http/api/record_json.h"

namespace gatehouse::http::api::records {

using csv::Int;
using csv::Row;
using csv::Text;

void RegisterExportRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/leads/export",
             [service](Request& r) -> Response {
               auto params = ParseListParams(r, Resource::kLeads, /*for_export=*/true);
               if (!params.ok()) return Problem(params.status());
               std::string body =
                   "id,name,price,pipeline_id,status_id,responsible_user_id,created_by,updated_by,"
                   "created_at,updated_at,closed_at\r\n";
               auto rows = service->Export<storage::Lead>(
                   CallerOf(r), params->query, [&](std::span<const storage::Lead> batch) {
                     for (const storage::Lead& l : batch) {
                       Row(body, {Int(l.id), Text(l.name), Int(l.price), Int(l.pipeline_id),
                                 Int(l.status_id), Int(l.responsible_user_id), Int(l.created_by),
                                 Int(l.updated_by), Int(l.created_at), Int(l.updated_at),
                                 Int(l.closed_at)});
                     }
                     return base::Status::Ok();
                   });
               if (!rows.ok()) return Problem(rows.status());
               return csv::Download(std::move(body), "leads");
             },
             {.name = "leads.export", .blocking = true});

  router.Add(
      Method::kGet, "/api/v4/contacts/export",
      [service](Request& r) -> Response {
        auto params = ParseListParams(r, Resource::kContacts, /*for_export=*/true);
        if (!params.ok()) return Problem(params.status());
        std::string body =
            "id,name,first_name,last_name,responsible_user_id,created_by,updated_by,created_at,"
            "updated_at\r\n";
        auto rows = service->Export<storage::Contact>(
            CallerOf(r), params->query, [&](std::span<const storage::Contact> batch) {
              for (const storage::Contact& c : batch) {
                Row(body, {Int(c.id), Text(c.name), Text(c.first_name), Text(c.last_name),
                          Int(c.responsible_user_id), Int(c.created_by), Int(c.updated_by),
                          Int(c.created_at), Int(c.updated_at)});
              }
              return base::Status::Ok();
            });
        if (!rows.ok()) return Problem(rows.status());
        return csv::Download(std::move(body), "contacts");
      },
      {.name = "contacts.export", .blocking = true});

  router.Add(Method::kGet, "/api/v4/companies/export",
             [service](Request& r) -> Response {
               auto params = ParseListParams(r, Resource::kCompanies, /*for_export=*/true);
               if (!params.ok()) return Problem(params.status());
               std::string body =
                   "id,name,responsible_user_id,created_by,updated_by,created_at,updated_at\r\n";
               auto rows = service->Export<storage::Company>(
                   CallerOf(r), params->query, [&](std::span<const storage::Company> batch) {
                     for (const storage::Company& c : batch) {
                       Row(body,
                           {Int(c.id), Text(c.name), Int(c.responsible_user_id), Int(c.created_by),
                            Int(c.updated_by), Int(c.created_at), Int(c.updated_at)});
                     }
                     return base::Status::Ok();
                   });
               if (!rows.ok()) return Problem(rows.status());
               return csv::Download(std::move(body), "companies");
             },
             {.name = "companies.export", .blocking = true});
}

}  // namespace gatehouse::http::api::records
