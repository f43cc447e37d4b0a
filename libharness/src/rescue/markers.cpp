// markers.cpp: the marker table and its trie.
#include "rescue/markers.h"

#include <string>
#include <utility>
#include <vector>

namespace harness::detail::rescue {
namespace {

struct entry {
  std::string_view text;
  tk token;
};

// Literal markers (section A.2). Bar tokens of DeepSeek/Step/Kimi are generated below.
constexpr entry literal_markers[] = {
    {"<think>", tk::think_o},
    {"</think>", tk::think_c},
    {"<thinking>", tk::thinking_o},
    {"</thinking>", tk::thinking_c},
    {"[THINK]", tk::mthink_o},
    {"[/THINK]", tk::mthink_c},
    {"<seed:think>", tk::seed_think_o},
    {"</seed:think>", tk::seed_think_c},
    {"<|START_THINKING|>", tk::cthink_o},
    {"<|END_THINKING|>", tk::cthink_c},
    {"<|inner_prefix|>", tk::inner_o},
    {"<|inner_suffix|>", tk::inner_c},
    {"<|channel>", tk::gchan_o},
    {"<channel|>", tk::gchan_c},
    {"<|START_RESPONSE|>", tk::markup},
    {"<|END_RESPONSE|>", tk::markup},
    {"<|START_TEXT|>", tk::markup},
    {"<|END_TEXT|>", tk::markup},
    {"<|END_OF_TURN_TOKEN|>", tk::markup},
    {"<|eom_id|>", tk::eom},
    {"<|eot_id|>", tk::eot},
    {"<|im_end|>", tk::markup},
    {"<|endoftext|>", tk::markup},
    {"<|end_of_text|>", tk::markup},
    {"<end_of_turn>", tk::markup},
    {"<|tool_response>", tk::markup},
    {"<answer>", tk::markup},
    {"</answer>", tk::markup},
    {"<|message_sep|>", tk::markup},
    {"<response>", tk::response_o},
    {"</response>", tk::response_c},
    {"<|start|>", tk::h_start},
    {"<|channel|>", tk::h_channel},
    {"<|message|>", tk::h_message},
    {"<|end|>", tk::h_end},
    {"<|return|>", tk::h_return},
    {"<|call|>", tk::h_call},
    {"<|constrain|>", tk::h_constrain},
    {"<tool_call>", tk::tool_call_o},
    {"</tool_call>", tk::tool_call_c},
    {"<tools>", tk::tools_o},
    {"</tools>", tk::tools_c},
    {"<tool>", tk::tool_o},
    {"</tool>", tk::tool_c},
    {"<function_call>", tk::function_call_o},
    {"</function_call>", tk::function_call_c},
    {"<json>", tk::json_o},
    {"</json>", tk::json_c},
    {"<xml>", tk::xml_o},
    {"</xml>", tk::xml_c},
    {"<JSON>", tk::JSON_o},
    {"</JSON>", tk::JSON_c},
    {"<toolcall>", tk::toolcall_o},
    {"</toolcall>", tk::toolcall_c},
    {"<TOOLCALL>", tk::TOOLCALL_o},
    {"</TOOLCALL>", tk::TOOLCALL_c},
    {"<tool_calls>", tk::tool_calls_o},
    {"</tool_calls>", tk::tool_calls_c},
    {"<longcat_tool_call>", tk::longcat_o},
    {"</longcat_tool_call>", tk::longcat_c},
    {"<seed:tool_call>", tk::seed_tc_o},
    {"</seed:tool_call>", tk::seed_tc_c},
    {"<minimax:tool_call>", tk::minimax_o},
    {"</minimax:tool_call>", tk::minimax_c},
    {"<function_calls>", tk::function_calls_o},
    {"</function_calls>", tk::function_calls_c},
    {"<atem:function_calls>", tk::atem_o},
    {"</atem:function_calls>", tk::atem_c},
    {"<|START_ACTION|>", tk::action_o},
    {"<|END_ACTION|>", tk::action_c},
    {"<|tool_call_start|>", tk::lfm_o},
    {"<|tools_prefix|>", tk::apertus_o},
    {"<|tools_suffix|>", tk::apertus_c},
    {"<|python_start|>", tk::pystart_o},
    {"<|python_end|>", tk::pystart_c},
    {"<start_function_call>", tk::fgemma_o},
    {"<end_function_call>", tk::fgemma_c},
    {"<|tool_call>", tk::gemma_o},
    {"<tool_call|>", tk::gemma_c},
    {"<|action_start|>", tk::internlm_o},
    {"<|action_end|>", tk::internlm_c},
    {"<|plugin|>", tk::plugin},
    {"<|interpreter|>", tk::interpreter},
    {"<|tool_call|>", tk::granite},
    {"[TOOL_CALLS]", tk::mistral},
    {"[ARGS]", tk::args},
    {"[CALL_ID]", tk::call_id},
    {"<|python_tag|>", tk::python_tag},
    {"functools[", tk::functools},
    {"function call<|role_sep|>", tk::gigachat},
    {"[Calling tool: ", tk::calling_tool},
    {"<function=", tk::func_eq},
    {"<function name=\"", tk::func_name},
    {"</function>", tk::function_c},
    {"<invoke name=\"", tk::invoke_o},
    {"</invoke>", tk::invoke_c},
    {">>>", tk::functionary},
};

struct bar_entry {
  std::vector<std::string_view> words;
  tk token;
};

class trie {
 public:
  trie() {
    nodes_.emplace_back();
    for (const auto& e : literal_markers) add(e.text, e.token);
    const std::vector<bar_entry> bar_tokens = {
        {{"tool", "calls", "begin"}, tk::ds_calls_b},
        {{"tool", "calls"}, tk::ds_calls_b},
        {{"tool", "calls", "end"}, tk::ds_calls_e},
        {{"tool", "call", "begin"}, tk::ds_call_b},
        {{"tool", "call", "end"}, tk::ds_call_e},
        {{"tool", "sep"}, tk::ds_sep},
        {{"tool", "calls", "section", "begin"}, tk::kimi_sec_b},
        {{"tool", "calls", "section", "end"}, tk::kimi_sec_e},
        {{"tool", "call", "argument", "begin"}, tk::kimi_arg_b},
        {{"end", "of", "sentence"}, tk::markup},
        {{"begin", "of", "sentence"}, tk::markup},
    };
    const std::string_view bars[] = {"\xEF\xBD\x9C", "|"};
    const std::string_view seps[] = {"\xE2\x96\x81", " ", "_", "\\_"};
    for (const auto& b : bar_tokens) {
      for (auto bar : bars) {
        for (auto sep : seps) {
          std::string s = "<";
          s += bar;
          for (std::size_t i = 0; i < b.words.size(); ++i) {
            if (i > 0) s += sep;
            s += b.words[i];
          }
          s += bar;
          s += '>';
          add(s, b.token);
        }
      }
    }
    for (auto bar : bars) {
      std::string open = "<";
      open += bar;
      open += "DSML";
      open += bar;
      open += "function_calls>";
      add(open, tk::dsml_o);
      add("</" + open.substr(1), tk::dsml_c);
    }
  }

