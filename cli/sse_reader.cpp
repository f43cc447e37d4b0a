#include "sse_reader.h"

namespace harness_cli {

std::vector<sse_message> sse_reader::feed(std::string_view bytes) {
  std::vector<sse_message> out;
  for (char c : bytes) {
    if (c != '\n') {
      line_ += c;
      continue;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    take_line(line_, out);
    line_.clear();
  }
  return out;
}

void sse_reader::take_line(std::string_view line, std::vector<sse_message>& out) {
  if (line.empty()) {
    if (has_data_) out.push_back(std::move(current_));
    current_ = sse_message{};
    has_data_ = false;
    return;
  }
  if (line.front() == ':') return;  // a comment (keep-alive ping)
  const auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "event") {
    current_.event = std::string(value);
  } else if (field == "data") {
    if (has_data_) current_.data += '\n';
    current_.data += value;
    has_data_ = true;
  }
}

}  // namespace harness_cli
