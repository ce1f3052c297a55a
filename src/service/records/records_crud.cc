// RecordService: the use cases every record kind shares (list, count, get, add, update, delete,
// export), written once over the kinds' storage traits and service rules (records_kinds.h).
#include <algorithm>
#include <type_traits>
#include <unordered_map>

#include "service/admin/custom_fields.h"
#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/records/records_kinds.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::Action;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

template <typename R>
using Traits = storage::RecordTraits<R>;

// A member of Embed: what a request asks to embed.
using EmbedFlag = bool Embed::*;

// The member of Embed that asks for `link`, named like the RecordView member the link fills.
EmbedFlag AskedBy(storage::Link link) {
  switch (link) {
    case storage::Link::kLeadContacts:
    case storage::Link::kCustomerContacts:
      return &Embed::contacts;
    case storage::Link::kLeadCompany:
    case storage::Link::kCustomerCompany:
      return &Embed::companies;
    case storage::Link::kContactLeads:
    case storage::Link::kCompanyLeads:
      return &Embed::leads;
    case storage::Link::kContactCustomers:
    case storage::Link::kCompanyCustomers:
      return &Embed::customers;
  }
  return &Embed::contacts;  // not reached: the switch names every link (-Wswitch)
}

// Whether a page (or a single record's response) reads `link` for `embed`: the member that asks
// for it, unless the kind has its own rule (Kind<R>::Embeds).
template <typename R>
bool Embeds(const Embed& embed, storage::Link link, bool page) {
  if constexpr (requires { Kind<R>::Embeds(embed, link, page); }) {
    return Kind<R>::Embeds(embed, link, page);
  } else {
    return embed.*AskedBy(link);
  }
}

// Adds to each view the linked records the caller may view, for every link of the kind that
// `embed` asks for: one statement per link for all of `views` (a page, or one record).
template <typename R>
Status EmbedLinks(const Caller& caller, const storage::AccountReader& reader, const Embed& embed,
                  bool page, std::span<RecordView<R>> views) {
  if (views.empty()) return Status::Ok();
  std::vector<RecordId> ids;
  std::unordered_map<RecordId, RecordView<R>*> view_of;
  ids.reserve(views.size());
  for (RecordView<R>& view : views) {
    ids.push_back(view.record.id);
    view_of[view.record.id] = &view;
  }
  for (storage::Link link : Kind<R>::kLinks) {
    if (!Embeds<R>(embed, link, page)) continue;
    const EmbedFlag member = AskedBy(link);
    GH_ASSIGN_OR_RETURN(std::vector<storage::LinkedRecord> linked, reader.Linked(link, ids));
    for (const storage::LinkedRecord& l : linked) {
      if (!CanView(caller, l.ref)) continue;
      RecordView<R>& view = *view_of.at(l.of);
      if (member == &Embed::contacts) {
        view.contacts.push_back({l.of, l.id, l.is_main});
      } else if (member == &Embed::companies) {
        view.companies.push_back(l.id);
      } else if (member == &Embed::leads) {
        view.leads.push_back(l.id);
      } else {
        view.customers.push_back(l.id);
      }
    }
  }
  return Status::Ok();
}

template <typename R>
Status CheckReferences(const Caller& caller, const storage::AccountReader& reader, const R* old,
                       const R& record) {
  if constexpr (requires { Kind<R>::CheckReferences(caller, reader, old, record); }) {
    return Kind<R>::CheckReferences(caller, reader, old, record);
  }
  return Status::Ok();
}

// The record a POST item creates: the row's defaults with the item's fields, created by the
// caller (or whom the item's stamps name) at `now` (or its stamps' times); the caller is
// responsible for it unless the item names someone.
template <typename R>
Result<R> NewRecord(const Caller& caller, const Input<R>& in, std::int64_t now) {
  if constexpr (requires { Kind<R>::CheckNew(in); }) {
    GH_RETURN_IF_ERROR(Kind<R>::CheckNew(in));
  }
  R record;
  Kind<R>::Apply(in, record);
  record.responsible_user_id = in.responsible_user_id.value_or(caller.user_id);
  record.created_at = in.stamps.created_at.value_or(now);
  record.updated_at = in.stamps.updated_at.value_or(now);
  record.created_by = in.stamps.created_by.value_or(caller.user_id);
  record.updated_by = in.stamps.updated_by.value_or(record.created_by);
  return record;
}

template <typename R>
Status CheckStored(const Caller& caller, const R* old, const R& stored) {
  if constexpr (requires { Kind<R>::CheckStored(caller, old, stored); }) {
    return Kind<R>::CheckStored(caller, old, stored);
  }
  return Status::Ok();
}

