#include "gateway/models_list.h"

#include "json/writer.h"

namespace harness::detail {

std::string encode_model_list(dialect client, const config& cfg,
                              const std::function<bool(const model_route&)>& listed) {
  std::string out;
  json_writer w(out);
  std::vector<const std::string*> names;
  for (const auto& m : cfg.models) {
    if (!m.name.empty() && m.name.back() != '*' && (!listed || listed(m))) names.push_back(&m.name);
  }
  if (client == dialect::anthropic) {
    // Anthropic's list: {data:[{type:"model", id, display_name, created_at}], has_more, ...}
    w.start_object().key("data").start_array();
    for (const auto* n : names) {
      w.start_object()
          .member("type", "model")
          .member("id", *n)
          .member("display_name", *n)
          .member("created_at", "2025-01-01T00:00:00Z")
          .end_object();
    }
    w.end_array().member_bool("has_more", false);
    w.key("first_id");
    names.empty() ? w.null() : w.string(*names.front());
    w.key("last_id");
    names.empty() ? w.null() : w.string(*names.back());
    w.end_object();
    return out;
  }
  if (client == dialect::ollama) {
    w.start_object().key("models").start_array();
    for (const auto* n : names) w.start_object().member("name", *n).member("model", *n).end_object();
    w.end_array().end_object();
    return out;
  }
  w.start_object().member("object", "list").key("data").start_array();
  for (const auto* n : names) {
    w.start_object()
        .member("id", *n)
        .member("object", "model")
        .member_int("created", 0)
        .member("owned_by", "libharness")
        .end_object();
  }
  w.end_array().end_object();
  return out;
}

}  // namespace harness::detail
