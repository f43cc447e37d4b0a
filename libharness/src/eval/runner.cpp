// runner.cpp: runs the tests of every model (models in parallel, a model's tests in order),
// with T1 gating the tests that need its call, repeats, a score over a fixed denominator, p50/p95
// latency, and an early stop that leaves a partial report.
#include <algorithm>
#include <ctime>
#include <mutex>
#include <thread>

#include "eval/grading.h"
#include "eval/requests.h"
#include "eval/scenarios.h"

namespace harness {
inline namespace v0 {
namespace eval {
namespace {

using namespace eval_internal;

std::int64_t median(std::vector<std::int64_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Nearest-rank percentile (p in 1..100).
std::int64_t percentile(std::vector<std::int64_t> v, int p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t rank = (v.size() * static_cast<std::size_t>(p) + 99) / 100;
  return v[std::max<std::size_t>(rank, 1) - 1];
}

int points_of(const grade& g) {
  return g.outcome == verdict::pass ? 2 : g.outcome == verdict::warn ? 1 : 0;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class model_run {
 public:
  model_run(const run_options& o, model_result& m, std::stop_token stop,
            std::function<void(test_id, int, const grade&, std::int64_t)> progress)
      : opt_(o), m_(m), stop_(std::move(stop)), progress_(std::move(progress)) {}

  void run() {
    for (test_id id : opt_.tests) m_.tests.push_back({id, {}, {}, 0, 0});
    // Fixed denominator: every planned run counts, run or not (an interrupted run scores less).
    m_.max_points = 2 * static_cast<int>(opt_.tests.size()) * opt_.repeats;
    const bool need_t1 = std::any_of(opt_.tests.begin(), opt_.tests.end(), [](test_id id) {
      return id == test_id::t1_tool_call || gated_by_t1(id);
    });
    for (int r = 0; r < opt_.repeats; ++r) {
      exchange t1;
      grade t1_grade;
      if (need_t1) {
        if (stop_.stop_requested()) return;
        t1 = send(first_turn(opt_.profile, name(), kT1Prompt, false), false);
        t1_grade = grade_test(test_id::t1_tool_call, opt_.profile, {t1}, opt_.check_python);
        if (r == 0) {
          const observed o = observe(t1);
          m_.via = o.ok && !o.calls.empty() ? t1.via : tools_via::none;
        }
      }
      for (test_result& t : m_.tests) {
        if (stop_.stop_requested()) return;
        std::vector<exchange> sent;
        grade g;
        if (gated_by_t1(t.id) && t1_grade.outcome == verdict::fail) {
          g = {verdict::skipped, "gated", "T1 failed (" + t1_grade.code + ")", ""};
        } else {
          sent = exchanges_for(t.id, t1);
          g = grade_test(t.id, opt_.profile, sent, opt_.check_python);
          // The report shows what was asked next to what came back.
          if (g.outcome != verdict::pass && !sent.empty())
            g.excerpt = "request, last message: " + last_message(sent.back().request) +
                        (g.excerpt.empty() ? "" : "\n" + g.excerpt);
        }
        const std::int64_t latency = sent.empty() ? 0 : sent.back().latency_us;
        m_.points += points_of(g);
        t.runs.push_back(g);
        t.exchanges.insert(t.exchanges.end(), sent.begin(), sent.end());
        progress_(t.id, r, g, latency);
      }
    }
    std::vector<std::int64_t> all;
    for (test_result& t : m_.tests) {
      std::vector<std::int64_t> lat, ttft;
      for (const exchange& e : t.exchanges) {
        lat.push_back(e.latency_us);
        if (e.stream && e.ttft_us > 0) ttft.push_back(e.ttft_us);
      }
      t.median_latency_us = median(lat);
      t.median_ttft_us = median(ttft);
    }
    m_.median_latency_us = median(latencies_);
    m_.p95_latency_us = percentile(latencies_, 95);
    m_.complete = true;
  }

 private:
  const std::string& name() const { return m_.model.public_name; }

  exchange send(const std::string& body, bool stream) {
    exchange ex = m_.model.target->send(body, stream, stop_);
    const observed o = observe(ex);
    ex.prompt_tokens = o.usage.prompt_tokens();
    ex.completion_tokens = o.usage.output_tokens;
    m_.prompt_tokens += ex.prompt_tokens;
    m_.completion_tokens += ex.completion_tokens;
    latencies_.push_back(ex.latency_us);
    return ex;
  }

  std::vector<exchange> exchanges_for(test_id id, const exchange& t1) {
    const client_profile& p = opt_.profile;
    switch (id) {
      case test_id::t1_tool_call:
      case test_id::t2_code: return {t1};
      case test_id::t3_continue: return {send(t3_continuation(p, name(), observe(t1).calls), false)};
      case test_id::t4_read_edit: return {send(t4_after_read(p, name()), false)};
      case test_id::t5_parallel: return {send(first_turn(p, name(), kT5Prompt, false), false)};
      case test_id::t6_restraint: return {send(first_turn(p, name(), kT6Prompt, false), false)};
      case test_id::t7_clarify: return {send(first_turn(p, name(), kT7Prompt, false), false)};
      case test_id::t8_selection: return {send(first_turn(p, name(), kT8Prompt, false), false)};
      case test_id::t11_streaming: return {send(first_turn(p, name(), kT1Prompt, true), true)};
      case test_id::t9_long_session: {
        session s = t9_session(p, name());
        return drive(s, [this](const std::string& body) { return send(body, false); });
      }
      case test_id::t10_recovery: {
        session s = t10_session(p, name());
        return drive(s, [this](const std::string& body) { return send(body, false); });
      }
      case test_id::t12_param_names: {
        std::vector<exchange> out;
        for (const std::string& profile_name : t12_profiles())
          if (auto prof = builtin_profile(profile_name)) out.push_back(send(t4_after_read(*prof, name()), false));
        return out;
      }
      case test_id::t13_large_content:
        return {send(first_turn(p, name(), t13_prompt().c_str(), false), false)};
      case test_id::t14_patch: return {send(t4_after_read(t14_profile(p), name()), false)};
    }
    return {};
  }

  const run_options& opt_;
  model_result& m_;
  std::stop_token stop_;
  std::function<void(test_id, int, const grade&, std::int64_t)> progress_;
  std::vector<std::int64_t> latencies_;
};

}  // namespace

int test_result::passes() const noexcept {
  return static_cast<int>(std::count_if(runs.begin(), runs.end(),
                                        [](const grade& g) { return g.outcome == verdict::pass; }));
}
bool test_result::pass_hat_k() const noexcept {
  return !runs.empty() && passes() == static_cast<int>(runs.size());
}
bool test_result::pass_at_k() const noexcept { return passes() > 0; }

verdict test_result::summary() const noexcept {
  bool any = false, warned = false;
  for (const grade& g : runs) {
    if (g.outcome == verdict::skipped) continue;
    any = true;
    if (g.outcome == verdict::fail) return verdict::fail;
    warned = warned || g.outcome == verdict::warn;
  }
  if (!any) return verdict::skipped;
  return warned ? verdict::warn : verdict::pass;
}

const grade* test_result::first_problem() const noexcept {
  for (const grade& g : runs)
    if (g.outcome != verdict::pass) return &g;
  return nullptr;
}

report run_evaluation(const std::vector<model_target>& targets, const run_options& options,
                      const std::function<void(const progress_event&)>& on_progress,
                      std::stop_token stop) {
  report rep;
  rep.tests = options.tests;
  rep.profile = options.profile.name;
  rep.tools_hash = options.profile.tools_hash;
  rep.repeats = options.repeats;
  rep.simulated = options.simulated;
  rep.started_at = utc_now();
  rep.models.resize(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) rep.models[i].model = targets[i];

  std::mutex progress_mu;
  int done = 0;
  const int total = static_cast<int>(targets.size() * options.tests.size()) * options.repeats;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < targets.size(); i = next++) {
      model_result& m = rep.models[i];
      model_run run(options, m, stop, [&](test_id id, int r, const grade& g, std::int64_t lat) {
        std::lock_guard lock(progress_mu);
        ++done;
        if (on_progress)
          on_progress({m.model.public_name, m.model.fixer, id, r, g, lat, done, total});
      });
      run.run();
    }
  };
  const int n = std::clamp(options.concurrency, 1, std::max(1, static_cast<int>(targets.size())));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  for (const model_result& m : rep.models) rep.partial = rep.partial || !m.complete;
  return rep;
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
