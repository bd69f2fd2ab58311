// Rows of a store read in place (StoreReader::map_rows): the spans cover the dataset in order and hold
// exactly what read_rows reads, for featpipe's chunked stores (a partial last chunk included) and for
// contiguous datasets; released rows read the same again; and every dataset whose bytes are not its rows
// as they are (compressed, big-endian, float64, chunks split across columns) is not mapped and still
// reads through read_rows.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "featpipe/core/errors.h"
#include "featpipe/data/store.h"
#include "test_fixtures.h"

namespace featpipe::data {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

std::vector<float> ramp(uint64_t n) {
  std::vector<float> v(n);
  for (uint64_t i = 0; i < n; ++i) v[i] = 0.25f * static_cast<float>(i) - 7.0f;
  return v;
}

/// Every row of every span equals the rows read_rows gives, and the spans cover [0, rows) in order.
void expect_spans_match_read_rows(const StoreReader& reader, const MappedRows& mapped,
                                  const std::string& name) {
  const DatasetInfo info = reader.info(name);
  const uint64_t rows = info.shape[0], cols = info.shape[1];
  std::vector<float> expected(rows * cols);
  reader.read_rows(name, 0, rows, expected.data());
  uint64_t next = 0;
  for (const RowSpan& span : mapped.spans()) {
    ASSERT_EQ(span.first, next);
    ASSERT_GT(span.count, 0u);
    for (uint64_t i = 0; i < span.count * cols; ++i)
      ASSERT_EQ(span.rows[i], expected[span.first * cols + i]) << "row " << span.first + i / cols;
    next += span.count;
  }
  EXPECT_EQ(next, rows);
}

bool run_python(const std::string& dir, const std::string& script) {
  const std::string path = dir + "/script.py";
  std::ofstream(path) << script;
  return std::system((std::string(kPython) + " " + path + " > " + dir + "/python.log 2>&1").c_str()) == 0;
}

TEST(StoreMap, ChunkedRowsInPlaceOneSpanPerChunk) {
  testing::TempDir dir;
  const std::string path = (dir / "rows.h5").string();
  const uint64_t rows = 50, cols = 6, chunk = 7;  // the last chunk holds one row
  const std::vector<float> all = ramp(rows * cols);
  {
    StoreWriter writer(path, "features", nlohmann::json::object());
    writer.create_rows("/features", cols, chunk);
    writer.append_rows("/features", all.data(), 20);
    writer.append_rows("/features", all.data() + 20 * cols, rows - 20);
    writer.commit();
  }
  const StoreReader reader(path);
  std::optional<MappedRows> mapped = reader.map_rows("/features");
  ASSERT_TRUE(mapped.has_value());
  ASSERT_EQ(mapped->spans().size(), (rows + chunk - 1) / chunk);
  for (const RowSpan& span : mapped->spans()) EXPECT_EQ(span.count, std::min(chunk, rows - span.first));
  expect_spans_match_read_rows(reader, *mapped, "/features");
  // released rows come back from the page cache when touched again
  mapped->release(0, rows);
  mapped->release(10, 3);
  expect_spans_match_read_rows(reader, *mapped, "/features");
  // a moved map still reads
  MappedRows moved = std::move(*mapped);
  expect_spans_match_read_rows(reader, moved, "/features");
}

TEST(StoreMap, ContiguousDatasetIsOneSpan) {
  testing::TempDir dir;
  const std::string path = (dir / "whole.h5").string();
  const std::vector<float> all = ramp(9 * 4);
  {
    StoreWriter writer(path, "model", nlohmann::json::object());
    writer.write("/W", all.data(), {9, 4});
    writer.commit();
  }
  const StoreReader reader(path);
  ASSERT_TRUE(reader.info("/W").chunk.empty());  // whole arrays are written contiguous
  const std::optional<MappedRows> mapped = reader.map_rows("/W");
  ASSERT_TRUE(mapped.has_value());
  EXPECT_EQ(mapped->spans().size(), 1u);
  expect_spans_match_read_rows(reader, *mapped, "/W");
}

TEST(StoreMap, OtherLayoutsAndTypesAreNotMappedAndStillRead) {
  if (std::system((std::string(kPython) + " -c 'import h5py' > /dev/null 2>&1").c_str()) != 0)
    GTEST_SKIP() << kPython << " has no h5py";
  testing::TempDir dir;
  const std::string path = (dir / "layouts.h5").string();
  ASSERT_TRUE(
      run_python(dir.str(),
                 "import h5py, numpy as np\n"
                 "x = (np.arange(40 * 6, dtype=np.float32).reshape(40, 6) - 11) / 4\n"
                 "with h5py.File('" +
                     path +
                     "', 'w') as f:\n"
                     "    f.attrs['featpipe_kind'] = 'features'\n"
                     "    f.attrs['featpipe_version'] = 1\n"
                     "    f['contiguous'] = x\n"
                     "    f.create_dataset('chunked', data=x, chunks=(8, 6))\n"
                     "    f.create_dataset('gzip', data=x, chunks=(8, 6), compression='gzip')\n"
                     "    f.create_dataset('shuffled', data=x, chunks=(8, 6), shuffle=True)\n"
                     "    f.create_dataset('big_endian', data=x.astype('>f4'))\n"
                     "    f.create_dataset('float64', data=x.astype(np.float64))\n"
                     "    f.create_dataset('column_chunks', data=x, chunks=(8, 3))\n"
                     "    d = f.create_dataset('unwritten', shape=(40, 6), chunks=(8, 6), dtype='f4')\n"
                     "    d[0:8] = x[0:8]\n"))
      << "python failed; see " << (dir / "python.log");
  const StoreReader reader(path);
  for (const char* name : {"/contiguous", "/chunked"}) {
    const std::optional<MappedRows> mapped = reader.map_rows(name);
    ASSERT_TRUE(mapped.has_value()) << name;
    expect_spans_match_read_rows(reader, *mapped, name);
  }
  std::vector<float> contiguous(40 * 6), other(40 * 6);
  reader.read_rows("/contiguous", 0, 40, contiguous.data());
  for (const char* name : {"/gzip", "/shuffled", "/big_endian", "/float64", "/column_chunks"}) {
    EXPECT_FALSE(reader.map_rows(name).has_value()) << name;
    reader.read_rows(name, 0, 40, other.data());
    EXPECT_EQ(other, contiguous) << name;
  }
  // chunks never written: StoreReader refuses the dataset before it could be mapped
  EXPECT_THROW(reader.map_rows("/unwritten"), featpipe::InputError);
  // a name that is no dataset is the same error as for read_rows
  EXPECT_THROW(reader.map_rows("/missing"), featpipe::InputError);
}

}  // namespace
}  // namespace featpipe::data
