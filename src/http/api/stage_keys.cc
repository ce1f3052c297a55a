#include "http/api/stage_keys.h"

namespace gatehouse::http::api {

base::Result<std::vector<domain::StageKey>> ParseStageKeys(const Query& query,
                                                           const std::string& path) {
  std::vector<domain::StageKey> out;
  const QueryNode* node = query.Find(path);
  if (node == nullptr) return out;
  const std::string shape = "expected " + path + "[0][pipeline_id]=P&" + path + "[0][status_id]=S";
  if (node->is_value()) return base::Status::InvalidField(path, "InvalidType", shape);
  std::size_t index = 0;
  for (const QueryNode* item : node->Items()) {
    const std::string item_path = path + "[" + std::to_string(index++) + "]";
    const QueryNode* pipeline = item->FindChild("pipeline_id");
    const QueryNode* status = item->FindChild("status_id");
    if (item->is_value() || pipeline == nullptr || status == nullptr || !pipeline->is_value() ||
        !status->is_value()) {
      return base::Status::InvalidField(item_path, "InvalidType", shape);
    }
    GH_ASSIGN_OR_RETURN(std::optional<std::int64_t> p, query.GetInt(item_path + "[pipeline_id]"));
    GH_ASSIGN_OR_RETURN(std::optional<std::int64_t> s, query.GetInt(item_path + "[status_id]"));
    if (!p || !s || *p <= 0 || *s <= 0) {
      return base::Status::InvalidField(item_path, "InvalidValue",
                                        "pipeline_id and status_id must be positive integers");
    }
    out.push_back({*p, *s});
  }
  if (out.empty()) return base::Status::InvalidField(path, "Required", shape);
  return out;
}

}  // namespace gatehouse::http::api
