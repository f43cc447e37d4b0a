// json_compare.h: compare JSON texts by meaning in tests (key order and whitespace ignored).
#pragma once

#include <string>
#include <string_view>

namespace harness_test {

/// `json` re-written compactly with object keys sorted, recursively; "<invalid JSON: ...>"
/// when it does not parse. Two texts mean the same JSON iff their canonical forms are equal.
std::string canonical_json(std::string_view json);

/// The canonical JSON of the value at RFC 6901 `pointer` ("/messages/0/role"), or
/// "<missing>" when there is none. `json_at(body, "")` is the whole document.
std::string json_at(std::string_view json, std::string_view pointer);

/// The string value at `pointer`, or "<missing>"/"<not a string>".
std::string string_at(std::string_view json, std::string_view pointer);

}  // namespace harness_test
