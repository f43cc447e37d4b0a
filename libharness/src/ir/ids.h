// ids.h: tool-call id hygiene shared by the codecs (translation.md F.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace harness::detail {

/// FNV-1a 64-bit hash: deterministic, no state, good enough to derive ids.
std::uint64_t fnv1a(std::string_view data, std::uint64_t seed = 0xcbf29ce484222325ULL) noexcept;

/// A stable id `<prefix><16 hex>` derived from `seed` (e.g. the body it came from) and the call's
/// position: the same input gives the same id, distinct positions give distinct ids.
std::string synthesize_call_id(std::string_view seed, std::size_t index,
                               std::string_view prefix = "call_");

/// `id` restricted to `[A-Za-z0-9_-]` (Anthropic's tool_use id pattern): other bytes become
/// '_'. An empty id stays empty (the caller synthesises one).
std::string sanitize_call_id(std::string_view id);

/// True when sanitize_call_id would return `id` unchanged (so callers can skip the copy).
bool is_sanitized_call_id(std::string_view id) noexcept;

}  // namespace harness::detail
