// The CIFAR-10 binary batch reader (cifar10:DIR). Input: one flag byte (bit 0: --resize 5x7; bit 1: the
// files sit in DIR/cifar-10-batches-bin), one length byte m, m bytes of batches.meta.txt, then the batch,
// written as each of data_batch_1..5.bin and test_batch.bin.
#include "featpipe/core/errors.h"
#include "fuzz_dataset.h"
#include "fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace featpipe;
  if (size < 2) return 0;
  data::OpenOptions options;
  if (data[0] & 1) options.resize = cv::Size(5, 7);
  const bool nested = data[0] & 2;
  const std::size_t meta_bytes = std::min<std::size_t>(data[1], size - 2);
  const uint8_t* meta = data + 2;
  const uint8_t* batch = meta + meta_bytes;
  const std::size_t batch_bytes = size - 2 - meta_bytes;

  const fuzz::fs::path dir = fuzz::scratch_dir() / "cifar10";
  fuzz::fs::remove_all(dir);
  const fuzz::fs::path files = nested ? dir / "cifar-10-batches-bin" : dir;
  fuzz::write_file(files / "batches.meta.txt", meta, meta_bytes);
  for (const char* name : {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                           "data_batch_5.bin", "test_batch.bin"}) {
    fuzz::write_file(files / name, batch, batch_bytes);
  }
  try {
    fuzz::exercise(*data::open_dataset("cifar10:" + dir.string(), options));
  } catch (const InputError&) {
  }
  return 0;
}
