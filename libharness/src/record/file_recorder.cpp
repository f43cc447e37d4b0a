// The file recorder: each exchange as a directory of files (record.h, docs/record-replay.md).
#include <harness/gateway.h>
#include <harness/record.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "json/writer.h"
#include "record/meta_fields.h"

namespace harness {
inline namespace v0 {
namespace {

namespace fs = std::filesystem;

// Bodies go through stdio buffers of this size: few write calls on the gateway's threads.
constexpr std::size_t file_buffer = 64 * 1024;

std::string extension_for(std::string_view content_type) {
  if (content_type.rfind("text/event-stream", 0) == 0) return ".sse";
  if (content_type.rfind("application/x-ndjson", 0) == 0) return ".ndjson";
  return ".json";
}

std::string header_value(const header_list& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

// "20261126T162854.123Z"
std::string utc_stamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

// A model name as part of a file name: [A-Za-z0-9._-], at most 64 bytes, never "." or "..".
std::string safe_name(std::string_view model) {
  std::string out;
  for (char c : model.substr(0, 64)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  if (out.empty() || out.find_first_not_of('.') == std::string::npos) out = "unknown";
  return out;
}

// One output file, opened on first write.
class body_file {
 public:
  ~body_file() { close(); }
  void write(const fs::path& path, std::string_view bytes) {
    if (file_ == nullptr && !failed_) {
      file_ = std::fopen(path.c_str(), "wb");
      failed_ = file_ == nullptr;
      if (file_ != nullptr) std::setvbuf(file_, nullptr, _IOFBF, file_buffer);
    }
    if (file_ != nullptr) std::fwrite(bytes.data(), 1, bytes.size(), file_);
  }
  void close() {
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
  }

 private:
  std::FILE* file_ = nullptr;
  bool failed_ = false;
};

class file_recording final : public exchange_recording {
 public:
  file_recording(fs::path dir, dialect client) : dir_(std::move(dir)), client_(client) {}

  void attempt(const recorded_attempt& attempt) override {
    if (!attempts_.empty()) keep_previous_attempt();
    attempts_.push_back({attempt, 0, {}, {}});
  }

  void head(recorded_part part, int status, const header_list& headers) override {
    // The client's status is the record's (meta.json "status").
    if (part == recorded_part::client_response) {
      client_type_ = header_value(headers, "content-type");
      client_file_ = "client-response" + extension_for(client_type_);
      client_headers_ = headers;
    } else if (part == recorded_part::upstream_response && !attempts_.empty()) {
      auto& a = attempts_.back();
      a.status = status;
      a.headers = headers;
      a.response_file = "upstream-response" + extension_for(header_value(headers, "content-type"));
    }
  }

  void body(recorded_part part, std::string_view bytes) override {
    switch (part) {
      case recorded_part::client_request:
        client_request_.write(dir_ / "client-request.json", bytes);
        break;
      case recorded_part::upstream_request:
        upstream_request_.write(dir_ / "upstream-request.json", bytes);
        break;
      case recorded_part::upstream_response:
        if (!attempts_.empty()) {
          auto& a = attempts_.back();
          // Bytes without a head (never sent by a transport) still land in a file.
          if (a.response_file.empty()) a.response_file = "upstream-response.json";
          upstream_response_.write(dir_ / a.response_file, bytes);
        }
        break;
      case recorded_part::client_response:
        if (client_file_.empty()) client_file_ = "client-response.json";
        client_response_.write(dir_ / client_file_, bytes);
        break;
    }
  }

  void finish(const exchange_record& record) override {
    client_request_.close();
    upstream_request_.close();
    upstream_response_.close();
    client_response_.close();
    write_meta(record);
  }

 private:
  struct attempt_state {
    recorded_attempt facts;
    int status;
    header_list headers;
    std::string response_file;
  };

  // The unprefixed names always belong to the last attempt; earlier ones are renamed.
  void keep_previous_attempt() {
    upstream_request_.close();
    upstream_response_.close();
    auto& prev = attempts_.back();
    const std::string prefix = "attempt-" + std::to_string(prev.facts.number) + "-";
    std::error_code ec;
    fs::rename(dir_ / "upstream-request.json", dir_ / (prefix + "upstream-request.json"), ec);
    if (!prev.response_file.empty()) {
      fs::rename(dir_ / prev.response_file, dir_ / (prefix + prev.response_file), ec);
      prev.response_file = prefix + prev.response_file;
    }
  }

  void write_headers(detail::json_writer& w, const header_list& headers) {
    w.start_array();
    for (const auto& [k, v] : headers) w.start_array().string(k).string(v).end_array();
    w.end_array();
  }

  void write_attempt(detail::json_writer& w, const attempt_state& a) {
    const recorded_attempt& f = a.facts;
    w.start_object()
        .member_int("number", f.number)
        .member("route", f.route)
        .member("provider", f.provider)
        .member("provider_kind", to_string(f.provider_kind))
        .member("upstream_model", f.upstream_model)
        .member("url_path", f.url_path)
        .member_bool("stream", f.stream);
    w.key("policy");
    detail::write_policy(w, f.policy);
    w.member_int("status", a.status);
    w.key("headers");
    write_headers(w, a.headers);
    if (!a.response_file.empty()) w.member("response_file", a.response_file);
    w.end_object();
  }

  void write_meta(const exchange_record& record) {
    std::string out;
    detail::json_writer w(out);
    w.start_object()
        .member("format", detail::recording_format)
        .member("client", to_string(client_))
        .member("model", record.model)
        .member_bool("stream", record.stream)
        .member_int("status", record.status);
    if (!attempts_.empty()) {
      // The last attempt's facts at the top level: what replay uses.
      const attempt_state& last = attempts_.back();
      w.member("route", last.facts.route)
          .member("provider", last.facts.provider)
          .member("provider_kind", to_string(last.facts.provider_kind))
          .member("upstream_model", last.facts.upstream_model)
          .member("url_path", last.facts.url_path)
          .member_bool("upstream_stream", last.facts.stream)
          .member_int("upstream_status", last.status);
      if (!last.response_file.empty()) w.member("upstream_response_file", last.response_file);
    }
    w.key("attempts").start_array();
    for (const auto& a : attempts_) write_attempt(w, a);
    w.end_array();
    w.member("client_content_type", client_type_);
    if (!client_file_.empty()) w.member("client_response_file", client_file_);
    w.key("client_headers");
    write_headers(w, client_headers_);
    w.member_raw("record", to_json_line(record));
    w.end_object();
    if (!w.ok()) return;
    out += '\n';
    // Written last and renamed into place: a meta.json is always whole.
    const fs::path tmp = dir_ / "meta.json.tmp";
    if (std::FILE* f = std::fopen(tmp.c_str(), "wb"); f != nullptr) {
      const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
      if (std::fclose(f) == 0 && ok) {
        std::error_code ec;
        fs::rename(tmp, dir_ / "meta.json", ec);
      }
    }
  }

  fs::path dir_;
  dialect client_;
  std::vector<attempt_state> attempts_;
  std::string client_type_;
  std::string client_file_;
  header_list client_headers_;
  body_file client_request_;
  body_file upstream_request_;
  body_file upstream_response_;
  body_file client_response_;
};

class file_recorder final : public exchange_recorder {
 public:
  explicit file_recorder(fs::path dir) : dir_(std::move(dir)) {}

  std::shared_ptr<exchange_recording> start(dialect client, std::string_view model) override {
    char seq[16];
    std::snprintf(seq, sizeof seq, "%06llu",
                  static_cast<unsigned long long>(++seq_));
    fs::path dir = dir_ / (utc_stamp() + "-" + seq + "-" + safe_name(model));
    std::error_code ec;
    if (!fs::create_directory(dir, ec) || ec) return nullptr;
    return std::make_shared<file_recording>(std::move(dir), client);
  }

 private:
  fs::path dir_;
  std::atomic<std::uint64_t> seq_{0};
};

}  // namespace

result<std::shared_ptr<exchange_recorder>> make_file_recorder(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return make_error(errc::config, "cannot create the recording directory '" + dir +
                                        "': " + (ec ? ec.message() : std::string("not a directory")));
  }
  return std::shared_ptr<exchange_recorder>(std::make_shared<file_recorder>(fs::path(dir)));
}

}  // namespace v0
}  // namespace harness
