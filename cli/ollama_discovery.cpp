#include "ollama_discovery.h"

#include <algorithm>
#include <chrono>

#include "http_fetch.h"
#include "json_doc.h"

namespace harness_cli {
namespace {

using namespace std::chrono_literals;

void read_show(const std::string& base_url, ollama_model& m) {
  const std::string body = "{\"model\":" + json_quote(m.name) + "}";
  const fetch_result r = http_fetch(base_url + "/api/show", body, 5s);
  if (!r.ok()) return;
  rapidjson::Document doc;
  if (doc.Parse(r.body.data(), r.body.size()).HasParseError() || !doc.IsObject()) return;
  auto caps = doc.FindMember("capabilities");
  if (caps != doc.MemberEnd() && caps->value.IsArray()) {
    m.capabilities_known = true;
    for (const auto& c : caps->value.GetArray())
      if (c.IsString()) m.capabilities.emplace_back(c.GetString(), c.GetStringLength());
  }
  // model_info: "general.architecture" names the prefix of "<arch>.context_length".
  auto info = doc.FindMember("model_info");
  if (info == doc.MemberEnd() || !info->value.IsObject()) return;
  auto arch = info->value.FindMember("general.architecture");
  if (arch == info->value.MemberEnd() || !arch->value.IsString()) return;
  const std::string key = std::string(arch->value.GetString()) + ".context_length";
  auto ctx = info->value.FindMember(key.c_str());
  if (ctx != info->value.MemberEnd() && ctx->value.IsInt64())
    m.context_length = ctx->value.GetInt64();
}

}  // namespace

bool ollama_model::has(const std::string& capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

std::string ollama_url(const std::string& flag, const char* ollama_host_env) {
  std::string url = !flag.empty() ? flag
                    : ollama_host_env != nullptr && *ollama_host_env != '\0'
                        ? std::string(ollama_host_env)
                        : std::string("http://127.0.0.1:11434");
  if (url.find("://") == std::string::npos) {
    // OLLAMA_HOST may be "0.0.0.0", "host:port" or ":port"; a server bound to every address
    // is reached on loopback.
    if (url.rfind("0.0.0.0", 0) == 0) url.replace(0, 7, "127.0.0.1");
    if (!url.empty() && url.front() == ':') url = "127.0.0.1" + url;
    if (url.find(':') == std::string::npos) url += ":11434";
    url = "http://" + url;
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

ollama_inventory discover_ollama(const std::string& base_url) {
  ollama_inventory out;
  const fetch_result tags = http_fetch(base_url + "/api/tags", "", 3s);
  if (!tags.ok()) {
    out.error = tags.status != 0 ? "HTTP " + std::to_string(tags.status) : tags.error;
    return out;
  }
  rapidjson::Document doc;
  if (doc.Parse(tags.body.data(), tags.body.size()).HasParseError() || !doc.IsObject()) {
    out.error = "/api/tags did not answer JSON (is this an Ollama?)";
    return out;
  }
  out.reachable = true;
  auto models = doc.FindMember("models");
  if (models == doc.MemberEnd() || !models->value.IsArray()) return out;
  for (const auto& entry : models->value.GetArray()) {
    if (!entry.IsObject()) continue;
    auto name = entry.FindMember("name");
    if (name == entry.MemberEnd() || !name->value.IsString()) name = entry.FindMember("model");
    if (name == entry.MemberEnd() || !name->value.IsString()) continue;
    ollama_model m;
    m.name.assign(name->value.GetString(), name->value.GetStringLength());
    read_show(base_url, m);
    out.models.push_back(std::move(m));
  }
  return out;
}

}  // namespace harness_cli
