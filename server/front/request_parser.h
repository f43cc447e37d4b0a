// request_parser.h: an incremental HTTP/1.1 request parser (RFC 9112) for the proxy's front.
//
// Fed the bytes of a connection in any chunking, it reports when a whole request (head and
// body) is in, or why the request is refused. Bodies are framed by Content-Length or by chunked
// transfer coding; any other transfer coding is refused. Limits keep memory bounded whatever
// the client sends: the head (request line and headers) and the body have maximum sizes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harness_server {

struct http_request {
  std::string method;  ///< as sent ("POST"); methods are case-sensitive
  std::string path;    ///< the target without its query
  std::string query;   ///< after '?', without it; empty when none
  int minor_version = 1;  ///< HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> headers;  ///< names as sent
  std::string body;    ///< decoded (chunked coding removed)

  /// The first value of header `name` (case-insensitive); "" when absent.
  std::string_view header(std::string_view name) const noexcept;
  bool has_header(std::string_view name) const noexcept;
  /// The connection may stay open after the answer (HTTP/1.1 unless "Connection: close";
  /// HTTP/1.0 only with "Connection: keep-alive").
  bool keep_alive() const noexcept;
  /// The client sent "Expect: 100-continue" and waits for an interim answer before its body.
  bool expects_continue() const noexcept;
};

struct parser_limits {
  std::size_t max_head_bytes = 64 * 1024;  ///< request line plus headers
  std::size_t max_headers = 128;
  std::size_t max_body_bytes = 32 * 1024 * 1024;
};

class request_parser {
 public:
  enum class state {
    head,      ///< waiting for the rest of the head
    body,      ///< head parsed (see request()), body incomplete
    complete,  ///< a whole request is in request(); call reset() for the next one
    failed,    ///< refused: see error_status() and error_message(); close after answering
  };

  explicit request_parser(parser_limits limits = {}) : limits_(limits) {}

  /// Consumes bytes from the front of `in` (advancing it past what it used) and returns the
  /// state. Bytes past a complete request stay in `in` (pipelined requests). Cost is linear in
  /// the bytes consumed: nothing is moved.
  state feed(std::string_view& in);
  /// The same on a string, erasing what was used.
  state feed(std::string& in);
  state current() const noexcept { return state_; }
  /// The request; its head is valid from state::body on, its body at state::complete.
  const http_request& request() const noexcept { return req_; }
  http_request& request() noexcept { return req_; }
  /// The status to answer a failed request with (400, 413, 414, 431, 501, 505).
  int error_status() const noexcept { return error_status_; }
  const std::string& error_message() const noexcept { return error_message_; }
  /// Bytes of body announced or decoded so far (for progress; 0 before the body).
  std::size_t body_bytes() const noexcept { return req_.body.size(); }
  /// Ready for the next request on the same connection.
  void reset();

 private:
  enum class body_mode { none, length, chunked };
  enum class chunk_phase { size, data, data_end, trailers };

  state fail(int status, std::string message);
  state parse_head(std::string_view head);
  state feed_body(std::string_view& in);
  state feed_chunked(std::string_view& in);

  parser_limits limits_;
  state state_ = state::head;
  http_request req_;
  int error_status_ = 0;
  std::string error_message_;
  body_mode mode_ = body_mode::none;
  std::size_t remaining_ = 0;  // length mode: body bytes still due; chunked: of this chunk
  chunk_phase chunk_ = chunk_phase::size;
  std::size_t scanned_ = 0;    // head bytes already searched for the blank line
  std::vector<std::pair<std::string, std::string>> spare_headers_;  // kept for their buffers
};

}  // namespace harness_server
