// engine.cpp: one libcurl multi handle on its own epoll set (see engine.h; style.md 1.5, 3.6).
//
// A transfer ends in exactly one place, `finish`, which removes the easy handle (closing the
// connection if the transfer was cut short, so the upstream sees the disconnect), calls
// on_complete once and recycles the easy handle.
#include "curl/engine.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <optional>

#include "core/ascii.h"
#include "curl/errors.h"
#include "curl/head_parser.h"

namespace harness::detail {
namespace {

using clock = std::chrono::steady_clock;

// Easy handles kept for reuse; beyond that a finished handle is freed.
constexpr std::size_t max_free_easies = 64;
// Upstream URLs whose parse is kept (a gateway has a few; a caller sending anywhere, many).
constexpr std::size_t max_known_targets = 256;
// How often a transfer paused for a slow sink asks the sink again.
constexpr auto paused_poll = std::chrono::milliseconds(5);

std::string ms_text(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

error canceled_error() { return make_error(errc::canceled, "transfer canceled"); }

bool has_header(const header_list& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (ascii_iequals(n, name)) return true;
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

void complete_inline(response_sink& sink, result<void> outcome) noexcept {
  try {
    sink.on_complete(std::move(outcome));
  } catch (...) {  // nothing left to report to
  }
}

void signal(int fd) noexcept {
  const std::uint64_t one = 1;
  (void)!::write(fd, &one, sizeof one);
}

}  // namespace

struct transfer {
  std::uint64_t id = 0;
  http_request request;
  std::shared_ptr<response_sink> sink;
  std::stop_token stop;
  clock::time_point started;

  // Owned by the loop thread from here on.
  curl_engine* engine = nullptr;
  std::optional<std::stop_callback<cancel_notifier>> on_stop;
  easy_ptr easy;
  slist_ptr headers;
  std::string host;  // "host:port", for messages
  head_parser head;
  bool head_sent = false;
  bool sink_aborted = false;            // on_body returned false, or a stop was seen mid-body
  bool paused = false;                  // the sink was not ready: CURL_WRITEFUNC_PAUSE returned
  std::optional<error> callback_error;  // a sink callback threw
  clock::time_point last_activity;
};

void cancel_notifier::operator()() const noexcept { self->notify_cancel(); }

std::shared_ptr<curl_engine> curl_engine::create(const curl_transport_options& options) {
  CURLM* multi = curl_multi_init();
  const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  const int wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd;
  if (multi == nullptr || epoll_fd < 0 || wake_fd < 0 ||
      ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev) != 0) {
    if (multi != nullptr) curl_multi_cleanup(multi);
    if (epoll_fd >= 0) ::close(epoll_fd);
    if (wake_fd >= 0) ::close(wake_fd);
    return nullptr;
  }
  set_multi_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_connections_per_host);
  set_multi_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
  if (options.max_idle_connections > 0) {
    set_multi_long(multi, CURLMOPT_MAXCONNECTS, options.max_idle_connections);
  }
  try {
    return std::make_shared<curl_engine>(options, multi, epoll_fd, wake_fd);
  } catch (...) {
    curl_multi_cleanup(multi);
    ::close(epoll_fd);
    ::close(wake_fd);
    return nullptr;
  }
}

curl_engine::curl_engine(const curl_transport_options& options, CURLM* multi, int epoll_fd,
                         int wake_fd)
    : options_(options), multi_(multi), share_(curl_share_init()), epoll_fd_(epoll_fd),
      wake_fd_(wake_fd) {
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &curl_engine::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &curl_engine::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  // The multi handle already shares connections and DNS; TLS sessions are per easy handle
  // unless shared, and resuming them makes each new connection's handshake cheaper. Only the
  // loop thread uses the easy handles, so the share needs no lock callbacks.
  if (share_ != nullptr &&
      curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
    curl_share_cleanup(share_);
    share_ = nullptr;
  }
}

// Runs once no loop drives the engine any more: libcurl's order is easy handles out of the
// multi (done by finish), then freed, then the multi and the share they used.
curl_engine::~curl_engine() {
  cancel_all();
  for (auto& t : local_adds_) complete_inline(*t->sink, canceled_error());
  for (auto& t : adds_) complete_inline(*t->sink, canceled_error());
  free_easies_.clear();
  curl_multi_cleanup(multi_);
  if (share_ != nullptr) curl_share_cleanup(share_);
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

void curl_engine::request_stop() noexcept {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.store(true, std::memory_order_release);
  signal(wake_fd_);
}

void curl_engine::notify_cancel() noexcept {
  cancel_pending_.store(true, std::memory_order_release);
  // On the loop thread the loop asks timeout_ms() before it waits again: no wake-up needed.
  if (!on_loop_thread()) signal(wake_fd_);
}

void curl_engine::start(http_request request, std::shared_ptr<response_sink> sink,
                        std::stop_token stop) {
  if (!sink) return;
  std::unique_ptr<transfer> t;
  try {
    t = std::make_unique<transfer>();
    t->request = std::move(request);
    t->sink = sink;
    t->stop = std::move(stop);
    t->started = clock::now();
    if (on_loop_thread() && !stopped_) {
      // libcurl refuses handles added from inside its own callbacks: those wait for the end of
      // this run. Otherwise the transfer starts now, without a queue or a wake-up.
      if (in_run_) {
        local_adds_.push_back(std::move(t));
      } else {
        add(std::move(t));
      }
      return;
    }
    std::unique_lock lock(mutex_);
    if (!stopping_) {
      adds_.push_back(std::move(t));
      queued_.store(true, std::memory_order_release);
      lock.unlock();
      signal(wake_fd_);
      return;
    }
  } catch (...) {
    complete_inline(*sink, make_error(errc::internal, "out of memory"));
    return;
  }
  // The transport has stopped (or is being destroyed: a caller bug): keep the exactly-once
  // promise all the same.
  complete_inline(*sink, canceled_error());
}

int curl_engine::timeout_ms() noexcept {
  if (stopped_) return -1;
  if (!local_adds_.empty() || cancel_pending_.load(std::memory_order_acquire) ||
      queued_.load(std::memory_order_acquire)) {
    return 0;
  }
  clock::time_point due = std::min(curl_deadline_, next_expiry_);
  if (!paused_.empty()) due = std::min(due, next_resume_);
  if (due == clock::time_point::max()) return -1;
  const auto now = clock::now();
  if (due <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(due - now).count();
  return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

bool curl_engine::run(int wait_ms) noexcept {
  if (stopped_) return true;
  if (loop_thread_.load(std::memory_order_relaxed) == std::thread::id()) bind_thread();
  in_run_ = true;
  epoll_event events[64];
  const int n = ::epoll_wait(epoll_fd_, events, 64, wait_ms);
  int running = 0;
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == wake_fd_) {
      std::uint64_t count = 0;
      (void)!::read(wake_fd_, &count, sizeof count);
      continue;
    }
    const std::uint32_t what = events[i].events;
    int mask = 0;
    if (what & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) mask |= CURL_CSELECT_IN;
    if (what & EPOLLOUT) mask |= CURL_CSELECT_OUT;
    if (what & EPOLLERR) mask |= CURL_CSELECT_ERR;
    curl_multi_socket_action(multi_, fd, mask, &running);
  }
  bool stopping = false;
  if (queued_.exchange(false, std::memory_order_acq_rel)) {
    std::vector<std::unique_ptr<transfer>> adds;
    {
      const std::lock_guard lock(mutex_);
      adds.swap(adds_);
      stopping = stopping_;
    }
    for (auto& t : adds) local_adds_.push_back(std::move(t));
  }
  auto now = clock::now();
  if (now >= curl_deadline_) {
    const clock::time_point acted_on = curl_deadline_;
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
    // libcurl reports a timer only when it changes: if the one we acted on had not expired by
    // its clock yet, it stays and is not reported again, so ask for it.
    if (curl_deadline_ == acted_on) {
      long ms = -1;
      curl_multi_timeout(multi_, &ms);
      curl_deadline_ =
          ms < 0 ? clock::time_point::max() : clock::now() + std::chrono::milliseconds(ms);
    }
  }
  collect_done();
  if (cancel_pending_.exchange(false)) cancel_stopped();
  now = clock::now();
  if (!paused_.empty() && now >= next_resume_) {
    next_resume_ = resume_ready() ? now + paused_poll : clock::time_point::max();
  }
  if (now >= next_expiry_) expire_timers(now);
  in_run_ = false;
  if (stopping) {
    stopped_ = true;  // from here on a start completes at once as canceled
    cancel_all();
  }
  // Transfers queued by other threads, or started by sink callbacks during this run.
  while (!local_adds_.empty()) {
    std::vector<std::unique_ptr<transfer>> adds;
    adds.swap(local_adds_);
    for (auto& t : adds) add(std::move(t));
  }
  return stopped_;
}

// ---- libcurl's multi callbacks -------------------------------------------------------------

int curl_engine::on_socket(CURL*, curl_socket_t s, int what, void* self_ptr, void* socket_data) {
  auto* self = static_cast<curl_engine*>(self_ptr);
  if (what == CURL_POLL_REMOVE) {
    ::epoll_ctl(self->epoll_fd_, EPOLL_CTL_DEL, s, nullptr);
    return 0;
  }
  epoll_event ev{};
  ev.data.fd = s;
  if (what & CURL_POLL_IN) ev.events |= EPOLLIN;
  if (what & CURL_POLL_OUT) ev.events |= EPOLLOUT;
  // socket_data marks a socket already in the set (libcurl forgets it with REMOVE).
  if (socket_data != nullptr) {
    if (::epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, s, &ev) == 0 || errno != ENOENT) return 0;
  }
  if (::epoll_ctl(self->epoll_fd_, EPOLL_CTL_ADD, s, &ev) != 0 && errno == EEXIST) {
    ::epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, s, &ev);
  }
  static char registered;
  curl_multi_assign(self->multi_, s, &registered);
  return 0;
}

