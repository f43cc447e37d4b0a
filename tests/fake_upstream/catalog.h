// Model listings and model info: /api/tags, /api/show, /v1/models.
#pragma once

#include <string>
#include <string_view>

namespace fake {

/// POST /api/show; sets *status (200, 400 or 404).
std::string ollama_show(std::string_view body, int *status);
/// GET /api/tags
std::string ollama_tags();
/// GET /v1/models, in OpenAI's shape or (anthropic = true) Anthropic's.
std::string models_list(bool anthropic);

}  // namespace fake
