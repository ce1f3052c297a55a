#include "http/metrics.h"

#include <cstdio>

namespace gatehouse::http {

namespace {

// Label values are route names we chose, but escape them as the format requires anyway.
std::string Escape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string FormatDouble(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

}  // namespace

Metrics::Series* Metrics::Get(std::string_view route) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Series& s : series_) {
    if (s.route == route) return &s;
  }
  Series& s = series_.emplace_back();
  s.route = std::string(route);
  return &s;
}

void Metrics::Record(Series* series, int status, std::uint64_t micros) {
  if (series == nullptr) return;
  int status_class = status / 100;
  if (status_class < 1 || status_class > 5) status_class = 5;
  series->by_class[status_class - 1].fetch_add(1, std::memory_order_relaxed);
  double seconds = static_cast<double>(micros) / 1e6;
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  series->buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  series->count.fetch_add(1, std::memory_order_relaxed);
  series->sum_micros.fetch_add(micros, std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP gatehouse_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE gatehouse_http_requests_total counter\n";
  for (const Series& s : series_) {
    for (int c = 0; c < 5; ++c) {
      out += "gatehouse_http_requests_total{route=\"" + Escape(s.route) + "\",class=\"" +
             std::to_string(c + 1) + "xx\"} " +
             std::to_string(s.by_class[c].load(std::memory_order_relaxed)) + "\n";
    }
  }
  out += "# HELP gatehouse_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE gatehouse_http_request_duration_seconds histogram\n";
  for (const Series& s : series_) {
    std::string label = "route=\"" + Escape(s.route) + "\"";
    std::uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      std::string le = b < kBuckets.size() ? FormatDouble(kBuckets[b]) : "+Inf";
      out += "gatehouse_http_request_duration_seconds_bucket{" + label + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "gatehouse_http_request_duration_seconds_sum{" + label + "} " +
           FormatDouble(static_cast<double>(s.sum_micros.load(std::memory_order_relaxed)) / 1e6) +
           "\n";
    out += "gatehouse_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(s.count.load(std::memory_order_relaxed)) + "\n";
  }
  return out;
}

}  // namespace gatehouse::http
