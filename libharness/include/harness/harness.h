// harness.h: the umbrella header of the core library (types, codecs, translation).
#pragma once

#include <harness/codec.h>
#include <harness/dialect.h>
#include <harness/json_fields.h>
#include <harness/message.h>
#include <harness/request.h>
#include <harness/response.h>
#include <harness/result.h>
#include <harness/tool.h>
#include <harness/translate.h>
#include <harness/version.h>
