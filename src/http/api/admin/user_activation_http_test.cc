// POST /api/v4/users/activate and /deactivate (Kommo's PHP client): 204 with no body, body
// errors at "<index>.<member>" or "body", administrators only; every answer is checked against
// the OpenAPI document (ApiFixture).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "http/api/admin/admin_http_test_util.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

class UserActivationHttpTest : public AdminHttpTest {
 protected:
  bool IsActive(domain::UserId user) { return Reader().GetUser(user)->user.is_active; }

  // The first validation error of a 400 as "path code".
  static std::string FirstError(const Response& response) {
    EXPECT_EQ(response.status, 400) << response.body;
    const json body = Body(response);
    if (!body.contains("validation-errors")) return response.body;
    const json& error = body["validation-errors"][0]["errors"][0];
    return error["path"].get<std::string>() + " " + error["code"].get<std::string>();
  }

  static std::string Ids(std::initializer_list<domain::UserId> ids) {
    json items = json::array();
    for (domain::UserId id : ids) items.push_back({{"id", id}});
    return items.dump();
  }
};

TEST_F(UserActivationHttpTest, DeactivateAndActivateAnswer204WithNoBody) {
  const domain::UserId ann = AddUser("ann@acme.test");
  const std::size_t events = EventsOf("user", admin_id_).size();
  Response off = Call(Method::kPost, "/api/v4/users/deactivate", admin_id_, Ids({member_, ann}));
  EXPECT_EQ(off.status, 204) << off.body;
  EXPECT_EQ(off.body, "");
  EXPECT_FALSE(IsActive(member_));
  EXPECT_FALSE(IsActive(ann));
  EXPECT_EQ(EventsOf("user", admin_id_).size(), events + 2);
  // Already inactive: still 204, nothing more logged.
  EXPECT_EQ(Call(Method::kPost, "/api/v4/users/deactivate", admin_id_, Ids({ann})).status, 204);
  EXPECT_EQ(EventsOf("user", admin_id_).size(), events + 2);
  Response on = Call(Method::kPost, "/api/v4/users/activate", admin_id_, Ids({ann}));
  EXPECT_EQ(on.status, 204) << on.body;
  EXPECT_TRUE(IsActive(ann));
  EXPECT_FALSE(IsActive(member_));
}

TEST_F(UserActivationHttpTest, BodyErrorsNameTheirPath) {
  const std::string ann = std::to_string(AddUser("ann@acme.test"));
  const std::string eleven = json(11, json{{"id", std::stoll(ann)}}).dump();
  const struct {
    std::string body;
    const char* error;
  } cases[] = {
      {R"({"id": )" + ann + "}", "body InvalidType"},
      {"[]", "body Required"},
      {eleven, "body TooMany"},
      {"[1]", "0 InvalidType"},
      {"[{}]", "0.id Required"},
      {R"([{"id": "7"}])", "0.id InvalidType"},
      {R"([{"id": 0}])", "0.id InvalidValue"},
      {R"([{"id": )" + ann + R"(, "is_active": false}])", "0.is_active UnknownField"},
      {R"([{"id": )" + ann + R"(}, {"id": )" + ann + "}]", "1.id Duplicate"},
      {R"([{"id": )" + ann + R"(}, {"id": 987654}])", "1.id NotFound"},
  };
  for (const auto& c : cases) {
    Response response = Call(Method::kPost, "/api/v4/users/deactivate", admin_id_, c.body);
    EXPECT_EQ(FirstError(response), c.error) << c.body;
  }
  EXPECT_TRUE(IsActive(std::stoll(ann)));
  Response query = Call(Method::kPost, "/api/v4/users/activate?with=role", admin_id_, Ids({1}));
  EXPECT_EQ(FirstError(query), "with UnknownParameter");
}

TEST_F(UserActivationHttpTest, SeatsAndTheLastAdministratorAre400sNamingTheItem) {
  // kSeats = 5: the administrator, the member and two more hold four.
  for (int i = 0; i < 2; ++i) AddUser("u" + std::to_string(i) + "@acme.test");
  const domain::UserId a = AddUser("a@acme.test", {}, 0, false, false, false);
  const domain::UserId b = AddUser("b@acme.test", {}, 0, false, false, false);
  Response seats = Call(Method::kPost, "/api/v4/users/activate", admin_id_, Ids({a, b}));
  EXPECT_EQ(FirstError(seats), "1.id NoFreeSeat");
  EXPECT_FALSE(IsActive(a));
  Response last = Call(Method::kPost, "/api/v4/users/deactivate", admin_id_, Ids({admin_id_}));
  EXPECT_EQ(FirstError(last), "0.id NotAllowed");
  EXPECT_NE(Body(last)["detail"].get<std::string>().find("last active administrator"),
            std::string::npos);
}

TEST_F(UserActivationHttpTest, MembersAreRefused) {
  const domain::UserId ann = AddUser("ann@acme.test");
  for (const char* path : {"/api/v4/users/activate", "/api/v4/users/deactivate"}) {
    EXPECT_EQ(Call(Method::kPost, path, member_, Ids({ann})).status, 403) << path;
  }
  EXPECT_TRUE(IsActive(ann));
}

}  // namespace
}  // namespace gatehouse::http::api
