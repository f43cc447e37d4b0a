#include "request_log.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace harness_server {
namespace {

std::FILE* open_for_append(const std::string& path) {
  // "e": close-on-exec, so no child process inherits the log.
  return std::fopen(path.c_str(), "ae");
}

}  // namespace

std::unique_ptr<request_log> request_log::open(const std::string& setting,
                                               const std::string& base_dir, std::string& error) {
  if (setting == "off") return std::unique_ptr<request_log>(new request_log(mode::off, "", nullptr));
  if (setting == "stderr" || setting.empty()) {
    return std::unique_ptr<request_log>(new request_log(mode::stderr_stream, "", nullptr));
  }
  std::string path = setting;
  if (path.front() != '/' && !base_dir.empty()) path = base_dir + "/" + path;
  std::FILE* f = open_for_append(path);
  if (f == nullptr) {
    error = "cannot open request_log " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<request_log>(new request_log(mode::file, std::move(path), f));
}

request_log::~request_log() {
  if (file_ != nullptr) std::fclose(file_);
}

void request_log::write(const std::string& json_line) {
  if (mode_ == mode::off) return;
  std::string line = json_line;
  line += '\n';
  std::lock_guard lock(mu_);
  std::FILE* out = mode_ == mode::file ? file_ : stderr;
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

bool request_log::reopen() {
  if (mode_ != mode::file) return true;
  std::FILE* fresh = open_for_append(path_);
  if (fresh == nullptr) return false;
  std::lock_guard lock(mu_);
  std::fclose(file_);
  file_ = fresh;
  return true;
}

std::string config_directory(const std::string& config_path) {
  const auto slash = config_path.rfind('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : config_path.substr(0, slash);
}

}  // namespace harness_server
