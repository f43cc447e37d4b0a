// grade_structure.cpp: T1 (call structure), T2 (arguments + code), T3 (continuation),
// T11 (streamed calls).
#include <set>

#include <harness/codec.h>

#include "eval/args.h"
#include "eval/edits.h"
#include "eval/grading.h"
#include "eval/requests.h"

namespace harness::eval_internal {
namespace {

// Problems a client would trip over in a reply's calls; empty when they are well-formed.
std::optional<grade> malformed_calls(const client_profile& p, const observed& o, const char* test) {
  std::set<std::string> ids;
  for (const observed_call& c : o.calls) {
    if (!find_tool(p, c.name))
      return fail(std::string(test) + ".unknown_tool", "called '" + c.name + "', which was not offered",
                  show_call(c));
    const schema_check s = check_arguments(c.arguments, "");
    if (!s.parsed || !s.object)
      return fail(std::string(test) + ".bad_arguments",
                  "the arguments of '" + c.name + "' are not a JSON object", show_call(c));
    if (c.id.empty() || !ids.insert(c.id).second)
      return fail(std::string(test) + ".bad_ids", "tool-call ids are missing or repeated", show_reply(o));
  }
  return std::nullopt;
}

}  // namespace

grade grade_t1(const client_profile& p, const exchange& ex) {
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T1");
  if (o.calls.empty()) return no_call(o, "T1");
  if (auto bad = malformed_calls(p, o, "T1")) return *bad;
  if (o.finish != finish_reason::tool_calls)
    return warn("T1.finish_reason",
                std::string("finish_reason is '") + to_string(o.finish) + "', not 'tool_calls'",
                show_reply(o));
  return pass("called " + o.calls.front().name);
}

grade grade_t2(const client_profile& p, const exchange& t1, const syntax_checker& check) {
  const observed o = observe(t1);
  if (!o.ok || o.calls.empty()) return fail("T2.no_call", "T1 gave no call to check");
  const observed_call& c = o.calls.front();
  const tool_spec* spec = find_tool(p, c.name);
  if (!spec) return fail("T2.unknown_tool", "'" + c.name + "' was not offered", show_call(c));
  const schema_check s = check_arguments(c.arguments, spec->parameters);
  if (!s.errors.empty()) {
    // A parameter name from another client's dialect (file_path for filePath) is its own code.
    std::string code = "T2.schema";
    for (const std::string& key : arg_keys(c.arguments))
      for (const char* foreign : {"file_path", "filePath", "path", "old_string", "oldString"})
        if (key == foreign && spec->parameters.find('"' + key + '"') == std::string::npos)
          code = "T2.param_dialect";
    return fail(code, s.errors.front(), show_call(c));
  }
  std::string source;
  std::string path;
  if (c.name == p.write_tool) {
    path = string_arg(c.arguments, p.write_path).value_or("");
    source = string_arg(c.arguments, p.write_content).value_or("");
  } else if (c.name == p.patch_tool) {
    const parsed_patch patch = parse_patch(string_arg(c.arguments, p.patch_text).value_or(""));
    if (!patch.ok) return fail("T2.bad_patch", "the patch does not parse: " + patch.error, show_call(c));
    for (const patch_file& f : patch.files)
      if (f.kind == patch_file::op::add) path = f.path, source = added_content(f);
  } else {
    return warn("T2.indirect", "created the file with '" + c.name + "', not the write tool",
                show_call(c));
  }
  if (path.size() < 8 || path.compare(path.size() - 8, 8, "hello.py") != 0)
    return fail("T2.wrong_path", "wrote '" + path + "', not hello.py", show_call(c));
  if (source.find("print") == std::string::npos)
    return fail("T2.wrong_code", "the code does not print", show_call(c));
  if (!check) {
    if (!s.coercible.empty()) return warn("T2.coercible", s.coercible.front(), show_call(c));
    return warn("T2.unchecked", "arguments valid; no Python available to parse the code");
  }
  if (auto err = check(source)) return fail("T2.syntax", "the code does not parse: " + *err, show_call(c));
  if (!s.coercible.empty()) return warn("T2.coercible", s.coercible.front(), show_call(c));
  return pass("arguments match the schema; the code parses");
}

grade grade_t3(const client_profile& p, const exchange& ex) {
  const observed o = observe(ex);
  if (!o.ok) {
    grade g = not_answered(o, ex, "T3");
    if (ex.status == 400) g.reason = "the tool result was rejected: " + g.reason;
    return g;
  }
  if (o.calls.empty()) {
    if (o.text.empty()) return fail("T3.empty", "an empty answer after the tool result");
    return pass("final answer after the tool result");
  }
  if (auto bad = malformed_calls(p, o, "T3")) return *bad;
  // The calls T1 made are in the request: repeating one is a loop.
  std::vector<observed_call> earlier;
  if (auto req = decode_request(dialect::openai, ex.request))
    for (const message& m : req->messages)
      for (const tool_call_block* c : m.tool_calls()) earlier.push_back({c->id, c->name, c->arguments});
  for (const observed_call& c : o.calls) {
    for (const observed_call& e : earlier)
      if (e.name == c.name && same_json(e.arguments, c.arguments))
        return fail("T3.repeated_call", "repeated the call it already made", show_call(c));
    if (c.name == p.read_tool && call_path(c).find("hello.py") != std::string::npos)
      return warn("T3.redundant_read", "re-read the file it had just written", show_call(c));
  }
  return pass("continued with " + o.calls.front().name);
}

grade grade_t11(const client_profile& p, const exchange& ex) {
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T11");
  if (o.calls.empty()) return no_call(o, "T11");
  if (auto bad = malformed_calls(p, o, "T11")) return *bad;
  if (!o.stream_problems.empty())
    return fail("T11.stream", o.stream_problems.front(), "stream: " + clip(ex.reply, 400));
  if (looks_like_text_call(o.text))
    return fail("T11.leaked_markup", "tool-call text leaked into the content", clip(o.text, 300));
  if (o.finish != finish_reason::tool_calls)
    return warn("T11.finish_reason",
                std::string("finish_reason is '") + to_string(o.finish) + "', not 'tool_calls'",
                show_reply(o));
  std::string ttft = ex.ttft_us > 0 ? " (first byte " + std::to_string(ex.ttft_us / 1000) + " ms)" : "";
  return pass("streamed call to " + o.calls.front().name + " reassembled" + ttft);
}

}  // namespace harness::eval_internal
