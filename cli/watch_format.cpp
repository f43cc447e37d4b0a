#include "watch_format.h"

#include <cstdio>
#include <ctime>

#include "json_doc.h"

namespace harness_cli {
namespace {

constexpr const char* green = "\x1b[32m";
constexpr const char* yellow = "\x1b[33m";
constexpr const char* red = "\x1b[31m";
constexpr const char* dim = "\x1b[2m";
constexpr const char* reset = "\x1b[0m";

std::string paint(const std::string& text, const char* colour, const watch_style& style) {
  if (!style.color || text.empty() || *colour == '\0') return text;
  return colour + text + reset;
}

void read(const rapidjson::Value& o, const char* key, std::string& out) {
  auto it = o.FindMember(key);
  if (it != o.MemberEnd() && it->value.IsString()) out.assign(it->value.GetString(), it->value.GetStringLength());
}
void read(const rapidjson::Value& o, const char* key, std::int64_t& out) {
  auto it = o.FindMember(key);
  if (it != o.MemberEnd() && it->value.IsInt64()) out = it->value.GetInt64();
}
void read(const rapidjson::Value& o, const char* key, int& out) {
  auto it = o.FindMember(key);
  if (it != o.MemberEnd() && it->value.IsInt()) out = it->value.GetInt();
}
void read(const rapidjson::Value& o, const char* key, bool& out) {
  auto it = o.FindMember(key);
  if (it != o.MemberEnd() && it->value.IsBool()) out = it->value.GetBool();
}

// "412ms" under a second, "2.31s" above; "-" when unknown.
std::string duration(std::int64_t us) {
  if (us <= 0) return "-";
  if (us < 1000) return "<1ms";
  char buf[32];
  if (us < 1000000) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(us / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%.2fs", static_cast<double>(us) / 1e6);
  }
  return buf;
}

std::string clock_time(std::int64_t ts_ms, bool utc) {
  const std::time_t t = static_cast<std::time_t>(ts_ms / 1000);
  std::tm parts{};
  if ((utc ? gmtime_r(&t, &parts) : localtime_r(&t, &parts)) == nullptr) return "--:--:--";
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &parts);
  return buf;
}

// Error messages can be long (an upstream's whole sentence): one line stays one line.
std::string shorten(std::string s, std::size_t limit) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (s.size() > limit) s = s.substr(0, limit - 3) + "...";
  return s;
}

// What the fixer did, as short phrases.
std::vector<std::string> fixes(const watch_exchange& x) {
  std::vector<std::string> out;
  if (x.tools_stripped) out.push_back("tools stripped");
  if (x.tools_emulated) out.push_back("tools emulated");
  if (x.calls_rescued > 0) {
    std::string s = "rescued " + std::to_string(x.calls_rescued);
    if (!x.rescue_family.empty()) s += " (" + x.rescue_family + ")";
    out.push_back(s);
  }
  if (x.args_repaired > 0) out.push_back("repaired " + std::to_string(x.args_repaired));
  if (x.unknown_tools_dropped > 0) {
    out.push_back("unknown dropped " + std::to_string(x.unknown_tools_dropped));
  }
  if (x.truncated_calls_refused > 0) {
    out.push_back("truncated refused " + std::to_string(x.truncated_calls_refused));
  }
  if (!x.dropped_tools.empty()) {
    std::string s = "server tools dropped:";
    for (const auto& name : x.dropped_tools) s += " " + name;
    out.push_back(s);
  }
  if (x.text_only_with_tools) out.push_back("text-only-with-tools");
  return out;
}

}  // namespace

watch_exchange::verdict watch_exchange::outcome() const {
  if (status >= 400 || !error_kind.empty() || !error.empty()) return verdict::failed;
  if (!fixes(*this).empty()) return verdict::fixed;
  return verdict::ok;
}

