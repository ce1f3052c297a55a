// Cost of field rights on a page of leads (issue 15 benchmark): a page of 250 leads with 20
// custom fields, read through the service (RecordService::List<Lead>: the permission-filtered
// page, the definitions, the values of the page, each record's custom_fields_values rendered
// for the caller) as a user who may view 10 of the fields, against the same page read by a user
// who may view every field, on SQLite and PostgreSQL. See README.md ("Field rights: a page of
// leads") for the figures and the command.
//
// Data (one fresh account per engine and run): 1,000 leads, 20 text fields, every lead a value in
// every field. Two users with leads.view A: "all" (no field rights) and "half" (view D on the
// fields at even positions). The two cases are measured interleaved (all, half, half, all, ...),
// so the load of a shared machine falls on both alike; each reports its median and p90, and the
// run the ratio of the medians (half / all). Before timing, the pages are checked: 250 leads,
// with 20 fields each for "all" and the 10 visible fields for "half".
//
// Usage: field_rights_bench [--pg URL] [--dir DIR] [--iterations N] [--engine sqlite|postgres]
// Without --pg (or GATEHOUSE_TEST_PG_URL) only SQLite runs.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "policy/account_policy.h"
#include "service/records/records.h"
#include "storage/sql/postgres_connection.h"
#include "storage/store.h"

namespace gatehouse::bench {
namespace {

using base::Status;
using domain::Action;
using domain::DataSet;
using domain::Level;

constexpr int kLeads = 1000;
constexpr int kFields = 20;
constexpr int kPageSize = 250;
constexpr std::string_view kDatabase = "gh_field_rights_bench";

struct Options {
  std::string pg_url;
  std::string dir = "/tmp/gatehouse-field-rights-bench";
  int iterations = 300;
  std::string engine;  // empty: both (PostgreSQL only with a URL)
};

struct Stats {
  double p50_ms = 0;
  double p90_ms = 0;
};

Stats Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&ms](double q) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  return {at(0.5), at(0.9)};
}

struct Row {
  std::string engine;
  Stats all;
  Stats half;
};

domain::Rights LeadsViewer() {
  domain::Rights rights;
  rights.Set(DataSet::kLeads, Action::kView, Level::kAllowed);
  return rights;
}

// The account of one run: fields, the two users, the leads with every value.
Status Load(storage::Store& store, domain::AccountId* account_id, domain::UserId* all,
            domain::UserId* half) {
  GH_ASSIGN_OR_RETURN(storage::AccountRow account,
                      store.CreateAccount({"fields-bench", "Field rights bench", 10, 0}));
  *account_id = account.id;
  return store.Write(account.id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(domain::GroupId group, w.DefaultGroupId());
    std::vector<std::int64_t> fields;
    for (int f = 0; f < kFields; ++f) {
      const domain::CustomField field{
          .data_set = DataSet::kLeads, .name = "Field " + std::to_string(f), .sort = f};
      GH_ASSIGN_OR_RETURN(domain::CustomField stored, w.CreateCustomField(field));
      fields.push_back(stored.id);
    }
    for (int u = 0; u < 2; ++u) {
      storage::UserRow row{.user = {.name = u == 0 ? "All fields" : "Half the fields",
                                    .email = u == 0 ? "all@bench.example" : "half@bench.example",
                                    .group_id = group,
                                    .rights = LeadsViewer()}};
      if (u == 1) {
        for (int f = 0; f < kFields; f += 2) {
          row.user.rights.field_rights.push_back({DataSet::kLeads, fields[f], false, false});
        }
      }
      GH_ASSIGN_OR_RETURN(domain::UserId id, w.CreateUser(row));
      (u == 0 ? *all : *half) = id;
    }
    for (int i = 0; i < kLeads; ++i) {
      const storage::Lead lead{.name = "Lead " + std::to_string(i),
                               .price = 1000 + i,
                               .responsible_user_id = *all,
                               .created_at = 1'760'000'000 + i,
                               .updated_at = 1'760'000'000 + i};
      GH_ASSIGN_OR_RETURN(storage::Lead stored, w.Create(lead));
      for (int f = 0; f < kFields; ++f) {
        const domain::FieldValue value{
            "value " + std::to_string(f) + " of lead " + std::to_string(i), 0};
        GH_RETURN_IF_ERROR(w.SetFieldValues(DataSet::kLeads, stored.id, fields[f],
                                            std::span<const domain::FieldValue>(&value, 1)));
      }
    }
    return Status::Ok();
  });
}

// The number of custom_fields_values entries of a rendered record (its "field_id" members).
int FieldsShown(const std::string& json) {
  int n = 0;
  for (std::size_t at = json.find("\"field_id\""); at != std::string::npos;
       at = json.find("\"field_id\"", at + 1)) {
    ++n;
  }
  return n;
}

