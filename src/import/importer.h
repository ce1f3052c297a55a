// `gatehouse import`: recreates a Kommo API v4 account (kommo-api-v4.md) in a Gatehouse
// database with the same rights (SPEC §6 "Import from a Kommo account", issue 16).
//
// What is carried, in this order (each phase needs the ids of the ones before): the user groups,
// pipelines with their stages, the custom field definitions of leads, contacts, companies and
// customers (with their enums), roles, users (rights with stage and field rights, role, group,
// admin, free and active flags), the stages' descriptions (with=descriptions, per level), the
// loss reasons of leads, contacts, companies, leads (with their loss reason, contact and company
// links), customer statuses, customers (next price and date, periodicity, status, contact and
// company links), each record with its tags and custom field values, tasks (of leads, contacts,
// companies, customers or none), and the notes of leads, contacts, companies and customers. Ids
// are new here; every source id is mapped (storage: import_map, migration 20) so stage rights,
// roles, groups, responsible users, statuses, loss reasons and links point at the same objects
// as in the source. A loss reason or a regular customer status of the same name as a local one
// is that one; the system customer statuses (types 1-4) are the account's own, renamed and
// recoloured as in the source; the regular statuses a new account comes with that the source
// lacks are deleted on the first run.
//
// Resumable: every object is written in the same transaction as its mapping, one transaction
// per page of the source, so a run killed at any point and started again skips what is mapped
// and creates nothing twice. Idempotent: a run over a finished import adds only what the
// source has gained since.
//
// Writes go through the AccountWriter (storage validates every reference) as the system, not
// through the record services: the import acts for the operator, who owns the database, and
// recreates state rather than making changes a user asks for. The activity log gets one
// `import_started` per account and one `import_finished` per run with the counts.
//
// A source with customers switched off (Kommo answers /api/v4/customers... with 402, 403 or 404)
// is imported without them: customers with their statuses, fields, tasks and notes are then
// said in the summary as not carried, and the rest is carried as usual.
//
// What cannot be carried, said in the summary with how many where the source has any:
// passwords (Kommo never reveals them: imported users have none and get in through `gatehouse
// user reset-password`), Kommo's 2FA and sessions, note types and custom field types Gatehouse
// does not keep (attachments, addresses, ...), customer statuses' conditions (Gatehouse moves no
// customer by itself). Not read at all: customers' purchases (transactions, with the LTV,
// purchase count and average check Kommo computes from them), customer segments, catalogs,
// chats; stage descriptions are dated by the import, not by the source.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "import/kommo_source.h"
#include "storage/store.h"

namespace gatehouse::import {

struct ImportOptions {
  std::string subdomain{};  // the account to import into; empty: the source's subdomain
  std::int64_t now = 0;     // 0: the current time
};

// Per kind of object: how many the source listed, how many this run created, and how many
// were left out (with the reasons in ImportSummary::not_carried).
struct KindCount {
  std::int64_t read = 0;
  std::int64_t created = 0;
  std::int64_t left_out = 0;
};

struct ImportedUser {
  std::string email{};
  std::string name{};
  bool is_admin = false;
  bool is_active = true;
};

struct ImportSummary {
  storage::AccountId account_id = 0;
  std::string subdomain{};
  std::string source{};  // the source's origin
  bool created_account = false;
  bool resumed = false;  // the account held an earlier (perhaps interrupted) run of this source
  std::vector<std::pair<std::string, KindCount>> counts{};  // in import order
  // One line per reason something was not carried, with how many ("3 notes of type
  // attachment: Gatehouse keeps no files").
  std::vector<std::string> not_carried{};
  std::vector<ImportedUser> users{};  // every user of the source, none with a password
  std::int64_t requests = 0;
  std::int64_t throttled = 0;  // 429s the source answered
};

// Called as the import goes: `phase` is a kind ("users", "leads", ...), `phase_index` its
// 0-based position among `phases`, `done` the objects of that kind handled so far.
using ImportProgress =
    std::function<void(std::string_view phase, int phase_index, int phases, std::int64_t done)>;

// Imports `source` into `store`. kAlreadyExists (path "subdomain") when the account exists and
// was not created by an import of this source; kPermissionDenied / kUnauthenticated /
// kUnavailable from the source; storage errors as they are. What was committed before a
// failure stays (and is resumed by the next run).
base::Result<ImportSummary> Import(storage::Store& store, KommoSource& source,
                                   const ImportOptions& options,
                                   const ImportProgress& progress = {});

}  // namespace gatehouse::import
