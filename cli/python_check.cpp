#include "python_check.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace harness_cli {
namespace {

// Runs `command`, returning its exit status and (merged) output.
int run(const std::string& command, std::string& output) {
  std::FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

harness::eval::syntax_checker python_syntax_checker() {
  std::string ignored;
  if (run("python3 -c pass 2>&1", ignored) != 0) return {};
  return [](std::string_view source) -> std::optional<std::string> {
    char path[] = "/tmp/harness-eval-XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0) return std::string("cannot create a temporary file");
    const bool written = ::write(fd, source.data(), source.size()) == static_cast<ssize_t>(source.size());
    ::close(fd);
    std::string out;
    // The path comes from mkstemp (no shell metacharacters); the source never reaches the shell.
    const int rc = written ? run("python3 -c 'import ast,sys; ast.parse(open(sys.argv[1]).read())' " +
                                     std::string(path) + " 2>&1",
                                 out)
                           : -1;
    ::unlink(path);
    if (rc == 0) return std::nullopt;
    // The last line of the traceback names the error ("SyntaxError: invalid syntax").
    while (!out.empty() && out.back() == '\n') out.pop_back();
    const std::size_t nl = out.rfind('\n');
    return out.empty() ? std::string("python3 failed") : out.substr(nl == std::string::npos ? 0 : nl + 1);
  };
}

}  // namespace harness_cli
