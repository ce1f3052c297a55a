// problem+json rendering and the one table from base::Code to HTTP status.
#include "http/problem.h"

#include <iterator>
#include <nlohmann/json.hpp>

namespace gatehouse::http {

namespace {

constexpr std::string_view kTypeBase = "https://httpstatus.es/";

// The HTTP status of each base::Code.
struct CodeStatus {
  base::Code code;
  int http_status;
};
constexpr CodeStatus kHttpStatuses[] = {
    {base::Code::kOk, 200},
    {base::Code::kInvalidArgument, 400},
    {base::Code::kUnauthenticated, 401},
    {base::Code::kPermissionDenied, 403},
    {base::Code::kNotFound, 404},
    {base::Code::kConflict, 409},
    {base::Code::kAlreadyExists, 409},
    {base::Code::kFailedPrecondition, 422},
    {base::Code::kResourceExhausted, 429},
    {base::Code::kUnavailable, 503},
    {base::Code::kInternal, 500},
};
static_assert(std::size(kHttpStatuses) == static_cast<std::size_t>(base::Code::kInternal) + 1,
              "every base::Code has an HTTP status");

nlohmann::json ErrorsJson(const std::vector<base::FieldError>& fields) {
  nlohmann::json errors = nlohmann::json::array();
  for (const base::FieldError& f : fields) {
    errors.push_back({{"code", f.code}, {"path", f.path}, {"detail", f.detail}});
  }
  return errors;
}

Response Render(int http_status, const ProblemOptions& options, std::string_view detail,
                const nlohmann::json* validation_errors) {
  std::string type = std::string(kTypeBase) + std::to_string(http_status);
  if (!options.type_suffix.empty()) type += "/" + options.type_suffix;
  nlohmann::json body = {
      {"title", options.title.empty() ? ReasonPhrase(http_status) : options.title},
      {"type", type},
      {"status", http_status},
      {"detail", detail},
  };
  if (validation_errors != nullptr) body["validation-errors"] = *validation_errors;
  for (const auto& [name, value] : options.members) body[name] = value;
  return Response::Json(http_status,
                        body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        options.content_type);
}

}  // namespace

int HttpStatusFor(base::Code code) {
  for (const CodeStatus& entry : kHttpStatuses) {
    if (entry.code == code) return entry.http_status;
  }
  return 500;
}

Response ProblemResponse(const base::Status& status, const ProblemOptions& options) {
  int http_status = options.http_status != 0 ? options.http_status : HttpStatusFor(status.code());
  if (status.ok()) http_status = 500;  // a bug in the caller: never a 200 problem
  bool internal = status.code() == base::Code::kInternal || status.ok();
  std::string_view detail = internal ? kInternalDetail : std::string_view(status.message());
  if (status.code() == base::Code::kInvalidArgument && !status.fields().empty()) {
    nlohmann::json items = nlohmann::json::array();
    items.push_back({{"request_id", options.request_id}, {"errors", ErrorsJson(status.fields())}});
    return Render(http_status, options, detail, &items);
  }
  Response response = Render(http_status, options, detail, nullptr);
  // kUnavailable is passing (the database went away; each pooled connection reconnects on its
  // next use): tell clients when to try again rather than leaving them to guess.
  if (status.code() == base::Code::kUnavailable) {
    response.headers.Set("Retry-After", std::to_string(kUnavailableRetryAfterSeconds));
  }
  // The real message is hidden from the client; the server logs it with the request id.
  if (internal)
    response.log_cause = status.ok() ? "a problem built from an OK status" : status.ToString();
  return response;
}

Response ProblemResponse(int http_status, std::string_view detail, std::string_view type_suffix) {
  const ProblemOptions options{.type_suffix = std::string(type_suffix)};
  return Render(http_status, options, detail, nullptr);
}

Response ValidationProblem(const std::vector<ItemErrors>& items, std::string_view detail) {
  nlohmann::json list = nlohmann::json::array();
  for (const ItemErrors& item : items) {
    list.push_back({{"request_id", item.request_id}, {"errors", ErrorsJson(item.errors)}});
  }
  return Render(400, ProblemOptions(), detail, &list);
}

}  // namespace gatehouse::http
