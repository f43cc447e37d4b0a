// harness-cli translate: captured JSON of one dialect on stdin, the other dialect's on stdout.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <ctime>
#include <memory>

#include <harness/fixer.h>
#include <harness/stream.h>
#include <harness/translate.h>

#include "commands.h"
#include "io.h"
#include "recording_input.h"

namespace harness_cli {
namespace {

struct translate_args {
  std::string from;
  std::string to;
  std::string kind = "request";
  std::int64_t default_max_tokens = 0;
  std::string in;           ///< a file or a recording directory; empty: stdin
  bool kind_given = false;  ///< --kind was on the command line
};

// A captured stream, translated as it is read: each piece read from stdin is written out at
// once (no buffering of the whole input), so `tail -f capture | harness-cli translate ...` works.
int run_stream(harness::dialect from, harness::dialect to, std::FILE* input) {
  harness::stream_encoder_options options;
  options.include_usage = true;
  options.created = static_cast<std::int64_t>(std::time(nullptr));
  harness::stream_translator translator(from, to, options);
  std::string out;
  char buf[16384];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, input)) > 0) {
    translator.feed(std::string_view(buf, n), out);
    if (!write_out(out)) return exit_failure;
    std::fflush(stdout);
    out.clear();
  }
  translator.finish(out);
  if (!write_out(out)) return exit_failure;
  return exit_ok;
}

int run_translate(translate_args args) {
  std::FILE* in = stdin;
  if (!args.in.empty()) {
    // A recorded file: the dialect and the kind come from the recording when not given.
    recorded_input recorded;
    std::string error;
    if (!resolve_recorded_input(args.in, recorded, error)) {
      std::fprintf(stderr, "harness-cli translate: %s\n", error.c_str());
      return exit_bad_input;
    }
    if (args.from.empty() && recorded.from) args.from = harness::to_string(*recorded.from);
    if (!args.kind_given && recorded.kind) args.kind = *recorded.kind;
    in = std::fopen(recorded.path.c_str(), "rb");
    if (in == nullptr) {
      std::fprintf(stderr, "harness-cli translate: cannot read %s\n", recorded.path.c_str());
      return exit_bad_input;
    }
  }
  struct closer {
    std::FILE* f;
    ~closer() { if (f != stdin) std::fclose(f); }
  } close_in{in};
  if (args.from.empty()) {
    std::fprintf(stderr, "harness-cli translate: --from is required (no recording's meta.json "
                         "names the dialect)\n");
    return exit_bad_input;
  }
  const auto from = harness::parse_dialect(args.from);
  const auto to = harness::parse_dialect(args.to);
  if (args.kind == "stream") return run_stream(*from, *to, in);
  const std::string input = read_all(in);
  harness::result<std::string> out = std::string();
  if (args.kind == "request") {
    harness::encode_options options;
    options.default_max_tokens = args.default_max_tokens;
    auto request = harness::decode_request(*from, input);
    if (request && *from != *to) {
      // Hosted / server tools (web_search, ...) only their own dialect runs: dropped with a
      // note, as the proxy does, rather than refused by the target's encoder.
      std::string dropped;
      for (const std::string& name : harness::drop_hosted_tools(*request, *to)) {
        dropped += (dropped.empty() ? "" : ", ") + name;
      }
      if (!dropped.empty()) std::fprintf(stderr, "harness-cli translate: dropped tools: %s\n", dropped.c_str());
    }
    out = request ? harness::encode_request(*to, *request, options)
                  : harness::result<std::string>(std::move(request).error_value());
  } else {
    out = harness::translate_response(*from, *to, input);
  }
  if (!out) {
    std::fprintf(stderr, "harness-cli translate: %s\n", out.error_value().describe().c_str());
    return exit_bad_input;
  }
  std::string text = std::move(*out);
  text += '\n';
  return write_out(text) ? exit_ok : exit_failure;
}

}  // namespace

void register_translate(CLI::App& app, command_action& action) {
  auto args = std::make_shared<translate_args>();
  auto* cmd = app.add_subcommand("translate",
                                 "Translate a captured request or response between dialects "
                                 "(stdin -> stdout)");
  const std::vector<std::string> dialects{"openai", "anthropic", "ollama", "responses"};
  cmd->add_option("--from", args->from,
                  "Dialect of the input (default with --in: from the recording's meta.json)")
      ->check(CLI::IsMember(dialects));
  cmd->add_option("--to", args->to, "Dialect of the output")
      ->required()
      ->check(CLI::IsMember(dialects));
  auto* kind = cmd->add_option("--kind", args->kind,
                               "What the input is (default with --in: from the file's name)")
                   ->check(CLI::IsMember({"request", "response", "stream"}))
                   ->capture_default_str();
  cmd->add_option("--in", args->in,
                  "Read this file, or a recording directory's upstream response, instead of "
                  "stdin")
      ->check(CLI::ExistingPath);
  cmd->add_option("--default-max-tokens", args->default_max_tokens,
                  "Output limit to send when the request has none and the target requires one");
  cmd->callback([args, kind, &action] {
    args->kind_given = kind->count() > 0;
    action = [args] { return run_translate(*args); };
  });
}

}  // namespace harness_cli
