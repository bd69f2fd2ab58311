#include "term_params.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace featpipe::features {

PyramidParams parse_pyramid_params(const SpecTerm& term) {
  PyramidParams p;
  if (term.params.count("pyramid")) {
    try {
      p.levels = parse_pyramid(term.params.at("pyramid"));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(term.name + ": " + e.what());
    }
  }
  p.lazebnik = term.get_bool("lazebnik", p.lazebnik);
  return p;
}

void put_pyramid_params(const PyramidParams& params, SpecTerm& term) {
  term.params["pyramid"] = format_pyramid(params.levels);
  term.params["lazebnik"] = format_flag(params.lazebnik);
}

std::vector<ParamHelp> pyramid_param_help(const PyramidParams& params) {
  return {
      {"pyramid", format_pyramid(params.levels),
       "pooling levels: grid sides S or rows x columns RxC, e.g. 1:2:3x1"},
      {"lazebnik", format_flag(params.lazebnik), "1: weight the levels as Lazebnik et al. (finer: more)"}};
}

}  // namespace featpipe::features
