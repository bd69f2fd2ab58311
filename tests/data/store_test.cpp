#include "featpipe/data/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <thread>

#include "featpipe/core/errors.h"
#include "test_fixtures.h"

namespace fs = std::filesystem;
using featpipe::InputError;
using featpipe::data::DatasetInfo;
using featpipe::data::DType;
using featpipe::data::StoreReader;
using featpipe::data::StoreWriter;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("featpipe_store_test_" + std::to_string(::getpid()) + "_" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  std::string temp_of(const std::string& path) const { return path + ".tmp-" + std::to_string(::getpid()); }

  // Runs a python script with Debian's h5py; returns {exit status, stdout + stderr}.
  std::pair<int, std::string> python(const std::string& script) const {
    const std::string script_path = file("script.py");
    std::ofstream(script_path) << script;
    return run(std::string(kPython) + " " + script_path);
  }

  static std::pair<int, std::string> run(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return {-1, ""};
    std::array<char, 4096> buffer;
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
  }

  static bool have_h5py() { return run(std::string(kPython) + " -c 'import h5py'").first == 0; }

  // The message of the InputError thrown by opening `path` for reading, or "" when it opens.
  static std::string open_error(const std::string& path) {
    try {
      StoreReader reader(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

std::vector<float> ramp(size_t n, float scale = 0.5f) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>(i) - 3.0f;
  return v;
}

}  // namespace

TEST_F(StoreTest, RoundTripsEveryDtypeAndAttribute) {
  const std::string path = file("all.h5");
  const nlohmann::json provenance = {{"data", "synthetic:blobs"}, {"seed", 7}, {"inputs", {{"a", 1.5}}}};
  const std::vector<float> f32 = ramp(6);
  const std::vector<double> f64 = {1e-300, -2.5, 3.0, 1e300};
  const std::vector<int32_t> i32 = {-2147483647 - 1, 0, 7, 2147483647};
  const std::vector<int64_t> i64 = {-(int64_t{1} << 62), 0, int64_t{1} << 40};
  const std::vector<uint8_t> u8 = {0, 1, 128, 255};
  const std::vector<std::string> names = {"T-shirt/top", "", "Ankle boot", "caf\xc3\xa9"};
  {
    StoreWriter writer(path, "model", provenance);
    writer.write("f32", f32.data(), {2, 3});
    writer.write("/history/f64", f64.data(), {4});
    writer.write("/i32", i32.data(), {2, 2});
    writer.write("/i64", i64.data(), {3});
    writer.write("/u8", u8.data(), {4});
    writer.write("/empty", f32.data(), {0, 3});
    writer.write_strings("/class_names", names);
    writer.set_attribute("note", "hello");
    writer.commit();
  }
  StoreReader reader(path);
  EXPECT_EQ(reader.kind(), "model");
  EXPECT_EQ(reader.version(), 1);
  EXPECT_EQ(reader.provenance(), provenance);
  EXPECT_EQ(reader.attribute("note"), "hello");
  EXPECT_EQ(reader.attribute("featpipe_version"), "1");
  EXPECT_EQ(reader.created().size(), std::string("2024-01-01T00:00:00Z").size());
  EXPECT_EQ(reader.created().back(), 'Z');
  EXPECT_THROW(reader.attribute("absent"), InputError);

  EXPECT_EQ(reader.read_floats("/f32"), f32);
  EXPECT_EQ(reader.read_doubles("/history/f64"), f64);
  EXPECT_EQ(reader.read_int32("i32"), i32);
  EXPECT_EQ(reader.read_int64("/i64"), i64);
  EXPECT_EQ(reader.read_int32("/u8"), std::vector<int32_t>(u8.begin(), u8.end()));
  EXPECT_EQ(reader.read_floats("/empty"), std::vector<float>{});
  EXPECT_EQ(reader.read_strings("/class_names"), names);

  const std::vector<DatasetInfo> list = reader.list();
  std::vector<std::string> listed;
  for (const DatasetInfo& d : list) listed.push_back(d.name);
  EXPECT_EQ(listed, (std::vector<std::string>{"/class_names", "/empty", "/f32", "/history/f64", "/i32",
                                              "/i64", "/u8"}));
  EXPECT_EQ(reader.info("/f32").dtype, DType::float32);
  EXPECT_EQ(reader.info("/f32").shape, (std::vector<uint64_t>{2, 3}));
  EXPECT_TRUE(reader.info("/f32").chunk.empty());
  EXPECT_EQ(reader.info("/history/f64").dtype, DType::float64);
  EXPECT_EQ(reader.info("/i32").dtype, DType::int32);
  EXPECT_EQ(reader.info("/i64").dtype, DType::int64);
  EXPECT_EQ(reader.info("/u8").dtype, DType::uint8);
  EXPECT_EQ(reader.info("/class_names").dtype, DType::string);
  EXPECT_TRUE(reader.has("/history"));
  EXPECT_TRUE(reader.has("history/f64"));
  EXPECT_FALSE(reader.has("/history/nothing"));
  EXPECT_FALSE(reader.has("/nothing/deeper"));

  std::vector<std::string> keys;
  for (const auto& [key, value] : reader.attributes()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"created", "featpipe_kind", "featpipe_version", "note", "provenance"}));
}

