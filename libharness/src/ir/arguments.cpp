#include "ir/arguments.h"

namespace harness::detail {
namespace {

// The parsed object of `args`, or an empty optional-like result for blank text ("{}").
result<json_element> parse_arguments(simdjson::dom::parser& parser, std::string_view args,
                                     const json_path& where, bool& blank) {
  blank = args.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (blank) return json_element();
  auto parsed = parse_json(parser, args);
  if (!parsed) {
    return make_error(errc::unsupported, "tool-call arguments are not valid JSON", where.str());
  }
  if (!parsed->is_object()) {
    return make_error(errc::unsupported, "tool-call arguments are not a JSON object", where.str());
  }
  return parsed;
}

}  // namespace

result<std::string> arguments_object(simdjson::dom::parser& parser, std::string_view args,
                                     const json_path& where) {
  bool blank = false;
  auto parsed = parse_arguments(parser, args, where, blank);
  if (!parsed) return std::move(parsed).error_value();
  if (blank) return std::string("{}");
  return raw_json(*parsed);
}

result<void> write_arguments_object(json_writer& w, simdjson::dom::parser& parser,
                                    std::string_view args, const json_path& where) {
  bool blank = false;
  auto parsed = parse_arguments(parser, args, where, blank);
  if (!parsed) return std::move(parsed).error_value();
  if (blank) {
    w.raw("{}");
  } else {
    append_raw_json(w.raw_target(), *parsed);
  }
  return {};
}

}  // namespace harness::detail
