// featpipe gradcheck: numerical against analytic gradients for every loss x regulariser, each term on its
// own and the sum, in double precision; exits 3 when any relative error is above 1e-6.
#include <cstdio>

#include "commands.h"
#include "featpipe/classify/gradient_check.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/core/memory.h"
#include "featpipe/pipelines/cli.h"

namespace featpipe::pipelines {

int run_gradcheck(const std::vector<std::string>& args) {
  po::options_description options("gradcheck options");
  classify::GradientCheckParams p;
  options.add_options()                                                                     //
      ("rows", po::value(&p.rows)->default_value(p.rows), "samples of the random problem")  //
      ("dim", po::value(&p.dim)->default_value(p.dim), "features")                          //
      ("classes", po::value(&p.classes)->default_value(p.classes), "classes")               //
      ("lambda", po::value(&p.lambda)->default_value(p.lambda), "regularisation strength")  //
      ("delta", po::value(&p.delta)->default_value(p.delta), "svm / squared-hinge margin")  //
      ("step", po::value(&p.step)->default_value(p.step), "central-difference step h");
  CommonOptions common;
  auto vm = parse_command_line("gradcheck", "[--rows N --dim D --classes K --lambda L --step H]", args,
                               options, {}, common);
  if (!vm) return 0;
  // The option schema bounds --dim, --classes, --delta and --step; --rows (0 is a count elsewhere) and
  // --lambda (0 would leave the regulariser's gradient unchecked) need more here.
  if (p.rows < 1) throw InputError("--rows", "must be >= 1");
  if (!(p.lambda > 0)) throw InputError("--lambda", "must be > 0 (the regulariser gradients are checked)");
  // In double: the data, two score matrices, and four vectors of the (D + 1) x K parameters.
  const long double n = p.rows, d = p.dim, k = p.classes;
  require_memory("--rows/--dim/--classes", 8 * (n * d + 2 * n * k + 4 * (d + 1) * k),
                 "a random problem of " + std::to_string(p.rows) + " x " + std::to_string(p.dim) + " with " +
                     std::to_string(p.classes) + " classes");
  p.seed = common.seed;

  std::printf("relative error |n - a| / max(|n| + |a|, 1e-12), central differences h = %s, in double\n",
              format_number(p.step).c_str());
  std::printf("%-14s %-8s %10s %10s %10s\n", "loss", "reg", "data", "reg", "total");
  int failed = 0, checked = 0;
  for (const classify::GradientCheckRow& r : classify::gradient_check(p)) {
    const bool ok = r.data_error < classify::kGradientTolerance &&
                    r.reg_error < classify::kGradientTolerance &&
                    r.total_error < classify::kGradientTolerance;
    char reg_error[16] = "-";
    if (r.reg != classify::RegKind::none) std::snprintf(reg_error, sizeof reg_error, "%.2e", r.reg_error);
    std::printf("%-14s %-8s %10.2e %10s %10.2e  %s\n", classify::to_string(r.loss).c_str(),
                classify::to_string(r.reg).c_str(), r.data_error, reg_error, r.total_error,
                ok ? "ok" : "FAIL");
    failed += !ok;
    ++checked;
  }
  if (failed > 0) {
    throw RunError("gradient check failed: " + std::to_string(failed) + " of " + std::to_string(checked) +
                   " loss x regulariser pairs above " + format_number(classify::kGradientTolerance));
  }
  std::printf("all %d pairs below %s\n", checked, format_number(classify::kGradientTolerance).c_str());
  return 0;
}

}  // namespace featpipe::pipelines