TEST_F(StoreTest, AppendInBlocksEqualsOneWrite) {
  const uint64_t cols = 5;
  const std::vector<float> all = ramp(30 * cols, 0.25f);
  const std::string path = file("rows.h5");
  {
    StoreWriter writer(path, "features", nlohmann::json::object());
    writer.write("/whole", all.data(), {30, cols});
    writer.create_rows("/grown", cols, 7);
    uint64_t begin = 0;
    for (uint64_t block : {3, 10, 0, 1, 16}) {
      writer.append_rows("/grown", all.data() + begin * cols, block);
      begin += block;
    }
    ASSERT_EQ(begin, 30u);
    writer.create_column("/labels", DType::int32);
    writer.create_column("/index", DType::int64);
    const std::vector<int32_t> labels = {1, 2, 3, 4};
    const std::vector<int64_t> index = {10, 20, 30, 40};
    writer.append_column("/labels", labels.data(), 1);
    writer.append_column("/labels", labels.data() + 1, 3);
    writer.append_column("/index", index.data(), 4);
    writer.commit();
  }
  StoreReader reader(path);
  EXPECT_EQ(reader.read_floats("/grown"), reader.read_floats("/whole"));
  EXPECT_EQ(reader.read_floats("/grown"), all);
  const DatasetInfo grown = reader.info("/grown");
  EXPECT_EQ(grown.dtype, DType::float32);
  EXPECT_EQ(grown.shape, (std::vector<uint64_t>{30, cols}));
  EXPECT_EQ(grown.chunk, (std::vector<uint64_t>{7, cols}));
  EXPECT_EQ(reader.read_int32("/labels"), (std::vector<int32_t>{1, 2, 3, 4}));
  EXPECT_EQ(reader.read_int64("/index"), (std::vector<int64_t>{10, 20, 30, 40}));
  EXPECT_EQ(reader.info("/labels").dtype, DType::int32);
  EXPECT_EQ(reader.info("/index").dtype, DType::int64);
  EXPECT_EQ(reader.info("/index").chunk.size(), 1u);
}

TEST_F(StoreTest, DefaultChunkIsAboutOneMebibyteOfRows) {
  const std::string path = file("chunks.h5");
  {
    StoreWriter writer(path, "features", nlohmann::json::object());
    writer.create_rows("/narrow", 100);
    writer.create_rows("/wide", 1 << 20);
    writer.commit();
  }
  StoreReader reader(path);
  EXPECT_EQ(reader.info("/narrow").chunk, (std::vector<uint64_t>{(1 << 20) / 400, 100}));
  EXPECT_EQ(reader.info("/wide").chunk, (std::vector<uint64_t>{1, 1 << 20}));
  EXPECT_EQ(reader.info("/wide").shape, (std::vector<uint64_t>{0, 1 << 20}));
}

