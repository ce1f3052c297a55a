// RecordService::AddComplexLeads (POST /api/v4/leads/complex): leads created together with their
// new or existing contact and company, each record written as its own POST would write it.
#include "service/records/records.h"
#include "service/records/records_internal.h"

namespace gatehouse::service {

using base::Result;
using base::Status;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// The new contact or company of a complex lead, created as Add<R> creates one; its responsible
// user is the one the lead names (so whoever works the lead sees its people), else the caller.
// Errors about its fields are reported under "_embedded.<key>.0.".
template <typename R>
Result<RecordId> AddEmbedded(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                             Input<R> in, const LeadInput& lead, std::string_view key) {
  if (!in.responsible_user_id) in.responsible_user_id = lead.responsible_user_id;
  Result<Written> written = AddRecord<R>(caller, w, now, in);
  if (written.ok()) return written->id;
  if (written.status().code() != base::Code::kInvalidArgument) return written.status();
  return AtEmbedded(written.status(), key, 0);
}

Status CheckOneOfEach(const ComplexLeadInput& in) {
  if (in.lead.contacts.size() + (in.new_contact ? 1 : 0) > 1) {
    return Status::InvalidField("_embedded.contacts", "TooMany",
                                "a lead added with leads/complex has at most one contact");
  }
  if (in.lead.company && in.new_company) {
    return Status::InvalidField("_embedded.companies", "TooMany",
                                "a lead added with leads/complex has at most one company");
  }
  return Status::Ok();
}

Result<ComplexWritten> AddComplexLead(const Caller& caller, storage::AccountWriter& w,
                                      std::int64_t now, const ComplexLeadInput& in) {
  GH_RETURN_IF_ERROR(CheckOneOfEach(in));
  ComplexWritten out;
  if (in.new_contact) {
    GH_ASSIGN_OR_RETURN(out.contact_id, AddEmbedded<storage::Contact>(
                                            caller, w, now, *in.new_contact, in.lead, "contacts"));
  } else if (!in.lead.contacts.empty()) {
    out.contact_id = in.lead.contacts.front().id;
  }
  if (in.new_company) {
    GH_ASSIGN_OR_RETURN(out.company_id, AddEmbedded<storage::Company>(
                                            caller, w, now, *in.new_company, in.lead, "companies"));
  } else if (in.lead.company) {
    out.company_id = *in.lead.company;
  }
  GH_ASSIGN_OR_RETURN(const Written lead, AddRecord<storage::Lead>(caller, w, now, in.lead));
  out.id = lead.id;
  if (in.new_contact) {
    GH_RETURN_IF_ERROR(LinkLeadContact(w, caller, now, lead.id, out.contact_id, /*main=*/true));
  }
  if (in.new_company) GH_RETURN_IF_ERROR(LinkLeadCompany(w, caller, now, lead.id, out.company_id));
  return out;
}

}  // namespace

Result<std::vector<ComplexWritten>> RecordService::AddComplexLeads(
    const Caller& caller, std::span<const ComplexLeadInput> items, FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch<ComplexWritten>(store_, caller.account_id, items.size(), failed,
                                    [&](storage::AccountWriter& w, std::size_t i) {
                                      return AddComplexLead(caller, w, now, items[i]);
                                    });
}

}  // namespace gatehouse::service
