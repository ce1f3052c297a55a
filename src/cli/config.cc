#include "cli/config.h"

// Header-only and without exceptions in this one file: our code throws nothing, and Debian's
// compiled libtomlplusplus is built with exceptions.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>

#include "base/enum_names.h"
#include "http/origin.h"
#include "storage/sql/pool.h"
#include "storage/sql/postgres_connection.h"

namespace gatehouse::cli {
namespace {

using base::Status;

// One setting: its file key, how to read it from text (a flag or the environment) and from a TOML
// value, and how to print it.
struct SettingSpec {
  const char* key;
  std::function<Status(ServeOptions&, const std::string&)> from_text;
  std::function<Status(ServeOptions&, const toml::node&)> from_toml;
  std::function<std::string(const ServeOptions&)> show;
};

std::string EnvironmentName(const char* key) {
  std::string name = "GATEHOUSE_";
  for (const char* c = key; *c != '\0'; ++c) {
    name += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
  }
  return name;
}

Status BadValue(const std::string& where, const std::string& why) {
  return Status::InvalidField(where, "Invalid", why);
}

template <typename Number>
Status ParseNumber(const std::string& text, Number& out) {
  Number value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    return Status::Invalid("expected a non-negative whole number, got '" + text + "'");
  }
  out = value;
  return Status::Ok();
}

template <typename Number>
SettingSpec NumberSetting(const char* key, Number ServeOptions::*member) {
  return {
      key,
      [member](ServeOptions& o, const std::string& text) { return ParseNumber(text, o.*member); },
      [member](ServeOptions& o, const toml::node& node) {
        std::optional<std::int64_t> value = node.value_exact<std::int64_t>();
        if (!value || *value < 0) return Status::Invalid("expected a non-negative integer");
        o.*member = static_cast<Number>(*value);
        return Status::Ok();
      },
      [member](const ServeOptions& o) { return std::to_string(o.*member); }};
}

SettingSpec TextSetting(const char* key, std::string ServeOptions::*member, bool secret = false) {
  return {key,
          [member](ServeOptions& o, const std::string& text) {
            o.*member = text;
            return Status::Ok();
          },
          [member](ServeOptions& o, const toml::node& node) {
            std::optional<std::string> value = node.value_exact<std::string>();
            if (!value) return Status::Invalid("expected a string");
            o.*member = *value;
            return Status::Ok();
          },
          [member, secret](const ServeOptions& o) {
            return secret ? MaskDatabaseUrl(o.*member) : o.*member;
          }};
}

// Every setting of `serve`, in the order `config check` prints them.
const std::vector<SettingSpec>& Settings() {
  static const std::vector<SettingSpec> settings = {
      TextSetting("db", &ServeOptions::db, /*secret=*/true),
      TextSetting("listen", &ServeOptions::listen),
      NumberSetting("threads", &ServeOptions::threads),
      TextSetting("public_url", &ServeOptions::public_url),
      NumberSetting("max_connections", &ServeOptions::max_connections),
      NumberSetting("max_connections_per_ip", &ServeOptions::max_connections_per_ip),
      TextSetting("sqlite_synchronous", &ServeOptions::sqlite_synchronous),
      NumberSetting("db_pool_size", &ServeOptions::db_pool_size),
      NumberSetting("security_poll_ms", &ServeOptions::security_poll_ms),
      TextSetting("notify_db", &ServeOptions::notify_db, /*secret=*/true),
      NumberSetting("credential_prune_seconds", &ServeOptions::credential_prune_seconds),
  };
  return settings;
}

// "HOST:PORT" or "[V6]:PORT".
Status ParseListen(const std::string& listen, http::ServerOptions& out) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    return Status::InvalidField("listen", "Invalid", "expected HOST:PORT, got " + listen);
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const char* begin = listen.data() + colon + 1;
  const char* end = listen.data() + listen.size();
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port > 65535) {
    return Status::InvalidField("listen", "Invalid", "bad port in " + listen);
  }
  out.host = host.empty() ? "127.0.0.1" : host;
  out.port = static_cast<std::uint16_t>(port);
  return Status::Ok();
}

}  // namespace

namespace {

constexpr base::EnumNames<SettingSource, 4> kSettingSourceNames{
    {{SettingSource::kDefault, "default"},
     {SettingSource::kFile, "file"},
     {SettingSource::kEnvironment, "environment"},
     {SettingSource::kFlag, "flag"}}};

}  // namespace

const char* SettingSourceName(SettingSource source) {
  return base::NameOf(kSettingSourceNames, source, "default");
}

