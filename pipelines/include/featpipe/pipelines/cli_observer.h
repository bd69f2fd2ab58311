#pragma once
// The command line's StageObserver: a progress line per phase of the stage (none with --quiet), and
// SIGINT / SIGTERM / SIGHUP (interrupt.h) as the stop, thrown as Interrupted with the command's advice.
#include <functional>
#include <memory>
#include <string>

#include "featpipe/core/stage_observer.h"
#include "featpipe/pipelines/interrupt.h"
#include "featpipe/pipelines/progress.h"

namespace featpipe::pipelines {

class CliObserver final : public StageObserver {
 public:
  /// advice: what to tell the user when interrupted, asked for at that moment (it may depend on progress).
  explicit CliObserver(bool quiet, std::function<std::string()> advice = nullptr)
      : quiet_(quiet), advice_(std::move(advice)) {}
  void begin(const std::string& label, uint64_t total, const std::string& unit) override {
    progress_ = std::make_unique<Progress>(label, total, quiet_, unit);
  }
  void advance(uint64_t n) override {
    if (progress_) progress_->advance(n);
  }
  void end() override {
    if (progress_) progress_->finish();
  }
  bool stopping() const override { return interrupt_signal() != 0; }
  void checkpoint() override {
    if (interrupt_signal() != 0) throw_if_interrupted(advice_ ? advice_() : "");
  }

 private:
  bool quiet_;
  std::function<std::string()> advice_;
  std::unique_ptr<Progress> progress_;
};

}  // namespace featpipe::pipelines