template <typename R>
Status Link(const Caller& caller, storage::AccountWriter& w, std::int64_t now, RecordId id,
            const Input<R>& in) {
  if constexpr (requires { Kind<R>::Link(caller, w, now, id, in); }) {
    return Kind<R>::Link(caller, w, now, id, in);
  }
  return Status::Ok();
}

// Leads with Embed::loss_reason: each lead's loss reason, from one read of the account's
// (short) list of reasons.
template <typename R>
Status EmbedLossReasons(const storage::AccountReader& reader, const Embed& embed,
                        std::span<RecordView<R>> views) {
  if constexpr (std::is_same_v<R, storage::Lead>) {
    if (!embed.loss_reason || views.empty()) return Status::Ok();
    GH_ASSIGN_OR_RETURN(std::vector<storage::LossReason> reasons, reader.ListLossReasons());
    std::unordered_map<std::int64_t, const storage::LossReason*> by_id;
    for (const storage::LossReason& reason : reasons) by_id[reason.id] = &reason;
    for (RecordView<R>& view : views) {
      auto it = by_id.find(view.record.loss_reason_id);
      if (it != by_id.end()) view.loss_reason = *it->second;
    }
  }
  return Status::Ok();
}

// ---- custom fields (issue 15 §3; service/admin/custom_fields.h) ----

template <typename R>
constexpr bool kHasFields = domain::HasCustomFields(Traits<R>::kDataSet);

// Replaces each view's custom_fields_json with what the caller may see of the record's custom
// field values: two statements for all of `views` (the definitions, the values).
template <typename R>
Status ShowFieldValues(const Caller& caller, const storage::AccountReader& reader,
                       std::span<RecordView<R>> views) {
  if constexpr (kHasFields<R>) {
    if (views.empty()) return Status::Ok();
    constexpr domain::DataSet kSet = Traits<R>::kDataSet;
    // An account without fields of the kind shows the text stored before migration 15, as is,
    // without a statement (on PostgreSQL a round trip per request).
    if (!caller.policy->HasCustomFields(kSet)) return Status::Ok();
    GH_ASSIGN_OR_RETURN(std::vector<domain::CustomField> fields, reader.ListCustomFields(kSet));
    if (fields.empty()) return Status::Ok();
    std::vector<RecordId> ids;
    ids.reserve(views.size());
    for (const RecordView<R>& view : views) ids.push_back(view.record.id);
    GH_ASSIGN_OR_RETURN(std::vector<storage::FieldValueRow> rows, reader.FieldValues(kSet, ids));
    std::unordered_map<RecordId, std::pair<std::size_t, std::size_t>> range;  // [begin, end)
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto [it, inserted] = range.try_emplace(rows[i].record_id, i, i + 1);
      if (!inserted) it->second.second = i + 1;
    }
    for (RecordView<R>& view : views) {
      std::span<const storage::FieldValueRow> own;
      if (auto it = range.find(view.record.id); it != range.end()) {
        own = std::span<const storage::FieldValueRow>(rows).subspan(
            it->second.first, it->second.second - it->second.first);
      }
      view.record.custom_fields_json =
          RenderFieldValues(caller, kSet, fields, own, view.record.custom_fields_json);
    }
  }
  return Status::Ok();
}

// The tag changes of a write, for tagged kinds.
template <typename R>
Status WriteTags(const Caller& caller, storage::AccountWriter& w, std::int64_t now, RecordId id,
                 const Input<R>& in, bool created) {
  if constexpr (storage::TaggedRecord<R>) {
    if (in.tags.empty()) return Status::Ok();
    return ApplyTags(w, caller, now, Traits<R>::kDataSet, Traits<R>::kName, id, in.tags, created);
  }
  return Status::Ok();
}

// Writes the custom_fields_values an item sent (checked, rights enforced); the fields whose
// stored values changed.
template <typename R>
Result<std::vector<FieldChange>> WriteFields(const Caller& caller, storage::AccountWriter& w,
                                             RecordId id, const Input<R>& in) {
  if constexpr (kHasFields<R>) {
    if (in.custom_fields_json) {
      return WriteFieldValues(caller, w, Traits<R>::kDataSet, id, *in.custom_fields_json);
    }
  }
  return std::vector<FieldChange>{};
}

// `query` with its filter[custom_fields_values] resolved against the kind's fields and the
// caller's field rights (ResolveFieldFilters); kinds without custom fields pass it on for the
// store to refuse.
template <typename R>
Result<storage::ListQuery> Resolved(const Caller& caller, const storage::AccountReader& reader,
                                    storage::ListQuery query) {
  if constexpr (kHasFields<R>) {
    GH_RETURN_IF_ERROR(
        ResolveFieldFilters(caller, reader, Traits<R>::kDataSet, query.custom_fields));
  }
  return query;
}

