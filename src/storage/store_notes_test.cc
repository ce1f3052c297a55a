// Notes (migration 14) on both engines: a page holds exactly the notes whose record the
// permission filter admits (stage audiences included), filters and order apply, a record's
// deletion removes its notes, and writes check the record and the responsible user.
#include <gtest/gtest.h>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using policy::Audience;
using policy::ListFilter;

class NotesStoreTest : public StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("acme");
    other_ = NewAccount("other");
    ann_ = NewUser(account_, "ann@acme.test");
    bob_ = NewUser(account_, "bob@acme.test");
    auto pipelines = store_->Reader(account_).ListPipelines();
    ASSERT_TRUE(pipelines.ok() && !pipelines->empty());
    pipeline_ = pipelines->front().id;
    for (const domain::Stage& s : pipelines->front().stages) {
      if (s.type == domain::kStageTypeNormal && s.id != domain::kWonStatusId &&
          s.id != domain::kLostStatusId) {
        stages_.push_back(s.id);
      }
    }
    ASSERT_GE(stages_.size(), 2u);
  }

  RecordId MakeLead(UserId responsible, StatusId status) {
    const Lead lead{.name = "Deal",
                    .pipeline_id = pipeline_,
                    .status_id = status,
                    .responsible_user_id = responsible};
    return NewRecord(account_, lead).id;
  }

  base::Result<Note> AddNote(domain::DataSet entity_type, RecordId entity_id,
                             std::string note_type = "common", std::int64_t at = 100) {
    const Note note{.entity_type = entity_type,
                    .entity_id = entity_id,
                    .note_type = std::move(note_type),
                    .params_json = R"({"text":"hello"})",
                    .responsible_user_id = ann_,
                    .created_by = ann_,
                    .created_at = at,
                    .updated_at = at};
    base::Result<Note> out = Status::NotFound("unset");
    Status s = store_->Write(account_, [&](AccountWriter& w) -> Status {
      out = w.CreateNote(note);
      return out.status();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::vector<RecordId> Listed(const NoteQuery& query) {
    auto page = store_->Reader(account_).ListVisibleNotes(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<RecordId> ids;
    if (page.ok()) {
      for (const Note& n : page->items) ids.push_back(n.id);
    }
    return ids;
  }

  static NoteQuery AllOf(domain::DataSet entity_type) {
    return NoteQuery{.entity_type = entity_type, .permission = ListFilter::All()};
  }

  static ListFilter Responsible(UserId user) {
    return ListFilter{Audience{Audience::Kind::kResponsibleIn, {user}}, {}};
  }

  AccountId account_ = 0, other_ = 0;
  UserId ann_ = 0, bob_ = 0;
  PipelineId pipeline_ = 0;
  std::vector<StatusId> stages_;
};

TEST_P(NotesStoreTest, APageHoldsExactlyTheNotesOfRecordsThePermissionAdmits) {
  const RecordId anns = MakeLead(ann_, stages_[0]);
  const RecordId bobs = MakeLead(bob_, stages_[0]);
  const RecordId bobs_second_stage = MakeLead(bob_, stages_[1]);
  auto a = AddNote(domain::DataSet::kLeads, anns);
  auto b = AddNote(domain::DataSet::kLeads, bobs);
  auto c = AddNote(domain::DataSet::kLeads, bobs_second_stage);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok()) << a.status().ToString();

  NoteQuery query{.entity_type = domain::DataSet::kLeads, .permission = ListFilter::All()};
  EXPECT_EQ(Listed(query), (std::vector<RecordId>{a->id, b->id, c->id}));
  query.permission = Responsible(ann_);
  EXPECT_EQ(Listed(query), (std::vector<RecordId>{a->id}));
  query.permission = ListFilter{};  // matches nothing
  EXPECT_TRUE(Listed(query).empty());
  // Ann's leads, and every lead of the second stage (a stage audience).
  query.permission = Responsible(ann_);
  query.permission.stages = {{{pipeline_, stages_[1]}, Audience{Audience::Kind::kAll, {}}}};
  EXPECT_EQ(Listed(query), (std::vector<RecordId>{a->id, c->id}));
  // Another account sees none of them, whatever its filter.
  auto foreign = store_->Reader(other_).ListVisibleNotes(AllOf(domain::DataSet::kLeads));
  ASSERT_TRUE(foreign.ok());
  EXPECT_TRUE(foreign->items.empty());
}

TEST_P(NotesStoreTest, FiltersOrderAndPagesApply) {
  const RecordId lead = MakeLead(ann_, stages_[0]);
  const RecordId other_lead = MakeLead(ann_, stages_[0]);
  auto a = AddNote(domain::DataSet::kLeads, lead, "common", 100);
  auto b = AddNote(domain::DataSet::kLeads, lead, "sms_in", 200);
  auto c = AddNote(domain::DataSet::kLeads, other_lead, "common", 300);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  NoteQuery query = AllOf(domain::DataSet::kLeads);
  query.entity_ids = {lead};
  EXPECT_EQ(Listed(query), (std::vector<RecordId>{a->id, b->id}));
  query.entity_ids.clear();
  query.note_types = {"common"};
  EXPECT_EQ(Listed(query), (std::vector<RecordId>{a->id, c->id}));
  query.note_types.clear();
  query.updated_at.from = 150;
  EXPECT_EQ(Listed(query), (std::vector<RecordId>{b->id, c->id}));
  query.updated_at = {};
  query.order_field = OrderField::kUpdatedAt;
  query.order_direction = OrderDirection::kDesc;
  query.limit = 2;
  auto page = store_->Reader(account_).ListVisibleNotes(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, c->id);
  EXPECT_TRUE(page->next.has_value());
  query.page = 2;
  EXPECT_EQ(Listed(query), (std::vector<RecordId>{a->id}));
  // Notes are per kind: the contacts' list does not show the leads' notes.
  EXPECT_TRUE(Listed(AllOf(domain::DataSet::kContacts)).empty());
}

TEST_P(NotesStoreTest, DeletingARecordDeletesItsNotes) {
  const RecordId lead = MakeLead(ann_, stages_[0]);
  const RecordId kept = MakeLead(ann_, stages_[0]);
  ASSERT_TRUE(AddNote(domain::DataSet::kLeads, lead).ok());
  auto survivor = AddNote(domain::DataSet::kLeads, kept);
  ASSERT_TRUE(survivor.ok());
  ASSERT_TRUE(store_->Write(account_, [&](AccountWriter& w) { return w.Delete<Lead>(lead); }).ok());
  auto c = store_->pool().Acquire();
  auto rows = c->Query("SELECT id FROM notes");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(sql::AsInt(rows->rows[0][0]), survivor->id);
}

TEST_P(NotesStoreTest, WritesCheckTheRecordAndTheResponsibleUser) {
  const RecordId lead = MakeLead(ann_, stages_[0]);
  auto missing = AddNote(domain::DataSet::kLeads, lead + 1000);
  EXPECT_EQ(missing.status().code(), base::Code::kInvalidArgument);
  ASSERT_FALSE(missing.status().fields().empty());
  EXPECT_EQ(missing.status().fields()[0].path, "entity_id");
  // A lead id is not a contact id.
  EXPECT_EQ(AddNote(domain::DataSet::kContacts, lead).status().code(),
            base::Code::kInvalidArgument);
  EXPECT_EQ(AddNote(domain::DataSet::kTasks, lead).status().code(), base::Code::kInvalidArgument);

  auto note = AddNote(domain::DataSet::kLeads, lead);
  ASSERT_TRUE(note.ok());
  Note changed = *note;
  changed.params_json = R"({"text":"changed"})";
  changed.responsible_user_id = bob_;
  changed.updated_by = bob_;
  changed.updated_at = 500;
  ASSERT_TRUE(
      store_->Write(account_, [&](AccountWriter& w) { return w.UpdateNote(changed); }).ok());
  auto read = store_->Reader(account_).GetNote(domain::DataSet::kLeads, note->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, changed);
  // Another account cannot read or change it.
  EXPECT_EQ(store_->Reader(other_).GetNote(domain::DataSet::kLeads, note->id).status().code(),
            base::Code::kNotFound);
  EXPECT_EQ(store_->Write(other_, [&](AccountWriter& w) { return w.UpdateNote(changed); }).code(),
            base::Code::kNotFound);
  changed.responsible_user_id = 999999;
  Status bad = store_->Write(account_, [&](AccountWriter& w) { return w.UpdateNote(changed); });
  EXPECT_EQ(bad.code(), base::Code::kInvalidArgument);
}

GH_INSTANTIATE_STORE_TEST(NotesStoreTest);

}  // namespace
}  // namespace gatehouse::storage
