// common.h: what the incremental framers (sse.h, ndjson.h) share: the size bound and the error.
#pragma once

#include <cstddef>
#include <cstdint>

namespace harness::detail {

/// Default bound of one SSE event (data + event name) or one NDJSON line: 16 MiB.
inline constexpr std::size_t default_max_frame_bytes = std::size_t{16} << 20;

/// Why a framer stopped. Errors are sticky: the reader ignores further input until reset().
enum class framing_error : std::uint8_t {
  none,
  too_large,  ///< an event or a line exceeded the configured bound; nothing of it was delivered
};

}  // namespace harness::detail
