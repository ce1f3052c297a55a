// Validation and normalization of a rights set as it arrives from outside (API, CLI, import).
//
// Input is letters and names, not yet domain values. Validate() refuses with one FieldError per
// offending field (paths as in Kommo's API: "rights.leads.add",
// "rights.status_rights.2.rights.view", "rights.status_rights.2.status_id") and otherwise
// returns normalized Rights. Missing general entries mean D (Kommo: "by default everything is
// denied").
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/account.h"

namespace gatehouse::policy {

struct RawRight {
  std::string data_set{};  // "leads", "contacts", "companies", "tasks", "incoming_leads"
  std::string action{};    // "view", "add", ...
  std::string letter{};    // "A", "G", "M", "D"
};

struct RawStageRights {
  domain::PipelineId pipeline_id = 0;
  domain::StatusId status_id = 0;
  std::vector<std::pair<std::string, std::string>> actions{};  // ("view", "A"), ...
};

struct RawRights {
  std::vector<RawRight> general{};
  std::vector<RawStageRights> stages{};  // index i is reported as rights.status_rights.i
  bool mail_access = false;
  bool catalog_access = false;
  bool files_access = false;
};

// Errors (one per field, all reported at once):
//   unknown data set or action name; an action that does not exist for its data set;
//   a letter not in D/M/G/A; M or G for `add` or an incoming-leads action ("only A or D");
//   a stage action other than view/edit/delete/export; an unknown pipeline; a status that is
//   not a stage of that pipeline (142/143 always are); the same stage listed twice;
//   the same general entry listed twice.
base::Result<domain::Rights> Validate(const RawRights& raw,
                                      std::span<const domain::Pipeline> pipelines);

// Narrows every dependent action to the narrowest of its chain, in the general matrix and
// within each stage entry (among the actions the entry sets; an unset dependency is not
// consulted there). Sorts stage entries by stage. Idempotent.
void Normalize(domain::Rights& rights);

}  // namespace gatehouse::policy
