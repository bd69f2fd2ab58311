// Sharded stores (data/sharded_store.h) written by the ranks of a job, seen here from rank 0 of a job of
// two whose other rank's part is played by the test.
#include "featpipe/data/sharded_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>

#include "featpipe/core/errors.h"
#include "featpipe/data/feature_store.h"

namespace fs = std::filesystem;
using featpipe::Collective;
using featpipe::InputError;
using featpipe::data::FeatureStoreReader;
using featpipe::data::FeatureStoreWriter;

namespace {

/// Rank `rank` of a job of `size` whose other ranks all report `others` bytes from all_gather.
class ScriptedJob final : public Collective {
 public:
  ScriptedJob(int rank, int size, std::vector<std::byte> others)
      : rank_(rank), size_(size), others_(others) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::vector<std::byte> all_gather(std::span<const std::byte> mine,
                                    std::vector<std::size_t>* counts) const override {
    std::vector<std::byte> all;
    for (int r = 0; r < size_; ++r) {
      if (r == rank_) {
        all.insert(all.end(), mine.begin(), mine.end());
      } else {
        all.insert(all.end(), others_.begin(), others_.end());
      }
    }
    if (counts) counts->assign(size_, mine.size());
    return all;
  }
  void broadcast(std::vector<std::byte>&, int) const override {}
  void barrier() const override {}
  [[noreturn]] void abort(int) const override { std::abort(); }

