#include "http/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace gatehouse::http {
namespace {

using nlohmann::json;

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(JsonWriterTest, WritesNestedValuesWithCommasInPlace) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject()
      .Member("id", 7)
      .Member("name", std::string_view("Deal"))
      .Member("won", true)
      .Key("closed_at")
      .IntOrNull(0)
      .Key("price")
      .IntOrNull(-5);
  w.Key("tags").BeginArray().EndArray();
  w.Key("links").BeginArray().BeginObject().Member("id", 1).EndObject();
  w.BeginObject().EndObject().Int(3).EndArray();
  w.Key("raw").Raw(R"([{"a":1}])").EndObject();
  EXPECT_EQ(out, R"({"id":7,"name":"Deal","won":true,"closed_at":null,"price":-5,"tags":[],)"
                 R"("links":[{"id":1},{},3],"raw":[{"a":1}]})");
  EXPECT_TRUE(json::accept(out)) << out;
}

TEST(JsonWriterTest, EscapesLikeNlohmann) {
  for (std::string_view text :
       {std::string_view("plain"), std::string_view("quote \" and \\ back"),
        std::string_view("tab\tnew\nline\rcr\b\f"), std::string_view("\x01\x1f\x7f", 3),
        std::string_view("nul\0in", 6), std::string_view("Привет, 世界 😀"),
        std::string_view("</script>")}) {
    EXPECT_EQ(Quoted(text), json(std::string(text)).dump()) << text;
  }
}

TEST(JsonWriterTest, ReplacesInvalidUtf8LikeNlohmannsReplaceHandler) {
  for (std::string_view text :
       {std::string_view("\xff"), std::string_view("a\xc3"), std::string_view("\xc0\xaf"),
        std::string_view("\xed\xa0\x80"), std::string_view("\xf4\x90\x80\x80"),
        std::string_view("ok\xe2\x82"), std::string_view("\x80\x80x")}) {
    const std::string ours = Quoted(text);
    const std::string theirs =
        json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
    EXPECT_EQ(ours, theirs)
        << json(std::string(text)).dump(-1, ' ', true, json::error_handler_t::replace);
    EXPECT_TRUE(json::accept(ours)) << ours;
  }
}

TEST(JsonWriterTest, RandomBytesAlwaysGiveValidJson) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 2000; ++round) {
    std::string text(rng() % 24, '\0');
    for (char& c : text) c = static_cast<char>(rng() & 0xff);
    const std::string quoted = Quoted(text);
    json parsed;
    ASSERT_NO_THROW(parsed = json::parse(quoted)) << quoted;
    EXPECT_EQ(quoted, json(parsed.get<std::string>()).dump());  // what it means, it says back
    EXPECT_EQ(quoted, json(text).dump(-1, ' ', false, json::error_handler_t::replace));
  }
}

}  // namespace
}  // namespace gatehouse::http
