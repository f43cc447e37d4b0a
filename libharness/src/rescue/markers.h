// markers.h: every marker string the rescuer knows, as canonical tokens, and a trie that
// matches them at a position with NONE / PARTIAL / FULL semantics (rescue-formats.md A.2).
//
// Spelling variants map to one token: DeepSeek/Step/Kimi tokens with fullwidth or ASCII bars and
// U+2581, space, '_' or '\_' between words. The trie is built once and immutable afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace harness::detail::rescue {

enum class tk : std::uint8_t {
  none,
  // reasoning blocks: opener then its closer
  think_o,
  think_c,
  thinking_o,
  thinking_c,
  mthink_o,
  mthink_c,
  seed_think_o,
  seed_think_c,
  cthink_o,
  cthink_c,
  inner_o,
  inner_c,
  gchan_o,
  gchan_c,
  // pure markup, removed wherever it appears outside code
  markup,
  eom,
  eot,
  response_o,
  response_c,
  // Harmony
  h_start,
  h_channel,
  h_message,
  h_end,
  h_return,
  h_call,
  h_constrain,
  // wrapper tags around a call payload (opener then closer)
  tool_call_o,
  tool_call_c,
  tools_o,
  tools_c,
  tool_o,
  tool_c,
  function_call_o,
  function_call_c,
  json_o,
  json_c,
  xml_o,
  xml_c,
  JSON_o,
  JSON_c,
  toolcall_o,
  toolcall_c,
  TOOLCALL_o,
  TOOLCALL_c,
  tool_calls_o,
  tool_calls_c,
  longcat_o,
  longcat_c,
  seed_tc_o,
  seed_tc_c,
  minimax_o,
  minimax_c,
  function_calls_o,
  function_calls_c,
  atem_o,
  atem_c,
  action_o,
  action_c,
  lfm_o,
  apertus_o,
  apertus_c,
  pystart_o,
  pystart_c,
  fgemma_o,
  fgemma_c,
  gemma_o,
  gemma_c,
  internlm_o,
  internlm_c,
  plugin,
  interpreter,
  // openers without a closer, or with a special payload
  granite,
  mistral,
  args,
  call_id,
  python_tag,
  functools,
  gigachat,
  calling_tool,
  func_eq,
  func_name,
  function_c,
  invoke_o,
  invoke_c,
  // special-token sections
  ds_calls_b,
  ds_calls_e,
  ds_call_b,
  ds_call_e,
  ds_sep,
  kimi_sec_b,
  kimi_sec_e,
  kimi_arg_b,
  dsml_o,
  dsml_c,
  functionary,
};

struct marker_match {
  enum class kind { none, partial, full };
  kind k = kind::none;
  tk token = tk::none;
  std::size_t len = 0;
};

/// Matches the longest marker starting at `text[pos]`. PARTIAL when the text ends while a
/// marker (or a longer one) could still match and `eof` is false.
marker_match match_marker(std::string_view text, std::size_t pos, bool eof);

/// True for bytes that can begin a marker matched by match_marker ('<', '[', '>', 'f').
bool marker_lead(unsigned char c) noexcept;

// Roles.
bool is_reasoning_open(tk t) noexcept;
bool is_reasoning_close(tk t) noexcept;
tk reasoning_closer(tk open) noexcept;
bool is_markup(tk t) noexcept;
/// Openers that start a call construct wherever they appear (policy 2).
bool is_call_opener(tk t) noexcept;
/// Closers of call constructs: removed when they directly follow a rescued call.
bool is_call_closer(tk t) noexcept;
/// The closer of a wrapper opener (tk::none when the format has none).
tk wrapper_closer(tk open) noexcept;

}  // namespace harness::detail::rescue