  marker_match match(std::string_view text, std::size_t pos, bool eof) const {
    marker_match best;
    std::uint32_t node = 0;
    for (std::size_t i = pos;; ++i) {
      const auto& n = nodes_[node];
      if (i >= text.size()) {
        if (!n.next.empty() && !eof) return {marker_match::kind::partial, tk::none, 0};
        return best;
      }
      const auto c = static_cast<unsigned char>(text[i]);
      std::uint32_t child = 0;
      for (const auto& [byte, idx] : n.next) {
        if (byte == c) {
          child = idx;
          break;
        }
      }
      if (child == 0) return best;
      node = child;
      if (nodes_[node].token != tk::none) {
        best = {marker_match::kind::full, nodes_[node].token, i + 1 - pos};
      }
    }
  }

 private:
  struct node_t {
    std::vector<std::pair<unsigned char, std::uint32_t>> next;
    tk token = tk::none;
  };

  void add(std::string_view s, tk token) {
    std::uint32_t node = 0;
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      std::uint32_t child = 0;
      for (const auto& [byte, idx] : nodes_[node].next) {
        if (byte == c) {
          child = idx;
          break;
        }
      }
      if (child == 0) {
        child = static_cast<std::uint32_t>(nodes_.size());
        nodes_.emplace_back();
        nodes_[node].next.emplace_back(c, child);
      }
      node = child;
    }
    nodes_[node].token = token;
  }

  std::vector<node_t> nodes_;
};

const trie& the_trie() {
  static const trie t;  // immutable after construction (thread-safe initialisation)
  return t;
}

}  // namespace

marker_match match_marker(std::string_view text, std::size_t pos, bool eof) {
  return the_trie().match(text, pos, eof);
}

bool marker_lead(unsigned char c) noexcept { return c == '<' || c == '[' || c == '>' || c == 'f'; }

