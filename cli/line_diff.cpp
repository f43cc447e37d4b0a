#include "line_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace harness_cli {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

struct edit {
  char op;  // ' ', '-', '+'
  std::string_view line;
};

// The edit script of a[lo_a, hi_a) -> b[lo_b, hi_b) by longest common subsequence.
void lcs_edits(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
               std::size_t lo_a, std::size_t hi_a, std::size_t lo_b, std::size_t hi_b,
               std::vector<edit>& out) {
  const std::size_t n = hi_a - lo_a;
  const std::size_t m = hi_b - lo_b;
  if (n * m > 4'000'000) {
    for (std::size_t i = lo_a; i < hi_a; ++i) out.push_back({'-', a[i]});
    for (std::size_t j = lo_b; j < hi_b; ++j) out.push_back({'+', b[j]});
    return;
  }
  // len[i][j]: LCS length of a[lo_a+i..hi_a) and b[lo_b+j..hi_b).
  std::vector<std::uint32_t> len((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return len[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      at(i, j) = a[lo_a + i] == b[lo_b + j] ? at(i + 1, j + 1) + 1
                                            : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[lo_a + i] == b[lo_b + j]) {
      out.push_back({' ', a[lo_a + i]});
      ++i;
      ++j;
    } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
      out.push_back({'-', a[lo_a + i++]});  // removals first, as diff -u prints them
    } else {
      out.push_back({'+', b[lo_b + j++]});
    }
  }
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_name, std::string_view after_name) {
  if (before == after) return {};
  const auto a = split_lines(before);
  const auto b = split_lines(after);
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  std::vector<edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({' ', a[i]});
  lcs_edits(a, b, head, a.size() - tail, head, b.size() - tail, edits);
  for (std::size_t i = a.size() - tail; i < a.size(); ++i) edits.push_back({' ', a[i]});

  std::string out = "--- " + std::string(before_name) + "\n+++ " + std::string(after_name) + "\n";
  constexpr std::size_t context = 3;
  std::size_t k = 0;
  while (k < edits.size()) {
    if (edits[k].op == ' ') {
      ++k;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2*context lines from the previous one.
    const std::size_t start = k >= context ? k - context : 0;
    std::size_t end = k;
    std::size_t quiet = 0;
    while (end < edits.size() && quiet <= 2 * context) {
      quiet = edits[end].op == ' ' ? quiet + 1 : 0;
      ++end;
    }
    end -= quiet > context ? quiet - context : 0;
    std::size_t line_a = 1;
    std::size_t line_b = 1;
    for (std::size_t x = 0; x < start; ++x) {
      if (edits[x].op != '+') ++line_a;
      if (edits[x].op != '-') ++line_b;
    }
    std::size_t count_a = 0;
    std::size_t count_b = 0;
    std::string body;
    for (std::size_t x = start; x < end; ++x) {
      if (edits[x].op != '+') ++count_a;
      if (edits[x].op != '-') ++count_b;
      body += edits[x].op;
      body.append(edits[x].line);
      body += '\n';
    }
    out += "@@ -" + std::to_string(line_a) + "," + std::to_string(count_a) + " +" +
           std::to_string(line_b) + "," + std::to_string(count_b) + " @@\n" + body;
    k = end;
  }
  return out;
}

}  // namespace harness_cli
