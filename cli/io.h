// io.h: reading stdin whole or in pieces, for the CLI commands.
#pragma once

#include <cstdio>
#include <string>

namespace harness_cli {

/// Reads all of `in` (binary).
inline std::string read_all(std::FILE* in) {
  std::string out;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) out.append(buf, n);
  return out;
}

/// Writes `s` to stdout in full; false on a write error.
inline bool write_out(const std::string& s) {
  return std::fwrite(s.data(), 1, s.size(), stdout) == s.size();
}

}  // namespace harness_cli
