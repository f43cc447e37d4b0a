// --log: one JSON line per request received.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "json.h"

namespace fake {

class RequestLog {
public:
  /// An empty path disables the log. Returns false when the file cannot be opened.
  bool open(const std::string &path);
  ~RequestLog();
  void write(const Json &line);

private:
  std::mutex mu_;
  std::FILE *file_ = nullptr;
};

}  // namespace fake
