// The JSON string escaper against a byte-at-a-time reference: every length around the 16-byte
// blocks, every kind of byte, both hex cases, with and without UTF-8 validation, and strings
// that end exactly at a page whose next page is unmapped (the block reads of short tails must
// never cross into it).
#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <random>
#include <string>

#include "json/escape.h"

using harness::detail::append_json_string;
using harness::detail::hex_case;

namespace {

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                                     : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    const auto c1 = len > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
        (c == 0xF4 && c1 > 0x8F)) {
      return false;
    }
    i += len;
  }
  return true;
}

std::string reference(char prefix, std::string_view s, hex_case hex) {
  const char* digits = hex == hex_case::upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  if (prefix != '\0') out += prefix;
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += digits[c >> 4];
          out += digits[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

// Random text from ASCII letters, the bytes that need escaping and UTF-8 (valid and not).
std::string random_text(std::mt19937& gen, std::size_t len) {
  static const char* pieces[] = {"a", "Z", " ", "\"", "\\", "\n", "\t", "\x01", "\x1f", "/",
                                 "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xff", "\xc3"};
  std::string s;
  while (s.size() < len) {
    // Mostly plain letters, so runs of every length occur.
    const std::size_t pick = gen() % 40;
    s += pick < 26 ? std::string(1, static_cast<char>('a' + pick)) : pieces[pick % 15];
  }
  s.resize(len);
  return s;
}

void check_one(std::string_view s, const std::string& existing) {
  for (const hex_case hex : {hex_case::lower, hex_case::upper}) {
    for (const char prefix : {'\0', ','}) {
      std::string out = existing;
      REQUIRE(append_json_string(out, prefix, s, hex, false));
      REQUIRE(out == existing + reference(prefix, s, hex));
      std::string validated = existing;
      const bool ok = append_json_string(validated, prefix, s, hex, true);
      REQUIRE(ok == valid_utf8(s));
      REQUIRE(validated == (ok ? existing + reference(prefix, s, hex) : existing));
    }
  }
}

}  // namespace

TEST_CASE("json escape: matches a byte-at-a-time escaper at every length") {
  std::mt19937 gen(7);
  for (std::size_t len = 0; len <= 70; ++len) {
    for (int round = 0; round < 40; ++round) {
      check_one(random_text(gen, len), round % 2 == 0 ? std::string() : std::string("{\"k\":"));
    }
  }
}

TEST_CASE("json escape: a string ending at an unmapped page is read only up to its end") {
  const long page = ::sysconf(_SC_PAGESIZE);
  void* mem = ::mmap(nullptr, static_cast<std::size_t>(page) * 2, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(mem != MAP_FAILED);
  char* base = static_cast<char*>(mem);
  REQUIRE(::mprotect(base + page, static_cast<std::size_t>(page), PROT_NONE) == 0);
  std::mt19937 gen(11);
  for (std::size_t len = 0; len <= 40; ++len) {
    const std::string text = random_text(gen, len);
    char* at = base + page - len;  // the last byte is the page's last byte
    std::memcpy(at, text.data(), len);
    check_one(std::string_view(at, len), std::string());  // a fault here fails the test run
  }
  ::munmap(mem, static_cast<std::size_t>(page) * 2);
}
