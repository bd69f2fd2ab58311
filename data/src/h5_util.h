#pragma once
// Private to data/: RAII handles and small helpers over the HDF5 C API, shared by the store writer and
// reader. Every failure becomes InputError(path, problem), with HDF5's own innermost message appended.
//
// The Debian HDF5 build is not thread-safe: a store is used from one thread at a time.
#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "featpipe/data/store.h"

namespace featpipe::data::h5 {

/// Owns one hid_t and closes it with the matching H5?close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer close) : id_(id), close_(close) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }
  /// Closes now; returns false when HDF5 reported an error (e.g. a failed flush of a file).
  bool reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

/// Turns off HDF5's printing of its error stack to stderr for the calling thread; featpipe reports errors
/// itself. Debian's HDF5 is built thread-safe, and then every thread has its own error stack that prints
/// by default: a store read on a worker thread printed HDF5-DIAG lines. Cheap after a thread's first call.
void silence_errors();

/// `*impl` after silence_errors(): every public method of the store classes reaches its HDF5 state through
/// it, so no HDF5 call runs on a thread whose error printing is still on.
template <typename ImplPointer>
auto& on_this_thread(const ImplPointer& impl) {
  silence_errors();
  return *impl;
}

/// The innermost description on HDF5's current error stack, e.g. "No such file or directory", or "".
std::string last_error();

/// InputError(path, problem + HDF5's reason).
[[noreturn]] void fail(const std::string& path, const std::string& problem);

/// Returns the handle, or fails with `problem` when id < 0.
Handle check(hid_t id, Handle::Closer close, const std::string& path, const std::string& problem);
void check(herr_t status, const std::string& path, const std::string& problem);

/// "/a/b" for "a/b" or "/a/b": every name inside a store is absolute.
std::string absolute_name(const std::string& name);

hid_t native_type(DType t);  // the in-memory type (H5T_NATIVE_*); not for strings
hid_t file_type(DType t);    // the little-endian standard type stored on disk
DType dtype_of(hid_t type);  // DType::other for types featpipe does not write
Handle utf8_string_type();   // variable-length UTF-8 string, the type of all featpipe strings

/// Link creation property list that creates missing intermediate groups.
Handle intermediate_groups_lcpl(const std::string& path);

/// Scalar string attribute on an object; replaces an existing attribute of that name.
void write_string_attribute(hid_t obj, const std::string& key, const std::string& value,
                            const std::string& path);
void write_int_attribute(hid_t obj, const std::string& key, int64_t value, const std::string& path);
/// A scalar attribute as text: strings (variable or fixed length) as stored, numbers formatted.
/// std::nullopt when absent; fails when present but not a scalar string or number.
std::optional<std::string> read_attribute_text(hid_t obj, const std::string& key, const std::string& path);
std::vector<std::string> attribute_names(hid_t obj, const std::string& path);

/// Every element of a string dataset or attribute (variable or fixed length, any rank).
std::vector<std::string> read_string_dataset(hid_t dataset, const std::string& path, const std::string& name);

std::vector<uint64_t> dataspace_dims(hid_t space);

}  // namespace featpipe::data::h5
