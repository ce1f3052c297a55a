// Finders over the account model. Linear scans: the model is a plain value used to build a
// policy or to edit users; the hot path looks users up in the compiled policy instead.
#include "domain/account.h"

#include <algorithm>

#include "base/text.h"

namespace gatehouse::domain {

bool IsStageColor(std::string_view color) {
  return color.size() == 7 && color.front() == '#' && base::IsHexColor(color.substr(1));
}

bool Pipeline::HasStage(StatusId status_id) const {
  // Won and lost exist in every pipeline whether or not they are listed.
  if (status_id == kWonStatusId || status_id == kLostStatusId) return true;
  return std::any_of(stages.begin(), stages.end(),
                     [status_id](const Stage& stage) { return stage.id == status_id; });
}

const User* AccountModel::FindUser(UserId user_id) const {
  for (const User& user : users) {
    if (user.id == user_id) return &user;
  }
  return nullptr;
}

const Role* AccountModel::FindRole(RoleId role_id) const {
  for (const Role& role : roles) {
    if (role.id == role_id) return &role;
  }
  return nullptr;
}

const Pipeline* AccountModel::FindPipeline(PipelineId pipeline_id) const {
  for (const Pipeline& pipeline : pipelines) {
    if (pipeline.id == pipeline_id) return &pipeline;
  }
  return nullptr;
}

}  // namespace gatehouse::domain
