#include "intent.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace fake {
namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (word_char(c)) {
      cur.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

struct Verb {
  std::string_view word;
  Intent intent;
};

constexpr std::array<Verb, 44> kVerbs{{
    {"fix", Intent::edit},       {"fixes", Intent::edit},     {"bug", Intent::edit},
    {"broken", Intent::edit},    {"failing", Intent::edit},   {"fails", Intent::edit},
    {"repair", Intent::edit},    {"correct", Intent::edit},   {"edit", Intent::edit},
    {"change", Intent::edit},    {"replace", Intent::edit},   {"update", Intent::edit},
    {"enable", Intent::edit},    {"disable", Intent::edit},   {"rename", Intent::edit},
    {"read", Intent::read},      {"show", Intent::read},      {"open", Intent::read},
    {"view", Intent::read},      {"cat", Intent::read},       {"display", Intent::read},
    {"inspect", Intent::read},   {"find", Intent::find},      {"glob", Intent::find},
    {"locate", Intent::find},    {"list", Intent::find},      {"search", Intent::search},
    {"grep", Intent::search},    {"run", Intent::run},        {"execute", Intent::run},
    {"exec", Intent::run},       {"create", Intent::create},  {"write", Intent::create},
    {"make", Intent::create},    {"add", Intent::create},     {"save", Intent::create},
    {"generate", Intent::create}, {"implement", Intent::create}, {"new", Intent::create},
    {"touch", Intent::create},   {"build", Intent::create},   {"put", Intent::create},
    {"produce", Intent::create}, {"draft", Intent::create},
}};

bool is_ext(std::string_view ext) {
  if (ext.empty() || ext.size() > 5) return false;
  bool letter = false;
  for (char c : ext) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    letter = letter || std::isalpha(static_cast<unsigned char>(c));
  }
  return letter && (ext.size() >= 2 || ext == "c" || ext == "h" || ext == "r" || ext == "m");
}

}  // namespace

Intent classify(std::string_view text) {
  for (const std::string &w : words(text))
    for (const Verb &v : kVerbs)
      if (w == v.word) return v.intent;
  if (text.find('?') != std::string_view::npos) return Intent::question;
  auto ws = words(text);
  if (!ws.empty()) {
    for (std::string_view q : {"what", "why", "how", "explain", "describe", "who", "when"})
      if (ws.front() == q) return Intent::question;
  }
  return Intent::create;
}

std::vector<std::string> file_names(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && (cur.back() == '.' || cur.back() == ':')) cur.pop_back();
    std::size_t dot = cur.rfind('.');
    bool ok = dot != std::string::npos && dot > 0 && cur.find('*') == std::string::npos &&
              cur.find("://") == std::string::npos && is_ext(std::string_view(cur).substr(dot + 1));
    if (ok && std::find(out.begin(), out.end(), cur) == out.end()) out.push_back(cur);
    cur.clear();
  };
  for (char c : text) {
    if (word_char(c) || c == '.' || c == '/' || c == '-' || c == '*' || c == ':') cur.push_back(c);
    else flush();
  }
  flush();
  return out;
}

std::string quoted_span(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char q = text[i];
    if (q != '`' && q != '"' && q != '\'') continue;
    if (q == '\'' && i > 0 && word_char(text[i - 1])) continue;  // an apostrophe (don't)
    std::size_t end = text.find(q, i + 1);
    if (end != std::string_view::npos && end > i + 1) return std::string(text.substr(i + 1, end - i - 1));
  }
  return "";
}

std::vector<std::string> quoted_spans(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    std::size_t start = std::string_view::npos;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char q = text[i];
      if (q != '`' && q != '"' && q != '\'') continue;
      if (q == '\'' && i > 0 && word_char(text[i - 1])) continue;
      start = i;
      break;
    }
    if (start == std::string_view::npos) break;
    std::size_t end = text.find(text[start], start + 1);
    if (end == std::string_view::npos) break;
    if (end > start + 1) out.emplace_back(text.substr(start + 1, end - start - 1));
    text.remove_prefix(end + 1);
  }
  return out;
}

std::string fenced_block(std::string_view text) {
  std::size_t open = text.find("```");
  if (open == std::string_view::npos) return "";
  std::size_t body = text.find('\n', open);
  if (body == std::string_view::npos) return "";
  std::size_t close = text.find("\n```", body);
  if (close == std::string_view::npos) return "";
  return std::string(text.substr(body + 1, close - body));
}

bool looks_like_error(std::string_view result) {
  std::string first;
  for (char c : result.substr(0, result.find('\n'))) first.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (std::string_view marker : {"error", "not found", "must read", "has not been read", "failed",
                                  "no such file", "multiple matches", "appears multiple times", "exit code: 1"})
    if (first.find(marker) != std::string::npos) return true;
  return false;
}

std::string glob_word(std::string_view text) {
  std::string cur;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ' ';
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '`' || c == '"' || c == '\'') {
      while (!cur.empty() && (cur.back() == '.' || cur.back() == '?')) cur.pop_back();
      if (cur.find('*') != std::string::npos) return cur;
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  return "";
}

std::size_t line_prefix_length(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  std::size_t digits = i;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  if (i == digits || i >= line.size()) return 0;
  if (line[i] == '\t' || line[i] == '|' || line[i] == ':') {
    // Crush pads with spaces and puts no space after '|' ("     2|    x"); OpenCode pads with
    // zeros and adds one ("00002| x"), or writes "2: x".
    char sep = line[i++];
    bool spaced = sep == ':' || (sep == '|' && line[digits] == '0');
    if (spaced && i < line.size() && line[i] == ' ') ++i;
    return i;
  }
  return 0;
}

std::string file_text_from_read(std::string_view result, bool *had_prefixes) {
  std::size_t open = result.find("<content>");
  if (open != std::string_view::npos) {
    result.remove_prefix(open + 9);
    std::size_t close = result.find("</content>");
    if (close != std::string_view::npos) result = result.substr(0, close);
  }
  std::vector<std::string_view> lines;
  std::size_t counted = 0, prefixed = 0;
  while (!result.empty()) {
    std::size_t nl = result.find('\n');
    std::string_view line = result.substr(0, nl);
    lines.push_back(line);
    if (!line.empty()) {
      ++counted;
      if (line_prefix_length(line) > 0) ++prefixed;
    }
    if (nl == std::string_view::npos) break;
    result.remove_prefix(nl + 1);
  }
  bool strip = counted > 0 && prefixed * 2 >= counted;
  if (had_prefixes) *had_prefixes = strip;
  std::string out;
  for (std::string_view line : lines) {
    if (strip) {
      std::size_t n = line_prefix_length(line);
      if (n == 0) continue;  // trailers such as "(End of file - total 3 lines)"
      line.remove_prefix(n);
    }
    out.append(line);
    out.push_back('\n');
  }
  return out;
}

}  // namespace fake
