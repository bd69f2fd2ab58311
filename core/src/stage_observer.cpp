#include "featpipe/core/stage_observer.h"

namespace featpipe {

StageObserver& silent_observer() {
  static StageObserver silent;
  return silent;
}

}  // namespace featpipe
