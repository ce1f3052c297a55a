// The metadata of an incoming lead from a call (POST /api/v4/leads/unsorted/sip): Kommo's
// SipMetadata, as the official PHP client (amocrm-api-php SipMetadata::toApi) sends it:
//
//   {"uniq": "...", "phone": "..." | 79001234567, "called_at": <unix seconds>,
//    "duration": <seconds>, "service_code": "...", "link": "https://..." | null,
//    "from": "..." | 79001234567 | null, "is_call_event_needed": true | false,
//    "call_responsible": <user id> | null}
//
// A phone or from sent as an integer is kept as its decimal text.
//
// Every key is read or refused by name, so nothing a client sends is answered 200 and dropped.
// nlohmann never throws here: every access checks the type first.
#include <algorithm>
#include <string>

#include "http/api/records/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using base::FieldError;
using nlohmann::json;

namespace {

constexpr std::string_view kCallKeys[] = {"uniq",
                                          "phone",
                                          "called_at",
                                          "duration",
                                          "service_code",
                                          "link",
                                          "from",
                                          "is_call_event_needed",
                                          "call_responsible"};

// Refuses every key of `metadata` that is not one of a call's.
void RefuseOtherCallKeys(const json& metadata, std::vector<FieldError>& errors) {
  for (const auto& [key, value] : metadata.items()) {
    if (std::find(std::begin(kCallKeys), std::end(kCallKeys), key) != std::end(kCallKeys)) {
      continue;
    }
    const std::string path = "metadata." + (key.empty() ? std::string("\"\"") : key);
    errors.push_back({path, "NotSupported", path + " is not a field of a call's metadata"});
  }
}

// A required string that may not be empty (its other text rules are the call note's).
std::optional<std::string> RequiredText(BodyReader& call, std::string_view key) {
  std::optional<std::string> text = call.String(key, /*required=*/true);
  if (text && text->empty()) {
    call.Add(call.Path(key), "InvalidValue", call.Path(key) + " must not be empty");
    return std::nullopt;
  }
  return text;
}

// A string, or an integer (phone and from: some clients send numbers, the PHP client's `from`
// is a string or an integer), kept as its decimal text; nullopt when absent, null or refused.
std::optional<std::string> TextOrNumber(BodyReader& call, std::string_view key, bool required) {
  const json* value = call.Find(key);
  if (value == nullptr || value->is_string()) {
    return required ? RequiredText(call, key) : call.String(key);
  }
  if (value->is_number_unsigned()) return std::to_string(value->get<std::uint64_t>());
  if (value->is_number_integer() && value->get<std::int64_t>() >= 0) {
    return std::to_string(value->get<std::int64_t>());
  }
  call.Add(call.Path(key), "InvalidType",
           call.Path(key) + " must be a string or a non-negative integer");
  return std::nullopt;
}

// An integer in [0, max]; `what` says what it is in the error.
std::optional<std::int64_t> Bounded(BodyReader& call, std::string_view key, std::int64_t max,
                                    std::string_view what) {
  std::optional<std::int64_t> value = call.Int(key, /*required=*/true);
  if (value && (*value < 0 || *value > max)) {
    call.Add(
        call.Path(key), "InvalidValue",
        call.Path(key) + " must be " + std::string(what) + " between 0 and " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

// The optional fields of a call, into `out`.
void ReadOptionalCallFields(BodyReader& call, service::IncomingCall& out,
                            std::vector<FieldError>& errors) {
  out.link = call.String("link");
  out.from = TextOrNumber(call, "from", /*required=*/false);
  if (out.from) {
    if (auto error = CheckText("metadata.from", *out.from, TextKind::kLine, kMaxNameChars)) {
      errors.push_back(std::move(*error));
    }
  }
  out.is_call_event_needed = call.Bool("is_call_event_needed").value_or(false);
  out.call_responsible = call.Int("call_responsible");
  if (out.call_responsible && *out.call_responsible <= 0) {
    call.Add("metadata.call_responsible", "InvalidValue",
             "metadata.call_responsible must be the id of a user of this account, or null");
  }
}

// A call's metadata; nullopt (with errors) when it is not one.
std::optional<service::IncomingCall> ParseCall(const json* metadata,
                                               std::vector<FieldError>& errors) {
  if (metadata == nullptr) {
    errors.push_back({"metadata", "Required",
                      "metadata is required: the call (uniq, phone, called_at, duration, "
                      "service_code)"});
    return std::nullopt;
  }
  if (!metadata->is_object()) {
    errors.push_back({"metadata", "InvalidType", "metadata must be an object"});
    return std::nullopt;
  }
  const std::size_t errors_before = errors.size();
  RefuseOtherCallKeys(*metadata, errors);
  BodyReader call(*metadata, errors, "metadata", kRecordBody);
  service::IncomingCall out{.uniq = RequiredText(call, "uniq").value_or(""),
                            .phone = TextOrNumber(call, "phone", /*required=*/true).value_or("")};
  out.called_at = Bounded(call, "called_at", kMaxTimestamp, "a unix time").value_or(0);
  out.duration = Bounded(call, "duration", kMaxTimestamp, "a number of seconds").value_or(0);
  out.service_code = RequiredText(call, "service_code").value_or("");
  ReadOptionalCallFields(call, out, errors);
  if (errors.size() > errors_before) return std::nullopt;
  return out;
}

}  // namespace

service::IncomingInput ParseIncomingSip(const json& item, std::vector<FieldError>& errors) {
  service::IncomingInput in = ParseIncomingItem(item, errors);
  in.category = domain::IncomingCategory::kSip;
  in.call = ParseCall(PresentMember(item, "metadata"), errors);
  return in;
}

}  // namespace gatehouse::http::api::records
