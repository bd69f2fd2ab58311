// `featpipe extract --kernel-map rbf(...)`: the store holds the random Fourier features of the extracted
// vectors, records the map for predict, and anything but a random feature map is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "cli_runner.h"
#include "featpipe/data/feature_store.h"
#include "featpipe/vocab/rbf_map.h"
#include "test_fixtures.h"

namespace featpipe {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::contains;
using testing::run_featpipe;
using testing::TempDir;

constexpr const char* kData = "synthetic:shapes(classes=3,train=30,test=9,size=16)";

class ExtractKernelMap : public ::testing::Test {
 protected:
  TempDir dir_;

  CliResult extract(const std::string& out, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"extract",     "--data", kData,
                                     "--split",     "test",   "--features",
                                     "hog(cell=4)", "--out",  (dir_ / out).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_featpipe(args, dir_.path());
  }

  std::vector<float> rows(const std::string& name, std::size_t& dim) {
    data::FeatureStoreReader reader((dir_ / name).string());
    dim = reader.dim();
    std::vector<float> out(reader.rows() * dim);
    reader.read_rows(0, reader.rows(), out.data());
    return out;
  }
};

TEST_F(ExtractKernelMap, StoresTheMapOfTheExtractedFeatures) {
  ASSERT_EQ(extract("plain.h5", {}).exit_code, 0);
  const CliResult r = extract("mapped.h5", {"--kernel-map", "rbf(gamma=0.5,dim=48,seed=4)"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t plain_dim = 0, mapped_dim = 0;
  const std::vector<float> plain = rows("plain.h5", plain_dim), mapped = rows("mapped.h5", mapped_dim);
  ASSERT_EQ(mapped_dim, 48u);
  EXPECT_EQ(data::FeatureStoreReader((dir_ / "mapped.h5").string()).provenance().value("kernel_map", ""),
            "rbf(dim=48,gamma=0.5,seed=4)");
  const vocab::RbfMap map({0.5, 48, 4}, plain_dim);
  std::vector<float> expected(48);
  // The store maps its rows by blocks; each row has the bits of the map of that row alone.
  for (std::size_t i = 0; i < 9; ++i) {
    map.map(plain.data() + i * plain_dim, expected.data());
    for (std::size_t j = 0; j < 48; ++j) EXPECT_EQ(mapped[i * 48 + j], expected[j]) << i << ", " << j;
  }
}

TEST_F(ExtractKernelMap, RefusesHomogeneousMapsAndBadParameters) {
  for (const char* bad : {"chi2", "rbf(gamma=0)", "rbf(dim=0)"}) {
    const CliResult r = extract("X.h5", {"--kernel-map", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: --kernel-map: ")) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "X.h5")) << bad;
  }
  EXPECT_TRUE(
      contains(extract("X.h5", {"--kernel-map", "chi2"}).err, "homogeneous kernel maps are for encode"));
}

}  // namespace
}  // namespace featpipe
