// rescue.cpp: the public entry points: rescue_text, stream_rescuer, accumulate.
#include <harness/rescue.h>

#include "rescue/context.h"
#include "rescue/machine.h"
#include "rescue/sink.h"

namespace harness {
inline namespace v0 {

using detail::rescue::context;
using detail::rescue::machine;
using detail::rescue::sink;

void accumulate(rescue_result& into, const rescue_events& events) {
  for (const auto& e : events) {
    switch (e.type) {
      case rescue_event::kind::content:
        if (e.text.empty()) break;
        if (!into.content) into.content.emplace();
        *into.content += e.text;
        break;
      case rescue_event::kind::reasoning:
        if (e.text.empty()) break;
        if (!into.reasoning) into.reasoning.emplace();
        *into.reasoning += e.text;
        break;
      case rescue_event::kind::call: into.calls.push_back(e.call); break;
    }
  }
}

struct stream_rescuer::impl {
  explicit impl(rescue_options o)
      : options(std::move(o)), ctx(options), m(ctx, out, 0, true, ctx.start()) {}
  rescue_options options;  // ctx reads the schemas from here when a call needs them
  context ctx;
  sink out;
  machine m;
  bool done = false;
  bool broken = false;  // an allocation failed: pass the rest through as content
};

stream_rescuer::stream_rescuer(rescue_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {}
stream_rescuer::~stream_rescuer() = default;
stream_rescuer::stream_rescuer(stream_rescuer&&) noexcept = default;
stream_rescuer& stream_rescuer::operator=(stream_rescuer&&) noexcept = default;

void stream_rescuer::feed(std::string_view chunk, rescue_events& out) {
  if (!impl_ || impl_->done) return;
  if (impl_->broken) {
    out.push_back({rescue_event::kind::content, std::string(chunk), {}});
    return;
  }
  impl_->out.set_events(&out);
  try {
    impl_->m.feed(chunk);
  } catch (...) {
    impl_->broken = true;
  }
  impl_->out.set_events(nullptr);
}

void stream_rescuer::finish(rescue_events& out) {
  if (!impl_ || impl_->done) return;
  impl_->done = true;
  if (impl_->broken) return;
  impl_->out.set_events(&out);
  try {
    impl_->m.finish();
    impl_->out.finish();
  } catch (...) {
    impl_->broken = true;
  }
  impl_->out.set_events(nullptr);
}

rescue_result rescue_text(std::string_view text, const rescue_options& options) {
  rescue_result result;
  try {
    context ctx(options);
    sink out(&result);
    out.reserve(text.size());
    machine m(ctx, out, 0, true, ctx.start());
    m.feed_all(text);
    out.finish();
  } catch (...) {
    // Only an allocation failure gets here: degrade to the text as content.
    result = rescue_result{};
    const std::string_view t = detail::rescue::trim(text);
    if (!t.empty()) result.content.emplace(t);
  }
  return result;
}

}  // namespace v0
}  // namespace harness
