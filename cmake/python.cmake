# The Python module `featpipe` (python/): a pybind11 extension, featpipe/_featpipe*.so, over the stage libraries,
# and a pure-Python layer beside it (python/featpipe/*.py), for Debian's interpreter /usr/bin/python3.
#   build tree:  <build>/python/featpipe/   (PYTHONPATH=<build>/python)
#   installed:   <prefix>/lib/python3.X/dist-packages/featpipe/   (on Debian's sys.path for /usr and /usr/local)
# FEATPIPE_PYTHON: ON, OFF or AUTO (on when Python's headers, numpy and pybind11 are found). Not in a sanitizer
# build: the interpreter is not instrumented, so the sanitizers' runtime would have to be preloaded into it.
set(FEATPIPE_PYTHON AUTO CACHE STRING "Build the Python module: ON, OFF or AUTO")
set_property(CACHE FEATPIPE_PYTHON PROPERTY STRINGS ON OFF AUTO)
set(featpipe_with_python OFF)
if(NOT FEATPIPE_PYTHON STREQUAL "OFF" AND NOT FEATPIPE_SANITIZE)
  if(NOT Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3)  # Debian's, with numpy, h5py and scikit-learn
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
  find_package(pybind11 CONFIG QUIET)
  set(featpipe_numpy_found OFF)
  if(Python3_FOUND)
    execute_process(COMMAND ${Python3_EXECUTABLE} -c "import numpy" RESULT_VARIABLE numpy_status
      OUTPUT_QUIET ERROR_QUIET)
    if(numpy_status EQUAL 0)
      set(featpipe_numpy_found ON)
    endif()
  endif()
  if(Python3_FOUND AND pybind11_FOUND AND featpipe_numpy_found)
    set(featpipe_with_python ON)
  elseif(FEATPIPE_PYTHON STREQUAL "ON")
    message(FATAL_ERROR "FEATPIPE_PYTHON=ON needs Python 3 headers, numpy and pybind11: "
      "apt-get install python3-dev python3-numpy pybind11-dev")
  endif()
endif()
message(STATUS "featpipe: Python module ${featpipe_with_python} (FEATPIPE_PYTHON=${FEATPIPE_PYTHON})")
if(NOT featpipe_with_python)
  return()
endif()

# lib/, not CMAKE_INSTALL_LIBDIR (lib/x86_64-linux-gnu under /usr): Python's folders are under lib/ itself.
set(FEATPIPE_PYTHON_INSTALL_DIR lib/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/dist-packages
  CACHE STRING "Where the featpipe package is installed, relative to the prefix")

set(featpipe_python_dir ${CMAKE_BINARY_DIR}/python/featpipe)
file(GLOB featpipe_python_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/python/src/*.cpp)
# NO_EXTRAS: no link-time optimisation (the stage libraries are not compiled for it) and no stripping.
pybind11_add_module(featpipe_python MODULE NO_EXTRAS ${featpipe_python_sources})
target_link_libraries(featpipe_python PRIVATE featpipe_pipelines)
target_include_directories(featpipe_python PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/python/src)
set_target_properties(featpipe_python PROPERTIES OUTPUT_NAME _featpipe LIBRARY_OUTPUT_DIRECTORY ${featpipe_python_dir})
target_compile_definitions(featpipe_python PRIVATE FEATPIPE_VERSION="${PROJECT_VERSION}")

# The pure-Python files beside the extension in the build tree, copied at build time.
file(GLOB featpipe_python_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/python/featpipe/*.py)
set(featpipe_python_copies "")
foreach(file ${featpipe_python_files})
  get_filename_component(name ${file} NAME)
  add_custom_command(OUTPUT ${featpipe_python_dir}/${name}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${file} ${featpipe_python_dir}/${name}
    DEPENDS ${file} VERBATIM)
  list(APPEND featpipe_python_copies ${featpipe_python_dir}/${name})
endforeach()
add_custom_target(featpipe_python_files ALL DEPENDS ${featpipe_python_copies})
add_dependencies(featpipe_python featpipe_python_files)

install(TARGETS featpipe_python LIBRARY DESTINATION ${FEATPIPE_PYTHON_INSTALL_DIR}/featpipe)
install(FILES ${featpipe_python_files} DESTINATION ${FEATPIPE_PYTHON_INSTALL_DIR}/featpipe)
