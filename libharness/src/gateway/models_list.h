// models_list.h: the body of GET /v1/models in each client dialect.
#pragma once

#include <string>

#include <harness/config.h>

namespace harness::detail {

/// Public model names of `cfg` (pattern routes are not listed) as OpenAI's list object or
/// Anthropic's paged list.
std::string encode_model_list(dialect client, const config& cfg);

}  // namespace harness::detail
