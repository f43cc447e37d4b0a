// rapidjson_config.h: the only place RapidJSON is configured (its macros must agree in every TU).
#pragma once

#define RAPIDJSON_HAS_STDSTRING 0
#include <rapidjson/writer.h>
