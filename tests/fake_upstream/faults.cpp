#include "faults.h"

#include "writers.h"

namespace fake {
namespace {

using namespace std::chrono_literals;

/// Pieces of a non-streamed body, so a fault can strike in the middle of it.
void split_body(Plan &plan) {
  if (plan.chunked || plan.pieces.empty()) return;
  std::string body = plan.pieces.front();
  std::size_t half = body.size() / 2;
  plan.pieces = {body.substr(0, half), body.substr(half)};
  plan.chunked = true;
}

Failure overloaded(Dialect d) {
  switch (d) {
    case Dialect::anthropic: return {529, "overloaded", "Overloaded"};
    case Dialect::openai:
      return {503, "overloaded", "The server is overloaded or not ready yet."};
    case Dialect::ollama: return {503, "overloaded", "server busy, please try again.  maximum pending requests exceeded"};
  }
  return {503, "overloaded", "Overloaded"};
}

Failure mid_stream(Dialect d) {
  switch (d) {
    case Dialect::anthropic: return {200, "overloaded", "Overloaded"};
    case Dialect::openai:
      return {200, "server", "The server had an error while processing your request. Sorry about that!"};
    case Dialect::ollama: return {200, "server", "an error was encountered while running the model: unexpected EOF"};
  }
  return {200, "server", "error"};
}

}  // namespace

Plan error_plan(Dialect dialect, const Failure &failure) {
  Plan p;
  p.status = failure.status;
  p.content_type = dialect == Dialect::ollama ? "application/json; charset=utf-8" : "application/json";
  p.pieces = {render_error(dialect, failure)};
  return p;
}

std::optional<Plan> fault_instead(const Request &req, Fault fault, FaultState &state) {
  Dialect d = req.dialect;
  switch (fault) {
    case Fault::http_500:
      return error_plan(d, {500, "server", d == Dialect::anthropic ? "Internal server error"
                                         : d == Dialect::openai
                                             ? "The server had an error while processing your request. Sorry about that!"
                                             : "llama runner process has terminated: exit status 2"});
    case Fault::http_429: {
      Plan p = error_plan(d, {429, "rate_limit", d == Dialect::ollama
                                                     ? "too many requests"
                                                     : "Rate limit reached for requests. Please try again in 1s."});
      p.headers.emplace_back("retry-after", "1");
      return p;
    }
    case Fault::flaky:
      if (state.count(req.model) == 0) {
        Failure f = overloaded(d);
        f.status = 503;  // a retryable status in every dialect
        return error_plan(d, f);
      }
      return std::nullopt;
    case Fault::ok_error: {
      Plan p = error_plan(d, overloaded(d));
      p.status = 200;
      return p;
    }
    case Fault::garbage: {
      Plan p;
      p.content_type = "text/event-stream; charset=utf-8";
      p.chunked = true;
      p.pieces = {"this is not a server-sent event\n", "<html><body>502 Bad Gateway</body></html>\n",
                  "{{{ \"broken\": json\n", "\x01\x02 binary-ish noise \x7f\n", "\n",
                  "still garbage, no data lines at all\n"};
      return p;
    }
    case Fault::missing: {
      std::string m = req.model;
      if (d == Dialect::ollama) return error_plan(d, {404, "not_found", "model '" + m + "' not found"});
      if (d == Dialect::anthropic) return error_plan(d, {404, "not_found", "model: " + m});
      return error_plan(d, {404, "not_found",
                            "The model `" + m + "` does not exist or you do not have access to it."});
    }
    case Fault::error_event:
      if (!req.stream) return error_plan(d, overloaded(d));
      return std::nullopt;
    default: return std::nullopt;
  }
}

void fault_on_reply(Fault fault, Reply &reply) {
  if (fault != Fault::huge) return;
  static const std::string huge = [] {
    std::string line = "This line is part of an 8 MiB answer from the fake upstream.\n";  // 63 bytes
    std::string s;
    s.reserve(8u << 20);
    while (s.size() + line.size() <= (8u << 20)) s += line;
    s.append((8u << 20) - s.size(), '.');
    return s;
  }();
  reply.text = huge;
  reply.thinking.clear();
  reply.calls.clear();
  reply.stop = Stop::end;
  reply.output_tokens = static_cast<long long>(huge.size() / 4);
}

void fault_on_plan(const Request &req, Fault fault, Plan &plan) {
  switch (fault) {
    case Fault::slow: plan.head_delay = 3s; break;
    case Fault::stall:
      split_body(plan);
      plan.stall_after = req.stream ? 2 : 1;
      plan.stall_for = 30s;
      break;
    case Fault::reset:
      split_body(plan);
      plan.reset_after = std::max<std::size_t>(1, plan.pieces.size() / 2);
      break;
    case Fault::error_event:
      if (req.stream) {
        std::size_t keep = req.dialect == Dialect::anthropic ? 4 : 2;
        if (plan.pieces.size() > keep) plan.pieces.resize(keep);
        plan.pieces.push_back(render_stream_error(req.dialect, mid_stream(req.dialect)));
      }
      break;
    default: break;
  }
}

}  // namespace fake
