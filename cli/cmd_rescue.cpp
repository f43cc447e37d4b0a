// harness-cli rescue: find the tool calls a model printed as text.
//
//   harness-cli rescue --jsonl [--chunk N]   corpus-format lines on stdin, one JSON line out each
//   harness-cli rescue --tools a,b [--chunk N]   one reply as text on stdin, one JSON object out
//
// With --chunk N the stream rescuer is fed N-byte chunks (its output must not depend on it).
#include <harness/rescue.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "io.h"

namespace harness_cli {
namespace {

struct rescue_args {
  bool jsonl = false;
  std::size_t chunk = 0;
  std::string tools;
};

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= list.size()) {
    const auto comma = list.find(',', from);
    const std::size_t to = comma == std::string::npos ? list.size() : comma;
    std::string name = list.substr(from, to - from);
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!name.empty()) out.push_back(std::move(name));
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return out;
}

int run_jsonl(const rescue_args& args) {
  const std::string input = read_all(stdin);
  std::size_t line_no = 0;
  std::size_t from = 0;
  while (from < input.size()) {
    const auto nl = input.find('\n', from);
    const std::size_t to = nl == std::string::npos ? input.size() : nl;
    std::string_view line(input.data() + from, to - from);
    from = to + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto out = harness::rescue_jsonl_line(line, args.chunk);
    if (!out) {
      std::fflush(stdout);
      std::fprintf(stderr, "harness-cli rescue: line %zu: %s\n", line_no,
                   out.error_value().describe().c_str());
      return exit_bad_input;
    }
    std::string text = std::move(*out);
    text += '\n';
    if (!write_out(text)) return exit_failure;
  }
  return exit_ok;
}

int run_text(const rescue_args& args) {
  const std::string input = read_all(stdin);
  harness::rescue_options options;
  options.tools_offered = split_names(args.tools);
  harness::rescue_result result;
  if (args.chunk == 0) {
    result = harness::rescue_text(input, options);
  } else {
    harness::stream_rescuer stream(options);
    harness::rescue_events events;
    for (std::size_t i = 0; i < input.size(); i += args.chunk) {
      stream.feed(std::string_view(input).substr(i, args.chunk), events);
    }
    stream.finish(events);
    harness::accumulate(result, events);
  }
  return write_out(harness::rescue_result_json(result) + "\n") ? exit_ok : exit_failure;
}

}  // namespace

void register_rescue(CLI::App& app, command_action& action) {
  auto args = std::make_shared<rescue_args>();
  auto* cmd = app.add_subcommand("rescue",
                                 "Promote tool calls printed as text into real calls "
                                 "(stdin -> JSON on stdout)");
  cmd->add_flag("--jsonl", args->jsonl,
                "Read rescue-corpus lines ({id, text, tools_offered, param_types}) and write one "
                "result line per input line");
  cmd->add_option("--chunk", args->chunk,
                  "Feed the streaming rescuer N-byte chunks instead of rescuing the whole text")
      ->check(CLI::Validator(
          [](const std::string& v) {
            return v.find_first_not_of("0123456789") == std::string::npos &&
                           v.find_first_not_of('0') != std::string::npos
                       ? std::string()
                       : std::string("must be a positive integer");
          },
          "N>0"));
  cmd->add_option("--tools", args->tools, "Offered tool names, comma separated (text mode)");
  cmd->callback([args, &action] {
    action = [args] { return args->jsonl ? run_jsonl(*args) : run_text(*args); };
  });
}

}  // namespace harness_cli
