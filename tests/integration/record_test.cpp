// Record and replay over real loopback HTTP: harness-server with record_dir against the fake
// upstream (one server pair shared by every case); harness-cli replay reproduces the client's
// bytes from the recording, reports an edited recording as different, and no key value shows
// in any recorded file, the request log or /metrics.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "http_client.h"
#include "process.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* kKey = "sk-test-SECRET-1234";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct fixture {
  std::string dir = harness_test::make_temp_dir("record");
  std::string record_dir = dir + "/recordings";
  std::unique_ptr<harness_test::child_process> upstream;
  std::unique_ptr<harness_test::child_process> server;
  std::string base;

  fixture() {
    const std::string u = harness_test::start_listening(
        upstream, {HARNESS_FAKE_UPSTREAM_BIN, "--port", "0"}, dir, "upstream");
    std::ofstream cfg(dir + "/harness.toml");
    cfg << "[server]\nport = 0\nretries = 0\nrecord_dir = \"recordings\"\n\n"
        << "[providers.o]\nkind = \"openai\"\nbase_url = \"" << u << "/v1\"\n"
        << "api_key_env = \"HARNESS_RECORD_TEST_KEY\"\n\n"
        << "[providers.l]\nkind = \"ollama\"\nbase_url = \"" << u << "\"\n"
        << "api_key_env = \"HARNESS_RECORD_TEST_KEY\"\n\n"
        << "[[models]]\nname = \"plain\"\nprovider = \"o\"\nmodel = \"frontier\"\n\n"
        << "[[models]]\nname = \"echo\"\nprovider = \"o\"\nmodel = \"echo\"\n\n"
        << "[[models]]\nname = \"texty\"\nprovider = \"l\"\nmodel = \"qwen32b-text\"\n"
        << "rescue = true\n";
    cfg.close();
    setenv("HARNESS_RECORD_TEST_KEY", kKey, 1);
    base = harness_test::start_listening(
        server, {HARNESS_SERVER_BIN, "--config", dir + "/harness.toml"}, dir, "server");
  }
};

fixture& env() {
  static fixture f;
  return f;
}

// The recording whose client request holds `marker`, once its meta.json is written (the
// server writes it just after the client's last byte).
fs::path recording_with(const std::string& marker) {
  for (int i = 0; i < 250; ++i) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(env().record_dir, ec)) {
      if (fs::exists(entry.path() / "meta.json") &&
          slurp(entry.path() / "client-request.json").find(marker) != std::string::npos) {
        return entry.path();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return {};
}

struct run_result {
  int code = -1;
  std::string out;
};

// Runs harness-cli with `args` (shell-quoted by the caller), stdout captured.
run_result cli(const std::string& args) {
  run_result r;
  const std::string command = std::string(HARNESS_CLI_BIN) + " " + args + " 2>&1";
  std::FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const char* kWriteToolOpenAI =
    R"([{"type":"function","function":{"name":"write","parameters":{"type":"object",)"
    R"("properties":{"file_path":{"type":"string"},"content":{"type":"string"}},)"
    R"("required":["file_path","content"]}}}])";
const char* kWriteToolAnthropic =
    R"([{"name":"write","input_schema":{"type":"object","properties":{"file_path":)"
    R"({"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}}])";

// The exchanges every case uses, sent once: a plain OpenAI stream, an Anthropic stream through
// a rescue route (Ollama upstream printing its call as text), a plain JSON answer and an
// exchange whose bodies carry the key (the client sends it, the echo upstream returns it).
struct exchanges {
  harness_test::http_result plain_stream, rescued_stream, plain_json, echoed;
  exchanges() {
    plain_stream = harness_test::http_post(
        env().base + "/v1/chat/completions",
        std::string(R"({"model":"plain","stream":true,"messages":[{"role":"user","content":)"
                    R"("create hello.txt <plain-stream>"}],"tools":)") +
            kWriteToolOpenAI + "}");
    rescued_stream = harness_test::http_post(
        env().base + "/v1/messages",
        std::string(R"({"model":"texty","max_tokens":200,"stream":true,"messages":[{"role":)"
                    R"("user","content":"create hello.txt <rescued-stream>"}],"tools":)") +
            kWriteToolAnthropic + "}");
    plain_json = harness_test::http_post(
        env().base + "/v1/chat/completions",
        R"({"model":"plain","messages":[{"role":"user","content":"what is 2+2 <plain-json>"}]})");
    echoed = harness_test::http_post(
        env().base + "/v1/chat/completions",
        std::string(R"({"model":"echo","messages":[{"role":"user","content":"my key is )") +
            kKey + R"( <echoed>"}]})");
  }
};

const exchanges& sent() {
  static exchanges e;
  return e;
}

}  // namespace