// The kind's custom fields the caller may view, in the definitions' order (none for kinds
// without custom fields).
template <typename R>
Result<std::vector<domain::CustomField>> VisibleFields(const Caller& caller,
                                                       const storage::AccountReader& reader) {
  std::vector<domain::CustomField> fields;
  if constexpr (kHasFields<R>) {
    constexpr domain::DataSet kSet = Traits<R>::kDataSet;
    GH_ASSIGN_OR_RETURN(fields, reader.ListCustomFields(kSet));
    std::erase_if(fields, [&](const domain::CustomField& f) {
      return !caller.policy->CanViewField(caller.user_id, kSet, f.id);
    });
  }
  return fields;
}

// The added export cells of `records` (ExportResult): one per field of `fields`, then the tags;
// one statement each for the values and the tags of all of them.
template <typename R>
Result<std::vector<std::vector<std::string>>> ExportCells(
    const storage::AccountReader& reader, std::span<const domain::CustomField> fields,
    std::span<const R> records) {
  std::vector<RecordId> ids;
  std::unordered_map<RecordId, std::size_t> index;
  for (const R& record : records) {
    index[record.id] = ids.size();
    ids.push_back(record.id);
  }
  const std::size_t width = fields.size() + (storage::TaggedRecord<R> ? 1 : 0);
  std::vector<std::vector<std::string>> cells(records.size(), std::vector<std::string>(width));
  auto append = [](std::string& cell, std::string_view text) {
    if (!cell.empty()) cell += "; ";
    cell += text;
  };
  if (!fields.empty()) {
    std::unordered_map<std::int64_t, std::size_t> column;
    for (std::size_t i = 0; i < fields.size(); ++i) column[fields[i].id] = i;
    GH_ASSIGN_OR_RETURN(std::vector<storage::FieldValueRow> rows,
                        reader.FieldValues(Traits<R>::kDataSet, ids));
    for (const storage::FieldValueRow& row : rows) {
      auto c = column.find(row.field_id);
      if (c == column.end()) continue;  // a field the caller may not view
      append(cells[index.at(row.record_id)][c->second],
             FieldValueText(fields[c->second], row.value));
    }
  }
  if constexpr (storage::TaggedRecord<R>) {
    GH_ASSIGN_OR_RETURN(std::vector<storage::RecordTag> tags,
                        reader.TagsOf(Traits<R>::kDataSet, ids));
    for (const storage::RecordTag& t : tags)
      append(cells[index.at(t.record_id)].back(), t.tag.name);
  }
  return cells;
}

}  // namespace

namespace internal {

template <typename R>
Result<Written> AddRecord(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                          const Input<R>& in) {
  const std::string kind(Traits<R>::kName);
  GH_ASSIGN_OR_RETURN(R record, NewRecord<R>(caller, in, now));
  GH_RETURN_IF_ERROR(Require(caller, Kind<R>::kCreateRight, RefOf(record)));
  GH_RETURN_IF_ERROR(CheckReferences<R>(caller, w, nullptr, record));
  GH_ASSIGN_OR_RETURN(R created, w.Create(record));
  GH_RETURN_IF_ERROR(CheckStored<R>(caller, nullptr, created));
  GH_RETURN_IF_ERROR(WriteFields<R>(caller, w, created.id, in).status());
  GH_RETURN_IF_ERROR(RecordEvent(w, caller, now, {kind + "_added", kind, created.id, "[]", "[]"}));
  GH_RETURN_IF_ERROR(Link<R>(caller, w, now, created.id, in));
  GH_RETURN_IF_ERROR(WriteTags<R>(caller, w, now, created.id, in, true));
  return Written{created.id, created.updated_at};
}

}  // namespace internal

