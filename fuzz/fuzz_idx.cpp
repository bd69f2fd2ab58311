// The IDX reader (idx:DIR). Input: one flag byte (bit 0: --resize 5x7; bit 1: the files are named *.gz, so
// their bytes go through the gzip reader), a little-endian 32-bit length n, n bytes of image file, then the
// label file; the pair is written as both the train and the t10k files.
#include "featpipe/core/errors.h"
#include "fuzz_dataset.h"
#include "fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace featpipe;
  if (size < 1) return 0;
  data::OpenOptions options;
  if (data[0] & 1) options.resize = cv::Size(5, 7);
  const std::string suffix = data[0] & 2 ? ".gz" : "";
  ++data, --size;
  const std::size_t image_bytes = fuzz::leading_length(data, size);
  const std::size_t skip = size < 4 ? size : 4;
  const uint8_t* images = data + skip;
  const uint8_t* labels = images + image_bytes;
  const std::size_t label_bytes = size - skip - image_bytes;

  const fuzz::fs::path dir = fuzz::scratch_dir() / "idx";
  fuzz::fs::remove_all(dir);
  for (const char* set : {"train", "t10k"}) {
    fuzz::write_file(dir / (std::string(set) + "-images-idx3-ubyte" + suffix), images, image_bytes);
    fuzz::write_file(dir / (std::string(set) + "-labels-idx1-ubyte" + suffix), labels, label_bytes);
  }
  try {
    fuzz::exercise(*data::open_dataset("idx:" + dir.string(), options));
  } catch (const InputError&) {
  }
  return 0;
}
