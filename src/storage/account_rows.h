// Rows of the accounts: the account itself and the source it was imported from.
//
// Plain values with no behaviour. Identifiers are the domain's integers; 0 means "none".
// Timestamps are unix seconds. JSON-shaped payloads travel as text and are parsed by the layer
// that renders them; these headers stay free of any JSON library.
#pragma once

#include <cstdint>
#include <string>

#include "storage/row_ids.h"

namespace gatehouse::storage {

struct AccountRow {
  AccountId id = 0;
  std::string subdomain{};  // unique, lower case
  std::string name{};
  std::int64_t seats = 0;  // paid seats
  std::int64_t created_at = 0;
  bool operator==(const AccountRow&) const = default;
};

// The Kommo account an account was imported from (migration 20).
struct ImportSourceRow {
  std::string source{};  // the source's origin, e.g. "https://acme.kommo.com"
  std::int64_t source_account_id = 0;
  std::int64_t started_at = 0;
  std::int64_t finished_at = 0;  // 0: no run has finished yet
  bool operator==(const ImportSourceRow&) const = default;
};

}  // namespace gatehouse::storage
