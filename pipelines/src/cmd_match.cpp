// featpipe match: local descriptors of two images compared by cosine similarity with Lowe's ratio test,
// drawn side by side; or, given one image, its repeated structures (frames matched to others of the same
// image, away from themselves).
#include <cstdio>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"
#include "featpipe/data/image_file.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/match.h"
#include "featpipe/pipelines/cli.h"

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

/// OpenCV keypoints for drawing: diameter 2 sigma, angle in degrees (both conventions are OpenCV's own).
std::vector<cv::KeyPoint> keypoints(const features::LocalFeatures& f) {
  std::vector<cv::KeyPoint> k;
  for (const features::Frame& fr : f.frames) {
    k.emplace_back(cv::Point2f(fr.x, fr.y), 2 * fr.scale, fr.angle * static_cast<float>(180.0 / CV_PI));
  }
  return k;
}

}  // namespace

int run_match(const std::vector<std::string>& args) {
  po::options_description options("match options");
  std::vector<std::string> images;
  std::string descriptor_spec, out;
  features::MatchParams match_params;
  features::RepeatParams repeat_params;
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
  if (!out.empty()) check_output_path(out, "--out");

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
  if (!out.empty()) {
    std::vector<cv::DMatch> dmatches;
    for (const features::Match& m : matches) {
      dmatches.emplace_back(static_cast<int>(m.query), static_cast<int>(m.train), 1.0f - m.similarity);
    }
    cv::Mat drawing;
    cv::drawMatches(a, keypoints(fa), b, keypoints(fb), dmatches, drawing);
    data::write_image(out, drawing);
  }
  return 0;
}

}  // namespace featpipe::pipelines
