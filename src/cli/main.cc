// The `gatehouse` command: parses arguments and hands them to one command function. The only
// wiring point of the program (../../STYLE.md).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

using namespace gatehouse::cli;  // NOLINT(google-build-using-namespace)

// The settings a command line set, by file key ("--max-connections" → "max_connections").
std::set<std::string> FlagsGiven(const CLI::App* command) {
  std::set<std::string> keys;
  for (const CLI::Option* option : command->get_options()) {
    if (option->count() == 0 || option->get_lnames().empty()) continue;
    std::string key = option->get_lnames().front();
    std::replace(key.begin(), key.end(), '-', '_');
    keys.insert(key);
  }
  return keys;
}

// The commands of the program: each a (sub)command line, the options its parse fills and what
// runs on them when it is the command given.
class Commands {
 public:
  // Adds command `cli` and answers its options, to be bound to its flags; `run` is called with
  // them. They live as long as this object.
  template <typename Options, typename Run>
  Options& Add(const CLI::App* cli, Run run) {
    auto options = std::make_shared<Options>();
    commands_.push_back({cli, [options, run] { return run(*options); }});
    return *options;
  }

  // Runs the command the parse chose: its exit code, or nullopt when none was chosen.
  std::optional<int> RunParsed() const {
    for (const Command& command : commands_) {
      if (command.cli->parsed()) return command.run();
    }
    return std::nullopt;
  }

 private:
  struct Command {
    const CLI::App* cli;
    std::function<int()> run;
  };
  std::vector<Command> commands_;
};

// --db with its plain help, shown with its default.
void AddDb(CLI::App* command, std::string& db) {
  command->add_option("--db", db, "Database URL")->capture_default_str();
}

// --subdomain naming the one account a command works on.
void AddAccount(CLI::App* command, std::string& subdomain) {
  command->add_option("--subdomain", subdomain, "Account subdomain (default: the only one)");
}

// --subdomain limiting a check of every account to one.
void AddOnlyAccount(CLI::App* command, std::string& subdomain) {
  command->add_option("--subdomain", subdomain, "Only this account (default: all)");
}

// `gatehouse <group> <name>`: a group of commands that runs one of them, and its command `name`.
CLI::App* AddGroupedCommand(CLI::App& app, const std::string& group, const std::string& group_help,
                            const std::string& name, const std::string& help) {
  CLI::App* group_cmd = app.add_subcommand(group, group_help);
  group_cmd->require_subcommand(1);
  return group_cmd->add_subcommand(name, help);
}

