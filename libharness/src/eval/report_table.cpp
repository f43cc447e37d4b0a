// report_table.cpp: the comparison table (terminal) and the cells the Markdown table shares.
#include <cstdio>

#include "eval/report_text.h"

namespace harness::eval_internal {

std::string format_ms(std::int64_t micros) {
  if (micros <= 0) return "\u2014";
  char buf[32];
  if (micros < 10'000'000) std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(micros / 1000));
  else std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(micros) / 1e6);
  return buf;
}

std::string format_score(const eval::model_result& m) {
  if (m.max_points == 0) return "\u2014";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f%% (%d/%d)", 100.0 * m.score(), m.points, m.max_points);
  return buf;
}

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::vector<std::string> table_header(const eval::report& r) {
  std::vector<std::string> h{"Model", "Proxy name", "Fixer"};
  for (eval::test_id id : r.tests) h.emplace_back(eval::code_of(id));
  h.insert(h.end(), {"Score", "Latency p50", "p95", "Tokens", "Tools via"});
  return h;
}

std::vector<std::string> table_row(const eval::report& r, const eval::model_result& m) {
  std::vector<std::string> row{m.model.upstream_model.empty() ? m.model.public_name : m.model.upstream_model,
                               m.model.public_name, m.model.fixer.empty() ? "\u2014" : m.model.fixer};
  for (eval::test_id id : r.tests) {
    std::string cell = "";
    for (const eval::test_result& t : m.tests) {
      if (t.id != id) continue;
      if (t.runs.empty()) break;
      cell = eval::to_string(t.summary());
      if (r.repeats > 1 && t.summary() != eval::verdict::skipped)
        cell += " " + std::to_string(t.passes()) + "/" + std::to_string(t.runs.size());
      if (t.runs.size() < static_cast<std::size_t>(r.repeats)) cell += "*";
    }
    row.push_back(cell.empty() ? "n/a" : cell);
  }
  row.push_back(format_score(m));
  row.push_back(format_ms(m.median_latency_us));
  row.push_back(format_ms(m.p95_latency_us));
  row.push_back(std::to_string(m.prompt_tokens + m.completion_tokens));
  row.emplace_back(eval::to_string(m.via));
  return row;
}

}  // namespace harness::eval_internal

namespace harness {
inline namespace v0 {
namespace eval {

std::string render_table(const report& r) {
  using namespace eval_internal;
  std::vector<std::vector<std::string>> rows{table_header(r)};
  for (const model_result& m : r.models) rows.push_back(table_row(r, m));
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
  std::string out;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    for (std::size_t i = 0; i < rows[k].size(); ++i) {
      out += rows[k][i];
      if (i + 1 < rows[k].size()) out.append(width[i] - display_width(rows[k][i]) + 2, ' ');
    }
    out += '\n';
    if (k == 0) {
      std::size_t total = 0;
      for (std::size_t w : width) total += w + 2;
      out.append(total - 2, '-').append("\n");
    }
  }
  if (r.simulated) out += "(simulated: every figure comes from a scripted fake upstream)\n";
  if (r.partial) out += "(partial: interrupted; * marks tests with fewer runs than asked)\n";
  return out;
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
