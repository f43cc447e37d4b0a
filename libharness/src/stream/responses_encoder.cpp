// OpenAI Responses SSE (`response.*` events) from canonical events.
//
// Every canonical block becomes one output item: text -> a `message` with one `output_text`
// part, reasoning -> a `reasoning` item with one summary part, a tool call -> a `function_call`
// (or a `custom_tool_call` for the client's freeform tools). Each event carries `type` and
// `sequence_number`, and `output_index` / `item_id` / `content_index` where the API has them.
// The stream always ends with response.completed, response.incomplete or response.failed
// (after an `error` event when the upstream failed), never with a cut.
#include <algorithm>
#include <string>
#include <vector>

#include "codec/responses/internal.h"
#include "ir/ids.h"
#include "json/writer.h"
#include "stream/encoders.h"

namespace harness::detail {
namespace {

namespace rs = responses;

enum class item_kind { message, reasoning, function, custom };

struct open_item {
  item_kind kind = item_kind::message;
  std::string id;
  std::string call_id;
  std::string name;
  std::string text;       ///< text, summary, arguments or freeform input so far
  std::string signature;  ///< reasoning: encrypted_content
  bool part_open = false; ///< reasoning: a summary part was announced
};

class responses_encoder final : public stream_encoder {
 public:
  explicit responses_encoder(stream_encoder_options o) : opt_(std::move(o)) {}

  void encode(const stream_event& ev, std::string& out) override {
    if (closed_) return;
    switch (ev.type) {
      case stream_event::kind::message_start:
        if (opt_.model.empty()) opt_.model = ev.name;
        if (opt_.id.empty()) opt_.id = ev.id;
        if (ev.usage.present) usage_ = ev.usage;
        start(out);
        break;
      case stream_event::kind::block_start:
        start(out);
        close_item(out);
        open(ev, out);
        break;
      case stream_event::kind::delta:
        start(out);
        delta(ev.text, out);
        break;
      case stream_event::kind::signature:
        if (item_) item_->signature += ev.text;
        break;
      case stream_event::kind::block_stop:
        close_item(out);
        break;
      case stream_event::kind::finish:
        finish_ = ev.finish;
        break;
      case stream_event::kind::usage:
        usage_ = ev.usage;
        break;
      case stream_event::kind::message_stop:
        start(out);
        close_item(out);
        terminal(out);
        break;
      case stream_event::kind::error:
        start(out);
        fail(ev.err, out);
        break;
    }
  }

  bool closed() const noexcept override { return closed_; }

 private:
  // ---- writing one event -------------------------------------------------------------------

  /// Opens an event object with its type; the caller adds fields, then calls emit.
  json_writer& begin(const char* type) {
    buf_.clear();
    w_ = std::make_unique<json_writer>(buf_);
    type_ = type;
    w_->start_object().member("type", type);
    return *w_;
  }

  void emit(std::string& out) {
    w_->member_int("sequence_number", seq_++).end_object();
    if (w_->ok()) {
      out += "event: ";
      out += type_;
      out += "\ndata: ";
      out += buf_;
      out += "\n\n";
    }
    w_.reset();
  }

  json_writer& item_event(const char* type) {
    return begin(type).member("item_id", item_->id).member_int("output_index", index());
  }

  std::int64_t index() const { return static_cast<std::int64_t>(done_items_.size()); }

  // ---- the response object -----------------------------------------------------------------

  void write_response(json_writer& w, const char* status, bool final, const error* err) {
    w.key("response").start_object().member("id", id_).member("object", "response");
    w.member_int("created_at", opt_.created).member("status", status);
    w.key("error");
    if (err != nullptr) {
      w.start_object().member("code", err->http_status == 429 ? "rate_limit_exceeded" : "server_error");
      w.member("message", err->message).end_object();
    } else {
      w.null();
    }
    const char* reason = final ? rs::incomplete_reason(finish_) : "";
    w.key("incomplete_details");
    if (*reason != '\0') {
      w.start_object().member("reason", reason).end_object();
    } else {
      w.null();
    }
    w.member("model", opt_.model).key("output").start_array();
    if (final) {
      for (const auto& item : done_items_) w.raw(item);
    }
    w.end_array();
    if (final && usage_.present) {
      rs::write_usage(w, usage_);
    } else {
      w.key("usage").null();
    }
    w.end_object();
  }

