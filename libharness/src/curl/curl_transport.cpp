// curl_transport.cpp: one I/O thread running a libcurl multi handle (style.md 1.5, 3.6).
//
// Threads and ownership:
// - Any thread: `start` moves the request into a `transfer`, queues it under `mutex_` and wakes
//   the loop with curl_multi_wakeup (the one multi call that is safe from any thread). A stop
//   callback only raises `cancel_pending_` and wakes the loop: it takes no lock and allocates
//   nothing, so it is safe from any thread, at any time, even from a sink callback.
// - The I/O thread owns the CURLM, every easy handle, every active transfer and its stop
//   callback. It runs all sink callbacks. A transfer ends in exactly one place, `finish`, which
//   removes the easy handle (closing the connection if the transfer was cut short, so the
//   upstream sees the disconnect), calls on_complete once and recycles the easy handle.
#include <harness/curl_transport.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "curl/easy.h"
#include "curl/errors.h"
#include "curl/head_parser.h"

namespace harness {
inline namespace v0 {

namespace {

using clock = std::chrono::steady_clock;
using detail::easy_ptr;
using detail::slist_ptr;

// Easy handles kept for reuse; beyond that a finished handle is freed.
constexpr std::size_t max_free_easies = 64;
// The loop wakes at least this often, whatever libcurl's timers say.
constexpr long max_poll_ms = 1000;
// How often a transfer paused for a slow sink asks the sink again.
constexpr long paused_poll_ms = 5;

std::string ms_text(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

error canceled_error() { return make_error(errc::canceled, "transfer canceled"); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool has_header(const header_list& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return true;
  }
  return false;
}

// A header line or method with CR, LF or NUL would inject or truncate what libcurl sends.
bool safe_text(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) == s.npos; }

bool valid_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c <= ' ' || c >= 127 || c == ':') return false;
  }
  return true;
}

class curl_engine;

// Registered on a transfer's stop_token; runs on whichever thread requests the stop.
struct cancel_notifier {
  curl_engine* self;
  void operator()() const noexcept;
};

struct transfer {
  std::uint64_t id = 0;
  http_request request;
  std::shared_ptr<response_sink> sink;
  std::stop_token stop;
  clock::time_point started;

  // Owned by the I/O thread from here on.
  std::optional<std::stop_callback<cancel_notifier>> on_stop;
  easy_ptr easy;
  slist_ptr headers;
  std::string host;  // "host:port", for messages
  detail::head_parser head;
  bool head_sent = false;
  bool sink_aborted = false;            // on_body returned false, or a stop was seen mid-body
  bool paused = false;                  // the sink was not ready: CURL_WRITEFUNC_PAUSE returned
  std::vector<std::uint64_t>* pause_log = nullptr;  // the transport's list of paused transfers
  std::optional<error> callback_error;  // a sink callback threw
  clock::time_point last_activity;
};

// The libcurl side: the multi handle, its transfers and the loop the I/O thread runs. It
// lives as long as the I/O thread holds it, so the thread never outlives what it uses.
class curl_engine {
 public:
  curl_engine(const curl_transport_options& options, CURLM* multi)
      : options_(options), multi_(multi), share_(curl_share_init()) {
    // The multi handle already shares connections and DNS; TLS sessions are per easy handle
    // unless shared, and resuming them makes each new connection's handshake cheaper. Only the
    // I/O thread uses the easy handles, so the share needs no lock callbacks.
    if (share_ != nullptr &&
        curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
      curl_share_cleanup(share_);
      share_ = nullptr;
    }
  }

  // Runs after the loop has ended (or never started), on whichever thread dropped the last
  // reference: libcurl's order is easy handles out of the multi (done by finish), then freed,
  // then the multi and the share they used.
  ~curl_engine() {
    free_easies_.clear();
    curl_multi_cleanup(multi_);
    if (share_ != nullptr) curl_share_cleanup(share_);
  }