template <typename R>
Result<ListPage<RecordView<R>>> RecordService::List(const Caller& caller,
                                                    const storage::ListQuery& query,
                                                    const Embed& embed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const policy::ListFilter permission =
      caller.policy->CompileFilter(caller.user_id, Traits<R>::kDataSet, Action::kView);
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(const storage::ListQuery resolved, Resolved<R>(caller, reader, query));
  GH_ASSIGN_OR_RETURN(storage::Page<R> page, reader.List<R>(permission, resolved));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  ListPage<RecordView<R>> out;
  out.has_next = page.next.has_value();
  out.items.reserve(page.items.size());
  for (R& record : page.items) {
    RecordView<R> view;
    view.group_id = groups.Of(record.responsible_user_id);
    view.record = std::move(record);
    out.items.push_back(std::move(view));
  }
  GH_RETURN_IF_ERROR(EmbedLinks<R>(caller, reader, embed, /*page=*/true, out.items));
  if constexpr (storage::TaggedRecord<R>) {
    GH_RETURN_IF_ERROR(EmbedTags<R>(reader, std::span<RecordView<R>>(out.items)));
  }
  GH_RETURN_IF_ERROR(EmbedLossReasons<R>(reader, embed, std::span<RecordView<R>>(out.items)));
  GH_RETURN_IF_ERROR(ShowFieldValues<R>(caller, reader, out.items));
  return out;
}

template <typename R>
Result<RecordView<R>> RecordService::Get(const Caller& caller, RecordId id,
                                         const Embed& embed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  RecordView<R> view;
  if constexpr (requires { Kind<R>::Read(caller, reader, id); }) {
    // The record with what GET always embeds (its tags among them), in one statement.
    GH_ASSIGN_OR_RETURN(view, Kind<R>::Read(caller, reader, id));
  } else {
    GH_ASSIGN_OR_RETURN(view.record, LoadVisibleRecord<R>(caller, reader, id));
    if constexpr (storage::TaggedRecord<R>) {
      GH_RETURN_IF_ERROR(EmbedTags<R>(reader, std::span<RecordView<R>>(&view, 1)));
    }
  }
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  view.group_id = groups.Of(view.record.responsible_user_id);
  GH_RETURN_IF_ERROR(
      EmbedLinks<R>(caller, reader, embed, /*page=*/false, std::span<RecordView<R>>(&view, 1)));
  GH_RETURN_IF_ERROR(EmbedLossReasons<R>(reader, embed, std::span<RecordView<R>>(&view, 1)));
  GH_RETURN_IF_ERROR(ShowFieldValues<R>(caller, reader, std::span<RecordView<R>>(&view, 1)));
  return view;
}

template <typename R>
Result<std::vector<Written>> RecordService::Add(const Caller& caller,
                                                std::span<const Input<R>> items,
                                                FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(store_, caller.account_id, items.size(), failed,
                    [&](storage::AccountWriter& w, std::size_t i) {
                      return AddRecord<R>(caller, w, now, items[i]);
                    });
}

template <typename R>
Result<std::vector<Written>> RecordService::Update(const Caller& caller,
                                                   std::span<const Input<R>> items,
                                                   FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(store_, caller.account_id, items.size(), failed,
                    [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
                      const Input<R>& in = items[i];
                      GH_ASSIGN_OR_RETURN(R old, LoadVisibleRecord<R>(caller, w, in.id));
                      // Edit on the record as it is: for a lead this covers the stage it leaves.
                      GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, RefOf(old)));
                      R record = old;
                      Kind<R>::Apply(in, record);
                      if (in.stamps.created_by && *in.stamps.created_by != old.created_by) {
                        return Status::InvalidField("created_by", "ReadOnly",
                                                    "created_by cannot change (it is " +
                                                        std::to_string(old.created_by) + ")");
                      }
                      record.updated_by = in.stamps.updated_by.value_or(caller.user_id);
                      // updated_at as given; the stored value (a record sent back as read)
                      // means now.
                      record.updated_at =
                          in.stamps.updated_at && *in.stamps.updated_at != old.updated_at
                              ? *in.stamps.updated_at
                              : now;
                      GH_RETURN_IF_ERROR(CheckReferences<R>(caller, w, &old, record));
                      // The record as stored (defaults resolved), for the checks and events that
                      // follow.
                      R updated;
                      GH_RETURN_IF_ERROR(w.Update(record, &updated));
                      GH_RETURN_IF_ERROR(CheckStored<R>(caller, &old, updated));
                      GH_RETURN_IF_ERROR(Kind<R>::LogChanges(w, caller, now, old, updated));
                      GH_ASSIGN_OR_RETURN(const std::vector<FieldChange> changes,
                                          WriteFields<R>(caller, w, updated.id, in));
                      // One event per field, naming it: the log shows it only to who may view the
                      // field.
                      for (const FieldChange& change : changes) {
                        GH_RETURN_IF_ERROR(RecordEvent(
                            w, caller, now,
                            {"custom_field_value_changed", std::string(Traits<R>::kName),
                             updated.id, change.before_json, change.after_json}));
                      }
                      GH_RETURN_IF_ERROR(Link<R>(caller, w, now, updated.id, in));
                      GH_RETURN_IF_ERROR(WriteTags<R>(caller, w, now, updated.id, in, false));
                      return Written{updated.id, updated.updated_at};
                    });
}

