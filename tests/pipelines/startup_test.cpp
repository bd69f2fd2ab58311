// The featpipe binary starts without OpenCV's image codecs (and their hundred-odd dependencies): its
// dynamic section does not name them, and they are loaded the first time an image file is read.
#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::BackgroundRun;
using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::ScopedEnv;
using featpipe::testing::TempDir;

/// A T read from bytes at offset (ELF structures need not be aligned in a string's buffer).
template <typename T>
T read_at(const std::string& bytes, std::size_t offset) {
  if (offset + sizeof(T) > bytes.size()) throw std::runtime_error("truncated ELF file");
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

/// The DT_NEEDED entries of a 64-bit ELF file: the shared libraries the loader maps before main().
std::vector<std::string> needed_libraries(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto header = read_at<Elf64_Ehdr>(bytes, 0);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64) {
    throw std::runtime_error(path + " is not a 64-bit ELF file");
  }
  std::vector<std::string> needed;
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    const auto section = read_at<Elf64_Shdr>(bytes, header.e_shoff + std::size_t(i) * header.e_shentsize);
    if (section.sh_type != SHT_DYNAMIC) continue;
    const auto strings =
        read_at<Elf64_Shdr>(bytes, header.e_shoff + std::size_t(section.sh_link) * header.e_shentsize);
    for (std::size_t at = section.sh_offset; at + sizeof(Elf64_Dyn) <= section.sh_offset + section.sh_size;
         at += sizeof(Elf64_Dyn)) {
      const auto entry = read_at<Elf64_Dyn>(bytes, at);
      if (entry.d_tag == DT_NULL) break;
      if (entry.d_tag == DT_NEEDED) needed.emplace_back(bytes.c_str() + strings.sh_offset + entry.d_un.d_val);
    }
  }
  return needed;
}

TEST(Startup, BinaryDoesNotLinkTheImageCodecs) {
  const std::vector<std::string> needed = needed_libraries(FEATPIPE_BINARY);
  std::string list;
  for (const std::string& name : needed) list += " " + name;
  // The reader works: the libraries featpipe does link are there.
  EXPECT_TRUE(contains(list, " libopencv_core.so")) << list;
  EXPECT_TRUE(contains(list, " libopencv_imgproc.so")) << list;
  EXPECT_FALSE(contains(list, "imgcodecs")) << list;
  EXPECT_FALSE(contains(list, "libopencv_objdetect")) << list;
}

// The dynamic loader's own trace (LD_DEBUG=files, on stderr) lists every library a run maps. The runs start
// without a shell, whose own trace would come first.
TEST(Startup, CodecsAreLoadedOnlyWhenAnImageFileIsRead) {
  TempDir dir;
  const std::string png = (dir / "grey.png").string();
  ASSERT_TRUE(cv::imwrite(png, cv::Mat(64, 64, CV_8UC1, cv::Scalar(90))));
  const ScopedEnv trace("LD_DEBUG", "files");
  const CliResult version = BackgroundRun({"--version"}, dir.path()).finish();
  ASSERT_EQ(version.exit_code, 0) << version.err;
  ASSERT_TRUE(contains(version.err, "libopencv_core.so")) << "no loader trace:\n" << version.err;
  EXPECT_FALSE(contains(version.err, "libopencv_imgcodecs.so")) << version.err;

  const CliResult match = BackgroundRun({"match", png}, dir.path()).finish();
  ASSERT_EQ(match.exit_code, 0) << match.err;
  EXPECT_TRUE(contains(match.err, "file=libopencv_imgcodecs.so")) << match.err;
  EXPECT_TRUE(contains(match.err, "dynamically loaded")) << match.err;
}

}  // namespace
