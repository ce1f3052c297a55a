#include "auth/password.h"

#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

#include "auth/password_work.h"
#include "auth/tokens.h"
#include "base/text.h"

namespace gatehouse::auth {
namespace {

static_assert(kPasswordOpsLimit >= crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(kPasswordMemLimit >= crypto_pwhash_MEMLIMIT_INTERACTIVE);

constexpr std::string_view kListFile = "common-passwords.txt";

std::atomic<bool> cheapest_for_tests{false};

struct HashCost {
  std::uint64_t ops;
  std::size_t mem;
};

HashCost CurrentCost() {
  if (cheapest_for_tests.load(std::memory_order_relaxed)) {
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  }
  return {kPasswordOpsLimit, kPasswordMemLimit};
}

std::string ExecutableDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string path(buf, static_cast<std::size_t>(n));
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

}  // namespace

base::Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  const HashCost cost = CurrentCost();
  int failed = 0;
  RunPasswordWork([&] {
    failed = crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem,
                                   crypto_pwhash_ALG_ARGON2ID13);
  });
  if (failed != 0) return base::Status::Internal("argon2id: out of memory");
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  EnsureSodium();
  // libsodium wants a NUL-terminated string; a hash longer than STRBYTES is not ours.
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (encoded_hash.rfind("$argon2id$", 0) != 0) return false;
  std::string hash(encoded_hash);
  bool matches = false;
  RunPasswordWork([&] {
    matches = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  });
  return matches;
}

bool NeedsRehash(std::string_view encoded_hash) {
  EnsureSodium();
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return true;
  if (encoded_hash.rfind("$argon2id$", 0) != 0) return true;
  std::string hash(encoded_hash);
  // 1: other parameters; -1: not a valid hash. Both mean "hash it again".
  const HashCost cost = CurrentCost();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), cost.ops, cost.mem) != 0;
}

void UseCheapestPasswordHashingForTests(bool cheapest) {
  cheapest_for_tests.store(cheapest, std::memory_order_relaxed);
}

base::Result<CommonPasswords> CommonPasswords::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return base::Status::NotFound("common-password list not found: " + path);
  CommonPasswords list;
  std::string line;
  while (std::getline(in, line)) {
    std::string_view entry = base::Trim(line, base::kWhitespace);
    if (entry.empty() || entry.front() == '#') continue;
    list.set_.insert(base::AsciiLower(entry));
  }
  if (list.set_.empty()) {
    return base::Status::Error(base::Code::kFailedPrecondition,
                               "common-password list is empty: " + path);
  }
  return list;
}

base::Result<CommonPasswords> CommonPasswords::LoadDefault() {
  std::string tried;
  for (const std::string& path : CommonPasswordsCandidatePaths()) {
    if (access(path.c_str(), R_OK) == 0) return LoadFile(path);
    tried += tried.empty() ? path : ", " + path;
  }
  return base::Status::NotFound(
      "common-password list not found (set GATEHOUSE_DATA_DIR to the folder holding "
      "common-passwords.txt); tried: " +
      tried);
}

CommonPasswords CommonPasswords::FromList(const std::vector<std::string>& passwords) {
  CommonPasswords list;
  for (const std::string& p : passwords) list.set_.insert(base::AsciiLower(p));
  return list;
}

bool CommonPasswords::Contains(std::string_view password) const {
  return set_.count(base::AsciiLower(password)) > 0;
}

std::vector<std::string> CommonPasswordsCandidatePaths() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("GATEHOUSE_DATA_DIR"); env != nullptr && *env != '\0') {
    dirs.emplace_back(env);
  }
  if (std::string exe = ExecutableDir(); !exe.empty()) {
    dirs.push_back(exe + "/../share/gatehouse");
    dirs.push_back(exe + "/data");
    dirs.push_back(exe + "/../data");
  }
  dirs.emplace_back(GATEHOUSE_INSTALL_DATA_DIR);
  dirs.emplace_back(GATEHOUSE_SOURCE_DATA_DIR);
  std::vector<std::string> paths;
  for (const std::string& dir : dirs) paths.push_back(dir + "/" + std::string(kListFile));
  return paths;
}

base::Status CheckPasswordPolicy(std::string_view password, std::string_view email,
                                 const CommonPasswords& common, std::string_view field) {
  std::string path(field);
  if (base::CodePoints(password) < kMinPasswordLength) {  // "ß" counts once
    return base::Status::InvalidField(path, "TooShort",
                                      "The password must be at least 10 characters long.");
  }
  if (password.size() > kMaxPasswordBytes) {
    return base::Status::InvalidField(path, "TooLong",
                                      "The password must be at most 1024 bytes long.");
  }
  std::string_view trimmed_email = base::Trim(email, base::kWhitespace);
  if (!trimmed_email.empty() && base::AsciiLower(base::Trim(password, base::kWhitespace)) ==
                                    base::AsciiLower(trimmed_email)) {
    return base::Status::InvalidField(path, "EqualsEmail",
                                      "The password must not be the email address.");
  }
  if (common.Contains(password) || common.Contains(base::Trim(password, base::kWhitespace))) {
    return base::Status::InvalidField(
        path, "TooCommon",
        "This password is in a list of commonly used passwords; choose another.");
  }
  return base::Status::Ok();
}

}  // namespace gatehouse::auth
