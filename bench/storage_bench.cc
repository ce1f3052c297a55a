// Latency of permission-filtered lead lists through the Store on SQLite and PostgreSQL, against
// the same query written by hand (plain SQL on the same driver, no policy engine, no store) as
// the floor. See README.md ("Storage: filtered lists") for the figures and the command.
//
// Data: account A with 1,000,000 leads, 1,000 users in 50 groups (20 per group), 5 pipelines;
// account B with 100,000 leads (so every query must also exclude another account's rows).
// Leads are spread uniformly over A's users and working/closing stages, updated over two years.
// Cases, one user each, leads.view at:
//   A: allowed            G: team-wide (20 users)        M: if responsible
//   stages: team-wide in general, A on one stage, D on another, M on a third (3 pipelines)
//   D: denied (the store runs no SQL at all)
// Measured per case: the first page (250 leads by updated_at desc, CompileFilter included) and
// the count, median and p99 over --iterations runs after a warm-up; and the board summary
// (RecordService::SummarizeLeads: the filter evaluated over the lead totals' cells) against
// COUNT(*) + SUM(price) over the rows with the hand-written WHERE, checked equal. The count
// (CountLeads with only the permission filter) is answered from the totals too.
// Case "impact": the impact preview (service::CompareAccess, what POST /api/v4/security/impact
// runs after validation) of a role change from M to G on leads.view for its 50 holders, one per
// group, against one hand-written COUNT(*) per holder over the rows, checked equal.
//
// Usage: storage_bench --pg URL [--dir DIR] [--db NAME] [--leads N] [--second N]
//                      [--iterations N] [--fresh] [--bulk] [--engine sqlite|postgres]
//                      [--cases G,...]
// --bulk makes account A's leads with INSERT ... SELECT in the database (5,000,000 leads load in
// minutes) and recomputes its lead totals from the rows as migrations 9 and 10 do.
// The data is loaded once per engine and kept (SQLite file in DIR, database NAME, default
// gh_storage_bench, in the cluster) and reused by later runs, which is what makes iterating on
// queries cheap; --fresh reloads it. --engine and --cases restrict a run to one engine and to
// some cases.
// Every case also checks that the store's first page has the floor's rows in the floor's order.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "domain/account.h"
#include "policy/account_policy.h"
#include "policy/roles.h"
#include "service/records/records.h"
#include "service/security/impact.h"
#include "storage/sql/connection.h"
#include "storage/sql/pool.h"
#include "storage/sql/postgres_connection.h"
#include "storage/store.h"

