// formats.h: one-shot parsers for the payload shapes of rescue-formats.md A.3. Each reads a
// complete span (the scanner has already found where it ends) into call drafts; names are
// validated later, in one place (finalize_calls). All return false when the text is not
// entirely of their shape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rescue/context.h"
#include "rescue/jvalue.h"

namespace harness::detail::rescue {

using drafts = std::vector<call_draft>;

// --- JSON_NATIVE (formats_json.cpp) ---

/// A call object or an array of call objects (policy 4 shapes and wrappers). `untagged`
/// applies the strict shape rule for JSON that no marker introduced.
bool calls_from_json(const jvalue& v, bool untagged, const context& ctx, drafts& out,
                     std::string_view family);
/// One or more JSON values separated by whitespace, ';' or ',' (a fence around them is
/// removed), each holding calls.
bool json_payload(std::string_view text, bool untagged, const context& ctx, drafts& out,
                  std::string_view family);
/// `{"response": "..."}` (llama.cpp generic protocol): the text, or false.
bool generic_response(std::string_view text, std::string& response);
/// Arguments text (JSON, possibly fenced or cut after a complete value) as a draft's args.
bool args_from_text(std::string_view text, jvalue& args);

// --- TAG_WITH_TAGGED (formats_tags.cpp) ---

/// `<function=NAME>` / `<function name="NAME">` blocks: JSON body or <parameter=K> values.
bool xml_functions(std::string_view text, drafts& out);
/// `<invoke name="N">` blocks with `<parameter name="K">` values; any tag prefix
/// (`minimax:`, `steptml:`, DeepSeek's DSML bars) is accepted.
bool invokes(std::string_view text, drafts& out, std::string_view family);
/// GLM / LongCat: NAME then <arg_key>K</arg_key><arg_value>V</arg_value> pairs.
bool glm_call(std::string_view text, drafts& out);

// --- pythonic and key:value (formats_python.cpp) ---

/// `[f(a=1), g()]`, or calls one after another (lines); `NAME.call(...)` names NAME.
bool python_calls(std::string_view text, drafts& out, std::string_view family);
/// `call:NAME{k:v,...}` blocks (FunctionGemma <escape>, Gemma 4 <|"|> strings).
bool gemma_calls(std::string_view text, drafts& out);
/// NAME then a JSON object: `NAME{..}`, `NAME[ARGS]{..}`, `NAME[CALL_ID]id[ARGS]{..}`,
/// `NAME\n{..}`.
bool name_args(std::string_view text, drafts& out, std::string_view family);

// --- special-token sections (formats_sections.cpp) ---

/// The inside of a DeepSeek / Step-3 / Kimi section (or one bare call of it).
bool section_calls(std::string_view text, drafts& out);

/// Harmony header between <|start|>/<|channel|> and <|message|>.
struct harmony_header {
  std::string channel;
  std::string recipient;
};
harmony_header read_harmony_header(std::string_view header, bool started_with_channel);

/// Any payload a wrapper tag may hold: JSON, XML functions or invokes, GLM pairs, pythonic
/// calls, key:value calls, NAME+JSON; a fence around it is removed.
bool wrapper_payload(std::string_view text, const context& ctx, drafts& out,
                     std::string_view family);

/// Strips one leading and one trailing newline (tag-per-argument values).
std::string_view strip_one_newline(std::string_view v) noexcept;

}  // namespace harness::detail::rescue
