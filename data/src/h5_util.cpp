#include "h5_util.h"

#include <cstdio>

#include "featpipe/core/errors.h"
#include "featpipe/core/format.h"

namespace featpipe::data::h5 {
namespace {

// HDF5's innermost message for a failed system call reads "unable to lock the file, errno = 11, error message
// = 'Resource temporarily unavailable', ..."; keep what HDF5 was doing and the quoted system message.
std::string concise(const std::string& description) {
  const std::string marker = "error message = '";
  const auto begin = description.find(marker);
  if (begin == std::string::npos) return description;
  const auto start = begin + marker.size();
  const auto end = description.find('\'', start);
  const std::string doing = description.substr(0, description.find_first_of(":,"));
  return doing + ": " + description.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

herr_t first_error(unsigned n, const H5E_error2_t* err, void* out) {
  if (n == 0 && err->desc != nullptr) *static_cast<std::string*>(out) = err->desc;
  return 0;
}

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

std::string trim_fixed(const char* data, size_t size, H5T_str_t pad) {
  size_t n = 0;
  while (n < size && data[n] != '\0') ++n;
  if (pad == H5T_STR_SPACEPAD) {
    while (n > 0 && data[n - 1] == ' ') --n;
  }
  return std::string(data, n);
}

// The memory type for reading a stored string type: same length kind and character set, so HDF5 never
// has to convert between ASCII and UTF-8.
Handle string_memory_type(hid_t stored, const std::string& path) {
  Handle mem = check(H5Tcopy(H5T_C_S1), H5Tclose, path, "cannot create a string type");
  const htri_t variable = H5Tis_variable_str(stored);
  check(H5Tset_size(mem.get(), variable > 0 ? H5T_VARIABLE : H5Tget_size(stored)), path,
        "cannot size a string type");
  check(H5Tset_cset(mem.get(), H5Tget_cset(stored)), path, "cannot set a string character set");
  if (variable <= 0)
    check(H5Tset_strpad(mem.get(), H5Tget_strpad(stored)), path, "cannot set string padding");
  return mem;
}

// Reads every string of an attribute (is_attribute) or dataset `obj` of stored type `stored`.
std::vector<std::string> read_strings(hid_t obj, bool is_attribute, hid_t stored, hid_t space,
                                      const std::string& path, const std::string& what) {
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  if (count < 0) fail(path, "cannot read the extent of " + what);
  std::vector<std::string> out;
  if (count == 0) return out;
  Handle mem = string_memory_type(stored, path);
  const auto read = [&](void* buffer) {
    return is_attribute ? H5Aread(obj, mem.get(), buffer)
                        : H5Dread(obj, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
  };
  out.reserve(count);
  if (H5Tis_variable_str(stored) > 0) {
    std::vector<char*> buffer(count, nullptr);
    const herr_t status = read(buffer.data());
    for (char* s : buffer) {
      out.emplace_back(s != nullptr ? s : "");
      if (s != nullptr) H5free_memory(s);
    }
    check(status, path, "cannot read the strings of " + what);
  } else {
    const size_t size = H5Tget_size(stored);
    std::vector<char> buffer(size * count);
    check(read(buffer.data()), path, "cannot read the strings of " + what);
    for (hssize_t i = 0; i < count; ++i)
      out.push_back(trim_fixed(&buffer[i * size], size, H5Tget_strpad(stored)));
  }
  return out;
}

}  // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    close_ = other.close_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

bool Handle::reset() {
  bool ok = true;
  if (id_ >= 0 && close_ != nullptr) {
    silence_errors();  // a handle may be closed on another thread than the one that opened it
    ok = close_(id_) >= 0;
  }
  id_ = H5I_INVALID_HID;
  return ok;
}

void silence_errors() {
  // Before HDF5's first call in the process: HDF5 closes the files still open at exit, and a file whose
  // close failed (its last flush hit a full disk) is one it would close a second time, which crashes in
  // H5F__close_cb. featpipe closes every file it opens itself (StoreWriter abandons a failed one).
  static const bool no_exit_cleanup = H5dont_atexit() >= 0;
  (void)no_exit_cleanup;
  thread_local const bool silenced = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
  (void)silenced;
}

std::string last_error() {
  std::string description;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first_error, &description);
  return concise(description);
}

void fail(const std::string& path, const std::string& problem) {
  const std::string reason = last_error();
  H5Eclear2(H5E_DEFAULT);
  throw InputError(path, reason.empty() ? problem : problem + " (HDF5: " + reason + ")");
}

Handle check(hid_t id, Handle::Closer close, const std::string& path, const std::string& problem) {
  if (id < 0) fail(path, problem);
  return Handle(id, close);
}

void check(herr_t status, const std::string& path, const std::string& problem) {
  if (status < 0) fail(path, problem);
}

std::string absolute_name(const std::string& name) {
  return !name.empty() && name.front() == '/' ? name : "/" + name;
}

hid_t native_type(DType t) {
  switch (t) {
    case DType::float32:
      return H5T_NATIVE_FLOAT;
    case DType::float64:
      return H5T_NATIVE_DOUBLE;
    case DType::int32:
      return H5T_NATIVE_INT32;
    case DType::int64:
      return H5T_NATIVE_INT64;
    case DType::uint8:
      return H5T_NATIVE_UINT8;
    case DType::string:
    case DType::other:
      break;
  }
  throw std::logic_error("h5::native_type: no native numeric type for " + to_string(t));
}

hid_t file_type(DType t) {
  switch (t) {
    case DType::float32:
      return H5T_IEEE_F32LE;
    case DType::float64:
      return H5T_IEEE_F64LE;
    case DType::int32:
      return H5T_STD_I32LE;
    case DType::int64:
      return H5T_STD_I64LE;
    case DType::uint8:
      return H5T_STD_U8LE;
    case DType::string:
    case DType::other:
      break;
  }
  throw std::logic_error("h5::file_type: no stored numeric type for " + to_string(t));
}

DType dtype_of(hid_t type) {
  const size_t size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      if (size == 4) return DType::float32;
      if (size == 8) return DType::float64;
      break;
    case H5T_INTEGER: {
      const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
      if (is_signed && size == 4) return DType::int32;
      if (is_signed && size == 8) return DType::int64;
      if (!is_signed && size == 1) return DType::uint8;
      break;
    }
    case H5T_STRING:
      return DType::string;
    default:
      break;
  }
  return DType::other;
}

Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!type || H5Tset_size(type.get(), H5T_VARIABLE) < 0 || H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0) {
    throw std::runtime_error("HDF5: cannot create a variable-length UTF-8 string type");
  }
  return type;
}

