// Small helpers shared by the dialect writers: ids, clocks, fragments, SSE framing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fake {

/// `prefix` + n characters from `alphabet`, unique within the process.
std::string make_id(std::string_view prefix, std::size_t n,
                    std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

long long unix_now();
/// RFC 3339 UTC with nanoseconds, as Ollama prints created_at.
std::string rfc3339_now();

/// Splits text into several pieces at irregular byte sizes, never inside a UTF-8 sequence.
/// Empty text gives no pieces.
std::vector<std::string> fragments(std::string_view text);

/// "event: <name>\ndata: <json>\n\n"
std::string sse_event(std::string_view name, std::string_view json);
/// "data: <json>\n\n"
std::string sse_data(std::string_view json);

}  // namespace fake
