// key_scan.h: which provider keys this machine has (environment or ./.env), by name only.
#pragma once

#include <set>
#include <string>

namespace harness_cli {

/// Names of the variables a `.env` file sets to a non-empty value (KEY=VALUE lines, optional
/// `export `, `#` comments). Values are never kept. Empty when the file cannot be read.
std::set<std::string> dotenv_names(const std::string& path);

}  // namespace harness_cli
