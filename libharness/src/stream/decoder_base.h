// decoder_base.h: what the library's stream decoders share. Each decoder only consumes bytes
// and reports blocks to `blocks_`; the base routes the events either into the caller's vector
// (feed / finish) or, one reused event object at a time, to a sink (feed_each / finish_each).
#pragma once

#include <string_view>
#include <vector>

#include <harness/stream.h>

#include "stream/block_tracker.h"

namespace harness::detail {

class decoder_base : public stream_decoder {
 public:
  void feed(std::string_view bytes, std::vector<stream_event>& out) final {
    blocks_.rebind(out);
    consume(bytes);
  }
  void finish(std::vector<stream_event>& out) final {
    blocks_.rebind(out);
    end();
  }
  void feed_each(std::string_view bytes, stream_event_sink& sink) final {
    blocks_.rebind(sink);
    consume(bytes);
  }
  void finish_each(stream_event_sink& sink) final {
    blocks_.rebind(sink);
    end();
  }

 protected:
  /// The next bytes of the upstream stream.
  virtual void consume(std::string_view bytes) = 0;
  /// The upstream ended.
  virtual void end() = 0;

  block_tracker blocks_;
};

}  // namespace harness::detail
