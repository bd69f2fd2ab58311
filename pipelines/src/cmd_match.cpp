// featpipe match: local descriptors of two images compared by cosine similarity with Lowe's ratio test,
// then verified by RANSAC (a similarity or a homography): the matches, the inliers and the transform are
// printed, and the drawing shows inliers and outliers apart. Given one image, its repeated structures
// (frames matched to others of the same image, away from themselves).
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/data/image_file.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/match.h"
#include "featpipe/pipelines/cli.h"
#include "featpipe/pipelines/match_drawing.h"
#include "featpipe/pipelines/match_geometry.h"
#include "featpipe/pipelines/output_file.h"

namespace featpipe::pipelines {
namespace {

cv::Mat read_colour_image(const std::string& path) {
  cv::Mat image = data::read_image(path, cv::IMREAD_COLOR);
  if (image.empty())
    throw InputError(path, "cannot be read as an image (missing, or a format OpenCV does not read)");
  return image;
}

features::LocalFeatures describe(const features::DescriptorExtractor& descriptor, const cv::Mat& image,
                                 const std::string& path) {
  features::LocalFeatures f;
  try {
    descriptor.extract(image, f);
  } catch (const std::invalid_argument& e) {
    throw InputError(path, e.what());
  }
  return f;
}

/// The verified geometry, in the lines `match` prints after the match count.
void print_geometry(const GeometryFit& fit, const GeometryParams& p, std::size_t matches) {
  if (fit.degenerate) {
    std::printf(
        "no consistent geometry: the %s RANSAC fits to %zu of %zu matches is degenerate (it %s the "
        "image), chance matches crowding onto one point\n",
        to_string(p.model), fit.inliers, matches, fit.scale < 1 ? "collapses" : "blows up");
    return;
  }
  if (!fit.consistent) {
    std::printf(
        "no consistent geometry: at most %zu of %zu matches agree on one %s (%d needed, within %g px)\n",
        fit.inliers, matches, to_string(p.model), p.min_inliers, p.ransac_threshold);
    return;
  }
  std::printf("%s (RANSAC, %g px): %zu inliers, %zu outliers\n", to_string(p.model), p.ransac_threshold,
              fit.inliers, matches - fit.inliers);
  if (p.model == GeometryModel::similarity) {
    std::printf("rotation %.2f degrees, scale %.4f, translation (%.1f, %.1f) px\n", fit.rotation_degrees,
                fit.scale, fit.translation.x, fit.translation.y);
    return;
  }
  const cv::Matx33d& h = fit.transform;
  std::printf("homography [%.6g %.6g %.6g; %.6g %.6g %.6g; %.6g %.6g %.6g]\n", h(0, 0), h(0, 1), h(0, 2),
              h(1, 0), h(1, 1), h(1, 2), h(2, 0), h(2, 1), h(2, 2));
}

}  // namespace

int run_match(const std::vector<std::string>& args) {
  po::options_description options("match options");
  std::vector<std::string> images;
  std::string descriptor_spec, out;
  features::MatchParams match_params;
  features::RepeatParams repeat_params;
  GeometryParams geometry;
  std::string geometry_model = to_string(geometry.model);
  bool inliers_only = false;
  options.add_options()                                                                                    //
      ("image", po::value<std::vector<std::string>>(&images), "one image (repeats) or two (matches)")      //
      ("descriptor", po::value<std::string>(&descriptor_spec)->default_value("sift"), "local descriptor")  //
      ("ratio",
       po::value<double>(&match_params.ratio)
           ->default_value(match_params.ratio, format_number(match_params.ratio)),     //
       "two images: keep a match when its distance < ratio x the second best")         //
      ("min-similarity", po::value<double>(),                                          //
       "cosine similarity a match needs (default 0 for two images, 0.9 for repeats)")  //
      ("separation",
       po::value<double>(&repeat_params.min_separation)->default_value(repeat_params.min_separation),
       "one image: minimum distance of a repeat, in descriptor widths")  //
      ("model", po::value<std::string>(&geometry_model)->default_value(geometry_model),
       "two images: the geometry RANSAC verifies, similarity | homography")  //
      ("ransac-threshold",
       po::value<double>(&geometry.ransac_threshold)
           ->default_value(geometry.ransac_threshold, format_number(geometry.ransac_threshold)),
       "two images: px a mapped point may land from its match and count as an inlier")  //
      ("min-inliers", po::value<int>(&geometry.min_inliers)->default_value(geometry.min_inliers),
       "two images: fewer inliers is no consistent geometry")  //
      ("inliers-only", po::bool_switch(&inliers_only),
       "two images: leave the outliers out of the drawing")  //
      ("out", po::value<std::string>(&out), "drawing of the matches (.png, .jpg)");
  po::positional_options_description positional;
  positional.add("image", -1);
  CommonOptions common;
  auto vm =
      parse_command_line("match", "A.png [B.png] [--out matches.png]", args, options, positional, common);
  if (!vm) return 0;
  if (images.empty() || images.size() > 2) {
    throw InputError("match", "give one image (its repeated structures) or two (their matches), got " +
                                  std::to_string(images.size()));
  }
  if (vm->count("min-similarity")) {
    match_params.min_similarity = repeat_params.min_similarity = (*vm)["min-similarity"].as<double>();
  }
  if (auto error = features::validate(match_params)) throw InputError("--ratio / --min-similarity", *error);
  if (auto error = features::validate(repeat_params))
    throw InputError("--separation / --min-similarity", *error);
  const auto model = parse_geometry_model(geometry_model);
  if (!model) throw InputError("--model", "must be similarity or homography, got " + geometry_model);
  geometry.model = *model;
  if (auto error = validate(geometry)) throw_option_error(*error);
  if (!out.empty()) {
    check_image_output(out, "--out", {{"IMAGE", images[0]}, {"IMAGE", images.size() > 1 ? images[1] : ""}});
  }

  std::unique_ptr<features::DescriptorExtractor> descriptor;
  try {
    descriptor = features::make_descriptor(descriptor_spec);
  } catch (const std::invalid_argument& e) {
    throw InputError("--descriptor", e.what());
  }
  const cv::Mat a = read_colour_image(images[0]);
  const features::LocalFeatures fa = describe(*descriptor, a, images[0]);
  const std::size_t dim = descriptor->dim(a.channels());

  if (images.size() == 1) {
    const auto repeats = features::find_repeats(fa, dim, repeat_params);
    std::printf("%zu repeated pairs among %zu frames of %s\n", repeats.size(), fa.size(), images[0].c_str());
    for (const features::Match& m : repeats) {
      const features::Frame &p = fa.frames[m.query], &q = fa.frames[m.train];
      std::printf("  (%.1f, %.1f) ~ (%.1f, %.1f)  similarity %.3f\n", p.x, p.y, q.x, q.y, m.similarity);
    }
    if (!out.empty()) {
      cv::Mat drawing = a.clone();
      cv::RNG colours(common.seed);
      for (const features::Match& m : repeats) {
        const cv::Scalar colour(colours.uniform(64, 256), colours.uniform(64, 256), colours.uniform(64, 256));
        const cv::Point2f p(fa.frames[m.query].x, fa.frames[m.query].y),
            q(fa.frames[m.train].x, fa.frames[m.train].y);
        cv::line(drawing, p, q, colour, 1, cv::LINE_AA);
        cv::circle(drawing, p, 3, colour, 1, cv::LINE_AA);
        cv::circle(drawing, q, 3, colour, 1, cv::LINE_AA);
      }
      data::write_image(out, drawing);
    }
    return 0;
  }

  const cv::Mat b = read_colour_image(images[1]);
  const features::LocalFeatures fb = describe(*descriptor, b, images[1]);
  const auto matches = features::match_descriptors(fa.descriptors.data(), fa.size(), fb.descriptors.data(),
                                                   fb.size(), dim, match_params);
  std::printf("%zu matches between %zu frames of %s and %zu of %s\n", matches.size(), fa.size(),
              images[0].c_str(), fb.size(), images[1].c_str());
  std::vector<cv::Point2f> pa, pb;
  for (const features::Match& m : matches) {
    pa.emplace_back(fa.frames[m.query].x, fa.frames[m.query].y);
    pb.emplace_back(fb.frames[m.train].x, fb.frames[m.train].y);
  }
  const GeometryFit fit = fit_geometry(pa, pb, geometry);
  print_geometry(fit, geometry, matches.size());
  if (!out.empty()) {
    // Without a consistent geometry every match is an outlier, whatever RANSAC's best guess explained.
    const std::vector<bool> inlier = fit.consistent ? fit.inlier : std::vector<bool>(pa.size(), false);
    data::write_image(out, draw_verified_matches(a, pa, b, pb, inlier, !inliers_only));
  }
  return 0;
}

}  // namespace featpipe::pipelines
