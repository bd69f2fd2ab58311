// HDF5's own error stack (HDF5-DIAG lines) never reaches the user: featpipe turns HDF5's printing off on
// every thread that uses a store and reports the failure in its own words. Debian's thread-safe HDF5 keeps
// that setting per thread, and training reads its rows on a worker thread.
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "test_fixtures.h"

namespace {

using featpipe::testing::CliResult;
using featpipe::testing::contains;
using featpipe::testing::run_featpipe;
using featpipe::testing::TempDir;

TEST(Hdf5Messages, CompoundFeaturesAreRefusedWithoutHdf5Diagnostics) {
  TempDir dir;
  const std::string store = (dir / "compound.h5").string();
  const std::string script =
      "import h5py, numpy as np\n"
      "with h5py.File('" +
      store +
      "', 'w') as f:\n"
      "    f.attrs['featpipe_kind'] = 'features'\n"
      "    f.attrs['featpipe_version'] = 1\n"
      "    pair = np.dtype([('a', 'f4'), ('b', 'f4')])\n"
      "    f['features'] = np.zeros((10, 3), dtype=pair)\n"
      "    f['labels'] = np.zeros(10, 'i4')\n"
      "    f['index'] = np.arange(10, dtype='i8')\n"
      "    f['class_names'] = [b'a', b'b']\n";
  ASSERT_EQ(std::system(("/usr/bin/python3 -c " + featpipe::testing::shell_quote(script)).c_str()), 0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"train", "--quiet", "--train", store, "--out", (dir / "m.h5").string()},
        std::vector<std::string>{"inspect", "--rows", "2", store}}) {
    const CliResult r = run_featpipe(args, dir.path());
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "featpipe: error: " + store)) << args[0] << ": " << r.err;
    EXPECT_FALSE(contains(r.err, "HDF5-DIAG")) << args[0] << ": " << r.err;
  }
}

}  // namespace
