// escape.h: the one JSON string escaper (runs of plain bytes copied 16 at a time).
//
// Internal to the library. Used by json_writer (strings and keys) and by raw_json (DOM to text),
// so both write strings at memcpy-like speed instead of one byte per call.
#pragma once

#include <string>
#include <string_view>

namespace harness::detail {

/// How control characters without a short form are written: RapidJSON's Writer says
/// `\u001F` (upper), simdjson's minify says `\u001f` (lower). Each caller keeps its bytes.
enum class hex_case { upper, lower };

/// Appends `prefix` (when not '\0'), then `s` as a JSON string literal (quotes included).
/// Escapes `"`, `\` and bytes below 0x20 (\b \t \n \f \r, else \u00XX); other bytes are copied.
/// When `validate`, `s` must be valid UTF-8: otherwise nothing is appended and false returned.
bool append_json_string(std::string& out, char prefix, std::string_view s, hex_case hex,
                        bool validate);

}  // namespace harness::detail