bool is_reasoning_open(tk t) noexcept {
  switch (t) {
    case tk::think_o:
    case tk::thinking_o:
    case tk::mthink_o:
    case tk::seed_think_o:
    case tk::cthink_o:
    case tk::inner_o: return true;
    default: return false;
  }
}

bool is_reasoning_close(tk t) noexcept {
  switch (t) {
    case tk::think_c:
    case tk::thinking_c:
    case tk::mthink_c:
    case tk::seed_think_c:
    case tk::cthink_c:
    case tk::inner_c: return true;
    default: return false;
  }
}

tk reasoning_closer(tk open) noexcept {
  switch (open) {
    case tk::think_o: return tk::think_c;
    case tk::thinking_o: return tk::thinking_c;
    case tk::mthink_o: return tk::mthink_c;
    case tk::seed_think_o: return tk::seed_think_c;
    case tk::cthink_o: return tk::cthink_c;
    case tk::inner_o: return tk::inner_c;
    case tk::gchan_o: return tk::gchan_c;
    default: return tk::none;
  }
}

bool is_markup(tk t) noexcept {
  switch (t) {
    case tk::markup:
    case tk::eom:
    case tk::eot:
    case tk::response_c:
    case tk::h_message:
    case tk::h_end:
    case tk::h_return:
    case tk::h_call:
    case tk::h_constrain:
    case tk::gchan_c: return true;
    default: return false;
  }
}

tk wrapper_closer(tk open) noexcept {
  switch (open) {
    case tk::tool_call_o: return tk::tool_call_c;
    case tk::tools_o: return tk::tools_c;
    case tk::tool_o: return tk::tool_c;
    case tk::function_call_o: return tk::function_call_c;
    case tk::json_o: return tk::json_c;
    case tk::xml_o: return tk::xml_c;
    case tk::JSON_o: return tk::JSON_c;
    case tk::toolcall_o: return tk::toolcall_c;
    case tk::TOOLCALL_o: return tk::TOOLCALL_c;
    case tk::tool_calls_o: return tk::tool_calls_c;
    case tk::longcat_o: return tk::longcat_c;
    case tk::seed_tc_o: return tk::seed_tc_c;
    case tk::minimax_o: return tk::minimax_c;
    case tk::function_calls_o: return tk::function_calls_c;
    case tk::atem_o: return tk::atem_c;
    case tk::action_o: return tk::action_c;
    case tk::lfm_o: return tk::ds_call_e;
    case tk::apertus_o: return tk::apertus_c;
    case tk::pystart_o: return tk::pystart_c;
    case tk::fgemma_o: return tk::fgemma_c;
    case tk::gemma_o: return tk::gemma_c;
    case tk::internlm_o: return tk::internlm_c;
    case tk::response_o: return tk::response_c;
    case tk::ds_calls_b: return tk::ds_calls_e;
    case tk::ds_call_b: return tk::ds_call_e;
    case tk::kimi_sec_b: return tk::kimi_sec_e;
    case tk::dsml_o: return tk::dsml_c;
    case tk::invoke_o: return tk::invoke_c;
    default: return tk::none;
  }
}

bool is_call_opener(tk t) noexcept {
  switch (t) {
    case tk::granite:
    case tk::mistral:
    case tk::python_tag:
    case tk::calling_tool:
    case tk::func_eq:
    case tk::func_name:
    case tk::functionary: return true;
    case tk::response_o: return false;
    default: return wrapper_closer(t) != tk::none;
  }
}

bool is_call_closer(tk t) noexcept {
  switch (t) {
    case tk::tool_call_c:
    case tk::tools_c:
    case tk::tool_c:
    case tk::function_call_c:
    case tk::json_c:
    case tk::xml_c:
    case tk::JSON_c:
    case tk::toolcall_c:
    case tk::TOOLCALL_c:
    case tk::tool_calls_c:
    case tk::longcat_c:
    case tk::seed_tc_c:
    case tk::minimax_c:
    case tk::function_calls_c:
    case tk::atem_c:
    case tk::action_c:
    case tk::apertus_c:
    case tk::pystart_c:
    case tk::fgemma_c:
    case tk::gemma_c:
    case tk::internlm_c:
    case tk::function_c:
    case tk::invoke_c:
    case tk::ds_calls_e:
    case tk::ds_call_e:
    case tk::kimi_sec_e:
    case tk::dsml_c: return true;
    default: return false;
  }
}

}  // namespace harness::detail::rescue
