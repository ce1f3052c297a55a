// What differs between the record kinds in the generic use cases of RecordService
// (records_crud.cc). Not a public interface. Names, data sets and columns are the kinds' storage
// traits (storage/record_traits.h); Kind<R> adds the service's rules only:
//
//   static void Apply(const Input<R>&, R&)                  an item's fields onto the record: a
//       PATCH's onto the stored one, a POST's onto the row's defaults
//   static constexpr domain::Action kCreateRight            the right a new record needs
//   static constexpr std::array<storage::Link, N> kLinks    the links a response may embed
//   static Status LogChanges(w, caller, now, old, updated)  the events of an update
// and, when the kind has them:
//   static bool Embeds(const Embed&, storage::Link, bool page)  whether a page (or a single
//       record's response) reads that link for `embed`, where it is not the Embed member the
//       link fills (records_crud.cc)
//   static Status CheckNew(const Input<R>&)                 kInvalidArgument for a POST item
//       without a required field
//   static Status CheckReferences(caller, reader, old, record)  records it names are viewable
//       (old: nullptr on create)
//   static Status CheckStored(caller, old, stored)          rights on the record as stored
//   static Status Link(caller, w, now, id, input)           links a write names
//   static Result<RecordView<R>> Read(caller, reader, id)   a single record as Get shows it,
//       visible or kNotFound, read with what it always embeds
#pragma once

#include <array>
#include <cstdint>

#include "base/status.h"
#include "service/caller.h"
#include "service/records/records.h"
#include "storage/record_rows.h"
#include "storage/store.h"

namespace gatehouse::service::internal {

template <typename R>
struct Kind;

template <>
struct Kind<storage::Lead> {
  static constexpr domain::Action kCreateRight = domain::Action::kAdd;
  static constexpr std::array kLinks = {storage::Link::kLeadCompany, storage::Link::kLeadContacts};
  // The company is always embedded; a single lead's is read with it (Read).
  static bool Embeds(const Embed& embed, storage::Link link, bool page) {
    return link == storage::Link::kLeadCompany ? page : embed.contacts;
  }
  // The lead, its company and its tags in one statement: this is the hottest read of the API.
  static base::Result<LeadView> Read(const Caller& caller, const storage::AccountReader& reader,
                                     RecordId id);
  static void Apply(const LeadInput& in, storage::Lead& lead);
  // A new lead must be one its stage admits; a lead moved to another stage must stay editable
  // by the caller under the target stage's rights.
  static base::Status CheckStored(const Caller& caller, const storage::Lead* old,
                                  const storage::Lead& stored);
  static base::Status LogChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                                 const storage::Lead& old, const storage::Lead& lead);
  // Links the contacts and company named in a write; each must exist and be viewable by the
  // caller, else a field error as if it did not exist. Logs entity_linked for new links only.
  static base::Status Link(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                           RecordId lead_id, const LeadInput& in);
};

template <>
struct Kind<storage::Contact> {
  static constexpr domain::Action kCreateRight = domain::Action::kAdd;
  static constexpr std::array kLinks = {storage::Link::kContactLeads,
                                        storage::Link::kContactCustomers};
  static void Apply(const ContactInput& in, storage::Contact& contact);
  static base::Status LogChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                                 const storage::Contact& old, const storage::Contact& updated);
};

// Companies link to leads and customers only in the store (no direct company-contact link), so a
// company embeds its viewable leads and customers and never contacts.
template <>
struct Kind<storage::Company> {
  static constexpr domain::Action kCreateRight = domain::Action::kAdd;
  static constexpr std::array kLinks = {storage::Link::kCompanyLeads,
                                        storage::Link::kCompanyCustomers};
  static void Apply(const CompanyInput& in, storage::Company& company);
  static base::Status LogChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                                 const storage::Company& old, const storage::Company& updated);
};

// Tasks have view, edit and delete rights against their responsible user and no add right, so
// a new task must be one the caller could edit.
template <>
struct Kind<storage::Task> {
  static constexpr domain::Action kCreateRight = domain::Action::kEdit;
  static constexpr std::array<storage::Link, 0> kLinks = {};
  // text and complete_till are required.
  static base::Status CheckNew(const TaskInput& in);
  static void Apply(const TaskInput& in, storage::Task& task);
  // The record a task is attached to must exist and be viewable by the caller; otherwise it is
  // reported like a missing one. On update checked only when it changes.
  static base::Status CheckReferences(const Caller& caller, const storage::AccountReader& reader,
                                      const storage::Task* old, const storage::Task& task);
  static base::Status LogChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                                 const storage::Task& old, const storage::Task& task);
};

// Customers: the leads' rights without stage rights (their status is a customer status, not a
// stage), linked to contacts and a company like a lead.
template <>
struct Kind<storage::Customer> {
  static constexpr domain::Action kCreateRight = domain::Action::kAdd;
  static constexpr std::array kLinks = {storage::Link::kCustomerContacts,
                                        storage::Link::kCustomerCompany};
  static void Apply(const CustomerInput& in, storage::Customer& customer);
  static base::Status LogChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                                 const storage::Customer& old, const storage::Customer& updated);
  // As a lead's: each contact and the company must exist and be viewable by the caller.
  static base::Status Link(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                           RecordId customer_id, const CustomerInput& in);
};

}  // namespace gatehouse::service::internal
