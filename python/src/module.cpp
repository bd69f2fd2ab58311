// The extension module featpipe._featpipe; python/featpipe/__init__.py exports its functions.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "featpipe/core/errors.h"
#include "featpipe/pipelines/interrupt.h"

namespace py = pybind11;

PYBIND11_MODULE(_featpipe, m) {
  m.doc() = "featpipe's stages on numpy arrays (the package featpipe wraps this module)";
  m.attr("__version__") = FEATPIPE_VERSION;
  // featpipe's errors as Python's, with the same message: bad input is a ValueError, a run that failed
  // (training diverged) a RuntimeError, a stop by Ctrl-C a KeyboardInterrupt.
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const featpipe::InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const featpipe::RunError& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    } catch (const featpipe::pipelines::Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });
  featpipe::python::bind_features(m);
  featpipe::python::bind_vocab(m);
  featpipe::python::bind_classify(m);
  featpipe::python::bind_stores(m);
}
