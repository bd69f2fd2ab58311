// synthetic:shapes — a small colour dataset generated in code, for tests and demos without downloads.
//
// Class c has a hue (evenly spaced round the colour wheel) and an orientation (evenly spaced over 180
// degrees, in a permuted order so that classes with neighbouring hues have distant orientations). Each
// image is one elongated shape (ellipse or rectangle, solid or striped along its long axis) on a
// low-saturation background with a distractor line, at a random position and scale. Hue and orientation
// are both jittered by about one class spacing, so colour features alone or edge features alone confuse
// neighbouring classes, while the two together separate them. Pixel noise is added last.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/core/random.h"
#include "featpipe/core/spec.h"
#include "memory_dataset.h"
#include "readers.h"

namespace featpipe::data {
namespace {

struct ShapesParams {
  int classes = 10;   // K, 2..60
  int size = 32;      // square images of size x size pixels, 8..1024
  int train = 1000;   // training images, classes round-robin (label = row % K)
  int test = 200;     // test images
  double noise = 10;  // standard deviation of the added pixel noise, 0..100
};

constexpr double kMaxBytes = 4.0 * (1 << 30);  // both sets together, in memory

/// Approximately standard normal pixel noise: the centred, scaled sum of four 16-bit uniforms (Irwin-Hall),
/// one draw per value with no libm call, which matters at one value per pixel channel.
double pixel_noise(random::Generator& generator) {
  const uint64_t r = generator.next();
  const double sum = double((r & 0xffff) + (r >> 16 & 0xffff) + (r >> 32 & 0xffff) + (r >> 48)) / 65536.0;
  return (sum - 2.0) * std::sqrt(3.0);
}

/// A multiplier coprime with k near 0.38 k, so the orientation order strides across the hue order.
int orientation_stride(int k) {
  int stride = std::max(1, int(std::ceil(0.38 * k)));
  while (std::gcd(stride, k) != 1) ++stride;
  return stride;
}

uint8_t clamp_u8(double v) { return uint8_t(std::clamp(v, 0.0, 255.0) + 0.5); }  // llround is slow here

void draw_image(const ShapesParams& p, int label, random::Generator& rng, uint8_t* out) {
  const int k = p.classes;
  const double s = p.size;
  const double hue = std::fmod(180.0 * label / k + rng.uniform(-1.0, 1.0) * 180.0 / k + 180.0, 180.0);
  const int orientation_slot = int((int64_t(label) * orientation_stride(k)) % k);
  const double theta = std::numbers::pi * (orientation_slot + rng.uniform(-0.75, 0.75)) / k;

  // The shape: centre, half-axes along (cos theta, sin theta) and across it, stripes or solid.
  const double cx = s * rng.uniform(0.35, 0.65), cy = s * rng.uniform(0.35, 0.65);
  const double half_long = s * rng.uniform(0.22, 0.40);
  const double half_short = half_long * rng.uniform(0.30, 0.55);
  const bool ellipse = rng.uniform() < 0.5;
  const bool striped = rng.uniform() < 0.6;
  const double period = s / 32.0 * rng.uniform(3.5, 6.0);
  const double phase = rng.uniform(0.0, 2.0 * std::numbers::pi);
  const double fg_sat = rng.uniform(150, 255), fg_val = rng.uniform(170, 255);

  // The background: a random low-saturation hue with a brightness gradient, and a distractor line.
  const double bg_hue = rng.uniform(0, 180), bg_sat = rng.uniform(0, 60), bg_val = rng.uniform(40, 110);
  const double grad_x = rng.uniform(-30, 30) / s, grad_y = rng.uniform(-30, 30) / s;
  const double line_angle = rng.uniform(0, std::numbers::pi), line_offset = rng.uniform(-0.3, 0.3) * s;
  const double line_hue = rng.uniform(0, 180), line_val = rng.uniform(90, 160);

  const double c = std::cos(theta), sn = std::sin(theta);
  const double lc = std::cos(line_angle), ls = std::sin(line_angle);
  cv::Mat hsv(p.size, p.size, CV_8UC3);
  for (int y = 0; y < p.size; ++y) {
    auto* row = hsv.ptr<cv::Vec3b>(y);
    for (int x = 0; x < p.size; ++x) {
      const double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      const double along = dx * c + dy * sn, across = -dx * sn + dy * c;
      const double a = along / half_long, b = across / half_short;
      const bool inside = ellipse ? a * a + b * b <= 1.0 : std::abs(a) <= 1.0 && std::abs(b) <= 1.0;
      if (inside) {
        const double stripe =
            striped ? 0.55 + 0.45 * std::cos(2.0 * std::numbers::pi * across / period + phase) : 1.0;
        row[x] = cv::Vec3b(clamp_u8(hue), clamp_u8(fg_sat), clamp_u8(fg_val * stripe));
      } else if (std::abs((x + 0.5 - s / 2) * -ls + (y + 0.5 - s / 2) * lc - line_offset) < 0.6) {
        row[x] = cv::Vec3b(clamp_u8(line_hue), 90, clamp_u8(line_val));
      } else {
        row[x] = cv::Vec3b(clamp_u8(bg_hue), clamp_u8(bg_sat), clamp_u8(bg_val + grad_x * dx + grad_y * dy));
      }
    }
  }
  cv::Mat bgr(p.size, p.size, CV_8UC3, out);
  cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
  const std::size_t n = std::size_t(p.size) * p.size * 3;
  for (std::size_t i = 0; i < n; ++i) out[i] = clamp_u8(out[i] + p.noise * pixel_noise(rng));
}

ImageSet generate(const ShapesParams& p, int count, uint64_t seed, uint64_t stream) {
  ImageSet set;
  const std::size_t bytes = std::size_t(p.size) * p.size * 3;
  set.pixels.resize(count * bytes);
  set.labels.resize(count);
#pragma omp parallel for schedule(dynamic, 16)
  for (int i = 0; i < count; ++i) {
    // One item per image (the set in the high half): the result does not depend on the number of threads.
    random::Generator rng(seed, random::Stream::synthetic_images, stream << 32 | uint64_t(i));
    set.labels[i] = i % p.classes;
    draw_image(p, set.labels[i], rng, set.pixels.data() + i * bytes);
  }
  return set;
}

std::string number(double v) { return format_significant(v, 10); }

void check_range(const std::string& spec, const std::string& key, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi)) {
    throw InputError(spec,
                     key + "=" + number(value) + " is out of range; use " + number(lo) + ".." + number(hi));
  }
}

