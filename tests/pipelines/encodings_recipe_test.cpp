// The encodings recipe (pipelines/encodings/run.sh, Chatfield et al. 2011) runs end to end with --fast on
// small generated sets in the Fashion-MNIST and CIFAR-10 binary formats: one model per encoding, the
// compare report's encodings table (printed and in report.html) with one row per encoding whose K,
// dimension and normalisation are the recipe's and whose numbers are in range, and a rerun skips every
// stage.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "recipe_runner.h"
#include "test_fixtures.h"

namespace featpipe::testing {
namespace {

constexpr int kStages = 25;

struct Expected {
  const char* name;           // the model
  const char* method;         // the encoding and its vocabulary, as the table names them
  int k;                      // vocabulary size (--fast)
  uint64_t dim;               // feature dimension (--fast)
  const char* normalisation;  // as the table writes it
};

// --fast: 64 k-means words for bow / soft / llc over a 1:2 pyramid (5 cells; chi2 map: 3 values a value),
// 16 words of 128-d SIFT for VLAD, a 16-component GMM on PCA-64 SIFT for Fisher vectors (2 x 16 x 64).
const std::vector<Expected> kEncodings = {
    {"bow_svm", "bow (kmeans)", 64, 5 * 64 * 3, "l1 + chi2 map; sum pool, pyramid 1:2"},
    {"soft_svm", "soft (kmeans)", 64, 5 * 64 * 3, "l1 + chi2 map; sum pool, pyramid 1:2"},
    {"llc_svm", "llc (kmeans)", 64, 5 * 64, "l2; max pool, pyramid 1:2"},
    {"vlad_svm", "vlad (kmeans)", 16, 16 * 128, "power(alpha=0.5) + l2; sum pool, pyramid 1"},
    {"fv_svm", "fisher (gmm, pca 64)", 16, 2 * 16 * 64, "power(alpha=0.5) + l2; sum pool, pyramid 1"},
};

/// The rows of the encodings table in report.html: the text between <table id='encodings'> and </table>.
std::string html_encodings_table(const std::string& html) {
  const std::size_t start = html.find("<table id='encodings'>");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</table>", start) - start);
}

/// The printed encodings table: the lines after its heading, up to the first blank line.
std::string printed_encodings_table(const std::string& log) {
  const std::size_t start = log.rfind("encodings (Chatfield et al. 2011)\n");
  if (start == std::string::npos) return "";
  const std::size_t end = log.find("\n\n", start);
  return log.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

/// Runs the recipe with --fast on DATASET (after the environment assignments in env), checks its report
/// and that a rerun skips every stage.
void expect_encodings_report(const TempDir& dir, const std::string& dataset, const std::string& env) {
  const std::filesystem::path exp = dir / "exp";
  ASSERT_EQ(run_recipe("encodings", "--fast " + shell_quote(dataset), exp, dir / "log1", env), 0)
      << slurp(dir / "log1");
  const std::string log = slurp(dir / "log1");

  const nlohmann::json summary = nlohmann::json::parse(slurp(exp / "report" / "summary.json"));
  ASSERT_EQ(summary["rows"].size(), kEncodings.size()) << summary.dump(2);
  EXPECT_EQ(summary["baseline"], "bow_svm");
  const std::string table = printed_encodings_table(log);
  const std::string html = html_encodings_table(slurp(exp / "report" / "report.html"));
  EXPECT_EQ(count_lines_with(html, "<tr>"), int(kEncodings.size()) + 1) << html;
  for (std::size_t i = 0; i < kEncodings.size(); ++i) {
    const Expected& want = kEncodings[i];
    const nlohmann::json& row = summary["rows"][i];
    SCOPED_TRACE(want.name);
    EXPECT_EQ(row["name"], want.name);
    EXPECT_EQ(row["encoding"]["method"], want.method);
    EXPECT_EQ(row["encoding"]["k"], want.k);
    EXPECT_EQ(row["encoding"]["normalisation"], want.normalisation);
    EXPECT_EQ(row["dim"], want.dim);
    // accuracies are fractions, the test one inside its Wilson interval (whose end at 1 may round below it)
    const double val = row["val_acc"], test = row["test_acc"], low = row["test_ci"][0],
                 high = row["test_ci"][1];
    constexpr double kRounding = 1e-12;
    EXPECT_GE(val, 0.0);
    EXPECT_LE(val, 1.0);
    EXPECT_LE(0.0, low);
    EXPECT_LE(low, test + kRounding);
    EXPECT_LE(test, high + kRounding);
    EXPECT_LT(high - low, 0.5) << "the interval of " << row["test_rows"] << " test images";
    EXPECT_LE(high, 1.0);
    EXPECT_GT(row["times"]["encode"].get<double>(), 0.0);
    // the classes are learnable: every encoding beats chance (10 classes) on the validation split
    EXPECT_GT(val, 0.2);

    // one line of the printed table and one row of the page's, with the method, K, dimension and norm
    const std::string dim = std::to_string(want.dim);
    int lines = 0;
    for (std::size_t at = table.find("\n" + std::string(want.name) + " "); at != std::string::npos;
         at = table.find("\n" + std::string(want.name) + " ", at + 1)) {
      const std::string line = table.substr(at + 1, table.find('\n', at + 1) - at - 1);
      EXPECT_TRUE(contains(line, want.method) && contains(line, " " + std::to_string(want.k) + " ") &&
                  contains(line, " " + dim + " ") && contains(line, want.normalisation))
          << line;
      ++lines;
    }
    EXPECT_EQ(lines, 1) << table;
    EXPECT_TRUE(contains(html, "<tr><td>" + std::string(want.name) + "</td><td>" + want.method + "</td><td>" +
                                   std::to_string(want.k) + "</td><td>" + dim + "</td><td>" +
                                   want.normalisation + "</td>"))
        << html;
  }

  ASSERT_EQ(run_recipe("encodings", "--fast " + shell_quote(dataset), exp, dir / "log2", env), 0)
      << slurp(dir / "log2");
  const std::string rerun = slurp(dir / "log2");
  EXPECT_EQ(count_lines_with(rerun, "is up to date, skipped"), kStages) << rerun;
  EXPECT_EQ(count_lines_with(rerun, "rerun"), 0) << rerun;
  EXPECT_EQ(printed_encodings_table(rerun), table) << "the rerun prints the same table";
}

TEST(EncodingsRecipe, FashionMnistFormatReportsOneRowPerEncoding) {
  TempDir dir;
  write_idx_dataset(dir / "fashion", {.train = 500, .test = 60});
  expect_encodings_report(dir, "fashion-mnist",
                          "FEATPIPE_FASHION_MNIST=" + shell_quote((dir / "fashion").string()));
}

TEST(EncodingsRecipe, Cifar10ReportsOneRowPerEncoding) {
  TempDir dir;
  write_cifar10_dataset(dir / "cifar", {.per_batch = 100, .test = 60});
  expect_encodings_report(dir, "cifar10:" + (dir / "cifar").string(), "");
}

TEST(EncodingsRecipe, WithoutADatasetStopsWithItsUsage) {
  TempDir dir;
  const std::filesystem::path exp = dir / "exp";
  for (const char* args : {"--fast", "--fast fashion-mnist cifar10:/x"}) {
    EXPECT_EQ(run_recipe("encodings", args, exp, dir / "log"), 2) << args;
    const std::string log = slurp(dir / "log");
    EXPECT_TRUE(contains(log, "usage: ") && contains(log, "DATASET")) << log;
    EXPECT_FALSE(std::filesystem::exists(exp)) << "no stage may start";
  }
}

}  // namespace
}  // namespace featpipe::testing
