// The kinds that carry notes and links, by data set (noted_records.h).
#include "service/records/noted_records.h"

#include "service/records/records_internal.h"

namespace gatehouse::service::internal {

std::optional<NotedKind> NotedKindOf(domain::DataSet data_set) {
  if (!domain::IsAttachable(data_set)) return std::nullopt;
  return storage::VisitRecordKind(data_set, []<typename R>() {
    using Traits = storage::RecordTraits<R>;
    return NotedKind{Traits::kPlural, Traits::kName, Traits::kDataSet};
  });
}

base::Result<NotedKind> RequireNotedKind(domain::DataSet data_set, std::string_view what) {
  std::optional<NotedKind> kind = NotedKindOf(data_set);
  if (!kind) {
    return base::Status::InvalidField(
        "entity_type", "NotSupportedChoice",
        std::string(what) + " belong to " + domain::AttachableNames());
  }
  return *kind;
}

base::Result<domain::RecordRef> LoadVisibleRef(const Caller& caller,
                                               const storage::AccountReader& reader,
                                               const NotedKind& kind, domain::RecordId id) {
  base::Result<domain::RecordRef> ref = reader.GetRef(kind.data_set, id);
  if (!ref.ok()) return base::NotFoundAs(ref.status(), base::Status::NotFound(kind.name, id));
  if (!CanView(caller, *ref)) return base::Status::NotFound(kind.name, id);
  return ref;
}

}  // namespace gatehouse::service::internal
