// Rows of the record totals (migrations 9 and 10): lead cells and the differences the
// verifiers report.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "storage/row_ids.h"

namespace gatehouse::storage {

// One cell of the lead totals (migration 9): the leads of one stage with one responsible user
// (0: nobody). Every permission predicate of SPEC §2 reads only these three values, so a user's
// visible count and total are a sum over the cells their filter admits.
struct LeadCell {
  PipelineId pipeline_id = 0;
  StatusId status_id = 0;
  UserId responsible_user_id = 0;
  auto operator<=>(const LeadCell&) const = default;
};

struct LeadCellTotals {
  LeadCell cell{};
  std::int64_t count = 0;  // leads in the cell
  std::int64_t price = 0;  // sum of their prices
  bool operator==(const LeadCellTotals&) const = default;
};

// A cell whose stored totals differ from the leads (AccountReader::VerifyLeadTotals).
struct LeadTotalsDifference {
  LeadCell cell{};
  std::int64_t stored_count = 0;
  std::int64_t stored_price = 0;
  std::int64_t actual_count = 0;
  std::int64_t actual_price = 0;
  bool operator==(const LeadTotalsDifference&) const = default;
};

// A (data set, responsible user) whose stored contact, company or task count differs from the
// rows (AccountReader::VerifyRecordTotals); responsible -1 is the data set's rollup.
struct RecordTotalsDifference {
  std::string data_set{};  // "contacts", "companies", "tasks"
  UserId responsible_user_id = 0;
  std::int64_t stored_count = 0;
  std::int64_t actual_count = 0;
  bool operator==(const RecordTotalsDifference&) const = default;
};

}  // namespace gatehouse::storage
