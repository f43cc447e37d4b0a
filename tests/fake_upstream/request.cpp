// Normalises the three request dialects into one Request.
#include "request.h"

namespace fake {
namespace {

Failure bad(std::string message) { return Failure{400, "invalid_request", std::move(message)}; }

/// Text of an OpenAI/Anthropic content value: a string or an array of parts.
std::string text_of(const Json &content) {
  if (content.is_string()) return content.str();
  std::string out;
  for (const Json &part : content.items()) {
    const std::string &type = part["type"].str();
    if (type == "text" || type == "input_text") {
      out += part["text"].str();
    } else if (type == "tool_result") {
      out += text_of(part["content"]);
    } else if (type == "image" || type == "image_url") {
      out += "[image]";
    }
  }
  return out;
}

ToolDef function_tool(const Json &t) {
  // OpenAI and Ollama: {"type":"function","function":{name, parameters}}.
  const Json &f = t.find("function") ? t["function"] : t;
  return ToolDef{f["name"].str(), f["parameters"].is_object() ? f["parameters"] : Json::object()};
}

void read_openai(Request &r) {
  const Json &b = r.body;
  const Json &choice = b["tool_choice"];
  if (choice.str() == "none") r.tool_choice.mode = ToolChoice::Mode::none;
  if (choice.str() == "required") r.tool_choice.mode = ToolChoice::Mode::any;
  if (choice["function"]["name"].is_string())
    r.tool_choice = {ToolChoice::Mode::named, choice["function"]["name"].str()};
  const Json &format = b["response_format"];
  if (format["type"].str() == "json_schema") r.output_schema = format["json_schema"]["schema"];
  if (format["type"].str() == "json_object") r.output_schema = Json::object();
  r.include_usage = b["stream_options"]["include_usage"].as_bool();
  if (b["max_completion_tokens"].is_number()) r.max_tokens = b["max_completion_tokens"].as_int();
  else if (b["max_tokens"].is_number()) r.max_tokens = b["max_tokens"].as_int();
  r.thinking = r.model.find("think") != std::string::npos;
  for (const Json &t : b["tools"].items()) r.tools.push_back(function_tool(t));
  for (const Json &m : b["messages"].items()) {
    Message msg;
    msg.role = m["role"].str();
    msg.text = text_of(m["content"]);
    if (msg.role == "system" || msg.role == "developer") r.system += msg.text;
    for (const Json &tc : m["tool_calls"].items()) {
      const Json &args = tc["function"]["arguments"];
      std::optional<Json> parsed = args.is_string() ? Json::parse(args.str()) : std::optional<Json>(args);
      msg.calls.push_back({tc["id"].str(), tc["function"]["name"].str(), parsed ? *parsed : args});
    }
    if (msg.role == "tool") msg.results.push_back({m["tool_call_id"].str(), "", msg.text});
    r.messages.push_back(std::move(msg));
  }
}

void read_anthropic(Request &r) {
  const Json &b = r.body;
  const std::string &choice = b["tool_choice"]["type"].str();
  if (choice == "none") r.tool_choice.mode = ToolChoice::Mode::none;
  if (choice == "any") r.tool_choice.mode = ToolChoice::Mode::any;
  if (choice == "tool") r.tool_choice = {ToolChoice::Mode::named, b["tool_choice"]["name"].str()};
  for (const Json *format : {&b["output_format"], &b["output_config"]["format"]})
    if ((*format)["type"].str() == "json_schema") r.output_schema = (*format)["schema"];
  if (b["max_tokens"].is_number()) r.max_tokens = b["max_tokens"].as_int();
  const std::string &thinking = b["thinking"]["type"].str();
  r.thinking = thinking == "enabled" || thinking == "adaptive";
  r.thinking_omitted = b["thinking"]["display"].str() == "omitted";
  r.system = text_of(b["system"]);
  for (const Json &t : b["tools"].items()) {
    r.tools.push_back(
        {t["name"].str(), t["input_schema"].is_object() ? t["input_schema"] : Json::object()});
  }
  for (const Json &m : b["messages"].items()) {
    Message msg;
    msg.role = m["role"].str();
    const Json &content = m["content"];
    if (content.is_string()) msg.text = content.str();
    if (msg.role == "system") r.system += text_of(content);
    for (const Json &block : content.items()) {
      const std::string &type = block["type"].str();
      if (type == "text") {
        msg.text += block["text"].str();
      } else if (type == "tool_use") {
        msg.calls.push_back({block["id"].str(), block["name"].str(), block["input"]});
      } else if (type == "tool_result") {
        msg.results.push_back({block["tool_use_id"].str(), "", text_of(block["content"])});
      }
    }
    r.messages.push_back(std::move(msg));
  }
}

void read_ollama(Request &r) {
  const Json &b = r.body;
  if (b["format"].is_object()) r.output_schema = b["format"];
  if (b["format"].str() == "json") r.output_schema = Json::object();
  const Json *stream = b.find("stream");
  r.stream = !stream || !stream->is_bool() || stream->as_bool();  // Ollama streams by default
  if (b["options"]["num_predict"].is_number()) r.max_tokens = b["options"]["num_predict"].as_int();
  const Json &think = b["think"];
  r.thinking = think.as_bool() || (think.is_string() && !think.str().empty());
  for (const Json &t : b["tools"].items()) r.tools.push_back(function_tool(t));
  for (const Json &m : b["messages"].items()) {
    Message msg;
    msg.role = m["role"].str();
    msg.text = m["content"].str();
    if (msg.role == "system") r.system += msg.text;
    for (const Json &tc : m["tool_calls"].items())
      msg.calls.push_back({tc["id"].str(), tc["function"]["name"].str(), tc["function"]["arguments"]});
    if (msg.role == "tool")
      msg.results.push_back({m["tool_call_id"].str(), m["tool_name"].str(), msg.text});
    r.messages.push_back(std::move(msg));
  }
}

}  // namespace

bool Request::ends_with_tool_result() const {
  return !messages.empty() && !messages.back().results.empty();
}

/// The text without Claude Code's <system-reminder>...</system-reminder> context sections.
static std::string without_reminders(std::string_view text) {
  constexpr std::string_view open = "<system-reminder>", close = "</system-reminder>";
  std::string out;
  while (!text.empty()) {
    std::size_t a = text.find(open);
    out.append(text.substr(0, a));
    if (a == std::string_view::npos) break;
    std::size_t b = text.find(close, a);
    if (b == std::string_view::npos) break;
    text.remove_prefix(b + close.size());
  }
  return out;
}

std::string Request::last_user_text() const {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->role != "user" || !it->results.empty()) continue;
    std::string text = without_reminders(it->text);
    if (text.find_first_not_of(" \n\t") != std::string::npos) return text;
  }
  return "";
}

