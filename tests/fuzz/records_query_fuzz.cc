// Fuzzes the record list query parser (http/api/records/records_query.cc): the query strings of
// GET /api/v4/{leads,contacts,companies,tasks,leads/unsorted}, their exports and with= of a
// single record, over the query-string parser.
//
// Invariants: a refusal is kInvalidArgument naming at least one field; an accepted query holds
// a page and limit in range, price and date ranges with from <= to, and a task entity filter
// only with its entity type.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/api/records/record_json.h"
#include "http/query.h"
#include "http/request.h"

namespace {

namespace records = gatehouse::http::api::records;
using gatehouse::storage::Range;

bool Ordered(const Range& range) { return !range.from || !range.to || *range.from <= *range.to; }

void Check(const gatehouse::base::Result<records::ListParams>& params) {
  if (!params.ok()) {
    FUZZ_CHECK(params.status().code() == gatehouse::base::Code::kInvalidArgument,
               "a refused list query is kInvalidArgument");
    FUZZ_CHECK(!params.status().fields().empty(), "a refused list query names its fields");
    return;
  }
  const gatehouse::storage::ListQuery& q = params->query;
  FUZZ_CHECK(q.limit >= 1 && q.limit <= gatehouse::storage::kMaxPageLimit, "limit in 1..250");
  FUZZ_CHECK(q.page >= 1 && q.page <= 1'000'000, "page in 1..1000000");
  FUZZ_CHECK(Ordered(q.price) && Ordered(q.created_at) && Ordered(q.updated_at) &&
                 Ordered(q.closed_at) && Ordered(q.next_date),
             "ranges run from <= to");
  FUZZ_CHECK(q.entity_ids.empty() || q.entity_type.has_value(), "entity_id needs entity_type");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gatehouse::http::Request request;
  request.raw_query.assign(reinterpret_cast<const char*>(data), size);
  auto query = gatehouse::http::Query::Parse(request.raw_query);
  if (!query.ok()) return 0;  // the server answers 400 before any handler runs
  request.query = std::move(*query);

  for (records::Resource resource :
       {records::Resource::kLeads, records::Resource::kContacts, records::Resource::kCompanies,
        records::Resource::kTasks, records::Resource::kUnsorted, records::Resource::kCustomers}) {
    Check(records::ParseListParams(request, resource, /*for_export=*/false));
    Check(records::ParseListParams(request, resource, /*for_export=*/true));
    auto embed = records::ParseEmbed(request, resource);
    if (!embed.ok()) {
      FUZZ_CHECK(embed.status().code() == gatehouse::base::Code::kInvalidArgument,
                 "a refused with= is kInvalidArgument");
    }
  }
  return 0;
}
