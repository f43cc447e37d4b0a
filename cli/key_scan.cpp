#include "key_scan.h"

#include <fstream>

namespace harness_cli {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::set<std::string> dotenv_names(const std::string& path) {
  std::set<std::string> names;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string value = trim(line.substr(eq + 1));
    // "" and '' are empty values: the key is not really there.
    if (value.empty() || value == "\"\"" || value == "''") continue;
    names.insert(trim(line.substr(0, eq)));
  }
  return names;
}

}  // namespace harness_cli
