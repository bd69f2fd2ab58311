// featpipe encode: every image of a split encoded against a vocabulary (bag-of-words, soft, VLAD, Fisher or
// triangle, LLC, pooled over a spatial pyramid, normalised, optionally kernel-mapped) into a feature store.
// The descriptor is the one the vocabulary records; descriptors are computed image by image and never stored.
#include <algorithm>
#include <filesystem>

#include "commands.h"
#include "featpipe/core/errors.h"
#include "featpipe/data/store_digest.h"
#include "featpipe/features/extract.h"
#include "featpipe/pipelines/cli_observer.h"
#include "featpipe/pipelines/console.h"
#include "featpipe/pipelines/dataset_options.h"
#include "featpipe/pipelines/encoding_options.h"
#include "featpipe/pipelines/ranks.h"
#include "featpipe/vocab/image_encoder.h"

namespace featpipe::pipelines {
namespace {

struct EncodeArgs {
  std::string vocab, out;
  EncodingChoice choice;
  std::string pool, norm, kernel_map, augment;
  std::size_t block = 1024;
};

}  // namespace

int run_encode(const std::vector<std::string>& args) {
  po::options_description options("encode options");
  DatasetArgs dataset_args;
  EncodeArgs a;
  add_dataset_options(options, dataset_args);
  add_augment_option(options, a.augment);
  options.add_options()                                                                                 //
      ("vocab", po::value(&a.vocab), "vocabulary from `featpipe vocab` (.h5); its descriptor is used")  //
      ("encoding", po::value(&a.choice.encoding)->default_value(a.choice.encoding),
       vocab::encoding_registry().joined_names(" | ").c_str())  //
      ("pyramid", po::value(&a.choice.pyramid)->default_value(a.choice.pyramid),
       "spatial pyramid levels joined by ':': S (S x S cells) or RxC (R rows, C columns), e.g. 1:2:4 or "
       "1:2:3x1 (3x1: three horizontal stripes)")  //
      ("pool", po::value(&a.pool),
       "sum | max (max: bow, soft, triangle, llc; default: max for llc, else sum)")  //
      ("norm", po::value(&a.norm),
       ("per-cell normalisation: " + vocab::norm_registry().joined_names(", ") +
        " (power(alpha=A)), joined by '+', or none (default: l1 for bow / soft, power+l2 for vlad / fisher, "
        "none for triangle)")
           .c_str())  //
      ("kernel-map", po::value(&a.kernel_map),
       (vocab::kernel_registry().joined_names(" | ") +
        ": homogeneous kernel map after the norm; or rbf(gamma=G,dim=D,seed=S): random Fourier features")
           .c_str())  //
      ("kernel-order", po::value(&a.choice.kernel_order)->default_value(a.choice.kernel_order),
       "kernel map order n: 2n + 1 values per value")  //
      ("soft-neighbours", po::value(&a.choice.soft_neighbours)->default_value(a.choice.soft_neighbours),
       "soft: words sharing each descriptor")  //
      ("soft-beta", po::value(&a.choice.soft_beta)->default_value(a.choice.soft_beta),
       "soft: weight exp(-beta d^2); 0: 1 / the vocabulary's mean squared distance")  //
      ("llc-knn", po::value(&a.choice.llc_knn)->default_value(a.choice.llc_knn),
       "llc: nearest words reconstructing each descriptor")  //
      ("llc-beta", po::value(&a.choice.llc_beta)->default_value(a.choice.llc_beta),
       "llc: regularisation beta trace(C) of the local fit")    //
      ("out", po::value(&a.out), "output feature store (.h5)")  //
      ("block", po::value(&a.block)->default_value(a.block), "images per written block (at most)");
  CommonOptions common;
  auto vm = parse_command_line("encode",
                               "--data SPEC --split S --vocab V.h5 --encoding " +
                                   vocab::encoding_registry().joined_names("|") +
                                   " --pyramid 1:2:4 --pool sum|max --norm N [--kernel-map chi2] --out E.h5",
                               args, options, {}, common);
  if (!vm) return 0;
  require(*vm, "vocab");
  require(*vm, "out");
  check_output_path(a.out, "--out", {{"--vocab", a.vocab}});
  const features::Augment augmentation = parse_augment_option(a.augment, dataset_args);

  if (vm->count("pool")) a.choice.pool = a.pool;
  if (vm->count("norm")) a.choice.norm = a.norm;
  if (vm->count("kernel-map")) a.choice.kernel_map = a.kernel_map;
  const vocab::EncodingParams p = encoding_params(a.choice, OptionStyle::command_line);
  const vocab::Vocabulary v = vocab::load_vocabulary(a.vocab);
  const std::unique_ptr<vocab::ImageEncoder> encoder =
      make_image_encoder(v, p, "--vocab", OptionStyle::command_line);
  OpenedSplit opened = open_split(dataset_args, common.seed);
  nlohmann::json provenance = opened.provenance;
  provenance["descriptor"] = encoder->descriptor_spec();
  provenance["encoding"] = vocab::to_json(p);
  // The absolute path too, so a later stage run from another directory finds the vocabulary again.
  provenance["vocab"] = {{"path", a.vocab},
                         {"absolute_path", std::filesystem::absolute(a.vocab).string()},
                         {"provenance", vocab::vocabulary_provenance(a.vocab)},
                         {"digest", data::content_digest(a.vocab)}};
  CliObserver observer(common.quiet);
  const features::ExtractSummary done =
      features::extract_split(*opened.view, *encoder, provenance, a.out,
                              {a.block, "encode", "--vocab", ranks().collective, augmentation}, observer);
  notify(Notice::info, "wrote " + a.out + ": " + std::to_string(done.rows) + " x " +
                           std::to_string(done.dim) + " float32 (" + encoder->spec() + " over " +
                           encoder->descriptor_spec() + ")");
  return 0;
}

}  // namespace featpipe::pipelines