  curl_engine(const curl_engine&) = delete;
  curl_engine& operator=(const curl_engine&) = delete;

  /// Ends the loop: active transfers complete as cancelled, later starts complete inline.
  void request_stop() noexcept {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    curl_multi_wakeup(multi_);
  }

  void start(http_request request, std::shared_ptr<response_sink> sink,
             std::stop_token stop) {
    if (!sink) return;
    std::unique_ptr<transfer> t;
    try {
      t = std::make_unique<transfer>();
      t->request = std::move(request);
      t->sink = sink;
      t->stop = std::move(stop);
      t->started = clock::now();
      std::unique_lock lock(mutex_);
      if (!stopping_) {
        adds_.push_back(std::move(t));
        lock.unlock();
        curl_multi_wakeup(multi_);
        return;
      }
    } catch (...) {
      complete_inline(*sink, make_error(errc::internal, "out of memory"));
      return;
    }
    // The transport is being destroyed (a caller bug): still keep the exactly-once promise.
    complete_inline(*sink, canceled_error());
  }

  void notify_cancel() noexcept {
    cancel_pending_.store(true);
    curl_multi_wakeup(multi_);
  }

 private:
  static void complete_inline(response_sink& sink, result<void> outcome) noexcept {
    try {
      sink.on_complete(std::move(outcome));
    } catch (...) {  // nothing left to report to
    }
  }

  // ---- The I/O thread ----------------------------------------------------------------------

