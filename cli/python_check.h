// python_check.h: the T2/T4 syntax check with the real parser: python3's ast module.
#pragma once

#include <harness/eval.h>

namespace harness_cli {

/// A checker that runs `python3 -c "import ast,sys; ast.parse(...)"` on a temporary file;
/// empty when python3 cannot be run.
harness::eval::syntax_checker python_syntax_checker();

}  // namespace harness_cli
