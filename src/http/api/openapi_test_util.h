// Test support: checks real responses against the OpenAPI document, so a schema cannot drift
// from what the handlers render.
//
// SchemaErrors validates a JSON value against the subset of JSON Schema the document uses:
// type (with nullable), properties, required, additionalProperties, items, enum, oneOf and
// $ref into the document. Objects are closed: a member the schema does not list fails unless
// the schema has additionalProperties (true or a schema), so a field the handler adds without
// documenting it is caught. {} accepts anything.
//
// ResponseMismatch finds the operation by the request's route name (set by the Router) and
// checks the response's status, media type and body against it.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/api/openapi.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace gatehouse::http::api::testing {

class OpenApiChecker {
 public:
  explicit OpenApiChecker(const Router& router)
      : doc_(nlohmann::json::parse(OpenApiDocument(router))) {
    for (auto& [path, methods] : doc_["paths"].items()) {
      for (auto& [method, operation] : methods.items()) {
        operations_[operation["operationId"].get<std::string>()] = &operation;
      }
    }
  }

  const nlohmann::json& doc() const { return doc_; }

  // The JSON pointer `ref` ("#/components/schemas/User") in the document, or nullptr.
  const nlohmann::json* Resolve(const std::string& ref) const {
    if (ref.rfind("#/", 0) != 0) return nullptr;
    const nlohmann::json::json_pointer pointer(ref.substr(1));
    return doc_.contains(pointer) ? &doc_.at(pointer) : nullptr;
  }

  // Every way `value` fails `schema`, each as "PATH: reason" ("" when it conforms).
  void SchemaErrors(const nlohmann::json& schema, const nlohmann::json& value,
                    const std::string& path, std::vector<std::string>& errors) const {
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const nlohmann::json* target = Resolve(ref);
      if (target == nullptr) {
        errors.push_back(path + ": unresolved " + ref);
        return;
      }
      SchemaErrors(*target, value, path, errors);
      return;
    }
    if (value.is_null() && schema.value("nullable", false)) return;
    if (schema.contains("oneOf")) {
      int matches = 0;
      for (const nlohmann::json& option : schema["oneOf"]) {
        std::vector<std::string> option_errors;
        SchemaErrors(option, value, path, option_errors);
        if (option_errors.empty()) ++matches;
      }
      if (matches != 1) {
        errors.push_back(path + ": matches " + std::to_string(matches) + " of oneOf, not 1");
      }
      return;
    }
    if (schema.contains("enum")) {
      bool found = false;
      for (const nlohmann::json& option : schema["enum"]) found = found || option == value;
      if (!found) errors.push_back(path + ": " + value.dump() + " is not in the enum");
    }
    if (!schema.contains("type")) return;
    const std::string type = schema["type"];
    if (!HasType(value, type)) {
      errors.push_back(path + ": expected " + type + ", got " + value.dump().substr(0, 80));
      return;
    }
    if (type == "array" && schema.contains("items")) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        SchemaErrors(schema["items"], value[i], path + "/" + std::to_string(i), errors);
      }
    }
    if (type == "object") ObjectErrors(schema, value, path, errors);
  }

  // Why `response` to `request` does not match the document ("" when it does).
  std::string ResponseMismatch(const Request& request, const Response& response) const {
    auto op = operations_.find(request.route_name);
    if (op == operations_.end()) return "no operation " + request.route_name;
    const nlohmann::json& responses = (*op->second)["responses"];
    const std::string status = std::to_string(response.status);
    const std::string where = request.route_name + " " + status;
    const nlohmann::json* described = nullptr;
    if (responses.contains(status)) {
      described = &responses[status];
    } else if (response.status >= 400 && responses.contains("default")) {
      described = &responses["default"];
    } else {
      return where + ": status not documented";
    }
    if (!described->contains("content")) {
      return response.body.empty() ? "" : where + ": documented without a body, has one";
    }
    const std::string media = response.content_type.substr(0, response.content_type.find(';'));
    if (!(*described)["content"].contains(media)) {
      return where + ": media type " + media + " not documented";
    }
    const nlohmann::json& schema = (*described)["content"][media]["schema"];
    if (media.find("json") == std::string::npos) return "";  // text: the media type is the check
    nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_discarded()) return where + ": body is not JSON";
    std::vector<std::string> errors;
    SchemaErrors(schema, body, "", errors);
    std::string out;
    for (const std::string& e : errors) out += where + " body" + e + "\n";
    return out;
  }

 private:
  static bool HasType(const nlohmann::json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    return false;
  }

  void ObjectErrors(const nlohmann::json& schema, const nlohmann::json& value,
                    const std::string& path, std::vector<std::string>& errors) const {
    const nlohmann::json properties = schema.value("properties", nlohmann::json::object());
    for (const nlohmann::json& name : schema.value("required", nlohmann::json::array())) {
      if (!value.contains(name.get<std::string>())) {
        errors.push_back(path + ": required member " + name.get<std::string>() + " is missing");
      }
    }
    const nlohmann::json extra = schema.value("additionalProperties", nlohmann::json(false));
    for (auto& [key, member] : value.items()) {
      if (properties.contains(key)) {
        SchemaErrors(properties[key], member, path + "/" + key, errors);
      } else if (extra.is_object()) {
        SchemaErrors(extra, member, path + "/" + key, errors);
      } else if (extra != true) {
        errors.push_back(path + "/" + key + ": not in the schema");
      }
    }
  }

  nlohmann::json doc_;
  std::map<std::string, const nlohmann::json*> operations_;
};

// Adds a test failure when `response` does not match `checker`'s document.
inline void ExpectConforms(const OpenApiChecker& checker, const Request& request,
                           const Response& response) {
  const std::string mismatch = checker.ResponseMismatch(request, response);
  EXPECT_EQ(mismatch, "") << request.method_name << " " << request.target << " -> "
                          << response.status << " " << response.body.substr(0, 400);
}

}  // namespace gatehouse::http::api::testing
