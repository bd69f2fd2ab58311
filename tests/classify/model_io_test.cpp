// load_model refuses a model whose parameters are not finite numbers, or whose standardisation divides by a
// scale that is not positive: such a model scores every row NaN (or infinite), and predict, eval and compare
// answered the first class, an accuracy and a report, all with exit 0.
#include "featpipe/classify/model_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "featpipe/core/errors.h"
#include "test_fixtures.h"

namespace featpipe::classify {
namespace {

using featpipe::testing::TempDir;

LinearModel small_model() {
  LinearModel m;
  m.W = RowMatrix<float>::Constant(3, 2, 0.5f);
  m.b = RowVector<float>::Zero(2);
  m.preprocess.mean = {0, 1, 2};
  m.preprocess.std = {1, 2, 3};
  m.class_names = {"cat", "dog"};
  return m;
}

/// The message load_model gives for the model changed by `spoil`.
std::string refusal(const std::function<void(LinearModel&)>& spoil) {
  const TempDir dir;
  const std::string path = (dir / "m.h5").string();
  LinearModel m = small_model();
  spoil(m);
  save_model(path, m, {}, nlohmann::json::object());
  try {
    load_model(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ModelIo, AFiniteModelRoundTrips) {
  const TempDir dir;
  const std::string path = (dir / "m.h5").string();
  save_model(path, small_model(), {}, nlohmann::json::object());
  const ModelFile f = load_model(path);
  EXPECT_EQ(f.model.W, small_model().W);
  EXPECT_EQ(f.model.preprocess.std, small_model().preprocess.std);
}

TEST(ModelIo, RefusesNonFiniteParametersAndScalesThatAreNotPositive) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  EXPECT_NE(refusal([&](LinearModel& m) { m.W(1, 1) = nan; }).find("/W holds NaN or infinite"),
            std::string::npos);
  EXPECT_NE(refusal([&](LinearModel& m) { m.b(0) = -inf; }).find("/b holds NaN or infinite"),
            std::string::npos);
  EXPECT_NE(refusal([&](LinearModel& m) { m.preprocess.mean[2] = nan; }).find("/preprocess/mean holds"),
            std::string::npos);
  for (float scale : {0.0f, -1.0f, nan, inf}) {
    EXPECT_NE(refusal([&](LinearModel& m) {
                m.preprocess.std[1] = scale;
              }).find("/preprocess/std holds a scale that is not a positive number"),
              std::string::npos)
        << scale;
  }
}

}  // namespace
}  // namespace featpipe::classify
