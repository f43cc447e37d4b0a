// json_fields.h: fields a codec does not model, kept verbatim so nothing a client sent is lost.
// A regular value type (see message.h); lookups are linear (the lists are short).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harness {
inline namespace v0 {

/// An ordered list of (key, raw JSON value) pairs. Values are complete, validated JSON texts
/// (the decoder validated them), written back as they came. Order is the client's order.
struct json_fields {
  std::vector<std::pair<std::string, std::string>> items;

  bool empty() const noexcept { return items.empty(); }
  /// The raw JSON of `key`, or nullptr.
  const std::string* find(std::string_view key) const noexcept;
  /// Insert or replace `key` with the raw JSON text `raw_value` (caller guarantees validity).
  void set(std::string key, std::string raw_value);
  /// Remove `key` if present; returns whether it was there.
  bool erase(std::string_view key);

  friend bool operator==(const json_fields&, const json_fields&) = default;
};

}  // namespace v0
}  // namespace harness
