// OAuth 2.0 for integrations (kommo-api-v4.md §2.1): registering, listing and deleting an
// integration, the consent page GET/POST /oauth, and the token endpoint POST /oauth2/access_token.
//
// The token endpoint answers application/json for success and errors alike (as Kommo's does);
// its error bodies carry the problem members (title, type, status, detail) plus `hint`, the
// RFC 6749 error code.
#include "auth/tokens.h"
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

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// `uri` with `params` appended to its query.
std::string WithQuery(std::string_view uri,
                      const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out(uri);
  char separator = out.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [key, value] : params) {
    out += separator + key + "=" + auth::PercentEncode(value);
    separator = '&';
  }
  return out;
}

Response Redirect(std::string location) {
  Response response{.status = 302};
  response.headers.Set("Location", std::move(location));
  return response;
}

// An OAuth error: the problem members and a hint, as application/json.
Response OAuthProblem(const base::Status& status, std::string_view hint) {
  const ProblemOptions options{
      .members = {{"hint", std::string(hint.empty() ? "invalid_request" : hint)}},
      .content_type = kJson};
  return ProblemResponse(status, options);
}

Response AddIntegration(service::AuthService& auth, Request& request) {
  std::optional<std::string> name, redirect_uri;
  base::Status read = ReadFormBody(request, [&](BodyReader& fields) {
    name = fields.String("name", true);
    redirect_uri = fields.String("redirect_uri", true);
  });
  if (!read.ok()) return ProblemResponse(read);
  auto created = auth.CreateIntegration(CallerOf(request), *name, *redirect_uri);
  if (!created.ok()) return ProblemResponse(created.status());
  json out = {{"id", created->id},
              {"name", created->name},
              {"redirect_uri", created->redirect_uri},
              {"client_id", created->client_id},
              {"client_secret", created->client_secret}};
  return JsonResponse(201, out);
}

// An integration as GET lists it: never its secret (only a hash of it is stored).
json IntegrationJson(const Request& request, const service::IntegrationInfo& i) {
  return {{"id", i.id},
          {"name", i.name},
          {"client_id", i.client_id},
          {"redirect_uri", i.redirect_uri},
          {"created_by", i.created_by},
          {"created_at", i.created_at},
          {"active_tokens", i.active_tokens},
          {"_links", SelfLinks(request, "/api/v4/security/integrations/" + std::to_string(i.id))}};
}

Response ListIntegrations(service::AuthService& auth, Request& request) {
  auto paging = ParseOnlyPaging(request.query);
  if (!paging.ok()) return ProblemResponse(paging.status());
  auto integrations = auth.ListIntegrations(CallerOf(request));
  if (!integrations.ok()) return ProblemResponse(integrations.status());
  return PageResponse(
      request, "integrations", *paging, *integrations,
      [&](const auto& integration) { return IntegrationJson(request, integration); });
}

Response GetIntegration(service::AuthService& auth, Request& request) {
  return OneById(
      request,
      [&](const service::Caller& caller, std::int64_t id) {
        return auth.GetIntegration(caller, id);
      },
      [&](const service::Caller&, const service::IntegrationInfo& integration) {
        return JsonResponse(200, IntegrationJson(request, integration));
      },
      [](const base::Status& s) { return ProblemResponse(s); });
}

Response DeleteIntegration(service::AuthService& auth, Request& request) {
  return RemoveById(
      request,
      [&](const service::Caller& caller, std::int64_t id) {
        return auth.DeleteIntegration(caller, id);
      },
      [](const base::Status& s) { return ProblemResponse(s); });
}

