#include "recording_input.h"

#include <filesystem>

#include <harness/record.h>

namespace harness_cli {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<std::string> kind_of(const std::string& name) {
  if (ends_with(name, ".sse") || ends_with(name, ".ndjson")) return "stream";
  if (ends_with(name, "request.json")) return "request";
  if (ends_with(name, "response.json")) return "response";
  return std::nullopt;
}

}  // namespace

bool resolve_recorded_input(const std::string& in, recorded_input& out, std::string& error) {
  std::error_code ec;
  const bool is_dir = fs::is_directory(in, ec);
  const fs::path dir = is_dir ? fs::path(in) : fs::path(in).parent_path();
  out.path = in;
  auto rec = harness::read_recording(dir.empty() ? std::string(".") : dir.string());
  if (is_dir) {
    if (!rec) {
      error = rec.error_value().describe();
      return false;
    }
    if (rec->upstream_response_file.empty()) {
      error = in + ": the recording holds no upstream response";
      return false;
    }
    out.path = (dir / rec->upstream_response_file).string();
  }
  const std::string name = fs::path(out.path).filename().string();
  out.kind = kind_of(name);
  if (rec) {
    const bool upstream = name.find("upstream-") != std::string::npos;
    out.from = upstream ? rec->provider_kind : rec->client;
  }
  return true;
}

}  // namespace harness_cli
