# Thin wrapper: the real build is CMake. `make test` is what CI runs.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# clang and its libFuzzer / sanitizer runtimes, installed by `make fuzz` only (CI's `make test` skips them).
FUZZ_DEPS = clang libclang-rt-14-dev libomp-14-dev

PREFIX ?= /usr/local

.PHONY: deps configure build test test-sanitize demo bench fuzz install package clean

deps:
	bash scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The whole suite again under AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer, in
# $(ASAN_BUILD): -O1, asserts on, no benchmarks. Every report, from a test or from a featpipe it runs, is
# written to $(ASAN_LOGS) and fails the target even when the test itself passed (a child's exit code is not
# always checked). allocator_may_return_null: the corrupt-store tests make HDF5 ask for impossible sizes, and
# it handles the NULL that glibc returns; ASan would abort there instead (it still warns in the log).
ASAN_BUILD ?= build-asan
ASAN_LOGS = $(abspath $(ASAN_BUILD))/sanitizer-reports
SANITIZER_ENV = \
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:allocator_may_return_null=1:check_initialization_order=1:strict_init_order=1:log_path=$(ASAN_LOGS)/report \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$(ASAN_LOGS)/report

test-sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DFEATPIPE_SANITIZE=address,undefined \
	  -DFEATPIPE_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	rm -rf $(ASAN_LOGS) && mkdir -p $(ASAN_LOGS)
	cd $(ASAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure -j$(JOBS); status=$$?; \
	  if grep -qsE 'ERROR: |runtime error:' $(ASAN_LOGS)/*; then \
	    cat $(ASAN_LOGS)/*; echo "test-sanitize: sanitizer reports above (in $(ASAN_LOGS))"; status=1; fi; \
	  exit $$status

demo: build
	FEATPIPE=$(BUILD)/featpipe bash pipelines/fashion-mnist/run.sh

bench: build
	FEATPIPE=$(BUILD)/featpipe bash bench/run_all.sh

# bin/featpipe, the stage libraries and public headers, the CMake package, featpipe.pc and share/featpipe/
# under $(PREFIX) (cmake/install.cmake).
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# The Debian package of the release build, $(BUILD)/featpipe_<version>_<arch>.deb: everything `make install`
# installs, man page, copyright and changelog included, under /usr (cmake/package.cmake). CI installs it, uses
# it and removes it (tests/package/deb_test.sh).
package: build
	rm -f $(BUILD)/featpipe_*.deb
	cd $(BUILD) && cpack -G DEB

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
