// Creating an account together with its first administrator (the `init` command, tests).
#pragma once

#include <string>

#include "base/status.h"
#include "storage/store.h"

namespace gatehouse::service {

struct NewAdmin {
  std::string email{};
  std::string name{};
  std::string password_hash{};  // Argon2id, already hashed by the caller
};

// Creates the account (default group, main pipeline) and an active, paid administrator in its
// default group; records "account_created" and "user_added" in the activity log.
// kAlreadyExists when the subdomain is taken; kInvalidArgument for an empty subdomain/email.
base::Result<storage::AccountRow> CreateAccountWithAdmin(storage::Store& store,
                                                         const storage::NewAccount& account,
                                                         const NewAdmin& admin, std::int64_t now);

}  // namespace gatehouse::service
