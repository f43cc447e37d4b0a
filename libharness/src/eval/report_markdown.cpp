// report_markdown.cpp: the Markdown report: header block, comparison table, pass^k / pass@k,
// and every non-pass with the request/reply excerpt that decided it.
#include "eval/report_text.h"

namespace harness {
inline namespace v0 {
namespace eval {
namespace {

// A table cell: pipes escaped, line breaks flattened.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += " " + cell(c) + " |";
  return out + "\n";
}

// A fenced block that the excerpt cannot close early.
std::string fenced(std::string_view text) {
  std::string fence = "```";
  while (text.find(fence) != std::string_view::npos) fence += '`';
  return fence + "\n" + std::string(text) + "\n" + fence + "\n";
}

}  // namespace

std::string render_markdown(const report& r) {
  using namespace eval_internal;
  std::string out = "# libharness model evaluation\n\n";
  if (r.simulated)
    out += "> **Simulated.** Every figure in this report comes from a scripted fake upstream "
           "(tests/fake_upstream), not from a real model.\n\n";
  out += "- Date: " + r.started_at + "\n";
  out += "- Client profile: `" + r.profile + "` (tool array FNV-1a `" + r.tools_hash + "`)\n";
  out += "- Client API: `" + std::string(to_string(r.api)) + "`\n";
  out += "- Repeats: " + std::to_string(r.repeats) + "\n";
  if (!r.command.empty()) out += "- Command: `" + r.command + "`\n";
  if (r.partial) out += "- **Partial**: the run was interrupted; `*` marks tests with fewer runs.\n";
  out += "\n";

  const auto header = table_header(r);
  out += row(header);
  out += "|";
  for (std::size_t i = 0; i < header.size(); ++i) out += " --- |";
  out += "\n";
  for (const model_result& m : r.models) out += row(table_row(r, m));
  out += "\nTests: ";
  for (std::size_t i = 0; i < r.tests.size(); ++i)
    out += std::string(i ? ", " : "") + code_of(r.tests[i]) + " " + name_of(r.tests[i]);
  out += ". \u2014 = not run (T1 failed). Score: pass 2, warn 1, fail / not run / infra 0, over a "
         "fixed denominator of 2 x tests x repeats. Latency: p50 and p95 (nearest rank) per request. "
         "Tools via: how T1's call reached the client (native, rescue, emulate; ? = not visible over "
         "HTTP).\n";

  if (r.repeats > 1) {
    out += "\n## pass^k and pass@k (k = " + std::to_string(r.repeats) + ")\n\n";
    std::vector<std::string> h{"Proxy name", "Fixer"};
    for (test_id id : r.tests) h.emplace_back(code_of(id));
    out += row(h) + "|";
    for (std::size_t i = 0; i < h.size(); ++i) out += " --- |";
    out += "\n";
    for (const model_result& m : r.models) {
      std::vector<std::string> c{m.model.public_name, m.model.fixer};
      for (const test_result& t : m.tests)
        c.push_back(std::to_string(t.pass_hat_k() ? 1 : 0) + " / " + std::to_string(t.pass_at_k() ? 1 : 0));
      out += row(c);
    }
    out += "\nCells: pass^k / pass@k (1 = all k runs passed / at least one passed).\n";
  }

  out += "\n## Latency per test\n\nMedian per request; streaming tests also give the time to "
         "the first byte (TTFT).\n\n";
  {
    std::vector<std::string> h{"Proxy name", "Fixer"};
    for (test_id id : r.tests) h.emplace_back(code_of(id));
    out += row(h) + "|";
    for (std::size_t i = 0; i < h.size(); ++i) out += " --- |";
    out += "\n";
    for (const model_result& m : r.models) {
      std::vector<std::string> c{m.model.public_name, m.model.fixer};
      for (const test_result& t : m.tests) {
        std::string v = format_ms(t.median_latency_us);
        if (t.median_ttft_us > 0) v += " (TTFT " + format_ms(t.median_ttft_us) + ")";
        c.push_back(v);
      }
      out += row(c);
    }
  }

  out += "\n## Failures and warnings\n";
  bool any = false;
  for (const model_result& m : r.models) {
    std::string section;
    for (const test_result& t : m.tests) {
      const grade* g = t.first_problem();
      if (!g || g->outcome == verdict::skipped) continue;
      section += "\n- **" + std::string(code_of(t.id)) + " " + to_string(g->outcome) + "** `" +
                 g->code + "`: " + g->reason + "\n";
      if (!g->excerpt.empty()) section += "\n" + fenced(g->excerpt);
    }
    if (section.empty()) continue;
    any = true;
    out += "\n### " + m.model.public_name + " (fixer: " + m.model.fixer + ")\n" + section;
  }
  if (!any) out += "\nNone.\n";
  return out;
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
