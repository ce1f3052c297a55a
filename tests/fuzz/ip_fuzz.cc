// Fuzzes the IP address and CIDR parsers (auth/ip.h): the whitelist entries an administrator
// types, the trusted proxies of the security policy and the X-Forwarded-For header.
//
// Invariants: a parsed address or range prints in a form that parses back to the same value;
// a range's network has its host bits cleared (it contains itself) and its prefix fits the
// family; an untrusted peer's X-Forwarded-For is never believed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/ip.h"
#include "fuzz_check.h"

namespace {

using gatehouse::auth::IpAddress;
using gatehouse::auth::IpRange;

IpAddress Address(std::string_view text) { return gatehouse::auth::ParseIpAddress(text).value(); }

void CheckRange(const IpRange& range) {
  FUZZ_CHECK(range.prefix >= 0 && range.prefix <= range.network.BitLength(), "prefix in 0..bits");
  FUZZ_CHECK(gatehouse::auth::Contains(range, range.network), "a range contains its network");
  auto again = gatehouse::auth::ParseIpRange(range.ToString());
  FUZZ_CHECK(again.ok(), "a range's text parses");
  FUZZ_CHECK(*again == range, "a range's text parses to the same range");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto address = gatehouse::auth::ParseIpAddress(text); address.ok()) {
    if (address->v4) {
      for (std::size_t i = 4; i < 16; ++i) FUZZ_CHECK(address->bytes[i] == 0, "IPv4 uses 4 bytes");
    }
    auto again = gatehouse::auth::ParseIpAddress(address->ToString());
    FUZZ_CHECK(again.ok() && *again == *address, "an address's text parses to the same address");
    (void)address->IsPrivateOrLocal();
    // A single address is the range of one host.
    auto host = gatehouse::auth::ParseIpRange(text);
    FUZZ_CHECK(host.ok() && host->network == *address && host->prefix == address->BitLength(),
               "an address parses as a one-host range");
  }

  if (auto range = gatehouse::auth::ParseIpRange(text); range.ok()) CheckRange(*range);
  if (auto entry = gatehouse::auth::ParseWhitelistEntry(text); entry.ok()) {
    CheckRange(*entry);
  } else {
    FUZZ_CHECK(entry.status().fields().size() == 1, "a refused entry names its field");
  }

  // The same text as an X-Forwarded-For header.
  static const std::vector<IpRange> kTrusted = {gatehouse::auth::ParseIpRange("127.0.0.1").value(),
                                                gatehouse::auth::ParseIpRange("10.0.0.0/8").value(),
                                                gatehouse::auth::ParseIpRange("::1").value()};
  static const IpAddress kProxy = Address("127.0.0.1");
  static const IpAddress kStranger = Address("203.0.113.7");
  FUZZ_CHECK(gatehouse::auth::ClientAddress(kStranger, text, kTrusted) == kStranger,
             "an untrusted peer's X-Forwarded-For is ignored");
  IpAddress client = gatehouse::auth::ClientAddress(kProxy, text, kTrusted);
  auto again = gatehouse::auth::ParseIpAddress(client.ToString());
  FUZZ_CHECK(again.ok() && *again == client, "the client address is a real address");
  return 0;
}