int curl_engine::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<curl_engine*>(self_ptr);
  self->curl_deadline_ = timeout_ms < 0 ? clock::time_point::max()
                                        : clock::now() + std::chrono::milliseconds(timeout_ms);
  return 0;
}

// ---- transfers -----------------------------------------------------------------------------

void curl_engine::add(std::unique_ptr<transfer> t) noexcept {
  if (stopped_) return complete_inline(*t->sink, canceled_error());
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
  raw->engine = this;
  raw->last_activity = clock::now();
  const http_request& r = raw->request;
  if (r.total_timeout.count() > 0) note_deadline(raw->started + r.total_timeout);
  if (r.first_byte_timeout.count() > 0) note_deadline(raw->started + r.first_byte_timeout);
  if (curl_multi_add_handle(multi_, raw->easy.get()) != CURLM_OK) {
    auto it = active_.find(raw->id);
    t = std::move(it->second);
    active_.erase(it);
    return discard(std::move(t), make_error(errc::internal, "libcurl refused the transfer"));
  }
  // Registered on this thread once the transfer is active, so no stop is missed: if one was
  // already requested the notifier runs right here and the next run cancels.
  raw->on_stop.emplace(raw->stop, cancel_notifier{this});
}

// Ends a transfer that is not (or no longer) in the multi handle nor in active_.
void curl_engine::discard(std::unique_ptr<transfer> t, error err) noexcept {
  if (!t) return;
  recycle(std::move(t->easy));
  complete_inline(*t->sink, std::move(err));
}