namespace gatehouse::bench {
namespace {

using base::Status;
using domain::Action;
using domain::DataSet;
using domain::Level;
using storage::sql::Value;

struct Options {
  std::string pg_url;
  std::string dir = "/tmp/gatehouse-storage-bench";
  std::string db = "gh_storage_bench";
  std::int64_t leads = 1'000'000;
  std::int64_t second = 100'000;
  int iterations = 200;
  bool fresh = false;
  bool bulk = false;   // account A's leads by INSERT ... SELECT, then the totals recomputed
  std::string engine;  // empty: both
  std::string cases;   // comma-separated case names; empty: all
};

bool Selected(const std::string& list, std::string_view name) {
  if (list.empty()) return true;
  std::string padded = "," + list + ",";
  return padded.find("," + std::string(name) + ",") != std::string::npos;
}

constexpr int kGroups = 50;
constexpr int kHolders = 50;  // of the impact case's role: users kFirstHolder.. (one per group)
constexpr int kFirstHolder = 10;
constexpr int kUsers = 1000;
constexpr int kPageSize = 250;
constexpr std::int64_t kNow = 1'760'000'000;
constexpr std::string_view kLeadColumns =
    "id, name, price, pipeline_id, status_id, responsible_user_id, created_by, updated_by, "
    "created_at, updated_at, closed_at, closest_task_at, loss_reason_id, custom_fields";

enum class Case { kAllowed, kTeamWide, kIfResponsible, kStages, kDenied };
constexpr Case kCases[] = {Case::kAllowed, Case::kTeamWide, Case::kIfResponsible, Case::kStages,
                           Case::kDenied};
const char* CaseName(Case c) {
  switch (c) {
    case Case::kAllowed:
      return "A";
    case Case::kTeamWide:
      return "G";
    case Case::kIfResponsible:
      return "M";
    case Case::kStages:
      return "stages";
    case Case::kDenied:
      return "D";
  }
  return "?";
}
std::string CaseEmail(Case c) { return std::string("case-") + CaseName(c) + "@bench.example"; }

int Fail(const Status& status, const char* what) {
  std::fprintf(stderr, "storage_bench: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

// ---- Loading ----

// The three stages of the "stages" user: (A, D, M) on stages of three different pipelines.
struct StagePlan {
  domain::StageKey allowed, denied, mine;
};

std::vector<domain::StageKey> LeadStages(const std::vector<domain::Pipeline>& pipelines) {
  std::vector<domain::StageKey> stages;
  for (const domain::Pipeline& p : pipelines) {
    for (const domain::Stage& s : p.stages) {
      if (s.type == domain::kStageTypeNormal) stages.push_back({p.id, s.id});
    }
  }
  return stages;
}

// The main pipeline's first working stage (A), the second pipeline's first stage (D) and won
// 142 of the third pipeline (M).
StagePlan PlanStages(const std::vector<domain::StageKey>& stages) {
  std::vector<domain::PipelineId> pipelines;
  for (const domain::StageKey& s : stages) {
    if (pipelines.empty() || pipelines.back() != s.pipeline_id) pipelines.push_back(s.pipeline_id);
  }
  StagePlan plan{stages.front(), stages.front(), stages.front()};
  for (const domain::StageKey& s : stages) {
    if (pipelines.size() > 1 && s.pipeline_id == pipelines[1] && plan.denied == plan.allowed) {
      plan.denied = s;
    }
    if (pipelines.size() > 2 && s.pipeline_id == pipelines[2] &&
        s.status_id == domain::kWonStatusId) {
      plan.mine = s;
    }
  }
  return plan;
}

domain::Rights CaseRights(Case c, const StagePlan& plan) {
  domain::Rights rights;
  Level view = c == Case::kAllowed         ? Level::kAllowed
               : c == Case::kTeamWide      ? Level::kTeamWide
               : c == Case::kIfResponsible ? Level::kIfResponsible
               : c == Case::kStages        ? Level::kTeamWide
                                           : Level::kDenied;
  rights.Set(DataSet::kLeads, Action::kView, view);
  if (c == Case::kStages) {
    const std::pair<domain::StageKey, Level> entries[] = {{plan.allowed, Level::kAllowed},
                                                          {plan.denied, Level::kDenied},
                                                          {plan.mine, Level::kIfResponsible}};
    for (const auto& [stage, level] : entries) {
      domain::StageRights entry{stage, {}};
      entry.Set(Action::kView, level);
      rights.stage_rights.push_back(entry);
    }
    std::sort(rights.stage_rights.begin(), rights.stage_rights.end(),
              [](const auto& a, const auto& b) { return a.stage < b.stage; });
  }
  return rights;
}

// Inserts `count` leads of `account` in multi-row statements inside the writer's transaction.
Status InsertLeads(storage::AccountWriter& w, std::int64_t count,
                   const std::vector<domain::UserId>& owners,
                   const std::vector<domain::StageKey>& stages, std::uint64_t seed) {
  constexpr int kBatch = 500;
  constexpr int kWidth = 9;
  std::string sql =
      "INSERT INTO leads (account_id, name, price, pipeline_id, status_id, responsible_user_id, "
      "created_by, created_at, updated_at) VALUES ";
  for (int i = 0; i < kBatch; ++i) sql += i == 0 ? "(?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?)";
  std::mt19937_64 rng(seed);
  auto uniform = [&rng](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::vector<Value> params;
  params.reserve(kBatch * kWidth);
  for (std::int64_t done = 0; done < count;) {
    int rows = static_cast<int>(std::min<std::int64_t>(kBatch, count - done));
    params.clear();
    for (int i = 0; i < rows; ++i) {
      const domain::StageKey& stage = stages[uniform(0, std::ssize(stages) - 1)];
      domain::UserId owner = owners[uniform(0, std::ssize(owners) - 1)];
      std::int64_t updated = kNow - uniform(0, 730 * 86400);
      const storage::Lead lead{.price = uniform(0, 100'000),
                               .pipeline_id = stage.pipeline_id,
                               .status_id = stage.status_id,
                               .responsible_user_id = owner};
      w.CountLead(lead, +1);  // the rows bypass AccountWriter::Create
      params.insert(params.end(), {w.account_id(), "Lead " + std::to_string(done + i), lead.price,
                                   stage.pipeline_id, stage.status_id, owner, owner,
                                   updated - uniform(0, 30 * 86400), updated});
    }
    std::string_view statement = sql;
    std::string partial;
    if (rows < kBatch) {
      partial = sql.substr(0, sql.find("VALUES ") + 7);
      for (int i = 0; i < rows; ++i)
        partial += i == 0 ? "(?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?)";
      statement = partial;
    }
    GH_RETURN_IF_ERROR(w.connection().Execute(statement, params).status());
    done += rows;
    if (done % 100'000 == 0) std::fprintf(stderr, "  %lld leads\n", static_cast<long long>(done));
  }
  return Status::Ok();
}

// The same leads made by the database: one INSERT ... SELECT per 250,000 leads over a generated
// series, each lead's stage, responsible user, price and times drawn from multiplicative hashes
// of its number (i * a mod 2^31-1, so the same data on both engines). The rows bypass the writer,
// so the account's lead totals are then recomputed from them with the GROUP BY of migrations 9
// (cells) and 10 (stage rollups); Prepare checks them with VerifyLeadTotals after loading.
Status InsertLeadsBulk(storage::AccountWriter& w, std::int64_t count,
                       const std::vector<domain::UserId>& owners,
                       const std::vector<domain::StageKey>& stages) {
  storage::sql::Connection& c = w.connection();
  const bool sqlite = c.dialect() == storage::sql::Dialect::kSqlite;
  // SQLite builds an index from sorted input far faster than it absorbs millions of random
  // inserts: the leads' secondary indexes are dropped for the load and made again after it, in
  // the same transaction (as the demo loader does), with a cache that holds them.
  std::vector<std::string> indexes;
  if (sqlite) {
    GH_RETURN_IF_ERROR(c.ExecuteScript("PRAGMA cache_size = -2000000"));
    GH_ASSIGN_OR_RETURN(storage::sql::Rows rows,
                        c.Query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                                "sql IS NOT NULL AND tbl_name = 'leads'"));
    for (const auto& row : rows.rows) {
      GH_RETURN_IF_ERROR(c.ExecuteScript("DROP INDEX " + storage::sql::AsText(row[0])));
      indexes.push_back(storage::sql::AsText(row[1]));
    }
  }
  GH_RETURN_IF_ERROR(c.ExecuteScript(
      "CREATE TEMP TABLE bench_owners (k BIGINT PRIMARY KEY, user_id BIGINT NOT NULL); "
      "CREATE TEMP TABLE bench_stages (k BIGINT PRIMARY KEY, pipeline_id BIGINT NOT NULL, "
      "status_id BIGINT NOT NULL)"));
  for (std::size_t i = 0; i < owners.size(); ++i) {
    GH_RETURN_IF_ERROR(c.Execute("INSERT INTO bench_owners VALUES (?, ?)",
                                 std::vector<Value>{static_cast<std::int64_t>(i), owners[i]})
                           .status());
  }
  for (std::size_t i = 0; i < stages.size(); ++i) {
    GH_RETURN_IF_ERROR(c.Execute("INSERT INTO bench_stages VALUES (?, ?, ?)",
                                 std::vector<Value>{static_cast<std::int64_t>(i),
                                                    stages[i].pipeline_id, stages[i].status_id})
                           .status());
  }
  const std::string h = "((g.i * A) % 2147483647)";
  auto hash = [&h](std::int64_t a) {
    std::string out = h;
    out.replace(out.find('A'), 1, std::to_string(a));
    return out;
  };
  const std::string updated =
      "(" + std::to_string(kNow) + " - " + hash(39373) + " % " + std::to_string(730 * 86400) + ")";
  const std::string sql =
      "WITH RECURSIVE g(i) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT i + 1 FROM g WHERE i < "
      "CAST(? AS BIGINT)) "
      "INSERT INTO leads (account_id, name, price, pipeline_id, status_id, responsible_user_id, "
      "created_by, created_at, updated_at) "
      "SELECT CAST(? AS BIGINT), 'Lead ' || CAST(g.i AS TEXT), " +
      hash(16807) + " % 100001, s.pipeline_id, s.status_id, o.user_id, o.user_id, " + updated +
      " - " + hash(40692) + " % " + std::to_string(30 * 86400) + ", " + updated +
      " FROM g JOIN bench_owners o ON o.k = " + hash(48271) + " % " +
      std::to_string(owners.size()) + " JOIN bench_stages s ON s.k = " + hash(69621) + " % " +
      std::to_string(stages.size());
  constexpr std::int64_t kChunk = 250'000;
  for (std::int64_t from = 1; from <= count; from += kChunk) {
    const std::int64_t to = std::min(count, from + kChunk - 1);
    GH_RETURN_IF_ERROR(c.Execute(sql, std::vector<Value>{from, to, w.account_id()}).status());
    std::fprintf(stderr, "  %lld leads\n", static_cast<long long>(to));
  }
  GH_RETURN_IF_ERROR(c.ExecuteScript("DROP TABLE bench_owners; DROP TABLE bench_stages"));
  for (const std::string& index : indexes) GH_RETURN_IF_ERROR(c.ExecuteScript(index));
  const std::vector<Value> account = {w.account_id()};
  GH_RETURN_IF_ERROR(c.Execute("DELETE FROM lead_totals WHERE account_id = ?", account).status());
  GH_RETURN_IF_ERROR(
      c.Execute("INSERT INTO lead_totals (account_id, pipeline_id, status_id, responsible_user_id, "
                "lead_count, price_sum) SELECT account_id, pipeline_id, status_id, "
                "COALESCE(responsible_user_id, 0), COUNT(*), CAST(SUM(price) AS BIGINT) FROM "
                "leads WHERE account_id = ? GROUP BY account_id, pipeline_id, status_id, "
                "COALESCE(responsible_user_id, 0)",
                account)
          .status());
  GH_RETURN_IF_ERROR(
      c.Execute("INSERT INTO lead_totals (account_id, pipeline_id, status_id, responsible_user_id, "
                "lead_count, price_sum) SELECT account_id, pipeline_id, status_id, -1, COUNT(*), "
                "CAST(SUM(price) AS BIGINT) FROM leads WHERE account_id = ? GROUP BY account_id, "
                "pipeline_id, status_id",
                account)
          .status());
  if (sqlite) GH_RETURN_IF_ERROR(c.ExecuteScript("PRAGMA cache_size = -32768"));
  return Status::Ok();
}

// Creates one account: groups, users (the case users first), 4 extra pipelines, leads.
Status LoadAccount(storage::Store& store, const std::string& subdomain, int groups, int users,
                   std::int64_t leads, std::uint64_t seed, bool bulk) {
  GH_ASSIGN_OR_RETURN(storage::AccountRow account,
                      store.CreateAccount({subdomain, subdomain, users + 10, 0}));
  return store.Write(account.id, [&](storage::AccountWriter& w) -> Status {
    for (int p = 1; p <= 4; ++p) {
      std::vector<domain::Stage> stages;
      for (int s = 1; s <= 4; ++s) stages.push_back({0, "Stage " + std::to_string(s), s * 10, 0});
      GH_RETURN_IF_ERROR(
          w.CreatePipeline("Pipeline " + std::to_string(p), p + 1, false, stages).status());
    }
    GH_ASSIGN_OR_RETURN(std::vector<domain::Pipeline> pipelines, w.ListPipelines());
    std::vector<domain::StageKey> stages = LeadStages(pipelines);
    StagePlan plan = PlanStages(stages);
    GH_ASSIGN_OR_RETURN(domain::GroupId default_group, w.DefaultGroupId());
    std::vector<domain::GroupId> group_ids = {default_group};
    for (int g = 1; g < groups; ++g) {
      GH_ASSIGN_OR_RETURN(domain::GroupId id, w.CreateGroup("Team " + std::to_string(g)));
      group_ids.push_back(id);
    }
    // The impact case's role: leads.view M, held by kHolders users, one per group.
    domain::Role role;
    role.name = "Holders";
    role.rights.Set(DataSet::kLeads, Action::kView, Level::kIfResponsible);
    GH_ASSIGN_OR_RETURN(role.id, w.CreateRole(role));
    std::vector<domain::UserId> owners;
    for (int u = 0; u < users; ++u) {
      storage::UserRow row;
      row.user.name = "User " + std::to_string(u);
      row.user.group_id = group_ids[static_cast<std::size_t>(u % groups)];
      row.user.is_admin = u == 0;
      if (u >= 1 && u <= 5) {
        Case c = kCases[u - 1];
        row.user.email = CaseEmail(c);
        row.user.rights = CaseRights(c, plan);
      } else {
        row.user.email = "user" + std::to_string(u) + "@" + subdomain + ".example";
        row.user.rights.Set(DataSet::kLeads, Action::kView, Level::kIfResponsible);
        if (u >= kFirstHolder && u < kFirstHolder + kHolders) {
          row.user.role_id = role.id;
          row.user.rights = role.rights;
        }
      }
      GH_ASSIGN_OR_RETURN(domain::UserId id, w.CreateUser(row));
      owners.push_back(id);
    }
    if (bulk) return InsertLeadsBulk(w, leads, owners, stages);
    return InsertLeads(w, leads, owners, stages, seed);
  });
}

// Opens (and when needed fills) the bench database of one engine. Returns the store.
base::Result<std::unique_ptr<storage::Store>> Prepare(const std::string& url,
                                                      const Options& options) {
  GH_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::Store::Open(url, 1));
  GH_RETURN_IF_ERROR(store->Migrate());
  if (store->FindAccount("bench-a").ok()) return store;
  auto start = std::chrono::steady_clock::now();
  std::fprintf(stderr, "loading %s ...\n", url.c_str());
  GH_RETURN_IF_ERROR(
      LoadAccount(*store, "bench-a", kGroups, kUsers, options.leads, 1, options.bulk));
  GH_RETURN_IF_ERROR(LoadAccount(*store, "bench-b", 5, 50, options.second, 2, false));
  // Fresh statistics (and, on PostgreSQL, the visibility map for index-only counts): what
  // autovacuum / a periodic ANALYZE give a running server.
  {
    storage::sql::PooledConnection c = store->pool().Acquire();  // the pool's only connection
    GH_RETURN_IF_ERROR(c->ExecuteScript(
        store->dialect() == storage::sql::Dialect::kPostgres ? "VACUUM ANALYZE" : "ANALYZE"));
  }
  // The counters the measurements read must be exact (the store's own verification: a GROUP BY
  // over the rows).
  GH_ASSIGN_OR_RETURN(storage::AccountRow a, store->FindAccount("bench-a"));
  GH_ASSIGN_OR_RETURN(auto differences, store->Reader(a.id).VerifyLeadTotals());
  if (!differences.empty()) {
    return Status::Internal(std::to_string(differences.size()) +
                            " lead totals differ from the rows after loading");
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "loaded in %.1f s\n", seconds);
  return store;
}

// ---- Measuring ----

struct Stats {
  double p50_ms = 0;
  double p99_ms = 0;
};

// Runs `fn` `warmup` times, then `n` times timed; returns the median and p99 in milliseconds.
base::Result<Stats> Measure(int n, const std::function<Status()>& fn) {
  for (int i = 0; i < std::max(3, n / 20); ++i) GH_RETURN_IF_ERROR(fn());
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto start = std::chrono::steady_clock::now();
    GH_RETURN_IF_ERROR(fn());
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&ms](double q) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  return Stats{at(0.5), at(0.99)};
}

// The floor: the WHERE clause a person would write for the case, on a bare connection.
struct HandQuery {
  std::string where;  // after "account_id = ?"
  std::vector<Value> params;
  bool nothing = false;
};

HandQuery HandWritten(Case c, domain::UserId user, const std::vector<domain::UserId>& team,
                      const StagePlan& plan) {
  auto in_list = [](const std::vector<domain::UserId>& ids, std::vector<Value>& params) {
    std::string sql = "responsible_user_id IN (";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.emplace_back(ids[i]);
    }
    return sql + ")";
  };
  HandQuery q;
  switch (c) {
    case Case::kAllowed:
      break;
    case Case::kTeamWide:
      q.where = " AND " + in_list(team, q.params);
      break;
    case Case::kIfResponsible:
      q.where = " AND responsible_user_id = ?";
      q.params.emplace_back(user);
      break;
    case Case::kStages: {
      // Outside the three stages: the team; on the A stage: everyone; on the M stage: mine.
      q.where =
          " AND ((NOT ((pipeline_id = ? AND status_id = ?) OR (pipeline_id = ? AND status_id = ?)"
          " OR (pipeline_id = ? AND status_id = ?)) AND " +
          std::string("RESP") + ") OR (pipeline_id = ? AND status_id = ?)" +
          " OR (pipeline_id = ? AND status_id = ? AND responsible_user_id = ?))";
      for (const domain::StageKey& s : {plan.allowed, plan.denied, plan.mine}) {
        q.params.insert(q.params.end(), {s.pipeline_id, s.status_id});
      }
      std::vector<Value> team_params;
      q.where.replace(q.where.find("RESP"), 4, in_list(team, team_params));
      q.params.insert(q.params.end(), team_params.begin(), team_params.end());
      q.params.insert(q.params.end(), {plan.allowed.pipeline_id, plan.allowed.status_id,
                                       plan.mine.pipeline_id, plan.mine.status_id, user});
      break;
    }
    case Case::kDenied:
      q.nothing = true;
      break;
  }
  return q;
}

struct Row {
  std::string engine;
  Case c;
  Stats page, page_floor, count, count_floor;
  std::int64_t visible = 0;
  // GET /api/v4/leads/summary's service call (the filter over the lead totals' cells) against
  // COUNT(*) and SUM(price) over the rows with the hand-written WHERE.
  Stats summary, summary_floor;
};

// The impact case: the preview of leads.view M -> G for the role's holders vs one COUNT(*) per
// holder over the rows (what each gains: the leads of their team but their own; they lose none).
struct ImpactRow {
  std::string engine;
  Stats preview, floor;
  std::int64_t gain = 0;
  int holders = 0;
};

base::Result<ImpactRow> MeasureImpact(const storage::AccountReader& reader,
                                      storage::sql::Connection& raw,
                                      const domain::AccountModel& model, const Options& options) {
  auto held = std::find_if(model.roles.begin(), model.roles.end(),
                           [](const domain::Role& r) { return r.name == "Holders"; });
  if (held == model.roles.end()) return Status::Internal("the role is missing; rerun with --fresh");
  domain::Role role = *held;
  role.rights.Set(DataSet::kLeads, Action::kView, Level::kTeamWide);
  domain::AccountModel proposed = model;
  const std::vector<domain::UserId> holders = policy::UpdateRole(proposed, role);
  ImpactRow row;
  row.holders = static_cast<int>(holders.size());
  service::ImpactReport report;
  const int iterations = std::max(5, options.iterations / 10);
  GH_ASSIGN_OR_RETURN(row.preview, Measure(iterations, [&]() -> Status {
                        GH_ASSIGN_OR_RETURN(report,
                                            service::CompareAccess(reader, model, proposed));
                        return Status::Ok();
                      }));
  std::int64_t floor_gain = 0;
  GH_ASSIGN_OR_RETURN(row.floor, Measure(std::max(3, iterations / 4), [&]() -> Status {
                        floor_gain = 0;
                        for (domain::UserId holder : holders) {
                          const domain::User* user = model.FindUser(holder);
                          std::vector<Value> params = {Value{reader.account_id()}};
                          std::string sql =
                              "SELECT COUNT(*) FROM leads WHERE account_id = ? AND "
                              "responsible_user_id IN (";
                          bool first = true;
                          for (const domain::User& u : model.users) {
                            if (u.group_id != user->group_id || u.id == holder) continue;
                            sql += first ? "?" : ", ?";
                            params.emplace_back(u.id);
                            first = false;
                          }
                          GH_ASSIGN_OR_RETURN(storage::sql::Rows r, raw.Query(sql + ")", params));
                          floor_gain += storage::sql::AsInt(r.rows.at(0).at(0));
                        }
                        return Status::Ok();
                      }));
  row.gain = report.gain;
  if (report.gain != floor_gain || report.lose != 0) {
    return Status::Internal(
        "impact preview and hand-written counts disagree: " + std::to_string(report.gain) + "/" +
        std::to_string(report.lose) + " vs " + std::to_string(floor_gain) + "/0");
  }
  return row;
}

Status RunEngine(const std::string& engine, const std::string& url, const Options& options,
                 std::vector<Row>* out, std::optional<ImpactRow>* impact) {
  GH_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, Prepare(url, options));
  GH_ASSIGN_OR_RETURN(storage::AccountRow account, store->FindAccount("bench-a"));
  storage::AccountReader reader = store->Reader(account.id);
  GH_ASSIGN_OR_RETURN(domain::AccountModel model, reader.LoadAccountModel());
  std::shared_ptr<const policy::AccountPolicy> policy = policy::AccountPolicy::Build(model);
  StagePlan plan = PlanStages(LeadStages(model.pipelines));
  GH_ASSIGN_OR_RETURN(std::unique_ptr<storage::sql::ConnectionPool> raw_pool,
                      storage::sql::OpenPool(url, 1));
  storage::sql::PooledConnection raw = raw_pool->Acquire();
  base::SystemClock clock;

  for (Case c : kCases) {
    if (!Selected(options.cases, CaseName(c))) continue;
    const domain::User* user = nullptr;
    for (const domain::User& u : model.users) {
      if (u.email == CaseEmail(c)) user = &u;
    }
    if (user == nullptr) return Status::Internal("case user missing; rerun with --fresh");
    std::vector<domain::UserId> team;
    for (const domain::User& u : model.users) {
      if (u.group_id == user->group_id) team.push_back(u.id);
    }
    Row row{engine, c, {}, {}, {}, {}, 0, {}, {}};
    auto permission = [&] {
      return policy->CompileFilter(user->id, DataSet::kLeads, Action::kView);
    };
    auto query = [&] {
      return storage::ListQuery{.order_field = storage::OrderField::kUpdatedAt,
                                .order_direction = storage::OrderDirection::kDesc,
                                .limit = kPageSize};
    };
    GH_ASSIGN_OR_RETURN(row.page, Measure(options.iterations, [&]() -> Status {
                          return reader.List<storage::Lead>(permission(), query()).status();
                        }));
    const int count_iterations = std::max(5, options.iterations / 10);
    GH_ASSIGN_OR_RETURN(row.count, Measure(count_iterations, [&]() -> Status {
                          GH_ASSIGN_OR_RETURN(row.visible,
                                              reader.Count<storage::Lead>(permission(), query()));
                          return Status::Ok();
                        }));

    HandQuery hand = HandWritten(c, user->id, team, plan);
    std::vector<Value> params = {account.id};
    params.insert(params.end(), hand.params.begin(), hand.params.end());
    const std::string where = " FROM leads WHERE account_id = ?" + hand.where;
    const std::string page_sql = "SELECT " + std::string(kLeadColumns) + where +
                                 " ORDER BY updated_at DESC, id DESC LIMIT " +
                                 std::to_string(kPageSize);
    const std::string count_sql = "SELECT COUNT(*)" + where;
    std::int64_t floor_visible = 0;
    if (!hand.nothing) {
      GH_ASSIGN_OR_RETURN(storage::Page<storage::Lead> page,
                          reader.List<storage::Lead>(permission(), query()));
      GH_ASSIGN_OR_RETURN(storage::sql::Rows floor_rows, raw->Query(page_sql, params));
      bool same = page.items.size() == floor_rows.size();
      for (std::size_t i = 0; same && i < page.items.size(); ++i) {
        same = page.items[i].id == storage::sql::AsInt(floor_rows.rows[i].at(0));
      }
      if (!same) {
        return Status::Internal("store and hand-written first page differ for case " +
                                std::string(CaseName(c)));
      }
    }
    GH_ASSIGN_OR_RETURN(row.page_floor, Measure(options.iterations, [&]() -> Status {
                          if (hand.nothing) return Status::Ok();
                          return raw->Query(page_sql, params).status();
                        }));
    GH_ASSIGN_OR_RETURN(row.count_floor, Measure(count_iterations, [&]() -> Status {
                          if (hand.nothing) return Status::Ok();
                          GH_ASSIGN_OR_RETURN(storage::sql::Rows r, raw->Query(count_sql, params));
                          floor_visible = storage::sql::AsInt(r.rows.at(0).at(0));
                          return Status::Ok();
                        }));
    // The summary: the whole board (every pipeline) through the service, and its floor.
    service::RecordService records(*store, clock);
    const service::Caller caller{.account_id = account.id, .user_id = user->id, .policy = policy};
    service::LeadsSummary summary;
    GH_ASSIGN_OR_RETURN(row.summary, Measure(options.iterations, [&]() -> Status {
                          GH_ASSIGN_OR_RETURN(summary, records.SummarizeLeads(caller, 0));
                          return Status::Ok();
                        }));
    const std::string sum_sql = "SELECT COUNT(*), CAST(SUM(price) AS BIGINT)" + where;
    std::int64_t floor_price = 0;
    GH_ASSIGN_OR_RETURN(row.summary_floor, Measure(count_iterations, [&]() -> Status {
                          if (hand.nothing) return Status::Ok();
                          GH_ASSIGN_OR_RETURN(storage::sql::Rows r, raw->Query(sum_sql, params));
                          floor_price = storage::sql::AsInt(r.rows.at(0).at(1));
                          return Status::Ok();
                        }));
    if (summary.count != row.visible || summary.price != floor_price) {
      return Status::Internal("summary and hand-written COUNT/SUM disagree for case " +
                              std::string(CaseName(c)) + ": " + std::to_string(summary.count) +
                              "/" + std::to_string(summary.price) + " vs " +
                              std::to_string(row.visible) + "/" + std::to_string(floor_price));
    }
    if (floor_visible != row.visible) {
      return Status::Internal("store and hand-written count disagree for case " +
                              std::string(CaseName(c)) + ": " + std::to_string(row.visible) +
                              " vs " + std::to_string(floor_visible));
    }
    out->push_back(row);
  }
  if (Selected(options.cases, "impact")) {
    GH_ASSIGN_OR_RETURN(*impact, MeasureImpact(reader, *raw, model, options));
    (*impact)->engine = engine;
  }
  return Status::Ok();
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  if (const char* url = std::getenv("GATEHOUSE_TEST_PG_URL")) o.pg_url = url;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--pg") o.pg_url = next();
    if (arg == "--dir") o.dir = next();
    if (arg == "--db") o.db = next();
    if (arg == "--leads") o.leads = std::atoll(next().c_str());
    if (arg == "--second") o.second = std::atoll(next().c_str());
    if (arg == "--iterations") o.iterations = std::max(1, std::atoi(next().c_str()));
    if (arg == "--fresh") o.fresh = true;
    if (arg == "--bulk") o.bulk = true;
    if (arg == "--engine") o.engine = next();
    if (arg == "--cases") o.cases = next();
  }
  return o;
}

int Main(int argc, char** argv) {
  Options options = ParseOptions(argc, argv);
  if (options.pg_url.empty()) {
    std::fprintf(stderr, "storage_bench: --pg URL (or GATEHOUSE_TEST_PG_URL) is required\n");
    return 2;
  }
  std::error_code error;
  if (options.fresh) std::filesystem::remove_all(options.dir, error);
  std::filesystem::create_directories(options.dir, error);
  const std::string sqlite_url = "sqlite:" + options.dir + "/bench.db";

  // PostgreSQL: a database of its own in the given cluster, created when missing.
  auto admin = storage::sql::OpenPostgres(options.pg_url);
  if (!admin.ok()) return Fail(admin.status(), "connect");
  if (options.fresh) {
    Status dropped = (*admin)->ExecuteScript("DROP DATABASE IF EXISTS " + options.db);
    if (!dropped.ok()) return Fail(dropped, "drop database");
  }
  const std::vector<Value> name = {Value{options.db}};
  auto exists = (*admin)->Query("SELECT 1 FROM pg_database WHERE datname = ?", name);
  if (!exists.ok()) return Fail(exists.status(), "look up database");
  if (exists->empty()) {
    Status created = (*admin)->ExecuteScript("CREATE DATABASE " + options.db);
    if (!created.ok()) return Fail(created, "create database");
  }
  std::string pg_url = options.pg_url;
  std::size_t slash = pg_url.find('/', pg_url.find("://") + 3);
  std::size_t query = pg_url.find('?');
  pg_url = pg_url.substr(0, slash) + "/" + options.db +
           (query == std::string::npos ? "" : pg_url.substr(query));

  std::vector<Row> rows;
  std::vector<ImpactRow> impacts;
  for (const auto& [engine, url] :
       {std::pair<std::string, std::string>{"sqlite", sqlite_url}, {"postgres", pg_url}}) {
    if (!options.engine.empty() && options.engine != engine) continue;
    std::optional<ImpactRow> impact;
    Status status = RunEngine(engine, url, options, &rows, &impact);
    if (!status.ok()) return Fail(status, engine.c_str());
    if (impact) impacts.push_back(*impact);
  }

  std::printf(
      "%lld leads in account A (+%lld in B), %d users in %d groups, first page of %d by "
      "updated_at desc; %d iterations (counts: %d)\n",
      static_cast<long long>(options.leads), static_cast<long long>(options.second), kUsers,
      kGroups, kPageSize, options.iterations, std::max(5, options.iterations / 10));
  std::printf("%-8s %-6s %9s | %9s %9s %9s %9s %6s | %9s %9s %9s | %9s %9s %9s\n", "engine", "case",
              "visible", "page p50", "page p99", "floor p50", "floor p99", "ratio", "count p50",
              "count p99", "floor p50", "summ p50", "summ p99", "sum p50");
  for (const Row& r : rows) {
    // D runs no SQL on either side: there is no floor to compare with.
    std::string ratio = "n/a";
    if (r.c != Case::kDenied && r.page_floor.p50_ms > 0) {
      char text[16];
      std::snprintf(text, sizeof(text), "%.2f", r.page.p50_ms / r.page_floor.p50_ms);
      ratio = text;
    }
    std::printf(
        "%-8s %-6s %9lld | %9.3f %9.3f %9.3f %9.3f %6s | %9.3f %9.3f %9.3f | %9.3f %9.3f %9.3f\n",
        r.engine.c_str(), CaseName(r.c), static_cast<long long>(r.visible), r.page.p50_ms,
        r.page.p99_ms, r.page_floor.p50_ms, r.page_floor.p99_ms, ratio.c_str(), r.count.p50_ms,
        r.count.p99_ms, r.count_floor.p50_ms, r.summary.p50_ms, r.summary.p99_ms,
        r.summary_floor.p50_ms);
  }
  if (!impacts.empty()) {
    std::printf("\nimpact preview: role leads.view M -> G\n%-8s %7s %9s | %11s %11s | %11s\n",
                "engine", "holders", "gain", "preview p50", "preview p99", "COUNTs p50");
  }
  for (const ImpactRow& r : impacts) {
    std::printf("%-8s %7d %9lld | %11.3f %11.3f | %11.3f\n", r.engine.c_str(), r.holders,
                static_cast<long long>(r.gain), r.preview.p50_ms, r.preview.p99_ms, r.floor.p50_ms);
  }
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Main(argc, argv); }
