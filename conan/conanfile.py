# Conan 2 recipe for libharness: the static libraries harness (core), harness_gateway,
# harness_curl, harness_eval and harness_record, as the CMake package exports them
# (harness::harness, harness::gateway, harness::curl, harness::eval, harness::record).
#
# NOT RUN IN THIS REPOSITORY'S CI: the build machines have no Conan client, no Conan server and
# no network access to ConanCenter. CI only checks that this file is valid Python and that
# COMPONENTS below matches what `cmake --install` exports (tests/install/check_conan_recipe.py).
# Usage, where Conan is available:
#   conan create conan/ --build=missing                      # library + test_package
#   conan create conan/ -o "harness/*:with_server=True"       # also harness-server, harness-cli
import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load

required_conan_version = ">=2.0"

# Each library component: its CMake target (harness::<name>), its archive, what it links.
# "requires" names other components of this package or "<package>::<component>" of a
# dependency; "option" is the recipe option that builds it (None: always built). Must mirror
# the harness_component() calls of libharness/CMakeLists.txt; a ctest compares the two.
COMPONENTS = {
    "harness": {
        "lib": "harness",
        "requires": ["simdjson::simdjson", "fmt::fmt", "tomlplusplus::tomlplusplus"],
        "system_libs": [],
        "option": None,
    },
    "gateway": {
        "lib": "harness_gateway",
        "requires": ["harness"],
        "system_libs": ["pthread"],
        "option": None,
    },
    "curl": {
        "lib": "harness_curl",
        "requires": ["harness", "libcurl::libcurl"],
        "system_libs": ["pthread"],
        "option": "with_curl",
    },
    "eval": {
        "lib": "harness_eval",
        "requires": ["harness", "gateway"],
        "system_libs": ["pthread"],
        "option": None,
    },
    "record": {
        "lib": "harness_record",
        "requires": ["harness", "gateway"],
        "system_libs": [],
        "option": None,
    },
}


class HarnessConan(ConanFile):
    name = "harness"
    description = ("Make any LLM work with real coding tools: translation between OpenAI, "
                   "Anthropic and Ollama wire formats, tool-call rescue, an embeddable gateway")
    license = "MIT"
    topics = ("llm", "openai", "anthropic", "ollama", "tool-calling", "proxy")
    package_type = "static-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "fPIC": [True, False],
        "with_curl": [True, False],
        "with_server": [True, False],
    }
    default_options = {
        "fPIC": True,
        "with_curl": True,
        "with_server": False,
    }

    def set_version(self):
        # One source of truth: project(harness VERSION x.y.z) in the top-level CMakeLists.txt.
        text = load(self, os.path.join(self.recipe_folder, "..", "CMakeLists.txt"))
        self.version = re.search(r"project\(harness VERSION ([0-9.]+)", text).group(1)

    def export_sources(self):
        root = os.path.join(self.recipe_folder, "..")
        for pattern in ("CMakeLists.txt", "LICENSE", "README.md", "CHANGELOG.md", "cmake/*",
                        "libharness/*", "server/*", "cli/*"):
            copy(self, pattern, src=root, dst=self.export_sources_folder)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def validate(self):
        check_min_cppstd(self, 20)
        if self.options.with_server and not self.options.with_curl:
            raise ConanInvalidConfiguration("harness-server needs the curl transport (with_curl=True)")

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # Link dependencies of the static archives, propagated to consumers.
        self.requires("simdjson/3.0.1")
        self.requires("fmt/9.1.0")
        self.requires("tomlplusplus/3.3.0")
        # RapidJSON is header-only and used inside the library only: not visible downstream.
        self.requires("rapidjson/1.1.0", visible=False)
        if self.options.with_curl:
            self.requires("libcurl/[>=7.88 <9]")
        if self.options.with_server:
            # Programs only (not part of any library component).
            self.requires("cli11/2.3.2", visible=False)

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["HARNESS_BUILD_TESTS"] = False
        tc.cache_variables["HARNESS_BUILD_EXAMPLES"] = False
        tc.cache_variables["HARNESS_BUILD_SERVER"] = bool(self.options.with_server)
        tc.cache_variables["HARNESS_BUILD_CLI"] = bool(self.options.with_server)
        tc.cache_variables["HARNESS_WITH_CURL"] = bool(self.options.with_curl)
        tc.cache_variables["HARNESS_INSTALL"] = True
        # Hermetic: never pick up a system mimalloc the recipe does not declare.
        tc.cache_variables["HARNESS_MIMALLOC"] = "OFF"
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", src=self.source_folder,
             dst=os.path.join(self.package_folder, "licenses"))
        CMake(self).install()

    def package_info(self):
        # The same names as the CMake package: find_package(harness), harness::<component>.
        self.cpp_info.set_property("cmake_file_name", "harness")
        # The core component owns the name "harness" (harness.pc), as in the CMake install.
        self.cpp_info.set_property("pkg_config_name", "harness-all")
        for name, spec in COMPONENTS.items():
            if spec["option"] and not self.options.get_safe(spec["option"]):
                continue
            component = self.cpp_info.components[name]
            component.set_property("cmake_target_name", "harness::" + name)
            component.set_property("pkg_config_name",
                                   "harness" if name == "harness" else "harness-" + name)
            component.libs = [spec["lib"]]
            component.requires = list(spec["requires"])
            if self.settings.os in ("Linux", "FreeBSD"):
                component.system_libs = list(spec["system_libs"])
