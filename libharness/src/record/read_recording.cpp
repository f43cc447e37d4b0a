// Reads a recording directory back (record.h).
#include <harness/record.h>

#include <cstdio>
#include <filesystem>

#include "record/meta_fields.h"

namespace harness {
inline namespace v0 {
namespace {

namespace fs = std::filesystem;

bool read_file(const fs::path& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

std::string text(simdjson::dom::element obj, const char* key) {
  auto v = obj[key].get_string();
  return v.error() ? std::string() : std::string(v.value_unsafe());
}

header_list headers(simdjson::dom::element obj, const char* key) {
  header_list out;
  auto arr = obj[key].get_array();
  if (arr.error()) return out;
  for (simdjson::dom::element pair : arr.value_unsafe()) {
    auto name = pair.at(0).get_string();
    auto value = pair.at(1).get_string();
    if (!name.error() && !value.error()) {
      out.emplace_back(std::string(name.value_unsafe()), std::string(value.value_unsafe()));
    }
  }
  return out;
}

// A body file: one never written (an empty body) reads as empty.
bool read_body(const fs::path& path, std::string& out) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) return true;
  return read_file(path, out);
}

// A file name from meta.json: a plain name inside the recording, never a path.
bool plain_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

}  // namespace

result<recorded_exchange> read_recording(const std::string& dir) {
  const fs::path root(dir);
  std::string meta_text;
  if (!read_file(root / "meta.json", meta_text)) {
    return make_error(errc::invalid_request,
                      "'" + dir + "' is not a recording: no readable meta.json in it");
  }
  simdjson::dom::parser parser;
  auto parsed = parser.parse(meta_text);
  simdjson::dom::element meta;
  if (parsed.get(meta) || !meta.is_object() || text(meta, "format") != detail::recording_format) {
    return make_error(errc::invalid_request,
                      (root / "meta.json").string() + ": not a harness recording (format " +
                          detail::recording_format + ")");
  }
  recorded_exchange rec;
  rec.dir = dir;
  const auto client = parse_dialect(text(meta, "client"));
  if (!client) return make_error(errc::invalid_request, "meta.json: unknown client dialect");
  rec.client = *client;
  rec.model = text(meta, "model");
  if (auto v = meta["stream"].get_bool(); !v.error()) rec.stream = v.value_unsafe();
  if (auto v = meta["status"].get_int64(); !v.error()) rec.client_status = static_cast<int>(v.value_unsafe());
  rec.client_content_type = text(meta, "client_content_type");
  if (!read_body(root / "client-request.json", rec.client_request)) {
    return make_error(errc::invalid_request, dir + ": client-request.json missing");
  }

  rec.route = text(meta, "route");
  rec.has_attempt = !rec.route.empty();
  if (rec.has_attempt) {
    rec.provider = text(meta, "provider");
    const auto kind = parse_dialect(text(meta, "provider_kind"));
    if (!kind) return make_error(errc::invalid_request, "meta.json: unknown provider_kind");
    rec.provider_kind = *kind;
    rec.upstream_model = text(meta, "upstream_model");
    auto attempts = meta["attempts"].get_array();
    if (!attempts.error() && attempts.value_unsafe().size() > 0) {
      simdjson::dom::element last = attempts.value_unsafe().at(attempts.value_unsafe().size() - 1).value_unsafe();
      if (auto p = last["policy"]; !p.error()) rec.policy = detail::read_policy(p.value_unsafe());
      rec.upstream_headers = headers(last, "headers");
    }
    rec.upstream_response_file = text(meta, "upstream_response_file");
    if (auto v = meta["upstream_status"].get_int64(); !v.error()) {
      rec.upstream_status = static_cast<int>(v.value_unsafe());
    }
    rec.has_upstream_response = rec.upstream_status != 0;
    if (rec.has_upstream_response && !rec.upstream_response_file.empty()) {
      if (!plain_name(rec.upstream_response_file) ||
          !read_body(root / rec.upstream_response_file, rec.upstream_response)) {
        return make_error(errc::invalid_request,
                          dir + ": cannot read " + rec.upstream_response_file);
      }
    }
  }
  rec.client_response_file = text(meta, "client_response_file");
  if (!rec.client_response_file.empty() &&
      (!plain_name(rec.client_response_file) ||
       !read_body(root / rec.client_response_file, rec.client_response))) {
    return make_error(errc::invalid_request, dir + ": cannot read " + rec.client_response_file);
  }
  return rec;
}

}  // namespace v0
}  // namespace harness
