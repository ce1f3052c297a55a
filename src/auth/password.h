// Password hashing (Argon2id) and the password policy.
//
// Hashing parameters, in one place (SPEC §3 asks for them to be stated):
//   algorithm  Argon2id v1.3 (libsodium crypto_pwhash_str, ALG_ARGON2ID13)
//   opslimit   2 passes          (crypto_pwhash_OPSLIMIT_INTERACTIVE)
//   memlimit   64 MiB            (crypto_pwhash_MEMLIMIT_INTERACTIVE, 67108864 bytes)
//   salt       16 random bytes, parallelism 1, 32-byte tag, all inside the encoded string
// The encoded hash looks like "$argon2id$v=19$m=65536,t=2,p=1$<salt>$<tag>" and is at most
// 128 bytes. About 60 ms and 64 MiB per hash or verify on this machine: call these off the I/O
// threads. Raising the constants later is safe: NeedsRehash() then says so for old hashes, and
// the caller re-hashes the password on the next successful login.
//
// Policy (CheckPasswordPolicy): at least 10 characters (Unicode code points), at most 1024 bytes,
// not equal to the email (case-insensitive, surrounding spaces ignored), not in the shipped list
// of common passwords (data/common-passwords.txt, case-insensitive).
//
// Thread-safety: every function is thread-safe; a CommonPasswords is immutable once loaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "base/status.h"

namespace gatehouse::auth {

inline constexpr std::uint64_t kPasswordOpsLimit = 2;        // OPSLIMIT_INTERACTIVE
inline constexpr std::size_t kPasswordMemLimit = 64u << 20;  // MEMLIMIT_INTERACTIVE
inline constexpr std::size_t kMinPasswordLength = 10;        // code points
inline constexpr std::size_t kMaxPasswordBytes = 1024;       // bounds hashing work

// Hashes `password` with the parameters above and a fresh random salt. Fails (kInternal) only
// when memory for Argon2 cannot be had.
base::Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `encoded_hash` (constant-time). False on mismatch and on a
// malformed or non-Argon2id hash.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// True when `encoded_hash` was made with other parameters than the current ones (or is not a
// valid Argon2id hash): re-hash after the next successful VerifyPassword.
bool NeedsRehash(std::string_view encoded_hash);

// Test binaries only (tests/test_main.cc turns it on for every GoogleTest binary): hash with
// libsodium's smallest Argon2id cost (1 pass, 8 KiB) instead of the stated parameters, because
// hashing was most of the suite's CPU time. Verification reads the cost from the encoded hash,
// so it is unaffected either way; the server and the CLI never call this.
void UseCheapestPasswordHashingForTests(bool cheapest);

// The list of common passwords, held lower-case in a hash set.
class CommonPasswords {
 public:
  CommonPasswords() = default;  // empty: Contains() is always false

  // Reads one password per line ('#' comments and blank lines skipped; CR tolerated).
  // kNotFound naming the path when it cannot be opened; kFailedPrecondition when it holds no
  // entries.
  static base::Result<CommonPasswords> LoadFile(const std::string& path);

  // Loads the first existing file of CommonPasswordsCandidatePaths(). kNotFound listing every
  // path tried when none exists.
  static base::Result<CommonPasswords> LoadDefault();

  // Builds a list from memory (tests, embedding).
  static CommonPasswords FromList(const std::vector<std::string>& passwords);

  // Case-insensitive (ASCII) membership test.
  bool Contains(std::string_view password) const;
  std::size_t size() const { return set_.size(); }

 private:
  std::unordered_set<std::string> set_;
};

// Where LoadDefault looks, in order: $GATEHOUSE_DATA_DIR/common-passwords.txt;
// <dir of /proc/self/exe>/../share/gatehouse/, <exe dir>/data/, <exe dir>/../data/;
// the CMake install dir (<prefix>/share/gatehouse/); the source tree's data/ (CMake-configured).
std::vector<std::string> CommonPasswordsCandidatePaths();

// Checks the policy above. OK, or kInvalidArgument with one FieldError at `field` whose code
// says which rule failed: "TooShort", "TooLong", "EqualsEmail" or "TooCommon".
base::Status CheckPasswordPolicy(std::string_view password, std::string_view email,
                                 const CommonPasswords& common,
                                 std::string_view field = "password");

}  // namespace gatehouse::auth
