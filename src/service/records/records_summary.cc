// GET /api/v4/leads/summary: per-stage counts and totals of the leads a caller may view; and
// GET /api/v4/leads/unsorted/summary: the counts of the incoming leads a caller may view.
//
// Every permission predicate of SPEC §2 depends only on a lead's responsible user, pipeline and
// stage, so the caller's compiled view filter is evaluated on the store's lead totals
// (policy/list_totals.h: a stage's rollup where the caller sees the whole stage, the cells of
// the users it names elsewhere) instead of on the leads: the answer is the same as a COUNT/SUM
// over the rows the list would show, at a cost independent of the number of leads. Incoming
// leads keep no totals: theirs is one aggregate statement over the rows their list reads.
#include <utility>

#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::Action;
using domain::DataSet;

Result<LeadsSummary> RecordService::SummarizeLeads(const Caller& caller,
                                                   PipelineId pipeline_id) const {
  GH_RETURN_IF_ERROR(internal::RequirePolicy(caller));
  const policy::ListFilter filter =
      caller.policy->CompileFilter(caller.user_id, DataSet::kLeads, Action::kView);
  storage::AccountReader reader = store_.Reader(caller.account_id);
  std::vector<domain::Pipeline> pipelines;
  if (pipeline_id == 0) {
    GH_ASSIGN_OR_RETURN(pipelines, reader.ListPipelines());
  } else {
    Result<domain::Pipeline> one = reader.GetPipeline(pipeline_id);
    if (!one.ok()) {
      return base::NotFoundAs(one.status(),
                              Status::InvalidField("filter[pipeline_id]", "NotFound",
                                                   "pipeline " + std::to_string(pipeline_id) +
                                                       " does not exist in this account"));
    }
    pipelines.push_back(std::move(one).value());
  }

  // The rollups of the stages the caller sees whole, and the cells of the users the filter
  // names: at most one indexed query (none when the filter matches nothing).
  storage::TotalsQuery query{.allowed = filter};
  if (pipeline_id != 0) query.pipeline_ids = {pipeline_id};
  GH_ASSIGN_OR_RETURN(const auto visible, reader.TotalsByStage(DataSet::kLeads, query));

  LeadsSummary out;
  for (const domain::Pipeline& pipeline : pipelines) {
    for (const domain::Stage& stage : pipeline.stages) {
      StageSummary entry{pipeline.id, stage.id, 0, 0};
      if (auto it = visible.find(domain::StageKey{pipeline.id, stage.id}); it != visible.end()) {
        entry.count = it->second.count;
        entry.price = it->second.price;
      }
      out.count += entry.count;
      out.price += entry.price;
      out.stages.push_back(entry);
    }
  }
  return out;
}

Result<storage::IncomingSummary> RecordService::SummarizeIncoming(
    const Caller& caller, const storage::ListQuery& query) const {
  GH_RETURN_IF_ERROR(internal::RequirePolicy(caller));
  const policy::ListFilter permission =
      caller.policy->CompileFilter(caller.user_id, DataSet::kIncomingLeads, Action::kView);
  return store_.Reader(caller.account_id).SummarizeIncoming(permission, query);
}

}  // namespace gatehouse::service
