// session.h: a scripted multi-turn conversation on a virtual project directory (T9, T10). The
// runner asks it for the next request and feeds it each reply; the grader replays the same
// replies through a fresh session, so a verdict depends only on the recorded exchanges.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <harness/eval.h>
#include <harness/request.h>

#include "eval/observe.h"
#include "eval/vfs.h"

namespace harness::eval_internal {

/// One scripted user turn.
struct user_turn {
  std::string text;
  bool writes_offered = true;  ///< false: the write/edit/patch tools are withheld this turn
  int call_budget = 0;         ///< calls a careful agent needs; more are "extra" (0: no limit)
};

/// What happened in one model step (one request/reply).
struct session_step {
  std::size_t turn = 0;
  std::vector<observed_call> calls;
  std::vector<call_outcome> outcomes;  ///< one per call
  std::vector<bool> offered;           ///< per call: the tool was offered this turn
  std::string text;
};

class session {
 public:
  /// `opening`: messages before the first scripted turn (a conversation already under way; it
  /// may end with a tool result, answered before turn 0's user text is sent).
  session(eval::client_profile profile, std::string model, virtual_fs fs, std::vector<user_turn> turns,
          std::vector<message> opening = {}, int max_steps_per_turn = 20);

  /// The next request body, or nullopt when the session is over.
  std::optional<std::string> next_request();
  /// Takes the reply to the last request.
  void take(const eval::exchange& ex);

  const virtual_fs& fs() const { return fs_; }
  const std::vector<session_step>& steps() const { return steps_; }
  /// Why the session stopped early: "" (it ran every turn), "infra" (see `failure`),
  /// "step_limit", "loop" (the same failing call a third time).
  const std::string& stopped() const { return stopped_; }
  const eval::grade& failure() const { return failure_; }
  std::size_t turns_done() const { return turn_; }

 private:
  std::vector<tool_spec> tools_for(const user_turn& t) const;

  eval::client_profile p_;
  std::string model_;
  virtual_fs fs_;
  std::vector<user_turn> turns_;
  chat_request conv_;
  std::size_t turn_ = 0;
  bool need_user_ = true;
  int steps_this_turn_ = 0;
  int max_steps_;
  std::vector<session_step> steps_;
  std::vector<std::string> failed_calls_;  ///< "name\n{canonical args}" of failed calls
  std::string stopped_;
  eval::grade failure_;
  bool over_ = false;
};

/// True when `c` writes files through the profile (write, edit, patch, multiedit).
bool is_write_call(const eval::client_profile& p, std::string_view tool_name);

/// Runs a scripted session against `send` (the runner) and returns every exchange.
std::vector<eval::exchange> drive(session& s, const std::function<eval::exchange(const std::string&)>& send);

}  // namespace harness::eval_internal
