// The public stream API: factories and the decoder + encoder pair.
#include <harness/stream.h>

#include "stream/encoders.h"

namespace harness {
inline namespace v0 {

std::unique_ptr<stream_decoder> make_stream_decoder(dialect d) {
  switch (d) {
    case dialect::anthropic: return detail::make_anthropic_stream_decoder();
    case dialect::ollama: return detail::make_ollama_stream_decoder();
    case dialect::openai: break;
  }
  return detail::make_openai_stream_decoder();
}

std::unique_ptr<stream_encoder> make_stream_encoder(dialect d, stream_encoder_options options) {
  switch (d) {
    case dialect::anthropic: return detail::make_anthropic_stream_encoder(std::move(options));
    case dialect::ollama: return detail::make_ollama_stream_encoder(std::move(options));
    case dialect::openai: break;
  }
  return detail::make_openai_stream_encoder(std::move(options));
}

stream_translator::stream_translator(dialect from, dialect to, stream_encoder_options options)
    : decoder_(make_stream_decoder(from)), encoder_(make_stream_encoder(to, std::move(options))) {}
stream_translator::~stream_translator() = default;
stream_translator::stream_translator(stream_translator&&) noexcept = default;
stream_translator& stream_translator::operator=(stream_translator&&) noexcept = default;

void stream_translator::feed(std::string_view bytes, std::string& out) {
  events_.clear();
  decoder_->feed(bytes, events_);
  for (const auto& ev : events_) encoder_->encode(ev, out);
}

void stream_translator::finish(std::string& out) {
  events_.clear();
  decoder_->finish(events_);
  for (const auto& ev : events_) encoder_->encode(ev, out);
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
