#pragma once
// What every stage function reports while it works, and how its caller stops it (DESIGN.md, "Front ends over
// one stage API"): a stage never prints and never looks at signals; the command line shows a progress bar
// and turns SIGINT into a stop, Python checks for Ctrl-C, a test counts steps, all through this interface.
#include <cstdint>
#include <string>

namespace featpipe {

class StageObserver {
 public:
  virtual ~StageObserver() = default;
  /// A phase of `total` steps (images, iterations, minibatches: `unit`) begins.
  virtual void begin(const std::string& /*label*/, uint64_t /*total*/, const std::string& /*unit*/) {}
  /// n more steps are done. Thread-safe: workers call it.
  virtual void advance(uint64_t /*n*/ = 1) {}
  /// The phase is over.
  virtual void end() {}
  /// Whether the caller wants the stage to stop. Thread-safe and cheap: workers poll it and skip the
  /// remaining work, then the stage calls checkpoint().
  virtual bool stopping() const { return false; }
  /// Called by the stage between steps, outside any parallel region: throws the caller's exception to
  /// stop the stage there (its outputs, written under temporary names, are then discarded).
  virtual void checkpoint() {}
};

/// An observer that shows nothing and never stops.
StageObserver& silent_observer();

}  // namespace featpipe