std::optional<watch_exchange> parse_exchange(std::string_view json_line) {
  rapidjson::Document doc;
  if (doc.Parse(json_line.data(), json_line.size()).HasParseError() || !doc.IsObject()) {
    return std::nullopt;
  }
  watch_exchange x;
  read(doc, "ts_ms", x.ts_ms);
  read(doc, "client", x.client);
  read(doc, "model", x.model);
  read(doc, "provider", x.provider);
  read(doc, "upstream_model", x.upstream_model);
  read(doc, "stream", x.stream);
  read(doc, "status", x.status);
  read(doc, "attempts", x.attempts);
  read(doc, "first_byte_us", x.first_byte_us);
  read(doc, "total_us", x.total_us);
  read(doc, "input_tokens", x.input_tokens);
  read(doc, "output_tokens", x.output_tokens);
  read(doc, "tools_stripped", x.tools_stripped);
  read(doc, "tools_emulated", x.tools_emulated);
  read(doc, "calls_rescued", x.calls_rescued);
  read(doc, "rescue_family", x.rescue_family);
  if (auto it = doc.FindMember("dropped_tools"); it != doc.MemberEnd() && it->value.IsArray()) {
    for (const auto& v : it->value.GetArray()) {
      if (v.IsString()) x.dropped_tools.emplace_back(v.GetString(), v.GetStringLength());
    }
  }
  read(doc, "tools_offered", x.tools_offered);
  read(doc, "calls_native", x.calls_native);
  read(doc, "args_repaired", x.args_repaired);
  read(doc, "unknown_tools_dropped", x.unknown_tools_dropped);
  read(doc, "truncated_calls_refused", x.truncated_calls_refused);
  read(doc, "text_only_with_tools", x.text_only_with_tools);
  read(doc, "policy_source", x.policy_source);
  read(doc, "error_kind", x.error_kind);
  read(doc, "error", x.error);
  return x;
}

bool want_color(bool no_color_flag, bool stdout_is_tty, const char* no_color_env) {
  if (no_color_flag || !stdout_is_tty) return false;
  return no_color_env == nullptr || *no_color_env == '\0';
}

std::string format_exchange(const watch_exchange& x, const watch_style& style) {
  const auto outcome = x.outcome();
  const char* colour = outcome == watch_exchange::verdict::failed  ? red
                       : outcome == watch_exchange::verdict::fixed ? yellow
                                                                   : green;
  std::string line = paint(clock_time(x.ts_ms, style.utc), dim, style);
  line += ' ' + (x.model.empty() ? std::string("?") : x.model) + " -> ";
  if (x.provider.empty()) {
    line += "(no route)";
  } else {
    line += x.provider + '/' + (x.upstream_model.empty() ? x.model : x.upstream_model);
  }
  line += ' ' + paint(std::to_string(x.status), colour, style);
  line += ' ' + duration(x.first_byte_us) + '/' + duration(x.total_us);
  line += " in " + std::to_string(x.input_tokens) + " out " + std::to_string(x.output_tokens);
  if (x.stream) line += " stream";
  if (x.calls_native > 0) line += " calls " + std::to_string(x.calls_native);
  if (x.attempts > 1) line += " attempts " + std::to_string(x.attempts);

  std::string notes;
  for (const auto& f : fixes(x)) notes += (notes.empty() ? "" : ", ") + f;
  if (!notes.empty()) line += " | " + paint(notes, yellow, style);
  if (outcome == watch_exchange::verdict::failed) {
    std::string why = x.error_kind.empty() ? std::string("error") : x.error_kind;
    if (!x.error.empty()) why += ": " + shorten(x.error, 100);
    line += " | " + paint(why, red, style);
  }
  return line;
}

void watch_totals::add(const watch_exchange& x) {
  counts& c = models_[x.model.empty() ? std::string("?") : x.model];
  ++c.requests;
  switch (x.outcome()) {
    case watch_exchange::verdict::ok: ++c.ok; break;
    case watch_exchange::verdict::fixed: ++c.fixed; break;
    case watch_exchange::verdict::failed: ++c.failed; break;
  }
  c.rescued += x.calls_rescued;
  c.repaired += x.args_repaired;
  c.refused += x.truncated_calls_refused;
  c.unknown_dropped += x.unknown_tools_dropped;
  if (x.text_only_with_tools) ++c.text_only;
  c.input_tokens += x.input_tokens;
  c.output_tokens += x.output_tokens;
}

std::string watch_totals::format(const watch_style& style) const {
  std::string out;
  for (const auto& [model, c] : models_) {
    out += "  " + model + ": " + std::to_string(c.requests) +
           (c.requests == 1 ? " request: " : " requests: ") +
           paint(std::to_string(c.ok) + " ok", green, style) + ", " +
           paint(std::to_string(c.fixed) + " fixed", c.fixed > 0 ? yellow : "", style) + ", " +
           paint(std::to_string(c.failed) + " failed", c.failed > 0 ? red : "", style);
    std::string fixer;
    auto note = [&fixer](int n, const char* what) {
      if (n > 0) fixer += (fixer.empty() ? "" : ", ") + std::string(what) + " " + std::to_string(n);
    };
    note(c.rescued, "rescued");
    note(c.repaired, "repaired");
    note(c.unknown_dropped, "unknown dropped");
    note(c.refused, "truncated refused");
    note(c.text_only, "text-only-with-tools");
    if (!fixer.empty()) out += "; " + fixer;
    out += "; tokens in " + std::to_string(c.input_tokens) + " out " +
           std::to_string(c.output_tokens) + "\n";
  }
  return out;
}

}  // namespace harness_cli