base::Result<Row> RunEngine(const std::string& engine, const std::string& url,
                            const Options& options) {
  GH_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::Store::Open(url, 1));
  GH_RETURN_IF_ERROR(store->Migrate());
  domain::AccountId account_id = 0;
  domain::UserId all_id = 0, half_id = 0;
  auto load_start = std::chrono::steady_clock::now();
  GH_RETURN_IF_ERROR(Load(*store, &account_id, &all_id, &half_id));
  std::fprintf(
      stderr, "%s: loaded in %.1f s\n", engine.c_str(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count());
  GH_ASSIGN_OR_RETURN(domain::AccountModel model, store->Reader(account_id).LoadAccountModel());
  std::shared_ptr<const policy::AccountPolicy> policy = policy::AccountPolicy::Build(model);
  base::SystemClock clock;
  service::RecordService records(*store, clock);
  auto caller = [&](domain::UserId user) {
    return service::Caller{
        .account_id = account_id, .user_id = user, .actor_id = user, .policy = policy};
  };
  const service::Caller all = caller(all_id);
  const service::Caller half = caller(half_id);
  const storage::ListQuery query{.order_field = storage::OrderField::kUpdatedAt,
                                 .order_direction = storage::OrderDirection::kDesc,
                                 .limit = kPageSize};

  // The pages are what the case says before anything is timed.
  for (const auto& [who, want] : {std::pair{&all, kFields}, std::pair{&half, kFields / 2}}) {
    GH_ASSIGN_OR_RETURN(auto page, records.List<storage::Lead>(*who, query));
    if (page.items.size() != static_cast<std::size_t>(kPageSize)) {
      return Status::Internal("the page has " + std::to_string(page.items.size()) + " leads");
    }
    for (const auto& view : page.items) {
      if (FieldsShown(view.record.custom_fields_json) != want) {
        return Status::Internal("lead " + std::to_string(view.record.id) + " shows " +
                                std::to_string(FieldsShown(view.record.custom_fields_json)) +
                                " fields, expected " + std::to_string(want));
      }
    }
  }

  auto time_page = [&](const service::Caller& who, std::vector<double>& out) -> Status {
    auto start = std::chrono::steady_clock::now();
    GH_ASSIGN_OR_RETURN(auto page, records.List<storage::Lead>(who, query));
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (page.items.size() != static_cast<std::size_t>(kPageSize)) {
      return Status::Internal("short page");
    }
    out.push_back(ms);
    return Status::Ok();
  };
  std::vector<double> all_ms, half_ms, scratch;
  for (int i = 0; i < std::max(5, options.iterations / 10); ++i) {  // warm-up
    GH_RETURN_IF_ERROR(time_page(all, scratch));
    GH_RETURN_IF_ERROR(time_page(half, scratch));
  }
  for (int i = 0; i < options.iterations; ++i) {
    // Alternating which goes first, so neither case always follows the other.
    if (i % 2 == 0) {
      GH_RETURN_IF_ERROR(time_page(all, all_ms));
      GH_RETURN_IF_ERROR(time_page(half, half_ms));
    } else {
      GH_RETURN_IF_ERROR(time_page(half, half_ms));
      GH_RETURN_IF_ERROR(time_page(all, all_ms));
    }
  }
  return Row{engine, Summarize(all_ms), Summarize(half_ms)};
}

// A database of its own in the cluster of `url`, dropped and created again; its URL.
base::Result<std::string> FreshPostgres(const std::string& url) {
  GH_ASSIGN_OR_RETURN(auto admin, storage::sql::OpenPostgres(url));
  GH_RETURN_IF_ERROR(admin->ExecuteScript("DROP DATABASE IF EXISTS " + std::string(kDatabase)));
  GH_RETURN_IF_ERROR(admin->ExecuteScript("CREATE DATABASE " + std::string(kDatabase)));
  const std::size_t slash = url.find('/', url.find("://") + 3);
  const std::size_t query = url.find('?');
  return url.substr(0, slash) + "/" + std::string(kDatabase) +
         (query == std::string::npos ? "" : url.substr(query));
}

int Main(int argc, char** argv) {
  Options options;
  if (const char* url = std::getenv("GATEHOUSE_TEST_PG_URL")) options.pg_url = url;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--pg") options.pg_url = next();
    if (arg == "--dir") options.dir = next();
    if (arg == "--iterations") options.iterations = std::max(1, std::atoi(next().c_str()));
    if (arg == "--engine") options.engine = next();
  }
  std::vector<Row> rows;
  if (options.engine.empty() || options.engine == "sqlite") {
    std::error_code error;
    std::filesystem::remove_all(options.dir, error);
    std::filesystem::create_directories(options.dir, error);
    auto row = RunEngine("sqlite", "sqlite:" + options.dir + "/bench.db", options);
    if (!row.ok()) {
      std::fprintf(stderr, "field_rights_bench: sqlite: %s\n", row.status().ToString().c_str());
      return 1;
    }
    rows.push_back(*row);
  }
  if ((options.engine.empty() || options.engine == "postgres") && !options.pg_url.empty()) {
    auto url = FreshPostgres(options.pg_url);
    auto row = url.ok() ? RunEngine("postgres", *url, options) : base::Result<Row>(url.status());
    if (!row.ok()) {
      std::fprintf(stderr, "field_rights_bench: postgres: %s\n", row.status().ToString().c_str());
      return 1;
    }
    rows.push_back(*row);
  }
  std::printf(
      "page of %d leads (of %d), %d custom fields each, every value set; %d iterations "
      "per case, interleaved\n",
      kPageSize, kLeads, kFields, options.iterations);
  std::printf("%-8s | %12s %12s | %12s %12s | %8s\n", "engine", "all p50 ms", "all p90 ms",
              "half p50 ms", "half p90 ms", "ratio");
  for (const Row& r : rows) {
    std::printf("%-8s | %12.3f %12.3f | %12.3f %12.3f | %8.3f\n", r.engine.c_str(), r.all.p50_ms,
                r.all.p90_ms, r.half.p50_ms, r.half.p90_ms, r.half.p50_ms / r.all.p50_ms);
  }
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Main(argc, argv); }
