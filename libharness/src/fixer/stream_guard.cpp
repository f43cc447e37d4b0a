// The native-call guard as a stream stage: tool-call blocks are held until they are whole,
// then passed on unchanged, repaired or dropped (see guard_calls for the rules).
#include <harness/fixer.h>

#include "fixer/call_checks.h"

namespace harness {
inline namespace v0 {

struct stream_guard::impl {
  using kind = stream_event::kind;

  detail::offered_names names;
  simdjson::dom::parser parser;
  guard_report report;
  std::vector<stream_event> out;

  // The tool-call block being held: its block_start and deltas as they came (so a valid call
  // goes on byte for byte), its arguments joined, and, once stopped, its block_stop.
  enum class hold { none, open, stopped, dropping } state = hold::none;
  std::vector<stream_event> held;
  std::string arguments;
  stream_event stop_event;
  std::size_t removed = 0;  ///< blocks dropped so far: later indexes move down by this

  explicit impl(const std::vector<tool_spec>& offered) : names(offered) {}

  // Sends the held call on, in the form the verdict says.
  void settle(bool cut_by_limit) {
    if (state != hold::stopped && state != hold::open) {
      if (state == hold::dropping) state = hold::none;
      return;
    }
    if (state == hold::open) {  // no block_stop came (a finish or the end): close it ourselves
      stop_event = stream_event{};
      stop_event.type = kind::block_stop;
      stop_event.index = held.front().index;
      stop_event.block = block_type::tool_call;
    }
    state = hold::none;
    const std::string& name = held.front().name;
    switch (detail::judge_call(names, name, arguments, cut_by_limit, parser)) {
      case detail::call_verdict::unknown_tool:  // (judged at block_start; kept for safety)
        ++report.unknown_tools_dropped;
        ++removed;
        return;
      case detail::call_verdict::truncated:
        ++report.truncated_calls_refused;
        ++removed;
        return;
      case detail::call_verdict::repaired: {
        ++report.args_repaired;
        ++report.calls_passed;
        const std::size_t index = held.front().index;
        out.push_back(std::move(held.front()));
        stream_event& delta = out.emplace_back();
        delta.type = kind::delta;
        delta.index = index;
        delta.block = block_type::tool_call;
        delta.text = std::move(arguments);
        break;
      }
      case detail::call_verdict::pass:
      case detail::call_verdict::unrepairable:
        ++report.calls_passed;
        for (auto& ev : held) out.push_back(std::move(ev));
        break;
    }
    out.push_back(std::move(stop_event));
  }

  void on(stream_event& ev) {
    switch (ev.type) {
      case kind::block_start:
        settle(false);  // another block follows: the held call was not the one cut
        ev.index -= removed;
        if (ev.block != block_type::tool_call) break;
        if (!names.accepts(ev.name)) {
          ++report.unknown_tools_dropped;
          ++removed;
          state = hold::dropping;
          return;
        }
        state = hold::open;
        held.clear();
        arguments.clear();
        held.push_back(std::move(ev));
        return;
      case kind::delta:
        if (state == hold::dropping) return;
        ev.index -= removed;
        if (state == hold::open) {
          arguments += ev.text;
          held.push_back(std::move(ev));
          return;
        }
        break;
      case kind::signature:
        ev.index -= removed;
        break;
      case kind::block_stop:
        if (state == hold::dropping) {
          state = hold::none;
          return;
        }
        ev.index -= removed;
        if (state == hold::open) {
          stop_event = std::move(ev);
          state = hold::stopped;
          // A whole object cannot be the cut call: send it now. Anything else waits for the
          // finish, which says whether the limit cut it.
          simdjson::dom::object obj;
          if (parser.parse(arguments).get_object().get(obj) == simdjson::SUCCESS) settle(false);
          return;
        }
        break;
      case kind::finish:
        settle(ev.finish == finish_reason::length);
        if (ev.finish == finish_reason::tool_calls && report.calls_passed == 0 && removed > 0) {
          ev.finish = finish_reason::stop;  // every call was dropped: a plain text turn
        }
        break;
      case kind::message_stop:
        settle(false);
        break;
      case kind::error:
        // The stream failed: a held call is incomplete and never reaches the client.
        state = hold::none;
        break;
      case kind::message_start:
      case kind::usage:
        break;
    }
    out.push_back(std::move(ev));
  }
};

stream_guard::stream_guard(const std::vector<tool_spec>& offered)
    : impl_(std::make_unique<impl>(offered)) {}
stream_guard::~stream_guard() = default;
stream_guard::stream_guard(stream_guard&&) noexcept = default;
stream_guard& stream_guard::operator=(stream_guard&&) noexcept = default;

void stream_guard::process(std::vector<stream_event>& events) {
  auto& d = *impl_;
  d.out.clear();
  for (auto& ev : events) d.on(ev);
  events.swap(d.out);
}

const guard_report& stream_guard::report() const noexcept { return impl_->report; }

}  // namespace v0
}  // namespace harness
