// GET /api/v4/leads/summary, our extension: the pipeline board's per-stage counts and totals of
// the leads the caller may view (service::RecordService::SummarizeLeads).
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/records/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using base::Status;
using nlohmann::json;

void RegisterLeadSummaryRoute(Router& router, const Service& service) {
  router.Add(
      Method::kGet, "/api/v4/leads/summary",
      [service](Request& r) -> Response {
        Status known = r.query.CheckKnownKeys({"filter"}, {"pipeline_id"});
        if (!known.ok()) return ProblemResponse(known);
        auto pipeline = r.query.GetInt("filter[pipeline_id]");
        if (!pipeline.ok()) return ProblemResponse(pipeline.status());
        if (pipeline->has_value() && **pipeline <= 0) {
          return ProblemResponse(Status::InvalidField("filter[pipeline_id]", "InvalidValue",
                                                      "filter[pipeline_id] must be a pipeline id"));
        }
        auto summary = service->SummarizeLeads(CallerOf(r), pipeline->value_or(0));
        if (!summary.ok()) return ProblemResponse(summary.status());
        json stages = json::array();
        for (const service::StageSummary& stage : summary->stages) {
          stages.push_back({{"pipeline_id", stage.pipeline_id},
                            {"status_id", stage.status_id},
                            {"count", stage.count},
                            {"price", stage.price}});
        }
        json body = {
            {"total", {{"count", summary->count}, {"price", summary->price}}},
            {"_links", SelfLinks(r, r.raw_query.empty() ? r.path : r.path + "?" + r.raw_query)},
            {"_embedded", {{"stages", std::move(stages)}}}};
        return Response::Json(200, body.dump());
      },
      {.name = "leads.summary"});
}

}  // namespace gatehouse::http::api::records
