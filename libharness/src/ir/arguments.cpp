#include "ir/arguments.h"

namespace harness::detail {

result<std::string> arguments_object(simdjson::dom::parser& parser, std::string_view args,
                                     const json_path& where) {
  const auto first = args.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return std::string("{}");
  auto parsed = parse_json(parser, args);
  if (!parsed) {
    return make_error(errc::unsupported, "tool-call arguments are not valid JSON", where.str());
  }
  json_object obj;
  if (parsed->get_object().get(obj) != simdjson::SUCCESS) {
    return make_error(errc::unsupported, "tool-call arguments are not a JSON object", where.str());
  }
  return raw_json(*parsed);
}

}  // namespace harness::detail