base::Result<std::vector<EffectiveSetting>> ResolveServeSettings(
    const std::string& config_path, const std::set<std::string>& flags_given,
    ServeOptions& options) {
  std::vector<SettingSource> sources(Settings().size(), SettingSource::kDefault);
  if (!config_path.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(config_path, ec)) {
      return Status::InvalidField("config", "NotFound", "no config file at '" + config_path + "'");
    }
    toml::parse_result parsed = toml::parse_file(config_path);
    if (!parsed) {
      const toml::parse_error& error = parsed.error();
      return BadValue("config", config_path + ":" + std::to_string(error.source().begin.line) +
                                    ": " + std::string(error.description()));
    }
    const toml::table& table = parsed.table();
    for (const auto& [key, node] : table) {
      const std::string name(key.str());
      auto spec = std::find_if(Settings().begin(), Settings().end(),
                               [&](const SettingSpec& s) { return name == s.key; });
      if (spec == Settings().end()) {
        return BadValue(name, config_path + ": unknown setting '" + name + "'");
      }
      if (flags_given.contains(name)) continue;
      if (Status s = spec->from_toml(options, node); !s.ok()) {
        return BadValue(name, config_path + ": " + name + ": " + s.message());
      }
      sources[static_cast<std::size_t>(spec - Settings().begin())] = SettingSource::kFile;
    }
  }
  for (std::size_t i = 0; i < Settings().size(); ++i) {
    const SettingSpec& spec = Settings()[i];
    if (flags_given.contains(spec.key)) {
      sources[i] = SettingSource::kFlag;
      continue;
    }
    const std::string variable = EnvironmentName(spec.key);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    if (Status s = spec.from_text(options, value); !s.ok()) {
      return BadValue(spec.key, variable + ": " + s.message());
    }
    sources[i] = SettingSource::kEnvironment;
  }
  std::vector<EffectiveSetting> out;
  for (std::size_t i = 0; i < Settings().size(); ++i) {
    out.push_back({Settings()[i].key, Settings()[i].show(options), sources[i]});
  }
  return out;
}

Status CheckServeOptions(const ServeOptions& options, http::ServerOptions& server) {
  GH_RETURN_IF_ERROR(ParseListen(options.listen, server));
  if (options.threads > 1024) {
    return BadValue("threads", "at most 1024, got " + std::to_string(options.threads));
  }
  server.threads = options.threads;
  server.max_connections = options.max_connections;
  server.max_connections_per_ip = options.max_connections_per_ip;
  if (!options.public_url.empty()) {
    base::Result<std::string> public_url = http::ParsePublicUrl(options.public_url);
    if (!public_url.ok()) return BadValue("public_url", public_url.status().message());
    server.public_url = *public_url;
  }
  base::Result<storage::sql::DatabaseUrl> db = storage::sql::ParseDatabaseUrl(options.db);
  if (!db.ok()) return BadValue("db", db.status().message());
  GH_ASSIGN_OR_RETURN(storage::sql::SqliteSync sync, ParseSqliteSync(options.sqlite_synchronous));
  if (sync != storage::sql::SqliteSync::kNormal && db->dialect != storage::sql::Dialect::kSqlite) {
    return BadValue("sqlite_synchronous",
                    "applies to sqlite: databases only (PostgreSQL follows its own "
                    "synchronous_commit)");
  }
  if (options.db_pool_size > 1000) {
    return BadValue("db_pool_size", "at most 1000, got " + std::to_string(options.db_pool_size));
  }
  if (options.security_poll_ms < 10 || options.security_poll_ms > 86'400'000) {
    return BadValue("security_poll_ms", "between 10 and 86400000 (a day), got " +
                                            std::to_string(options.security_poll_ms));
  }
  if (options.credential_prune_seconds < 60 || options.credential_prune_seconds > 604'800) {
    return BadValue(
        "credential_prune_seconds",
        "between 60 and 604800 (a week), got " + std::to_string(options.credential_prune_seconds));
  }
  if (db->dialect == storage::sql::Dialect::kPostgres) {
    GH_RETURN_IF_ERROR(storage::sql::ParsePostgresTarget(options.db).status());
  }
  if (!options.notify_db.empty() && options.notify_db != "off") {
    base::Result<storage::sql::DatabaseUrl> notify =
        storage::sql::ParseDatabaseUrl(options.notify_db);
    if (!notify.ok() || notify->dialect != storage::sql::Dialect::kPostgres) {
      return BadValue("notify_db", "expected \"off\" or a postgresql:// URL");
    }
  }
  if (!options.notify_db.empty() && options.notify_db != "off" &&
      db->dialect != storage::sql::Dialect::kPostgres) {
    return BadValue("notify_db", "applies to postgresql: databases only");
  }
  return Status::Ok();
}

base::Result<storage::sql::SqliteSync> ParseSqliteSync(const std::string& value) {
  if (value == "normal") return storage::sql::SqliteSync::kNormal;
  if (value == "full") return storage::sql::SqliteSync::kFull;
  return BadValue("sqlite_synchronous", "expected \"normal\" or \"full\", got '" + value + "'");
}

std::string MaskDatabaseUrl(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t at = url.find('@', scheme + 3);
  const std::size_t colon = url.find(':', scheme + 3);
  std::string masked = url;
  if (at != std::string::npos && colon != std::string::npos && colon < at) {
    masked.replace(colon + 1, at - colon - 1, "****");
  }
  // A password may also come as a query parameter (postgresql://host/db?password=...).
  if (const std::size_t password = masked.find("password="); password != std::string::npos) {
    const std::size_t end = masked.find('&', password);
    masked.replace(password + 9, (end == std::string::npos ? masked.size() : end) - password - 9,
                   "****");
  }
  return masked;
}

}  // namespace gatehouse::cli
