// SQLite durability, measured: write transactions per second with synchronous=NORMAL and FULL
// (storage::sql::SqliteSync), each transaction a lead and its activity-log event as the server
// writes them (lead totals and the hash chain included), one writer. The gap is the cost of one
// fsync of the WAL per commit on the disk under --dir.
//
//   durability_bench [--dir /var/tmp] [--seconds 5]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "storage/store.h"

namespace gatehouse::bench {
namespace {

using storage::AccountWriter;
using storage::sql::SqliteSync;

struct Outcome {
  long long commits = 0;
  double seconds = 0;
};

Outcome Run(const std::filesystem::path& file, SqliteSync sync, double seconds) {
  std::filesystem::remove(file);
  std::filesystem::remove(file.string() + "-wal");
  std::filesystem::remove(file.string() + "-shm");
  auto store =
      storage::Store::Open("sqlite:" + file.string(), 1, storage::sql::IfMissing::kCreate, sync);
  if (!store.ok() || !(*store)->Migrate().ok()) return {};
  auto account = (*store)->CreateAccount({"bench", "Bench", 10, 0});
  if (!account.ok()) return {};
  Outcome out;
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    base::Status wrote = (*store)->Write(account->id, [&](AccountWriter& w) -> base::Status {
      const storage::Lead lead{.name = "Lead", .price = out.commits};
      GH_ASSIGN_OR_RETURN(storage::Lead created, w.Create(lead));
      const storage::EventRow event{.id = "durability-" + std::to_string(out.commits),
                                    .created_at = 1'700'000'000,
                                    .type = "lead_added",
                                    .entity_type = "lead",
                                    .entity_id = created.id};
      return w.AppendEvent(event);
    });
    if (!wrote.ok()) {
      std::fprintf(stderr, "write failed: %s\n", wrote.ToString().c_str());
      break;
    }
    ++out.commits;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

int Main(int argc, char** argv) {
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  double seconds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::stod(argv[i + 1]);
  }
  const std::filesystem::path file =
      dir / ("durability-bench-" + std::to_string(::getpid()) + ".db");
  std::printf("| synchronous | commits | seconds | commits/s |\n| --- | ---: | ---: | ---: |\n");
  for (auto [name, sync] :
       {std::pair{"NORMAL", SqliteSync::kNormal}, std::pair{"FULL", SqliteSync::kFull}}) {
    const Outcome out = Run(file, sync, seconds);
    std::printf("| %s | %lld | %.1f | %.0f |\n", name, out.commits, out.seconds,
                out.seconds > 0 ? out.commits / out.seconds : 0.0);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Main(argc, argv); }
