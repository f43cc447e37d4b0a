// A driver for the fuzz targets without libFuzzer (g++ builds, sanitizers on): runs every
// seed, then deterministic mutations of the seeds (bit flips, byte inserts, cuts, splices) for
// at most --seconds. The test suite runs it under ASan + UBSan on every change; long coverage-
// guided runs stay in fuzz/run.sh (clang + libFuzzer).
//
//   fuzz_replay_<target> [--runs N] [--seconds S] [--seed X] PATH...
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// xorshift64*: reproducible across machines, unlike std::uniform_int_distribution.
struct prng {
  std::uint64_t state;
  std::uint64_t next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

void collect(const std::filesystem::path& path, std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  if (fs::is_directory(path)) {
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  } else {
    files.push_back(path);
  }
  std::sort(files.begin(), files.end());  // the same order (and mutations) on every machine
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
}

std::string mutate(const std::string& seed, const std::vector<std::string>& all, prng& rng) {
  std::string s = seed;
  const int steps = 1 + static_cast<int>(rng.below(4));
  for (int i = 0; i < steps; ++i) {
    switch (rng.below(6)) {
      case 0:  // flip one bit
        if (!s.empty()) s[rng.below(s.size())] ^= static_cast<char>(1u << rng.below(8));
        break;
      case 1: {  // insert a byte, often a JSON or SSE metacharacter
        constexpr std::string_view special = "{}[]\":,\\\n\r <>";
        const char c = rng.below(4) == 0 ? static_cast<char>(rng.next())
                                         : special[rng.below(special.size())];
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(rng.below(s.size() + 1)), c);
        break;
      }
      case 2:  // cut a range
        if (!s.empty()) {
          const std::size_t at = rng.below(s.size());
          s.erase(at, rng.below(s.size() - at) + 1);
        }
        break;
      case 3:  // truncate
        s.resize(rng.below(s.size() + 1));
        break;
      case 4: {  // duplicate a range
        if (s.empty()) break;
        const std::size_t at = rng.below(s.size());
        const std::string piece = s.substr(at, rng.below(64) + 1);
        s.insert(rng.below(s.size() + 1), piece);
        break;
      }
      default: {  // splice in part of another input
        const std::string& other = all[rng.below(all.size())];
        if (other.empty()) break;
        const std::size_t from = rng.below(other.size());
        s.insert(rng.below(s.size() + 1), other.substr(from, rng.below(256) + 1));
        break;
      }
    }
  }
  return s;
}

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  long runs = 20000;
  double seconds = 10;
  std::uint64_t seed = 0x9E3779B97F4A7C15ULL;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::strtol(argv[++i], nullptr, 10);
    } else if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::strtod(argv[++i], nullptr);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 0);
    } else {
      collect(argv[i], inputs);
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "no seed inputs given\n");
    return 2;
  }
  for (const auto& input : inputs) run(input);
  // Mutations round-robin over the seeds until the count or the time budget runs out.
  prng rng{seed};
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  long executed = 0;
  for (; executed < runs; ++executed) {
    if ((executed & 15) == 0 && std::chrono::steady_clock::now() > deadline) break;
    run(mutate(inputs[static_cast<std::size_t>(executed) % inputs.size()], inputs, rng));
  }
  std::printf("%zu seeds and %ld mutations ran without a finding\n", inputs.size(), executed);
  return 0;
}
