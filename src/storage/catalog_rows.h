// Rows of an account's catalogs: lists and their items, tags, loss reasons.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/row_ids.h"

namespace gatehouse::storage {

// Lists (catalogs) and their items. Access is the Lists feature switch, not a per-record right.
struct List {
  std::int64_t id = 0;
  std::string name{};
  std::int64_t sort = 0;
  std::int64_t created_at = 0;
  bool operator==(const List&) const = default;
};

struct ListItem {
  RecordId id = 0;
  std::int64_t list_id = 0;
  std::string name{};
  std::string custom_fields_json{};
  UserId created_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool operator==(const ListItem&) const = default;
};

// A tag of an account's catalog for one entity type (Kommo: a tag has a different id per entity
// type). color: six hex digits, or empty for none.
struct Tag {
  std::int64_t id = 0;
  std::string name{};
  std::string color{};
  bool operator==(const Tag&) const = default;
};

// A tag a record carries (AccountReader::TagsOf).
struct RecordTag {
  RecordId record_id = 0;
  Tag tag{};
  bool operator==(const RecordTag&) const = default;
};

// What GET /api/v4/{entity}/tags asks for; every part optional, combined with AND.
struct TagQuery {
  std::vector<std::int64_t> ids{};
  std::string name{};  // the exact name
  std::string text{};  // a substring of the name, case-insensitive (ASCII on SQLite)
  int limit = 50;      // rows returned (the caller asks one more to see a next page)
  int page = 1;
};

// A reason leads are lost for (migration 13).
struct LossReason {
  std::int64_t id = 0;
  std::string name{};
  std::int64_t sort = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool operator==(const LossReason&) const = default;
};

}  // namespace gatehouse::storage
