#pragma once
// A folder of outputs written the way stores are (data/temporary_name.h): into DEST.tmp-PID next to the
// destination, moved into place only when every file of it is complete, and removed on any failure, so
// that a full disk or an error half-way never leaves a report that looks finished.
#include <filesystem>
#include <string>

namespace featpipe::pipelines {

class StagedFolder {
 public:
  /// Removes stale DEST.tmp-PID folders of processes that are gone, then creates this process's.
  /// RunError naming DEST when the temporary folder cannot be created.
  explicit StagedFolder(const std::filesystem::path& dest);
  /// Removes the temporary folder unless committed.
  ~StagedFolder();
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  /// Where the files are written until commit().
  const std::filesystem::path& path() const { return temp_; }

  /// Writes `text` to the file `name` of the folder; RunError naming the file and the system's reason
  /// (e.g. "No space left on device") when it cannot be written whole.
  void write_file(const std::string& name, const std::string& text) const;

  /// Moves the folder into place: renamed to DEST when DEST does not exist, else each of its files renamed
  /// into DEST (replacing files of the same name, keeping the others). RunError naming DEST on failure.
  void commit();

 private:
  std::filesystem::path dest_, temp_;
  bool committed_ = false;
};

}  // namespace featpipe::pipelines
