// The access log's sink: one line per request to standard output, through stdio's buffer.
//
// spdlog's console sinks flush after every line, which is a write(2) per request; at tens of
// thousands of requests a second that costs more than serving /healthz. Lines here are flushed
// by spdlog::flush_every (about once a second), by any warning or error, and at exit.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <mutex>

namespace gatehouse::cli {

class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

}  // namespace gatehouse::cli
