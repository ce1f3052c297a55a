#include "http/api/hal.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gatehouse::http::api {
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

}  // namespace
}  // namespace gatehouse::http::api
