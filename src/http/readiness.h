// GET /readyz: readiness, as opposed to GET /healthz (liveness).
//
// /healthz answers 200 while the process serves HTTP at all; a load balancer or orchestrator
// that restarts on it must not restart a server only because its database is full. /readyz
// answers 200 {"ready":true} only when `probe` succeeds (the server wires a committed database
// write, storage::Store::CheckWritable), else 503 problem+json whose detail gives the reason.
// The probe's answer is reused for `cache_for`, so a flood of /readyz costs one write per
// interval; concurrent requests wait for the one probe running. The route is anonymous and
// runs on the blocking pool.
#pragma once

#include <chrono>
#include <functional>

#include "base/status.h"
#include "http/router.h"

namespace gatehouse::http {

using ReadinessProbe = std::function<base::Status()>;

// Registers GET /readyz on `router`. `probe` must be thread-safe and outlive the router.
void AddReadinessRoute(Router& router, ReadinessProbe probe,
                       std::chrono::milliseconds cache_for = std::chrono::seconds(1));

}  // namespace gatehouse::http
