// repair.h: tolerant reading of tool-call arguments written by models, and typing them from
// the tool's JSON schema (rescue-formats.md E.3-E.4).
//
// Pure functions: no global state, safe to call from any thread, linear in the input size
// (nesting is bounded at 512 levels; deeper input is refused, never a stack overflow).
#pragma once

#include <harness/result.h>

#include <string>
#include <string_view>

namespace harness {
inline namespace v0 {

/// Reads `text` as the arguments of a tool call and returns them as a compact JSON object.
///
/// The repair ladder, cheapest first, stopping at the first step that succeeds:
///  1. strict JSON;
///  2. lenient JSON: single-quoted strings, unquoted (identifier) keys, trailing commas,
///     Python literals True/False/None, // and /* */ comments, raw control characters inside
///     strings, a whole text whose quotes were backslash-escaped (`{\"a\": 1}`);
///  3. missing closing brackets appended, only when the text ends after a complete value with
///     no string open;
///  4. unwrapping: a surrounding code fence, a JSON string holding the object (decoded once),
///     a one-element array holding the object; "" / null / whitespace become {}.
/// The inside of a string is never patched: a text cut inside a string value, or whose result
/// is not an object, is refused with errc::invalid_json (the caller keeps the text as content).
result<std::string> repair_arguments(std::string_view text);

/// How far `coerce_arguments` goes.
enum class coerce_scope {
  all,        ///< strings become integer/number/boolean/null/array/object values per the schema
  containers  ///< only strings holding an array or object are decoded (JSON-native formats)
};

/// Types the top-level members of the JSON object `object_json` from `json_schema` (a JSON
/// Schema with `properties`; `type` may be a string or a list, `anyOf`/`oneOf` are read too):
/// "5" -> 5 for an integer parameter, "true" -> true for a boolean, a string holding an
/// object/array -> that object/array when the schema says object/array. A parameter typed
/// `string` (or absent from the schema) is kept verbatim even when it looks like a number; a
/// value that does not convert is kept as it is. Never fails: when either input is not valid,
/// `object_json` is returned unchanged.
std::string coerce_arguments(std::string_view object_json, std::string_view json_schema,
                             coerce_scope scope = coerce_scope::all);

}  // namespace v0
}  // namespace harness
