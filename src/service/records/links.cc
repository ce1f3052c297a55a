// LinkService (links.h): reads and writes the lead <-> contact and lead <-> company links with
// the rights of both ends.
#include "service/records/links.h"

#include <algorithm>

#include "service/records/noted_records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::Action;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// The stored link a (source, target) pair stands for: one end is always a lead.
struct Pair {
  RecordId lead_id = 0;
  RecordId other_id = 0;
  bool contact = false;                              // the other end is a contact (else a company)
  domain::DataSet target = domain::DataSet::kLeads;  // the data set of the item's target
};

// `target_type` is the item's to_entity_type as sent, named by the domain's table once here.
Result<Pair> PairOf(const NotedKind& source, RecordId source_id, std::string_view target_type,
                    RecordId target_id) {
  using domain::DataSet;
  const std::optional<DataSet> target = domain::RecordDataSetFromName(target_type);
  const bool source_lead = source.data_set == DataSet::kLeads;
  const bool target_person = target == DataSet::kContacts || target == DataSet::kCompanies;
  if (source_lead && target_person) {
    return Pair{source_id, target_id, target == DataSet::kContacts, *target};
  }
  if (!source_lead && target == DataSet::kLeads) {
    return Pair{target_id, source_id, source.data_set == DataSet::kContacts, DataSet::kLeads};
  }
  if (target_person) {
    return Status::InvalidField("to_entity_type", "NotSupported",
                                "contacts and companies are linked through leads here: link "
                                "each to the lead instead");
  }
  return Status::InvalidField("to_entity_type", "NotSupportedChoice",
                              std::string(source.plural) + " link to " +
                                  (source_lead ? "contacts or companies" : "leads") + ", not '" +
                                  std::string(target_type) + "'");
}

// The kind whose links are written, refused when they are not written pair by pair (a
// customer's contacts and company are written with the customer, domain::kPairLinkedDataSets).
Result<NotedKind> RequirePairLinked(domain::DataSet data_set) {
  GH_ASSIGN_OR_RETURN(NotedKind kind, RequireNotedKind(data_set, "links"));
  if (!domain::IsPairLinked(data_set)) {
    return Status::InvalidField(
        "entity_type", "NotSupported",
        std::string(kind.plural) + " are linked through their own _embedded, not here");
  }
  return kind;
}

LinkView ViewOf(const NotedKind& source, RecordId source_id, domain::DataSet target,
                RecordId target_id, std::optional<bool> main_contact) {
  return {source_id, source.data_set, target_id, target, main_contact};
}

// entity_linked or entity_unlinked (`type`) of `item`, on its source record.
EventSpec LinkEvent(std::string_view type, const NotedKind& source, const NotedKind& target,
                    const LinkItem& item) {
  return {std::string(type), std::string(source.name), item.entity_id, "[]",
          LinkValue(target.name, item.to_entity_id)};
}

// Links (is_main: main_contact or as it was) or unlinks a lead and a contact.
Result<LinkView> WriteContactLink(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                                  const NotedKind& source, const NotedKind& target,
                                  const LinkItem& item, const Pair& pair, bool unlink) {
  GH_ASSIGN_OR_RETURN(std::vector<storage::LeadContactLink> existing, w.LeadContacts(pair.lead_id));
  const auto found = std::find_if(
      existing.begin(), existing.end(),
      [&](const storage::LeadContactLink& l) { return l.contact_id == pair.other_id; });
  const bool linked = found != existing.end();
  if (unlink) {
    if (linked) {
      GH_RETURN_IF_ERROR(w.UnlinkContact(pair.lead_id, pair.other_id));
      GH_RETURN_IF_ERROR(
          RecordEvent(w, caller, now, LinkEvent("entity_unlinked", source, target, item)));
    }
    return ViewOf(source, item.entity_id, target.data_set, item.to_entity_id, false);
  }
  const bool is_main = item.main_contact.value_or(linked && found->is_main);
  if (!linked || found->is_main != is_main) {
    GH_RETURN_IF_ERROR(w.LinkContact(pair.lead_id, pair.other_id, is_main));
    if (!linked) {
      GH_RETURN_IF_ERROR(
          RecordEvent(w, caller, now, LinkEvent("entity_linked", source, target, item)));
    }
  }
  return ViewOf(source, item.entity_id, target.data_set, item.to_entity_id, is_main);
}

// Links or unlinks a lead and a company. A lead has one company: a new one replaces it, which
// only someone who may view the old one can do (they would otherwise remove a link they cannot
// see).
Result<LinkView> WriteCompanyLink(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                                  const NotedKind& source, const NotedKind& target,
                                  const LinkItem& item, const Pair& pair, bool unlink) {
  GH_ASSIGN_OR_RETURN(std::optional<RecordId> current, w.LeadCompany(pair.lead_id));
  const LinkView view =
      ViewOf(source, item.entity_id, target.data_set, item.to_entity_id, std::nullopt);
  if (unlink) {
    if (current == pair.other_id) {
      GH_RETURN_IF_ERROR(w.UnlinkCompany(pair.lead_id));
      GH_RETURN_IF_ERROR(
          RecordEvent(w, caller, now, LinkEvent("entity_unlinked", source, target, item)));
    }
    return view;
  }
  if (current == pair.other_id) return view;
  if (current) {
    const NotedKind companies = *NotedKindOf(domain::DataSet::kCompanies);
    Result<domain::RecordRef> old = LoadVisibleRef(caller, w, companies, *current);
    if (!old.ok()) {
      return base::NotFoundAs(old.status(),
                              Status::InvalidField("to_entity_id", "Conflict",
                                                   "lead " + std::to_string(pair.lead_id) +
                                                       " already has a company you may not view"));
    }
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now,
        {"entity_unlinked", "lead", pair.lead_id, "[]", LinkValue("company", *current)}));
  }
  GH_RETURN_IF_ERROR(w.LinkCompany(pair.lead_id, pair.other_id));
  GH_RETURN_IF_ERROR(RecordEvent(w, caller, now, LinkEvent("entity_linked", source, target, item)));
  return view;
}

