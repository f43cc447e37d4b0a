// Model discovery: one small HTTP request per (provider, model), parsed into model_facts.
#include "gateway/discovery.h"

#include <memory>

#include "json/reader.h"
#include "json/writer.h"

namespace harness::detail {
namespace {

// /api/show carries the license and template; an OpenRouter listing is a few MB.
constexpr std::size_t max_answer_bytes = 16 * 1024 * 1024;

std::string join_url(std::string base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(path);
}

model_facts failed(std::string health, std::string detail) {
  model_facts f;
  f.health = std::move(health);
  f.detail = std::move(detail);
  return f;
}

// A non-2xx answer: what it says about the route.
model_facts from_status(int status, std::string_view what) {
  const std::string detail = std::to_string(status) + " from " + std::string(what);
  if (status == 404) return failed("model_missing", detail);
  if (status == 401 || status == 403) return failed("no_key", detail + " (key refused)");
  return failed("unknown", detail);
}

std::int64_t int_or_zero(json_element e) {
  std::int64_t v = 0;
  if (get_optional(e.get_int64(), v)) return v;
  double d = 0;
  if (get_optional(e.get_double(), d) && d > 0) return static_cast<std::int64_t>(d);
  return 0;
}

class discovery_sink : public response_sink {
 public:
  using parser = std::function<model_facts(int, std::string_view)>;
  discovery_sink(parser parse, std::function<void(model_facts)> done)
      : parse_(std::move(parse)), done_(std::move(done)) {}

  void on_head(int status, const header_list&) override { status_ = status; }
  bool on_body(std::string_view bytes) override {
    if (body_.size() + bytes.size() > max_answer_bytes) return false;
    body_.append(bytes);
    return true;
  }
  void on_complete(result<void> outcome) override {
    if (!outcome) {
      const error& err = outcome.error_value();
      if (err.code == errc::upstream_transport)
        done_(failed("unreachable", err.message));
      else if (err.code == errc::canceled && body_.size() >= max_answer_bytes)
        done_(failed("unknown", "model listing too large"));
      else
        done_(failed("unknown", err.message));
      return;
    }
    done_(parse_(status_, body_));
  }

 private:
  parser parse_;
  std::function<void(model_facts)> done_;
  int status_ = 0;
  std::string body_;
};

}  // namespace

model_facts parse_ollama_show(int status, std::string_view body) {
  if (status < 200 || status >= 300) return from_status(status, "/api/show");
  simdjson::dom::parser p;
  auto doc = parse_json(p, body);
  json_object root;
  if (!doc || !get_optional(doc->get_object(), root)) return failed("unknown", "/api/show: not JSON");
  model_facts f;
  f.answered = true;
  f.health = "ok";
  json_array caps;
  if (get_optional(root["capabilities"].get_array(), caps)) {
    f.capabilities_known = true;
    for (json_element c : caps) {
      std::string_view name;
      if (get_optional(c.get_string(), name)) f.capabilities.emplace_back(name);
    }
  }
  // model_info: {"general.architecture": "qwen3", "qwen3.context_length": 40960, ...}
  json_object info;
  std::string_view arch;
  if (get_optional(root["model_info"].get_object(), info) &&
      get_optional(info["general.architecture"].get_string(), arch)) {
    const std::string key = std::string(arch) + ".context_length";
    json_element len;
    if (get_optional(info[key], len)) f.context_length = int_or_zero(len);
  }
  return f;
}

model_facts parse_model_listing(dialect kind, int status, std::string_view body,
                                const std::string& model) {
  if (status < 200 || status >= 300) return from_status(status, "the model listing");
  simdjson::dom::parser p;
  auto doc = parse_json(p, body);
  json_array data;
  if (!doc || !get_optional((*doc)["data"].get_array(), data))
    return failed("unknown", "the model listing has no `data` array");
  model_facts f;
  f.answered = true;
  f.health = "ok";
  if (model.empty()) return f;  // the provider answers: enough for a prefix route
  for (json_element m : data) {
    std::string_view id;
    if (!get_optional(m["id"].get_string(), id) || id != model) continue;
    if (kind == dialect::anthropic) return f;  // Anthropic models all take native tools
    // OpenRouter: supported_parameters ["tools", "tool_choice", "reasoning", ...].
    json_array params;
    if (get_optional(m["supported_parameters"].get_array(), params)) {
      f.capabilities_known = true;
      f.capabilities.push_back("completion");
      for (json_element e : params) {
        std::string_view name;
        if (!get_optional(e.get_string(), name)) continue;
        if (name == "tools") f.capabilities.push_back("tools");
        if (name == "reasoning") f.capabilities.push_back("thinking");
      }
    }
    // OpenRouter context_length, vLLM max_model_len, Groq context_window.
    for (const char* field : {"context_length", "max_model_len", "context_window"}) {
      json_element len;
      if (f.context_length == 0 && get_optional(m[field], len)) f.context_length = int_or_zero(len);
    }
    return f;
  }
  if (kind == dialect::anthropic) {
    // Aliases ("claude-sonnet-4-5") are not listed, only dated ids: not proof of absence.
    f.detail = "not in the provider's model listing (an alias?)";
    return f;
  }
  f.answered = false;
  f.health = "model_missing";
  f.detail = "'" + model + "' is not in the provider's model listing";
  return f;
}

void discover(transport& upstream, const provider_config& provider, const server_config& server,
              const std::string& model, std::chrono::milliseconds timeout,
              std::function<void(model_facts)> done, std::stop_token stop) {
  http_request req;
  req.method = "GET";
  req.headers.emplace_back("accept", "application/json");
  discovery_sink::parser parse;
  switch (provider.kind) {
    case dialect::ollama:
      if (model.empty()) {
        req.url = join_url(provider.base_url, "/api/tags");
        parse = [](int status, std::string_view) {
          if (status >= 200 && status < 300) {
            model_facts f;
            f.answered = true;
            f.health = "ok";
            return f;
          }
          return from_status(status, "/api/tags");
        };
        break;
      }
      req.method = "POST";
      req.url = join_url(provider.base_url, "/api/show");
      req.headers.emplace_back("content-type", "application/json");
      {
        json_writer w(req.body);
        w.start_object().member("model", model).end_object();
      }
      parse = parse_ollama_show;
      break;
    case dialect::anthropic:
      req.url = join_url(provider.base_url, "/v1/models?limit=1000");
      req.headers.emplace_back("anthropic-version", "2023-06-01");
      if (provider.key_present()) req.headers.emplace_back("x-api-key", provider.api_key);
      parse = [model](int status, std::string_view body) {
        return parse_model_listing(dialect::anthropic, status, body, model);
      };
      break;
    case dialect::openai:
    case dialect::responses:
      req.url = join_url(provider.base_url, "/models");
      parse = [model](int status, std::string_view body) {
        return parse_model_listing(dialect::openai, status, body, model);
      };
      break;
  }
  if (provider.kind != dialect::anthropic && provider.key_present())
    req.headers.emplace_back("authorization", "Bearer " + provider.api_key);
  const auto connect = std::chrono::milliseconds(server.connect_timeout_ms);
  req.connect_timeout = connect.count() > 0 ? std::min(connect, timeout) : timeout;
  req.first_byte_timeout = timeout;
  req.idle_timeout = timeout;
  req.total_timeout = timeout;
  upstream.start(std::move(req), std::make_shared<discovery_sink>(std::move(parse), std::move(done)),
                 std::move(stop));
}

}  // namespace harness::detail
