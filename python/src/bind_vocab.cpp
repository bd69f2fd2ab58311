#include "bindings.h"

namespace featpipe::python {

void bind_vocab(pybind11::module_&) {}

}  // namespace featpipe::python