/// "<colour>-<degrees>": the class's central hue and orientation, e.g. "red-0", "cyan-108".
std::string class_name(int label, int k) {
  static const char* const colours[12] = {"red",  "orange", "yellow", "lime",   "green",   "spring",
                                          "cyan", "azure",  "blue",   "violet", "magenta", "rose"};
  const int sector = int(std::lround(12.0 * label / k)) % 12;
  const int slot = int((int64_t(label) * orientation_stride(k)) % k);
  return std::string(colours[sector]) + "-" + std::to_string(int(std::lround(180.0 * slot / k)));
}

ShapesParams parse_params(const std::string& spec, const SpecTerm& term) {
  ShapesParams p;
  try {
    term.check_keys({"classes", "size", "train", "test", "noise"});
    p.classes = term.get_int("classes", p.classes);
    p.size = term.get_int("size", p.size);
    p.train = term.get_int("train", p.train);
    p.test = term.get_int("test", p.test);
    p.noise = term.get_double("noise", p.noise);
  } catch (const std::invalid_argument& e) {
    throw InputError(spec, e.what());
  }
  check_range(spec, "classes", p.classes, 2, 60);
  check_range(spec, "size", p.size, 8, 1024);
  check_range(spec, "train", p.train, p.classes, 10'000'000);
  check_range(spec, "test", p.test, 1, 10'000'000);
  check_range(spec, "noise", p.noise, 0, 100);
  // Each bound above is sensible alone, but not all at once: 10^7 images of 1024 x 1024 would be 30 TiB.
  const double bytes = (double(p.train) + p.test) * p.size * p.size * 3;
  if (bytes > kMaxBytes) {
    throw InputError(spec, "the images would take " + number(bytes / (1 << 30)) +
                               " GiB of memory, more than " + number(kMaxBytes / (1 << 30)) +
                               " GiB; use fewer or smaller images");
  }
  return p;
}

/// The parsed and checked parameters of a generator spec (`shapes(...)`).
ShapesParams parse_generator(const std::string& spec, const std::string& generator) {
  std::vector<SpecTerm> terms;
  try {
    terms = parse_spec(generator);
  } catch (const std::invalid_argument& e) {
    throw InputError(spec, e.what());
  }
  if (terms.size() != 1 || terms[0].name != "shapes") {
    throw InputError(spec, "unknown synthetic generator '" + generator +
                               "'; known: shapes, shapes(classes=10,size=32,train=1000,test=200,noise=10)");
  }
  return parse_params(spec, terms[0]);
}

}  // namespace

void check_synthetic(const std::string& spec, const std::string& generator) {
  parse_generator(spec, generator);
}

std::unique_ptr<Dataset> open_synthetic(const std::string& spec, const std::string& generator,
                                        const OpenOptions& options) {
  const ShapesParams p = parse_generator(spec, generator);
  std::vector<std::string> names;
  for (int c = 0; c < p.classes; ++c) names.push_back(class_name(c, p.classes));
  ImageSet train = generate(p, p.train, options.seed, 1);
  ImageSet test = generate(p, p.test, options.seed, 2);
  return make_memory_dataset(spec, std::move(names), cv::Size(p.size, p.size), 3, std::move(train),
                             std::move(test), options);
}

}  // namespace featpipe::data
