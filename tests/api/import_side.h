// The comparison of `gatehouse import`'s tests (import_test.cc): one side of an import (the
// source server or the imported one) read through the API with every id made a name, and what
// each user sees there as sorted lines.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/api/harness.h"

namespace gatehouse::apitest {

// Runs the binary through the shell with `env` assignments; stdout and stderr into `log`.
inline int Gatehouse(const std::string& env, const std::string& args, const std::string& log) {
  const std::string command =
      env + " " + GATEHOUSE_BINARY + " " + args + " >" + log + " 2>&1 </dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every item of a list, following _links.next.
inline std::vector<json> All(HttpClient& client, const std::string& target,
                             const std::string& plural, const Headers& headers = {}) {
  std::vector<json> out;
  std::string next = target;
  for (int pages = 0; !next.empty() && pages < 200; ++pages) {
    Response r = client.Get(next, headers);
    if (r.status == 204) break;
    EXPECT_EQ(r.status, 200) << target << " " << r.Describe();
    if (r.status != 200) break;
    for (const json& item : r.body_json["_embedded"][plural]) out.push_back(item);
    next = r.body_json["_links"].contains("next")
               ? PathOfHref(r.body_json["_links"]["next"]["href"].get<std::string>())
               : "";
  }
  return out;
}

// Sorted, ','-separated.
inline std::string Joined(const std::multiset<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += item + ",";
  return out;
}

// One side (source or target) as the comparison reads it: names instead of ids.
struct Side {
  HttpClient client;
  std::map<std::int64_t, std::string> user_email;  // id -> email
  std::map<std::string, std::int64_t> user_id;     // email -> id
  std::map<std::int64_t, std::string> group_name;
  std::map<std::int64_t, std::string> role_name;
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> stage_name;  // "Pipeline/Stage"
  std::map<std::int64_t, std::string> pipeline_name;
  std::map<std::string, std::string> stage_color;  // "Pipeline/Stage" -> its color
  std::vector<json> users;
  // Read as the account's administrator: what is not per user, and every record's name by id
  // ("leads" -> id -> name), for the links and attachments.
  std::map<std::int64_t, std::string> customer_status_name;
  std::multiset<std::string> customer_statuses;     // "name|sort|type|color|is_default"
  std::multiset<std::string> loss_reasons;          // "name|sort"
  std::map<std::string, std::string> descriptions;  // "Pipeline/Stage/level" -> text
  std::map<std::string, std::map<std::int64_t, std::string>> names;

  explicit Side(std::uint16_t port) : client(port) {}

  void Load() {
    const Response account = client.Get("/api/v4/account?with=users_groups");
    for (const json& group : account.body_json["_embedded"]["users_groups"]) {
      group_name[group["id"].get<std::int64_t>()] = group["name"].get<std::string>();
    }
    for (const json& role : All(client, "/api/v4/roles", "roles")) {
      role_name[role["id"].get<std::int64_t>()] = role["name"].get<std::string>();
    }
    for (const json& pipeline : All(client, "/api/v4/leads/pipelines", "pipelines")) {
      pipeline_name[pipeline["id"].get<std::int64_t>()] = pipeline["name"].get<std::string>();
      for (const json& status : pipeline["_embedded"]["statuses"]) {
        const std::string name =
            pipeline["name"].get<std::string>() + "/" + status["name"].get<std::string>();
        stage_name[{pipeline["id"].get<std::int64_t>(), status["id"].get<std::int64_t>()}] = name;
        stage_color[name] = status.value("color", "");
      }
    }
    users = All(client, "/api/v4/users?with=role,group", "users");
    for (const json& user : users) {
      user_email[user["id"].get<std::int64_t>()] = user["email"].get<std::string>();
      user_id[user["email"].get<std::string>()] = user["id"].get<std::int64_t>();
    }
    LoadSettingsAndNames();
  }

  void LoadSettingsAndNames() {
    for (const json& status : All(client, "/api/v4/customers/statuses", "statuses")) {
      customer_status_name[status["id"].get<std::int64_t>()] = status["name"].get<std::string>();
      customer_statuses.insert(status["name"].get<std::string>() + "|" + status["sort"].dump() +
                               "|" + status["type"].dump() + "|" + status["color"].dump() + "|" +
                               status["is_default"].dump());
    }
    for (const json& reason : All(client, "/api/v4/leads/loss_reasons", "loss_reasons")) {
      loss_reasons.insert(reason["name"].get<std::string>() + "|" + reason["sort"].dump());
    }
    for (const auto& [id, pipeline] : pipeline_name) {
      const std::string path =
          "/api/v4/leads/pipelines/" + std::to_string(id) + "/statuses?with=descriptions";
      for (const json& status : All(client, path, "statuses")) {
        for (const json& d : status["descriptions"]) {
          descriptions[pipeline + "/" + status["name"].get<std::string>() + "/" +
                       d["level"].get<std::string>()] = d["description"].get<std::string>();
        }
      }
    }
    for (const char* kind : {"leads", "contacts", "companies", "customers"}) {
      for (const json& record : All(client, std::string("/api/v4/") + kind + "?limit=250", kind)) {
        names[kind][record["id"].get<std::int64_t>()] = record["name"].get<std::string>();
      }
    }
  }

  std::string Email(const json& id) const {
    if (!id.is_number_integer() || id.get<std::int64_t>() == 0) return "-";
    auto it = user_email.find(id.get<std::int64_t>());
    return it == user_email.end() ? "?" + id.dump() : it->second;
  }

  std::string Stage(const json& pipeline_id, const json& status_id) const {
    auto it = stage_name.find({pipeline_id.get<std::int64_t>(), status_id.get<std::int64_t>()});
    return it == stage_name.end() ? "?" : it->second;
  }

  // The name of record `id` of `kind` ("leads", ...), "-" for none.
  std::string Name(const json& kind, const json& id) const {
    if (!kind.is_string() || !id.is_number_integer()) return "-";
    auto of_kind = names.find(kind.get<std::string>());
    if (of_kind == names.end()) return "?" + kind.dump();
    auto it = of_kind->second.find(id.get<std::int64_t>());
    return it == of_kind->second.end() ? "?" + id.dump() : it->second;
  }

  // The names of the `kind` records `record` links to (`*` marks the main contact).
  std::string Linked(const json& record, const std::string& kind) const {
    std::multiset<std::string> linked;
    for (const json& link : record["_embedded"][kind]) {
      linked.insert(Name(kind, link["id"]) + (link.value("is_main", false) ? "*" : ""));
    }
    return Joined(linked);
  }

  // custom_fields_values by field name (ids differ between the two sides).
  static std::string FieldValues(const json& record) {
    std::multiset<std::string> entries;
    if (record["custom_fields_values"].is_array()) {
      for (const json& entry : record["custom_fields_values"]) {
        std::string values;
        for (const json& value : entry["values"]) values += value["value"].dump() + ",";
        entries.insert(entry["field_name"].get<std::string>() + "=" + values);
      }
    }
    return Joined(entries);
  }

  static std::string TagNames(const json& record) {
    std::multiset<std::string> tags;
    for (const json& tag : record["_embedded"]["tags"]) tags.insert(tag["name"].get<std::string>());
    return Joined(tags);
  }

  static std::string LossReason(const json& lead) {
    const json& embedded = lead["_embedded"];
    if (!embedded.contains("loss_reason") || embedded["loss_reason"].empty()) return "-";
    return embedded["loss_reason"][0]["name"].get<std::string>();
  }

  // A user's flags and rights with every id made a name.
  json UserView(const json& user) const {
    json rights = user["rights"];
    json out = {{"name", user["name"]}, {"email", user["email"]}};
    for (const char* flag : {"is_admin", "is_free", "is_active"}) out[flag] = rights[flag];
    out["group"] =
        rights["group_id"].is_null() ? "" : group_name.at(rights["group_id"].get<std::int64_t>());
    out["role"] =
        rights["role_id"].is_null() ? "" : role_name.at(rights["role_id"].get<std::int64_t>());
    std::set<std::string> stage_rights;
    if (rights["status_rights"].is_array()) {
      for (const json& entry : rights["status_rights"]) {
        stage_rights.insert(Stage(entry["pipeline_id"], entry["status_id"]) + " " +
                            entry["rights"].dump());
      }
    }
    out["stage_rights"] = stage_rights;
    for (const char* key :
         {"status_rights", "is_admin", "is_free", "is_active", "group_id", "role_id"}) {
      rights.erase(key);
    }
    out["rights"] = rights;
    return out;
  }

  using Lines = std::map<std::string, std::vector<std::string>>;

  // What user `email` sees, as sorted lines.
  Lines Visible(const std::string& email) {
    const Headers as = {{"X-Context-User-ID", std::to_string(user_id.at(email))}};
    Lines out;
    for (const json& lead :
         All(client, "/api/v4/leads?limit=250&with=contacts,loss_reason", "leads", as)) {
      out["leads"].push_back(
          lead["name"].get<std::string>() + "|" + lead["price"].dump() + "|" +
          Stage(lead["pipeline_id"], lead["status_id"]) + "|" + Email(lead["responsible_user_id"]) +
          "|" + std::to_string(lead["_embedded"]["contacts"].size()) + "|" +
          std::to_string(lead["_embedded"]["companies"].size()) + "|" + lead["created_at"].dump() +
          "|" + TagNames(lead) + "|" + FieldValues(lead) + "|" + LossReason(lead));
    }
    for (const char* kind : {"contacts", "companies"}) {
      for (const json& record :
           All(client, std::string("/api/v4/") + kind + "?limit=250", kind, as)) {
        out[kind].push_back(record["name"].get<std::string>() + "|" +
                            Email(record["responsible_user_id"]) + "|" + TagNames(record) + "|" +
                            record["updated_at"].dump());
      }
    }
    VisibleCustomers(as, out);
    VisibleTasksAndNotes(as, out);
    for (auto& [kind, lines] : out) std::sort(lines.begin(), lines.end());
    return out;
  }

  void VisibleCustomers(const Headers& as, Lines& out) {
    const std::string path = "/api/v4/customers?limit=250&with=contacts,companies";
    for (const json& c : All(client, path, "customers", as)) {
      const auto status = customer_status_name.find(c["status_id"].get<std::int64_t>());
      out["customers"].push_back(c["name"].get<std::string>() + "|" + c["next_price"].dump() + "|" +
                                 c["next_date"].dump() + "|" + c["periodicity"].dump() + "|" +
                                 (status == customer_status_name.end() ? "?" : status->second) +
                                 "|" + Email(c["responsible_user_id"]) + "|" +
                                 c["created_at"].dump() + "|" + TagNames(c) + "|" + FieldValues(c) +
                                 "|" + Linked(c, "contacts") + "|" + Linked(c, "companies"));
    }
  }

  void VisibleTasksAndNotes(const Headers& as, Lines& out) {
    for (const json& task : All(client, "/api/v4/tasks?limit=250", "tasks", as)) {
      out["tasks"].push_back(task["text"].get<std::string>() + "|" + task["entity_type"].dump() +
                             "|" + Name(task["entity_type"], task["entity_id"]) + "|" +
                             task["complete_till"].dump() + "|" + task["is_completed"].dump() +
                             "|" + Email(task["responsible_user_id"]));
    }
    for (const std::string kind : {"leads", "customers"}) {
      for (const json& note : All(client, "/api/v4/" + kind + "/notes?limit=250", "notes", as)) {
        out["notes"].push_back(kind + "|" + Name(kind, note["entity_id"]) + "|" +
                               note["note_type"].get<std::string>() + "|" + note["params"].dump() +
                               "|" + Email(note["responsible_user_id"]));
      }
    }
  }
};

}  // namespace gatehouse::apitest