TEST_F(StoreTest, ReadRowsOfAMiddleBlock) {
  const uint64_t cols = 3;
  const std::vector<float> all = ramp(20 * cols);
  const std::string path = file("middle.h5");
  {
    StoreWriter writer(path, "features", nlohmann::json::object());
    writer.create_rows("/features", cols, 4);
    writer.append_rows("/features", all.data(), 20);
    writer.commit();
  }
  StoreReader reader(path);
  std::vector<float> block(6 * cols, -1.0f);
  reader.read_rows("/features", 7, 6, block.data());
  EXPECT_EQ(block, std::vector<float>(all.begin() + 7 * cols, all.begin() + 13 * cols));
  reader.read_rows("/features", 20, 0, block.data());
  EXPECT_THROW(reader.read_rows("/features", 15, 6, block.data()), std::out_of_range);
}

TEST_F(StoreTest, ReadRowsConvertsOtherNumericTypesToFloat) {
  const std::string path = file("convert.h5");
  const std::vector<double> values = {0.5, -1.0, 2.0, 4.0};
  {
    StoreWriter writer(path, "model", nlohmann::json::object());
    writer.write("/W", values.data(), {2, 2});
    writer.commit();
  }
  StoreReader reader(path);
  std::vector<float> row(2);
  reader.read_rows("/W", 1, 1, row.data());
  EXPECT_EQ(row, (std::vector<float>{2.0f, 4.0f}));
  EXPECT_THROW(reader.read_rows("/missing", 0, 1, row.data()), InputError);
}

TEST_F(StoreTest, WriterDestroyedWithoutCommitLeavesNoFile) {
  const std::string path = file("interrupted.h5");
  {
    StoreWriter writer(path, "features", nlohmann::json::object());
    writer.create_rows("/features", 4);
    const std::vector<float> row(4, 1.0f);
    writer.append_rows("/features", row.data(), 1);
    EXPECT_TRUE(fs::exists(temp_of(path)));
    EXPECT_FALSE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(temp_of(path)));
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(StoreTest, CommitRenamesTheTemporaryFile) {
  const std::string path = file("done.h5");
  StoreWriter writer(path, "vocab", nlohmann::json::object());
  EXPECT_EQ(writer.path(), path);
  writer.commit();
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(temp_of(path)));
  EXPECT_THROW(writer.commit(), std::logic_error);
  EXPECT_EQ(StoreReader(path).kind(), "vocab");
}

