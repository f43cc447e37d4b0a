// stream.h: streaming translation as incremental state machines.
//
// A stream decoder turns an upstream's bytes (SSE or NDJSON, in any chunking) into canonical
// stream events; a stream encoder turns events into a client's bytes. Both are push state
// machines: they never block, never start threads, and append to caller-owned buffers. Feeding
// the same bytes split at any boundaries gives identical events and identical output.
//
// Event order, which every decoder guarantees and every encoder relies on:
//   message_start, then for each block: block_start, delta*, [signature], block_stop;
//   then finish, usage*, message_stop. `error` may replace anything after message_start (and
//   then ends the stream). Blocks do not overlap: a block is stopped before the next starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <harness/dialect.h>
#include <harness/response.h>
#include <harness/result.h>

namespace harness {
inline namespace v0 {

/// What a content block of a stream holds.
enum class block_type { text, reasoning, tool_call };

/// One canonical stream event. Fields not listed for a kind are empty / zero.
struct stream_event {
  enum class kind {
    message_start,  ///< `id`, `name` = model; `usage` holds input counts known so far
    block_start,    ///< `index`, `block`; tool calls: `id`, `name`
    delta,          ///< `index`, `text`: a text, reasoning or argument-JSON fragment
    signature,      ///< `index`, `text`: the signature of a reasoning block (Anthropic)
    block_stop,     ///< `index`
    finish,         ///< `finish`, `text` = the stop sequence that fired, if any
    usage,          ///< `usage`, cumulative: the latest one wins, never add them up
    message_stop,   ///< the end of a complete message
    error,          ///< `err`: the stream failed; nothing follows
  };
  kind type = kind::delta;
  std::size_t index = 0;  ///< block position in the message (0, 1, 2, ... across all types)
  block_type block = block_type::text;
  std::string id;
  std::string name;
  std::string text;
  finish_reason finish = finish_reason::none;
  harness::usage usage;
  harness::error err;
};

/// Receives a decoder's events one at a time (stream_decoder::feed_each).
class stream_event_sink {
 public:
  /// `event` is valid only during the call: the decoder reuses the object for the next event.
  virtual void on_event(const stream_event& event) = 0;

 protected:
  ~stream_event_sink() = default;
};

/// Upstream bytes -> events. Not thread-safe: one per stream.
class stream_decoder {
 public:
  virtual ~stream_decoder() = default;
  /// Consumes `bytes` (any chunking) and appends the events they complete to `out`.
  virtual void feed(std::string_view bytes, std::vector<stream_event>& out) = 0;
  /// The upstream ended. Appends what is still pending; a stream that ended before its
  /// message was complete yields an `error` event ("upstream ended the stream early").
  virtual void finish(std::vector<stream_event>& out) = 0;
  /// feed(), but each event goes to `sink` as soon as it is complete, in one event object the
  /// decoder reuses: the library's decoders allocate nothing per event this way. The same
  /// events in the same order as feed(); the default implementation goes through feed().
  virtual void feed_each(std::string_view bytes, stream_event_sink& sink);
  /// finish(), delivering to `sink` like feed_each().
  virtual void finish_each(stream_event_sink& sink);
};

/// A decoder for what an upstream of dialect `d` streams (OpenAI SSE chunks, Anthropic SSE
/// events, Ollama NDJSON). Garbage lines and the dialect's in-band errors become `error` events;
/// memory is bounded by the largest single event, not by the stream's length. Never null; the
/// caller owns the decoder.
std::unique_ptr<stream_decoder> make_stream_decoder(dialect d);

/// What an encoder cannot learn from the events alone.
struct stream_encoder_options {
  std::string model;          ///< the model name the client asked for (echoed in every chunk)
  std::string id;             ///< message / completion id; empty: from message_start, else made up
  std::int64_t created = 0;   ///< unix seconds for OpenAI's `created`
  bool include_usage = false; ///< OpenAI: emit the `choices: []` usage chunk before [DONE]
  /// Responses: tools whose calls are `custom_tool_call` items (see harness::freeform_tools).
  std::vector<std::string> freeform_tools;
  /// Responses: (tool name, namespace) whose calls carry `namespace` (see harness::tool_namespaces).
  std::vector<std::pair<std::string, std::string>> tool_namespaces;
};

/// Events -> client bytes. Not thread-safe: one per stream.
class stream_encoder {
 public:
  virtual ~stream_encoder() = default;
  /// Appends the bytes for `event` to `out`. After message_stop or error, further events are
  /// ignored.
  virtual void encode(const stream_event& event, std::string& out) = 0;
  /// True once the stream was closed (message_stop or error written).
  virtual bool closed() const noexcept = 0;
};

/// An encoder that writes dialect `d`'s stream: OpenAI `chat.completion.chunk` SSE ending in
/// `data: [DONE]`; Anthropic `message_start` ... `message_stop` events; Ollama NDJSON with a
/// final `done: true` line; Responses `response.*` events ending in `response.completed` (or
/// `.incomplete` / `.failed`). An `error` event becomes the dialect's error event, so a client's
/// stream always ends properly. Never null; the caller owns the encoder.
std::unique_ptr<stream_encoder> make_stream_encoder(dialect d, stream_encoder_options options);

/// Decoder + encoder in one: upstream bytes of `from` in, client bytes of `to` out. Never fails:
/// bad upstream bytes become the client dialect's error event. Not thread-safe: one per stream;
/// movable, not copyable.
class stream_translator {
 public:
  stream_translator(dialect from, dialect to, stream_encoder_options options);
  ~stream_translator();
  stream_translator(stream_translator&&) noexcept;
  stream_translator& operator=(stream_translator&&) noexcept;

  /// Appends the client bytes that `bytes` complete to `out`.
  void feed(std::string_view bytes, std::string& out);
  /// The upstream ended: flushes, and closes the client stream (with an error event when the
  /// upstream stream was incomplete).
  void finish(std::string& out);
  /// The upstream failed (transport error, timeout): closes the client stream with `err`.
  void fail(const error& err, std::string& out);
  bool closed() const noexcept;

 private:
  std::unique_ptr<stream_decoder> decoder_;
  std::unique_ptr<stream_encoder> encoder_;
  std::vector<stream_event> events_;
  bool each_ = false;  ///< the decoder is the library's own: events go one by one (feed_each)
};

}  // namespace v0
}  // namespace harness
