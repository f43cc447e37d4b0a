// json_doc.h: RapidJSON for the CLI's own JSON (reading service answers, merging client config
// files), configured as libharness configures it (libharness/src/json/rapidjson_config.h):
// the macros must agree in every translation unit of the program.
#pragma once

#define RAPIDJSON_HAS_STDSTRING 0
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

namespace harness_cli {

/// `s` as a JSON string literal (quotes included).
inline std::string json_quote(const std::string& s) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return buf.GetString();
}

/// `doc` indented by two spaces, with a final newline (how the clients' own files look).
inline std::string json_pretty(const rapidjson::Value& doc) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  doc.Accept(w);
  return std::string(buf.GetString()) + "\n";
}

}  // namespace harness_cli
