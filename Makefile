# Thin wrapper over CMake presets. `make run` and `make test` are the two set-up commands.
.PHONY: all deps configure build run test test-nogui test-asan fuzz bench package screenshots format clean

PRESET ?= default
BUILD_DIR := build
JOBS ?= $(shell nproc)
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

all: build

deps:
	@bash packaging/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	@$(BUILD_DIR)/app/gui/tokenbench

test: build
	@ctest --preset $(PRESET) -j $(JOBS)

# Core, CLI and core tests without the GUI: proves core/ never needs QtWidgets.
test-nogui: deps
	@cmake --preset nogui >/dev/null
	@cmake --build --preset nogui -j $(JOBS)
	@ctest --preset nogui -j $(JOBS) -LE gui

# Core, CLI and their tests under ASan + UBSan (GUI off: it is CI's slowest part and adds nothing to the core),
# with the OpenSSL failure-injection suite. Any sanitizer report or leak fails the test that caused it.
test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
		ctest --preset asan -j $(JOBS) -LE gui

# Each libFuzzer target (clang) for FUZZ_SECONDS over a seed corpus built from ../shared/vectors and the tests.
FUZZ_SECONDS ?= 30
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh build-fuzz

# The Debian package, build/tokenbench_<version>_<arch>.deb: apt install ./build/tokenbench_*.deb
package: build
	@cmake --build --preset $(PRESET) --target package

bench: build
	@cmake --build --preset $(PRESET) --target tb_bench -j $(JOBS)
	@bash tests/bench/run.sh $(BUILD_DIR)

# README's pictures, rendered offscreen with the sample data: every pane, and Verify in the dark theme.
screenshots: build
	@QT_QPA_PLATFORM=offscreen $(BUILD_DIR)/app/gui/tokenbench --screenshot docs/screenshots
	@tmp=$$(mktemp -d) && QT_QPA_PLATFORM=offscreen $(BUILD_DIR)/app/gui/tokenbench --theme dark --screenshot $$tmp \
		&& cp $$tmp/verify.png docs/screenshots/verify-dark.png && rm -rf $$tmp

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build build-nogui build-asan build-fuzz
