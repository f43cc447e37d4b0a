// harness-fake-upstream: a scripted stand-in for OpenAI, Anthropic and Ollama servers.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include <CLI/CLI.hpp>

#include "server.h"

namespace {

bool write_port_file(const std::string &path, int port) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!(out << port << '\n')) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char **argv) {
  CLI::App app{"Scripted fake LLM upstream speaking the OpenAI, Anthropic and Ollama wire formats.\n"
               "Behaviour is chosen by the request's model name (frontier*, qwen32b-text*, qwen7b*,\n"
               "chatonly*, echo*, fault-*; suffix @paced[MS] spaces stream events)."};
  int port = 0;
  std::string host = "127.0.0.1";
  std::string port_file;
  std::string log_path;
  std::size_t threads = 32;
  app.add_option("--port", port, "Port to listen on (0 = pick a free one)")->check(CLI::Range(0, 65535));
  app.add_option("--host", host, "Address to bind (loopback by default)");
  app.add_option("--port-file", port_file, "Write the bound port to this file once listening");
  app.add_option("--log", log_path, "Append one JSON line per request received");
  app.add_option("--threads", threads, "Worker threads")->check(CLI::Range(1, 1024));
  CLI11_PARSE(app, argc, argv);

  std::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // inherited by every worker thread

  fake::RequestLog log;
  if (!log.open(log_path)) {
    std::fprintf(stderr, "harness-fake-upstream: cannot open log file %s\n", log_path.c_str());
    return 1;
  }
  fake::FakeServer server(log, threads);
  int bound = server.bind(host, port);
  if (bound <= 0) {
    std::fprintf(stderr, "harness-fake-upstream: cannot listen on %s:%d\n", host.c_str(), port);
    return 1;
  }
  if (!port_file.empty() && !write_port_file(port_file, bound)) {
    std::fprintf(stderr, "harness-fake-upstream: cannot write %s\n", port_file.c_str());
    return 1;
  }
  std::fprintf(stderr, "harness-fake-upstream: listening on %s:%d\n", host.c_str(), bound);

  std::thread([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  }).detach();
  return server.serve() ? 0 : 1;
}
