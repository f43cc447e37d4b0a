// request_log.h: where the server writes the request log (one JSON line per exchange).
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace harness_server {

/// The request log's destination: stderr, nothing, or a file appended to. Thread-safe: lines
/// from concurrent exchanges never interleave.
class request_log {
 public:
  /// `setting` is `[server] request_log`: "stderr", "off", or a path (relative paths are taken
  /// from `base_dir`, the config file's directory; empty: the working directory). Returns null
  /// and sets `error` when the file cannot be opened.
  static std::unique_ptr<request_log> open(const std::string& setting, const std::string& base_dir,
                                           std::string& error);
  ~request_log();
  request_log(const request_log&) = delete;
  request_log& operator=(const request_log&) = delete;

  /// False for "off": the caller can skip building lines.
  bool enabled() const noexcept { return mode_ != mode::off; }
  /// Appends `json_line` and a newline, flushed at once (a crash loses nothing written).
  void write(const std::string& json_line);
  /// Reopens the file (after logrotate moved it; SIGHUP). False when it cannot be reopened:
  /// the log then goes on into the old file.
  bool reopen();
  /// The file written to; empty for stderr and off.
  const std::string& path() const noexcept { return path_; }

 private:
  enum class mode { off, stderr_stream, file };
  request_log(mode m, std::string path, std::FILE* file) : mode_(m), path_(std::move(path)), file_(file) {}

  mode mode_;
  std::string path_;
  std::mutex mu_;
  std::FILE* file_ = nullptr;  // owned when mode_ is file
};

/// The directory part of a config file's path ("" for the embedded default or a bare name).
std::string config_directory(const std::string& config_path);

}  // namespace harness_server
