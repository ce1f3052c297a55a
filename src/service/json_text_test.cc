#include "service/json_text.h"

#include <gtest/gtest.h>

namespace gatehouse::service {
namespace {

TEST(StoredJsonOrNullTest, GivesBackWhatWasStored) {
  EXPECT_EQ(StoredJsonOrNull(R"([{"field_id":3,"values":[{"value":"x"}]}])"),
            nlohmann::json::parse(R"([{"field_id":3,"values":[{"value":"x"}]}])"));
  EXPECT_EQ(StoredJsonOrNull(R"({"form":"Contact us"})"), nlohmann::json({{"form", "Contact us"}}));
}

TEST(StoredJsonOrNullTest, EmptyOrBrokenTextIsNull) {
  for (const char* text : {"", "[{", "not json", "{\"a\":}"}) {
    EXPECT_TRUE(StoredJsonOrNull(text).is_null()) << "'" << text << "'";
  }
}

TEST(DumpTest, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(Dump(nlohmann::json("a\xff")), "\"a\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace gatehouse::service
