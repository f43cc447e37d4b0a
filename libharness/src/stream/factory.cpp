// The public stream API: factories and the decoder + encoder pair.
#include <harness/stream.h>

#include "stream/decoder_base.h"
#include "stream/encoders.h"

namespace harness {
inline namespace v0 {

std::unique_ptr<stream_decoder> make_stream_decoder(dialect d) {
  switch (d) {
    case dialect::anthropic: return detail::make_anthropic_stream_decoder();
    case dialect::ollama: return detail::make_ollama_stream_decoder();
    case dialect::responses: return detail::make_responses_stream_decoder();
    case dialect::openai: break;
  }
  return detail::make_openai_stream_decoder();
}

std::unique_ptr<stream_encoder> make_stream_encoder(dialect d, stream_encoder_options options) {
  switch (d) {
    case dialect::anthropic: return detail::make_anthropic_stream_encoder(std::move(options));
    case dialect::ollama: return detail::make_ollama_stream_encoder(std::move(options));
    case dialect::responses: return detail::make_responses_stream_encoder(std::move(options));
    case dialect::openai: break;
  }
  return detail::make_openai_stream_encoder(std::move(options));
}

void stream_decoder::feed_each(std::string_view bytes, stream_event_sink& sink) {
  std::vector<stream_event> events;
  feed(bytes, events);
  for (const auto& ev : events) sink.on_event(ev);
}

void stream_decoder::finish_each(stream_event_sink& sink) {
  std::vector<stream_event> events;
  finish(events);
  for (const auto& ev : events) sink.on_event(ev);
}

namespace {

// Hands each decoded event straight to the encoder (no event vector in between).
class encode_sink final : public stream_event_sink {
 public:
  encode_sink(stream_encoder& encoder, std::string& out) : encoder_(encoder), out_(out) {}
  void on_event(const stream_event& ev) override { encoder_.encode(ev, out_); }

 private:
  stream_encoder& encoder_;
  std::string& out_;
};

}  // namespace

stream_translator::stream_translator(dialect from, dialect to, stream_encoder_options options)
    : decoder_(make_stream_decoder(from)), encoder_(make_stream_encoder(to, std::move(options))),
      // The library's own decoders reuse one event object per stream through feed_each; any
      // other goes through feed() and the reused events_ vector, which costs it nothing extra.
      each_(dynamic_cast<detail::decoder_base*>(decoder_.get()) != nullptr) {}
stream_translator::~stream_translator() = default;
stream_translator::stream_translator(stream_translator&&) noexcept = default;
stream_translator& stream_translator::operator=(stream_translator&&) noexcept = default;

void stream_translator::feed(std::string_view bytes, std::string& out) {
  if (each_) {
    encode_sink sink(*encoder_, out);
    decoder_->feed_each(bytes, sink);
    return;
  }
  events_.clear();
  decoder_->feed(bytes, events_);
  for (const auto& ev : events_) encoder_->encode(ev, out);
}

void stream_translator::finish(std::string& out) {
  if (each_) {
    encode_sink sink(*encoder_, out);
    decoder_->finish_each(sink);
  } else {
    events_.clear();
    decoder_->finish(events_);
    for (const auto& ev : events_) encoder_->encode(ev, out);
  }
  if (!encoder_->closed()) {
    encoder_->encode(detail::error_event(errc::upstream_transport, "upstream stream ended early"),
                     out);
  }
}

void stream_translator::fail(const error& err, std::string& out) {
  stream_event ev;
  ev.type = stream_event::kind::error;
  ev.err = err;
  encoder_->encode(ev, out);
}

bool stream_translator::closed() const noexcept { return encoder_->closed(); }

}  // namespace v0
}  // namespace harness