// One function per command: its line, its options and its run.
// gatehouse serve
void AddServe(CLI::App& app, Commands& commands) {
  CLI::App* serve_cmd = app.add_subcommand("serve", "Run the HTTP server (API and web UI)");
  ServeOptions& o = commands.Add<ServeOptions>(serve_cmd, [serve_cmd](ServeOptions& options) {
    options.flags_given = FlagsGiven(serve_cmd);
    return RunServe(options);
  });
  serve_cmd->add_option("--db", o.db, "Database URL: sqlite:PATH or postgresql://...")
      ->capture_default_str();
  serve_cmd->add_option("--listen", o.listen, "HOST:PORT to listen on")->capture_default_str();
  serve_cmd->add_option("--threads", o.threads, "I/O threads (0: one per core)")
      ->check(CLI::NonNegativeNumber);
  serve_cmd->add_option("--public-url", o.public_url,
                        "Origin for links and redirects, e.g. https://crm.example (default: the "
                        "address each client connected to)");
  serve_cmd
      ->add_option("--max-connections", o.max_connections,
                   "Open connections at once (0: from the open-files limit)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-connections-per-ip", o.max_connections_per_ip,
                   "Open connections from one address (0: no limit; raise behind a proxy)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--sqlite-synchronous", o.sqlite_synchronous,
                   "SQLite commits: normal (survive a crash) or full (survive a power loss too)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--db-pool-size", o.db_pool_size,
                   "Database connections of this server (0: 2 per thread + 2, at least 4)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve_cmd
      ->add_option("--security-poll-ms", o.security_poll_ms,
                   "How often rights, tokens and settings changed by other servers are polled "
                   "(30x as long while PostgreSQL notifications arrive)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--credential-prune-seconds", o.credential_prune_seconds,
                   "Seconds between sweeps of expired sessions and tokens, across the servers "
                   "of one database (60 ... 604800)")
      ->capture_default_str();
  serve_cmd->add_option("--notify-db", o.notify_db,
                        "PostgreSQL URL to LISTEN for changes on (default: --db; off: poll only; "
                        "a direct address behind pgbouncer)");
  serve_cmd->add_option("--config", o.config,
                        "TOML file with settings (flags and GATEHOUSE_* variables override it)");
}

// gatehouse config check
void AddConfigCheck(CLI::App& app, Commands& commands) {
  CLI::App* config_check_cmd =
      AddGroupedCommand(app, "config", "The server's configuration", "check",
                        "Validate the settings serve would use and print them with their source");
  ServeOptions& o = commands.Add<ServeOptions>(config_check_cmd, RunConfigCheck);
  config_check_cmd->add_option("--config", o.config, "TOML file with settings");
}

// gatehouse init
void AddInit(CLI::App& app, Commands& commands) {
  CLI::App* init_cmd = app.add_subcommand(
      "init",
      "Create an account and its first administrator (password from GATEHOUSE_ADMIN_PASSWORD or "
      "prompted)");
  InitOptions& o = commands.Add<InitOptions>(init_cmd, RunInit);
  AddDb(init_cmd, o.db);
  init_cmd->add_option("--subdomain", o.subdomain, "Account subdomain")->required();
  init_cmd->add_option("--name", o.name, "Account name")->required();
  init_cmd->add_option("--admin-email", o.admin_email, "Administrator's email")->required();
  init_cmd->add_option("--admin-name", o.admin_name, "Administrator's name")->capture_default_str();
  init_cmd->add_option("--seats", o.seats, "Paid seats")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

// gatehouse demo
void AddDemo(CLI::App& app, Commands& commands) {
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "Fill an account with a realistic demo workspace (creates it when missing)");
  DemoOptions& o = commands.Add<DemoOptions>(demo_cmd, RunDemo);
  AddDb(demo_cmd, o.db);
  demo_cmd->add_option("--subdomain", o.subdomain, "Account subdomain")->capture_default_str();
  demo_cmd->add_option("--leads", o.leads, "Number of leads")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{100'000'000}));
  demo_cmd->add_option("--seed", o.seed, "Random seed")->capture_default_str();
}

// gatehouse migrate
void AddMigrate(CLI::App& app, Commands& commands) {
  CLI::App* migrate_cmd = app.add_subcommand("migrate", "Apply pending schema migrations");
  DbOptions& o = commands.Add<DbOptions>(migrate_cmd, RunMigrate);
  AddDb(migrate_cmd, o.db);
}

// gatehouse prune
void AddPrune(CLI::App& app, Commands& commands) {
  CLI::App* prune_cmd = app.add_subcommand(
      "prune", "Delete expired sessions, OAuth codes and refresh tokens, and old access tokens");
  DbOptions& o = commands.Add<DbOptions>(prune_cmd, RunPrune);
  AddDb(prune_cmd, o.db);
}

// gatehouse security-report
void AddSecurityReport(CLI::App& app, Commands& commands) {
  CLI::App* report_cmd = app.add_subcommand(
      "security-report",
      "Check the account against security best practices; exit 1 when a finding reaches "
      "--fail-on (for cron), 3 when no report could be made");
  SecurityReportOptions& o = commands.Add<SecurityReportOptions>(report_cmd, RunSecurityReport);
  AddDb(report_cmd, o.db);
  AddAccount(report_cmd, o.subdomain);
  report_cmd->add_flag("--json", o.json, "Print the JSON document of the API");
  report_cmd
      ->add_option("--fail-on", o.fail_on,
                   "Exit 1 when a finding of this severity or higher exists")
      ->check(CLI::IsMember({"high", "medium", "low"}));
}

