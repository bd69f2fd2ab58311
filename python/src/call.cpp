#include "call.h"

#include <memory>
#include <mutex>

#include "featpipe/pipelines/interrupt.h"

namespace featpipe::python {
namespace {

std::mutex calls_mutex;
int calls = 0;
std::unique_ptr<pipelines::InterruptGuard> guard;

}  // namespace

bool CallObserver::stopping() const { return pipelines::interrupt_signal() != 0; }

void CallObserver::checkpoint() {
  if (pipelines::interrupt_signal() != 0) pipelines::throw_if_interrupted("the call was stopped");
}

CallScope::CallScope() {
  std::lock_guard<std::mutex> lock(calls_mutex);
  if (calls++ == 0) {
    pipelines::clear_interrupt();
    guard = std::make_unique<pipelines::InterruptGuard>(pipelines::InterruptGuard::Scope::call);
  }
}

CallScope::~CallScope() {
  std::lock_guard<std::mutex> lock(calls_mutex);
  if (--calls == 0) guard.reset();
}

}  // namespace featpipe::python
