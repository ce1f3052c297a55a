// The record kinds that carry notes and links (leads, contacts, companies, customers), by their
// data set, for the note and link use cases (notes.cc, links.cc). Not a public interface.
// They are domain::kAttachableDataSets; each kind's names come from its RecordTraits.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/account.h"
#include "service/caller.h"
#include "storage/store.h"

namespace gatehouse::service::internal {

struct NotedKind {
  std::string_view plural{};  // "leads": the API path
  std::string_view name{};    // "lead": event entities and messages
  domain::DataSet data_set;
};

// The kind of `data_set`, or nullopt when its records carry no notes and links.
std::optional<NotedKind> NotedKindOf(domain::DataSet data_set);
// The same, refused (kInvalidArgument at "entity_type": "<what> belong to leads, contacts,
// companies or customers") when its records carry none.
base::Result<NotedKind> RequireNotedKind(domain::DataSet data_set, std::string_view what);

// Record `id` of `kind` as the permission engine sees it; kNotFound "<name> <id> not found" when
// it is missing, of another account, or not viewable by `caller` (one answer for all three).
base::Result<domain::RecordRef> LoadVisibleRef(const Caller& caller,
                                               const storage::AccountReader& reader,
                                               const NotedKind& kind, domain::RecordId id);

}  // namespace gatehouse::service::internal
