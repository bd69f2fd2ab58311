#include "featpipe/pipelines/ranks.h"

namespace featpipe::pipelines {
namespace {

Ranks& current() {
  static Ranks job;
  return job;
}

}  // namespace

const Ranks& ranks() { return current(); }

void set_ranks(const Ranks& ranks) { current() = ranks; }

}  // namespace featpipe::pipelines
