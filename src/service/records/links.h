// Links between records (Kommo's /api/v4/{entity}/{id}/links, /{entity}/link, /{entity}/unlink)
// over the links the store keeps: lead <-> contact (with the lead's main contact) and lead <->
// company (a lead has at most one company). A contact and a company are linked only through
// leads here, so a direct contact <-> company link is refused (kInvalidArgument
// "to_entity_type"), as is any other pair (catalog elements, customers). A customer's contacts
// (with its main contact) and company are written through the customer's own _embedded and
// read here: List shows them from either end.
//
// Rights, enforced on both ends (SPEC §2; docs/api.md "Links"):
//   - Reading the links of a record needs view on it (else kNotFound) and lists only the linked
//     records the caller may view.
//   - Linking or unlinking needs view (else kNotFound) and edit (else kPermissionDenied naming
//     the right) on the source record, the one the request names first, and view on the target
//     (a target the caller may not view is reported as missing: kInvalidArgument
//     "to_entity_id", code NotFound). Replacing a lead's company also needs view on the company
//     it replaces.
//   - A batch runs in one transaction: one refused item changes nothing.
//   - Each link made appends entity_linked, each link removed entity_unlinked, on the source
//     record (Kommo's value shape [{"link": {"entity": {"type", "id"}}}]); linking what is
//     already linked, or unlinking what is not, changes nothing and logs nothing.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "domain/rights.h"
#include "service/caller.h"
#include "service/records/records.h"
#include "storage/store.h"

namespace gatehouse::service {

// One link as Kommo shows it. main_contact: set for lead <-> contact and customer <-> contact
// links only.
struct LinkView {
  RecordId entity_id = 0;
  domain::DataSet data_set = domain::DataSet::kLeads;  // leads, contacts, companies, customers
  RecordId to_entity_id = 0;
  domain::DataSet to_data_set = domain::DataSet::kLeads;
  std::optional<bool> main_contact{};
  bool operator==(const LinkView&) const = default;
};

// A link or unlink item. main_contact (lead <-> contact only): the contact becomes the lead's
// main contact (true) or not (false); unset keeps an existing link's flag (a new link: false).
struct LinkItem {
  RecordId entity_id = 0;
  std::string
      to_entity_type{};  // as sent: a data set's name (domain::DataSetName) or anything else
  RecordId to_entity_id = 0;
  std::optional<bool> main_contact{};
};

class LinkService {
 public:
  LinkService(storage::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  // The links of record `id` of `data_set` (leads, contacts, companies or customers;
  // kInvalidArgument otherwise) whose target the caller may view; only those to `to_data_set`
  // (and `to_entity_id`) when given. Ordered by the target's data set name, then id.
  base::Result<std::vector<LinkView>> List(const Caller& caller, domain::DataSet data_set,
                                           RecordId id,
                                           std::optional<domain::DataSet> to_data_set = {},
                                           RecordId to_entity_id = 0) const;
  // Links each item; returns each link as stored. `data_set` is one of
  // domain::kPairLinkedDataSets (kInvalidArgument otherwise).
  base::Result<std::vector<LinkView>> Link(const Caller& caller, domain::DataSet data_set,
                                           std::span<const LinkItem> items,
                                           FailedItem failed = nullptr) const;
  base::Status Unlink(const Caller& caller, domain::DataSet data_set,
                      std::span<const LinkItem> items, FailedItem failed = nullptr) const;

 private:
  storage::Store& store_;
  const base::Clock& clock_;
};

}  // namespace gatehouse::service