Handle intermediate_groups_lcpl(const std::string& path) {
  Handle lcpl = check(H5Pcreate(H5P_LINK_CREATE), H5Pclose, path, "cannot create a property list");
  check(H5Pset_create_intermediate_group(lcpl.get(), 1), path, "cannot set intermediate group creation");
  return lcpl;
}

void write_string_attribute(hid_t obj, const std::string& key, const std::string& value,
                            const std::string& path) {
  const std::string what = "cannot write attribute " + key;
  if (H5Aexists(obj, key.c_str()) > 0) check(H5Adelete(obj, key.c_str()), path, what);
  Handle type = utf8_string_type();
  Handle space = check(H5Screate(H5S_SCALAR), H5Sclose, path, what);
  Handle attr = check(H5Acreate2(obj, key.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                      H5Aclose, path, what);
  const char* text = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &text), path, what);
}

void write_int_attribute(hid_t obj, const std::string& key, int64_t value, const std::string& path) {
  const std::string what = "cannot write attribute " + key;
  if (H5Aexists(obj, key.c_str()) > 0) check(H5Adelete(obj, key.c_str()), path, what);
  Handle space = check(H5Screate(H5S_SCALAR), H5Sclose, path, what);
  Handle attr = check(H5Acreate2(obj, key.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                      H5Aclose, path, what);
  check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value), path, what);
}

std::optional<std::string> read_attribute_text(hid_t obj, const std::string& key, const std::string& path) {
  const htri_t exists = H5Aexists(obj, key.c_str());
  if (exists < 0) fail(path, "cannot look up attribute " + key);
  if (exists == 0) return std::nullopt;
  const std::string what = "attribute " + key;
  Handle attr = check(H5Aopen(obj, key.c_str(), H5P_DEFAULT), H5Aclose, path, "cannot open " + what);
  Handle type = check(H5Aget_type(attr.get()), H5Tclose, path, "cannot read the type of " + what);
  Handle space = check(H5Aget_space(attr.get()), H5Sclose, path, "cannot read the shape of " + what);
  if (H5Sget_simple_extent_npoints(space.get()) != 1) {
    throw InputError(path, what + " holds several values; expected a single string or number");
  }
  switch (H5Tget_class(type.get())) {
    case H5T_STRING:
      return read_strings(attr.get(), true, type.get(), space.get(), path, what).front();
    case H5T_INTEGER: {
      int64_t value = 0;
      check(H5Aread(attr.get(), H5T_NATIVE_INT64, &value), path, "cannot read " + what);
      return std::to_string(value);
    }
    case H5T_FLOAT: {
      double value = 0;
      check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value), path, "cannot read " + what);
      return format_number(value);
    }
    default:
      throw InputError(path, what + " is neither a string nor a number");
  }
}

std::vector<std::string> attribute_names(hid_t obj, const std::string& path) {
  // HDF5 1.10.8 crashes in H5Aiterate2 when an attribute fails to decode after others did: it frees the
  // unfilled slots of its table of attributes too. H5Aexists of a name no store has decodes every attribute
  // without that table, so a corrupt one fails here, cleanly.
  if (H5Aexists(obj, "featpipe: a name no attribute has") < 0) fail(path, "cannot list the attributes");
  std::vector<std::string> names;
  check(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attribute_name, &names), path,
        "cannot list the attributes");
  return names;
}

std::vector<std::string> read_string_dataset(hid_t dataset, const std::string& path,
                                             const std::string& name) {
  Handle type = check(H5Dget_type(dataset), H5Tclose, path, "cannot read the type of " + name);
  if (H5Tget_class(type.get()) != H5T_STRING) throw InputError(path, name + " is not a string dataset");
  Handle space = check(H5Dget_space(dataset), H5Sclose, path, "cannot read the shape of " + name);
  return read_strings(dataset, false, type.get(), space.get(), path, name);
}

std::vector<uint64_t> dataspace_dims(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank <= 0) return {};
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return std::vector<uint64_t>(dims.begin(), dims.end());
}

}  // namespace featpipe::data::h5

namespace featpipe::data {

std::string hdf5_version() {
  h5::silence_errors();
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

}  // namespace featpipe::data
