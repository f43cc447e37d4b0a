#include "front/connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "front/front_loop.h"

namespace harness_server {
namespace {

constexpr std::size_t read_chunk = 64 * 1024;
constexpr std::size_t max_read_per_event = 1024 * 1024;  // fairness between connections
constexpr auto linger_time = std::chrono::seconds(2);
// Bytes of further requests held while an answer is pending before reading stops.
constexpr std::size_t max_pipelined = 1024 * 1024;

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    case 529: return "Overloaded";
    default: return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
  }
}

void append_number(std::string& out, std::size_t n, int base = 10) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, n, base).ptr;
  out.append(buf, end);
}

// Header names and values go out on one line each: drop anything that would end it.
void append_header_text(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c != '\r' && c != '\n' && c != '\0') out.push_back(c);
  }
}

}  // namespace

connection::connection(front_loop& loop, int fd, std::uint64_t id)
    : loop_(loop), fd_(fd), id_(id), parser_(loop.settings().limits),
      interest_(EPOLLIN | EPOLLRDHUP) {  // as front_loop registers a new connection
  last_read_ = last_write_ = request_start_ = clock::now();
}

connection::~connection() {
  abandon();
  ::close(fd_);
}

void connection::abandon() {
  if (current_ == nullptr) return;
  current_->client_gone();
  if (stream_) --loop_.open_streams();
  stream_ = false;
  current_.reset();
}

bool connection::on_readable() {
  char buf[read_chunk];
  std::size_t got = 0;
  while (got < max_read_per_event) {
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
      if (!closing_) in_.append(buf, static_cast<std::size_t>(n));
      last_read_ = clock::now();
      if (static_cast<std::size_t>(n) < sizeof buf) break;  // drained for now
      continue;
    }
    if (n == 0) {
      peer_closed_ = true;
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    abandon();  // reset by the peer
    return false;
  }
  if (closing_) return !peer_closed_;
  if (peer_closed_) {
    // Level-triggered: a closed peer stays readable. Stop listening for input.
    update_interest();
    if (current_ != nullptr) {  // the client left while its answer was on the way
      abandon();
      return false;
    }
    if (unread() == 0) return false;
    keep_alive_ = false;  // a half-closed client may still get the answer to what it sent
  }
  return process_input();
}

bool connection::on_writable() { return flush(); }

bool connection::on_exchange_ready() {
  if (closing_) return true;
  return pump();
}

bool connection::process_input() {
  // Reentered when an answer given at once finishes its exchange (dispatch -> pump -> flush ->
  // finish_exchange): the loop below goes on with the next pipelined request itself. Recursing
  // instead took a few frames per request, and a megabyte of tiny pipelined requests overflowed
  // the loop thread's stack.
  if (processing_input_) return true;
  processing_input_ = true;
  struct reset_flag {
    bool& flag;
    ~reset_flag() { flag = false; }
  } reset{processing_input_};
  while (current_ == nullptr && !closing_) {
    if (unread() == 0) {
      in_.clear();
      in_off_ = 0;
      return !peer_closed_;
    }
    if (!reading_request_) {
      reading_request_ = true;
      request_start_ = clock::now();
    }
    std::string_view rest(in_.data() + in_off_, in_.size() - in_off_);
    const auto st = parser_.feed(rest);
    in_off_ = in_.size() - rest.size();
    if (st == request_parser::state::failed) {
      return fail_request(parser_.error_status(), parser_.error_message());
    }
    if (st == request_parser::state::body && !continue_sent_ &&
        parser_.request().expects_continue()) {
      // curl and others wait (up to a second) for this before sending a body.
      continue_sent_ = true;
      out_ += "HTTP/1.1 100 Continue\r\n\r\n";
      if (!flush()) return false;
    }
    if (st != request_parser::state::complete) {
      if (peer_closed_) return false;  // the rest will never come
      in_.erase(0, in_off_);  // all of it was used: the parser keeps what it needs
      in_off_ = 0;
      return true;
    }
    if (!dispatch()) return false;
  }
  // An answer is on its way: what the client sent meanwhile waits here. Past a bound, stop
  // reading (TCP holds the client back) until the answer is out.
  if (in_off_ > 64 * 1024) {
    in_.erase(0, in_off_);
    in_off_ = 0;
  }
  const bool pause = current_ != nullptr && unread() > max_pipelined;
  if (pause != read_paused_) {
    read_paused_ = pause;
    update_interest();
  }
  return true;
}

void connection::update_interest() {
  std::uint32_t events = 0;
  if (!peer_closed_) {
    events |= EPOLLRDHUP;
    if (closing_ || !read_paused_) events |= EPOLLIN;
  }
  if (writing_) events |= EPOLLOUT;
  if (events != interest_) {
    interest_ = events;
    loop_.set_interest(*this, events);
  }
}

bool connection::dispatch() {
  http_request& req = parser_.request();
  reading_request_ = false;
  continue_sent_ = false;
  head_request_ = req.method == "HEAD";
  keep_alive_ = req.keep_alive() && !peer_closed_;
  http10_ = req.minor_version == 0;
  head_written_ = stream_ = chunked_ = answer_done_ = false;
  current_ = loop_.make_exchange(id_);
  loop_.route(req, current_);
  return pump();  // an answer given at once goes out now
}