// The consent page's Content-Security-Policy. Its form posts to /oauth, whose answer redirects
// to the integration's redirect_uri, and browsers hold that redirect to form-action as well: the
// redirect's origin stands beside 'self', or the flow would stop at the Allow button. An origin
// a source expression cannot name (a user name in it, an IPv6 literal) drops the directive
// rather than the flow; every value the page shows is escaped, so form-action is only a second
// line there.
std::string ConsentCsp(std::string_view redirect_uri) {
  std::string csp = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";
  const std::size_t scheme_end = redirect_uri.find("://");
  if (scheme_end == std::string_view::npos) return csp;
  const std::size_t path = redirect_uri.find_first_of("/?", scheme_end + 3);
  auto origin = ParsePublicUrl(redirect_uri.substr(0, path));
  if (!origin.ok() || AuthorityOf(*origin).starts_with('[')) return csp;
  return csp + "; form-action 'self' " + *origin;
}

Response ConsentPage(service::AuthService& auth, Request& request) {
  auto client_id = request.query.GetString("client_id");
  auto state = request.query.GetString("state");
  if (!client_id.ok()) return ProblemResponse(client_id.status());
  if (!state.ok()) return ProblemResponse(state.status());
  if (!*client_id) {
    return ProblemResponse(
        base::Status::InvalidField("client_id", "Required", "client_id is required"));
  }
  const service::Caller& caller = CallerOf(request);
  auto consent = auth.Consent(caller, **client_id);
  if (!consent.ok()) return ProblemResponse(consent.status());
  if (caller.via != service::Via::kSession) {
    return ProblemResponse(403, "access can be granted only from a logged-in web session");
  }
  const std::string csrf = service::AuthService::CsrfTokenFor(CookieValue(request, kSessionCookie));
  std::string html =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Allow access</title></head>"
      "<body><h1>Allow " +
      HtmlEscape(consent->integration_name) +
      " to access your account?</h1><p>It will act with your rights and be sent back to " +
      HtmlEscape(consent->redirect_uri) +
      ".</p><form method=\"post\" action=\"/oauth\">"
      "<input type=\"hidden\" name=\"client_id\" value=\"" +
      HtmlEscape(**client_id) +
      "\">"
      "<input type=\"hidden\" name=\"state\" value=\"" +
      HtmlEscape(state->value_or("")) +
      "\">"
      "<input type=\"hidden\" name=\"csrf_token\" value=\"" +
      HtmlEscape(csrf) +
      "\">"
      "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> "
      "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>"
      "</form></body></html>";
  Response page = Response::Text(200, std::move(html), kTextHtml);
  page.headers.Set("Content-Security-Policy", ConsentCsp(consent->redirect_uri));
  return page;
}

Response Decide(service::AuthService& auth, Request& request) {
  std::optional<std::string> client_id, decision;
  std::string state;
  base::Status read = ReadFormBody(
      request,
      [&](BodyReader& fields) {
        client_id = fields.String("client_id", true);
        state = fields.String("state", false).value_or("");
        decision = fields.String("decision", true);
      },
      OtherMembers::kIgnore);
  if (!read.ok()) return ProblemResponse(read);
  const service::Caller& caller = CallerOf(request);
  auto consent = auth.Consent(caller, *client_id);
  if (!consent.ok()) return ProblemResponse(consent.status());
  if (*decision != "allow") {
    return Redirect(
        WithQuery(consent->redirect_uri, {{"error", "access_denied"}, {"state", state}}));
  }
  auto code = auth.IssueCode(caller, *client_id);
  if (!code.ok()) return ProblemResponse(code.status());
  return Redirect(
      WithQuery(consent->redirect_uri, {{"code", *code},
                                        {"state", state},
                                        {"referer", std::string(AuthorityOf(BaseUrl(request)))}}));
}

