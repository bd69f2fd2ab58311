// docs/bad-inputs.md checks itself: every `Suite.Name` in the Test column of its tables is a test registered
// in one of the test executables (build/tests/*_tests), and the table keeps at least kMinRows rows, so a
// renamed or deleted test cannot leave the table promising a check that no longer runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr const char* kTable = FEATPIPE_SOURCE_DIR "/docs/bad-inputs.md";
constexpr std::size_t kMinRows = 40;

struct Row {
  int line = 0;                    // 1-based line in the table file
  std::string bad_input;           // the first cell, to name the row in failures
  std::vector<std::string> tests;  // every `Suite.Name` of the Test column
  std::vector<std::string> other;  // backticked text in the Test column that is not a test name
};

/// The cells of a Markdown table line "| a | b |", trimmed.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|' && line[i - 1] != '\\') {
      const auto first = cell.find_first_not_of(' '), last = cell.find_last_not_of(' ');
      out.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return out;
}

bool is_separator(const std::string& line) {
  return line.rfind("|-", 0) == 0 || line.rfind("| -", 0) == 0 || line.rfind("|:", 0) == 0;
}

/// The data rows of every table with a "Test" column.
std::vector<Row> read_table(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::regex test_name("^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$");
  std::vector<Row> rows;
  int test_column = -1;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.empty() || line[0] != '|') {
      test_column = -1;
      continue;
    }
    if (is_separator(line)) {
      const std::vector<std::string> header = i > 0 ? cells(lines[i - 1]) : std::vector<std::string>{};
      test_column = -1;
      for (std::size_t c = 0; c < header.size(); ++c)
        if (header[c] == "Test") test_column = int(c);
      continue;
    }
    if (test_column < 0 || (i + 1 < lines.size() && is_separator(lines[i + 1]))) continue;  // a header
    const std::vector<std::string> row_cells = cells(line);
    Row row;
    row.line = int(i + 1);
    row.bad_input = row_cells.empty() ? "" : row_cells[0];
    const std::string test_cell = test_column < int(row_cells.size()) ? row_cells[test_column] : "";
    for (std::size_t open = test_cell.find('`'); open != std::string::npos;) {
      const std::size_t close = test_cell.find('`', open + 1);
      if (close == std::string::npos) break;
      const std::string name = test_cell.substr(open + 1, close - open - 1);
      (std::regex_match(name, test_name) ? row.tests : row.other).push_back(name);
      open = test_cell.find('`', close + 1);
    }
    rows.push_back(row);
  }
  return rows;
}

/// The test executables next to the featpipe binary: <build>/tests/*_tests.
std::vector<fs::path> test_executables() {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(FEATPIPE_BINARY).parent_path() / "tests";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 6 && name.ends_with("_tests") &&
        ::access(entry.path().c_str(), X_OK) == 0)
      out.push_back(entry.path());
  }
  return out;
}

/// Adds every test `exe --gtest_list_tests` lists, as "Suite.Name". Parameterised tests are listed as
/// "Prefix/Suite." with names "Name/N  # GetParam() = ..." and typed ones as "Suite/N."; each is added
/// under every part of its suite and its name without the "/N", so the table names them as written in
/// the source.
void add_registered(const fs::path& exe, std::set<std::string>& registered) {
  FILE* pipe = ::popen(("'" + exe.string() + "' --gtest_list_tests 2>/dev/null").c_str(), "r");
  ASSERT_NE(pipe, nullptr) << exe;
  std::vector<std::string> suites;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line = buffer;
    line = line.substr(0, line.find('#'));
    line.erase(line.find_last_not_of(" \n\r") + 1);
    if (line.empty()) continue;
    if (line[0] != ' ') {
      suites.clear();
      if (line.back() != '.') continue;  // "Running main() from ..."
      const std::string suite = line.substr(0, line.size() - 1);
      suites.push_back(suite);
      if (suite.find('/') == std::string::npos) continue;
      std::stringstream parts(suite);
      for (std::string part; std::getline(parts, part, '/');) suites.push_back(part);
      continue;
    }
    const std::string name = line.substr(line.find_first_not_of(' '));
    for (const std::string& suite : suites) {
      registered.insert(suite + "." + name);
      registered.insert(suite + "." + name.substr(0, name.find('/')));
    }
  }
  ::pclose(pipe);
}

TEST(BadInputTable, EveryRowNamesATestAndTheTableIsComplete) {
  ASSERT_TRUE(fs::exists(kTable)) << kTable;
  const std::vector<Row> rows = read_table(kTable);
  EXPECT_GE(rows.size(), kMinRows) << kTable << " has only " << rows.size() << " rows";
  for (const Row& row : rows) {
    if (row.tests.empty())
      ADD_FAILURE() << kTable << ":" << row.line << ": '" << row.bad_input << "' names no test";
    for (const std::string& text : row.other)
      ADD_FAILURE() << kTable << ":" << row.line << ": `" << text << "` in the Test column is not Suite.Name";
  }
}

TEST(BadInputTable, EveryNamedTestIsRegistered) {
  const std::vector<fs::path> executables = test_executables();
  ASSERT_FALSE(executables.empty()) << "no *_tests next to " << FEATPIPE_BINARY;
  std::set<std::string> registered;
  std::string searched;
  for (const fs::path& exe : executables) {
    add_registered(exe, registered);
    searched += " " + exe.filename().string();
  }
  // and the tests CTest runs as commands (the shell tests under mpiexec: tests/mpi/)
  std::ifstream cmake_lists(FEATPIPE_SOURCE_DIR "/tests/CMakeLists.txt");
  const std::regex add_test("add_test\\(NAME ([A-Za-z0-9_.]+)");
  for (std::string line; std::getline(cmake_lists, line);) {
    std::smatch match;
    if (std::regex_search(line, match, add_test)) registered.insert(match[1]);
  }
  searched += " tests/CMakeLists.txt";
  for (const Row& row : read_table(kTable)) {
    for (const std::string& test : row.tests) {
      if (!registered.count(test))
        ADD_FAILURE() << kTable << ":" << row.line << ": " << test << " is not a registered test (searched"
                      << searched << ")";
    }
  }
}

}  // namespace
