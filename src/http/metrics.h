// Metrics: request counts and latency histograms per route and status class, rendered in the
// Prometheus text format (GET /metrics).
//
//   gatehouse_http_requests_total{route="leads.get",class="2xx"} 12
//   gatehouse_http_request_duration_seconds_bucket{route="leads.get",le="0.005"} 10
//   gatehouse_http_request_duration_seconds_sum{route="leads.get"} 0.031
//   gatehouse_http_request_duration_seconds_count{route="leads.get"} 12
//
// Series are created (under a mutex) when routes register; Record only touches atomics.
// Thread-safe. Series pointers stay valid for the Metrics' lifetime.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace gatehouse::http {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implicit).
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  struct Series {
    std::string route{};
    std::array<std::atomic<std::uint64_t>, 5> by_class{};                   // 1xx..5xx
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last is +Inf
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
  };

  // The series for `route`, created on first use. The returned pointer is stable.
  Series* Get(std::string_view route);
  // Counts one request with HTTP `status` that took `micros`.
  static void Record(Series* series, int status, std::uint64_t micros);

  // The Prometheus text exposition of every series.
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::deque<Series> series_;  // deque: stable addresses
};

}  // namespace gatehouse::http
