// A minimal coding agent that embeds the gateway in-process (harness::gateway + harness::curl).
//
//   agent_loop CONFIG MODEL WORKDIR TASK
//
// Loads CONFIG (a harness.toml), creates a gateway over the libcurl transport and runs the
// usual agent loop: send the conversation with three file tools confined to WORKDIR
// (read_file, write_file, edit_file), run the calls the model makes, append their results,
// repeat until the model answers without a call. Which upstream, which dialect and which fixes
// (rescue of calls printed as text, tool emulation) apply to MODEL is the config's business:
// the loop only sees canonical harness types.
//
// Exit status: 0 the model finished, 1 an error, 2 usage, 3 no final answer within 8 turns.
#include <harness/config.h>
#include <harness/curl_transport.h>
#include <harness/gateway.h>

#include <simdjson.h>  // any JSON library will do to read tool arguments

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int kMaxTurns = 8;

harness::tool_spec tool(std::string name, std::string description, std::string parameters) {
  harness::tool_spec t;
  t.name = std::move(name);
  t.description = std::move(description);
  t.parameters = std::move(parameters);
  return t;
}

std::vector<harness::tool_spec> file_tools() {
  return {
      tool("read_file", "Read a text file of the project.",
           R"({"type":"object","properties":{"path":{"type":"string"}},"required":["path"]})"),
      tool("write_file", "Create or overwrite a text file of the project.",
           R"({"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}},)"
           R"("required":["path","content"]})"),
      tool("edit_file", "Replace the one occurrence of old_string in a file by new_string.",
           R"({"type":"object","properties":{"path":{"type":"string"},"old_string":{"type":"string"},)"
           R"("new_string":{"type":"string"}},"required":["path","old_string","new_string"]})"),
  };
}

harness::message text_message(harness::role role, std::string text) {
  harness::message m;
  m.role = role;
  m.content.push_back(harness::text_block{std::move(text), {}});
  return m;
}

// What a tool call did: the text the model sees, and whether it failed.
struct outcome {
  std::string text;
  bool ok = true;
};

outcome failure(std::string text) { return {std::move(text), false}; }

// A path inside the work directory; relative, no "..": the model cannot leave it.
std::optional<fs::path> inside(const fs::path& root, std::string_view path) {
  const fs::path p(path);
  if (p.empty() || p.is_absolute()) return std::nullopt;
  for (const auto& part : p) {
    if (part == "..") return std::nullopt;
  }
  return root / p;
}

std::optional<std::string> read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool write_text(const fs::path& file, std::string_view text) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(out);
}

// Runs one call. Arguments are the model's JSON text; a bad one is reported to the model.
outcome run_tool(const fs::path& root, const harness::tool_call_block& call) {
  simdjson::dom::parser parser;
  simdjson::dom::object args;
  if (parser.parse(call.arguments).get(args) != simdjson::SUCCESS) {
    return failure("arguments are not a JSON object");
  }
  auto field = [&](const char* key) -> std::optional<std::string> {
    std::string_view value;
    if (args[key].get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
    return std::string(value);
  };
  const auto path = field("path");
  const auto file = path ? inside(root, *path) : std::nullopt;
  if (!file) return failure("`path` must be a relative path inside the project");

  if (call.name == "read_file") {
    auto text = read_text(*file);
    return text ? outcome{*text} : failure("no such file: " + *path);
  }
  if (call.name == "write_file") {
    const auto content = field("content");
    if (!content) return failure("`content` must be a string");
    if (!write_text(*file, *content)) return failure("cannot write " + *path);
    return {"wrote " + std::to_string(content->size()) + " bytes to " + *path};
  }
  if (call.name == "edit_file") {
    const auto old_string = field("old_string");
    const auto new_string = field("new_string");
    if (!old_string || !new_string || old_string->empty()) {
      return failure("`old_string` and `new_string` must be strings, `old_string` non-empty");
    }
    auto text = read_text(*file);
    if (!text) return failure("no such file: " + *path);
    const auto at = text->find(*old_string);
    if (at == std::string::npos) return failure("old_string does not occur in " + *path);
    if (text->find(*old_string, at + 1) != std::string::npos) {
      return failure("old_string occurs more than once in " + *path);
    }
    text->replace(at, old_string->size(), *new_string);
    if (!write_text(*file, *text)) return failure("cannot write " + *path);
    return {"edited " + *path};
  }
  return failure("unknown tool " + call.name);
}

harness::message tool_result(const harness::tool_call_block& call, outcome done) {
  harness::tool_result_block result;
  result.tool_call_id = call.id;
  result.name = call.name;
  result.content.push_back(harness::text_block{std::move(done.text), {}});
  result.is_error = !done.ok;
  harness::message m;
  m.role = harness::role::tool;
  m.content.push_back(std::move(result));
  return m;
}

std::string first_line(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

int run_agent(harness::gateway& gateway, const char* model, const fs::path& root,
              const char* task);

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: agent_loop CONFIG MODEL WORKDIR TASK\n");
    return 2;
  }
  // libcurl's global state: once, in main, before any transport exists (curl_transport.h).
  harness::curl_global_guard curl;
  if (!curl.ok()) return 1;

  auto cfg = harness::load_config(argv[1]);
  if (!cfg) {
    std::fprintf(stderr, "%s\n", cfg.error_value().describe().c_str());
    return 1;
  }
  for (const std::string& problem : harness::check_config(*cfg)) {
    std::fprintf(stderr, "%s\n", problem.c_str());
  }
  std::shared_ptr<harness::transport> transport = harness::make_curl_transport();
  if (!transport) return 1;
  int status = 0;
  {
    harness::gateway gateway(std::make_shared<const harness::config>(std::move(*cfg)), transport);
    status = run_agent(gateway, argv[2], argv[3], argv[4]);
  }
  // A request's state outlives complete() by a moment on the transport's I/O thread and keeps
  // the transport alive. Releasing the last reference here, after that, makes the destructor
  // join the I/O thread, so libcurl is idle before curl_global_guard ends its global state.
  while (transport.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return status;
}

namespace {

int run_agent(harness::gateway& gateway, const char* model, const fs::path& root,
              const char* task) {
  harness::chat_request request;
  request.model = model;
  request.max_tokens = 2048;
  request.tools = file_tools();
  request.messages.push_back(text_message(
      harness::role::system, "You are a coding agent. Work on the project's files with the tools."));
  request.messages.push_back(text_message(harness::role::user, task));

  for (int turn = 1; turn <= kMaxTurns; ++turn) {
    // Blocking call through the whole pipeline: route, fix, translate, send, translate back.
    auto reply = gateway.complete(request);
    if (!reply) {
      std::fprintf(stderr, "turn %d: %s\n", turn, reply.error_value().describe().c_str());
      return 1;
    }
    request.messages.push_back(reply->message);
    const auto calls = reply->message.tool_calls();
    if (calls.empty()) {
      std::printf("final: %s\n", reply->message.joined_text().c_str());
      return 0;
    }
    for (const harness::tool_call_block* call : calls) {
      outcome done = run_tool(root, *call);
      std::printf("turn %d: %s %s -> %s%s\n", turn, call->name.c_str(), call->arguments.c_str(),
                  done.ok ? "" : "error: ", first_line(done.text).c_str());
      request.messages.push_back(tool_result(*call, std::move(done)));
    }
  }
  std::fprintf(stderr, "no final answer after %d turns\n", kMaxTurns);
  return 3;
}

}  // namespace