// The stored links List reads from each kind, and whether they carry the main contact.
struct LinkRead {
  domain::DataSet from;
  storage::Link link;
  domain::DataSet to;
  bool main_contact;
};
constexpr LinkRead kLinkReads[] = {
    {domain::DataSet::kLeads, storage::Link::kLeadContacts, domain::DataSet::kContacts, true},
    {domain::DataSet::kLeads, storage::Link::kLeadCompany, domain::DataSet::kCompanies, false},
    {domain::DataSet::kContacts, storage::Link::kContactLeads, domain::DataSet::kLeads, true},
    {domain::DataSet::kContacts, storage::Link::kContactCustomers, domain::DataSet::kCustomers,
     true},
    {domain::DataSet::kCompanies, storage::Link::kCompanyLeads, domain::DataSet::kLeads, false},
    {domain::DataSet::kCompanies, storage::Link::kCompanyCustomers, domain::DataSet::kCustomers,
     false},
    {domain::DataSet::kCustomers, storage::Link::kCustomerContacts, domain::DataSet::kContacts,
     true},
    {domain::DataSet::kCustomers, storage::Link::kCustomerCompany, domain::DataSet::kCompanies,
     false},
};

// Links or unlinks one item inside the transaction; returns the link as it now stands.
Result<LinkView> WriteOne(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                          const NotedKind& source, const LinkItem& item, bool unlink) {
  if (item.entity_id <= 0) {
    return Status::InvalidField("entity_id", "Required", "entity_id is required");
  }
  GH_ASSIGN_OR_RETURN(domain::RecordRef source_ref,
                      LoadVisibleRef(caller, w, source, item.entity_id));
  GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, source_ref));
  GH_ASSIGN_OR_RETURN(Pair pair,
                      PairOf(source, item.entity_id, item.to_entity_type, item.to_entity_id));
  std::optional<NotedKind> target = NotedKindOf(pair.target);
  Status missing = Status::FieldNotFound("to_entity_id", target->name, item.to_entity_id);
  Result<domain::RecordRef> target_ref = LoadVisibleRef(caller, w, *target, item.to_entity_id);
  if (!target_ref.ok()) return base::NotFoundAs(target_ref.status(), missing);
  if (item.main_contact && !pair.contact) {
    return Status::InvalidField("metadata.main_contact", "NotSupported",
                                "main_contact applies to lead-contact links only");
  }
  if (pair.contact) return WriteContactLink(caller, w, now, source, *target, item, pair, unlink);
  return WriteCompanyLink(caller, w, now, source, *target, item, pair, unlink);
}

}  // namespace

Result<std::vector<LinkView>> LinkService::List(const Caller& caller, domain::DataSet data_set,
                                                RecordId id,
                                                std::optional<domain::DataSet> to_data_set,
                                                RecordId to_entity_id) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  GH_ASSIGN_OR_RETURN(NotedKind source, RequireNotedKind(data_set, "links"));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_RETURN_IF_ERROR(LoadVisibleRef(caller, reader, source, id).status());
  std::vector<LinkView> out;
  const RecordId ids[] = {id};
  for (const LinkRead& read : kLinkReads) {
    if (read.from != source.data_set || (to_data_set && *to_data_set != read.to)) continue;
    GH_ASSIGN_OR_RETURN(std::vector<storage::LinkedRecord> linked, reader.Linked(read.link, ids));
    for (const storage::LinkedRecord& l : linked) {
      if (to_entity_id != 0 && l.id != to_entity_id) continue;
      if (!CanView(caller, l.ref)) continue;
      out.push_back(ViewOf(source, id, read.to, l.id,
                           read.main_contact ? std::optional<bool>(l.is_main) : std::nullopt));
    }
  }
  std::sort(out.begin(), out.end(), [](const LinkView& a, const LinkView& b) {
    return std::pair(domain::DataSetName(a.to_data_set), a.to_entity_id) <
           std::pair(domain::DataSetName(b.to_data_set), b.to_entity_id);
  });
  return out;
}

Result<std::vector<LinkView>> LinkService::Link(const Caller& caller, domain::DataSet data_set,
                                                std::span<const LinkItem> items,
                                                FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  GH_ASSIGN_OR_RETURN(NotedKind source, RequirePairLinked(data_set));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch<LinkView>(store_, caller.account_id, items.size(), failed,
                              [&](storage::AccountWriter& w, std::size_t i) {
                                return WriteOne(caller, w, now, source, items[i], false);
                              });
}

Status LinkService::Unlink(const Caller& caller, domain::DataSet data_set,
                           std::span<const LinkItem> items, FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  GH_ASSIGN_OR_RETURN(NotedKind source, RequirePairLinked(data_set));
  const std::int64_t now = clock_.NowSeconds();
  return store_.Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    return ForEachItem(items.size(), failed, [&](std::size_t i) -> Status {
      return WriteOne(caller, w, now, source, items[i], true).status();
    });
  });
}

}  // namespace gatehouse::service