TEST_CASE("recorded exchanges replay to the client bytes they produced", "[integration]") {
  const auto& e = sent();
  REQUIRE(e.plain_stream.status == 200);
  REQUIRE(e.rescued_stream.status == 200);
  REQUIRE(e.plain_json.status == 200);
  // The rescue route really rescued: the client got a tool_use block.
  REQUIRE(e.rescued_stream.body.find("\"tool_use\"") != std::string::npos);

  struct expectation {
    const char* marker;
    const harness_test::http_result* got;
    const char* client_file;
    const char* upstream_file;
  };
  const expectation cases[] = {
      {"<plain-stream>", &e.plain_stream, "client-response.sse", "upstream-response.sse"},
      {"<rescued-stream>", &e.rescued_stream, "client-response.sse", "upstream-response.ndjson"},
      {"<plain-json>", &e.plain_json, "client-response.json", "upstream-response.json"},
  };
  for (const auto& c : cases) {
    INFO(c.marker);
    const fs::path rec = recording_with(c.marker);
    REQUIRE_FALSE(rec.empty());
    // The recording holds exactly the bytes the client got, and the upstream's answer.
    CHECK(slurp(rec / c.client_file) == c.got->body);
    CHECK(fs::file_size(rec / c.upstream_file) > 0);
    CHECK(fs::exists(rec / "upstream-request.json"));
    const run_result r = cli("replay '" + rec.string() + "' --show-diff");
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(r.out.rfind("same: ", 0) == 0);
  }
  // The fixer's work is in the recording's log record.
  const std::string meta = slurp(recording_with("<rescued-stream>") / "meta.json");
  CHECK(meta.find("\"calls_rescued\":1") != std::string::npos);
  CHECK(meta.find("\"rescue\":true") != std::string::npos);
  CHECK(meta.find("\"url_path\":\"/api/chat\"") != std::string::npos);
}

TEST_CASE("an edited recording replays as different, with a diff", "[integration]") {
  (void)sent();
  const fs::path rec = recording_with("<rescued-stream>");
  REQUIRE_FALSE(rec.empty());
  const fs::path copy = fs::path(env().dir) / "edited";
  fs::remove_all(copy);
  fs::copy(rec, copy);
  // One byte of the upstream stream: the tool name the model printed ("write" -> "wrote"),
  // now naming no offered tool, so nothing is rescued.
  std::string stream = slurp(copy / "upstream-response.ndjson");
  const auto at = stream.find("wri");
  REQUIRE(at != std::string::npos);
  stream[at + 2] = 'o';
  std::ofstream(copy / "upstream-response.ndjson", std::ios::binary | std::ios::trunc) << stream;

  const run_result r = cli("replay '" + copy.string() + "' --show-diff");
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(r.out.find("DIFFERENT") != std::string::npos);
  CHECK(r.out.find("@@ -") != std::string::npos);
  // The tool call the client got then is gone now.
  CHECK(r.out.find("\n-data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\"") !=
        std::string::npos);
  CHECK(r.out.find("\n+") != std::string::npos);

  const run_result j = cli("replay '" + copy.string() + "' --json");
  CHECK(j.code == 1);
  CHECK(j.out.find("\"same\":false") != std::string::npos);

  // Not a recording: bad input.
  const run_result bad = cli("replay '" + env().dir + "/nothing-here'");
  CHECK(bad.code == 2);
  fs::create_directories(fs::path(env().dir) / "empty");
  CHECK(cli("replay '" + env().dir + "/empty'").code == 2);
}

TEST_CASE("harness-cli translate reads recorded files directly", "[integration]") {
  (void)sent();
  const fs::path rec = recording_with("<rescued-stream>");
  REQUIRE_FALSE(rec.empty());
  // A recording directory: its upstream stream (Ollama NDJSON, dialect from meta.json).
  const run_result r = cli("translate --in '" + rec.string() + "' --to openai");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("data: [DONE]") != std::string::npos);
  // A recorded file: the client's Anthropic request, to OpenAI.
  const run_result q = cli("translate --in '" + (rec / "client-request.json").string() +
                           "' --to openai");
  INFO(q.out);
  CHECK(q.code == 0);
  CHECK(q.out.find("\"messages\"") != std::string::npos);
  CHECK(q.out.find("\"function\"") != std::string::npos);
}

TEST_CASE("no key value in any recording, the request log or /metrics", "[integration]") {
  const auto& e = sent();
  REQUIRE(e.echoed.status == 200);
  // The echo upstream did carry the key in its answer: redaction had something to do.
  REQUIRE(e.echoed.body.find(kKey) != std::string::npos);
  const fs::path echoed = recording_with("<echoed>");
  REQUIRE_FALSE(echoed.empty());
  CHECK(slurp(echoed / "client-request.json").find("[redacted]") != std::string::npos);
  CHECK(slurp(echoed / "client-response.json").find("[redacted]") != std::string::npos);

  const auto metrics = harness_test::http_get(env().base + "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find(kKey) == std::string::npos);
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(env().record_dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    INFO(entry.path());
    CHECK(slurp(entry.path()).find(kKey) == std::string::npos);
  }
  CHECK(files >= 4 * 5);  // every exchange: 4 bodies + meta.json
  const std::string log = slurp(fs::path(env().dir) / "server.log");
  CHECK(log.find("\"model\":\"echo\"") != std::string::npos);  // the request log is there
  CHECK(log.find(kKey) == std::string::npos);
}