// gatehouse explain
void AddExplain(CLI::App& app, Commands& commands) {
  CLI::App* explain_cmd = app.add_subcommand(
      "explain",
      "Why a user may or may not act on a record (the permission engine's rule), or with "
      "--viewers who could view it; with --at as it was at that time (point-in-time replay)");
  ExplainOptions& o = commands.Add<ExplainOptions>(explain_cmd, RunExplain);
  AddDb(explain_cmd, o.db);
  AddAccount(explain_cmd, o.subdomain);
  explain_cmd->add_option("--user-id", o.user_id, "The user whose access is explained");
  explain_cmd
      ->add_option("--entity-type", o.entity_type, "leads, contacts, companies, tasks or customers")
      ->required();
  explain_cmd->add_option("--entity-id", o.entity_id, "The record's id")->required();
  explain_cmd->add_option("--action", o.action, "view, edit, delete, export or add")
      ->capture_default_str();
  explain_cmd
      ->add_option("--at", o.at,
                   "Unix time to replay (from the history start to now; default: now)")
      ->check(CLI::NonNegativeNumber);
  explain_cmd->add_flag("--viewers", o.viewers,
                        "List every user who could view the record instead");
  explain_cmd->add_flag("--json", o.json, "Print the JSON document of the API");
}

// gatehouse keys rotate
void AddKeysRotate(CLI::App& app, Commands& commands) {
  CLI::App* rotate_cmd =
      AddGroupedCommand(app, "keys", "The installation's token signing keys", "rotate",
                        "Sign new tokens with a new key; tokens signed with older keys stay valid");
  DbOptions& o = commands.Add<DbOptions>(rotate_cmd, RunKeysRotate);
  AddDb(rotate_cmd, o.db);
}

// gatehouse audit verify | verify counters: `gatehouse <group> <name>` over the database's
// accounts, or one.
void AddCheck(CLI::App& app, Commands& commands, const std::string& group,
              const std::string& group_help, const std::string& name, const std::string& help,
              int (*run)(const CheckOptions&)) {
  CLI::App* check_cmd = AddGroupedCommand(app, group, group_help, name, help);
  CheckOptions& o = commands.Add<CheckOptions>(check_cmd, run);
  AddDb(check_cmd, o.db);
  AddOnlyAccount(check_cmd, o.subdomain);
}

// gatehouse backup
void AddBackup(CLI::App& app, Commands& commands) {
  CLI::App* backup_cmd = app.add_subcommand(
      "backup", "Copy the whole database to a new file, consistently, while servers run");
  BackupOptions& o = commands.Add<BackupOptions>(backup_cmd, RunBackup);
  AddDb(backup_cmd, o.db);
  backup_cmd->add_option("--to", o.to, "The backup file to create (never overwritten)")->required();
}

// gatehouse restore
void AddRestore(CLI::App& app, Commands& commands) {
  CLI::App* restore_cmd = app.add_subcommand(
      "restore", "Replace the database with a backup (stop the servers on it first)");
  RestoreOptions& o = commands.Add<RestoreOptions>(restore_cmd, RunRestore);
  restore_cmd->add_option("--from", o.from, "The backup file")->required();
  AddDb(restore_cmd, o.db);
  restore_cmd->add_flag("--force", o.force, "Replace a database that already holds accounts");
}

