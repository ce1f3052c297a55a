#include "http/problem.h"

#include <gtest/gtest.h>

#include "http/json.h"

namespace gatehouse::http {
namespace {

nlohmann::json Body(const Response& r) { return nlohmann::json::parse(r.body); }

TEST(ProblemTest, CodeTable) {
  static const struct {
    base::Code code;
    int status;
  } kCases[] = {
      {base::Code::kInvalidArgument, 400},    {base::Code::kUnauthenticated, 401},
      {base::Code::kPermissionDenied, 403},   {base::Code::kNotFound, 404},
      {base::Code::kConflict, 409},           {base::Code::kAlreadyExists, 409},
      {base::Code::kFailedPrecondition, 422}, {base::Code::kResourceExhausted, 429},
      {base::Code::kUnavailable, 503},        {base::Code::kInternal, 500},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(HttpStatusFor(c.code), c.status) << base::CodeName(c.code);
    Response r = ProblemResponse(base::Status::Error(c.code, "x"));
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(Body(r)["status"], c.status);
    EXPECT_EQ(Body(r)["type"], "https://httpstatus.es/" + std::to_string(c.status));
  }
}

TEST(ProblemTest, UnavailableCarriesRetryAfterOthersDoNot) {
  Response down = ProblemResponse(base::Status::Error(base::Code::kUnavailable, "db gone"));
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.headers.Get("Retry-After"), std::to_string(kUnavailableRetryAfterSeconds));
  Response internal = ProblemResponse(base::Status::Internal("bug"));
  EXPECT_FALSE(internal.headers.Has("Retry-After"));
}

TEST(ProblemTest, NotFoundShape) {
  Response r = ProblemResponse(base::Status::NotFound("Lead not found"));
  EXPECT_EQ(Body(r),
            nlohmann::json::parse(R"({"title":"Not Found","type":"https://httpstatus.es/404",
                                              "status":404,"detail":"Lead not found"})"));
}

TEST(ProblemTest, ValidationErrors) {
  Response r = ProblemResponse(base::Status::Invalid(
      "Request validation failed",
      {{"custom_fields_values.0.field_id", "NotSupportedChoice", "The value is not valid."}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r), nlohmann::json::parse(R"({
    "title":"Bad Request","type":"https://httpstatus.es/400","status":400,
    "detail":"Request validation failed",
    "validation-errors":[{"request_id":"0","errors":[{"code":"NotSupportedChoice",
      "path":"custom_fields_values.0.field_id","detail":"The value is not valid."}]}]})"));
  EXPECT_FALSE(Body(ProblemResponse(base::Status::Invalid("bad"))).contains("validation-errors"));

  Response batch = ValidationProblem({{"a", {{"name", "Required", "name is required"}}},
                                      {"b", {{"price", "InvalidType", "not an integer"}}}});
  ASSERT_EQ(Body(batch)["validation-errors"].size(), 2u);
  EXPECT_EQ(Body(batch)["validation-errors"][1]["request_id"], "b");
  EXPECT_EQ(Body(batch)["validation-errors"][1]["errors"][0]["path"], "price");
}

TEST(ProblemTest, InternalNeverLeaks) {
  Response r = ProblemResponse(base::Status::Internal("pq: relation \"users\" password=hunter2"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(Body(r)["detail"], std::string(kInternalDetail));
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
  // An OK status is a caller bug; it must not render as a success.
  EXPECT_EQ(ProblemResponse(base::Status::Ok()).status, 500);
}

TEST(ProblemTest, Overrides) {
  const ProblemOptions options{.type_suffix = "two-factor-required"};
  Response r =
      ProblemResponse(base::Status::Error(base::Code::kUnauthenticated, "Code needed"), options);
  EXPECT_EQ(Body(r)["type"], "https://httpstatus.es/401/two-factor-required");
  EXPECT_EQ(Body(r)["title"], "Unauthorized");

  const ProblemOptions seats{.http_status = 402};
  Response paid =
      ProblemResponse(base::Status::Error(base::Code::kResourceExhausted, "No seats"), seats);
  EXPECT_EQ(paid.status, 402);
  EXPECT_EQ(Body(paid)["title"], "Payment Required");

  Response raw = ProblemResponse(413, "too big");
  EXPECT_EQ(Body(raw)["title"], "Payload Too Large");
}

TEST(JsonTest, ParseJsonBody) {
  Request request{.body = R"({"name":"x","price":5})"};
  base::Result<nlohmann::json> ok = ParseJsonBody(request);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["price"], 5);

  static const struct {
    const char* body;
    const char* detail;
  } kBad[] = {
      {"", "the request body is empty"},
      {"{\"a\":", "malformed JSON at byte 6"},
      {"{\"a\":1}}", "malformed JSON at byte 8"},
      {"nul", "malformed JSON at byte 4"},
  };
  for (const auto& c : kBad) {
    request.body = c.body;
    base::Result<nlohmann::json> bad = ParseJsonBody(request);
    ASSERT_FALSE(bad.ok()) << c.body;
    ASSERT_EQ(bad.status().fields().size(), 1u);
    EXPECT_EQ(bad.status().fields()[0].path, "body");
    EXPECT_EQ(bad.status().fields()[0].code, "InvalidJson");
    EXPECT_EQ(bad.status().fields()[0].detail, c.detail) << c.body;
    // Clients show `detail` alone (Kommo's PHP client does), so it carries the reason too.
    EXPECT_EQ(bad.status().message(), std::string("request body: ") + c.detail) << c.body;
  }
  request.body = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(ParseJsonBody(request).status().fields()[0].detail, "JSON nested too deeply");
  request.body = "\"" + std::string(100, '[') + "\"";  // brackets inside a string do not count
  EXPECT_TRUE(ParseJsonBody(request).ok());
}

TEST(JsonTest, JsonResponseReplacesInvalidUtf8) {
  Response r = JsonResponse(200, nlohmann::json{{"name", std::string("a\xff")}});
  EXPECT_EQ(r.content_type, "application/hal+json");
  EXPECT_EQ(r.body, "{\"name\":\"a\xEF\xBF\xBD\"}");
}

}  // namespace
}  // namespace gatehouse::http