// Acquires an easy handle and sets every option. Returns the error that prevents the transfer.
std::optional<error> curl_engine::setup(transfer& t) {
  const http_request& req = t.request;
  // A gateway sends to a few URLs over and over: libcurl's URL parser (a handle, a copy of
  // every part) ran for each transfer, 2 % of the proxy's CPU. Only good URLs are kept.
  auto known = targets_.find(req.url);
  if (known == targets_.end()) {
    auto parsed = parse_upstream_url(req.url);
    if (!parsed) return std::move(parsed).error_value();
    if (targets_.size() >= max_known_targets) targets_.clear();
    known = targets_.emplace(req.url, std::move(*parsed)).first;
  }
  const upstream_target* target = &known->second;
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
  check(set_function(e, CURLOPT_HEADERFUNCTION, &curl_engine::on_header));
  check(set_pointer(e, CURLOPT_HEADERDATA, &t));
  check(set_function(e, CURLOPT_WRITEFUNCTION, &curl_engine::on_write));
  check(set_pointer(e, CURLOPT_WRITEDATA, &t));
  check(set_function(e, CURLOPT_XFERINFOFUNCTION, &curl_engine::on_progress));
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
  if (rc != CURLE_OK) return transfer_error(rc, t.host, req.connect_timeout);

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

easy_ptr curl_engine::acquire_easy() {
  if (!free_easies_.empty()) {
    easy_ptr e = std::move(free_easies_.back());
    free_easies_.pop_back();
    return e;
  }
  return easy_ptr(curl_easy_init());
}

void curl_engine::recycle(easy_ptr easy) noexcept {
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
void curl_engine::finish(std::uint64_t id, result<void> outcome) noexcept {
  auto it = active_.find(id);
  if (it == active_.end()) return;
  std::unique_ptr<transfer> t = std::move(it->second);
  active_.erase(it);
  curl_multi_remove_handle(multi_, t->easy.get());
  // Destroyed here, on the loop thread; if a stop is being requested on another thread right
  // now this waits for that notifier, which takes no lock, so it cannot deadlock.
  t->on_stop.reset();
  recycle(std::move(t->easy));
  complete_inline(*t->sink, std::move(outcome));
}

void curl_engine::cancel_all() noexcept {
  std::vector<std::uint64_t> ids;
  try {
    ids.reserve(active_.size());
  } catch (...) {
  }
  for (const auto& [id, t] : active_) ids.push_back(id);
  for (std::uint64_t id : ids) finish(id, canceled_error());
}

void curl_engine::cancel_stopped() noexcept {
  std::vector<std::uint64_t> ids;
  try {
    for (const auto& [id, t] : active_) {
      if (t->stop.stop_requested()) ids.push_back(id);
    }
  } catch (...) {
    cancel_pending_.store(true);  // retry on the next run
  }
  for (std::uint64_t id : ids) finish(id, canceled_error());
}

void curl_engine::collect_done() noexcept {
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

result<void> curl_engine::outcome_of(transfer& t, CURLcode code) noexcept {
  if (t.callback_error) return *t.callback_error;
  if (t.sink_aborted || code == CURLE_ABORTED_BY_CALLBACK || t.stop.stop_requested()) {
    return canceled_error();
  }
  if (code != CURLE_OK) return transfer_error(code, t.host, t.request.connect_timeout);
  if (!t.head_sent) {  // a response without a blank line after its head: report what we have
    long status = 0;
    curl_easy_getinfo(t.easy.get(), CURLINFO_RESPONSE_CODE, &status);
    if (!deliver_head(t, static_cast<int>(status))) return *t.callback_error;
  }
  return {};
}

// Unpauses the transfers whose sink is ready again; true while some stay paused.
bool curl_engine::resume_ready() noexcept {
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
      if (t.request.idle_timeout.count() > 0) note_deadline(t.last_activity + t.request.idle_timeout);
      // libcurl delivers the bytes it held back from its next socket_action (it sets a timer).
      curl_easy_pause(t.easy.get(), CURLPAUSE_CONT);
    }
  }
  return !paused_.empty();
}

// Ends the transfers whose timer ran out and finds the next deadline.
void curl_engine::expire_timers(clock::time_point now) noexcept {
  next_expiry_ = clock::time_point::max();
  std::vector<std::pair<std::uint64_t, error>> expired;
  try {
    for (const auto& [id, tp] : active_) {
      const transfer& t = *tp;
      const http_request& r = t.request;
      std::optional<error> err;
      auto consider = [&](clock::time_point at, auto make) {
        if (now >= at) {
          if (!err) err = make();
        } else {
          note_deadline(at);
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
          return make_error(errc::timeout, "upstream sent nothing for " + ms_text(r.idle_timeout));
        });
      }
      if (err) expired.emplace_back(id, std::move(*err));
    }
  } catch (...) {
    next_expiry_ = now;  // out of memory while building messages: try again at once
  }
  for (auto& [id, err] : expired) finish(id, std::move(err));
}

