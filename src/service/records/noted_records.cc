// The kinds that carry notes and links, by data set (noted_records.h).
#include "service/records/noted_records.h"

#include "service/records/records_internal.h"

namespace gatehouse::service::internal {

namespace {

template <typename R>
NotedKind KindOf() {
  using Traits = storage::RecordTraits<R>;
  return {Traits::kPlural, Traits::kName, Traits::kDataSet};
}

template <typename R>
base::Result<domain::RecordRef> RefOfRecord(const storage::AccountReader& reader,
                                            domain::RecordId id) {
  GH_ASSIGN_OR_RETURN(R record, reader.Get<R>(id));
  return RefOf(record);
}

}  // namespace

std::optional<NotedKind> NotedKindOf(domain::DataSet data_set) {
  switch (data_set) {
    case domain::DataSet::kLeads:
      return KindOf<storage::Lead>();
    case domain::DataSet::kContacts:
      return KindOf<storage::Contact>();
    case domain::DataSet::kCompanies:
      return KindOf<storage::Company>();
    default:
      return std::nullopt;
  }
}

base::Result<NotedKind> RequireNotedKind(domain::DataSet data_set, std::string_view what) {
  std::optional<NotedKind> kind = NotedKindOf(data_set);
  if (!kind) {
    return base::Status::InvalidField(
        "entity_type", "NotSupportedChoice",
        std::string(what) + " belong to leads, contacts or companies");
  }
  return *kind;
}

base::Result<domain::RecordRef> LoadVisibleRef(const Caller& caller,
                                               const storage::AccountReader& reader,
                                               const NotedKind& kind, domain::RecordId id) {
  base::Result<domain::RecordRef> ref = base::Status::NotFound("");
  if (kind.data_set == domain::DataSet::kLeads) {
    ref = RefOfRecord<storage::Lead>(reader, id);
  } else if (kind.data_set == domain::DataSet::kContacts) {
    ref = RefOfRecord<storage::Contact>(reader, id);
  } else if (kind.data_set == domain::DataSet::kCompanies) {
    ref = RefOfRecord<storage::Company>(reader, id);
  }
  if (!ref.ok()) return base::NotFoundAs(ref.status(), NotFound(kind.name, id));
  if (!CanView(caller, *ref)) return NotFound(kind.name, id);
  return ref;
}

}  // namespace gatehouse::service::internal
