// arguments.h: tool-call arguments for dialects that carry them as a JSON object.
#pragma once

#include <string>
#include <string_view>

#include <harness/result.h>

#include "json/reader.h"
#include "json/writer.h"

namespace harness::detail {

/// `args` (the model's exact argument text) as a compact JSON object text, for Anthropic
/// `input` and Ollama `arguments`: "" or whitespace becomes "{}" (zero-argument calls streamed
/// by Anthropic, translation.md C.7); a JSON object is kept; anything else is an
/// errc::unsupported error at `where`. Uses `parser` as scratch.
result<std::string> arguments_object(simdjson::dom::parser& parser, std::string_view args,
                                     const json_path& where);

/// arguments_object written as the next value of `w` (no temporary string). On error nothing
/// is written.
result<void> write_arguments_object(json_writer& w, simdjson::dom::parser& parser,
                                    std::string_view args, const json_path& where);

}  // namespace harness::detail
