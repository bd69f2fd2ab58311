#include "staged_folder.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <vector>

#include "featpipe/core/errors.h"
#include "featpipe/data/temporary_name.h"

namespace featpipe::pipelines {

namespace fs = std::filesystem;

StagedFolder::StagedFolder(const fs::path& dest) : dest_(fs::absolute(dest).lexically_normal()) {
  if (!dest_.has_filename()) dest_ = dest_.parent_path();  // "report/" is the folder "report"
  temp_ = data::temporary_name(dest_.string());
  data::remove_stale_temporaries(dest_.string());
  std::error_code ec;
  fs::remove_all(temp_, ec);
  if (!fs::create_directory(temp_, ec)) {
    throw RunError(dest_.string() + ": cannot create the temporary folder " + temp_.string() + " (" +
                   ec.message() + ")");
  }
}

StagedFolder::~StagedFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

void StagedFolder::write_file(const std::string& name, const std::string& text) const {
  const fs::path file = temp_ / name;
  errno = 0;
  std::FILE* out = std::fopen(file.c_str(), "wb");
  bool ok = out != nullptr && std::fwrite(text.data(), 1, text.size(), out) == text.size();
  const int write_errno = errno;
  // fclose flushes what the buffer still holds: its failure is a failed write too
  if (out != nullptr && std::fclose(out) != 0) ok = false;
  if (!ok) {
    const int reason = errno != 0 ? errno : write_errno;
    throw RunError(dest_.string() + ": cannot write " + name + " (" +
                   (reason != 0 ? std::strerror(reason) : "a short write") + "); nothing was written");
  }
}

void StagedFolder::commit() {
  std::error_code ec;
  if (!fs::exists(dest_, ec)) {
    fs::rename(temp_, dest_, ec);
  } else {
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(temp_, ec)) files.push_back(entry.path());
    for (const fs::path& file : files) {
      if (ec) break;
      fs::rename(file, dest_ / file.filename(), ec);
    }
  }
  if (ec) {
    throw RunError(dest_.string() + ": cannot move the finished report into place from " + temp_.string() +
                   " (" + ec.message() + ")");
  }
  committed_ = true;
  if (fs::exists(temp_, ec)) fs::remove_all(temp_, ec);
}

}  // namespace featpipe::pipelines
