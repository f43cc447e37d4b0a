// path.h: a JSON path built on the stack while decoding, rendered only when an error needs it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace harness::detail {

/// One step of a path. Nodes live on the decoder's stack and point at their parent, so
/// descending costs nothing until an error asks for `str()`.
class json_path {
 public:
  json_path() = default;  // the root, "$"
  json_path(const json_path& parent, std::string_view key) : parent_(&parent), key_(key) {}
  json_path(const json_path& parent, std::size_t index)
      : parent_(&parent), index_(index), is_index_(true) {}

  json_path operator/(std::string_view key) const { return json_path(*this, key); }
  json_path operator[](std::size_t index) const { return json_path(*this, index); }

  /// "$.messages[2].content".
  std::string str() const;

 private:
  void append_to(std::string& out) const;
  const json_path* parent_ = nullptr;
  std::string_view key_;
  std::size_t index_ = 0;
  bool is_index_ = false;
};

}  // namespace harness::detail