Response AccessToken(service::AuthService& auth, Request& request) {
  service::OAuthTokenRequest input;
  base::Status read = ReadFormBody(
      request,
      [&](BodyReader& fields) {
        input = {.grant_type = fields.String("grant_type", true).value_or(""),
                 .client_id = fields.String("client_id", true).value_or(""),
                 .client_secret = fields.String("client_secret", true).value_or(""),
                 .code = fields.String("code", false).value_or(""),
                 .refresh_token = fields.String("refresh_token", false).value_or(""),
                 .redirect_uri = fields.String("redirect_uri", false).value_or("")};
      },
      OtherMembers::kIgnore);
  if (!read.ok()) return OAuthProblem(read, "invalid_request");
  input.client = ClientInfoOf(request);
  service::AuthError error;
  auto tokens = auth.ExchangeToken(input, &error);
  if (!tokens.ok()) return OAuthProblem(tokens.status(), error.hint);
  json out = {{"token_type", "Bearer"},
              {"expires_in", tokens->expires_in},
              {"server_time", tokens->server_time},
              {"access_token", tokens->access_token},
              {"refresh_token", tokens->refresh_token}};
  return JsonResponse(200, out, kJson);
}

// GET /oauth2/account/current/subdomain with X-Refresh-Token (kommo-api-v4.md §2.1): which
// account, and on which host, a refresh token works. Unknown, used or expired tokens: 401.
Response CurrentSubdomain(service::AuthService& auth, Request& r) {
  base::Status known = r.query.CheckKnownKeys({});
  if (!known.ok()) return ProblemResponse(known);
  const std::string_view token = r.headers.Get("X-Refresh-Token");
  if (token.empty()) {
    return ProblemResponse(base::Status::InvalidField("X-Refresh-Token", "Required",
                                                      "the X-Refresh-Token header is required"));
  }
  auto account = auth.AccountOfRefreshToken(token);
  if (!account.ok()) {
    if (account.status().code() != base::Code::kNotFound) return ProblemResponse(account.status());
    return ProblemResponse(401, "The refresh token is invalid, expired or already used");
  }
  std::string domain(AuthorityOf(BaseUrl(r)));
  if (const std::size_t colon = domain.rfind(':');
      colon != std::string::npos && domain.find(']') == std::string::npos) {
    domain.resize(colon);
  }
  const std::size_t dot = domain.rfind('.');
  return JsonResponse(
      200,
      {{"id", account->id},
       {"subdomain", account->subdomain},
       {"domain", domain},
       {"top_level_domain", dot == std::string::npos ? domain : domain.substr(dot + 1)}},
      kJson);
}

}  // namespace

void RegisterOAuthRoutes(Router& router, ApiContext& context) {
  service::AuthService* auth = context.auth->service.get();
  router.Add(Method::kPost, "/api/v4/security/integrations",
             [auth](Request& r) { return AddIntegration(*auth, r); },
             {.name = "security.integrations.create"});
  router.Add(Method::kGet, "/api/v4/security/integrations",
             [auth](Request& r) { return ListIntegrations(*auth, r); },
             {.name = "security.integrations.list", .administrators_only = true});
  router.Add(Method::kGet, "/api/v4/security/integrations/{id:int}",
             [auth](Request& r) { return GetIntegration(*auth, r); },
             {.name = "security.integrations.get", .administrators_only = true});
  router.Add(Method::kDelete, "/api/v4/security/integrations/{id:int}",
             [auth](Request& r) { return DeleteIntegration(*auth, r); },
             {.name = "security.integrations.delete", .administrators_only = true});
  router.Add(Method::kGet, "/oauth", [auth](Request& r) { return ConsentPage(*auth, r); },
             {.name = "oauth.consent"});
  router.Add(Method::kPost, "/oauth", [auth](Request& r) { return Decide(*auth, r); },
             {.name = "oauth.decide"});
  router.Add(Method::kPost, "/oauth2/access_token",
             [auth](Request& r) { return AccessToken(*auth, r); },
             {.name = "oauth.access_token", .allow_anonymous = true});
  router.Add(Method::kGet, "/oauth2/account/current/subdomain",
             [auth](Request& r) { return CurrentSubdomain(*auth, r); },
             {.name = "oauth.current_subdomain", .allow_anonymous = true});
}

}  // namespace gatehouse::http::api
