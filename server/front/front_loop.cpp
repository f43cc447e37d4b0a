#include "front/front_loop.h"

#include "allocator.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace harness_server {
namespace {

constexpr auto tick_interval = std::chrono::milliseconds(100);
// Ticks without a connection before the freed heap is handed back to the system.
constexpr int idle_ticks_before_trim = 50;

}  // namespace

void front_loop::mailbox::post(std::uint64_t id) {
  std::lock_guard lock(mu);
  if (wake_fd < 0) return;  // the loop ended; nothing will be written
  const bool was_empty = ready.empty();
  ready.push_back(id);
  if (was_empty) {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd, &one, sizeof one);
  }
}

front_loop::front_loop(http_front& front,
                       std::shared_ptr<harness::curl_loop_transport> upstream)
    : front_(front), epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
      mailbox_(std::make_shared<mailbox>()), upstream_(std::move(upstream)) {
  mailbox_->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = wake_key;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, mailbox_->wake_fd, &ev);
}

front_loop::~front_loop() {
  connections_.clear();
  {
    std::lock_guard lock(mailbox_->mu);
    if (mailbox_->wake_fd >= 0) ::close(mailbox_->wake_fd);
    mailbox_->wake_fd = -1;
  }
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void front_loop::wake() {
  std::lock_guard lock(mailbox_->mu);
  if (mailbox_->wake_fd < 0) return;
  const std::uint64_t one = 1;
  (void)!::write(mailbox_->wake_fd, &one, sizeof one);
}

void front_loop::run() {
  thread_ = std::this_thread::get_id();
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;  // one loop wakes per new connection
  ev.data.u64 = listener_key;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, front_.listener_, &ev);
  if (upstream_ != nullptr) {
    upstream_->bind_to_this_thread();
    ev.events = EPOLLIN;
    ev.data.u64 = upstream_key;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, upstream_->watch_fd(), &ev);
  }

  auto next_tick = std::chrono::steady_clock::now() + tick_interval;
  epoll_event events[128];
  while (!front_.stopping_.load(std::memory_order_acquire)) {
    const auto now = std::chrono::steady_clock::now();
    auto wait =
        now >= next_tick ? 0
                         : std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - now).count() + 1;
    if (upstream_ != nullptr) {
      const int due = upstream_->timeout_ms();
      if (due >= 0 && due < wait) wait = due;
    }
    const int n = ::epoll_wait(epoll_fd_, events, 128, static_cast<int>(wait));
    bool upstream_ready = false;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t key = events[i].data.u64;
      const std::uint32_t what = events[i].events;
      if (key == upstream_key) {
        upstream_ready = true;
        continue;
      }
      if (key == listener_key) {
        accept_all();
        continue;
      }
      if (key == wake_key) {
        drain_mailbox();
        continue;
      }
      auto it = connections_.find(key);
      if (it == connections_.end()) continue;
      connection& c = *it->second;
      bool alive = true;
      if (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) alive = c.on_readable();
      if (alive && (what & EPOLLOUT)) alive = c.on_writable();
      if (!alive) close_connection(key);
    }
    // Requests just read have started their transfers: libcurl sends them now, in this turn.
    if (upstream_ != nullptr && (upstream_ready || upstream_->timeout_ms() == 0)) upstream_->run();
    serve_local();
    if (std::chrono::steady_clock::now() >= next_tick) {
      tick();
      next_tick = std::chrono::steady_clock::now() + tick_interval;
    }
  }
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, front_.listener_, nullptr);
  // Transfers in flight end as cancelled (their answers have nowhere to go), then the
  // connections close; exchanges fed by other threads may still call in: the mailbox drops it.
  if (upstream_ != nullptr) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, upstream_->watch_fd(), nullptr);
    upstream_->close();
  }
  mailbox_->local.clear();
  connections_.clear();
  std::lock_guard lock(mailbox_->mu);
  mailbox_->ready.clear();
}

void front_loop::accept_all() {
  for (int i = 0; i < 64; ++i) {
    const int fd = ::accept4(front_.listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: stop watching the listener (it would wake us in a loop) until
        // the next tick; the kernel keeps new connections in the backlog meanwhile.
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, front_.listener_, nullptr);
        listener_paused_ = true;
      }
      return;
    }
    if (connections_.size() >= front_.settings_.max_connections) {
      ::close(fd);
      continue;
    }
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    const std::uint64_t id = next_id_++;
    auto c = std::make_unique<connection>(*this, fd, id);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = id;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) continue;  // c closes fd
    connections_.emplace(id, std::move(c));
  }
}

void front_loop::drain_mailbox() {
  std::uint64_t count = 0;
  (void)!::read(mailbox_->wake_fd, &count, sizeof count);
  ready_scratch_.clear();
  {
    std::lock_guard lock(mailbox_->mu);
    ready_scratch_.swap(mailbox_->ready);
  }
  serve_ready(ready_scratch_);
}

void front_loop::serve_ready(const std::vector<std::uint64_t>& ids) {
  for (std::uint64_t id : ids) {
    auto it = connections_.find(id);
    if (it != connections_.end() && !it->second->on_exchange_ready()) close_connection(id);
  }
}

// Connections whose answers moved on this thread (the upstream's callbacks, an answer given
// at once by the router). Serving one may read its next pipelined request and answer that at
// once too: the list is taken again until it stays empty.
void front_loop::serve_local() {
  while (!mailbox_->local.empty()) {
    ready_scratch_.clear();
    ready_scratch_.swap(mailbox_->local);
    serve_ready(ready_scratch_);
  }
}

void front_loop::tick() {
  // After a burst (256 streams leave ~15 MB of freed memory in the allocator), a loop that
  // has had no connection for a few seconds gives the free memory back, once per quiet spell.
  if (connections_.empty()) {
    if (++idle_ticks_ == idle_ticks_before_trim) release_free_memory();
  } else {
    idle_ticks_ = 0;
  }
  if (listener_paused_) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.u64 = listener_key;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, front_.listener_, &ev) == 0) listener_paused_ = false;
  }
  const auto now = std::chrono::steady_clock::now();
  for (auto it = connections_.begin(); it != connections_.end();) {
    if (it->second->on_tick(now)) {
      ++it;
    } else {
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second->fd(), nullptr);
      it = connections_.erase(it);
    }
  }
}

void front_loop::close_connection(std::uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second->fd(), nullptr);
  connections_.erase(it);
}

void front_loop::set_interest(connection& c, std::uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = c.id();
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd(), &ev);
}

std::shared_ptr<exchange> front_loop::make_exchange(std::uint64_t connection_id) {
  std::weak_ptr<mailbox> box = mailbox_;
  return std::make_shared<exchange>(
      [box, connection_id, loop_thread = thread_] {
        auto b = box.lock();
        if (b == nullptr) return;
        if (std::this_thread::get_id() == loop_thread) {
          b->local.push_back(connection_id);  // served before the loop waits again
        } else {
          b->post(connection_id);
        }
      },
      front_.queued_);
}

}  // namespace harness_server
