// The public face of the SSE reader (harness/sse.h): copies each event out of the reader's
// views, and names its sticky size error.
#include <harness/sse.h>

#include "framing/sse.h"

namespace harness {
inline namespace v0 {
namespace {

// The callback both feed and finish hand to the reader.
struct collect {
  std::vector<sse_message>& out;
  void operator()(const detail::sse_event& e) const {
    sse_message m;
    if (!e.event.empty()) m.event.assign(e.event);
    m.data.assign(e.data);
    m.id.assign(e.id);
    out.push_back(std::move(m));
  }
};

}  // namespace

sse_parser::sse_parser(std::size_t max_event_bytes)
    : reader_(std::make_unique<detail::sse_reader>(max_event_bytes)) {}
sse_parser::~sse_parser() = default;
sse_parser::sse_parser(sse_parser&&) noexcept = default;
sse_parser& sse_parser::operator=(sse_parser&&) noexcept = default;

std::vector<sse_message> sse_parser::feed(std::string_view bytes) {
  std::vector<sse_message> out;
  reader_->feed(bytes, collect{out});
  return out;
}

std::vector<sse_message> sse_parser::finish() {
  std::vector<sse_message> out;
  reader_->finish(collect{out});
  return out;
}

bool sse_parser::ok() const noexcept { return reader_->ok(); }

harness::error sse_parser::error() const {
  if (reader_->ok()) return {};
  return make_error(errc::invalid_request, "SSE event larger than " +
                                               std::to_string(reader_->max_event_bytes()) +
                                               " bytes");
}

void sse_parser::reset() noexcept { reader_->reset(); }

}  // namespace v0
}  // namespace harness
