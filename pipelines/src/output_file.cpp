#include "featpipe/pipelines/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "featpipe/core/errors.h"
#include "featpipe/data/image_file.h"
#include "featpipe/data/temporary_name.h"
#include "featpipe/pipelines/cli.h"

namespace featpipe::pipelines {

void check_writable_file(const std::string& path, const std::string& option,
                         const std::vector<std::pair<std::string, std::string>>& inputs) {
  try {
    check_output_path(path, option, inputs);
  } catch (const InputError& e) {  // named by the option, as the user typed it
    throw InputError(option, e.what());
  }
  const std::string probe = data::temporary_name(path);
  std::FILE* file = std::fopen(probe.c_str(), "wx");
  if (file == nullptr) {
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    throw InputError(option, "folder " + (folder.empty() ? std::string(".") : folder.string()) +
                                 " is not writable (" + std::strerror(errno) +
                                 "); give a path you can write to");
  }
  std::fclose(file);
  std::remove(probe.c_str());
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string temp = data::temporary_name(path);
  std::FILE* file = std::fopen(temp.c_str(), "w");
  bool written = file != nullptr && std::fwrite(text.data(), 1, text.size(), file) == text.size();
  int error = errno;
  if (file != nullptr && std::fclose(file) != 0 && written) {
    written = false;
    error = errno;
  }
  if (written && std::rename(temp.c_str(), path.c_str()) != 0) {
    written = false;
    error = errno;
  }
  if (!written) {
    std::remove(temp.c_str());
    throw RunError(path + ": cannot be written (" + std::strerror(error) + ")");
  }
}

void check_image_output(const std::string& path, const std::string& option,
                        const std::vector<std::pair<std::string, std::string>>& inputs) {
  if (!data::has_image_writer(path)) {
    throw InputError(option, path +
                                 ": OpenCV writes no image format of its extension; give a name ending in "
                                 ".png or .jpg");
  }
  check_writable_file(path, option, inputs);
}

}  // namespace featpipe::pipelines
