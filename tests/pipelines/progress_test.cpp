// The progress bar's line fits the terminal: a line wider than the terminal wraps, and every redraw (a
// carriage return and "erase to the end of the line") then leaves a broken line behind.
#include "featpipe/pipelines/progress.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using featpipe::pipelines::fit_progress_line;

const std::string kTail = "  42% 84/200 1234 img/s ETA 00:03";

TEST(ProgressLine, AWideTerminalGetsTheWholeLabelAndBar) {
  const std::string line = fit_progress_line("extract hog(cell=4)+lbp", 0.42, kTail, 200);
  EXPECT_EQ(line, "extract hog(cell=4)+lbp [############..................]" + kTail);
}

TEST(ProgressLine, ANarrowTerminalShortensTheBarThenTheLabel) {
  const std::string label =
      "extract hog(cell=4,bins=9,variant=uoctti)+huehist(bins=12,pyramid=1:2:4)+lbp(cell=8)";
  for (int columns : {120, 100, 80, 60, 40, 20, 5, 1}) {
    const std::string line = fit_progress_line(label, 0.5, kTail, columns);
    EXPECT_LE(int(line.size()), std::max(columns - 1, 1)) << columns << ": " << line;
    if (columns >= 80) {
      EXPECT_NE(line.find("..."), std::string::npos) << line;  // the label was shortened, not the numbers
      EXPECT_NE(line.find(kTail), std::string::npos) << line;
      EXPECT_NE(line.find("[#"), std::string::npos) << line;
    }
  }
  // the label goes whole when it fits beside a narrower bar
  const std::string narrow = fit_progress_line("extract raw", 1.0, kTail, 60);
  EXPECT_EQ(narrow.substr(0, 12), "extract raw ");
  EXPECT_LE(int(narrow.size()), 59);
}

}  // namespace
