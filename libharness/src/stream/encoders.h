// encoders.h: the stream encoders of each dialect (constructed by make_stream_encoder).
#pragma once

#include <memory>

#include <harness/stream.h>

namespace harness::detail {

std::unique_ptr<stream_encoder> make_openai_stream_encoder(stream_encoder_options options);
std::unique_ptr<stream_encoder> make_anthropic_stream_encoder(stream_encoder_options options);
std::unique_ptr<stream_encoder> make_ollama_stream_encoder(stream_encoder_options options);
std::unique_ptr<stream_encoder> make_responses_stream_encoder(stream_encoder_options options);

std::unique_ptr<stream_decoder> make_openai_stream_decoder();
std::unique_ptr<stream_decoder> make_anthropic_stream_decoder();
std::unique_ptr<stream_decoder> make_ollama_stream_decoder();
std::unique_ptr<stream_decoder> make_responses_stream_decoder();

/// "upstream ended the stream early" and friends: the error event every decoder emits.
stream_event error_event(errc code, std::string message);

}  // namespace harness::detail
