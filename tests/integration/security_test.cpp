// Hostile clients against harness-server over real loopback HTTP: a generated suite of broken
// and malicious requests on every route (each a 4xx in the route's dialect, the server alive,
// the next valid request fine); the upstream host cannot be changed by anything a request
// carries; cross-site browser requests are refused; API keys never show in any output.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "http_client.h"
#include "json_compare.h"
#include "process.h"
#include "raw_upstream.h"

using harness_test::http_get;
using harness_test::http_result;
using harness_test::json_at;
using harness_test::string_at;

namespace {

// Known key values: every output of the run is searched for them.
constexpr const char* kOpenAIKey = "sk-sec-OPENAI-6f1d2c9a8b7e";
constexpr const char* kAnthropicKey = "sk-ant-sec-ANTHROPIC-3a4b5c6d";
constexpr const char* kDeadKey = "sk-sec-DEAD-ffee0011";

struct fixture {
  std::string dir = harness_test::make_temp_dir("security");
  std::unique_ptr<harness_test::child_process> upstream;
  std::unique_ptr<harness_test::child_process> server;
  std::string base;
  int upstream_port = 0;

  fixture() {
    const std::string u = harness_test::start_listening(
        upstream,
        {HARNESS_FAKE_UPSTREAM_BIN, "--port", "0", "--log", dir + "/upstream-requests.jsonl"},
        dir, "upstream");
    upstream_port = std::stoi(u.substr(u.rfind(':') + 1));
    std::ofstream cfg(dir + "/harness.toml");
    // Exact names only: a hostile model name matches no route.
    cfg << "[server]\nport = 0\nmax_body_bytes = 262144\nretries = 0\n"
           "first_byte_timeout_ms = 3000\n\n"
        << "[providers.o]\nkind = \"openai\"\nbase_url = \"" << u << "/v1\"\n"
        << "api_key_env = \"HARNESS_SEC_OPENAI_KEY\"\n\n"
        << "[providers.a]\nkind = \"anthropic\"\nbase_url = \"" << u << "\"\n"
        << "api_key_env = \"HARNESS_SEC_ANTHROPIC_KEY\"\n\n"
        << "[providers.dead]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\n"
        << "api_key_env = \"HARNESS_SEC_DEAD_KEY\"\n\n"
        << "[[models]]\nname = \"good\"\nprovider = \"o\"\nmodel = \"frontier\"\n\n"
        << "[[models]]\nname = \"good-anthropic\"\nprovider = \"a\"\nmodel = \"frontier\"\n\n"
        << "[[models]]\nname = \"echo\"\nprovider = \"o\"\nmodel = \"echo\"\n\n"
        << "[[models]]\nname = \"fails-500\"\nprovider = \"a\"\nmodel = \"fault-500\"\n\n"
        << "[[models]]\nname = \"fails-401\"\nprovider = \"o\"\nmodel = \"fault-200-error\"\n\n"
        << "[[models]]\nname = \"dead\"\nprovider = \"dead\"\nmodel = \"m\"\n\n"
        << "[[models]]\nname = \"pass/*\"\nprovider = \"o\"\n";
    cfg.close();
    setenv("HARNESS_SEC_OPENAI_KEY", kOpenAIKey, 1);
    setenv("HARNESS_SEC_ANTHROPIC_KEY", kAnthropicKey, 1);
    setenv("HARNESS_SEC_DEAD_KEY", kDeadKey, 1);
    base = harness_test::start_listening(
        server, {HARNESS_SERVER_BIN, "--config", dir + "/harness.toml"}, dir, "server");
  }
};

fixture& env() {
  static fixture f;
  return f;
}

// Everything a client saw during the run, for the key search.
std::string& seen() {
  static std::string all;
  return all;
}

http_result post(const std::string& path, const std::string& body,
                 std::vector<std::string> headers = {"content-type: application/json"}) {
  auto r = harness_test::http_request("POST", env().base + path, body, headers, 0, 15000);
  seen() += r.headers + r.body;
  return r;
}

enum class route { openai, anthropic, ollama, responses };

struct route_info {
  route r;
  const char* path;
  const char* valid;  ///< a valid body whose model is MODEL
};

const route_info kRoutes[] = {
    {route::openai, "/v1/chat/completions",
     R"({"model":"MODEL","messages":[{"role":"user","content":"hi"}],"max_tokens":16,"stream":false})"},
    {route::anthropic, "/v1/messages",
     R"({"model":"MODEL","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"stream":false})"},
    {route::ollama, "/api/chat",
     R"({"model":"MODEL","messages":[{"role":"user","content":"hi"}],"stream":false})"},
    {route::responses, "/v1/responses", R"({"model":"MODEL","input":"hi","stream":false})"},
};

