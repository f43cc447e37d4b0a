// report_text.h: cells and rows shared by the terminal table and the Markdown report.
#pragma once

#include <string>
#include <vector>

#include <harness/eval.h>

namespace harness::eval_internal {

/// Header cells: Model, Proxy name, Fixer, T1.., Score, Latency p50, p95, Tokens, Tools via.
std::vector<std::string> table_header(const eval::report& r);
/// One row per model, cells as in the header.
std::vector<std::string> table_row(const eval::report& r, const eval::model_result& m);
/// "83% (20/24)": points over the fixed denominator; "—" when nothing was planned.
std::string format_score(const eval::model_result& m);
/// "850 ms", "1.2 s", "—".
std::string format_ms(std::int64_t micros);
/// Display width of UTF-8 text (code points).
std::size_t display_width(std::string_view s);

}  // namespace harness::eval_internal