// ---- libcurl's transfer callbacks (loop thread, inside socket_action) ----------------------

// Calls on_head; false (with callback_error set) if the sink threw.
bool curl_engine::deliver_head(transfer& t, int status) noexcept {
  t.head_sent = true;
  // With the response under way and the whole body sent, libcurl reads the request body no
  // more (no retry follows a response, redirects are not followed): a stream that lasts
  // minutes need not hold it.
  if (!t.request.body.empty()) {
    curl_off_t sent = 0;
    if (curl_easy_getinfo(t.easy.get(), CURLINFO_SIZE_UPLOAD_T, &sent) == CURLE_OK &&
        sent == static_cast<curl_off_t>(t.request.body.size())) {
      std::string().swap(t.request.body);
    }
  }
  if (t.request.idle_timeout.count() > 0) {
    t.engine->note_deadline(clock::now() + t.request.idle_timeout);
  }
  try {
    t.sink->on_head(status, t.head.headers());
    return true;
  } catch (...) {
    t.callback_error = make_error(errc::internal, "the response sink threw in on_head");
    return false;
  }
}

std::size_t curl_engine::on_header(char* data, std::size_t size, std::size_t count,
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

std::size_t curl_engine::on_write(char* data, std::size_t size, std::size_t count,
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
      curl_engine& e = *t.engine;
      e.paused_.push_back(t.id);
      if (e.next_resume_ == clock::time_point::max()) e.next_resume_ = t.last_activity + paused_poll;
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
int curl_engine::on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) noexcept {
  return static_cast<transfer*>(user)->stop.stop_requested() ? 1 : 0;
}

}  // namespace harness::detail
