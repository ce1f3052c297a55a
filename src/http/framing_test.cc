#include "http/framing.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace gatehouse::http {
namespace {

using Lines = std::vector<std::pair<std::string, std::string>>;

Headers Make(const Lines& lines) {
  Headers headers;
  for (const auto& [name, value] : lines) headers.Add(name, value);
  return headers;
}

struct Case {
  const char* what;
  Lines lines;
  unsigned version;
  int status;  // 0: accepted
  const char* field;
};

TEST(FramingTest, Table) {
  const Case cases[] = {
      {"plain GET", {{"Host", "a.example"}}, 11, 0, ""},
      {"content-length", {{"Host", "a"}, {"Content-Length", "12"}}, 11, 0, ""},
      {"chunked", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}}, 11, 0, ""},
      {"chunked any case", {{"Host", "a"}, {"transfer-encoding", "Chunked"}}, 11, 0, ""},
      {"chunked with empty list elements",
       {{"Host", "a"}, {"Transfer-Encoding", " , chunked ,"}},
       11,
       0,
       ""},
      {"gzip only", {{"Host", "a"}, {"Transfer-Encoding", "gzip"}}, 11, 400, "Transfer-Encoding"},
      {"chunked then identity",
       {{"Host", "a"}, {"Transfer-Encoding", "chunked, identity"}},
       11,
       400,
       "Transfer-Encoding"},
      {"xchunked",
       {{"Host", "a"}, {"Transfer-Encoding", "xchunked"}},
       11,
       400,
       "Transfer-Encoding"},
      {"chunked with parameter",
       {{"Host", "a"}, {"Transfer-Encoding", "chunked;x=1"}},
       11,
       400,
       "Transfer-Encoding"},
      {"empty", {{"Host", "a"}, {"Transfer-Encoding", ""}}, 11, 400, "Transfer-Encoding"},
      {"chunked twice",
       {{"Host", "a"}, {"Transfer-Encoding", "chunked, chunked"}},
       11,
       400,
       "Transfer-Encoding"},
      {"chunked on two lines then gzip",
       {{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}},
       11,
       400,
       "Transfer-Encoding"},
      {"gzip then chunked on two lines",
       {{"Host", "a"}, {"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}},
       11,
       501,
       "Transfer-Encoding"},
      {"gzip, chunked",
       {{"Host", "a"}, {"Transfer-Encoding", "gzip, chunked"}},
       11,
       501,
       "Transfer-Encoding"},
      {"chunked plus content-length",
       {{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}},
       11,
       400,
       "Transfer-Encoding"},
      {"gzip plus content-length",
       {{"Host", "a"}, {"Transfer-Encoding", "gzip"}, {"Content-Length", "3"}},
       11,
       400,
       "Transfer-Encoding"},
      {"chunked in HTTP/1.0", {{"Transfer-Encoding", "chunked"}}, 10, 400, "Transfer-Encoding"},
      {"equal content-lengths",
       {{"Host", "a"}, {"Content-Length", "3"}, {"Content-Length", "3"}},
       11,
       0,
       ""},
      {"conflicting content-lengths",
       {{"Host", "a"}, {"Content-Length", "3"}, {"Content-Length", "4"}},
       11,
       400,
       "Content-Length"},
      {"signed content-length",
       {{"Host", "a"}, {"Content-Length", "+3"}},
       11,
       400,
       "Content-Length"},
      {"empty content-length", {{"Host", "a"}, {"Content-Length", ""}}, 11, 400, "Content-Length"},
      {"no host in HTTP/1.1", {}, 11, 400, "Host"},
      {"no host in HTTP/1.0", {}, 10, 0, ""},
      {"two host lines", {{"Host", "a"}, {"Host", "b"}}, 11, 400, "Host"},
      {"two host lines in HTTP/1.0", {{"Host", "a"}, {"Host", "a"}}, 10, 400, "Host"},
      {"empty host", {{"Host", ""}}, 11, 400, "Host"},
      {"host with path", {{"Host", "a.example/evil"}}, 11, 400, "Host"},
      {"host with userinfo", {{"Host", "user@a.example"}}, 11, 400, "Host"},
      {"host with space", {{"Host", "a b"}}, 11, 400, "Host"},
      {"host list", {{"Host", "a, b"}}, 11, 400, "Host"},
      {"host with port", {{"Host", "a.example:8443"}}, 11, 0, ""},
      {"host with bad port", {{"Host", "a.example:84x"}}, 11, 400, "Host"},
      {"ipv6 host", {{"Host", "[2001:db8::1]:8080"}}, 11, 0, ""},
      {"unbracketed ipv6 host", {{"Host", "2001:db8::1"}}, 11, 400, "Host"},
      {"percent-encoded host", {{"Host", "caf%C3%A9.example"}}, 11, 0, ""},
      {"bad percent-encoding", {{"Host", "a%G1"}}, 11, 400, "Host"},
  };
  for (const Case& c : cases) {
    FramingVerdict verdict = CheckFraming(Make(c.lines), c.version);
    EXPECT_EQ(verdict.status, c.status) << c.what << ": " << verdict.detail;
    EXPECT_EQ(verdict.field, c.field) << c.what;
    if (c.status != 0) {
      EXPECT_FALSE(verdict.detail.empty()) << c.what;
    }
  }
}

TEST(HeadersTest, CombinedJoinsRepeatedLinesInOrder) {
  Headers headers = Make({{"X-Forwarded-For", "10.1.1.1"},
                          {"Accept", "x"},
                          {"x-forwarded-for", "203.0.113.9, 198.51.100.2"}});
  EXPECT_EQ(headers.Combined("X-Forwarded-For"), "10.1.1.1, 203.0.113.9, 198.51.100.2");
  EXPECT_EQ(headers.Count("X-FORWARDED-FOR"), 2u);
  EXPECT_EQ(headers.Combined("Forwarded"), "");
  EXPECT_EQ(headers.Count("Forwarded"), 0u);
}

}  // namespace
}  // namespace gatehouse::http
