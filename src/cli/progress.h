// Progress of long CLI work on stderr (SPEC §7: progress bars on long work): a one-line bar
// redrawn in place when stderr is a terminal, plain lines otherwise (logs, pipes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse::cli {

class ProgressBar {
 public:
  // `label` starts the plain lines ("demo: 40% ...").
  explicit ProgressBar(std::string label);

  // `done` of `total` (a bar with a percentage; plain: a line per 10%).
  void Update(std::int64_t done, std::int64_t total);

  // Work in `phases` steps whose sizes are not known ahead (Kommo's lists have no totals):
  // the bar is at step `index` (0-based) and `done` objects of phase `phase` are handled; plain:
  // one line per call.
  void Step(std::string_view phase, int index, int phases, std::int64_t done);

  // Ends the bar's line (terminal only).
  void Finish();

 private:
  void Draw(int percent, const std::string& text);
  std::string label_;
  bool tty_;
  int last_percent_ = -1;
  bool drawn_ = false;
};

}  // namespace gatehouse::cli
