// Storage's text form of domain::Rights and of string lists (internal to storage/).
//
// Grammar (JSON): {"leads": {"view": "A", ...}, ..., "status_rights": [{"pipeline_id": 1,
// "status_id": 2, "rights": {"view": "D"}}], "mail_access": true, "catalog_access": false,
// "files_access": false}. Every action of every data set is written; on read a missing action is
// Denied. The JSON library stays inside rights_json.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/rights.h"

namespace gatehouse::storage {

std::string RightsToJson(const domain::Rights& rights);
// kInternal when the stored text is not valid (a corrupt row, never user input).
base::Result<domain::Rights> RightsFromJson(std::string_view text);

std::string StringsToJson(const std::vector<std::string>& values);
base::Result<std::vector<std::string>> StringsFromJson(std::string_view text);

}  // namespace gatehouse::storage
