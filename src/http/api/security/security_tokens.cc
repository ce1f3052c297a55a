// Personal long-lived tokens: POST/GET /api/v4/security/tokens, DELETE .../tokens/{id}.
#include "http/api/auth/auth_json.h"
#include "http/api/auth/auth_services.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/json.h"
#include "http/origin.h"
#include "http/problem.h"

namespace gatehouse::http::api {

using nlohmann::json;

namespace {

json TokenJson(const Request& request, const service::TokenInfo& t) {
  json item = {{"id", t.id},
               {"name", t.name},
               {"kind", t.kind},
               {"user_id", t.user_id},
               {"created_at", t.created_at},
               {"expires_at", t.expires_at},
               {"last_used_at", t.last_used_at}};
  if (t.integration_id != 0) item["integration_id"] = t.integration_id;
  item["_links"] = SelfLinks(request, "/api/v4/security/tokens/" + std::to_string(t.id));
  return item;
}

Response Create(service::AuthService& auth, Request& request) {
  std::optional<std::string> name;
  std::optional<std::int64_t> expires_at;
  base::Status read = ReadFormBody(request, [&](BodyReader& fields) {
    name = fields.String("name", true);
    expires_at = fields.Int("expires_at", true);
  });
  if (!read.ok()) return ProblemResponse(read);
  auto created = auth.CreatePersonalToken(CallerOf(request), *name, *expires_at,
                                          AuthorityOf(BaseUrl(request)));
  if (!created.ok()) return ProblemResponse(created.status());
  json out = TokenJson(request, created->info);
  out["token"] = created->token;
  return JsonResponse(201, out);
}

Response List(service::AuthService& auth, Request& request) {
  if (base::Status s = request.query.CheckKnownKeys({"page", "limit"}, {"all"}); !s.ok()) {
    return ProblemResponse(s);
  }
  auto all = request.query.GetBool("filter[all]");
  auto paging = ParsePaging(request.query);
  if (!all.ok()) return ProblemResponse(all.status());
  if (!paging.ok()) return ProblemResponse(paging.status());
  auto tokens = auth.ListTokens(CallerOf(request), all->value_or(false));
  if (!tokens.ok()) return ProblemResponse(tokens.status());
  return PageResponse(request, "tokens", *paging, *tokens,
                      [&](const auto& token) { return TokenJson(request, token); });
}

Response Revoke(service::AuthService& auth, Request& request) {
  return RemoveById(
      request,
      [&](const service::Caller& caller, std::int64_t id) { return auth.RevokeToken(caller, id); },
      [](const base::Status& s) { return ProblemResponse(s); });
}

}  // namespace

void RegisterTokenRoutes(Router& router, ApiContext& context) {
  service::AuthService* auth = context.auth->service.get();
  router.Add(Method::kPost, "/api/v4/security/tokens",
             [auth](Request& r) { return Create(*auth, r); }, {.name = "security.tokens.create"});
  router.Add(Method::kGet, "/api/v4/security/tokens", [auth](Request& r) { return List(*auth, r); },
             {.name = "security.tokens.list"});
  router.Add(Method::kDelete, "/api/v4/security/tokens/{id:int}",
             [auth](Request& r) { return Revoke(*auth, r); }, {.name = "security.tokens.revoke"});
}

}  // namespace gatehouse::http::api
