// line_diff.h: a unified diff of two texts, line by line (harness-cli replay).
#pragma once

#include <string>
#include <string_view>

namespace harness_cli {

/// `diff -u` style hunks (3 lines of context) turning `before` into `after`, headed by
/// "--- before_name" / "+++ after_name"; empty when the texts are equal. Texts of many changed
/// lines (over 4M line pairs after the common head and tail) show the changed part as one hunk.
std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_name, std::string_view after_name);

}  // namespace harness_cli
