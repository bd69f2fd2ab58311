#include "bindings.h"

namespace featpipe::python {

void bind_classify(pybind11::module_&) {}

}  // namespace featpipe::python