 public:
  void run() noexcept {
    std::vector<std::unique_ptr<transfer>> adds;
    for (;;) {
      bool stopping = false;
      {
        const std::lock_guard lock(mutex_);
        adds.swap(adds_);
        stopping = stopping_;
      }
      for (auto& t : adds) add(std::move(t));
      adds.clear();
      if (cancel_pending_.exchange(false)) cancel_stopped();
      if (stopping) break;

      int running = 0;
      curl_multi_perform(multi_, &running);
      collect_done();
      long wait_ms = expire_timers(clock::now());
      if (resume_ready() && wait_ms > paused_poll_ms) wait_ms = paused_poll_ms;
      curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait_ms), nullptr);
    }
    std::vector<std::uint64_t> ids;
    for (const auto& [id, t] : active_) ids.push_back(id);
    for (std::uint64_t id : ids) finish(id, canceled_error());
  }

 private:
  void add(std::unique_ptr<transfer> t) noexcept {
    if (t->stop.stop_requested()) return complete_inline(*t->sink, canceled_error());
    transfer* raw = t.get();
    try {
      if (auto err = setup(*t)) return discard(std::move(t), std::move(*err));
      t->id = next_id_++;
      // try_emplace with the key alone: if it throws, `t` still owns the transfer.
      active_.try_emplace(t->id).first->second = std::move(t);
    } catch (...) {
      return discard(std::move(t), make_error(errc::internal, "out of memory"));
    }
    if (curl_multi_add_handle(multi_, raw->easy.get()) != CURLM_OK) {
      auto it = active_.find(raw->id);
      t = std::move(it->second);
      active_.erase(it);
      return discard(std::move(t), make_error(errc::internal, "libcurl refused the transfer"));
    }
    raw->last_activity = clock::now();
    raw->pause_log = &paused_;
    // Registered on this thread once the transfer is active, so no stop is missed: if one was
    // already requested the notifier runs right here and the next loop turn cancels.
    raw->on_stop.emplace(raw->stop, cancel_notifier{this});
  }

  // Ends a transfer that is not (or no longer) in the multi handle nor in active_.
  void discard(std::unique_ptr<transfer> t, error err) noexcept {
    if (!t) return;
    recycle(std::move(t->easy));
    complete_inline(*t->sink, std::move(err));
  }

  // Acquires an easy handle and sets every option. Returns the error that prevents the transfer.
  std::optional<error> setup(transfer& t) {
    const http_request& req = t.request;
    auto target = detail::parse_upstream_url(req.url);
    if (!target) return std::move(target).error_value();
    t.host = target->label;

    if (!valid_token(req.method)) {
      return make_error(errc::invalid_request, "invalid HTTP method for the upstream request");
    }
    curl_slist* list = nullptr;
    auto append = [&](const std::string& line) -> bool {
      curl_slist* next = curl_slist_append(list, line.c_str());
      if (next == nullptr) return false;
      list = next;
      t.headers.release();
      t.headers.reset(list);
      return true;
    };
    for (std::size_t i = 0; i < req.headers.size(); ++i) {
      const auto& [name, value] = req.headers[i];
      if (!valid_token(name) || !safe_text(value)) {
        return make_error(errc::invalid_request, "upstream request header " + std::to_string(i) +
                                                     " has an invalid name or value");
      }
      // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would delete it).
      if (!append(value.empty() ? name + ";" : name + ": " + value)) {
        return make_error(errc::internal, "out of memory");
      }
    }
    const bool has_body = !(req.body.empty() && (req.method == "GET" || req.method == "HEAD"));
    // Without these libcurl would send its own defaults: a form Content-Type for any POST, and
    // `Expect: 100-continue` (a wait of up to a second) before large bodies.
    if (has_body && !has_header(req.headers, "content-type") && !append("Content-Type:")) {
      return make_error(errc::internal, "out of memory");
    }
    if (!has_header(req.headers, "expect") && !append("Expect:")) {
      return make_error(errc::internal, "out of memory");
    }

    t.easy = acquire_easy();
    if (!t.easy) return make_error(errc::internal, "out of memory");
    CURL* e = t.easy.get();
    using namespace detail;
    CURLcode rc = CURLE_OK;
    auto check = [&rc](CURLcode c) {
      if (rc == CURLE_OK) rc = c;
    };
    check(set_string(e, CURLOPT_URL, req.url.c_str()));
    check(set_string(e, CURLOPT_PROTOCOLS_STR, "http,https"));
    check(set_long(e, CURLOPT_NOSIGNAL, 1L));
    check(set_pointer(e, CURLOPT_PRIVATE, &t));
    check(set_long(e, CURLOPT_SSL_VERIFYPEER, 1L));
    check(set_long(e, CURLOPT_SSL_VERIFYHOST, 2L));
    if (!options_.ca_file.empty()) check(set_string(e, CURLOPT_CAINFO, options_.ca_file.c_str()));
    if (!options_.ca_path.empty()) check(set_string(e, CURLOPT_CAPATH, options_.ca_path.c_str()));
    if (share_ != nullptr) check(set_pointer(e, CURLOPT_SHARE, share_));
    check(set_long(e, CURLOPT_TCP_KEEPALIVE, 1L));
    check(set_long(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L));
    // Zero means "none" in http_request but "300 s" to libcurl.
    const long connect_ms = req.connect_timeout.count() > 0
                                ? static_cast<long>(req.connect_timeout.count())
                                : static_cast<long>(INT_MAX);
    check(set_long(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms));
    check(set_function(e, CURLOPT_HEADERFUNCTION, &on_header));
    check(set_pointer(e, CURLOPT_HEADERDATA, &t));
    check(set_function(e, CURLOPT_WRITEFUNCTION, &on_write));
    check(set_pointer(e, CURLOPT_WRITEDATA, &t));
    check(set_function(e, CURLOPT_XFERINFOFUNCTION, &on_progress));
    check(set_pointer(e, CURLOPT_XFERINFODATA, &t));
    check(set_long(e, CURLOPT_NOPROGRESS, 0L));
    if (t.headers) check(set_list(e, CURLOPT_HTTPHEADER, t.headers.get()));
    if (req.method == "HEAD") {
      check(set_long(e, CURLOPT_NOBODY, 1L));
    } else if (req.method == "GET" && req.body.empty()) {
      check(set_long(e, CURLOPT_HTTPGET, 1L));
    } else {
      check(set_offset(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size())));
      check(set_string(e, CURLOPT_POSTFIELDS, req.body.data()));
      if (req.method != "POST") check(set_string(e, CURLOPT_CUSTOMREQUEST, req.method.c_str()));
    }
    if (rc != CURLE_OK) return detail::transfer_error(rc, t.host, req.connect_timeout);

    // Best effort: a libcurl built without nghttp2 refuses HTTP/2 and keeps HTTP/1.1.
    const bool h2 = options_.http2 && target->https;
    if (set_long(e, CURLOPT_HTTP_VERSION,
                 options_.http2 ? long{CURL_HTTP_VERSION_2TLS} : long{CURL_HTTP_VERSION_1_1}) ==
            CURLE_OK &&
        h2) {
      // Concurrent transfers to one host wait for the first connection's ALPN answer and then
      // share it as HTTP/2 streams instead of each opening a connection.
      set_long(e, CURLOPT_PIPEWAIT, 1L);
    }
    return std::nullopt;
  }

  easy_ptr acquire_easy() {
    if (!free_easies_.empty()) {
      easy_ptr e = std::move(free_easies_.back());
      free_easies_.pop_back();
      return e;
    }
    return easy_ptr(curl_easy_init());
  }

  void recycle(easy_ptr easy) noexcept {
    if (!easy) return;
    // Connections live in the multi handle's cache, not in the easy handle: reset is enough.
    curl_easy_reset(easy.get());
    if (free_easies_.size() >= max_free_easies) return;
    try {
      free_easies_.push_back(std::move(easy));
    } catch (...) {  // the handle is freed by `easy`'s destructor if the push failed
    }
  }

  // The only place an active transfer ends.
  void finish(std::uint64_t id, result<void> outcome) noexcept {
    auto it = active_.find(id);
    if (it == active_.end()) return;
    std::unique_ptr<transfer> t = std::move(it->second);
    active_.erase(it);
    curl_multi_remove_handle(multi_, t->easy.get());
    // Destroyed here, on the I/O thread; if a stop is being requested on another thread right
    // now this waits for that notifier, which takes no lock, so it cannot deadlock.
    t->on_stop.reset();
    recycle(std::move(t->easy));
    complete_inline(*t->sink, std::move(outcome));
  }

  void cancel_stopped() noexcept {
    std::vector<std::uint64_t> ids;
    try {
      for (const auto& [id, t] : active_) {
        if (t->stop.stop_requested()) ids.push_back(id);
      }
    } catch (...) {
      cancel_pending_.store(true);  // retry on the next turn
    }
    for (std::uint64_t id : ids) finish(id, canceled_error());
  }

  void collect_done() noexcept {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      char* priv = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
      auto* t = static_cast<transfer*>(static_cast<void*>(priv));
      if (t == nullptr) continue;
      const CURLcode code = msg->data.result;
      const std::uint64_t id = t->id;
      finish(id, outcome_of(*t, code));
    }
  }

  result<void> outcome_of(transfer& t, CURLcode code) noexcept {
    if (t.callback_error) return *t.callback_error;
    if (t.sink_aborted || code == CURLE_ABORTED_BY_CALLBACK || t.stop.stop_requested()) {
      return canceled_error();
    }
    if (code != CURLE_OK) return detail::transfer_error(code, t.host, t.request.connect_timeout);
    if (!t.head_sent) {  // a response without a blank line after its head: report what we have
      long status = 0;
      curl_easy_getinfo(t.easy.get(), CURLINFO_RESPONSE_CODE, &status);
      if (!deliver_head(t, static_cast<int>(status))) return *t.callback_error;
    }
    return {};
  }

  // Unpauses the transfers whose sink is ready again; true while some stay paused.
  bool resume_ready() noexcept {
    if (paused_.empty()) return false;
    resuming_.clear();
    resuming_.swap(paused_);  // a transfer paused again below logs itself anew in paused_
    for (std::uint64_t id : resuming_) {
      auto it = active_.find(id);
      if (it == active_.end()) continue;
      transfer& t = *it->second;
      if (!t.paused) continue;
      bool ready = true;  // if the sink throws, on_write meets the failure and ends the transfer
      try {
        ready = t.sink->ready_for_body();
        if (!ready) paused_.push_back(id);
      } catch (...) {
        ready = true;  // out of memory for the list: resume rather than forget the transfer
      }
      if (ready) {
        t.paused = false;
        t.last_activity = clock::now();
        // May call on_write at once with the bytes held back, which may pause it again.
        curl_easy_pause(t.easy.get(), CURLPAUSE_CONT);
      }
    }
    return !paused_.empty();
  }

  // Ends the transfers whose timer ran out; returns how long the loop may sleep.
  long expire_timers(clock::time_point now) noexcept {
    long wait_ms = max_poll_ms;
    long curl_ms = -1;
    if (curl_multi_timeout(multi_, &curl_ms) == CURLM_OK && curl_ms >= 0 && curl_ms < wait_ms) {
      wait_ms = curl_ms;
    }
    std::vector<std::pair<std::uint64_t, error>> expired;
    try {
      for (const auto& [id, tp] : active_) {
        const transfer& t = *tp;
        const http_request& r = t.request;
        std::optional<clock::time_point> deadline;
        std::optional<error> err;
        auto consider = [&](clock::time_point at, auto make) {
          if (now >= at) {
            if (!err) err = make();
          } else if (!deadline || at < *deadline) {
            deadline = at;
          }
        };
        if (r.total_timeout.count() > 0) {
          consider(t.started + r.total_timeout, [&] {
            return make_error(errc::timeout,
                              "upstream transfer took longer than " + ms_text(r.total_timeout));
          });
        }
        if (!t.head_sent && r.first_byte_timeout.count() > 0) {
          consider(t.started + r.first_byte_timeout, [&] {
            return make_error(errc::timeout,
                              "upstream did not answer within " + ms_text(r.first_byte_timeout));
          });
        }
        // A paused transfer is not idle: its sink (the client) is slow, not the upstream.
        if (t.head_sent && !t.paused && r.idle_timeout.count() > 0) {
          consider(t.last_activity + r.idle_timeout, [&] {
            return make_error(errc::timeout,
                              "upstream sent nothing for " + ms_text(r.idle_timeout));
          });
        }
        if (err) {
          expired.emplace_back(id, std::move(*err));
        } else if (deadline) {
          const auto left =
              std::chrono::ceil<std::chrono::milliseconds>(*deadline - now).count();
          if (left < wait_ms) wait_ms = static_cast<long>(left);
        }
      }
    } catch (...) {
      wait_ms = 0;  // out of memory while building messages: try again at once
    }
    for (auto& [id, err] : expired) finish(id, std::move(err));
    return wait_ms;
  }

  // ---- libcurl callbacks (I/O thread, inside curl_multi_perform) ---------------------------

  // Calls on_head; false (with callback_error set) if the sink threw.
  static bool deliver_head(transfer& t, int status) noexcept {
    t.head_sent = true;
    try {
      t.sink->on_head(status, t.head.headers());
      return true;
    } catch (...) {
      t.callback_error = make_error(errc::internal, "the response sink threw in on_head");
      return false;
    }
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count,
                               void* user) noexcept {
    auto& t = *static_cast<transfer*>(user);
    const std::size_t length = size * count;
    try {
      if (t.head.feed(std::string_view(data, length))) {
        t.last_activity = clock::now();
        if (!deliver_head(t, t.head.status())) return 0;
      }
      return length;
    } catch (...) {
      t.callback_error = make_error(errc::internal, "out of memory");
      return 0;
    }
  }

  static std::size_t on_write(char* data, std::size_t size, std::size_t count,
                              void* user) noexcept {
    auto& t = *static_cast<transfer*>(user);
    const std::size_t length = size * count;
    if (length == 0) return 0;
    t.last_activity = clock::now();
    if (!t.head_sent && !deliver_head(t, t.head.status())) return 0;
    if (t.stop.stop_requested()) {  // no more bytes once the caller asked to stop
      t.sink_aborted = true;
      return 0;
    }
    try {
      if (!t.sink->ready_for_body()) {
        // libcurl keeps these bytes and hands them over again once resume_ready() unpauses.
        t.pause_log->push_back(t.id);
        t.paused = true;
        return CURL_WRITEFUNC_PAUSE;
      }
      if (!t.sink->on_body(std::string_view(data, length))) {
        t.sink_aborted = true;
        return 0;
      }
      return length;
    } catch (...) {
      t.callback_error = make_error(errc::internal, "the response sink threw in on_body");
      return 0;
    }
  }

  // Backstop for cancellation (style.md 1.5.3): libcurl calls it at least once a second.
  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) noexcept {
    return static_cast<transfer*>(user)->stop.stop_requested() ? 1 : 0;
  }

  const curl_transport_options options_;
  CURLM* const multi_;
  CURLSH* share_;

  // Shared with other threads.
  std::mutex mutex_;
  std::vector<std::unique_ptr<transfer>> adds_;  // guarded by mutex_
  bool stopping_ = false;                        // guarded by mutex_
  std::atomic<bool> cancel_pending_{false};

  // I/O thread only.
  std::unordered_map<std::uint64_t, std::unique_ptr<transfer>> active_;
  std::vector<easy_ptr> free_easies_;
  std::vector<std::uint64_t> paused_;    // transfers paused for their sink (may hold ended ids)
  std::vector<std::uint64_t> resuming_;  // scratch for resume_ready, kept for its capacity
  std::uint64_t next_id_ = 1;
};