bool connection::pump() {
  if (current_ == nullptr || answer_done_) return true;
  exchange::taken t = current_->take();
  if (t.head && !head_written_) {
    head_written_ = true;
    if (t.ended) {  // a whole answer: one write with its length
      const bool bodyless = t.status == 204 || t.status == 304 || head_request_;
      write_head(t.status, t.content_type, t.headers, t.body.size(), false);
      if (!bodyless) out_ += t.body;
      answer_done_ = true;
    } else {
      stream_ = true;
      ++loop_.open_streams();
      // A stream holds its connection for seconds or minutes: the input buffer, sized for the
      // request that started it, goes back now rather than sit idle (kept for short answers,
      // where the next request reuses it).
      if (unread() == 0) {
        std::string().swap(in_);
        in_off_ = 0;
      }
      chunked_ = !http10_;
      if (!chunked_) keep_alive_ = false;  // HTTP/1.0: the end of the body is the close
      write_head(t.status, t.content_type, t.headers, 0, true);
      if (!head_request_) append_chunk(t.body);
    }
  } else if (head_written_) {
    if (!head_request_) append_chunk(t.body);
    if (t.ended) {
      if (chunked_ && !head_request_) out_ += "0\r\n\r\n";
      answer_done_ = true;
    }
  }
  return flush();
}

void connection::write_head(int status, const std::string& content_type,
                            const harness::header_list& headers, std::size_t content_length,
                            bool stream) {
  out_ += "HTTP/1.1 ";
  append_number(out_, static_cast<std::size_t>(status));
  out_ += ' ';
  out_ += reason_phrase(status);
  out_ += "\r\n";
  if (!content_type.empty()) {
    out_ += "Content-Type: ";
    append_header_text(out_, content_type);
    out_ += "\r\n";
  }
  for (const auto& [name, value] : headers) {
    append_header_text(out_, name);
    out_ += ": ";
    append_header_text(out_, value);
    out_ += "\r\n";
  }
  if (stream) {
    out_ += "Cache-Control: no-cache\r\n";
    if (chunked_) out_ += "Transfer-Encoding: chunked\r\n";
  } else if (status != 204 && status != 304) {
    out_ += "Content-Length: ";
    append_number(out_, content_length);
    out_ += "\r\n";
  }
  if (!keep_alive_) {
    out_ += "Connection: close\r\n";
  } else if (http10_) {
    out_ += "Connection: keep-alive\r\n";
  }
  out_ += "\r\n";
}

void connection::append_chunk(std::string_view bytes) {
  if (bytes.empty()) return;
  if (!chunked_) {
    out_ += bytes;
    return;
  }
  append_number(out_, bytes.size(), 16);
  out_ += "\r\n";
  out_ += bytes;
  out_ += "\r\n";
}

bool connection::flush() {
  while (out_off_ < out_.size()) {
    const ssize_t n = ::send(fd_, out_.data() + out_off_, out_.size() - out_off_, MSG_NOSIGNAL);
    if (n > 0) {
      out_off_ += static_cast<std::size_t>(n);
      last_write_ = clock::now();
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    abandon();  // the client is gone
    return false;
  }
  const std::size_t unsent = out_.size() - out_off_;
  if (unsent == 0) {
    out_.clear();
    out_off_ = 0;
  } else if (out_off_ > 64 * 1024) {
    out_.erase(0, out_off_);
    out_off_ = 0;
  }
  writing_ = unsent > 0;
  update_interest();
  if (current_ != nullptr) current_->set_unsent(unsent);
  if (unsent > 0) return true;
  if (closing_) return true;
  if (close_after_write_) return begin_close();
  if (answer_done_ && current_ != nullptr) return finish_exchange();
  return true;
}

bool connection::finish_exchange() {
  read_paused_ = false;
  update_interest();
  if (stream_) --loop_.open_streams();
  stream_ = false;
  current_.reset();
  head_written_ = answer_done_ = false;
  parser_.reset();
  if (!keep_alive_) return begin_close();
  return process_input();  // a pipelined request may be waiting
}

bool connection::fail_request(int status, const std::string& message) {
  const std::string body = loop_.error_body(status, parser_.request().path, message);
  keep_alive_ = false;
  http10_ = false;
  chunked_ = false;
  write_head(status, "application/json", {}, body.size(), false);
  if (parser_.request().method != "HEAD") out_ += body;
  close_after_write_ = true;
  reading_request_ = false;
  return flush();
}

// Closes gently: the answer is out, so say we are done (FIN) and read what the client still
// sends until it closes too. Closing at once with unread input would reset the connection and
// could destroy the answer before the client read it.
bool connection::begin_close() {
  if (peer_closed_) return false;
  closing_ = true;
  linger_until_ = clock::now() + linger_time;
  in_.clear();
  in_off_ = 0;
  ::shutdown(fd_, SHUT_WR);
  return true;
}

bool connection::on_tick(clock::time_point now) {
  if (closing_) return now < linger_until_;
  const auto& s = loop_.settings();
  if (current_ != nullptr && !head_written_ && now >= current_->deadline()) {
    // No answer in time: the client hears so, and the upstream is cancelled.
    const std::shared_ptr<exchange> late = current_;
    late->client_gone();
    head_written_ = true;
    const std::string body = late->deadline_body();
    write_head(late->deadline_status(), "application/json", {}, body.size(), false);
    if (!head_request_) out_ += body;
    answer_done_ = true;
    return flush();
  }
  if (out_off_ < out_.size() && now - last_write_ > s.write_timeout) {
    abandon();  // the client takes nothing of its answer
    return false;
  }
  if (current_ == nullptr && reading_request_) {
    const bool head_late = parser_.current() == request_parser::state::head &&
                           now - request_start_ > s.read_timeout;
    if (head_late || now - last_read_ > s.read_timeout) {
      return fail_request(408, "the request did not arrive in time");
    }
  }
  if (current_ == nullptr && !reading_request_ && out_.empty() &&
      now - std::max(last_read_, last_write_) > s.keep_alive_timeout) {
    return false;  // idle keep-alive connection
  }
  return true;
}

}  // namespace harness_server
