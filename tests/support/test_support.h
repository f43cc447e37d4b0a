// test_support.h: small helpers shared by the tests (file loading, JSON comparison).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace harness_test {

/// Whole file as a string; throws (failing the test) when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string shared_path(const std::string& rel) { return std::string(HARNESS_SHARED_DIR) + "/" + rel; }
inline std::string data_path(const std::string& rel) { return std::string(HARNESS_TEST_DATA_DIR) + "/" + rel; }

}  // namespace harness_test