void cancel_notifier::operator()() const noexcept { self->notify_cancel(); }

// What the caller holds. The last reference may be dropped anywhere, including inside a sink
// callback on the I/O thread (a gateway's request state often holds the transport): the thread
// is then detached and ends by itself, since a thread cannot join itself; the engine it holds
// stays alive until its loop has finished.
class curl_transport final : public transport {
 public:
  explicit curl_transport(std::shared_ptr<curl_engine> engine) : engine_(std::move(engine)) {}

  ~curl_transport() override {
    engine_->request_stop();
    if (!thread_.joinable()) return;
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }

  curl_transport(const curl_transport&) = delete;
  curl_transport& operator=(const curl_transport&) = delete;

  bool launch() noexcept {
    try {
      thread_ = std::thread([engine = engine_] { engine->run(); });
      return true;
    } catch (...) {
      return false;
    }
  }

  void start(http_request request, std::shared_ptr<response_sink> sink,
             std::stop_token stop) override {
    engine_->start(std::move(request), std::move(sink), std::move(stop));
  }

 private:
  std::shared_ptr<curl_engine> engine_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<transport> make_curl_transport(const curl_transport_options& options) {
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return nullptr;
  using detail::set_multi_long;
  set_multi_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_connections_per_host);
  set_multi_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
  if (options.max_idle_connections > 0) {
    set_multi_long(multi, CURLMOPT_MAXCONNECTS, options.max_idle_connections);
  }
  std::unique_ptr<curl_transport> t;
  try {
    auto engine = std::make_shared<curl_engine>(options, multi);
    multi = nullptr;  // the engine owns it now
    t = std::make_unique<curl_transport>(std::move(engine));
  } catch (...) {
    if (multi != nullptr) curl_multi_cleanup(multi);
    return nullptr;
  }
  if (!t->launch()) return nullptr;  // the engine's destructor cleans the multi handle up
  return t;
}

}  // namespace v0
}  // namespace harness
