// meta_fields.h: the parts of a recording's meta.json both the writer and the reader know.
#pragma once

#include <simdjson.h>

#include <harness/config.h>

#include "json/writer.h"

namespace harness::detail {

/// meta.json's "format" value; a reader refuses others.
inline constexpr const char* recording_format = "harness-recording/1";

/// A route's policy as a JSON object (fallbacks are not replayed, so not written).
void write_policy(json_writer& w, const model_policy& policy);
/// The same object read back; members missing keep their defaults.
model_policy read_policy(simdjson::dom::element object);

}  // namespace harness::detail
