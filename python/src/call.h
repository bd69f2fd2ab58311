#pragma once
// How every binding runs a stage: with the GIL released (other Python threads run meanwhile), Ctrl-C caught
// by featpipe's own interrupt check (pipelines/interrupt.h, the command line's) and raised as
// KeyboardInterrupt, and featpipe's errors turned into Python's: InputError -> ValueError, RunError ->
// RuntimeError, with the same message (module.cpp registers the translation).
#include <pybind11/pybind11.h>

#include <optional>
#include <utility>

#include "featpipe/core/stage_observer.h"

namespace featpipe::python {

namespace py = pybind11;

/// Stops a stage at its next safe point once SIGINT has arrived during the call.
class CallObserver final : public StageObserver {
 public:
  bool stopping() const override;
  void checkpoint() override;
};

/// While at least one call runs (from any Python thread), SIGINT goes to featpipe's handler; the last call
/// to end gives it back to the interpreter. Construct and destroy with the GIL held.
class CallScope {
 public:
  CallScope();
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;
};

/// fn(observer) with the GIL released; a stop by Ctrl-C raises KeyboardInterrupt.
template <typename Fn>
auto run_stage(Fn&& fn) {
  CallScope scope;
  CallObserver observer;
  py::gil_scoped_release release;
  return fn(static_cast<StageObserver&>(observer));
}

}  // namespace featpipe::python
