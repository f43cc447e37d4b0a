// Reading the user's request the way a scripted model needs: intent, file names, quoted bits,
// and the file text inside a read tool's result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fake {

enum class Intent { create, read, edit, find, search, run, question };

/// The intent of the earliest action word in the text; `question` when there is none and the
/// text asks something; `create` otherwise.
Intent classify(std::string_view text);

/// Words that look like file names (a.py, src/main.rs), in order, without duplicates.
std::vector<std::string> file_names(std::string_view text);

/// The first `...`, "..." or '...' span (without the quotes), "" when none.
std::string quoted_span(std::string_view text);

/// Every `...`, "..." or '...' span, in order (a "change `a` to `b`" request gives {a, b}).
std::vector<std::string> quoted_spans(std::string_view text);

/// The body of the first fenced block (```...```), each line ending in '\n'; "" when none.
std::string fenced_block(std::string_view text);

/// The text reads like a tool's failure report (first line: error, not found, must read ...).
bool looks_like_error(std::string_view result);

/// The first word containing '*' (a glob pattern), "" when none.
std::string glob_word(std::string_view text);

/// The file text in a read tool's result: OpenCode's <content> wrapper and the line-number
/// prefixes of Crush ("     1|"), OpenCode ("1: ", "00001| ") and cat -n ("     1\t") removed.
/// `had_prefixes` tells whether prefixes were found.
std::string file_text_from_read(std::string_view result, bool *had_prefixes = nullptr);

/// Length of the line-number prefix at the start of `line` (0 when there is none).
std::size_t line_prefix_length(std::string_view line);

}  // namespace fake
