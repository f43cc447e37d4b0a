// session.cpp: the scripted multi-turn driver of T9 and T10. Each reply's calls run on the
// virtual directory; a reply without calls ends the user turn; a turn stops at the step limit
// (BFCL: 20) or when the model sends the same failing call a third time (a client would loop).
#include "eval/session.h"

#include "eval/args.h"
#include "eval/grading.h"
#include "eval/requests.h"

namespace harness::eval_internal {

bool is_write_call(const eval::client_profile& p, std::string_view n) {
  return (!p.write_tool.empty() && n == p.write_tool) || (!p.edit_tool.empty() && n == p.edit_tool) ||
         (!p.patch_tool.empty() && n == p.patch_tool) || n == "multiedit" || n == "MultiEdit";
}

session::session(eval::client_profile profile, std::string model, virtual_fs fs,
                 std::vector<user_turn> turns, std::vector<message> opening, int max_steps_per_turn)
    : p_(std::move(profile)), model_(std::move(model)), fs_(std::move(fs)), turns_(std::move(turns)),
      max_steps_(max_steps_per_turn) {
  conv_ = base_request(p_, model_, nullptr);
  for (message& m : opening) conv_.messages.push_back(std::move(m));
  // A conversation that ends with a tool result is answered before the first scripted turn.
  need_user_ = conv_.messages.back().role != role::tool;
}

std::vector<tool_spec> session::tools_for(const user_turn& t) const {
  if (t.writes_offered) return p_.tools;
  std::vector<tool_spec> out;
  for (const tool_spec& s : p_.tools)
    if (!is_write_call(p_, s.name)) out.push_back(s);
  return out;
}

std::optional<std::string> session::next_request() {
  if (over_) return std::nullopt;
  if (need_user_) {
    if (turn_ >= turns_.size()) {
      over_ = true;
      return std::nullopt;
    }
    conv_.messages.push_back(text_message(role::user, turns_[turn_].text));
    conv_.tools = tools_for(turns_[turn_]);
    need_user_ = false;
    steps_this_turn_ = 0;
  }
  return encode_chat(conv_);
}

void session::take(const eval::exchange& ex) {
  if (over_) return;
  const observed o = observe(ex);
  session_step step;
  step.turn = turn_;
  step.text = o.text;
  if (!o.ok) {
    failure_ = not_answered(o, ex, "session");
    stopped_ = "infra";
    over_ = true;
    steps_.push_back(std::move(step));
    return;
  }
  if (o.calls.empty()) {
    // The turn is over: the client shows the answer and the user speaks next.
    conv_.messages.push_back(text_message(role::assistant, o.text.empty() ? "(no answer)" : o.text));
    steps_.push_back(std::move(step));
    ++turn_;
    need_user_ = true;
    return;
  }
  conv_.messages.push_back(assistant_calls(o.calls, o.text));
  for (const observed_call& c : o.calls) {
    bool offered = false;
    for (const tool_spec& t : conv_.tools) offered = offered || t.name == c.name;
    call_outcome out = offered ? fs_.run(p_, c)
                               : call_outcome{"Error: tool '" + c.name + "' is not available", true, false, false};
    if (out.error) {
      std::string key = c.name + "\n" + c.arguments;
      int seen = 0;
      for (const std::string& k : failed_calls_)
        if (k.substr(0, k.find('\n')) == c.name && same_json(k.substr(k.find('\n') + 1), c.arguments)) ++seen;
      failed_calls_.push_back(std::move(key));
      if (seen >= 2) stopped_ = "loop";
    }
    conv_.messages.push_back(tool_result_message(c.id, c.name, out.text));
    step.calls.push_back(c);
    step.outcomes.push_back(std::move(out));
    step.offered.push_back(offered);
  }
  steps_.push_back(std::move(step));
  if (++steps_this_turn_ >= max_steps_ && stopped_.empty()) stopped_ = "step_limit";
  if (!stopped_.empty()) over_ = true;
}

std::vector<eval::exchange> drive(session& s, const std::function<eval::exchange(const std::string&)>& send) {
  std::vector<eval::exchange> out;
  while (auto body = s.next_request()) {
    out.push_back(send(*body));
    s.take(out.back());
  }
  return out;
}

}  // namespace harness::eval_internal
