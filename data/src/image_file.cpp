#include "featpipe/data/image_file.h"

#include <dlfcn.h>

#include <vector>

#include "featpipe/core/errors.h"
#include "featpipe/data/input_files.h"
#include "image_header.h"

// The soname of the installed OpenCV's imgcodecs module, from CMake (the imported target opencv_imgcodecs),
// so that it follows the OpenCV featpipe was built against.
#ifndef FEATPIPE_IMGCODECS_LIBRARY
#error "FEATPIPE_IMGCODECS_LIBRARY (the soname of OpenCV's imgcodecs) is set by CMakeLists.txt"
#endif

namespace featpipe::data {
namespace {

// The functions' types as <opencv2/imgcodecs.hpp> declares them: the casts stop the build if OpenCV changes
// a signature. They are unevaluated, so they do not make the linker look for the functions.
using Imread = decltype(static_cast<cv::Mat (*)(const cv::String&, int)>(&cv::imread));
using Imwrite =
    decltype(static_cast<bool (*)(const cv::String&, cv::InputArray, const std::vector<int>&)>(&cv::imwrite));
using HaveImageReader = decltype(static_cast<bool (*)(const cv::String&)>(&cv::haveImageReader));
using HaveImageWriter = decltype(static_cast<bool (*)(const cv::String&)>(&cv::haveImageWriter));

struct Codecs {
  Imread imread = nullptr;
  Imwrite imwrite = nullptr;
  HaveImageReader have_image_reader = nullptr;
  HaveImageWriter have_image_writer = nullptr;
};

[[noreturn]] void load_failed(const std::string& problem) {
  throw RunError(std::string("OpenCV's image codecs (") + FEATPIPE_IMGCODECS_LIBRARY + "): " + problem +
                 "; image files cannot be read or written without them: install the OpenCV imgcodecs module "
                 "featpipe was built with");
}

/// The function `symbol` (its mangled name) of the library; `function` names it in the error.
template <typename F>
F lookup(void* library, const char* symbol, const char* function) {
  dlerror();  // clears an earlier error, so the one read below is dlsym's
  void* address = dlsym(library, symbol);
  if (address == nullptr) {
    const char* why = dlerror();
    load_failed(std::string("no ") + function + " (" + (why != nullptr ? why : symbol) + ")");
  }
  return reinterpret_cast<F>(address);
}

Codecs load() {
  // RTLD_NOW: a missing dependency of the codecs is reported here, in one clear error, not at some later
  // call. Never closed: the codecs stay for the life of the process, as a linked library does.
  void* library = dlopen(FEATPIPE_IMGCODECS_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    load_failed(std::string("cannot be loaded (") + (why != nullptr ? why : "dlopen failed") + ")");
  }
  // The Itanium C++ ABI names of the four functions, with libstdc++'s std::string (std::__cxx11).
  Codecs codecs;
  codecs.imread = lookup<Imread>(
      library, "_ZN2cv6imreadERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEi", "cv::imread");
  codecs.imwrite =
      lookup<Imwrite>(library,
                      "_ZN2cv7imwriteERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERKNS_"
                      "11_InputArrayERKSt6vectorIiSaIiEE",
                      "cv::imwrite");
  codecs.have_image_reader = lookup<HaveImageReader>(
      library, "_ZN2cv15haveImageReaderERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
      "cv::haveImageReader");
  codecs.have_image_writer = lookup<HaveImageWriter>(
      library, "_ZN2cv15haveImageWriterERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
      "cv::haveImageWriter");
  return codecs;
}

const Codecs& codecs() {
  // Loaded by the first thread that needs it while any others wait (a function-local static); a load that
  // throws leaves it unset, so every later use reports the same error.
  static const Codecs loaded = load();
  return loaded;
}

}  // namespace

cv::Mat read_image(const std::string& path, int flags) {
  require_regular_file(path);
  check_image_dims(path);
  const Codecs& c = codecs();
  try {
    return c.imread(path, flags);
  } catch (const cv::Exception& e) {
    throw InputError(path, "cannot be decoded as an image (OpenCV: " + e.err + "); replace or remove it");
  }
}

void write_image(const std::string& path, const cv::Mat& image) {
  const Codecs& c = codecs();
  bool written = false;
  try {
    written = c.imwrite(path, image, std::vector<int>());
  } catch (const cv::Exception&) {
    // OpenCV throws for an extension it has no writer for, and returns false when the file cannot be opened.
  }
  if (!written) throw InputError(path, "cannot be written; give a writable file name ending in .png or .jpg");
}

bool has_image_reader(const std::string& path) {
  require_regular_file(path);
  return codecs().have_image_reader(path);
}

bool has_image_writer(const std::string& path) {
  try {
    return codecs().have_image_writer(path);
  } catch (const cv::Exception&) {  // a name without an extension
    return false;
  }
}

const char* image_codecs_library() { return FEATPIPE_IMGCODECS_LIBRARY; }

}  // namespace featpipe::data
