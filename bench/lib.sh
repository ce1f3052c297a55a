# Helpers shared by the benchmark scripts of bench/ (sourced from the repository's root).

# A TCP port free on 127.0.0.1 right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Prints the Python expression $1 of the JSON document on stdin, which it names `d`.
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Writes the wrk scripts into DIR: patch.lua (PATCH with a price that changes every request),
# report.lua (one line "RESULT rps=… p50_ms=… p99_ms=… requests=… errors=…" at the end) and
# patch_report.lua (both).
write_wrk_scripts() {  # DIR
  cat >"$1/patch.lua" <<'LUA'
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"price":' .. (1000 + n % 5000) .. '}')
end
LUA
  cat >"$1/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, errors))
end
LUA
  cat "$1/patch.lua" "$1/report.lua" >"$1/patch_report.lua"
}
