// grade_session.cpp: T9 (long multi-turn, graded on the final directory) and T10 (recovery
// after a client error). Both replay the recorded replies through a fresh session, so the
// verdict follows from the exchanges alone.
#include "eval/args.h"
#include "eval/edits.h"
#include "eval/grading.h"
#include "eval/requests.h"
#include "eval/scenarios.h"

namespace harness::eval_internal {
namespace {

void replay(session& s, const std::vector<exchange>& exchanges) {
  for (const exchange& ex : exchanges) {
    if (!s.next_request()) break;
    s.take(ex);
  }
}

grade session_infra(const session& s, const char* test) {
  grade g = s.failure();
  if (g.code.rfind("session.", 0) == 0) g.code = test + g.code.substr(7);
  return g;
}

std::string first_difference(const std::map<std::string, std::string>& want,
                             const std::map<std::string, std::string>& got) {
  for (const auto& [path, text] : want) {
    const auto it = got.find(path);
    if (it == got.end()) return path + " is missing";
    if (it->second == text) continue;
    const auto a = split_lines(text), b = split_lines(it->second);
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      const std::string x = i < a.size() ? a[i] : "(end of file)", y = i < b.size() ? b[i] : "(end of file)";
      if (x != y) return path + " line " + std::to_string(i + 1) + ": expected '" + clip(x, 80) + "', found '" + clip(y, 80) + "'";
    }
    return path + " differs";
  }
  for (const auto& [path, text] : got)
    if (!want.count(path)) return path + " should not exist";
  return "";
}

}  // namespace

grade grade_t9(const client_profile& p, const std::vector<exchange>& exchanges) {
  session s = t9_session(p, "");
  replay(s, exchanges);
  if (s.stopped() == "infra") return session_infra(s, "T9");
  const auto turns = t9_turns();
  std::vector<int> calls(turns.size(), 0);
  bool fuzzy = false;
  for (const session_step& st : s.steps()) {
    for (std::size_t i = 0; i < st.calls.size(); ++i) {
      if (!st.offered[i])
        return fail("T9.fake_call",
                    "turn " + std::to_string(st.turn + 1) + " called '" + st.calls[i].name +
                        "', a tool the client did not offer then",
                    show_call(st.calls[i]));
      fuzzy = fuzzy || st.outcomes[i].fuzzy;
    }
    if (st.turn < calls.size()) calls[st.turn] += static_cast<int>(st.calls.size());
  }
  const std::string where = "turn " + std::to_string(s.turns_done() + 1);
  if (s.stopped() == "loop")
    return fail("T9.loop", where + ": the same failing call a third time", show_call(s.steps().back().calls.back()));
  if (s.stopped() == "step_limit")
    return fail("T9.step_limit", where + ": no answer after 20 steps");
  if (s.turns_done() < turns.size())
    return fail("T9.incomplete", "the conversation ended at " + where + " of " + std::to_string(turns.size()));
  if (const std::string diff = first_difference(t9_goal(), s.fs().files); !diff.empty())
    return fail("T9.wrong_state", "the project is not in the goal state: " + diff);
  for (std::size_t t = 0; t < turns.size(); ++t)
    if (turns[t].call_budget > 0 && calls[t] > turns[t].call_budget)
      return warn("T9.extra_calls",
                  "goal state reached, with extra calls in turn " + std::to_string(t + 1) + " (" +
                      std::to_string(calls[t]) + " for " + std::to_string(turns[t].call_budget) + ")",
                  "turn " + std::to_string(t + 1) + ": " + turns[t].text);
  if (fuzzy)
    return warn("T9.fuzzy_edit", "goal state reached; an edit applied only with whitespace ignored");
  return pass("all " + std::to_string(turns.size()) + " turns done; the project is in the goal state");
}

grade grade_t10(const client_profile& p, const std::vector<exchange>& exchanges) {
  session s = t10_session(p, "");
  replay(s, exchanges);
  if (s.stopped() == "infra") return session_infra(s, "T10");
  const observed_call blind = t10_failed_call(p);
  std::vector<observed_call> failed{blind};
  int model_failures = 0;
  for (const session_step& st : s.steps()) {
    for (std::size_t i = 0; i < st.calls.size(); ++i) {
      const observed_call& c = st.calls[i];
      if (!st.outcomes[i].error) continue;
      for (const observed_call& f : failed)
        if (f.name == c.name && same_json(f.arguments, c.arguments))
          return fail("T10.repeated_call", "sent the identical failing call again, unchanged",
                      show_call(c) + "\nclient: " + clip(st.outcomes[i].text, 200));
      failed.push_back(c);
      ++model_failures;
    }
  }
  const auto it = s.fs().files.find(kT4Path);
  const bool fixed = it != s.fs().files.end() && eval::t4_is_fixed(it->second);
  if (!fixed) {
    if (s.stopped() == "step_limit")
      return fail("T10.step_limit", "calc.py still unfixed after " + std::to_string(kT10MaxSteps) + " steps");
    bool changed = false;
    for (const session_step& st : s.steps())
      for (const call_outcome& o : st.outcomes) changed = changed || o.changed;
    const std::string last = s.steps().empty() ? "" : s.steps().back().text;
    if (!changed)
      return fail("T10.gave_up", "stopped without fixing calc.py after the client's error",
                  "text: " + clip(last, 300));
    return fail("T10.wrong_fix", "changed calc.py, but add() is still wrong");
  }
  if (model_failures > 2)
    return warn("T10.many_retries",
                "fixed calc.py after " + std::to_string(model_failures) + " more failed attempts");
  return pass(model_failures ? "recovered after " + std::to_string(model_failures) + " more failed attempt(s)"
                             : "re-read or corrected, then fixed calc.py");
}

}  // namespace harness::eval_internal
