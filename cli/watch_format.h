// watch_format.h: what `harness-cli watch` prints for each exchange and at the end. Pure
// functions over the request log's JSON line (no I/O), so they are unit-tested.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harness_cli {

/// One exchange as the proxy reported it (the fields of the request log line, docs/watch.md).
struct watch_exchange {
  std::int64_t ts_ms = 0;
  std::string client, model, provider, upstream_model;
  bool stream = false;
  int status = 0;
  int attempts = 0;
  std::int64_t first_byte_us = 0, total_us = 0;
  std::int64_t input_tokens = 0, output_tokens = 0;
  bool tools_stripped = false, tools_emulated = false;
  int calls_rescued = 0;
  std::string rescue_family;
  std::vector<std::string> dropped_tools;
  bool tools_offered = false;
  int calls_native = 0, args_repaired = 0, unknown_tools_dropped = 0, truncated_calls_refused = 0;
  bool text_only_with_tools = false;
  std::string policy_source, error_kind, error;

  enum class verdict { ok, fixed, failed };
  /// failed: an error status or kind; fixed: the fixer changed something, or tools were
  /// offered and only text came back; ok otherwise.
  verdict outcome() const;
};

/// Parses one request log line; nullopt when it is not a JSON object. Missing fields keep their
/// defaults (the log omits fixer fields that are zero).
std::optional<watch_exchange> parse_exchange(std::string_view json_line);

struct watch_style {
  bool color = false;  ///< ANSI colours: green ok, yellow fixed, red failed
  bool utc = false;    ///< times in UTC instead of local time
};

/// Colour only when wanted and possible: not with --no-color, not when stdout is no terminal,
/// not when NO_COLOR is set to anything non-empty (no-color.org).
bool want_color(bool no_color_flag, bool stdout_is_tty, const char* no_color_env);

/// One line (no newline): time, model -> provider/upstream, status, latency first byte / total,
/// tokens, then what the fixer did and any error.
std::string format_exchange(const watch_exchange& x, const watch_style& style);

/// Running totals per public model name.
class watch_totals {
 public:
  void add(const watch_exchange& x);
  bool empty() const { return models_.empty(); }
  /// A block of lines (each ending in '\n'), one per model, sorted by name.
  std::string format(const watch_style& style) const;

 private:
  struct counts {
    int requests = 0, ok = 0, fixed = 0, failed = 0;
    int rescued = 0, repaired = 0, refused = 0, unknown_dropped = 0, text_only = 0;
    std::int64_t input_tokens = 0, output_tokens = 0;
  };
  std::map<std::string, counts> models_;
};

}  // namespace harness_cli
