// The loaders of model, vocabulary and checkpoint stores. Input: a file, given to classify::load_model,
// vocab::load_vocabulary and classify::load_checkpoint in turn; what each loads is used as a stage would
// (a model scores a row, a vocabulary's whitening and nearest words run on its centres). An InputError is
// the expected answer to a damaged store; any other exception, crash, leak or undefined behaviour is a
// finding.
#include "featpipe/classify/checkpoint_io.h"
#include "featpipe/classify/linear_model.h"
#include "featpipe/classify/model_io.h"
#include "featpipe/core/errors.h"
#include "featpipe/vocab/vocabulary.h"
#include "fuzz_files.h"

namespace {

using namespace featpipe;

void use_model(const std::string& path) {
  const classify::ModelFile f = classify::load_model(path);
  if (f.model.dim() == 0 || f.model.classes() == 0) return;
  const RowMatrix<float> row = RowMatrix<float>::Zero(1, static_cast<Eigen::Index>(f.model.dim()));
  try {
    classify::predict_scores(f.model, row);
  } catch (const std::invalid_argument&) {  // a model refuses rows it cannot score, with a message
  }
}

void use_vocabulary(const std::string& path) {
  const vocab::Vocabulary v = vocab::load_vocabulary(path);
  if (v.k() == 0 || v.dim() == 0) return;
  RowMatrix<float> descriptors = v.centres;
  v.whitening.apply(descriptors);
  if (v.method == vocab::VocabMethod::gmm) v.gmm();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = (fuzz::scratch_dir() / "store.h5").string();
  fuzz::write_file(path, data, size);
  try {
    use_model(path);
  } catch (const InputError&) {
  }
  try {
    use_vocabulary(path);
  } catch (const InputError&) {
  }
  try {
    classify::load_checkpoint(path);
  } catch (const InputError&) {
  }
  return 0;
}
