// The server's settings from three places, in rising precedence: a TOML file (`--config FILE`),
// environment variables, command-line flags. Every setting has the same name in all three:
// flag `--max-connections`, environment `GATEHOUSE_MAX_CONNECTIONS`, file key `max_connections`
// (../../docs/operations.md lists them). Unknown keys and wrongly typed values are errors that
// name the key: a typo in a config file must not be silently ignored.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "cli/commands.h"
#include "http/server.h"
#include "storage/sql/connection.h"

namespace gatehouse::cli {

// Where an effective setting came from (`gatehouse config check` prints it).
enum class SettingSource { kDefault, kFile, kEnvironment, kFlag };
const char* SettingSourceName(SettingSource source);

struct EffectiveSetting {
  std::string key{};    // the file key, e.g. "max_connections"
  std::string value{};  // as text; secrets (a database password) masked
  SettingSource source = SettingSource::kDefault;
};

// Fills the settings of `options` the command line did not set (`flags_given` holds the file
// keys of the flags it did set) from the environment, then from the file `config_path` (none
// when empty). Returns every setting with its source, in a fixed order. kInvalidArgument names
// the key (and the file or variable) of a bad value; A missing file is kInvalidArgument at
// "config".
base::Result<std::vector<EffectiveSetting>> ResolveServeSettings(
    const std::string& config_path, const std::set<std::string>& flags_given,
    ServeOptions& options);

// Checks everything `serve` checks before opening the database: the listen address, the public
// URL, the database URL and the numbers. Fills `server` with the parsed listen address and
// public URL.
base::Status CheckServeOptions(const ServeOptions& options, http::ServerOptions& server);

// "normal" or "full" (storage::sql::SqliteSync); kInvalidArgument at "sqlite_synchronous".
base::Result<storage::sql::SqliteSync> ParseSqliteSync(const std::string& value);

// `postgresql://user:secret@host/db` → `postgresql://user:****@host/db`; anything else as is.
std::string MaskDatabaseUrl(const std::string& url);

}  // namespace gatehouse::cli
