#pragma once
// Private: the state of a StoreReader, shared by the files that implement it.
#include <map>
#include <string>

#include "featpipe/data/store.h"
#include "h5_util.h"

namespace featpipe::data {

struct StoreReader::Impl {
  std::string path;
  h5::Handle file;
  std::string kind;
  int version = 0;
  // Datasets stay open between calls so that block reads reuse HDF5's chunk cache. Declared after `file`
  // so they close first.
  mutable std::map<std::string, h5::Handle> datasets;
  mutable std::map<std::string, DatasetInfo> infos;  // described (and checked) once per dataset

  hid_t dataset(const std::string& name) const;
  const DatasetInfo& info(const std::string& name) const;
};

}  // namespace featpipe::data
