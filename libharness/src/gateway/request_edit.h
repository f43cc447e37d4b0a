// request_edit.h: lets one upstream attempt edit the client's request in place and puts the
// request back as it was when the attempt's scope ends, so the next attempt (a retry, a
// fallback with another policy) starts from what the client sent.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include <harness/request.h>

namespace harness::detail {

class request_edit {
 public:
  /// Saves the small fields every attempt may change (model, limits, thinking, streaming).
  explicit request_edit(chat_request& request)
      : request_(request), model_(request.model), reasoning_(request.reasoning),
        max_tokens_(request.max_tokens), tool_choice_(request.tool_choice),
        parallel_tool_calls_(request.parallel_tool_calls), stream_(request.stream),
        include_usage_(request.include_usage) {}
  ~request_edit() {
    request_.model = std::move(model_);
    request_.reasoning = std::move(reasoning_);
    request_.max_tokens = max_tokens_;
    request_.tool_choice = std::move(tool_choice_);
    request_.parallel_tool_calls = parallel_tool_calls_;
    request_.stream = stream_;
    request_.include_usage = include_usage_;
    if (tools_) request_.tools = std::move(*tools_);
    if (messages_) request_.messages = std::move(*messages_);
  }
  request_edit(const request_edit&) = delete;
  request_edit& operator=(const request_edit&) = delete;

  /// Call before changing the tools (once is enough).
  void save_tools() {
    if (!tools_) tools_ = request_.tools;
  }
  /// Call before changing the messages (once is enough).
  void save_messages() {
    if (!messages_) messages_ = request_.messages;
  }

 private:
  chat_request& request_;
  std::string model_;
  reasoning_config reasoning_;
  std::optional<std::int64_t> max_tokens_;
  tool_choice tool_choice_;
  std::optional<bool> parallel_tool_calls_;
  bool stream_;
  bool include_usage_;
  std::optional<std::vector<tool_spec>> tools_;
  std::optional<std::vector<message>> messages_;
};

}  // namespace harness::detail
