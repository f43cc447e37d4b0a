// One chat request, start to finish: read, faults, validate, answer, render.
#include <variant>

#include "faults.h"
#include "plan.h"
#include "writers.h"

namespace fake {

int FaultState::count(const std::string &model) {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_[model]++;
}

Plan respond(Dialect dialect, std::string_view body, FaultState &state, Received &received) {
  auto read = read_request(dialect, body);
  if (auto *failure = std::get_if<Failure>(&read)) return error_plan(dialect, *failure);
  const Request &req = std::get<Request>(read);
  received = {req.model, true, !req.tools.empty(), req.stream, req.messages.size()};

  ModelSpec spec = parse_model(req.model);
  if (auto p = fault_instead(req, spec.fault, state)) return std::move(*p);
  if (auto failure = validate(req)) return error_plan(dialect, *failure);

  auto answered = answer(req);
  if (auto *failure = std::get_if<Failure>(&answered)) return error_plan(dialect, *failure);
  Reply reply = std::get<Reply>(std::move(answered));
  fault_on_reply(spec.fault, reply);
  assign_call_ids(dialect, reply);

  Plan plan;
  if (req.stream) {
    plan.content_type = stream_content_type(dialect);
    plan.chunked = true;
    plan.pieces = render_stream(req, reply, {.whole_text = spec.fault == Fault::huge});
    plan.headers.emplace_back("Cache-Control", "no-cache");
  } else {
    plan.content_type = dialect == Dialect::ollama ? "application/json; charset=utf-8" : "application/json";
    plan.pieces = {render_json(req, reply)};
  }
  plan.pace = spec.pace;
  fault_on_plan(req, spec.fault, plan);
  return plan;
}

}  // namespace fake
