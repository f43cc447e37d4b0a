#include "json/path.h"

namespace harness::detail {

void json_path::append_to(std::string& out) const {
  if (parent_ == nullptr) {
    out += '$';
    return;
  }
  parent_->append_to(out);
  if (is_index_) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
  } else {
    out += '.';
    out.append(key_);
  }
}

std::string json_path::str() const {
  std::string out;
  append_to(out);
  return out;
}

}  // namespace harness::detail