// gatehouse user reset-2fa | reset-password | end-sessions | deactivate-dormant
void AddUser(CLI::App& app, Commands& commands) {
  CLI::App* user_cmd = app.add_subcommand("user", "Operator helpers for one user");
  user_cmd->require_subcommand(1);
  auto add_user_command = [&](const char* name, const char* help, int (*run)(const UserOptions&)) {
    CLI::App* cmd = user_cmd->add_subcommand(name, help);
    UserOptions& o = commands.Add<UserOptions>(cmd, run);
    AddDb(cmd, o.db);
    AddAccount(cmd, o.subdomain);
    cmd->add_option("--email", o.email, "The user's email")->required();
  };
  add_user_command("reset-2fa", "Turn off the user's two-step verification and end their sessions",
                   RunUserResetTwoFactor);
  add_user_command(
      "reset-password",
      "Set a new password (GATEHOUSE_NEW_PASSWORD or prompted); ends sessions, revokes tokens",
      RunUserResetPassword);
  add_user_command("end-sessions", "End every session of the user", RunUserEndSessions);
  CLI::App* dormant_cmd = user_cmd->add_subcommand(
      "deactivate-dormant",
      "Deactivate the users without a login for the security policy's dormant_days (for cron)");
  DormantOptions& dormant = commands.Add<DormantOptions>(dormant_cmd, RunUserDeactivateDormant);
  AddDb(dormant_cmd, dormant.db);
  AddOnlyAccount(dormant_cmd, dormant.subdomain);
  dormant_cmd->add_flag("--dry-run", dormant.dry_run,
                        "List who would be deactivated and change nothing");
}

// gatehouse import
void AddImport(CLI::App& app, Commands& commands) {
  CLI::App* import_cmd = app.add_subcommand(
      "import",
      "Recreate a Kommo account (API v4) with the same rights; run again to resume after an "
      "interruption");
  ImportOptions& o = commands.Add<ImportOptions>(import_cmd, RunImport);
  import_cmd->add_option("--from", o.from, "The source, e.g. https://SUBDOMAIN.kommo.com")
      ->required();
  import_cmd->add_option("--token", o.token,
                         "An administrator's API token of the source (or GATEHOUSE_IMPORT_TOKEN)");
  import_cmd->add_option("--db", o.db, "Database URL (created when missing)")
      ->capture_default_str();
  import_cmd->add_option("--subdomain", o.subdomain,
                         "Account to import into (default: the source's subdomain)");
  import_cmd
      ->add_option("--rate", o.rate,
                   "Requests per second to the source (Kommo allows 7; raise only for a source "
                   "of your own)")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 1000.0));
  import_cmd->add_option("--page-limit", o.page_limit, "Items per page read (1..250)")
      ->capture_default_str()
      ->check(CLI::Range(1, 250));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Gatehouse: a self-hosted CRM workspace server with a serious security model"};
  app.require_subcommand(1);
  // A usage error is one line, like every other failure of the command.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "gatehouse: " + std::string(e.what()) + " (see --help)\n";
  });
  app.set_version_flag("--version", "gatehouse 0.1.0");

  Commands commands;
  AddServe(app, commands);
  AddConfigCheck(app, commands);
  AddInit(app, commands);
  AddDemo(app, commands);
  AddMigrate(app, commands);
  AddPrune(app, commands);
  AddSecurityReport(app, commands);
  AddExplain(app, commands);
  AddKeysRotate(app, commands);
  AddCheck(app, commands, "audit", "The activity log", "verify",
           "Check the activity log's hash chain; exit 1 when it was altered", RunAuditVerify);
  AddCheck(app, commands, "verify", "Consistency checks of derived data", "counters",
           "Recompute the lead totals from the leads; exit 1 when any differ", RunVerifyCounters);
  AddBackup(app, commands);
  AddRestore(app, commands);
  AddUser(app, commands);
  AddImport(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the reason (or the help) and returns its own codes (105, 106, ...); usage
    // errors exit 2 as is customary, so scripts such as a security-report cron job can tell a
    // bad command line from a finding (1).
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (std::optional<int> code = commands.RunParsed()) return *code;
  std::fprintf(stderr, "gatehouse: no command\n");
  return 2;
}
