// The access log's sink: one line per request to standard output, in whole lines.
//
// spdlog's console sinks flush after every line, which is a write(2) per request; at tens of
// thousands of requests a second that costs more than serving /healthz. Lines here collect in
// a buffer of the sink's own and go out by write(2) in whole lines only, when it holds 32 KiB,
// by spdlog::flush_every (about once a second), by any warning or error, and at exit. (stdio's
// buffer used to go out at any byte, so a line another writer put on the same file in between
// landed in the middle of an access-log line.)
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <mutex>
#include <string>

namespace gatehouse::cli {

class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ~BufferedStdoutSink() override { WriteOut(); }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    pending_.append(line.data(), line.size());
    if (pending_.size() >= kFlushBytes) WriteOut();
  }
  void flush_() override { WriteOut(); }

 private:
  static constexpr std::size_t kFlushBytes = 32 << 10;

  void WriteOut() {
    std::fflush(stdout);  // what other code printed first goes first
    std::size_t done = 0;
    while (done < pending_.size()) {
      ssize_t n = ::write(STDOUT_FILENO, pending_.data() + done, pending_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // nowhere to log to: drop rather than block the server
      done += static_cast<std::size_t>(n);
    }
    pending_.clear();
  }

  std::string pending_;
};

}  // namespace gatehouse::cli
