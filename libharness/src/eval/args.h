// args.h: reading a tool call's arguments and checking them against the tool's JSON schema
// (the BFCL AST checks: required, types, enums, no extra keys when additionalProperties is
// false). Internal to the evaluator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harness::eval_internal {

struct schema_check {
  bool parsed = false;                  ///< the arguments are JSON
  bool object = false;                  ///< ... and an object
  std::vector<std::string> errors;      ///< "missing required 'file_path'", "'limit': expected integer"
  std::vector<std::string> coercible;   ///< "'replace_all': \"true\" for a boolean"
};

/// Checks `arguments` (JSON text) against `schema` (JSON schema text; empty: any object).
schema_check check_arguments(std::string_view arguments, std::string_view schema);

/// The string value of top-level key `key`; nullopt when absent, not a string, or not JSON.
std::optional<std::string> string_arg(std::string_view arguments, std::string_view key);

/// The boolean value of top-level key `key` (false when absent or not a boolean).
bool bool_arg(std::string_view arguments, std::string_view key);

/// The strings of an array value (Codex `shell` argv); nullopt when not an array of strings.
std::optional<std::vector<std::string>> strings_arg(std::string_view arguments, std::string_view key);

/// True when both texts are JSON with the same value (key order and spacing aside).
bool same_json(std::string_view a, std::string_view b);

/// The property names a tool's JSON schema declares (empty when none or not JSON).
std::vector<std::string> schema_properties(std::string_view schema);

/// Top-level keys of the arguments object (empty when not an object).
std::vector<std::string> arg_keys(std::string_view arguments);

}  // namespace harness::eval_internal