std::string with_model(const char* body, const std::string& model_json) {
  std::string b = body;
  b.replace(b.find("\"MODEL\""), 7, model_json);
  return b;
}

// True when `body` is an error in the route's dialect.
bool dialect_error(route r, const http_result& res) {
  if (res.header("content-type").find("application/json") != 0) return false;
  switch (r) {
    case route::anthropic:
      return string_at(res.body, "/type") == "error" && json_at(res.body, "/error/type") != "<missing>" &&
             json_at(res.body, "/error/message") != "<missing>";
    case route::ollama: return json_at(res.body, "/error") != "<missing>" &&
                               json_at(res.body, "/error").front() == '"';
    case route::openai:
    case route::responses:
      return json_at(res.body, "/error/message") != "<missing>";
  }
  return false;
}

// The hostile bodies for one route, generated: each is (label, body, extra headers).
struct hostile {
  std::string label;
  std::string body;
  std::vector<std::string> headers = {"content-type: application/json"};
};

std::vector<hostile> hostile_requests(const route_info& ri) {
  std::vector<hostile> out;
  const std::string valid = with_model(ri.valid, "\"good\"");
  // 1. Wrong types for every top-level field of the valid body, and for the message parts.
  const char* wrong[] = {"null", "true", "-1", "1e308", "\"text\"", "[]", "{}", "[[[]]]",
                         "18446744073709551616"};
  const char* fields[] = {"model", "messages", "max_tokens", "stream", "input"};
  for (const char* f : fields) {
    const std::string key = std::string("\"") + f + "\":";
    const auto at = valid.find(key);
    if (at == std::string::npos) continue;
    // The value runs to the next top-level ',' or the closing '}' (values here are simple or
    // one balanced array).
    std::size_t end = at + key.size();
    int depth = 0;
    for (; end < valid.size(); ++end) {
      const char c = valid[end];
      if (c == '[' || c == '{') ++depth;
      if (c == ']' || c == '}') {
        if (depth == 0) break;
        --depth;
      }
      if (c == ',' && depth == 0) break;
    }
    for (const char* w : wrong) {
      std::string b = valid;
      b.replace(at + key.size(), end - at - key.size(), w);
      if (b == valid) continue;
      out.push_back({std::string("type ") + f + "=" + w, b});
    }
  }
  if (ri.r != route::responses) {
    for (const char* w : {"null", "5", "[5]", "{\"x\":1}", "[{\"type\":\"nope\"}]", "\"\""}) {
      std::string b = valid;
      b.replace(b.find("\"content\":\"hi\""), 14, std::string("\"content\":") + w);
      out.push_back({std::string("content=") + w, b});
    }
    for (const char* role : {"\"wizard\"", "5", "null", "\"\""}) {
      std::string b = valid;
      b.replace(b.find("\"role\":\"user\""), 13, std::string("\"role\":") + role);
      out.push_back({std::string("role=") + role, b});
    }
    for (const char* msgs : {"[]", "[null]", "[1,2,3]", "[[]]", "[{}]", "[{\"role\":\"user\"}]"}) {
      std::string b = valid;
      const auto m = b.find("\"messages\":[");
      b.replace(m, b.find(']', m) - m + 1, std::string("\"messages\":") + msgs);
      out.push_back({std::string("messages=") + msgs, b});
    }
  }
  // 2. Hostile model names: none may match a route, reach a file or a header, or move the host.
  const std::string nul(1, '\0');
  const char* names[] = {
      R"("good\r\nX-Injected: 1")", R"("good\nHost: evil.example")", R"("good\u0000tail")",
      R"("../../../../etc/passwd")", R"("..%2f..%2fetc%2fpasswd")", R"("/etc/passwd")",
      R"("http://evil.example/v1")", R"("https://evil.example:443/v1/chat/completions")",
      R"("//evil.example")", R"("good@evil.example")", R"("good#frag")", R"("good?x=1")",
      R"("\ud800")", R"("")", R"(" ")", R"("good ")", R"("GOOD")", R"("pass")",
      R"("${HARNESS_SEC_OPENAI_KEY}")", "\"$(id)\"", R"("%s%s%s%n")", R"("{{7*7}}")"};
  for (const char* n : names) out.push_back({std::string("model ") + n, with_model(ri.valid, n)});
  out.push_back({"model 64KiB", with_model(ri.valid, "\"" + std::string(65536, 'm') + "\"")});
  // 3. Invalid UTF-8 and raw control bytes inside strings.
  for (const char* bad : {"\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\x80"}) {
    out.push_back({"invalid utf-8 in model", with_model(ri.valid, std::string("\"good") + bad + "\"")});
    std::string b = valid;
    b.replace(b.find("\"hi\""), 4, std::string("\"hi") + bad + "\"");
    out.push_back({"invalid utf-8 in text", b});
  }
  for (const std::string& ctl : {nul, std::string("\x01"), std::string("\n"), std::string("\x1f")}) {
    out.push_back({"raw control byte in model", with_model(ri.valid, "\"go" + ctl + "od\"")});
  }
  out.push_back({"NUL before the body", nul + valid});
  out.push_back({"NUL after the body", valid + nul});
  // 4. Huge numbers and deep nesting.
  for (const char* n : {"1e400", "-1e400", "99999999999999999999999999", "-9223372036854775809",
                        "9223372036854775808", "0.5", "-0", "1e-400", "NaN", "Infinity"}) {
    std::string b = valid;
    const auto m = b.find("\"stream\":false");
    b.insert(m, std::string("\"temperature\":") + n + ",");
    if (ri.r != route::responses && ri.r != route::ollama) {
      const auto t = b.find("\"max_tokens\":16");
      if (t != std::string::npos) b.replace(t, 15, std::string("\"max_tokens\":") + n);
    }
    out.push_back({std::string("number ") + n, b});
  }
  for (int depth : {64, 1000, 20000}) {
    std::string deep = std::string(depth, '[') + std::string(depth, ']');
    std::string b = valid;
    b.replace(b.find("\"hi\""), 4, deep);
    out.push_back({"nested arrays " + std::to_string(depth), b});
    std::string obj;
    for (int i = 0; i < depth; ++i) obj += "{\"a\":";
    obj += "1" + std::string(depth, '}');
    out.push_back({"nested objects " + std::to_string(depth), "{\"model\":\"good\",\"x\":" + obj + "}"});
  }
  // 5. Not JSON, not an object, truncated, duplicated.
  for (const char* b : {"", " ", "null", "[]", "\"str\"", "42", "{", "}", "{\"model\":", "{}{}",
                        "{\"model\":\"good\"", "<xml/>", "model=good&messages=hi", "\xef\xbb\xbf{}",
                        "{\"model\":\"good\",\"model\":\"pass/x\"}", "{'model':'good'}"}) {
    out.push_back({std::string("not a request: ") + b, b});
  }
  out.push_back({"truncated valid body", valid.substr(0, valid.size() / 2)});
  out.push_back({"oversized body (413)", with_model(ri.valid, "\"" + std::string(300000, 'x') + "\"")});
  out.push_back({"body under the limit but its model unknown", with_model(ri.valid, "\"nope\"")});
  // 6. Content types a browser sends cross-site without asking (CSRF), and a cross-site Origin.
  out.push_back({"text/plain", valid, {"content-type: text/plain"}});
  out.push_back({"multipart", valid, {"content-type: multipart/form-data; boundary=x"}});
  out.push_back({"cross-site origin", valid,
                 {"content-type: application/json", "origin: https://evil.example"}});
  out.push_back({"null origin", valid, {"content-type: application/json", "origin: null"}});
  return out;
}

