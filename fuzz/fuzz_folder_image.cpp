// The folder reader's handling of one image file (folder:DIR): the format check at open, the channel
// count from the first training image, then decode, conversion and --resize in image(). Input: one flag
// byte (bit 0: --resize 13x9), then the file, written as DIR/train/a/image and DIR/test/a/image.
#include "featpipe/core/errors.h"
#include "fuzz_dataset.h"
#include "fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace featpipe;
  if (size < 1) return 0;
  data::OpenOptions options;
  if (data[0] & 1) options.resize = cv::Size(13, 9);
  const fuzz::fs::path dir = fuzz::scratch_dir() / "folder";
  for (const char* set : {"train", "test"}) {
    fuzz::write_file(dir / set / "a" / "image", data + 1, size - 1);
  }
  try {
    fuzz::exercise(*data::open_dataset("folder:" + dir.string(), options));
  } catch (const InputError&) {
  }
  return 0;
}