  void start(std::string& out) {
    if (started_) return;
    started_ = true;
    std::string id = sanitize_call_id(opt_.id);
    if (id.rfind("resp_", 0) != 0) {
      id = id.empty() ? synthesize_call_id(opt_.model + std::to_string(opt_.created), 0, "resp_")
                      : "resp_" + id;
    }
    id_ = std::move(id);
    write_response(begin("response.created"), "in_progress", false, nullptr);
    emit(out);
    write_response(begin("response.in_progress"), "in_progress", false, nullptr);
    emit(out);
  }

  void terminal(std::string& out) {
    const char* status = rs::status_for(finish_);
    const std::string type = std::string("response.") + status;  // completed / incomplete / failed
    error err = make_error(errc::upstream_http, "the upstream failed during generation");
    write_response(begin(type == "response.failed" ? "response.failed"
                         : type == "response.incomplete" ? "response.incomplete"
                                                         : "response.completed"),
                   status, true, finish_ == finish_reason::error ? &err : nullptr);
    emit(out);
    closed_ = true;
  }

  void fail(const error& err, std::string& out) {
    begin("error").member("code", err.http_status == 429 ? "rate_limit_exceeded" : "server_error");
    w_->member("message", err.message).key("param").null();
    emit(out);
    write_response(begin("response.failed"), "failed", true, &err);
    emit(out);
    closed_ = true;
  }

  // ---- items -------------------------------------------------------------------------------

  bool freeform(const std::string& name) const {
    return std::find(opt_.freeform_tools.begin(), opt_.freeform_tools.end(), name) !=
           opt_.freeform_tools.end();
  }

  void open(const stream_event& ev, std::string& out) {
    item_ = open_item{};
    const std::size_t n = done_items_.size();
    if (ev.block == block_type::text) {
      item_->kind = item_kind::message;
      item_->id = rs::item_id(id_, n, "msg_");
    } else if (ev.block == block_type::reasoning) {
      item_->kind = item_kind::reasoning;
      item_->id = rs::item_id(id_, n, "rs_");
    } else {
      item_->kind = freeform(ev.name) ? item_kind::custom : item_kind::function;
      item_->id = rs::item_id(id_, n, item_->kind == item_kind::custom ? "ctc_" : "fc_");
      item_->call_id = ev.id.empty() ? rs::item_id(id_, n, "call_") : ev.id;
      item_->name = ev.name;
    }
    begin("response.output_item.added").member_int("output_index", index()).key("item");
    write_item(*w_, "in_progress");
    emit(out);
    if (item_->kind == item_kind::message) {
      item_event("response.content_part.added").member_int("content_index", 0).key("part");
      write_text_part(*w_, "");
      emit(out);
    }
  }

  void delta(const std::string& text, std::string& out) {
    if (!item_ || text.empty()) return;
    item_->text += text;
    switch (item_->kind) {
      case item_kind::message:
        item_event("response.output_text.delta").member_int("content_index", 0);
        w_->member("delta", text).key("logprobs").start_array().end_array();
        emit(out);
        break;
      case item_kind::reasoning:
        open_summary_part(out);
        item_event("response.reasoning_summary_text.delta").member_int("summary_index", 0);
        w_->member("delta", text);
        emit(out);
        break;
      case item_kind::function:
        item_event("response.function_call_arguments.delta").member("delta", text);
        emit(out);
        break;
      case item_kind::custom:
        break;  // the arguments are JSON wrapping the input: sent once whole, at the end
    }
  }

  void open_summary_part(std::string& out) {
    if (item_->part_open) return;
    item_->part_open = true;
    item_event("response.reasoning_summary_part.added").member_int("summary_index", 0);
    w_->key("part").start_object().member("type", "summary_text").member("text", "").end_object();
    emit(out);
  }

