#include "cli/common.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace gatehouse::cli {

base::Result<std::unique_ptr<storage::Store>> OpenMigratedStore(const std::string& url,
                                                                int pool_size,
                                                                storage::sql::IfMissing if_missing,
                                                                storage::sql::SqliteSync sync) {
  GH_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
                      storage::Store::Open(url, pool_size, if_missing, sync));
  GH_RETURN_IF_ERROR(store->Migrate());
  return store;
}

base::Result<storage::AccountRow> ResolveAccount(storage::Store& store,
                                                 const std::string& subdomain) {
  if (!subdomain.empty()) return store.FindAccount(subdomain);
  GH_ASSIGN_OR_RETURN(std::vector<storage::AccountRow> accounts, store.ListAccounts());
  if (accounts.size() != 1) {
    return base::Status::InvalidField("subdomain", "Required",
                                      "the database holds " + std::to_string(accounts.size()) +
                                          " accounts: name one with --subdomain");
  }
  return accounts.front();
}

namespace {

// The accounts CountUnsoundAccounts walks, or nullopt after printing why there are none.
std::optional<std::vector<storage::AccountRow>> AccountsToCheck(storage::Store& store,
                                                                const std::string& subdomain) {
  if (subdomain.empty()) {
    auto all = store.ListAccounts();
    if (!all.ok()) {
      Fail("cannot list the accounts", all.status());
      return std::nullopt;
    }
    if (all->empty()) {
      Fail("nothing to verify", base::Status::NotFound("the database holds no account"));
      return std::nullopt;
    }
    return std::move(*all);
  }
  auto one = store.FindAccount(subdomain);
  if (!one.ok()) {
    Fail("cannot find account " + subdomain, one.status());
    return std::nullopt;
  }
  return std::vector<storage::AccountRow>{std::move(*one)};
}

}  // namespace

std::optional<int> CountUnsoundAccounts(const std::string& db, const std::string& subdomain,
                                        const AccountCheck& check) {
  auto store = OpenMigratedStore(db, 1);
  if (!store.ok()) {
    Fail("cannot open " + db, store.status());
    return std::nullopt;
  }
  const auto accounts = AccountsToCheck(**store, subdomain);
  if (!accounts) return std::nullopt;
  int unsound = 0;
  for (const storage::AccountRow& account : *accounts) {
    base::Result<bool> sound = check(**store, account);
    if (!sound.ok()) {
      Fail("cannot verify account " + account.subdomain, sound.status());
      return std::nullopt;
    }
    if (!*sound) ++unsound;
  }
  return unsound;
}

service::Caller SystemCaller(domain::AccountId account_id) {
  return service::Caller{
      .account_id = account_id, .via = service::Via::kSystem, .client_ip = "cli"};
}

int Fail(const std::string& what, const base::Status& status) {
  // One line: the field errors say it all when there are any, else the message.
  std::string reason;
  for (const base::FieldError& field : status.fields()) {
    if (!reason.empty()) reason += "; ";
    reason += field.path + ": " + field.detail;
  }
  if (reason.empty()) reason = status.message();
  std::fprintf(stderr, "gatehouse: %s: %s\n", what.c_str(), reason.c_str());
  return 1;
}

namespace {

std::string ReadHidden(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  termios old_mode{};
  tcgetattr(STDIN_FILENO, &old_mode);
  termios quiet = old_mode;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  std::fprintf(stderr, "\n");
  return line;
}

}  // namespace

base::Result<std::string> AdminPassword() {
  return PasswordFrom("GATEHOUSE_ADMIN_PASSWORD", "Administrator password: ");
}

base::Result<std::string> PasswordFrom(const char* env_name, const char* prompt) {
  if (const char* env = std::getenv(env_name); env != nullptr && *env != 0) {
    return std::string(env);
  }
  if (!isatty(STDIN_FILENO)) {
    return base::Status::InvalidField(
        env_name, "Required",
        std::string("set ") + env_name + " or run on a terminal to be prompted");
  }
  std::string first = ReadHidden(prompt);
  std::string second = ReadHidden("Repeat the password: ");
  if (first != second) {
    return base::Status::InvalidField("password", "Mismatch", "the two passwords differ");
  }
  return first;
}

}  // namespace gatehouse::cli
