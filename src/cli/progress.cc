#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace gatehouse::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), tty_(isatty(STDERR_FILENO) != 0) {}

void ProgressBar::Draw(int percent, const std::string& text) {
  const int filled = percent * 40 / 100;
  // \033[K clears what a longer earlier text left on the line.
  std::fprintf(stderr, "\r[%.*s%*s] %3d%% %s\033[K", filled,
               "########################################", 40 - filled, "", percent, text.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Update(std::int64_t done, std::int64_t total) {
  if (total <= 0) return;
  const int percent = static_cast<int>(done * 100 / total);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  const std::string counts = std::to_string(done) + "/" + std::to_string(total);
  if (tty_) {
    Draw(percent, counts);
    if (done >= total) Finish();
  } else if (percent % 10 == 0) {
    std::fprintf(stderr, "%s: %d%% (%s records)\n", label_.c_str(), percent, counts.c_str());
  }
}

void ProgressBar::Step(std::string_view phase, int index, int phases, std::int64_t done) {
  const std::string text = std::to_string(index + 1) + "/" + std::to_string(phases) + " " +
                           std::string(phase) + ": " + std::to_string(done);
  if (tty_) {
    Draw(phases > 0 ? index * 100 / phases : 0, text);
  } else {
    std::fprintf(stderr, "%s: %s\n", label_.c_str(), text.c_str());
  }
}

void ProgressBar::Finish() {
  if (tty_ && drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

}  // namespace gatehouse::cli