std::string Request::call_name(std::string_view id) const {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    for (const ToolCall &c : it->calls)
      if (!id.empty() && c.id == id) return c.name;
  return "";
}

std::variant<Request, Failure> read_request(Dialect dialect, std::string_view body) {
  std::optional<Json> parsed = Json::parse(body);
  if (!parsed || !parsed->is_object()) {
    if (dialect == Dialect::ollama) return bad("invalid character in request body");
    if (dialect == Dialect::anthropic)
      return bad("There was an error parsing the body of your request");
    return bad("We could not parse the JSON body of your request.");
  }
  Request r;
  r.dialect = dialect;
  r.body = std::move(*parsed);
  r.body_chars = body.size();
  const Json &model = r.body["model"];
  if (!model.is_string() || model.str().empty()) {
    if (dialect == Dialect::ollama) return Failure{400, "invalid_request", "model is required"};
    if (dialect == Dialect::anthropic) return bad("model: Field required");
    return bad("you must provide a model parameter");
  }
  r.model = model.str();
  r.stream = r.body["stream"].as_bool();
  if (dialect != Dialect::ollama && !r.body["messages"].is_array()) {
    return bad(dialect == Dialect::anthropic ? "messages: Field required"
                                             : "Missing required parameter: 'messages'.");
  }
  switch (dialect) {
    case Dialect::openai: read_openai(r); break;
    case Dialect::anthropic: read_anthropic(r); break;
    case Dialect::ollama: read_ollama(r); break;
  }
  // Tool results carry no name in OpenAI/Anthropic: take it from the matching call.
  for (Message &m : r.messages)
    for (ToolResult &res : m.results)
      if (res.name.empty()) res.name = r.call_name(res.id);
  return r;
}

}  // namespace fake