  void close_item(std::string& out) {
    if (!item_) return;
    switch (item_->kind) {
      case item_kind::message:
        item_event("response.output_text.done").member_int("content_index", 0);
        w_->member("text", item_->text).key("logprobs").start_array().end_array();
        emit(out);
        item_event("response.content_part.done").member_int("content_index", 0).key("part");
        write_text_part(*w_, item_->text);
        emit(out);
        break;
      case item_kind::reasoning:
        if (item_->part_open) {
          item_event("response.reasoning_summary_text.done").member_int("summary_index", 0);
          w_->member("text", item_->text);
          emit(out);
          item_event("response.reasoning_summary_part.done").member_int("summary_index", 0);
          w_->key("part").start_object().member("type", "summary_text");
          w_->member("text", item_->text).end_object();
          emit(out);
        }
        break;
      case item_kind::function:
        if (item_->text.empty()) {  // a zero-argument call streamed nothing: "{}" is valid JSON
          item_->text = "{}";
          item_event("response.function_call_arguments.delta").member("delta", item_->text);
          emit(out);
        }
        item_event("response.function_call_arguments.done").member("arguments", item_->text);
        emit(out);
        break;
      case item_kind::custom:
        item_->text = rs::freeform_input(item_->text);
        item_event("response.custom_tool_call_input.delta").member("delta", item_->text);
        emit(out);
        item_event("response.custom_tool_call_input.done").member("input", item_->text);
        emit(out);
        break;
    }
    std::string done;
    json_writer dw(done);
    write_item(dw, "completed");
    begin("response.output_item.done").member_int("output_index", index()).key("item");
    write_item(*w_, "completed");
    emit(out);
    if (dw.ok()) done_items_.push_back(std::move(done));
    item_.reset();
  }

  static void write_text_part(json_writer& w, const std::string& text) {
    w.start_object().member("type", "output_text").member("text", text);
    w.key("annotations").start_array().end_array().end_object();
  }

  void write_namespace(json_writer& w, const std::string& name) const {
    const std::string_view ns = rs::namespace_of(opt_.tool_namespaces, name);
    if (!ns.empty()) w.member("namespace", ns);
  }

  // The item as output_item.added (in_progress, empty) or .done (completed, whole) shows it.
  void write_item(json_writer& w, const char* status) const {
    const open_item& it = *item_;
    const bool done = std::string_view(status) == "completed";
    w.start_object().member("id", it.id);
    switch (it.kind) {
      case item_kind::message:
        w.member("type", "message").member("status", status).member("role", "assistant");
        w.key("content").start_array();
        if (done) write_text_part(w, it.text);
        w.end_array();
        break;
      case item_kind::reasoning:
        w.member("type", "reasoning").key("summary").start_array();
        if (done && !it.text.empty()) {
          w.start_object().member("type", "summary_text").member("text", it.text).end_object();
        }
        w.end_array();
        if (done && !it.signature.empty()) w.member("encrypted_content", it.signature);
        break;
      case item_kind::function:
        w.member("type", "function_call").member("status", status);
        w.member("arguments", done ? it.text : std::string());
        w.member("call_id", it.call_id).member("name", it.name);
        write_namespace(w, it.name);
        break;
      case item_kind::custom:
        w.member("type", "custom_tool_call").member("status", status);
        w.member("call_id", it.call_id).member("name", it.name);
        write_namespace(w, it.name);
        w.member("input", done ? it.text : std::string());
        break;
    }
    w.end_object();
  }

  stream_encoder_options opt_;
  std::string id_;
  std::unique_ptr<json_writer> w_;
  std::string buf_;
  const char* type_ = "";
  std::int64_t seq_ = 0;
  bool started_ = false;
  bool closed_ = false;
  finish_reason finish_ = finish_reason::none;
  usage usage_;
  std::optional<open_item> item_;
  std::vector<std::string> done_items_;  ///< finished items, raw, for the final response
};

}  // namespace

std::unique_ptr<stream_encoder> make_responses_stream_encoder(stream_encoder_options options) {
  return std::make_unique<responses_encoder>(std::move(options));
}

}  // namespace harness::detail
