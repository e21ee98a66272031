# Thin wrapper over CMake presets. `make run` and `make test` are the two set-up commands.
.PHONY: all deps configure build run test test-nogui test-asan bench screenshots format clean

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

test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

bench: build
	@cmake --build --preset $(PRESET) --target tb_bench -j $(JOBS)
	@bash tests/bench/run.sh $(BUILD_DIR)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build build-nogui build-asan
