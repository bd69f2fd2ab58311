// BatchGradient::update: the optimiser's step on the parameters, each group of rows of the weights on its
// thread, equals the optimiser's whole step for both layouts (narrow and row kernels) and any thread
// count, and reports a parameter that is no longer finite wherever it is.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "../../classify/src/batch_gradient.h"
#include "featpipe/classify/finite_check.h"
#include "featpipe/classify/optimizer.h"

namespace featpipe::classify {
namespace {

TEST(BatchGradientUpdate, EqualsTheOptimizersWholeStep) {
  const int dim = 23;
  for (int classes : {2, 3, 10, 17}) {  // narrow layouts, and a padded one for the row kernels
    for (int threads : {1, 2, 3}) {
      TrainParams p;
      p.batch = 64;
      BatchGradient step(p, dim, classes, threads);
      const OptimizerParams adam{OptimizerKind::adam};
      auto split = make_optimizer(adam, step.param_size()), whole = make_optimizer(adam, step.param_size());
      Eigen::VectorXf x = Eigen::VectorXf::Random(step.param_size()), y = x;
      for (int t = 0; t < 3; ++t) {
        const Eigen::VectorXf g = Eigen::VectorXf::Random(step.param_size());
        ASSERT_TRUE(step.update(*split, x, g, 0.01f));
        whole->step(y, g, 0.01f);
        ASSERT_TRUE(x.isApprox(y, 1e-6f)) << classes << " classes, " << threads << " threads, step " << t;
      }
    }
  }
}

TEST(BatchGradientUpdate, ReportsAParameterThatIsNoLongerFinite) {
  const int dim = 23, classes = 10;
  for (int threads : {1, 2}) {
    TrainParams p;
    p.batch = 64;
    BatchGradient step(p, dim, classes, threads);
    // a weight in either group of rows, and a bias
    for (Eigen::Index at :
         {Eigen::Index(0), Eigen::Index(dim * classes - 1), Eigen::Index(dim * classes + 3)}) {
      auto sgd = make_optimizer({OptimizerKind::sgd}, step.param_size());
      Eigen::VectorXf x = Eigen::VectorXf::Zero(step.param_size()),
                      g = Eigen::VectorXf::Ones(step.param_size());
      g[at] = std::numeric_limits<float>::infinity();
      EXPECT_FALSE(step.update(*sgd, x, g, 0.1f)) << "parameter " << at << ", " << threads << " threads";
      g[at] = 1.0f;
      x[at] = 0.0f;
      EXPECT_TRUE(step.update(*sgd, x, g, 0.1f));
    }
  }
}

}  // namespace
}  // namespace featpipe::classify