TEST_F(StoreTest, MissingOutputDirectoryNamesThePath) {
  const std::string path = file("no/such/dir/out.h5");
  try {
    StoreWriter writer(path, "features", nlohmann::json::object());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

TEST_F(StoreTest, RefusesMissingFile) {
  const std::string path = file("missing.h5");
  EXPECT_EQ(open_error(path), path + ": does not exist");
}

TEST_F(StoreTest, RefusesNonHdf5File) {
  const std::string path = file("text.h5");
  std::ofstream(path) << "not an HDF5 file at all\n";
  EXPECT_NE(open_error(path).find(path + ": is not an HDF5 file"), std::string::npos) << open_error(path);
  const std::string empty = file("empty.h5");
  std::ofstream{empty};
  EXPECT_NE(open_error(empty).find("is not an HDF5 file"), std::string::npos) << open_error(empty);
}

TEST_F(StoreTest, RefusesHdf5FileWithoutKindAndOtherVersions) {
  if (!have_h5py()) GTEST_SKIP() << kPython << " has no h5py";
  const std::string plain = file("plain.h5"), v2 = file("v2.h5"), v1_text = file("v1_text.h5");
  const auto [status, output] = python(
      "import h5py, numpy as np\n"
      "with h5py.File('" +
      plain +
      "', 'w') as f:\n"
      "    f['x'] = np.arange(3)\n"
      "with h5py.File('" +
      v2 +
      "', 'w') as f:\n"
      "    f.attrs['featpipe_kind'] = 'features'\n"
      "    f.attrs['featpipe_version'] = 2\n"
      "with h5py.File('" +
      v1_text +
      "', 'w') as f:\n"
      "    f.attrs['featpipe_kind'] = np.bytes_(b'vocab')\n"  // fixed-length ASCII
      "    f.attrs['featpipe_version'] = '1'\n"
      "    f['class_names'] = np.array([b'cat', b'dog'])\n"  // fixed-length strings
      "    f.create_dataset('names', data=['x', 'yz'], dtype=h5py.string_dtype())\n");
  ASSERT_EQ(status, 0) << output;
  EXPECT_EQ(open_error(plain), plain + ": is not a featpipe store (no featpipe_kind attribute)");
  EXPECT_NE(open_error(v2).find("written by featpipe store version 2, this featpipe reads version 1"),
            std::string::npos)
      << open_error(v2);

  StoreReader reader(v1_text);
  EXPECT_EQ(reader.kind(), "vocab");
  EXPECT_EQ(reader.version(), 1);
  EXPECT_EQ(reader.read_strings("/class_names"), (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(reader.read_strings("/names"), (std::vector<std::string>{"x", "yz"}));
  EXPECT_EQ(reader.info("/class_names").dtype, DType::string);
  EXPECT_EQ(reader.provenance(), nlohmann::json::object());
  EXPECT_EQ(reader.created(), "");
}

TEST_F(StoreTest, H5pyAndH5dumpReadWhatTheWriterWrote) {
  if (!have_h5py()) GTEST_SKIP() << kPython << " has no h5py";
  const std::string path = file("shared.h5");
  const std::vector<float> rows = ramp(4 * 3);
  const std::vector<int32_t> labels = {0, 1, 1, 0};
  {
    StoreWriter writer(path, "features", {{"features", "raw"}, {"seed", 3}});
    writer.create_rows("/features", 3);
    writer.append_rows("/features", rows.data(), 4);
    writer.create_column("/labels", DType::int32);
    writer.append_column("/labels", labels.data(), 4);
    writer.write_strings("/class_names", {"cat", "dog"});
    writer.commit();
  }
  const auto [status, output] = python(
      "import h5py, json\n"
      "with h5py.File('" +
      path +
      "', 'r') as f:\n"
      "    a = f.attrs\n"
      "    assert isinstance(a['featpipe_kind'], str), type(a['featpipe_kind'])\n"
      "    assert isinstance(a['provenance'], str), type(a['provenance'])\n"
      "    print(a['featpipe_kind'], int(a['featpipe_version']), json.loads(a['provenance'])['features'])\n"
      "    print(f['features'].shape, f['features'].dtype, f['features'].chunks, f['features'].maxshape)\n"
      "    print(f['labels'].dtype, list(f['labels'][:]), f['features'][2, 1])\n"
      "    print(list(f['class_names'].asstr()[:]))\n");
  ASSERT_EQ(status, 0) << output;
  EXPECT_EQ(output,
            "features 1 raw\n"
            "(4, 3) float32 (87381, 3) (None, 3)\n"
            "int32 [0, 1, 1, 0] 0.5\n"  // rows[2 * 3 + 1] = 0.5 * 7 - 3
            "['cat', 'dog']\n");

  const auto [dump_status, dump] = run("h5dump -H " + path);
  EXPECT_EQ(dump_status, 0) << dump;
  EXPECT_NE(dump.find("featpipe_kind"), std::string::npos) << dump;
  EXPECT_NE(dump.find("H5T_CSET_UTF8"), std::string::npos) << dump;
  const auto [attr_status, attr] = run("h5dump -a /featpipe_kind " + path);
  EXPECT_EQ(attr_status, 0) << attr;
  EXPECT_NE(attr.find("\"features\""), std::string::npos) << attr;
}

TEST_F(StoreTest, MisuseIsALogicError) {
  StoreWriter writer(file("misuse.h5"), "features", nlohmann::json::object());
  const std::vector<float> row(3, 0.0f);
  EXPECT_THROW(writer.append_rows("/never_created", row.data(), 1), std::logic_error);
  writer.create_column("/labels", DType::int32);
  EXPECT_THROW(writer.append_rows("/labels", row.data(), 1), std::logic_error);
  EXPECT_THROW(writer.create_rows("/zero", 0), std::invalid_argument);
  EXPECT_THROW(writer.write("/scalar", row.data(), {}), std::invalid_argument);
  writer.write("/twice", row.data(), {3});
  EXPECT_THROW(writer.write("/twice", row.data(), {3}), InputError);
}

// Found by fuzz/fuzz_store: a store whose root group's local heap declares a negative size. HDF5 asks for
// 2^64 - 136 bytes while listing the group; the allocation fails and listing must be an InputError.
TEST_F(StoreTest, CorruptLocalHeapSizeIsAnInputError) {
  const std::string path = file("store_local_heap_size.h5");
  fs::copy_file(FEATPIPE_SOURCE_DIR "/tests/data/fuzz_regressions/store_local_heap_size.h5", path);
  const std::string msg = featpipe::testing::error_message<InputError>([&] { StoreReader(path).list(); });
  EXPECT_NE(msg.find(path + ": cannot list group /"), std::string::npos) << msg;
}

// Found by fuzz/fuzz_store: a store whose root object header holds a corrupt attribute message after good
// ones. H5Aiterate2 then crashed inside HDF5 1.10.8 (it frees table slots it never filled); listing the
// attributes must be an InputError.
TEST_F(StoreTest, CorruptAttributeMessageIsAnInputError) {
  const std::string path = file("store_corrupt_attribute.h5");
  fs::copy_file(FEATPIPE_SOURCE_DIR "/tests/data/fuzz_regressions/store_corrupt_attribute.h5", path);
  const std::string msg =
      featpipe::testing::error_message<InputError>([&] { StoreReader(path).attributes(); });
  EXPECT_NE(msg.find(path + ": cannot list the attributes"), std::string::npos) << msg;
}

// Found by fuzz/fuzz_store: a feature store whose /features header declares 4398046511107 x 25786580992
// values that the file does not hold. Reading it asked for 309 GB (the count wrapped); describing it must be
// an InputError.
TEST_F(StoreTest, ShapeBeyondTheStoredDataIsAnInputError) {
  const std::string path = file("store_huge_extent.h5");
  fs::copy_file(FEATPIPE_SOURCE_DIR "/tests/data/fuzz_regressions/store_huge_extent.h5", path);
  const std::string msg = featpipe::testing::error_message<InputError>([&] { StoreReader(path).list(); });
  EXPECT_NE(msg.find(path + ": /features declares 4398046511107 x 25786580992 values"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("; the store is damaged, rerun the stage that wrote it"), std::string::npos) << msg;
}

// Debian's HDF5 is thread-safe, and each thread has its own error stack, printed by default: a store read
// on a worker thread printed HDF5's 16-line stack before featpipe's own message.
TEST_F(StoreTest, ReadsOnAnotherThreadPrintNoHdf5Diagnostics) {
  if (!have_h5py()) GTEST_SKIP() << kPython << " has no h5py";
  const std::string path = file("compound.h5");
  const auto [status, output] = python(
      "import h5py, numpy as np\n"
      "with h5py.File('" +
      path +
      "', 'w') as f:\n"
      "    f.attrs['featpipe_kind'] = 'features'\n"
      "    f.attrs['featpipe_version'] = 1\n"
      "    pair = np.dtype([('a', 'f4'), ('b', 'f4')])\n"
      "    f['features'] = np.zeros((4, 3), dtype=pair)\n");
  ASSERT_EQ(status, 0) << output;
  const StoreReader reader(path);
  std::string message;
  ::testing::internal::CaptureStderr();
  std::thread([&] {
    std::vector<float> rows(4 * 3);
    try {
      reader.read_rows("/features", 0, 4, rows.data());
    } catch (const InputError& e) {
      message = e.what();
    }
  }).join();
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_EQ(printed.find("HDF5-DIAG"), std::string::npos) << printed;
}
