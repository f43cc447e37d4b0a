#!/usr/bin/env python3
"""Checks conan/conanfile.py against what `cmake --install` exported (Conan cannot run here).

Usage: check_conan_recipe.py CONANFILE INSTALL_PREFIX

1. The recipe and its test_package are valid Python (compiled, not imported: no Conan here).
2. Its COMPONENTS table names exactly the exported targets harness::<name>.
3. Each component requires what the exported target links: the same components of this
   package, the same dependencies (CMake target -> Conan component), pthread for Threads.
4. Every external component named is declared in requirements(); RapidJSON is not visible.
"""
import ast
import glob
import os
import re
import sys

# CMake imported target -> Conan "<package>::<component>" (None: a system library instead).
CMAKE_TO_CONAN = {
    "simdjson::simdjson": "simdjson::simdjson",
    "fmt::fmt": "fmt::fmt",
    "tomlplusplus::tomlplusplus": "tomlplusplus::tomlplusplus",
    "CURL::libcurl": "libcurl::libcurl",
    "Threads::Threads": None,
}


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def recipe_components(path):
    source = open(path, encoding="utf-8").read()
    tree = ast.parse(source, path)
    compile(tree, path, "exec")
    test_package = os.path.join(os.path.dirname(path), "test_package", "conanfile.py")
    compile(open(test_package, encoding="utf-8").read(), test_package, "exec")
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "COMPONENTS" for t in node.targets):
            return source, ast.literal_eval(node.value)
    fail(path + " has no module-level COMPONENTS table")


def exported_targets(prefix):
    """{component: (set of harness components, set of external CMake targets)}."""
    files = glob.glob(os.path.join(prefix, "**", "cmake", "harness", "harness*-targets.cmake"),
                      recursive=True)
    if not files:
        fail("no harness*-targets.cmake under " + prefix)
    targets = {}
    for f in files:
        text = open(f, encoding="utf-8").read()
        for name in re.findall(r"add_library\(harness::(\w+) STATIC IMPORTED\)", text):
            block = re.search(r"set_target_properties\(harness::%s PROPERTIES(.*?)\n\)" % name,
                              text, re.S)
            links = re.search(r'INTERFACE_LINK_LIBRARIES "([^"]*)"', block.group(1) if block else "")
            internal, external = set(), set()
            for item in (links.group(1).split(";") if links else []):
                item = item.replace("\\$", "$")  # the targets file escapes generator expressions
                item = re.sub(r"^\$<LINK_ONLY:(.*)>$", r"\1", item)
                if item.startswith("harness::"):
                    internal.add(item[len("harness::"):])
                elif item:
                    external.add(item)
            targets[name] = (internal, external)
    return targets


def main():
    if len(sys.argv) != 3:
        fail(__doc__)
    source, components = recipe_components(sys.argv[1])
    targets = exported_targets(sys.argv[2])
    if set(components) != set(targets):
        fail("recipe components %s != exported targets %s" %
             (sorted(components), sorted("harness::" + t for t in targets)))
    for name, (internal, external) in sorted(targets.items()):
        spec = components[name]
        want = set(internal)
        system = set()
        for target in external:
            if target not in CMAKE_TO_CONAN:
                fail("harness::%s links %s, which this check cannot map to Conan" % (name, target))
            if CMAKE_TO_CONAN[target]:
                want.add(CMAKE_TO_CONAN[target])
            else:
                system.add("pthread")
        if set(spec["requires"]) != want:
            fail("component %s requires %s; harness::%s links %s" %
                 (name, sorted(spec["requires"]), name, sorted(want)))
        if set(spec["system_libs"]) != system:
            fail("component %s system_libs %s; expected %s" %
                 (name, sorted(spec["system_libs"]), sorted(system)))
        for req in spec["requires"]:
            package = req.split("::")[0]
            if "::" in req and not re.search(r'self\.requires\("%s/' % re.escape(package), source):
                fail("component %s requires %s, but requirements() lacks %s" % (name, req, package))
    if not re.search(r'self\.requires\("rapidjson/[^"]*", visible=False\)', source):
        fail("RapidJSON must be required with visible=False (internal, header-only)")
    print("conan recipe components match the exported targets: " +
          ", ".join("harness::" + t for t in sorted(targets)))


if __name__ == "__main__":
    main()