 private:
  int rank_, size_;
  std::vector<std::byte> others_;
};

std::vector<std::byte> bytes_of(uint64_t value) {
  std::vector<std::byte> bytes(sizeof value);
  std::memcpy(bytes.data(), &value, sizeof value);
  return bytes;
}

class ShardedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("featpipe_sharded_store_test_" + std::to_string(::getpid()) + "_" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    out_ = (dir_ / "f.h5").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Rows [first, first + count) of a 3-column store: row i holds i, i + 0.5, -i.
  void write_shard(const ScriptedJob& job, uint64_t first, uint64_t count, const nlohmann::json& provenance) {
    std::vector<float> rows;
    std::vector<int32_t> labels;
    std::vector<int64_t> index;
    for (uint64_t i = first; i < first + count; ++i) {
      rows.insert(rows.end(), {float(i), float(i) + 0.5f, -float(i)});
      labels.push_back(int32_t(i % 2));
      index.push_back(int64_t(i));
    }
    FeatureStoreWriter writer(featpipe::data::shard_path(out_, job.rank()), 3, {"even", "odd"},
                              featpipe::data::shard_provenance(provenance, job, first));
    writer.append(rows.data(), labels.data(), index.data(), count);
    writer.commit();
  }

  /// Both shards written (rank 1's first, by "the other rank"), then rank 0 joins them.
  void write_two_shards(uint64_t rows0, uint64_t rows1, const nlohmann::json& provenance1) {
    const ScriptedJob rank0(0, 2, bytes_of(rows1)), rank1(1, 2, bytes_of(rows0));
    ASSERT_EQ(featpipe::data::prepare_output(rank0, out_), featpipe::data::shard_path(out_, 0));
    write_shard(rank1, rows0, rows1, provenance1);
    write_shard(rank0, 0, rows0, {{"features", "test"}});
    EXPECT_EQ(featpipe::data::join_shards(rank0, out_, rows0, {{"features", "test"}}), rows0 + rows1);
  }

  static std::string error_of(const std::function<void()>& run) {
    try {
      run();
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
  std::string out_;
};

TEST_F(ShardedStoreTest, ReadsAsOneStoreWithTheShardsRowsInRankOrder) {
  write_two_shards(5, 4, {{"features", "test"}});
  const FeatureStoreReader store(out_);
  ASSERT_EQ(store.rows(), 9u);
  ASSERT_EQ(store.dim(), 3u);
  const std::vector<float> rows = store.read_all();
  for (uint64_t i = 0; i < 9; ++i) {
    EXPECT_EQ(rows[i * 3], float(i));
    EXPECT_EQ(rows[i * 3 + 2], -float(i));
    EXPECT_EQ(store.index()[i], int64_t(i));
    EXPECT_EQ(store.labels()[i], int32_t(i % 2));
  }
  EXPECT_EQ(store.class_names(), (std::vector<std::string>{"even", "odd"}));
  EXPECT_EQ(store.provenance()["shards"], nlohmann::json({5, 4}));
  const auto sources = store.store().info("/features").sources;
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[1].file, "f.h5.shards/rank-1.h5");
  EXPECT_EQ(sources[1].first, 5u);
  EXPECT_EQ(sources[1].rows, 4u);
  // Mapped in place, shard by shard: the same rows, in spans that cover them in order.
  const std::optional<featpipe::data::MappedRows> mapped = store.map_features();
  ASSERT_TRUE(mapped.has_value());
  uint64_t next = 0;
  for (const featpipe::data::RowSpan& span : mapped->spans()) {
    ASSERT_EQ(span.first, next);
    for (uint64_t i = 0; i < span.count * 3; ++i) EXPECT_EQ(span.rows[i], rows[span.first * 3 + i]);
    next += span.count;
  }
  EXPECT_EQ(next, 9u);
  EXPECT_EQ(featpipe::data::span_of(mapped->spans(), 6)->first, 5u);  // rank 1's rows begin at row 5
  // Rows across the shards' boundary, as a block read does.
  std::vector<float> block(4 * 3);
  store.read_rows(3, 4, block.data());
  EXPECT_EQ(block[0], 3.0f);
  EXPECT_EQ(block[9], 6.0f);
}

TEST_F(ShardedStoreTest, MergeWritesOnePlainStoreWithTheSameRows) {
  write_two_shards(2, 3, {{"features", "test"}});
  const std::string merged = (dir_ / "merged.h5").string();
  EXPECT_EQ(featpipe::data::merge_store(out_, merged), 5u);
  fs::remove_all(out_ + ".shards");
  const FeatureStoreReader store(merged);
  EXPECT_TRUE(store.store().info("/features").sources.empty());
  EXPECT_EQ(store.read_all(),
            (std::vector<float>{0, 0.5f, -0.0f, 1, 1.5f, -1, 2, 2.5f, -2, 3, 3.5f, -3, 4, 4.5f, -4}));
  EXPECT_EQ(store.provenance()["merged_from"], out_);
}

TEST_F(ShardedStoreTest, AMissingOrReplacedShardIsRefusedByName) {
  write_two_shards(5, 4, {{"features", "test"}});
  const std::string shard1 = featpipe::data::shard_path(out_, 1);
  fs::rename(shard1, dir_ / "away.h5");
  std::string error = error_of([&] { FeatureStoreReader store(out_); });
  EXPECT_NE(error.find("maps rows 5 to 8 from " + shard1 + ", which is missing"), std::string::npos) << error;

  // A shard of another length in its place (a rerun's) is refused too.
  const ScriptedJob rank1(1, 2, bytes_of(5));
  write_shard(rank1, 5, 2, {{"features", "test"}});
  error = error_of([&] { FeatureStoreReader store(out_); });
  EXPECT_NE(error.find("which holds 2 x 3 values instead"), std::string::npos) << error;
}

TEST_F(ShardedStoreTest, JoiningChecksEveryShardAgainstItsRanksRowsAndProvenance) {
  // A shard of another run (another feature spec) is not joined, and no store is written.
  std::string error = error_of([&] { write_two_shards(5, 4, {{"features", "other"}}); });
  EXPECT_NE(error.find("was written by another run than rank 0's shard"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(out_));

  // A shard holding other rows than its rank reported.
  const ScriptedJob rank0(0, 2, bytes_of(6)), rank1(1, 2, bytes_of(3));
  write_shard(rank1, 3, 4, {{"features", "test"}});
  write_shard(rank0, 0, 3, {{"features", "test"}});
  error = error_of([&] { featpipe::data::join_shards(rank0, out_, 3, {{"features", "test"}}); });
  EXPECT_NE(error.find("holds 4 rows where its rank wrote 6"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(out_));
}

TEST_F(ShardedStoreTest, PreparingRemovesTheOldStoreAndTheShardsOfALargerJob) {
  write_two_shards(5, 4, {{"features", "test"}});
  ASSERT_TRUE(fs::exists(out_));
  // One process writes the store itself and touches nothing.
  EXPECT_EQ(featpipe::data::prepare_output(featpipe::single_process(), out_), out_);
  EXPECT_TRUE(fs::exists(out_));
  // Rank 0 of a job of two after a job of three: rank-1.h5 is left for rank 1, rank-2.h5 removed.
  fs::copy_file(featpipe::data::shard_path(out_, 1), featpipe::data::shard_path(out_, 2));
  const ScriptedJob rank0_of_two(0, 2, bytes_of(0));
  featpipe::data::prepare_output(rank0_of_two, out_);
  EXPECT_FALSE(fs::exists(out_));
  EXPECT_TRUE(fs::exists(featpipe::data::shard_path(out_, 1)));
  EXPECT_FALSE(fs::exists(featpipe::data::shard_path(out_, 2)));
}

}  // namespace
