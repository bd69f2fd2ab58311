// The encoding options turned into parameters with errors naming the option as each front end spells it.
#include "featpipe/pipelines/encoding_options.h"

#include <gtest/gtest.h>

#include "featpipe/core/errors.h"

namespace featpipe::pipelines {
namespace {

std::string error_of(const EncodingChoice& choice, OptionStyle style) {
  try {
    encoding_params(choice, style);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(EncodingOptions, DefaultsAndChoicesBecomeParameters) {
  const vocab::EncodingParams bow = encoding_params({}, OptionStyle::python);
  EXPECT_EQ(bow.encoder.encoding, vocab::EncodingKind::bow);
  EXPECT_EQ(bow.encoder.pyramid, (std::vector<features::PyramidLevel>{{1, 1}}));
  EXPECT_EQ(bow.norm.size(), vocab::default_norm(vocab::EncodingKind::bow).size());
  EXPECT_FALSE(bow.kernel_map);
  EncodingChoice choice;
  choice.encoding = "vlad";
  choice.pyramid = "1:2:3x1";
  choice.kernel_map = "chi2";
  choice.kernel_order = 2;
  const vocab::EncodingParams vlad = encoding_params(choice, OptionStyle::command_line);
  EXPECT_EQ(vlad.encoder.pyramid, (std::vector<features::PyramidLevel>{{1, 1}, {2, 2}, {3, 1}}));
  ASSERT_TRUE(vlad.kernel_map);
  EXPECT_EQ(vlad.kernel_map->order, 2);
}

TEST(EncodingOptions, ErrorsNameTheOptionAsTheFrontEndSpellsIt) {
  EXPECT_EQ(option_name("kernel_map", OptionStyle::command_line), "--kernel-map");
  EXPECT_EQ(option_name("kernel_map", OptionStyle::python), "kernel_map");
  EncodingChoice choice;
  choice.kernel_map = "rbf(gamma=-1)";
  EXPECT_EQ(error_of(choice, OptionStyle::command_line).rfind("--kernel-map: ", 0), 0u);
  EXPECT_EQ(error_of(choice, OptionStyle::python).rfind("kernel_map: ", 0), 0u);
  choice = {};
  choice.pyramid = "1:x";
  EXPECT_EQ(error_of(choice, OptionStyle::python).rfind("pyramid: ", 0), 0u);
  choice.pyramid = "1:2:2x2";  // a level repeated
  EXPECT_EQ(error_of(choice, OptionStyle::command_line).rfind("--pyramid: ", 0), 0u);
  choice = {};
  choice.encoding = "sparse";
  EXPECT_EQ(error_of(choice, OptionStyle::command_line).rfind("--encoding: ", 0), 0u);
  choice = {};
  choice.kernel_map = "chi2";
  choice.kernel_order = 0;
  EXPECT_EQ(error_of(choice, OptionStyle::python).rfind("kernel_order: ", 0), 0u);
  choice = {};
  choice.encoding = "llc";
  choice.llc_knn = 0;
  EXPECT_EQ(error_of(choice, OptionStyle::command_line).rfind("--llc-knn: ", 0), 0u);
  choice.llc_knn = 5;
  choice.llc_beta = 0;
  EXPECT_EQ(error_of(choice, OptionStyle::python).rfind("llc_beta: ", 0), 0u);
}

TEST(EncodingOptions, LlcPoolsByMaxUnlessToldAndRbfIsAKernelMap) {
  EncodingChoice choice;
  choice.encoding = "llc";
  EXPECT_EQ(encoding_params(choice, OptionStyle::command_line).encoder.pooling, vocab::Pooling::max);
  choice.pool = "sum";
  EXPECT_EQ(encoding_params(choice, OptionStyle::command_line).encoder.pooling, vocab::Pooling::sum);
  choice = {};
  EXPECT_EQ(encoding_params(choice, OptionStyle::command_line).encoder.pooling, vocab::Pooling::sum);
  choice.kernel_map = "rbf(gamma=2,dim=64)";
  const vocab::EncodingParams p = encoding_params(choice, OptionStyle::command_line);
  ASSERT_TRUE(p.rbf_map);
  EXPECT_FALSE(p.kernel_map);
  EXPECT_EQ(p.rbf_map->gamma, 2.0);
  EXPECT_EQ(p.rbf_map->dim, 64);
  choice.kernel_map = "rbg";
  EXPECT_NE(error_of(choice, OptionStyle::command_line).find("known: chi2, intersection, rbf"),
            std::string::npos);
}

}  // namespace
}  // namespace featpipe::pipelines
