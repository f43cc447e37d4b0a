// reader.h: validated JSON reading over simdjson's DOM (the only parser of request bodies).
//
// Internal to the library. The DOM parser validates the whole text (syntax, UTF-8, depth) before
// any field is read, so "parsed" means "valid" (style.md, pitfall 13). Strings read out of the
// document are copied: nothing here outlives the parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include <harness/result.h>

#include "json/path.h"

namespace harness::detail {

using json_element = simdjson::dom::element;
using json_object = simdjson::dom::object;
using json_array = simdjson::dom::array;

/// Deepest nesting accepted in a body; deeper input is an error, never a stack overflow.
inline constexpr std::size_t max_json_depth = 512;

/// Parses `body` in full. On failure: errc::invalid_json at "$" with a readable reason.
/// The returned element lives as long as `parser` is not reused.
result<json_element> parse_json(simdjson::dom::parser& parser, std::string_view body);
/// parse_json for a request or response body: the top level must be an object (else an
/// invalid_request "expected an object" at "$").
result<json_object> parse_json_object(simdjson::dom::parser& parser, std::string_view body);

/// The element as compact JSON text (for raw pass-through fields). Bytes are those of
/// simdjson::minify (`\u001f` for control bytes, doubles in simdjson's shortest form), written
/// with the library's block escaper instead of simdjson's byte loop.
std::string raw_json(json_element e);
/// raw_json appended to `out` (no temporary string), e.g. `append_raw_json(w.raw_target(), e)`.
void append_raw_json(std::string& out, json_element e);

/// "expected <what> at <path>" as an invalid_request error.
error type_error(const json_path& path, std::string_view expected);
/// "missing required field" at `path`.
error missing_field(const json_path& path);
/// An invalid_request error with a custom message.
error invalid(const json_path& path, std::string message);

// Typed reads. Each returns false and sets `err` when `e` has the wrong type.
bool read_string(json_element e, const json_path& path, std::string& out, error& err);
bool read_string_view(json_element e, const json_path& path, std::string_view& out, error& err);
/// Accepts integers and floats with an integral value (1.0); rejects other floats.
bool read_int(json_element e, const json_path& path, std::int64_t& out, error& err);
bool read_number(json_element e, const json_path& path, double& out, error& err);
bool read_bool(json_element e, const json_path& path, bool& out, error& err);
bool read_object(json_element e, const json_path& path, json_object& out, error& err);
bool read_array(json_element e, const json_path& path, json_array& out, error& err);

inline bool is_null(json_element e) noexcept { return e.is_null(); }

/// Reads a value that may be absent or of another type (lenient stream parsing): true and
/// `out` set on success, `out` untouched otherwise.
template <class R, class T>
bool get_optional(R&& r, T& out) noexcept {
  return std::forward<R>(r).get(out) == simdjson::SUCCESS;
}

}  // namespace harness::detail