template <typename R>
Status RecordService::Delete(const Caller& caller, RecordId id) const {
  return DeleteRecord<R>(store_, clock_, caller, id);
}

template <typename R>
Result<ExportResult> RecordService::Export(const Caller& caller, const storage::ListQuery& query,
                                           const ExportVisitor<R>& visit) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const domain::DataSet data_set = Traits<R>::kDataSet;
  const policy::ListFilter permission =
      caller.policy->CompileFilter(caller.user_id, data_set, Action::kExport);
  if (permission.MatchesNothing()) {
    // Name the missing right: a record of the caller's own would be the easiest to export.
    Status own = Require(caller, Action::kExport, {data_set, caller.user_id, 0, 0});
    if (!own.ok()) return own;
    return Status::Denied(std::string(DataSetName(domain::RightsRow(data_set))) +
                          ".export is D (denied)");
  }
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(const storage::ListQuery resolved, Resolved<R>(caller, reader, query));
  ExportResult result;
  GH_ASSIGN_OR_RETURN(const std::vector<domain::CustomField> fields,
                      VisibleFields<R>(caller, reader));
  for (const domain::CustomField& field : fields) result.columns.push_back(field.name);
  if constexpr (storage::TaggedRecord<R>) result.columns.emplace_back("tags");
  // The records first, then their cells: reading values inside the store's visit would hold a
  // second pooled connection while the first is held.
  std::vector<R> records;
  GH_RETURN_IF_ERROR(reader.Export<R>(permission, resolved, [&](std::span<const R> batch) {
    records.insert(records.end(), batch.begin(), batch.end());
    return Status::Ok();
  }));
  constexpr std::size_t kBatch = 1000;
  for (std::size_t begin = 0; begin < records.size(); begin += kBatch) {
    const std::span<const R> chunk =
        std::span<const R>(records).subspan(begin, std::min(kBatch, records.size() - begin));
    GH_ASSIGN_OR_RETURN(const std::vector<std::vector<std::string>> cells,
                        ExportCells<R>(reader, fields, chunk));
    GH_RETURN_IF_ERROR(visit(ExportBatch<R>{chunk, cells}));
  }
  result.rows = static_cast<std::int64_t>(records.size());
  const std::int64_t now = clock_.NowSeconds();
  GH_RETURN_IF_ERROR(store_.Write(caller.account_id, [&](storage::AccountWriter& w) {
    return RecordEvent(w, caller, now,
                       {"export_performed", std::string(Traits<R>::kName), 0, "[]",
                        ExportValue(DataSetName(data_set), result.rows)});
  }));
  return result;
}

// ---- instantiations: every use case for every kind, and the exports ----

#define GATEHOUSE_RECORD_KIND(R)                                                              \
  template Result<ListPage<RecordView<R>>> RecordService::List<R>(                            \
      const Caller&, const storage::ListQuery&, const Embed&) const;                          \
  template Result<RecordView<R>> RecordService::Get<R>(const Caller&, RecordId, const Embed&) \
      const;                                                                                  \
  template Result<std::vector<Written>> RecordService::Add<R>(                                \
      const Caller&, std::span<const Input<R>>, FailedItem) const;                            \
  template Result<std::vector<Written>> RecordService::Update<R>(                             \
      const Caller&, std::span<const Input<R>>, FailedItem) const;                            \
  template Status RecordService::Delete<R>(const Caller&, RecordId) const;                    \
  template Result<Written> internal::AddRecord<R>(const Caller&, storage::AccountWriter&,     \
                                                  std::int64_t, const Input<R>&);
GATEHOUSE_RECORD_KIND(storage::Lead)
GATEHOUSE_RECORD_KIND(storage::Contact)
GATEHOUSE_RECORD_KIND(storage::Company)
GATEHOUSE_RECORD_KIND(storage::Task)
GATEHOUSE_RECORD_KIND(storage::Customer)
#undef GATEHOUSE_RECORD_KIND

#define GATEHOUSE_EXPORTED_KIND(R)                                                                 \
  template Result<ExportResult> RecordService::Export<R>(const Caller&, const storage::ListQuery&, \
                                                         const ExportVisitor<R>&) const;
GATEHOUSE_EXPORTED_KIND(storage::Lead)
GATEHOUSE_EXPORTED_KIND(storage::Contact)
GATEHOUSE_EXPORTED_KIND(storage::Company)
GATEHOUSE_EXPORTED_KIND(storage::Customer)
#undef GATEHOUSE_EXPORTED_KIND

}  // namespace gatehouse::service
