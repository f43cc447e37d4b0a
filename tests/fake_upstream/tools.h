// Recognising what an offered tool is for, and filling its arguments from its JSON schema.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json.h"
#include "request.h"

namespace fake {

enum class ToolRole { write, read, edit, shell, glob, grep, list, patch, other };

/// The job of a tool, judged by its name (write / Write / write_file, view / Read, bash ...).
ToolRole role_of(std::string_view tool_name);

/// The first offered tool with that role, or nullptr.
const ToolDef *find_tool(const std::vector<ToolDef> &tools, ToolRole role);

/// Values a scripted model puts into well-known parameters.
struct ArgHints {
  std::string path = "hello.txt";
  std::string content = "hello\n";
  std::string command = "ls";
  std::string pattern = "*";
  std::string old_string;
  std::string new_string;
  std::string description = "Create hello.txt";
  std::string prompt = "hello";
  std::string patch;
};

/// Builds an arguments object from the tool's schema: required properties (or, when the schema
/// lists none, the well-known ones), typed as the schema says.
Json build_arguments(const ToolDef &tool, const ArgHints &hints);

/// A minimal value valid for a JSON schema (structured output).
Json sample_for_schema(const Json &schema);

/// The file path in a call's arguments (file_path / filePath / path ...), "" when none.
std::string path_argument(const Json &arguments);

}  // namespace fake
