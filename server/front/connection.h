// connection.h: one client connection of the event-loop front: reads requests (keep-alive,
// pipelining, Expect: 100-continue), hands each to the router, and writes its answer as it
// comes (Content-Length for whole answers, chunked for streams, close-delimited for HTTP/1.0).
// Lives on one loop thread; nothing here is thread-safe but the exchange it hands out.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "front/exchange.h"
#include "front/request_parser.h"

namespace harness_server {

class front_loop;

class connection {
 public:
  using clock = std::chrono::steady_clock;

  connection(front_loop& loop, int fd, std::uint64_t id);
  ~connection();  // closes the socket; a request in flight is cancelled
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  int fd() const noexcept { return fd_; }
  std::uint64_t id() const noexcept { return id_; }

  // Each returns false when the connection is finished and should be destroyed.
  bool on_readable();
  bool on_writable();
  bool on_exchange_ready();
  bool on_tick(clock::time_point now);

 private:
  bool process_input();
  bool dispatch();
  bool pump();
  bool flush();
  bool finish_exchange();
  bool fail_request(int status, const std::string& message);
  bool begin_close();
  void write_head(int status, const std::string& content_type, const harness::header_list& headers,
                  std::size_t content_length, bool stream);
  void append_chunk(std::string_view bytes);
  void abandon();  // a request in flight loses its client
  void update_interest();  // tells the loop which events to wait for now
  std::size_t unread() const noexcept { return in_.size() - in_off_; }

  front_loop& loop_;
  int fd_;
  std::uint64_t id_;
  request_parser parser_;
  std::string in_;
  std::size_t in_off_ = 0;      // bytes of in_ the parser has used
  std::string out_;
  std::size_t out_off_ = 0;
  bool writing_ = false;        // EPOLLOUT wanted
  bool read_paused_ = false;    // enough pipelined input held: EPOLLIN off
  std::uint32_t interest_ = 0;  // the events registered with the loop

  // The request being answered.
  std::shared_ptr<exchange> current_;
  bool head_request_ = false;   // HEAD: no body is written
  bool keep_alive_ = true;
  bool head_written_ = false;
  bool stream_ = false;         // the answer is a stream (counted in open streams)
  bool chunked_ = false;
  bool answer_done_ = false;    // the whole answer is in out_
  bool continue_sent_ = false;
  bool close_after_write_ = false;
  bool peer_closed_ = false;
  bool reading_request_ = false;  // bytes of a request are in, the request is not complete
  bool http10_ = false;
  bool closing_ = false;          // answer sent, FIN sent; waiting for the client's close
  bool processing_input_ = false;  // inside process_input(): it must not recurse

  clock::time_point last_read_;
  clock::time_point request_start_;  // first byte of the request being read
  clock::time_point last_write_;
  clock::time_point linger_until_;
};

}  // namespace harness_server
