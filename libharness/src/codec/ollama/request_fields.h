// request_fields.h: the non-message fields of an Ollama request (tools, format, options, think),
// decoded into and encoded from the canonical request (translation.md B.2, B.6).
#pragma once

#include <string>
#include <vector>

#include <harness/codec.h>

#include "json/reader.h"
#include "json/writer.h"

namespace harness::detail::ollama {

// Decoding (request_fields_decode.cpp). Each returns false and sets `err` on bad input.
bool decode_tools(json_element value, const json_path& path, std::vector<tool_spec>& out,
                  error& err);
/// "json" -> {"type":"json_object"}; a schema -> {"type":"json_schema","json_schema":
/// {"name":"response","schema":...}} (canonical response_format holds OpenAI's shape).
bool decode_format(json_element value, const json_path& path, std::string& out, error& err);
/// Typed options into the request; the rest stays as one raw object in extra["options"].
bool decode_options(json_element value, const json_path& path, chat_request& req, error& err);
/// true/false -> enabled/disabled; a level ("low".."max") -> effort.
bool decode_think(json_element value, const json_path& path, reasoning_config& out, error& err);

// Encoding (request_fields_encode.cpp). `own`: the request came from Ollama, so its extra
// fields are written back.
void write_tools(json_writer& w, const chat_request& req, simdjson::dom::parser& parser, bool own);
void write_format(json_writer& w, const std::string& response_format,
                  simdjson::dom::parser& parser);
void write_options(json_writer& w, const chat_request& req, const encode_options& options,
                   simdjson::dom::parser& parser, bool own);
void write_think(json_writer& w, const reasoning_config& reasoning);

}  // namespace harness::detail::ollama
