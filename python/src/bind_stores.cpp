#include "bindings.h"

namespace featpipe::python {

void bind_stores(pybind11::module_&) {}

}  // namespace featpipe::python
