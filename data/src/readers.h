#pragma once
// The dataset readers behind open_dataset (dataset.cpp), one file each. `spec` is the spec as given,
// recorded by the dataset; the readers throw InputError naming the offending file.
#include <memory>
#include <string>
#include <vector>

#include "featpipe/data/dataset.h"

namespace featpipe::data {

/// The ten Fashion-MNIST class names, in label order.
const std::vector<std::string>& fashion_mnist_class_names();

/// DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]. With class_names empty the names are "0".."9",
/// or "0".."max label" when a label exceeds 9; otherwise every label must index class_names.
std::unique_ptr<Dataset> open_idx(const std::string& spec, const std::string& dir,
                                  const std::vector<std::string>& class_names, const OpenOptions& options);

/// DIR/data_batch_{1..5}.bin, DIR/test_batch.bin and DIR/batches.meta.txt (the official binary version;
/// DIR may also be the folder holding cifar-10-batches-bin).
std::unique_ptr<Dataset> open_cifar10(const std::string& spec, const std::string& dir,
                                      const OpenOptions& options);

/// DIR/train/<class>/* and DIR/test/<class>/*, decoded on demand.
std::unique_ptr<Dataset> open_folder(const std::string& spec, const std::string& dir,
                                     const OpenOptions& options);

/// `shapes` or `shapes(classes=K,size=S,train=N,test=M)`: generated in memory from options.seed.
std::unique_ptr<Dataset> open_synthetic(const std::string& spec, const std::string& generator,
                                        const OpenOptions& options);

/// The checks open_synthetic makes of the generator and its parameters, without generating.
void check_synthetic(const std::string& spec, const std::string& generator);

/// InputError naming `path` unless it is an existing directory; `what` says what it should hold.
void require_directory(const std::string& path, const std::string& what);

/// std::out_of_range naming the dataset, the set and its size unless i < size.
void check_image_index(const std::string& spec, Source s, std::size_t i, std::size_t size);

}  // namespace featpipe::data
