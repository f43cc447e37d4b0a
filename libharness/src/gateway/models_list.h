// models_list.h: the body of GET /v1/models in each client dialect.
#pragma once

#include <functional>
#include <string>

#include <harness/config.h>

namespace harness::detail {

/// Public model names of `cfg` (pattern routes are not listed) as OpenAI's list object or
/// Anthropic's paged list.
/// `listed` (when set) keeps only the routes it accepts (usable ones, gateway::list_models).
std::string encode_model_list(dialect client, const config& cfg,
                              const std::function<bool(const model_route&)>& listed = {});

}  // namespace harness::detail
