# Thin wrapper: the real build is CMake. `make test` is what CI runs.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps configure build test demo bench clean

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

clean:
	rm -rf $(BUILD)