// 413 for bodies over the limit; 400, 403, 404, 415 or 422 otherwise; never 5xx or 2xx.
bool acceptable_status(long s) { return s >= 400 && s < 500; }

// Variants the generator makes that the real API accepts, so the proxy must too (200):
// null for an optional field means "not set" (OpenAI's reference marks max_tokens and stream
// nullable; Anthropic's and Ollama's servers treat null as absent), `stream:true` and a string
// `input` (Responses) are valid values, an empty or null content and a message without content
// decode to an empty string in Ollama's Go server, and `temperature` (the only field changed on
// the Ollama and Responses routes) takes any JSON number there.
bool accepted_by_real_api(route r, const std::string& label) {
  if (label == "type stream=null" || label == "type stream=true") return true;
  // Anthropic's max_tokens is required: null there is a 400, as the real API answers.
  if (label == "type max_tokens=null") return r == route::openai;
  if (r == route::openai || r == route::anthropic) return label == "content=\"\"";
  if (r == route::responses && label == "type input=\"text\"") return true;
  if (r == route::ollama &&
      (label == "content=null" || label == "content=\"\"" || label == "messages=[{\"role\":\"user\"}]"))
    return true;
  for (const char* n : {"number 0.5", "number -0", "number 1e-400", "number 9223372036854775808"}) {
    if (label == n) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("hostile and broken requests get a 4xx in the route's dialect", "[integration]") {
  std::size_t total = 0;
  for (const auto& ri : kRoutes) {
    // The route exists (another helper added /v1/responses): skip cleanly if it does not.
    const auto probe = post(ri.path, with_model(ri.valid, "\"good\""));
    if (probe.status == 404 && ri.r == route::responses) continue;
    REQUIRE(probe.status == 200);
    const auto suite = hostile_requests(ri);
    for (const auto& h : suite) {
      INFO(ri.path << " [" << h.label << "]");
      const auto r = post(ri.path, h.body, h.headers);
      INFO("-> " << r.status << " " << r.body.substr(0, 300) << " " << r.error);
      CHECK(r.error.empty());
      if (accepted_by_real_api(ri.r, h.label)) {
        CHECK(r.status == 200);
        continue;
      }
      CHECK(acceptable_status(r.status));
      CHECK(dialect_error(ri.r, r));
      ++total;
    }
    // The server is alive and serves the next valid request on this route.
    CHECK(post(ri.path, with_model(ri.valid, "\"good\"")).status == 200);
  }
  CHECK(total >= 200);
}

TEST_CASE("broken HTTP heads are refused and the server goes on", "[integration]") {
  const int port = std::stoi(env().base.substr(17));
  for (const char* head :
       {"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}",
        "POST /../../etc/passwd HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
        "POST /v1/chat/completions%00 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
        "GARBAGE\r\n\r\n", "POST /v1/messages HTTP/9.9\r\n\r\n",
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"}) {
    INFO(head);
    const std::string answer = harness_test::raw_exchange(port, head);
    seen() += answer;
    // Either no answer at all (the connection is closed) or a 4xx status line.
    if (!answer.empty()) {
      CHECK(answer.rfind("HTTP/1.1 4", 0) == 0);
    }
    CHECK(post("/v1/chat/completions", with_model(kRoutes[0].valid, "\"good\"")).status == 200);
  }
}

TEST_CASE("nothing in a request changes the upstream host", "[integration]") {
  const std::string log_path = env().dir + "/upstream-requests.jsonl";
  auto upstream_requests = [&log_path] {
    std::ifstream in(log_path);
    return static_cast<int>(std::count(std::istreambuf_iterator<char>(in),
                                       std::istreambuf_iterator<char>(), '\n'));
  };
  // Each attempt below would, if honoured, send the request elsewhere; the fake upstream must
  // get every one of them, on its own port, under its own path.
  const std::vector<std::pair<std::string, std::vector<std::string>>> attempts = {
      {R"({"model":"pass/frontier","base_url":"http://127.0.0.1:9/v1","messages":[{"role":"user","content":"hi"}]})",
       {"content-type: application/json"}},
      {R"({"model":"pass/frontier","messages":[{"role":"user","content":"hi"}]})",
       {"content-type: application/json", "Host: evil.example", "X-Forwarded-Host: evil.example",
        "X-Forwarded-Proto: https", "Forwarded: host=evil.example", "X-Original-URL: http://evil.example/"}},
      {R"({"model":"pass/http://127.0.0.1:9/v1","messages":[{"role":"user","content":"hi"}]})",
       {"content-type: application/json"}},
      {R"({"model":"pass/../../../admin","messages":[{"role":"user","content":"hi"}]})",
       {"content-type: application/json"}},
      {R"({"model":"pass/frontier","api_base":"http://127.0.0.1:9","baseURL":"http://127.0.0.1:9","url":"http://127.0.0.1:9","messages":[{"role":"user","content":"hi"}]})",
       {"content-type: application/json"}},
  };
  for (const auto& [body, headers] : attempts) {
    INFO(body);
    const int before = upstream_requests();
    const auto r = post("/v1/chat/completions", body, headers);
    CHECK(r.status == 200);
    CHECK(upstream_requests() == before + 1);
  }
  // The fake upstream logged the path it was asked for: always the configured one.
  std::ifstream in(log_path);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    const std::string path = string_at(line, "/path");
    // (Or the proxy's own model discovery: fixed paths, never taken from a request.)
    const bool discovery = path == "/v1/models" || path == "/api/show" || path == "/api/tags";
    CHECK((path == "/v1/chat/completions" || path == "/v1/messages" || discovery));
  }
  CHECK(lines > 0);
}

TEST_CASE("API keys never appear in responses, errors, metrics or logs", "[integration]") {
  // Exercise every route, errors and upstream failures, streamed and not.
  for (const char* model : {"good", "good-anthropic", "echo", "fails-500", "fails-401", "dead",
                            "unknown-model"}) {
    for (const char* stream : {"false", "true"}) {
      post("/v1/chat/completions", std::string(R"({"model":")") + model + R"(","stream":)" +
                                       stream + R"(,"messages":[{"role":"user","content":"hi"}]})");
      post("/v1/messages", std::string(R"({"model":")") + model + R"(","stream":)" + stream +
                               R"(,"max_tokens":16,"messages":[{"role":"user","content":"hi"}]})");
      post("/api/chat", std::string(R"({"model":")") + model + R"(","stream":)" + stream +
                            R"(,"messages":[{"role":"user","content":"hi"}]})");
      post("/v1/responses", std::string(R"({"model":")") + model + R"(","stream":)" + stream +
                                R"(,"input":"hi"})");
    }
  }
  post("/v1/messages/count_tokens", R"({"model":"good","messages":[{"role":"user","content":"hi"}]})");
  for (const char* path : {"/v1/models", "/health", "/metrics", "/", "/nope"}) {
    const auto r = http_get(env().base + path);
    seen() += r.headers + r.body;
  }
  seen() += http_get(env().base + "/v1/models", {"anthropic-version: 2023-06-01"}).body;
  // The echo model repeats what reached the upstream: the key was sent there, as a header only.
  std::ifstream server_log(env().dir + "/server.log");
  const std::string log((std::istreambuf_iterator<char>(server_log)), std::istreambuf_iterator<char>());
  CHECK_FALSE(log.empty());
  CHECK(seen().size() > 10000);
  for (const char* key : {kOpenAIKey, kAnthropicKey, kDeadKey}) {
    INFO(key);
    CHECK(seen().find(key) == std::string::npos);
    CHECK(log.find(key) == std::string::npos);
    // Nor a telling piece of it (a key cut or masked on a boundary).
    CHECK(seen().find(std::string(key).substr(4, 12)) == std::string::npos);
    CHECK(log.find(std::string(key).substr(4, 12)) == std::string::npos);
  }
}
