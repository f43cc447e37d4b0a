// jvalue.h: a small owned JSON value and a lenient parser for model-written JSON-like text.
//
// Internal to the rescue module. The parser is a hand-written recursive descent with a depth
// bound (no std::regex, no exceptions). It reads three syntaxes:
//   json   - JSON plus the leniencies of the repair ladder (single quotes, unquoted keys,
//            trailing commas, Python literals, comments, raw control characters in strings);
//   python - the same plus tuples and triple-quoted strings (pythonic tool calls);
//   gemma  - FunctionGemma / Gemma 4 `{k:v}` with <escape>...<escape> or <|"|>...<|"|> strings
//            and bare words typed by syntax.
// Numbers keep their lexeme, so a value is written back exactly as the model wrote it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace harness::detail::rescue {

struct jvalue {
  enum class kind : unsigned char { null, boolean, number, string, array, object };
  kind k = kind::null;
  bool b = false;
  std::string s;                  ///< string value, or the number lexeme
  std::vector<jvalue> items;      ///< array elements, or object member values
  std::vector<std::string> keys;  ///< object member keys, parallel to `items`

  static jvalue object() {
    jvalue v;
    v.k = kind::object;
    return v;
  }
  static jvalue string(std::string text) {
    jvalue v;
    v.k = kind::string;
    v.s = std::move(text);
    return v;
  }
  bool is(kind want) const noexcept { return k == want; }
  /// The member named `key` (first match), or nullptr.
  const jvalue* find(std::string_view key) const noexcept;
  jvalue* find(std::string_view key) noexcept;
  /// Removes every member named `key`.
  void erase(std::string_view key);
  /// Appends a member (objects only).
  void add(std::string key, jvalue value);
};

enum class syntax { json, python, gemma };

/// Why a parse failed. `string_open` means the text ended inside a string (a cut value that
/// must never be completed).
enum class parse_fail { none, syntax, string_open, depth };

/// Parses one value starting at `pos` (leading whitespace and comments are skipped); on
/// success `pos` is just past the value. With `close_at_end`, a text that ends inside arrays or
/// objects after a complete value (or a trailing comma) is closed; a text ending inside a
/// string, after a key or after ':' still fails.
parse_fail parse_value(std::string_view text, std::size_t& pos, jvalue& out, syntax sx,
                       bool close_at_end);

/// The whole text must be exactly one value, whitespace around it allowed.
parse_fail parse_whole(std::string_view text, jvalue& out, syntax sx, bool close_at_end);

/// Compact JSON of `v` appended to `out`; false when a string is not valid UTF-8.
bool write_json(const jvalue& v, std::string& out);

/// True for a lexeme that is a valid JSON number.
bool is_json_number(std::string_view s) noexcept;

}  // namespace harness::detail::rescue
