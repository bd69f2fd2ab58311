# Thin wrapper: the real build is CMake. `make test` is what CI runs.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# clang and its libFuzzer / sanitizer runtimes, installed by `make fuzz` only (CI's `make test` skips them).
FUZZ_DEPS = clang libclang-rt-14-dev libomp-14-dev

.PHONY: deps configure build test demo bench fuzz clean

deps:
	bash scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

demo: build
	FEATPIPE=$(BUILD)/featpipe bash pipelines/fashion-mnist/run.sh

bench: build
	FEATPIPE=$(BUILD)/featpipe bash bench/run_all.sh

# libFuzzer targets (fuzz/) built with clang, ASan and UBSan in $(FUZZ_BUILD); seeds come from the FuzzSeeds
# test of the release build. Fails when a target finds a crash, leak, timeout or out-of-memory.
fuzz: build
	FEATPIPE_DEPS_EXTRA="$(FUZZ_DEPS)" bash scripts/install-deps.sh
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFEATPIPE_FUZZ=ON \
	  -DFEATPIPE_NATIVE=OFF -DFEATPIPE_BUILD_TESTS=OFF -DFEATPIPE_BUILD_BENCH=OFF
	cmake --build $(FUZZ_BUILD) --target fuzz_targets -j$(JOBS)
	rm -rf $(FUZZ_BUILD)/fuzz/seeds
	FEATPIPE_FUZZ_SEEDS=$(abspath $(FUZZ_BUILD))/fuzz/seeds $(BUILD)/tests/data_tests --gtest_filter='FuzzSeeds.*'
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_BUILD)/fuzz/seeds

clean:
	rm -rf $(BUILD)
