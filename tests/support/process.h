// process.h: start a helper program (server, fake upstream) for an integration test and stop it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace harness_test {

/// A child process, killed (SIGTERM, then SIGKILL) when the object dies.
class child_process {
 public:
  /// Starts `argv` with stdout+stderr to `log_path`.
  child_process(const std::vector<std::string>& argv, const std::string& log_path) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), environ) != 0) {
      posix_spawn_file_actions_destroy(&fa);
      throw std::runtime_error("cannot start " + argv[0]);
    }
    posix_spawn_file_actions_destroy(&fa);
  }
  ~child_process() { stop(); }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// True while the process runs.
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

/// Waits (bounded) until `path` holds a port number; 0 when it never did.
inline int wait_for_port_file(const std::string& path, std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

/// Starts `argv` plus `--port-file DIR/TAG.port` (log: DIR/TAG.log) into `child` and waits until
/// it listens: "http://127.0.0.1:PORT". Throws when it never wrote its port.
inline std::string start_listening(std::unique_ptr<child_process>& child,
                                   std::vector<std::string> argv, const std::string& dir,
                                   const std::string& tag) {
  const std::string port_file = dir + "/" + tag + ".port";
  std::remove(port_file.c_str());  // a restart must not read the last run's port
  argv.push_back("--port-file");
  argv.push_back(port_file);
  child = std::make_unique<child_process>(argv, dir + "/" + tag + ".log");
  const int port = wait_for_port_file(port_file);
  if (port <= 0) throw std::runtime_error(argv[0] + " did not start: see " + dir + "/" + tag + ".log");
  return "http://127.0.0.1:" + std::to_string(port);
}

/// A fresh temporary directory.
inline std::string make_temp_dir(const char* tag) {
  std::string templ = std::string("/tmp/harness-") + tag + "-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return templ;
}

}  // namespace harness_test
