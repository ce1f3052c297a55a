#include "http/readiness.h"

#include <memory>
#include <mutex>
#include <optional>

#include "http/json.h"
#include "http/problem.h"

namespace gatehouse::http {

namespace {

// The last probe's answer and when it was taken.
class CachedProbe {
 public:
  CachedProbe(ReadinessProbe probe, std::chrono::milliseconds cache_for)
      : probe_(std::move(probe)), cache_for_(cache_for) {}

  base::Status Check() {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (!last_ || now - taken_ >= cache_for_) {
      last_ = probe_();
      taken_ = std::chrono::steady_clock::now();
    }
    return *last_;
  }

 private:
  ReadinessProbe probe_;
  std::chrono::milliseconds cache_for_;
  std::mutex mu_;
  std::optional<base::Status> last_;  // guarded by mu_
  std::chrono::steady_clock::time_point taken_;
};

}  // namespace

void AddReadinessRoute(Router& router, ReadinessProbe probe, std::chrono::milliseconds cache_for) {
  auto cached = std::make_shared<CachedProbe>(std::move(probe), cache_for);
  router.Add(Method::kGet, "/readyz",
             [cached](Request&) {
               base::Status status = cached->Check();
               if (status.ok()) return JsonResponse(200, {{"ready", true}});
               Response response = ProblemResponse(
                   503, "not ready: the database does not accept writes: " + status.message());
               response.headers.Set("Retry-After", "1");
               return response;
             },
             {.name = "readyz", .blocking = true, .allow_anonymous = true});
}

}  // namespace gatehouse::http
