// The permission engine: an account's rights compiled into an immutable snapshot.
//
// Build() once per change of users, groups, roles or pipelines; share the snapshot between
// threads freely (every method is const and thread-safe). Check() allocates nothing, takes no
// lock, and denies by default. Semantics (SPEC §2), in order:
//   1. acting user unknown -> deny (kUnknownUser); deactivated -> deny (kInactiveUser);
//      free -> deny (kFreeUser); these hold for admins too.
//   2. admin -> allow (kAdmin).
//   3. action not applicable to the data set -> deny (kNotApplicable).
//   4. level = for leads whose stage (pipeline_id, status_id) has a compiled stage entry for this
//      user: the stage level (kStageRight); else rights[data_set][action] (kGeneralRight).
//      The compiled stage level of an action is: the stage entry's level for the action when
//      set, else the general lead level; and then the dependency chain is re-applied to those
//      merged levels (edit <= view; delete <= view, edit; export <= view).
//      `add` never uses stage rights. Customers (DataSet::kCustomers) take the leads' row
//      (domain::RightsRow) and never stage rights: they are in no lead stage.
//   5. A -> allow; D -> deny; M -> allow iff record.responsible_user_id == user id;
//      G -> allow iff the responsible user exists in the account and has the acting user's
//      group (whatever the responsible user's active/free state). Responsible 0 never matches.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "domain/account.h"
#include "policy/decision.h"
#include "policy/list_filter.h"

namespace gatehouse::policy {

// One step of an explanation, as data an API can return.
struct Reason {
  std::string code{};  // "admin", "inactive_user", "general_right", "stage_right", "responsible",
                       // "group", "not_applicable", "unknown_user", "free_user"
  std::string text{};  // a sentence for a person
};

struct Explanation {
  Decision decision{};
  std::vector<Reason> reasons{};  // in the order the engine considered them
  // Structured facts behind the decision, for API rendering.
  std::optional<domain::StageKey> stage_rule{};  // set when a stage entry decided
  domain::GroupId user_group_id = 0;
  std::optional<domain::GroupId> responsible_group_id{};  // nullopt: responsible not in account
};

class AccountPolicy {
 public:
  // Compiles `model`. Rights in the model are expected normalized; Build normalizes again
  // defensively so the snapshot never holds an action wider than its dependencies.
  static std::shared_ptr<const AccountPolicy> Build(const domain::AccountModel& model);

  // Opaque handle to a compiled user: resolve once per request, check many times.
  struct CompiledUser;
  const CompiledUser* FindUser(domain::UserId user_id) const;  // nullptr when unknown

  Decision Check(domain::UserId user_id, domain::Action action,
                 const domain::RecordRef& record) const;
  Decision Check(const CompiledUser* user, domain::Action action,
                 const domain::RecordRef& record) const;

  // Exactly the records for which Check(user, action, record) allows (for every record of
  // `data_set`). Unknown/inactive/free user -> matches nothing; admin -> everything.
  ListFilter CompileFilter(domain::UserId user_id, domain::DataSet data_set,
                           domain::Action action) const;

  // Check() plus the chain of reasons; explanation.decision equals Check()'s.
  Explanation Explain(domain::UserId user_id, domain::Action action,
                      const domain::RecordRef& record) const;

  // Feature access (Lists, Shared Inbox, files). Admins: yes; unknown/inactive/free: no.
  bool HasFeature(domain::UserId user_id, domain::Feature feature) const;

  // Field rights (SPEC §2 "Field rights"): whether the user may view / edit custom field
  // `field_id` of `data_set` (leads, contacts, companies). Admins: every field; unknown,
  // inactive or free users: none; others: their rights' field_rights (a field not listed: yes;
  // edit never wider than view). Says nothing about the records themselves (Check does).
  bool CanViewField(domain::UserId user_id, domain::DataSet data_set, std::int64_t field_id) const;
  bool CanEditField(domain::UserId user_id, domain::DataSet data_set, std::int64_t field_id) const;
  // True when the user sees every field of `data_set` (admin, or no restriction listed): lets
  // renderers skip the per-field checks.
  bool SeesAllFields(domain::UserId user_id, domain::DataSet data_set) const;
  // Whether the account has any custom field of `data_set` (AccountModel::custom_fields): lets
  // renderers skip reading definitions and values the account cannot have. The store bumps the
  // security revision when a field is created or deleted, so every server's snapshot follows.
  bool HasCustomFields(domain::DataSet data_set) const;

  // The group of user `user_id` (any state), or nullopt for a user not in the account. Lets
  // renderers fill a record's group_id from the snapshot instead of the store.
  std::optional<domain::GroupId> GroupOf(domain::UserId user_id) const;

  // Known, active, non-free administrator: exactly the users Check allows as kAdmin.
  bool IsAdmin(domain::UserId user_id) const;
  // Known and active (free or not): may authenticate.
  bool IsActive(domain::UserId user_id) const;
  // Known, active and not free: may act on data (and be named by X-Context-User-ID).
  bool IsActivePaid(domain::UserId user_id) const;
  domain::AccountId account_id() const { return account_id_; }
  std::uint64_t version() const { return version_; }  // increases with every Build()

  ~AccountPolicy();
  AccountPolicy(const AccountPolicy&) = delete;
  AccountPolicy& operator=(const AccountPolicy&) = delete;

 private:
  AccountPolicy();
  struct Impl;
  domain::AccountId account_id_ = 0;
  std::uint64_t version_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::policy
