// The `gatehouse` command: parses arguments and hands them to one command function. The only
// wiring point of the program (../../STYLE.md).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "cli/commands.h"

namespace {

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

}  // namespace

int main(int argc, char** argv) {
  using namespace gatehouse::cli;
  CLI::App app{"Gatehouse: a self-hosted CRM workspace server with a serious security model"};
  app.require_subcommand(1);
  // A usage error is one line, like every other failure of the command.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "gatehouse: " + std::string(e.what()) + " (see --help)\n";
  });
  app.set_version_flag("--version", "gatehouse 0.1.0");

  ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Run the HTTP server (API and web UI)");
  serve_cmd->add_option("--db", serve.db, "Database URL: sqlite:PATH or postgresql://...")
      ->capture_default_str();
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on")->capture_default_str();
  serve_cmd->add_option("--threads", serve.threads, "I/O threads (0: one per core)")
      ->check(CLI::NonNegativeNumber);
  serve_cmd->add_option("--public-url", serve.public_url,
                        "Origin for links and redirects, e.g. https://crm.example (default: the "
                        "address each client connected to)");
  serve_cmd
      ->add_option("--max-connections", serve.max_connections,
                   "Open connections at once (0: from the open-files limit)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-connections-per-ip", serve.max_connections_per_ip,
                   "Open connections from one address (0: no limit; raise behind a proxy)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--sqlite-synchronous", serve.sqlite_synchronous,
                   "SQLite commits: normal (survive a crash) or full (survive a power loss too)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--db-pool-size", serve.db_pool_size,
                   "Database connections of this server (0: 2 per thread + 2, at least 4)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve_cmd
      ->add_option("--security-poll-ms", serve.security_poll_ms,
                   "How often rights, tokens and settings changed by other servers are polled "
                   "(30x as long while PostgreSQL notifications arrive)")
      ->capture_default_str();
  serve_cmd->add_option("--notify-db", serve.notify_db,
                        "PostgreSQL URL to LISTEN for changes on (default: --db; off: poll only; "
                        "a direct address behind pgbouncer)");
  serve_cmd->add_option("--config", serve.config,
                        "TOML file with settings (flags and GATEHOUSE_* variables override it)");

  ServeOptions checked;
  CLI::App* config_cmd = app.add_subcommand("config", "The server's configuration");
  config_cmd->require_subcommand(1);
  CLI::App* config_check_cmd = config_cmd->add_subcommand(
      "check", "Validate the settings serve would use and print them with their source");
  config_check_cmd->add_option("--config", checked.config, "TOML file with settings");

  InitOptions init;
  CLI::App* init_cmd = app.add_subcommand(
      "init",
      "Create an account and its first administrator (password from GATEHOUSE_ADMIN_PASSWORD or "
      "prompted)");
  init_cmd->add_option("--db", init.db, "Database URL")->capture_default_str();
  init_cmd->add_option("--subdomain", init.subdomain, "Account subdomain")->required();
  init_cmd->add_option("--name", init.name, "Account name")->required();
  init_cmd->add_option("--admin-email", init.admin_email, "Administrator's email")->required();
  init_cmd->add_option("--admin-name", init.admin_name, "Administrator's name")
      ->capture_default_str();
  init_cmd->add_option("--seats", init.seats, "Paid seats")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);

  DemoOptions demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "Fill an account with a realistic demo workspace (creates it when missing)");
  demo_cmd->add_option("--db", demo.db, "Database URL")->capture_default_str();
  demo_cmd->add_option("--subdomain", demo.subdomain, "Account subdomain")->capture_default_str();
  demo_cmd->add_option("--leads", demo.leads, "Number of leads")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{100'000'000}));
  demo_cmd->add_option("--seed", demo.seed, "Random seed")->capture_default_str();

  MigrateOptions migrate;
  CLI::App* migrate_cmd = app.add_subcommand("migrate", "Apply pending schema migrations");
  migrate_cmd->add_option("--db", migrate.db, "Database URL")->capture_default_str();

  SecurityReportOptions report;
  CLI::App* report_cmd = app.add_subcommand(
      "security-report",
      "Check the account against security best practices; exit 1 when a finding reaches "
      "--fail-on (for cron), 3 when no report could be made");
  report_cmd->add_option("--db", report.db, "Database URL")->capture_default_str();
  report_cmd->add_option("--subdomain", report.subdomain,
                         "Account subdomain (default: the only one)");
  report_cmd->add_flag("--json", report.json, "Print the JSON document of the API");
  report_cmd
      ->add_option("--fail-on", report.fail_on,
                   "Exit 1 when a finding of this severity or higher exists")
      ->check(CLI::IsMember({"high", "medium", "low"}));

  ExplainOptions explain;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain",
      "Why a user may or may not act on a record (the permission engine's rule), or with "
      "--viewers who could view it; with --at as it was at that time (point-in-time replay)");
  explain_cmd->add_option("--db", explain.db, "Database URL")->capture_default_str();
  explain_cmd->add_option("--subdomain", explain.subdomain,
                          "Account subdomain (default: the only one)");
  explain_cmd->add_option("--user-id", explain.user_id, "The user whose access is explained");
  explain_cmd
      ->add_option("--entity-type", explain.entity_type,
                   "leads, contacts, companies, tasks or customers")
      ->required();
  explain_cmd->add_option("--entity-id", explain.entity_id, "The record's id")->required();
  explain_cmd->add_option("--action", explain.action, "view, edit, delete, export or add")
      ->capture_default_str();
  explain_cmd
      ->add_option("--at", explain.at,
                   "Unix time to replay (from the history start to now; default: now)")
      ->check(CLI::NonNegativeNumber);
  explain_cmd->add_flag("--viewers", explain.viewers,
                        "List every user who could view the record instead");
  explain_cmd->add_flag("--json", explain.json, "Print the JSON document of the API");

  KeysOptions keys;
  CLI::App* keys_cmd = app.add_subcommand("keys", "The installation's token signing keys");
  keys_cmd->require_subcommand(1);
  CLI::App* rotate_cmd = keys_cmd->add_subcommand(
      "rotate", "Sign new tokens with a new key; tokens signed with older keys stay valid");
  rotate_cmd->add_option("--db", keys.db, "Database URL")->capture_default_str();

  AuditOptions audit;
  CLI::App* audit_cmd = app.add_subcommand("audit", "The activity log");
  audit_cmd->require_subcommand(1);
  CLI::App* verify_cmd = audit_cmd->add_subcommand(
      "verify", "Check the activity log's hash chain; exit 1 when it was altered");
  verify_cmd->add_option("--db", audit.db, "Database URL")->capture_default_str();
  verify_cmd->add_option("--subdomain", audit.subdomain, "Only this account (default: all)");

  VerifyOptions verify;
  CLI::App* consistency_cmd = app.add_subcommand("verify", "Consistency checks of derived data");
  consistency_cmd->require_subcommand(1);
  CLI::App* counters_cmd = consistency_cmd->add_subcommand(
      "counters", "Recompute the lead totals from the leads; exit 1 when any differ");
  counters_cmd->add_option("--db", verify.db, "Database URL")->capture_default_str();
  counters_cmd->add_option("--subdomain", verify.subdomain, "Only this account (default: all)");

  BackupOptions backup;
  CLI::App* backup_cmd = app.add_subcommand(
      "backup", "Copy the whole database to a new file, consistently, while servers run");
  backup_cmd->add_option("--db", backup.db, "Database URL")->capture_default_str();
  backup_cmd->add_option("--to", backup.to, "The backup file to create (never overwritten)")
      ->required();

  RestoreOptions restore;
  CLI::App* restore_cmd = app.add_subcommand(
      "restore", "Replace the database with a backup (stop the servers on it first)");
  restore_cmd->add_option("--from", restore.from, "The backup file")->required();
  restore_cmd->add_option("--db", restore.db, "Database URL")->capture_default_str();
  restore_cmd->add_flag("--force", restore.force, "Replace a database that already holds accounts");

  UserOptions user;
  CLI::App* user_cmd = app.add_subcommand("user", "Operator helpers for one user");
  user_cmd->require_subcommand(1);
  auto add_user_options = [&user](CLI::App* cmd) {
    cmd->add_option("--db", user.db, "Database URL")->capture_default_str();
    cmd->add_option("--subdomain", user.subdomain, "Account subdomain (default: the only one)");
    cmd->add_option("--email", user.email, "The user's email")->required();
  };
  CLI::App* reset_2fa_cmd = user_cmd->add_subcommand(
      "reset-2fa", "Turn off the user's two-step verification and end their sessions");
  add_user_options(reset_2fa_cmd);
  CLI::App* reset_password_cmd = user_cmd->add_subcommand(
      "reset-password",
      "Set a new password (GATEHOUSE_NEW_PASSWORD or prompted); ends sessions, revokes tokens");
  add_user_options(reset_password_cmd);
  CLI::App* end_sessions_cmd =
      user_cmd->add_subcommand("end-sessions", "End every session of the user");
  add_user_options(end_sessions_cmd);
  DormantOptions dormant;
  CLI::App* dormant_cmd = user_cmd->add_subcommand(
      "deactivate-dormant",
      "Deactivate the users without a login for the security policy's dormant_days (for cron)");
  dormant_cmd->add_option("--db", dormant.db, "Database URL")->capture_default_str();
  dormant_cmd->add_option("--subdomain", dormant.subdomain,
                          "Only this account (default: every account)");
  dormant_cmd->add_flag("--dry-run", dormant.dry_run,
                        "List who would be deactivated and change nothing");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the reason (or the help) and returns its own codes (105, 106, ...); usage
    // errors exit 2 as is customary, so scripts such as a security-report cron job can tell a
    // bad command line from a finding (1).
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (serve_cmd->parsed()) {
    serve.flags_given = FlagsGiven(serve_cmd);
    return RunServe(serve);
  }
  if (config_check_cmd->parsed()) return RunConfigCheck(checked);
  if (init_cmd->parsed()) return RunInit(init);
  if (demo_cmd->parsed()) return RunDemo(demo);
  if (migrate_cmd->parsed()) return RunMigrate(migrate);
  if (report_cmd->parsed()) return RunSecurityReport(report);
  if (explain_cmd->parsed()) return RunExplain(explain);
  if (rotate_cmd->parsed()) return RunKeysRotate(keys);
  if (verify_cmd->parsed()) return RunAuditVerify(audit);
  if (counters_cmd->parsed()) return RunVerifyCounters(verify);
  if (backup_cmd->parsed()) return RunBackup(backup);
  if (restore_cmd->parsed()) return RunRestore(restore);
  if (reset_2fa_cmd->parsed()) return RunUserResetTwoFactor(user);
  if (reset_password_cmd->parsed()) return RunUserResetPassword(user);
  if (end_sessions_cmd->parsed()) return RunUserEndSessions(user);
  if (dormant_cmd->parsed()) return RunUserDeactivateDormant(dormant);
  std::fprintf(stderr, "gatehouse: no command\n");
  return 2;
}
